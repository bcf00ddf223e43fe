package transport

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
)

// fixedWindowServer allows limit requests per window of length, aligned to
// multiples of length on clk, and reports what is left in headers.
type fixedWindowServer struct {
	clk      clock.Clock
	limit    int
	length   time.Duration
	mu       sync.Mutex
	counts   map[int64]int
	served   atomic.Int32
	rejected atomic.Int32
}

func (s *fixedWindowServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := s.clk.Now()
	k := now.UnixNano() / int64(s.length)
	end := time.Unix(0, (k+1)*int64(s.length))
	s.mu.Lock()
	used := s.counts[k]
	if used < s.limit {
		s.counts[k]++
	}
	s.mu.Unlock()
	w.Header().Set("X-RateLimit-Limit-Route", fmt.Sprint(s.limit))
	w.Header().Set("RateLimit-Reset", fmt.Sprintf("%.3f", end.Sub(now).Seconds()))
	w.Header().Set("Content-Type", "application/json")
	if used >= s.limit {
		s.rejected.Add(1)
		w.Header().Set("X-RateLimit-Remaining-Route", "0")
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"code":"RATE_LIMIT_EXCEEDED"}`)
		return
	}
	s.served.Add(1)
	w.Header().Set("X-RateLimit-Remaining-Route", fmt.Sprint(s.limit-used-1))
	fmt.Fprint(w, `{}`)
}

// TestLearnedHeadersPreventA429Burst sends a burst of concurrent requests,
// far larger than the window, after the client has seen one answer: the
// client waits for the windows instead of spending 429s. The simulated
// clock makes the run exact: time passes only while every worker waits.
func TestLearnedHeadersPreventA429Burst(t *testing.T) {
	t.Parallel()
	start := time.Unix(1_800_000_000, 400_000_000)
	clk := clock.NewSim(start)
	srv := &fixedWindowServer{clk: clk, limit: 5, length: time.Second, counts: map[int64]int{}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	c, err := New(Spec{Provider: "test", BaseURL: ts.URL, WindowLength: time.Second},
		mustConfig(t, WithClock(clk), partnerkit.WithMaxRetries(0)))
	require.NoError(t, err)
	get := func() error { return c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil) }
	require.NoError(t, get())

	const workers, each = 30, 4
	errs := make(chan error, workers*each)
	for range workers {
		clk.Go(func() {
			for range each {
				if err := get(); err != nil {
					errs <- err
				}
			}
		})
	}
	clk.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Zero(t, srv.rejected.Load(), "429 answers")
	require.EqualValues(t, 1+workers*each, srv.served.Load())
	// 121 requests at 5 a window, starting 0.4s into one: the last window
	// opens 23.6s after the start, and the client loses no time waiting.
	require.Equal(t, 23600*time.Millisecond, clk.Now().Sub(start))
}
