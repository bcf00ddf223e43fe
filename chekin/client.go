package chekin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/config"
	"github.com/partnerkit/partnerkit-go/internal/secret"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// DefaultBaseURL is the production address of the CheKin API v3.
const DefaultBaseURL = "https://a.chekin.io/api/v3"

// provider names CheKin in errors and logs.
const provider = "chekin"

// Token timing. CheKin tokens live one hour; the client renews a token
// DefaultTokenMargin before it expires (WithTokenMargin changes it).
const (
	DefaultTokenLifetime = time.Hour
	DefaultTokenMargin   = 5 * time.Minute
)

// Client is a CheKin API v3 client for one account, authenticated with the
// account's e-mail and password. It logs in when it first needs a token,
// renews the token before it expires and after CheKin refuses it, and is
// safe for concurrent use. Printing a client (with fmt or log/slog) shows
// neither the password nor a token.
type Client struct {
	// Housings manages the account's housings (properties).
	Housings *HousingsService
	// Reservations manages reservations and their police and statistics
	// registrations.
	Reservations *ReservationsService
	// Guests reads and corrects guests.
	Guests *GuestsService
	// GuestGroups reads the guest groups of reservations.
	GuestGroups *GuestGroupsService
	// Webhooks manages webhook subscriptions.
	Webhooks *WebhooksService
	// Users manages the account's own user.
	Users *UsersService

	t       *transport.Client
	account *account // its credentials and its token, behind a pointer
}

// settings are the CheKin options of a client.
type settings struct {
	margin    time.Duration
	marginSet bool
	token     secret.String
	store     partnerkit.TokenStore
}

// WithTokenMargin sets how long before a token's expiry the client renews
// it (default DefaultTokenMargin, capped at half the token's lifetime).
func WithTokenMargin(d time.Duration) partnerkit.Option {
	return config.ForProvider(provider, "chekin.WithTokenMargin", func(c *config.Config) error {
		if d < 0 {
			return &partnerkit.ValidationError{Field: "chekin.WithTokenMargin", Rule: "must not be negative, got " + d.String()}
		}
		s := config.Slot[settings](c)
		s.margin, s.marginSet = d, true
		return nil
	})
}

// WithToken makes the client start with a token obtained earlier, such as
// one stored after Register, instead of logging in for its first call. The
// client still logs in with the e-mail and password when the token expires
// or CheKin refuses it.
func WithToken(token string) partnerkit.Option {
	return config.ForProvider(provider, "chekin.WithToken", func(c *config.Config) error {
		var v validate.Errors
		if !v.Credential("chekin.WithToken", token) {
			return v.Err()
		}
		config.Slot[settings](c).token = secret.New(token)
		return nil
	})
}

// WithTokenStore makes the client share the account's token through
// store with every client of the same account that uses it, such as the
// replicas of a service behind a load balancer: together they log in once
// per token lifetime instead of once each (see partnerkit.TokenStore and
// the redisfleet module). The client stores CheKin's tokens only, under a
// key made of the provider's name and a digest of the base URL and the
// lower-cased e-mail address: never the password, nor the address itself.
// When the store fails, the client renews its token on its own.
func WithTokenStore(store partnerkit.TokenStore) partnerkit.Option {
	return config.ForProvider(provider, "chekin.WithTokenStore", func(c *config.Config) error {
		if store == nil {
			return &partnerkit.ValidationError{Field: "chekin.WithTokenStore", Rule: "must not be nil"}
		}
		config.Slot[settings](c).store = store
		return nil
	})
}

// New returns a client for the CheKin account with this e-mail and
// password. It checks them (an e-mail address; a password without control
// characters) and sends nothing until the first call.
func New(email, password string, opts ...partnerkit.Option) (*Client, error) {
	var v validate.Errors
	v.Email("email", email)
	v.Credential("password", password)
	cfg, set, err := transport.Setup[settings](provider, v.Err(), opts)
	if err != nil {
		return nil, err
	}
	margin := DefaultTokenMargin
	if set.marginSet {
		margin = set.margin
	}
	base, err := transport.New(transport.Spec{
		Provider:    provider,
		BaseURL:     DefaultBaseURL,
		DecodeError: decodeError,
		Refused:     refusedToken,
		Secrets:     []string{password},
	}, cfg)
	if err != nil {
		return nil, err
	}
	acct := newAccount(base, email, secret.New(password))
	var src tokenSource = acct
	acct.auth = transport.NewTokenAuth(src.token, transport.TokenOptions{
		Scheme:   "JWT",
		Lifetime: DefaultTokenLifetime,
		Margin:   margin,
		OnToken:  base.AddSecret,
		Clock:    base.Clock(),
		Identity: transport.Identity(strings.ToLower(email)),
		Store:    set.store,
		StoreKey: storeKey(base.BaseURL(), email),
		Logger:   cfg.Logger,
	})
	acct.auth.Seed(set.token.Reveal())
	t := base.WithAuth(acct.auth)
	return &Client{
		Housings:     &HousingsService{t: t},
		Reservations: &ReservationsService{t: t},
		Guests:       &GuestsService{t: t},
		GuestGroups:  &GuestGroupsService{t: t},
		Webhooks:     &WebhooksService{t: t},
		Users:        &UsersService{t: t, account: acct},
		t:            t,
		account:      acct,
	}, nil
}

// checkID validates an ID given by the caller. CheKin IDs are UUIDs, written
// as 32 hex digits or in the dashed form; both are accepted, as are other
// opaque IDs made of letters, digits, dashes and underscores.
func checkID(v *validate.Errors, field string, id partnerkit.ID) bool {
	if !v.Required(field, string(id)) {
		return false
	}
	for _, r := range string(id) {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_') {
			return v.Check(false, field, "must be an ID such as 3cdcede6af45448ebaf28315d09ceec2 or 3cdcede6-af45-448e-baf2-8315d09ceec2")
		}
	}
	return true
}

// SameID reports whether two CheKin IDs name the same object: CheKin writes
// a UUID both as 32 hex digits and in the dashed form, in either case.
func SameID(a, b partnerkit.ID) bool {
	return a != "" && normalID(a) == normalID(b)
}

func normalID(id partnerkit.ID) string {
	return strings.ToLower(strings.ReplaceAll(string(id), "-", ""))
}

// isNull reports whether data is the JSON null.
func isNull(data []byte) bool {
	return bytes.Equal(bytes.TrimSpace(data), []byte("null"))
}

// extras returns the members of the JSON object data that encoding/json
// does not decode into a field named in typed (it matches names ignoring
// case), or nil when there are none.
func extras(data []byte, typed map[string]bool) (map[string]json.RawMessage, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, err
	}
	for k := range all {
		if typed[k] {
			delete(all, k)
			continue
		}
		for f := range typed {
			if strings.EqualFold(f, k) {
				delete(all, k)
				break
			}
		}
	}
	if len(all) == 0 {
		return nil, nil
	}
	return all, nil
}

// withExtra merges extra fields into the JSON object of v. Fields of v win
// over extra fields of the same name.
func withExtra[E any](v any, extra map[string]E) (json.RawMessage, error) {
	data, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return data, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	for k, e := range extra {
		if _, typed := m[k]; typed {
			continue
		}
		raw, err := json.Marshal(e)
		if err != nil {
			return nil, fmt.Errorf("extra field %q: %w", k, err)
		}
		m[k] = raw
	}
	return json.Marshal(m)
}
