package alohub_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/alohub"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/mocktest"
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

	mocktest.Recorder
}

// captured is a request as the server saw it.
type captured = mocktest.Request

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

// on answers method+path with status and body, recording each request.
// header lists extra answer headers as name, value pairs.
func (h *harness) on(method, path string, status int, body string, header ...string) {
	h.mock.RegisterResponder(method, base+path, func(r *http.Request) (*http.Response, error) {
		h.Record(r)
		return mocktest.JSON(status, body, header...), nil
	})
}

// last returns the only request recorded, failing otherwise, and checks the
// credentials it carried.
func (h *harness) last(t *testing.T) captured {
	t.Helper()
	reqs := h.Requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	require.Equal(t, apiKey, r.Header.Get("X-Api-Key"))
	require.Empty(t, r.Header.Get("Authorization"))
	require.Contains(t, r.Header.Get("User-Agent"), "partnerkit-go/")
	return r
}

func ptr[T any](v T) *T { return &v }
