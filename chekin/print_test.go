package chekin_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go/chekin"
)

// printedForms are the ways a credential could show in printed text: as
// is, quoted, in hex (%x, %X) and as the decimal bytes of a []byte.
func printedForms(secret string) []string {
	return []string{
		secret,
		fmt.Sprintf("%q", secret),
		hex.EncodeToString([]byte(secret)),
		strings.ToUpper(hex.EncodeToString([]byte(secret))),
		strings.Trim(fmt.Sprint([]byte(secret)), "[]"),
	}
}

// TestPrintingRevealsNoCredential prints a client that holds a password,
// a token given with WithToken and a token it logged in for, its services,
// and a webhook receiver, with every fmt verb and both slog handlers: none
// of the credentials shows, in any form.
func TestPrintingRevealsNoCredential(t *testing.T) {
	t.Parallel()
	stored := signedJWT(t, epoch.Add(time.Minute), 7)
	h := newHarness(t, chekin.WithToken(stored), chekin.WithTokenMargin(0))
	first, err := h.c.Token(ctx)
	require.NoError(t, err)
	require.Equal(t, stored, first)
	h.clock.Advance(2 * time.Minute)
	_, err = h.c.Token(ctx)
	require.NoError(t, err)
	require.Len(t, h.issued, 1, "a token was obtained from the server too")

	webhookSecret := chekin.NewWebhookSecret()
	receiver, err := chekin.NewWebhookHandler(webhookSecret, func(context.Context, *chekin.Event) error { return nil })
	require.NoError(t, err)

	values := map[string]any{
		"client": h.c, "client value": *h.c, "users": h.c.Users, "users value": *h.c.Users,
		"housings": h.c.Housings, "receiver": receiver, "receiver value": *receiver,
	}
	secrets := []string{password, stored, h.issued[0], webhookSecret}
	check := func(what, out string) {
		t.Helper()
		for _, s := range secrets {
			for _, form := range printedForms(s) {
				require.NotContains(t, out, form, what)
			}
		}
	}
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
			check(name+" "+verb, fmt.Sprintf(verb, v))
		}
		var text, js bytes.Buffer
		slog.New(slog.NewTextHandler(&text, nil)).Info("printing", "value", v)
		slog.New(slog.NewJSONHandler(&js, nil)).Info("printing", "value", v)
		check(name+" slog text", text.String())
		check(name+" slog JSON", js.String())
		require.Contains(t, text.String(), "printing")
	}
}
