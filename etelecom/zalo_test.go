package etelecom_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
)

// znsJSON is the document's message, with its int64s as strings.
const znsJSON = `{"id":"6601","msg_id":"zmsg-1","oa_id":"4321","shop_id":"1052570182707778180","phone":"84901234567",
"template_id":"12345","template_data":{"order_code":"A-1"},"tracking_id":"order-A-1","delivery_status":"received","status":"P",
"error_code":0,"error_message":"","fee_main":"300","fee_token":"0","is_charged":true,"is_development":false,
"sending_mode":"default","type":"template","timeout":"86400","sent_time":"2025-05-21T07:00:00Z",
"enable_sms_on_zns_failure":true,"sms":{"brandname":"ETELECOM","status":"P","unicode":false}}`

func zns() *etelecom.ZNSSendParams {
	return &etelecom.ZNSSendParams{
		OAID: "4321", Phone: "84901234567", TemplateID: "12345",
		TemplateData: map[string]any{"order_code": "A-1", "amount": 150000}, TrackingID: "order-A-1",
	}
}

func TestSendZNS(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Zalo", "SendZNS", 200, znsJSON)
	z := zns()
	z.Mode = etelecom.ModeDevelopment
	z.SendingMode = etelecom.SendingModeTag3
	m, err := h.shop(t).ZNS.Send(ctx, z)
	require.NoError(t, err)
	r := h.only(t, shopKey)
	require.Equal(t, "/v1/partner.Zalo/SendZNS", r.Path)
	require.JSONEq(t, `{"oa_id":"4321","phone":"84901234567","template_id":12345,
"template_data":{"order_code":"A-1","amount":150000},"tracking_id":"order-A-1","mode":"development","sending_mode":"tag3"}`, r.Body)
	require.Equal(t, partnerkit.ID("6601"), m.ID)
	require.Equal(t, partnerkit.ID("zmsg-1"), m.MsgID)
	require.Equal(t, partnerkit.ID("12345"), m.TemplateID)
	require.Equal(t, "order-A-1", m.TrackingID)
	require.Equal(t, etelecom.DeliveryReceived, m.DeliveryStatus)
	require.Equal(t, partnerkit.Int(300), m.FeeMain)
	require.Equal(t, partnerkit.Int(86400), m.Timeout)
	require.Equal(t, map[string]any{"order_code": "A-1"}, m.TemplateData)
	require.True(t, m.IsCharged)
	require.True(t, m.EnableSMSOnZNSFailure)
	require.Equal(t, "ETELECOM", m.SMS.Brandname)
	require.Equal(t, epoch, m.SentTime.Time)
	require.JSONEq(t, znsJSON, string(m.Raw))
}

func TestSendZNSIsNeverRetriedByDefault(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.onSeq("Zalo", "SendZNS", answer{503, `{"code":"unavailable","msg":"down"}`}, answer{200, znsJSON})
	_, err := h.shop(t).ZNS.Send(ctx, zns())
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Len(t, h.Requests(), 1)
}

func TestSendZNSIsRetriedWhenTheCallerOptsIn(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.onSeq("Zalo", "SendZNS", answer{503, `{"code":"unavailable","msg":"down"}`}, answer{200, znsJSON})
	z := zns()
	z.RetryWithTrackingID = true
	m, err := h.shop(t).ZNS.Send(ctx, z)
	require.NoError(t, err)
	require.Equal(t, "order-A-1", m.TrackingID)
	reqs := h.Requests()
	require.Len(t, reqs, 2)
	require.Equal(t, reqs[0].Body, reqs[1].Body, "the same tracking_id is sent again")
	require.NotContains(t, reqs[0].Body, "RetryWithTrackingID")
}

// oaJSON is the document's OA, its quotas as strings, its owner spelled
// as eTelecom spells it.
const oaJSON = `{"oa_id":"4321","app_id":"55","shop_id":"1052570182707778180","onwer_id":"2201","name":"Example Shop OA",
"is_verified":true,"daily_quota":"500","remaining_quota":"498","daily_quota_promotion":0,"monthly_promotion_quota":"3000",
"current_quality":"HIGH","last_week_quality":"MEDIUM","connection_method":"builtin",
"webhook_url":"https://partner.example.com/zalo","status":"P","expires_at":"2026-01-01T00:00:00Z"}`

func TestOAsListAndAll(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.onSeq("Zalo", "ListOA",
		answer{200, `{"accounts":[` + oaJSON + `],"paging":{"next":"o1"}}`},
		answer{200, `{"accounts":[{"oa_id":"4322"}],"paging":{"next":""}}`},
		answer{200, `{"accounts":[{"oa_id":4322}],"paging":{"next":""}}`})
	shop := h.shop(t)
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	page, err := shop.OAs.List(ctx, &etelecom.OAListParams{AppID: "55", OAID: "4321", Name: "Example", DateFrom: from, DateTo: from.AddDate(1, 0, 0), Limit: 1})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	oa := page.Items[0]
	require.Equal(t, partnerkit.ID("4321"), oa.OAID)
	require.Equal(t, partnerkit.ID("2201"), oa.OwnerID)
	require.True(t, oa.IsVerified)
	require.Equal(t, partnerkit.Int(500), oa.DailyQuota)
	require.Equal(t, partnerkit.Int(498), oa.RemainingQuota)
	require.Equal(t, partnerkit.Int(3000), oa.MonthlyPromotionQuota)
	require.Equal(t, "HIGH", oa.CurrentQuality)
	require.Equal(t, "https://partner.example.com/zalo", oa.WebhookURL)
	require.Equal(t, etelecom.OAConnected, oa.Status)
	reqs := h.Requests()
	require.Equal(t, "/v1/partner.Zalo/ListOA", reqs[0].Path)
	require.JSONEq(t, `{"filter":{"app_id":"55","oa_id":"4321","name":"Example","date_from":"2025-01-01T00:00:00Z","date_to":"2026-01-01T00:00:00Z"},"paging":{"limit":1}}`, reqs[0].Body)

	var ids []partnerkit.ID
	for oa, err := range shop.OAs.All(ctx, nil) {
		require.NoError(t, err)
		ids = append(ids, oa.OAID)
	}
	require.Equal(t, []partnerkit.ID{"4322"}, ids)
}

func TestOAsConnectAndUpdate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Zalo", "ConnectOA", 200, oaJSON)
	h.on("Zalo", "UpdateShopOA", 200, oaJSON)
	shop := h.shop(t)
	oa, err := shop.OAs.Connect(ctx, &etelecom.OAConnectParams{Code: "zalo-code-1", OAID: "4321", State: "1"})
	require.NoError(t, err)
	require.Equal(t, "Example Shop OA", oa.Name)
	oa, err = shop.OAs.Update(ctx, "4321", &etelecom.OAUpdateParams{WebhookURL: "https://partner.example.com/zalo"})
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("4321"), oa.OAID)
	reqs := h.Requests()
	require.Equal(t, "/v1/partner.Zalo/ConnectOA", reqs[0].Path)
	require.JSONEq(t, `{"code":"zalo-code-1","oa_id":"4321","state":"1"}`, reqs[0].Body)
	require.Equal(t, "/v1/partner.Zalo/UpdateShopOA", reqs[1].Path)
	require.JSONEq(t, `{"oa_id":"4321","webhook_url":"https://partner.example.com/zalo"}`, reqs[1].Body)
}

func TestOAsConnectIsNeverSentTwice(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Zalo", "ConnectOA", 502, `{"code":"unavailable","msg":"bad gateway"}`)
	_, err := h.shop(t).OAs.Connect(ctx, &etelecom.OAConnectParams{Code: "zalo-code-1", OAID: "4321"})
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Len(t, h.Requests(), 1)
}

func TestOAsUpdateIsRetried(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.onSeq("Zalo", "UpdateShopOA", answer{503, `{"code":"unavailable","msg":"down"}`}, answer{200, oaJSON})
	_, err := h.shop(t).OAs.Update(ctx, "4321", &etelecom.OAUpdateParams{WebhookURL: "https://partner.example.com/zalo"})
	require.NoError(t, err)
	require.Len(t, h.Requests(), 2)
}

const authLinkJSON = `{"url":"https://oauth.zaloapp.com/v4/oa/permission?app_id=4110000000000000001&redirect_uri=https%3A%2F%2Fpartner.example.com%2Fzalo%2Fcallback&state=8801"}`

func TestOAsAuthorizeAndRefreshToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Zalo", "AuthorizeOA", 200, authLinkJSON)
	h.on("Zalo", "RefreshToken", 200, authLinkJSON)
	shop := h.shop(t)
	a, err := shop.OAs.Authorize(ctx, &etelecom.OAAuthorizeParams{AppID: "4110000000000000001", AppSecret: "zalo-app-secret-9f8e", RedirectURI: "https://partner.example.com/zalo/callback"})
	require.NoError(t, err)
	require.Contains(t, a.URL, "https://oauth.zaloapp.com/v4/oa/permission?")
	require.JSONEq(t, authLinkJSON, string(a.Raw))
	a, err = shop.OAs.RefreshToken(ctx, "4321")
	require.NoError(t, err)
	require.NotEmpty(t, a.URL)

	reqs := h.Requests()
	require.Len(t, reqs, 2)
	require.Equal(t, "/v1/partner.Zalo/AuthorizeOA", reqs[0].Path)
	require.Equal(t, "Bearer "+shopKey, reqs[0].Header.Get("Authorization"))
	require.JSONEq(t, `{"app_id":"4110000000000000001","app_secret":"zalo-app-secret-9f8e","redirect_uri":"https://partner.example.com/zalo/callback"}`, reqs[0].Body)
	require.Equal(t, "/v1/partner.Zalo/RefreshToken", reqs[1].Path)
	require.JSONEq(t, `{"oa_id":"4321"}`, reqs[1].Body)
	require.NotContains(t, h.logs.String(), "zalo-app-secret-9f8e", "the app's secret stays out of the logs")
}

func TestOAsAuthorizeNeverPrintsTheSecret(t *testing.T) {
	t.Parallel()
	p := etelecom.OAAuthorizeParams{AppID: "4110000000000000001", AppSecret: "zalo-app-secret-9f8e", RedirectURI: "https://partner.example.com/zalo/callback"}
	requireHidden(t, p, "zalo-app-secret-9f8e")
	requireHidden(t, &p, "zalo-app-secret-9f8e")
	require.Contains(t, fmt.Sprintf("%+v", p), "4110000000000000001", "the other fields still print")
}

func TestOAsAuthorizeRefusesAnAnswerWithoutALink(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Zalo", "RefreshToken", 200, `{"url":""}`)
	_, err := h.shop(t).OAs.RefreshToken(ctx, "4321")
	require.ErrorIs(t, err, partnerkit.ErrUnexpected)
	require.Contains(t, err.Error(), "the answer has no authorization url")
}

// journeyZNSCurlJSON is SendZNSJourney's curl example answer: msg_type and
// price instead of the OpenAPI schema's type and fee_main.
const journeyZNSCurlJSON = `{"created_at":"2025-05-21T07:00:00Z","delivery_time":null,"id":"6602","is_charged":true,
"journey_id":"9100000000000000001","msg_id":"zmsg-2","msg_type":"journey","phone":"84901234567","price":"250",
"sent_time":"2025-05-21T07:00:00Z","template_id":"12345","timeout":"86400","tracking_id":"trip-1","updated_at":"2025-05-21T07:00:00Z"}`

// journeyZNSSchemaJSON is the OpenAPI schema's answer.
const journeyZNSSchemaJSON = `{"id":"6603","journey_id":"9100000000000000001","msg_id":"zmsg-3","oa_id":"4321","type":"journey",
"fee_main":250,"fee_token":"100","template_id":12345,"status":"P","delivery_status":"unknown"}`

func TestZNSSendJourney(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.onSeq("Zalo", "SendZNSJourney", answer{200, journeyZNSCurlJSON}, answer{200, journeyZNSSchemaJSON})
	p := &etelecom.ZNSSendJourneyParams{OAID: "4321", JourneyID: "9100000000000000001", Phone: "84901234567", TemplateID: "12345",
		TemplateData: map[string]any{"trip": "HN-SG"}, TrackingID: "trip-1"}
	m, err := h.c.ZNS.SendJourney(ctx, p)
	require.NoError(t, err, "the key SendZNSJourney takes is not documented: either key goes")
	require.Equal(t, etelecom.MessageJourney, m.MsgType)
	require.Equal(t, partnerkit.Int(250), m.Price)
	require.Equal(t, partnerkit.ID("9100000000000000001"), m.JourneyID)
	require.Equal(t, partnerkit.ID("12345"), m.TemplateID)
	require.JSONEq(t, journeyZNSCurlJSON, string(m.Raw))
	m, err = h.shop(t).ZNS.SendJourney(ctx, p)
	require.NoError(t, err)
	require.Equal(t, etelecom.MessageJourney, m.Type)
	require.Equal(t, partnerkit.Int(250), m.FeeMain)
	require.Equal(t, partnerkit.Int(100), m.FeeToken)

	reqs := h.Requests()
	require.Equal(t, "/v1/partner.Zalo/SendZNSJourney", reqs[0].Path)
	require.Equal(t, "Bearer "+apiKey, reqs[0].Header.Get("Authorization"))
	require.JSONEq(t, `{"oa_id":"4321","journey_id":"9100000000000000001","phone":"84901234567","template_id":12345,
"template_data":{"trip":"HN-SG"},"tracking_id":"trip-1"}`, reqs[0].Body)
	require.Equal(t, "Bearer "+shopKey, reqs[1].Header.Get("Authorization"))
}

func TestZNSSendJourneyIsRetriedOnlyWhenTheCallerOptsIn(t *testing.T) {
	t.Parallel()
	p := &etelecom.ZNSSendJourneyParams{OAID: "4321", JourneyID: "91", Phone: "84901234567", TemplateID: "12345",
		TemplateData: map[string]any{"trip": "HN-SG"}, TrackingID: "trip-1"}
	h := newHarness(t)
	h.onSeq("Zalo", "SendZNSJourney", answer{503, `{"code":"unavailable","msg":"down"}`}, answer{200, journeyZNSCurlJSON})
	_, err := h.shop(t).ZNS.SendJourney(ctx, p)
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Len(t, h.Requests(), 1)

	h = newHarness(t)
	h.onSeq("Zalo", "SendZNSJourney", answer{503, `{"code":"unavailable","msg":"down"}`}, answer{200, journeyZNSCurlJSON})
	q := *p
	q.RetryWithTrackingID = true
	_, err = h.shop(t).ZNS.SendJourney(ctx, &q)
	require.NoError(t, err)
	reqs := h.Requests()
	require.Len(t, reqs, 2)
	require.Equal(t, reqs[0].Body, reqs[1].Body)
}

func TestZNSSendTransaction(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Zalo", "SendZNSTxn", 200, `{"message_id":"c2a8e5b1f07d4b4a9e3c"}`)
	m, err := h.shop(t).ZNS.SendTransaction(ctx, &etelecom.ZNSSendTransactionParams{
		OAID: "4321", ZaloUserID: "7001000000000000001", TemplateType: "transaction_order", Language: "VI",
		Banner: &etelecom.TransactionBanner{AttachmentID: "banner-att-1"},
		Header: &etelecom.TransactionText{Content: "Order status", Align: "left"},
		Text:   &etelecom.TransactionText{Content: "Thank you for your order.", Align: "left"},
		Table:  []etelecom.TransactionRow{{Key: "Order", Value: "A-1001"}, {Key: "Status", Value: "Shipping", Style: "yellow"}},
		Buttons: []etelecom.TransactionButton{
			{Title: "Track", Type: etelecom.ButtonOpenURL, Payload: etelecom.TransactionButtonPayload{URL: "https://shop.example/track/A-1001"}},
			{Title: "Ask", Type: etelecom.ButtonQueryShow, Payload: etelecom.TransactionButtonPayload{Content: "#order_A-1001"}, ImageIcon: "default"},
		},
	})
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("c2a8e5b1f07d4b4a9e3c"), m.MessageID)
	r := h.only(t, shopKey)
	require.Equal(t, "/v1/partner.Zalo/SendZNSTxn", r.Path)
	require.JSONEq(t, `{"oa_id":"4321","recipient":{"user_id":"7001000000000000001"},"language":"VI","template_type":"transaction_order",
"message":{"content_banner":{"attachment_id":"banner-att-1"},"content_header":{"content":"Order status","align":"left"},
"content_text":{"content":"Thank you for your order.","align":"left"},
"content_table":[{"key":"Order","value":"A-1001"},{"key":"Status","value":"Shipping","style":"yellow"}],
"buttons":[{"title":"Track","type":"oa.open.url","payload":{"url":"https://shop.example/track/A-1001"}},
{"title":"Ask","type":"oa.query.show","payload":{"content":"#order_A-1001"},"image_icon":"default"}]}}`, r.Body)
}
