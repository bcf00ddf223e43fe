package partnerkit_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want partnerkit.Date
		ok   bool
	}{
		{"2025-03-01", partnerkit.NewDate(2025, time.March, 1), true},
		{"2019-10-31T00:00:00Z", partnerkit.NewDate(2019, time.October, 31), true},
		{"2019-10-31T23:30:00-05:00", partnerkit.NewDate(2019, time.October, 31), true},
		{"2019-10-31 00:00:00", partnerkit.NewDate(2019, time.October, 31), true},
		{"2025-02-30", partnerkit.Date{}, false},
		{"0000-01-01", partnerkit.Date{}, false},
		{"0000-12-31T00:00:00Z", partnerkit.Date{}, false},
		{"0001-01-01", partnerkit.NewDate(1, time.January, 1), true},
		{"01/03/2025", partnerkit.Date{}, false},
		{"2025-3-1", partnerkit.Date{}, false},
		{"", partnerkit.Date{}, false},
	}
	for _, tt := range tests {
		got, err := partnerkit.ParseDate(tt.in)
		if !tt.ok {
			require.Error(t, err, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		require.Equal(t, tt.want, got, tt.in)
	}
}

func TestDateJSON(t *testing.T) {
	t.Parallel()
	type stay struct {
		In  partnerkit.Date `json:"in"`
		Out partnerkit.Date `json:"out,omitzero"`
	}
	b, err := json.Marshal(stay{In: partnerkit.NewDate(2025, time.March, 1)})
	require.NoError(t, err)
	require.JSONEq(t, `{"in":"2025-03-01"}`, string(b))

	var s stay
	require.NoError(t, json.Unmarshal([]byte(`{"in":"2019-10-31T00:00:00Z","out":null}`), &s))
	require.Equal(t, "2019-10-31", s.In.String())
	require.True(t, s.Out.IsZero())
	require.Error(t, json.Unmarshal([]byte(`{"in":20191031}`), &s))
	require.Error(t, json.Unmarshal([]byte(`{"in":"31/10/2019"}`), &s))
}

func TestDateArithmetic(t *testing.T) {
	t.Parallel()
	d := partnerkit.NewDate(2024, time.February, 28)
	require.Equal(t, partnerkit.NewDate(2024, time.February, 29), d.AddDays(1))
	require.Equal(t, partnerkit.NewDate(2024, time.March, 1), d.AddDays(2))
	require.Equal(t, 2, d.DaysUntil(d.AddDays(2)))
	require.Equal(t, -1, d.DaysUntil(d.AddDays(-1)))
	require.True(t, d.Before(d.AddDays(1)))
	require.True(t, d.AddDays(1).After(d))
	require.Equal(t, 0, d.Compare(d))
	require.True(t, d.Valid())
	require.False(t, partnerkit.NewDate(2025, time.February, 29).Valid())
	require.False(t, partnerkit.Date{}.Valid())
	require.Equal(t, d, partnerkit.DateOf(time.Date(2024, 2, 28, 23, 59, 0, 0, time.FixedZone("ICT", 7*3600))))
	require.Equal(t, "", partnerkit.Date{}.String())
}
