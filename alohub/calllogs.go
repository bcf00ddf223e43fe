package alohub

import (
	"cmp"
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/paging"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// CallLogsService reads the call report. It needs a key with the report
// scope; without it Alohub answers 403 CodeInsufficientScope.
type CallLogsService struct {
	t *transport.Client
}

// Call types, as CallLogListParams.CallType and CallLog.CallType use them.
const (
	CallInbound  = 0
	CallOutbound = 1
)

// MaxCallLogsLimit is the largest page of call logs Alohub allows.
const MaxCallLogsLimit = 100

// CallLogListParams filter the call logs. Every field is optional; nil
// params list every call, page 1.
type CallLogListParams struct {
	// PhoneNumber keeps calls from or to this number.
	PhoneNumber string
	// DateFrom and DateTo bound the calls' start times; zero means no
	// bound. They are sent in ISO 8601 with the offset of their location,
	// as callStartTime and callEndtime.
	DateFrom time.Time
	DateTo   time.Time
	// CallType keeps inbound (CallInbound) or outbound (CallOutbound)
	// calls; nil keeps both.
	CallType *int
	// Page is the page number, from 1; 0 means 1.
	Page int
	// Limit is the page size, at most MaxCallLogsLimit; 0 leaves Alohub's
	// default (50).
	Limit int
}

// callLogsBody is the request body. Alohub reads the end of the range from
// callEndtime, with a lower-case t; callEndTime is ignored.
type callLogsBody struct {
	PhoneNumber   string `json:"phoneNumber,omitempty"`
	CallStartTime string `json:"callStartTime,omitempty"`
	CallEndtime   string `json:"callEndtime,omitempty"`
	CallType      *int   `json:"callType,omitempty"`
	Page          int    `json:"page"`
	Limit         int    `json:"limit,omitempty"`
}

func (p *CallLogListParams) body() (*callLogsBody, error) {
	var params CallLogListParams
	if p != nil {
		params = *p
	}
	var v validate.Errors
	if params.PhoneNumber != "" {
		v.Phone("PhoneNumber", params.PhoneNumber)
	}
	if !params.DateFrom.IsZero() && !params.DateTo.IsZero() {
		v.Check(!params.DateTo.Before(params.DateFrom), "DateTo", "must not be before DateFrom")
	}
	if params.CallType != nil {
		v.Check(*params.CallType == CallInbound || *params.CallType == CallOutbound, "CallType", "must be CallInbound (0) or CallOutbound (1)")
	}
	v.Page(params.Page, params.Limit)
	v.Check(params.Limit <= MaxCallLogsLimit, "Limit", "must be at most 100")
	if err := v.Err(); err != nil {
		return nil, err
	}
	b := &callLogsBody{PhoneNumber: params.PhoneNumber, CallType: params.CallType, Page: max(params.Page, 1), Limit: params.Limit}
	if !params.DateFrom.IsZero() {
		b.CallStartTime = params.DateFrom.Format(time.RFC3339)
	}
	if !params.DateTo.IsZero() {
		b.CallEndtime = params.DateTo.Format(time.RFC3339)
	}
	return b, nil
}

// CallLog is one call. Alohub does not document every field of a call
// log: the ones below are read when present, and Raw holds the record
// exactly as received.
type CallLog struct {
	ID           partnerkit.ID `json:"callId"`
	CallerNumber string        `json:"callerNumber"`
	CalledNumber string        `json:"calledNumber"`
	CustomerName string        `json:"customerName"`
	// CallType is CallInbound or CallOutbound.
	CallType   partnerkit.Int `json:"callType"`
	CallStatus string         `json:"callStatus"`
	// StartedAt and EndedAt are when the call started and ended
	// (callStartTime and callEndtime).
	StartedAt partnerkit.Timestamp `json:"callStartTime"`
	EndedAt   partnerkit.Timestamp `json:"callEndtime"`
	// Duration is the call's length.
	Duration partnerkit.Seconds `json:"duration"`

	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a call log tolerantly: the ID is also read from id,
// and the end time from callEndTime.
func (c *CallLog) UnmarshalJSON(data []byte) error {
	type plain CallLog
	var wire struct {
		plain
		ID      partnerkit.ID        `json:"id"`
		EndedAt partnerkit.Timestamp `json:"callEndTime"`
	}
	if err := rawjson.Unmarshal(data, &wire); err != nil {
		return err
	}
	*c = CallLog(wire.plain)
	c.ID = first(c.ID, wire.ID)
	if c.EndedAt.IsZero() {
		c.EndedAt = wire.EndedAt
	}
	return nil
}

// List returns one page of the call logs params select (nil: every call, page
// 1). The call is a read sent with POST; it is retried like a GET.
func (s *CallLogsService) List(ctx context.Context, params *CallLogListParams) (*Page[CallLog], error) {
	body, err := params.body()
	if err != nil {
		return nil, err
	}
	return list[CallLog](ctx, s.t, &transport.Request{
		Method: http.MethodPost, Path: "/v1/reports/call-logs", Body: body, Safety: transport.Idempotent,
	}, body.Page, cmp.Or(body.Limit, defaultCallLogsLimit))
}

// All iterates over every call log params select, from params.Page on, until
// totalRecord logs have been read. It does not change params.
func (s *CallLogsService) All(ctx context.Context, params *CallLogListParams) iter.Seq2[CallLog, error] {
	if _, err := params.body(); err != nil {
		return paging.Fail[CallLog](err)
	}
	var q CallLogListParams
	if params != nil {
		q = *params
	}
	return all(ctx, q.Page, func(ctx context.Context, page int) (*Page[CallLog], error) {
		q.Page = page
		return s.List(ctx, &q)
	})
}
