package faults

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/cohost"
	"github.com/partnerkit/partnerkit-go/cohost/cohosttest"
	"github.com/partnerkit/partnerkit-go/internal/redistest"
	"github.com/partnerkit/partnerkit-go/redisfleet"
)

// The fleet of the Redis faults: replicas, each a process of its own with
// its client and Limiter, sharing one Cohost key that the fake limits to
// fleetLimit requests per second, through a Redis behind toxiproxy. The
// run has three phases: the fleet shares the quota; Redis fails; Redis is
// back, and once every replica says it shares again and a window has
// passed (what the replicas sent alone has left the server's windows),
// the fleet shares the quota again for a while.
const (
	fleetReplicas  = 4
	fleetWorkers   = 2 // goroutines per replica
	fleetLimit     = 10
	fleetPhase     = 1200 * time.Millisecond // before the fault, and the fault's length
	fleetTail      = 1500 * time.Millisecond // the calls made once every replica shares again
	fleetGiveUp    = 15 * time.Second        // the longest the fleet may take to come back
	redisTimeout   = 150 * time.Millisecond
	redisProbe     = 200 * time.Millisecond
	fleetDeadline  = 5 * time.Second
	fleetMax429    = 0.35 // of every request, over the whole run
	fleetMaxShared = 0.02 // of the requests sent while every replica shared the quota
)

// go-redis logs the connections it cannot make; these tests stop Redis on
// purpose.
func init() {
	redis.SetLogger(quiet{})
}

// quiet is a go-redis logger that writes nothing.
type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

// redisFault is something that happens to the fleet's Redis.
type redisFault struct {
	name, what   string
	apply, clear func(t *testing.T, srv *redistest.Server, proxy *toxiproxy.Proxy) error
}

var redisFaults = []redisFault{
	{
		name: "stopped", what: "Redis stopped, then restarted with its data lost",
		apply: func(_ *testing.T, srv *redistest.Server, _ *toxiproxy.Proxy) error { srv.Stop(); return nil },
		clear: func(t *testing.T, srv *redistest.Server, _ *toxiproxy.Proxy) error { srv.Restart(t); return nil },
	},
	{
		name: "latency", what: "Redis answers 500 ms late (the limiter waits 150 ms), then on time",
		apply: func(_ *testing.T, _ *redistest.Server, p *toxiproxy.Proxy) error {
			_, err := p.Toxics.AddToxicJson(strings.NewReader(`{"name":"slow","type":"latency","stream":"downstream","toxicity":1,"attributes":{"latency":500}}`))
			return err
		},
		clear: func(_ *testing.T, _ *redistest.Server, p *toxiproxy.Proxy) error {
			return p.Toxics.RemoveToxic(context.Background(), "slow")
		},
	},
}

// fleetEvents records what one replica's Limiter reported.
type fleetEvents struct {
	mu          sync.Mutex
	fallbacks   []time.Time
	resumptions []time.Time
}

// sharing says whether the replica came back to the shared limits after
// since, and stayed.
func (e *fleetEvents) sharing(since time.Time) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := len(e.resumptions)
	return n > 0 && n >= len(e.fallbacks) && e.resumptions[n-1].After(since)
}

func (e *fleetEvents) Observe(_ context.Context, ev partnerkit.Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch ev.(type) {
	case *partnerkit.LimiterFallback:
		e.fallbacks = append(e.fallbacks, time.Now())
	case *partnerkit.LimiterResumed:
		e.resumptions = append(e.resumptions, time.Now())
	}
}

// TestRedisFaults runs a fleet sharing one quota through redisfleet while
// its Redis fails: no call fails because of Redis, none outlasts its
// deadline, the share of 429 answers stays bounded (and near zero while
// Redis is healthy), and every replica falls back once and comes back to
// the shared limits by itself, as its observer saw.
func TestRedisFaults(t *testing.T) {
	for _, f := range redisFaults {
		t.Run(f.name, func(t *testing.T) { runFleet(t, f) })
	}
}

func runFleet(t *testing.T, f redisFault) {
	srv := redistest.Start(t)
	proxy := toxiproxy.NewProxy(toxiproxy.NewServer(toxiproxy.NewMetricsContainer(nil), zerolog.Nop()), "redis", "127.0.0.1:0", srv.Addr())
	if err := proxy.Start(); err != nil {
		t.Fatal(err)
	}
	defer proxy.Stop()
	fake := cohosttest.New()
	fake.SetRateLimit("", fleetLimit, time.Second)
	answers := &answerLog{next: fake}
	hs := httptest.NewServer(answers)
	defer hs.Close()

	type replica struct {
		client *cohost.Client
		events *fleetEvents
	}
	var fleet []replica
	for range fleetReplicas {
		rdb := redis.NewClient(&redis.Options{Addr: proxy.Listen, ContextTimeoutEnabled: true, MaxRetries: -1})
		defer rdb.Close()
		ev := &fleetEvents{}
		l, err := redisfleet.NewLimiter(rdb, redisfleet.WithTimeout(redisTimeout), redisfleet.WithProbeInterval(redisProbe), redisfleet.WithObserver(ev))
		if err != nil {
			t.Fatal(err)
		}
		tr := &http.Transport{MaxIdleConnsPerHost: fleetWorkers}
		defer tr.CloseIdleConnections()
		c, err := cohost.New(cohosttest.APIKey, partnerkit.WithBaseURL(hs.URL), partnerkit.WithHTTPClient(&http.Client{Transport: tr}),
			partnerkit.WithLimiter(l), partnerkit.WithRateLimit(fleetLimit, time.Second), partnerkit.WithMaxRetries(10))
		if err != nil {
			t.Fatal(err)
		}
		fleet = append(fleet, replica{c, ev})
	}

	began := time.Now()
	faultAt, clearAt := began.Add(fleetPhase), began.Add(2*fleetPhase)
	var end atomic.Int64 // when the workers stop, in Unix nanoseconds
	end.Store(began.Add(fleetGiveUp).UnixNano())
	var tailStart time.Time // set before end moves
	faultDone := make(chan error, 1)
	go func() {
		time.Sleep(time.Until(faultAt))
		if err := f.apply(t, srv, proxy); err != nil {
			faultDone <- err
			return
		}
		time.Sleep(time.Until(clearAt))
		if err := f.clear(t, srv, proxy); err != nil {
			faultDone <- err
			return
		}
		for time.Now().Before(began.Add(fleetGiveUp)) {
			back := true
			for _, r := range fleet {
				back = back && r.events.sharing(clearAt)
			}
			if back {
				tailStart = time.Now().Add(time.Second)
				end.Store(tailStart.Add(fleetTail).UnixNano())
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		faultDone <- nil
	}()

	var mu sync.Mutex
	var failures []error
	var calls int
	var slowest time.Duration
	var wg sync.WaitGroup
	for _, r := range fleet {
		for range fleetWorkers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for time.Now().UnixNano() < end.Load() {
					ctx, cancel := context.WithTimeout(context.Background(), fleetDeadline)
					start := time.Now()
					_, err := r.client.Listings.List(ctx, nil)
					took := time.Since(start)
					cancel()
					mu.Lock()
					calls++
					slowest = max(slowest, took)
					if err != nil {
						failures = append(failures, err)
					}
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	if err := <-faultDone; err != nil {
		t.Fatal(err)
	}

	if tailStart.IsZero() {
		t.Fatalf("the replicas did not all share the quota again within %s", fleetGiveUp)
	}
	total, refused := fake.Requests(""), fake.RateLimited()
	share := float64(refused) / float64(total)
	t.Logf("redis %s (%s): %d calls, %d failed, slowest %s; %d requests, %d answered 429 (%.1f%%)",
		f.name, f.what, calls, len(failures), slowest.Round(time.Millisecond), total, refused, 100*share)
	for _, phase := range []struct {
		name     string
		from, to time.Time
		max      float64
	}{
		{"before the fault", began, faultAt, fleetMaxShared},
		{"from the fault until every replica shares again, and a window more", faultAt, tailStart, 1},
		{"then", tailStart, time.Unix(0, end.Load()), fleetMaxShared},
	} {
		n, r := answers.between(phase.from, phase.to)
		t.Logf("  %s (%s to %s): %d answers, %d answered 429", phase.name,
			phase.from.Sub(began).Round(time.Millisecond), phase.to.Sub(began).Round(time.Millisecond), n, r)
		if float64(r) > phase.max*float64(n) {
			t.Errorf("%s, %d of %d answers were 429s, more than %.0f%%", phase.name, r, n, 100*phase.max)
		}
	}
	for _, err := range failures {
		t.Errorf("a call failed: %v", err)
	}
	if slowest > fleetDeadline+slack {
		t.Errorf("a call took %s, past its %s deadline", slowest, fleetDeadline)
	}
	if share > fleetMax429 {
		t.Errorf("%.1f%% of the requests were answered 429, more than %.0f%%", 100*share, 100*fleetMax429)
	}
	for i, r := range fleet {
		r.events.mu.Lock()
		fb, res := r.events.fallbacks, r.events.resumptions
		r.events.mu.Unlock()
		if len(fb) == 0 || len(res) == 0 {
			t.Errorf("replica %d: %d fallbacks and %d resumptions; want the fault seen and the shared mode back", i, len(fb), len(res))
			continue
		}
		if fb[0].Before(faultAt) {
			t.Errorf("replica %d fell back %s before the fault", i, faultAt.Sub(fb[0]))
		}
		last := res[len(res)-1]
		if len(fb) > len(res) || last.Before(clearAt) {
			t.Errorf("replica %d did not come back after the fault (fallbacks at %v, resumptions at %v)", i, since(began, fb), since(began, res))
		}
	}
}

// answerLog records when each answer of a handler left, and its status.
type answerLog struct {
	next http.Handler
	mu   sync.Mutex
	at   []time.Time
	code []int
}

func (a *answerLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
	a.next.ServeHTTP(rec, r)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.at = append(a.at, time.Now())
	a.code = append(a.code, rec.code)
}

// between returns the answers and the 429s among them in [from, to).
func (a *answerLog) between(from, to time.Time) (answers, refused int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, at := range a.at {
		if !at.Before(from) && at.Before(to) {
			answers++
			if a.code[i] == http.StatusTooManyRequests {
				refused++
			}
		}
	}
	return answers, refused
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

// since returns times as offsets from began, for messages.
func since(began time.Time, ts []time.Time) string {
	var out []string
	for _, ts := range ts {
		out = append(out, ts.Sub(began).Round(time.Millisecond).String())
	}
	return fmt.Sprint(out)
}
