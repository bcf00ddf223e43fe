package ratelimit

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/partnerkit/partnerkit-go/internal/clock"
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

// FuzzLocal drives one credential's limiter with a sequence of answers
// (any status, Retry-After, windows with any limit, count and reset,
// absurd ones included) and pauses, the bytes choosing each. Every request
// is answered before the next asks: then no answer, however absurd, holds
// a request longer than MaxHold.
func FuzzLocal(f *testing.F) {
	f.Add([]byte{1, 0, 0, 1, 1, 5, 0, 2, 1, 0, 0, 0, 1})
	f.Add([]byte{1, 1, 3, 2, 0, 3, 0, 4, 2, 2, 5, 1, 5, 1, 0, 0, 0, 0, 0, 1, 0, 0})
	f.Add([]byte{1, 1, 2, 1, 2, 0, 0, 3, 0, 1, 0, 0, 0, 0, 9, 1, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		next := func() int {
			if len(data) == 0 {
				return 0
			}
			b := data[0]
			data = data[1:]
			return int(b)
		}
		start := time.Unix(1_800_000_000, 0)
		clk := clock.NewAutoFake(start)
		l := newClient(Config{Learn: true, WindowLength: 10 * time.Second, Clock: clk})
		names := []string{"", "tenant", "route"}
		retryAfters := []time.Duration{0, time.Second, 10 * time.Second, 100 * 365 * 24 * time.Hour}
		for steps := 0; len(data) > 0 && steps < 200; steps++ {
			if next()%2 == 0 {
				clk.Advance(time.Duration(next()) * 100 * time.Millisecond)
				continue
			}
			before := clk.Now()
			done, err := l.Wait(context.Background(), []string{"GET /a", "GET /b"}[next()%2])
			if err != nil {
				t.Fatal(err)
			}
			if waited := clk.Now().Sub(before); waited > MaxHold {
				t.Fatalf("held %s, longer than MaxHold", waited)
			}
			at := clk.Now()
			resets := []time.Time{{}, at.Add(time.Second), at.Add(10 * time.Second), at.Add(-5 * time.Second), at.Add(300 * time.Millisecond), at.AddDate(100, 0, 0)}
			fb := Feedback{Time: at, StatusCode: 200}
			if next()%3 == 0 {
				fb.StatusCode, fb.RateLimited, fb.RetryAfter = 429, true, retryAfters[next()%len(retryAfters)]
			}
			for range next() % 3 {
				name := names[next()%len(names)]
				fb.Windows = append(fb.Windows, Window{
					Name: name, PerRoute: perRoute(name),
					Limit: next() % 6, Remaining: next() % 6, Reset: resets[next()%len(resets)],
				})
			}
			done(fb)
		}
	})
}
