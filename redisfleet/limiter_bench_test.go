package redisfleet

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/cohost"
	"github.com/partnerkit/partnerkit-go/cohost/cohosttest"
	"github.com/partnerkit/partnerkit-go/internal/ratelimit"
	"github.com/partnerkit/partnerkit-go/internal/redistest"
)

// The fleet benchmark's scale: one Cohost key that the fake limits to 40
// requests per 10-second window, and 120 calls shared out among the
// replicas, each a process of its own with 4 goroutines and a client
// limited to 40 per 10 seconds.
const (
	fleetLimit   = 40
	fleetWindow  = 10 * time.Second
	fleetCalls   = 120
	fleetWorkers = 4
)

// fleetMinimum is the least wall time the calls can take under the quota:
// the last of ceil(calls/limit) windows opens (windows-1) lengths after
// the first request.
const fleetMinimum = time.Duration((fleetCalls+fleetLimit-1)/fleetLimit-1) * fleetWindow

// The environment of a replica process (see TestFleetReplica).
const (
	envReplica = "REDISFLEET_BENCH_REPLICA" // the replica's calls; set only in a child
	envBaseURL = "REDISFLEET_BENCH_BASE_URL"
	envRedis   = "REDISFLEET_BENCH_REDIS" // Redis's address, or empty for the in-process limiter
	envPrefix  = "REDISFLEET_BENCH_PREFIX"
	envStart   = "REDISFLEET_BENCH_START" // when to start, in Unix nanoseconds
)

// replicaReport is what a replica process prints when its calls are done.
type replicaReport struct {
	Calls, Failed int
	End           int64 // when the last call ended, in Unix nanoseconds
}

// BenchmarkFleetQuota runs 8 and 32 replicas, each an OS process (this test
// binary, re-executed), sharing one Cohost key against cohosttest with a
// quota of 40 per 10 s windows: "local" gives each replica the in-process
// limiter, as without this package; "redis" gives each a Limiter on one
// Redis. It reports the share of requests answered 429, the failed calls,
// and the wall time as a ratio of the least the quota allows (20 s for 120
// calls), from a start just after a window of the fake opens. A run takes
// 20 s or more; run it with -benchtime 1x.
func BenchmarkFleetQuota(b *testing.B) {
	for _, replicas := range []int{8, 32} {
		for _, mode := range []string{"local", "redis"} {
			b.Run(fmt.Sprintf("replicas=%d/%s", replicas, mode), func(b *testing.B) {
				var share, failed, ratio float64
				for b.Loop() {
					s, f, r := runFleet(b, replicas, mode == "redis")
					share += s
					failed += float64(f)
					ratio += r
				}
				n := float64(b.N)
				b.ReportMetric(100*share/n, "%429")
				b.ReportMetric(failed/n, "failed/op")
				b.ReportMetric(ratio/n, "x-minimum")
			})
		}
	}
}

// runFleet runs one fleet of replicas and returns the share of requests
// answered 429, the failed calls and the wall time over the minimum.
func runFleet(b *testing.B, replicas int, shared bool) (float64, int, float64) {
	b.Helper()
	fake := cohosttest.New()
	fake.SetRateLimit("", fleetLimit, fleetWindow)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	redisAddr := ""
	if shared {
		redisAddr = redistest.Start(b).Addr()
	}
	self, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	// Start just after one of the fake's windows opens, once every replica
	// has had time to start.
	now := time.Now()
	start := now.Truncate(fleetWindow).Add(fleetWindow + 5*time.Millisecond)
	if start.Sub(now) < 2*time.Second {
		start = start.Add(fleetWindow)
	}
	prefix := freshPrefix()
	reports := make([]replicaReport, replicas)
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	for i := range replicas {
		calls := fleetCalls / replicas
		if i < fleetCalls%replicas {
			calls++
		}
		cmd := exec.Command(self, "-test.run", "^TestFleetReplica$", "-test.count", "1")
		cmd.Env = append(os.Environ(),
			envReplica+"="+strconv.Itoa(calls), envBaseURL+"="+srv.URL, envRedis+"="+redisAddr,
			envPrefix+"="+prefix, envStart+"="+strconv.FormatInt(start.UnixNano(), 10))
		cmd.Stderr = os.Stderr
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := cmd.Output()
			if err != nil {
				errs[i] = fmt.Errorf("replica %d: %w", i, err)
				return
			}
			sc := bufio.NewScanner(bytes.NewReader(out))
			for sc.Scan() {
				if json.Unmarshal(sc.Bytes(), &reports[i]) == nil && reports[i].End > 0 {
					return
				}
			}
			errs[i] = fmt.Errorf("replica %d printed no report: %s", i, out)
		}()
	}
	wg.Wait()
	var end int64
	failed, calls := 0, 0
	for i, r := range reports {
		if errs[i] != nil {
			b.Fatal(errs[i])
		}
		failed += r.Failed
		calls += r.Calls
		end = max(end, r.End)
	}
	if calls != fleetCalls {
		b.Fatalf("%d calls made, want %d", calls, fleetCalls)
	}
	wall := time.Unix(0, end).Sub(start)
	share := float64(fake.RateLimited()) / float64(fake.Requests(""))
	return share, failed, wall.Seconds() / fleetMinimum.Seconds()
}

// TestFleetReplica is one replica of BenchmarkFleetQuota, run in a process
// of its own; it does nothing in other runs.
func TestFleetReplica(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv(envReplica))
	if err != nil {
		t.Skip("a replica of BenchmarkFleetQuota; runs only in the benchmark's child processes")
	}
	startNanos, err := strconv.ParseInt(os.Getenv(envStart), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = fleetWorkers
	defer tr.CloseIdleConnections()
	opts := []partnerkit.Option{
		partnerkit.WithBaseURL(os.Getenv(envBaseURL)), partnerkit.WithHTTPClient(&http.Client{Transport: tr}),
		partnerkit.WithRateLimit(fleetLimit, fleetWindow),
	}
	if addr := os.Getenv(envRedis); addr != "" {
		rdb := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true})
		defer rdb.Close()
		l, err := NewLimiter(rdb, WithPrefix(os.Getenv(envPrefix)))
		if err != nil {
			t.Fatal(err)
		}
		// Open the connections before the start, as a running service has.
		if err := rdb.Ping(context.Background()).Err(); err != nil {
			t.Fatal(err)
		}
		opts = append(opts, partnerkit.WithLimiter(l))
	}
	c, err := cohost.New(cohosttest.APIKey, opts...)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Until(time.Unix(0, startNanos)))
	var next, failed atomic.Int32
	var wg sync.WaitGroup
	for range fleetWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for int(next.Add(1)) <= n {
				if _, err := c.Listings.List(context.Background(), nil); err != nil {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	report, _ := json.Marshal(replicaReport{Calls: n, Failed: int(failed.Load()), End: time.Now().UnixNano()})
	fmt.Println(string(report))
}

// BenchmarkWait measures what a Limiter adds to each call when nothing
// holds it: Wait and done, with a quota that never fills, for the
// in-process limiter and for the Limiter on a Redis on loopback, from one
// goroutine and from many; "ping" is one round trip to that Redis, for
// scale.
func BenchmarkWait(b *testing.B) {
	r := startRedis(b)
	b.Run("ping", func(b *testing.B) {
		for b.Loop() {
			if err := r.rdb.Ping(context.Background()).Err(); err != nil {
				b.Fatal(err)
			}
		}
	})
	req := request("GET /listings", partnerkit.Quota{Limit: 1 << 30, Per: time.Second})
	for _, tc := range []struct {
		name    string
		limiter func() partnerkit.Limiter
	}{
		{"local", func() partnerkit.Limiter { return ratelimit.New(nil) }},
		{"redis", func() partnerkit.Limiter { return mustLimiter(b, r.rdb, WithPrefix(freshPrefix())) }},
	} {
		ok := partnerkit.LimitFeedback{StatusCode: 200}
		b.Run(tc.name, func(b *testing.B) {
			l := tc.limiter()
			for b.Loop() {
				done, err := l.Wait(context.Background(), req)
				if err != nil {
					b.Fatal(err)
				}
				done(ok)
			}
		})
		b.Run(tc.name+"-parallel", func(b *testing.B) {
			l := tc.limiter()
			b.SetParallelism(8)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					done, err := l.Wait(context.Background(), req)
					if err != nil {
						b.Error(err)
						return
					}
					done(ok)
				}
			})
		})
	}
}
