package ratelimit

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/partnerkit/partnerkit-go"
)

// stepClock moves by step at every reading, so that a benchmark spreads its
// requests over time as a busy client does, without a lock of its own. It
// never sleeps: the benchmarks never wait.
type stepClock struct {
	start time.Time
	step  time.Duration
	n     atomic.Int64
}

func (c *stepClock) Now() time.Time {
	return c.start.Add(time.Duration(c.n.Add(1)) * c.step)
}

func (c *stepClock) Sleep(ctx context.Context, d time.Duration) error {
	panic("the benchmark's limits never make a request wait")
}

// benchRequest is a Cohost request: 60 per minute, learned windows of a
// minute. The benchmark's clock moves 1.5 s a request, so nothing waits.
func benchRequest() *partnerkit.LimitRequest {
	return &partnerkit.LimitRequest{
		Provider: "bench", Credential: "key", Route: "GET /listings",
		Quotas:  []partnerkit.Quota{{Limit: 60, Per: time.Minute}},
		Window:  time.Minute,
		MaxWait: time.Minute,
		Learn:   true,
	}
}

// benchFeedback is an answer that reports a window with room to spare.
func benchFeedback(now time.Time) partnerkit.LimitFeedback {
	return partnerkit.LimitFeedback{Time: now, StatusCode: 200, Windows: []partnerkit.RateWindow{
		{Limit: 100, Remaining: 90, Reset: now.Truncate(time.Minute).Add(time.Minute)},
	}}
}

// benchFeedbackNoReset is the same answer without a reset, as Alohub's
// gateway sends it.
func benchFeedbackNoReset(now time.Time) partnerkit.LimitFeedback {
	return partnerkit.LimitFeedback{Time: now, StatusCode: 200, Windows: []partnerkit.RateWindow{
		{Name: "tenant", Limit: 100, Remaining: 90},
	}}
}

// BenchmarkWait measures one Wait and its done with a static quota and a
// learned window that never hold the request: the cost the limiter adds to
// every attempt, with answers that report the window's reset and without.
func BenchmarkWait(b *testing.B) {
	serial := func(feedback func(time.Time) partnerkit.LimitFeedback) func(*testing.B) {
		return func(b *testing.B) {
			clk := &stepClock{start: time.Unix(1_800_000_000, 0), step: 1500 * time.Millisecond}
			l := New(clk)
			r := benchRequest()
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				done, err := l.Wait(ctx, r)
				if err != nil {
					b.Fatal(err)
				}
				done(feedback(clk.Now()))
			}
		}
	}
	b.Run("serial", serial(benchFeedback))
	b.Run("serial-no-reset", serial(benchFeedbackNoReset))
	b.Run("parallel", func(b *testing.B) {
		clk := &stepClock{start: time.Unix(1_800_000_000, 0), step: 1500 * time.Millisecond}
		l := New(clk)
		ctx := context.Background()
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			r := benchRequest()
			for pb.Next() {
				done, err := l.Wait(ctx, r)
				if err != nil {
					b.Error(err)
					return
				}
				done(benchFeedback(clk.Now()))
			}
		})
	})
}
