package etelecom_test

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
)

func TestCallSendsTheRPCShape(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "GetUsers", 200, `{"users":[{"id":"7"}]}`)
	var out struct {
		Users []struct {
			ID partnerkit.ID `json:"id"`
		} `json:"users"`
	}
	require.NoError(t, h.c.Call(ctx, etelecom.ServiceEtelecom, "GetUsers", nil, &out))
	r := h.only(t, apiKey)
	require.Equal(t, "/v1/partner.Etelecom/GetUsers", r.Path)
	require.Equal(t, base+".Etelecom/GetUsers", r.URL)
	require.Equal(t, "{}", r.Body, "an empty request is {}")
	require.Equal(t, partnerkit.ID("7"), out.Users[0].ID)
}

func TestCallSendsTheGivenBody(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "ChangeHotlineOfExtension", 200, `{"updated":1}`)
	var out etelecom.Updated
	in := map[string]string{"extension_id": "1", "hotline_id": "2"}
	require.NoError(t, h.c.Call(ctx, etelecom.ServiceEtelecom, "ChangeHotlineOfExtension", in, &out))
	require.JSONEq(t, `{"extension_id":"1","hotline_id":"2"}`, h.only(t, apiKey).Body)
	require.Equal(t, 1, out.Updated)
}

func TestCallSendsANilPointerAsAnEmptyObject(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "GetDriverConfig", 200, `{}`)
	var in *struct{ X int }
	require.NoError(t, h.c.Call(ctx, etelecom.ServiceEtelecom, "GetDriverConfig", in, nil))
	require.Equal(t, "{}", h.only(t, apiKey).Body)
}

func TestSandbox(t *testing.T) {
	t.Parallel()
	h := &harness{mock: httpmock.NewMockTransport()}
	c, err := etelecom.New(apiKey, etelecom.Sandbox(), partnerkit.WithHTTPClient(&http.Client{Transport: h.mock}))
	require.NoError(t, err)
	h.mock.RegisterResponder(http.MethodPost, "https://api-sandbox.etelecom.vn/v1/partner.Misc/CurrentAccount",
		func(r *http.Request) (*http.Response, error) { return h.record(r, 200, `{"id":"1"}`), nil })
	_, err = c.CurrentAccount(ctx)
	require.NoError(t, err)
	require.Equal(t, "https://api-sandbox.etelecom.vn/v1/partner.Misc/CurrentAccount", h.only(t, apiKey).URL)
}

func TestCallRetriesReadMethodsOnly(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method string
		calls  int
	}{
		{"GetDriverConfig", 2},
		{"ListUsers", 2},
		{"CurrentShop", 2},
		{"CreateAccountUser", 1},
		{"PartnerRemoveHotline", 1},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.onSeq("Etelecom", tt.method,
				answer{503, `{"code":"unavailable","msg":"try later"}`},
				answer{200, `{}`})
			err := h.c.Call(ctx, etelecom.ServiceEtelecom, tt.method, nil, nil)
			require.Len(t, h.Requests(), tt.calls)
			if tt.calls == 1 {
				require.ErrorIs(t, err, partnerkit.ErrServer)
			} else {
				require.NoError(t, err)
			}
		})
	}
}

func TestCurrentAccount(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Misc", "CurrentAccount", 200, `{"id":"1052570182707778180","name":"Partner Co","type":"partner","extra":1}`)
	a, err := h.c.CurrentAccount(ctx)
	require.NoError(t, err)
	r := h.only(t, apiKey)
	require.Equal(t, "/v1/partner.Misc/CurrentAccount", r.Path)
	require.Equal(t, "{}", r.Body)
	require.Equal(t, partnerkit.ID("1052570182707778180"), a.ID)
	require.Equal(t, "Partner Co", a.Name)
	require.Equal(t, "partner", a.Type)
	require.Contains(t, string(a.Raw), `"extra":1`)
}

func TestEveryTwirpCodeIsMapped(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status int
		code   string
		kind   error
	}{
		{400, "invalid_argument", partnerkit.ErrInvalidRequest},
		{400, "malformed", partnerkit.ErrInvalidRequest},
		{400, "out_of_range", partnerkit.ErrInvalidRequest},
		{412, "failed_precondition", partnerkit.ErrInvalidRequest},
		{401, "unauthenticated", partnerkit.ErrUnauthorized},
		{403, "permission_denied", partnerkit.ErrForbidden},
		{404, "not_found", partnerkit.ErrNotFound},
		{404, "bad_route", partnerkit.ErrNotFound},
		{409, "already_exists", partnerkit.ErrConflict},
		{409, "aborted", partnerkit.ErrConflict},
		{429, "resource_exhausted", partnerkit.ErrRateLimited},
		{500, "internal", partnerkit.ErrServer},
		{500, "unknown", partnerkit.ErrServer},
		{500, "dataloss", partnerkit.ErrServer},
		{501, "unimplemented", partnerkit.ErrServer},
		{503, "unavailable", partnerkit.ErrServer},
		{504, "deadline_exceeded", partnerkit.ErrServer},
		{408, "canceled", partnerkit.ErrUnexpected},
		{418, "something_new", partnerkit.ErrUnexpected},
		{400, "something_new", partnerkit.ErrInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, partnerkit.WithMaxRetries(0))
			h.on("Shop", "CurrentShop", tt.status, fmt.Sprintf(`{"code":%q,"msg":"what happened","meta":{"reason":"r"}}`, tt.code))
			_, err := h.c.Shops.Current(ctx)
			require.ErrorIs(t, err, tt.kind)
			var apiErr *partnerkit.Error
			require.True(t, errors.As(err, &apiErr))
			require.Equal(t, "etelecom", apiErr.Provider)
			require.Equal(t, tt.status, apiErr.StatusCode)
			require.Equal(t, tt.code, apiErr.Code)
			require.Equal(t, "what happened", apiErr.Message)
			require.Equal(t, map[string]any{"reason": "r"}, apiErr.Details)
			require.Equal(t, "/v1/partner.Shop/CurrentShop", apiErr.Path)
			require.Len(t, h.Requests(), 1)
		})
	}
}

func TestErrorMetaArgumentBecomesAFieldError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "AuthorizeShop", 400, `{"code":"invalid_argument","msg":"email is invalid","meta":{"argument":"email"}}`)
	_, err := h.c.Shops.Authorize(ctx, signup())
	var apiErr *partnerkit.Error
	require.True(t, errors.As(err, &apiErr))
	require.Equal(t, map[string][]string{"email": {"email is invalid"}}, apiErr.FieldErrors)
	require.Contains(t, err.Error(), "[invalid_argument]")
}

func TestBadRouteForAMissingContentType(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "CurrentShop", 404, `{"code":"bad_route","msg":"unexpected Content-Type: \"\""}`)
	_, err := h.c.Shops.Current(ctx)
	require.ErrorIs(t, err, partnerkit.ErrNotFound)
	require.Contains(t, err.Error(), `unexpected Content-Type`)
}

func TestANonJSONErrorKeepsTheStatus(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "CurrentShop", 502, `<html>bad gateway</html>`)
	_, err := h.c.Shops.Current(ctx)
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Len(t, h.Requests(), 4, "a read is retried on 502 (3 retries)")
}

func signup() *etelecom.ShopSignup {
	return &etelecom.ShopSignup{Email: "shop@example.com", Phone: "0901234567", Name: "Example Shop", RedirectURL: "https://partner.example.com/cb"}
}

const shopRequest = `{"code":"ok","msg":"","type":"shop_request",
"auth_token":"request:Ut8zhsaQp_kwKi2u2gEch_9R3yiQvpFUnB5mE_MRfks","expires_in":900,
"auth_url":"https://partner-auth.etelecom.vn/login?token=request:Ut8zhsaQp_kwKi2u2gEch_9R3yiQvpFUnB5mE_MRfks"}`

const shopKeyAnswer = `{"code":"ok","msg":"","type":"shop_key","auth_token":"` + shopKey + `","expires_in":-1}`

func TestAuthorize(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "AuthorizeShop", 200, shopRequest)
	a, err := h.c.Shops.Authorize(ctx, signup())
	require.NoError(t, err)
	r := h.only(t, apiKey)
	require.Equal(t, "/v1/partner.Shop/AuthorizeShop", r.Path)
	require.JSONEq(t, `{"email":"shop@example.com","phone":"0901234567","name":"Example Shop","redirect_url":"https://partner.example.com/cb"}`, r.Body)
	require.True(t, a.NeedsLogin())
	require.Equal(t, etelecom.TypeShopRequest, a.Type)
	require.Equal(t, "https://partner-auth.etelecom.vn/login?token=request:Ut8zhsaQp_kwKi2u2gEch_9R3yiQvpFUnB5mE_MRfks", a.AuthURL)
	require.Equal(t, 15*time.Minute, a.ExpiresIn)
	require.Equal(t, "request:Ut8zhsaQp_kwKi2u2gEch_9R3yiQvpFUnB5mE_MRfks", a.RequestToken)
	require.Empty(t, a.ShopKey)
	require.JSONEq(t, shopRequest, string(a.Raw))
	require.NotContains(t, fmt.Sprintf("%v %+v %#v %s", a, a, a, a), a.RequestToken, "the login page is printed without its token")
	require.Equal(t, "etelecom login request (log in at https://partner-auth.etelecom.vn/login within 15m0s)", a.String())
}

func TestAuthorizeKeepsAHugeValidityPositive(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "AuthorizeShop", 200, `{"code":"ok","type":"shop_request","auth_token":"request:x","expires_in":9223372036854775807,"auth_url":"https://a.example/login"}`)
	a, err := h.c.Shops.Authorize(ctx, signup())
	require.NoError(t, err)
	require.Equal(t, time.Duration(math.MaxInt64/int64(time.Second))*time.Second, a.ExpiresIn)
}

func TestAuthorizeIsNeverSentTwice(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "AuthorizeShop", 503, `{"code":"unavailable","msg":"down"}`)
	_, err := h.c.Shops.Authorize(ctx, signup())
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Len(t, h.Requests(), 1)
}

func TestReauthorizeReturnsTheShopKey(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "AuthorizeShop", 200, shopKeyAnswer)
	a, err := h.c.Shops.Reauthorize(ctx, "1052570182707778180", "https://partner.example.com/cb")
	require.NoError(t, err)
	r := h.only(t, apiKey)
	require.JSONEq(t, `{"shop_id":"1052570182707778180","redirect_url":"https://partner.example.com/cb"}`, r.Body)
	require.False(t, a.NeedsLogin())
	require.Equal(t, shopKey, a.ShopKey)
	require.Zero(t, a.ExpiresIn, "a shop key never expires")
	require.NotContains(t, fmt.Sprintf("%v %+v %#v %s", a, a, a, a), shopKey)
}

func TestReauthorizeAfterTheMerchantUnlinkedAsksForLoginAgain(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "AuthorizeShop", 200, shopRequest)
	a, err := h.c.Shops.Reauthorize(ctx, "12414", "https://partner.example.com/cb")
	require.NoError(t, err)
	require.True(t, a.NeedsLogin())
	require.NotEmpty(t, a.AuthURL)
	require.Empty(t, a.ShopKey)
}

func TestReauthorizeWithAWrongShopIsForbidden(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "AuthorizeShop", 403, `{"code":"permission_denied","msg":"shop not linked","meta":{"reason":"never logged in"}}`)
	_, err := h.c.Shops.Reauthorize(ctx, "999", "https://partner.example.com/cb")
	require.ErrorIs(t, err, partnerkit.ErrForbidden)
	var apiErr *partnerkit.Error
	require.True(t, errors.As(err, &apiErr))
	require.Equal(t, etelecom.CodePermissionDenied, apiErr.Code)
}

func TestAuthorizeAnswersThatBreakTheDocument(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		body string
		kind error
	}{
		"key without token":        {`{"code":"ok","type":"shop_key","expires_in":-1}`, partnerkit.ErrUnexpected},
		"request without auth_url": {`{"code":"ok","type":"shop_request","auth_token":"request:x"}`, partnerkit.ErrUnexpected},
		"unknown type":             {`{"code":"ok","type":"magic"}`, partnerkit.ErrUnexpected},
		"failure code under 200":   {`{"code":"permission_denied","msg":"no"}`, partnerkit.ErrForbidden},
		"not JSON":                 {`<html>`, partnerkit.ErrUnexpected},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.on("Shop", "AuthorizeShop", 200, tt.body)
			_, err := h.c.Shops.Reauthorize(ctx, "12414", "https://partner.example.com/cb")
			require.ErrorIs(t, err, tt.kind)
			var apiErr *partnerkit.Error
			require.True(t, errors.As(err, &apiErr))
			require.Equal(t, 200, apiErr.StatusCode)
		})
	}
}

func TestForShopSendsTheShopKeyUnderItsOwnLimits(t *testing.T) {
	t.Parallel()
	h := newHarness(t, partnerkit.WithRateLimit(1, time.Minute))
	h.on("Shop", "CurrentShop", 200, `{"id":"1052570182707778180","image_url":"https://img.example/1.png","name":"Example Shop","type":"shop","website":"https://shop.example"}`)
	h.on("Misc", "CurrentAccount", 200, `{"id":"1"}`)
	shop, err := h.c.ForShop(shopKey)
	require.NoError(t, err)
	require.True(t, shop.IsShop())
	require.False(t, h.c.IsShop())

	_, err = h.c.CurrentAccount(ctx)
	require.NoError(t, err)
	s, err := shop.Shops.Current(ctx)
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("1052570182707778180"), s.ID)
	require.Equal(t, "Example Shop", s.Name)
	require.Equal(t, "https://shop.example", s.Website)
	require.Equal(t, "https://img.example/1.png", s.ImageURL)

	reqs := h.Requests()
	require.Len(t, reqs, 2)
	require.Equal(t, "Bearer "+apiKey, reqs[0].Header.Get("Authorization"))
	require.Equal(t, "Bearer "+shopKey, reqs[1].Header.Get("Authorization"))
	require.Equal(t, "/v1/partner.Shop/CurrentShop", reqs[1].Path)
	require.Empty(t, h.clock.Sleeps(), "a shop's key is another credential, with limits of its own")
	_, err = h.c.CurrentAccount(ctx)
	require.NoError(t, err)
	require.Equal(t, []time.Duration{time.Minute}, h.clock.Sleeps(), "the partner's second call waits for the partner's quota")
}

func TestKeysNeverAppearInLogsOrErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "AuthorizeShop", 200, shopKeyAnswer)
	h.on("Shop", "CurrentShop", 401, `{"code":"unauthenticated","msg":"bad key `+shopKey+`"}`)
	a, err := h.c.Shops.Reauthorize(ctx, "12414", "https://partner.example.com/cb")
	require.NoError(t, err)
	shop, err := h.c.ForShop(a.ShopKey)
	require.NoError(t, err)
	_, err = shop.Shops.Current(ctx)
	require.ErrorIs(t, err, partnerkit.ErrUnauthorized)
	var apiErr *partnerkit.Error
	require.True(t, errors.As(err, &apiErr))
	logs := h.logs.String()
	require.Contains(t, logs, "AuthorizeShop", "debug logging is on")
	for _, secret := range []string{apiKey, shopKey} {
		require.NotContains(t, logs, secret)
		require.NotContains(t, err.Error(), secret)
		require.NotContains(t, string(apiErr.Body), secret)
	}
}

func TestParseRedirect(t *testing.T) {
	t.Parallel()
	u, _ := url.Parse("https://example.com/redirect?token=87209412&shop_id=12414")
	rd, err := etelecom.ParseRedirect(u)
	require.NoError(t, err)
	require.Equal(t, &etelecom.Redirect{ShopID: "12414", Token: "87209412"}, rd)

	for _, raw := range []string{"https://example.com/r?token=1", "https://example.com/r?shop_id=12414", "https://example.com/r?token=1&shop_id=abc"} {
		u, _ := url.Parse(raw)
		_, err := etelecom.ParseRedirect(u)
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput, raw)
	}
	_, err = etelecom.ParseRedirect(nil)
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
}

func TestABareHostGetsTheDefaultPath(t *testing.T) {
	t.Parallel()
	for _, host := range []string{"http://127.0.0.1:8080", "http://127.0.0.1:8080/"} {
		h := newHarness(t, partnerkit.WithBaseURL(host))
		var got string
		h.mock.RegisterResponder(http.MethodPost, "http://127.0.0.1:8080/v1/partner.Misc/CurrentAccount", func(r *http.Request) (*http.Response, error) {
			got = r.URL.String()
			return h.record(r, 200, `{"id":"1","name":"partner"}`), nil
		})
		_, err := h.c.CurrentAccount(ctx)
		require.NoError(t, err, host)
		require.Equal(t, "http://127.0.0.1:8080/v1/partner.Misc/CurrentAccount", got, host)
	}
}

func TestNewRejectsBadSettings(t *testing.T) {
	t.Parallel()
	_, err := etelecom.New("")
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	_, err = etelecom.New(apiKey, partnerkit.WithBaseURL("not a url"))
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	c, err := etelecom.New(apiKey)
	require.NoError(t, err)
	_, err = c.ForShop("")
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	_, err = etelecom.NewSMS("user", "")
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
}

func TestAnUnreadableAnswerIsUnexpected(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder(http.MethodPost, base+".Misc/CurrentAccount", func(r *http.Request) (*http.Response, error) {
		return h.record(r, 200, `{"id":`), nil
	})
	_, err := h.c.CurrentAccount(ctx)
	require.ErrorIs(t, err, partnerkit.ErrUnexpected)
}
