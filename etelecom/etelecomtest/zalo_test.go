package etelecomtest_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
	"github.com/partnerkit/partnerkit-go/etelecom/etelecomtest"
)

// TestStaffExtensionsAndTheirSIPLogins: a shop adds a staff member, gives
// them an extension, reads its SIP login and moves it to another hotline.
func TestStaffExtensionsAndTheirSIPLogins(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	shop, shopID := e.connect(t, "staff@example.com")
	tn, err := shop.Tenants.Create(ctx)
	require.NoError(t, err)
	sales, err := e.c.Hotlines.Create(ctx, &etelecom.HotlineCreateParams{Hotline: "02873001234", Name: "Sales", Description: "Sales line", OwnerID: shopID})
	require.NoError(t, err)
	care, err := e.c.Hotlines.Create(ctx, &etelecom.HotlineCreateParams{Hotline: "02873005678", Name: "Care", Description: "Care line", OwnerID: shopID})
	require.NoError(t, err)
	other, err := e.c.Hotlines.Create(ctx, &etelecom.HotlineCreateParams{Hotline: "02873009999", Name: "Other", Description: "Not attached"})
	require.NoError(t, err)
	for _, hl := range []*etelecom.Hotline{sales, care} {
		_, err = e.c.Tenants.Activate(ctx, &etelecom.TenantActivateParams{TenantID: tn.ID, HotlineID: hl.ID, OwnerID: shopID})
		require.NoError(t, err)
	}

	u, err := shop.AccountUsers.Create(ctx, &etelecom.AccountUserCreateParams{FullName: "Nguyen Van A", Phone: "0901234567", Password: "pw-0901"})
	require.NoError(t, err)
	require.Equal(t, "Nguyen Van A", u.FullName)
	require.Equal(t, partnerkit.Int(1), u.TotalShop)
	require.Contains(t, string(u.Raw), `"total_shop":"1"`, "int64s are written as strings")
	_, err = shop.AccountUsers.Create(ctx, &etelecom.AccountUserCreateParams{FullName: "Again", Phone: "0901234567", Password: "pw"})
	require.ErrorIs(t, err, partnerkit.ErrConflict)
	_, err = shop.AccountUsers.Create(ctx, &etelecom.AccountUserCreateParams{FullName: "Tran Thi B", Phone: "0907654321", Password: "pw-0907"})
	require.NoError(t, err)

	ext, err := shop.Extensions.Create(ctx, &etelecom.ExtensionCreateParams{HotlineID: sales.ID, ExtensionNumber: "101", UserID: u.ID})
	require.NoError(t, err)
	yes, no := true, false
	with, err := shop.AccountUsers.List(ctx, &etelecom.AccountUserListParams{HasExtension: &yes})
	require.NoError(t, err)
	require.Len(t, with.Items, 1)
	require.Equal(t, u.ID, with.Items[0].UserID)
	without, err := shop.AccountUsers.List(ctx, &etelecom.AccountUserListParams{HasExtension: &no})
	require.NoError(t, err)
	require.Len(t, without.Items, 1)
	require.Equal(t, "Tran Thi B", without.Items[0].FullName)
	byNumber, err := shop.AccountUsers.List(ctx, &etelecom.AccountUserListParams{ExtensionNumber: "101", UserIDs: []partnerkit.ID{u.ID}})
	require.NoError(t, err)
	require.Len(t, byNumber.Items, 1)
	var all int
	for _, err := range e.c.AccountUsers.All(ctx, &etelecom.AccountUserListParams{Limit: 1}) {
		require.NoError(t, err)
		all++
	}
	require.Equal(t, 2, all, "the partner's key lists the staff of its shops")

	info, err := shop.Extensions.GetInfo(ctx, &etelecom.ExtensionGetInfoParams{ExtensionNumber: "101", Phone: "0901234567"})
	require.NoError(t, err)
	require.Equal(t, ext.ExtensionPassword, info.ExtensionPassword)
	require.Equal(t, tn.Domain, info.TenantDomain)
	require.False(t, info.ExpiresAt.IsZero())
	_, err = shop.Extensions.GetInfo(ctx, &etelecom.ExtensionGetInfoParams{ExtensionNumber: "101", Phone: "0909999999"})
	require.ErrorIs(t, err, partnerkit.ErrNotFound)
	_, err = shop.Extensions.GetInfo(ctx, &etelecom.ExtensionGetInfoParams{ExtensionNumber: "199"})
	require.ErrorIs(t, err, partnerkit.ErrNotFound)

	up, err := shop.Extensions.UpdateHotline(ctx, &etelecom.ExtensionUpdateHotlineParams{HotlineID: care.ID, ExtensionID: ext.ID})
	require.NoError(t, err)
	require.Equal(t, partnerkit.Int(1), up.Updated)
	up, err = shop.Extensions.UpdateHotline(ctx, &etelecom.ExtensionUpdateHotlineParams{HotlineID: care.ID, UserID: u.ID})
	require.NoError(t, err)
	require.Equal(t, partnerkit.Int(0), up.Updated, "the user's extension already calls through it")
	_, err = shop.Extensions.UpdateHotline(ctx, &etelecom.ExtensionUpdateHotlineParams{HotlineID: other.ID, ExtensionID: ext.ID})
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest, "failed_precondition: the hotline is not the tenant's")
	page, err := shop.Extensions.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, care.ID, page.Items[0].HotlineID)
}

// zaloShop connects a shop and returns its client and its Official
// Account's ID.
func zaloShop(t *testing.T, e *env, email string) (*etelecom.Client, partnerkit.ID, partnerkit.ID) {
	t.Helper()
	shop, shopID := e.connect(t, email)
	oas, err := shop.OAs.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, oas.Items, 1)
	return shop, shopID, oas.Items[0].OAID
}

func TestOAAuthorizationLinks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	shop, _, oaID := zaloShop(t, e, "oa@example.com")
	a, err := shop.OAs.Authorize(ctx, &etelecom.OAAuthorizeParams{AppID: "4110000000000000001", AppSecret: "app-secret", RedirectURI: "https://partner.example.com/zalo"})
	require.NoError(t, err)
	require.Contains(t, a.URL, "app_id=4110000000000000001")
	require.Contains(t, a.URL, "redirect_uri=https%3A%2F%2Fpartner.example.com%2Fzalo")
	a, err = shop.OAs.RefreshToken(ctx, oaID)
	require.NoError(t, err)
	require.Contains(t, a.URL, "oa_id="+string(oaID))
	_, err = shop.OAs.RefreshToken(ctx, "42")
	require.ErrorIs(t, err, partnerkit.ErrNotFound)
}

// TestConsultingMessages: an OA's followers are listed and sent images,
// files, stickers, a user-information request and a transaction message,
// within the reply quota; the fake records each.
func TestConsultingMessages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	shop, shopID, oaID := zaloShop(t, e, "consult@example.com")

	var followers []etelecom.Follower
	for f, err := range shop.Followers.All(ctx, &etelecom.FollowerListParams{OAID: oaID, Limit: 1}) {
		require.NoError(t, err)
		followers = append(followers, f)
	}
	require.Len(t, followers, 2)
	require.Equal(t, partnerkit.ID(etelecomtest.FollowerZaloUserID), followers[0].ZaloUserID)
	require.Equal(t, etelecom.FollowerFollowing, followers[0].State)
	female, err := shop.Followers.List(ctx, &etelecom.FollowerListParams{Gender: etelecom.GenderFemale})
	require.NoError(t, err)
	require.Len(t, female.Items, 1)
	require.Equal(t, partnerkit.ID(etelecomtest.OtherFollowerZaloUserID), female.Items[0].ZaloUserID)

	user := partnerkit.ID(etelecomtest.FollowerZaloUserID)
	c, err := shop.Consults.SendImage(ctx, &etelecom.ConsultSendImageParams{OAID: oaID, ZaloUserID: user, ImageURL: "https://shop.example/p.png"})
	require.NoError(t, err)
	require.Equal(t, "photo", c.Type)
	require.Equal(t, etelecom.ConversationOut, c.Direction)
	require.Equal(t, etelecom.QuotaReply, c.Quota.QuotaType)
	require.Equal(t, partnerkit.Int(etelecomtest.ConsultQuota-1), c.Quota.Remain)
	require.Contains(t, string(c.Raw), `"remain":"7"`)
	_, err = shop.Consults.SendFile(ctx, &etelecom.ConsultSendFileParams{OAID: oaID, ZaloUserID: user, Token: "file-token"})
	require.NoError(t, err)
	_, err = shop.Consults.SendSticker(ctx, &etelecom.ConsultSendStickerParams{OAID: oaID, ZaloUserID: user, AttachmentID: "sticker-1"})
	require.NoError(t, err)
	u, err := shop.Consults.RequestUserInfo(ctx, &etelecom.ConsultRequestUserInfoParams{OAID: oaID, ZaloUserID: user, Title: "Example Shop"})
	require.NoError(t, err)
	require.Equal(t, partnerkit.Int(1), u.Updated)
	txn, err := shop.ZNS.SendTransaction(ctx, &etelecom.ZNSSendTransactionParams{OAID: oaID, ZaloUserID: user,
		Header: &etelecom.TransactionText{Content: "Order A-1"}, Table: []etelecom.TransactionRow{{Key: "Status", Value: "Shipping"}}})
	require.NoError(t, err)
	require.NotEmpty(t, txn.MessageID)

	sent := e.fake.ConsultsSent()
	require.Len(t, sent, 5)
	var kinds []string
	for _, r := range sent {
		require.Equal(t, string(shopID), r.ShopID)
		require.Equal(t, etelecomtest.FollowerZaloUserID, r.ZaloUserID)
		kinds = append(kinds, r.Type)
	}
	require.Equal(t, []string{"photo", "file", "sticker", "request_user_info", "transaction"}, kinds)
	require.Equal(t, string(c.MsgID), sent[0].MessageID)
	require.Equal(t, "https://shop.example/p.png", sent[0].Content["image_url"])
	require.Equal(t, string(txn.MessageID), sent[4].MessageID)

	_, err = shop.Consults.SendImage(ctx, &etelecom.ConsultSendImageParams{OAID: oaID, ZaloUserID: "7009999999999999999", AttachmentID: "a"})
	require.ErrorIs(t, err, partnerkit.ErrNotFound, "not a follower of the OA")
	for range etelecomtest.ConsultQuota - 3 {
		_, err = shop.Consults.SendSticker(ctx, &etelecom.ConsultSendStickerParams{OAID: oaID, ZaloUserID: user, AttachmentID: "sticker-1"})
		require.NoError(t, err)
	}
	_, err = shop.Consults.SendSticker(ctx, &etelecom.ConsultSendStickerParams{OAID: oaID, ZaloUserID: user, AttachmentID: "sticker-1"})
	require.ErrorIs(t, err, partnerkit.ErrRateLimited, "the reply quota is used up")
	require.Equal(t, 1+etelecomtest.ConsultQuota-3+1, e.fake.Requests("Zalo/OASendSticker"), "the refused send was sent once")
	require.Len(t, e.fake.ConsultsSent(), etelecomtest.ConsultQuota+2, "the refused sends were not recorded")
}

// TestCallingPermissions: a request waits for the user's reply; once
// granted, CheckConsent says so until the permission expires.
func TestCallingPermissions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	shop, _, oaID := zaloShop(t, e, "consent@example.com")
	c, err := shop.Consents.Request(ctx, &etelecom.ConsentRequestParams{OAID: oaID, Phone: "84901234567", CallType: etelecom.CallVideo,
		ReasonCode: etelecom.ReasonDeliveryNotification})
	require.NoError(t, err)
	require.Equal(t, etelecom.ReplyWaiting, c.ReplyStatus)
	require.Equal(t, etelecom.StatusEnabled, c.Status)
	st, err := shop.Consents.Check(ctx, oaID, "84901234567")
	require.NoError(t, err)
	require.False(t, st.Granted())

	require.True(t, e.fake.ReplyConsent(string(c.ID), true))
	st, err = shop.Consents.Check(ctx, oaID, "84901234567")
	require.NoError(t, err)
	require.True(t, st.Granted())
	require.False(t, st.ExpiredTime.IsZero())
	page, err := shop.Consents.List(ctx, &etelecom.ConsentListParams{ReplyStatus: etelecom.ReplyAgreed, CallType: etelecom.CallVideo})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	require.Equal(t, c.ID, page.Items[0].ID)
	require.Contains(t, string(page.Items[0].Raw), `"id":"`+string(c.ID)+`"`, "int64s are written as strings")

	e.fake.Advance(etelecomtest.ConsentLifetime)
	st, err = shop.Consents.Check(ctx, oaID, "84901234567")
	require.NoError(t, err)
	require.False(t, st.Granted(), "the permission expired")
	require.False(t, e.fake.ReplyConsent("0", true))
	_, err = shop.Consents.Request(ctx, &etelecom.ConsentRequestParams{OAID: "42", Phone: "84901234567", CallType: etelecom.CallAudio,
		ReasonCode: etelecom.ReasonUpdateOrder})
	require.ErrorIs(t, err, partnerkit.ErrNotFound)
}

func TestTemplates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	shop, _, oaID := zaloShop(t, e, "templates@example.com")
	tp, err := shop.Templates.Get(ctx, oaID, etelecomtest.TemplateID)
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID(etelecomtest.TemplateID), tp.TemplateID)
	require.Equal(t, etelecom.TemplateEnabled, tp.TemplateStatus)
	require.Len(t, tp.TemplateParams, 2)
	require.Equal(t, partnerkit.Int(300), tp.Price)
	require.Contains(t, string(tp.Raw), `"oa_id":"`+string(oaID)+`"`, "int64s are written as strings")

	created, err := e.c.Templates.Create(ctx, &etelecom.TemplateCreateParams{OAID: oaID, TemplateID: "200002", Type: etelecom.TemplateOTP})
	require.NoError(t, err, "the key CreateTemplate takes is not documented: the fake takes either")
	require.Equal(t, etelecom.TemplateOTP, created.Type)
	_, err = shop.Templates.Create(ctx, &etelecom.TemplateCreateParams{OAID: oaID, TemplateID: "200002"})
	require.ErrorIs(t, err, partnerkit.ErrConflict)
	_, err = shop.Templates.Get(ctx, oaID, "999")
	require.ErrorIs(t, err, partnerkit.ErrNotFound)

	otp, err := shop.Templates.List(ctx, &etelecom.TemplateListParams{Type: etelecom.TemplateOTP})
	require.NoError(t, err)
	require.Len(t, otp.Items, 1)
	var n int
	for _, err := range shop.Templates.All(ctx, &etelecom.TemplateListParams{OAID: oaID, Limit: 1}) {
		require.NoError(t, err)
		n++
	}
	require.Equal(t, 2, n)
}

// TestJourneyTokensAndTheirMessages: a journey token lets the shop send
// ZNS to its phone; the messages are listed and read, and their delivery
// reaches the partner's webhook.
func TestJourneyTokensAndTheirMessages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	shop, shopID, oaID := zaloShop(t, e, "journey@example.com")

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
	_, err = e.c.Webhooks.Create(ctx, &etelecom.WebhookCreateParams{URL: hookURL, Entities: []string{etelecom.EntityZaloMessage}})
	require.NoError(t, err)

	j, err := shop.Journeys.Create(ctx, &etelecom.JourneyCreateParams{OAID: oaID, Phone: "84901234567", TokenType: etelecom.TokenLogistics30})
	require.NoError(t, err)
	require.NotEmpty(t, j.JourneyToken)
	require.Equal(t, 30*24*time.Hour, j.Expiry().Sub(j.CreatedAt.Time))
	require.False(t, j.ExpiredAt.IsZero(), "the fake names the expiry expired_at, as the JSON examples do")
	got, err := e.c.Journeys.Get(ctx, oaID, j.JourneyID)
	require.NoError(t, err, "the key GetJourney takes is not documented: the fake takes either")
	require.Equal(t, j.ID, got.ID)
	_, err = shop.Journeys.Get(ctx, oaID, "1")
	require.ErrorIs(t, err, partnerkit.ErrNotFound)
	list, err := shop.Journeys.List(ctx, &etelecom.JourneyListParams{Phone: "84901234567"})
	require.NoError(t, err)
	require.Len(t, list.Items, 1)

	p := &etelecom.ZNSSendJourneyParams{OAID: oaID, JourneyID: j.JourneyID, Phone: "84901234567", TemplateID: etelecomtest.TemplateID,
		TemplateData: map[string]any{"order_code": "A-1"}, TrackingID: "trip-1"}
	m, err := shop.ZNS.SendJourney(ctx, p)
	require.NoError(t, err)
	require.Equal(t, etelecom.MessageJourney, m.Type)
	require.Equal(t, j.JourneyID, m.JourneyID)
	require.Equal(t, partnerkit.Int(250), m.FeeMain)
	wrong := *p
	wrong.Phone = "84909999999"
	_, err = shop.ZNS.SendJourney(ctx, &wrong)
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest, "not the journey's phone")
	_, err = shop.ZNS.Send(ctx, &etelecom.ZNSSendParams{OAID: oaID, Phone: "84901234567", TemplateID: etelecomtest.TemplateID,
		TemplateData: map[string]any{"order_code": "A-2"}, TrackingID: "order-2"})
	require.NoError(t, err)

	all, err := shop.Messages.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, all.Items, 2)
	require.Equal(t, "order-2", all.Items[0].TrackingID, "newest first")
	journeys, err := shop.Messages.List(ctx, &etelecom.MessageListParams{MsgType: etelecom.MessageJourney, JourneyID: j.JourneyID})
	require.NoError(t, err)
	require.Len(t, journeys.Items, 1)
	require.Equal(t, m.ID, journeys.Items[0].ID)
	read, err := shop.Messages.Get(ctx, oaID, m.MsgID)
	require.NoError(t, err)
	require.Equal(t, "trip-1", read.TrackingID)
	_, err = shop.Messages.Get(ctx, oaID, "zmsg-0")
	require.ErrorIs(t, err, partnerkit.ErrNotFound)

	require.True(t, e.fake.DeliverZNS(string(m.ID), etelecom.DeliveryReceived))
	mu.Lock()
	require.Len(t, events, 1, "the journey message's delivery reached the webhook")
	require.Equal(t, etelecom.EntityZaloMessage, events[0].Entity)
	require.Equal(t, etelecom.MessageJourney, events[0].Message.Type)
	require.Equal(t, j.JourneyID, events[0].Message.JourneyID)
	require.Equal(t, etelecom.DeliveryReceived, events[0].Message.DeliveryStatus)
	mu.Unlock()
	received, err := shop.Messages.List(ctx, &etelecom.MessageListParams{DeliveryStatus: etelecom.DeliveryReceived})
	require.NoError(t, err)
	require.Len(t, received.Items, 1)
	require.Equal(t, string(shopID), e.fake.ZNSSent()[0].ShopID)

	e.fake.Advance(31 * 24 * time.Hour)
	_, err = shop.ZNS.SendJourney(ctx, p)
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest, "failed_precondition: the token expired")
}

// TestZaloMethodsCheckTheirKeyAndInput: the fake refuses the partner's key
// on the shop's methods and answers invalid_argument naming the field.
func TestZaloMethodsCheckTheirKeyAndInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, shopKey := e.fake.ConnectShop("keys@example.com", "0901234567", "Keys")
	base := etelecomtest.BasePath
	for _, m := range []string{"Zalo/ListFollowers", "Zalo/OASendImage", "Zalo/CheckConsent", "Zalo/ListMessages", "Etelecom/GetExtensionInfo", "Shop/CreateAccountUser"} {
		resp := post(t, e, base+"."+m, "application/json", etelecomtest.APIKey, "{}")
		require.Equal(t, 403, resp.status, m)
	}
	for body, want := range map[string]string{
		`{"oa_id":"1","recipient":{"user_id":"2"},"message":{}}`:    `"argument":"message.attachment_id"`,
		`{"recipient":{"user_id":"2"},"message":{"image_url":"x"}}`: `"argument":"oa_id"`,
	} {
		resp := post(t, e, base+".Zalo/OASendImage", "application/json", shopKey, body)
		require.Equal(t, 400, resp.status, body)
		require.Contains(t, resp.body, want, body)
	}
	resp := post(t, e, base+".Zalo/RequestConsent", "application/json", shopKey, `{"oa_id":"1","phone":"84901234567","call_type":"phone","reason_code":"update_order"}`)
	require.Equal(t, 400, resp.status)
	require.Contains(t, resp.body, `"argument":"call_type"`)

	resp = post(t, e, base+".Zalo/ListFollowers", "application/json", shopKey, "{}")
	require.Equal(t, 200, resp.status)
	var page struct {
		Followers []map[string]any `json:"followers"`
	}
	require.NoError(t, json.Unmarshal([]byte(resp.body), &page))
	require.IsType(t, "", page.Followers[0]["id"], "int64s are written as strings")
	require.IsType(t, "", page.Followers[0]["zl_user_id"])
}
