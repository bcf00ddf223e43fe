package alohub_test

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/alohub"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

const (
	base   = "https://alohub.test/gw"
	apiKey = "sk_live_0123456789abcdef"
)

var (
	ctx   = context.Background()
	epoch = time.Date(2026, 4, 14, 9, 0, 0, 0, time.UTC)
)

type harness struct {
	c     *alohub.Client
	mock  *httpmock.MockTransport
	clock *clock.Fake

	mu   sync.Mutex
	reqs []captured
}

// captured is a request as the server saw it.
type captured struct {
	Method string
	Path   string
	Query  map[string][]string
	Header http.Header
	Body   string
}

func newHarness(t *testing.T, opts ...partnerkit.Option) *harness {
	t.Helper()
	return newHarnessWithClock(t, clock.NewAutoFake(epoch), opts...)
}

func newHarnessWithClock(t *testing.T, clk *clock.Fake, opts ...partnerkit.Option) *harness {
	t.Helper()
	h := &harness{mock: httpmock.NewMockTransport(), clock: clk}
	all := append([]partnerkit.Option{
		partnerkit.WithBaseURL(base),
		partnerkit.WithHTTPClient(&http.Client{Transport: h.mock}),
		transport.WithClock(h.clock),
		transport.WithRandom(func() float64 { return 0.5 }),
	}, opts...)
	c, err := alohub.New(apiKey, all...)
	require.NoError(t, err)
	h.c = c
	return h
}

func (h *harness) record(r *http.Request) {
	var b []byte
	if r.Body != nil {
		b, _ = io.ReadAll(r.Body)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.reqs = append(h.reqs, captured{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: string(b)})
}

// requests returns the requests recorded so far.
func (h *harness) requests() []captured {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]captured(nil), h.reqs...)
}

// on answers method+path with status and body, recording each request.
// header lists extra answer headers as name, value pairs.
func (h *harness) on(method, path string, status int, body string, header ...string) {
	h.mock.RegisterResponder(method, base+path, func(r *http.Request) (*http.Response, error) {
		h.record(r)
		return jsonResponse(status, body, header...), nil
	})
}

// last returns the only request recorded, failing otherwise, and checks the
// credentials it carried.
func (h *harness) last(t *testing.T) captured {
	t.Helper()
	reqs := h.requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	require.Equal(t, apiKey, r.Header.Get("X-Api-Key"))
	require.Empty(t, r.Header.Get("Authorization"))
	require.Contains(t, r.Header.Get("User-Agent"), "partnerkit-go/")
	return r
}

func jsonResponse(status int, body string, header ...string) *http.Response {
	resp := httpmock.NewStringResponse(status, body)
	resp.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		resp.Header.Set(header[i], header[i+1])
	}
	return resp
}

func ptr[T any](v T) *T { return &v }
