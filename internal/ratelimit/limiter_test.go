package ratelimit

import (
	"context"
	"errors"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
)

// TestQuotaAllowsABurstThenSpacesRequests: Limit requests at once, then
// one more each time the oldest leaves the period and its margin (20 ms for
// a period of a second).
func TestQuotaAllowsABurstThenSpacesRequests(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(now)
	l := newClient(Config{Quotas: []Quota{{Limit: 3, Per: time.Second}}, Clock: clk})
	var sent []time.Duration
	for range 7 {
		done, err := l.Wait(context.Background(), "GET /x")
		require.NoError(t, err)
		sent = append(sent, clk.Now().Sub(now))
		done(Feedback{Time: clk.Now()})
	}
	const p = time.Second + 20*time.Millisecond
	require.Equal(t, []time.Duration{0, 0, 0, p, p, p, 2 * p}, sent)
}

// TestQuotaNeverExceedsLimitInAnyPeriod checks the sliding-window promise
// with random arrival times: no period of length Per ever holds more than
// Limit sends.
func TestQuotaNeverExceedsLimitInAnyPeriod(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		limit := 1 + rng.IntN(10)
		per := time.Duration(1+rng.IntN(5)) * time.Second
		clk := clock.NewAutoFake(now)
		l := newClient(Config{Quotas: []Quota{{Limit: limit, Per: per}}, Clock: clk})
		var sends []time.Time
		for range 60 {
			clk.Advance(time.Duration(rng.IntN(800)) * time.Millisecond)
			done, err := l.Wait(context.Background(), "r")
			require.NoError(t, err)
			sends = append(sends, clk.Now())
			done(Feedback{})
		}
		for i := range sends {
			j := sort.Search(len(sends), func(j int) bool { return !sends[j].Before(sends[i].Add(per)) })
			require.LessOrEqual(t, j-i, limit, "trial %d: %d sends within %s from send %d", trial, j-i, per, i)
		}
	}
}

func TestQuotaPerRoute(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(now)
	l := newClient(Config{Quotas: []Quota{{Route: "GET /me", Limit: 1, Per: time.Minute}}, Clock: clk})
	for _, route := range []string{"GET /me", "POST /availability", "POST /availability"} {
		done, err := l.Wait(context.Background(), route)
		require.NoError(t, err)
		done(Feedback{})
	}
	require.Equal(t, now, clk.Now(), "other routes do not wait")
	_, err := l.Wait(context.Background(), "GET /me")
	require.NoError(t, err)
	require.Equal(t, now.Add(time.Minute+time.Second), clk.Now(), "a minute and its margin")
}

func TestWaitRefusesWaitsBeyondTheCapOrTheDeadline(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(now)
	l := newClient(Config{Quotas: []Quota{{Limit: 1, Per: time.Minute}}, MaxWait: 30 * time.Second, Clock: clk})
	done, err := l.Wait(context.Background(), "r")
	require.NoError(t, err)
	done(Feedback{})

	_, err = l.Wait(context.Background(), "r")
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.ErrorIs(t, err, partnerkit.ErrRateLimited)
	require.Equal(t, time.Minute+time.Second, apiErr.RetryAfter)
	require.Contains(t, apiErr.Message, "longest wait allowed")

	uncapped := newClient(Config{Quotas: []Quota{{Limit: 1, Per: time.Minute}}, Clock: clk})
	done, err = uncapped.Wait(context.Background(), "r")
	require.NoError(t, err)
	done(Feedback{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = uncapped.Wait(ctx, "r")
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, time.Minute+time.Second, apiErr.RetryAfter)
	require.Contains(t, apiErr.Message, "context deadline")
	require.Empty(t, clk.Sleeps(), "a refused wait does not sleep")
}

func TestWaitEndsWhenTheContextEnds(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(now)
	l := newClient(Config{Quotas: []Quota{{Limit: 1, Per: time.Minute}}, Clock: clk})
	done, err := l.Wait(context.Background(), "r")
	require.NoError(t, err)
	done(Feedback{})

	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan error, 1)
	go func() {
		_, err := l.Wait(ctx, "r")
		result <- err
	}()
	clk.WaitForSleepers(1)
	cancel()
	require.ErrorIs(t, <-result, context.Canceled)
}

func TestA429ClosesTheGateForEveryRoute(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(now)
	l := newClient(Config{Learn: true, Clock: clk})
	done, err := l.Wait(context.Background(), "GET /a")
	require.NoError(t, err)
	done(Feedback{Time: now, RetryAfter: 30 * time.Second})

	done, err = l.Wait(context.Background(), "POST /b")
	require.NoError(t, err)
	require.Equal(t, now.Add(30*time.Second), clk.Now())
	done(Feedback{Time: clk.Now()})
	require.Equal(t, []time.Duration{30 * time.Second}, clk.Sleeps())
}

func TestTheGateHoldsConcurrentCallers(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(now)
	l := newClient(Config{Clock: clk})
	done, err := l.Wait(context.Background(), "a")
	require.NoError(t, err)
	done(Feedback{Time: now, RetryAfter: 5 * time.Second})

	const callers = 20
	var wg sync.WaitGroup
	released := make(chan time.Time, callers)
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			done, err := l.Wait(context.Background(), "b")
			if err == nil {
				released <- clk.Now()
				done(Feedback{})
			}
		}()
	}
	clk.WaitForSleepers(callers)
	require.Empty(t, released)
	clk.Advance(5 * time.Second)
	wg.Wait()
	close(released)
	n := 0
	for at := range released {
		require.Equal(t, now.Add(5*time.Second), at)
		n++
	}
	require.Equal(t, callers, n)
}

// windowServer models a provider with fixed windows aligned to multiples of
// length, reporting remaining (and, if withReset, the reset) in headers.
type windowServer struct {
	limit     int
	length    time.Duration
	withReset bool
	counts    map[int64]int
	rejected  int
	accepted  int
}

func (s *windowServer) handle(at time.Time) Feedback {
	if s.counts == nil {
		s.counts = map[int64]int{}
	}
	k := at.UnixNano() / int64(s.length)
	end := time.Unix(0, (k+1)*int64(s.length))
	fb := Feedback{Time: at}
	w := Window{Name: "route", PerRoute: true, Limit: s.limit}
	if s.withReset {
		w.Reset = end
	}
	if s.counts[k] >= s.limit {
		s.rejected++
		fb.RetryAfter = end.Sub(at)
		fb.Windows = []Window{w}
		return fb
	}
	s.counts[k]++
	s.accepted++
	w.Remaining = s.limit - s.counts[k]
	fb.Windows = []Window{w}
	return fb
}

// TestLearnedWindowsAvoid429s sends bursts of concurrent requests (acquired
// before any answer arrives) to a fixed-window server and counts 429s.
func TestLearnedWindowsAvoid429s(t *testing.T) {
	t.Parallel()
	for _, withReset := range []bool{true, false} {
		name := map[bool]string{true: "reset header", false: "no reset header"}[withReset]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			start := time.Unix(1_800_000_000, 300_000_000)
			clk := clock.NewAutoFake(start)
			srv := &windowServer{limit: 10, length: time.Second, withReset: withReset}
			l := newClient(Config{Learn: true, WindowLength: time.Second, Clock: clk})
			// Learn the window with one request, then send bursts of 8.
			done, err := l.Wait(context.Background(), "r")
			require.NoError(t, err)
			done(srv.handle(clk.Now()))
			for range 25 {
				var dones []func(Feedback)
				var sentAt []time.Time
				for range 8 {
					done, err := l.Wait(context.Background(), "r")
					require.NoError(t, err)
					dones = append(dones, done)
					sentAt = append(sentAt, clk.Now())
				}
				for i, done := range dones {
					done(srv.handle(sentAt[i]))
				}
			}
			require.Equal(t, 0, srv.rejected, "429s")
			require.Equal(t, 201, srv.accepted)
			// 201 requests at 10 per second need at least 20 windows.
			elapsed := clk.Now().Sub(start)
			t.Logf("elapsed %s", elapsed)
			require.GreaterOrEqual(t, elapsed, 19*time.Second)
			if withReset {
				require.Less(t, elapsed, 21*time.Second, "waits no longer than the windows require")
			} else {
				require.Less(t, elapsed, 31*time.Second, "inferred windows cost at most a fraction of a window each")
			}
		})
	}
}

func TestStaleAnswersDoNotRaiseTheCount(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(now)
	l := newClient(Config{Learn: true, Clock: clk})
	reset := now.Add(time.Minute)
	first, _ := l.Wait(context.Background(), "r")
	second, _ := l.Wait(context.Background(), "r")
	// The newer request's answer arrives first and says nothing is left.
	second(Feedback{Time: now, Windows: []Window{{Limit: 2, Remaining: 0, Reset: reset}}})
	first(Feedback{Time: now, Windows: []Window{{Limit: 2, Remaining: 1, Reset: reset}}})
	_, err := l.Wait(context.Background(), "r")
	require.NoError(t, err)
	require.Equal(t, reset, clk.Now(), "waited for the reset instead of trusting the stale answer")
}

func TestWindowsNamedRouteCountOneRoute(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(now)
	l := newClient(Config{Learn: true, Clock: clk})
	done, _ := l.Wait(context.Background(), "GET /a")
	done(Feedback{Time: now, Windows: []Window{
		{Name: "route", PerRoute: true, Limit: 5, Remaining: 0, Reset: now.Add(10 * time.Second)},
		{Name: "tenant", Limit: 100, Remaining: 50, Reset: now.Add(10 * time.Second)},
	}})
	done, err := l.Wait(context.Background(), "GET /b")
	require.NoError(t, err)
	require.Equal(t, now, clk.Now(), "another route is not held by /a's route window")
	done(Feedback{Time: now, Windows: []Window{{Name: "tenant", Limit: 100, Remaining: 0, Reset: now.Add(10 * time.Second)}}})
	_, err = l.Wait(context.Background(), "GET /c")
	require.NoError(t, err)
	require.Equal(t, now.Add(10*time.Second), clk.Now(), "the tenant window holds every route")
}

func TestLearningOffIgnoresHeaders(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(now)
	l := newClient(Config{Clock: clk})
	done, _ := l.Wait(context.Background(), "r")
	done(Feedback{Time: now, Windows: []Window{{Limit: 1, Remaining: 0, Reset: now.Add(time.Hour)}}})
	_, err := l.Wait(context.Background(), "r")
	require.NoError(t, err)
	require.Equal(t, now, clk.Now())
}

func TestConcurrentUseIsSafe(t *testing.T) {
	t.Parallel()
	l := newClient(Config{Learn: true, Quotas: []Quota{{Limit: 1000, Per: time.Second}}})
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				done, err := l.Wait(context.Background(), []string{"a", "b"}[i%2])
				if err != nil {
					errs <- err
					return
				}
				done(Feedback{Time: time.Now(), Windows: []Window{{Name: "tenant", Limit: 10000, Remaining: 5000}}})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.False(t, errors.Is(err, partnerkit.ErrRateLimited), err)
	}
}

// TestAnswersInAnyOrderDoNotWasteTheWindow answers five concurrent
// requests newest first. While some are in flight the count stays low (the
// server may count them after the answers seen), but once every answer is
// in, the window's true remainder is available again, no more.
func TestAnswersInAnyOrderDoNotWasteTheWindow(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(now)
	l := newClient(Config{Learn: true, WindowLength: 10 * time.Second, Clock: clk})
	window := func(remaining int) Feedback {
		return Feedback{Time: clk.Now(), Windows: []Window{{Name: "tenant", Limit: 10, Remaining: remaining}}}
	}
	done, err := l.Wait(context.Background(), "r")
	require.NoError(t, err)
	done(window(9))
	var dones []func(Feedback)
	for range 5 {
		done, err := l.Wait(context.Background(), "r")
		require.NoError(t, err)
		dones = append(dones, done)
	}
	// The server counted them in order (8, 7, 6, 5, 4 left); answers come
	// back newest first.
	for i := 4; i >= 0; i-- {
		dones[i](window(8 - i))
	}
	for range 4 {
		done, err := l.Wait(context.Background(), "r")
		require.NoError(t, err)
		done(Feedback{}) // no answer: it stays counted
	}
	require.Equal(t, now, clk.Now(), "the four places left were used at once")
	_, err = l.Wait(context.Background(), "r")
	require.NoError(t, err)
	require.Equal(t, now.Add(10*time.Second), clk.Now(), "the fifth waited for the next window")
}

// TestAnInFlightRequestStaysCounted shows why the count subtracts requests
// in flight: one may be counted after an answer that did not include it.
func TestAnInFlightRequestStaysCounted(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(now)
	l := newClient(Config{Learn: true, WindowLength: 10 * time.Second, Clock: clk})
	first, _ := l.Wait(context.Background(), "r")
	second, _ := l.Wait(context.Background(), "r")
	// The first was counted first and says one place is left; the second
	// is still out and will take it.
	first(Feedback{Time: now, Windows: []Window{{Limit: 2, Remaining: 1}}})
	_, err := l.Wait(context.Background(), "r")
	require.NoError(t, err)
	require.Equal(t, now.Add(10*time.Second), clk.Now())
	second(Feedback{Time: now, Windows: []Window{{Limit: 2, Remaining: 0}}})
}

// TestAnAnswerThatFreesPlacesWakesTheWaiters: the first answer of a burst
// comes from the request the server counted last, so the window looks
// spent while the others are in flight; their answers give the places back
// and a waiting request goes at once instead of sleeping to the reset.
func TestAnAnswerThatFreesPlacesWakesTheWaiters(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(now)
	l := newClient(Config{Learn: true, WindowLength: 10 * time.Second, Clock: clk})
	window := func(remaining int) Feedback {
		return Feedback{Time: clk.Now(), Windows: []Window{{Name: "tenant", Limit: 10, Remaining: remaining}}}
	}
	done, err := l.Wait(context.Background(), "r")
	require.NoError(t, err)
	done(window(9))
	var dones []func(Feedback)
	for range 5 {
		done, err := l.Wait(context.Background(), "r")
		require.NoError(t, err)
		dones = append(dones, done)
	}
	dones[4](window(4)) // counted last, answered first: 4 left, 4 in flight
	went := make(chan time.Time, 1)
	go func() {
		done, err := l.Wait(context.Background(), "r")
		if err == nil {
			done(Feedback{})
		}
		went <- clk.Now()
	}()
	clk.WaitForSleepers(1)
	dones[0](window(8)) // counted first: one place is free again
	select {
	case at := <-went:
		require.Equal(t, now, at, "woken by the answer, not by the reset")
	case <-time.After(5 * time.Second): // a guard only: the fake clock never moves
		t.Fatal("the waiter was not woken when places were freed")
	}
	for _, d := range dones[1:4] {
		d(window(7))
	}
}

// TestOutOfOrderAnswersNeverCause429s sends bursts whose requests the
// server counts in one random order and whose answers arrive in another,
// and checks that the derived count never lets a request through that the
// server refuses.
func TestOutOfOrderAnswersNeverCause429s(t *testing.T) {
	t.Parallel()
	for seed := range uint64(40) {
		withReset := seed%2 == 1
		rng := rand.New(rand.NewPCG(seed, 2))
		start := time.Unix(1_800_000_000, 300_000_000)
		clk := clock.NewAutoFake(start)
		srv := &windowServer{limit: 10, length: time.Second, withReset: withReset}
		l := newClient(Config{Learn: true, WindowLength: time.Second, Clock: clk})
		for range 300 {
			dones := make([]func(Feedback), 1+rng.IntN(9)) // fewer than the limit: answers come after the burst
			for i := range dones {
				done, err := l.Wait(context.Background(), "r")
				require.NoError(t, err)
				dones[i] = done
			}
			answers := make([]Feedback, len(dones))
			for _, i := range rng.Perm(len(dones)) {
				answers[i] = srv.handle(clk.Now())
			}
			for _, i := range rng.Perm(len(dones)) {
				dones[i](answers[i])
			}
		}
		require.Zero(t, srv.rejected, "429s (seed %d)", seed)
	}
}

func TestMargin(t *testing.T) {
	t.Parallel()
	for per, want := range map[time.Duration]time.Duration{
		time.Second:      20 * time.Millisecond,
		10 * time.Second: 200 * time.Millisecond,
		time.Minute:      time.Second,
		time.Hour:        time.Second,
	} {
		require.Equal(t, want, Margin(per), "per %s", per)
	}
}

// TestThe101stRequestWaitsForTheMargin: under 100 a minute, the 101st
// request goes a minute and a second after the first, so that it reaches
// the server more than a minute after the first did, whatever the first
// spent in flight (within a second).
func TestThe101stRequestWaitsForTheMargin(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(now)
	l := newClient(Config{Quotas: []Quota{{Route: "POST /availability", Limit: 100, Per: time.Minute}}, Clock: clk})
	for range 100 {
		done, err := l.Wait(context.Background(), "POST /availability")
		require.NoError(t, err)
		done(Feedback{Time: clk.Now(), StatusCode: 200})
	}
	done, err := l.Wait(context.Background(), "POST /availability")
	require.NoError(t, err)
	require.Equal(t, now.Add(61*time.Second), clk.Now())
	done(Feedback{Time: clk.Now(), StatusCode: 200})
}

// TestRequestsInFlightAcrossAResetCountWhereTheirResetSays: requests sent
// before a window's reset and answered after it. An answer reporting the
// old reset was counted in the old window: its place in the new one is free.
// One reporting a reset just after the old one may be either: it stays
// counted. One reporting the next window's reset is that window's count.
func TestRequestsInFlightAcrossAResetCountWhereTheirResetSays(t *testing.T) {
	t.Parallel()
	reset := now.Add(10 * time.Second)
	next := reset.Add(10 * time.Second)
	window := func(remaining int, reset time.Time) Feedback {
		return Feedback{Time: now.Add(10 * time.Second), StatusCode: 200, Windows: []Window{{Limit: 3, Remaining: remaining, Reset: reset}}}
	}
	for _, tc := range []struct {
		name   string
		answer Feedback
		room   int // places left in the new window once the answers are in
	}{
		{"old reset", window(0, reset), 3},
		{"a reset within the tolerance of the old one", window(0, reset.Add(400*time.Millisecond)), 2},
		{"the next window's reset", window(1, next), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clk := clock.NewAutoFake(now)
			l := newClient(Config{Learn: true, WindowLength: 10 * time.Second, Clock: clk})
			done, err := l.Wait(context.Background(), "r")
			require.NoError(t, err)
			done(Feedback{Time: now, StatusCode: 200, Windows: []Window{{Limit: 3, Remaining: 1, Reset: reset}}})
			inFlight, err := l.Wait(context.Background(), "r")
			require.NoError(t, err)
			clk.Advance(10 * time.Second) // the window ends with the request out
			var sent int
			for {
				ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
				done, err := l.Wait(ctx, "r")
				cancel()
				require.NoError(t, err)
				if clk.Now() != reset {
					break
				}
				sent++
				if sent == 1 {
					inFlight(tc.answer) // answered once the new window has begun
				}
				done(Feedback{Time: clk.Now(), StatusCode: 200})
			}
			require.Equal(t, tc.room, sent)
		})
	}
}

func TestAQuotaThatAllowsNothingIsIgnored(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(now)
	l := newClient(Config{Quotas: []Quota{{Limit: 0, Per: time.Minute}, {Limit: 5, Per: 0}}, Clock: clk})
	for range 3 {
		done, err := l.Wait(context.Background(), "r")
		require.NoError(t, err)
		done(Feedback{Time: clk.Now(), StatusCode: 200})
	}
	require.Equal(t, now, clk.Now())
}
