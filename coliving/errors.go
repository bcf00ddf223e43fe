package coliving

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/ratelimit"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

// Codes found in partnerkit.Error.Code. Coliving's v1 bodies carry a
// sentence in "error" (kept in Message); the client sets Code from the
// body's details so that callers can branch on it. The newer envelope's
// error type is kept as sent.
const (
	// CodeInvalidRoomTypes: some room types do not belong to their
	// listings (400). ErrorDetails.InvalidRoomTypes lists them.
	CodeInvalidRoomTypes = "invalid_room_types"
	// CodeUnauthorizedListings: some listings are not the host's (403).
	// ErrorDetails.UnauthorizedListingIDs lists them.
	CodeUnauthorizedListings = "unauthorized_listing_ids"
	// CodeValidationError: the body failed validation (422). FieldErrors
	// holds the messages by field, such as "data.0.listing_id".
	CodeValidationError = "validation_error"
	// CodeConflict: the provider key belongs to another account (409).
	CodeConflict = "conflict"
	// CodeUnsupportedProvider: Coliving does not know the integrator id
	// given to New, the {provider} of its paths (404). The name is
	// Coliving's.
	CodeUnsupportedProvider = "unsupported_provider"
	// CodeIdempotencyKeyMismatch: an Idempotency-Key was reused with
	// another body (409).
	CodeIdempotencyKeyMismatch = "idempotency_key_mismatch"
)

// ErrorDetails is the typed data Coliving sends with some errors.
// partnerkit.Error.Details is nil or an *ErrorDetails for every Coliving
// error; read it with partnerkit.DetailsOf:
//
//	if d, ok := partnerkit.DetailsOf[*coliving.ErrorDetails](err); ok {
//		for _, id := range d.UnauthorizedListingIDs { ... }
//	}
type ErrorDetails struct {
	// InvalidRoomTypes lists the room types refused because they do not
	// belong to their listing (400 "Invalid room types for listings").
	InvalidRoomTypes []InvalidRoomType `json:"invalid_room_types,omitempty"`
	// UnauthorizedListingIDs lists the listings the key may not touch (403
	// "Unauthorized access to listings").
	UnauthorizedListingIDs []partnerkit.ID `json:"unauthorized_listing_ids,omitempty"`
	// Problems are the items of the newer envelope's errors list, in order.
	Problems []Problem `json:"problems,omitempty"`
	// Raw is the details object as received (the envelope's error object
	// for the newer envelope).
	Raw json.RawMessage `json:"-"`
}

// InvalidRoomType is a room type Coliving refused.
type InvalidRoomType struct {
	// ListingID and RoomTypeID name the refused room type.
	ListingID  partnerkit.ID `json:"listing_id"`
	RoomTypeID partnerkit.ID `json:"room_type_id"`
	// Reason is Coliving's words, such as "Room type not found or does not
	// belong to listing".
	Reason string `json:"reason"`
}

// Problem is one item of the newer error envelope's errors list.
type Problem struct {
	// Path names the field, such as "data.0.available".
	Path string `json:"path"`
	// Code is the rule the field broke, such as "min".
	Code string `json:"code"`
	// Message is Coliving's words about it.
	Message string `json:"message"`
}

// wireError covers every error body Coliving documents:
//
//	{"success": false, "error": "API key missing"}
//	{"success": false, "error": "...", "details": {"invalid_room_types": [...]}}
//	{"success": false, "error": "validation_error", "message": "...", "errors": {"data.0.listing_id": ["..."]}}
//	{"success": false, "error": "Rate limit exceeded", "retry_after": 45}
//	{"error": {"type": "...", "message": "...", "request_id": "...", "errors": [{"path", "code", "message"}]}}
type wireError struct {
	Error      json.RawMessage `json:"error"`
	Message    string          `json:"message"`
	Details    json.RawMessage `json:"details"`
	Errors     json.RawMessage `json:"errors"`
	RetryAfter json.RawMessage `json:"retry_after"`
	RequestID  string          `json:"request_id"`
	Meta       struct {
		RequestID string `json:"request_id"`
	} `json:"meta"`
}

// wireEnvelope is the error object of the newer envelope.
type wireEnvelope struct {
	Type      string    `json:"type"`
	Code      string    `json:"code"`
	Message   string    `json:"message"`
	RequestID string    `json:"request_id"`
	Errors    []Problem `json:"errors"`
}

// decodeError is the client's Spec.DecodeError: the Error of an answer
// with an error status.
func decodeError(r *transport.Response) *partnerkit.Error {
	return decodeBody(r.Body)
}

// decodeBody reads any documented error body; it returns nil when the body
// is not JSON, leaving a generic Error to the engine.
func decodeBody(body []byte) *partnerkit.Error {
	var w wireError
	if json.Unmarshal(body, &w) != nil {
		return nil
	}
	e := &partnerkit.Error{RequestID: w.RequestID}
	if e.RequestID == "" {
		e.RequestID = w.Meta.RequestID
	}
	var text string
	var env wireEnvelope
	switch {
	case len(w.Error) == 0:
	case json.Unmarshal(w.Error, &text) == nil:
		if w.Message != "" {
			e.Code, e.Message = text, w.Message
		} else {
			e.Message = text
		}
	case json.Unmarshal(w.Error, &env) == nil:
		e.Code = env.Type
		if e.Code == "" {
			e.Code = env.Code
		}
		e.Message = env.Message
		if env.RequestID != "" {
			e.RequestID = env.RequestID
		}
		if len(env.Errors) > 0 {
			e.FieldErrors = make(map[string][]string, len(env.Errors))
			for _, p := range env.Errors {
				e.FieldErrors[p.Path] = append(e.FieldErrors[p.Path], p.Message)
			}
			e.Details = &ErrorDetails{Problems: env.Errors, Raw: append(json.RawMessage(nil), w.Error...)}
		}
	}
	if e.Message == "" {
		e.Message = w.Message
	}
	if fields := fieldErrors(w.Errors); len(fields) > 0 {
		e.FieldErrors = fields
		if e.Code == "" {
			e.Code = CodeValidationError
		}
	}
	if d := details(w.Details); d != nil {
		e.Details = d
		switch {
		case len(d.InvalidRoomTypes) > 0 && e.Code == "":
			e.Code = CodeInvalidRoomTypes
		case len(d.UnauthorizedListingIDs) > 0 && e.Code == "":
			e.Code = CodeUnauthorizedListings
		}
	}
	e.RetryAfter = seconds(w.RetryAfter)
	return e
}

// fieldErrors reads a Laravel-style errors map; lists and other shapes give
// nil.
func fieldErrors(raw json.RawMessage) map[string][]string {
	if len(raw) == 0 || raw[0] != '{' {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || len(m) == 0 {
		return nil
	}
	out := make(map[string][]string, len(m))
	for field, v := range m {
		var list []string
		var one string
		switch {
		case json.Unmarshal(v, &list) == nil:
			out[field] = list
		case json.Unmarshal(v, &one) == nil:
			out[field] = []string{one}
		default:
			out[field] = []string{string(v)}
		}
	}
	return out
}

// details reads the details object of a v1 error body, or returns nil when
// there is none.
func details(raw json.RawMessage) *ErrorDetails {
	if len(raw) == 0 || raw[0] != '{' {
		return nil
	}
	var d ErrorDetails
	if rawjson.Unmarshal(raw, &d) != nil {
		// A shape we do not know: keep it raw.
		return &ErrorDetails{Raw: append(json.RawMessage(nil), raw...)}
	}
	return &d
}

// seconds reads a wait in seconds sent as a number or a string.
func seconds(raw json.RawMessage) time.Duration {
	if len(raw) == 0 {
		return 0
	}
	text := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0
	}
	d, _ := ratelimit.Seconds(f)
	return d
}

// failure is the client's Spec.Failure: the Error of an answer with a
// success status whose body says success: false, or nil. The engine judges
// it inside the attempt loop, so a rate-limit refusal is waited out and
// retried like a 429.
func failure(r *transport.Response) *partnerkit.Error {
	var head struct {
		Success *bool `json:"success"`
	}
	if json.Unmarshal(r.Body, &head) != nil || head.Success == nil || *head.Success {
		return nil
	}
	return successFalse(r.Body)
}

// rateLimitMessage is the error of Coliving's rate-limit refusal.
const rateLimitMessage = "Rate limit exceeded"

// successFalse returns the Error of a body that says success: false under
// a success status. The kind comes from what the body says, since the
// status does not: refused IDs and validation first, then a rate limit
// (retry_after, or Coliving's rate-limit error), else ErrUnexpected.
func successFalse(body []byte) *partnerkit.Error {
	e := decodeBody(body)
	if e == nil {
		e = &partnerkit.Error{}
	}
	if e.Message == "" {
		e.Message = "the answer reports success: false"
	}
	switch {
	case e.Code == CodeInvalidRoomTypes, e.Code == CodeValidationError:
		e.Kind = partnerkit.ErrInvalidRequest
	case e.Code == CodeUnauthorizedListings:
		e.Kind = partnerkit.ErrForbidden
	case e.RetryAfter > 0, strings.EqualFold(strings.TrimSpace(e.Message), rateLimitMessage):
		e.Kind = partnerkit.ErrRateLimited
	default:
		e.Kind = partnerkit.ErrUnexpected
	}
	return e
}
