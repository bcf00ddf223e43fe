package etelecom_test

import (
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
	h.on("Etelecom", "GetPartnerTenantList", 200, `{"tenants":[`+tenantJSON+`],"paging":{"after":"","limit":20,"next":"c2","prev":"","sort":"-created_at"}}`)
	page, err := h.c.Tenants.List(ctx, &etelecom.TenantListParams{Name: "Example", OwnerID: "2201", Paging: etelecom.Paging{Limit: 20, Sort: "-created_at"}})
	require.NoError(t, err)
	r := h.only(t, apiKey)
	require.Equal(t, "/v1/partner.Etelecom/GetPartnerTenantList", r.Path)
	require.JSONEq(t, `{"filter":{"name":"Example","owner_id":"2201"},"paging":{"limit":20,"sort":"-created_at"}}`, r.Body)
	require.True(t, page.HasMore())
	require.Equal(t, "c2", page.Paging.Next)
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
	h.on("Etelecom", "PartnerActivateTenant", 200, `{"updated":1}`)
	created, err := h.c.Tenants.Create(ctx)
	require.NoError(t, err)
	got, err := h.c.Tenants.Get(ctx)
	require.NoError(t, err)
	require.Equal(t, created.ID, got.ID)
	u, err := h.c.Tenants.Activate(ctx, &etelecom.TenantActivation{TenantID: "1103", HotlineID: "3301", OwnerID: "2201"})
	require.NoError(t, err)
	require.Equal(t, 1, u.Updated)
	reqs := h.Requests()
	require.Len(t, reqs, 3)
	require.Equal(t, "/v1/partner.Etelecom/CreateTenant", reqs[0].Path)
	require.Equal(t, "{}", reqs[0].Body)
	require.Equal(t, "/v1/partner.Etelecom/GetTenant", reqs[1].Path)
	require.Equal(t, "{}", reqs[1].Body)
	require.Equal(t, "/v1/partner.Etelecom/PartnerActivateTenant", reqs[2].Path)
	require.JSONEq(t, `{"tenant_id":"1103","hotline_id":"3301","owner_id":"2201"}`, reqs[2].Body)
}

func TestCreatesAreNeverSentTwice(t *testing.T) {
	t.Parallel()
	unavailable := `{"code":"unavailable","msg":"down"}`
	calls := map[string]func(c *etelecom.Client) error{
		"CreateTenant": func(c *etelecom.Client) error { _, err := c.Tenants.Create(ctx); return err },
		"PartnerAddHotline": func(c *etelecom.Client) error {
			_, err := c.Hotlines.Add(ctx, &etelecom.NewHotline{Hotline: "02873001234", Name: "Sales", Description: "Sales line"})
			return err
		},
		"CreateExtension": func(c *etelecom.Client) error {
			_, err := c.Extensions.Create(ctx, &etelecom.NewExtension{HotlineID: "3301", ExtensionNumber: 101})
			return err
		},
	}
	for method, call := range calls {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.on("Etelecom", method, 503, unavailable)
			require.ErrorIs(t, call(h.c), partnerkit.ErrServer)
			require.Len(t, h.Requests(), 1)
		})
	}
}

func TestReadsAndAbsoluteWritesAreRetried(t *testing.T) {
	t.Parallel()
	calls := map[string]func(c *etelecom.Client) error{
		"GetTenant":             func(c *etelecom.Client) error { _, err := c.Tenants.Get(ctx); return err },
		"GetPartnerTenantList":  func(c *etelecom.Client) error { _, err := c.Tenants.List(ctx, nil); return err },
		"GetPartnerHotlineList": func(c *etelecom.Client) error { _, err := c.Hotlines.List(ctx, nil); return err },
		"GetExtensions":         func(c *etelecom.Client) error { _, err := c.Extensions.List(ctx, nil); return err },
		"ListCallLogs":          func(c *etelecom.Client) error { _, err := c.CallLogs.List(ctx, nil); return err },
		"AssignUserToExtension": func(c *etelecom.Client) error { _, err := c.Extensions.AssignUser(ctx, "1", "2"); return err },
		"PartnerActivateTenant": func(c *etelecom.Client) error {
			_, err := c.Tenants.Activate(ctx, &etelecom.TenantActivation{TenantID: "1", HotlineID: "2", OwnerID: "3"})
			return err
		},
	}
	for method, call := range calls {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.onSeq("Etelecom", method, answer{503, `{"code":"unavailable","msg":"down"}`}, answer{200, `{}`})
			require.NoError(t, call(h.c))
			require.Len(t, h.Requests(), 2)
		})
	}
}

const hotlineJSON = `{"connection_id":"1000804010","connection_method":"direct","created_at":"2019-08-24T14:15:22Z",
"description":"Sales line","hotline":"02873001234","id":"3301","is_free_charge":true,"name":"Sales",
"network":"viettel","owner_id":"2201","status":"P","updated_at":"2019-08-24T14:15:22Z"}`

func TestHotlinesAddAndList(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "PartnerAddHotline", 200, hotlineJSON)
	h.on("Etelecom", "GetPartnerHotlineList", 200, `{"hotlines":[`+hotlineJSON+`],"paging":{"limit":1,"next":""}}`)
	hl, err := h.c.Hotlines.Add(ctx, &etelecom.NewHotline{
		Hotline: "02873001234", Name: "Sales", Description: "Sales line", IsFreeCharge: true,
		Network: etelecom.NetworkViettel, OwnerID: "2201",
	})
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("3301"), hl.ID)
	require.Equal(t, "02873001234", hl.Hotline)
	require.True(t, hl.IsFreeCharge)
	require.Equal(t, etelecom.StatusEnabled, hl.Status)
	page, err := h.c.Hotlines.List(ctx, &etelecom.Paging{Limit: 1})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	require.False(t, page.HasMore())

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
			`{}`:                       `{"hotlines":[{"id":"1"}],"paging":{"next":"a"}}`,
			`{"paging":{"after":"a"}}`: `{"hotlines":[{"id":"2"}],"paging":{"next":""}}`,
		}[h.Requests()[len(h.Requests())-1].Body]
		return jsonResponse(resp, body), nil
	})
	var ids []partnerkit.ID
	for hl, err := range h.c.Hotlines.All(ctx, nil) {
		require.NoError(t, err)
		ids = append(ids, hl.ID)
	}
	require.Equal(t, []partnerkit.ID{"1", "2"}, ids)
}

const extensionJSON = `{"id":"5501","extension_number":101,"extension_password":"sip-pass-9f8e7d6c","hotline_id":"3301",
"tenant_id":"1103","tenant_domain":"shop1103.etelecom.vn","user_id":"7001","account_id":"2201","state":"P",
"expires_at":"2026-08-24T14:15:22Z","subscription_id":"8801","created_at":"2019-08-24T14:15:22Z","updated_at":"2019-08-24T14:15:22Z"}`

func TestExtensions(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "CreateExtension", 200, extensionJSON)
	h.on("Etelecom", "GetExtensions", 200, `{"extensions":[`+extensionJSON+`],"paging":{"next":""}}`)
	h.on("Etelecom", "AssignUserToExtension", 200, `{"updated":1}`)
	h.on("Etelecom", "RemoveUserOfExtension", 200, `{"updated":0}`)
	e, err := h.c.Extensions.Create(ctx, &etelecom.NewExtension{HotlineID: "3301", ExtensionNumber: 101, UserID: "7001"})
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("5501"), e.ID)
	n, ok := e.ExtensionNumber.Int64()
	require.True(t, ok)
	require.Equal(t, int64(101), n)
	require.Equal(t, "sip-pass-9f8e7d6c", e.ExtensionPassword)
	require.Equal(t, "shop1103.etelecom.vn", e.TenantDomain)
	require.Equal(t, etelecom.StatusEnabled, e.State)
	require.Equal(t, partnerkit.ID("8801"), e.SubscriptionID)

	page, err := h.c.Extensions.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	u, err := h.c.Extensions.AssignUser(ctx, "5501", "7002")
	require.NoError(t, err)
	require.Equal(t, 1, u.Updated)
	u, err = h.c.Extensions.RemoveUser(ctx, "5501", "7002")
	require.NoError(t, err)
	require.Equal(t, 0, u.Updated)

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

const callLogJSON = `{"id":"9001","caller":"0901234567","callee":"02873001234","direction":"in","call_state":"answered",
"call_status":"P","duration":42,"started_at":"2025-05-20T09:00:00Z","ended_at":"2025-05-20T09:00:42Z",
"recording_urls":["https://rec.etelecom.vn/9001.mp3"],"call_targets":[{"add_time":"2025-05-20T09:00:00Z",
"answered_time":"2025-05-20T09:00:03Z","end_reason":"normal","ended_time":"2025-05-20T09:00:42Z","fail_code":0,
"ring_duration":3,"ring_time":"2025-05-20T09:00:00Z","status":"answered","target_number":"101","trunk_name":"viettel"}],
"extension_id":"5501","user_id":"7001","contact_id":"1","external_id":"crm-1","external_session_id":"s-1","note":"",
"created_at":"2025-05-20T09:00:42Z","updated_at":"2025-05-20T09:00:42Z","new_field":"kept"}`

func TestCallLogsListWithEveryFilter(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "ListCallLogs", 200, `{"call_logs":[`+callLogJSON+`],"paging":{"limit":100,"next":"n1"}}`)
	shop, err := h.c.ForShop(shopKey)
	require.NoError(t, err)
	from := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	page, err := shop.CallLogs.List(ctx, &etelecom.CallLogParams{
		CallNumber: "0901234567", CallState: etelecom.CallAnswered, DateFrom: from, DateTo: from.AddDate(0, 1, 0),
		Direction: etelecom.DirectionIn, Duration: &etelecom.DurationFilter{Comparison: "less_than_or_equal_to", Value: 60},
		ExtensionIDs: []partnerkit.ID{"5501", "5502"}, HotlineIDs: []partnerkit.ID{"3301"}, UserID: "7001",
		DepartmentID: "11", ExternalID: "crm-1", ExternalSessionID: "s-1",
		Paging: etelecom.Paging{After: "n0", Limit: 100, Sort: "-started_at"},
	})
	require.NoError(t, err)
	r := h.only(t, shopKey)
	require.Equal(t, "/v1/partner.Etelecom/ListCallLogs", r.Path)
	require.JSONEq(t, `{"filter":{"call_number":"0901234567","call_state":"answered","date_from":"2025-05-01T00:00:00Z",
"date_to":"2025-06-01T00:00:00Z","direction":"in","duration":{"comparison":"less_than_or_equal_to","value":60},
"extension_ids":["5501","5502"],"hotline_ids":["3301"],"user_id":"7001","department_id":"11","external_id":"crm-1",
"external_session_id":"s-1"},"paging":{"after":"n0","limit":100,"sort":"-started_at"}}`, r.Body)

	require.Len(t, page.Items, 1)
	l := page.Items[0]
	require.Equal(t, partnerkit.ID("9001"), l.ID)
	require.Equal(t, etelecom.DirectionIn, l.Direction)
	require.Equal(t, etelecom.CallAnswered, l.CallState)
	require.Equal(t, 42.0, l.Duration.Float64())
	require.Equal(t, []string{"https://rec.etelecom.vn/9001.mp3"}, l.RecordingURLs)
	require.Len(t, l.CallTargets, 1)
	require.Equal(t, "101", l.CallTargets[0].TargetNumber)
	require.Equal(t, 3.0, l.CallTargets[0].RingDuration.Float64())
	require.Equal(t, time.Date(2025, 5, 20, 9, 0, 42, 0, time.UTC), l.EndedAt.Time)
	require.Equal(t, partnerkit.ID("5501"), l.ExtensionID)
	require.Contains(t, string(l.Raw), `"new_field":"kept"`)
	require.Equal(t, "n1", page.Paging.Next)
}

func TestCallLogsKeepUnknownEnumValues(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "ListCallLogs", 200, `{"call_logs":[{"id":1,"direction":"transfer","call_state":"busy","duration":"12"}]}`)
	page, err := h.c.CallLogs.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, "{}", h.only(t, apiKey).Body)
	require.Equal(t, "transfer", page.Items[0].Direction)
	require.Equal(t, "busy", page.Items[0].CallState)
	require.Equal(t, 12.0, page.Items[0].Duration.Float64())
	require.Equal(t, partnerkit.ID("1"), page.Items[0].ID)
	require.False(t, page.HasMore(), "no paging object: last page")
}

// cursorServer answers ListCallLogs by the after cursor in the request.
func cursorServer(t *testing.T, h *harness, pages map[string]string) {
	h.mock.RegisterResponder(http.MethodPost, base+".Etelecom/ListCallLogs", func(r *http.Request) (*http.Response, error) {
		resp := h.record(r, 200, "")
		var body struct {
			Paging struct {
				After string `json:"after"`
			} `json:"paging"`
		}
		reqs := h.Requests()
		require.NoError(t, jsonUnmarshal(reqs[len(reqs)-1].Body, &body))
		page, ok := pages[body.Paging.After]
		if !ok {
			resp.StatusCode = http.StatusBadRequest
			return jsonResponse(resp, `{"code":"invalid_argument","msg":"bad cursor"}`), nil
		}
		return jsonResponse(resp, page), nil
	})
}

func TestCallLogsAllStopsOnTheLastPage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cursorServer(t, h, map[string]string{
		"":   `{"call_logs":[{"id":"1"},{"id":"2"}],"paging":{"limit":2,"next":"c1"}}`,
		"c1": `{"call_logs":[{"id":"3"},{"id":"4"}],"paging":{"after":"c1","limit":2,"next":"c2"}}`,
		"c2": `{"call_logs":[{"id":"5"}],"paging":{"after":"c2","limit":2,"next":""}}`,
	})
	params := &etelecom.CallLogParams{Direction: etelecom.DirectionOut, Paging: etelecom.Paging{Limit: 2}}
	var ids []partnerkit.ID
	for l, err := range h.c.CallLogs.All(ctx, params) {
		require.NoError(t, err)
		ids = append(ids, l.ID)
	}
	require.Equal(t, []partnerkit.ID{"1", "2", "3", "4", "5"}, ids)
	reqs := h.Requests()
	require.Len(t, reqs, 3)
	require.JSONEq(t, `{"filter":{"direction":"out"},"paging":{"limit":2}}`, reqs[0].Body)
	require.JSONEq(t, `{"filter":{"direction":"out"},"paging":{"after":"c1","limit":2}}`, reqs[1].Body)
	require.JSONEq(t, `{"filter":{"direction":"out"},"paging":{"after":"c2","limit":2}}`, reqs[2].Body)
	require.Empty(t, params.Paging.After, "the caller's params are not changed")
}

func TestCallLogsAllRefusesACursorThatDoesNotAdvance(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cursorServer(t, h, map[string]string{
		"":   `{"call_logs":[{"id":"1"}],"paging":{"next":"c1"}}`,
		"c1": `{"call_logs":[{"id":"2"}],"paging":{"next":"c1"}}`,
	})
	var ids []partnerkit.ID
	var last error
	for l, err := range h.c.CallLogs.All(ctx, nil) {
		if err != nil {
			last = err
			continue
		}
		ids = append(ids, l.ID)
	}
	require.Equal(t, []partnerkit.ID{"1", "2"}, ids)
	require.ErrorIs(t, last, partnerkit.ErrUnexpected)
	require.Len(t, h.Requests(), 2)
}

func TestCallLogsAllStopsAtTheFirstError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cursorServer(t, h, map[string]string{
		"": `{"call_logs":[{"id":"1"}],"paging":{"next":"gone"}}`,
	})
	n := 0
	for _, err := range h.c.CallLogs.All(ctx, nil) {
		n++
		if n == 2 {
			require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)
		}
	}
	require.Equal(t, 2, n)
}

func TestTenantsAll(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.onSeq("Etelecom", "GetPartnerTenantList",
		answer{200, `{"tenants":[{"id":"1"}],"paging":{"next":"t1"}}`},
		answer{200, `{"tenants":[{"id":"2"}],"paging":{}}`})
	var ids []partnerkit.ID
	for tn, err := range h.c.Tenants.All(ctx, &etelecom.TenantListParams{OwnerID: "5"}) {
		require.NoError(t, err)
		ids = append(ids, tn.ID)
	}
	require.Equal(t, []partnerkit.ID{"1", "2"}, ids)
	reqs := h.Requests()
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

func TestIntegersMayComeAsStrings(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "GetExtensions", 200, `{"extensions":[{"id":1,"extension_number":"101"}],"paging":{"limit":"20","next":"x"}}`)
	h.on("Etelecom", "AssignUserToExtension", 200, `{"updated":"1"}`)
	page, err := h.c.Extensions.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 20, page.Paging.Limit)
	require.Equal(t, "x", page.Paging.Next)
	require.Equal(t, partnerkit.Number("101"), page.Items[0].ExtensionNumber)
	u, err := h.c.Extensions.AssignUser(ctx, "1", "2")
	require.NoError(t, err)
	require.Equal(t, 1, u.Updated)
}
