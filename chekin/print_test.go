package chekin_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"path/filepath"
	"reflect"
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

// TestPrintingParamsRevealsNoPassword prints every params type of the
// package, each holding every password it can hold, by value and by
// pointer, with every fmt verb and both slog handlers: no password shows,
// in any form, and the other fields still do.
func TestPrintingParamsRevealsNoPassword(t *testing.T) {
	t.Parallel()
	const police, certificate, account = "pol-pass-123", "cert-pass-456", "acct-pass-789"
	policeAccount := func() *chekin.PoliceAccount {
		return &chekin.PoliceAccount{Type: "POL", Username: "user", Password: police, CertificatePassword: certificate}
	}
	housing := &chekin.HousingCreateParams{Name: "Hotel", Type: chekin.HousingHotel, PoliceAccount: policeAccount(), Extra: map[string]any{"rooms": 3}}
	params := map[string]any{
		"HousingCreateParams":     housing,
		"HousingUpdateParams":     &chekin.HousingUpdateParams{Name: ptr("Hotel"), PoliceAccount: policeAccount()},
		"HousingListParams":       &chekin.HousingListParams{Name: "Hotel"},
		"ReservationCreateParams": &chekin.ReservationCreateParams{HousingID: "h1", Housing: housing, DefaultLeaderFullName: "Ana"},
		"ReservationUpdateParams": &chekin.ReservationUpdateParams{ExternalID: ptr("ext-1")},
		"ReservationListParams":   &chekin.ReservationListParams{Page: 2},
		"GuestUpdateParams":       &chekin.GuestUpdateParams{Name: ptr("Ana")},
		"WebhookCreateParams":     &chekin.WebhookCreateParams{URL: "https://pms.example.com/chekin", Event: chekin.EventGuestCreated},
		"WebhookListParams":       &chekin.WebhookListParams{Limit: 5},
		"RegisterParams":          &chekin.RegisterParams{Email: "ana@example.com", Password: account, Origin: "partner"},
	}
	require.ElementsMatch(t, paramsTypes(t), mapsKeys(params), "every params type of the package is printed here")

	for name, p := range params {
		value := reflect.ValueOf(p).Elem().Interface()
		for _, v := range []any{p, value} {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
				out := fmt.Sprintf(verb, v)
				for _, pw := range []string{police, certificate, account} {
					for _, form := range printedForms(pw) {
						require.NotContains(t, out, form, "%s %s", name, verb)
					}
				}
			}
			var text, js bytes.Buffer
			slog.New(slog.NewTextHandler(&text, nil)).Info("params", "params", v)
			slog.New(slog.NewJSONHandler(&js, nil)).Info("params", "params", v)
			for _, pw := range []string{police, certificate, account} {
				require.NotContains(t, text.String(), pw, "%s slog text", name)
				require.NotContains(t, js.String(), pw, "%s slog JSON", name)
			}
		}
	}
	var js bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, nil)).Info("params", "params", params["ReservationCreateParams"])
	require.Contains(t, js.String(), `"Housing":{"Name":"Hotel","Type":"HOT","Location":null,"PoliceAccount":{"ID":"","Type":"POL","Username":"user","Password":"[REDACTED]","CertificatePassword":"[REDACTED]"`,
		"the police account two levels down logs with its passwords as the placeholder")
	require.Contains(t, js.String(), `"DefaultLeaderFullName":"Ana"`)
}

// paramsTypes returns the names of the package's exported types that end
// in Params, read from its source.
func paramsTypes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	var names []string
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			if gen, ok := decl.(*ast.GenDecl); ok && gen.Tok == token.TYPE {
				for _, spec := range gen.Specs {
					if name := spec.(*ast.TypeSpec).Name.Name; ast.IsExported(name) && strings.HasSuffix(name, "Params") {
						names = append(names, name)
					}
				}
			}
		}
	}
	return names
}

func mapsKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}
