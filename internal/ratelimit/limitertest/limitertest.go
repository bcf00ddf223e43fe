// Package limitertest is the conformance suite of partnerkit.Limiter: what
// every limiter of the SDK must do, the in-process ratelimit.Local and a
// limiter that several processes share alike. Run it from a test of the
// limiter's package:
//
//	func TestConformance(t *testing.T) {
//		limitertest.Run(t, func(clk clock.Clock) partnerkit.Limiter {
//			return ratelimit.New(clk)
//		})
//	}
//
// Every test gets a fresh limiter and a clock of its own, so the suite is
// exact and fast: no test sleeps on the real clock, and each asserts the
// very times at which the limiter lets requests go. A limiter under test
// must therefore read the time only with clk.Now, wait only with clk.Sleep
// (a wait ends early only when its context ends or an answer frees a place),
// and keep state that a fresh limiter does not share with another: a
// limiter on a shared store takes a key prefix of its own for each call of
// the factory, computes every expiry from clk.Now rather than the store's
// clock, and uses the store's TTLs only to collect garbage. Only a
// context's deadline is on the real clock (time.Until), as it is for the
// caller.
//
// The rules the suite holds a limiter to are those partnerkit.Limiter and
// ratelimit.Local document, with the constants of package ratelimit: Margin
// for static quotas, MaxHold for the longest hold one answer can cause.
package limitertest

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/ratelimit"
)

// Factory returns a new limiter that shares no state with the limiters
// returned before and tells time and waits with clk only. The suite calls
// it from parallel tests.
type Factory func(clk clock.Clock) partnerkit.Limiter

// Run runs the conformance suite against the limiters newLimiter returns.
func Run(t *testing.T, newLimiter Factory) {
	t.Helper()
	for _, tc := range []struct {
		name string
		test func(*testing.T, Factory)
	}{
		{"Quota/BurstThenSpaced", testQuotaBurst},
		{"Quota/SlidingWindow", testQuotaSlidingWindow},
		{"Quota/PerRoute", testQuotaPerRoute},
		{"Quota/ConcurrentCallers", testQuotaConcurrent},
		{"Refusal/MaxWait", testRefusalMaxWait},
		{"Refusal/Deadline", testRefusalDeadline},
		{"Refusal/ContextEnds", testContextEnds},
		{"Gate/Credential", testGateCredential},
		{"Gate/Route", testGateRoute},
		{"Gate/ConcurrentCallers", testGateConcurrent},
		{"Learned/Reset", testLearnedReset},
		{"Learned/ResetDecidesTheLength", testLearnedResetDecidesTheLength},
		{"Learned/ClockAligned", testLearnedClockAligned},
		{"Learned/ClockAlignedConcurrent", testLearnedClockAlignedConcurrent},
		{"Learned/ResetConcurrent", testLearnedResetConcurrent},
		{"Learned/UnalignedGateway", testLearnedUnaligned},
		{"Learned/WindowsOpenedByARequest", testLearnedOpened},
		{"Learned/CountThatRose", testLearnedCountThatRose},
		{"Learned/OutOfOrderAnswers", testLearnedOutOfOrder},
		{"Learned/PerRoute", testLearnedPerRoute},
		{"Learned/RetryAfterWins", testLearnedRetryAfterWins},
		{"Learned/CappedHolds", testLearnedCappedHolds},
		{"Learned/Off", testLearnedOff},
		{"CredentialsApart", testCredentialsApart},
		{"NoAnswer", testNoAnswer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.test(t, newLimiter)
		})
	}
}

// start is the suite's epoch: a whole minute, so that windows aligned to
// the clock begin there.
var start = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// forever is a MaxWait that never refuses.
const forever = time.Duration(math.MaxInt64)

// req returns a request of credential "key" of provider "test" on route:
// no quota, learning, a minute's assumed window, any wait accepted.
func req(route string) *partnerkit.LimitRequest {
	return &partnerkit.LimitRequest{
		Provider: "test", Credential: "key", Route: route,
		Window: time.Minute, MaxWait: forever, Learn: true,
	}
}

// with returns a copy of r changed by f.
func with(r *partnerkit.LimitRequest, f func(*partnerkit.LimitRequest)) *partnerkit.LimitRequest {
	c := *r
	f(&c)
	return &c
}

// ok is an answer with nothing to say about rate limits.
func ok(at time.Time) partnerkit.LimitFeedback {
	return partnerkit.LimitFeedback{Time: at, StatusCode: 200}
}

// refused is a 429 asking to wait retryAfter.
func refused(at time.Time, retryAfter time.Duration, windows ...partnerkit.RateWindow) partnerkit.LimitFeedback {
	return partnerkit.LimitFeedback{Time: at, StatusCode: 429, RateLimited: true, RetryAfter: retryAfter, Windows: windows}
}

// answer is a success reporting windows.
func answer(at time.Time, windows ...partnerkit.RateWindow) partnerkit.LimitFeedback {
	return partnerkit.LimitFeedback{Time: at, StatusCode: 200, Windows: windows}
}

// mustWait waits for r and fails the test on an error.
func mustWait(t *testing.T, l partnerkit.Limiter, r *partnerkit.LimitRequest) func(partnerkit.LimitFeedback) {
	t.Helper()
	done, err := l.Wait(context.Background(), r)
	require.NoError(t, err)
	require.NotNil(t, done)
	return done
}

// send waits for r on an auto-advancing clock and reports ok at once. It
// returns the time r went, from start.
func send(t *testing.T, clk *clock.Fake, l partnerkit.Limiter, r *partnerkit.LimitRequest) time.Duration {
	t.Helper()
	done := mustWait(t, l, r)
	at := clk.Now()
	done(ok(at))
	return at.Sub(start)
}

// refusal checks that err refuses at once with a wait of retryAfter.
func refusal(t *testing.T, err error, retryAfter time.Duration) {
	t.Helper()
	require.ErrorIs(t, err, partnerkit.ErrRateLimited)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, retryAfter, apiErr.RetryAfter)
}

// period is how far apart a quota spaces the request Limit after another.
func period(per time.Duration) time.Duration {
	return per + ratelimit.Margin(per)
}

// testQuotaBurst: Limit requests at once, then one each time the oldest
// leaves the period (Per and its margin).
func testQuotaBurst(t *testing.T, newLimiter Factory) {
	clk := clock.NewAutoFake(start)
	l := newLimiter(clk)
	r := with(req("GET /x"), func(r *partnerkit.LimitRequest) { r.Quotas = []partnerkit.Quota{{Limit: 3, Per: time.Second}} })
	var sent []time.Duration
	for range 7 {
		sent = append(sent, send(t, clk, l, r))
	}
	p := period(time.Second)
	require.Equal(t, []time.Duration{0, 0, 0, p, p, p, 2 * p}, sent)
	require.Equal(t, 1020*time.Millisecond, p, "a second's margin is a fiftieth")
	require.Equal(t, 61*time.Second, period(time.Minute), "a minute's margin is a second")
}

// testQuotaSlidingWindow: with random arrivals, each request goes at its
// arrival or when the request Limit before it leaves the period, whichever
// is later: never more than Limit in any period of length Per (and its
// margin), and no wait longer than that needs.
func testQuotaSlidingWindow(t *testing.T, newLimiter Factory) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 40 {
		limit := 1 + rng.IntN(10)
		per := time.Duration(1+rng.IntN(5)) * time.Second
		clk := clock.NewAutoFake(start)
		l := newLimiter(clk)
		r := with(req("r"), func(r *partnerkit.LimitRequest) { r.Quotas = []partnerkit.Quota{{Limit: limit, Per: per}} })
		var sends []time.Time
		for i := range 60 {
			clk.Advance(time.Duration(rng.IntN(800)) * time.Millisecond)
			want := clk.Now()
			if i >= limit {
				want = later(want, sends[i-limit].Add(period(per)))
			}
			done := mustWait(t, l, r)
			require.Equal(t, want, clk.Now(), "trial %d (%d per %s), request %d", trial, limit, per, i)
			sends = append(sends, clk.Now())
			done(ok(clk.Now()))
		}
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// testQuotaPerRoute: a quota with a Route counts that route only; one
// without counts every route.
func testQuotaPerRoute(t *testing.T, newLimiter Factory) {
	clk := clock.NewAutoFake(start)
	l := newLimiter(clk)
	quotas := []partnerkit.Quota{{Route: "GET /me", Limit: 1, Per: time.Minute}, {Limit: 4, Per: time.Minute}}
	r := func(route string) *partnerkit.LimitRequest {
		return with(req(route), func(r *partnerkit.LimitRequest) { r.Quotas = quotas })
	}
	require.Zero(t, send(t, clk, l, r("GET /me")))
	require.Zero(t, send(t, clk, l, r("POST /availability")))
	require.Zero(t, send(t, clk, l, r("POST /availability")), "other routes do not wait for /me's quota")
	require.Equal(t, period(time.Minute), send(t, clk, l, r("GET /me")), "the second /me waits for its route's quota")
	clk2 := clock.NewAutoFake(start)
	l2 := newLimiter(clk2)
	r2 := func(route string) *partnerkit.LimitRequest {
		return with(req(route), func(r *partnerkit.LimitRequest) { r.Quotas = quotas; r.Credential = "other" })
	}
	for _, route := range []string{"GET /a", "GET /b", "GET /c", "GET /me"} {
		require.Zero(t, send(t, clk2, l2, r2(route)))
	}
	require.Equal(t, period(time.Minute), send(t, clk2, l2, r2("GET /d")), "the credential's quota counts every route")
}

// testQuotaConcurrent: 20 callers making 5 requests each under 7 per
// second go in bursts of 7, one period apart, never more.
func testQuotaConcurrent(t *testing.T, newLimiter Factory) {
	clk := clock.NewSim(start)
	l := newLimiter(clk)
	r := with(req("r"), func(r *partnerkit.LimitRequest) { r.Quotas = []partnerkit.Quota{{Limit: 7, Per: time.Second}} })
	var mu sync.Mutex
	var sends []time.Time
	var errs []error
	for range 20 {
		clk.Go(func() {
			for range 5 {
				done, err := l.Wait(context.Background(), r)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
					mu.Unlock()
					return
				}
				sends = append(sends, clk.Now())
				mu.Unlock()
				done(ok(clk.Now()))
			}
		})
	}
	clk.Wait()
	require.Empty(t, errs)
	require.Len(t, sends, 100)
	slices.SortFunc(sends, time.Time.Compare)
	p := period(time.Second)
	for i, at := range sends {
		require.Equal(t, start.Add(time.Duration(i/7)*p), at, "request %d", i)
	}
}

// testRefusalMaxWait: a wait longer than MaxWait fails at once with
// ErrRateLimited and the wait as RetryAfter, and takes no place; a wait of
// exactly MaxWait is accepted.
func testRefusalMaxWait(t *testing.T, newLimiter Factory) {
	clk := clock.NewAutoFake(start)
	l := newLimiter(clk)
	p := period(time.Minute)
	r := with(req("r"), func(r *partnerkit.LimitRequest) {
		r.Quotas = []partnerkit.Quota{{Limit: 1, Per: time.Minute}}
		r.MaxWait = p - time.Millisecond
	})
	require.Zero(t, send(t, clk, l, r))
	done, err := l.Wait(context.Background(), r)
	require.Nil(t, done)
	refusal(t, err, p)
	require.Equal(t, start, clk.Now(), "refused without waiting")
	r.MaxWait = p
	require.Equal(t, p, send(t, clk, l, r), "a wait of MaxWait is accepted; the refused request took no place")
}

// testRefusalDeadline: a wait that would pass the context's deadline fails
// at once with ErrRateLimited and the wait as RetryAfter.
func testRefusalDeadline(t *testing.T, newLimiter Factory) {
	clk := clock.NewAutoFake(start)
	l := newLimiter(clk)
	r := with(req("r"), func(r *partnerkit.LimitRequest) { r.Quotas = []partnerkit.Quota{{Limit: 1, Per: time.Minute}} })
	require.Zero(t, send(t, clk, l, r))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done, err := l.Wait(ctx, r)
	require.Nil(t, done)
	refusal(t, err, period(time.Minute))
	require.Equal(t, start, clk.Now(), "refused without waiting")
}

// testContextEnds: a wait ends with ctx.Err() when the context ends, and
// the abandoned request takes no place.
func testContextEnds(t *testing.T, newLimiter Factory) {
	clk := clock.NewFake(start)
	l := newLimiter(clk)
	r := with(req("r"), func(r *partnerkit.LimitRequest) { r.Quotas = []partnerkit.Quota{{Limit: 1, Per: time.Minute}} })
	mustWait(t, l, r)(ok(start))
	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan error, 1)
	go func() {
		done, err := l.Wait(ctx, r)
		if done != nil {
			done(ok(clk.Now()))
		}
		result <- err
	}()
	clk.WaitForSleepers(1)
	cancel()
	require.ErrorIs(t, <-result, context.Canceled)
	clk.Advance(period(time.Minute))
	went := make(chan error, 1)
	go func() {
		done, err := l.Wait(context.Background(), r)
		if done != nil {
			done(ok(clk.Now()))
		}
		went <- err
	}()
	select {
	case err := <-went:
		require.NoError(t, err)
	case <-time.After(10 * time.Second): // a guard only: the fake clock no longer moves
		t.Fatal("the cancelled wait kept a place: the next request waits")
	}
}

// testGateCredential: a 429 under GateCredential holds every route of the
// credential until its Retry-After has passed, and no other credential.
func testGateCredential(t *testing.T, newLimiter Factory) {
	clk := clock.NewAutoFake(start)
	l := newLimiter(clk)
	r := func(route string) *partnerkit.LimitRequest {
		return with(req(route), func(r *partnerkit.LimitRequest) { r.Gate = partnerkit.GateCredential })
	}
	mustWait(t, l, r("GET /a"))(refused(start, 30*time.Second))
	other := with(r("GET /a"), func(r *partnerkit.LimitRequest) { r.Credential = "other" })
	require.Zero(t, send(t, clk, l, other), "another credential is not held")
	noLearn := with(r("POST /b"), func(r *partnerkit.LimitRequest) { r.Learn = false })
	require.Equal(t, 30*time.Second, send(t, clk, l, noLearn), "another route of the credential waits, learning or not")
	require.Equal(t, 30*time.Second, send(t, clk, l, r("GET /a")))
}

// testGateRoute: a 429 under GateRoute holds its route only.
func testGateRoute(t *testing.T, newLimiter Factory) {
	clk := clock.NewAutoFake(start)
	l := newLimiter(clk)
	r := func(route string) *partnerkit.LimitRequest {
		return with(req(route), func(r *partnerkit.LimitRequest) { r.Gate = partnerkit.GateRoute })
	}
	mustWait(t, l, r("GET /a"))(refused(start, 30*time.Second))
	require.Zero(t, send(t, clk, l, r("POST /b")), "another route is not held")
	other := with(r("GET /a"), func(r *partnerkit.LimitRequest) { r.Credential = "other" })
	require.Zero(t, send(t, clk, l, other), "the route of another credential is not held")
	require.Equal(t, 30*time.Second, send(t, clk, l, r("GET /a")), "the refused route waits")
}

// testGateConcurrent: callers held by a gate all go when it opens, not
// before.
func testGateConcurrent(t *testing.T, newLimiter Factory) {
	clk := clock.NewSim(start)
	l := newLimiter(clk)
	mustWait(t, l, req("a"))(refused(start, 5*time.Second))
	var mu sync.Mutex
	var went []time.Time
	for range 20 {
		clk.Go(func() {
			done, err := l.Wait(context.Background(), req("b"))
			if err == nil {
				mu.Lock()
				went = append(went, clk.Now())
				mu.Unlock()
				done(ok(clk.Now()))
			}
		})
	}
	clk.Wait()
	require.Len(t, went, 20)
	for _, at := range went {
		require.Equal(t, start.Add(5*time.Second), at)
	}
}

// testLearnedReset: a spent window holds requests until the reset its
// answer reported, and the next window's answers count again.
func testLearnedReset(t *testing.T, newLimiter Factory) {
	clk := clock.NewAutoFake(start)
	l := newLimiter(clk)
	r := req("r")
	mustWait(t, l, r)(answer(start, partnerkit.RateWindow{Limit: 2, Remaining: 0, Reset: start.Add(7 * time.Second)}))
	done := mustWait(t, l, r)
	require.Equal(t, start.Add(7*time.Second), clk.Now(), "waited for the reset")
	done(answer(clk.Now(), partnerkit.RateWindow{Limit: 2, Remaining: 1, Reset: start.Add(67 * time.Second)}))
	require.Equal(t, 7*time.Second, send(t, clk, l, r), "one left in the new window")
	done = mustWait(t, l, r)
	require.Equal(t, start.Add(67*time.Second), clk.Now(), "the new window's reset")
	done(ok(clk.Now()))
}

// testLearnedResetDecidesTheLength: windows of a second announced by their
// resets are followed although the request assumes windows of a minute, and
// with a quota of the same size the calls take the quota's time.
func testLearnedResetDecidesTheLength(t *testing.T, newLimiter Factory) {
	for _, quota := range []bool{false, true} {
		begin := start.Add(300 * time.Millisecond)
		clk := clock.NewAutoFake(begin)
		l := newLimiter(clk)
		g := &gateway{limit: 20, length: time.Second, resets: true}
		r := req("GET /listings")
		if quota {
			r.Quotas = []partnerkit.Quota{{Limit: 20, Per: time.Second}}
		}
		for range 48 {
			done := mustWait(t, l, r)
			done(g.handle(clk.Now()))
		}
		_, rejected := g.stats()
		require.Zero(t, rejected, "429 answers (quota %v)", quota)
		want := 1700 * time.Millisecond // the third window opens 1.7 s after the first request
		if quota {
			want = 2 * period(time.Second)
		}
		require.Equal(t, want, clk.Now().Sub(begin), "quota %v", quota)
	}
}

// phases are where in a gateway's window the first request falls.
var phases = []time.Duration{0, 500 * time.Millisecond, 3 * time.Second, 9900 * time.Millisecond}

// testLearnedClockAligned: without resets, windows are those of the clock:
// a client never sends more than a window allows, whatever the phase of its
// first request, and never waits longer than the windows require.
func testLearnedClockAligned(t *testing.T, newLimiter Factory) {
	for _, phase := range phases {
		begin := start.Add(phase)
		clk := clock.NewAutoFake(begin)
		l := newLimiter(clk)
		g := &gateway{limit: 3, length: 10 * time.Second, name: "route", perRoute: true}
		r := with(req("GET /contacts"), func(r *partnerkit.LimitRequest) { r.Window = 10 * time.Second })
		for range 30 {
			done := mustWait(t, l, r)
			done(g.handle(clk.Now()))
		}
		_, rejected := g.stats()
		require.Zero(t, rejected, "429 answers (phase %s)", phase)
		// A request asks at the clock's boundary whether the window turned
		// only when that can save more than a second: with the first
		// request less than a second before the boundary, the client's
		// windows follow its own answers instead.
		want := start.Add(90 * time.Second)
		if phase <= time.Second {
			want = want.Add(phase)
		}
		require.Equal(t, want, clk.Now(), "the tenth window (phase %s)", phase)
	}
	// Random arrivals.
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 3))
		clk := clock.NewAutoFake(start.Add(time.Duration(rng.Int64N(int64(10 * time.Second)))))
		l := newLimiter(clk)
		g := &gateway{limit: 3, length: 10 * time.Second, name: "route", perRoute: true}
		r := with(req("GET /contacts"), func(r *partnerkit.LimitRequest) { r.Window = 10 * time.Second })
		for range 60 {
			clk.Advance(time.Duration(rng.Int64N(int64(8 * time.Second))))
			done := mustWait(t, l, r)
			done(g.handle(clk.Now()))
		}
		_, rejected := g.stats()
		require.Zero(t, rejected, "429 answers (seed %d)", seed)
	}
}

// worker sends requests of r from a goroutine of the simulated clock: each
// waits for the limiter, spends up to latency in flight to the gateway, is
// counted, and spends up to latency more before its answer arrives.
type worker struct {
	clk      *clock.Sim
	l        partnerkit.Limiter
	r        *partnerkit.LimitRequest
	g        *gateway
	latency  time.Duration
	think    time.Duration // the longest pause between two requests
	requests int
	seed     uint64
}

func (w worker) run(errs chan<- error) {
	rng := rand.New(rand.NewPCG(w.seed, 7))
	pause := func(d time.Duration) {
		if d > 0 {
			_ = w.clk.Sleep(context.Background(), time.Duration(rng.Int64N(int64(d))))
		}
	}
	for range w.requests {
		pause(w.think)
		done, err := w.l.Wait(context.Background(), w.r)
		if err != nil {
			errs <- err
			return
		}
		pause(w.latency)
		fb := w.g.handle(w.clk.Now())
		pause(w.latency)
		fb.Time = w.clk.Now()
		done(fb)
	}
}

// crowd runs callers callers of r against g, requests each, and returns
// the time the last answer arrived and the number of 429 answers.
func crowd(t *testing.T, clk *clock.Sim, l partnerkit.Limiter, r *partnerkit.LimitRequest, g *gateway, callers, requests int, latency, think time.Duration, seed uint64) (time.Time, int) {
	t.Helper()
	before, refusedBefore := g.stats()
	errs := make(chan error, callers)
	for i := range callers {
		w := worker{clk: clk, l: l, r: r, g: g, latency: latency, think: think, requests: requests, seed: seed*1000 + uint64(i)}
		clk.Go(func() { w.run(errs) })
	}
	clk.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	accepted, rejected := g.stats()
	require.Equal(t, callers*requests, accepted-before+rejected-refusedBefore)
	return clk.Now(), rejected - refusedBefore
}

// testLearnedClockAlignedConcurrent: concurrent callers with requests in
// flight for random times never exceed a window aligned to the clock,
// whatever the phase of the first request, and lose little time.
func testLearnedClockAlignedConcurrent(t *testing.T, newLimiter Factory) {
	for i, phase := range phases {
		for _, think := range []time.Duration{0, 2 * time.Second} {
			seed := uint64(i)*2 + uint64(think/time.Second)
			begin := start.Add(phase)
			clk := clock.NewSim(begin)
			l := newLimiter(clk)
			g := &gateway{limit: 5, length: 10 * time.Second, name: "route", perRoute: true}
			r := with(req("GET /contacts"), func(r *partnerkit.LimitRequest) { r.Window = 10 * time.Second })
			// Learn the window with one request, then 8 callers send 10 each.
			done := mustWait(t, l, r)
			done(g.handle(begin))
			end, rejected := crowd(t, clk, l, r, g, 8, 10, 300*time.Millisecond, think, seed)
			require.Zero(t, rejected, "429 answers (phase %s, think %s)", phase, think)
			// 81 requests at 5 a window need 17 windows: the last opens at
			// 160 s, and no window is lost.
			require.Less(t, end.Sub(start), 170*time.Second, "phase %s, think %s", phase, think)
		}
	}
}

// testLearnedResetConcurrent: the same with windows of a second announced
// by their resets, while the request assumes a minute.
func testLearnedResetConcurrent(t *testing.T, newLimiter Factory) {
	for i, phase := range []time.Duration{0, 100 * time.Millisecond, 500 * time.Millisecond, 990 * time.Millisecond} {
		begin := start.Add(phase)
		clk := clock.NewSim(begin)
		l := newLimiter(clk)
		g := &gateway{limit: 20, length: time.Second, resets: true}
		r := req("GET /listings")
		end, rejected := crowd(t, clk, l, r, g, 8, 6, 20*time.Millisecond, 0, uint64(i))
		require.Zero(t, rejected, "429 answers (phase %s)", phase)
		// 48 requests at 20 a window need 3 windows: the last opens at
		// 2 s; in-flight time may cost part of one more.
		require.Less(t, end.Sub(start), 3500*time.Millisecond, "phase %s", phase)
	}
}

// testLearnedUnaligned: a gateway whose windows do not turn with the
// clock's and whose answers carry no reset is never exceeded: the client
// counts its own requests of the last length too, and at most one request,
// asking at a clock's boundary whether the window turned, is refused; its
// 429 shows that the windows do not follow the clock, and no request asks
// again.
func testLearnedUnaligned(t *testing.T, newLimiter Factory) {
	for i, offset := range []time.Duration{300 * time.Millisecond, 3 * time.Second, 7 * time.Second} {
		for _, think := range []time.Duration{0, 2 * time.Second, 8 * time.Second} {
			seed := uint64(i)*10 + uint64(think/time.Second)
			clk := clock.NewSim(start)
			l := newLimiter(clk)
			g := &gateway{limit: 5, length: 10 * time.Second, offset: offset, name: "route", perRoute: true}
			r := with(req("GET /contacts"), func(r *partnerkit.LimitRequest) { r.Window = 10 * time.Second })
			mustWait(t, l, r)(g.handle(start))
			end, rejected := crowd(t, clk, l, r, g, 8, 10, 300*time.Millisecond, think, seed)
			require.LessOrEqual(t, rejected, 1, "429 answers (offset %s, think %s): the request that asked in vain", offset, think)
			// 81 requests at 5 a window need 17 windows; the windows the
			// client cannot see cost some time.
			require.Less(t, end.Sub(start), 180*time.Second, "offset %s, think %s", offset, think)
		}
	}
}

// testLearnedOpened: a server whose window opens with the first request
// after the previous one closed (a counter expiring a length after its
// first increment) and reports no reset is never exceeded either: one
// request at most asks in vain at a clock's boundary, and none when the
// windows are a second long (asking could not save more than it risks).
func testLearnedOpened(t *testing.T, newLimiter Factory) {
	for i, length := range []time.Duration{time.Second, 10 * time.Second} {
		for _, think := range []time.Duration{0, length / 5} {
			seed := uint64(i)*10 + uint64(think/time.Millisecond)
			clk := clock.NewSim(start.Add(length / 3))
			l := newLimiter(clk)
			g := &gateway{limit: 5, length: length, opened: true, name: "route", perRoute: true}
			r := with(req("GET /contacts"), func(r *partnerkit.LimitRequest) { r.Window = length })
			mustWait(t, l, r)(g.handle(clk.Now()))
			end, rejected := crowd(t, clk, l, r, g, 8, 10, length/30, think, seed)
			if length <= time.Second {
				require.Zero(t, rejected, "429 answers (windows of %s, think %s)", length, think)
			} else {
				require.LessOrEqual(t, rejected, 1, "429 answers (windows of %s, think %s)", length, think)
			}
			// 81 requests at 5 a window need 17 windows; in-flight time
			// costs a little each.
			require.Less(t, end.Sub(start), 20*length, "windows of %s, think %s", length, think)
		}
	}
}

// testLearnedCountThatRose: a remaining count that went up, reported by a
// request sent after the answer with the lowest count arrived, shows a new
// window (here one that does not turn with the clock's): the client uses
// its count at once and assumes that window began by that answer. At the
// clock's next boundary one request asks whether the window turned; a 429
// says no, and its Retry-After when it will.
func testLearnedCountThatRose(t *testing.T, newLimiter Factory) {
	clk := clock.NewAutoFake(start)
	l := newLimiter(clk)
	r := with(req("r"), func(r *partnerkit.LimitRequest) { r.Window = 10 * time.Second })
	w := func(remaining int) partnerkit.RateWindow {
		return partnerkit.RateWindow{Limit: 3, Remaining: remaining}
	}
	clk.Advance(time.Second)
	mustWait(t, l, r)(answer(clk.Now(), w(1)))
	clk.Advance(3 * time.Second)
	mustWait(t, l, r)(answer(clk.Now(), w(2))) // 4 s: the gateway's window turned
	require.Equal(t, 4*time.Second, send(t, clk, l, r))
	require.Equal(t, 4*time.Second, send(t, clk, l, r), "the two places the new window has left")
	done := mustWait(t, l, r)
	require.Equal(t, start.Add(10*time.Second), clk.Now(), "one request asks at the clock's boundary")
	done(refused(clk.Now(), 4*time.Second, w(0)))
	require.Equal(t, 14*time.Second, send(t, clk, l, r), "the window that began by 4 s ends by 14 s")
}

// testLearnedOutOfOrder: answers arriving out of order never raise the
// count (the lowest wins), and once every answer is in, the window's true
// remainder is available again, no more.
func testLearnedOutOfOrder(t *testing.T, newLimiter Factory) {
	clk := clock.NewAutoFake(start)
	l := newLimiter(clk)
	r := req("r")
	reset := start.Add(time.Minute)
	first := mustWait(t, l, r)
	second := mustWait(t, l, r)
	second(answer(start, partnerkit.RateWindow{Limit: 2, Remaining: 0, Reset: reset}))
	first(answer(start, partnerkit.RateWindow{Limit: 2, Remaining: 1, Reset: reset}))
	done := mustWait(t, l, r)
	require.Equal(t, reset, clk.Now(), "waited for the reset instead of trusting the stale answer")
	done(ok(clk.Now()))

	clk2 := clock.NewAutoFake(start)
	l2 := newLimiter(clk2)
	r2 := with(req("r"), func(r *partnerkit.LimitRequest) { r.Window = 10 * time.Second })
	w := func(remaining int) partnerkit.RateWindow {
		return partnerkit.RateWindow{Name: "tenant", Limit: 10, Remaining: remaining}
	}
	mustWait(t, l2, r2)(answer(start, w(9)))
	var dones []func(partnerkit.LimitFeedback)
	for range 5 {
		dones = append(dones, mustWait(t, l2, r2))
	}
	for i := 4; i >= 0; i-- { // counted in order (8 to 4 left), answered newest first
		dones[i](answer(start, w(8-i)))
	}
	for range 4 {
		mustWait(t, l2, r2)(partnerkit.LimitFeedback{Time: start}) // no answer: it stays counted
	}
	require.Equal(t, start, clk2.Now(), "the four places left went at once")
	done = mustWait(t, l2, r2)
	require.Equal(t, start.Add(10*time.Second), clk2.Now(), "the fifth waited for the next window of the clock")
	done(ok(clk2.Now()))
}

// testLearnedPerRoute: a window that counts one route holds that route
// only; one that counts the credential holds every route.
func testLearnedPerRoute(t *testing.T, newLimiter Factory) {
	clk := clock.NewAutoFake(start)
	l := newLimiter(clk)
	reset := start.Add(10 * time.Second)
	mustWait(t, l, req("GET /a"))(answer(start,
		partnerkit.RateWindow{Name: "route", PerRoute: true, Limit: 5, Remaining: 0, Reset: reset},
		partnerkit.RateWindow{Name: "tenant", Limit: 100, Remaining: 50, Reset: reset}))
	done := mustWait(t, l, req("GET /b"))
	require.Equal(t, start, clk.Now(), "another route is not held by /a's route window")
	done(answer(start, partnerkit.RateWindow{Name: "tenant", Limit: 100, Remaining: 0, Reset: reset}))
	require.Equal(t, 10*time.Second, send(t, clk, l, req("GET /c")), "the tenant window holds every route")
}

// testLearnedRetryAfterWins: a 429 that reports a window spent holds it for
// its Retry-After, neither the window assumed nor the reset reported.
func testLearnedRetryAfterWins(t *testing.T, newLimiter Factory) {
	for _, retryAfter := range []time.Duration{time.Second, 3 * time.Second} {
		for _, reset := range []bool{false, true} {
			begin := start.Add(2 * time.Second)
			clk := clock.NewAutoFake(begin)
			l := newLimiter(clk)
			r := with(req("GET /contacts"), func(r *partnerkit.LimitRequest) { r.Window = 10 * time.Second })
			w := partnerkit.RateWindow{Name: "tenant", Limit: 3, Remaining: 0}
			if reset {
				w.Reset = begin.Add(10 * time.Second)
			}
			mustWait(t, l, r)(refused(begin, retryAfter, w))
			done := mustWait(t, l, r)
			require.Equal(t, begin.Add(retryAfter), clk.Now(), "Retry-After %s, reset %v", retryAfter, reset)
			done(answer(clk.Now(), partnerkit.RateWindow{Name: "tenant", Limit: 3, Remaining: 2}))
			require.Equal(t, 2*time.Second+retryAfter, send(t, clk, l, r), "the new window's count")
		}
	}
}

// testLearnedCappedHolds: an absurd answer, a Retry-After or a reset years
// away, refuses the calls that would wait longer than they accept, at once,
// but holds the credential for MaxHold at most: then a call may ask the
// server again.
func testLearnedCappedHolds(t *testing.T, newLimiter Factory) {
	const years = 10 * 365 * 24 * time.Hour
	for name, fb := range map[string]partnerkit.LimitFeedback{
		"Retry-After":             refused(start, years),
		"Retry-After and spent":   refused(start, years, partnerkit.RateWindow{Limit: 5, Remaining: 0}),
		"reset of a spent window": answer(start, partnerkit.RateWindow{Limit: 5, Remaining: 0, Reset: start.Add(years)}),
	} {
		clk := clock.NewAutoFake(start)
		l := newLimiter(clk)
		r := with(req("r"), func(r *partnerkit.LimitRequest) { r.MaxWait = 2 * time.Minute })
		mustWait(t, l, r)(fb)
		done, err := l.Wait(context.Background(), r)
		require.Nil(t, done, name)
		refusal(t, err, ratelimit.MaxHold)
		require.Equal(t, start, clk.Now(), "%s: refused without waiting", name)
		clk.Advance(ratelimit.MaxHold - time.Minute)
		done, err = l.Wait(context.Background(), r)
		require.NoError(t, err, name)
		require.Equal(t, start.Add(ratelimit.MaxHold), clk.Now(), "%s: the next call asks the server again", name)
		done(ok(clk.Now()))
	}
}

// testLearnedOff: without Learn, windows are ignored but 429s still hold.
func testLearnedOff(t *testing.T, newLimiter Factory) {
	clk := clock.NewAutoFake(start)
	l := newLimiter(clk)
	r := with(req("r"), func(r *partnerkit.LimitRequest) { r.Learn = false })
	mustWait(t, l, r)(answer(start, partnerkit.RateWindow{Limit: 1, Remaining: 0, Reset: start.Add(time.Hour)}))
	require.Zero(t, send(t, clk, l, r), "the spent window is ignored")
	mustWait(t, l, r)(refused(start, 5*time.Second))
	require.Equal(t, 5*time.Second, send(t, clk, l, r), "the 429 is honoured")
}

// testCredentialsApart: quotas, gates and windows of one credential (of one
// provider) never hold another.
func testCredentialsApart(t *testing.T, newLimiter Factory) {
	clk := clock.NewAutoFake(start)
	l := newLimiter(clk)
	base := with(req("r"), func(r *partnerkit.LimitRequest) {
		r.Quotas = []partnerkit.Quota{{Limit: 1, Per: time.Minute}}
		r.Gate = partnerkit.GateCredential
	})
	mustWait(t, l, base)(refused(start, time.Hour, partnerkit.RateWindow{Limit: 1, Remaining: 0, Reset: start.Add(time.Hour)}))
	for _, other := range []*partnerkit.LimitRequest{
		with(base, func(r *partnerkit.LimitRequest) { r.Credential = "other" }),
		with(base, func(r *partnerkit.LimitRequest) { r.Provider = "another" }),
		with(base, func(r *partnerkit.LimitRequest) { r.Credential = "" }),
	} {
		require.Zero(t, send(t, clk, l, other), "%s/%s", other.Provider, other.Credential)
	}
	done, err := l.Wait(context.Background(), with(base, func(r *partnerkit.LimitRequest) { r.MaxWait = time.Minute }))
	require.Nil(t, done)
	refusal(t, err, time.Hour)
}

// testNoAnswer: a request that ended without an answer (done with no
// StatusCode) stays counted: in its quotas, and in the windows it may have
// been counted in.
func testNoAnswer(t *testing.T, newLimiter Factory) {
	clk := clock.NewAutoFake(start)
	l := newLimiter(clk)
	r := with(req("r"), func(r *partnerkit.LimitRequest) { r.Quotas = []partnerkit.Quota{{Limit: 1, Per: time.Minute}} })
	mustWait(t, l, r)(partnerkit.LimitFeedback{Time: start})
	require.Equal(t, period(time.Minute), send(t, clk, l, r))

	clk2 := clock.NewAutoFake(start)
	l2 := newLimiter(clk2)
	reset := start.Add(10 * time.Second)
	mustWait(t, l2, req("r"))(answer(start, partnerkit.RateWindow{Limit: 5, Remaining: 2, Reset: reset}))
	for range 2 {
		mustWait(t, l2, req("r"))(partnerkit.LimitFeedback{Time: start})
	}
	done := mustWait(t, l2, req("r"))
	require.Equal(t, reset, clk2.Now(), "the two requests without answers used the two places")
	done(ok(clk2.Now()))
}
