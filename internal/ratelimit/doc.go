// Package ratelimit keeps a client under its provider's rate limits before
// the provider has to refuse anything. Its Local limiter, the default
// partnerkit.Limiter of every client, combines three things for each
// credential: static quotas from the provider's documents (a sliding log, so
// never more than Limit requests in any period Per and its Margin, whatever
// the alignment of the server's windows), windows learned from the
// X-RateLimit-* and RateLimit-* headers of the answers (waiting for the
// reset instead of spending a 429; without resets, keeping within any
// window of the assumed length, wherever the server's windows begin), and
// a gate that a 429 closes, for the credential or the route,
// until the server's Retry-After has passed. No answer holds a credential
// longer than MaxHold. Package limitertest checks that a limiter, this one
// or one shared between processes, behaves the same.
//
// The request engine calls Wait before every attempt and reports what the
// answer said through the returned function:
//
//	l := ratelimit.New(nil)
//	r := &partnerkit.LimitRequest{
//		Provider: "cohost", Credential: digest, Route: "GET /listings",
//		Quotas:  []partnerkit.Quota{{Limit: 60, Per: time.Minute}},
//		MaxWait: 2 * time.Minute, Learn: true,
//	}
//	done, err := l.Wait(ctx, r)
//	if err != nil {
//		return err // ctx ended, or the wait would pass its deadline or MaxWait
//	}
//	resp, err := send()
//	if err != nil {
//		done(partnerkit.LimitFeedback{Time: time.Now()}) // no answer: it stays counted
//		return err
//	}
//	done(partnerkit.LimitFeedback{Time: time.Now(), StatusCode: resp.StatusCode,
//		Windows: ratelimit.ParseHeaders(resp.Header, time.Now())})
//
// The package also reads the headers that carry waits and windows
// (ParseHeaders, ParseRetryAfter, ParseReset), for the engine and for
// limiters shared between processes.
package ratelimit
