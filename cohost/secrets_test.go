package cohost_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go/cohost"
)

// formatted returns v as every fmt verb and both of slog's handlers print
// it, labelled.
func formatted(v any) map[string]string {
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out[verb] = fmt.Sprintf(verb, v)
	}
	out["Sprint"] = fmt.Sprint(v)
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("value", "v", v)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("value", "v", v)
	out["slog text"], out["slog json"] = text.String(), js.String()
	return out
}

// TestPrintingRevealsNoCredential prints the client, its services, a
// customer session and registration params with every fmt verb and both
// slog handlers: none shows the API key, the customer's token or the
// password, by pointer or by value.
func TestPrintingRevealsNoCredential(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	token := customerToken(t, epoch.Add(time.Hour))
	s, err := h.c.Customers.Session(token, time.Time{})
	require.NoError(t, err)
	const password = "SecurePassword123"
	reg := &cohost.CustomerRegisterParams{Email: "a@b.co", FullName: "A", Phone: "+84901234567", Password: password}

	values := map[string]any{
		"*Client": h.c, "Client": *h.c,
		"*CustomersService": h.c.Customers, "CustomersService": *h.c.Customers,
		"*ListingsService": h.c.Listings, "*BookingsService": h.c.Bookings,
		"*CustomerSession": s, "CustomerSession": *s,
		"*CustomerBookingsService": s.Bookings, "CustomerBookingsService": *s.Bookings,
		"*CustomerRegisterParams": reg, "CustomerRegisterParams": *reg,
	}
	for name, v := range values {
		for how, text := range formatted(v) {
			for _, secret := range []string{apiKey, token, password} {
				require.NotContains(t, text, secret, "%s printed with %s", name, how)
				hexed := fmt.Sprintf("%x", secret)
				require.NotContains(t, text, hexed, "%s printed with %s", name, how)
			}
		}
	}
	// The params still print their other fields, and the password's place.
	require.Equal(t, "{Email:a@b.co FullName:A Phone:+84901234567 Password:[REDACTED]}", fmt.Sprintf("%+v", reg), "the params print through their Format")
	require.Contains(t, formatted(reg)["slog json"], `"Password":"[REDACTED]"`)
	require.Equal(t, `cohost.CustomerRegisterParams{Email:"a@b.co", FullName:"A", Phone:"+84901234567", Password:"[REDACTED]"}`, fmt.Sprintf("%#v", *reg))

	// The session still carries the token where it is needed.
	require.Equal(t, token, s.AccessToken())
	h.on(http.MethodGet, cohost.CustomerBookingsPath, 200, `{"items":[],"total":0,"page":1,"limit":20}`)
	_, err = s.Bookings.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, "Bearer "+token, h.last(t).Header.Get("Authorization"))
}

// TestRegisterSendsThePassword: the password the params hide from fmt and
// slog goes on the wire in the one request that needs it.
func TestRegisterSendsThePassword(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/customers/register", 201, `{"user_id":200}`)
	_, err := h.c.Customers.Register(ctx, &cohost.CustomerRegisterParams{Email: "a@b.co", FullName: "A", Phone: "+84901234567", Password: "SecurePassword123"})
	require.NoError(t, err)
	require.True(t, strings.Contains(h.last(t).Body, `"password":"SecurePassword123"`))
}
