package coliving

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// ProviderKeysService registers the integrator's own API key for the host,
// so that Coliving can call the integrator on the host's behalf.
type ProviderKeysService struct {
	c *Client
}

// Statuses of a ProviderKeyResult.
const (
	// ProviderKeyCreated: the host had no key at the integrator before.
	ProviderKeyCreated = "created"
	// ProviderKeyUpdated: the key replaced another one.
	ProviderKeyUpdated = "updated"
	// ProviderKeyUnchanged: the host already had this key.
	ProviderKeyUnchanged = "unchanged"
)

// ProviderKeyResult is Coliving's answer to Set. It holds no key.
type ProviderKeyResult struct {
	// Status is ProviderKeyCreated, ProviderKeyUpdated or
	// ProviderKeyUnchanged (other values are kept as sent).
	Status string `json:"status"`
	// Message is Coliving's words about it.
	Message string `json:"message"`
	// RequestID is Coliving's identifier of the request.
	RequestID string `json:"request_id"`

	// Raw is the answer exactly as received.
	Raw json.RawMessage `json:"-"`
}

// providerKeyAnswer is the answer of POST .../provider-key.
type providerKeyAnswer struct {
	Data struct {
		Status  string `json:"status"`
		Message string `json:"message"`
	} `json:"data"`
	Meta struct {
		RequestID string `json:"request_id"`
	} `json:"meta"`
	Raw json.RawMessage `json:"-"`
}

// Set stores key as the host's key at the integrator (POST
// /integrations/{provider}/provider-key). Setting the same key again
// changes nothing (Status "unchanged"), so the request is retried after a
// server or connection failure. A key that belongs to another account
// fails with partnerkit.ErrConflict (Code CodeConflict); an integrator id
// Coliving does not know fails with partnerkit.ErrNotFound (Code
// CodeUnsupportedProvider).
//
// The key is a credential: the client keeps it only in its list of values
// to redact, so it appears in no log, error or result, and sends it only in
// this request's body.
func (s *ProviderKeysService) Set(ctx context.Context, key string) (*ProviderKeyResult, error) {
	var v validate.Errors
	v.Credential("key", key)
	if err := v.Err(); err != nil {
		return nil, err
	}
	s.c.t.AddSecret(key)
	body := struct {
		ProviderAPIKey string `json:"provider_api_key"`
	}{key}
	var out providerKeyAnswer
	err := s.c.t.Do(ctx, &transport.Request{
		Method:     http.MethodPost,
		Path:       pathProviderKey,
		PathParams: []string{s.c.integrator},
		Safety:     transport.Idempotent,
		Body:       body,
		Expect: func() string {
			if out.Data.Status == "" {
				return "the answer has no data.status"
			}
			return ""
		},
	}, &out)
	if err != nil {
		return nil, err
	}
	return &ProviderKeyResult{Status: out.Data.Status, Message: out.Data.Message, RequestID: out.Meta.RequestID, Raw: out.Raw}, nil
}
