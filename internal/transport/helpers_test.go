package transport

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/config"
)

const (
	testBase = "https://api.example.test/v1"
	testKey  = "sk_live_0123456789abcdef"
)

var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// testDecode reads {"code","message","retry_after"} error bodies.
func testDecode(r *Response) *partnerkit.Error {
	var body struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		RetryAfter int    `json:"retry_after"`
	}
	if json.Unmarshal(r.Body, &body) != nil {
		return nil
	}
	return &partnerkit.Error{Code: body.Code, Message: body.Message, RetryAfter: time.Duration(body.RetryAfter) * time.Second}
}

// mustConfig returns the settings opts make for a test client.
func mustConfig(t testing.TB, opts ...partnerkit.Option) *config.Config {
	t.Helper()
	cfg, err := Configure("test", nil, opts)
	require.NoError(t, err)
	return cfg
}

type fixture struct {
	client *Client
	mock   *httpmock.MockTransport
	clock  *clock.Fake
}

// newFixture returns a client whose requests go to an httpmock transport,
// whose clock moves only when it sleeps, and whose jitter is always 0.5.
func newFixture(t *testing.T, spec Spec, opts ...partnerkit.Option) *fixture {
	t.Helper()
	mock := httpmock.NewMockTransport()
	clk := clock.NewAutoFake(epoch)
	if spec.Provider == "" {
		spec.Provider = "test"
	}
	if spec.BaseURL == "" {
		spec.BaseURL = testBase
	}
	if spec.Auth == nil {
		spec.Auth = NewHeaderAuth("X-API-Key", testKey)
		spec.Secrets = append(spec.Secrets, testKey)
	}
	if spec.DecodeError == nil {
		spec.DecodeError = testDecode
	}
	all := append([]partnerkit.Option{
		partnerkit.WithHTTPClient(&http.Client{Transport: mock}),
		WithClock(clk),
		WithRandom(func() float64 { return 0.5 }),
	}, opts...)
	c, err := New(spec, mustConfig(t, all...))
	require.NoError(t, err)
	return &fixture{client: c, mock: mock, clock: clk}
}

func jsonResponder(status int, body string, header ...string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(header); i += 2 {
			resp.Header.Set(header[i], header[i+1])
		}
		return resp, nil
	}
}

// sequence answers with each responder in turn, repeating the last.
func sequence(rs ...httpmock.Responder) httpmock.Responder {
	n := 0
	return func(req *http.Request) (*http.Response, error) {
		r := rs[min(n, len(rs)-1)]
		n++
		return r(req)
	}
}

// newManualClient returns a client on f's mock whose clock moves only when
// the test advances it, so a test can act while the client waits.
func newManualClient(t *testing.T, f *fixture) *fixture {
	t.Helper()
	clk := clock.NewFake(epoch)
	c, err := New(Spec{
		Provider: "test", BaseURL: testBase, DecodeError: testDecode,
		Auth: NewHeaderAuth("X-API-Key", testKey),
	}, mustConfig(t, partnerkit.WithHTTPClient(&http.Client{Transport: f.mock}), WithClock(clk)))
	require.NoError(t, err)
	return &fixture{client: c, mock: f.mock, clock: clk}
}
