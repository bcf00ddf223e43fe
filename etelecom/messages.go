package etelecom

import (
	"context"
	"iter"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Methods of sent ZNS messages (service Zalo). Each takes a shop's key on
// the Partner API.
var (
	listMessages = listing[ZNSMessage]{Method{Service: ServiceZalo, Name: "ListMessages", Key: ShopKey, ReadOnly: true}, "messages"}
	getMessage   = Method{Service: ServiceZalo, Name: "GetMessage", Key: ShopKey, ReadOnly: true}
)

// Times a message list filters on (MessageListParams.TimeType).
const (
	// TimeRequest is when the message was asked for.
	TimeRequest = "request_time"
	// TimeUpdated is when the message last changed, eTelecom's default.
	TimeUpdated = "updated_time"
	// TimeSubmit is when the message was submitted to Zalo.
	TimeSubmit = "submit_time"
)

// MessagesService reads the shop's sent ZNS messages and their delivery:
// what ZNS sends, and their later changes (DeliveryStatus, fees). Use it on
// a client from ForShop.
type MessagesService struct {
	c *Client
}

// MessageListParams filter the sent messages. All fields are optional.
type MessageListParams struct {
	OAID       partnerkit.ID
	CampaignID partnerkit.ID
	JourneyID  partnerkit.ID
	// UserID is the sender at eTelecom.
	UserID partnerkit.ID
	// MsgID is Zalo's ID of the message.
	MsgID      partnerkit.ID
	TrackingID string
	Phone      string
	// TemplateID is Zalo's ID of the template, a positive integer (sent as
	// a JSON number), or empty.
	TemplateID partnerkit.ID
	// MsgType is MessageTemplate, MessageJourney, MessageUID or empty.
	MsgType string
	// Status is StatusNew, StatusEnabled (sent), StatusDisabled (failed)
	// or empty.
	Status string
	// DeliveryStatus is DeliveryReceived, DeliverySeen or empty.
	DeliveryStatus string
	// IsCharged and IsDevelopment, when set, keep the messages that are
	// (true) or are not (false) charged, or sent in development mode.
	IsCharged     *bool
	IsDevelopment *bool
	// TimeType is the time DateFrom and DateTo bound: TimeRequest,
	// TimeUpdated (eTelecom's default) or TimeSubmit.
	TimeType string
	// DateFrom and DateTo bound the messages' time (sent as RFC 3339).
	DateFrom time.Time
	DateTo   time.Time

	// After is the cursor to continue after (a page's Next).
	After string
	// Before is the cursor to continue before (a page's Prev), to page
	// backwards; All ignores it.
	Before string
	// Limit is the page size; 0 means eTelecom's default.
	Limit int
	// Sort is the order, as eTelecom names it.
	Sort string
}

func (p *MessageListParams) body() (listBody, error) {
	if p == nil {
		return listBody{}, nil
	}
	var v validate.Errors
	checkOptionalID(&v, "OAID", p.OAID)
	checkOptionalID(&v, "CampaignID", p.CampaignID)
	checkOptionalID(&v, "UserID", p.UserID)
	checkOptionalID(&v, "TemplateID", p.TemplateID)
	checkOneOf(&v, "MsgType", p.MsgType, MessageTemplate, MessageJourney, MessageUID)
	checkOneOf(&v, "Status", p.Status, StatusNew, StatusEnabled, StatusDisabled)
	checkOneOf(&v, "DeliveryStatus", p.DeliveryStatus, DeliveryReceived, DeliverySeen)
	checkOneOf(&v, "TimeType", p.TimeType, TimeRequest, TimeUpdated, TimeSubmit)
	checkDateRange(&v, p.DateFrom, p.DateTo)
	pg := pageRequest{After: p.After, Before: p.Before, Limit: p.Limit, Sort: p.Sort}
	pg.check(&v)
	if err := v.Err(); err != nil {
		return listBody{}, err
	}
	type filter struct {
		CampaignID     partnerkit.ID `json:"campaign_id,omitempty"`
		DateFrom       string        `json:"date_from,omitempty"`
		DateTo         string        `json:"date_to,omitempty"`
		DeliveryStatus string        `json:"delivery_status,omitempty"`
		IsCharged      *bool         `json:"is_charged,omitempty"`
		IsDevelopment  *bool         `json:"is_development,omitempty"`
		JourneyID      partnerkit.ID `json:"journey_id,omitempty"`
		MsgID          partnerkit.ID `json:"msg_id,omitempty"`
		MsgType        string        `json:"msg_type,omitempty"`
		OAID           partnerkit.ID `json:"oa_id,omitempty"`
		Phone          string        `json:"phone,omitempty"`
		Status         string        `json:"status,omitempty"`
		TemplateID     int64         `json:"template_id,omitempty"`
		TimeType       string        `json:"time_type,omitempty"`
		TrackingID     string        `json:"tracking_id,omitempty"`
		UserID         partnerkit.ID `json:"user_id,omitempty"`
	}
	return newListBody(filter{
		CampaignID: p.CampaignID, DateFrom: rfc3339(p.DateFrom), DateTo: rfc3339(p.DateTo), DeliveryStatus: p.DeliveryStatus,
		IsCharged: p.IsCharged, IsDevelopment: p.IsDevelopment, JourneyID: p.JourneyID, MsgID: p.MsgID, MsgType: p.MsgType,
		OAID: p.OAID, Phone: p.Phone, Status: p.Status, TemplateID: number(p.TemplateID), TimeType: p.TimeType,
		TrackingID: p.TrackingID, UserID: p.UserID,
	}, pg), nil
}

// List returns one page of the shop's sent messages (Zalo/ListMessages,
// shop key).
func (s *MessagesService) List(ctx context.Context, params *MessageListParams) (*Page[ZNSMessage], error) {
	return listMessages.list(ctx, s.c, params)
}

// All iterates over every sent message matching params, following the cursors
// from params.After on. The caller's params are not changed.
func (s *MessagesService) All(ctx context.Context, params *MessageListParams) iter.Seq2[ZNSMessage, error] {
	return listMessages.all(ctx, s.c, params)
}

// Get returns a sent message of an Official Account by Zalo's message ID
// (ZNSMessage.MsgID) (Zalo/GetMessage, shop key). Its page's OpenAPI block
// shows the path /api/shop.Zalo/GetMessage; the call goes to the client's
// base URL like every other.
func (s *MessagesService) Get(ctx context.Context, oaID, msgID partnerkit.ID) (*ZNSMessage, error) {
	var v validate.Errors
	checkID(&v, "oaID", oaID)
	v.Required("msgID", string(msgID))
	if err := v.Err(); err != nil {
		return nil, err
	}
	body := struct {
		OAID  partnerkit.ID `json:"oa_id"`
		MsgID partnerkit.ID `json:"msg_id"`
	}{oaID, msgID}
	return call[ZNSMessage](ctx, s.c, getMessage, body)
}
