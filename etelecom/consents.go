package etelecom

import (
	"context"
	"encoding/json"
	"iter"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Methods of calling permissions (service Zalo). Each takes a shop's key on
// the Partner API. CheckConsent changes nothing, whatever its name.
var (
	requestConsent = Method{Service: ServiceZalo, Name: "RequestConsent", Key: ShopKey}
	checkConsent   = Method{Service: ServiceZalo, Name: "CheckConsent", Key: ShopKey, ReadOnly: true}
	listConsents   = listing[Consent]{Method{Service: ServiceZalo, Name: "ListRequestConsent", Key: ShopKey, ReadOnly: true}, "consents"}
)

// Call types, reasons and reply statuses of calling-permission requests.
const (
	CallAudio         = "audio"
	CallVideo         = "video"
	CallAudioAndVideo = "audio_and_video"

	ReasonProductServiceConsulting     = "product_service_consulting"
	ReasonOrderAppointmentConfirmation = "order_appointment_confirmation"
	ReasonDeliveryNotification         = "delivery_notification"
	ReasonFlightAnnouncement           = "flight_announcement"
	ReasonUpdateOrder                  = "update_order"

	// ReplyWaiting: the user has not answered yet.
	ReplyWaiting = "S"
	// ReplyNone: the user did not answer.
	ReplyNone = "NS"
	// ReplyAgreed: the user granted the permission.
	ReplyAgreed = "P"
	// ReplyRejected: the user refused.
	ReplyRejected = "N"
)

var (
	callTypes = []string{CallAudio, CallVideo, CallAudioAndVideo}
	reasons   = []string{ReasonProductServiceConsulting, ReasonOrderAppointmentConfirmation, ReasonDeliveryNotification,
		ReasonFlightAnnouncement, ReasonUpdateOrder}
)

// Consent is a request to a user for the permission to call them on Zalo
// (Zalo Call). Raw holds it exactly as received.
type Consent struct {
	ID     partnerkit.ID `json:"id"`
	OAID   partnerkit.ID `json:"oa_id"`
	ShopID partnerkit.ID `json:"shop_id"`
	// UserID is the sender at eTelecom.
	UserID partnerkit.ID `json:"user_id"`
	Phone  string        `json:"phone"`
	// CallType is CallAudio, CallVideo or CallAudioAndVideo.
	CallType string `json:"call_type"`
	// ReasonCode is one of the Reason constants.
	ReasonCode string `json:"reason_code"`
	// ReplyStatus is one of the Reply constants, or another value as sent.
	ReplyStatus string `json:"reply_status"`
	// Status is StatusEnabled when the request was sent, StatusDisabled
	// when it failed.
	Status string `json:"status"`
	// DeliveryStatus is DeliveryReceived, DeliverySeen or another value as
	// sent.
	DeliveryStatus string               `json:"delivery_status"`
	DeliveryTime   partnerkit.Timestamp `json:"delivery_time"`
	ErrorCode      partnerkit.Int       `json:"error_code"`
	ErrorMessage   string               `json:"error_message"`
	IsCharged      bool                 `json:"is_charged"`
	// ExpiresAt is when the permission expires.
	ExpiresAt partnerkit.Timestamp `json:"expires_at"`
	CreatedAt partnerkit.Timestamp `json:"created_at"`
	UpdatedAt partnerkit.Timestamp `json:"updated_at"`

	Raw json.RawMessage `json:"-"`
}

// ConsentStatus is the answer of CheckConsent: whether the user granted
// the permission, and until when. Raw holds it exactly as received.
type ConsentStatus struct {
	// Error is the answer's code, as its JSON example names it ("error");
	// ErrorCode is the same code as its table names it ("error_code").
	// Both are read; Code returns the one that is set.
	Error     partnerkit.Int `json:"error"`
	ErrorCode partnerkit.Int `json:"error_code"`
	Message   string         `json:"message"`
	// ExpiredTime is when the permission expires.
	ExpiredTime partnerkit.Timestamp `json:"expired_time"`

	Raw json.RawMessage `json:"-"`
}

// Code returns the answer's code: Error, or ErrorCode when Error is 0.
func (c *ConsentStatus) Code() int64 {
	if c.Error != 0 {
		return int64(c.Error)
	}
	return int64(c.ErrorCode)
}

// Granted reports whether the answer carries no error code, which is how
// Zalo says the user granted the permission (see ExpiredTime for how
// long).
func (c *ConsentStatus) Granted() bool {
	return c.Code() == 0
}

// ConsentsService asks users for the permission to call them on Zalo and
// reads the answers. Use it on a client from ForShop.
type ConsentsService struct {
	c *Client
}

// ConsentRequestParams describe a request for calling permission. Every
// field is required: eTelecom's page flags none, and a request means
// nothing without them.
type ConsentRequestParams struct {
	// OAID is the Official Account that will call.
	OAID partnerkit.ID `json:"oa_id"`
	// Phone is the user's phone number.
	Phone string `json:"phone"`
	// CallType is CallAudio, CallVideo or CallAudioAndVideo.
	CallType string `json:"call_type"`
	// ReasonCode is one of the Reason constants.
	ReasonCode string `json:"reason_code"`
}

// Request asks a user for the permission to call them
// (Zalo/RequestConsent, shop key); the user's reply arrives as the
// Consent's ReplyStatus (List) and through Check. It is not sent again
// once it may have reached eTelecom.
func (s *ConsentsService) Request(ctx context.Context, params *ConsentRequestParams) (*Consent, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		checkID(&v, "OAID", params.OAID)
		v.Phone("Phone", params.Phone)
		checkRequiredOneOf(&v, "CallType", params.CallType, callTypes...)
		checkRequiredOneOf(&v, "ReasonCode", params.ReasonCode, reasons...)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return call[Consent](ctx, s.c, requestConsent, params)
}

// Check reports whether the user of phone granted the Official Account the
// permission to call them (Zalo/CheckConsent, shop key). The page's JSON
// example names the answer's code "error" where its table says
// "error_code": both are read (ConsentStatus.Code). It changes nothing,
// so it is retried when that is safe.
func (s *ConsentsService) Check(ctx context.Context, oaID partnerkit.ID, phone string) (*ConsentStatus, error) {
	var v validate.Errors
	checkID(&v, "oaID", oaID)
	v.Phone("phone", phone)
	if err := v.Err(); err != nil {
		return nil, err
	}
	body := struct {
		OAID  partnerkit.ID `json:"oa_id"`
		Phone string        `json:"phone"`
	}{oaID, phone}
	return call[ConsentStatus](ctx, s.c, checkConsent, body)
}

// ConsentListParams filter the calling-permission requests. All fields are
// optional.
type ConsentListParams struct {
	OAID   partnerkit.ID
	UserID partnerkit.ID
	Phone  string
	// CallType is CallAudio, CallVideo, CallAudioAndVideo or empty.
	CallType string
	// ReasonCode is one of the Reason constants or empty.
	ReasonCode string
	// ReplyStatus is one of the Reply constants or empty.
	ReplyStatus string
	// Status is StatusEnabled (sent), StatusDisabled (failed) or empty.
	Status string
	// IsCharged, when set, keeps the charged (true) or free (false)
	// requests.
	IsCharged *bool
	// DateFrom and DateTo bound the requests' time (sent as RFC 3339).
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

func (p *ConsentListParams) body() (listBody, error) {
	if p == nil {
		return listBody{}, nil
	}
	var v validate.Errors
	checkOptionalID(&v, "OAID", p.OAID)
	checkOptionalID(&v, "UserID", p.UserID)
	checkOneOf(&v, "CallType", p.CallType, callTypes...)
	checkOneOf(&v, "ReasonCode", p.ReasonCode, reasons...)
	checkDateRange(&v, p.DateFrom, p.DateTo)
	pg := pageRequest{After: p.After, Before: p.Before, Limit: p.Limit, Sort: p.Sort}
	pg.check(&v)
	if err := v.Err(); err != nil {
		return listBody{}, err
	}
	type filter struct {
		CallType    string        `json:"call_type,omitempty"`
		DateFrom    string        `json:"date_from,omitempty"`
		DateTo      string        `json:"date_to,omitempty"`
		IsCharged   *bool         `json:"is_charged,omitempty"`
		OAID        partnerkit.ID `json:"oa_id,omitempty"`
		Phone       string        `json:"phone,omitempty"`
		ReasonCode  string        `json:"reason_code,omitempty"`
		ReplyStatus string        `json:"reply_status,omitempty"`
		Status      string        `json:"status,omitempty"`
		UserID      partnerkit.ID `json:"user_id,omitempty"`
	}
	return newListBody(filter{
		CallType: p.CallType, DateFrom: rfc3339(p.DateFrom), DateTo: rfc3339(p.DateTo), IsCharged: p.IsCharged,
		OAID: p.OAID, Phone: p.Phone, ReasonCode: p.ReasonCode, ReplyStatus: p.ReplyStatus, Status: p.Status, UserID: p.UserID,
	}, pg), nil
}

// List returns one page of the shop's calling-permission requests
// (Zalo/ListRequestConsent, shop key).
func (s *ConsentsService) List(ctx context.Context, params *ConsentListParams) (*Page[Consent], error) {
	return listConsents.list(ctx, s.c, params)
}

// All iterates over every calling-permission request matching params, following
// the cursors from params.After on. The caller's params are not changed.
func (s *ConsentsService) All(ctx context.Context, params *ConsentListParams) iter.Seq2[Consent, error] {
	return listConsents.all(ctx, s.c, params)
}
