package etelecom_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
)

// conversationJSON is the consulting sends' example answer
// (mrZlOAConversation), its int64s and counts as strings.
const conversationJSON = `{"direction":"out","msg_id":"zmsg-c-1","oa_id":"4321",
"quota":{"expired_date":"2025-06-21","owner_id":"4321","owner_type":"OA","quota_type":"reply","remain":"7","total":"8"},
"recipient_id":"7001000000000000001","sender_id":"4321","shop_id":"1052570182707778180","type":"photo",
"user_id":"1150000000000000101","wl_partner_id":"0","zl_user_id":"7001000000000000001"}`

func TestConsultsSendImageFileSticker(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Zalo", "OASendImage", 200, conversationJSON)
	h.on("Zalo", "OASendFile", 200, `{"direction":"out","msg_id":"zmsg-c-2","oa_id":4321,"type":"file","quota":{"remain":6,"total":8}}`)
	h.on("Zalo", "OASendSticker", 200, `{"direction":"out","msg_id":"zmsg-c-3","oa_id":"4321","type":"sticker"}`)
	shop := h.shop(t)

	c, err := shop.Consults.SendImage(ctx, &etelecom.ConsultSendImageParams{OAID: "4321", ZaloUserID: "7001000000000000001",
		AttachmentID: "img-att-1", ImageURL: "https://shop.example/p.png"})
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("zmsg-c-1"), c.MsgID)
	require.Equal(t, etelecom.ConversationOut, c.Direction)
	require.Equal(t, "photo", c.Type)
	require.Equal(t, partnerkit.ID("7001000000000000001"), c.ZaloUserID)
	require.Equal(t, etelecom.QuotaReply, c.Quota.QuotaType)
	require.Equal(t, partnerkit.Int(7), c.Quota.Remain)
	require.Equal(t, partnerkit.Int(8), c.Quota.Total)
	require.Equal(t, "2025-06-21", c.Quota.ExpiredDate)
	require.JSONEq(t, conversationJSON, string(c.Raw))

	c, err = shop.Consults.SendFile(ctx, &etelecom.ConsultSendFileParams{OAID: "4321", ZaloUserID: "7001000000000000001", Token: "file-token-1"})
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("4321"), c.OAID)
	require.Equal(t, partnerkit.Int(6), c.Quota.Remain)
	c, err = shop.Consults.SendSticker(ctx, &etelecom.ConsultSendStickerParams{OAID: "4321", ZaloUserID: "7001000000000000001", AttachmentID: "sticker-42"})
	require.NoError(t, err)
	require.Nil(t, c.Quota)

	reqs := h.Requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs {
		require.Equal(t, "Bearer "+shopKey, r.Header.Get("Authorization"))
	}
	require.Equal(t, "/v1/partner.Zalo/OASendImage", reqs[0].Path)
	require.JSONEq(t, `{"oa_id":"4321","recipient":{"user_id":"7001000000000000001"},
"message":{"attachment_id":"img-att-1","image_url":"https://shop.example/p.png"}}`, reqs[0].Body)
	require.Equal(t, "/v1/partner.Zalo/OASendFile", reqs[1].Path)
	require.JSONEq(t, `{"oa_id":"4321","recipient":{"user_id":"7001000000000000001"},"message":{"token":"file-token-1"}}`, reqs[1].Body)
	require.Equal(t, "/v1/partner.Zalo/OASendSticker", reqs[2].Path)
	require.JSONEq(t, `{"oa_id":"4321","recipient":{"user_id":"7001000000000000001"},"message":{"attachment_id":"sticker-42"}}`, reqs[2].Body)
}

func TestConsultsRequestUserInfo(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Zalo", "RequestUserInfo", 200, `{"updated":1}`)
	u, err := h.shop(t).Consults.RequestUserInfo(ctx, &etelecom.ConsultRequestUserInfoParams{OAID: "4321", ZaloUserID: "7001000000000000001",
		Title: "Example Shop", Subtitle: "Share your address for delivery", ImageURL: "https://shop.example/logo.png"})
	require.NoError(t, err)
	require.Equal(t, partnerkit.Int(1), u.Updated)
	r := h.only(t, shopKey)
	require.Equal(t, "/v1/partner.Zalo/RequestUserInfo", r.Path)
	require.JSONEq(t, `{"oa_id":"4321","zl_user_id":"7001000000000000001","title":"Example Shop",
"subtitle":"Share your address for delivery","image_url":"https://shop.example/logo.png"}`, r.Body)
}
