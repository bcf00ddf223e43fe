package chekin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

// Codes found in partnerkit.Error.Code. CheKin's coded answers carry a
// number, such as 4002; Django REST Framework's carry a word when the
// server puts the exception's code in the body, as simplejwt does.
const (
	// CodeNoCredentials: the request carried no usable Authorization
	// header (401, "Invalid Authorization header. No credentials
	// provided."). The client renews the token once and sends the call
	// again.
	CodeNoCredentials = "4002"
	// CodeTokenNotValid: simplejwt refused the token, which has expired or
	// is not a token (401, or 403 when session authentication comes
	// first). The client renews the token once and sends the call again.
	CodeTokenNotValid = "token_not_valid"
	// CodeAuthenticationFailed: Django REST Framework refused the
	// credentials (401, or 403 when session authentication comes first).
	// The client renews the token once and sends the call again.
	CodeAuthenticationFailed = "authentication_failed"
	// CodePermissionDenied: the account may not do this (403).
	CodePermissionDenied = "permission_denied"
)

// ErrorDetails is what a CheKin error says beyond Code, Message and
// FieldErrors. It is the value of partnerkit.Error.Details when an answer
// carried any of it, and nil otherwise:
//
//	if d, ok := partnerkit.DetailsOf[*chekin.ErrorDetails](err); ok {
//		for _, m := range d.TokenMessages { ... }
//	}
type ErrorDetails struct {
	// TokenMessages are simplejwt's reasons for refusing a token, one for
	// each kind of token it tried (its "messages" list).
	TokenMessages []TokenMessage `json:"messages,omitempty"`
	// Raw holds, as received, the members of the error body that are
	// neither its message (detail, message, non_field_errors), its code
	// nor its field errors: the coded form's status_code, simplejwt's
	// messages. It is a JSON object.
	Raw json.RawMessage `json:"-"`
}

// TokenMessage is one of simplejwt's reasons for refusing a token, such as
// {"token_class": "AccessToken", "token_type": "access", "message": "Token
// is expired"}.
type TokenMessage struct {
	TokenClass string `json:"token_class"`
	TokenType  string `json:"token_type"`
	Message    string `json:"message"`
}

// tokenMessages are djangorestframework-jwt's messages for a token it
// refuses: it sends them in "detail" without a code, under a 403 when
// session authentication comes first.
var tokenMessages = map[string]bool{
	"Signature has expired.":    true,
	"Error decoding signature.": true,
	"Invalid signature.":        true,
}

// refusedToken reports whether an error answer refused the request's token,
// whatever its status: a 401, or a 4xx whose body says so (simplejwt's
// token_not_valid, DRF's authentication_failed, CheKin's coded 4002, which
// is djangorestframework-jwt's "Invalid Authorization header", and
// djangorestframework-jwt's other messages). Django REST Framework answers
// 403 instead of 401 when the first authentication class is session
// authentication. The engine then renews the token once and replays the
// call once.
func refusedToken(e *partnerkit.Error) bool {
	if e.StatusCode == http.StatusUnauthorized {
		return true
	}
	if e.StatusCode < 400 || e.StatusCode > 499 || e.StatusCode == http.StatusTooManyRequests {
		return false
	}
	switch e.Code {
	case CodeTokenNotValid, CodeAuthenticationFailed, CodeNoCredentials:
		return true
	}
	return tokenMessages[e.Message]
}

// decodeError reads CheKin's error bodies, all Django REST Framework style:
// {"detail": "..."} (with a "code" when the server adds it), {"non_field_errors":
// [...]}, field lists such as {"check_in_date": ["..."], "location":
// {"country": ["..."]}}, a bare list of messages, the coded form {"code",
// "message", "status_code", "errors"}, and simplejwt's refused token
// {"detail", "code": "token_not_valid", "messages": [...]}, whose messages
// go to ErrorDetails; ErrorDetails.Raw keeps the members that are neither
// a message, the code nor field errors. Field errors are keyed by their path, such as
// "location.country" or "members[1].name". A refused token matches
// partnerkit.ErrUnauthorized whatever its status; a 402 (no valid
// subscription) matches partnerkit.ErrForbidden.
func decodeError(r *transport.Response) *partnerkit.Error {
	e := &partnerkit.Error{StatusCode: r.StatusCode}
	if r.StatusCode == http.StatusPaymentRequired {
		e.Kind = partnerkit.ErrForbidden
	}
	var doc any
	if json.Unmarshal(r.Body, &doc) != nil {
		return e
	}
	switch body := doc.(type) {
	case string:
		e.Message = body
	case []any:
		e.Message = strings.Join(messages(body), " ")
	case map[string]any:
		var members map[string]json.RawMessage
		_ = json.Unmarshal(r.Body, &members) // it decoded as an object above
		if d := decodeObject(e, body, members); d != nil {
			e.Details = d // a nil *ErrorDetails would make Details non-nil
		}
	}
	if refusedToken(e) {
		e.Kind = partnerkit.ErrUnauthorized
	}
	return e
}

// decodeObject reads an error object, decoded as body and as its members
// as received, into e. It returns nil, or the details the object carries
// beyond a message, a code and field errors.
func decodeObject(e *partnerkit.Error, body map[string]any, members map[string]json.RawMessage) *ErrorDetails {
	var tokens []TokenMessage
	others := map[string]json.RawMessage{}
	fields := map[string][]string{}
	for key, value := range body {
		switch key {
		case "code":
			e.Code = scalar(value)
		case "message":
			e.Message = scalar(value)
		case "detail":
			if s, ok := value.(string); ok {
				if e.Message == "" {
					e.Message = s
				}
			} else {
				collect(fields, "", value)
			}
		case "non_field_errors":
			if list, ok := value.([]any); ok {
				e.Message = joinMessage(e.Message, strings.Join(messages(list), " "))
			} else {
				e.Message = joinMessage(e.Message, scalar(value))
			}
		case "status_code":
			others[key] = members[key]
		case "errors":
			collect(fields, "", value)
		case "messages":
			if list, ok := tokenMessageList(value); ok {
				tokens = list
				others[key] = members[key]
			} else {
				collect(fields, key, value)
			}
		default:
			collect(fields, key, value)
		}
	}
	if msgs, ok := fields[""]; ok {
		delete(fields, "")
		e.Message = joinMessage(e.Message, strings.Join(msgs, " "))
	}
	if len(fields) > 0 {
		e.FieldErrors = fields
		if e.Message == "" {
			e.Message = "request validation failed"
		}
	}
	if len(others) == 0 {
		return nil
	}
	raw, _ := json.Marshal(others) // members that decoded encode again
	return &ErrorDetails{TokenMessages: tokens, Raw: raw}
}

// tokenMessageList reads simplejwt's "messages": a list of objects, each
// with a token_class, a token_type and a message. Any other value (a field
// named messages, with a list of texts) is not one.
func tokenMessageList(value any) ([]TokenMessage, bool) {
	list, ok := value.([]any)
	if !ok || len(list) == 0 {
		return nil, false
	}
	out := make([]TokenMessage, 0, len(list))
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, false
		}
		out = append(out, TokenMessage{TokenClass: scalar(m["token_class"]), TokenType: scalar(m["token_type"]), Message: scalar(m["message"])})
	}
	return out, true
}

// joinMessage keeps the first message and adds a different second one.
func joinMessage(first, second string) string {
	switch {
	case first == "" || first == second:
		return second
	case second == "":
		return first
	default:
		return first + " " + second
	}
}

// collect gathers the messages of a DRF error value under path.
func collect(fields map[string][]string, path string, value any) {
	switch v := value.(type) {
	case nil:
	case string:
		fields[path] = append(fields[path], v)
	case map[string]any:
		if field, ok := v["field"].(string); ok {
			msg := scalar(v["message"])
			if msg == "" {
				msg = scalar(v["detail"])
			}
			fields[join(path, field)] = append(fields[join(path, field)], msg)
			return
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sub := join(path, k)
			if k == "non_field_errors" {
				sub = path
			}
			collect(fields, sub, v[k])
		}
	case []any:
		for i, item := range v {
			if m, ok := item.(map[string]any); ok {
				if _, named := m["field"].(string); named {
					collect(fields, path, item)
					continue
				}
			}
			switch item.(type) {
			case map[string]any, []any:
				collect(fields, fmt.Sprintf("%s[%d]", path, i), item)
			default:
				fields[path] = append(fields[path], scalar(item))
			}
		}
	default:
		fields[path] = append(fields[path], scalar(v))
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// messages returns the texts of a list of messages.
func messages(list []any) []string {
	out := make([]string, 0, len(list))
	for _, item := range list {
		if s := scalar(item); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// scalar returns a JSON scalar as text ("4002" for the number 4002).
func scalar(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	default:
		b, _ := json.Marshal(t)
		return string(b)
	}
}
