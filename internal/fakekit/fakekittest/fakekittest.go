// Package fakekittest is the table of checks that every fake's tests run
// against the fake's own routes: the exact semantics of the knobs all five
// fakes share (FailNext, SetRateLimit, Requests, RateLimited, WithClock and
// Advance), as ARCHITECTURE.md states them.
//
//	func TestSharedKnobs(t *testing.T) {
//		fakekittest.Run(t, fakekittest.Subject{
//			New: func(now func() time.Time) fakekittest.Fake {
//				if now == nil {
//					return cohosttest.New()
//				}
//				return cohosttest.New(cohosttest.WithClock(now))
//			},
//			Route:   "GET /listings",
//			Routes:  cohosttest.Routes(),
//			Request: func() *http.Request { ... an authenticated GET /listings ... },
//			Refused: func() *http.Request { ... the same with a wrong key ... },
//		})
//	}
package fakekittest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Fake is what the checks drive: the knobs every fake has.
type Fake interface {
	http.Handler
	Advance(d time.Duration)
	FailNext(n, status int)
	SetRateLimit(route string, limit int, per time.Duration)
	Requests(route string) int
	RateLimited() int
}

// Subject is one fake under the checks.
type Subject struct {
	// New returns a new fake that tells time with now, or with the system
	// clock when now is nil (no WithClock).
	New func(now func() time.Time) Fake
	// Route is the route Request and Refused are sent on.
	Route string
	// Routes are every route the fake serves.
	Routes []string
	// Request returns a new request on Route that a new fake answers with
	// a success, as many times as it is sent.
	Request func() *http.Request
	// Refused returns a new request on Route that one of the fake's checks
	// refuses (a wrong credential), answered with a status other than
	// those the checks inject (500, 503).
	Refused func() *http.Request
}

// Run runs every check against s, each as a subtest.
func Run(t *testing.T, s Subject) {
	t.Helper()
	for _, c := range Checks {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			c.Check(t, s)
		})
	}
}

// T is what a check reports to: *testing.T, or a recorder in the tests
// of the checks themselves. Fatalf ends the check.
type T interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Check is one rule the shared knobs follow.
type Check struct {
	Name  string
	Check func(t T, s Subject)
}

// epoch is the time of the checks' clocks: half a minute into an hour, so
// that windows aligned on the clock end before a period has passed.
var epoch = time.Date(2025, 6, 1, 9, 0, 30, 0, time.UTC)

// testClock is a clock the checks move.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) move(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// serve sends r to f and returns the answer's status.
func serve(f Fake, r *http.Request) int {
	w := httptest.NewRecorder()
	f.ServeHTTP(w, r)
	return w.Code
}

// statuses sends n of s's requests (ok: Request, else Refused) and returns
// their statuses.
func statuses(f Fake, newRequest func() *http.Request, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = serve(f, newRequest())
	}
	return out
}

// success is what a check expects of a request the fake serves.
const success = 200

// ok maps a success status to 200, so that checks compare lists of statuses.
func ok(status int) int {
	if status >= 200 && status < 300 {
		return success
	}
	return status
}

func okAll(statuses []int) []int {
	for i, s := range statuses {
		statuses[i] = ok(s)
	}
	return statuses
}

func equal(t T, want, got any, what string) {
	t.Helper()
	if fmt.Sprint(want) != fmt.Sprint(got) {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

// panicOf runs f and returns what it panicked with, nil if it did not.
func panicOf(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// unknownRoute is a route no fake serves.
const unknownRoute = "GET /fakekittest/no-such-route"

// Checks are the rules, in the order Run runs them.
var Checks = []Check{
	{"the subject's request succeeds and the refused one is refused", func(t T, s Subject) {
		f := s.New(nil)
		equal(t, []int{success, success}, okAll(statuses(f, s.Request, 2)), "two requests")
		if got := serve(f, s.Refused()); got < 400 || got == 500 || got == 503 {
			t.Fatalf("the refused request got %d, want a refusal other than 500 and 503", got)
		}
	}},
	{"Requests counts every request on its route, refused and failed ones included", func(t T, s Subject) {
		f := s.New(nil)
		serve(f, s.Request())
		serve(f, s.Refused())
		f.FailNext(1, http.StatusServiceUnavailable)
		serve(f, s.Request())
		equal(t, 3, f.Requests(s.Route), "Requests(route)")
		equal(t, 3, f.Requests(""), `Requests("")`)
		serve(f, httptest.NewRequest(http.MethodGet, "/fakekittest/no-such-path/", nil))
		equal(t, 3, f.Requests(s.Route), "Requests(route) after a request on no route")
		equal(t, 4, f.Requests(""), `Requests("") counts a request on no route`)
	}},
	{"Requests starts at zero on every route the fake serves", func(t T, s Subject) {
		f := s.New(nil)
		for _, r := range s.Routes {
			equal(t, 0, f.Requests(r), r)
		}
		equal(t, 0, f.Requests(""), `Requests("")`)
	}},
	{"Requests panics on a route the fake does not serve, listing those it serves", func(t T, s Subject) {
		f := s.New(nil)
		v := panicOf(func() { f.Requests(unknownRoute) })
		msg, isString := v.(string)
		if !isString {
			t.Fatalf("Requests(%q) panicked with %v, want a message", unknownRoute, v)
		}
		for _, r := range append([]string{unknownRoute}, s.Routes...) {
			if !strings.Contains(msg, fmt.Sprintf("%q", r)) {
				t.Fatalf("the panic %q does not name %q", msg, r)
			}
		}
	}},
	{"SetRateLimit panics on a route the fake does not serve", func(t T, s Subject) {
		f := s.New(nil)
		if panicOf(func() { f.SetRateLimit(unknownRoute, 1, time.Minute) }) == nil {
			t.Fatalf("SetRateLimit(%q) did not panic", unknownRoute)
		}
	}},
	{"FailNext queues: a second call adds to the failures pending", func(t T, s Subject) {
		f := s.New(nil)
		f.FailNext(1, http.StatusServiceUnavailable)
		f.FailNext(2, http.StatusInternalServerError)
		equal(t, []int{503, 500, 500, success}, okAll(statuses(f, s.Request, 4)), "statuses")
		equal(t, 4, f.Requests(s.Route), "Requests")
	}},
	{"FailNext with n of zero or less fails nothing", func(t T, s Subject) {
		f := s.New(nil)
		f.FailNext(0, http.StatusServiceUnavailable)
		f.FailNext(-2, http.StatusServiceUnavailable)
		equal(t, []int{success}, okAll(statuses(f, s.Request, 1)), "statuses")
	}},
	{"FailNext fires before any check: the credential", func(t T, s Subject) {
		f := s.New(nil)
		f.FailNext(2, http.StatusServiceUnavailable)
		equal(t, []int{503, 503}, statuses(f, s.Refused, 2), "refused requests")
		equal(t, []int{success}, okAll(statuses(f, s.Request, 1)), "then")
	}},
	{"FailNext fires before any check: the quota, which a failure does not spend", func(t T, s Subject) {
		f := s.New((&testClock{now: epoch}).Now)
		f.SetRateLimit(s.Route, 1, time.Minute)
		f.FailNext(2, http.StatusInternalServerError)
		equal(t, []int{500, 500, success, 429}, okAll(statuses(f, s.Request, 4)), "statuses")
		f.FailNext(1, http.StatusServiceUnavailable)
		equal(t, []int{503, 429}, okAll(statuses(f, s.Request, 2)), "a failure before a spent quota")
		equal(t, 2, f.RateLimited(), "RateLimited")
	}},
	{"FailNext's 429 is not a spent quota", func(t T, s Subject) {
		f := s.New(nil)
		f.FailNext(2, http.StatusTooManyRequests)
		equal(t, []int{429, 429, success}, okAll(statuses(f, s.Request, 3)), "statuses")
		equal(t, 0, f.RateLimited(), "RateLimited")
	}},
	{"SetRateLimit on a route admits limit requests per period, then 429", func(t T, s Subject) {
		clk := &testClock{now: epoch}
		f := s.New(clk.Now)
		f.SetRateLimit(s.Route, 2, time.Minute)
		equal(t, []int{success, success, 429, 429}, okAll(statuses(f, s.Request, 4)), "statuses")
		equal(t, 2, f.RateLimited(), "RateLimited")
		equal(t, 4, f.Requests(s.Route), "Requests")
		clk.move(time.Minute)
		equal(t, []int{success, success, 429}, okAll(statuses(f, s.Request, 3)), "statuses a period later")
		equal(t, 3, f.RateLimited(), "RateLimited")
	}},
	{`SetRateLimit("") is the quota every request counts against`, func(t T, s Subject) {
		f := s.New((&testClock{now: epoch}).Now)
		f.SetRateLimit("", 1, time.Minute)
		equal(t, []int{success, 429}, okAll(statuses(f, s.Request, 2)), "statuses")
		equal(t, 1, f.RateLimited(), "RateLimited")
	}},
	{"a limit or a period of zero or less removes the quota", func(t T, s Subject) {
		for _, route := range []string{s.Route, ""} {
			for _, q := range []struct {
				limit int
				per   time.Duration
			}{{0, time.Minute}, {-1, time.Minute}, {1, 0}, {1, -time.Minute}} {
				f := s.New((&testClock{now: epoch}).Now)
				f.SetRateLimit(route, 1, time.Hour)
				equal(t, []int{success, 429}, okAll(statuses(f, s.Request, 2)), "with the quota")
				f.SetRateLimit(route, q.limit, q.per)
				equal(t, []int{success, success, success}, okAll(statuses(f, s.Request, 3)),
					fmt.Sprintf("SetRateLimit(%q, %d, %v)", route, q.limit, q.per))
			}
		}
	}},
	{"setting a quota again counts afresh", func(t T, s Subject) {
		f := s.New((&testClock{now: epoch}).Now)
		f.SetRateLimit(s.Route, 1, time.Hour)
		equal(t, []int{success, 429}, okAll(statuses(f, s.Request, 2)), "statuses")
		f.SetRateLimit(s.Route, 1, time.Hour)
		equal(t, []int{success, 429}, okAll(statuses(f, s.Request, 2)), "statuses after SetRateLimit")
	}},
	{"WithClock: the fake tells time with the clock, and Advance adds to it", func(t T, s Subject) {
		clk := &testClock{now: epoch}
		f := s.New(clk.Now)
		f.SetRateLimit(s.Route, 1, time.Hour)
		equal(t, []int{success, 429}, okAll(statuses(f, s.Request, 2)), "statuses")
		clk.move(30 * time.Minute)
		f.Advance(30 * time.Minute)
		equal(t, []int{success, 429}, okAll(statuses(f, s.Request, 2)), "an hour later, half on each")
	}},
	{"Advance moves the fake's own time without WithClock", func(t T, s Subject) {
		// A day's window, so that one aligned on the system clock ends
		// between the two requests once in a day at most.
		f := s.New(nil)
		f.SetRateLimit(s.Route, 1, 24*time.Hour)
		equal(t, []int{success, 429}, okAll(statuses(f, s.Request, 2)), "statuses")
		f.Advance(24 * time.Hour)
		equal(t, []int{success, 429}, okAll(statuses(f, s.Request, 2)), "statuses after Advance")
	}},
}
