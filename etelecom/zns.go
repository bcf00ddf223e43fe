package etelecom

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Methods of Zalo notifications (service Zalo). SendZNS and SendZNSTxn
// take a shop's key on the Partner API; which key SendZNSJourney takes is
// not in eTelecom's pages. Each is a send.
var (
	sendZNS            = Method{Service: ServiceZalo, Name: "SendZNS", Key: ShopKey}
	sendZNSJourney     = Method{Service: ServiceZalo, Name: "SendZNSJourney", Key: AnyKey}
	sendZNSTransaction = Method{Service: ServiceZalo, Name: "SendZNSTxn", Key: ShopKey}
)

// ZNS sending modes and delivery statuses.
const (
	// ModeDevelopment sends only to the OA's administrators.
	ModeDevelopment = "development"

	SendingModeDefault = "default"
	// SendingModeTag3 sends over the limit (whitelisted OAs only).
	SendingModeTag3 = "tag3"

	DeliveryReceived = "received"
	DeliverySeen     = "seen"

	// Kinds of ZNS messages (ZNSMessage.Type, MessageListParams.MsgType).
	MessageTemplate = "template"
	MessageJourney  = "journey"
	// MessageUID is a message sent to a Zalo user ID (a consulting or
	// transaction message); a list filter only.
	MessageUID = "uid"
)

// ZNSService sends Zalo notifications (ZNS). Use it on a client from
// ForShop.
type ZNSService struct {
	c *Client
}

// ZNSSendParams describe a Zalo notification to send from a template.
type ZNSSendParams struct {
	// OAID is the Official Account that sends; required.
	OAID partnerkit.ID `json:"oa_id"`
	// Phone is the recipient's phone number; required.
	Phone string `json:"phone"`
	// TemplateID is the approved ZNS template (Template.TemplateID), a
	// positive integer (sent as a JSON number); required.
	TemplateID partnerkit.ID `json:"template_id"`
	// TemplateData fills the template's parameters; required.
	TemplateData map[string]any `json:"template_data"`
	// TrackingID is the partner's own key for the message, for
	// reconciliation.
	TrackingID string `json:"tracking_id,omitempty"`
	// Mode is ModeDevelopment or empty.
	Mode string `json:"mode,omitempty"`
	// SendingMode is SendingModeDefault, SendingModeTag3 or empty.
	SendingMode string `json:"sending_mode,omitempty"`

	// RetryWithTrackingID lets the client send the message again after a
	// failure that may have reached eTelecom (a timeout, an unavailable
	// answer). Opt in only when your side deduplicates by TrackingID, which
	// is then required: otherwise the recipient may get the notification
	// twice.
	RetryWithTrackingID bool `json:"-"`
}

// ZNSMessage is a Zalo notification, as SendZNS answers it and a
// zl_oa_message webhook event carries it. Raw holds it exactly as
// received.
type ZNSMessage struct {
	ID partnerkit.ID `json:"id"`
	// MsgID is Zalo's ID of the message (Messages.Get).
	MsgID      partnerkit.ID `json:"msg_id"`
	OAID       partnerkit.ID `json:"oa_id"`
	ShopID     partnerkit.ID `json:"shop_id"`
	UserID     partnerkit.ID `json:"user_id"`
	ZaloUserID partnerkit.ID `json:"zl_user_id"`
	Phone      string        `json:"phone"`
	// Type is MessageTemplate or MessageJourney.
	Type string `json:"type"`
	// MsgType and Price are what SendZNSJourney's curl example answers
	// (msg_type "journey" and the price), where its OpenAPI schema answers
	// this message with Type and FeeMain: both are read.
	MsgType      string         `json:"msg_type"`
	Price        partnerkit.Int `json:"price"`
	TemplateID   partnerkit.ID  `json:"template_id"`
	TemplateData map[string]any `json:"template_data"`
	TrackingID   string         `json:"tracking_id"`
	CampaignID   partnerkit.ID  `json:"campaign_id"`
	JourneyID    partnerkit.ID  `json:"journey_id"`
	// SendingMode is SendingModeDefault or SendingModeTag3.
	SendingMode   string `json:"sending_mode"`
	IsDevelopment bool   `json:"is_development"`
	// DeliveryStatus is DeliveryReceived, DeliverySeen or another value as
	// sent.
	DeliveryStatus string `json:"delivery_status"`
	// Status is StatusNew, StatusEnabled (sent) or StatusDisabled (failed).
	Status       string            `json:"status"`
	ErrorCode    partnerkit.Int    `json:"error_code"`
	ErrorMessage string            `json:"error_message"`
	FeeMain      partnerkit.Int    `json:"fee_main"`
	FeeToken     partnerkit.Int    `json:"fee_token"`
	IsCharged    bool              `json:"is_charged"`
	Rate         partnerkit.Int    `json:"rate"`
	Timeout      partnerkit.Int    `json:"timeout"`
	Feedback     []json.RawMessage `json:"feedback"`
	Note         string            `json:"note"`
	// EnableSMSOnZNSFailure and SMS describe the SMS sent when the ZNS
	// failed, in the newest answers.
	EnableSMSOnZNSFailure bool                 `json:"enable_sms_on_zns_failure"`
	SMS                   *ZNSFallbackSMS      `json:"sms"`
	ResponseData          string               `json:"response_data"`
	RequestTime           partnerkit.Timestamp `json:"request_time"`
	SubmitTime            partnerkit.Timestamp `json:"submit_time"`
	SentTime              partnerkit.Timestamp `json:"sent_time"`
	DeliveryTime          partnerkit.Timestamp `json:"delivery_time"`
	CreatedAt             partnerkit.Timestamp `json:"created_at"`
	UpdatedAt             partnerkit.Timestamp `json:"updated_at"`

	Raw json.RawMessage `json:"-"`
}

// ZNSFallbackSMS is the SMS eTelecom sent for a ZNS that failed.
type ZNSFallbackSMS struct {
	Brandname         string               `json:"brandname"`
	Code              string               `json:"code"`
	Description       string               `json:"description"`
	Message           string               `json:"message"`
	Status            string               `json:"status"`
	StatusDescription string               `json:"status_description"`
	Unicode           bool                 `json:"unicode"`
	RequestTime       partnerkit.Timestamp `json:"request_time"`
	SendTime          partnerkit.Timestamp `json:"send_time"`
}

// Send sends a Zalo notification (Zalo/SendZNS, shop key). It is not sent
// again once it may have reached eTelecom, unless params.RetryWithTrackingID
// says so (a rate-limit refusal with a Retry-After is always waited out
// and retried, since eTelecom did not act on it).
func (s *ZNSService) Send(ctx context.Context, params *ZNSSendParams) (*ZNSMessage, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		checkID(&v, "OAID", params.OAID)
		v.Phone("Phone", params.Phone)
		checkID(&v, "TemplateID", params.TemplateID)
		v.Check(len(params.TemplateData) > 0, "TemplateData", "is required (the template's parameters)")
		v.Check(!params.RetryWithTrackingID || params.TrackingID != "", "TrackingID", "is required when RetryWithTrackingID is set")
		v.Check(params.Mode == "" || params.Mode == ModeDevelopment, "Mode", "must be development or empty")
		switch params.SendingMode {
		case "", SendingModeDefault, SendingModeTag3:
		default:
			v.Check(false, "SendingMode", "must be default, tag3 or empty")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	m := sendZNS
	m.Idempotent = params.RetryWithTrackingID
	type plain ZNSSendParams
	body := struct {
		*plain
		TemplateID int64 `json:"template_id"`
	}{(*plain)(params), number(params.TemplateID)}
	return call[ZNSMessage](ctx, s.c, m, body)
}

// ZNSSendJourneyParams describe a Zalo notification sent with a journey
// token (Journeys.Create), which bills a journey's messages at the token's
// price.
type ZNSSendJourneyParams struct {
	// OAID is the Official Account that sends; required.
	OAID partnerkit.ID `json:"oa_id"`
	// JourneyID is the journey (Journey.JourneyID); required.
	JourneyID partnerkit.ID `json:"journey_id"`
	// Phone is the recipient's phone number, the journey's; required.
	Phone string `json:"phone"`
	// TemplateID is the approved ZNS template (Template.TemplateID), a
	// positive integer (sent as a JSON number); required.
	TemplateID partnerkit.ID `json:"template_id"`
	// TemplateData fills the template's parameters; required.
	TemplateData map[string]any `json:"template_data"`
	// TrackingID is the partner's own key for the message, for
	// reconciliation.
	TrackingID string `json:"tracking_id,omitempty"`

	// RetryWithTrackingID lets the client send the message again after a
	// failure that may have reached eTelecom, as ZNSSendParams's does:
	// opt in only when your side deduplicates by TrackingID, which is then
	// required.
	RetryWithTrackingID bool `json:"-"`
}

// SendJourney sends a Zalo notification with a journey token
// (Zalo/SendZNSJourney; which key it takes is not documented). Its page
// answers in two shapes: the OpenAPI schema with the ZNSMessage of SendZNS
// (type, fee_main), the curl example with msg_type "journey" and price;
// ZNSMessage reads both. It is not sent again once it may have reached
// eTelecom, unless params.RetryWithTrackingID says so.
func (s *ZNSService) SendJourney(ctx context.Context, params *ZNSSendJourneyParams) (*ZNSMessage, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		checkID(&v, "OAID", params.OAID)
		v.Required("JourneyID", string(params.JourneyID))
		v.Phone("Phone", params.Phone)
		checkID(&v, "TemplateID", params.TemplateID)
		v.Check(len(params.TemplateData) > 0, "TemplateData", "is required (the template's parameters)")
		v.Check(!params.RetryWithTrackingID || params.TrackingID != "", "TrackingID", "is required when RetryWithTrackingID is set")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	m := sendZNSJourney
	m.Idempotent = params.RetryWithTrackingID
	type plain ZNSSendJourneyParams
	body := struct {
		*plain
		TemplateID int64 `json:"template_id"`
	}{(*plain)(params), number(params.TemplateID)}
	return call[ZNSMessage](ctx, s.c, m, body)
}

// Types of the buttons of a transaction message.
const (
	// ButtonOpenURL opens Payload.URL in Zalo.
	ButtonOpenURL = "oa.open.url"
	// ButtonQueryShow sends Payload.Content to the OA as the user's
	// message, shown in the chat.
	ButtonQueryShow = "oa.query.show"
	// ButtonQueryHide sends Payload.Content to the OA as the user's
	// message, hidden from the chat.
	ButtonQueryHide = "oa.query.hide"
	// ButtonOpenSMS opens an SMS to Payload.PhoneCode with Payload.Content.
	ButtonOpenSMS = "oa.open.sms"
)

// ZNSSendTransactionParams describe a transaction message: an Official
// Account's message to a Zalo user (ZaloUserID, from Followers) about an
// order or an account, made of a banner, a header, a text, a table and up
// to 4 buttons.
type ZNSSendTransactionParams struct {
	// OAID is the Official Account that sends; required.
	OAID partnerkit.ID
	// ZaloUserID is the recipient (sent as recipient.user_id); required.
	ZaloUserID partnerkit.ID
	// TemplateType is Zalo's kind of transaction message. eTelecom's pages
	// do not list its values, so it is sent as given.
	TemplateType string
	// Language is the language of the message's fixed texts. eTelecom's
	// pages do not list its values (the English page's "WE" and "IN" read
	// as a machine translation), so it is sent as given.
	Language string
	Banner   *TransactionBanner
	Header   *TransactionText
	Text     *TransactionText
	Table    []TransactionRow
	// Buttons are at most 4.
	Buttons []TransactionButton
}

// TransactionBanner is the image at the top of a transaction message: an
// uploaded image's AttachmentID or an ImageURL.
type TransactionBanner struct {
	AttachmentID partnerkit.ID `json:"attachment_id,omitempty"`
	ImageURL     string        `json:"image_url,omitempty"`
}

// TransactionText is a header or a paragraph of a transaction message.
type TransactionText struct {
	Content string `json:"content"`
	// Align is "left", "center" or "right", as Zalo names them.
	Align string `json:"align,omitempty"`
}

// TransactionRow is a row of a transaction message's table.
type TransactionRow struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	// Style colors the value, such as "yellow", as Zalo names it.
	Style string `json:"style,omitempty"`
}

// TransactionButton is a button of a transaction message.
type TransactionButton struct {
	// Title is required, at most 100 characters (eTelecom's page says 35
	// in one place and 100 in another; Zalo shows about 35).
	Title string `json:"title"`
	// Type is one of the Button constants, or another type Zalo defines;
	// required.
	Type    string                   `json:"type"`
	Payload TransactionButtonPayload `json:"payload"`
	// ImageIcon is an icon's address, an uploaded image's attachment ID,
	// or empty (or "default") for Zalo's icon.
	ImageIcon string `json:"image_icon,omitempty"`
}

// TransactionButtonPayload is what a button does: URL for ButtonOpenURL,
// Content (at most 1000 characters) for the query buttons, PhoneCode and
// Content for ButtonOpenSMS.
type TransactionButtonPayload struct {
	URL       string `json:"url,omitempty"`
	Content   string `json:"content,omitempty"`
	PhoneCode string `json:"phone_code,omitempty"`
}

// TransactionMessage is the answer of SendZNSTxn: the sent message's ID.
// Raw holds it exactly as received.
type TransactionMessage struct {
	// MessageID is Zalo's ID of the message.
	MessageID partnerkit.ID `json:"message_id"`

	Raw json.RawMessage `json:"-"`
}

// SendTransaction sends a transaction message (Zalo/SendZNSTxn, shop key).
// It is not sent again once it may have reached eTelecom.
func (s *ZNSService) SendTransaction(ctx context.Context, params *ZNSSendTransactionParams) (*TransactionMessage, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		checkRecipient(&v, params.OAID, params.ZaloUserID)
		v.Check(len(params.Buttons) <= 4, "Buttons", "must be at most 4")
		for i, b := range params.Buttons {
			field := fmt.Sprintf("Buttons[%d]", i)
			if v.Required(field+".Title", b.Title) {
				checkMaxRunes(&v, field+".Title", b.Title, 100)
			}
			v.Required(field+".Type", b.Type)
			checkMaxRunes(&v, field+".Payload.Content", b.Payload.Content, 1000)
			if b.Type == ButtonOpenURL {
				v.URL(field+".Payload.URL", b.Payload.URL)
			}
		}
		for i, r := range params.Table {
			v.Required(fmt.Sprintf("Table[%d].Key", i), r.Key)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	type message struct {
		Buttons       []TransactionButton `json:"buttons,omitempty"`
		ContentBanner *TransactionBanner  `json:"content_banner,omitempty"`
		ContentHeader *TransactionText    `json:"content_header,omitempty"`
		ContentTable  []TransactionRow    `json:"content_table,omitempty"`
		ContentText   *TransactionText    `json:"content_text,omitempty"`
	}
	body := struct {
		oaMessage
		Language     string `json:"language,omitempty"`
		TemplateType string `json:"template_type,omitempty"`
	}{
		oaMessage:    consultBody(params.OAID, params.ZaloUserID, message{params.Buttons, params.Banner, params.Header, params.Table, params.Text}),
		Language:     params.Language,
		TemplateType: params.TemplateType,
	}
	return call[TransactionMessage](ctx, s.c, sendZNSTransaction, body)
}
