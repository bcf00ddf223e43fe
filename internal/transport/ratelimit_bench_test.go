package transport

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
)

// The learned-windows benchmark's scale: a gateway counting 20 requests per
// 1 s window aligned to the clock, 48 calls from 8 goroutines.
const (
	benchLimit   = 20
	benchWindow  = time.Second
	benchCalls   = 48
	benchWorkers = 8
)

// BenchmarkLearnedWindows makes 48 calls from 8 goroutines, on the real
// clock, against an httptest gateway that allows 20 requests per 1 s window
// aligned to the clock and answers with X-RateLimit-Limit, -Remaining and
// -Reset (Unix seconds), as Cohost does. The client assumes Cohost's windows
// of a minute; "quota" adds WithRateLimit(20, time.Second), "headers" has no
// static quota. Each run starts just after a window opens. It reports the
// 429 answers and the wall time as a ratio of the minimum the gateway
// allows: from the first request to the opening of the third window, the
// last the calls need. Run it with -benchtime=3x; a run takes two seconds.
func BenchmarkLearnedWindows(b *testing.B) {
	for _, tc := range []struct {
		name string
		opts []partnerkit.Option
	}{
		{"quota", []partnerkit.Option{partnerkit.WithRateLimit(benchLimit, benchWindow)}},
		{"headers", nil},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var rejected, attempts, failed int
			var ratio float64
			for b.Loop() {
				r, f, a, x := runLearnedWindows(b, tc.opts)
				rejected += r
				failed += f
				attempts += a
				ratio += x
			}
			n := float64(b.N)
			b.ReportMetric(float64(rejected)/n, "429s/op")
			b.ReportMetric(float64(attempts)/n, "attempts/op")
			b.ReportMetric(float64(failed)/n, "failed/op")
			b.ReportMetric(ratio/n, "x-minimum")
		})
	}
}

// runLearnedWindows makes one run with opts and returns the 429 answers, the failed
// calls, the attempts and the wall time over the minimum.
func runLearnedWindows(b *testing.B, opts []partnerkit.Option) (rejected, failed, attempts int, ratio float64) {
	b.Helper()
	srv := &gateway{clk: clock.Real, limit: benchLimit, length: benchWindow, style: cohostHeaders}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = benchWorkers
	defer tr.CloseIdleConnections()
	opts = append([]partnerkit.Option{partnerkit.WithHTTPClient(&http.Client{Transport: tr})}, opts...)
	c, err := New(Spec{Provider: "bench", BaseURL: ts.URL, WindowLength: time.Minute}, mustConfig(b, opts...))
	if err != nil {
		b.Fatal(err)
	}
	// Start 5 ms into a window, so that the calls need three windows.
	now := time.Now()
	time.Sleep(now.Truncate(benchWindow).Add(benchWindow + 5*time.Millisecond).Sub(now))
	start := time.Now()
	minimum := start.Truncate(benchWindow).Add(2 * benchWindow).Sub(start)
	var next, fails atomic.Int32
	var wg sync.WaitGroup
	for range benchWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= benchCalls {
				if err := c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/listings"}, nil); err != nil {
					fails.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	wall := time.Since(start)
	rejected = int(srv.rejected.Load())
	return rejected, int(fails.Load()), rejected + int(srv.served.Load()), wall.Seconds() / minimum.Seconds()
}
