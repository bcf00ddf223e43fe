// Package ratelimit keeps a client under its provider's rate limits before
// the provider has to refuse anything. Its Local limiter combines three
// things: static quotas from the provider's documents (a sliding log, so
// never more than Limit requests in any period Per, whatever the alignment
// of the server's windows), windows learned from the X-RateLimit-* and
// RateLimit-* headers of the answers (waiting for the reset instead of
// spending a 429), and a gate that a 429 closes for every goroutine of the
// client until the server's Retry-After has passed.
//
// The request engine calls Wait before every attempt and reports what the
// answer said through the returned function:
//
//	l := ratelimit.New(ratelimit.Config{
//		Quotas: []ratelimit.Quota{{Limit: 60, Per: time.Minute}},
//		Learn:  true,
//	})
//	done, err := l.Wait(ctx, "GET /listings")
//	if err != nil {
//		return err // ctx ended, or the wait would pass its deadline
//	}
//	resp, err := send()
//	done(ratelimit.Feedback{Time: time.Now(), Windows: ratelimit.ParseHeaders(resp.Header, time.Now())})
//
// Limiter is an interface so that a limiter shared by several processes (one
// quota per key across replicas) can take Local's place.
package ratelimit
