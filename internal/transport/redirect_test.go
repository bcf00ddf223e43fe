package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
)

// redirectTo answers with status and a Location, a request ID and a body.
func redirectTo(status int, location string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, `{"moved":"see `+location+`"}`)
		resp.Header.Set("Location", location)
		resp.Header.Set("X-Request-Id", "req-307")
		return resp, nil
	}
}

// landing records what reached a redirect's target and answers 200.
type landing struct {
	calls  int
	key    string
	method string
	body   string
}

func (l *landing) responder(r *http.Request) (*http.Response, error) {
	l.calls++
	l.key = r.Header.Get("X-API-Key")
	l.method = r.Method
	if r.Body != nil {
		b, _ := io.ReadAll(r.Body)
		l.body = string(b)
	}
	return jsonResponder(200, `{}`)(r)
}

// requireRefusedRedirect checks that err reports a refused redirect with status.
func requireRefusedRedirect(t *testing.T, err error, status int, parts ...string) *partnerkit.Error {
	t.Helper()
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.ErrorIs(t, err, partnerkit.ErrUnexpected)
	require.NotErrorIs(t, err, partnerkit.ErrNoResponse)
	require.Equal(t, status, apiErr.StatusCode)
	require.Equal(t, "req-307", apiErr.RequestID)
	require.NotEmpty(t, apiErr.Body)
	require.Contains(t, apiErr.Message, "refused")
	for _, p := range parts {
		require.Contains(t, apiErr.Message, p)
	}
	return apiErr
}

func TestACrossHostRedirectOfABodyIsRefused(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		for _, safety := range []Safety{NotIdempotent, Idempotent} {
			f := newFixture(t, Spec{})
			f.mock.RegisterResponder(http.MethodPost, testBase+"/login", redirectTo(status, "https://elsewhere.test/collect?token=tok-123&x=1"))
			var other landing
			f.mock.RegisterResponder(http.MethodPost, "https://elsewhere.test/collect", other.responder)

			err := f.client.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/login", Safety: safety,
				Body: map[string]string{"email": "a@example.com", "password": "hunter2-pw"}}, nil)

			apiErr := requireRefusedRedirect(t, err, status, "redirect to elsewhere.test refused", "body",
				"Location: https://elsewhere.test/collect?token=[REDACTED]&x=1")
			require.NotContains(t, err.Error(), "tok-123")
			require.NotContains(t, string(apiErr.Body), "tok-123")
			require.Zero(t, other.calls, "the body, and its password, never reached the other host")
			require.Equal(t, 1, f.mock.GetCallCountInfo()["POST "+testBase+"/login"], "a refused redirect is not retried")
		}
	}
}

func TestARedirectToPlainHTTPIsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{})
	f.mock.RegisterResponder(http.MethodGet, testBase+"/r", redirectTo(http.StatusFound, "http://api.example.test/v1/r"))
	var plain landing
	f.mock.RegisterResponder(http.MethodGet, "http://api.example.test/v1/r", plain.responder)

	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil)

	requireRefusedRedirect(t, err, http.StatusFound, "redirect to api.example.test refused", "plain http", "RedirectToPlainHTTP")
	require.Zero(t, plain.calls, "the key never travelled in clear")
}

func TestARedirectThatWouldTurnAPostIntoAGetIsRefused(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther} {
		f := newFixture(t, Spec{}, allowEveryRedirect())
		f.mock.RegisterResponder(http.MethodPost, testBase+"/rpc/Send", redirectTo(status, testBase+"/rpc/v2/Send"))
		var moved landing
		f.mock.RegisterResponder(http.MethodGet, testBase+"/rpc/v2/Send", moved.responder)
		f.mock.RegisterResponder(http.MethodPost, testBase+"/rpc/v2/Send", moved.responder)

		err := f.client.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/rpc/Send", Body: map[string]string{"to": "84900000000"}}, nil)

		requireRefusedRedirect(t, err, status, "turn the POST into a GET without its body")
		require.Zero(t, moved.calls)
	}
	f := newFixture(t, Spec{})
	f.mock.RegisterResponder(http.MethodDelete, testBase+"/items/1", redirectTo(http.StatusMovedPermanently, testBase+"/v2/items/1"))
	err := f.client.Do(context.Background(), &Request{Method: http.MethodDelete, Path: "/items/1"}, nil)
	requireRefusedRedirect(t, err, http.StatusMovedPermanently, "turn the DELETE into a GET")
}

// allowEveryRedirect allows every redirect an option can allow.
func allowEveryRedirect() partnerkit.Option {
	return partnerkit.WithRedirects(partnerkit.RedirectToOtherHosts, partnerkit.RedirectToPlainHTTP, partnerkit.RedirectWithBody)
}

func TestASameHostRedirectOfAGetIsFollowed(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{})
	f.mock.RegisterResponder(http.MethodGet, testBase+"/old", redirectTo(http.StatusMovedPermanently, "/v1/new"))
	var moved landing
	f.mock.RegisterResponder(http.MethodGet, testBase+"/new", moved.responder)
	require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/old"}, nil))
	require.Equal(t, 1, moved.calls)
	require.Equal(t, testKey, moved.key, "the key follows a redirect on its own host")

	f.mock.RegisterResponder(http.MethodPut, testBase+"/put", redirectTo(http.StatusTemporaryRedirect, testBase+"/put2"))
	var put landing
	f.mock.RegisterResponder(http.MethodPut, testBase+"/put2", put.responder)
	require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodPut, Path: "/put"}, nil))
	require.Equal(t, http.MethodPut, put.method, "a 307 of a request without a body keeps its method")
}

func TestARedirectFromHTTPToHTTPSOnTheSameHostIsFollowed(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{BaseURL: "http://localhost/v1"})
	f.mock.RegisterResponder(http.MethodGet, "http://localhost/v1/r", redirectTo(http.StatusMovedPermanently, "https://localhost/v1/r"))
	var secure landing
	f.mock.RegisterResponder(http.MethodGet, "https://localhost/v1/r", secure.responder)
	require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil))
	require.Equal(t, testKey, secure.key)
}

func TestRedirectsAllowedByTheCallerAreFollowedWithoutCredentials(t *testing.T) {
	t.Parallel()
	t.Run("another host", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, Spec{}, partnerkit.WithRedirects(partnerkit.RedirectToOtherHosts))
		f.mock.RegisterResponder(http.MethodGet, testBase+"/moved", redirectTo(http.StatusFound, "https://elsewhere.test/landing"))
		var other landing
		f.mock.RegisterResponder(http.MethodGet, "https://elsewhere.test/landing", other.responder)
		require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/moved"}, nil))
		require.Equal(t, 1, other.calls)
		require.Empty(t, other.key, "the key stays with its host")

		f.mock.RegisterResponder(http.MethodPost, testBase+"/post", redirectTo(http.StatusTemporaryRedirect, "https://elsewhere.test/post"))
		err := f.client.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/post", Body: map[string]string{"a": "b"}}, nil)
		requireRefusedRedirect(t, err, http.StatusTemporaryRedirect, "RedirectWithBody")
	})
	t.Run("another host with the body", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, Spec{}, partnerkit.WithRedirects(partnerkit.RedirectToOtherHosts, partnerkit.RedirectWithBody))
		f.mock.RegisterResponder(http.MethodPost, testBase+"/post", redirectTo(http.StatusPermanentRedirect, "https://elsewhere.test/post"))
		var other landing
		f.mock.RegisterResponder(http.MethodPost, "https://elsewhere.test/post", other.responder)
		require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/post", Body: map[string]string{"a": "b"}}, nil))
		require.Equal(t, `{"a":"b"}`, other.body)
		require.Empty(t, other.key)
	})
	t.Run("the same host with the body", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, Spec{}, partnerkit.WithRedirects(partnerkit.RedirectWithBody))
		f.mock.RegisterResponder(http.MethodPost, testBase+"/post", redirectTo(http.StatusTemporaryRedirect, testBase+"/post2"))
		var moved landing
		f.mock.RegisterResponder(http.MethodPost, testBase+"/post2", moved.responder)
		require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/post", Body: map[string]string{"a": "b"}}, nil))
		require.Equal(t, `{"a":"b"}`, moved.body)
		require.Equal(t, testKey, moved.key)
	})
	t.Run("plain http", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, Spec{Auth: &customAuth{header: "X-Gateway", value: "gw-credential"}}, partnerkit.WithRedirects(partnerkit.RedirectToPlainHTTP))
		f.mock.RegisterResponder(http.MethodGet, testBase+"/r", redirectTo(http.StatusFound, "http://api.example.test/v1/r"))
		var plain landing
		var gateway string
		f.mock.RegisterResponder(http.MethodGet, "http://api.example.test/v1/r", func(r *http.Request) (*http.Response, error) {
			gateway = r.Header.Get("X-Gateway")
			return plain.responder(r)
		})
		require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil))
		require.Equal(t, 1, plain.calls)
		require.Empty(t, gateway, "a credential header the Auth set, whatever its name, is not sent in clear")
	})
}

func TestWithoutRedirectsFollowsNone(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{}, partnerkit.WithoutRedirects())
	f.mock.RegisterResponder(http.MethodGet, testBase+"/old", redirectTo(http.StatusMovedPermanently, testBase+"/new"))
	var moved landing
	f.mock.RegisterResponder(http.MethodGet, testBase+"/new", moved.responder)
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/old"}, nil)
	requireRefusedRedirect(t, err, http.StatusMovedPermanently, "follows no redirect")
	require.Zero(t, moved.calls)
}

func TestALoopOfRedirectsEndsAsAnError(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{})
	f.mock.RegisterResponder(http.MethodGet, testBase+"/loop", redirectTo(http.StatusFound, testBase+"/loop"))
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/loop"}, nil)
	requireRefusedRedirect(t, err, http.StatusFound, "at most 10 redirects")
	require.Equal(t, maxRedirects, f.mock.GetTotalCallCount())
}

func TestTheCallersRedirectPolicyStillApplies(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	stop := errors.New("caller says no")
	hc := &http.Client{Transport: mock, CheckRedirect: func(*http.Request, []*http.Request) error { return stop }}
	c, err := New(Spec{Provider: "test", BaseURL: testBase}, mustConfig(t, partnerkit.WithHTTPClient(hc), partnerkit.WithMaxRetries(0)))
	require.NoError(t, err)
	mock.RegisterResponder(http.MethodGet, testBase+"/old", redirectTo(http.StatusMovedPermanently, testBase+"/new"))
	err = c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/old"}, nil)
	require.ErrorIs(t, err, stop)
	require.Equal(t, 1, mock.GetTotalCallCount())
}

// customAuth sets one header whose name says nothing of a credential.
type customAuth struct{ header, value string }

func (a *customAuth) Apply(_ context.Context, h http.Header) (string, error) {
	h.Set(a.header, a.value)
	return a.value, nil
}

func (a *customAuth) Identity() string { return Identity(a.value) }
