package partnerkit

import (
	"context"
	"time"

	"github.com/partnerkit/partnerkit-go/internal/config"
)

// Observer receives what a client does about rate limits and retries, and
// what a shared limiter does when its store fails, so that an operator can
// count and time it: export the events to Prometheus, OpenTelemetry or a
// log without this module depending on any of them. WithObserver gives one
// to a client; a shared limiter takes one of its own (redisfleet.WithObserver).
//
// Observe is called synchronously, on the goroutine that makes the call,
// with the call's context (which carries the caller's trace span, if any)
// and one of the event types below: *LimiterWait, *WaitRefused,
// *RateLimitRefusal, *RetryDecision, *LimiterFallback, *LimiterResumed. It
// must return quickly, must not keep the event after it returns, and is
// called by many goroutines at once. Events name the provider and the
// route, never a credential, a request's address or a body; more event
// types may be added, so a type switch should ignore those it does not
// know.
//
//	obs := partnerkit.ObserverFunc(func(ctx context.Context, e partnerkit.Event) {
//		switch e := e.(type) {
//		case *partnerkit.LimiterWait:
//			limiterWait.WithLabelValues(e.Provider, e.Route).Observe(e.Wait.Seconds())
//		case *partnerkit.RateLimitRefusal:
//			refusals.WithLabelValues(e.Provider, e.Route).Inc()
//		}
//	})
//	c, err := cohost.New(key, partnerkit.WithObserver(obs))
type Observer interface {
	Observe(ctx context.Context, e Event)
}

// ObserverFunc is an Observer written as a function.
type ObserverFunc func(ctx context.Context, e Event)

// Observe calls f(ctx, e).
func (f ObserverFunc) Observe(ctx context.Context, e Event) { f(ctx, e) }

// Event is one thing an Observer is told: a *LimiterWait, *WaitRefused,
// *RateLimitRefusal, *RetryDecision, *LimiterFallback or *LimiterResumed.
type Event interface {
	event()
}

// LimiterWait reports that the limiter let an attempt go, and how long it
// held it first (zero when it let it go at once). There is one for every
// attempt the limiter let through.
type LimiterWait struct {
	// Provider names the provider, such as "cohost".
	Provider string
	// Route names the call: its method and path template, such as
	// "GET /listings/{id}/availability", or its RPC method.
	Route string
	// Attempt is the attempt's number, from 1.
	Attempt int
	// Wait is how long the limiter held the attempt.
	Wait time.Duration
}

// WaitRefused reports a call ended because a wait it needed was longer
// than it accepts: the limiter's wait (Server false), or the wait a
// provider asked for with a refusal (Server true), was longer than
// WithMaxWait or would have passed the context's deadline. The call
// returns an error matching ErrRateLimited whose RetryAfter is Wait.
type WaitRefused struct {
	Provider string
	Route    string
	// Attempt is the number of the attempt that would have waited, from 1.
	Attempt int
	// Wait is the wait that was refused.
	Wait time.Duration
	// Server says that the provider asked for the wait; otherwise the
	// client's limiter needed it.
	Server bool
}

// RateLimitRefusal reports that a provider refused an attempt for a rate
// limit: a 429, or a provider's equivalent inside another status (such as
// Alohub's RATE_LIMIT_EXCEEDED envelope).
type RateLimitRefusal struct {
	Provider string
	Route    string
	// Attempt is the refused attempt's number, from 1.
	Attempt int
	// StatusCode is the answer's HTTP status.
	StatusCode int
	// Code is the provider's own error code, when the answer gave one.
	Code string
	// RetryAfter is the wait the provider asked for, or zero.
	RetryAfter time.Duration
}

// RetryDecision reports what the retry rule decided after an attempt that
// did not succeed: whether to try again, after how long, and why.
type RetryDecision struct {
	Provider string
	Route    string
	// Attempt is the number of the attempt that failed, from 1.
	Attempt int
	// Retry says whether another attempt follows.
	Retry bool
	// Wait is the pause before the next attempt or, without a retry, the
	// wait the provider asked for (zero when it asked for none).
	Wait time.Duration
	// StatusCode is the failed attempt's HTTP status, or 0 when no answer
	// came (a broken connection, a timeout).
	StatusCode int
	// RateLimited says that the provider refused the attempt for a rate
	// limit.
	RateLimited bool
	// Reason explains the decision in words, for a log. It holds waits and
	// counts: use StatusCode and RateLimited, not Reason, as metric labels.
	Reason string
}

// LimiterFallback reports that a limiter shared between processes lost its
// store (unreachable, or slower than its timeout) and that requests now go
// under the in-process limits until it answers again. It is reported once
// for each fallback, not for every call.
type LimiterFallback struct {
	// Limiter names the shared limiter, such as "redisfleet".
	Limiter string
	// Err is the store's error that caused the fallback.
	Err error
}

// LimiterResumed reports that a limiter shared between processes reached
// its store again after a LimiterFallback and that requests are counted by
// the whole fleet again.
type LimiterResumed struct {
	// Limiter names the shared limiter, such as "redisfleet".
	Limiter string
	// Down is how long the limiter ran on in-process limits.
	Down time.Duration
}

func (*LimiterWait) event()      {}
func (*WaitRefused) event()      {}
func (*RateLimitRefusal) event() {}
func (*RetryDecision) event()    {}
func (*LimiterFallback) event()  {}
func (*LimiterResumed) event()   {}

// WithObserver makes the client report its limiter waits, rate-limit
// refusals, retry decisions and the calls a wait refused to o (see
// Observer). A later WithObserver replaces an earlier one.
func WithObserver(o Observer) Option {
	return option("WithObserver", func(c *config.Config) error {
		if o == nil {
			return invalid("WithObserver", "must not be nil")
		}
		*config.Slot[Observer](c) = o
		return nil
	})
}
