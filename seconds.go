package partnerkit

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Seconds is a length of time a provider sends as a number of seconds,
// such as a call's duration. It decodes from a JSON number or a JSON string
// ("42"), as protobuf's JSON writes every 64-bit integer; a number with a
// fraction ("12.5") is rounded to the nearest second, and null or "" is 0.
// It encodes as a JSON number. Duration converts it.
type Seconds int64

// UnmarshalJSON accepts a number of seconds as a JSON number or string, or
// null.
func (s *Seconds) UnmarshalJSON(data []byte) error {
	text, err := scalarText(data)
	if err != nil {
		return fmt.Errorf("partnerkit: seconds: %w", err)
	}
	if text == "" {
		*s = 0
		return nil
	}
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		*s = Seconds(n)
		return nil
	}
	f, err := parseFinite(text)
	if f = math.Round(f); err != nil || f < math.MinInt64 || f >= math.MaxInt64 {
		return fmt.Errorf("partnerkit: seconds: %q is not a number of seconds", text)
	}
	*s = Seconds(f)
	return nil
}

// maxSeconds is the longest time, in seconds, a time.Duration holds.
const maxSeconds = Seconds(math.MaxInt64 / int64(time.Second))

// Duration returns s as a time.Duration, cut to the longest one rather
// than overflowing (a negative s stays negative, cut the same way).
func (s Seconds) Duration() time.Duration {
	return time.Duration(max(min(s, maxSeconds), -maxSeconds)) * time.Second
}
