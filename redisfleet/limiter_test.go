package redisfleet

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/ratelimit"
	"github.com/partnerkit/partnerkit-go/internal/ratelimit/limitertest"
)

// TestConformance holds the Limiter, on a real Redis, to the contract of
// every partnerkit.Limiter: each limiter of the suite has a key prefix of
// its own and tells time with the suite's clock only. No call may fall
// back to the in-process limits: the suite must run on Redis.
func TestConformance(t *testing.T) {
	t.Parallel()
	r := startRedis(t)
	obs := &events{}
	limitertest.Run(t, func(clk clock.Clock) partnerkit.Limiter {
		return mustLimiter(t, r.rdb, WithPrefix(freshPrefix()), withClock(clk), WithTimeout(10*time.Second), WithObserver(obs))
	})
	fallbacks, _ := obs.count()
	require.Zero(t, fallbacks, "every call went through Redis")
}

var start = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// replica returns a Limiter on r with prefix, as one process of a fleet
// would have, telling time with clk.
func replica(t *testing.T, r *testRedis, prefix string, clk clock.Clock, opts ...Option) *Limiter {
	return mustLimiter(t, r.rdb, append([]Option{WithPrefix(prefix), withClock(clk), WithTimeout(10 * time.Second)}, opts...)...)
}

// request is a request of credential "key" of provider "cohost".
func request(route string, quotas ...partnerkit.Quota) *partnerkit.LimitRequest {
	return &partnerkit.LimitRequest{
		Provider: "cohost", Credential: "0123abcd", Route: route, Quotas: quotas,
		Window: time.Minute, MaxWait: time.Hour, Learn: true,
	}
}

// sendAt waits for r on l and reports a plain success; it returns when r
// went, from start.
func sendAt(t *testing.T, clk clock.Clock, l partnerkit.Limiter, r *partnerkit.LimitRequest) time.Duration {
	t.Helper()
	done, err := l.Wait(context.Background(), r)
	require.NoError(t, err)
	at := clk.Now()
	done(partnerkit.LimitFeedback{Time: at, StatusCode: 200})
	return at.Sub(start)
}

// TestTheQuotaHoldsAcrossReplicas: two replicas sharing a quota of 3 per
// second send 3 between them at once, then one each time the oldest
// leaves the period (Per and its margin), whoever sent it.
func TestTheQuotaHoldsAcrossReplicas(t *testing.T) {
	t.Parallel()
	r := startRedis(t)
	clk := clock.NewAutoFake(start)
	prefix := freshPrefix()
	a, b := replica(t, r, prefix, clk), replica(t, r, prefix, clk)
	q := request("GET /listings", partnerkit.Quota{Limit: 3, Per: time.Second})
	p := time.Second + ratelimit.Margin(time.Second)
	var sent []time.Duration
	for _, l := range []*Limiter{a, b, a, b, a, b, a} {
		sent = append(sent, sendAt(t, clk, l, q))
	}
	require.Equal(t, []time.Duration{0, 0, 0, p, p, p, 2 * p}, sent)
	other := replica(t, r, freshPrefix(), clk)
	require.Equal(t, 2*p, sendAt(t, clk, other, q), "another prefix shares nothing")
}

// TestA429StopsEveryReplica: a 429's Retry-After closes the credential's
// gate for every replica (or the route's, under GateRoute), and a window
// reported spent holds every replica until its reset; a request that does
// not learn is held by the gate only.
func TestA429StopsEveryReplica(t *testing.T) {
	t.Parallel()
	r := startRedis(t)
	clk := clock.NewAutoFake(start)
	prefix := freshPrefix()
	a, b := replica(t, r, prefix, clk), replica(t, r, prefix, clk)

	done, err := a.Wait(context.Background(), request("GET /a"))
	require.NoError(t, err)
	done(partnerkit.LimitFeedback{Time: start, StatusCode: 429, RateLimited: true, RetryAfter: 5 * time.Second})
	require.Equal(t, 5*time.Second, sendAt(t, clk, b, request("POST /b")), "the other replica waits for the gate on every route")

	route := func(path string) *partnerkit.LimitRequest {
		req := request(path)
		req.Gate = partnerkit.GateRoute
		return req
	}
	done, err = a.Wait(context.Background(), route("GET /a"))
	require.NoError(t, err)
	done(partnerkit.LimitFeedback{Time: clk.Now(), StatusCode: 429, RateLimited: true, RetryAfter: 5 * time.Second})
	require.Equal(t, 5*time.Second, sendAt(t, clk, b, route("GET /c")), "another route is not held")
	require.Equal(t, 10*time.Second, sendAt(t, clk, b, route("GET /a")), "the refused route is")

	reset := start.Add(30 * time.Second)
	done, err = a.Wait(context.Background(), request("GET /a"))
	require.NoError(t, err)
	done(partnerkit.LimitFeedback{Time: clk.Now(), StatusCode: 200, Windows: []partnerkit.RateWindow{{Limit: 40, Remaining: 0, Reset: reset}}})
	noLearn := request("GET /a")
	noLearn.Learn = false
	require.Equal(t, 10*time.Second, sendAt(t, clk, b, noLearn), "a request that does not learn is not held by windows")
	require.Equal(t, 30*time.Second, sendAt(t, clk, b, request("GET /a")), "the spent window holds the other replica until its reset")
}

// TestARefusedWaitTakesNoPlace: a wait the fleet's quota needs that is
// longer than MaxWait fails at once with ErrRateLimited and the wait, and
// takes no place in the fleet's log.
func TestARefusedWaitTakesNoPlace(t *testing.T) {
	t.Parallel()
	r := startRedis(t)
	clk := clock.NewAutoFake(start)
	prefix := freshPrefix()
	a, b := replica(t, r, prefix, clk), replica(t, r, prefix, clk)
	q := request("GET /listings", partnerkit.Quota{Limit: 1, Per: time.Minute})
	require.Zero(t, sendAt(t, clk, a, q))
	short := *q
	short.MaxWait = time.Second
	done, err := b.Wait(context.Background(), &short)
	require.Nil(t, done)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.ErrorIs(t, err, partnerkit.ErrRateLimited)
	require.Equal(t, time.Minute+time.Second, apiErr.RetryAfter)
	require.Equal(t, start, clk.Now(), "refused without waiting")
	require.Equal(t, time.Minute+time.Second, sendAt(t, clk, b, q))
}

// TestOptions: bad options are refused by name.
func TestOptions(t *testing.T) {
	t.Parallel()
	r := startRedis(t)
	for _, tc := range []struct {
		opt  Option
		want string
	}{
		{WithPrefix("a{b"), "redisfleet.WithPrefix"},
		{WithTimeout(0), "redisfleet.WithTimeout"},
		{WithProbeInterval(-time.Second), "redisfleet.WithProbeInterval"},
		{WithObserver(nil), "redisfleet.WithObserver"},
	} {
		_, err := NewLimiter(r.rdb, tc.opt)
		require.ErrorContains(t, err, tc.want)
	}
	_, err := NewLimiter(nil)
	require.ErrorContains(t, err, "must not be nil")
}

// TestTheQuotaIsASlidingWindowAcrossReplicas: with random arrivals spread
// over three replicas, each request goes at its arrival or when the
// request Limit before it, sent by any replica, leaves the period: the
// fleet's log alone holds the quota exactly (no replica sees more than a
// third of the requests).
func TestTheQuotaIsASlidingWindowAcrossReplicas(t *testing.T) {
	t.Parallel()
	r := startRedis(t)
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 10 {
		limit := 2 + rng.IntN(6)
		per := time.Duration(1+rng.IntN(3)) * time.Second
		period := per + ratelimit.Margin(per)
		clk := clock.NewAutoFake(start)
		prefix := freshPrefix()
		fleet := []*Limiter{replica(t, r, prefix, clk), replica(t, r, prefix, clk), replica(t, r, prefix, clk)}
		q := request("r", partnerkit.Quota{Limit: limit, Per: per})
		var sends []time.Time
		for i := range 40 {
			clk.Advance(time.Duration(rng.IntN(600)) * time.Millisecond)
			want := clk.Now()
			if i >= limit && sends[i-limit].Add(period).After(want) {
				want = sends[i-limit].Add(period)
			}
			sendAt(t, clk, fleet[rng.IntN(len(fleet))], q)
			require.Equal(t, want, clk.Now(), "trial %d (%d per %s), request %d", trial, limit, per, i)
			sends = append(sends, clk.Now())
		}
	}
}
