package partnerkit_test

import (
	"encoding/json"
	"testing"

	"github.com/partnerkit/partnerkit-go"
)

// Seeds for the wire types: the values the providers' documents show
// (Cohost listings and bookings, CheKin reservations, eTelecom and Alohub
// records, Coliving availability), plus the shapes each type must refuse.
var (
	dateSeeds = []string{
		`"2025-03-01"`, `"2025-03-05"`, `"2019-06-25"`, `"1967-11-24"`, `"2025-12-20"`,
		`"2024-01-15T10:30:00.000Z"`, `"2019-10-31 00:00:00"`, `""`, `null`,
		`"2025-02-30"`, `"01/03/2025"`, `20250301`, `"`,
	}
	idSeeds = []string{
		`123`, `200`, `"8ecaf888-8f84"`, `"42"`, `null`, `-1`, `1e3`, `" 7 "`, `{"id":1}`, `[1]`, `true`, `"\u0000"`,
	}
	numberSeeds = []string{
		`1500000`, `"1500000.00"`, `12.5`, `null`, `""`, `"1,500"`, `-0.5e-3`, `"NaN"`, `"Infinity"`, `"0x10"`, `"+5"`, `".5"`, `"5."`, `"007"`,
	}
	timestampSeeds = []string{
		`"2025-01-10T08:00:00Z"`, `"2024-01-15T10:30:00.000Z"`, `"2023-06-15T08:20:00.000Z"`,
		`"2025-01-10 08:00:00"`, `"2025-01-10T08:00:00"`, `"2025-10-26"`, `""`, `null`, `1700000060`, `"2025-01-10T08:00:00+07:00"`,
	}
)

func addSeeds(f *testing.F, seeds []string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
}

// FuzzDate: a Date that decodes re-encodes to the same date, and invalid
// input is an error, never a panic.
func FuzzDate(f *testing.F) {
	addSeeds(f, dateSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		var d partnerkit.Date
		if err := d.UnmarshalJSON(data); err != nil {
			return
		}
		if d.IsZero() {
			return
		}
		if !d.Valid() {
			t.Fatalf("%q decoded to the invalid date %v", data, d)
		}
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("%v does not encode: %v", d, err)
		}
		var back partnerkit.Date
		if err := json.Unmarshal(out, &back); err != nil || back != d {
			t.Fatalf("%q: %v encodes as %s, which decodes to %v (%v)", data, d, out, back, err)
		}
	})
}

// FuzzID: an ID that decodes re-encodes to the same ID.
func FuzzID(f *testing.F) {
	addSeeds(f, idSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		var id partnerkit.ID
		if err := id.UnmarshalJSON(data); err != nil {
			return
		}
		id.Int64()
		if !json.Valid(data) {
			return
		}
		out, err := json.Marshal(id)
		if err != nil {
			t.Fatalf("%q does not encode: %v", id, err)
		}
		var back partnerkit.ID
		if err := json.Unmarshal(out, &back); err != nil || back != id {
			t.Fatalf("%q: %q encodes as %s, which decodes to %q (%v)", data, id, out, back, err)
		}
	})
}

// FuzzNumber: a Number that decodes from JSON encodes as valid JSON with the
// same value.
func FuzzNumber(f *testing.F) {
	addSeeds(f, numberSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		var n partnerkit.Number
		if err := json.Unmarshal(data, &n); err != nil {
			return
		}
		n.Float64()
		n.Int64()
		out, err := json.Marshal(n)
		if err != nil {
			t.Fatalf("%q decoded to %q, which does not encode: %v", data, n, err)
		}
		var back partnerkit.Number
		if err := json.Unmarshal(out, &back); err != nil || back.Float64() != n.Float64() {
			t.Fatalf("%q: %q encodes as %s, which decodes to %q (%v)", data, n, out, back, err)
		}
	})
}

// FuzzTimestamp: a Timestamp that decodes re-encodes to the same instant.
func FuzzTimestamp(f *testing.F) {
	addSeeds(f, timestampSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		var ts partnerkit.Timestamp
		if err := ts.UnmarshalJSON(data); err != nil || ts.IsZero() {
			return
		}
		out, err := json.Marshal(ts)
		if err != nil {
			t.Fatalf("%q decoded to %v, which does not encode: %v", data, ts.Time, err)
		}
		var back partnerkit.Timestamp
		if err := json.Unmarshal(out, &back); err != nil || !back.Equal(ts.Time) {
			t.Fatalf("%q: %v encodes as %s, which decodes to %v (%v)", data, ts.Time, out, back.Time, err)
		}
	})
}
