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
