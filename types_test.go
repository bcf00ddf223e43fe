package partnerkit_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
)

func TestIDDecodesStringsAndNumbers(t *testing.T) {
	t.Parallel()
	var v struct {
		A, B, C, D partnerkit.ID
	}
	require.NoError(t, json.Unmarshal([]byte(`{"A":123,"B":"8ecaf888-8f84","C":null,"D":"42"}`), &v))
	require.Equal(t, partnerkit.ID("123"), v.A)
	require.Equal(t, partnerkit.ID("8ecaf888-8f84"), v.B)
	require.Equal(t, partnerkit.ID(""), v.C)
	n, ok := v.D.Int64()
	require.True(t, ok)
	require.Equal(t, int64(42), n)
	_, ok = v.B.Int64()
	require.False(t, ok)
	require.Error(t, json.Unmarshal([]byte(`{"A":{"x":1}}`), &v))
	out, err := json.Marshal(v.A)
	require.NoError(t, err)
	require.Equal(t, `"123"`, string(out))
}

func TestNumberKeepsTheText(t *testing.T) {
	t.Parallel()
	var v struct{ A, B, C partnerkit.Number }
	require.NoError(t, json.Unmarshal([]byte(`{"A":"1500000.00","B":12.5,"C":null}`), &v))
	require.Equal(t, partnerkit.Number("1500000.00"), v.A)
	require.Equal(t, 1500000.0, v.A.Float64())
	require.Equal(t, 12.5, v.B.Float64())
	_, ok := v.B.Int64()
	require.False(t, ok)
	require.Equal(t, partnerkit.Number(""), v.C)
	require.Error(t, json.Unmarshal([]byte(`{"A":"twelve"}`), &v))
	out, err := json.Marshal(struct{ A, C partnerkit.Number }{"1500000.00", ""})
	require.NoError(t, err)
	require.Equal(t, `{"A":1500000.00,"C":null}`, string(out))
	_, err = json.Marshal(partnerkit.Number("x"))
	require.Error(t, err)
}

func TestTimestampForms(t *testing.T) {
	t.Parallel()
	want := time.Date(2025, 3, 1, 10, 30, 0, 0, time.UTC)
	for _, in := range []string{
		`"2025-03-01T10:30:00Z"`,
		`"2025-03-01T17:30:00+07:00"`,
		`"2025-03-01T10:30:00"`,
		`"2025-03-01 10:30:00"`,
		`"2025-03-01T10:30:00.000000"`,
	} {
		var ts partnerkit.Timestamp
		require.NoError(t, json.Unmarshal([]byte(in), &ts), in)
		require.True(t, want.Equal(ts.Time), "%s → %v", in, ts.Time)
	}
	var ts partnerkit.Timestamp
	require.NoError(t, json.Unmarshal([]byte(`"2025-03-01"`), &ts))
	require.True(t, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC).Equal(ts.Time))
	require.NoError(t, json.Unmarshal([]byte(`null`), &ts))
	require.True(t, ts.IsZero())
	require.Error(t, json.Unmarshal([]byte(`"yesterday"`), &ts))
	require.Error(t, json.Unmarshal([]byte(`1700000000`), &ts))
	out, err := json.Marshal(partnerkit.Timestamp{want})
	require.NoError(t, err)
	require.Equal(t, `"2025-03-01T10:30:00Z"`, string(out))
}

func TestNumberAlwaysEncodesAsJSON(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`"1500000.00"`: `1500000.00`,
		`-0.5e-3`:      `-0.5e-3`,
		`"+5"`:         `5`,
		`".5"`:         `0.5`,
		`"5."`:         `5`,
		`"007"`:        `7`,
		`"0x1p-2"`:     `0.25`,
	} {
		var n partnerkit.Number
		require.NoError(t, json.Unmarshal([]byte(in), &n), in)
		out, err := json.Marshal(n)
		require.NoError(t, err, in)
		require.Equal(t, want, string(out), in)
	}
	for _, in := range []string{`"NaN"`, `"Infinity"`, `"-Inf"`, `"1e400"`, `"1,500"`} {
		var n partnerkit.Number
		require.Error(t, json.Unmarshal([]byte(in), &n), in)
	}
}

func TestIntDecodesNumbersAndStrings(t *testing.T) {
	t.Parallel()
	var v struct {
		A, B, C, D, E, F partnerkit.Int
		G                *partnerkit.Int
	}
	require.NoError(t, json.Unmarshal([]byte(`{"A":2,"B":"2","C":null,"D":"-9223372036854775808","E":"1e3","F":2.0,"G":null}`), &v))
	require.Equal(t, partnerkit.Int(2), v.A)
	require.Equal(t, partnerkit.Int(2), v.B)
	require.Zero(t, v.C)
	require.Equal(t, partnerkit.Int(math.MinInt64), v.D)
	require.Equal(t, partnerkit.Int(1000), v.E)
	require.Equal(t, partnerkit.Int(2), v.F)
	require.Nil(t, v.G, "a null *Int stays nil")
	for _, in := range []string{`"2.5"`, `"two"`, `1e300`, `"9223372036854775808"`, `{}`, `true`} {
		var n partnerkit.Int
		require.Error(t, json.Unmarshal([]byte(in), &n), in)
	}
	out, err := json.Marshal(struct{ A partnerkit.Int }{7})
	require.NoError(t, err)
	require.Equal(t, `{"A":7}`, string(out))
}

func TestSecretPrintsAPlaceholderAndEncodesItsValue(t *testing.T) {
	t.Parallel()
	type params struct {
		Email    string
		Password partnerkit.Secret `json:"password"`
	}
	p := params{Email: "a@example.com", Password: "hunter2-&<>"}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("p", "params", p, "password", p.Password)
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("p", "password", p.Password)
	for _, out := range []string{
		fmt.Sprintf("%v %+v %#v %s %q %x %X %d", p, p, p, p.Password, p.Password, p.Password, p.Password, p.Password),
		fmt.Sprint(p.Password), p.Password.String(), logged.String(),
	} {
		require.NotContains(t, out, "hunter2", out)
	}
	require.Contains(t, fmt.Sprintf("%+v", p), "Password:[REDACTED]")
	wire, err := json.Marshal(p)
	require.NoError(t, err)
	require.JSONEq(t, `{"Email":"a@example.com","password":"hunter2-&<>"}`, string(wire), "the provider gets the value")
	require.Equal(t, "hunter2-&<>", string(p.Password))
	require.Empty(t, partnerkit.Secret("").String())
}
