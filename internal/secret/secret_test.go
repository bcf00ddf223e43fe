package secret_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/secret"
)

// holder keeps a String in an exported and an unexported field, as a
// client does.
type holder struct {
	Key      secret.String
	password secret.String
	Nested   *holder
}

func TestNoFormattingRevealsAString(t *testing.T) {
	t.Parallel()
	const key, pw = "sk_live_secret_key", "hunter2-password"
	h := &holder{Key: secret.New(key), password: secret.New(pw), Nested: &holder{Key: secret.New(key), password: secret.New(pw)}}
	var logs bytes.Buffer
	text := slog.New(slog.NewTextHandler(&logs, nil))
	jsonLog := slog.New(slog.NewJSONHandler(&logs, nil))
	for name, v := range map[string]any{"String": h.Key, "holder": h, "holder value": *h, "slice": []secret.String{h.Key}, "map": map[string]secret.String{"k": h.Key}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t", "%10.3s"} {
			out := fmt.Sprintf(verb, v)
			for _, s := range []string{key, pw} {
				require.NotContains(t, out, s, "%s of %s", verb, name)
				require.NotContains(t, strings.ToLower(out), hex.EncodeToString([]byte(s)), "%s of %s", verb, name)
			}
		}
		text.Info("v", slog.Any(name, v))
		jsonLog.Info("v", slog.Any(name, v))
		b, err := json.Marshal(v)
		require.NoError(t, err)
		require.NotContains(t, string(b), key)
	}
	require.NotContains(t, logs.String(), key)
	require.NotContains(t, logs.String(), pw)
	require.Contains(t, logs.String(), secret.Placeholder)
	require.Equal(t, secret.Placeholder, h.Key.String())
	require.Equal(t, secret.Placeholder, fmt.Sprintf("%#v", h.Key))
}

func TestRevealAndIsZero(t *testing.T) {
	t.Parallel()
	require.Equal(t, "k", secret.New("k").Reveal())
	require.Empty(t, secret.String{}.Reveal())
	require.True(t, secret.String{}.IsZero())
	require.True(t, secret.New("").IsZero())
	require.False(t, secret.New("k").IsZero())
	b, err := secret.New("k").MarshalText()
	require.NoError(t, err)
	require.Equal(t, secret.Placeholder, string(b))
}

type registerParams struct {
	Email    string
	Password partnerkit.Secret `json:"password"`
	hidden   string
}

func (p registerParams) LogValue() slog.Value { return secret.LogValue(p) }

func TestLogValueHidesTheSecretsOfAnInput(t *testing.T) {
	t.Parallel()
	p := registerParams{Email: "a@example.com", Password: "hunter2-pass", hidden: "x"}
	var out bytes.Buffer
	slog.New(slog.NewJSONHandler(&out, nil)).Info("register", "params", p, "pointer", &p)
	slog.New(slog.NewTextHandler(&out, nil)).Info("register", "params", p)
	require.NotContains(t, out.String(), "hunter2-pass")
	require.Contains(t, out.String(), `"params":{"Email":"a@example.com","Password":"[REDACTED]"}`)
	require.Contains(t, out.String(), "params.Email=a@example.com params.Password=[REDACTED]")
	require.Equal(t, slog.KindString, secret.LogValue("plain").Kind(), "a value that is not a struct logs as itself")
	var nilParams *registerParams
	require.Nil(t, secret.LogValue(nilParams).Any())
}

// The types below hold a Secret at every depth and in every kind of
// container LogValue walks.
type (
	account struct {
		User     string
		Password partnerkit.Secret
	}
	nested struct {
		Name     string
		Account  *account
		Accounts []account
		ByName   map[string]*account
		Keys     map[partnerkit.Secret]int
		Fixed    [1]account
		Any      any
		Extra    map[string]any
		When     partnerkit.Date
		Nothing  *account
		private  account
	}
	// selfLogged has its own LogValue, written as the package asks.
	selfLogged struct {
		Inner  nested
		Nested *selfLogged
	}
	// loop holds itself.
	loop struct {
		Password partnerkit.Secret
		Next     *loop
		Items    []any
	}
)

func (p selfLogged) LogValue() slog.Value { return secret.LogValue(p) }

func TestLogValueHidesSecretsAtAnyDepth(t *testing.T) {
	t.Parallel()
	pw := func(i int) partnerkit.Secret { return partnerkit.Secret(fmt.Sprintf("hunter%d-pass", i)) }
	in := nested{
		Name:     "n",
		Account:  &account{"a", pw(1)},
		Accounts: []account{{"b", pw(2)}},
		ByName:   map[string]*account{"c": {"c", pw(3)}},
		Keys:     map[partnerkit.Secret]int{pw(4): 1},
		Fixed:    [1]account{{"d", pw(5)}},
		Any:      &account{"e", pw(6)},
		Extra:    map[string]any{"f": []any{account{"f", pw(7)}}, "plain": 1},
		When:     partnerkit.NewDate(2025, 6, 25),
		private:  account{"g", pw(8)},
	}
	v := selfLogged{Inner: in, Nested: &selfLogged{Inner: in}}
	var out bytes.Buffer
	slog.New(slog.NewJSONHandler(&out, nil)).Info("deep", "v", v, "pointer", &v)
	slog.New(slog.NewTextHandler(&out, nil)).Info("deep", "v", v)
	for i := 1; i <= 8; i++ {
		require.NotContains(t, out.String(), string(pw(i)))
	}
	require.Contains(t, out.String(), `"Account":{"User":"a","Password":"[REDACTED]"}`, "a pointer to a struct")
	require.Contains(t, out.String(), `"Accounts":{"0":{"User":"b","Password":"[REDACTED]"}}`, "a slice")
	require.Contains(t, out.String(), `"ByName":{"c":{"User":"c","Password":"[REDACTED]"}}`, "a map")
	require.Contains(t, out.String(), `"Keys":{"[REDACTED]":1}`, "a map key")
	require.Contains(t, out.String(), `"Fixed":{"0":{"User":"d","Password":"[REDACTED]"}}`, "an array")
	require.Contains(t, out.String(), `"Any":{"User":"e","Password":"[REDACTED]"}`, "an interface")
	require.Contains(t, out.String(), `"Extra":{"f":{"0":{"User":"f","Password":"[REDACTED]"}},"plain":1}`, "an interface in a map")
	require.Contains(t, out.String(), `"When":"2025-06-25"`, "a value that holds no secret logs as slog would log it")
	require.Contains(t, out.String(), `"Nothing":null`)
	require.Contains(t, out.String(), `"Nested":{"Inner":{"Name":"n",`, "a nested value with its own LogValue")
	require.Contains(t, out.String(), `"Nested":null}`, "a nil pointer whose type has a LogValue")
	require.Contains(t, out.String(), "v.Inner.Account.Password=[REDACTED]")
}

func TestLogValueEndsOnAValueThatHoldsItself(t *testing.T) {
	t.Parallel()
	l := &loop{Password: "hunter9-pass"}
	l.Next = l
	l.Items = []any{l, nil}
	l.Items[1] = l.Items
	var out bytes.Buffer
	slog.New(slog.NewJSONHandler(&out, nil)).Info("loop", "v", secret.LogValue(l))
	require.NotContains(t, out.String(), "hunter9-pass")
	require.Contains(t, out.String(), `"Password":"[REDACTED]"`)
}

func TestLogValueLeavesValuesWithoutSecretsToSlog(t *testing.T) {
	t.Parallel()
	require.Equal(t, slog.KindString, secret.LogValue(partnerkit.Secret("x")).Kind())
	require.Equal(t, secret.Placeholder, secret.LogValue(partnerkit.Secret("x")).String())
	require.Equal(t, slog.KindInt64, secret.LogValue(3).Kind())
	m := map[string]int{"a": 1}
	require.Equal(t, m, secret.LogValue(m).Any(), "a map without a Secret is left as it is")
	g := secret.LogValue(map[string]any{"a": account{Password: "p"}})
	require.Equal(t, slog.KindGroup, g.Kind())
}

type (
	// bare holds an account behind a pointer, without a Format.
	bare struct{ Account *account }
	// formatted is an account with its own Format.
	formatted struct {
		User     string
		Password partnerkit.Secret
	}
	// holdsFormatted holds one behind a pointer.
	holdsFormatted struct {
		Name    string
		Account *formatted
	}
)

func (a formatted) Format(f fmt.State, verb rune) { secret.Format(f, verb, a) }

func TestFormatKeepsASecretBehindAPointerHidden(t *testing.T) {
	t.Parallel()
	const pw = "hunter10-pass"
	// In a []any, since vet refuses %s of a struct.
	leak := fmt.Sprintf("%s", []any{bare{Account: &account{"u", pw}}})
	require.Contains(t, leak, pw, "fmt prints a pointer under %%s without calling the Secret's Format: the reason for secret.Format")

	v := holdsFormatted{Name: "n", Account: &formatted{"u", pw}}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t", "%10.3s", "%-8v"} {
		for _, x := range []any{v, &v, []*holdsFormatted{&v}, map[string]any{"k": &v}} {
			out := fmt.Sprintf(verb, x)
			require.NotContains(t, out, pw, verb)
			require.NotContains(t, strings.ToLower(out), hex.EncodeToString([]byte(pw)), verb)
		}
	}
	require.Equal(t, "[{n {u [REDACTED]}}]", fmt.Sprintf("%s", []any{v}))
	require.Equal(t, "{Name:n Account:{User:u Password:[REDACTED]}}", fmt.Sprintf("%+v", v))
	require.Equal(t, `secret_test.formatted{User:"u", Password:"[REDACTED]"}`, fmt.Sprintf("%#v", *v.Account), "%#v names the type")
}
