package transport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/config"
)

func TestDoSendsTheRequestAndDecodesTheAnswer(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{}, partnerkit.WithHeader("X-Trace", "t-1"), partnerkit.WithUserAgentSuffix("acme/2"))
	var seen *http.Request
	var seenBody []byte
	f.mock.RegisterResponder(http.MethodPost, testBase+"/bookings", func(r *http.Request) (*http.Response, error) {
		seen = r
		seenBody, _ = io.ReadAll(r.Body)
		return jsonResponder(201, `{"id":7,"state":"CONFIRMED"}`)(r)
	})
	var out struct {
		ID    int    `json:"id"`
		State string `json:"state"`
	}
	err := f.client.Do(context.Background(), &Request{
		Method: http.MethodPost,
		Path:   "/bookings",
		Query:  url.Values{"team_ids": {"[1,2]"}},
		Header: http.Header{"X-Request-Tag": {"r-9"}},
		Body:   map[string]any{"listing_id": 123, "guest_number": 2},
	}, &out)
	require.NoError(t, err)
	require.Equal(t, 7, out.ID)
	require.Equal(t, "CONFIRMED", out.State)

	require.Equal(t, "[1,2]", seen.URL.Query().Get("team_ids"))
	require.Equal(t, testKey, seen.Header.Get("X-API-Key"))
	require.Equal(t, "application/json", seen.Header.Get("Content-Type"))
	require.Equal(t, "application/json", seen.Header.Get("Accept"))
	require.Equal(t, "partnerkit-go/"+partnerkit.Version+" (test) acme/2", seen.Header.Get("User-Agent"))
	require.Equal(t, "t-1", seen.Header.Get("X-Trace"))
	require.Equal(t, "r-9", seen.Header.Get("X-Request-Tag"))
	require.JSONEq(t, `{"listing_id":123,"guest_number":2}`, string(seenBody))
}

func TestGetHasNoBodyOrContentType(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{})
	f.mock.RegisterResponder(http.MethodGet, testBase+"/listings", func(r *http.Request) (*http.Response, error) {
		if r.Body != nil && r.Body != http.NoBody || r.Header.Get("Content-Type") != "" {
			return httpmock.NewStringResponse(500, "unexpected body"), nil
		}
		return jsonResponder(200, `{"items":[]}`)(r)
	})
	require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/listings"}, nil))
}

func TestAbsoluteURLAndRawBody(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{})
	f.mock.RegisterResponder(http.MethodPost, "https://sms.example.test/api/Send", func(r *http.Request) (*http.Response, error) {
		body, _ := io.ReadAll(r.Body)
		require.Equal(t, `{"a":1}`, string(body))
		require.Equal(t, "2", r.URL.Query().Get("page"))
		require.Equal(t, "x", r.URL.Query().Get("q"))
		return jsonResponder(200, `{}`)(r)
	})
	err := f.client.Do(context.Background(), &Request{
		Method: http.MethodPost, URL: "https://sms.example.test/api/Send?page=2",
		Query: url.Values{"q": {"x"}}, Body: json.RawMessage(`{"a":1}`),
	}, nil)
	require.NoError(t, err)
}

func TestErrorAnswersBecomeTypedErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{}, partnerkit.WithMaxRetries(0))
	f.mock.RegisterResponder(http.MethodGet, testBase+"/listings/9", jsonResponder(404,
		`{"code":"LISTING_NOT_FOUND","message":"Listing 9 not found"}`, "X-Request-Id", "req-42"))
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/listings/9"}, nil)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.ErrorIs(t, err, partnerkit.ErrNotFound)
	require.NotErrorIs(t, err, partnerkit.ErrNoResponse)
	require.Equal(t, "test", apiErr.Provider)
	require.Equal(t, 404, apiErr.StatusCode)
	require.Equal(t, "LISTING_NOT_FOUND", apiErr.Code)
	require.Equal(t, "Listing 9 not found", apiErr.Message)
	require.Equal(t, "req-42", apiErr.RequestID)
	require.Equal(t, "GET", apiErr.Method)
	require.Equal(t, "/listings/9", apiErr.Path)
	require.JSONEq(t, `{"code":"LISTING_NOT_FOUND","message":"Listing 9 not found"}`, string(apiErr.Body))
}

func TestUndecodableSuccessIsAnError(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{})
	f.mock.RegisterResponder(http.MethodGet, testBase+"/x", jsonResponder(200, `<html>maintenance</html>`))
	var out struct{ ID int }
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/x"}, &out)
	require.ErrorIs(t, err, partnerkit.ErrUnexpected)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, 200, apiErr.StatusCode)
	require.Equal(t, "<html>maintenance</html>", string(apiErr.Body))
}

// envelopeFailure reads {"success","error_code"} bodies under a success
// status, as Spec.Failure.
func envelopeFailure(r *Response) *partnerkit.Error {
	var body struct {
		Success string `json:"success"`
		Code    string `json:"error_code"`
	}
	if json.Unmarshal(r.Body, &body) != nil || body.Success == "" || body.Success == "1" {
		return nil
	}
	e := &partnerkit.Error{Code: body.Code, Kind: partnerkit.ErrInvalidRequest}
	if body.Code == "RATE_LIMIT_EXCEEDED" {
		e.Kind = partnerkit.ErrRateLimited
	}
	return e
}

func TestAFailureEnvelopeIsAnError(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{Failure: envelopeFailure})
	f.mock.RegisterResponder(http.MethodGet, testBase+"/env", jsonResponder(200, `{"success":"0","error_code":"INVALID_INPUT"}`, "X-Request-Id", "env-1"))
	var out struct{ Success string }
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/env"}, &out)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)
	require.Equal(t, 200, apiErr.StatusCode)
	require.Equal(t, "INVALID_INPUT", apiErr.Code)
	require.Equal(t, "/env", apiErr.Path)
	require.Equal(t, "env-1", apiErr.RequestID)
	require.Empty(t, out.Success, "a failure is not decoded into the answer")
	require.Equal(t, 1, f.mock.GetTotalCallCount(), "a final failure is not retried")
}

func TestARateLimitEnvelopeIsWaitedOutLikeA429(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{Failure: envelopeFailure})
	f.mock.RegisterResponder(http.MethodPost, testBase+"/contacts", sequence(
		jsonResponder(200, `{"success":"0","error_code":"RATE_LIMIT_EXCEEDED"}`, "Retry-After", "3"),
		jsonResponder(200, `{"success":"1"}`),
	))
	err := f.client.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/contacts", Body: map[string]string{"a": "b"}}, nil)
	require.NoError(t, err)
	require.Equal(t, 2, f.mock.GetTotalCallCount(), "even a create is retried: the server did not act")
	require.Equal(t, []time.Duration{3 * time.Second}, f.clock.Sleeps(), "the wait the answer asked for, through the limiter's gate")
}

func TestExpectReportsABrokenContract(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{})
	f.mock.RegisterResponder(http.MethodPost, testBase+"/token", jsonResponder(200, `{"other":1}`, "X-Request-Id", "tok-9"))
	var out struct {
		Token string `json:"token"`
	}
	err := f.client.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/token", Expect: func() string {
		if out.Token == "" {
			return "the answer has no token"
		}
		return ""
	}}, &out)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.ErrorIs(t, err, partnerkit.ErrUnexpected)
	require.Equal(t, "the answer has no token", apiErr.Message)
	require.Equal(t, "tok-9", apiErr.RequestID)
	require.Equal(t, 200, apiErr.StatusCode)
	require.JSONEq(t, `{"other":1}`, string(apiErr.Body))
	require.Equal(t, "test", apiErr.Provider)
}

func TestPathTemplates(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{Quotas: []partnerkit.Quota{{Route: "DELETE /customers/{id}/teams/{team_id}", Limit: 1, Per: time.Minute}}})
	var paths []string
	f.mock.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		paths = append(paths, r.URL.EscapedPath())
		return jsonResponder(200, `{}`)(r)
	})
	for _, id := range []string{"7", "a b/c"} {
		err := f.client.Do(context.Background(), &Request{Method: http.MethodDelete, Path: "/customers/{id}/teams/{team_id}", PathParams: []string{id, "3"}}, nil)
		require.NoError(t, err)
	}
	require.Equal(t, []string{"/v1/customers/7/teams/3", "/v1/customers/a%20b%2Fc/teams/3"}, paths)
	require.Equal(t, []time.Duration{time.Minute + time.Second}, f.clock.Sleeps(), "both IDs count against the one route's quota (a minute and its margin)")

	for _, params := range [][]string{nil, {"7"}, {"7", "3", "9"}, {"..", "3"}, {"", "3"}} {
		err := f.client.Do(context.Background(), &Request{Method: http.MethodDelete, Path: "/customers/{id}/teams/{team_id}", PathParams: params}, nil)
		require.ErrorIs(t, err, errBadPathParam, "%q", params)
	}
	require.Len(t, paths, 2, "a bad template sends nothing")
}

func TestRetryAfterIsOnlyWhatTheServerAsked(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{}, partnerkit.WithMaxRetries(1))
	f.mock.RegisterResponder(http.MethodGet, testBase+"/r", jsonResponder(503, `{}`))
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Len(t, f.clock.Sleeps(), 1, "one backoff")
	require.Zero(t, apiErr.RetryAfter, "the client's own backoff is not the provider's Retry-After")
}

func TestMaxWaitZeroRefusesEveryServerWait(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{}, partnerkit.WithMaxWait(0))
	f.mock.RegisterResponder(http.MethodGet, testBase+"/r", jsonResponder(429, `{}`, "Retry-After", "1"))
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.ErrorIs(t, err, partnerkit.ErrRateLimited)
	require.Equal(t, time.Second, apiErr.RetryAfter)
	require.Equal(t, 1, f.mock.GetTotalCallCount())
	require.Empty(t, f.clock.Sleeps())
}

// TestRetryMatrix checks the one retry rule: status × method × idempotency.
func TestRetryMatrix(t *testing.T) {
	t.Parallel()
	const retries = 2
	methods := []struct {
		name   string
		method string
		safety Safety
		idem   bool
	}{
		{"GET", http.MethodGet, ByMethod, true},
		{"PUT", http.MethodPut, ByMethod, true},
		{"DELETE", http.MethodDelete, ByMethod, true},
		{"POST", http.MethodPost, ByMethod, false},
		{"PATCH", http.MethodPatch, ByMethod, false},
		{"POST marked idempotent", http.MethodPost, Idempotent, true},
		{"GET marked not idempotent", http.MethodGet, NotIdempotent, false},
	}
	statuses := []struct {
		status      int
		retriedIdem bool
		retriedNon  bool
	}{
		{429, true, true},
		{502, true, false},
		{503, true, false},
		{504, true, false},
		{500, false, false},
		{400, false, false},
		{404, false, false},
		{409, false, false},
	}
	for _, m := range methods {
		for _, s := range statuses {
			t.Run(fmt.Sprintf("%s/%d", m.name, s.status), func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, Spec{}, partnerkit.WithMaxRetries(retries), partnerkit.WithoutRateLimit())
				f.mock.RegisterResponder(m.method, testBase+"/r", jsonResponder(s.status, `{"code":"X"}`))
				err := f.client.Do(context.Background(), &Request{Method: m.method, Path: "/r", Safety: m.safety}, nil)
				require.ErrorIs(t, err, partnerkit.KindForStatus(s.status))
				retried := s.retriedNon || (m.idem && s.retriedIdem)
				want := 1
				if retried {
					want = 1 + retries
				}
				require.Equal(t, want, f.mock.GetTotalCallCount())
			})
		}
	}
}

func TestBackoffIsFullJitterExponential(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{}, partnerkit.WithMaxRetries(4), partnerkit.WithRetryBackoff(time.Second, 5*time.Second))
	f.mock.RegisterResponder(http.MethodGet, testBase+"/r", sequence(
		jsonResponder(503, `{}`), jsonResponder(503, `{}`), jsonResponder(503, `{}`), jsonResponder(503, `{}`), jsonResponder(200, `{}`)))
	require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil))
	// random is 0.5: half of 1s, 2s, 4s, then the 5s cap.
	require.Equal(t, []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 2500 * time.Millisecond}, f.clock.Sleeps())
	require.Equal(t, 5, f.mock.GetTotalCallCount())
}

func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	p := Policy{BaseWait: 500 * time.Millisecond, MaxBackoff: 20 * time.Second}
	require.Equal(t, time.Duration(0), Backoff(p, 1, 0))
	require.Equal(t, 250*time.Millisecond, Backoff(p, 1, 0.5))
	require.Equal(t, time.Second, Backoff(p, 3, 0.5))
	require.Equal(t, 10*time.Second, Backoff(p, 7, 0.5), "capped")
	require.Equal(t, 10*time.Second, Backoff(p, 500, 0.5), "no overflow")
}

func TestServerWaits(t *testing.T) {
	t.Parallel()
	date := epoch.Add(7 * time.Second).Format(http.TimeFormat)
	tests := []struct {
		name   string
		status int
		body   string
		header []string
		want   time.Duration
	}{
		{"Retry-After seconds", 429, `{}`, []string{"Retry-After", "3"}, 3 * time.Second},
		{"Retry-After date", 503, `{}`, []string{"Retry-After", date}, 7 * time.Second},
		{"X-RateLimit-Reset on 429", 429, `{}`, []string{"X-RateLimit-Reset", fmt.Sprint(epoch.Add(4 * time.Second).Unix())}, 4 * time.Second},
		{"body hint", 429, `{"retry_after":6}`, nil, 6 * time.Second},
		{"Retry-After wins over the body", 429, `{"retry_after":6}`, []string{"Retry-After", "2"}, 2 * time.Second},
		{"nothing: backoff", 429, `{}`, nil, 250 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, Spec{}, partnerkit.WithRetryBackoff(500*time.Millisecond, 10*time.Second), partnerkit.WithoutRateLimit())
			f.mock.RegisterResponder(http.MethodGet, testBase+"/r", sequence(jsonResponder(tt.status, tt.body, tt.header...), jsonResponder(200, `{}`)))
			require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil))
			require.Equal(t, []time.Duration{tt.want}, f.clock.Sleeps())
			require.Equal(t, 2, f.mock.GetTotalCallCount())
		})
	}
}

func TestAWaitLongerThanTheCapFailsAtOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{}, partnerkit.WithMaxWait(time.Minute))
	f.mock.RegisterResponder(http.MethodGet, testBase+"/r", jsonResponder(429, `{"code":"RATE_LIMIT_EXCEEDED"}`, "Retry-After", "3600"))
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.ErrorIs(t, err, partnerkit.ErrRateLimited)
	require.Equal(t, time.Hour, apiErr.RetryAfter)
	require.Equal(t, "RATE_LIMIT_EXCEEDED", apiErr.Code)
	require.Equal(t, 1, f.mock.GetTotalCallCount())
	require.Empty(t, f.clock.Sleeps())
}

func TestAWaitPastTheDeadlineFailsAtOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{})
	f.mock.RegisterResponder(http.MethodGet, testBase+"/r", jsonResponder(429, `{}`, "Retry-After", "30"))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := f.client.Do(ctx, &Request{Method: http.MethodGet, Path: "/r"}, nil)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.ErrorIs(t, err, partnerkit.ErrRateLimited)
	require.Equal(t, 30*time.Second, apiErr.RetryAfter)
	require.Equal(t, 1, f.mock.GetTotalCallCount())
	require.Empty(t, f.clock.Sleeps())
}

func TestCancellationDuringAWait(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{})
	manual := newManualClient(t, f)
	f.mock.RegisterResponder(http.MethodGet, testBase+"/r", jsonResponder(503, `{}`, "Retry-After", "60"))
	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan error, 1)
	go func() { result <- manual.client.Do(ctx, &Request{Method: http.MethodGet, Path: "/r"}, nil) }()
	manual.clock.WaitForSleepers(1)
	cancel()
	err := <-result
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, 1, f.mock.GetTotalCallCount())
}

type errorCase struct {
	name string
	err  error
}

func transportErrors() (dial, reset errorCase) {
	dial = errorCase{"connection refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	reset = errorCase{"connection reset", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}}
	return dial, reset
}

func TestTransportErrorsAreRetriedOnlyWhenSafe(t *testing.T) {
	t.Parallel()
	dial, reset := transportErrors()
	tests := []struct {
		errorCase
		method string
		calls  int
	}{
		{dial, http.MethodPost, 3},
		{dial, http.MethodGet, 3},
		{reset, http.MethodGet, 3},
		{reset, http.MethodPost, 1},
		{errorCase{"unexpected EOF", io.ErrUnexpectedEOF}, http.MethodPost, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.method, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, Spec{}, partnerkit.WithMaxRetries(2))
			f.mock.RegisterResponder(tt.method, testBase+"/bookings", httpmock.NewErrorResponder(tt.err))
			err := f.client.Do(context.Background(), &Request{Method: tt.method, Path: "/bookings", Body: map[string]int{"a": 1}}, nil)
			require.ErrorIs(t, err, tt.err)
			require.ErrorIs(t, err, partnerkit.ErrNoResponse)
			require.Equal(t, tt.calls, f.mock.GetTotalCallCount())
			require.Contains(t, err.Error(), "test: "+tt.method+" /bookings: ")
			require.NotContains(t, err.Error(), "api.example.test", "the error does not repeat the URL")
		})
	}
}

func TestADialErrorThenSuccessCreatesOnce(t *testing.T) {
	t.Parallel()
	dial, _ := transportErrors()
	f := newFixture(t, Spec{})
	f.mock.RegisterResponder(http.MethodPost, testBase+"/bookings", sequence(httpmock.NewErrorResponder(dial.err), jsonResponder(201, `{"id":1}`)))
	require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/bookings", Body: map[string]int{"a": 1}}, nil))
	require.Equal(t, 2, f.mock.GetTotalCallCount())
}

func TestPerAttemptTimeout(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{}, partnerkit.WithTimeout(20*time.Millisecond), partnerkit.WithMaxRetries(1))
	f.mock.RegisterResponder(http.MethodPost, testBase+"/slow", func(r *http.Request) (*http.Response, error) {
		<-r.Context().Done()
		return nil, r.Context().Err()
	})
	err := f.client.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/slow"}, nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorIs(t, err, partnerkit.ErrNoResponse)
	var timeout interface{ Timeout() bool }
	require.ErrorAs(t, err, &timeout)
	require.True(t, timeout.Timeout())
	require.Equal(t, 1, f.mock.GetTotalCallCount(), "a create that timed out is not sent again")
}

func TestResponseSizeCap(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{}, partnerkit.WithMaxResponseBytes(1024))
	big := `{"items":"` + strings.Repeat("x", 4096) + `"}`
	f.mock.RegisterResponder(http.MethodGet, testBase+"/big", jsonResponder(200, big))
	f.mock.RegisterResponder(http.MethodGet, testBase+"/small", jsonResponder(200, `{"items":"ok"}`))
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/big"}, nil)
	require.ErrorIs(t, err, partnerkit.ErrResponseTooLarge)
	require.NotErrorIs(t, err, partnerkit.ErrNoResponse, "the answer arrived")
	require.Equal(t, 1, f.mock.GetCallCountInfo()["GET "+testBase+"/big"])
	require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/small"}, nil))
}

func TestA429FeedsTheSharedGate(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{}, partnerkit.WithMaxRetries(0))
	f.mock.RegisterResponder(http.MethodGet, testBase+"/a", jsonResponder(429, `{}`, "Retry-After", "9"))
	f.mock.RegisterResponder(http.MethodGet, testBase+"/b", jsonResponder(200, `{}`))
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/a"}, nil)
	require.ErrorIs(t, err, partnerkit.ErrRateLimited)
	require.Empty(t, f.clock.Sleeps())
	require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/b"}, nil))
	require.Equal(t, []time.Duration{9 * time.Second}, f.clock.Sleeps(), "the other route waited for the gate")
}

func TestBodyHintFeedsTheSharedGate(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{}, partnerkit.WithMaxRetries(0))
	f.mock.RegisterResponder(http.MethodGet, testBase+"/a", jsonResponder(429, `{"retry_after":4}`))
	f.mock.RegisterResponder(http.MethodGet, testBase+"/b", jsonResponder(200, `{}`))
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/a"}, nil)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, 4*time.Second, apiErr.RetryAfter)
	require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/b"}, nil))
	require.Equal(t, []time.Duration{4 * time.Second}, f.clock.Sleeps())
}

func TestStaticQuotaAndOverride(t *testing.T) {
	t.Parallel()
	spec := Spec{Quotas: []partnerkit.Quota{{Limit: 2, Per: time.Minute}}}
	f := newFixture(t, spec)
	f.mock.RegisterResponder(http.MethodGet, testBase+"/r", jsonResponder(200, `{}`))
	for range 3 {
		require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil))
	}
	require.Equal(t, []time.Duration{time.Minute + time.Second}, f.clock.Sleeps(), "a minute and its margin")

	g := newFixture(t, spec, partnerkit.WithRateLimit(3, time.Second))
	g.mock.RegisterResponder(http.MethodGet, testBase+"/r", jsonResponder(200, `{}`))
	for range 4 {
		require.NoError(t, g.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil))
	}
	require.Equal(t, []time.Duration{time.Second + 20*time.Millisecond}, g.clock.Sleeps(), "a second and its margin")

	h := newFixture(t, spec, partnerkit.WithoutRateLimit())
	h.mock.RegisterResponder(http.MethodGet, testBase+"/r", jsonResponder(200, `{}`, "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "30"))
	for range 4 {
		require.NoError(t, h.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil))
	}
	require.Empty(t, h.clock.Sleeps())
}

func TestNewRejectsABadBaseURL(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"api.example.test", "ftp://x", "http://", "::"} {
		_, err := New(Spec{Provider: "test", BaseURL: base}, mustConfig(t))
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput, base)
	}
}

func TestPlainHTTPIsOnlyForLoopbackUnlessAllowed(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"http://127.0.0.1:8080/api", "http://localhost/x", "http://[::1]:9/", "https://api.example.test"} {
		_, err := New(Spec{Provider: "test", BaseURL: base}, mustConfig(t))
		require.NoError(t, err, base)
	}
	_, err := New(Spec{Provider: "test", BaseURL: "http://api.cohost.vn/api/v1/external"}, mustConfig(t))
	var v *partnerkit.ValidationError
	require.ErrorAs(t, err, &v)
	require.Equal(t, "partnerkit.WithBaseURL", v.Field)
	require.Contains(t, v.Rule, "WithInsecureHTTP")
	_, err = New(Spec{Provider: "test", BaseURL: "http://gateway.internal/api"}, mustConfig(t, partnerkit.WithInsecureHTTP()))
	require.NoError(t, err)
}

func TestConfigureRefusesBadOptionsAndOtherProvidersOptions(t *testing.T) {
	t.Parallel()
	_, err := Configure("test", nil, []partnerkit.Option{partnerkit.WithMaxRetries(-2)})
	var v *partnerkit.ValidationError
	require.ErrorAs(t, err, &v)
	require.Equal(t, "partnerkit.WithMaxRetries", v.Field)

	foreign := config.ForProvider("alohub", "alohub.WithTenantID", func(*config.Config) error { return nil })
	_, err = Configure("cohost", nil, []partnerkit.Option{foreign})
	require.ErrorAs(t, err, &v)
	require.Equal(t, "alohub.WithTenantID", v.Field)
	require.Equal(t, "is an option of alohub; a cohost client does not take it", v.Rule)
	_, err = Configure("alohub", nil, []partnerkit.Option{foreign, {}})
	require.NoError(t, err, "a provider takes its own options, and the zero Option does nothing")
}

func TestTheCallersHTTPClientIsNotModified(t *testing.T) {
	t.Parallel()
	hc := &http.Client{}
	_, err := New(Spec{Provider: "test", BaseURL: testBase}, mustConfig(t, partnerkit.WithHTTPClient(hc)))
	require.NoError(t, err)
	require.Nil(t, hc.Transport)
	require.Nil(t, hc.CheckRedirect)
	require.Nil(t, hc.Jar)
}

func TestErrorsAreWrappedForErrorsIs(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{})
	f.mock.RegisterResponder(http.MethodGet, testBase+"/r", httpmock.NewErrorResponder(errors.New("boom")))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := f.client.Do(ctx, &Request{Method: http.MethodGet, Path: "/r"}, nil)
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, 0, f.mock.GetTotalCallCount())
}

func TestRandomUsesTheInjectedSource(t *testing.T) {
	t.Parallel()
	c, err := New(Spec{Provider: "test", BaseURL: testBase}, mustConfig(t, WithRandom(func() float64 { return 0.25 })))
	require.NoError(t, err)
	require.Equal(t, 0.25, c.Random())
	d, err := New(Spec{Provider: "test", BaseURL: testBase}, mustConfig(t))
	require.NoError(t, err)
	r := d.Random()
	require.True(t, r >= 0 && r < 1)
}

func TestANegativeWaitFromTheDecoderIsIgnored(t *testing.T) {
	t.Parallel()
	overflow := func(*Response) *partnerkit.Error {
		return &partnerkit.Error{Code: "RATE_LIMIT_EXCEEDED", RetryAfter: time.Duration(-1 << 63)}
	}
	for name, tt := range map[string]struct {
		header []string
		want   time.Duration
	}{
		"no header":     {nil, 0},
		"a Retry-After": {[]string{"Retry-After", "7"}, 7 * time.Second},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, Spec{DecodeError: overflow}, partnerkit.WithMaxRetries(0))
			f.mock.RegisterResponder(http.MethodGet, testBase+"/x", jsonResponder(400, `{}`, tt.header...))
			err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/x"}, nil)
			var apiErr *partnerkit.Error
			require.ErrorAs(t, err, &apiErr)
			require.Equal(t, tt.want, apiErr.RetryAfter)
		})
	}
}

func TestSecretsEchoedInAnyErrorFieldAreRemoved(t *testing.T) {
	t.Parallel()
	echo := func(*Response) *partnerkit.Error {
		return &partnerkit.Error{
			Code:        "BAD_KEY_" + testKey,
			Message:     "key " + testKey,
			RequestID:   testKey,
			FieldErrors: map[string][]string{"api_key=" + testKey: {"is " + testKey}},
			Details:     map[string]any{"key": testKey, "list": []any{testKey, 3.0}, "nested": map[string]any{"k": "x" + testKey}},
		}
	}
	f := newFixture(t, Spec{DecodeError: echo}, partnerkit.WithMaxRetries(0))
	f.mock.RegisterResponder(http.MethodGet, testBase+"/x", jsonResponder(400, `{}`))
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/x"}, nil)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.NotContains(t, err.Error(), testKey)
	require.NotContains(t, fmt.Sprintf("%#v %v", apiErr.FieldErrors, apiErr.Details), testKey)
	require.Equal(t, "BAD_KEY_[REDACTED]", apiErr.Code)
	require.Equal(t, "[REDACTED]", apiErr.RequestID)
	require.Equal(t, []string{"is [REDACTED]"}, apiErr.FieldErrors["api_key=[REDACTED]"])
	require.Equal(t, []any{"[REDACTED]", 3.0}, apiErr.Details.(map[string]any)["list"])
}

// typedDetails stands for a provider's own details type.
type typedDetails struct {
	IDs    []partnerkit.ID
	Nested *struct{ Reason string }
	ByName map[string][]string
	Raw    json.RawMessage
	Any    any
	hidden string
}

func TestSecretsEchoedInTypedDetailsAreRemoved(t *testing.T) {
	t.Parallel()
	in := &typedDetails{
		IDs:    []partnerkit.ID{"1", partnerkit.ID(testKey)},
		Nested: &struct{ Reason string }{"bad " + testKey},
		ByName: map[string][]string{testKey: {"x" + testKey}},
		Raw:    json.RawMessage(`{"k": "` + testKey + `"}`),
		Any:    []any{testKey},
		hidden: "kept",
	}
	echo := func(*Response) *partnerkit.Error { return &partnerkit.Error{Message: "no", Details: in} }
	f := newFixture(t, Spec{DecodeError: echo}, partnerkit.WithMaxRetries(0))
	f.mock.RegisterResponder(http.MethodGet, testBase+"/x", jsonResponder(400, `{}`))
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/x"}, nil)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	got, ok := apiErr.Details.(*typedDetails)
	require.True(t, ok, "the details keep their type: %T", apiErr.Details)
	require.NotContains(t, fmt.Sprintf("%+v %+v %s", *got, *got.Nested, got.Raw), testKey)
	require.Equal(t, []partnerkit.ID{"1", "[REDACTED]"}, got.IDs)
	require.Equal(t, "bad [REDACTED]", got.Nested.Reason)
	require.Equal(t, map[string][]string{"[REDACTED]": {"x[REDACTED]"}}, got.ByName)
	require.JSONEq(t, `{"k": "[REDACTED]"}`, string(got.Raw))
	require.Equal(t, []any{"[REDACTED]"}, got.Any)
	require.Equal(t, "kept", got.hidden)
	require.Contains(t, in.Nested.Reason, testKey, "the decoder's value is copied, not changed")
}

func TestAnErrorNamesThePathAsSent(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{})
	f.mock.RegisterResponder(http.MethodGet, testBase+"/listings/a%20b/availability", jsonResponder(404, `{"code":"LISTING_NOT_FOUND"}`))
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/listings/{id}/availability", PathParams: []string{"a b"}}, nil)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, "/listings/a%20b/availability", apiErr.Path, "the path as sent, not the route's template")
}

func TestDecodeReturnsTheAnswerOrNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{})
	f.mock.RegisterResponder(http.MethodGet, testBase+"/bookings/7", jsonResponder(200, `{"id":7}`))
	f.mock.RegisterResponder(http.MethodGet, testBase+"/bookings/8", jsonResponder(404, `{"code":"NOT_FOUND"}`))
	type booking struct{ ID int }

	got, err := Decode[booking](context.Background(), f.client, &Request{Method: http.MethodGet, Path: "/bookings/7"})
	require.NoError(t, err)
	require.Equal(t, &booking{ID: 7}, got)

	got, err = Decode[booking](context.Background(), f.client, &Request{Method: http.MethodGet, Path: "/bookings/8"})
	require.ErrorIs(t, err, partnerkit.ErrNotFound)
	require.Nil(t, got)
	require.Equal(t, 2, f.mock.GetTotalCallCount())
}
