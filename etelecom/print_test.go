package etelecom_test

import (
	"bytes"
	"context"
	"encoding/json"
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

// TestNoPrintingShowsASIPPasswordOrAJourneyToken: the credentials eTelecom
// answers with (an extension's SIP password, a journey's token) are printed
// by no fmt verb and neither slog handler, alone or inside another value;
// encoding/json writes them, for the SIP client or the partner's store.
func TestNoPrintingShowsASIPPasswordOrAJourneyToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "CreateExtension", 200, extensionJSON)
	h.on("Etelecom", "GetExtensions", 200, `{"extensions":[`+extensionJSON+`]}`)
	h.on("Etelecom", "GetExtensionInfo", 200, extensionInfoJSON)
	h.on("Zalo", "CreateJourney", 200, journeyJSON)
	h.on("Zalo", "ListJourneys", 200, `{"journeys":[`+journeyJSON+`]}`)
	shop := h.shop(t)

	e, err := shop.Extensions.Create(ctx, &etelecom.ExtensionCreateParams{HotlineID: "3301", ExtensionNumber: "101"})
	require.NoError(t, err)
	exts, err := shop.Extensions.List(ctx, nil)
	require.NoError(t, err)
	info, err := shop.Extensions.GetInfo(ctx, &etelecom.ExtensionGetInfoParams{ExtensionNumber: "101"})
	require.NoError(t, err)
	j, err := shop.Journeys.Create(ctx, &etelecom.JourneyCreateParams{OAID: "4321", Phone: "84901234567"})
	require.NoError(t, err)
	journeys, err := shop.Journeys.List(ctx, nil)
	require.NoError(t, err)

	for _, c := range []struct {
		secret string
		values []any
		nested []any // printed by fmt only: slog's JSON handler encodes a value inside another as JSON
	}{
		{"sip-pass-9f8e7d6c", []any{e, *e, exts.Items[0]}, []any{exts, *exts, exts.Items, struct{ E etelecom.Extension }{*e}}},
		{"sip-pass-4a3b2c1d", []any{info, *info}, []any{[]etelecom.ExtensionInfo{*info}, struct{ I etelecom.ExtensionInfo }{*info}}},
		{"jt-7f6e5d4c3b2a", []any{j, *j, journeys.Items[0]}, []any{journeys, *journeys, journeys.Items, struct{ J etelecom.Journey }{*j}}},
	} {
		for _, v := range c.values {
			requireHidden(t, v, c.secret)
			for _, p := range printings(v) {
				require.Contains(t, p, "[REDACTED]", "the credential is there, hidden")
			}
		}
		for _, v := range c.nested {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
				require.NotContains(t, fmt.Sprintf(verb, v), c.secret)
			}
		}
		// A pointer inside another value prints as its address under %v;
		// fmt prints it in full, calling no method, under a verb that does
		// not apply to pointers (%s, %q, %x), as for every Secret.
		for _, verb := range []string{"%v", "%+v", "%#v"} {
			require.NotContains(t, fmt.Sprintf(verb, []any{c.values[0]}), c.secret)
		}
		out, err := json.Marshal(c.values[0])
		require.NoError(t, err)
		require.Contains(t, string(out), c.secret, "JSON is the wire form: the value itself")
	}
	require.NotContains(t, h.logs.String(), "sip-pass-", "debug logs show no SIP password")
	require.NotContains(t, h.logs.String(), "jt-7f6e5d4c3b2a", "debug logs show no journey token")
}
