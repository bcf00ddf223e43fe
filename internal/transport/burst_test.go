package transport

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/ratelimit"
)

// TestLearnedHeadersPreventA429Burst sends a burst of concurrent requests,
// far larger than the window, after the client has seen one answer: the
// client waits for the windows instead of spending 429s. The simulated
// clock makes the run exact: time passes only while every worker waits.
func TestLearnedHeadersPreventA429Burst(t *testing.T) {
	t.Parallel()
	start := time.Unix(1_800_000_000, 400_000_000)
	clk := clock.NewSim(start)
	srv := &gateway{clk: clk, limit: 5, length: time.Second, style: routeHeaders}
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

// gateway counts requests in fixed windows of length aligned to clk, at
// most limit each, as Kong and most gateways count them, and describes the
// window in the headers of every answer with style. A refused request gets
// a 429 whose Retry-After is the whole seconds left in the window.
type gateway struct {
	clk    clock.Clock
	limit  int
	length time.Duration
	style  func(h http.Header, limit, remaining int, end, now time.Time)

	mu       sync.Mutex
	counts   map[int64]int
	served   atomic.Int32
	rejected atomic.Int32
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := g.clk.Now()
	k := now.UnixNano() / int64(g.length)
	end := time.Unix(0, (k+1)*int64(g.length))
	g.mu.Lock()
	if g.counts == nil {
		g.counts = make(map[int64]int)
	}
	used := g.counts[k]
	if used < g.limit {
		g.counts[k]++
	}
	g.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if used >= g.limit {
		g.rejected.Add(1)
		g.style(w.Header(), g.limit, 0, end, now)
		w.Header().Set("Retry-After", fmt.Sprint(int(math.Ceil(end.Sub(now).Seconds()))))
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"code":"RATE_LIMIT_EXCEEDED"}`)
		return
	}
	g.served.Add(1)
	g.style(w.Header(), g.limit, g.limit-used-1, end, now)
	fmt.Fprint(w, `{}`)
}

// cohostHeaders are Cohost's: X-RateLimit-* with the reset in Unix seconds.
func cohostHeaders(h http.Header, limit, remaining int, end, _ time.Time) {
	h.Set("X-RateLimit-Limit", fmt.Sprint(limit))
	h.Set("X-RateLimit-Remaining", fmt.Sprint(remaining))
	h.Set("X-RateLimit-Reset", fmt.Sprint(int64(math.Ceil(float64(end.UnixNano())/1e9))))
}

// routeHeaders describe a window per route, with the time left in it as a
// fraction of seconds.
func routeHeaders(h http.Header, limit, remaining int, end, now time.Time) {
	h.Set("X-RateLimit-Limit-Route", fmt.Sprint(limit))
	h.Set("X-RateLimit-Remaining-Route", fmt.Sprint(remaining))
	h.Set("RateLimit-Reset", fmt.Sprintf("%.3f", end.Sub(now).Seconds()))
}

// kongRouteHeaders are Kong's headers for a window per route, without a
// reset, as Alohub's gateway sends them.
func kongRouteHeaders(h http.Header, limit, remaining int, _, _ time.Time) {
	h.Set("X-RateLimit-Limit-Route", fmt.Sprint(limit))
	h.Set("X-RateLimit-Remaining-Route", fmt.Sprint(remaining))
}

// latency delays each request on its way to the server and back by up to
// most, drawn at random, on a simulated clock: the requests of concurrent
// callers are in flight together, and the server counts them when they
// arrive.
type latency struct {
	clk  *clock.Sim
	most time.Duration
	next http.RoundTripper
	mu   sync.Mutex
	rng  *rand.Rand
}

func (l *latency) draw() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return time.Duration(l.rng.Int64N(int64(l.most)))
}

func (l *latency) RoundTrip(r *http.Request) (*http.Response, error) {
	_ = l.clk.Sleep(r.Context(), l.draw())
	resp, err := l.next.RoundTrip(r)
	_ = l.clk.Sleep(r.Context(), l.draw())
	return resp, err
}

// calls makes n calls of GET /r on c from workers goroutines of clk and
// fails the test on an error.
func calls(t *testing.T, clk *clock.Sim, c *Client, workers, n int) {
	t.Helper()
	var next atomic.Int32
	errs := make(chan error, n)
	for range workers {
		clk.Go(func() {
			for next.Add(1) <= int32(n) {
				errs <- c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil)
			}
		})
	}
	clk.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

// TestAResetDecidesTheWindowWhateverTheLengthAssumed: a server counting 20
// requests per 1 s window, reporting Cohost's headers, and a client of
// WithRateLimit(20, time.Second) whose provider documents windows of a
// minute. 48 calls take the quota's time (three bursts of 20, 20 and 8, a
// second and its margin apart), not a minute: the answers' resets decide
// where the windows end.
func TestAResetDecidesTheWindowWhateverTheLengthAssumed(t *testing.T) {
	t.Parallel()
	start := time.Unix(1_800_000_000, 300_000_000)
	clk := clock.NewSim(start)
	srv := &gateway{clk: clk, limit: 20, length: time.Second, style: cohostHeaders}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	c, err := New(Spec{Provider: "test", BaseURL: ts.URL, WindowLength: time.Minute},
		mustConfig(t, WithClock(clk), partnerkit.WithRateLimit(20, time.Second)))
	require.NoError(t, err)
	calls(t, clk, c, 8, 48)
	require.Zero(t, srv.rejected.Load(), "429 answers")
	require.EqualValues(t, 48, srv.served.Load())
	require.Equal(t, 2040*time.Millisecond, clk.Now().Sub(start))
}

// TestWindowsWithoutResetsAreThoseOfTheClock: a route allowed 3 requests
// per 10 s window, counted in windows aligned to the clock and reported
// without a reset (Kong's headers, as Alohub sends them). Whatever the
// phase of the first request in its window, concurrent callers whose
// requests spend up to 200 ms in flight never exceed a window, and lose
// none.
func TestWindowsWithoutResetsAreThoseOfTheClock(t *testing.T) {
	t.Parallel()
	for i, phase := range []time.Duration{0, 400 * time.Millisecond, 5 * time.Second, 9800 * time.Millisecond} {
		t.Run(phase.String(), func(t *testing.T) {
			t.Parallel()
			window := time.Unix(1_800_000_000, 0)
			clk := clock.NewSim(window.Add(phase))
			srv := &gateway{clk: clk, limit: 3, length: 10 * time.Second, style: kongRouteHeaders}
			ts := httptest.NewServer(srv)
			defer ts.Close()
			hc := &http.Client{Transport: &latency{clk: clk, most: 200 * time.Millisecond, next: http.DefaultTransport, rng: rand.New(rand.NewPCG(uint64(i), 1))}}
			c, err := New(Spec{Provider: "test", BaseURL: ts.URL, WindowLength: 10 * time.Second},
				mustConfig(t, WithClock(clk), partnerkit.WithHTTPClient(hc)))
			require.NoError(t, err)
			calls(t, clk, c, 1, 1) // learn the window
			calls(t, clk, c, 6, 30)
			require.Zero(t, srv.rejected.Load(), "429 answers")
			require.EqualValues(t, 31, srv.served.Load())
			// 31 calls at 3 a window need 11 windows: the last opens 100 s
			// after the first, and the calls end within it.
			require.Less(t, clk.Now().Sub(window), 110*time.Second)
		})
	}
}

// TestRetryAfterDecidesWhenASpentWindowReopens: a 429 that also reports 0
// remaining in a window without a reset (Alohub's gateway, whose windows
// are assumed 10 s long) is retried after its Retry-After, not after the
// assumed window.
func TestRetryAfterDecidesWhenASpentWindowReopens(t *testing.T) {
	t.Parallel()
	for _, retryAfter := range []int{1, 3} {
		f := newFixture(t, Spec{WindowLength: 10 * time.Second})
		f.clock.Advance(2 * time.Second) // into the clock's window
		var sent []time.Duration
		f.mock.RegisterResponder(http.MethodGet, testBase+"/contacts", func(r *http.Request) (*http.Response, error) {
			sent = append(sent, f.clock.Now().Sub(epoch))
			if len(sent) == 1 {
				return jsonResponder(429, `{"code":"RATE_LIMIT_EXCEEDED"}`, "X-RateLimit-Limit-Tenant", "50",
					"X-RateLimit-Remaining-Tenant", "0", "Retry-After", fmt.Sprint(retryAfter))(r)
			}
			return jsonResponder(200, `{}`, "X-RateLimit-Limit-Tenant", "50", "X-RateLimit-Remaining-Tenant", "49")(r)
		})
		require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/contacts"}, nil))
		wait := time.Duration(retryAfter) * time.Second
		require.Equal(t, []time.Duration{2 * time.Second, 2*time.Second + wait}, sent, "Retry-After %d", retryAfter)
		require.Equal(t, []time.Duration{wait}, f.clock.Sleeps(), "the engine's wait; the limiter adds none")
	}
}

// TestA429ClosesTheGateItsProviderNames: under Spec.Gate GateCredential a
// 429 holds every route of the credential for its Retry-After; under
// GateRoute (Django REST Framework's scoped throttles) it holds the refused
// route only, while the other views still answer.
func TestA429ClosesTheGateItsProviderNames(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		gate         partnerkit.GateScope
		other, again time.Duration // when /b, then /a again, go
	}{
		{partnerkit.GateCredential, 30 * time.Second, 30 * time.Second},
		{partnerkit.GateRoute, 0, 30 * time.Second},
	} {
		f := newFixture(t, Spec{Gate: tc.gate}, partnerkit.WithMaxRetries(0))
		var sent []string
		answer := func(status int, header ...string) httpmock.Responder {
			return func(r *http.Request) (*http.Response, error) {
				sent = append(sent, fmt.Sprintf("%s at %s", r.URL.Path, f.clock.Now().Sub(epoch)))
				return jsonResponder(status, `{"detail":"Request was throttled."}`, header...)(r)
			}
		}
		f.mock.RegisterResponder(http.MethodGet, testBase+"/a", sequence(answer(429, "Retry-After", "30"), answer(200)))
		f.mock.RegisterResponder(http.MethodGet, testBase+"/b", answer(200))
		err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/a"}, nil)
		require.ErrorIs(t, err, partnerkit.ErrRateLimited)
		require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/b"}, nil))
		require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/a"}, nil))
		require.Equal(t, []string{"/v1/a at 0s", "/v1/b at " + tc.other.String(), "/v1/a at " + tc.again.String()}, sent, "gate %d", tc.gate)
		other := f.client.WithAuth(NewHeaderAuth("X-API-Key", "another key"))
		require.NoError(t, other.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/b"}, nil))
		require.Equal(t, "/v1/b at "+tc.again.String(), sent[3], "another credential is never held")
	}
}

// TestAnAbsurdWaitDoesNotDisableTheClient: a 429 asking to wait ten years
// fails the call at once with ErrRateLimited and the server's wait; the
// calls of the next hour fail at once too, asking to wait what is left of
// the hour the answer holds the credential (MaxHold); after it, a call asks
// the server again.
func TestAnAbsurdWaitDoesNotDisableTheClient(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{})
	const tenYears = 10 * 365 * 24 * time.Hour
	f.mock.RegisterResponder(http.MethodGet, testBase+"/r", sequence(
		jsonResponder(429, `{}`, "Retry-After", fmt.Sprint(int(tenYears/time.Second)), "X-RateLimit-Remaining", "0",
			"X-RateLimit-Reset", fmt.Sprint(epoch.Add(tenYears).Unix())),
		jsonResponder(200, `{}`, "X-RateLimit-Remaining", "59", "X-RateLimit-Reset", fmt.Sprint(epoch.Add(ratelimit.MaxHold+time.Minute).Unix())),
	))
	call := func() error {
		return f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil)
	}
	var apiErr *partnerkit.Error
	require.ErrorAs(t, call(), &apiErr)
	require.ErrorIs(t, apiErr, partnerkit.ErrRateLimited)
	require.Equal(t, tenYears, apiErr.RetryAfter, "the server's wait")
	f.clock.Advance(10 * time.Minute)
	require.ErrorAs(t, call(), &apiErr)
	require.ErrorIs(t, apiErr, partnerkit.ErrRateLimited)
	require.Equal(t, ratelimit.MaxHold-10*time.Minute, apiErr.RetryAfter, "what is left of the hold")
	require.Equal(t, 1, f.mock.GetTotalCallCount())
	require.Empty(t, f.clock.Sleeps())
	f.clock.Advance(ratelimit.MaxHold - 10*time.Minute)
	require.NoError(t, call(), "the server is asked again")
	require.Equal(t, 2, f.mock.GetTotalCallCount())
}

// TestACountThatRoseIsANewWindow: a route allowed 3 requests per 10 s
// window aligned to the clock, reported without a reset. Calls at 5 s and
// 8 s leave 1 in the window [0 s, 10 s); the call at 12 s is the first of
// the next window, which has 2 left after it: two calls at 15 s go at once,
// and a third waits for the window [20 s, 30 s) instead of making a fourth
// in [10 s, 20 s).
func TestACountThatRoseIsANewWindow(t *testing.T) {
	t.Parallel()
	window := time.Unix(1_800_000_000, 0)
	clk := clock.NewAutoFake(window)
	srv := &gateway{clk: clk, limit: 3, length: 10 * time.Second, style: kongRouteHeaders}
	var sent []time.Duration
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent = append(sent, clk.Now().Sub(window))
		srv.ServeHTTP(w, r)
	}))
	defer ts.Close()
	c, err := New(Spec{Provider: "test", BaseURL: ts.URL, WindowLength: 10 * time.Second}, mustConfig(t, WithClock(clk)))
	require.NoError(t, err)
	get := func(at time.Duration) {
		if d := window.Add(at).Sub(clk.Now()); d > 0 {
			clk.Advance(d)
		}
		require.NoError(t, c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil))
	}
	for _, at := range []time.Duration{5, 8, 12, 15, 15, 15} {
		get(at * time.Second)
	}
	require.Zero(t, srv.rejected.Load(), "429 answers")
	require.Equal(t, []time.Duration{5 * time.Second, 8 * time.Second, 12 * time.Second, 15 * time.Second, 15 * time.Second, 20 * time.Second}, sent)
}
