// Package fakekit is the machinery the providers' fakes (cohosttest,
// chekintest, etelecomtest, alohubtest, colivingtest) share, so that the
// knobs every fake has behave the same in all five: the fake's clock
// (WithClock, Advance), the queue of injected failures (FailNext), the
// quotas and their windows (SetRateLimit), the count of requests by route
// (Requests) and of those refused for a spent quota (RateLimited). It also
// holds the few helpers more than one fake needs: JSON answers, HS256
// tokens and webhook deliveries.
//
// A fake keeps one Kit and answers with its provider's own bodies:
//
//	kit := fakekit.New("cohosttest", fakekit.Aligned, "GET /listings", "POST /bookings")
//	kit.SetRateLimit("", 60, time.Minute) // the documented per-key quota
//	// in ServeHTTP, with the route the request matched ("" for none):
//	if f, ok := kit.Receive(route); ok {
//		// answer f.Status with the provider's error body, before any check
//	}
//	// ... check the credential, then:
//	if v := kit.Admit(key, "", route); !v.Admitted() {
//		// answer 429 with the provider's body and v.RetryAfter()
//	}
//
// Every method of a Kit is safe for concurrent use. A Kit calls nothing of
// the fake that holds it, so a fake may call it with its own lock held.
package fakekit

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Failure is an answer a fake was told to give in place of the next
// request's: an HTTP status and, for providers that have them, the
// provider's error code.
type Failure struct {
	Status int
	Code   string
}

// Kit is the state behind the knobs of one fake. Build it with New.
type Kit struct {
	fake   string
	routes []string // the routes the fake serves, in the order given
	served map[string]bool
	window Window

	mu       sync.Mutex
	now      func() time.Time
	offset   time.Duration
	failures []Failure
	quotas   map[string]quota // by route; "" is the quota every request counts against
	each     *quota           // the quota of every route without one of its own
	counters map[counterKey]*counter
	requests map[string]int // by route
	total    int
	limited  int
}

// New returns the Kit of the fake named fake (its package name, which
// starts the messages of its panics), whose quotas count in windows of
// kind window, and which serves routes: "METHOD /path/template", an RPC
// method, whatever names the fake documents. It starts on the system
// clock, with no failures queued, no quota and no request counted.
func New(fake string, window Window, routes ...string) *Kit {
	k := &Kit{
		fake:     fake,
		routes:   slices.Clone(routes),
		served:   make(map[string]bool, len(routes)),
		window:   window,
		now:      time.Now,
		quotas:   map[string]quota{},
		counters: map[counterKey]*counter{},
		requests: map[string]int{},
	}
	for _, r := range routes {
		if r == "" || k.served[r] {
			panic(fmt.Sprintf("fakekit: %s: route %q is empty or given twice", fake, r))
		}
		k.served[r] = true
	}
	return k
}

// SetClock makes the Kit tell time with now (the fake's WithClock); Advance
// still adds to it. A nil now is the system clock.
func (k *Kit) SetClock(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.now = now
}

// Advance moves the fake's time forward by d, on top of its clock: windows
// end, tokens and jobs age as if d had passed.
func (k *Kit) Advance(d time.Duration) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.offset += d
}

// Now is the fake's time: its clock moved by Advance.
func (k *Kit) Now() time.Time {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.clock()
}

func (k *Kit) clock() time.Time {
	return k.now().Add(k.offset)
}

// FailNext queues f for the next n requests, after those already queued;
// n of zero or less queues nothing.
func (k *Kit) FailNext(n int, f Failure) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for range n {
		k.failures = append(k.failures, f)
	}
}

// Receive counts a request on route ("" for a request that matched none of
// the fake's routes: it is counted among all requests only) and returns
// the failure it must answer with, if one is queued. A fake calls it first,
// before any check of its own, so that a queued failure answers in place of
// whatever the request would have got.
func (k *Kit) Receive(route string) (Failure, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.total++
	if k.served[route] {
		k.requests[route]++
	}
	if len(k.failures) == 0 {
		return Failure{}, false
	}
	f := k.failures[0]
	k.failures = k.failures[1:]
	return f, true
}

// Requests returns how many requests the fake received on route, those
// that failed or were refused included, or every request for "". It panics
// on a route the fake does not serve, so that a misspelt route fails the
// test instead of passing an assertion of zero.
func (k *Kit) Requests(route string) int {
	k.Check("Requests", route)
	k.mu.Lock()
	defer k.mu.Unlock()
	if route == "" {
		return k.total
	}
	return k.requests[route]
}

// RateLimited returns how many requests a spent quota refused (injected
// failures are not counted).
func (k *Kit) RateLimited() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.limited
}

// Routes returns the routes the fake serves, in the order New was given.
func (k *Kit) Routes() []string {
	return slices.Clone(k.routes)
}

// Check panics unless route is "" or a route the fake serves; knob names
// the knob that was given it, for the message, which lists the routes.
func (k *Kit) Check(knob, route string) {
	if route == "" || k.served[route] {
		return
	}
	quoted := make([]string, len(k.routes))
	for i, r := range k.routes {
		quoted[i] = fmt.Sprintf("%q", r)
	}
	panic(fmt.Sprintf("%s: %s(%q): the fake serves no such route; its routes are %s, and \"\" stands for every request",
		k.fake, knob, route, strings.Join(quoted, ", ")))
}

// CheckID panics unless id is a whole number written as a string: the
// providers' IDs are numbers, and an ID a test gives a fake's knob must be
// one. knob names the knob, for the message.
func (k *Kit) CheckID(knob, id string) {
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		panic(fmt.Sprintf("%s: %s: ID %q is not a number", k.fake, knob, id))
	}
}
