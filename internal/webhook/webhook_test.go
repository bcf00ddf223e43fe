package webhook_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/webhook"
)

const secretValue = "0123456789abcdef0123456789abcdef"

// countingBody records whether anything read it.
type countingBody struct {
	io.Reader
	read bool
}

func (b *countingBody) Read(p []byte) (int, error) {
	b.read = true
	return b.Reader.Read(p)
}

func (b *countingBody) Close() error { return nil }

func TestAccept(t *testing.T) {
	t.Parallel()
	r, err := webhook.NewReceiver(secretValue, 16)
	require.NoError(t, err)
	target, err := webhook.URL("https://partner.example/hooks?x=1", secretValue)
	require.NoError(t, err)
	require.Equal(t, "https://partner.example/hooks?secret="+secretValue+"&x=1", target)
	require.Equal(t, secretValue, webhook.SecretOf(target))

	tests := []struct {
		name, method, query, body string
		status                    int
		readBody                  bool
	}{
		{"accepted", http.MethodPost, "secret=" + secretValue, `{"a":1}`, 0, true},
		{"GET", http.MethodGet, "secret=" + secretValue, "", http.StatusMethodNotAllowed, false},
		{"no secret", http.MethodPost, "", `{"a":1}`, http.StatusUnauthorized, false},
		{"wrong secret", http.MethodPost, "secret=" + strings.Repeat("0", len(secretValue)), `{"a":1}`, http.StatusUnauthorized, false},
		{"secret prefix", http.MethodPost, "secret=" + secretValue[:20], `{"a":1}`, http.StatusUnauthorized, false},
		{"too large", http.MethodPost, "secret=" + secretValue, strings.Repeat("x", 17), http.StatusRequestEntityTooLarge, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := &countingBody{Reader: strings.NewReader(tt.body)}
			req := httptest.NewRequest(tt.method, "/hooks?"+tt.query, body)
			w := httptest.NewRecorder()
			got, ok := r.Accept(w, req)
			require.Equal(t, tt.readBody, body.read, "the body is read only with the right secret")
			if tt.status == 0 {
				require.True(t, ok)
				require.Equal(t, tt.body, string(got))
				require.Empty(t, w.Header().Get("Connection"))
				return
			}
			require.False(t, ok)
			require.Nil(t, got)
			require.Equal(t, tt.status, w.Code)
			require.Equal(t, "close", w.Header().Get("Connection"), "a refusal closes the connection")
			require.Equal(t, http.StatusText(tt.status)+"\n", w.Body.String(), "a refusal says nothing more")
		})
	}
}

func TestBadArguments(t *testing.T) {
	t.Parallel()
	_, err := webhook.NewReceiver("short", 10)
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	_, err = webhook.URL("https://partner.example/hooks", "short")
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	for _, bad := range []string{"/hooks", "ftp://partner.example/hooks", "https://", "%zz"} {
		_, err = webhook.URL(bad, secretValue)
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput, bad)
	}
	require.Empty(t, webhook.SecretOf("%zz"))
}

func TestSecretsAreUnguessableAndNeverPrinted(t *testing.T) {
	t.Parallel()
	a, b := webhook.NewSecret(), webhook.NewSecret()
	require.Len(t, a, 64)
	require.NotEqual(t, a, b)
	r, err := webhook.NewReceiver(a, 10)
	require.NoError(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		require.NotContains(t, fmt.Sprintf(verb, r), a, verb)
		require.NotContains(t, fmt.Sprintf(verb, *r), a, verb)
	}
	require.Equal(t, a, webhook.SecretOf("https://p.example/h?"+url.Values{webhook.SecretParam: {a}}.Encode()))
}

// parseWords reads a body of words, one event each; "!" is not an event.
func parseWords(body []byte) ([]string, error) {
	words := strings.Fields(string(body))
	if len(words) == 0 || slices.Contains(words, "!") {
		return nil, errors.New("not events")
	}
	return words, nil
}

func TestHandler(t *testing.T) {
	t.Parallel()
	var got []string
	h, err := webhook.NewHandler(secretValue, 64, parseWords, func(_ context.Context, e *string) error {
		got = append(got, *e)
		if *e == "fail" {
			return errors.New("queue full")
		}
		return nil
	})
	require.NoError(t, err)
	send := func(method, query, body string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(method, "/hooks?"+query, strings.NewReader(body)))
		return w
	}
	ok := "secret=" + secretValue

	w := send(http.MethodPost, ok, "a b")
	require.Equal(t, http.StatusOK, w.Code)
	require.Equal(t, []string{"a", "b"}, got, "every event, in order")

	got = nil
	w = send(http.MethodPost, ok, "c fail d")
	require.Equal(t, http.StatusInternalServerError, w.Code)
	require.Equal(t, "Internal Server Error\n", w.Body.String(), "the answer says nothing of the error")
	require.Empty(t, w.Header().Get("Connection"), "a sender that proved the secret keeps its connection")
	require.Equal(t, []string{"c", "fail"}, got, "the events after a failed one wait for the next delivery")

	got = nil
	for _, tt := range []struct {
		name, method, query, body string
		status                    int
	}{
		{"not events", http.MethodPost, ok, "a ! b", http.StatusBadRequest},
		{"empty", http.MethodPost, ok, "", http.StatusBadRequest},
		{"wrong secret", http.MethodPost, "secret=" + strings.Repeat("0", len(secretValue)), "a", http.StatusUnauthorized},
		{"GET", http.MethodGet, ok, "", http.StatusMethodNotAllowed},
		{"too large", http.MethodPost, ok, strings.Repeat("x ", 40), http.StatusRequestEntityTooLarge},
	} {
		w := send(tt.method, tt.query, tt.body)
		require.Equal(t, tt.status, w.Code, tt.name)
		require.Equal(t, "close", w.Header().Get("Connection"), "%s: a refusal closes the connection", tt.name)
	}
	require.Empty(t, got, "a refused delivery reaches no handle")

	_, err = webhook.NewHandler[string](secretValue, 64, parseWords, nil)
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	var ve *partnerkit.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, "handle", ve.Field)
	_, err = webhook.NewHandler(secretValue[:8], 64, parseWords, func(context.Context, *string) error { return nil })
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
}
