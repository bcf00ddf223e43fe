package transport

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
)

// recorder is an Observer that keeps every event.
type recorder struct {
	mu     sync.Mutex
	events []partnerkit.Event
}

func (r *recorder) Observe(_ context.Context, e partnerkit.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *recorder) all() []partnerkit.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]partnerkit.Event(nil), r.events...)
}

// TestObserverSeesWaitsRefusalsAndRetries: a 429 with a Retry-After, then
// a 503, then a success: the observer is told of each limiter wait (the
// second waits out the gate the 429 closed), the refusal, and each retry
// decision, in order, with the route's template and no credential.
func TestObserverSeesWaitsRefusalsAndRetries(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	f := newFixture(t, Spec{}, partnerkit.WithObserver(rec))
	f.mock.RegisterResponder(http.MethodGet, testBase+"/listings/7", sequence(
		jsonResponder(429, `{"code":"RATE_LIMITED","message":"slow down"}`, "Retry-After", "3"),
		jsonResponder(503, `{"code":"DOWN","message":"later"}`),
		jsonResponder(200, `{}`),
	))
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/listings/{id}", PathParams: []string{"7"}}, nil)
	require.NoError(t, err)
	const route = "GET /listings/{id}"
	backoff := Backoff(f.client.policy, 2, 0.5)
	require.Equal(t, []partnerkit.Event{
		&partnerkit.LimiterWait{Provider: "test", Route: route, Attempt: 1},
		&partnerkit.RateLimitRefusal{Provider: "test", Route: route, Attempt: 1, StatusCode: 429, Code: "RATE_LIMITED", RetryAfter: 3 * time.Second},
		&partnerkit.RetryDecision{Provider: "test", Route: route, Attempt: 1, Retry: true, Wait: 3 * time.Second, StatusCode: 429, RateLimited: true,
			Reason: "rate limited (429); waiting as the server asked"},
		&partnerkit.LimiterWait{Provider: "test", Route: route, Attempt: 2},
		&partnerkit.RetryDecision{Provider: "test", Route: route, Attempt: 2, Retry: true, Wait: backoff, StatusCode: 503,
			Reason: "transient failure (503) on an idempotent request; backing off"},
		&partnerkit.LimiterWait{Provider: "test", Route: route, Attempt: 3},
	}, rec.all())
	for _, e := range rec.all() {
		require.NotContains(t, fmt.Sprintf("%+v", e), testKey)
		require.NotContains(t, fmt.Sprintf("%+v", e), "/listings/7", "the route's template, not the address")
	}
}

// TestObserverSeesTheLimitersWait: a request the static quota holds is
// reported with the time it was held.
func TestObserverSeesTheLimitersWait(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	f := newFixture(t, Spec{}, partnerkit.WithObserver(rec), partnerkit.WithRateLimit(1, time.Second))
	f.mock.RegisterResponder(http.MethodGet, testBase+"/r", jsonResponder(200, `{}`))
	for range 2 {
		require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil))
	}
	require.Equal(t, []partnerkit.Event{
		&partnerkit.LimiterWait{Provider: "test", Route: "GET /r", Attempt: 1},
		&partnerkit.LimiterWait{Provider: "test", Route: "GET /r", Attempt: 1, Wait: 1020 * time.Millisecond},
	}, rec.all())
}

// TestObserverSeesRefusedWaits: a limiter wait longer than WithMaxWait,
// and a server's Retry-After longer than it, end their calls; both are
// reported, the first as the limiter's, the second as the server's.
func TestObserverSeesRefusedWaits(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	f := newFixture(t, Spec{}, partnerkit.WithObserver(rec), partnerkit.WithMaxWait(10*time.Second))
	f.mock.RegisterResponder(http.MethodGet, testBase+"/r", jsonResponder(429, `{"code":"RATE_LIMITED"}`, "Retry-After", "60"))
	get := func() error {
		return f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil)
	}
	require.ErrorIs(t, get(), partnerkit.ErrRateLimited)
	require.ErrorIs(t, get(), partnerkit.ErrRateLimited, "the gate the 429 closed refuses the next call")
	events := rec.all()
	require.Len(t, events, 5)
	require.IsType(t, &partnerkit.RateLimitRefusal{}, events[1])
	require.Equal(t, &partnerkit.WaitRefused{Provider: "test", Route: "GET /r", Attempt: 1, Wait: time.Minute, Server: true}, events[3])
	require.Equal(t, &partnerkit.WaitRefused{Provider: "test", Route: "GET /r", Attempt: 1, Wait: time.Minute}, events[4])
	d := events[2].(*partnerkit.RetryDecision)
	require.False(t, d.Retry)
	require.True(t, strings.Contains(d.Reason, "longer than the 10s allowed"), d.Reason)
}

// TestObserverSeesAServerWaitPastTheDeadline: a Retry-After that would
// pass the context's deadline ends the call and is reported as refused.
func TestObserverSeesAServerWaitPastTheDeadline(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	f := newFixture(t, Spec{}, partnerkit.WithObserver(rec))
	f.mock.RegisterResponder(http.MethodGet, testBase+"/r", jsonResponder(429, `{}`, "Retry-After", "30"))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.ErrorIs(t, f.client.Do(ctx, &Request{Method: http.MethodGet, Path: "/r"}, nil), partnerkit.ErrRateLimited)
	events := rec.all()
	require.Len(t, events, 4)
	require.False(t, events[2].(*partnerkit.RetryDecision).Retry)
	require.Equal(t, &partnerkit.WaitRefused{Provider: "test", Route: "GET /r", Attempt: 1, Wait: 30 * time.Second, Server: true}, events[3])
}

// TestObserverSeesAnEnvelopeRefusal: a rate-limit refusal inside a success
// status (a provider's envelope) is a RateLimitRefusal too.
func TestObserverSeesAnEnvelopeRefusal(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	f := newFixture(t, Spec{Failure: func(r *Response) *partnerkit.Error {
		if strings.Contains(string(r.Body), "LIMIT") {
			return &partnerkit.Error{Kind: partnerkit.ErrRateLimited, Code: "RATE_LIMIT_EXCEEDED", RetryAfter: 2 * time.Second}
		}
		return nil
	}}, partnerkit.WithObserver(rec))
	f.mock.RegisterResponder(http.MethodPost, testBase+"/rpc", sequence(
		jsonResponder(200, `{"success":"0","code":"LIMIT"}`),
		jsonResponder(200, `{"success":"1"}`),
	))
	require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/rpc", Body: map[string]int{"secret_field": 1}}, nil))
	events := rec.all()
	require.Len(t, events, 4)
	require.Equal(t, &partnerkit.RateLimitRefusal{Provider: "test", Route: "POST /rpc", Attempt: 1, StatusCode: 200, Code: "RATE_LIMIT_EXCEEDED", RetryAfter: 2 * time.Second}, events[1])
	require.True(t, events[2].(*partnerkit.RetryDecision).RateLimited)
}
