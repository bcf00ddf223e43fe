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

// CallLog is one call. Raw holds it exactly as received.
type CallLog struct {
	ID     partnerkit.ID `json:"id"`
	Caller string        `json:"caller"`
	Callee string        `json:"callee"`
	// Direction is one of the Direction constants; other values are kept.
	Direction string `json:"direction"`
	// CallState is CallAnswered or CallNotAnswered; other values are kept.
	CallState  string `json:"call_state"`
	CallStatus string `json:"call_status"`
	// Duration is the call's length in seconds.
	Duration          partnerkit.Number    `json:"duration"`
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

// UnmarshalJSON decodes a call log and keeps the raw JSON in Raw.
func (l *CallLog) UnmarshalJSON(data []byte) error {
	type plain CallLog
	if err := json.Unmarshal(data, (*plain)(l)); err != nil {
		return err
	}
	l.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// CallTarget is one number a call rang.
type CallTarget struct {
	TargetNumber string               `json:"target_number"`
	TrunkName    string               `json:"trunk_name"`
	Status       string               `json:"status"`
	EndReason    string               `json:"end_reason"`
	FailCode     partnerkit.Number    `json:"fail_code"`
	RingDuration partnerkit.Number    `json:"ring_duration"`
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

// CallLogParams filter the call history. All fields are optional.
type CallLogParams struct {
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
	Paging            Paging
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

func (p *CallLogParams) body() (any, error) {
	type wire struct {
		Filter *callLogFilter `json:"filter,omitempty"`
		Paging *Paging        `json:"paging,omitempty"`
	}
	if p == nil {
		return wire{}, nil
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
	p.Paging.check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	f := callLogFilter{
		CallNumber: p.CallNumber, CallState: p.CallState, Direction: p.Direction, Duration: p.Duration,
		ExtensionIDs: p.ExtensionIDs, HotlineIDs: p.HotlineIDs, UserID: p.UserID, DepartmentID: p.DepartmentID,
		ExternalID: p.ExternalID, ExternalSessionID: p.ExternalSessionID,
	}
	if !p.DateFrom.IsZero() {
		f.DateFrom = p.DateFrom.Format(time.RFC3339)
	}
	if !p.DateTo.IsZero() {
		f.DateTo = p.DateTo.Format(time.RFC3339)
	}
	out := wire{Paging: p.Paging.wire()}
	if !isZeroFilter(&f) {
		out.Filter = &f
	}
	return out, nil
}

func isZeroFilter(f *callLogFilter) bool {
	return f.CallNumber == "" && f.CallState == "" && f.DateFrom == "" && f.DateTo == "" && f.Direction == "" &&
		f.Duration == nil && len(f.ExtensionIDs) == 0 && len(f.HotlineIDs) == 0 && f.UserID == "" &&
		f.DepartmentID == "" && f.ExternalID == "" && f.ExternalSessionID == ""
}

// CallLogsService lists call history.
type CallLogsService struct {
	c *Client
}

// List returns one page of call logs matching p (Etelecom/ListCallLogs),
// 100 per page and newest first unless p.Paging says otherwise.
func (s *CallLogsService) List(ctx context.Context, p *CallLogParams) (*Page[CallLog], error) {
	body, err := p.body()
	if err != nil {
		return nil, err
	}
	return list[CallLog](ctx, s.c, ServiceEtelecom, "ListCallLogs", "call_logs", body)
}

// All iterates over every call log matching p, following the cursors. The
// caller's params are not changed.
func (s *CallLogsService) All(ctx context.Context, p *CallLogParams) iter.Seq2[CallLog, error] {
	var params CallLogParams
	if p != nil {
		params = *p
		params.ExtensionIDs = append([]partnerkit.ID(nil), p.ExtensionIDs...)
		params.HotlineIDs = append([]partnerkit.ID(nil), p.HotlineIDs...)
	}
	return all(ctx, &params.Paging, func(ctx context.Context, pg *Paging) (*Page[CallLog], error) {
		q := params
		q.Paging = *pg
		return s.List(ctx, &q)
	})
}
