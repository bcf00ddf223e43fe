package etelecomtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
	"github.com/partnerkit/partnerkit-go/etelecom/etelecomtest"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

var ctx = context.Background()

const callback = "https://partner.example.com/etelecom/callback"

type env struct {
	fake *etelecomtest.Server
	srv  *httptest.Server
	c    *etelecom.Client
	sms  *etelecom.SMSClient
}

func newEnv(t *testing.T, opts ...etelecomtest.Option) *env {
	t.Helper()
	fake := etelecomtest.New(opts...)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	common := []partnerkit.Option{
		transport.WithClock(clock.NewAutoFake(time.Date(2025, 5, 21, 7, 0, 0, 0, time.UTC))),
		transport.WithRandom(func() float64 { return 0 }),
	}
	c, err := etelecom.New(etelecomtest.APIKey, append(common, partnerkit.WithBaseURL(srv.URL+etelecomtest.BasePath))...)
	require.NoError(t, err)
	sms, err := etelecom.NewSMS(etelecomtest.SMSUsername, etelecomtest.SMSPassword, append(common, partnerkit.WithBaseURL(srv.URL))...)
	require.NoError(t, err)
	return &env{fake: fake, srv: srv, c: c, sms: sms}
}

// login plays the merchant: it opens authURL and returns where eTelecom
// redirected the browser.
func login(t *testing.T, authURL string) *url.URL {
	t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(authURL)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc, err := resp.Location()
	require.NoError(t, err)
	return loc
}

// connect runs the whole connection flow and returns the shop's client.
func (e *env) connect(t *testing.T, email string) (*etelecom.Client, partnerkit.ID) {
	t.Helper()
	redirect := callback + "?state=s-" + email
	a, err := e.c.Shops.Authorize(ctx, &etelecom.ShopAuthorizeParams{Email: email, Phone: "0901234567", Name: "Shop " + email, RedirectURL: redirect})
	require.NoError(t, err)
	require.True(t, a.NeedsLogin())
	require.Equal(t, 15*time.Minute, a.ExpiresIn)
	loc := login(t, a.AuthURL)
	require.True(t, strings.HasPrefix(loc.String(), callback+"?"))
	rd, err := etelecom.ParseRedirect(loc)
	require.NoError(t, err)
	require.True(t, rd.HasState("s-"+email), "the redirect keeps the redirect URL's query")
	a, err = e.c.Shops.Reauthorize(ctx, rd.ShopID, redirect)
	require.NoError(t, err)
	require.False(t, a.NeedsLogin())
	require.Zero(t, a.ExpiresIn)
	shop, err := e.c.ForShop(a.ShopKey())
	require.NoError(t, err)
	return shop, rd.ShopID
}

func TestConnectAShopThenListCallsAndSendAZNS(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	shop, shopID := e.connect(t, "shop@example.com")

	cur, err := shop.Shops.Current(ctx)
	require.NoError(t, err)
	require.Equal(t, shopID, cur.ID)
	require.Equal(t, "Shop shop@example.com", cur.Name)
	acct, err := shop.CurrentAccount(ctx)
	require.NoError(t, err)
	require.Equal(t, "shop", acct.Type)
	partner, err := e.c.CurrentAccount(ctx)
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID(etelecomtest.PartnerID), partner.ID)

	var logs []etelecom.CallLog
	for l, err := range shop.CallLogs.All(ctx, nil) {
		require.NoError(t, err)
		logs = append(logs, l)
	}
	require.Len(t, logs, 3)
	require.True(t, logs[0].StartedAt.After(logs[1].StartedAt.Time), "newest first")
	require.Equal(t, 30*time.Second, logs[0].Duration.Duration())
	require.Contains(t, string(logs[0].Raw), `"duration":"30"`, "int64s are written as strings")
	answered, err := shop.CallLogs.List(ctx, &etelecom.CallLogListParams{CallState: etelecom.CallAnswered})
	require.NoError(t, err)
	require.Len(t, answered.Items, 2)

	oas, err := shop.OAs.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, oas.Items, 1)
	require.Equal(t, partnerkit.Int(500), oas.Items[0].DailyQuota)
	msg, err := shop.ZNS.Send(ctx, &etelecom.ZNSSendParams{OAID: oas.Items[0].OAID, Phone: "84901234567", TemplateID: etelecomtest.TemplateID,
		TemplateData: map[string]any{"name": "An"}, TrackingID: "t-1"})
	require.NoError(t, err)
	require.Equal(t, "t-1", msg.TrackingID)
	require.Equal(t, partnerkit.Int(300), msg.FeeMain)
	require.Equal(t, partnerkit.ID(etelecomtest.TemplateID), msg.TemplateID)
	sent := e.fake.ZNSSent()
	require.Len(t, sent, 1)
	require.Equal(t, string(shopID), sent[0].ShopID)
	require.Equal(t, map[string]any{"name": "An"}, sent[0].TemplateData)
	oas, err = shop.OAs.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, partnerkit.Int(499), oas.Items[0].RemainingQuota)

	_, err = shop.ZNS.Send(ctx, &etelecom.ZNSSendParams{OAID: oas.Items[0].OAID, Phone: "84901234567", TemplateID: "999", TemplateData: map[string]any{"a": 1}})
	require.ErrorIs(t, err, partnerkit.ErrNotFound)
	oa, err := shop.OAs.Update(ctx, oas.Items[0].OAID, &etelecom.OAUpdateParams{WebhookURL: "https://partner.example.com/zalo"})
	require.NoError(t, err)
	require.Equal(t, "https://partner.example.com/zalo", oa.WebhookURL)
	oa, err = shop.OAs.Connect(ctx, &etelecom.OAConnectParams{Code: "c", OAID: "777"})
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("777"), oa.OAID)
}

func TestRelinkAfterTheMerchantUnlinked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	shop, shopID := e.connect(t, "relink@example.com")
	require.True(t, e.fake.Unlink(string(shopID)))

	_, err := shop.Shops.Current(ctx)
	require.ErrorIs(t, err, partnerkit.ErrUnauthorized, "the old key stopped working")

	a, err := e.c.Shops.Reauthorize(ctx, shopID, callback)
	require.NoError(t, err)
	require.True(t, a.NeedsLogin(), "an unlinked shop must log in again")
	rd, err := etelecom.ParseRedirect(login(t, a.AuthURL))
	require.NoError(t, err)
	require.Equal(t, shopID, rd.ShopID, "the same shop comes back")
	a, err = e.c.Shops.Reauthorize(ctx, shopID, callback)
	require.NoError(t, err)
	require.False(t, a.NeedsLogin())
	again, err := e.c.ForShop(a.ShopKey())
	require.NoError(t, err)
	cur, err := again.Shops.Current(ctx)
	require.NoError(t, err)
	require.Equal(t, shopID, cur.ID)
}

func TestUnknownShopIsForbidden(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, err := e.c.Shops.Reauthorize(ctx, "42", callback)
	require.ErrorIs(t, err, partnerkit.ErrForbidden)
	var apiErr *partnerkit.Error
	require.True(t, errors.As(err, &apiErr))
	require.Equal(t, etelecom.CodePermissionDenied, apiErr.Code)
	d, ok := partnerkit.DetailsOf[*etelecom.ErrorDetails](err)
	require.True(t, ok)
	require.Equal(t, map[string]string{"reason": "unknown shop_id"}, d.Meta)
}

func TestLoginLinksExpireAndWorkOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, err := e.c.Shops.Authorize(ctx, &etelecom.ShopAuthorizeParams{Email: "late@example.com", Phone: "0901234567", Name: "Late", RedirectURL: callback})
	require.NoError(t, err)
	e.fake.Advance(etelecomtest.RequestLifetime)
	resp, err := http.Get(a.AuthURL)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)

	a, err = e.c.Shops.Authorize(ctx, &etelecom.ShopAuthorizeParams{Email: "once@example.com", Phone: "0901234567", Name: "Once", RedirectURL: callback})
	require.NoError(t, err)
	login(t, a.AuthURL)
	resp, err = http.Get(a.AuthURL)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.Equal(t, 3, e.fake.Requests("GET "+etelecomtest.LoginPath))
}

func TestWithClock(t *testing.T) {
	t.Parallel()
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	e := newEnv(t, etelecomtest.WithClock(func() time.Time { return now }))
	shop, _ := e.connect(t, "clock@example.com")
	l, err := shop.CallLogs.List(ctx, &etelecom.CallLogListParams{Limit: 1})
	require.NoError(t, err)
	require.Equal(t, now.Add(-time.Minute), l.Items[0].StartedAt.Time, "the newest seeded call started a minute before the fake's now")
	e.fake.Advance(time.Hour)
	tn, err := shop.Tenants.Create(ctx)
	require.NoError(t, err)
	require.Equal(t, now.Add(time.Hour), tn.CreatedAt.Time)
}

func TestPBX(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	shop, shopID := e.connect(t, "pbx@example.com")
	tn, err := shop.Tenants.Create(ctx)
	require.NoError(t, err)
	require.Equal(t, etelecom.StatusNew, tn.Status)
	_, err = shop.Tenants.Create(ctx)
	require.ErrorIs(t, err, partnerkit.ErrConflict)
	got, err := shop.Tenants.Current(ctx)
	require.NoError(t, err)
	require.Equal(t, tn.ID, got.ID)

	page, err := e.c.Tenants.List(ctx, &etelecom.TenantListParams{OwnerID: shopID})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)

	hl, err := e.c.Hotlines.Create(ctx, &etelecom.HotlineCreateParams{Hotline: "02873001234", Name: "Sales", Description: "Sales line", Network: etelecom.NetworkViettel, OwnerID: shopID})
	require.NoError(t, err)
	_, err = shop.Extensions.Create(ctx, &etelecom.ExtensionCreateParams{HotlineID: hl.ID, ExtensionNumber: "101"})
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest, "failed_precondition: the tenant is not active")

	u, err := e.c.Tenants.Activate(ctx, &etelecom.TenantActivateParams{TenantID: tn.ID, HotlineID: hl.ID, OwnerID: shopID})
	require.NoError(t, err)
	require.Equal(t, partnerkit.Int(1), u.Updated)
	u, err = e.c.Tenants.Activate(ctx, &etelecom.TenantActivateParams{TenantID: tn.ID, HotlineID: hl.ID, OwnerID: shopID})
	require.NoError(t, err)
	require.Equal(t, partnerkit.Int(0), u.Updated)

	for n := 101; n <= 103; n++ {
		ext, err := shop.Extensions.Create(ctx, &etelecom.ExtensionCreateParams{HotlineID: hl.ID, ExtensionNumber: partnerkit.ID(strconv.Itoa(n))})
		require.NoError(t, err)
		require.NotEmpty(t, ext.ExtensionPassword)
		require.Equal(t, tn.ID, ext.TenantID)
		require.Equal(t, partnerkit.ID(strconv.Itoa(n)), ext.ExtensionNumber)
	}
	var ids []partnerkit.ID
	for ext, err := range shop.Extensions.All(ctx, &etelecom.ExtensionListParams{Limit: 2}) {
		require.NoError(t, err)
		ids = append(ids, ext.ID)
	}
	require.Len(t, ids, 3)
	u, err = shop.Extensions.AssignUser(ctx, &etelecom.ExtensionAssignUserParams{ExtensionID: ids[0], UserID: "7001"})
	require.NoError(t, err)
	require.Equal(t, partnerkit.Int(1), u.Updated)
	u, err = shop.Extensions.RemoveUser(ctx, &etelecom.ExtensionRemoveUserParams{ExtensionID: ids[0], UserID: "7001"})
	require.NoError(t, err)
	require.Equal(t, partnerkit.Int(1), u.Updated)

	var hotlines int
	for _, err := range e.c.Hotlines.All(ctx, nil) {
		require.NoError(t, err)
		hotlines++
	}
	require.Equal(t, 1, hotlines)
}

func TestCallLogPagingFollowsTheCursors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	shop, shopID := e.connect(t, "busy@example.com")
	require.True(t, e.fake.SeedCallLogs(string(shopID), 247))
	first, err := shop.CallLogs.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, first.Items, 100, "100 a page by default")
	require.True(t, first.HasMore())
	require.Equal(t, 100, first.Limit)
	seen := map[partnerkit.ID]bool{}
	for l, err := range shop.CallLogs.All(ctx, nil) {
		require.NoError(t, err)
		require.False(t, seen[l.ID])
		seen[l.ID] = true
	}
	require.Len(t, seen, 250)
	require.Equal(t, 4, e.fake.Requests("Etelecom/ListCallLogs"))
}

// TestFailNextWritesTwirpErrors: the injected failures carry the Twirp
// body Twirp v8 writes for the status, and the client reads them as it
// reads eTelecom's.
func TestFailNextWritesTwirpErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	shop, _ := e.connect(t, "flaky@example.com")
	e.fake.FailNext(1, http.StatusServiceUnavailable)
	_, err := shop.Shops.Current(ctx)
	require.NoError(t, err, "a read is retried")
	require.Equal(t, 2, e.fake.Requests("Shop/CurrentShop"))

	oas, err := shop.OAs.List(ctx, nil)
	require.NoError(t, err)
	e.fake.FailNext(1, http.StatusServiceUnavailable)
	_, err = shop.ZNS.Send(ctx, &etelecom.ZNSSendParams{OAID: oas.Items[0].OAID, Phone: "84901234567", TemplateID: etelecomtest.TemplateID, TemplateData: map[string]any{"a": 1}})
	require.ErrorIs(t, err, partnerkit.ErrServer)
	var apiErr *partnerkit.Error
	require.True(t, errors.As(err, &apiErr))
	require.Equal(t, etelecom.CodeUnavailable, apiErr.Code)
	require.Empty(t, e.fake.ZNSSent(), "a send is not retried")
	require.Equal(t, 1, e.fake.Requests("Zalo/SendZNS"))

	e.fake.FailNextCode(1, etelecom.CodeDeadlineExceeded)
	_, err = shop.CallLogs.List(ctx, nil)
	require.NoError(t, err, "deadline_exceeded under 408 is retried on a read")
}

func TestFailNextBodies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		status int
		code   string
	}{
		{400, "invalid_argument"}, {401, "unauthenticated"}, {403, "permission_denied"}, {404, "not_found"},
		{408, "deadline_exceeded"}, {409, "already_exists"}, {412, "failed_precondition"}, {429, "resource_exhausted"},
		{500, "internal"}, {501, "unimplemented"}, {502, "unavailable"}, {503, "unavailable"}, {504, "unavailable"},
		{418, "unknown"},
	}
	for _, tt := range tests {
		e.fake.FailNext(1, tt.status)
		resp := post(t, e, etelecomtest.BasePath+".Misc/CurrentAccount", "application/json", etelecomtest.APIKey, "{}")
		require.Equal(t, tt.status, resp.status)
		require.Equal(t, "application/json", resp.header.Get("Content-Type"))
		require.Equal(t, strconv.Itoa(len(resp.body)), resp.header.Get("Content-Length"))
		require.JSONEq(t, `{"code":"`+tt.code+`","msg":"failure injected by the fake"}`, resp.body, "meta is left out when empty")
	}
	e.fake.FailNextCode(1, "data_loss")
	resp := post(t, e, etelecomtest.BasePath+".Misc/CurrentAccount", "application/json", etelecomtest.APIKey, "{}")
	require.Equal(t, 500, resp.status)
	require.JSONEq(t, `{"code":"data_loss","msg":"failure injected by the fake"}`, resp.body)
}

func TestSetRateLimit(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 5, 21, 7, 0, 0, 0, time.UTC)
	e := newEnv(t, etelecomtest.WithClock(func() time.Time { return now }))
	_, shopKey := e.fake.ConnectShop("quota@example.com", "0901234567", "Quota")

	e.fake.SetRateLimit("Misc/CurrentAccount", 2, time.Minute)
	for range 2 {
		require.Equal(t, 200, post(t, e, etelecomtest.BasePath+".Misc/CurrentAccount", "application/json", etelecomtest.APIKey, "{}").status)
	}
	resp := post(t, e, etelecomtest.BasePath+".Misc/CurrentAccount", "application/json", etelecomtest.APIKey, "{}")
	require.Equal(t, 429, resp.status)
	require.Equal(t, "60", resp.header.Get("Retry-After"))
	require.JSONEq(t, `{"code":"resource_exhausted","msg":"rate limit exceeded"}`, resp.body)
	require.Equal(t, 200, post(t, e, etelecomtest.BasePath+".Misc/CurrentAccount", "application/json", shopKey, "{}").status, "each key has its own quota")
	require.Equal(t, 200, post(t, e, etelecomtest.BasePath+".Shop/CurrentShop", "application/json", shopKey, "{}").status, "other routes are not limited")
	require.Equal(t, 4, e.fake.Requests("Misc/CurrentAccount"), "refused requests count")

	e.fake.SetRateLimit("", 1, time.Minute)
	require.Equal(t, 200, post(t, e, etelecomtest.BasePath+".Shop/CurrentShop", "application/json", shopKey, "{}").status)
	require.Equal(t, 429, post(t, e, etelecomtest.BasePath+".Shop/CurrentShop", "application/json", shopKey, "{}").status, "the per-key quota covers every route")
	e.fake.SetRateLimit("", 0, 0)
	require.Equal(t, 200, post(t, e, etelecomtest.BasePath+".Shop/CurrentShop", "application/json", shopKey, "{}").status)
}

// TestTheClientWaitsOutTheFakesRateLimit: the fake's 429 says when to come
// back; the client, on the same clock, waits that long and is served.
func TestTheClientWaitsOutTheFakesRateLimit(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(time.Date(2025, 5, 21, 7, 0, 0, 0, time.UTC))
	fake := etelecomtest.New(etelecomtest.WithClock(clk.Now))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, err := etelecom.New(etelecomtest.APIKey, partnerkit.WithBaseURL(srv.URL+etelecomtest.BasePath), transport.WithClock(clk))
	require.NoError(t, err)
	fake.SetRateLimit("Misc/CurrentAccount", 1, 30*time.Second)
	for range 2 {
		_, err := c.CurrentAccount(ctx)
		require.NoError(t, err)
	}
	require.Equal(t, 3, fake.Requests("Misc/CurrentAccount"), "the second call was refused once, then served")
	require.Contains(t, clk.Sleeps(), 30*time.Second)
}

type answer struct {
	status int
	header http.Header
	body   string
}

func post(t *testing.T, e *env, path, contentType, key, body string) answer {
	t.Helper()
	return send(t, e, http.MethodPost, path, contentType, key, body)
}

func send(t *testing.T, e *env, method, path, contentType, key, body string) answer {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return answer{resp.StatusCode, resp.Header, string(b)}
}

// TestTheFakeAnswersAsATwirpServer: the routing errors and their order are
// Twirp v8's.
func TestTheFakeAnswersAsATwirpServer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	base := etelecomtest.BasePath
	tests := []struct {
		name, method, path, ct, key, body string
		status                            int
		want                              string
	}{
		{"GET", http.MethodGet, base + ".Misc/CurrentAccount", "", etelecomtest.APIKey, "", 404,
			`{"code":"bad_route","msg":"unsupported method \"GET\" (only POST is allowed)","meta":{"twirp_invalid_route":"GET /v1/partner.Misc/CurrentAccount"}}`},
		{"unknown method", http.MethodPost, base + ".Misc/Nope", "application/json", etelecomtest.APIKey, "{}", 404,
			`{"code":"bad_route","msg":"no handler for path \"/v1/partner.Misc/Nope\"","meta":{"twirp_invalid_route":"POST /v1/partner.Misc/Nope"}}`},
		{"no Content-Type", http.MethodPost, base + ".Misc/CurrentAccount", "", etelecomtest.APIKey, "{}", 404,
			`{"code":"bad_route","msg":"unexpected Content-Type: \"\"","meta":{"twirp_invalid_route":"POST /v1/partner.Misc/CurrentAccount"}}`},
		{"wrong key", http.MethodPost, base + ".Misc/CurrentAccount", "application/json", "wrong", "{}", 401,
			`{"code":"unauthenticated","msg":"invalid or missing api key"}`},
		{"not JSON", http.MethodPost, base + ".Misc/CurrentAccount", "application/json", etelecomtest.APIKey, "[", 400,
			`{"code":"malformed","msg":"the json request could not be decoded","meta":{"cause":"invalid JSON object"}}`},
		{"shop method with the partner key", http.MethodPost, base + ".Shop/CurrentShop", "application/json", etelecomtest.APIKey, "{}", 403,
			`{"code":"permission_denied","msg":"this method needs a shop key"}`},
		{"invalid argument", http.MethodPost, base + ".Shop/AuthorizeShop", "application/json", etelecomtest.APIKey, `{"redirect_url":"x"}`, 400,
			`{"code":"invalid_argument","msg":"redirect_url must be an absolute http or https URL","meta":{"argument":"redirect_url"}}`},
		{"ok", http.MethodPost, base + ".Misc/CurrentAccount", "application/json; charset=utf-8", etelecomtest.APIKey, "{}", 200,
			`{"id":"1000001","name":"Test Partner","type":"partner"}`},
	}
	for _, tt := range tests {
		resp := send(t, e, tt.method, tt.path, tt.ct, tt.key, tt.body)
		require.Equal(t, tt.status, resp.status, tt.name)
		require.JSONEq(t, tt.want, resp.body, tt.name)
	}
	require.Panics(t, func() { e.fake.Requests("POST /v1/partner.Misc/Nope") }, "an unknown method is no route: counted among all requests only")
	require.Equal(t, 5, e.fake.Requests("Misc/CurrentAccount"), "GET, no Content-Type, wrong key, not JSON and ok: a route whatever the HTTP method")
	require.Equal(t, 1, e.fake.Requests("Shop/CurrentShop"))
	require.Equal(t, len(tests), e.fake.Requests(""))

	m := etelecom.Method{Service: etelecom.ServiceEtelecom, Name: "GetDriverConfig", ReadOnly: true}
	err := e.c.Call(ctx, m, nil, nil)
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)
	var apiErr *partnerkit.Error
	require.True(t, errors.As(err, &apiErr))
	require.Equal(t, etelecom.CodeBadRoute, apiErr.Code)
}

// TestADeliveryReachesTheHandlerAsATypedEvent: a call that ends and a ZNS
// that arrives are POSTed to every webhook that takes them, and reach a
// WebhookHandler as typed events; a refused delivery is recorded in the
// webhook's states.
func TestADeliveryReachesTheHandlerAsATypedEvent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	shop, shopID := e.connect(t, "hooks@example.com")

	var mu sync.Mutex
	var events []*etelecom.Event
	secret := etelecom.NewWebhookSecret()
	h, err := etelecom.NewWebhookHandler(secret, func(_ context.Context, ev *etelecom.Event) error {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, ev)
		return nil
	})
	require.NoError(t, err)
	receiver := httptest.NewServer(h)
	defer receiver.Close()
	hookURL, err := etelecom.WebhookURL(receiver.URL+"/etelecom/events", secret)
	require.NoError(t, err)

	calls, err := e.c.Webhooks.Create(ctx, &etelecom.WebhookCreateParams{URL: hookURL, Entities: []string{etelecom.EntityCallLog}})
	require.NoError(t, err)
	require.Equal(t, etelecom.WebhookOK, calls.States.State)
	both, err := e.c.Webhooks.Create(ctx, &etelecom.WebhookCreateParams{URL: hookURL, Entities: []string{etelecom.EntityCallLog, etelecom.EntityZaloMessage}})
	require.NoError(t, err)
	forged, err := e.c.Webhooks.Create(ctx, &etelecom.WebhookCreateParams{URL: receiver.URL + "/etelecom/events?secret=wrong-secret-0000000000", Entities: []string{etelecom.EntityCallLog}})
	require.NoError(t, err)

	id, ok := e.fake.EndCall(string(shopID), etelecomtest.Call{Caller: "0987654321", Duration: 95 * time.Second})
	require.True(t, ok)
	mu.Lock()
	require.Len(t, events, 2, "both webhooks that take call_log got it, before EndCall returned")
	for _, ev := range events {
		require.Equal(t, etelecom.EntityCallLog, ev.Entity)
		require.Equal(t, "create", ev.ChangeType)
		require.NotNil(t, ev.CallLog)
		require.Equal(t, partnerkit.ID(id), ev.CallLog.ID)
		require.Equal(t, "0987654321", ev.CallLog.Caller)
		require.Equal(t, 95*time.Second, ev.CallLog.Duration.Duration())
		require.Equal(t, etelecom.CallAnswered, ev.CallLog.CallState)
	}
	events = nil
	mu.Unlock()

	first, err := shop.CallLogs.List(ctx, &etelecom.CallLogListParams{Limit: 1})
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID(id), first.Items[0].ID, "the call is first in the history")

	oas, err := shop.OAs.List(ctx, nil)
	require.NoError(t, err)
	msg, err := shop.ZNS.Send(ctx, &etelecom.ZNSSendParams{OAID: oas.Items[0].OAID, Phone: "84901234567", TemplateID: etelecomtest.TemplateID,
		TemplateData: map[string]any{"otp": "1234"}, TrackingID: "t-hooks"})
	require.NoError(t, err)
	require.True(t, e.fake.DeliverZNS(string(msg.ID), etelecom.DeliverySeen))
	mu.Lock()
	require.Len(t, events, 1, "only the webhook that takes zl_oa_message")
	require.Equal(t, etelecom.EntityZaloMessage, events[0].Entity)
	require.Equal(t, "t-hooks", events[0].Message.TrackingID)
	require.Equal(t, etelecom.DeliverySeen, events[0].Message.DeliveryStatus)
	mu.Unlock()
	require.Equal(t, etelecom.DeliverySeen, e.fake.ZNSSent()[0].DeliveryStatus)

	page, err := e.c.Webhooks.List(ctx, nil)
	require.NoError(t, err)
	states := map[partnerkit.ID]etelecom.WebhookStates{}
	for _, w := range page.Items {
		states[w.ID] = w.States
	}
	require.Equal(t, etelecom.WebhookOK, states[calls.ID].State)
	require.False(t, states[both.ID].LastSentAt.IsZero())
	require.Equal(t, etelecom.WebhookRetry, states[forged.ID].State, "the receiver refused the forged webhook's deliveries")
	require.NotNil(t, states[forged.ID].LastError)
	require.Equal(t, partnerkit.Int(http.StatusUnauthorized), states[forged.ID].LastError.RespStatus)

	require.NoError(t, e.c.Webhooks.Delete(ctx, forged.ID))
	page, err = e.c.Webhooks.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	err = e.c.Webhooks.Delete(ctx, forged.ID)
	require.ErrorIs(t, err, partnerkit.ErrNotFound)
	_, ok = e.fake.EndCall("no-such-shop", etelecomtest.Call{})
	require.False(t, ok)
	require.False(t, e.fake.DeliverZNS("0", etelecom.DeliverySeen))
}

func TestWebhookEndpointsCheckTheirInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, shopKey := e.fake.ConnectShop("wh@example.com", "0901234567", "WH")
	for body, want := range map[string]string{
		`{"entities":["call_log"]}`:                      `"argument":"url"`,
		`{"url":"https://p.example/h"}`:                  `"argument":"entities"`,
		`{"url":"https://p.example/h","entities":["x"]}`: `"argument":"entities"`,
	} {
		resp := post(t, e, etelecomtest.BasePath+".Webhook/CreateWebhook", "application/json", etelecomtest.APIKey, body)
		require.Equal(t, 400, resp.status, body)
		require.Contains(t, resp.body, want, body)
	}
	resp := post(t, e, etelecomtest.BasePath+".Webhook/GetWebhooks", "application/json", shopKey, "{}")
	require.Equal(t, 403, resp.status, "webhooks take the partner's own key")
}

func TestAnswersWriteInt64sAsStrings(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := post(t, e, etelecomtest.BasePath+".Shop/AuthorizeShop", "application/json", etelecomtest.APIKey,
		`{"email":"s@example.com","phone":"0901234567","name":"S","redirect_url":"https://p.example/cb"}`)
	var body map[string]any
	require.NoError(t, json.Unmarshal([]byte(a.body), &body))
	require.Equal(t, "900", body["expires_in"])
	shopID, _ := e.fake.ConnectShop("s2@example.com", "0901234567", "S2")
	k := post(t, e, etelecomtest.BasePath+".Shop/AuthorizeShop", "application/json", etelecomtest.APIKey,
		`{"shop_id":"`+shopID+`","redirect_url":"https://p.example/cb"}`)
	require.NoError(t, json.Unmarshal([]byte(k.body), &body))
	require.Equal(t, "-1", body["expires_in"])
}

func TestSMS(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	msg := &etelecom.SMSSendParams{Phone: "84901234567", RouteRule: []string{etelecom.SMSChannelZNS, etelecom.SMSChannelSMS},
		TemplateCode: etelecomtest.SMSTemplate, Params: map[string]string{"otp": "1234"}}
	r, err := e.sms.Send(ctx, msg)
	require.NoError(t, err)
	require.NotEmpty(t, r.ID)
	st, err := e.sms.Status(ctx, r.ID)
	require.NoError(t, err)
	require.Equal(t, etelecom.SMSStatusSuccess, st.Status)
	require.Equal(t, "ZNS", st.Channel)
	require.Equal(t, partnerkit.Int(1), st.MTCount)
	text := *msg
	text.RouteRule, text.RouteRuleText = nil, "3"
	r2, err := e.sms.Send(ctx, &text)
	require.NoError(t, err)
	require.Equal(t, []etelecomtest.SMSRecord{
		{ID: string(r.ID), Phone: "84901234567", RouteRule: []string{"1", "3"}, TemplateCode: etelecomtest.SMSTemplate, Params: map[string]string{"otp": "1234"}},
		{ID: string(r2.ID), Phone: "84901234567", RouteRuleText: "3", TemplateCode: etelecomtest.SMSTemplate, Params: map[string]string{"otp": "1234"}},
	}, e.fake.SMSSent())
	require.Equal(t, 2, e.fake.Requests("POST "+etelecomtest.SMSSendPath))

	tests := []struct {
		code string
		edit func(m *etelecom.SMSSendParams)
		kind error
	}{
		{etelecom.CodeSMSBadPhone, func(m *etelecom.SMSSendParams) { m.Phone = "0901234567" }, partnerkit.ErrInvalidRequest},
		{etelecom.CodeSMSNoRoute, func(m *etelecom.SMSSendParams) { m.RouteRule, m.RouteRuleText = nil, "9" }, partnerkit.ErrInvalidRequest},
		{etelecom.CodeSMSTemplateMissing, func(m *etelecom.SMSSendParams) { m.TemplateCode = "NOPE" }, partnerkit.ErrNotFound},
	}
	for _, tt := range tests {
		m := *msg
		tt.edit(&m)
		_, err := e.sms.Send(ctx, &m)
		require.ErrorIs(t, err, tt.kind, tt.code)
		var apiErr *partnerkit.Error
		require.True(t, errors.As(err, &apiErr))
		require.Equal(t, tt.code, apiErr.Code)
	}
	_, err = e.sms.Status(ctx, "unknown")
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)

	e.fake.SetSMSBalance(0)
	_, err = e.sms.Send(ctx, msg)
	require.ErrorIs(t, err, partnerkit.ErrForbidden)
	var apiErr *partnerkit.Error
	require.True(t, errors.As(err, &apiErr))
	require.Equal(t, etelecom.CodeSMSOutOfMessages, apiErr.Code)

	wrong, err := etelecom.NewSMS("someone-else", "wrong-password", partnerkit.WithBaseURL(e.srv.URL))
	require.NoError(t, err)
	_, err = wrong.Send(ctx, msg)
	require.ErrorIs(t, err, partnerkit.ErrUnauthorized)
	require.Contains(t, err.Error(), "Can't access from this IP")
	require.NotContains(t, err.Error(), "wrong-password")
}

func TestTheFakeIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			email := "c" + string(rune('a'+i)) + "@example.com"
			id, key := e.fake.ConnectShop(email, "0901234567", "Concurrent")
			shop, err := e.c.ForShop(key)
			if err == nil {
				var cur *etelecom.Shop
				cur, err = shop.Shops.Current(ctx)
				if err == nil && string(cur.ID) != id {
					err = errors.New("wrong shop")
				}
			}
			if err == nil {
				_, ok := e.fake.EndCall(id, etelecomtest.Call{})
				if !ok {
					err = errors.New("no shop")
				}
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}
