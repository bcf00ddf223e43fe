package partnerkit

import (
	"context"
	"time"
)

// Limiter decides when a client may send a request, so that the client keeps
// under a provider's rate limits instead of spending 429 answers. Every
// client has an in-process Limiter by default; WithLimiter replaces it, for
// example with one that the replicas of a service share so that together they
// keep one per-key quota.
//
// The client calls Wait before every attempt of every request. When Wait
// returns nil, the request is sent and the client calls done exactly once,
// with what the answer said about rate limits (a LimitFeedback without a
// StatusCode when no answer came). When Wait returns an error, nothing is
// sent and done is nil.
//
// Wait must return:
//   - at once, an error matching ErrRateLimited (an *Error whose RetryAfter
//     is the wait) when the wait would be longer than LimitRequest.MaxWait or
//     would pass ctx's deadline; the refused request takes no place;
//   - ctx.Err() when ctx ends during the wait; the abandoned request takes
//     no place.
//
// A Limiter holds a request until every limit that applies allows it:
//   - each Quota, as a sliding window with a margin (see Quota);
//   - after a 429 (LimitFeedback.RetryAfter), the gate it closes for the
//     credential or the route (LimitRequest.Gate) until its Retry-After;
//   - when LimitRequest.Learn is set, the windows the answers described
//     (LimitFeedback.Windows): a spent window holds requests until its
//     reset. The server's word beats an assumption: a reset decides where a
//     window ends whatever length was assumed, a remaining count that went
//     up starts a new window, and a 429 that reports a window spent reopens
//     it after its Retry-After. When the answers give no reset, a window of
//     LimitRequest.Window holds requests until one length after the answer
//     that began it, and no more than its allowance go within any such
//     length, whatever the phase of the server's windows; one request may
//     ask, at a multiple of the length since the Unix epoch, whether the
//     server's window turned with the clock's, as Kong's and most gateways'
//     do.
//
// No answer holds a credential or a route longer than an hour: a
// Retry-After or a reset further away (an absurd answer, or a daily quota)
// still refuses the calls that will not wait so long, but after the hour
// the next call asks the server again. A request whose done reports no
// answer (no StatusCode) may have been counted by the server: it stays
// counted. The in-process limiter documents the exact rules, and a
// conformance suite holds every limiter of the SDK to them.
//
// A Limiter is used by many goroutines at once, and may be shared by several
// clients: it keeps the state of each LimitRequest.Credential apart. A
// Limiter never sees a credential: Credential is a digest of it.
//
// A Limiter that wraps another one only to observe it is written as:
//
//	type counting struct {
//		partnerkit.Limiter
//		waits atomic.Int64
//	}
//
//	func (c *counting) Wait(ctx context.Context, r *partnerkit.LimitRequest) (func(partnerkit.LimitFeedback), error) {
//		c.waits.Add(1)
//		return c.Limiter.Wait(ctx, r)
//	}
type Limiter interface {
	Wait(ctx context.Context, r *LimitRequest) (done func(LimitFeedback), err error)
}

// LimitRequest is what a Limiter knows of a request about to be sent. The
// client fills every field; a Limiter must not change it.
type LimitRequest struct {
	// Provider names the provider, such as "cohost".
	Provider string
	// Credential identifies the credential the request carries: a stable
	// digest of the provider and the credential (an API key, a shop key, an
	// account), from which the credential cannot be recovered. Requests with
	// the same Credential count against the same per-key limits. It is
	// empty for requests sent without credentials, such as a login.
	Credential string
	// Route names the call: its method and path template, such as
	// "GET /listings/{id}/availability", or its RPC method.
	Route string
	// Quotas are the static allowances that apply to the credential: the
	// provider's documented quotas or those set by WithRateLimit. A Quota
	// with a Route counts only the requests of that route.
	Quotas []Quota
	// Window is the length of a server's rate-limit window to assume when
	// its answers report what is left of the window but not when it ends.
	Window time.Duration
	// Gate says what a 429 answer closes until its Retry-After has passed
	// (an hour at most): every route of the credential (GateCredential) or
	// this route only (GateRoute).
	Gate GateScope
	// MaxWait is the longest wait the caller accepts; a longer one must fail
	// at once with ErrRateLimited.
	MaxWait time.Duration
	// Learn says whether to wait on windows learned from answers. It is
	// false when the caller turned client-side limiting off
	// (WithoutRateLimit): only 429 answers are then honoured.
	Learn bool
}

// Quota is a static allowance: at most Limit requests in any period of
// length Per (a sliding window, which holds whatever the alignment of the
// server's own windows). A Quota whose Route is empty counts every request
// of the credential; one with a Route counts that route's requests only.
//
// A Limiter keeps a margin: a request that would be the (Limit+1)th within
// Per plus a fiftieth of Per (at most one second) waits. A server counts a
// request when it arrives, often in whole seconds: under 100 a minute, the
// 101st request, sent a minute after the first, reaches the server less
// than a minute after the first did when the first was slowed in flight
// (by the handshake of a new connection, say). The margin covers a server
// counting in whole seconds and the time in flight, and costs a short
// quota 2% of its throughput at most.
type Quota struct {
	Route string
	Limit int
	Per   time.Duration
}

// GateScope says what a 429 answer stops until its Retry-After has passed.
type GateScope int

const (
	// GateCredential stops every request of the credential: the provider
	// counts its limit per key.
	GateCredential GateScope = iota
	// GateRoute stops the requests of the refused route only: the provider
	// limits each view on its own (Django REST Framework's scoped throttles).
	GateRoute
)

// LimitFeedback is what an answer said about rate limits.
type LimitFeedback struct {
	// Time is when the answer arrived, or when the attempt ended without one.
	Time time.Time
	// StatusCode is the answer's HTTP status, or 0 when no answer came.
	StatusCode int
	// RateLimited says that the provider refused the request for a rate
	// limit: a 429, or a provider's equivalent inside a success status (such
	// as Alohub's RATE_LIMIT_EXCEEDED envelope).
	RateLimited bool
	// RetryAfter is the wait the provider asked for with a refusal, or zero.
	// It decides when the requests the refusal holds may go again, whatever
	// the windows it reports spent say.
	RetryAfter time.Duration
	// Windows are the rate-limit windows the answer's headers described.
	Windows []RateWindow
}

// RateWindow is one rate-limit window an answer described in its headers
// (X-RateLimit-Remaining, RateLimit-Remaining, with or without a suffix
// naming the window).
type RateWindow struct {
	// Name is the window's suffix in lower case: "" for
	// X-RateLimit-Remaining, "tenant" for X-RateLimit-Remaining-Tenant.
	Name string
	// PerRoute says that the window counts one route only; otherwise it
	// counts every request of the credential.
	PerRoute bool
	// Limit is the window's allowance, or 0 when the answer did not say.
	Limit int
	// Remaining is what the answer said is left in the current window.
	Remaining int
	// Reset is when the window refills, or the zero time when the answer
	// did not say. It decides where the window ends, whatever window length
	// the client assumed.
	Reset time.Time
}
