package alohub

import (
	"bytes"
	"encoding/json"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

// Error codes Alohub documents, found in partnerkit.Error.Code. Each
// failure matches one partnerkit sentinel: under an error status the status
// decides it; a failure envelope under a success status is matched by its
// code, as listed.
const (
	// CodeSuccess is the code of a successful answer.
	CodeSuccess = "SUCCESS"
	// CodeInvalidInput: Alohub refused the request's input (400,
	// partnerkit.ErrInvalidRequest). The name is Alohub's: it is a refusal
	// by the server, after sending, unlike partnerkit.ErrInvalidInput,
	// which the client returns before sending anything.
	CodeInvalidInput = "INVALID_INPUT"
	// CodeInvalidState: the object is not in a state that allows the call,
	// such as deleting a contact that is not pending (400,
	// partnerkit.ErrInvalidRequest).
	CodeInvalidState = "INVALID_STATE"
	// CodeUnauthorized: the API key is missing or wrong (401,
	// partnerkit.ErrUnauthorized).
	CodeUnauthorized = "UNAUTHORIZED"
	// CodeInsufficientScope: the key lacks the call's scope, campaign or
	// report (403, partnerkit.ErrForbidden).
	CodeInsufficientScope = "INSUFFICIENT_SCOPE"
	// CodeNotFound: no such campaign, list, contact or job (404,
	// partnerkit.ErrNotFound).
	CodeNotFound = "NOT_FOUND"
	// CodeRateLimitExceeded: a rate-limit window is spent (429,
	// partnerkit.ErrRateLimited). The client waits and retries it, under
	// a 429 or a 200 alike.
	CodeRateLimitExceeded = "RATE_LIMIT_EXCEEDED"
	// CodeFail: a failure of Alohub's system (500, partnerkit.ErrServer).
	CodeFail = "FAIL"
)

// ErrorDetails is what an Alohub error answer carries beyond its code and
// message: the value of partnerkit.Error.Details when the envelope of the
// failure holds data, nil otherwise. Read it with
//
//	d, ok := partnerkit.DetailsOf[*alohub.ErrorDetails](err)
type ErrorDetails struct {
	// Raw is the envelope's data member as received. Alohub's documents
	// show failures without one; a gateway may put the refused input
	// there.
	Raw json.RawMessage `json:"-"`
}

// successFlag is the envelope's success field: the string "1" on success.
// It also accepts the number 1 and true, which some gateways produce.
type successFlag string

// UnmarshalJSON reads "1", 1 or true as success and anything else as
// failure.
func (f *successFlag) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch string(data) {
	case "true":
		*f = "1"
		return nil
	case "false":
		*f = "0"
		return nil
	}
	var id partnerkit.ID
	if err := id.UnmarshalJSON(data); err != nil {
		return err
	}
	*f = successFlag(id)
	return nil
}

// status is the part of Alohub's envelope that says how the call went:
// {"success": "1", "error_code": "SUCCESS", "error_message": "..."}.
type status struct {
	Success      *successFlag `json:"success"`
	ErrorCode    string       `json:"error_code"`
	ErrorMessage string       `json:"error_message"`
}

// errorBody is every error body the gateway and Alohub answer with:
// Alohub's envelope, or Kong's own {"message": "..."} (a missing key, a
// spent quota counted by Kong's plugin).
type errorBody struct {
	status
	Message json.RawMessage `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// read decodes body into a partnerkit.Error, or returns nil when the body
// is not a JSON object.
func (b *errorBody) read(body []byte) *partnerkit.Error {
	if json.Unmarshal(body, b) != nil {
		return nil
	}
	e := &partnerkit.Error{Code: b.ErrorCode, Message: b.ErrorMessage}
	if e.Message == "" && len(b.Message) > 0 {
		_ = json.Unmarshal(b.Message, &e.Message) // a message that is not a string is left out
	}
	if d := bytes.TrimSpace(b.Data); len(d) > 0 && !bytes.Equal(d, []byte("null")) {
		e.Details = &ErrorDetails{Raw: bytes.Clone(d)}
	}
	return e
}

// failure reads the envelope of an answer with a success status: a success
// flag other than "1" is a failure, whatever the HTTP status said, of the
// kind its code names (a RATE_LIMIT_EXCEEDED envelope is waited out and
// retried like a 429). An answer without a flag is judged by its call
// (envelope.broken).
func failure(r *transport.Response) *partnerkit.Error {
	var b errorBody
	e := b.read(r.Body)
	if e == nil || b.Success == nil || *b.Success == "1" {
		return nil
	}
	e.Kind = kindForCode(b.ErrorCode)
	return e
}

// decodeError reads the body of an answer with an error status. The status
// decides the sentinel; Code and Message come from the body.
func decodeError(r *transport.Response) *partnerkit.Error {
	var b errorBody
	return b.read(r.Body)
}

// kindForCode returns the sentinel for an Alohub error code, for failures
// reported under a success status.
func kindForCode(code string) error {
	switch code {
	case CodeInvalidInput, CodeInvalidState:
		return partnerkit.ErrInvalidRequest
	case CodeUnauthorized:
		return partnerkit.ErrUnauthorized
	case CodeInsufficientScope:
		return partnerkit.ErrForbidden
	case CodeNotFound:
		return partnerkit.ErrNotFound
	case CodeRateLimitExceeded:
		return partnerkit.ErrRateLimited
	case CodeFail:
		return partnerkit.ErrServer
	}
	return partnerkit.ErrUnexpected
}
