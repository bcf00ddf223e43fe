package cohost

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/ratelimit"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

// Error codes Cohost documents, found in partnerkit.Error.Code.
const (
	// CodeValidationError: the request's values were refused (400).
	CodeValidationError = "VALIDATION_ERROR"
	// CodeInvalidRequest: a malformed parameter, such as team_ids that is
	// not a JSON array (400).
	CodeInvalidRequest = "EXTERNAL_INVALID_REQUEST"
	// CodeInvalidState: the object is not in a state that allows the call
	// (400).
	CodeInvalidState = "EXTERNAL_INVALID_STATE"
	// CodeInvalidDateFormat: a date is not YYYY-MM-DD (400).
	CodeInvalidDateFormat = "EXTERNAL_INVALID_DATE_FORMAT"
	// CodeListingNotFound: no such listing (404).
	CodeListingNotFound = "LISTING_NOT_FOUND"
	// CodeBookingNotFound: no such booking (404).
	CodeBookingNotFound = "BOOKING_NOT_FOUND"
	// CodeListingNotAccessible: the listing is not in the key's teams (403
	// or 404).
	CodeListingNotAccessible = "EXTERNAL_LISTING_NOT_ACCESSIBLE"
	// CodeTeamNotActive: the team is not active.
	CodeTeamNotActive = "TEAM_NOT_ACTIVE"
	// CodeRateLimitExceeded: the key spent its 60 requests a minute (429);
	// ErrorDetails.RetryAfterSeconds says how long to wait.
	CodeRateLimitExceeded = "RATE_LIMIT_EXCEEDED"
)

// ErrorDetails is the details object of a Cohost business error ({"code",
// "message", "details"}). It is the value of partnerkit.Error.Details for
// every Cohost error whose details object has members; Details is nil
// otherwise. Read it with
//
//	d, ok := partnerkit.DetailsOf[*cohost.ErrorDetails](err)
type ErrorDetails struct {
	// RetryAfterSeconds is details.retry_after_seconds: how long the rate
	// limit asks the caller to wait, in seconds (on a 429). It is empty when
	// absent; partnerkit.Error.RetryAfter holds it as a duration.
	RetryAfterSeconds partnerkit.Number
	// Raw is the details object as received, every member included, such
	// as "listing_id" on a LISTING_NOT_FOUND.
	Raw json.RawMessage `json:"-"`
}

// errorBody is the union of Cohost's error shapes. Each member is read on
// its own, so that one of an unexpected type does not lose the others.
type errorBody struct {
	Code    json.RawMessage `json:"code"`
	Message json.RawMessage `json:"message"`
	Details json.RawMessage `json:"details"`
	Detail  json.RawMessage `json:"detail"`
}

// decodeError reads Cohost's three error shapes: business errors {code,
// message, details}, FastAPI validation errors {detail: [{loc, msg, type}]},
// and {detail: "text"}. The details object becomes an *ErrorDetails; its
// retry_after_seconds becomes RetryAfter. A body that is not a JSON object
// gives nil (a generic error).
func decodeError(r *transport.Response) *partnerkit.Error {
	var body errorBody
	if json.Unmarshal(r.Body, &body) != nil {
		return nil
	}
	e := &partnerkit.Error{}
	_ = json.Unmarshal(body.Code, &e.Code) // not a string: no code
	_ = json.Unmarshal(body.Message, &e.Message)
	if d := decodeDetails(body.Details); d != nil {
		e.Details = d
		if secs := d.RetryAfterSeconds.Float64(); secs > 0 {
			e.RetryAfter, _ = ratelimit.Seconds(secs)
		}
	}
	decodeDetail(e, body.Detail)
	return e
}

// decodeDetails reads a business error's details object; it returns nil for
// an absent, empty or malformed one.
func decodeDetails(raw json.RawMessage) *ErrorDetails {
	var members map[string]json.RawMessage
	if json.Unmarshal(raw, &members) != nil || len(members) == 0 {
		return nil
	}
	d := &ErrorDetails{Raw: bytes.Clone(raw)}
	if secs, ok := members["retry_after_seconds"]; ok {
		_ = json.Unmarshal(secs, &d.RetryAfterSeconds) // not a number: only in Raw
	}
	return d
}

// decodeDetail reads FastAPI's detail: a text, which becomes the message
// when there is none, or a list of {loc, msg, type}, which becomes
// FieldErrors keyed by the joined location ("body.check_in_date").
func decodeDetail(e *partnerkit.Error, raw json.RawMessage) {
	var text string
	var items []struct {
		Loc  []any  `json:"loc"`
		Msg  string `json:"msg"`
		Type string `json:"type"`
	}
	switch {
	case len(raw) == 0:
	case json.Unmarshal(raw, &text) == nil:
		if e.Message == "" {
			e.Message = text
		}
	case json.Unmarshal(raw, &items) == nil:
		e.FieldErrors = make(map[string][]string, len(items))
		for _, it := range items {
			loc := make([]string, len(it.Loc))
			for i, part := range it.Loc {
				loc[i] = fmt.Sprint(part)
			}
			field := strings.Join(loc, ".")
			e.FieldErrors[field] = append(e.FieldErrors[field], it.Msg)
		}
		if e.Message == "" {
			e.Message = "request validation failed"
		}
	}
}
