package etelecom

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// DefaultSMSBaseURL is the address of eTelecom's SMS brandname API.
const DefaultSMSBaseURL = "https://sms.etelecom.vn"

// Paths of the SMS brandname API.
const (
	SMSSendPath   = "/api/OmniMessage/SendMessage"
	SMSStatusPath = "/api/OmniReport/GetStatusOmni"
)

// Negative statuses of the SMS brandname API, found in partnerkit.Error.Code.
// eTelecom answers them with HTTP 200.
const (
	SMSBadPhone        = "-1"
	SMSBadParameter    = "-2"
	SMSOutOfMessages   = "-3"
	SMSTemplateMissing = "-6"
	SMSNoRoute         = "-8"
)

// Delivery statuses of GetStatusOmni.
const (
	SMSStatusSuccess    = "SUCCESS"
	SMSStatusFail       = "FAIL"
	SMSStatusProcessing = "PROCESSING"
)

// smsStatuses describes the documented negative statuses and the sentinel
// each matches.
var smsStatuses = map[string]struct {
	text string
	kind error
}{
	SMSBadPhone:        {"the phone number format is wrong", partnerkit.ErrInvalidRequest},
	SMSBadParameter:    {"a parameter is wrong", partnerkit.ErrInvalidRequest},
	SMSOutOfMessages:   {"the account has no messages left", partnerkit.ErrForbidden},
	SMSTemplateMissing: {"the template was not found", partnerkit.ErrNotFound},
	SMSNoRoute:         {"no route can deliver the message", partnerkit.ErrInvalidRequest},
}

// SMSClient sends SMS brandname (omni-channel) messages through
// sms.etelecom.vn. Its credentials travel in each request's body; they never
// appear in logs or errors. It is safe for concurrent use.
type SMSClient struct {
	t                  *transport.Client
	username, password string
}

// NewSMS returns a client of the SMS brandname API with the account's
// username and password. partnerkit.WithBaseURL replaces DefaultSMSBaseURL.
// The host has an IP allow-list: calls from other addresses fail with
// ErrUnauthorized.
func NewSMS(username, password string, opts ...partnerkit.Option) (*SMSClient, error) {
	var v validate.Errors
	v.Required("username", username)
	v.Required("password", password)
	if err := v.Err(); err != nil {
		return nil, err
	}
	cfg, err := transport.Configure(provider, opts)
	if err != nil {
		return nil, err
	}
	t, err := transport.New(transport.Spec{
		Provider:    provider,
		BaseURL:     DefaultSMSBaseURL,
		DecodeError: decodeSMSError,
		Failure:     smsFailure,
		Secrets:     []string{username, password},
	}, cfg)
	if err != nil {
		return nil, err
	}
	return &SMSClient{t: t, username: username, password: password}, nil
}

// SMS is a message to send from a registered template.
type SMS struct {
	// Phone is the recipient, in international form without +, such as
	// 84901234567; required.
	Phone string
	// RouteRule is the fallback chain of channels (1 = ZNS, 2 = AutoCall,
	// 3 = SMS), passed through as given; required.
	RouteRule string
	// TemplateCode is the registered template; required.
	TemplateCode string
	// Params fills the template's parameters.
	Params map[string]string
}

// SMSReceipt is the answer to a message accepted for sending. Raw holds it
// exactly as received.
type SMSReceipt struct {
	// ID identifies the message for Status (idOmniMess).
	ID string
	// Status is "1" for an accepted message.
	Status string
	// Code is eTelecom's word for the outcome, such as "Success".
	Code string

	Raw json.RawMessage
}

// smsAnswer is the SMS API's answer: HTTP 200 whose status may be negative.
type smsAnswer struct {
	Status     flexString `json:"status"`
	Code       flexString `json:"code"`
	Message    string     `json:"message"`
	MessageAlt string     `json:"Message"`
	ID         flexString `json:"idOmniMess"`
	raw        json.RawMessage
}

func (a *smsAnswer) UnmarshalJSON(data []byte) error {
	type plain smsAnswer
	if err := json.Unmarshal(data, (*plain)(a)); err != nil {
		return err
	}
	a.raw = append(json.RawMessage(nil), data...)
	return nil
}

// smsFailure is the SMS client's Spec.Failure: a negative status under a
// success status.
func smsFailure(r *transport.Response) *partnerkit.Error {
	var a smsAnswer
	if json.Unmarshal(r.Body, &a) != nil {
		return nil
	}
	return a.failure()
}

// failure reports a negative status as an error with that status as Code.
func (a *smsAnswer) failure() *partnerkit.Error {
	n, err := strconv.Atoi(strings.TrimSpace(string(a.Status)))
	if err != nil || n >= 0 {
		return nil
	}
	code := strconv.Itoa(n)
	e := &partnerkit.Error{Code: code, Kind: partnerkit.ErrUnexpected}
	known, ok := smsStatuses[code]
	if ok {
		e.Kind = known.kind
		e.Message = known.text
	}
	said := a.Message
	if said == "" {
		said = a.MessageAlt
	}
	if said == "" && a.Code != "" {
		said = string(a.Code)
	}
	switch {
	case e.Message == "":
		e.Message = said
	case said != "":
		e.Message += " (" + said + ")"
	}
	return e
}

// sendAnswer adds the check that an accepted message has an ID.
type sendAnswer struct {
	smsAnswer
}

// broken reports an accepted message without an ID.
func (a *sendAnswer) broken() string {
	if a.ID == "" {
		return fmt.Sprintf("the SMS API accepted the message (status %q) without idOmniMess", string(a.Status))
	}
	return ""
}

// Send sends a message (OmniMessage/SendMessage). A negative status is a
// *partnerkit.Error whose Code is the status (SMSBadPhone and the other
// constants). It is not sent again once it may have reached eTelecom.
func (s *SMSClient) Send(ctx context.Context, m *SMS) (*SMSReceipt, error) {
	var v validate.Errors
	if v.NotNil("sms", m != nil) {
		if v.Required("Phone", m.Phone) {
			v.Check(smsPhone(m.Phone), "Phone", "must be 9 to 15 digits in international form without +, such as 84901234567")
		}
		v.Required("RouteRule", m.RouteRule)
		v.Required("TemplateCode", m.TemplateCode)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	params := m.Params
	if params == nil {
		params = map[string]string{}
	}
	body := struct {
		Username     string            `json:"username"`
		Password     string            `json:"password"`
		PhoneNumber  string            `json:"phonenumber"`
		RouteRule    string            `json:"routerule"`
		TemplateCode string            `json:"templatecode"`
		ListParam    map[string]string `json:"list_param"`
	}{s.username, s.password, m.Phone, m.RouteRule, m.TemplateCode, params}
	var out sendAnswer
	err := s.t.Do(ctx, &transport.Request{Method: http.MethodPost, Path: SMSSendPath, Body: body, Safety: transport.NotIdempotent, Expect: out.broken}, &out)
	if err != nil {
		return nil, err
	}
	return &SMSReceipt{ID: string(out.ID), Status: string(out.Status), Code: string(out.Code), Raw: out.raw}, nil
}

// smsPhone accepts 9 to 15 digits.
func smsPhone(p string) bool {
	if len(p) < 9 || len(p) > 15 {
		return false
	}
	for _, r := range p {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// SMSStatus is the delivery report of a message. Raw holds it exactly as
// received.
type SMSStatus struct {
	PhoneNumber string `json:"phonenumber"`
	// Status is SMSStatusSuccess, SMSStatusFail or SMSStatusProcessing.
	Status string `json:"status"`
	// Channel is the channel that delivered (or last tried) the message.
	Channel      string `json:"channel"`
	TemplateCode string `json:"templatecode"`
	ErrorCode    string `json:"errorCode"`
	// CreatedAt is as eTelecom writes it, such as "21/05/2021 14:43:22".
	CreatedAt string `json:"createdatetime"`

	Raw json.RawMessage `json:"-"`
}

// statusAnswer decodes a delivery report tolerantly (codes may be numbers)
// and reports a negative status as an error.
type statusAnswer struct {
	smsAnswer
	report SMSStatus
}

func (a *statusAnswer) UnmarshalJSON(data []byte) error {
	if err := a.smsAnswer.UnmarshalJSON(data); err != nil {
		return err
	}
	var wire struct {
		PhoneNumber  flexString `json:"phonenumber"`
		Channel      flexString `json:"channel"`
		TemplateCode flexString `json:"templatecode"`
		ErrorCode    flexString `json:"errorCode"`
		CreatedAt    flexString `json:"createdatetime"`
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	a.report = SMSStatus{
		PhoneNumber: string(wire.PhoneNumber), Status: string(a.Status), Channel: string(wire.Channel),
		TemplateCode: string(wire.TemplateCode), ErrorCode: string(wire.ErrorCode), CreatedAt: string(wire.CreatedAt),
		Raw: a.raw,
	}
	return nil
}

// Status returns the delivery report of message id (OmniReport/GetStatusOmni).
func (s *SMSClient) Status(ctx context.Context, id string) (*SMSStatus, error) {
	var v validate.Errors
	v.Required("id", id)
	if err := v.Err(); err != nil {
		return nil, err
	}
	body := struct {
		Username string `json:"username"`
		Password string `json:"password"`
		ID       string `json:"idOmniMess"`
	}{s.username, s.password, id}
	var out statusAnswer
	err := s.t.Do(ctx, &transport.Request{Method: http.MethodPost, Path: SMSStatusPath, Body: body, Safety: transport.Idempotent}, &out)
	if err != nil {
		return nil, err
	}
	return &out.report, nil
}

// decodeSMSError reads an error status of the SMS host: a JSON body with a
// status and a message, or plain text (such as "Can't access from this
// IP").
func decodeSMSError(r *transport.Response) *partnerkit.Error {
	var a smsAnswer
	if json.Unmarshal(r.Body, &a) == nil {
		if e := a.failure(); e != nil {
			if e.Kind == partnerkit.ErrUnexpected {
				e.Kind = nil // the HTTP status decides
			}
			return e
		}
		msg := a.Message
		if msg == "" {
			msg = a.MessageAlt
		}
		return &partnerkit.Error{Code: string(a.Code), Message: msg}
	}
	text := strings.TrimSpace(string(bytes.ToValidUTF8(r.Body, nil)))
	if len(text) > 200 {
		text = text[:200]
		for !utf8.ValidString(text) {
			text = text[:len(text)-1]
		}
	}
	return &partnerkit.Error{Message: text}
}

// flexString decodes a JSON string, number or null as text.
type flexString string

func (f *flexString) UnmarshalJSON(data []byte) error {
	var id partnerkit.ID
	if err := json.Unmarshal(data, &id); err != nil {
		return err
	}
	*f = flexString(id)
	return nil
}
