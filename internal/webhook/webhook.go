// Package webhook holds what the providers' webhook receivers share. A
// provider that documents no signature (CheKin, eTelecom) is told to POST
// to an address that carries an unguessable secret; the receiver accepts a
// delivery only with that secret, compared in constant time, and with a
// body of bounded size, and refuses everything else at once, closing the
// connection. Handler is the whole receiver, generic over the provider's
// event type:
//
//	secret := webhook.NewSecret()
//	target, err := webhook.URL("https://partner.example/hooks", secret) // register target with the provider
//	h, err := webhook.NewHandler(secret, webhook.MaxEventBytes, parseEvents, handle)
//	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second}
package webhook

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/secret"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// SecretParam is the query parameter of a registered address that carries
// the receiver's secret.
const SecretParam = "secret"

// MinSecretLen is the shortest secret a receiver accepts.
const MinSecretLen = 16

// MaxEventBytes is the largest delivery body the providers' receivers
// read.
const MaxEventBytes = 1 << 20

// NewSecret returns a new unguessable secret: 32 random bytes, hex encoded.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand documents it)
	return hex.EncodeToString(b)
}

// secretRule is what a secret must be.
var secretRule = fmt.Sprintf("must be at least %d characters (see NewWebhookSecret)", MinSecretLen)

// URL returns receiverURL with secret added as the SecretParam query
// parameter: the address to register with the provider. It refuses an
// address that is not absolute http or https and a short secret.
func URL(receiverURL, secret string) (string, error) {
	u, err := url.Parse(receiverURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", &partnerkit.ValidationError{Field: "receiverURL", Rule: "must be an absolute http or https URL"}
	}
	if len(secret) < MinSecretLen {
		return "", &partnerkit.ValidationError{Field: "secret", Rule: secretRule}
	}
	q := u.Query()
	q.Set(SecretParam, secret)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// SecretOf returns the secret a registered address carries, or "".
func SecretOf(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		return ""
	}
	return u.Query().Get(SecretParam)
}

// Receiver checks deliveries to an address made with URL. It is safe for
// concurrent use; no formatting of it prints the secret.
type Receiver struct {
	secret   secret.String
	maxBytes int64
}

// NewReceiver returns a Receiver that accepts deliveries carrying secret
// with bodies of at most maxBytes.
func NewReceiver(secretValue string, maxBytes int64) (*Receiver, error) {
	if len(secretValue) < MinSecretLen {
		return nil, &partnerkit.ValidationError{Field: "secret", Rule: secretRule}
	}
	return &Receiver{secret: secret.New(secretValue), maxBytes: maxBytes}, nil
}

// Accept checks one delivery and returns its body. It refuses, answering
// the refusal itself, a method other than POST (405), a missing or wrong
// secret (401, checked before any of the body is read), a body larger than
// the limit (413) and a body that cannot be read (400); it then returns
// false, and the caller must not answer again.
func (r *Receiver) Accept(w http.ResponseWriter, req *http.Request) ([]byte, bool) {
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		Refuse(w, http.StatusMethodNotAllowed)
		return nil, false
	}
	got := req.URL.Query().Get(SecretParam)
	if subtle.ConstantTimeCompare([]byte(got), []byte(r.secret.Reveal())) != 1 {
		Refuse(w, http.StatusUnauthorized)
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, r.maxBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			Refuse(w, http.StatusRequestEntityTooLarge)
		} else {
			Refuse(w, http.StatusBadRequest)
		}
		return nil, false
	}
	return body, true
}

// Refuse answers status with its standard text and nothing else, and
// drops the sender: it stops reading the request and closes the connection
// after the answer. Otherwise net/http reads what is left of the body
// before reusing the connection, and a sender trickling a small body would
// hold the connection's goroutine until the server's ReadTimeout, or for
// ever without one. The sender learns nothing but the status.
func Refuse(w http.ResponseWriter, status int) {
	w.Header().Set("Connection", "close")
	// A ResponseWriter that cannot set deadlines (a test recorder) has no
	// connection to hold.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now())
	http.Error(w, http.StatusText(status), status)
}

// Handler receives a provider's deliveries: it accepts them with a
// Receiver, reads their events with its parse function and calls its
// handle function for each, in order. It answers 200 when every call
// succeeded; 500 when one failed, without calling the ones after it, so
// that the provider delivers again (the body was read whole from a sender
// that proved the secret, so the connection is kept); and, through Accept
// and Refuse, 405, 401, 413 or 400 (a body parse refuses) to a delivery it
// refuses, closing the connection. It is safe for concurrent use when
// handle is.
type Handler[E any] struct {
	recv   *Receiver
	parse  func(body []byte) ([]E, error)
	handle func(ctx context.Context, e *E) error
}

// NewHandler returns a Handler for deliveries carrying secret, with bodies
// of at most maxBytes. It refuses a short secret and a nil handle.
func NewHandler[E any](secret string, maxBytes int64, parse func(body []byte) ([]E, error), handle func(ctx context.Context, e *E) error) (*Handler[E], error) {
	recv, err := NewReceiver(secret, maxBytes)
	var v validate.Errors
	v.NotNil("handle", handle != nil)
	if err := errors.Join(err, v.Err()); err != nil {
		return nil, err
	}
	return &Handler[E]{recv: recv, parse: parse, handle: handle}, nil
}

// ServeHTTP handles one delivery.
func (h *Handler[E]) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, ok := h.recv.Accept(w, r)
	if !ok {
		return
	}
	events, err := h.parse(body)
	if err != nil {
		Refuse(w, http.StatusBadRequest)
		return
	}
	for i := range events {
		if err := h.handle(r.Context(), &events[i]); err != nil {
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}
