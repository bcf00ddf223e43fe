package etelecom

import (
	"context"
	"encoding/json"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Methods of Zalo notifications (service Zalo). SendZNS takes a shop's key
// on the Partner API.
var sendZNS = Method{Service: ServiceZalo, Name: "SendZNS", Key: ShopKey}

// ZNS sending modes and delivery statuses.
const (
	// ModeDevelopment sends only to the OA's administrators.
	ModeDevelopment = "development"

	SendingModeDefault = "default"
	// SendingModeTag3 sends over the limit (whitelisted OAs only).
	SendingModeTag3 = "tag3"

	DeliveryReceived = "received"
	DeliverySeen     = "seen"
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
	// TemplateID is the approved ZNS template; required.
	TemplateID int64 `json:"template_id"`
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
	ID         partnerkit.ID `json:"id"`
	MsgID      string        `json:"msg_id"`
	OAID       partnerkit.ID `json:"oa_id"`
	ShopID     partnerkit.ID `json:"shop_id"`
	UserID     partnerkit.ID `json:"user_id"`
	ZaloUserID partnerkit.ID `json:"zl_user_id"`
	Phone      string        `json:"phone"`
	// Type is "template" or "journey".
	Type         string         `json:"type"`
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
// again once it may have reached eTelecom, unless p.RetryWithTrackingID
// says so (a rate-limit refusal with a Retry-After is always waited out
// and retried, since eTelecom did not act on it).
func (s *ZNSService) Send(ctx context.Context, p *ZNSSendParams) (*ZNSMessage, error) {
	var v validate.Errors
	if v.NotNil("params", p != nil) {
		checkID(&v, "OAID", p.OAID)
		v.Phone("Phone", p.Phone)
		v.Positive("TemplateID", p.TemplateID)
		v.Check(len(p.TemplateData) > 0, "TemplateData", "is required (the template's parameters)")
		v.Check(!p.RetryWithTrackingID || p.TrackingID != "", "TrackingID", "is required when RetryWithTrackingID is set")
		v.Check(p.Mode == "" || p.Mode == ModeDevelopment, "Mode", "must be development or empty")
		switch p.SendingMode {
		case "", SendingModeDefault, SendingModeTag3:
		default:
			v.Check(false, "SendingMode", "must be default, tag3 or empty")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	m := sendZNS
	m.Idempotent = p.RetryWithTrackingID
	return call[ZNSMessage](ctx, s.c, m, p)
}
