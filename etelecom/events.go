package etelecom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/webhook"
)

// SecretParam is the query parameter of a webhook's URL that carries the
// receiver's secret. eTelecom documents no signature for its deliveries: an
// unguessable secret in the registered address is what tells its calls
// from others.
const SecretParam = webhook.SecretParam

// MaxEventBytes is the largest delivery body a receiver reads.
const MaxEventBytes = webhook.MaxEventBytes

// NewWebhookSecret returns a new unguessable secret (32 random bytes, hex
// encoded) for a webhook's URL.
func NewWebhookSecret() string {
	return webhook.NewSecret()
}

// WebhookURL returns receiverURL with secret added as the SecretParam query
// parameter: the URL to register with Webhooks.Create.
func WebhookURL(receiverURL, secret string) (string, error) {
	return webhook.URL(receiverURL, secret)
}

// Event is one event of a webhook delivery.
//
// eTelecom's pages do not show what it POSTs, so deliveries are read
// tolerantly: a body {"changes": [...]} holds one event per item, any
// other JSON object is one event. An event names its entity in "entity"
// (or "type" or "event"), or holds a member named for a known entity
// ("call_log": {...}); its object is the first of "latest", "data",
// "payload" and "object" (unwrapping {"call_log": {...}} inside it), else
// the event itself. Raw keeps every event as received, so nothing is lost
// when the real format differs.
type Event struct {
	// Entity is EntityCallLog, EntityZaloMessage or another entity as sent.
	Entity string
	// ChangeType is what happened, as sent ("change_type", "op" or
	// "action"), or "".
	ChangeType string
	// Time is the event's "time", when it has one.
	Time partnerkit.Timestamp
	// CallLog is the call of an EntityCallLog event.
	CallLog *CallLog
	// Message is the message of an EntityZaloMessage event.
	Message *ZNSMessage
	// Object is the event's object as received.
	Object json.RawMessage
	// Raw is the event as received.
	Raw json.RawMessage
}

// ErrBadEvent reports a delivery body that holds no readable event.
var ErrBadEvent = errors.New("etelecom: not a webhook event")

// ParseEvents reads the events of a delivery body (see Event for the forms
// it reads). It returns an error matching ErrBadEvent when the body is not
// a JSON object, holds no event, an event names no entity, or a known
// entity's object does not decode.
func ParseEvents(body []byte) ([]Event, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil || top == nil {
		return nil, fmt.Errorf("%w: the body is not a JSON object", ErrBadEvent)
	}
	raw, ok := top["changes"]
	if !ok {
		e, err := parseEvent(body)
		if err != nil {
			return nil, err
		}
		return []Event{e}, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil || len(items) == 0 {
		return nil, fmt.Errorf("%w: changes is not a list of events", ErrBadEvent)
	}
	events := make([]Event, 0, len(items))
	for i, item := range items {
		e, err := parseEvent(item)
		if err != nil {
			return nil, fmt.Errorf("changes[%d]: %w", i, err)
		}
		events = append(events, e)
	}
	return events, nil
}

// knownEntities are the entities whose objects are typed.
var knownEntities = [...]string{EntityCallLog, EntityZaloMessage}

func parseEvent(raw []byte) (Event, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return Event{}, fmt.Errorf("%w: an event is not a JSON object", ErrBadEvent)
	}
	e := Event{
		Entity:     firstString(m, "entity", "type", "event"),
		ChangeType: firstString(m, "change_type", "op", "action"),
		Raw:        bytes.Clone(raw),
	}
	if t, ok := m["time"]; ok {
		_ = json.Unmarshal(t, &e.Time) // a time in another form is left in Raw
	}
	var data json.RawMessage
	for _, k := range [...]string{"latest", "data", "payload", "object"} {
		if v, ok := m[k]; ok && isObject(v) {
			data = v
			break
		}
	}
	if e.Entity == "" {
		for _, k := range knownEntities {
			if v, ok := m[k]; ok && isObject(v) {
				e.Entity, data = k, v
				break
			}
		}
	}
	if e.Entity == "" {
		return Event{}, fmt.Errorf("%w: an event names no entity", ErrBadEvent)
	}
	var inner map[string]json.RawMessage
	if data != nil && json.Unmarshal(data, &inner) == nil && isObject(inner[e.Entity]) {
		data = inner[e.Entity]
	}
	if data == nil {
		data = raw
	}
	e.Object = bytes.Clone(data)
	var err error
	switch e.Entity {
	case EntityCallLog:
		e.CallLog = new(CallLog)
		err = rawjson.Unmarshal(data, e.CallLog)
	case EntityZaloMessage:
		e.Message = new(ZNSMessage)
		err = rawjson.Unmarshal(data, e.Message)
	}
	if err != nil {
		return Event{}, fmt.Errorf("%w: the %s does not decode: %v", ErrBadEvent, e.Entity, err)
	}
	return e, nil
}

// firstString returns the first of keys whose value in m is a non-empty
// JSON string.
func firstString(m map[string]json.RawMessage, keys ...string) string {
	for _, k := range keys {
		var s string
		if json.Unmarshal(m[k], &s) == nil && s != "" {
			return s
		}
	}
	return ""
}

// isObject reports whether raw is a JSON object.
func isObject(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '{'
}

// EventFunc handles one event. It runs before the receiver answers
// eTelecom, so it must be quick: record the event or queue it. eTelecom may
// deliver an event again, so handle each idempotently (a CallLog's ID, a
// message's ID). An error makes the receiver answer 500, so that eTelecom
// retries the delivery.
type EventFunc func(ctx context.Context, e *Event) error

// WebhookHandler receives eTelecom's webhook deliveries. It accepts only
// POST (else 405), checks the secret carried in the URL in constant time
// before reading anything (else 401), reads at most MaxEventBytes (else
// 413), reads the events with ParseEvents (else 400), calls its EventFunc
// for each in order and answers 200. When the EventFunc fails it answers
// 500 and calls it for none of the events after that one: eTelecom then
// delivers the whole body again. A refusal carries no detail, stops
// reading the request and closes the connection; a refused delivery never
// reaches the EventFunc.
//
// The server that mounts it must bound how long a sender may take to send
// its request, with ReadHeaderTimeout and ReadTimeout.
type WebhookHandler struct {
	h *webhook.Handler[Event]
}

// NewWebhookHandler returns a handler for a webhook registered with a URL
// made by WebhookURL with secret, which calls handle for every event.
func NewWebhookHandler(secret string, handle EventFunc) (*WebhookHandler, error) {
	h, err := webhook.NewHandler(secret, MaxEventBytes, ParseEvents, handle)
	if err != nil {
		return nil, err
	}
	return &WebhookHandler{h: h}, nil
}

// ServeHTTP handles one delivery.
func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.h.ServeHTTP(w, r)
}
