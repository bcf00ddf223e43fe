package etelecom_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go/etelecom"
)

// printings renders v with every fmt verb a caller may use and with slog's
// text and JSON handlers.
func printings(v any) []string {
	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out = append(out, fmt.Sprintf(verb, v))
	}
	for _, h := range []func(*bytes.Buffer) slog.Handler{
		func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var b bytes.Buffer
		slog.New(h(&b)).Info("value", "v", v)
		out = append(out, b.String())
	}
	return out
}

// requireHidden fails when any printing of v shows any of secrets, as is
// or escaped as in an address's query.
func requireHidden(t *testing.T, v any, secrets ...string) {
	t.Helper()
	for _, p := range printings(v) {
		for _, s := range secrets {
			require.NotContains(t, p, s)
			require.NotContains(t, p, url.QueryEscape(s))
			require.NotContains(t, p, fmt.Sprintf("%x", s))
		}
	}
}

func TestNoPrintingShowsACredential(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "AuthorizeShop", 200, shopKeyAnswer)
	shop := h.shop(t)
	requireHidden(t, h.c, apiKey)
	requireHidden(t, *h.c, apiKey)
	requireHidden(t, shop, apiKey, shopKey)
	requireHidden(t, *shop, apiKey, shopKey)

	s, _ := newSMS(t)
	requireHidden(t, s, smsUser, smsPassword)
	requireHidden(t, *s, smsUser, smsPassword)

	a, err := h.c.Shops.Reauthorize(ctx, "12414", "https://partner.example.com/cb")
	require.NoError(t, err)
	require.Equal(t, shopKey, a.ShopKey())
	requireHidden(t, a, shopKey)
	requireHidden(t, *a, shopKey)
	requireHidden(t, []*etelecom.Authorization{a}, shopKey)
	requireHidden(t, struct{ Auth etelecom.Authorization }{*a}, shopKey)

	hh, err := etelecom.NewWebhookHandler(hookSecret, func(context.Context, *etelecom.Event) error { return nil })
	require.NoError(t, err)
	requireHidden(t, hh, hookSecret)
	requireHidden(t, *hh, hookSecret)
}

func TestNoPrintingShowsTheLoginRequestsToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "AuthorizeShop", 200, shopRequest)
	a, err := h.c.Shops.Authorize(ctx, authorizeParams())
	require.NoError(t, err)
	require.Equal(t, requestToken, a.RequestToken())
	require.Contains(t, a.AuthURL, requestToken, "the login page carries the token, for the merchant")
	requireHidden(t, a, requestToken)
	requireHidden(t, *a, requestToken)
	for _, p := range printings(a) {
		require.Contains(t, p, "https://partner-auth.etelecom.vn/login", "the login page is named, without its query")
	}
}

func TestKeysNeverAppearInLogsOrErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "AuthorizeShop", 200, shopKeyAnswer)
	h.on("Shop", "CurrentShop", 401, `{"code":"unauthenticated","msg":"bad key `+shopKey+`","meta":{"key":"`+shopKey+`"}}`)
	a, err := h.c.Shops.Reauthorize(ctx, "12414", "https://partner.example.com/cb")
	require.NoError(t, err)
	shop, err := h.c.ForShop(a.ShopKey())
	require.NoError(t, err)
	_, err = shop.Shops.Current(ctx)
	require.Error(t, err)
	logs := h.logs.String()
	require.Contains(t, logs, "AuthorizeShop", "debug logging is on")
	for _, secret := range []string{apiKey, shopKey} {
		require.NotContains(t, logs, secret)
		for _, p := range printings(err) {
			require.NotContains(t, p, secret)
		}
	}
}
