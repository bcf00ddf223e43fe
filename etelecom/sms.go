package etelecom

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/secret"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Addresses of eTelecom's SMS brandname API. The newest page sends to
// DefaultSMSBaseURL with the route rule as a list (SMSSendParams.RouteRule);
// older pages send to LegacySMSBaseURL with the route rule as one string
// (SMSSendParams.RouteRuleText). partnerkit.WithBaseURL chooses the host.
const (
	DefaultSMSBaseURL = "https://omni.incom.vn"
	LegacySMSBaseURL  = "https://sms.etelecom.vn"
)

// Paths of the SMS brandname API.
const (
	SMSSendPath   = "/api/OmniMessage/SendMessage"
	SMSStatusPath = "/api/OmniReport/GetStatusOmni"
)

// Channels of a route rule, tried in the order given.
const (
	SMSChannelZNS      = "1"
	SMSChannelAutoCall = "2"
	SMSChannelSMS      = "3"
)

// Delivery statuses of GetStatusOmni.
const (
	SMSStatusSuccess    = "SUCCESS"
	SMSStatusFail       = "FAIL"
	SMSStatusProcessing = "PROCESSING"
)

// SMSClient sends SMS brandname (omni-channel) messages. Its credentials
// travel in each request's body; they never appear in logs, errors or any
// formatting of the client. It is safe for concurrent use.
type SMSClient struct {
	t                  *transport.Client
	username, password secret.String
}

// NewSMS returns a client of the SMS brandname API with the account's
// username and password, sending to DefaultSMSBaseURL unless
// partnerkit.WithBaseURL says otherwise (LegacySMSBaseURL for the older
// API). It refuses etelecom.Sandbox, which points the RPC client at its
// sandbox: the SMS API documents none. The host has an IP allow-list:
// calls from other addresses fail with ErrUnauthorized.
func NewSMS(username, password string, opts ...partnerkit.Option) (*SMSClient, error) {
	var v validate.Errors
	v.Credential("username", username)
	v.Credential("password", password)
	cfg, err := transport.Configure(provider, v.Err(), opts)
	if err != nil {
		return nil, err
	}
	if cfg.Sandbox != "" {
		return nil, &partnerkit.ValidationError{Field: "etelecom.Sandbox", Rule: "is an option of New; the SMS API has no sandbox (give its address with partnerkit.WithBaseURL)"}
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
	return &SMSClient{t: t, username: secret.New(username), password: secret.New(password)}, nil
}

// SMSSendParams describe a message to send from a registered template.
type SMSSendParams struct {
	// Phone is the recipient, in international form without +, such as
	// 84901234567; required.
	Phone string
	// RouteRule is the fallback chain of channels, tried in order
	// (SMSChannelZNS, SMSChannelAutoCall, SMSChannelSMS), sent as a JSON
	// list (["1", "3"]) as the newest page documents. Set it or
	// RouteRuleText.
	RouteRule []string
	// RouteRuleText is the route rule sent as one string, as older pages
	// (LegacySMSBaseURL) show it. Its format is not documented: it is
	// passed through as given. Set it or RouteRule.
	RouteRuleText string
	// TemplateCode is the registered template; required.
	TemplateCode string
	// Params fills the template's parameters.
	Params map[string]string
}

// SMSReceipt is the answer to a message accepted for sending: its delivery
// goes on (Status reports it). Raw holds it exactly as received.
type SMSReceipt struct {
	// ID identifies the message for Status (idOmniMess).
	ID partnerkit.ID `json:"idOmniMess"`
	// Status is "1" for an accepted message.
	Status string `json:"status"`
	// Code is eTelecom's word for the outcome, such as "Success".
	Code string `json:"code"`

	Raw json.RawMessage `json:"-"`
}

// smsAnswer is the SMS API's answer: HTTP 200 whose status may be
// negative. Every value may come as a string or a number.
type smsAnswer struct {
	Status     partnerkit.ID `json:"status"`
	Code       partnerkit.ID `json:"code"`
	Message    string        `json:"message"`
	MessageAlt string        `json:"Message"`
	ID         partnerkit.ID `json:"idOmniMess"`

	Raw json.RawMessage `json:"-"`
}

// broken reports an accepted message without an ID.
func (a *smsAnswer) broken() string {
	if a.ID == "" {
		return fmt.Sprintf("the SMS API accepted the message (status %q) without idOmniMess", string(a.Status))
	}
	return ""
}

// Send sends a message (OmniMessage/SendMessage). A negative status is a
// *partnerkit.Error whose Code is the status (CodeSMSBadPhone and the other
// CodeSMS constants). It is not sent again once it may have reached eTelecom.
func (s *SMSClient) Send(ctx context.Context, params *SMSSendParams) (*SMSReceipt, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		if v.Required("Phone", params.Phone) {
			v.Check(smsPhone(params.Phone), "Phone", "must be 9 to 15 digits in international form without +, such as 84901234567")
		}
		switch {
		case len(params.RouteRule) > 0 && params.RouteRuleText != "":
			v.Check(false, "RouteRuleText", "must not be set together with RouteRule")
		case params.RouteRuleText == "":
			v.Check(len(params.RouteRule) > 0, "RouteRule", "is required (such as [\"1\", \"3\"]), or RouteRuleText")
			for i, c := range params.RouteRule {
				v.Check(c == SMSChannelZNS || c == SMSChannelAutoCall || c == SMSChannelSMS, fmt.Sprintf("RouteRule[%d]", i), "must be 1 (ZNS), 2 (AutoCall) or 3 (SMS)")
			}
		}
		v.Required("TemplateCode", params.TemplateCode)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	listParam := params.Params
	if listParam == nil {
		listParam = map[string]string{}
	}
	var rule any = params.RouteRule
	if params.RouteRuleText != "" {
		rule = params.RouteRuleText
	}
	body := struct {
		Username     string            `json:"username"`
		Password     string            `json:"password"`
		PhoneNumber  string            `json:"phonenumber"`
		RouteRule    any               `json:"routerule"`
		TemplateCode string            `json:"templatecode"`
		ListParam    map[string]string `json:"list_param"`
	}{s.username.Reveal(), s.password.Reveal(), params.Phone, rule, params.TemplateCode, listParam}
	var out smsAnswer
	err := s.t.Do(ctx, &transport.Request{Method: http.MethodPost, Path: SMSSendPath, Body: body, Safety: transport.NotIdempotent, Expect: out.broken}, &out)
	if err != nil {
		return nil, err
	}
	return &SMSReceipt{ID: out.ID, Status: string(out.Status), Code: string(out.Code), Raw: out.Raw}, nil
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
	// ListParam is the template's parameters, as the JSON-encoded string
	// eTelecom sends.
	ListParam string `json:"list_param"`
	// CreatedAt is as eTelecom writes it, such as "21/05/2021 14:43:22".
	CreatedAt string `json:"createdatetime"`
	// MTCount and TelcoID describe an SMS delivery.
	MTCount partnerkit.Int `json:"mtcount"`
	TelcoID string         `json:"telcoid"`
	// Duration is an AutoCall's length.
	Duration partnerkit.Seconds `json:"duration"`

	Raw json.RawMessage `json:"-"`
}

// statusAnswer is a delivery report on the wire: every text may come as a
// number.
type statusAnswer struct {
	smsAnswer
	PhoneNumber  partnerkit.ID      `json:"phonenumber"`
	Channel      partnerkit.ID      `json:"channel"`
	TemplateCode partnerkit.ID      `json:"templatecode"`
	ErrorCode    partnerkit.ID      `json:"errorCode"`
	ListParam    partnerkit.ID      `json:"list_param"`
	CreatedAt    partnerkit.ID      `json:"createdatetime"`
	MTCount      partnerkit.Int     `json:"mtcount"`
	TelcoID      partnerkit.ID      `json:"telcoid"`
	Duration     partnerkit.Seconds `json:"duration"`
}

func (a *statusAnswer) report() *SMSStatus {
	return &SMSStatus{
		PhoneNumber: string(a.PhoneNumber), Status: string(a.Status), Channel: string(a.Channel),
		TemplateCode: string(a.TemplateCode), ErrorCode: string(a.ErrorCode), ListParam: string(a.ListParam),
		CreatedAt: string(a.CreatedAt), MTCount: a.MTCount, TelcoID: string(a.TelcoID), Duration: a.Duration,
		Raw: a.Raw,
	}
}

// Status returns the delivery report of message id, an SMSReceipt's ID
// (OmniReport/GetStatusOmni).
func (s *SMSClient) Status(ctx context.Context, id partnerkit.ID) (*SMSStatus, error) {
	var v validate.Errors
	v.Required("id", string(id))
	if err := v.Err(); err != nil {
		return nil, err
	}
	body := struct {
		Username string        `json:"username"`
		Password string        `json:"password"`
		ID       partnerkit.ID `json:"idOmniMess"`
	}{s.username.Reveal(), s.password.Reveal(), id}
	var out statusAnswer
	err := s.t.Do(ctx, &transport.Request{Method: http.MethodPost, Path: SMSStatusPath, Body: body, Safety: transport.Idempotent}, &out)
	if err != nil {
		return nil, err
	}
	return out.report(), nil
}
