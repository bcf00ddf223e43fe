package etelecom

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Services of the eTelecom RPC API, for Method.Service.
const (
	ServiceShop     = "Shop"
	ServiceMisc     = "Misc"
	ServiceEtelecom = "Etelecom"
	ServiceZalo     = "Zalo"
	ServiceWebhook  = "Webhook"
)

// KeyRule says which key a method takes, as eTelecom's documents say.
type KeyRule int

const (
	// AnyKey: the partner's api_key or a shop's key; also the rule of
	// methods whose page does not say. The client does not check it.
	AnyKey KeyRule = iota
	// PartnerKey: the partner's own api_key, a client from New.
	PartnerKey
	// ShopKey: a shop's key, a client from ForShop. (A shop that integrates
	// directly uses its own api_key on the Shop API instead; this package
	// speaks the Partner API.)
	ShopKey
)

// String names the rule as the package documentation does.
func (k KeyRule) String() string {
	switch k {
	case PartnerKey:
		return "partner key"
	case ShopKey:
		return "shop key"
	}
	return "either key"
}

// Method declares one RPC method: its service and name, the key it takes,
// and whether sending it twice is harmless. Every method this package wraps
// is declared with one, and Call takes one to reach any other:
//
//	m := etelecom.Method{Service: etelecom.ServiceShop, Name: "GetShops", ReadOnly: true}
//	err := c.Call(ctx, m, in, &out)
//
// A method that is neither ReadOnly nor Idempotent is sent at most once
// after it may have reached eTelecom: a timeout, a reset connection or an
// unavailable or deadline_exceeded answer ends the call, since eTelecom
// may have acted. A rate-limit refusal with a Retry-After and a connection
// that could not be opened are retried for every method, since eTelecom
// did not act.
type Method struct {
	// Service is the RPC service, such as ServiceEtelecom.
	Service string
	// Name is the method, such as "ListCallLogs".
	Name string
	// Key is the key the method takes; a call with the other key is refused
	// before anything is sent. The zero value, AnyKey, checks nothing.
	Key KeyRule
	// ReadOnly marks a method that changes nothing (whatever its name:
	// Zalo/CheckConsent is read-only). It is retried after failures that may
	// have reached eTelecom, such as a timeout or an unavailable or
	// deadline_exceeded answer under any status.
	ReadOnly bool
	// Idempotent marks a method that writes absolute values (assign this
	// user to that extension, delete that webhook): sending it twice has the
	// effect of sending it once, so it is retried like a read.
	Idempotent bool
}

// String returns "Service/Name", the method's route.
func (m Method) String() string {
	return m.Service + "/" + m.Name
}

// safety is the method's retry safety for the engine.
func (m Method) safety() transport.Safety {
	if m.ReadOnly || m.Idempotent {
		return transport.Idempotent
	}
	return transport.NotIdempotent
}

// Call sends method m with in as the JSON body ({} when in is nil) and
// decodes the answer into out (when out is not nil). It reaches any method
// of the API, including those this package does not wrap yet:
//
//	var out json.RawMessage
//	m := etelecom.Method{Service: etelecom.ServiceShop, Name: "GetShops", ReadOnly: true}
//	err := c.Call(ctx, m, map[string]any{"paging": map[string]any{"limit": 50}}, &out)
//
// The caller says whether the method is ReadOnly or Idempotent: nothing is
// guessed from its name. A Key other than AnyKey is checked against the
// client's key.
func (c *Client) Call(ctx context.Context, m Method, in, out any) error {
	var v validate.Errors
	checkName(&v, "Service", m.Service)
	checkName(&v, "Name", m.Name)
	if err := v.Err(); err != nil {
		return err
	}
	return c.send(ctx, m, in, out, nil)
}

// call sends m and returns its answer decoded as a T.
func call[T any](ctx context.Context, c *Client, m Method, in any) (*T, error) {
	var out T
	if err := c.send(ctx, m, in, &out, nil); err != nil {
		return nil, err
	}
	return &out, nil
}

// send is the one way a call goes out: it checks the key rule, then sends
// in ({} when nil) to base.Service/Name and decodes the answer into out.
// expect, when set, judges the decoded answer (transport.Request.Expect).
func (c *Client) send(ctx context.Context, m Method, in, out any, expect func() string) error {
	if err := c.takes(m); err != nil {
		return err
	}
	body := in
	if isNil(body) {
		body = emptyBody
	}
	return c.t.Do(ctx, &transport.Request{
		Method: http.MethodPost,
		URL:    c.base + "." + m.Service + "/" + m.Name,
		Route:  m.String(),
		Body:   body,
		Safety: m.safety(),
		Expect: expect,
	}, out)
}

// takes refuses a method whose key rule the client's key breaks.
func (c *Client) takes(m Method) error {
	switch {
	case m.Key == PartnerKey && c.shop:
		return &partnerkit.ValidationError{Field: m.String(), Rule: "takes the partner's api_key: call it on the client from New, not on one from ForShop"}
	case m.Key == ShopKey && !c.shop:
		return &partnerkit.ValidationError{Field: m.String(), Rule: "takes a shop's key: call it on a client from ForShop"}
	}
	return nil
}

// checkName accepts service and method names made of letters, digits and
// underscores, starting with a letter.
func checkName(v *validate.Errors, field, name string) {
	if !v.Required(field, name) {
		return
	}
	ok := true
	for i, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case (r >= '0' && r <= '9') || r == '_':
			ok = ok && i > 0
		default:
			ok = false
		}
	}
	v.Check(ok, field, "must be a name of letters, digits and underscores, such as ListCallLogs")
}

// checkDateRange refuses a DateTo before DateFrom when both are set.
func checkDateRange(v *validate.Errors, from, to time.Time) {
	if !from.IsZero() && !to.IsZero() {
		v.Check(!to.Before(from), "DateTo", "must not be before DateFrom")
	}
}

// checkIDs checks every ID of a list, naming each as field[i].
func checkIDs(v *validate.Errors, field string, ids []partnerkit.ID) {
	for i, id := range ids {
		checkID(v, fmt.Sprintf("%s[%d]", field, i), id)
	}
}

// number returns an ID that checkID accepted as the integer the wire
// wants, or 0 for an empty ID (left out of an omitempty field).
func number(id partnerkit.ID) int64 {
	n, _ := id.Int64()
	return n
}

// checkDigits accepts a number made of digits only, such as an
// extension's number, which eTelecom keeps as text.
func checkDigits(v *validate.Errors, field string, id partnerkit.ID, example string) {
	v.Check(digits(string(id)), field, "must be a number, digits only, such as "+example)
}

// checkOneOf accepts an empty value or one of values.
func checkOneOf(v *validate.Errors, field, value string, values ...string) {
	if value != "" {
		v.Check(slices.Contains(values, value), field, "must be "+orList(values)+" or empty")
	}
}

// checkRequiredOneOf accepts one of values.
func checkRequiredOneOf(v *validate.Errors, field, value string, values ...string) {
	if v.Required(field, value) {
		v.Check(slices.Contains(values, value), field, "must be "+orList(values))
	}
}

// checkMaxRunes refuses a text longer than n characters.
func checkMaxRunes(v *validate.Errors, field, text string, n int) {
	v.Check(utf8.RuneCountInString(text) <= n, field, fmt.Sprintf("must be at most %d characters", n))
}

// orList writes values as "a, b or c".
func orList(values []string) string {
	if len(values) < 2 {
		return strings.Join(values, "")
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}

// isNil reports whether v is nil or a nil pointer, map or slice, which
// would be sent as null.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

// emptyBody is sent when a method takes no arguments.
var emptyBody = json.RawMessage("{}")
