package partnerkit

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Sentinel errors. Every *Error matches exactly one of them with errors.Is,
// so callers can branch on the kind of failure without knowing the provider.
var (
	// ErrInvalidInput reports an argument rejected before any request was
	// sent. Nothing reached the provider.
	ErrInvalidInput = errors.New("partnerkit: invalid input")

	// ErrInvalidRequest reports a request the provider refused as malformed
	// (HTTP 400 or 422, or the provider's equivalent code).
	ErrInvalidRequest = errors.New("partnerkit: invalid request")
	// ErrUnauthorized reports missing or rejected credentials (HTTP 401).
	ErrUnauthorized = errors.New("partnerkit: unauthorized")
	// ErrForbidden reports credentials that are valid but not allowed to do
	// this (HTTP 403).
	ErrForbidden = errors.New("partnerkit: forbidden")
	// ErrNotFound reports a resource the provider does not know (HTTP 404).
	ErrNotFound = errors.New("partnerkit: not found")
	// ErrConflict reports a request that conflicts with the provider's state,
	// such as an overlapping booking (HTTP 409).
	ErrConflict = errors.New("partnerkit: conflict")
	// ErrRateLimited reports a request refused, or not sent, because of a
	// rate limit. Error.RetryAfter says how long to wait when it is known.
	ErrRateLimited = errors.New("partnerkit: rate limited")
	// ErrServer reports a failure on the provider's side (HTTP 5xx).
	ErrServer = errors.New("partnerkit: provider server error")
	// ErrUnexpected reports any other unsuccessful answer, such as an
	// unexpected status code or a failure envelope the SDK cannot classify.
	ErrUnexpected = errors.New("partnerkit: unexpected response")

	// ErrNoResponse reports a call that ended without an answer from the
	// provider: the connection was refused, reset or closed mid-answer, the
	// attempt timed out, or the context ended. It is not an *Error. A create
	// that fails this way may or may not have been acted on: look before
	// sending it again.
	ErrNoResponse = errors.New("partnerkit: no response")

	// ErrResponseTooLarge reports an answer larger than the client accepts
	// (see WithMaxResponseBytes). The provider did receive and may have acted
	// on the request.
	ErrResponseTooLarge = errors.New("partnerkit: response too large")
)

// MaxErrorBody is the largest raw body, in bytes, kept in Error.Body.
const MaxErrorBody = 4 << 10

// Error is an unsuccessful answer from a provider: an HTTP error status, or a
// success status whose body reports a failure (such as Alohub's
// success != "1"). It is also returned, with StatusCode 0, when the client
// refuses to wait for a rate limit longer than allowed.
//
// Error never contains credentials: the client removes any secret it knows of
// from Message and Body before returning it.
type Error struct {
	// Provider names the provider that answered, such as "cohost".
	Provider string
	// StatusCode is the HTTP status of the answer, or 0 when no request was
	// answered.
	StatusCode int
	// Code is the provider's own error code, such as "LISTING_NOT_FOUND",
	// "invalid_argument" or "-3". It is empty when the provider sent none.
	Code string
	// Message is the provider's human-readable message.
	Message string
	// FieldErrors maps a field path to the provider's messages about it, for
	// validation failures.
	FieldErrors map[string][]string
	// RetryAfter is how long the provider asked the caller to wait, or zero.
	RetryAfter time.Duration
	// RequestID is the provider's identifier for the request, when it sent
	// one.
	RequestID string
	// Method and Path identify the request (the path has no query string).
	Method string
	Path   string
	// Body is the answer body, with the values of credential-named JSON
	// fields (password, token, secret, *key) replaced, truncated to
	// MaxErrorBody bytes.
	Body []byte
	// Details holds provider-specific decoded data: the provider package's
	// *ErrorDetails (for example the listing IDs Coliving refused), or nil.
	// DetailsOf reads it.
	Details any
	// Kind is the sentinel this error matches. When nil, it is derived from
	// StatusCode with KindForStatus.
	Kind error
}

// Error returns a one-line description: provider, request, status, code and
// message.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Provider != "" {
		b.WriteString(e.Provider)
		b.WriteString(": ")
	}
	if e.Method != "" || e.Path != "" {
		b.WriteString(e.Method)
		b.WriteByte(' ')
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, "%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	} else {
		b.WriteString(strings.TrimPrefix(e.kind().Error(), "partnerkit: "))
	}
	if e.Code != "" {
		b.WriteString(" [")
		b.WriteString(e.Code)
		b.WriteByte(']')
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if len(e.FieldErrors) > 0 {
		fields := make([]string, 0, len(e.FieldErrors))
		for f := range e.FieldErrors {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		b.WriteString(" (")
		for i, f := range fields {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(f)
			b.WriteString(": ")
			b.WriteString(strings.Join(e.FieldErrors[f], ", "))
		}
		b.WriteByte(')')
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// Is reports whether target is the sentinel matching this error's kind.
func (e *Error) Is(target error) bool {
	return target == e.kind()
}

func (e *Error) kind() error {
	if e.Kind != nil {
		return e.Kind
	}
	return KindForStatus(e.StatusCode)
}

// DetailsOf returns the provider-specific details of the *Error in err's
// chain when they are of type T, such as *coliving.ErrorDetails. Each
// provider package documents the type of its details.
func DetailsOf[T any](err error) (T, bool) {
	var e *Error
	if errors.As(err, &e) {
		if d, ok := e.Details.(T); ok {
			return d, true
		}
	}
	var zero T
	return zero, false
}

// KindForStatus returns the sentinel error for an HTTP status code:
// ErrInvalidRequest for 400 and 422, ErrUnauthorized for 401, ErrForbidden
// for 403, ErrNotFound for 404 and 410, ErrConflict for 409, ErrRateLimited
// for 429, ErrServer for 5xx and ErrUnexpected otherwise.
func KindForStatus(status int) error {
	switch {
	case status == http.StatusBadRequest, status == http.StatusUnprocessableEntity:
		return ErrInvalidRequest
	case status == http.StatusUnauthorized:
		return ErrUnauthorized
	case status == http.StatusForbidden:
		return ErrForbidden
	case status == http.StatusNotFound, status == http.StatusGone:
		return ErrNotFound
	case status == http.StatusConflict:
		return ErrConflict
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status >= 500 && status <= 599:
		return ErrServer
	default:
		return ErrUnexpected
	}
}

// ValidationError reports an argument rejected before any request was sent.
// It matches ErrInvalidInput with errors.Is. When several arguments are
// wrong, the SDK returns them joined with errors.Join.
type ValidationError struct {
	// Field is the argument's name as the caller knows it, such as
	// "CheckOut" or "Guest.Email".
	Field string
	// Rule says what the value must be, such as "must be after CheckIn".
	Rule string
}

// Error returns "invalid input: <field> <rule>".
func (e *ValidationError) Error() string {
	return "partnerkit: invalid input: " + e.Field + " " + e.Rule
}

// Is reports whether target is ErrInvalidInput.
func (e *ValidationError) Is(target error) bool {
	return target == ErrInvalidInput
}
