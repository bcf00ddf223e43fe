package etelecom

import (
	"context"
	"encoding/json"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Methods of consulting messages (service Zalo). Each takes a shop's key
// on the Partner API, and each is a send.
var (
	requestUserInfo = Method{Service: ServiceZalo, Name: "RequestUserInfo", Key: ShopKey}
	sendSticker     = Method{Service: ServiceZalo, Name: "OASendSticker", Key: ShopKey}
	sendImage       = Method{Service: ServiceZalo, Name: "OASendImage", Key: ShopKey}
	sendFile        = Method{Service: ServiceZalo, Name: "OASendFile", Key: ShopKey}
)

// Directions and quota sources of consulting messages.
const (
	ConversationIn  = "in"
	ConversationOut = "out"

	// QuotaReply: the message was inside the window of 8 messages in the
	// 48 hours after the user's last message.
	QuotaReply = "reply"
	// QuotaSubscription: the free quota of the OA's service package.
	QuotaSubscription = "sub_quota"
	// QuotaPurchased: a purchased quota.
	QuotaPurchased = "purchase_quota"
	// QuotaReward: the quota of a redeem code.
	QuotaReward = "reward_quota"
)

// ConsultsService sends consulting messages: messages from an Official
// Account to a Zalo user who follows it (a Follower's ZaloUserID). Use it
// on a client from ForShop. Sends are not sent again once they may have
// reached eTelecom.
//
// Sending plain text ("Send Text Consulting") has no method name in
// eTelecom's public pages: once you know it, send it with Client.Call and
// a Method that is neither ReadOnly nor Idempotent. The attachments of
// images, files and stickers come from eTelecom's upload, which its pages
// do not document either.
type ConsultsService struct {
	c *Client
}

// Conversation is a message of an Official Account's conversation with a
// user, as the consulting sends answer it. Raw holds it exactly as
// received.
type Conversation struct {
	// MsgID is Zalo's ID of the message.
	MsgID  partnerkit.ID `json:"msg_id"`
	OAID   partnerkit.ID `json:"oa_id"`
	ShopID partnerkit.ID `json:"shop_id"`
	// UserID is the sender at eTelecom.
	UserID partnerkit.ID `json:"user_id"`
	// ZaloUserID is the Zalo user of the conversation.
	ZaloUserID  partnerkit.ID `json:"zl_user_id"`
	SenderID    partnerkit.ID `json:"sender_id"`
	RecipientID partnerkit.ID `json:"recipient_id"`
	WLPartnerID partnerkit.ID `json:"wl_partner_id"`
	// Direction is ConversationOut for a message of the OA, ConversationIn
	// for one of the user.
	Direction string `json:"direction"`
	// Type is the message's kind: "text", "photo", "file", "sticker", and
	// other values as sent.
	Type string `json:"type"`
	// Quota is the quota the message used, when eTelecom says.
	Quota *ConversationQuota `json:"quota"`

	Raw json.RawMessage `json:"-"`
}

// ConversationQuota is the consulting-message quota a message used.
type ConversationQuota struct {
	// QuotaType is QuotaReply, QuotaSubscription, QuotaPurchased or
	// QuotaReward.
	QuotaType string `json:"quota_type"`
	// Remain is how many messages the quota has left; Total its size.
	Remain partnerkit.Int `json:"remain"`
	Total  partnerkit.Int `json:"total"`
	// ExpiredDate is when the package's free quota expires, as sent.
	ExpiredDate string `json:"expired_date"`
	// OwnerID and OwnerType ("OA" or "App") are who owns the quota.
	OwnerID   partnerkit.ID `json:"owner_id"`
	OwnerType string        `json:"owner_type"`
}

// ConsultRequestUserInfoParams describe a request for a user's information
// (name, phone, address), sent as a form the user may fill in.
type ConsultRequestUserInfoParams struct {
	// OAID is the Official Account that asks; required.
	OAID partnerkit.ID `json:"oa_id"`
	// ZaloUserID is the user asked; required.
	ZaloUserID partnerkit.ID `json:"zl_user_id"`
	// Title is the form's title, at most 100 characters.
	Title string `json:"title,omitempty"`
	// Subtitle is the form's subtitle, at most 500 characters.
	Subtitle string `json:"subtitle,omitempty"`
	// ImageURL is the form's image.
	ImageURL string `json:"image_url,omitempty"`
}

// RequestUserInfo sends a user a form asking for their information
// (Zalo/RequestUserInfo, shop key); what they share arrives as the
// Follower's SharedInfo. Updated is 1 when the form was sent. It is not
// sent again once it may have reached eTelecom.
func (s *ConsultsService) RequestUserInfo(ctx context.Context, params *ConsultRequestUserInfoParams) (*Updated, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		checkID(&v, "OAID", params.OAID)
		checkID(&v, "ZaloUserID", params.ZaloUserID)
		checkMaxRunes(&v, "Title", params.Title, 100)
		checkMaxRunes(&v, "Subtitle", params.Subtitle, 500)
		if params.ImageURL != "" {
			v.URL("ImageURL", params.ImageURL)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return call[Updated](ctx, s.c, requestUserInfo, params)
}

// ConsultSendImageParams describe an image to send.
type ConsultSendImageParams struct {
	// OAID is the Official Account that sends; required.
	OAID partnerkit.ID
	// ZaloUserID is the recipient (sent as recipient.user_id); required.
	ZaloUserID partnerkit.ID
	// AttachmentID is the image's ID from eTelecom's upload. AttachmentID
	// or ImageURL is required.
	AttachmentID partnerkit.ID
	// ImageURL is the image's address.
	ImageURL string
}

// SendImage sends an image to a user (Zalo/OASendImage, shop key). It is
// not sent again once it may have reached eTelecom.
func (s *ConsultsService) SendImage(ctx context.Context, params *ConsultSendImageParams) (*Conversation, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		checkRecipient(&v, params.OAID, params.ZaloUserID)
		if params.AttachmentID == "" && params.ImageURL == "" {
			v.Check(false, "AttachmentID", "is required unless ImageURL is set")
		}
		if params.ImageURL != "" {
			v.URL("ImageURL", params.ImageURL)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	type image struct {
		AttachmentID partnerkit.ID `json:"attachment_id,omitempty"`
		ImageURL     string        `json:"image_url,omitempty"`
	}
	return call[Conversation](ctx, s.c, sendImage, consultBody(params.OAID, params.ZaloUserID, image{params.AttachmentID, params.ImageURL}))
}

// ConsultSendFileParams describe a file to send.
type ConsultSendFileParams struct {
	// OAID is the Official Account that sends; required.
	OAID partnerkit.ID
	// ZaloUserID is the recipient (sent as recipient.user_id); required.
	ZaloUserID partnerkit.ID
	// Token is the file's token from eTelecom's upload; required.
	Token string
}

// SendFile sends a file to a user (Zalo/OASendFile, shop key). It is not
// sent again once it may have reached eTelecom.
func (s *ConsultsService) SendFile(ctx context.Context, params *ConsultSendFileParams) (*Conversation, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		checkRecipient(&v, params.OAID, params.ZaloUserID)
		v.Required("Token", params.Token)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	type file struct {
		Token string `json:"token"`
	}
	return call[Conversation](ctx, s.c, sendFile, consultBody(params.OAID, params.ZaloUserID, file{params.Token}))
}

// ConsultSendStickerParams describe a sticker to send.
type ConsultSendStickerParams struct {
	// OAID is the Official Account that sends; required.
	OAID partnerkit.ID
	// ZaloUserID is the recipient (sent as recipient.user_id); required.
	ZaloUserID partnerkit.ID
	// AttachmentID is the sticker's ID; required.
	AttachmentID partnerkit.ID
}

// SendSticker sends a sticker to a user (Zalo/OASendSticker, shop key).
// eTelecom's pages name the request's fields (attachment_id, oa_id,
// user_id) without showing its JSON; it is sent in the shape of the
// image and file sends, {"oa_id", "recipient": {"user_id"}, "message":
// {"attachment_id"}}. It is not sent again once it may have reached
// eTelecom.
func (s *ConsultsService) SendSticker(ctx context.Context, params *ConsultSendStickerParams) (*Conversation, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		checkRecipient(&v, params.OAID, params.ZaloUserID)
		v.Required("AttachmentID", string(params.AttachmentID))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	type sticker struct {
		AttachmentID partnerkit.ID `json:"attachment_id"`
	}
	return call[Conversation](ctx, s.c, sendSticker, consultBody(params.OAID, params.ZaloUserID, sticker{params.AttachmentID}))
}

// checkRecipient checks the OA and the Zalo user of a message.
func checkRecipient(v *validate.Errors, oaID, zaloUserID partnerkit.ID) {
	checkID(v, "OAID", oaID)
	checkID(v, "ZaloUserID", zaloUserID)
}

// recipient is the user a message goes to.
type recipient struct {
	UserID partnerkit.ID `json:"user_id"`
}

// oaMessage is the request of an OA's message to a user:
// {"oa_id", "recipient": {"user_id"}, "message": {...}}.
type oaMessage struct {
	OAID      partnerkit.ID `json:"oa_id"`
	Recipient recipient     `json:"recipient"`
	Message   any           `json:"message"`
}

func consultBody(oaID, zaloUserID partnerkit.ID, message any) oaMessage {
	return oaMessage{OAID: oaID, Recipient: recipient{UserID: zaloUserID}, Message: message}
}
