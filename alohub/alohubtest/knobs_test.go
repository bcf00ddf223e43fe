package alohubtest_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go/alohub/alohubtest"
	"github.com/partnerkit/partnerkit-go/internal/fakekit/fakekittest"
)

// TestSharedKnobs runs the checks every fake passes on a campaign's
// contact lists.
func TestSharedKnobs(t *testing.T) {
	t.Parallel()
	lists := func(key string) func() *http.Request {
		return func() *http.Request {
			r := httptest.NewRequest(http.MethodGet, "/v1/campaigns/"+alohubtest.CampaignID+"/contact-lists", nil)
			r.Header.Set("X-Api-Key", key)
			return r
		}
	}
	fakekittest.Run(t, fakekittest.Subject{
		New: func(now func() time.Time) fakekittest.Fake {
			if now == nil {
				return alohubtest.New()
			}
			return alohubtest.New(alohubtest.WithClock(now))
		},
		Route:   "GET /v1/campaigns/{id}/contact-lists",
		Routes:  alohubtest.Routes,
		Request: lists(alohubtest.APIKey),
		Refused: lists("sk_wrong"),
	})
}

// TestFailNextFiresBeforeTheScopeAndQueuesWithFailNextCode: a report
// call with a key that lacks the report scope gets the queued failures
// first, FailNext's then FailNextCode's, then its 403.
func TestFailNextFiresBeforeTheScopeAndQueuesWithFailNextCode(t *testing.T) {
	t.Parallel()
	s := alohubtest.New(alohubtest.WithClock(fixed))
	s.FailNext(2, http.StatusServiceUnavailable)
	s.FailNextCode(2, "RATE_LIMIT_EXCEEDED")
	key := []string{"X-Api-Key", alohubtest.CampaignOnlyKey}
	for _, want := range []struct {
		status int
		code   string
	}{{503, "FAIL"}, {503, "FAIL"}, {200, "RATE_LIMIT_EXCEEDED"}, {200, "RATE_LIMIT_EXCEEDED"}, {403, "INSUFFICIENT_SCOPE"}} {
		a := call(t, s, "POST", "/v1/reports/call-logs", "{}", key...)
		require.Equal(t, want.status, a.status)
		require.Equal(t, "0", a.body["success"])
		require.Equal(t, want.code, a.body["error_code"])
		require.Empty(t, a.header.Get("Retry-After"))
		require.Empty(t, a.header.Get(alohubtest.HeaderTenantLimit), "no window counted a failure")
	}
	a := call(t, s, "GET", "/v1/nothing", "")
	require.Equal(t, 404, a.status)
	require.Equal(t, 5, s.Requests("POST /v1/reports/call-logs"))
	require.Equal(t, 6, s.Requests(""), "the unknown path too")
}

// TestRemovingARoutesWindow: a route whose window was removed is not
// limited, not even by the window of every route; removing EachRoute's
// leaves the others unlimited.
func TestRemovingARoutesWindow(t *testing.T) {
	t.Parallel()
	s := alohubtest.New(alohubtest.WithClock(fixed))
	s.SetRateLimit("", 0, time.Second)
	s.SetRateLimit(alohubtest.EachRoute, 1, time.Minute)
	s.SetRateLimit("GET /v1/campaigns/{id}/contact-lists", 5, 0)
	for range 3 {
		a := call(t, s, "GET", "/v1/campaigns/1042/contact-lists", "")
		require.Equal(t, 200, a.status)
		require.Empty(t, a.header.Get(alohubtest.HeaderRouteLimit))
	}
	require.Equal(t, 200, call(t, s, "GET", "/v1/campaigns?userName=AloHub", "").status)
	require.Equal(t, 429, call(t, s, "GET", "/v1/campaigns?userName=AloHub", "").status, "EachRoute's window")
	s.SetRateLimit(alohubtest.EachRoute, 0, time.Minute)
	require.Equal(t, 200, call(t, s, "GET", "/v1/campaigns?userName=AloHub", "").status)
	require.Equal(t, 1, s.RateLimited())
	require.Panics(t, func() { s.SetRateLimit("GET /v1/campaign", 1, time.Second) })
}
