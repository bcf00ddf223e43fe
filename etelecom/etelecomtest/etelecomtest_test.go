package etelecomtest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	a, err := e.c.Shops.Authorize(ctx, &etelecom.ShopSignup{Email: email, Phone: "0901234567", Name: "Shop " + email, RedirectURL: callback})
	require.NoError(t, err)
	require.True(t, a.NeedsLogin())
	require.Equal(t, 15*time.Minute, a.ExpiresIn)
	loc := login(t, a.AuthURL)
	require.True(t, strings.HasPrefix(loc.String(), callback+"?"))
	rd, err := etelecom.ParseRedirect(loc)
	require.NoError(t, err)
	a, err = e.c.Shops.Reauthorize(ctx, rd.ShopID, callback)
	require.NoError(t, err)
	require.False(t, a.NeedsLogin())
	shop, err := e.c.ForShop(a.ShopKey)
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
	answered, err := shop.CallLogs.List(ctx, &etelecom.CallLogParams{CallState: etelecom.CallAnswered})
	require.NoError(t, err)
	require.Len(t, answered.Items, 2)

	oas, err := shop.Zalo.ListOA(ctx, nil)
	require.NoError(t, err)
	require.Len(t, oas.Items, 1)
	msg, err := shop.Zalo.SendZNS(ctx, &etelecom.ZNS{OAID: oas.Items[0].OAID, Phone: "84901234567", TemplateID: etelecomtest.TemplateID,
		TemplateData: map[string]any{"name": "An"}, TrackingID: "t-1"})
	require.NoError(t, err)
	require.Equal(t, "t-1", msg.TrackingID)
	require.Equal(t, etelecom.DeliveryReceived, msg.DeliveryStatus)
	sent := e.fake.ZNSSent()
	require.Len(t, sent, 1)
	require.Equal(t, string(shopID), sent[0].ShopID)
	require.Equal(t, map[string]any{"name": "An"}, sent[0].TemplateData)

	_, err = shop.Zalo.SendZNS(ctx, &etelecom.ZNS{OAID: oas.Items[0].OAID, Phone: "84901234567", TemplateID: 999, TemplateData: map[string]any{"a": 1}})
	require.ErrorIs(t, err, partnerkit.ErrNotFound)
	oa, err := shop.Zalo.UpdateOAWebhook(ctx, oas.Items[0].OAID, "https://partner.example.com/zalo")
	require.NoError(t, err)
	require.Equal(t, "https://partner.example.com/zalo", oa.WebhookURL)
	oa, err = shop.Zalo.ConnectOA(ctx, &etelecom.OAConnection{Code: "c", OAID: "777"})
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
	again, err := e.c.ForShop(a.ShopKey)
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
	require.Equal(t, map[string]any{"reason": "unknown shop_id"}, apiErr.Details)
}

func TestLoginLinksExpireAndWorkOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, err := e.c.Shops.Authorize(ctx, &etelecom.ShopSignup{Email: "late@example.com", Phone: "0901234567", Name: "Late", RedirectURL: callback})
	require.NoError(t, err)
	e.fake.Advance(etelecomtest.RequestLifetime)
	resp, err := http.Get(a.AuthURL)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)

	a, err = e.c.Shops.Authorize(ctx, &etelecom.ShopSignup{Email: "once@example.com", Phone: "0901234567", Name: "Once", RedirectURL: callback})
	require.NoError(t, err)
	login(t, a.AuthURL)
	resp, err = http.Get(a.AuthURL)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
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
	got, err := shop.Tenants.Get(ctx)
	require.NoError(t, err)
	require.Equal(t, tn.ID, got.ID)

	page, err := e.c.Tenants.List(ctx, &etelecom.TenantListParams{OwnerID: shopID})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)

	hl, err := e.c.Hotlines.Add(ctx, &etelecom.NewHotline{Hotline: "02873001234", Name: "Sales", Description: "Sales line", Network: etelecom.NetworkViettel, OwnerID: shopID})
	require.NoError(t, err)
	_, err = e.c.Extensions.Create(ctx, &etelecom.NewExtension{HotlineID: hl.ID, ExtensionNumber: 101})
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest, "failed_precondition: the tenant is not active")

	u, err := e.c.Tenants.Activate(ctx, &etelecom.TenantActivation{TenantID: tn.ID, HotlineID: hl.ID, OwnerID: shopID})
	require.NoError(t, err)
	require.Equal(t, 1, u.Updated)
	u, err = e.c.Tenants.Activate(ctx, &etelecom.TenantActivation{TenantID: tn.ID, HotlineID: hl.ID, OwnerID: shopID})
	require.NoError(t, err)
	require.Equal(t, 0, u.Updated)

	for n := 101; n <= 103; n++ {
		ext, err := shop.Extensions.Create(ctx, &etelecom.NewExtension{HotlineID: hl.ID, ExtensionNumber: n})
		require.NoError(t, err)
		require.NotEmpty(t, ext.ExtensionPassword)
		require.Equal(t, tn.ID, ext.TenantID)
	}
	var ids []partnerkit.ID
	for ext, err := range shop.Extensions.All(ctx, &etelecom.Paging{Limit: 2}) {
		require.NoError(t, err)
		ids = append(ids, ext.ID)
	}
	require.Len(t, ids, 3)
	u, err = shop.Extensions.AssignUser(ctx, ids[0], "7001")
	require.NoError(t, err)
	require.Equal(t, 1, u.Updated)
	u, err = shop.Extensions.RemoveUser(ctx, ids[0], "7001")
	require.NoError(t, err)
	require.Equal(t, 1, u.Updated)

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
	seen := map[partnerkit.ID]bool{}
	for l, err := range shop.CallLogs.All(ctx, nil) {
		require.NoError(t, err)
		require.False(t, seen[l.ID])
		seen[l.ID] = true
	}
	require.Len(t, seen, 250)
}

func TestFailNext(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	shop, _ := e.connect(t, "flaky@example.com")
	e.fake.FailNext(1, http.StatusServiceUnavailable, "unavailable")
	_, err := shop.Shops.Current(ctx)
	require.NoError(t, err, "a read is retried")

	oas, err := shop.Zalo.ListOA(ctx, nil)
	require.NoError(t, err)
	e.fake.FailNext(1, http.StatusServiceUnavailable, "unavailable")
	_, err = shop.Zalo.SendZNS(ctx, &etelecom.ZNS{OAID: oas.Items[0].OAID, Phone: "84901234567", TemplateID: etelecomtest.TemplateID, TemplateData: map[string]any{"a": 1}})
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Empty(t, e.fake.ZNSSent(), "a send is not retried")
}

func TestTheFakeChecksTheRPCShape(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	post := func(path, contentType, key, body string) *http.Response {
		req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	require.Equal(t, 404, post(etelecomtest.BasePath+".Misc/CurrentAccount", "", etelecomtest.APIKey, "{}").StatusCode)
	require.Equal(t, 401, post(etelecomtest.BasePath+".Misc/CurrentAccount", "application/json", "wrong", "{}").StatusCode)
	require.Equal(t, 404, post(etelecomtest.BasePath+".Misc/Nope", "application/json", etelecomtest.APIKey, "{}").StatusCode)
	require.Equal(t, 400, post(etelecomtest.BasePath+".Misc/CurrentAccount", "application/json", etelecomtest.APIKey, "[").StatusCode)
	require.Equal(t, 200, post(etelecomtest.BasePath+".Misc/CurrentAccount", "application/json", etelecomtest.APIKey, "{}").StatusCode)

	err := e.c.Call(ctx, etelecom.ServiceEtelecom, "GetDriverConfig", nil, nil)
	require.ErrorIs(t, err, partnerkit.ErrNotFound)
	var apiErr *partnerkit.Error
	require.True(t, errors.As(err, &apiErr))
	require.Equal(t, etelecom.CodeBadRoute, apiErr.Code)
}

func TestSMS(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	msg := &etelecom.SMS{Phone: "84901234567", RouteRule: "1,3", TemplateCode: etelecomtest.SMSTemplate, Params: map[string]string{"otp": "1234"}}
	r, err := e.sms.Send(ctx, msg)
	require.NoError(t, err)
	require.NotEmpty(t, r.ID)
	st, err := e.sms.Status(ctx, r.ID)
	require.NoError(t, err)
	require.Equal(t, etelecom.SMSStatusSuccess, st.Status)
	require.Equal(t, "ZNS", st.Channel)
	require.Equal(t, []etelecomtest.SMSRecord{{ID: r.ID, Phone: "84901234567", RouteRule: "1,3", TemplateCode: etelecomtest.SMSTemplate, Params: map[string]string{"otp": "1234"}}}, e.fake.SMSSent())

	tests := []struct {
		code string
		edit func(m *etelecom.SMS)
		kind error
	}{
		{etelecom.SMSBadPhone, func(m *etelecom.SMS) { m.Phone = "0901234567" }, partnerkit.ErrInvalidRequest},
		{etelecom.SMSNoRoute, func(m *etelecom.SMS) { m.RouteRule = "9" }, partnerkit.ErrInvalidRequest},
		{etelecom.SMSTemplateMissing, func(m *etelecom.SMS) { m.TemplateCode = "NOPE" }, partnerkit.ErrNotFound},
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
	require.Equal(t, etelecom.SMSOutOfMessages, apiErr.Code)

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
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}
