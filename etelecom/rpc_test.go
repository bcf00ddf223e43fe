package etelecom_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
)

var getAccountUsers = etelecom.Method{Service: etelecom.ServiceShop, Name: "GetAccountUsers", ReadOnly: true}

func TestCallSendsTheRPCShape(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "GetAccountUsers", 200, `{"account_users":[{"user_id":"7","full_name":"An"}],"paging":{"next":""}}`)
	var out struct {
		AccountUsers []struct {
			UserID partnerkit.ID `json:"user_id"`
		} `json:"account_users"`
	}
	require.NoError(t, h.c.Call(ctx, getAccountUsers, nil, &out))
	r := h.only(t, apiKey)
	require.Equal(t, "/v1/partner.Shop/GetAccountUsers", r.Path)
	require.Equal(t, base+".Shop/GetAccountUsers", r.URL)
	require.Equal(t, "{}", r.Body, "an empty request is {}")
	require.Equal(t, partnerkit.ID("7"), out.AccountUsers[0].UserID)
	require.Equal(t, "Shop/GetAccountUsers", getAccountUsers.String())
}

func TestCallSendsTheGivenBody(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "UpdateHotlineForExtension", 200, `{"updated":"1"}`)
	var out etelecom.Updated
	in := map[string]string{"extension_id": "1", "hotline_id": "2"}
	m := etelecom.Method{Service: etelecom.ServiceEtelecom, Name: "UpdateHotlineForExtension", Idempotent: true}
	require.NoError(t, h.shop(t).Call(ctx, m, in, &out))
	require.JSONEq(t, `{"extension_id":"1","hotline_id":"2"}`, h.only(t, shopKey).Body)
	require.Equal(t, partnerkit.Int(1), out.Updated)
}

func TestCallSendsANilPointerAsAnEmptyObject(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "GetDriverConfig", 200, `{}`)
	var in *struct{ X int }
	require.NoError(t, h.c.Call(ctx, etelecom.Method{Service: etelecom.ServiceEtelecom, Name: "GetDriverConfig", ReadOnly: true}, in, nil))
	require.Equal(t, "{}", h.only(t, apiKey).Body)
}

// TestCallRetriesByTheFlagNotTheName: whether a call is sent again after a
// failure that may have reached eTelecom follows ReadOnly and Idempotent,
// never the method's name.
func TestCallRetriesByTheFlagNotTheName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		m     etelecom.Method
		calls int
	}{
		{"read-only without a Get prefix", etelecom.Method{Service: "Zalo", Name: "CheckConsent", ReadOnly: true}, 2},
		{"idempotent write", etelecom.Method{Service: "Etelecom", Name: "UpdateHotlineForExtension", Idempotent: true}, 2},
		{"a Get name not marked read-only", etelecom.Method{Service: "Etelecom", Name: "GetDriverConfig"}, 1},
		{"a create", etelecom.Method{Service: "Shop", Name: "CreateAccountUser"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.onSeq(tt.m.Service, tt.m.Name,
				answer{503, `{"code":"unavailable","msg":"try later"}`},
				answer{200, `{}`})
			err := h.c.Call(ctx, tt.m, nil, nil)
			require.Len(t, h.Requests(), tt.calls)
			if tt.calls == 1 {
				require.ErrorIs(t, err, partnerkit.ErrServer)
			} else {
				require.NoError(t, err)
			}
		})
	}
}

func TestKeyRulesAreCheckedBeforeSending(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	shop := h.shop(t)
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"current shop with the partner key", func() error { _, err := h.c.Shops.Current(ctx); return err }, "Shop/CurrentShop"},
		{"call logs with the partner key", func() error { _, err := h.c.CallLogs.List(ctx, nil); return err }, "Etelecom/ListCallLogs"},
		{"create tenant with the partner key", func() error { _, err := h.c.Tenants.Create(ctx); return err }, "Etelecom/CreateTenant"},
		{"send ZNS with the partner key", func() error { _, err := h.c.ZNS.Send(ctx, zns()); return err }, "Zalo/SendZNS"},
		{"authorize with a shop key", func() error { _, err := shop.Shops.Authorize(ctx, authorizeParams()); return err }, "Shop/AuthorizeShop"},
		{"hotline with a shop key", func() error { _, err := shop.Hotlines.List(ctx, nil); return err }, "Etelecom/GetPartnerHotlineList"},
		{"webhook with a shop key", func() error {
			_, err := shop.Webhooks.Create(ctx, &etelecom.WebhookCreateParams{URL: "https://p.example/h", Entities: []string{etelecom.EntityCallLog}})
			return err
		}, "Webhook/CreateWebhook"},
		{"webhook list with a shop key", func() error { _, err := shop.Webhooks.List(ctx, nil); return err }, "Webhook/GetWebhooks"},
		{"Call with a partner rule on a shop", func() error {
			return shop.Call(ctx, etelecom.Method{Service: "Shop", Name: "CreateShopAccount", Key: etelecom.PartnerKey}, nil, nil)
		}, "Shop/CreateShopAccount"},
	}
	for _, tt := range tests {
		err := tt.call()
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput, tt.name)
		var ve *partnerkit.ValidationError
		require.True(t, errors.As(err, &ve), tt.name)
		require.Equal(t, tt.field, ve.Field, tt.name)
	}
	require.Zero(t, h.mock.GetTotalCallCount(), "nothing was sent")
}

func TestEitherKeyIsNotChecked(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Misc", "CurrentAccount", 200, `{"id":"1"}`)
	h.on("Etelecom", "GetExtensions", 200, `{"extensions":[]}`)
	_, err := h.c.CurrentAccount(ctx)
	require.NoError(t, err)
	_, err = h.shop(t).CurrentAccount(ctx)
	require.NoError(t, err)
	_, err = h.c.Extensions.List(ctx, nil)
	require.NoError(t, err)
	_, err = h.shop(t).Extensions.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, h.Requests(), 4)
}

func TestKeyRuleNames(t *testing.T) {
	t.Parallel()
	require.Equal(t, "either key", etelecom.AnyKey.String())
	require.Equal(t, "partner key", etelecom.PartnerKey.String())
	require.Equal(t, "shop key", etelecom.ShopKey.String())
}

// TestARedirectIsRefused: a 301 or 302 in front of the server would turn
// the POST into a body-less GET, which a Twirp server answers with
// bad_route. The client does not follow it and says so.
func TestARedirectIsRefused(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		h := newHarness(t)
		h.mock.RegisterResponder(http.MethodPost, base+".Shop/CurrentShop", func(r *http.Request) (*http.Response, error) {
			resp := h.record(r, status, "")
			resp.Header.Set("Location", "https://api2.etelecom.vn/v2/partner.Shop/CurrentShop?token=secret-in-query")
			return resp, nil
		})
		h.mock.RegisterResponder(http.MethodGet, "https://api2.etelecom.vn/v2/partner.Shop/CurrentShop",
			httpmock.NewStringResponder(404, `{"code":"bad_route","msg":"unsupported method \"GET\" (only POST is allowed)"}`))
		_, err := h.shop(t).Shops.Current(ctx)
		require.ErrorIs(t, err, partnerkit.ErrUnexpected, status)
		var apiErr *partnerkit.Error
		require.True(t, errors.As(err, &apiErr))
		require.Equal(t, status, apiErr.StatusCode)
		require.NotEqual(t, etelecom.CodeBadRoute, apiErr.Code)
		require.Contains(t, err.Error(), "redirect to api2.etelecom.vn refused")
		require.Contains(t, err.Error(), "https://api2.etelecom.vn/v2/partner.Shop/CurrentShop")
		require.NotContains(t, err.Error(), "secret-in-query", "the address's credential-named query is redacted")
		require.Len(t, h.Requests(), 1, "the redirect is not followed, nor retried")
		require.Equal(t, 1, h.mock.GetTotalCallCount())
	}
}

func TestASMSRedirectIsRefused(t *testing.T) {
	t.Parallel()
	s, h := newSMS(t)
	h.mock.RegisterResponder(http.MethodPost, smsBase+etelecom.SMSSendPath, func(r *http.Request) (*http.Response, error) {
		resp := h.record(r, http.StatusFound, "")
		resp.Header.Set("Location", "/login")
		return resp, nil
	})
	_, err := s.Send(ctx, sms())
	require.ErrorIs(t, err, partnerkit.ErrUnexpected)
	require.Contains(t, err.Error(), "302 Found: redirect to sms.etelecom.test refused")
	require.Contains(t, err.Error(), "Location: /login")
	require.Equal(t, 1, h.mock.GetTotalCallCount())
}
