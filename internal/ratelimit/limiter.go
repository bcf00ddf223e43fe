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

// Local is the in-process partnerkit.Limiter, the default of every client.
// For each credential (LimitRequest.Credential of a provider) it enforces
// the static quotas exactly (a sliding log: never more than Limit requests in
// any period Per, which holds whatever window alignment the server uses),
// waits on windows learned from answers instead of spending a 429, and,
// after a 429 with a Retry-After, holds the requests the refusal covers
// until that time has passed. It is safe for concurrent use, and one Local
// may serve several clients.
type Local struct {
	clock clock.Clock

	mu     sync.Mutex
	states map[stateKey]*state
}

type stateKey struct {
	provider, credential string
}

// New returns a Local limiter that tells time and waits with clk (nil means
// the system clock).
func New(clk clock.Clock) *Local {
	if clk == nil {
		clk = clock.Real
	}
	return &Local{clock: clk, states: make(map[stateKey]*state)}
}

// state is what Local knows of one credential.
type state struct {
	quotas   map[partnerkit.Quota]*slidingLog
	windows  map[windowKey]*learned
	gates    map[string]time.Time // by route; "" closes every route
	seq      uint64
	inflight map[string]int // by route; "" holds the credential's total
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

// state returns the state of r's credential. l.mu is held.
func (l *Local) state(r *partnerkit.LimitRequest) *state {
	key := stateKey{r.Provider, r.Credential}
	s := l.states[key]
	if s == nil {
		s = &state{
			quotas:   make(map[partnerkit.Quota]*slidingLog),
			windows:  make(map[windowKey]*learned),
			gates:    make(map[string]time.Time),
			inflight: make(map[string]int),
			wakers:   make(map[uint64]context.CancelFunc),
		}
		l.states[key] = s
	}
	return s
}

// Wait blocks until r may be sent; see partnerkit.Limiter.
func (l *Local) Wait(ctx context.Context, r *partnerkit.LimitRequest) (func(partnerkit.LimitFeedback), error) {
	window := r.Window
	if window <= 0 {
		window = time.Minute
	}
	for {
		l.mu.Lock()
		s := l.state(r)
		now := l.clock.Now()
		wait := s.delay(r, window, now)
		if wait <= 0 {
			seq := s.take(r, now)
			l.mu.Unlock()
			return func(fb partnerkit.LimitFeedback) { l.done(s, r, window, seq, fb) }, nil
		}
		sctx, wake := context.WithCancel(ctx)
		id := s.nextWaker
		s.nextWaker++
		s.wakers[id] = wake
		l.mu.Unlock()
		err := checkWait(ctx, wait, r.MaxWait)
		if err == nil {
			_ = l.clock.Sleep(sctx, wait) // ends early when woken: look again
			err = ctx.Err()
		}
		l.mu.Lock()
		delete(s.wakers, id)
		l.mu.Unlock()
		wake()
		if err != nil {
			return nil, err
		}
	}
}

// checkWait refuses a wait that would pass the deadline or the longest wait.
func checkWait(ctx context.Context, wait, maxWait time.Duration) error {
	var why string
	if deadline, ok := ctx.Deadline(); ok && wait > time.Until(deadline) {
		why = "the context deadline"
	} else if wait > maxWait {
		why = fmt.Sprintf("the longest wait allowed (%s)", maxWait)
	} else {
		return nil
	}
	return &partnerkit.Error{
		Kind:       partnerkit.ErrRateLimited,
		Message:    fmt.Sprintf("client-side rate limit: the next request may go in %s, after %s", wait.Round(time.Millisecond), why),
		RetryAfter: wait,
	}
}

// delay returns how long r must still wait. l.mu is held.
func (s *state) delay(r *partnerkit.LimitRequest, window time.Duration, now time.Time) time.Duration {
	wait := max(s.gates[""].Sub(now), s.gates[r.Route].Sub(now))
	for _, q := range r.Quotas {
		if q.Route == "" || q.Route == r.Route {
			wait = max(wait, s.quota(q).delay(now))
		}
	}
	if r.Learn {
		for k, w := range s.windows {
			if k.route == "" || k.route == r.Route {
				wait = max(wait, w.delay(now, window, s.inflight[k.route], s.seq))
			}
		}
	}
	return wait
}

// quota returns the log of q. l.mu is held.
func (s *state) quota(q partnerkit.Quota) *slidingLog {
	log := s.quotas[q]
	if log == nil {
		log = newSlidingLog(q)
		s.quotas[q] = log
	}
	return log
}

// take charges r to every quota and window. l.mu is held.
func (s *state) take(r *partnerkit.LimitRequest, now time.Time) uint64 {
	for _, q := range r.Quotas {
		if q.Route == "" || q.Route == r.Route {
			s.quota(q).take(now)
		}
	}
	for k, w := range s.windows {
		if k.route == "" || k.route == r.Route {
			w.remaining--
		}
	}
	s.inflight[""]++
	s.inflight[r.Route]++
	s.seq++
	return s.seq
}

// done records the end of a request and learns from its answer.
func (l *Local) done(s *state, r *partnerkit.LimitRequest, window time.Duration, seq uint64, fb partnerkit.LimitFeedback) {
	l.mu.Lock()
	defer l.mu.Unlock()
	route := r.Route
	s.inflight[""]--
	if s.inflight[route]--; s.inflight[route] == 0 {
		delete(s.inflight, route)
	}
	if fb.RetryAfter > 0 {
		scope := ""
		if r.Gate == partnerkit.GateRoute {
			scope = route
		}
		if until := fb.Time.Add(fb.RetryAfter); until.After(s.gates[scope]) {
			s.gates[scope] = until
		}
	}
	if !r.Learn {
		return
	}
	var spent []*learned
	for k, w := range s.windows {
		if (k.route == "" || k.route == route) && w.remaining <= 0 {
			spent = append(spent, w)
		}
	}
	defer func() {
		for _, w := range spent {
			if w.remaining > 0 {
				for _, wake := range s.wakers {
					wake()
				}
				clear(s.wakers)
				return
			}
		}
	}()
	var observed []*learned
	for _, obs := range fb.Windows {
		key := windowKey{name: obs.Name}
		if obs.PerRoute {
			key.route = route
		}
		w := s.windows[key]
		if w == nil {
			w = &learned{}
			s.windows[key] = w
		}
		w.observe(obs, seq, fb.Time, s.inflight[key.route], window)
		observed = append(observed, w)
	}
	// A request that ended without a word about a window it was charged to
	// may still have counted there: keep it counted.
	for k, w := range s.windows {
		if (k.route == "" || k.route == route) && !slices.Contains(observed, w) {
			w.pinned++
		}
	}
}

// slidingLog enforces a Quota: it keeps the send times of the requests
// still inside the period, oldest first, so it holds at most Limit entries
// and only as many as the traffic needs.
type slidingLog struct {
	limit int
	per   time.Duration
	times []time.Time
}

func newSlidingLog(q partnerkit.Quota) *slidingLog {
	return &slidingLog{limit: q.Limit, per: q.Per}
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
func (w *learned) observe(obs partnerkit.RateWindow, seq uint64, t time.Time, inflight int, length time.Duration) {
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
