// Package fuzzcheck holds what the providers' fuzz tests share: a transport
// that gives every request one fuzzed answer, and the promises every error
// of the engine keeps, whatever that answer is.
//
//	f.Fuzz(func(t *testing.T, code uint16, retryAfter string, body []byte) {
//		status := fuzzcheck.Status(code)
//		c, _ := cohost.New(key, partnerkit.WithHTTPClient(&http.Client{
//			Transport: fuzzcheck.Answer(status, retryAfter, body)}))
//		_, err := c.Listings.List(ctx, nil)
//		fuzzcheck.CheckError(t, status, err, key)
//	})
package fuzzcheck

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/partnerkit/partnerkit-go"
)

// Status maps a fuzzed number to an HTTP status from 200 to 599.
func Status(n uint16) int {
	return 200 + int(n)%400
}

// Answer returns a transport that answers every request with status, a
// JSON Content-Type, the Retry-After header retryAfter and body.
func Answer(status int, retryAfter string, body []byte) http.RoundTripper {
	return answer{status: status, retryAfter: retryAfter, body: body}
}

type answer struct {
	status     int
	retryAfter string
	body       []byte
}

func (a answer) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{
		StatusCode:    a.status,
		Status:        fmt.Sprintf("%d %s", a.status, http.StatusText(a.status)),
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"application/json"}, "Retry-After": {a.retryAfter}},
		Body:          io.NopCloser(bytes.NewReader(a.body)),
		ContentLength: int64(len(a.body)),
		Request:       r,
	}, nil
}

// CheckError fails t when err, the outcome of a call answered with status,
// breaks a promise of the engine: an answer of 300 or more is an error;
// every error is a *partnerkit.Error carrying that status and a wait that
// is not negative; and none of secrets appears in its text, body, code,
// message, request ID, field errors or details.
func CheckError(t testing.TB, status int, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		if status >= 300 {
			t.Fatalf("status %d gave no error", status)
		}
		return
	}
	var apiErr *partnerkit.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("status %d: %T is not a *partnerkit.Error: %v", status, err, err)
	}
	if status >= 300 && apiErr.StatusCode != status {
		t.Fatalf("status %d reported as %d", status, apiErr.StatusCode)
	}
	if apiErr.RetryAfter < 0 {
		t.Fatalf("status %d: negative RetryAfter %v", status, apiErr.RetryAfter)
	}
	text := fmt.Sprintf("%v %s %s %s %s %v %+v", err, apiErr.Body, apiErr.Code, apiErr.Message, apiErr.RequestID, apiErr.FieldErrors, apiErr.Details)
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Fatalf("a credential leaked into the error: %s", text)
		}
	}
}
