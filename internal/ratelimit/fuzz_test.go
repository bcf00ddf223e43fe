package ratelimit

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// Seeds: the rate-limit answers the providers' documents show (Cohost's
// X-RateLimit-* with a Unix reset and 429 Retry-After; Alohub's Kong headers
// per tenant and per route; Coliving's Retry-After in seconds) and the
// shapes a server may send by mistake.
var (
	resetSeeds      = []string{"1700000060", "60", "0.734", "1700000060000", "", " 30 ", "-5", "NaN", "Inf", "1e308", "Mon, 02 Jan 2006 15:04:05 GMT", "31536001"}
	retryAfterSeeds = []string{"30", "45", "0", "1.5", "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "", "-1", "NaN", "+Inf", "9223372036.9", "1e19", "soon"}
	headerSeeds     = []string{
		"X-RateLimit-Limit: 60\nX-RateLimit-Remaining: 59\nX-RateLimit-Reset: 1700000060",
		"X-RateLimit-Limit-Tenant: 100\nX-RateLimit-Remaining-Tenant: 0\nX-RateLimit-Limit-Route: 10\nX-RateLimit-Remaining-Route: 3\nRetry-After: 10",
		"RateLimit-Limit: 100\nRateLimit-Remaining: 99\nRateLimit-Reset: 10",
		"RateLimit-Remaining: 100, 100;w=60\nratelimit-reset: 0.734",
		"x-ratelimit-remaining-: -3\nX-RATELIMIT-RESET-: 1e999",
		"X-RateLimit-Remaining-Minute: 99999999999999999999",
		"",
	}
)

var fuzzNow = time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)

// FuzzParseReset: any value is a time or a refusal (with the zero time).
func FuzzParseReset(f *testing.F) {
	for _, s := range resetSeeds {
		f.Add(s, fuzzNow.Unix())
	}
	f.Fuzz(func(t *testing.T, s string, nowUnix int64) {
		now := time.Unix(nowUnix, 0)
		got, ok := ParseReset(s, now)
		if !ok {
			if !got.IsZero() {
				t.Fatalf("%q refused with a time %v", s, got)
			}
			return
		}
		_ = got.Sub(now)
	})
}

// FuzzParseRetryAfter: any value is a wait that is never negative, or a
// refusal.
func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range retryAfterSeeds {
		f.Add(s, fuzzNow.Unix())
	}
	f.Fuzz(func(t *testing.T, s string, nowUnix int64) {
		d, ok := ParseRetryAfter(s, time.Unix(nowUnix, 0))
		if d < 0 {
			t.Fatalf("%q gives the negative wait %v (ok=%v)", s, d, ok)
		}
		if !ok && d != 0 {
			t.Fatalf("%q refused with a wait %v", s, d)
		}
	})
}

// FuzzParseHeaders reads a header block ("Name: value" lines, names kept
// exactly as given): every window it reports has counts that are not
// negative and comes from a Remaining header.
func FuzzParseHeaders(f *testing.F) {
	for _, s := range headerSeeds {
		f.Add(s, fuzzNow.Unix())
	}
	f.Fuzz(func(t *testing.T, block string, nowUnix int64) {
		h := http.Header{}
		remaining := 0
		for _, line := range strings.Split(block, "\n") {
			name, value, _ := strings.Cut(line, ":")
			h[name] = append(h[name], strings.TrimSpace(value))
			if strings.Contains(strings.ToLower(name), "ratelimit-remaining") {
				remaining++
			}
		}
		windows := ParseHeaders(h, time.Unix(nowUnix, 0))
		if len(windows) > remaining*len(families) {
			t.Fatalf("%d windows from %d Remaining headers", len(windows), remaining)
		}
		for _, w := range windows {
			if w.Remaining < 0 || w.Limit < 0 {
				t.Fatalf("window %+v has a negative count", w)
			}
			if w.PerRoute != perRoute(w.Name) {
				t.Fatalf("window %+v: PerRoute does not follow its name", w)
			}
		}
	})
}
