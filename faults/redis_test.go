package faults

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
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
// fault lasts the middle third of the run.
const (
	fleetReplicas  = 4
	fleetWorkers   = 2 // goroutines per replica
	fleetLimit     = 10
	fleetRun       = 3600 * time.Millisecond
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
	faultAt, clearAt := began.Add(fleetRun/3), began.Add(2*fleetRun/3)
	faultDone := make(chan error, 1)
	go func() {
		time.Sleep(time.Until(faultAt))
		if err := f.apply(t, srv, proxy); err != nil {
			faultDone <- err
			return
		}
		time.Sleep(time.Until(clearAt))
		faultDone <- f.clear(t, srv, proxy)
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
				for time.Since(began) < fleetRun {
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

	var back time.Time // when the last replica came back
	for _, r := range fleet {
		r.events.mu.Lock()
		if n := len(r.events.resumptions); n > 0 && r.events.resumptions[n-1].After(back) {
			back = r.events.resumptions[n-1]
		}
		r.events.mu.Unlock()
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
		{"from the fault until every replica was back", faultAt, back, 1},
		{"once every replica was back", back, began.Add(2 * fleetRun), fleetMaxShared},
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
