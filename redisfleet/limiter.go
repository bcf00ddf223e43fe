package redisfleet

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/ratelimit"
)

// Defaults of a Limiter's options.
const (
	// DefaultPrefix starts every key the Limiter writes.
	DefaultPrefix = "partnerkit:"
	// DefaultTimeout bounds each Redis call of the Limiter. Past it, the
	// Limiter takes Redis to be unreachable and limits each process on its
	// own until Redis answers again.
	DefaultTimeout = 100 * time.Millisecond
	// DefaultProbeInterval is how often, on average, a process whose
	// Limiter lost Redis asks whether it is back.
	DefaultProbeInterval = time.Second
)

// keySlack is how long a key outlives the last moment it can matter, as
// its TTL: keys are read against the processes' clocks, never Redis's, and
// the TTL only collects them.
const keySlack = time.Minute

// Limiter is a partnerkit.Limiter that the replicas of a service share
// through Redis, so that together they keep each provider's per-key quotas
// and stop together when the provider refuses them. Give the same Limiter
// (or Limiters on the same Redis and prefix) to the clients of every
// replica with partnerkit.WithLimiter:
//
//	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379"})
//	limiter, err := redisfleet.NewLimiter(rdb)
//	if err != nil {
//		return err
//	}
//	c, err := cohost.New(apiKey, partnerkit.WithLimiter(limiter))
//
// What the whole fleet shares, through Redis:
//   - Static quotas (LimitRequest.Quotas): a sliding log of send times per
//     credential and quota, kept by a Lua script that checks and records a
//     request atomically, so that the fleet never sends more than Limit
//     requests in any period of Per plus ratelimit.Margin(Per), whatever
//     the alignment of the server's windows, as one process would.
//   - Gates: a 429's Retry-After (capped at ratelimit.MaxHold) stops every
//     replica, for the credential or for the route as LimitRequest.Gate
//     says.
//   - Spent windows (when LimitRequest.Learn is set): a window an answer
//     reported spent stops every replica until its reset, or until the
//     Retry-After of the 429 that reported it spent (capped at MaxHold),
//     for the credential or the route the window counts.
//
// What each process keeps for itself, in a ratelimit.Local that also
// enforces everything above within the process: the counts of the learned
// windows (what is left, requests in flight, the requests that ended
// without an answer), the windows assumed without resets and the asking at
// the clock's boundaries. The server's answers already carry the fleet's
// count, since the provider counts per key, so each replica waits for the
// reset once its answers show the window spent; sharing the rest would
// cost a Redis call for every answer to save, near a window's end, the few
// requests that replicas send at once, and those are refused with a 429
// that then stops the whole fleet.
//
// Keys start with the prefix (WithPrefix), name the provider and
// LimitRequest.Credential (a digest: no credential reaches Redis, nor
// anything of a request but its route's template), share one hash tag per
// credential (so that the Lua scripts run on Redis Cluster too), and all
// have a TTL. Every time the keys hold is the replicas' own clock's:
// replicas must keep their clocks within a fraction of the margin
// (ratelimit.Margin) of each other, as NTP does.
//
// When Redis fails to answer a call within the timeout (WithTimeout), the
// Limiter logs it once, tells the Observer (a partnerkit.LimiterFallback),
// and lets requests go under the in-process limits alone (each replica
// keeping the whole quota, as without this package) without waiting for
// Redis again; one call at a time, about once a second (WithProbeInterval,
// with jitter so that replicas do not ask together), asks Redis whether it
// is back, and the first answer brings the whole process back to the shared
// limits (logged once, and a partnerkit.LimiterResumed), after adding to
// the fleet's quota logs the requests it sent while Redis was away (those
// still within their period), so that the fleet counts them. Redis
// restarted with its data lost knows only what the replicas that are back
// added. A call whose own deadline is too near to wait for Redis (the
// Limiter waits at most half of what the deadline leaves) goes under the
// process's limits without taking the process off Redis, and the fleet
// does not count it.
//
// A request that the fleet's quota turns away after the process let it go
// (another replica took the place between the two looks) waits again in
// its place; if it then gives up (its context ends, or the new wait is
// longer than it accepts), the process counts it as a request without an
// answer.
type Limiter struct {
	rdb      redis.UniversalClient
	prefix   string
	timeout  time.Duration
	interval time.Duration
	log      *slog.Logger
	observer partnerkit.Observer
	clock    clock.Clock
	local    *ratelimit.Local
	// honours says that rdb ends its calls at their contexts' deadlines.
	honours bool
	// held says that the fleet made a request wait lately: the next looks
	// at the fleet's limits before the process's (see Wait).
	held atomic.Bool

	mu      sync.Mutex
	down    bool      // Redis failed: requests go under local limits
	since   time.Time // when it failed
	next    time.Time // when a call may ask whether Redis is back
	probing bool      // a call is asking
	// missed are the requests sent while Redis was away, for the fleet's
	// logs when it is back; at most maxMissed, the newest.
	missed []missedSend
}

// missedSend is a request sent while Redis was away: the quota log that
// did not count it, and when it went.
type missedSend struct {
	key    string
	period time.Duration
	at     time.Time
}

// maxMissed bounds the requests a Limiter remembers while Redis is away.
const maxMissed = 10000

// Option configures a Limiter or a TokenStore. An option checks its value:
// a constructor given one that cannot work returns a
// *partnerkit.ValidationError (matching partnerkit.ErrInvalidInput) naming
// it, and nothing. WithPrefix and WithTimeout apply to both; the others to
// a Limiter only, and NewTokenStore refuses them.
type Option func(*settings) error

// settings are what the options set.
type settings struct {
	prefix   string
	timeout  time.Duration
	interval time.Duration
	log      *slog.Logger
	observer partnerkit.Observer
	clock    clock.Clock
	// limiterOnly names the first option set that only a Limiter takes.
	limiterOnly string
}

// invalid reports a value an option cannot take.
func invalid(option, rule string) error {
	return &partnerkit.ValidationError{Field: "redisfleet." + option, Rule: rule}
}

// forLimiter records that a Limiter-only option was given.
func (s *settings) forLimiter(option string) {
	if s.limiterOnly == "" {
		s.limiterOnly = "redisfleet." + option
	}
}

// WithPrefix starts every key written with prefix instead of DefaultPrefix
// (a Limiter's keys continue with "limit:", a TokenStore's with
// "session:"). Replicas share their limits and sessions when they share
// Redis and a prefix. The prefix may not hold braces, which would break the
// hash tag that keeps a credential's keys together on Redis Cluster.
func WithPrefix(prefix string) Option {
	return func(s *settings) error {
		if strings.ContainsAny(prefix, "{}") {
			return invalid("WithPrefix", fmt.Sprintf("must not hold a brace, got %q", prefix))
		}
		s.prefix = prefix
		return nil
	}
}

// WithTimeout bounds each Redis call (d > 0). A Limiter's default is
// DefaultTimeout: a call that takes longer switches it to the in-process
// limits until Redis answers in time again. A TokenStore's calls are
// otherwise bounded by their caller's context (a client bounds each store
// call). The bound holds whatever the client's own settings; a client with
// ContextTimeoutEnabled (redis.Options) ends its own calls at the bound and
// saves the Limiter a goroutine per call.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d <= 0 {
			return invalid("WithTimeout", fmt.Sprintf("must be positive, got %s", d))
		}
		s.timeout = d
		return nil
	}
}

// WithProbeInterval sets the average time between two questions a Limiter
// asks Redis while it is away (d > 0; default DefaultProbeInterval). Each
// is drawn between half and one and a half times d.
func WithProbeInterval(d time.Duration) Option {
	return func(s *settings) error {
		if d <= 0 {
			return invalid("WithProbeInterval", fmt.Sprintf("must be positive, got %s", d))
		}
		s.interval = d
		s.forLimiter("WithProbeInterval")
		return nil
	}
}

// WithLogger makes a Limiter log to logger, at warning level, when it
// loses Redis and, at info level, when Redis is back: once each, not once
// per call. Nil, the default, logs nothing.
func WithLogger(logger *slog.Logger) Option {
	return func(s *settings) error {
		s.log = logger
		s.forLimiter("WithLogger")
		return nil
	}
}

// WithObserver makes a Limiter report to o each switch to the in-process
// limits (a *partnerkit.LimiterFallback) and each return to the shared ones
// (a *partnerkit.LimiterResumed), with the context of the call that found
// it out.
func WithObserver(o partnerkit.Observer) Option {
	return func(s *settings) error {
		if o == nil {
			return invalid("WithObserver", "must not be nil")
		}
		s.observer = o
		s.forLimiter("WithObserver")
		return nil
	}
}

// withClock makes a Limiter tell time and wait with clk (tests).
func withClock(clk clock.Clock) Option {
	return func(s *settings) error {
		s.clock = clk
		return nil
	}
}

// apply returns the settings opts make from the defaults.
func apply(opts []Option) (*settings, error) {
	s := &settings{prefix: DefaultPrefix, interval: DefaultProbeInterval, clock: clock.Real}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// NewLimiter returns a Limiter that keeps its shared state in rdb (a
// *redis.Client, a *redis.ClusterClient, a failover client).
func NewLimiter(rdb redis.UniversalClient, opts ...Option) (*Limiter, error) {
	if rdb == nil {
		return nil, &partnerkit.ValidationError{Field: "rdb", Rule: "must not be nil"}
	}
	s, err := apply(opts)
	if err != nil {
		return nil, err
	}
	l := &Limiter{
		rdb:      rdb,
		prefix:   s.prefix,
		timeout:  cmp.Or(s.timeout, DefaultTimeout),
		interval: s.interval,
		log:      s.log,
		observer: s.observer,
		clock:    s.clock,
	}
	l.local = ratelimit.New(l.clock)
	l.honours = honoursContexts(rdb)
	return l, nil
}

// honoursContexts reports whether rdb ends a call at its context's
// deadline: a client, cluster client or ring with ContextTimeoutEnabled.
func honoursContexts(rdb redis.UniversalClient) bool {
	switch c := rdb.(type) {
	case *redis.Client:
		return c.Options().ContextTimeoutEnabled
	case *redis.ClusterClient:
		return c.Options().ContextTimeoutEnabled
	case *redis.Ring:
		return c.Options().ContextTimeoutEnabled
	}
	return false
}

// keys are the Redis keys of one LimitRequest.
type keys struct {
	gate, routeGate, hold, routeHold string
	quotas                           []string
	periods                          []time.Duration // each quota's period and margin
	args                             []any           // each quota's limit and period, in µs
}

// keysOf returns the keys of r: the credential's and its route's gates and
// holds, and a log for each quota that applies to r. They share a hash tag.
func (l *Limiter) keysOf(r *partnerkit.LimitRequest) keys {
	base := l.prefix + "limit:{" + r.Provider + "/" + r.Credential + "}:"
	k := keys{
		gate: base + "gate", routeGate: base + "gate:" + r.Route,
		hold: base + "hold", routeHold: base + "hold:" + r.Route,
	}
	for _, q := range r.Quotas {
		if (q.Route != "" && q.Route != r.Route) || q.Limit <= 0 || q.Per <= 0 {
			continue // ratelimit.Local's rule: a quota that allows nothing is none
		}
		period := q.Per + ratelimit.Margin(q.Per)
		k.quotas = append(k.quotas, base+"quota:"+strconv.Itoa(q.Limit)+"/"+strconv.FormatInt(q.Per.Microseconds(), 10)+"us:"+q.Route)
		k.periods = append(k.periods, period)
		k.args = append(k.args, q.Limit, micros(period))
	}
	return k
}

// micros returns d in whole microseconds, rounded up.
func micros(d time.Duration) int64 {
	return int64((d + time.Microsecond - 1) / time.Microsecond)
}

// admitScript checks a request against the fleet's gates, holds and quota
// logs at ARGV[1] (µs since the epoch) and returns how long it must wait,
// in µs; when it need not and ARGV[2] is "1", it records it in the logs.
//
//	KEYS: the credential's gate, the route's gate, the credential's hold,
//	      the route's hold, then one sorted set per quota
//	ARGV: now, take, learn, member, slack (ms), then limit and period (µs)
//	      for each quota
var admitScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local wake = 0
local function held(key)
  local v = tonumber(redis.call('GET', key) or '0')
  if v > wake then wake = v end
end
held(KEYS[1])
held(KEYS[2])
if ARGV[3] == '1' then
  held(KEYS[3])
  held(KEYS[4])
end
for i = 5, #KEYS do
  local limit = tonumber(ARGV[6 + (i - 5) * 2])
  local period = tonumber(ARGV[7 + (i - 5) * 2])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - period)
  local n = redis.call('ZCARD', KEYS[i])
  if n >= limit then
    local oldest = redis.call('ZRANGE', KEYS[i], n - limit, n - limit, 'WITHSCORES')
    local free = tonumber(oldest[2]) + period
    if free > wake then wake = free end
  end
end
if wake > now then
  return wake - now
end
if ARGV[2] == '1' then
  for i = 5, #KEYS do
    local period = tonumber(ARGV[7 + (i - 5) * 2])
    redis.call('ZADD', KEYS[i], ARGV[1], ARGV[4])
    redis.call('PEXPIRE', KEYS[i], math.ceil(period / 1000) + tonumber(ARGV[5]))
  end
end
return 0
`)

// raiseScript moves gates and holds later, never earlier.
//
//	KEYS: the gates and holds to raise
//	ARGV: now (µs), slack (ms), then the new time (µs) of each key
var raiseScript = redis.NewScript(`
local now = tonumber(ARGV[1])
for i = 1, #KEYS do
  local t = tonumber(ARGV[2 + i])
  local v = tonumber(redis.call('GET', KEYS[i]) or '0')
  if t > v and t > now then
    redis.call('SET', KEYS[i], ARGV[2 + i], 'PX', math.ceil((t - now) / 1000) + tonumber(ARGV[2]))
  end
end
return 0
`)

// admit asks Redis how long r must wait at now for the fleet's gates,
// holds and quotas and, with take and no wait, records r as sent at now.
func (l *Limiter) admit(ctx context.Context, k keys, r *partnerkit.LimitRequest, now time.Time, take bool) (time.Duration, error) {
	ks := append([]string{k.gate, k.routeGate, k.hold, k.routeHold}, k.quotas...)
	args := append([]any{now.UnixMicro(), flag(take), flag(r.Learn), member(), keySlack.Milliseconds()}, k.args...)
	wait, err := call(ctx, l, func(ctx context.Context) (int64, error) {
		return admitScript.Run(ctx, l.rdb, ks, args...).Int64()
	})
	return time.Duration(wait) * time.Microsecond, err
}

func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// member returns a name for one entry of a quota's log.
func member() string {
	return strconv.FormatUint(rand.Uint64(), 36)
}

// errShortDeadline marks a Redis call cut short by its caller's deadline
// rather than by the Limiter's timeout: it says nothing of Redis's health.
var errShortDeadline = errors.New("the caller's deadline is nearer than the timeout")

// call runs f with the Limiter's timeout, or half the time left before
// ctx's deadline when that is shorter (so that a call whose Redis is slow
// still has time to go under the process's limits), and returns when f
// does or the bound passes, whichever is first. The bound holds even when
// the Redis client does not honour contexts (ContextTimeoutEnabled unset):
// f then runs on a goroutine of its own, which goes on in the background
// until the client's own timeouts end it. A client that honours them is
// called directly, saving the hand-over between goroutines.
func call[T any](ctx context.Context, l *Limiter, f func(context.Context) (T, error)) (T, error) {
	bound, short := l.timeout, false
	if deadline, ok := ctx.Deadline(); ok {
		if half := time.Until(deadline) / 2; half < bound {
			bound, short = half, true
		}
	}
	ctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	var err error
	if l.honours {
		var v T
		if v, err = f(ctx); err == nil {
			return v, nil
		}
	} else {
		type answer struct {
			v   T
			err error
		}
		result := make(chan answer, 1)
		go func() {
			v, err := f(ctx)
			result <- answer{v, err}
		}()
		select {
		case a := <-result:
			if a.err == nil {
				return a.v, nil
			}
			err = a.err
		case <-ctx.Done():
			err = fmt.Errorf("no answer from Redis within %s: %w", bound, ctx.Err())
		}
	}
	if short && (ctx.Err() != nil || timedOut(err)) {
		err = fmt.Errorf("%w: %w", errShortDeadline, err)
	}
	var zero T
	return zero, err
}

// timedOut reports whether err is a deadline that passed: the context's,
// or the connection's that the client set from it.
func timedOut(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// failed handles the error of a Redis call: the Limiter falls back to the
// in-process limits, unless the caller's own deadline cut the call short.
func (l *Limiter) failed(ctx context.Context, err error) {
	if !errors.Is(err, errShortDeadline) {
		l.fallBack(ctx, err)
	}
}

// Wait holds r until the fleet and the process allow it; see
// partnerkit.Limiter and the Limiter's documentation.
func (l *Limiter) Wait(ctx context.Context, r *partnerkit.LimitRequest) (func(partnerkit.LimitFeedback), error) {
	k := l.keysOf(r)
	if !l.shared(ctx) {
		return l.alone(ctx, r, k)
	}
	// While the fleet holds requests, first what it holds, so that a
	// request that waits for it takes no place in the process meanwhile.
	// Otherwise one look at Redis (the second) is enough.
	waited := false
	for l.held.Load() {
		now := l.clock.Now()
		wait, err := l.admit(ctx, k, r, now, false)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			l.failed(ctx, err)
			return l.alone(ctx, r, k)
		}
		if wait <= 0 {
			break
		}
		waited = true
		if err := ratelimit.CheckWait(ctx, wait, r.MaxWait); err != nil {
			return nil, err
		}
		if err := l.clock.Sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
	// Then the process's own limits (learned windows, and the same quotas
	// and gates), then the fleet again, checking and recording at once.
	done, err := l.local.Wait(ctx, r)
	if err != nil {
		return nil, err
	}
	return l.record(ctx, r, k, done, waited)
}

// record holds r, which the process's limits let go (done is the
// process's), until the fleet allows it, and records it in the fleet's
// logs. waited says that the fleet already held it.
func (l *Limiter) record(ctx context.Context, r *partnerkit.LimitRequest, k keys, done func(partnerkit.LimitFeedback), waited bool) (func(partnerkit.LimitFeedback), error) {
	for {
		now := l.clock.Now()
		wait, err := l.admit(ctx, k, r, now, true)
		if err != nil {
			if ctx.Err() != nil {
				done(partnerkit.LimitFeedback{Time: now})
				return nil, ctx.Err()
			}
			l.failed(ctx, err)
			l.miss(k, now) // the process's limits let it go
			return done, nil
		}
		l.held.Store(waited || wait > 0)
		if wait <= 0 {
			return func(fb partnerkit.LimitFeedback) {
				done(fb)
				l.learn(k, r, fb)
			}, nil
		}
		err = ratelimit.CheckWait(ctx, wait, r.MaxWait)
		if err == nil {
			err = l.clock.Sleep(ctx, wait)
		}
		if err != nil {
			done(partnerkit.LimitFeedback{Time: l.clock.Now()}) // not sent, but the process counted it
			return nil, err
		}
		waited = true
	}
}

// alone holds r under the process's limits only, while Redis is away, and
// remembers it went for the fleet's logs. When Redis came back while r
// waited, the fleet records it, or holds it first.
func (l *Limiter) alone(ctx context.Context, r *partnerkit.LimitRequest, k keys) (func(partnerkit.LimitFeedback), error) {
	done, err := l.local.Wait(ctx, r)
	if err != nil {
		return nil, err
	}
	if !l.miss(k, l.clock.Now()) {
		return l.record(ctx, r, k, done, false)
	}
	return done, nil
}

// miss remembers that a request of k's quotas went at, unrecorded, while
// Redis is away; it returns false, remembering nothing, when Redis is back.
func (l *Limiter) miss(k keys, at time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.down {
		return false
	}
	for i, key := range k.quotas {
		l.missed = append(l.missed, missedSend{key, k.periods[i], at})
	}
	if n := len(l.missed) - maxMissed; n > 0 {
		l.missed = l.missed[n:]
	}
	return true
}

// replay adds to the fleet's logs the requests the process sent while
// Redis was away that are still within their quota's period, so that the
// fleet counts them.
func (l *Limiter) replay(ctx context.Context, missed []missedSend, now time.Time) error {
	var live []missedSend
	for _, m := range missed {
		if m.at.Add(m.period).After(now) {
			live = append(live, m)
		}
	}
	if len(live) == 0 {
		return nil
	}
	_, err := call(ctx, l, func(ctx context.Context) ([]redis.Cmder, error) {
		return l.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, m := range live {
				p.ZAdd(ctx, m.key, redis.Z{Score: float64(m.at.UnixMicro()), Member: member()})
				p.PExpire(ctx, m.key, m.period+keySlack)
			}
			return nil
		})
	})
	return err
}

// learn shares what an answer said that the whole fleet must honour: the
// gate a Retry-After closes, and the windows it reported spent.
func (l *Limiter) learn(k keys, r *partnerkit.LimitRequest, fb partnerkit.LimitFeedback) {
	at := fb.Time
	if at.IsZero() {
		at = l.clock.Now()
	}
	capAt := at.Add(ratelimit.MaxHold)
	var ks []string
	var untils []any
	raise := func(key string, until time.Time) {
		ks = append(ks, key)
		untils = append(untils, until.UnixMicro())
	}
	var retryEnd time.Time
	if fb.RetryAfter > 0 {
		retryEnd = at.Add(min(fb.RetryAfter, ratelimit.MaxHold))
		if r.Gate == partnerkit.GateRoute {
			raise(k.routeGate, retryEnd)
		} else {
			raise(k.gate, retryEnd)
		}
	}
	if r.Learn {
		for _, w := range fb.Windows {
			if w.Remaining > 0 {
				continue
			}
			end := w.Reset
			switch {
			case fb.RateLimited && !retryEnd.IsZero():
				end = retryEnd // the Retry-After of a refusal wins over the reset
			case end.IsZero():
				continue // no reset: each process assumes the window's end
			case end.After(capAt):
				end = capAt
			}
			if w.PerRoute {
				raise(k.routeHold, end)
			} else {
				raise(k.hold, end)
			}
		}
	}
	if len(ks) == 0 || !l.isShared() {
		return
	}
	args := append([]any{l.clock.Now().UnixMicro(), keySlack.Milliseconds()}, untils...)
	_, err := call(context.Background(), l, func(ctx context.Context) (any, error) {
		return nil, raiseScript.Run(ctx, l.rdb, ks, args...).Err()
	})
	if err != nil {
		l.fallBack(context.Background(), err)
	}
}

// isShared reports whether the Limiter is on Redis now.
func (l *Limiter) isShared() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.down
}

// shared reports whether requests go through Redis. While Redis is away,
// one call at a time, when the probe interval has passed, asks whether it
// is back.
func (l *Limiter) shared(ctx context.Context) bool {
	l.mu.Lock()
	if !l.down {
		l.mu.Unlock()
		return true
	}
	now := l.clock.Now()
	if l.probing || now.Before(l.next) {
		l.mu.Unlock()
		return false
	}
	l.probing = true
	l.mu.Unlock()
	_, err := call(ctx, l, func(ctx context.Context) (string, error) { return l.rdb.Ping(ctx).Result() })
	var missed []missedSend
	if err == nil {
		l.mu.Lock()
		missed, l.missed = l.missed, nil
		l.mu.Unlock()
		err = l.replay(ctx, missed, l.clock.Now())
	}
	l.mu.Lock()
	l.probing = false
	if err != nil {
		l.missed = append(missed, l.missed...) // for the next probe
		if n := len(l.missed) - maxMissed; n > 0 {
			l.missed = l.missed[n:]
		}
		if ctx.Err() == nil && !errors.Is(err, errShortDeadline) {
			l.next = now.Add(l.jitter())
		}
		l.mu.Unlock()
		return false
	}
	l.down = false
	rest := l.missed // those that went while the probe ran
	l.missed = nil
	down := now.Sub(l.since)
	l.mu.Unlock()
	if l.log != nil {
		l.log.LogAttrs(ctx, slog.LevelInfo, "redisfleet: Redis answers again; the limits are shared by the fleet again",
			slog.Duration("down", down))
	}
	if l.observer != nil {
		l.observer.Observe(ctx, &partnerkit.LimiterResumed{Limiter: "redisfleet", Down: down})
	}
	if err := l.replay(ctx, rest, l.clock.Now()); err != nil {
		l.failed(ctx, err)
		return false
	}
	return true
}

// fallBack switches the Limiter to the in-process limits after err, once.
func (l *Limiter) fallBack(ctx context.Context, err error) {
	l.mu.Lock()
	if l.down {
		l.mu.Unlock()
		return
	}
	now := l.clock.Now()
	l.down, l.since, l.next = true, now, now.Add(l.jitter())
	l.mu.Unlock()
	if l.log != nil {
		l.log.LogAttrs(ctx, slog.LevelWarn, "redisfleet: Redis does not answer; each process keeps the limits on its own until it does",
			slog.String("error", err.Error()), slog.Duration("timeout", l.timeout))
	}
	if l.observer != nil {
		l.observer.Observe(ctx, &partnerkit.LimiterFallback{Limiter: "redisfleet", Err: err})
	}
}

// jitter returns the wait before the next probe: between half and one and
// a half times the interval.
func (l *Limiter) jitter() time.Duration {
	return l.interval/2 + time.Duration(rand.Int64N(int64(l.interval)))
}
