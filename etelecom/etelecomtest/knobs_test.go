package etelecomtest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go/etelecom/etelecomtest"
	"github.com/partnerkit/partnerkit-go/internal/fakekit/fakekittest"
)

// TestSharedKnobs runs the checks every fake passes on Misc/CurrentAccount.
func TestSharedKnobs(t *testing.T) {
	t.Parallel()
	account := func(key string) func() *http.Request {
		return func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, etelecomtest.BasePath+".Misc/CurrentAccount", strings.NewReader("{}"))
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Authorization", "Bearer "+key)
			return r
		}
	}
	fakekittest.Run(t, fakekittest.Subject{
		New: func(now func() time.Time) fakekittest.Fake {
			if now == nil {
				return etelecomtest.New()
			}
			return etelecomtest.New(etelecomtest.WithClock(now))
		},
		Route:   "Misc/CurrentAccount",
		Routes:  etelecomtest.Routes,
		Request: account(etelecomtest.APIKey),
		Refused: account("wrong"),
	})
}

// TestFailNextQueuesWithFailNextCodeBeforeTwirpsRouting: failures of both
// knobs queue in the order given, each answered twice, before the checks
// Twirp's router makes (a GET is bad_route otherwise), on the SMS API and
// the login page too.
func TestFailNextQueuesWithFailNextCodeBeforeTwirpsRouting(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fake.FailNext(2, http.StatusServiceUnavailable)
	e.fake.FailNextCode(2, "deadline_exceeded")
	for _, want := range []struct {
		status int
		body   string
	}{
		{503, `{"code":"unavailable","msg":"failure injected by the fake"}`},
		{503, `{"code":"unavailable","msg":"failure injected by the fake"}`},
		{408, `{"code":"deadline_exceeded","msg":"failure injected by the fake"}`},
		{408, `{"code":"deadline_exceeded","msg":"failure injected by the fake"}`},
	} {
		resp := send(t, e, http.MethodGet, etelecomtest.BasePath+".Misc/CurrentAccount", "", etelecomtest.APIKey, "")
		require.Equal(t, want.status, resp.status)
		require.JSONEq(t, want.body, resp.body)
	}
	resp := send(t, e, http.MethodGet, etelecomtest.BasePath+".Misc/CurrentAccount", "", etelecomtest.APIKey, "")
	require.Equal(t, 404, resp.status, "then Twirp's answer to a GET")
	require.Contains(t, resp.body, "bad_route")

	e.fake.FailNext(2, http.StatusBadGateway)
	for _, path := range []string{etelecomtest.SMSSendPath, etelecomtest.LoginPath} {
		resp := send(t, e, http.MethodGet, path, "", "", "")
		require.Equal(t, 502, resp.status, path)
		require.Equal(t, "failure injected by the fake\n", resp.body, path)
	}
	require.Equal(t, 5, e.fake.Requests("Misc/CurrentAccount"))
	require.Equal(t, 1, e.fake.Requests("GET "+etelecomtest.LoginPath))
	require.Zero(t, e.fake.Requests("POST "+etelecomtest.SMSSendPath), "a GET is no route of the SMS API")
	require.Equal(t, 7, e.fake.Requests(""))
}
