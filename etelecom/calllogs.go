package etelecom

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Methods of call logs (service Etelecom). ListCallLogs takes a shop's key
// on the Partner API.
var listCallLogs = listing[CallLog]{Method{Service: ServiceEtelecom, Name: "ListCallLogs", Key: ShopKey, ReadOnly: true}, "call_logs"}

// Call states and directions of call logs.
const (
	CallAnswered    = "answered"
	CallNotAnswered = "not_answered"

	DirectionIn     = "in"
	DirectionOut    = "out"
	DirectionExt    = "ext"
	DirectionExtIn  = "ext_in"
	DirectionExtOut = "ext_out"
)

// CallLog is one call, as ListCallLogs lists it and a call_log webhook
// event carries it. Raw holds it exactly as received.
type CallLog struct {
	ID     partnerkit.ID `json:"id"`
	Caller string        `json:"caller"`
	Callee string        `json:"callee"`
	// Direction is one of the Direction constants; other values are kept.
	Direction string `json:"direction"`
	// CallState is CallAnswered or CallNotAnswered; other values are kept.
	CallState  string `json:"call_state"`
	CallStatus string `json:"call_status"`
	// Duration is the call's length.
	Duration          partnerkit.Seconds   `json:"duration"`
	StartedAt         partnerkit.Timestamp `json:"started_at"`
	EndedAt           partnerkit.Timestamp `json:"ended_at"`
	RecordingURLs     []string             `json:"recording_urls"`
	CallTargets       []CallTarget         `json:"call_targets"`
	ExtensionID       partnerkit.ID        `json:"extension_id"`
	HotlineID         partnerkit.ID        `json:"hotline_id"`
	UserID            partnerkit.ID        `json:"user_id"`
	ContactID         partnerkit.ID        `json:"contact_id"`
	ExternalID        string               `json:"external_id"`
	ExternalSessionID string               `json:"external_session_id"`
	Note              string               `json:"note"`
	CreatedAt         partnerkit.Timestamp `json:"created_at"`
	UpdatedAt         partnerkit.Timestamp `json:"updated_at"`

	Raw json.RawMessage `json:"-"`
}

// CallTarget is one number a call rang.
type CallTarget struct {
	TargetNumber string               `json:"target_number"`
	TrunkName    string               `json:"trunk_name"`
	Status       string               `json:"status"`
	EndReason    string               `json:"end_reason"`
	FailCode     partnerkit.Int       `json:"fail_code"`
	RingDuration partnerkit.Seconds   `json:"ring_duration"`
	AddTime      partnerkit.Timestamp `json:"add_time"`
	RingTime     partnerkit.Timestamp `json:"ring_time"`
	AnsweredTime partnerkit.Timestamp `json:"answered_time"`
	EndedTime    partnerkit.Timestamp `json:"ended_time"`
}

// DurationFilter compares a call's duration, in seconds, with Value.
type DurationFilter struct {
	// Comparison is eTelecom's comparison name, such as
	// "less_than_or_equal_to"; required.
	Comparison string `json:"comparison"`
	// Value is a number of seconds, not negative.
	Value int `json:"value"`
}

// CallLogListParams filter the call history. All fields are optional.
type CallLogListParams struct {
	// CallNumber matches the caller or callee number.
	CallNumber string
	// CallState is CallAnswered or CallNotAnswered.
	CallState string
	// DateFrom and DateTo bound the calls' time (sent as RFC 3339).
	DateFrom time.Time
	DateTo   time.Time
	// Direction is one of the Direction constants.
	Direction         string
	Duration          *DurationFilter
	ExtensionIDs      []partnerkit.ID
	HotlineIDs        []partnerkit.ID
	UserID            partnerkit.ID
	DepartmentID      partnerkit.ID
	ExternalID        string
	ExternalSessionID string

	// After is the cursor to continue after (a page's Next).
	After string
	// Before is the cursor to continue before (a page's Prev), to page
	// backwards; All ignores it.
	Before string
	// Limit is the page size; 0 means eTelecom's default, 100.
	Limit int
	// Sort is the order, as eTelecom names it; eTelecom's default is
	// newest first.
	Sort string
}

type callLogFilter struct {
	CallNumber        string          `json:"call_number,omitempty"`
	CallState         string          `json:"call_state,omitempty"`
	DateFrom          string          `json:"date_from,omitempty"`
	DateTo            string          `json:"date_to,omitempty"`
	Direction         string          `json:"direction,omitempty"`
	Duration          *DurationFilter `json:"duration,omitempty"`
	ExtensionIDs      []partnerkit.ID `json:"extension_ids,omitempty"`
	HotlineIDs        []partnerkit.ID `json:"hotline_ids,omitempty"`
	UserID            partnerkit.ID   `json:"user_id,omitempty"`
	DepartmentID      partnerkit.ID   `json:"department_id,omitempty"`
	ExternalID        string          `json:"external_id,omitempty"`
	ExternalSessionID string          `json:"external_session_id,omitempty"`
}

func (p *CallLogListParams) body() (listBody, error) {
	if p == nil {
		return listBody{}, nil
	}
	var v validate.Errors
	switch p.CallState {
	case "", CallAnswered, CallNotAnswered:
	default:
		v.Check(false, "CallState", "must be answered or not_answered")
	}
	switch p.Direction {
	case "", DirectionIn, DirectionOut, DirectionExt, DirectionExtIn, DirectionExtOut:
	default:
		v.Check(false, "Direction", "must be in, out, ext, ext_in or ext_out")
	}
	if !p.DateFrom.IsZero() && !p.DateTo.IsZero() {
		v.Check(!p.DateTo.Before(p.DateFrom), "DateTo", "must not be before DateFrom")
	}
	if p.Duration != nil {
		v.Required("Duration.Comparison", p.Duration.Comparison)
		v.Check(p.Duration.Value >= 0, "Duration.Value", "must not be negative")
	}
	for i, id := range p.ExtensionIDs {
		checkID(&v, fmt.Sprintf("ExtensionIDs[%d]", i), id)
	}
	for i, id := range p.HotlineIDs {
		checkID(&v, fmt.Sprintf("HotlineIDs[%d]", i), id)
	}
	checkOptionalID(&v, "UserID", p.UserID)
	checkOptionalID(&v, "DepartmentID", p.DepartmentID)
	pg := pageRequest{After: p.After, Before: p.Before, Limit: p.Limit, Sort: p.Sort}
	pg.check(&v)
	if err := v.Err(); err != nil {
		return listBody{}, err
	}
	f := callLogFilter{
		CallNumber: p.CallNumber, CallState: p.CallState, Direction: p.Direction, Duration: p.Duration,
		ExtensionIDs: p.ExtensionIDs, HotlineIDs: p.HotlineIDs, UserID: p.UserID, DepartmentID: p.DepartmentID,
		ExternalID: p.ExternalID, ExternalSessionID: p.ExternalSessionID,
		DateFrom: rfc3339(p.DateFrom), DateTo: rfc3339(p.DateTo),
	}
	body := listBody{Paging: pg.wire()}
	if f.CallNumber != "" || f.CallState != "" || f.DateFrom != "" || f.DateTo != "" || f.Direction != "" ||
		f.Duration != nil || len(f.ExtensionIDs) > 0 || len(f.HotlineIDs) > 0 || f.UserID != "" ||
		f.DepartmentID != "" || f.ExternalID != "" || f.ExternalSessionID != "" {
		body.Filter = f
	}
	return body, nil
}

// rfc3339 writes a filter's time, or "" for the zero time.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// CallLogsService lists call history.
type CallLogsService struct {
	c *Client
}

// List returns one page of the shop's call logs matching params
// (Etelecom/ListCallLogs, shop key), 100 per page and newest first unless
// params say otherwise.
func (s *CallLogsService) List(ctx context.Context, params *CallLogListParams) (*Page[CallLog], error) {
	return listCallLogs.list(ctx, s.c, params)
}

// All iterates over every call log matching params, following the cursors from
// params.After on. The caller's params are not changed.
func (s *CallLogsService) All(ctx context.Context, params *CallLogListParams) iter.Seq2[CallLog, error] {
	return listCallLogs.all(ctx, s.c, params)
}
