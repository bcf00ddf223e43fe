package fakekit

import (
	"math"
	"time"
)

// Window is how a quota counts requests in its period.
type Window int

const (
	// Sliding admits at most the limit in any period: a request counts
	// until a period has passed since it (Django REST Framework's
	// throttles, Twirp gateways, Laravel's limiter).
	Sliding Window = iota
	// Aligned counts in fixed windows aligned on the clock (9:00:00 to
	// 9:01:00 for a period of a minute), each starting afresh.
	Aligned
	// FromFirst counts in fixed windows that the first request after the
	// previous window opens (Kong's gateway).
	FromFirst
)

// quota is limit requests per period.
type quota struct {
	limit int
	per   time.Duration
}

// counterKey names the requests one quota counts: those of a route (""
// for the quota every request counts against) from one caller.
type counterKey struct {
	route, who string
}

// counter is one quota's window for one caller.
type counter struct {
	start time.Time   // Aligned, FromFirst: the window's start
	count int         // Aligned, FromFirst: the requests admitted in it
	hits  []time.Time // Sliding: the requests admitted in the last period, oldest first
}

// State is one quota as a request found it.
type State struct {
	// Route is the quota's route, "" for the quota every request counts
	// against.
	Route string
	// Limit is the requests the quota admits per period; Remaining, those
	// it still admits, this request counted when it was admitted.
	Limit, Remaining int
	// Reset is when the window ends (Aligned, FromFirst) or when the oldest
	// request counted leaves the period (Sliding).
	Reset time.Time
}

// Verdict is what the quotas said of a request.
type Verdict struct {
	// Wait is zero when the request is admitted; otherwise how long until
	// every spent quota admits a request again.
	Wait time.Duration
	// Quotas are the states of the quotas the request was counted
	// against (or, refused, would have been), in the order of the routes
	// given to Admit.
	Quotas []State
}

// Admitted reports whether every quota admitted the request.
func (v Verdict) Admitted() bool { return v.Wait == 0 }

// RetryAfter is Wait in whole seconds, as the package function
// RetryAfter gives it.
func (v Verdict) RetryAfter() int {
	return RetryAfter(v.Wait)
}

// RetryAfter returns a wait in whole seconds, rounded up and at least 1:
// the value of a Retry-After header or of a body's retry-after field.
func RetryAfter(wait time.Duration) int {
	return max(int(math.Ceil(wait.Seconds())), 1)
}

// Tightest returns the quota with the least left (of those left equal, the
// one whose window ends last, so that a refusal names the quota it waits
// for), and false when no quota applied.
func (v Verdict) Tightest() (State, bool) {
	if len(v.Quotas) == 0 {
		return State{}, false
	}
	best := v.Quotas[0]
	for _, s := range v.Quotas[1:] {
		if s.Remaining < best.Remaining || (s.Remaining == best.Remaining && s.Reset.After(best.Reset)) {
			best = s
		}
	}
	return best, true
}

// SetRateLimit gives route ("" for every request) a quota of limit
// requests per period, counting afresh; a limit or a period of zero or
// less removes it (and a route is then not limited by SetEachRoute's quota
// either). It panics on a route the fake does not serve.
func (k *Kit) SetRateLimit(route string, limit int, per time.Duration) {
	k.Check("SetRateLimit", route)
	k.mu.Lock()
	defer k.mu.Unlock()
	if limit <= 0 || per <= 0 {
		k.quotas[route] = quota{} // none, not even the one of every route
	} else {
		k.quotas[route] = quota{limit, per}
	}
	for c := range k.counters {
		if c.route == route {
			delete(k.counters, c)
		}
	}
}

// SetEachRoute gives every route without a quota of its own a quota of
// limit requests per period, each route counted apart and afresh; a limit
// or a period of zero or less removes it.
func (k *Kit) SetEachRoute(limit int, per time.Duration) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if limit <= 0 || per <= 0 {
		k.each = nil
	} else {
		k.each = &quota{limit, per}
	}
	for c := range k.counters {
		if _, own := k.quotas[c.route]; !own && c.route != "" {
			delete(k.counters, c)
		}
	}
}

// quotaOf returns the quota that counts route's requests.
func (k *Kit) quotaOf(route string) (quota, bool) {
	if q, ok := k.quotas[route]; ok {
		return q, q.limit > 0
	}
	if route != "" && k.each != nil {
		return *k.each, true
	}
	return quota{}, false
}

// Admit counts a request of caller who against the quotas of routes (""
// names the quota every request counts against) and returns the verdict.
// A refused request is counted against none of them, and counted among
// those RateLimited reports. who is "" when the provider counts every
// caller together, a key or an address when it counts each apart.
func (k *Kit) Admit(who string, routes ...string) Verdict {
	k.mu.Lock()
	defer k.mu.Unlock()
	now := k.clock()
	var v Verdict
	var counted []*counter
	for _, route := range routes {
		q, ok := k.quotaOf(route)
		if !ok {
			continue
		}
		c := k.counter(counterKey{route, who}, q, now)
		used, reset := k.used(c, q, now)
		if used >= q.limit {
			v.Wait = max(v.Wait, reset.Sub(now))
		}
		v.Quotas = append(v.Quotas, State{Route: route, Limit: q.limit, Remaining: max(q.limit-used, 0), Reset: reset})
		counted = append(counted, c)
	}
	if !v.Admitted() {
		k.limited++
		return v
	}
	for i, c := range counted {
		if k.window == Sliding {
			c.hits = append(c.hits, now)
		} else {
			c.count++
		}
		v.Quotas[i].Remaining--
	}
	return v
}

// counter returns the counter of key as it stands at now: a fixed window
// that ended is replaced, and a sliding one forgets the requests that left
// its period.
func (k *Kit) counter(key counterKey, q quota, now time.Time) *counter {
	c := k.counters[key]
	if c == nil {
		c = &counter{}
		k.counters[key] = c
	}
	switch k.window {
	case Sliding:
		for len(c.hits) > 0 && !now.Before(c.hits[0].Add(q.per)) {
			c.hits = c.hits[1:]
		}
	case Aligned:
		if start := now.Truncate(q.per); !c.start.Equal(start) {
			*c = counter{start: start}
		}
	case FromFirst:
		if c.start.IsZero() || !now.Before(c.start.Add(q.per)) {
			*c = counter{start: now}
		}
	}
	return c
}

// used returns the requests the counter holds and when its window ends
// (for an empty sliding window, when a request counted now would leave it).
func (k *Kit) used(c *counter, q quota, now time.Time) (int, time.Time) {
	if k.window != Sliding {
		return c.count, c.start.Add(q.per)
	}
	if len(c.hits) == 0 {
		return 0, now.Add(q.per)
	}
	return len(c.hits), c.hits[0].Add(q.per)
}
