package chekintest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go/chekin/chekintest"
	"github.com/partnerkit/partnerkit-go/internal/fakekit/fakekittest"
)

// TestSharedKnobs runs the checks every fake passes on the login, POST
// /token/.
func TestSharedKnobs(t *testing.T) {
	t.Parallel()
	login := func(password string) func() *http.Request {
		return func() *http.Request {
			return httptest.NewRequest(http.MethodPost, "/api/v3/token/",
				strings.NewReader(`{"email":"`+chekintest.Email+`","password":"`+password+`"}`))
		}
	}
	fakekittest.Run(t, fakekittest.Subject{
		New: func(now func() time.Time) fakekittest.Fake {
			if now == nil {
				return chekintest.New()
			}
			return chekintest.New(chekintest.WithClock(now))
		},
		Route:   "POST /token/",
		Routes:  chekintest.Routes,
		Request: login(chekintest.Password),
		Refused: login("wrong"),
	})
}

// TestFailNextQueuesDRFBodies: two failures of each status, queued one
// after the other, answer CheKin's body twice each, then the request is
// served.
func TestFailNextQueuesDRFBodies(t *testing.T) {
	t.Parallel()
	fake, url := start(t)
	fake.FailNext(2, http.StatusPaymentRequired)
	fake.FailNext(2, http.StatusTooManyRequests)
	want := []struct {
		status int
		body   map[string]any
	}{
		{402, map[string]any{"detail": "No valid subscription."}},
		{402, map[string]any{"detail": "No valid subscription."}},
		{429, map[string]any{"detail": "Request was throttled. Expected available in 1 second."}},
		{429, map[string]any{"detail": "Request was throttled. Expected available in 1 second."}},
	}
	for _, w := range want {
		status, body := do(t, http.MethodGet, url+"/housings/", "", "")
		require.Equal(t, w.status, status)
		require.Equal(t, w.body, body)
	}
	status, _ := do(t, http.MethodGet, url+"/housings/", "", "")
	require.Equal(t, 401, status, "then the request's own answer: no token")
	require.Equal(t, 5, fake.Requests("GET /housings/"))
	require.Zero(t, fake.RateLimited(), "FailNext's 429 spent no throttle")
}
