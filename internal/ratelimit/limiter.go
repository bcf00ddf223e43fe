package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
)

// MaxHold is the longest that one answer can hold requests back: a 429's
// Retry-After, or the reset of a spent window, further away than MaxHold is
// taken to be MaxHold away. The call that met such an answer still fails at
// once with ErrRateLimited and the server's whole wait (the engine's retry
// rule refuses waits longer than the caller's MaxWait), but an absurd answer,
// a Retry-After or a reset years away, cannot disable a client for good:
// after MaxHold the next call asks the server again. An hour is the longest
// rate-limit window in common use (hourly quotas); a provider that refuses
// for a whole day costs a client at most one refused request an hour.
const MaxHold = time.Hour

// Margin returns the margin that Local adds to the period of a static quota:
// a request that would be the (Limit+1)th in a period of length per waits
// for per plus Margin(per), which is per/50, at most one second.
//
// A server counts a request when it arrives, not when it was sent, and often
// with a clock of its own that counts in whole seconds: the first request of
// a burst, slowed by the handshake of a new connection, can reach the server
// later than the 101st, sent 60 s after it on a warm connection, so that the
// server sees 101 requests within its minute. One second covers a server
// counting in whole seconds and the time a request spends in flight; a
// fiftieth of the period keeps the cost of the margin under 2% of a short
// quota's throughput (20 ms for a quota per second).
func Margin(per time.Duration) time.Duration {
	return min(per/50, time.Second)
}

// Local is the in-process partnerkit.Limiter, the default of every client.
// It keeps apart the limits of each credential of each provider
// (LimitRequest.Provider and Credential) and holds a request until all of
// these allow it. Every limiter of the SDK, shared between processes or
// not, does the same (package limitertest checks it).
//
// Static quotas (LimitRequest.Quotas), a sliding log of send times: a
// request goes when fewer than Limit requests of the quota's scope (its
// Route, or every route) were sent in the last Per + Margin(Per). A request
// that ended without an answer stays in the log.
//
// The gate a 429 closes: until the answer's time plus its Retry-After (at
// most MaxHold), for every route of the credential (GateCredential) or the
// refused route only (GateRoute). The latest of two gates holds.
//
// Learned windows, when LimitRequest.Learn is set: the windows the
// answers' X-RateLimit-* and RateLimit-* headers describe (one per name,
// counting the route or the credential), at most their limit between two
// resets. Local takes the server's word wherever an answer gives it and
// assumes only what the answers leave open.
//
// A window ends:
//   - at the reset its answers reported (the latest of their estimates);
//   - without resets, one length (LimitRequest.Window) after the answer
//     that began it, at the latest: the server's window holds that answer's
//     count;
//   - after a 429 that reported it spent, at the 429's Retry-After, whatever
//     the reset or the length;
//   - never more than MaxHold after the answer that set its end.
//
// Until an answer describes it, the next window allows the largest
// allowance an answer reported (Limit, or Remaining+1), or one request
// while none did, and is assumed to end a length after the previous reset
// (or after now).
//
// What a window has left is derived, never accumulated: the lowest
// remaining the answers reported for it, less the requests of its scope
// still in flight (each may yet be counted after that answer) and the pins,
// the requests that ended without saying whether they were counted (no
// answer, or an answer that did not mention the window). A pin made before
// the request that reported the lowest count was sent is in that count and
// drops out.
//
// Which window an answer describes:
//   - A request sent before the window began (in flight across its start)
//     and reporting the previous window's reset or an earlier one was
//     counted in the previous window: its place is free again. One
//     reporting a reset later than that by no more than the tolerance (half
//     the length, at most 500 ms), or no reset, may have been counted in
//     either: it is pinned. Any other describes the current window.
//   - A request sent in the window and reporting a reset more than the
//     tolerance after the window's shows that the server moved on: its
//     answer starts the next window. One reporting a reset more than the
//     tolerance before it was counted in an earlier window: its place is
//     free again.
//   - A request sent after the answer with the lowest count arrived, not
//     refused, and reporting as much left or more shows a count that went
//     up, which only a new window does: its answer starts one, with the
//     lowest count it and the answers that arrived after it was sent
//     reported (those may have been counted after it).
//   - Any other answer describes the current window: the lowest count wins
//     (answers arriving out of order never raise it), and the latest reset.
//
// Without resets, the client cannot see where the server's windows begin:
// one may have begun before the answer that began the client's, and the
// next may count requests the client believes in this one. So the client
// also counts its own requests: no more than the window's allowance within
// any length, counting each request until a length after it ended (a
// request still in flight counts too, one refused for a rate limit does
// not), which keeps it within any fixed window of that length, whatever
// the window's phase. This count starts again when a count that went up starts a window.
// Where the server's windows turn with the clock's, at the multiples of the
// length since the Unix epoch, as Kong and most gateways count them, the
// client learns it by asking: at a boundary of the clock that comes more
// than a second before the window's end, if the window has no room, one
// request may go. A count that went up in its answer starts the new window
// at once; a 429 shows that the server's windows do not turn with the
// clock's, and no request asks again (asking in vain costs at most a
// second past the window's end, a Retry-After being whole seconds).
//
// An answer that frees a place or brings a window's end nearer wakes the
// requests waiting, which look again. Local is safe for concurrent use, and
// one Local may serve several clients.
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
	quotas []quotaLog
	all    scope             // the credential's gate, requests in flight and windows
	routes map[string]*scope // each route's own
	seq    uint64            // the sequence number of the last request sent
	// wakers end the sleeps of the requests waiting for the limiter. An
	// answer that frees a place, or brings a window's end nearer, calls them
	// all, at once, so that the requests look again.
	wakers    map[uint64]context.CancelFunc
	nextWaker uint64
}

// scope is the part of a credential's state that a gate, a count of
// requests in flight and learned windows share: the credential as a whole,
// or one route.
type scope struct {
	gate     time.Time
	inflight int
	windows  []*learned
}

// window returns the learned window named name, creating it.
func (sc *scope) window(name string) *learned {
	for _, w := range sc.windows {
		if w.name == name {
			return w
		}
	}
	w := &learned{name: name}
	sc.windows = append(sc.windows, w)
	return w
}

type quotaLog struct {
	quota partnerkit.Quota
	log   slidingLog
}

// state returns the state of r's credential. l.mu is held.
func (l *Local) state(r *partnerkit.LimitRequest) *state {
	key := stateKey{r.Provider, r.Credential}
	s := l.states[key]
	if s == nil {
		s = &state{routes: make(map[string]*scope), wakers: make(map[uint64]context.CancelFunc)}
		l.states[key] = s
	}
	return s
}

// route returns the scope of route. l.mu is held.
func (s *state) route(route string) *scope {
	rs := s.routes[route]
	if rs == nil {
		rs = &scope{}
		s.routes[route] = rs
	}
	return rs
}

// quota returns the log of q. l.mu is held.
func (s *state) quota(q partnerkit.Quota) *slidingLog {
	for i := range s.quotas {
		if s.quotas[i].quota == q {
			return &s.quotas[i].log
		}
	}
	s.quotas = append(s.quotas, quotaLog{quota: q, log: slidingLog{limit: q.Limit, period: q.Per + Margin(q.Per)}})
	return &s.quotas[len(s.quotas)-1].log
}

// Wait blocks until r may be sent; see partnerkit.Limiter.
func (l *Local) Wait(ctx context.Context, r *partnerkit.LimitRequest) (func(partnerkit.LimitFeedback), error) {
	length := windowLength(r) // assigned once: the closure below copies it
	for {
		l.mu.Lock()
		s := l.state(r)
		rs := s.route(r.Route)
		now := l.clock.Now()
		wait := s.delay(r, rs, length, now)
		if wait <= 0 {
			seq := s.take(r, rs, length, now)
			l.mu.Unlock()
			return func(fb partnerkit.LimitFeedback) { l.done(s, rs, r, length, seq, fb) }, nil
		}
		sctx, wake := context.WithCancel(ctx)
		id := s.nextWaker
		s.nextWaker++
		s.wakers[id] = wake
		l.mu.Unlock()
		err := CheckWait(ctx, wait, r.MaxWait)
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

// windowLength returns the window length r assumes: its Window, or a
// minute.
func windowLength(r *partnerkit.LimitRequest) time.Duration {
	if r.Window > 0 {
		return r.Window
	}
	return time.Minute
}

// CheckWait returns the error with which a Limiter refuses a wait that
// would pass ctx's deadline or be longer than maxWait: an *Error matching
// ErrRateLimited whose RetryAfter is the wait. It returns nil for a wait
// the caller accepts. A limiter shared between processes refuses with it
// too, so that every limiter refuses alike.
func CheckWait(ctx context.Context, wait, maxWait time.Duration) error {
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
func (s *state) delay(r *partnerkit.LimitRequest, rs *scope, length time.Duration, now time.Time) time.Duration {
	wait := max(s.all.gate.Sub(now), rs.gate.Sub(now))
	for _, q := range r.Quotas {
		if applies(q, r.Route) {
			wait = max(wait, s.quota(q).delay(now))
		}
	}
	if r.Learn {
		for _, w := range s.all.windows {
			wait = max(wait, w.delay(now, length, s.all.inflight, s.seq))
		}
		for _, w := range rs.windows {
			wait = max(wait, w.delay(now, length, rs.inflight, s.seq))
		}
	}
	return wait
}

// applies says whether q counts the requests of route. A quota that allows
// nothing (no Limit or no Per) is no quota.
func applies(q partnerkit.Quota, route string) bool {
	return (q.Route == "" || q.Route == route) && q.Limit > 0 && q.Per > 0
}

// take records that r is sent at now and returns its sequence number.
// l.mu is held.
func (s *state) take(r *partnerkit.LimitRequest, rs *scope, length time.Duration, now time.Time) uint64 {
	for _, q := range r.Quotas {
		if applies(q, r.Route) {
			s.quota(q).take(now)
		}
	}
	s.seq++
	if r.Learn {
		for _, sc := range [2]*scope{&s.all, rs} {
			for _, w := range sc.windows {
				w.take(s.seq, now, length, sc.inflight)
			}
		}
	}
	s.all.inflight++
	rs.inflight++
	return s.seq
}

// done records the end of the request with sequence number seq and learns
// from its answer.
func (l *Local) done(s *state, rs *scope, r *partnerkit.LimitRequest, length time.Duration, seq uint64, fb partnerkit.LimitFeedback) {
	l.mu.Lock()
	defer l.mu.Unlock()
	at := fb.Time
	if at.IsZero() {
		at = l.clock.Now()
	}
	var before []freeTime
	if len(s.wakers) > 0 && r.Learn {
		before = s.freeTimes(rs, length, at)
	}
	s.all.inflight--
	rs.inflight--
	if fb.RetryAfter > 0 {
		gated := &s.all
		if r.Gate == partnerkit.GateRoute {
			gated = rs
		}
		if until := at.Add(min(fb.RetryAfter, MaxHold)); until.After(gated.gate) {
			gated.gate = until
		}
	}
	if !r.Learn {
		return
	}
	a := answer{seq: seq, at: at, mark: s.seq, limited: fb.RateLimited, retryAfter: fb.RetryAfter}
	for _, obs := range fb.Windows {
		sc := &s.all
		if obs.PerRoute {
			sc = rs
		}
		sc.window(obs.Name).observe(obs, a, length, sc.inflight)
	}
	// A request that ended without a word about a window it was charged to
	// may still have counted there: keep it counted.
	for i, sc := range [2]*scope{&s.all, rs} {
		for _, w := range sc.windows {
			if !reported(fb.Windows, w.name, i == 1) {
				w.pin(a, length, sc.inflight)
			}
		}
	}
	for _, f := range before {
		if f.w.freeAt(at, length, f.sc.inflight, s.seq).Before(f.at) {
			for _, wake := range s.wakers {
				wake()
			}
			clear(s.wakers)
			return
		}
	}
}

// freeTime is when a window would next allow a request.
type freeTime struct {
	w  *learned
	sc *scope
	at time.Time
}

// freeTimes returns, for each window of the credential and of rs, when it
// will next allow a request as things stand at now. l.mu is held.
func (s *state) freeTimes(rs *scope, length time.Duration, now time.Time) []freeTime {
	var out []freeTime
	for _, sc := range [2]*scope{&s.all, rs} {
		for _, w := range sc.windows {
			out = append(out, freeTime{w, sc, w.freeAt(now, length, sc.inflight, s.seq)})
		}
	}
	return out
}

// reported says whether windows hold one named name, per route or not.
func reported(windows []partnerkit.RateWindow, name string, perRoute bool) bool {
	for _, obs := range windows {
		if obs.Name == name && obs.PerRoute == perRoute {
			return true
		}
	}
	return false
}

// slidingLog enforces a Quota: it keeps the send times of the requests
// still inside the period (the quota's Per and its Margin), oldest first, so
// it holds at most limit entries and only as many as the traffic needs.
type slidingLog struct {
	limit  int
	period time.Duration
	times  []time.Time
	head   int // times[:head] have left the period
}

func (s *slidingLog) delay(now time.Time) time.Duration {
	for s.head < len(s.times) && !now.Before(s.times[s.head].Add(s.period)) {
		s.head++
	}
	if len(s.times)-s.head < s.limit {
		return 0
	}
	return s.times[s.head].Add(s.period).Sub(now)
}

func (s *slidingLog) take(now time.Time) {
	if s.head > 0 && len(s.times) == cap(s.times) {
		n := copy(s.times, s.times[s.head:])
		s.times, s.head = s.times[:n], 0
	}
	s.times = append(s.times, now)
}
