package etelecom

import (
	"fmt"
	"math"
	"time"

	"github.com/partnerkit/partnerkit-go"
)

// Seconds is a length of time eTelecom sends as a whole number of seconds
// (a call's duration, a login request's validity). It decodes from a JSON
// number or a JSON string ("42"), as protobuf's JSON writes every 64-bit
// integer, and encodes as a JSON number.
type Seconds int64

// UnmarshalJSON accepts a whole number of seconds as a number or a string,
// or null (0).
func (s *Seconds) UnmarshalJSON(data []byte) error {
	var n partnerkit.Int
	if err := n.UnmarshalJSON(data); err != nil {
		return fmt.Errorf("etelecom: seconds: %w", err)
	}
	*s = Seconds(n)
	return nil
}

// maxSeconds is the longest time, in seconds, a time.Duration holds.
const maxSeconds = Seconds(math.MaxInt64 / int64(time.Second))

// Duration returns s as a time.Duration, cut to the longest one rather
// than overflowing (a negative s stays negative, cut the same way).
func (s Seconds) Duration() time.Duration {
	return time.Duration(max(min(s, maxSeconds), -maxSeconds)) * time.Second
}
