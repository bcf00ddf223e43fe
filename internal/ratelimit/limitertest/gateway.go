package limitertest

import (
	"sync"
	"time"

	"github.com/partnerkit/partnerkit-go"
)

// gateway counts requests as a rate-limiting gateway does: at most limit in
// each fixed window of length, the windows starting at offset past the
// multiples of length since the Unix epoch (aligned to the clock when offset
// is 0), or, with opened, each window opened by the first request after the
// previous one closed (as a counter that expires a length after its first
// increment counts). It answers what Kong answers, as the engine would
// report it: the window's limit and remaining, its reset when resets is
// set, and a 429 with the time left in the window, in whole seconds, as
// Retry-After when the window is spent.
type gateway struct {
	limit    int
	length   time.Duration
	offset   time.Duration
	opened   bool
	resets   bool // answers report the window's end
	name     string
	perRoute bool

	openedAt time.Time // with opened, when the current window opened
	openedK  int64

	mu       sync.Mutex
	counts   map[int64]int
	accepted int
	rejected int
}

// window returns the index of the window holding t and its end.
func (g *gateway) window(t time.Time) (int64, time.Time) {
	ns := t.UnixNano() - int64(g.offset)
	k := ns / int64(g.length)
	return k, time.Unix(0, (k+1)*int64(g.length)+int64(g.offset))
}

// handle counts a request arriving at t and returns what its answer says.
func (g *gateway) handle(t time.Time) partnerkit.LimitFeedback {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.counts == nil {
		g.counts = make(map[int64]int)
	}
	k, end := g.window(t)
	if g.opened {
		if g.openedAt.IsZero() || !t.Before(g.openedAt.Add(g.length)) {
			g.openedAt = t
			g.openedK++
		}
		k, end = g.openedK, g.openedAt.Add(g.length)
	}
	w := partnerkit.RateWindow{Name: g.name, PerRoute: g.perRoute, Limit: g.limit}
	if g.resets {
		w.Reset = end
	}
	fb := partnerkit.LimitFeedback{Time: t, StatusCode: 200}
	if g.counts[k] >= g.limit {
		g.rejected++
		fb.StatusCode, fb.RateLimited, fb.RetryAfter = 429, true, end.Sub(t).Round(time.Second)
		if fb.RetryAfter < end.Sub(t) {
			fb.RetryAfter += time.Second
		}
	} else {
		g.counts[k]++
		g.accepted++
		w.Remaining = g.limit - g.counts[k]
	}
	fb.Windows = []partnerkit.RateWindow{w}
	return fb
}

// stats returns the requests accepted and refused.
func (g *gateway) stats() (accepted, rejected int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.accepted, g.rejected
}
