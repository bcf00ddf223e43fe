package coliving_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/coliving"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/mocktest"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

const (
	// root is the API root the tests use: a path under the host, so that a
	// wrong path fails loudly.
	root       = "https://coliving.test/api"
	apiKey     = "sk_test_0123456789abcdefABCDEF"
	integrator = "mangobeds"
)

var (
	ctx   = context.Background()
	epoch = time.Date(2025, 11, 20, 9, 0, 0, 0, time.UTC)
)

type harness struct {
	c     *coliving.Client
	mock  *httpmock.MockTransport
	clock *clock.Fake

	mocktest.Recorder
}

// captured is a request as the server saw it.
type captured = mocktest.Request

func newHarness(t *testing.T, opts ...partnerkit.Option) *harness {
	t.Helper()
	h := &harness{mock: httpmock.NewMockTransport(), clock: clock.NewAutoFake(epoch)}
	all := append([]partnerkit.Option{
		partnerkit.WithBaseURL(root),
		partnerkit.WithHTTPClient(&http.Client{Transport: h.mock}),
		transport.WithClock(h.clock),
		transport.WithRandom(func() float64 { return 0.5 }),
	}, opts...)
	c, err := coliving.New(apiKey, integrator, all...)
	require.NoError(t, err)
	h.c = c
	return h
}

// on answers method+url (url relative to root unless absolute) with status
// and body, recording each request.
func (h *harness) on(method, path string, status int, body string, header ...string) {
	h.onURL(method, root+path, status, body, header...)
}

func (h *harness) onURL(method, url string, status int, body string, header ...string) {
	h.mock.RegisterResponder(method, url, func(r *http.Request) (*http.Response, error) {
		h.Record(r)
		return mocktest.JSON(status, body, header...), nil
	})
}

// sequence answers method+path with the given answers in turn (the last
// one repeated), recording each request.
func (h *harness) sequence(method, path string, answers ...answer) {
	n := 0
	var mu sync.Mutex
	h.mock.RegisterResponder(method, root+path, func(r *http.Request) (*http.Response, error) {
		h.Record(r)
		mu.Lock()
		a := answers[min(n, len(answers)-1)]
		n++
		mu.Unlock()
		return mocktest.JSON(a.status, a.body, a.header...), nil
	})
}

type answer struct {
	status int
	body   string
	header []string
}

// last returns the only request recorded, checking the headers every call
// carries.
func (h *harness) last(t *testing.T) captured {
	t.Helper()
	reqs := h.Requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	require.Equal(t, "Bearer "+apiKey, r.Header.Get("Authorization"))
	require.Equal(t, "application/json", r.Header.Get("Accept"))
	require.Contains(t, r.Header.Get("User-Agent"), "partnerkit-go/")
	return r
}

func date(s string) partnerkit.Date {
	d, err := partnerkit.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}
