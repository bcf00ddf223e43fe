package etelecom_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/mocktest"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

const (
	base    = "https://etelecom.test/v1/partner"
	smsBase = "https://sms.etelecom.test"
	apiKey  = "etp_live_0123456789abcdef"
	shopKey = "shop1052570182707778180:KgGTCsQHSzfKBt8la63c7E6NRqqnD5RV"
)

var (
	ctx   = context.Background()
	epoch = time.Date(2025, 5, 21, 7, 0, 0, 0, time.UTC)
)

type harness struct {
	c     *etelecom.Client
	mock  *httpmock.MockTransport
	clock *clock.Fake
	logs  *syncBuffer

	mocktest.Recorder
}

// captured is a request as the server saw it.
type captured = mocktest.Request

// syncBuffer is a bytes.Buffer safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func options(h *harness, baseURL string, opts ...partnerkit.Option) []partnerkit.Option {
	return append([]partnerkit.Option{
		partnerkit.WithBaseURL(baseURL),
		partnerkit.WithHTTPClient(&http.Client{Transport: h.mock}),
		partnerkit.WithLogger(slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		transport.WithClock(h.clock),
		transport.WithRandom(func() float64 { return 0.5 }),
	}, opts...)
}

func newHarness(t *testing.T, opts ...partnerkit.Option) *harness {
	t.Helper()
	h := &harness{mock: httpmock.NewMockTransport(), clock: clock.NewAutoFake(epoch), logs: &syncBuffer{}}
	c, err := etelecom.New(apiKey, options(h, base, opts...)...)
	require.NoError(t, err)
	h.c = c
	return h
}

// shop returns a client acting as the shop of shopKey, on h's server.
func (h *harness) shop(t *testing.T) *etelecom.Client {
	t.Helper()
	s, err := h.c.ForShop(shopKey)
	require.NoError(t, err)
	return s
}

// record keeps the request and answers status and body.
func (h *harness) record(r *http.Request, status int, body string) *http.Response {
	h.Record(r)
	return mocktest.JSON(status, body)
}

// on answers service/method with status and body, recording each request.
func (h *harness) on(service, method string, status int, body string) {
	h.mock.RegisterResponder(http.MethodPost, base+"."+service+"/"+method, func(r *http.Request) (*http.Response, error) {
		return h.record(r, status, body), nil
	})
}

// onSeq answers service/method with the bodies in turn (the last one
// repeats).
func (h *harness) onSeq(service, method string, answers ...answer) {
	n := 0
	var mu sync.Mutex
	h.mock.RegisterResponder(http.MethodPost, base+"."+service+"/"+method, func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		a := answers[min(n, len(answers)-1)]
		n++
		mu.Unlock()
		return h.record(r, a.status, a.body), nil
	})
}

type answer struct {
	status int
	body   string
}

// only returns the only request recorded, checking the RPC shape and the
// key it carried.
func (h *harness) only(t *testing.T, key string) captured {
	t.Helper()
	reqs := h.Requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	require.Equal(t, http.MethodPost, r.Method)
	require.Equal(t, "application/json", r.Header.Get("Content-Type"))
	require.Equal(t, "Bearer "+key, r.Header.Get("Authorization"))
	require.Contains(t, r.Header.Get("User-Agent"), "partnerkit-go/")
	return r
}

// jsonResponse replaces resp's body with body.
func jsonResponse(resp *http.Response, body string) *http.Response {
	resp.Body = io.NopCloser(strings.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp
}

func jsonUnmarshal(s string, v any) error {
	return json.Unmarshal([]byte(s), v)
}
