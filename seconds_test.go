package partnerkit_test

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
)

func TestSecondsDecodeFromNumbersAndStrings(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]partnerkit.Seconds{
		`42`:                    42,
		`"42"`:                  42,
		`" 42 "`:                42,
		`-3`:                    -3,
		`"-3"`:                  -3,
		`42.0`:                  42,
		`"1e3"`:                 1000,
		`12.4`:                  12,
		`"12.5"`:                13,
		`null`:                  0,
		`""`:                    0,
		`0`:                     0,
		`"9223372036854775807"`: math.MaxInt64,
	} {
		var s partnerkit.Seconds
		require.NoError(t, json.Unmarshal([]byte(in), &s), in)
		require.Equal(t, want, s, in)
	}
	for _, in := range []string{`"forty"`, `true`, `{}`, `[]`, `"NaN"`, `"Inf"`, `1e19`, `"-1e19"`} {
		var s partnerkit.Seconds
		require.Error(t, json.Unmarshal([]byte(in), &s), in)
	}
}

func TestSecondsEncodeAsANumber(t *testing.T) {
	t.Parallel()
	out, err := json.Marshal(struct{ D partnerkit.Seconds }{42})
	require.NoError(t, err)
	require.JSONEq(t, `{"D":42}`, string(out))
}

func TestSecondsDuration(t *testing.T) {
	t.Parallel()
	require.Equal(t, 42*time.Second, partnerkit.Seconds(42).Duration())
	require.Equal(t, -3*time.Second, partnerkit.Seconds(-3).Duration())
	require.Zero(t, partnerkit.Seconds(0).Duration())
	longest := time.Duration(math.MaxInt64/int64(time.Second)) * time.Second
	require.Equal(t, longest, partnerkit.Seconds(math.MaxInt64).Duration(), "cut, not overflowed")
	require.Equal(t, -longest, partnerkit.Seconds(math.MinInt64).Duration(), "cut, not overflowed")
}

// FuzzSeconds: Seconds that decode re-encode to the same Seconds, and their
// Duration has their sign.
func FuzzSeconds(f *testing.F) {
	for _, s := range []string{`42`, `"42"`, `-3`, `12.5`, `"1e3"`, `null`, `""`, `"9223372036854775807"`, `1e19`, `"x"`, `{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var s partnerkit.Seconds
		if err := s.UnmarshalJSON(data); err != nil {
			return
		}
		if d := s.Duration(); (d < 0) != (s < 0) || (d == 0) != (s == 0) {
			t.Fatalf("%q: %d seconds became %v", data, s, d)
		}
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("%q: %d does not encode: %v", data, s, err)
		}
		var back partnerkit.Seconds
		if err := json.Unmarshal(out, &back); err != nil || back != s {
			t.Fatalf("%q: %d encodes as %s, which decodes to %d (%v)", data, s, out, back, err)
		}
	})
}
