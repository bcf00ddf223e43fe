package ratelimit

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/partnerkit/partnerkit-go"
)

// perRoute reports whether a window of this name counts one route only.
// Windows whose name mentions "route" do; all others count every request of
// the credential, which is the safe reading when a provider does not say.
func perRoute(name string) bool {
	return strings.Contains(name, "route")
}

// Families of rate-limit headers, lower case, without the trailing suffix.
var families = [...]struct{ limit, remaining, reset string }{
	{"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"},
	{"ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"},
}

// ParseHeaders reads every rate-limit window an answer describes: the
// X-RateLimit-* and RateLimit-* families, with or without a suffix naming
// the window (X-RateLimit-Remaining-Minute). A window needs a Remaining
// header; its Limit and Reset are read from the headers of the same family
// and suffix, and a Reset without a suffix applies to windows that have none
// of their own. now converts relative resets into times.
func ParseHeaders(h http.Header, now time.Time) []partnerkit.RateWindow {
	var windows []partnerkit.RateWindow
	var shared time.Time
	for key, values := range h {
		if len(values) == 0 {
			continue
		}
		for _, f := range families {
			switch {
			case strings.EqualFold(key, f.reset):
				if t, ok := ParseReset(values[0], now); ok {
					shared = t
				}
			case hasFamilyPrefix(key, f.remaining):
				name := strings.ToLower(strings.TrimPrefix(key[len(f.remaining):], "-"))
				remaining, ok := parseCount(values[0])
				if !ok {
					continue
				}
				w := partnerkit.RateWindow{Name: name, PerRoute: perRoute(name), Remaining: remaining}
				w.Limit, _ = parseCount(headerValue(h, f.limit, name))
				if t, ok := ParseReset(headerValue(h, f.reset, name), now); ok && name != "" {
					w.Reset = t
				}
				windows = append(windows, w)
			}
		}
	}
	for i := range windows {
		if windows[i].Reset.IsZero() {
			windows[i].Reset = shared
		}
	}
	return windows
}

// hasFamilyPrefix reports whether key, in any case, is prefix or
// prefix-<suffix>. It does not allocate: most headers are not rate limits.
func hasFamilyPrefix(key, prefix string) bool {
	if len(key) < len(prefix) || !strings.EqualFold(key[:len(prefix)], prefix) {
		return false
	}
	return len(key) == len(prefix) || key[len(prefix)] == '-'
}

func headerValue(h http.Header, base, name string) string {
	if name != "" {
		base += "-" + name
	}
	return h.Get(base)
}

func parseCount(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, ",;"); i >= 0 {
		s = strings.TrimSpace(s[:i]) // "100, 100;w=60" lists the binding value first
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// ParseReset reads a rate-limit reset value: Unix seconds (values above
// 1e9), Unix milliseconds (above 1e12), or seconds from now, possibly with a
// fraction ("0.734"). It reports false for anything else.
func ParseReset(s string, now time.Time) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return time.Time{}, false
	}
	switch {
	case v >= 1e12:
		return time.UnixMilli(int64(v)), true
	case v >= 1e9:
		return time.Unix(int64(math.Ceil(v)), 0), true
	case v > float64(365*24*time.Hour/time.Second):
		return time.Time{}, false
	default:
		d, _ := Seconds(v)
		return now.Add(d), true
	}
}

// Seconds converts a wait a provider gave in seconds (a fraction is
// accepted) to a Duration. It reports false for a negative, NaN or infinite
// value and for one too large for a Duration, rather than overflowing.
func Seconds(v float64) (time.Duration, bool) {
	if v < 0 || math.IsNaN(v) || v > float64(math.MaxInt64/int64(time.Second)) {
		return 0, false
	}
	return time.Duration(v * float64(time.Second)), true
}

// ParseRetryAfter reads a Retry-After header: delay-seconds (a fraction is
// accepted) or an HTTP date, relative to now. It reports false when the
// value is absent or malformed; a date in the past gives a zero wait.
func ParseRetryAfter(s string, now time.Time) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		return Seconds(v)
	}
	t, err := http.ParseTime(s)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}
