package etelecom

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

// Twirp error codes, as Twirp v8 spells them, found in
// partnerkit.Error.Code. Each matches one partnerkit sentinel:
//
//	invalid_argument, malformed, out_of_range, failed_precondition   ErrInvalidRequest
//	bad_route                                                        ErrInvalidRequest (see CodeBadRoute)
//	unauthenticated                                                  ErrUnauthorized
//	permission_denied                                                ErrForbidden
//	not_found                                                        ErrNotFound
//	already_exists, aborted                                          ErrConflict
//	resource_exhausted                                               ErrRateLimited
//	internal, unknown, data_loss, unavailable, deadline_exceeded,
//	unimplemented                                                    ErrServer
//
// canceled and codes Twirp does not define match by their HTTP status.
const (
	CodeCanceled           = "canceled"
	CodeUnknown            = "unknown"
	CodeInvalidArgument    = "invalid_argument"
	CodeMalformed          = "malformed"
	CodeDeadlineExceeded   = "deadline_exceeded"
	CodeNotFound           = "not_found"
	CodeAlreadyExists      = "already_exists"
	CodePermissionDenied   = "permission_denied"
	CodeUnauthenticated    = "unauthenticated"
	CodeResourceExhausted  = "resource_exhausted"
	CodeFailedPrecondition = "failed_precondition"
	CodeAborted            = "aborted"
	CodeOutOfRange         = "out_of_range"
	CodeUnimplemented      = "unimplemented"
	CodeInternal           = "internal"
	CodeUnavailable        = "unavailable"
	CodeDataLoss           = "data_loss"
	// CodeBadRoute means eTelecom could not route the call: a wrong base URL,
	// a service or method name it does not have, a missing Content-Type, or
	// a method other than POST. It is a mistake in the request, so it
	// matches ErrInvalidRequest, not ErrNotFound: no record is missing, and
	// asking again gets the same answer.
	CodeBadRoute = "bad_route"
	// CodeOK is the code of a successful answer, where eTelecom sends one.
	CodeOK = "ok"
)

// kindForCode returns the sentinel of a Twirp error code, or nil for codes
// whose HTTP status decides.
func kindForCode(code string) error {
	switch code {
	case CodeInvalidArgument, CodeMalformed, CodeOutOfRange, CodeFailedPrecondition, CodeBadRoute:
		return partnerkit.ErrInvalidRequest
	case CodeUnauthenticated:
		return partnerkit.ErrUnauthorized
	case CodePermissionDenied:
		return partnerkit.ErrForbidden
	case CodeNotFound:
		return partnerkit.ErrNotFound
	case CodeAlreadyExists, CodeAborted:
		return partnerkit.ErrConflict
	case CodeResourceExhausted:
		return partnerkit.ErrRateLimited
	case CodeInternal, CodeUnknown, CodeDataLoss, CodeUnavailable, CodeDeadlineExceeded, CodeUnimplemented:
		return partnerkit.ErrServer
	}
	return nil
}

// ErrorDetails is what a Twirp error body adds to its code and message: the
// value of partnerkit.Error.Details for every eTelecom error whose body has
// a meta object. Read it with
//
//	d, ok := partnerkit.DetailsOf[*etelecom.ErrorDetails](err)
type ErrorDetails struct {
	// Meta is the body's meta object. Twirp's metadata is text: a value
	// that is not a JSON string is kept as its JSON text. Twirp's
	// "argument" names the request field an invalid_argument is about (it is
	// also in Error.FieldErrors); "twirp_invalid_route" the route of a
	// bad_route; eTelecom's "reason" why permission was denied.
	Meta map[string]string `json:"meta,omitempty"`
	// Raw is the meta object as received, values that are not strings
	// included.
	Raw json.RawMessage `json:"-"`
}

// twirpError is a Twirp error body: {"code", "msg", "meta"}.
type twirpError struct {
	Code string          `json:"code"`
	Msg  string          `json:"msg"`
	Meta json.RawMessage `json:"meta"`
}

// decodeError reads a Twirp error body. A body that is not one gives nil
// (the status decides).
func decodeError(r *transport.Response) *partnerkit.Error {
	var body twirpError
	if json.Unmarshal(r.Body, &body) != nil {
		return nil
	}
	return body.toError()
}

// failure reads a Twirp error code that an answer with a success status
// carries, such as AuthorizeShop's {"code": "permission_denied", ...} under
// 200 (Spec.Failure).
func failure(r *transport.Response) *partnerkit.Error {
	var body twirpError
	if json.Unmarshal(r.Body, &body) != nil || body.Code == "" || body.Code == CodeOK {
		return nil
	}
	e := body.toError()
	if e.Kind == nil {
		e.Kind = partnerkit.ErrUnexpected
	}
	return e
}

// routeHint follows the message of a bad_route.
const routeHint = " (eTelecom could not route the call: check the base URL, such as " + DefaultBaseURL + ", and the service and method names)"

func (b *twirpError) toError() *partnerkit.Error {
	e := &partnerkit.Error{Code: b.Code, Message: b.Msg, Kind: kindForCode(b.Code)}
	if b.Code == CodeBadRoute {
		e.Message += routeHint
	}
	if meta := metaOf(b.Meta); len(meta) > 0 {
		e.Details = &ErrorDetails{Meta: meta, Raw: bytes.Clone(bytes.TrimSpace(b.Meta))}
		if arg := meta["argument"]; arg != "" {
			e.FieldErrors = map[string][]string{arg: {b.Msg}}
		}
	}
	return e
}

// metaOf reads a meta object, keeping values that are not strings as their
// JSON text. Anything but an object gives nil.
func metaOf(raw json.RawMessage) map[string]string {
	var members map[string]json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &members) != nil || len(members) == 0 {
		return nil
	}
	meta := make(map[string]string, len(members))
	for k, v := range members {
		var s string
		if json.Unmarshal(v, &s) != nil {
			s = string(bytes.TrimSpace(v))
		}
		meta[k] = s
	}
	return meta
}

// classify reads Twirp codes the way the retry rule needs (Spec.Classify):
// unavailable and deadline_exceeded are transient under any status (a read
// is retried, a create is not); a resource_exhausted is a rate limit when
// it says how long to wait (Retry-After), and final without, since a spent
// quota does not come back by asking again; a bad_route is final.
func classify(e *partnerkit.Error) transport.Class {
	switch e.Code {
	case CodeUnavailable, CodeDeadlineExceeded:
		return transport.ClassTransient
	case CodeResourceExhausted:
		if e.RetryAfter > 0 {
			return transport.ClassRateLimited
		}
		return transport.ClassFinal
	case CodeBadRoute:
		return transport.ClassFinal
	}
	return transport.ClassDefault
}

// Codes of the SMS brandname API (SMSClient), found in
// partnerkit.Error.Code: its negative statuses, which eTelecom answers with
// HTTP 200. Each matches one partnerkit sentinel:
//
//	CodeSMSBadPhone, CodeSMSBadParameter, CodeSMSNoRoute, CodeSMSNoChannel   ErrInvalidRequest
//	CodeSMSOutOfMessages                                                     ErrForbidden
//	CodeSMSTemplateMissing                                                   ErrNotFound
//
// Another negative status matches ErrUnexpected. (The SMSStatus constants
// are delivery states of a sent message, not errors.)
const (
	// CodeSMSBadPhone: the phone number's format is wrong.
	CodeSMSBadPhone = "-1"
	// CodeSMSBadParameter: a parameter is wrong ("Wrong Format Parameter").
	CodeSMSBadParameter = "-2"
	// CodeSMSOutOfMessages: the account has no messages left.
	CodeSMSOutOfMessages = "-3"
	// CodeSMSTemplateMissing: the template was not found.
	CodeSMSTemplateMissing = "-6"
	// CodeSMSNoRoute: no route is set up for the template.
	CodeSMSNoRoute = "-8"
	// CodeSMSNoChannel: no channel information was found.
	CodeSMSNoChannel = "-9"
)

// smsStatuses describes the documented negative statuses and the sentinel
// each matches.
var smsStatuses = map[string]struct {
	text string
	kind error
}{
	CodeSMSBadPhone:        {"the phone number format is wrong", partnerkit.ErrInvalidRequest},
	CodeSMSBadParameter:    {"a parameter is wrong", partnerkit.ErrInvalidRequest},
	CodeSMSOutOfMessages:   {"the account has no messages left", partnerkit.ErrForbidden},
	CodeSMSTemplateMissing: {"the template was not found", partnerkit.ErrNotFound},
	CodeSMSNoRoute:         {"no route is set up for the template", partnerkit.ErrInvalidRequest},
	CodeSMSNoChannel:       {"no channel information was found", partnerkit.ErrInvalidRequest},
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
	n, err := strconv.Atoi(string(a.Status))
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
