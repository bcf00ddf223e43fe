package etelecom

import (
	"context"
	"encoding/json"
	"iter"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/validate"
	"github.com/partnerkit/partnerkit-go/internal/webhook"
)

// Methods of webhooks (service Webhook). A partner registers webhooks with
// its own api_key, not a shop's key.
var (
	createWebhook = Method{Service: ServiceWebhook, Name: "CreateWebhook", Key: PartnerKey}
	listWebhooks  = listing[Webhook]{Method{Service: ServiceWebhook, Name: "GetWebhooks", Key: PartnerKey, ReadOnly: true}, "webhooks"}
	deleteWebhook = listing[Webhook]{Method{Service: ServiceWebhook, Name: "DeleteWebhook", Key: PartnerKey, Idempotent: true}, "webhooks"}
)

// Entities a webhook can carry events of.
const (
	// EntityCallLog: a call ended; the event carries its CallLog.
	EntityCallLog = "call_log"
	// EntityZaloMessage: a ZNS message changed; the event carries its
	// ZNSMessage.
	EntityZaloMessage = "zl_oa_message"
)

// States of a webhook's deliveries.
const (
	// WebhookOK: deliveries succeed.
	WebhookOK = "ok"
	// WebhookRetry: a delivery failed and is being retried with backoff.
	WebhookRetry = "retry"
	// WebhookStop: the last retry failed; eTelecom stopped sending.
	WebhookStop = "stop"
)

// Webhook is an address eTelecom POSTs events to. Raw holds it exactly as
// received.
type Webhook struct {
	ID partnerkit.ID `json:"id"`
	// URL is the address; it carries the receiver's secret (see
	// WebhookURL).
	URL string `json:"url"`
	// Entities are the kinds of event sent, such as EntityCallLog.
	Entities  []string             `json:"entities"`
	Fields    []string             `json:"fields"`
	Metadata  string               `json:"metadata"`
	CreatedAt partnerkit.Timestamp `json:"created_at"`
	States    WebhookStates        `json:"states"`

	Raw json.RawMessage `json:"-"`
}

// WebhookStates is how a webhook's deliveries go.
type WebhookStates struct {
	// State is WebhookOK, WebhookRetry or WebhookStop.
	State string `json:"state"`
	// LastSentAt is the last delivery; zero until the first one.
	LastSentAt partnerkit.Timestamp `json:"last_sent_at"`
	// LastError is the last failed delivery, or nil.
	LastError *WebhookError `json:"last_error"`
}

// WebhookError is a delivery the receiver did not accept.
type WebhookError struct {
	Error      string               `json:"error"`
	RespBody   string               `json:"resp_body"`
	RespStatus partnerkit.Int       `json:"resp_status"`
	Retried    partnerkit.Int       `json:"retried"`
	SentAt     partnerkit.Timestamp `json:"sent_at"`
}

// WebhooksService registers the addresses eTelecom sends events to. Use it
// on the client from New: webhooks take the partner's own api_key.
type WebhooksService struct {
	c *Client
}

// WebhookCreateParams describe a webhook to register.
type WebhookCreateParams struct {
	// URL is the receiver's address with its secret, made with
	// WebhookURL; required.
	URL string `json:"url"`
	// Entities are the kinds of event to send (EntityCallLog,
	// EntityZaloMessage); at least one is required.
	Entities []string `json:"entities"`
}

// Create registers a webhook (Webhook/CreateWebhook, partner key). The
// client keeps the secret in p.URL out of its logs and errors. It is not
// sent again once it may have reached eTelecom.
func (s *WebhooksService) Create(ctx context.Context, p *WebhookCreateParams) (*Webhook, error) {
	var v validate.Errors
	if v.NotNil("params", p != nil) {
		v.URL("URL", p.URL)
		if v.Check(len(p.Entities) > 0, "Entities", "is required (such as call_log)") {
			for _, e := range p.Entities {
				if !v.Check(e == EntityCallLog || e == EntityZaloMessage, "Entities", "must hold call_log or zl_oa_message, got "+e) {
					break
				}
			}
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	s.c.t.AddSecret(webhook.SecretOf(p.URL))
	return call[Webhook](ctx, s.c, createWebhook, p)
}

// WebhookListParams select the webhooks to list. GetWebhooks takes no
// filter and is not paged: the params are reserved, and nil is the only
// useful value today.
type WebhookListParams struct{}

// List returns the partner's webhooks (Webhook/GetWebhooks, partner key),
// all on one page: HasMore is false.
func (s *WebhooksService) List(ctx context.Context, p *WebhookListParams) (*Page[Webhook], error) {
	return listWebhooks.page(ctx, s.c, nil)
}

// All iterates over the partner's webhooks.
func (s *WebhooksService) All(ctx context.Context, p *WebhookListParams) iter.Seq2[Webhook, error] {
	return allPages(ctx, "", func(ctx context.Context, _ string) (*Page[Webhook], error) {
		return s.List(ctx, p)
	})
}

// Delete removes a webhook (Webhook/DeleteWebhook, partner key). eTelecom
// answers with the webhooks that remain: List returns them. Deleting is
// harmless to repeat, so it is retried when that is safe.
func (s *WebhooksService) Delete(ctx context.Context, id partnerkit.ID) error {
	var v validate.Errors
	checkID(&v, "id", id)
	if err := v.Err(); err != nil {
		return err
	}
	_, err := deleteWebhook.page(ctx, s.c, struct {
		ID partnerkit.ID `json:"id"`
	}{id})
	return err
}
