package cohost

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// CustomersService manages the customer accounts of the key's teams and
// logs customers in.
type CustomersService struct {
	t      *transport.Client
	apiKey string
}

// TeamIDs is a list of team IDs. It decodes from numbers, numeric strings or
// team objects with an "id".
type TeamIDs []int64

// UnmarshalJSON accepts [1,2], ["1","2"] or [{"id":1,…},…].
func (ids *TeamIDs) UnmarshalJSON(data []byte) error {
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
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
		n, ok := id.Int64()
		if !ok {
			return fmt.Errorf("cohost: teams: %q is not a team ID", string(id))
		}
		out = append(out, n)
	}
	*ids = out
	return nil
}

// Customer is a customer account. Raw holds it exactly as received.
type Customer struct {
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

// UnmarshalJSON decodes a customer whose ID may be named id or user_id, and
// keeps the raw JSON in Raw.
func (c *Customer) UnmarshalJSON(data []byte) error {
	type plain Customer
	var wire struct {
		plain
		UserID partnerkit.ID `json:"user_id"`
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	*c = Customer(wire.plain)
	if c.ID == "" {
		c.ID = wire.UserID
	}
	c.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// CustomerRegistration is a new customer account. Cohost e-mails the
// customer a verification link; the account cannot book until it is
// verified.
type CustomerRegistration struct {
	Email    string `json:"email"`
	FullName string `json:"full_name"`
	Phone    string `json:"phone"`
	Password string `json:"password"`
}

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
func (s *CustomersService) Register(ctx context.Context, r *CustomerRegistration) (*Registration, error) {
	var v validate.Errors
	if v.NotNil("registration", r != nil) {
		v.Email("Email", r.Email)
		v.Required("FullName", r.FullName)
		v.Phone("Phone", r.Phone)
		v.Required("Password", r.Password)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	s.t.AddSecret(r.Password)
	var out Registration
	err := s.t.Do(ctx, &transport.Request{Method: http.MethodPost, Path: "/customers/register", Body: r, Safety: transport.NotIdempotent}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// CustomersParams filter a customers list. All fields are optional.
type CustomersParams struct {
	PageParams
	// TeamID limits the list to one team.
	TeamID int64
}

// customersPage decodes a customers list given either as a page object or
// as a bare array.
type customersPage Page[Customer]

func (p *customersPage) UnmarshalJSON(data []byte) error {
	if !bytes.HasPrefix(bytes.TrimSpace(data), []byte("[")) {
		return json.Unmarshal(data, (*Page[Customer])(p))
	}
	var items []Customer
	if err := json.Unmarshal(data, &items); err != nil {
		return err
	}
	*p = customersPage{Items: items, Total: len(items), Page: 1, Limit: len(items), TotalPages: 1}
	return nil
}

// List returns one page of customers.
func (s *CustomersService) List(ctx context.Context, p *CustomersParams) (*Page[Customer], error) {
	var v validate.Errors
	q := url.Values{}
	if p != nil {
		p.check(&v)
		p.encode(q)
		if p.TeamID != 0 {
			v.Positive("TeamID", p.TeamID)
			q.Set("team_id", strconv.FormatInt(p.TeamID, 10))
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var page customersPage
	if err := get(ctx, s.t, "/customers", "GET /customers", q, &page); err != nil {
		return nil, err
	}
	return (*Page[Customer])(&page), nil
}

// All iterates over every customer matching p.
func (s *CustomersService) All(ctx context.Context, p *CustomersParams) iter.Seq2[Customer, error] {
	params := CustomersParams{}
	if p != nil {
		params = *p
	}
	return allPages(ctx, params.Page, func(ctx context.Context, page int) (*Page[Customer], error) {
		params.Page = page
		return s.List(ctx, &params)
	})
}

// Get returns one customer.
func (s *CustomersService) Get(ctx context.Context, id partnerkit.ID) (*Customer, error) {
	var v validate.Errors
	v.PathID("customerID", id)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out Customer
	if err := get(ctx, s.t, "/customers/"+pathID(id), "GET /customers/{id}", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CustomerUpdate changes a customer. Only the fields set are sent.
type CustomerUpdate struct {
	FullName *string `json:"full_name,omitempty"`
	Phone    *string `json:"phone,omitempty"`
}

// Update changes the fields of u that are set and returns the customer.
func (s *CustomersService) Update(ctx context.Context, id partnerkit.ID, u *CustomerUpdate) (*Customer, error) {
	var v validate.Errors
	v.PathID("customerID", id)
	if v.NotNil("update", u != nil) && v.Check(u.FullName != nil || u.Phone != nil, "update", "must set FullName or Phone") {
		if u.FullName != nil {
			v.Required("FullName", *u.FullName)
		}
		if u.Phone != nil {
			v.Phone("Phone", *u.Phone)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out Customer
	err := s.t.Do(ctx, &transport.Request{Method: http.MethodPatch, Path: "/customers/" + pathID(id), Route: "PATCH /customers/{id}", Body: u, Safety: transport.Idempotent}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Notice is a confirmation message from Cohost.
type Notice struct {
	Message string `json:"message"`
}

// RemoveFromTeam removes a customer from one team.
func (s *CustomersService) RemoveFromTeam(ctx context.Context, id partnerkit.ID, teamID int64) (*Notice, error) {
	var v validate.Errors
	v.PathID("customerID", id)
	v.Positive("teamID", teamID)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out Notice
	path := "/customers/" + pathID(id) + "/teams/" + strconv.FormatInt(teamID, 10)
	err := s.t.Do(ctx, &transport.Request{Method: http.MethodDelete, Path: path, Route: "DELETE /customers/{id}/teams/{team_id}"}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// LoginStatus says whether a customer can log in. Cohost does not document
// its shape; Raw holds the answer exactly as received.
type LoginStatus struct {
	UserID        partnerkit.ID        `json:"user_id"`
	Email         string               `json:"email"`
	EmailVerified bool                 `json:"email_verified"`
	IsActive      bool                 `json:"is_active"`
	LastLoginAt   partnerkit.Timestamp `json:"last_login_at"`

	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a login status and keeps the raw JSON in Raw.
func (l *LoginStatus) UnmarshalJSON(data []byte) error {
	type plain LoginStatus
	if err := json.Unmarshal(data, (*plain)(l)); err != nil {
		return err
	}
	l.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// LoginStatus returns whether a customer has verified their e-mail and can
// log in.
func (s *CustomersService) LoginStatus(ctx context.Context, id partnerkit.ID) (*LoginStatus, error) {
	var v validate.Errors
	v.PathID("customerID", id)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out LoginStatus
	if err := get(ctx, s.t, "/customers/"+pathID(id)+"/login-status", "GET /customers/{id}/login-status", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ResendVerification sends the customer a new verification e-mail.
func (s *CustomersService) ResendVerification(ctx context.Context, id partnerkit.ID) (*Notice, error) {
	var v validate.Errors
	v.PathID("customerID", id)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out Notice
	path := "/customers/" + pathID(id) + "/resend-verification"
	err := s.t.Do(ctx, &transport.Request{Method: http.MethodPost, Path: path, Route: "POST /customers/{id}/resend-verification", Safety: transport.NotIdempotent}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Login logs a customer in with their e-mail and password, through the
// partner key, and returns a session for the customer's own calls. The
// password is sent once and not kept.
func (s *CustomersService) Login(ctx context.Context, email, password string) (*CustomerSession, error) {
	var v validate.Errors
	v.Email("email", email)
	v.Required("password", password)
	if err := v.Err(); err != nil {
		return nil, err
	}
	s.t.AddSecret(password)
	var out struct {
		AccessToken string        `json:"access_token"`
		TokenType   string        `json:"token_type"`
		ExpiresIn   int64         `json:"expires_in"`
		UserID      partnerkit.ID `json:"user_id"`
		Email       string        `json:"email"`
		FullName    string        `json:"full_name"`
		Teams       TeamIDs       `json:"teams"`
	}
	err := s.t.Do(ctx, &transport.Request{
		Method: http.MethodPost, Path: "/customers/login", Safety: transport.Idempotent,
		Body: map[string]string{"email": email, "password": password},
	}, &out)
	if err != nil {
		return nil, err
	}
	if out.AccessToken == "" {
		return nil, &partnerkit.Error{Provider: "cohost", Method: http.MethodPost, Path: "/customers/login", Kind: partnerkit.ErrUnexpected, Message: "the login answer has no access_token"}
	}
	var expiresAt time.Time
	if out.ExpiresIn > 0 {
		expiresAt = s.t.Clock().Now().Add(time.Duration(out.ExpiresIn) * time.Second)
	}
	session := s.Session(out.AccessToken, expiresAt)
	session.UserID, session.Email, session.FullName, session.Teams = out.UserID, out.Email, out.FullName, out.Teams
	session.TokenType = out.TokenType
	return session, nil
}
