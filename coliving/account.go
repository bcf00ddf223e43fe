package coliving

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

// AccountService verifies a host's API key.
type AccountService struct {
	c *Client
}

// Account is the host account an API key belongs to, as GET /me returns it.
// Version 1 sends the fields at the top level and version 2 inside data;
// both decode into this type, which encodes in the flat form of version 1.
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

	// Raw is the answer exactly as received.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the flat answer of version 1 and the answer of
// version 2, whose fields are inside data (they win over flat ones).
func (a *Account) UnmarshalJSON(data []byte) error {
	type plain Account
	var wire struct {
		plain
		Data json.RawMessage `json:"data"`
	}
	if err := rawjson.Unmarshal(data, &wire); err != nil {
		return err
	}
	*a = Account(wire.plain)
	if len(wire.Data) == 0 || wire.Data[0] != '{' {
		return nil
	}
	var inner plain
	if err := json.Unmarshal(wire.Data, &inner); err != nil {
		return err
	}
	a.Name = cmp.Or(inner.Name, a.Name)
	a.Email = cmp.Or(inner.Email, a.Email)
	a.APIKeyVerifiedAt = cmp.Or(inner.APIKeyVerifiedAt, a.APIKeyVerifiedAt)
	a.CreatedAt = cmp.Or(inner.CreatedAt, a.CreatedAt)
	a.LastLoginAt = cmp.Or(inner.LastLoginAt, a.LastLoginAt)
	return nil
}

// Verify checks the client's API key (GET /me) and returns the host account
// it belongs to. A rejected key fails with partnerkit.ErrUnauthorized; an
// answer that names no account, with partnerkit.ErrUnexpected. Coliving
// allows 60 verifications a minute per IP address; the client keeps under
// it.
func (s *AccountService) Verify(ctx context.Context) (*Account, error) {
	var out Account
	err := s.c.t.Do(ctx, &transport.Request{
		Method: http.MethodGet,
		Path:   pathMe,
		Expect: func() string {
			if out.Name == "" && out.Email == "" {
				return "the answer names no account (no name or email)"
			}
			return ""
		},
	}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}
