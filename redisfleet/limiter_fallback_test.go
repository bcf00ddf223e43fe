package redisfleet

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
)

// syncBuffer is a log destination that goroutines share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) lines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Split(strings.TrimSpace(s.b.String()), "\n")
}

// TestRedisDownFallsBackAndComesBack: with Redis stopped, calls go on at
// once under the process's own quota (never failing because of Redis); the
// switch is logged and observed once, however many calls see Redis away;
// when Redis is back (empty), the first call after the probe interval
// finds it, says so once, and the fleet shares its gates again.
func TestRedisDownFallsBackAndComesBack(t *testing.T) {
	t.Parallel()
	r := startRedis(t)
	clk := clock.NewAutoFake(start)
	prefix := freshPrefix()
	obs := &events{}
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	a := replica(t, r, prefix, clk, WithObserver(obs), WithLogger(logger), WithProbeInterval(10*time.Second), WithTimeout(time.Second))
	b := replica(t, r, prefix, clk)

	r.srv.Stop()
	q := request("GET /listings", partnerkit.Quota{Limit: 2, Per: time.Minute})
	var sent []time.Duration
	for range 5 {
		sent = append(sent, sendAt(t, clk, a, q))
	}
	p := time.Minute + time.Second
	require.Equal(t, []time.Duration{0, 0, p, p, 2 * p}, sent, "the process's own quota, at once")
	fallbacks, resumptions := obs.count()
	require.Equal(t, 1, fallbacks)
	require.Zero(t, resumptions)
	fb := obs.all[0].(*partnerkit.LimiterFallback)
	require.Equal(t, "redisfleet", fb.Limiter)
	require.Error(t, fb.Err)
	require.Len(t, logs.lines(), 1, "logged once")
	require.Contains(t, logs.lines()[0], "level=WARN")

	r.srv.Restart(t)
	clk.Advance(15 * time.Second) // past the probe interval and its jitter
	done, err := a.Wait(context.Background(), request("GET /other"))
	require.NoError(t, err)
	done(partnerkit.LimitFeedback{Time: clk.Now(), StatusCode: 429, RateLimited: true, RetryAfter: 7 * time.Second})
	_, resumptions = obs.count()
	require.Equal(t, 1, resumptions)
	require.Equal(t, &partnerkit.LimiterResumed{Limiter: "redisfleet", Down: 2*p + 15*time.Second}, obs.all[1])
	require.Len(t, logs.lines(), 2)
	require.Contains(t, logs.lines()[1], "level=INFO")
	now := clk.Now().Sub(start)
	require.Equal(t, now+7*time.Second, sendAt(t, clk, b, request("GET /other")), "the other replica honours the gate: shared again")
}

// TestOneProbeAtATime: when Redis is back, the many calls that find the
// probe due ask Redis once, not once each.
func TestOneProbeAtATime(t *testing.T) {
	t.Parallel()
	r := startRedis(t)
	clk := clock.NewFake(start)
	obs := &events{}
	l := replica(t, r, freshPrefix(), clk, WithObserver(obs), WithProbeInterval(time.Second))
	r.srv.Stop()
	done, err := l.Wait(context.Background(), request("r"))
	require.NoError(t, err)
	done(partnerkit.LimitFeedback{Time: clk.Now(), StatusCode: 200})
	r.srv.Restart(t)
	require.NoError(t, startAdmin(t, r).ConfigResetStat(context.Background()).Err(), "the restart's own PING")
	clk.Advance(2 * time.Second)
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			done, err := l.Wait(context.Background(), request("r"))
			if err == nil {
				done(partnerkit.LimitFeedback{Time: clk.Now(), StatusCode: 200})
			}
		}()
	}
	wg.Wait()
	stats, err := startAdmin(t, r).Info(context.Background(), "commandstats").Result()
	require.NoError(t, err)
	require.Contains(t, stats, "cmdstat_ping:calls=1,", "one probe")
	fallbacks, resumptions := obs.count()
	require.Equal(t, 1, fallbacks)
	require.Equal(t, 1, resumptions)
}

// TestSlowRedisNeverHoldsACall: while Redis answers nothing (CLIENT PAUSE),
// a call waits no longer than the Limiter's timeout before going on under
// the process's limits, and a call whose deadline is nearer than the
// timeout goes on within half of what its deadline leaves, without taking
// the whole process off Redis.
func TestSlowRedisNeverHoldsACall(t *testing.T) {
	t.Parallel()
	r := startRedis(t)
	clk := clock.NewFake(start)
	obs := &events{}
	l := replica(t, r, freshPrefix(), clk, WithObserver(obs), WithTimeout(300*time.Millisecond))
	admin := startAdmin(t, r)
	require.NoError(t, admin.Do(context.Background(), "CLIENT", "PAUSE", "3000", "ALL").Err())
	defer func() { _ = admin.Do(context.Background(), "CLIENT", "UNPAUSE").Err() }()

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	began := time.Now()
	done, err := l.Wait(ctx, request("r"))
	require.NoError(t, err)
	done(partnerkit.LimitFeedback{Time: clk.Now(), StatusCode: 200})
	require.Less(t, time.Since(began), 200*time.Millisecond, "within the deadline")
	fallbacks, _ := obs.count()
	require.Zero(t, fallbacks, "a near deadline says nothing of Redis: %v", obs.all)

	began = time.Now()
	done, err = l.Wait(context.Background(), request("r"))
	require.NoError(t, err)
	done(partnerkit.LimitFeedback{Time: clk.Now(), StatusCode: 200})
	took := time.Since(began)
	require.GreaterOrEqual(t, took, 300*time.Millisecond)
	require.Less(t, took, time.Second, "the timeout bounds the wait for Redis")
	fallbacks, _ = obs.count()
	require.Equal(t, 1, fallbacks)

	began = time.Now()
	for range 20 {
		done, err = l.Wait(context.Background(), request("r"))
		require.NoError(t, err)
		done(partnerkit.LimitFeedback{Time: clk.Now(), StatusCode: 200})
	}
	require.Less(t, time.Since(began), 300*time.Millisecond, "once fallen back, calls no longer wait for Redis")

	// A client that does not end its calls at their contexts' deadlines
	// (ContextTimeoutEnabled unset) is bounded all the same.
	deaf := redis.NewClient(&redis.Options{Addr: r.srv.Addr(), MaxRetries: -1, ReadTimeout: 2 * time.Second})
	defer deaf.Close()
	dl := mustLimiter(t, deaf, WithPrefix(freshPrefix()), withClock(clk), WithTimeout(300*time.Millisecond))
	require.False(t, dl.honours)
	began = time.Now()
	done, err = dl.Wait(context.Background(), request("r"))
	require.NoError(t, err)
	done(partnerkit.LimitFeedback{Time: clk.Now(), StatusCode: 200})
	took = time.Since(began)
	require.GreaterOrEqual(t, took, 300*time.Millisecond)
	require.Less(t, took, time.Second, "the timeout bounds the wait for Redis whatever the client's settings")
	require.True(t, l.honours)
}

// TestARequestHeldAcrossTheResumptionIsRecorded: a request that the
// process held while Redis was away, and that goes once Redis is back,
// counts in the fleet's log (a regression: it went unrecorded, and the
// fleet then let another replica exceed the quota); the request sent while
// Redis was away is added to the log when it comes back.
func TestARequestHeldAcrossTheResumptionIsRecorded(t *testing.T) {
	t.Parallel()
	r := startRedis(t)
	clk := clock.NewFake(start)
	prefix := freshPrefix()
	a := replica(t, r, prefix, clk, WithProbeInterval(time.Second))
	q := request("GET /listings", partnerkit.Quota{Limit: 1, Per: time.Minute})
	p := time.Minute + time.Second

	r.srv.Stop()
	done, err := a.Wait(context.Background(), q) // alone, at once
	require.NoError(t, err)
	done(partnerkit.LimitFeedback{Time: clk.Now(), StatusCode: 200})
	went := make(chan time.Time, 1)
	go func() {
		done, err := a.Wait(context.Background(), q) // held by the process's quota until p
		if err == nil {
			went <- clk.Now()
			done(partnerkit.LimitFeedback{Time: clk.Now(), StatusCode: 200})
		}
		close(went)
	}()
	clk.WaitForSleepers(1)
	r.srv.Restart(t)
	clk.Advance(2 * time.Second) // the probe is due
	done, err = a.Wait(context.Background(), request("GET /other"))
	require.NoError(t, err)
	done(partnerkit.LimitFeedback{Time: clk.Now(), StatusCode: 200})
	require.True(t, a.isShared(), "back on Redis")
	n, err := r.rdb.ZCard(context.Background(), a.keysOf(q).quotas[0]).Result()
	require.NoError(t, err)
	require.EqualValues(t, 1, n, "the request sent while Redis was away is in the fleet's log")

	clk.Advance(p - 2*time.Second)
	require.Equal(t, start.Add(p), <-went)
	bclk := clock.NewAutoFake(start.Add(p))
	b := replica(t, r, prefix, bclk)
	require.Equal(t, 2*p, sendAt(t, bclk, b, q), "another replica waits for the held request's place in the fleet's log")
}
