// Package mocktest holds what the providers' httpmock tests share: a
// recorder of the requests a mock server received, and JSON answers.
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

	"github.com/jarcoal/httpmock"
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
