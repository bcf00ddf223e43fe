package etelecom_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
)

const tenantJSON = `{"id":"1103","name":"Example Shop","domain":"shop1103.etelecom.vn","owner_id":"2201",
"connection_id":"1000804010","connection_method":"direct","status":"Z","created_at":"2019-08-24T14:15:22Z",
"updated_at":"2019-08-24T14:15:22Z"}`

func TestTenantsList(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "GetPartnerTenantList", 200, `{"tenants":[`+tenantJSON+`],"paging":{"after":"","limit":"20","next":"c2","prev":"c0","sort":"-created_at"}}`)
	page, err := h.c.Tenants.List(ctx, &etelecom.TenantListParams{Name: "Example", OwnerID: "2201", Limit: 20, Sort: "-created_at"})
	require.NoError(t, err)
	r := h.only(t, apiKey)
	require.Equal(t, "/v1/partner.Etelecom/GetPartnerTenantList", r.Path)
	require.JSONEq(t, `{"filter":{"name":"Example","owner_id":"2201"},"paging":{"limit":20,"sort":"-created_at"}}`, r.Body)
	require.True(t, page.HasMore())
	require.Equal(t, "c2", page.Next)
	require.Equal(t, "c0", page.Prev)
	require.Equal(t, 20, page.Limit, "limit as a string")
	require.Len(t, page.Items, 1)
	tn := page.Items[0]
	require.Equal(t, partnerkit.ID("1103"), tn.ID)
	require.Equal(t, "shop1103.etelecom.vn", tn.Domain)
	require.Equal(t, partnerkit.ID("2201"), tn.OwnerID)
	require.Equal(t, partnerkit.ID("1000804010"), tn.ConnectionID)
	require.Equal(t, etelecom.StatusNew, tn.Status)
	require.Equal(t, time.Date(2019, 8, 24, 14, 15, 22, 0, time.UTC), tn.CreatedAt.Time)
	require.JSONEq(t, tenantJSON, string(tn.Raw))
}

func TestTenantsListWithoutParamsSendsAnEmptyObject(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "GetPartnerTenantList", 200, `{"tenants":[],"paging":{}}`)
	page, err := h.c.Tenants.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, "{}", h.only(t, apiKey).Body)
	require.False(t, page.HasMore())
	require.Empty(t, page.Items)
}

func TestTenantsCreateGetActivate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "CreateTenant", 200, tenantJSON)
	h.on("Etelecom", "GetTenant", 200, tenantJSON)
	h.on("Etelecom", "PartnerActivateTenant", 200, `{"updated":"1"}`)
	shop := h.shop(t)
	created, err := shop.Tenants.Create(ctx)
	require.NoError(t, err)
	got, err := shop.Tenants.Current(ctx)
	require.NoError(t, err)
	require.Equal(t, created.ID, got.ID)
	u, err := h.c.Tenants.Activate(ctx, &etelecom.TenantActivateParams{TenantID: "1103", HotlineID: "3301", OwnerID: "2201"})
	require.NoError(t, err)
	require.Equal(t, partnerkit.Int(1), u.Updated)
	reqs := h.Requests()
	require.Len(t, reqs, 3)
	require.Equal(t, "/v1/partner.Etelecom/CreateTenant", reqs[0].Path)
	require.Equal(t, "{}", reqs[0].Body)
	require.Equal(t, "Bearer "+shopKey, reqs[0].Header.Get("Authorization"))
	require.Equal(t, "/v1/partner.Etelecom/GetTenant", reqs[1].Path)
	require.Equal(t, "{}", reqs[1].Body)
	require.Equal(t, "/v1/partner.Etelecom/PartnerActivateTenant", reqs[2].Path)
	require.Equal(t, "Bearer "+apiKey, reqs[2].Header.Get("Authorization"))
	require.JSONEq(t, `{"tenant_id":"1103","hotline_id":"3301","owner_id":"2201"}`, reqs[2].Body)
}

func TestCreatesAreNeverSentTwice(t *testing.T) {
	t.Parallel()
	unavailable := `{"code":"unavailable","msg":"down"}`
	calls := map[string]func(h *harness) error{
		"CreateTenant": func(h *harness) error { _, err := h.shop(t).Tenants.Create(ctx); return err },
		"PartnerAddHotline": func(h *harness) error {
			_, err := h.c.Hotlines.Create(ctx, &etelecom.HotlineCreateParams{Hotline: "02873001234", Name: "Sales", Description: "Sales line"})
			return err
		},
		"CreateExtension": func(h *harness) error {
			_, err := h.shop(t).Extensions.Create(ctx, &etelecom.ExtensionCreateParams{HotlineID: "3301", ExtensionNumber: "101"})
			return err
		},
	}
	for method, call := range calls {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.on("Etelecom", method, 503, unavailable)
			require.ErrorIs(t, call(h), partnerkit.ErrServer)
			require.Len(t, h.Requests(), 1)
		})
	}
}

func TestReadsAndAbsoluteWritesAreRetried(t *testing.T) {
	t.Parallel()
	calls := map[string]func(h *harness) error{
		"GetTenant":             func(h *harness) error { _, err := h.shop(t).Tenants.Current(ctx); return err },
		"GetPartnerTenantList":  func(h *harness) error { _, err := h.c.Tenants.List(ctx, nil); return err },
		"GetPartnerHotlineList": func(h *harness) error { _, err := h.c.Hotlines.List(ctx, nil); return err },
		"GetExtensions":         func(h *harness) error { _, err := h.c.Extensions.List(ctx, nil); return err },
		"ListCallLogs":          func(h *harness) error { _, err := h.shop(t).CallLogs.List(ctx, nil); return err },
		"AssignUserToExtension": func(h *harness) error {
			_, err := h.shop(t).Extensions.AssignUser(ctx, &etelecom.ExtensionAssignUserParams{ExtensionID: "1", UserID: "2"})
			return err
		},
		"RemoveUserOfExtension": func(h *harness) error {
			_, err := h.shop(t).Extensions.RemoveUser(ctx, &etelecom.ExtensionRemoveUserParams{ExtensionID: "1", UserID: "2"})
			return err
		},
		"PartnerActivateTenant": func(h *harness) error {
			_, err := h.c.Tenants.Activate(ctx, &etelecom.TenantActivateParams{TenantID: "1", HotlineID: "2", OwnerID: "3"})
			return err
		},
	}
	for method, call := range calls {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.onSeq("Etelecom", method, answer{503, `{"code":"unavailable","msg":"down"}`}, answer{200, `{}`})
			require.NoError(t, call(h))
			require.Len(t, h.Requests(), 2)
		})
	}
}

const hotlineJSON = `{"connection_id":"1000804010","connection_method":"direct","created_at":"2019-08-24T14:15:22Z",
"description":"Sales line","hotline":"02873001234","id":"3301","is_free_charge":true,"name":"Sales",
"network":"viettel","owner_id":"2201","status":"P","updated_at":"2019-08-24T14:15:22Z"}`

func TestHotlinesCreateAndList(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "PartnerAddHotline", 200, hotlineJSON)
	h.on("Etelecom", "GetPartnerHotlineList", 200, `{"hotlines":[`+hotlineJSON+`],"paging":{"limit":1,"next":""}}`)
	hl, err := h.c.Hotlines.Create(ctx, &etelecom.HotlineCreateParams{
		Hotline: "02873001234", Name: "Sales", Description: "Sales line", IsFreeCharge: true,
		Network: etelecom.NetworkViettel, OwnerID: "2201",
	})
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("3301"), hl.ID)
	require.Equal(t, partnerkit.ID("02873001234"), hl.Hotline)
	require.True(t, hl.IsFreeCharge)
	require.Equal(t, etelecom.StatusEnabled, hl.Status)
	require.JSONEq(t, hotlineJSON, string(hl.Raw))
	page, err := h.c.Hotlines.List(ctx, &etelecom.HotlineListParams{Limit: 1})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	require.False(t, page.HasMore())
	require.Equal(t, 1, page.Limit)

	reqs := h.Requests()
	require.Equal(t, "/v1/partner.Etelecom/PartnerAddHotline", reqs[0].Path)
	require.JSONEq(t, `{"hotline":"02873001234","name":"Sales","description":"Sales line","is_free_charge":true,"network":"viettel","owner_id":"2201"}`, reqs[0].Body)
	require.Equal(t, "/v1/partner.Etelecom/GetPartnerHotlineList", reqs[1].Path)
	require.JSONEq(t, `{"paging":{"limit":1}}`, reqs[1].Body)
}

func TestHotlinesAll(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder(http.MethodPost, base+".Etelecom/GetPartnerHotlineList", func(r *http.Request) (*http.Response, error) {
		resp := h.record(r, 200, "")
		body := map[string]string{
			`{"paging":{"limit":1}}`:             `{"hotlines":[{"id":"1"}],"paging":{"next":"a"}}`,
			`{"paging":{"after":"a","limit":1}}`: `{"hotlines":[{"id":2}],"paging":{"next":""}}`,
		}[h.Requests()[len(h.Requests())-1].Body]
		return jsonResponse(resp, body), nil
	})
	p := &etelecom.HotlineListParams{Limit: 1, Before: "z"}
	var ids []partnerkit.ID
	for hl, err := range h.c.Hotlines.All(ctx, p) {
		require.NoError(t, err)
		ids = append(ids, hl.ID)
	}
	require.Equal(t, []partnerkit.ID{"1", "2"}, ids, "All pages forwards; Before is left out")
	require.Equal(t, "z", p.Before, "the caller's params are not changed")
}

const extensionJSON = `{"id":"5501","extension_number":"101","extension_password":"sip-pass-9f8e7d6c","hotline_id":"3301",
"tenant_id":"1103","tenant_domain":"shop1103.etelecom.vn","user_id":"7001","account_id":"2201","state":"P",
"expires_at":"2026-08-24T14:15:22Z","subscription_id":"8801","created_at":"2019-08-24T14:15:22Z","updated_at":"2019-08-24T14:15:22Z"}`

func TestExtensions(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "CreateExtension", 200, extensionJSON)
	h.on("Etelecom", "GetExtensions", 200, `{"extensions":[`+extensionJSON+`],"paging":{"next":""}}`)
	h.on("Etelecom", "AssignUserToExtension", 200, `{"updated":1}`)
	h.on("Etelecom", "RemoveUserOfExtension", 200, `{"updated":"0"}`)
	shop := h.shop(t)
	e, err := shop.Extensions.Create(ctx, &etelecom.ExtensionCreateParams{HotlineID: "3301", ExtensionNumber: "101", UserID: "7001"})
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("5501"), e.ID)
	require.Equal(t, partnerkit.ID("101"), e.ExtensionNumber)
	require.Equal(t, partnerkit.Secret("sip-pass-9f8e7d6c"), e.ExtensionPassword)
	require.Equal(t, "shop1103.etelecom.vn", e.TenantDomain)
	require.Equal(t, etelecom.StatusEnabled, e.State)
	require.Equal(t, partnerkit.ID("8801"), e.SubscriptionID)

	page, err := shop.Extensions.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	out, err := json.Marshal(page.Items[0])
	require.NoError(t, err)
	require.JSONEq(t, extensionJSON, string(out), "every documented field survives, the password included")
	u, err := shop.Extensions.AssignUser(ctx, &etelecom.ExtensionAssignUserParams{ExtensionID: "5501", UserID: "7002"})
	require.NoError(t, err)
	require.Equal(t, partnerkit.Int(1), u.Updated)
	u, err = shop.Extensions.RemoveUser(ctx, &etelecom.ExtensionRemoveUserParams{ExtensionID: "5501", UserID: "7002"})
	require.NoError(t, err)
	require.Equal(t, partnerkit.Int(0), u.Updated)

	reqs := h.Requests()
	require.Len(t, reqs, 4)
	require.JSONEq(t, `{"hotline_id":"3301","extension_number":101,"user_id":"7001"}`, reqs[0].Body)
	require.Equal(t, "/v1/partner.Etelecom/GetExtensions", reqs[1].Path)
	require.Equal(t, "{}", reqs[1].Body)
	require.Equal(t, "/v1/partner.Etelecom/AssignUserToExtension", reqs[2].Path)
	require.JSONEq(t, `{"extension_id":"5501","user_id":"7002"}`, reqs[2].Body)
	require.Equal(t, "/v1/partner.Etelecom/RemoveUserOfExtension", reqs[3].Path)
	require.JSONEq(t, `{"extension_id":"5501","user_id":"7002"}`, reqs[3].Body)
	require.NotContains(t, h.logs.String(), "sip-pass-9f8e7d6c", "extension passwords are redacted from logs")
}

func TestTenantsAll(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.onSeq("Etelecom", "GetPartnerTenantList",
		answer{200, `{"tenants":[{"id":"1"}],"paging":{"next":"t1"}}`},
		answer{200, `{"tenants":[{"id":2}],"paging":{}}`})
	var ids []partnerkit.ID
	for tn, err := range h.c.Tenants.All(ctx, &etelecom.TenantListParams{OwnerID: "5"}) {
		require.NoError(t, err)
		ids = append(ids, tn.ID)
	}
	require.Equal(t, []partnerkit.ID{"1", "2"}, ids)
	reqs := h.Requests()
	require.JSONEq(t, `{"filter":{"owner_id":"5"}}`, reqs[0].Body)
	require.JSONEq(t, `{"filter":{"owner_id":"5"},"paging":{"after":"t1"}}`, reqs[1].Body)
}

func TestExtensionsAll(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.onSeq("Etelecom", "GetExtensions",
		answer{200, `{"extensions":[{"id":"1"}],"paging":{"next":"e1"}}`},
		answer{200, `{"extensions":[],"paging":{"next":"e2"}}`})
	n := 0
	for _, err := range h.c.Extensions.All(ctx, nil) {
		require.NoError(t, err)
		n++
	}
	require.Equal(t, 1, n)
	require.Len(t, h.Requests(), 2, "an empty page ends the iteration")
}

func TestIntegersMayComeAsStringsOrNumbers(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "GetExtensions", 200, `{"extensions":[{"id":1,"extension_number":101,"hotline_id":"3301"}],"paging":{"limit":"20","next":"x"}}`)
	page, err := h.c.Extensions.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 20, page.Limit)
	require.Equal(t, "x", page.Next)
	require.Equal(t, partnerkit.ID("1"), page.Items[0].ID)
	require.Equal(t, partnerkit.ID("101"), page.Items[0].ExtensionNumber)
}

// extensionInfoJSON is GetExtensionInfo's example answer.
const extensionInfoJSON = `{"expires_at":"2021-03-10T17:07:19+07:00","extension_number":"101",
"extension_password":"sip-pass-4a3b2c1d","tenant_domain":"shop1103.etelecom.vn"}`

func TestExtensionsGetInfo(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "GetExtensionInfo", 200, extensionInfoJSON)
	info, err := h.shop(t).Extensions.GetInfo(ctx, &etelecom.ExtensionGetInfoParams{ExtensionNumber: "101", Email: "a@shop.example", Phone: "0901234567"})
	require.NoError(t, err)
	r := h.only(t, shopKey)
	require.Equal(t, "/v1/partner.Etelecom/GetExtensionInfo", r.Path)
	require.JSONEq(t, `{"extension_number":"101","email":"a@shop.example","phone":"0901234567"}`, r.Body)
	require.Equal(t, partnerkit.ID("101"), info.ExtensionNumber)
	require.Equal(t, partnerkit.Secret("sip-pass-4a3b2c1d"), info.ExtensionPassword)
	require.Equal(t, "shop1103.etelecom.vn", info.TenantDomain)
	require.Equal(t, time.Date(2021, 3, 10, 10, 7, 19, 0, time.UTC), info.ExpiresAt.UTC())
	out, err := json.Marshal(info)
	require.NoError(t, err)
	require.JSONEq(t, extensionInfoJSON, string(out), "every documented field survives, the password included")
	require.NotContains(t, h.logs.String(), "sip-pass-4a3b2c1d", "SIP passwords are redacted from logs")

	h2 := newHarness(t)
	h2.on("Etelecom", "GetExtensionInfo", 200, `{"extension_number":101}`)
	info, err = h2.shop(t).Extensions.GetInfo(ctx, &etelecom.ExtensionGetInfoParams{ExtensionNumber: "101"})
	require.NoError(t, err)
	require.JSONEq(t, `{"extension_number":"101"}`, h2.only(t, shopKey).Body)
	require.Equal(t, partnerkit.ID("101"), info.ExtensionNumber, "a number decodes too")
}

func TestExtensionsUpdateHotline(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "UpdateHotlineForExtension", 200, `{"updated":"1"}`)
	shop := h.shop(t)
	u, err := shop.Extensions.UpdateHotline(ctx, &etelecom.ExtensionUpdateHotlineParams{HotlineID: "3302", ExtensionID: "5501"})
	require.NoError(t, err)
	require.Equal(t, partnerkit.Int(1), u.Updated)
	_, err = shop.Extensions.UpdateHotline(ctx, &etelecom.ExtensionUpdateHotlineParams{HotlineID: "3302", UserID: "7001"})
	require.NoError(t, err)
	reqs := h.Requests()
	require.Len(t, reqs, 2)
	require.Equal(t, "/v1/partner.Etelecom/UpdateHotlineForExtension", reqs[0].Path)
	require.Equal(t, "Bearer "+shopKey, reqs[0].Header.Get("Authorization"))
	require.JSONEq(t, `{"hotline_id":"3302","extension_id":"5501"}`, reqs[0].Body)
	require.JSONEq(t, `{"hotline_id":"3302","user_id":"7001"}`, reqs[1].Body)
}
