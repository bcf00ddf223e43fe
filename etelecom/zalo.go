package etelecom

import (
	"context"
	"encoding/json"
	"iter"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// ZNS sending modes and delivery statuses.
const (
	// ModeDevelopment sends only to the OA's administrators.
	ModeDevelopment = "development"

	SendingModeDefault = "default"
	SendingModeTag3    = "tag3"

	DeliveryReceived = "received"
	DeliverySeen     = "seen"
)

// ZaloService sends Zalo notifications (ZNS) and manages the shop's Zalo
// Official Accounts (OA). Use it on a client from ForShop.
type ZaloService struct {
	c *Client
}

// ZNS is a Zalo notification to send from a template.
type ZNS struct {
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
	// failure that may have reached eTelecom (a timeout, a 502/503/504).
	// Opt in only when your side deduplicates by TrackingID, which is then
	// required: otherwise the recipient may get the notification twice.
	RetryWithTrackingID bool `json:"-"`
}

// ZNSMessage is a sent Zalo notification. Raw holds it exactly as received.
type ZNSMessage struct {
	ID         partnerkit.ID `json:"id"`
	MsgID      string        `json:"msg_id"`
	OAID       partnerkit.ID `json:"oa_id"`
	Phone      string        `json:"phone"`
	TemplateID partnerkit.ID `json:"template_id"`
	TrackingID string        `json:"tracking_id"`
	// DeliveryStatus is DeliveryReceived, DeliverySeen or another value as
	// sent.
	DeliveryStatus string               `json:"delivery_status"`
	Status         string               `json:"status"`
	ErrorCode      partnerkit.Number    `json:"error_code"`
	ErrorMessage   string               `json:"error_message"`
	FeeMain        partnerkit.Number    `json:"fee_main"`
	IsCharged      bool                 `json:"is_charged"`
	SentTime       partnerkit.Timestamp `json:"sent_time"`
	CreatedAt      partnerkit.Timestamp `json:"created_at"`
	UpdatedAt      partnerkit.Timestamp `json:"updated_at"`

	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a message and keeps the raw JSON in Raw.
func (m *ZNSMessage) UnmarshalJSON(data []byte) error {
	type plain ZNSMessage
	if err := json.Unmarshal(data, (*plain)(m)); err != nil {
		return err
	}
	m.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// SendZNS sends a Zalo notification (Zalo/SendZNS). It is not sent again
// once it may have reached eTelecom, unless z.RetryWithTrackingID says so (a
// 429 is always waited out and retried, since eTelecom did not act on it).
func (s *ZaloService) SendZNS(ctx context.Context, z *ZNS) (*ZNSMessage, error) {
	var v validate.Errors
	if v.NotNil("zns", z != nil) {
		checkID(&v, "OAID", z.OAID)
		v.Phone("Phone", z.Phone)
		v.Positive("TemplateID", z.TemplateID)
		v.Check(len(z.TemplateData) > 0, "TemplateData", "is required (the template's parameters)")
		v.Check(!z.RetryWithTrackingID || z.TrackingID != "", "TrackingID", "is required when RetryWithTrackingID is set")
		v.Check(z.Mode == "" || z.Mode == ModeDevelopment, "Mode", "must be development or empty")
		switch z.SendingMode {
		case "", SendingModeDefault, SendingModeTag3:
		default:
			v.Check(false, "SendingMode", "must be default, tag3 or empty")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	safety := transport.NotIdempotent
	if z.RetryWithTrackingID {
		safety = transport.Idempotent
	}
	var out ZNSMessage
	if err := s.c.rpc(ctx, ServiceZalo, "SendZNS", z, &out, safety); err != nil {
		return nil, err
	}
	return &out, nil
}

// OA is a Zalo Official Account connected to the shop. Raw holds it exactly
// as received.
type OA struct {
	ID             partnerkit.ID        `json:"id"`
	OAID           partnerkit.ID        `json:"oa_id"`
	AppID          partnerkit.ID        `json:"app_id"`
	Name           string               `json:"name"`
	Avatar         string               `json:"avatar"`
	IsVerified     bool                 `json:"is_verified"`
	DailyQuota     partnerkit.Number    `json:"daily_quota"`
	RemainingQuota partnerkit.Number    `json:"remaining_quota"`
	WebhookURL     string               `json:"webhook_url"`
	Status         string               `json:"status"`
	ExpiresAt      partnerkit.Timestamp `json:"expires_at"`
	CreatedAt      partnerkit.Timestamp `json:"created_at"`
	UpdatedAt      partnerkit.Timestamp `json:"updated_at"`

	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes an OA and keeps the raw JSON in Raw.
func (o *OA) UnmarshalJSON(data []byte) error {
	type plain OA
	if err := json.Unmarshal(data, (*plain)(o)); err != nil {
		return err
	}
	o.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// OAListParams filter the shop's Official Accounts. All fields are
// optional.
type OAListParams struct {
	AppID    partnerkit.ID
	OAID     partnerkit.ID
	Name     string
	DateFrom time.Time
	DateTo   time.Time
	Paging   Paging
}

func (p *OAListParams) body() (any, error) {
	type filter struct {
		AppID    partnerkit.ID `json:"app_id,omitempty"`
		OAID     partnerkit.ID `json:"oa_id,omitempty"`
		Name     string        `json:"name,omitempty"`
		DateFrom string        `json:"date_from,omitempty"`
		DateTo   string        `json:"date_to,omitempty"`
	}
	type wire struct {
		Filter *filter `json:"filter,omitempty"`
		Paging *Paging `json:"paging,omitempty"`
	}
	if p == nil {
		return wire{}, nil
	}
	var v validate.Errors
	checkOptionalID(&v, "AppID", p.AppID)
	checkOptionalID(&v, "OAID", p.OAID)
	if !p.DateFrom.IsZero() && !p.DateTo.IsZero() {
		v.Check(!p.DateTo.Before(p.DateFrom), "DateTo", "must not be before DateFrom")
	}
	p.Paging.check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	f := filter{AppID: p.AppID, OAID: p.OAID, Name: p.Name}
	if !p.DateFrom.IsZero() {
		f.DateFrom = p.DateFrom.Format(time.RFC3339)
	}
	if !p.DateTo.IsZero() {
		f.DateTo = p.DateTo.Format(time.RFC3339)
	}
	out := wire{Paging: p.Paging.wire()}
	if f != (filter{}) {
		out.Filter = &f
	}
	return out, nil
}

// ListOA returns one page of the shop's Official Accounts (Zalo/ListOA).
func (s *ZaloService) ListOA(ctx context.Context, p *OAListParams) (*Page[OA], error) {
	body, err := p.body()
	if err != nil {
		return nil, err
	}
	return list[OA](ctx, s.c, ServiceZalo, "ListOA", "accounts", body)
}

// AllOA iterates over every Official Account matching p, following the
// cursors.
func (s *ZaloService) AllOA(ctx context.Context, p *OAListParams) iter.Seq2[OA, error] {
	var params OAListParams
	if p != nil {
		params = *p
	}
	return all(ctx, &params.Paging, func(ctx context.Context, pg *Paging) (*Page[OA], error) {
		q := params
		q.Paging = *pg
		return s.ListOA(ctx, &q)
	})
}

// OAConnection is what Zalo sends back after an OA administrator grants the
// shop access.
type OAConnection struct {
	// Code is Zalo's authorization code; required.
	Code string `json:"code"`
	// OAID is the Official Account; required.
	OAID partnerkit.ID `json:"oa_id"`
	// State is the state passed when the authorization link was made.
	State string `json:"state,omitempty"`
}

// ConnectOA connects an Official Account to the shop (Zalo/ConnectOA). The
// code can be used once, so the call is not sent again once it may have
// reached eTelecom.
func (s *ZaloService) ConnectOA(ctx context.Context, in *OAConnection) (*OA, error) {
	var v validate.Errors
	if v.NotNil("connection", in != nil) {
		v.Required("Code", in.Code)
		checkID(&v, "OAID", in.OAID)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out OA
	if err := s.c.rpc(ctx, ServiceZalo, "ConnectOA", in, &out, transport.NotIdempotent); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateOAWebhook sets the URL eTelecom calls with the OA's events
// (Zalo/UpdateShopOA). It writes an absolute value, so it is retried when
// that is safe.
func (s *ZaloService) UpdateOAWebhook(ctx context.Context, oaID partnerkit.ID, webhookURL string) (*OA, error) {
	var v validate.Errors
	checkID(&v, "oaID", oaID)
	v.URL("webhookURL", webhookURL)
	if err := v.Err(); err != nil {
		return nil, err
	}
	body := struct {
		OAID       partnerkit.ID `json:"oa_id"`
		WebhookURL string        `json:"webhook_url"`
	}{oaID, webhookURL}
	var out OA
	if err := s.c.rpc(ctx, ServiceZalo, "UpdateShopOA", body, &out, transport.Idempotent); err != nil {
		return nil, err
	}
	return &out, nil
}
