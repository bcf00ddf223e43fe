package etelecom_test

import (
	"errors"
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

func authorizeParams() *etelecom.ShopAuthorizeParams {
	return &etelecom.ShopAuthorizeParams{Email: "shop@example.com", Phone: "0901234567", Name: "Example Shop", RedirectURL: "https://partner.example.com/cb"}
}

const requestToken = "request:Ut8zhsaQp_kwKi2u2gEch_9R3yiQvpFUnB5mE_MRfks"

// shopRequest is the document's shop_request answer.
const shopRequest = `{"code":"ok","msg":"","type":"shop_request",
"auth_token":"` + requestToken + `","expires_in":900,
"auth_url":"https://partner-auth.etelecom.vn/login?token=` + requestToken + `"}`

// shopKeyAnswer is the document's shop_key answer, with expires_in as
// protobuf's JSON writes an int64.
const shopKeyAnswer = `{"code":"ok","msg":"","type":"shop_key","auth_token":"` + shopKey + `","expires_in":"-1"}`

func TestAuthorize(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "AuthorizeShop", 200, shopRequest)
	a, err := h.c.Shops.Authorize(ctx, authorizeParams())
	require.NoError(t, err)
	r := h.only(t, apiKey)
	require.Equal(t, "/v1/partner.Shop/AuthorizeShop", r.Path)
	require.JSONEq(t, `{"email":"shop@example.com","phone":"0901234567","name":"Example Shop","redirect_url":"https://partner.example.com/cb"}`, r.Body)
	require.True(t, a.NeedsLogin())
	require.Equal(t, etelecom.TypeShopRequest, a.Type)
	require.Equal(t, "https://partner-auth.etelecom.vn/login?token="+requestToken, a.AuthURL)
	require.Equal(t, 15*time.Minute, a.ExpiresIn)
	require.Equal(t, requestToken, a.RequestToken())
	require.Empty(t, a.ShopKey())
	require.Equal(t, etelecom.CodeOK, a.Code)
	require.Equal(t, "etelecom login request (log in at https://partner-auth.etelecom.vn/login within 15m0s)", a.String())
}

func TestAuthorizeReadsMsgAndMeta(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "AuthorizeShop", 200, `{"code":"ok","msg":"the shop must log in again","meta":{"reason":"unlinked"},
"type":"shop_request","auth_token":"request:x1","expires_in":"900","auth_url":"https://a.example/login?token=request:x1"}`)
	a, err := h.c.Shops.Reauthorize(ctx, "12414", "https://partner.example.com/cb")
	require.NoError(t, err)
	require.Equal(t, "the shop must log in again", a.Message)
	require.Equal(t, map[string]any{"reason": "unlinked"}, a.Meta)
	require.Equal(t, 15*time.Minute, a.ExpiresIn, "expires_in as a string")
}

func TestAuthorizeKeepsAHugeValidityPositive(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "AuthorizeShop", 200, `{"code":"ok","type":"shop_request","auth_token":"request:x","expires_in":"9223372036854775807","auth_url":"https://a.example/login"}`)
	a, err := h.c.Shops.Authorize(ctx, authorizeParams())
	require.NoError(t, err)
	require.Equal(t, time.Duration(math.MaxInt64/int64(time.Second))*time.Second, a.ExpiresIn)
}

func TestAuthorizeIsNeverSentTwice(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "AuthorizeShop", 503, `{"code":"unavailable","msg":"down"}`)
	_, err := h.c.Shops.Authorize(ctx, authorizeParams())
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Len(t, h.Requests(), 1)
}

// TestReauthorizeReturnsTheShopKey: expires_in "-1", as protobuf's JSON
// writes an int64, used to fail the whole connection.
func TestReauthorizeReturnsTheShopKey(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "AuthorizeShop", 200, shopKeyAnswer)
	a, err := h.c.Shops.Reauthorize(ctx, "1052570182707778180", "https://partner.example.com/cb")
	require.NoError(t, err)
	r := h.only(t, apiKey)
	require.JSONEq(t, `{"shop_id":"1052570182707778180","redirect_url":"https://partner.example.com/cb"}`, r.Body)
	require.False(t, a.NeedsLogin())
	require.Equal(t, shopKey, a.ShopKey())
	require.Empty(t, a.RequestToken())
	require.Zero(t, a.ExpiresIn, "a shop key never expires")
	require.Equal(t, "etelecom shop key", a.String())
}

func TestReauthorizeIsRetried(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.onSeq("Shop", "AuthorizeShop", answer{503, `{"code":"unavailable","msg":"down"}`}, answer{200, shopKeyAnswer})
	a, err := h.c.Shops.Reauthorize(ctx, "12414", "https://partner.example.com/cb")
	require.NoError(t, err)
	require.Equal(t, shopKey, a.ShopKey())
	require.Len(t, h.Requests(), 2)
}

// TestReauthorizeTakesAnOpaqueShopID: the documents type shop_id as a
// string; any ID a body can carry is sent.
func TestReauthorizeTakesAnOpaqueShopID(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "AuthorizeShop", 200, shopKeyAnswer)
	_, err := h.c.Shops.Reauthorize(ctx, "shop_9f8E-7d", "https://partner.example.com/cb")
	require.NoError(t, err)
	require.JSONEq(t, `{"shop_id":"shop_9f8E-7d","redirect_url":"https://partner.example.com/cb"}`, h.only(t, apiKey).Body)
}

func TestReauthorizeAfterTheMerchantUnlinkedAsksForLoginAgain(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "AuthorizeShop", 200, shopRequest)
	a, err := h.c.Shops.Reauthorize(ctx, "12414", "https://partner.example.com/cb")
	require.NoError(t, err)
	require.True(t, a.NeedsLogin())
	require.NotEmpty(t, a.AuthURL)
	require.Empty(t, a.ShopKey())
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
	d, ok := partnerkit.DetailsOf[*etelecom.ErrorDetails](err)
	require.True(t, ok)
	require.Equal(t, "never logged in", d.Meta["reason"])
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
		"expires_in not a number":  {`{"code":"ok","type":"shop_key","auth_token":"shop1:x","expires_in":"never"}`, partnerkit.ErrUnexpected},
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

func TestCurrentShop(t *testing.T) {
	t.Parallel()
	h := newHarness(t, partnerkit.WithRateLimit(1, time.Minute))
	h.on("Shop", "CurrentShop", 200, `{"id":"1052570182707778180","image_url":"https://img.example/1.png","name":"Example Shop","type":"shop","website":"https://shop.example"}`)
	h.on("Misc", "CurrentAccount", 200, `{"id":1}`)
	shop := h.shop(t)
	require.True(t, shop.IsShop())
	require.False(t, h.c.IsShop())

	_, err := h.c.CurrentAccount(ctx)
	require.NoError(t, err)
	s, err := shop.Shops.Current(ctx)
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("1052570182707778180"), s.ID)
	require.Equal(t, "Example Shop", s.Name)
	require.Equal(t, "https://shop.example", s.Website)
	require.Equal(t, "https://img.example/1.png", s.ImageURL)
	require.Contains(t, string(s.Raw), `"type":"shop"`)

	reqs := h.Requests()
	require.Len(t, reqs, 2)
	require.Equal(t, "Bearer "+apiKey, reqs[0].Header.Get("Authorization"))
	require.Equal(t, "Bearer "+shopKey, reqs[1].Header.Get("Authorization"))
	require.Equal(t, "/v1/partner.Shop/CurrentShop", reqs[1].Path)
	require.Empty(t, h.clock.Sleeps(), "a shop's key is another credential, with limits of its own")
	_, err = h.c.CurrentAccount(ctx)
	require.NoError(t, err)
	require.Equal(t, []time.Duration{time.Minute + time.Second}, h.clock.Sleeps(), "the partner's second call waits for the partner's quota and its margin")
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

func TestParseRedirect(t *testing.T) {
	t.Parallel()
	u, _ := url.Parse("https://example.com/redirect?state=s-123&token=87209412&shop_id=12414")
	rd, err := etelecom.ParseRedirect(u)
	require.NoError(t, err)
	require.Equal(t, &etelecom.Redirect{ShopID: "12414", Token: "87209412", State: "s-123"}, rd)
	require.True(t, rd.HasState("s-123"))
	require.False(t, rd.HasState("s-124"))
	require.False(t, rd.HasState(""))
	require.False(t, (&etelecom.Redirect{ShopID: "1", Token: "t"}).HasState(""), "an empty state never matches")

	u, _ = url.Parse("https://example.com/redirect?token=t&shop_id=shop-abc_1")
	rd, err = etelecom.ParseRedirect(u)
	require.NoError(t, err, "an opaque shop ID is accepted")
	require.Equal(t, partnerkit.ID("shop-abc_1"), rd.ShopID)

	for _, raw := range []string{
		"https://example.com/r?token=1",
		"https://example.com/r?shop_id=12414",
		"https://example.com/r?token=1&shop_id=a%2Fb",
		"https://example.com/r?token=1&shop_id=..",
		"https://example.com/r?token=1&shop_id=-3",
	} {
		u, _ := url.Parse(raw)
		_, err := etelecom.ParseRedirect(u)
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput, raw)
	}
	_, err = etelecom.ParseRedirect(nil)
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
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

	_, err = etelecom.New(apiKey, etelecom.Sandbox(), partnerkit.WithBaseURL("https://api.etelecom.vn/v1/partner"))
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	var ve *partnerkit.ValidationError
	require.True(t, errors.As(err, &ve))
	require.Equal(t, "etelecom.Sandbox", ve.Field)
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
	for _, key := range []string{"", " ", "key\r\nX-Injected: 1", " key", "key\x00"} {
		_, err := etelecom.New(key)
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput, "%q", key)
	}
	_, err := etelecom.New(apiKey, partnerkit.WithBaseURL("not a url"))
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	c, err := etelecom.New(apiKey)
	require.NoError(t, err)
	for _, key := range []string{"", "a key\n", "\tkey"} {
		_, err = c.ForShop(key)
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput, "%q", key)
	}
	for _, creds := range [][2]string{{"user", ""}, {"", "pass"}, {"user\n", "pass"}, {"user", "pass\r"}} {
		_, err = etelecom.NewSMS(creds[0], creds[1])
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput, "%q", creds)
	}
}
