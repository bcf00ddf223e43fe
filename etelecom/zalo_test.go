package etelecom_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
)

const znsJSON = `{"id":"6601","msg_id":"zmsg-1","oa_id":"4321","phone":"84901234567","template_id":"12345",
"tracking_id":"order-A-1","delivery_status":"received","status":"P","error_code":0,"error_message":"",
"fee_main":"300","is_charged":true,"sent_time":"2025-05-21T07:00:00Z"}`

func zns() *etelecom.ZNS {
	return &etelecom.ZNS{
		OAID: "4321", Phone: "84901234567", TemplateID: 12345,
		TemplateData: map[string]any{"order_code": "A-1", "amount": 150000}, TrackingID: "order-A-1",
	}
}

func TestSendZNS(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Zalo", "SendZNS", 200, znsJSON)
	shop, err := h.c.ForShop(shopKey)
	require.NoError(t, err)
	z := zns()
	z.Mode = etelecom.ModeDevelopment
	z.SendingMode = etelecom.SendingModeTag3
	m, err := shop.Zalo.SendZNS(ctx, z)
	require.NoError(t, err)
	r := h.only(t, shopKey)
	require.Equal(t, "/v1/partner.Zalo/SendZNS", r.Path)
	require.JSONEq(t, `{"oa_id":"4321","phone":"84901234567","template_id":12345,
"template_data":{"order_code":"A-1","amount":150000},"tracking_id":"order-A-1","mode":"development","sending_mode":"tag3"}`, r.Body)
	require.Equal(t, partnerkit.ID("6601"), m.ID)
	require.Equal(t, "zmsg-1", m.MsgID)
	require.Equal(t, partnerkit.ID("12345"), m.TemplateID)
	require.Equal(t, "order-A-1", m.TrackingID)
	require.Equal(t, etelecom.DeliveryReceived, m.DeliveryStatus)
	require.Equal(t, 300.0, m.FeeMain.Float64())
	require.True(t, m.IsCharged)
	require.Equal(t, epoch, m.SentTime.Time)
	require.JSONEq(t, znsJSON, string(m.Raw))
}

func TestSendZNSIsNeverRetriedByDefault(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.onSeq("Zalo", "SendZNS", answer{503, `{"code":"unavailable","msg":"down"}`}, answer{200, znsJSON})
	_, err := h.c.Zalo.SendZNS(ctx, zns())
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Len(t, h.Requests(), 1)
}

func TestSendZNSIsRetriedWhenTheCallerOptsIn(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.onSeq("Zalo", "SendZNS", answer{503, `{"code":"unavailable","msg":"down"}`}, answer{200, znsJSON})
	z := zns()
	z.RetryWithTrackingID = true
	m, err := h.c.Zalo.SendZNS(ctx, z)
	require.NoError(t, err)
	require.Equal(t, "order-A-1", m.TrackingID)
	reqs := h.Requests()
	require.Len(t, reqs, 2)
	require.Equal(t, reqs[0].Body, reqs[1].Body, "the same tracking_id is sent again")
	require.NotContains(t, reqs[0].Body, "RetryWithTrackingID")
}

func TestSendZNSWaitsOutA429(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	n := 0
	h.mock.RegisterResponder("POST", base+".Zalo/SendZNS", func(r *http.Request) (*http.Response, error) {
		n++
		if n == 1 {
			resp := h.record(r, 429, `{"code":"resource_exhausted","msg":"slow down"}`)
			resp.Header.Set("Retry-After", "2")
			return resp, nil
		}
		return h.record(r, 200, znsJSON), nil
	})
	_, err := h.c.Zalo.SendZNS(ctx, zns())
	require.NoError(t, err)
	require.Len(t, h.Requests(), 2, "eTelecom did not act on a 429, so it is safe to send again")
	require.Contains(t, h.clock.Sleeps(), 2*time.Second)
}

const oaJSON = `{"id":"77","oa_id":"4321","app_id":"55","name":"Example Shop OA","is_verified":true,
"daily_quota":500,"remaining_quota":"498","webhook_url":"https://partner.example.com/zalo","status":"P",
"expires_at":"2026-01-01T00:00:00Z"}`

func TestListOAAndAllOA(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.onSeq("Zalo", "ListOA",
		answer{200, `{"accounts":[` + oaJSON + `],"paging":{"next":"o1"}}`},
		answer{200, `{"accounts":[{"oa_id":"4322"}],"paging":{"next":""}}`},
		answer{200, `{"accounts":[{"oa_id":"4322"}],"paging":{"next":""}}`})
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	page, err := h.c.Zalo.ListOA(ctx, &etelecom.OAListParams{AppID: "55", OAID: "4321", Name: "Example", DateFrom: from, DateTo: from.AddDate(1, 0, 0), Paging: etelecom.Paging{Limit: 1}})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	oa := page.Items[0]
	require.Equal(t, partnerkit.ID("4321"), oa.OAID)
	require.True(t, oa.IsVerified)
	require.Equal(t, 500.0, oa.DailyQuota.Float64())
	require.Equal(t, 498.0, oa.RemainingQuota.Float64())
	require.Equal(t, "https://partner.example.com/zalo", oa.WebhookURL)
	reqs := h.Requests()
	require.Equal(t, "/v1/partner.Zalo/ListOA", reqs[0].Path)
	require.JSONEq(t, `{"filter":{"app_id":"55","oa_id":"4321","name":"Example","date_from":"2025-01-01T00:00:00Z","date_to":"2026-01-01T00:00:00Z"},"paging":{"limit":1}}`, reqs[0].Body)

	var ids []partnerkit.ID
	for oa, err := range h.c.Zalo.AllOA(ctx, nil) {
		require.NoError(t, err)
		ids = append(ids, oa.OAID)
	}
	require.Equal(t, []partnerkit.ID{"4322"}, ids)
}

func TestConnectOAAndUpdateWebhook(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Zalo", "ConnectOA", 200, oaJSON)
	h.on("Zalo", "UpdateShopOA", 200, oaJSON)
	oa, err := h.c.Zalo.ConnectOA(ctx, &etelecom.OAConnection{Code: "zalo-code-1", OAID: "4321", State: "s1"})
	require.NoError(t, err)
	require.Equal(t, "Example Shop OA", oa.Name)
	oa, err = h.c.Zalo.UpdateOAWebhook(ctx, "4321", "https://partner.example.com/zalo")
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("4321"), oa.OAID)
	reqs := h.Requests()
	require.Equal(t, "/v1/partner.Zalo/ConnectOA", reqs[0].Path)
	require.JSONEq(t, `{"code":"zalo-code-1","oa_id":"4321","state":"s1"}`, reqs[0].Body)
	require.Equal(t, "/v1/partner.Zalo/UpdateShopOA", reqs[1].Path)
	require.JSONEq(t, `{"oa_id":"4321","webhook_url":"https://partner.example.com/zalo"}`, reqs[1].Body)
}

func TestConnectOAIsNeverSentTwice(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Zalo", "ConnectOA", 502, `{"code":"unavailable","msg":"bad gateway"}`)
	_, err := h.c.Zalo.ConnectOA(ctx, &etelecom.OAConnection{Code: "zalo-code-1", OAID: "4321"})
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Len(t, h.Requests(), 1)
}
