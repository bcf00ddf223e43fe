package etelecom_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
)

func TestMessagesListAndAll(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	first := answer{200, `{"messages":[` + znsJSON + `],"paging":{"limit":"50","next":"m1"}}`}
	h.onSeq("Zalo", "ListMessages", first, first, answer{200, `{"messages":[{"id":6602,"type":"journey","journey_id":"91"}],"paging":{}}`})
	shop := h.shop(t)
	yes, no := true, false
	from := time.Date(2023, 8, 2, 14, 15, 22, 0, time.UTC)
	page, err := shop.Messages.List(ctx, &etelecom.MessageListParams{
		OAID: "4321", CampaignID: "77", JourneyID: "91", UserID: "1150000000000000101", MsgID: "zmsg-1", TrackingID: "order-A-1",
		Phone: "84901234567", TemplateID: "12345", MsgType: etelecom.MessageTemplate, Status: etelecom.StatusEnabled,
		DeliveryStatus: etelecom.DeliverySeen, IsCharged: &yes, IsDevelopment: &no, TimeType: etelecom.TimeRequest,
		DateFrom: from, DateTo: from.Add(24 * time.Hour), Limit: 50,
	})
	require.NoError(t, err)
	require.Equal(t, 50, page.Limit)
	m := page.Items[0]
	require.Equal(t, partnerkit.ID("6601"), m.ID)
	require.Equal(t, partnerkit.Int(300), m.FeeMain)
	require.JSONEq(t, znsJSON, string(m.Raw))
	reqs := h.Requests()
	require.Equal(t, "/v1/partner.Zalo/ListMessages", reqs[0].Path)
	require.Equal(t, "Bearer "+shopKey, reqs[0].Header.Get("Authorization"))
	require.JSONEq(t, `{"filter":{"campaign_id":"77","date_from":"2023-08-02T14:15:22Z","date_to":"2023-08-03T14:15:22Z",
"delivery_status":"seen","is_charged":true,"is_development":false,"journey_id":"91","msg_id":"zmsg-1","msg_type":"template",
"oa_id":"4321","phone":"84901234567","status":"P","template_id":12345,"time_type":"request_time","tracking_id":"order-A-1",
"user_id":"1150000000000000101"},"paging":{"limit":50}}`, reqs[0].Body)

	var types []string
	for m, err := range shop.Messages.All(ctx, &etelecom.MessageListParams{Limit: 50}) {
		require.NoError(t, err)
		types = append(types, m.Type)
	}
	require.Equal(t, []string{etelecom.MessageTemplate, etelecom.MessageJourney}, types)
	require.JSONEq(t, `{"paging":{"after":"m1","limit":50}}`, h.Requests()[2].Body)
}

func TestMessagesGet(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Zalo", "GetMessage", 200, `{"id":"6601","msg_id":"zmsg-1","oa_id":"4321","status":"P","response_data":"{\"error\":0}"}`)
	m, err := h.shop(t).Messages.Get(ctx, "4321", "zmsg-1")
	require.NoError(t, err)
	r := h.only(t, shopKey)
	require.Equal(t, "/v1/partner.Zalo/GetMessage", r.Path, "the client's base URL, not the OpenAPI block's /api/")
	require.JSONEq(t, `{"oa_id":"4321","msg_id":"zmsg-1"}`, r.Body)
	require.Equal(t, partnerkit.ID("zmsg-1"), m.MsgID)
	require.Equal(t, `{"error":0}`, m.ResponseData)
}
