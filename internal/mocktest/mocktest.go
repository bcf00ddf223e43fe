// Package mocktest holds what the providers' httpmock tests share: a
// recorder of the requests a mock server received, JSON answers, and the
// check that a create or send is never sent twice.
//
//	var rec mocktest.Recorder
//	mock.RegisterResponder("GET", base+"/listings", func(r *http.Request) (*http.Response, error) {
//		rec.Record(r)
//		return mocktest.JSON(200, `{"items":[]}`, "X-RateLimit-Remaining", "59"), nil
//	})
//	// ... call the client, then:
//	reqs := rec.Requests()
package mocktest

import (
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
)

// Request is a request as the server saw it.
type Request struct {
	Method string
	URL    string
	Path   string
	Query  map[string][]string
	Header http.Header
	Body   string
}

// Capture reads r, its body included, into a Request.
func Capture(r *http.Request) Request {
	var b []byte
	if r.Body != nil {
		b, _ = io.ReadAll(r.Body)
	}
	return Request{Method: r.Method, URL: r.URL.String(), Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: string(b)}
}

// Recorder keeps the requests a mock server received. The zero value is
// ready to use; it is safe for concurrent use.
type Recorder struct {
	mu   sync.Mutex
	reqs []Request
}

// Record captures r and keeps it.
func (rec *Recorder) Record(r *http.Request) Request {
	c := Capture(r)
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, c)
	rec.mu.Unlock()
	return c
}

// Requests returns the requests recorded so far, in order.
func (rec *Recorder) Requests() []Request {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]Request(nil), rec.reqs...)
}

// JSON returns an answer with status, a JSON Content-Type and body, and the
// extra headers given as name, value pairs.
func JSON(status int, body string, header ...string) *http.Response {
	resp := httpmock.NewStringResponse(status, body)
	resp.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		resp.Header.Set(header[i], header[i+1])
	}
	return resp
}

// Attempt runs a create or send once on a fresh client whose mock server
// answers the call's route with answer, and returns the waits the client
// slept (its fake clock's Sleeps) and the call's error.
type Attempt func(t *testing.T, answer httpmock.Responder) (sleeps []time.Duration, err error)

// CheckSentOnce checks the retry rule of a create or send: after a 503,
// and after a timeout once the request went out, the provider may have
// acted, so the call is not tried again (its error matches
// partnerkit.ErrServer, then partnerkit.ErrNoResponse); after a 429,
// rateLimited, which asks for wait, the provider did not act, so it is
// tried again after wait and succeeds with ok.
func CheckSentOnce(t *testing.T, attempt Attempt, rateLimited, ok *http.Response, wait time.Duration) {
	t.Helper()
	failures := []struct {
		name   string
		answer httpmock.Responder
		kind   error
	}{
		{"503", func(*http.Request) (*http.Response, error) {
			return JSON(http.StatusServiceUnavailable, `{"detail":"Service Unavailable"}`), nil
		}, partnerkit.ErrServer},
		{"timeout", func(*http.Request) (*http.Response, error) {
			return nil, Timeout()
		}, partnerkit.ErrNoResponse},
	}
	for _, f := range failures {
		var calls atomic.Int32
		sleeps, err := attempt(t, func(r *http.Request) (*http.Response, error) {
			calls.Add(1)
			return f.answer(r)
		})
		require.ErrorIs(t, err, f.kind, f.name)
		require.Equal(t, int32(1), calls.Load(), "%s: sent once", f.name)
		require.Empty(t, sleeps, f.name)
	}
	var calls atomic.Int32
	sleeps, err := attempt(t, func(*http.Request) (*http.Response, error) {
		if calls.Add(1) == 1 {
			return rateLimited, nil
		}
		return ok, nil
	})
	require.NoError(t, err)
	require.Equal(t, int32(2), calls.Load(), "a 429 is tried again")
	require.Equal(t, []time.Duration{wait}, sleeps, "after the wait the provider asked for")
}

// Timeout returns the error of a connection whose answer did not come in
// time, after the request was sent: a responder that returns it makes the
// client see a timeout that the server may have acted on.
//
//	mock.RegisterResponder("POST", url, func(r *http.Request) (*http.Response, error) {
//		rec.Record(r)
//		return nil, mocktest.Timeout()
//	})
func Timeout() error {
	return &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
}
