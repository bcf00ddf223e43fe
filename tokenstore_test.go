package partnerkit_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/tokenstoretest"
)

func TestMemoryTokenStoreConformance(t *testing.T) {
	t.Parallel()
	tokenstoretest.Run(t, func(*testing.T) partnerkit.TokenStore {
		return partnerkit.NewMemoryTokenStore()
	})
}

// TestPrintingATokenOrAStoreRevealsNoToken prints a Token, a struct that
// holds one (in an exported and an unexported field) and a
// MemoryTokenStore that holds one, with every fmt verb and both slog
// handlers.
func TestPrintingATokenOrAStoreRevealsNoToken(t *testing.T) {
	t.Parallel()
	const value = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyIjoiMSJ9.c2lnbmF0dXJl"
	expiry := time.Date(2026, 3, 1, 13, 0, 0, 0, time.UTC)
	tok := partnerkit.NewToken(value, expiry, expiry.Add(-time.Hour))
	store := partnerkit.NewMemoryTokenStore()
	require.NoError(t, store.Store(context.Background(), "chekin:digest", tok))
	type holder struct {
		Session partnerkit.Token
		inner   *partnerkit.Token
		value   partnerkit.Token
	}
	values := map[string]any{
		"token": tok, "pointer": &tok, "holder": holder{Session: tok, inner: &tok, value: tok},
		"slice": []partnerkit.Token{tok}, "map": map[string]partnerkit.Token{"k": tok}, "store": store,
	}
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s"} {
			out := fmt.Sprintf(verb, v)
			require.NotContains(t, out, value, "%s of %s", verb, name)
			require.NotContains(t, out, "c2lnbmF0dXJl", "%s of %s", verb, name)
			require.NotContains(t, out, hex.EncodeToString([]byte(value))[:24], "%s of %s", verb, name)
		}
		var logs bytes.Buffer
		slog.New(slog.NewTextHandler(&logs, nil)).Info("t", "v", v)
		slog.New(slog.NewJSONHandler(&logs, nil)).Info("t", "v", v)
		require.NotContains(t, logs.String(), value, name)
	}
	require.Equal(t, "{[REDACTED] 2026-03-01T13:00:00Z}", fmt.Sprint(tok))
	require.Equal(t, `partnerkit.Token{Value:"[REDACTED]", Expiry:"2026-03-01T13:00:00Z", Obtained:"2026-03-01T12:00:00Z"}`, fmt.Sprintf("%#v", tok))
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("t", "token", tok)
	require.Contains(t, logs.String(), `"token":{"value":"[REDACTED]","expiry":"2026-03-01T13:00:00Z","obtained":"2026-03-01T12:00:00Z"}`)
	require.Equal(t, "{ 0001-01-01T00:00:00Z}", fmt.Sprint(partnerkit.Token{}), "the zero Token")
	require.Equal(t, value, tok.Value())
	data, err := json.Marshal(tok)
	require.NoError(t, err)
	require.NotContains(t, string(data), value, "encoding/json")
}

func TestMemoryTokenStoreRefusesALockWithoutATTL(t *testing.T) {
	t.Parallel()
	_, ok, err := partnerkit.NewMemoryTokenStore().Lock(context.Background(), "k", 0)
	require.ErrorContains(t, err, "positive ttl")
	require.False(t, ok)
}

func TestMemoryTokenStoreHonoursAnEndedContext(t *testing.T) {
	t.Parallel()
	s := partnerkit.NewMemoryTokenStore()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Load(ctx, "k")
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, s.Store(ctx, "k", partnerkit.NewToken("v", time.Time{}, time.Time{})), context.Canceled)
	_, err = s.CompareAndDelete(ctx, "k", partnerkit.NewToken("v", time.Time{}, time.Time{}))
	require.ErrorIs(t, err, context.Canceled)
	_, _, err = s.Lock(ctx, "k", time.Second)
	require.ErrorIs(t, err, context.Canceled)
}
