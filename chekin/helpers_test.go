package chekin_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/chekin"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/mocktest"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

const (
	base     = "https://chekin.test/api/v3"
	email    = "DonaldDuck@happycompany.com"
	password = "s3cret-Passw0rd"
)

var (
	ctx   = context.Background()
	epoch = time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
)

type harness struct {
	c     *chekin.Client
	mock  *httpmock.MockTransport
	clock *clock.Fake

	mu     sync.Mutex
	reqs   []captured // API calls
	logins []captured // POST /token/ and /token/refresh/
	issued []string   // tokens handed out, in order
}

// captured is a request as the server saw it.
type captured = mocktest.Request

// signedJWT returns a token that expires at exp.
func signedJWT(t testing.TB, exp time.Time, n int) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"email": email, "exp": exp.Unix(), "n": n}).
		SignedString([]byte("test-signing-key"))
	require.NoError(t, err)
	return s
}

// newHarness returns a client on a mock transport whose /token/ and
// /token/refresh/ hand out one-hour JWTs on the harness clock (an
// auto-advancing fake unless clk is given through withClock).
func newHarness(t *testing.T, opts ...partnerkit.Option) *harness {
	t.Helper()
	return newHarnessClock(t, clock.NewAutoFake(epoch), opts...)
}

func newHarnessClock(t *testing.T, clk *clock.Fake, opts ...partnerkit.Option) *harness {
	t.Helper()
	h := &harness{mock: httpmock.NewMockTransport(), clock: clk}
	issue := func(r *http.Request) (*http.Response, error) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.logins = append(h.logins, mocktest.Capture(r))
		tok := signedJWT(t, h.clock.Now().Add(time.Hour), len(h.issued)+1)
		h.issued = append(h.issued, tok)
		return mocktest.JSON(200, `{"token":"`+tok+`"}`), nil
	}
	h.mock.RegisterResponder(http.MethodPost, base+"/token/", issue)
	h.mock.RegisterResponder(http.MethodPost, base+"/token/refresh/", issue)
	all := append([]partnerkit.Option{
		partnerkit.WithBaseURL(base),
		partnerkit.WithHTTPClient(&http.Client{Transport: h.mock}),
		transport.WithClock(h.clock),
		transport.WithRandom(func() float64 { return 0.5 }),
	}, opts...)
	c, err := chekin.New(email, password, all...)
	require.NoError(t, err)
	h.c = c
	return h
}

// on answers method+path with status and body, recording each request.
func (h *harness) on(method, path string, status int, body string, header ...string) {
	h.mock.RegisterResponder(method, base+path, func(r *http.Request) (*http.Response, error) {
		h.mu.Lock()
		h.reqs = append(h.reqs, mocktest.Capture(r))
		h.mu.Unlock()
		return mocktest.JSON(status, body, header...), nil
	})
}

// last returns the only API request recorded, failing otherwise, and checks
// that it carried the latest token with the JWT scheme.
func (h *harness) last(t *testing.T) captured {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	require.Len(t, h.reqs, 1)
	r := h.reqs[0]
	require.NotEmpty(t, h.issued)
	require.Equal(t, "JWT "+h.issued[len(h.issued)-1], r.Header.Get("Authorization"))
	require.Contains(t, r.Header.Get("User-Agent"), "partnerkit-go/")
	return r
}

func (h *harness) loginCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.logins)
}

func ptr[T any](v T) *T { return &v }

func date(s string) partnerkit.Date {
	d, err := partnerkit.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// authHeader returns the token of a JWT Authorization header.
func authToken(t *testing.T, r captured) string {
	t.Helper()
	v := r.Header.Get("Authorization")
	require.True(t, strings.HasPrefix(v, "JWT "), "scheme JWT: %q", v)
	return strings.TrimPrefix(v, "JWT ")
}

func clockOption(c *clock.Fake) partnerkit.Option {
	return transport.WithClock(c)
}
