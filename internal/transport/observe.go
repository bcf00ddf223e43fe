package transport

import (
	"context"
	"errors"
	"time"

	"github.com/partnerkit/partnerkit-go"
)

// This file tells the client's Observer (partnerkit.WithObserver) what the
// attempt loop does; each method does nothing without one.

// observeWait reports the end of the limiter's wait for an attempt: the time
// it held the attempt, or the refusal of a wait longer than the call
// accepts. A wait that the context ended is not reported.
func (c *Client) observeWait(ctx context.Context, route string, attempt int, waited time.Duration, err error) {
	if c.observer == nil {
		return
	}
	if err == nil {
		c.observer.Observe(ctx, &partnerkit.LimiterWait{Provider: c.spec.Provider, Route: route, Attempt: attempt, Wait: waited})
		return
	}
	var apiErr *partnerkit.Error
	if errors.As(err, &apiErr) && errors.Is(err, partnerkit.ErrRateLimited) {
		c.observer.Observe(ctx, &partnerkit.WaitRefused{Provider: c.spec.Provider, Route: route, Attempt: attempt, Wait: apiErr.RetryAfter})
	}
}

// observeAnswer reports an attempt's rate-limit refusal and the retry
// decision that follows it. refused, when not zero, is the wait the server
// asked for that the call did not accept (longer than MaxWait, or past the
// context's deadline): the decision gave up because of it.
func (c *Client) observeAnswer(ctx context.Context, route string, o Outcome, apiErr *partnerkit.Error, fb partnerkit.LimitFeedback, d Decision, refused time.Duration) {
	if c.observer == nil {
		return
	}
	p := c.spec.Provider
	if fb.RateLimited {
		e := &partnerkit.RateLimitRefusal{Provider: p, Route: route, Attempt: o.Attempt, StatusCode: o.StatusCode, RetryAfter: fb.RetryAfter}
		if apiErr != nil {
			e.Code = apiErr.Code
		}
		c.observer.Observe(ctx, e)
	}
	c.observer.Observe(ctx, &partnerkit.RetryDecision{
		Provider: p, Route: route, Attempt: o.Attempt, Retry: d.Retry, Wait: d.Wait,
		StatusCode: o.StatusCode, RateLimited: fb.RateLimited, Reason: d.Reason,
	})
	if refused > 0 {
		c.observer.Observe(ctx, &partnerkit.WaitRefused{Provider: p, Route: route, Attempt: o.Attempt, Wait: refused, Server: true})
	}
}

// waitTooLong reports whether the retry rule gave up only because the wait
// the server asked for is longer than the policy's MaxWait.
func waitTooLong(p Policy, o Outcome) bool {
	retryable, _ := classify(o)
	wait, asked := serverWait(o)
	return retryable && o.Attempt <= p.MaxRetries && asked && wait > p.MaxWait
}
