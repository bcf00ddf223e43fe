package ratelimit

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
)

// Limiter decides when a client may send its next request. The in-process
// Local limiter is the default; the interface lets a limiter shared by many
// processes (one quota per key across replicas) take its place.
type Limiter interface {
	// Wait blocks until a request on route may be sent. It returns an error
	// matching partnerkit.ErrRateLimited, at once, when the wait would pass
	// ctx's deadline or the limiter's longest wait, and ctx's error when ctx
	// ends during the wait. On success the caller must call done exactly
	// once with what the answer said (a zero Feedback when none came).
	Wait(ctx context.Context, route string) (done func(Feedback), err error)
}

// Feedback is what an answer told the limiter.
type Feedback struct {
	// Time is when the answer arrived.
	Time time.Time
	// Windows are the rate-limit windows its headers described.
	Windows []Window
	// RetryAfter is the wait the server asked for on a 429, or zero.
	RetryAfter time.Duration
}

// Quota is a static allowance: at most Limit requests in any period of
// length Per, for one route or, when Route is "", for every route.
type Quota struct {
	Route string
	Limit int
	Per   time.Duration
}

// Config configures a Local limiter.
type Config struct {
	// Quotas are the static allowances, from the provider's documents or the
	// caller's options.
	Quotas []Quota
	// Learn enables waiting on windows learned from rate-limit headers.
	Learn bool
	// WindowLength is the window assumed for a learned window whose headers
	// give no reset time. Zero means one minute.
	WindowLength time.Duration
	// MaxWait is the longest single wait Wait accepts. Zero means no bound
	// other than the context's deadline.
	MaxWait time.Duration
	// Clock tells the time and sleeps; nil means the system clock.
	Clock clock.Clock
}

// Local is the in-process Limiter. It enforces static quotas exactly (a
// sliding window: never more than Limit requests in any period Per, which
// holds whatever window alignment the server uses), waits on windows learned
// from answers instead of spending a 429, and, after a 429 with a
// Retry-After, holds every request of the client until that time has
// passed. It is safe for concurrent use.
type Local struct {
	cfg   Config
	clock clock.Clock

	mu       sync.Mutex
	quotas   []*slidingLog
	windows  map[windowKey]*learned
	gate     time.Time
	seq      uint64
	inflight map[string]int // by route; "" holds the client total
	// wakers end the sleeps of the requests waiting for the limiter. An
	// answer that gives places back to a spent window calls them all, at
	// once, so that the requests look again.
	wakers    map[uint64]context.CancelFunc
	nextWaker uint64
}

type windowKey struct {
	route string // "" for windows that count every route
	name  string
}

// New returns a Local limiter.
func New(cfg Config) *Local {
	if cfg.Clock == nil {
		cfg.Clock = clock.Real
	}
	if cfg.WindowLength <= 0 {
		cfg.WindowLength = time.Minute
	}
	l := &Local{
		cfg:      cfg,
		clock:    cfg.Clock,
		windows:  make(map[windowKey]*learned),
		inflight: make(map[string]int),
	}
	for _, q := range cfg.Quotas {
		l.quotas = append(l.quotas, newSlidingLog(q))
	}
	l.wakers = make(map[uint64]context.CancelFunc)
	return l
}

// Wait blocks until a request on route may be sent; see Limiter.
func (l *Local) Wait(ctx context.Context, route string) (func(Feedback), error) {
	for {
		l.mu.Lock()
		now := l.clock.Now()
		wait := l.delay(route, now)
		if wait <= 0 {
			seq := l.take(route, now)
			l.mu.Unlock()
			return func(fb Feedback) { l.done(route, seq, fb) }, nil
		}
		sctx, wake := context.WithCancel(ctx)
		id := l.nextWaker
		l.nextWaker++
		l.wakers[id] = wake
		l.mu.Unlock()
		err := l.checkWait(ctx, wait)
		if err == nil {
			_ = l.clock.Sleep(sctx, wait) // ends early when woken: look again
			err = ctx.Err()
		}
		l.mu.Lock()
		delete(l.wakers, id)
		l.mu.Unlock()
		wake()
		if err != nil {
			return nil, err
		}
	}
}

// checkWait refuses a wait that would pass the deadline or the longest wait.
func (l *Local) checkWait(ctx context.Context, wait time.Duration) error {
	var why string
	if deadline, ok := ctx.Deadline(); ok && wait > time.Until(deadline) {
		why = "the context deadline"
	} else if l.cfg.MaxWait > 0 && wait > l.cfg.MaxWait {
		why = fmt.Sprintf("the longest wait allowed (%s)", l.cfg.MaxWait)
	} else {
		return nil
	}
	return &partnerkit.Error{
		Kind:       partnerkit.ErrRateLimited,
		Message:    fmt.Sprintf("client-side rate limit: the next request may go in %s, after %s", wait.Round(time.Millisecond), why),
		RetryAfter: wait,
	}
}

// delay returns how long a request on route must still wait. l.mu is held.
func (l *Local) delay(route string, now time.Time) time.Duration {
	wait := l.gate.Sub(now)
	for _, q := range l.quotas {
		if q.route == "" || q.route == route {
			wait = max(wait, q.delay(now))
		}
	}
	if l.cfg.Learn {
		for k, w := range l.windows {
			if k.route == "" || k.route == route {
				wait = max(wait, w.delay(now, l.cfg.WindowLength, l.inflight[k.route], l.seq))
			}
		}
	}
	return wait
}

// take charges a request on route to every quota and window. l.mu is held.
func (l *Local) take(route string, now time.Time) uint64 {
	for _, q := range l.quotas {
		if q.route == "" || q.route == route {
			q.take(now)
		}
	}
	for k, w := range l.windows {
		if k.route == "" || k.route == route {
			w.remaining--
		}
	}
	l.inflight[""]++
	l.inflight[route]++
	l.seq++
	return l.seq
}

// done records the end of a request and learns from its answer.
func (l *Local) done(route string, seq uint64, fb Feedback) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inflight[""]--
	if l.inflight[route]--; l.inflight[route] == 0 {
		delete(l.inflight, route)
	}
	if fb.RetryAfter > 0 {
		if until := fb.Time.Add(fb.RetryAfter); until.After(l.gate) {
			l.gate = until
		}
	}
	if !l.cfg.Learn {
		return
	}
	var spent []*learned
	for k, w := range l.windows {
		if (k.route == "" || k.route == route) && w.remaining <= 0 {
			spent = append(spent, w)
		}
	}
	defer func() {
		for _, w := range spent {
			if w.remaining > 0 {
				for _, wake := range l.wakers {
					wake()
				}
				clear(l.wakers)
				return
			}
		}
	}()
	var observed []*learned
	for _, obs := range fb.Windows {
		key := windowKey{name: obs.Name}
		if obs.RouteScoped() {
			key.route = route
		}
		w := l.windows[key]
		if w == nil {
			w = &learned{}
			l.windows[key] = w
		}
		w.observe(obs, seq, fb.Time, l.inflight[key.route], l.cfg.WindowLength)
		observed = append(observed, w)
	}
	// A request that ended without a word about a window it was charged to
	// may still have counted there: keep it counted.
	for k, w := range l.windows {
		if (k.route == "" || k.route == route) && !slices.Contains(observed, w) {
			w.pinned++
		}
	}
}

// slidingLog enforces a Quota: it keeps the send times of the requests
// still inside the period, oldest first, so it holds at most Limit entries
// and only as many as the traffic needs.
type slidingLog struct {
	route string
	limit int
	per   time.Duration
	times []time.Time
}

func newSlidingLog(q Quota) *slidingLog {
	return &slidingLog{route: q.Route, limit: q.Limit, per: q.Per}
}

func (s *slidingLog) delay(now time.Time) time.Duration {
	expired := 0
	for expired < len(s.times) && !now.Before(s.times[expired].Add(s.per)) {
		expired++
	}
	s.times = s.times[expired:]
	if len(s.times) < s.limit {
		return 0
	}
	return s.times[0].Add(s.per).Sub(now)
}

func (s *slidingLog) take(now time.Time) {
	s.times = append(s.times, now)
}

// learned is a server window known from headers, with the requests sent
// since the last answer counted against it.
//
// Its remaining count is always a lower bound of what the server would
// still accept. It is derived, not accumulated: the lowest remaining any
// answer reported in this window (the server's count only falls within a
// window, so a higher count is stale), less the requests still in flight
// (each may yet be counted after that answer) and the requests that ended
// without saying whether they counted. An answer to a request the server
// counted early gives back the place that request held while in flight, so
// concurrent requests do not waste the window. Only a new window raises the
// lowest count, at the reset the server announced or, without one, one
// window length after the answer that revealed the window. Both are no
// earlier than the server's own reset, so the client never refills too
// soon.
type learned struct {
	limit     int       // 0 when unknown
	remaining int       // what may still be sent in this window
	low       int       // the lowest remaining reported in this window
	pinned    int       // requests ended without an answer about this window
	reset     time.Time // zero when unknown
	lastSeen  time.Time // when the last answer arrived; zero before any
	// After a refill, answers to requests sent before it (refillSeq), or
	// reporting a reset no later than the refilled one (floor), describe the
	// window that ended: they teach nothing about the new one.
	refillSeq uint64
	floor     time.Time
}

// delay returns how long to wait before this window allows a request,
// refilling it when its reset has passed. inflight requests of the window's
// scope are still out and may land in the new window, so they count against
// it; seq is the last sequence number handed out.
func (w *learned) delay(now time.Time, length time.Duration, inflight int, seq uint64) time.Duration {
	if w.remaining > 0 {
		return 0
	}
	reset := w.reset
	if reset.IsZero() {
		reset = w.lastSeen.Add(length)
	}
	if now.Before(reset) {
		return reset.Sub(now)
	}
	// A new window: until an answer says when it ends, assume it began now.
	w.floor, w.refillSeq = reset, seq
	w.reset, w.lastSeen = time.Time{}, now
	w.low, w.pinned = w.limit, 0
	if w.limit == 0 {
		w.low = inflight + 1 // unknown allowance: one request learns it
	}
	w.remaining = w.low - inflight
	if w.remaining > 0 {
		return 0
	}
	return length // the whole allowance is still in flight
}

// observe applies an answer to the request with sequence number seq,
// received at t, while inflight other requests of the window's scope are
// still out. length is the assumed window length; half of it separates the
// resets of two windows from two estimates of one reset.
func (w *learned) observe(obs Window, seq uint64, t time.Time, inflight int, length time.Duration) {
	if obs.Reset.IsZero() && seq <= w.refillSeq {
		w.pinned++ // it may have landed in either window: keep it counted
		return
	}
	if !obs.Reset.IsZero() && !w.floor.IsZero() && !obs.Reset.After(w.floor.Add(length/2)) {
		if seq <= w.refillSeq {
			w.remaining++ // it landed in the old window: give back its place in the new one
		}
		return
	}
	if obs.Limit > 0 {
		w.limit = obs.Limit
	} else if obs.Remaining+1 > w.limit {
		w.limit = obs.Remaining + 1
	}
	first := w.lastSeen.IsZero()
	w.lastSeen = t
	switch {
	case first:
		w.low, w.pinned = obs.Remaining, 0
		w.reset = obs.Reset
		if w.reset.IsZero() {
			w.reset = t.Add(length)
		}
	case !obs.Reset.IsZero() && !w.reset.IsZero() && obs.Reset.After(w.reset.Add(length/2)):
		w.low, w.pinned, w.reset = obs.Remaining, 0, obs.Reset // the server moved to a new window
	default:
		w.low = min(w.low, obs.Remaining)
		switch {
		case obs.Reset.After(w.reset):
			w.reset = obs.Reset
		case w.reset.IsZero():
			w.reset = t.Add(length)
		}
	}
	w.remaining = w.low - inflight - w.pinned
}
