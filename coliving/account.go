package coliving

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

// AccountService verifies a host's API key.
type AccountService struct {
	c *Client
}

// Account is the host account an API key belongs to, as GET /me returns it.
// Version 1 sends the fields at the top level and version 2 inside data;
// both decode into this type. Raw holds the answer exactly as received.
type Account struct {
	// Name and Email identify the host.
	Name  string `json:"name"`
	Email string `json:"email"`
	// APIKeyVerifiedAt is when Coliving verified the key (v1 only).
	APIKeyVerifiedAt partnerkit.Timestamp `json:"api_key_verified_at"`
	// CreatedAt is when the host's account was created.
	CreatedAt partnerkit.Timestamp `json:"created_at"`
	// LastLoginAt is the host's last login (v1 only).
	LastLoginAt partnerkit.Timestamp `json:"last_login_at"`

	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the flat v1 answer and the v2 answer with data, and
// keeps the raw JSON in Raw.
func (a *Account) UnmarshalJSON(data []byte) error {
	type plain Account
	var wire struct {
		plain
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	*a = Account(wire.plain)
	if len(wire.Data) > 0 && wire.Data[0] == '{' {
		var inner plain
		if err := json.Unmarshal(wire.Data, &inner); err != nil {
			return err
		}
		a.Name = first(inner.Name, a.Name)
		a.Email = first(inner.Email, a.Email)
		a.APIKeyVerifiedAt = firstTime(inner.APIKeyVerifiedAt, a.APIKeyVerifiedAt)
		a.CreatedAt = firstTime(inner.CreatedAt, a.CreatedAt)
		a.LastLoginAt = firstTime(inner.LastLoginAt, a.LastLoginAt)
	}
	a.Raw = append(json.RawMessage(nil), data...)
	return nil
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func firstTime(a, b partnerkit.Timestamp) partnerkit.Timestamp {
	if !a.IsZero() {
		return a
	}
	return b
}

type accountAnswer struct {
	Success *bool `json:"success"`
	Account
}

func (a *accountAnswer) UnmarshalJSON(data []byte) error {
	var env struct {
		Success *bool `json:"success"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return err
	}
	a.Success = env.Success
	return a.Account.UnmarshalJSON(data)
}

// Verify checks the client's API key (GET /me) and returns the host account
// it belongs to. A rejected key fails with partnerkit.ErrUnauthorized.
// Coliving allows 60 verifications a minute per IP address; the client keeps
// under it.
func (s *AccountService) Verify(ctx context.Context) (*Account, error) {
	var out accountAnswer
	if err := s.c.do(ctx, http.MethodGet, s.c.prefix+"/me", routeMe, transport.ByMethod, nil, &out); err != nil {
		return nil, err
	}
	return &out.Account, nil
}
