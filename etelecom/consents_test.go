package etelecom_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
)

// consentJSON is RequestConsent's example answer, its int64s as strings.
const consentJSON = `{"call_type":"video","created_at":"2025-05-21T07:00:00Z","delivery_status":"received",
"delivery_time":"2025-05-21T07:00:05Z","error_code":"0","error_message":"","expires_at":"2025-05-28T07:00:00Z",
"id":"9900000000000000001","is_charged":true,"oa_id":"4321","phone":"84901234567","reason_code":"product_service_consulting",
"reply_status":"S","shop_id":"1052570182707778180","status":"P","updated_at":"2025-05-21T07:00:05Z","user_id":"1150000000000000101"}`

func TestConsentsRequest(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Zalo", "RequestConsent", 200, consentJSON)
	c, err := h.shop(t).Consents.Request(ctx, &etelecom.ConsentRequestParams{OAID: "4321", Phone: "84901234567",
		CallType: etelecom.CallVideo, ReasonCode: etelecom.ReasonProductServiceConsulting})
	require.NoError(t, err)
	r := h.only(t, shopKey)
	require.Equal(t, "/v1/partner.Zalo/RequestConsent", r.Path)
	require.JSONEq(t, `{"oa_id":"4321","phone":"84901234567","call_type":"video","reason_code":"product_service_consulting"}`, r.Body)
	require.Equal(t, partnerkit.ID("9900000000000000001"), c.ID)
	require.Equal(t, etelecom.ReplyWaiting, c.ReplyStatus)
	require.Equal(t, etelecom.StatusEnabled, c.Status)
	require.Equal(t, etelecom.DeliveryReceived, c.DeliveryStatus)
	require.Equal(t, time.Date(2025, 5, 28, 7, 0, 0, 0, time.UTC), c.ExpiresAt.Time)
	require.JSONEq(t, consentJSON, string(c.Raw))
}

func TestConsentsCheckReadsBothErrorKeys(t *testing.T) {
	t.Parallel()
	for name, tt := range map[string]struct {
		body    string
		code    int64
		granted bool
	}{
		"granted, as the example writes it": {`{"error":0,"expired_time":"2025-05-28T07:00:00Z","message":"Success"}`, 0, true},
		"refused, as the example writes it": {`{"error":"-201","message":"user has not granted the permission"}`, -201, false},
		"refused, as the table names it":    {`{"error_code":-201,"message":"user has not granted the permission"}`, -201, false},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.on("Zalo", "CheckConsent", 200, tt.body)
			st, err := h.shop(t).Consents.Check(ctx, "4321", "84901234567")
			require.NoError(t, err)
			r := h.only(t, shopKey)
			require.Equal(t, "/v1/partner.Zalo/CheckConsent", r.Path)
			require.JSONEq(t, `{"oa_id":"4321","phone":"84901234567"}`, r.Body)
			require.Equal(t, tt.code, st.Code())
			require.Equal(t, tt.granted, st.Granted())
			require.JSONEq(t, tt.body, string(st.Raw))
		})
	}
}

func TestConsentsListAndAll(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	first := answer{200, `{"consents":[` + consentJSON + `],"paging":{"next":"c1"}}`}
	h.onSeq("Zalo", "ListRequestConsent", first, first, answer{200, `{"consents":[{"id":9900000000000000002,"reply_status":"P"}],"paging":{}}`})
	shop := h.shop(t)
	charged := true
	from := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	page, err := shop.Consents.List(ctx, &etelecom.ConsentListParams{OAID: "4321", UserID: "1150000000000000101", Phone: "84901234567",
		CallType: etelecom.CallAudio, ReasonCode: etelecom.ReasonFlightAnnouncement, ReplyStatus: etelecom.ReplyWaiting,
		Status: etelecom.StatusEnabled, IsCharged: &charged, DateFrom: from, DateTo: from.AddDate(0, 0, 7)})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	require.Equal(t, "c1", page.Next)
	reqs := h.Requests()
	require.Equal(t, "/v1/partner.Zalo/ListRequestConsent", reqs[0].Path)
	require.JSONEq(t, `{"filter":{"call_type":"audio","date_from":"2025-05-01T00:00:00Z","date_to":"2025-05-08T00:00:00Z","is_charged":true,
"oa_id":"4321","phone":"84901234567","reason_code":"flight_announcement","reply_status":"S","status":"P","user_id":"1150000000000000101"}}`, reqs[0].Body)
	var replies []string
	for c, err := range shop.Consents.All(ctx, nil) {
		require.NoError(t, err)
		replies = append(replies, c.ReplyStatus)
	}
	require.Equal(t, []string{etelecom.ReplyWaiting, etelecom.ReplyAgreed}, replies)
	require.JSONEq(t, `{"paging":{"after":"c1"}}`, h.Requests()[2].Body)
}
