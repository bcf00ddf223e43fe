package transport

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/ratelimit"
)

// Policy bounds retries.
type Policy struct {
	// MaxRetries is how many retries may follow the first attempt.
	MaxRetries int
	// BaseWait and MaxBackoff shape the full-jitter exponential backoff.
	BaseWait   time.Duration
	MaxBackoff time.Duration
	// MaxWait is the longest wait the server may ask for and be obeyed.
	MaxWait time.Duration
}

// Outcome describes an attempt that did not succeed.
type Outcome struct {
	// Attempt is the number of the attempt that just ended, from 1.
	Attempt int
	// Idempotent says whether sending the request twice is harmless.
	Idempotent bool
	// StatusCode is the answer's status, or 0 when no answer came.
	StatusCode int
	// Header holds the answer's headers (nil without an answer).
	Header http.Header
	// Hint is a wait the provider asked for in the answer's body.
	Hint time.Duration
	// Class is the provider's reading of the error answer; ClassDefault
	// leaves it to the status.
	Class Class
	// Err is the transport error when no answer came.
	Err error
	// Now is the time the attempt ended.
	Now time.Time
}

// Class is how the retry rule reads an error answer.
type Class int

const (
	// ClassDefault reads the answer by its status: 429 and an error of kind
	// ErrRateLimited are rate limits; 502, 503 and 504 are transient; every
	// other status is final.
	ClassDefault Class = iota
	// ClassFinal: asking again would get the same answer.
	ClassFinal
	// ClassTransient: the same request may succeed later, but the server
	// may have acted on this one, so only an idempotent request is retried.
	ClassTransient
	// ClassRateLimited: the server refused the request for a rate limit and
	// did not act; it is retried after the wait the server asked for.
	ClassRateLimited
)

// class returns the outcome's class, deciding ClassDefault by the status.
func (o Outcome) class() Class {
	if o.Class != ClassDefault {
		return o.Class
	}
	switch o.StatusCode {
	case http.StatusTooManyRequests:
		return ClassRateLimited
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return ClassTransient
	}
	return ClassFinal
}

// rateLimited reports whether the answer refused the request for a rate
// limit.
func (o Outcome) rateLimited() bool {
	return o.Err == nil && o.StatusCode != 0 && o.class() == ClassRateLimited
}

// Decision says whether and when to try again.
type Decision struct {
	Retry bool
	// Wait is the pause before the next attempt or, when Retry is false,
	// the wait the server asked for (reported to the caller as RetryAfter).
	Wait time.Duration
	// Reason explains the decision in words, for the debug log.
	Reason string
}

// Decide is the single retry rule of the SDK. A request is tried again only
// when that cannot do harm:
//   - 429 (or a provider's rate-limit refusal): the server did not act;
//     always retried.
//   - 502, 503, 504, timeouts and broken connections: retried only for
//     idempotent requests, since the server may have acted.
//   - A connection that could not be opened: the request never left, so it
//     is retried whatever its method.
//
// The wait is what the server asked for (Retry-After in seconds or as a
// date, then X-RateLimit-Reset for a 429, then the body's hint), else a
// full-jitter backoff drawn with random, a number in [0, 1). A server wait
// longer than MaxWait is not obeyed: the request is not retried and the wait
// is reported instead. The provider may read an error answer its own way
// (Outcome.Class): a Twirp "unavailable" under any status is transient, a
// spent quota without a Retry-After is final.
func Decide(p Policy, o Outcome, random float64) Decision {
	retryable, why := classify(o)
	wait, asked := serverWait(o)
	if !retryable {
		return Decision{Wait: wait, Reason: why}
	}
	if o.Attempt > p.MaxRetries {
		return Decision{Wait: wait, Reason: fmt.Sprintf("%s; no retries left after %d attempts", why, o.Attempt)}
	}
	if asked {
		if wait > p.MaxWait {
			return Decision{Wait: wait, Reason: fmt.Sprintf("%s; server asks to wait %s, longer than the %s allowed", why, wait, p.MaxWait)}
		}
		return Decision{Retry: true, Wait: wait, Reason: why + "; waiting as the server asked"}
	}
	return Decision{Retry: true, Wait: Backoff(p, o.Attempt, random), Reason: why + "; backing off"}
}

func classify(o Outcome) (bool, string) {
	switch {
	case errors.Is(o.Err, partnerkit.ErrResponseTooLarge):
		return false, "the answer is larger than allowed; asking again would not change it"
	case o.Err != nil && neverSent(o.Err):
		return true, "connection failed before the request was sent"
	case o.Err != nil && o.Idempotent:
		return true, "transport error on an idempotent request"
	case o.Err != nil:
		return false, "transport error after the request may have reached the server; not retried because it is not idempotent"
	}
	switch o.class() {
	case ClassRateLimited:
		return true, fmt.Sprintf("rate limited (%d)", o.StatusCode)
	case ClassTransient:
		if o.Idempotent {
			return true, fmt.Sprintf("transient failure (%d) on an idempotent request", o.StatusCode)
		}
		return false, fmt.Sprintf("transient failure (%d); not retried because the request is not idempotent and may have been acted on", o.StatusCode)
	default:
		return false, fmt.Sprintf("status %d is final", o.StatusCode)
	}
}

// neverSent reports whether err shows that no connection was made, so the
// server cannot have seen the request.
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// serverWait returns the wait the server asked for, if it asked.
func serverWait(o Outcome) (time.Duration, bool) {
	if d, ok := headerWait(o); ok {
		return d, true
	}
	return o.Hint, o.Hint > 0
}

func headerWait(o Outcome) (time.Duration, bool) {
	if o.Header == nil {
		return 0, false
	}
	if d, ok := ratelimit.ParseRetryAfter(o.Header.Get("Retry-After"), o.Now); ok {
		return d, true
	}
	if !o.rateLimited() {
		return 0, false
	}
	for _, name := range [...]string{"X-RateLimit-Reset", "RateLimit-Reset"} {
		if t, ok := ratelimit.ParseReset(o.Header.Get(name), o.Now); ok {
			return max(t.Sub(o.Now), 0), true
		}
	}
	return 0, false
}

// Backoff returns the full-jitter wait before retry number attempt (from 1):
// random × min(MaxBackoff, BaseWait × 2^(attempt-1)).
func Backoff(p Policy, attempt int, random float64) time.Duration {
	ceiling := p.BaseWait
	for i := 1; i < attempt && ceiling < p.MaxBackoff; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, p.MaxBackoff)
	return time.Duration(random * float64(ceiling))
}
