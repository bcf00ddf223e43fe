package chekin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/paging"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
	"github.com/partnerkit/partnerkit-go/internal/webhook"
)

// Webhook events CheKin documents. CheKin offers others; a receiver passes
// every event name through, known or not.
const (
	// EventGuestCreated is sent every time a guest is added to a
	// reservation.
	EventGuestCreated = "Guest.created"
)

// Guest origins CheKin documents in event data.
const (
	// OriginOnline is a guest who checked in online through the
	// reservation's SignupFormLink.
	OriginOnline = "CH_ONLINE"
)

// WebhooksService manages webhook subscriptions.
type WebhooksService struct {
	t *transport.Client
}

// Webhook is a subscription: CheKin POSTs Event to URL.
type Webhook struct {
	ID    partnerkit.ID `json:"id"`
	Event string        `json:"event"`
	// URL is the address CheKin posts to (CheKin's target); it carries the
	// receiver's secret (see WebhookURL).
	URL string `json:"target"`
}

// WebhookCreateParams subscribe to an event.
type WebhookCreateParams struct {
	// URL is the absolute http or https URL CheKin posts the event to
	// (sent as CheKin's target). Make it with WebhookURL, which puts a
	// secret in it, so that the receiver can tell CheKin's calls from
	// others; the client keeps that secret out of its logs and errors.
	URL string `json:"target"`
	// Event is the event to receive, such as EventGuestCreated.
	Event string `json:"event"`
}

// Create asks CheKin to POST params.Event to params.URL and returns the
// subscription. It is not retried once it may have reached CheKin.
func (s *WebhooksService) Create(ctx context.Context, params *WebhookCreateParams) (*Webhook, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		v.URL("URL", params.URL)
		v.Required("Event", params.Event)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	s.t.AddSecret(webhook.SecretOf(params.URL))
	return transport.Decode[Webhook](ctx, s.t, &transport.Request{Method: http.MethodPost, Path: "/webhooks/", Body: params, Safety: transport.NotIdempotent})
}

// WebhookListParams select a page of subscriptions. All fields are
// optional; a nil *WebhookListParams asks for CheKin's first page.
type WebhookListParams struct {
	// Page is the page number, from 1; 0 means the first page.
	Page int
	// Limit is the number of subscriptions on a page (DRF's page_size); 0
	// means CheKin's default.
	Limit int
	// Filters are further query parameters passed as they are.
	Filters url.Values
}

func (p *WebhookListParams) query() (url.Values, error) {
	if p == nil {
		return url.Values{}, nil
	}
	return pageQuery(p.Page, p.Limit, p.Filters)
}

// List returns one page of the account's subscriptions.
func (s *WebhooksService) List(ctx context.Context, params *WebhookListParams) (*Page[Webhook], error) {
	q, err := params.query()
	if err != nil {
		return nil, err
	}
	return list[Webhook](ctx, s.t, "/webhooks/", q)
}

// All iterates over every subscription of the account.
func (s *WebhooksService) All(ctx context.Context, params *WebhookListParams) iter.Seq2[Webhook, error] {
	q, err := params.query()
	if err != nil {
		return paging.Fail[Webhook](err)
	}
	return all[Webhook](ctx, s.t, "/webhooks/", q)
}

// Delete removes a subscription.
func (s *WebhooksService) Delete(ctx context.Context, id partnerkit.ID) error {
	var v validate.Errors
	checkID(&v, "id", id)
	if err := v.Err(); err != nil {
		return err
	}
	return s.t.Do(ctx, &transport.Request{Method: http.MethodDelete, Path: "/webhooks/{id}/", PathParams: []string{string(id)}}, nil)
}

// SecretParam is the query parameter of a webhook target that carries the
// receiver's secret.
const SecretParam = webhook.SecretParam

// MaxEventBytes is the largest event body a receiver reads.
const MaxEventBytes = webhook.MaxEventBytes

// NewWebhookSecret returns a new unguessable secret (32 random bytes, hex
// encoded) for a webhook target.
func NewWebhookSecret() string {
	return webhook.NewSecret()
}

// WebhookURL returns receiverURL with secret added as the SecretParam query
// parameter: the URL to pass to WebhooksService.Create.
func WebhookURL(receiverURL, secret string) (string, error) {
	return webhook.URL(receiverURL, secret)
}

// EventData is what an event says about its subject. Raw holds it exactly
// as received, for events that carry other fields.
type EventData struct {
	ReservationID partnerkit.ID `json:"reservation_id"`
	GuestID       partnerkit.ID `json:"guest_id"`
	// GuestOrigin says how the guest was added, such as OriginOnline.
	GuestOrigin string `json:"guest_origin"`

	Raw json.RawMessage `json:"-"`
}

// Event is one webhook call from CheKin. It only says what happened: fetch
// the guest or the reservation to learn its current state.
type Event struct {
	// Name is the event, such as EventGuestCreated; any name CheKin sends
	// is kept.
	Name string `json:"-"`
	// Hook is the subscription the event was sent for.
	Hook Webhook   `json:"hook"`
	Data EventData `json:"data"`

	Raw json.RawMessage `json:"-"`
}

// ErrBadEvent reports a webhook body that is not a CheKin event.
var ErrBadEvent = errors.New("chekin: not a webhook event")

// ParseEvent decodes a webhook body {"hook": {...}, "data": {...}}. It
// returns an error matching ErrBadEvent when the body is not JSON or names
// no event.
func ParseEvent(body []byte) (*Event, error) {
	var e Event
	if err := rawjson.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadEvent, err)
	}
	if e.Hook.Event == "" {
		return nil, fmt.Errorf("%w: hook.event is missing", ErrBadEvent)
	}
	e.Name = e.Hook.Event
	return &e, nil
}

// EventFunc handles one event. It runs before the receiver answers CheKin,
// so it must be quick: record the event or queue it, and fetch the guest
// later. An error makes the receiver answer 500, so that CheKin may send
// the event again.
type EventFunc func(ctx context.Context, e *Event) error

// WebhookHandler receives CheKin's webhook calls. It accepts only POST
// (else 405), checks the secret carried in the URL in constant time before
// reading anything (else 401), reads at most MaxEventBytes (else 413),
// decodes the event with ParseEvent (else 400), calls its EventFunc and
// answers 200, or 500 when the EventFunc failed. A refusal carries no
// detail, stops reading the request and closes the connection, so that a
// sender it refused cannot hold it.
//
// The server that mounts it must bound how long a sender may take to send
// its request, with ReadHeaderTimeout and ReadTimeout: without them, a
// sender with the right secret that trickles its body holds a connection
// for as long as it likes.
//
//	srv := &http.Server{
//		Addr:              ":8443",
//		Handler:           handler,
//		ReadHeaderTimeout: 5 * time.Second,
//		ReadTimeout:       30 * time.Second,
//	}
//	err := srv.ListenAndServeTLS(certFile, keyFile)
type WebhookHandler struct {
	h *webhook.Handler[Event]
}

// NewWebhookHandler returns a handler for URLs made with WebhookURL and
// secret, which calls handle for every event.
func NewWebhookHandler(secret string, handle EventFunc) (*WebhookHandler, error) {
	h, err := webhook.NewHandler(secret, MaxEventBytes, parseEvents, handle)
	if err != nil {
		return nil, err
	}
	return &WebhookHandler{h: h}, nil
}

// parseEvents reads the one event of a CheKin call.
func parseEvents(body []byte) ([]Event, error) {
	e, err := ParseEvent(body)
	if err != nil {
		return nil, err
	}
	return []Event{*e}, nil
}

// ServeHTTP handles one webhook call.
func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.h.ServeHTTP(w, r)
}
