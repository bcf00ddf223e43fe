package cohost

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/secret"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// CustomersService manages the customer accounts of the key's teams and
// logs customers in. It holds the partner key, for the sessions it opens,
// in a form no formatting prints.
type CustomersService struct {
	t   *transport.Client
	key secret.String
}

// TeamIDs is a list of team IDs. It decodes from numbers, numeric strings or
// team objects with an "id".
type TeamIDs []partnerkit.ID

// UnmarshalJSON accepts [1,2], ["1","2"] or [{"id":1,…},…].
func (ids *TeamIDs) UnmarshalJSON(data []byte) error {
	var items []json.RawMessage
	if err := rawjson.Unmarshal(data, &items); err != nil {
		return fmt.Errorf("cohost: teams: %w", err)
	}
	out := make(TeamIDs, 0, len(items))
	for _, item := range items {
		var ref struct {
			ID partnerkit.ID `json:"id"`
		}
		var id partnerkit.ID
		if bytes.HasPrefix(bytes.TrimSpace(item), []byte("{")) {
			if err := json.Unmarshal(item, &ref); err != nil {
				return fmt.Errorf("cohost: teams: %w", err)
			}
			id = ref.ID
		} else if err := json.Unmarshal(item, &id); err != nil {
			return fmt.Errorf("cohost: teams: %w", err)
		}
		if _, ok := id.Int64(); !ok {
			return fmt.Errorf("cohost: teams: %q is not a team ID", string(id))
		}
		out = append(out, id)
	}
	*ids = out
	return nil
}

// Customer is a customer account. Raw holds it exactly as received.
type Customer struct {
	// ID is the customer's user ID (sent as id or user_id).
	ID            partnerkit.ID        `json:"id"`
	Email         string               `json:"email"`
	FullName      string               `json:"full_name"`
	Phone         string               `json:"phone"`
	Teams         TeamIDs              `json:"teams"`
	EmailVerified bool                 `json:"email_verified"`
	Status        string               `json:"status"`
	CreatedAt     partnerkit.Timestamp `json:"created_at"`

	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a customer whose ID may be named id or user_id.
func (c *Customer) UnmarshalJSON(data []byte) error {
	type plain Customer
	var wire struct {
		plain
		UserID partnerkit.ID `json:"user_id"`
	}
	if err := rawjson.Unmarshal(data, &wire); err != nil {
		return err
	}
	*c = Customer(wire.plain)
	if c.ID == "" {
		c.ID = wire.UserID
	}
	return nil
}

// CustomerRegisterParams are a new customer account. Cohost e-mails the
// customer a verification link; the account cannot book until it is
// verified. Formatting the params with fmt or log/slog prints no password
// (it is a partnerkit.Secret).
type CustomerRegisterParams struct {
	Email    string            `json:"email"`
	FullName string            `json:"full_name"`
	Phone    string            `json:"phone"`
	Password partnerkit.Secret `json:"password"`
}

// LogValue logs the params for log/slog with the password as a placeholder.
func (p CustomerRegisterParams) LogValue() slog.Value { return secret.LogValue(p) }

// Format prints the value as fmt would, with its secrets as a placeholder,
// for every verb, also where it is met behind a pointer.
func (p CustomerRegisterParams) Format(f fmt.State, verb rune) { secret.Format(f, verb, p) }

// Registration is Cohost's answer to a registration.
type Registration struct {
	UserID                    partnerkit.ID `json:"user_id"`
	Email                     string        `json:"email"`
	FullName                  string        `json:"full_name"`
	Teams                     TeamIDs       `json:"teams"`
	Message                   string        `json:"message"`
	RequiresEmailVerification bool          `json:"requires_email_verification"`
}

// Register creates a customer account and adds it to every team of the key.
// It is not retried once it may have reached Cohost.
func (s *CustomersService) Register(ctx context.Context, params *CustomerRegisterParams) (*Registration, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		v.Email("Email", params.Email)
		v.Required("FullName", params.FullName)
		v.Phone("Phone", params.Phone)
		v.Required("Password", string(params.Password))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	s.t.AddSecret(string(params.Password))
	return transport.Decode[Registration](ctx, s.t, &transport.Request{Method: http.MethodPost, Path: "/customers/register", Body: params, Safety: transport.NotIdempotent})
}

// CustomerListParams filter a customers list. All fields are optional; nil
// params list the first page of every team's customers.
type CustomerListParams struct {
	// Page is the page number, from 1; zero means the first page.
	Page int
	// Limit is the page size; zero means Cohost's default.
	Limit int
	// TeamID limits the list to one team; a team ID is a positive
	// integer.
	TeamID partnerkit.ID
}

// List returns one page of customers. Cohost may answer a bare array: it
// is then one page holding every customer.
func (s *CustomersService) List(ctx context.Context, params *CustomerListParams) (*Page[Customer], error) {
	var v validate.Errors
	q := url.Values{}
	page := 0
	if params != nil {
		page = params.Page
		pageQuery(&v, q, params.Page, params.Limit)
		if params.TeamID != "" {
			if n, ok := checkTeamID(&v, "TeamID", params.TeamID); ok {
				q.Set("team_id", strconv.FormatInt(n, 10))
			}
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return listPage[Customer](ctx, s.t, "/customers", q, page)
}

// All iterates over every customer matching params, fetching pages as the
// loop needs them. It yields an error once and stops.
func (s *CustomersService) All(ctx context.Context, params *CustomerListParams) iter.Seq2[Customer, error] {
	p := CustomerListParams{}
	if params != nil {
		p = *params
	}
	return allPages(ctx, p.Page, func(ctx context.Context, page int) (*Page[Customer], error) {
		p.Page = page
		return s.List(ctx, &p)
	})
}

// Get returns the customer id.
func (s *CustomersService) Get(ctx context.Context, id partnerkit.ID) (*Customer, error) {
	var v validate.Errors
	v.PathID("id", id)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out Customer
	if err := get(ctx, s.t, "/customers/{id}", []string{string(id)}, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CustomerUpdateParams change a customer. Only the fields set are sent.
type CustomerUpdateParams struct {
	FullName *string `json:"full_name,omitempty"`
	Phone    *string `json:"phone,omitempty"`
}

// Update changes the fields of params that are set and returns the
// customer.
func (s *CustomersService) Update(ctx context.Context, id partnerkit.ID, params *CustomerUpdateParams) (*Customer, error) {
	var v validate.Errors
	v.PathID("id", id)
	if v.NotNil("params", params != nil) && v.Check(params.FullName != nil || params.Phone != nil, "params", "must set FullName or Phone") {
		if params.FullName != nil {
			v.Required("FullName", *params.FullName)
		}
		if params.Phone != nil {
			v.Phone("Phone", *params.Phone)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return transport.Decode[Customer](ctx, s.t, &transport.Request{
		Method: http.MethodPatch, Path: "/customers/{id}", PathParams: []string{string(id)},
		Body: params, Safety: transport.Idempotent,
	})
}

// Notice is a confirmation message from Cohost.
type Notice struct {
	Message string `json:"message"`
}

// RemoveFromTeam removes the customer id from the team teamID, a
// positive integer.
func (s *CustomersService) RemoveFromTeam(ctx context.Context, id, teamID partnerkit.ID) (*Notice, error) {
	var v validate.Errors
	v.PathID("id", id)
	team, _ := checkTeamID(&v, "teamID", teamID)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return transport.Decode[Notice](ctx, s.t, &transport.Request{
		Method: http.MethodDelete, Path: "/customers/{id}/teams/{team_id}",
		PathParams: []string{string(id), strconv.FormatInt(team, 10)},
	})
}

// LoginStatus says whether a customer can log in. Cohost does not document
// its shape; Raw holds the answer exactly as received.
type LoginStatus struct {
	UserID        partnerkit.ID `json:"user_id"`
	Email         string        `json:"email"`
	EmailVerified bool          `json:"email_verified"`
	IsActive      bool          `json:"is_active"`
	// LastLoginAt is zero when the customer never logged in (null).
	LastLoginAt partnerkit.Timestamp `json:"last_login_at"`

	Raw json.RawMessage `json:"-"`
}

// LoginStatus returns whether the customer id has verified their e-mail and
// can log in.
func (s *CustomersService) LoginStatus(ctx context.Context, id partnerkit.ID) (*LoginStatus, error) {
	var v validate.Errors
	v.PathID("id", id)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out LoginStatus
	if err := get(ctx, s.t, "/customers/{id}/login-status", []string{string(id)}, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ResendVerification sends the customer id a new verification e-mail. It is
// not retried once it may have reached Cohost.
func (s *CustomersService) ResendVerification(ctx context.Context, id partnerkit.ID) (*Notice, error) {
	var v validate.Errors
	v.PathID("id", id)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return transport.Decode[Notice](ctx, s.t, &transport.Request{
		Method: http.MethodPost, Path: "/customers/{id}/resend-verification", PathParams: []string{string(id)},
		Safety: transport.NotIdempotent,
	})
}
