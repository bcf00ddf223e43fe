package partnerkit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ID is a provider's identifier as text. It decodes from a JSON string or a
// JSON number (providers are not consistent), and encodes as a JSON string.
type ID string

// UnmarshalJSON accepts a string, a number or null.
func (id *ID) UnmarshalJSON(data []byte) error {
	text, err := scalarText(data)
	if err != nil {
		return fmt.Errorf("partnerkit: ID: %w", err)
	}
	*id = ID(text)
	return nil
}

// Int64 returns the ID as an integer, if it is one.
func (id ID) Int64() (int64, bool) {
	n, err := strconv.ParseInt(string(id), 10, 64)
	return n, err == nil
}

// Int is an integer that a provider may send as a JSON number or as a JSON
// string ("2"), as protobuf's JSON does for every 64-bit integer and some
// Python services do for counts. It encodes as a JSON number. Null and ""
// decode to 0: a field whose null must stay distinguishable is an *Int.
type Int int64

// UnmarshalJSON accepts an integer as a number or a string (a number with
// a zero fraction, such as 2.0 or "1e3", too), or null.
func (n *Int) UnmarshalJSON(data []byte) error {
	text, err := scalarText(data)
	if err != nil {
		return fmt.Errorf("partnerkit: integer: %w", err)
	}
	if text == "" {
		*n = 0
		return nil
	}
	if i, err := strconv.ParseInt(text, 10, 64); err == nil {
		*n = Int(i)
		return nil
	}
	f, err := parseFinite(text)
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return fmt.Errorf("partnerkit: %q is not an integer", text)
	}
	*n = Int(f)
	return nil
}

// Number is a JSON number that a provider may also send as a string
// ("1500000.00"), as Python services do for decimals. It keeps the text as
// sent, so no precision is lost; the empty Number means absent or null.
type Number string

// UnmarshalJSON accepts a number, a string holding a finite number (such
// as "1500000.00", "+5" or ".5"), or null.
func (n *Number) UnmarshalJSON(data []byte) error {
	text, err := scalarText(data)
	if err != nil {
		return fmt.Errorf("partnerkit: number: %w", err)
	}
	if text != "" {
		if _, err := parseFinite(text); err != nil {
			return err
		}
	}
	*n = Number(text)
	return nil
}

// MarshalJSON writes the number as a JSON number, or null when empty. Text
// that is already a JSON number is written as is; other forms of a number
// ("+5", ".5", "007") are written in their shortest JSON form.
func (n Number) MarshalJSON() ([]byte, error) {
	if n == "" {
		return []byte("null"), nil
	}
	if c := n[0]; (c == '-' || (c >= '0' && c <= '9')) && json.Valid([]byte(n)) {
		return []byte(n), nil
	}
	f, err := parseFinite(string(n))
	if err != nil {
		return nil, err
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// parseFinite parses a number's text, refusing what JSON cannot carry:
// NaN, infinities and values out of float64's range.
func parseFinite(text string) (float64, error) {
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("partnerkit: number: %q is not a finite number", text)
	}
	return f, nil
}

// Float64 returns the number as a float64 (0 when empty).
func (n Number) Float64() float64 {
	f, _ := strconv.ParseFloat(string(n), 64)
	return f
}

// Int64 returns the number as an integer, if it is one.
func (n Number) Int64() (int64, bool) {
	i, err := strconv.ParseInt(string(n), 10, 64)
	return i, err == nil
}

// scalarText returns the text of a JSON string, number or null.
func scalarText(data []byte) (string, error) {
	data = bytes.TrimSpace(data)
	switch {
	case bytes.Equal(data, []byte("null")):
		return "", nil
	case len(data) > 0 && data[0] == '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return "", err
		}
		return strings.TrimSpace(s), nil
	case len(data) > 0 && (data[0] == '-' || (data[0] >= '0' && data[0] <= '9')):
		return string(data), nil
	default:
		return "", fmt.Errorf("want a string or a number, got %.40s", data)
	}
}

// Timestamp is an instant that decodes from the forms providers use: RFC
// 3339 with or without fractional seconds, with a space instead of the T,
// without a zone (read as UTC), or a bare date (midnight UTC). It encodes as
// RFC 3339. The zero Timestamp means absent or null.
type Timestamp struct {
	time.Time
}

var timestampLayouts = [...]string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	time.DateOnly,
}

// ParseTimestamp parses s in any of the forms Timestamp accepts.
func ParseTimestamp(s string) (Timestamp, error) {
	s = strings.TrimSpace(s)
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return Timestamp{t}, nil
		}
	}
	return Timestamp{}, fmt.Errorf("partnerkit: %q is not a timestamp", s)
}

// UnmarshalJSON accepts a string in any accepted form, an empty string, or
// null.
func (t *Timestamp) UnmarshalJSON(data []byte) error {
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		*t = Timestamp{}
		return nil
	}
	s, err := jsonString(data)
	if err != nil {
		return fmt.Errorf("partnerkit: timestamp must be a JSON string, got %.40s", data)
	}
	if s == "" {
		*t = Timestamp{}
		return nil
	}
	parsed, err := ParseTimestamp(s)
	if err != nil {
		return err
	}
	*t = parsed
	return nil
}

// jsonString returns the text of a JSON string: a string without escapes is
// read in place (the common case of dates and times), any other through
// encoding/json.
func jsonString(data []byte) (string, error) {
	data = bytes.Trim(data, " \t\r\n") // JSON's white space, no other
	if len(data) >= 2 && data[0] == '"' && data[len(data)-1] == '"' {
		inner := data[1 : len(data)-1]
		if bytes.IndexByte(inner, '\\') < 0 && bytes.IndexByte(inner, '"') < 0 && utf8.Valid(inner) {
			plain := true
			for _, c := range inner {
				if c < ' ' {
					plain = false
					break
				}
			}
			if plain {
				return string(inner), nil
			}
		}
	}
	var s string
	err := json.Unmarshal(data, &s)
	return s, err
}

// MarshalJSON writes RFC 3339, or null for the zero Timestamp.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.Time.Format(time.RFC3339Nano))
}

// Secret is a credential given in an input, such as the password of a new
// account in a params struct. Formatting it with fmt (any verb, %+v and %#v
// of the struct that holds it included) or log/slog prints a placeholder;
// encoding/json writes the value itself, since it goes to the provider. The
// client also keeps it out of its logs and errors. string(s) is the value.
type Secret string

// secretPlaceholder is what a non-empty Secret prints.
const secretPlaceholder = "[REDACTED]"

// String returns a placeholder, or "" for the empty Secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return secretPlaceholder
}

// GoString returns the placeholder quoted, for %#v.
func (s Secret) GoString() string { return strconv.Quote(s.String()) }

// Format prints the placeholder for every verb.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'q' || (verb == 'v' && f.Flag('#')) {
		_, _ = f.Write([]byte(s.GoString()))
		return
	}
	_, _ = f.Write([]byte(s.String()))
}

// LogValue returns the placeholder, for log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }
