package cohost

import (
	"context"
	"iter"
	"net/http"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/paging"
	"github.com/partnerkit/partnerkit-go/internal/ratelimit"
	"github.com/partnerkit/partnerkit-go/internal/secret"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Paths of the customer-scoped booking calls ("Customer Members"). They are
// not in the published quick start; correct them here if Cohost documents
// others.
const (
	CustomerBookingsPath = "/customers/me/bookings"
)

// CustomerSession acts for one logged-in customer: its calls carry the
// customer's Bearer token along with the partner key. It shares the
// partner client's connections and rate limit. No formatting of a session
// prints its token; AccessToken returns it for storage.
type CustomerSession struct {
	UserID    partnerkit.ID
	Email     string
	FullName  string
	Teams     TeamIDs
	TokenType string
	// ExpiresAt is when the token stops working; zero when unknown.
	ExpiresAt time.Time

	// Bookings lists and creates the customer's own bookings.
	Bookings *CustomerBookingsService

	token secret.String
	t     *transport.Client
}

// loginAnswer is Cohost's answer to a customer login.
type loginAnswer struct {
	AccessToken string        `json:"access_token"`
	TokenType   string        `json:"token_type"`
	UserID      partnerkit.ID `json:"user_id"`
	Email       string        `json:"email"`
	FullName    string        `json:"full_name"`
	Teams       TeamIDs       `json:"teams"`
	// ExpiresIn is the token's life in seconds; it is read as a number of
	// any size, so that an absurd one cannot fail the login.
	ExpiresIn partnerkit.Number `json:"expires_in"`
}

// Login logs a customer in with their e-mail and password, through the
// partner key, and returns a session for the customer's own calls. The
// password is sent once and not kept.
func (s *CustomersService) Login(ctx context.Context, email, password string) (*CustomerSession, error) {
	var v validate.Errors
	v.Email("email", email)
	v.Credential("password", password)
	if err := v.Err(); err != nil {
		return nil, err
	}
	s.t.AddSecret(password)
	var out loginAnswer
	err := s.t.Do(ctx, &transport.Request{
		Method: http.MethodPost, Path: "/customers/login", Safety: transport.Idempotent,
		Body: struct {
			Email    string `json:"email"`
			Password string `json:"password"`
		}{email, password},
		Expect: func() string {
			if out.AccessToken == "" {
				return "the login answer has no access_token"
			}
			return ""
		},
	}, &out)
	if err != nil {
		return nil, err
	}
	session, err := s.Session(out.AccessToken, tokenExpiry(s.t.Clock().Now(), out.ExpiresIn))
	if err != nil {
		return nil, err
	}
	session.UserID, session.Email, session.FullName, session.Teams = out.UserID, out.Email, out.FullName, out.Teams
	if out.TokenType != "" {
		session.TokenType = out.TokenType
	}
	return session, nil
}

// tokenExpiry returns when a token that lives expiresIn seconds from now
// expires, or zero when expiresIn is absent, not positive, or too large for
// a time.Duration (the token's own exp claim, or none, then decides).
func tokenExpiry(now time.Time, expiresIn partnerkit.Number) time.Time {
	secs := expiresIn.Float64()
	if secs <= 0 {
		return time.Time{}
	}
	d, ok := ratelimit.Seconds(secs)
	if !ok {
		return time.Time{}
	}
	return now.Add(d)
}

// Session returns a session for a customer token obtained earlier (for
// example stored after Login). When expiresAt is zero it is read from the
// token's exp claim, if it has one. It refuses a blank token or one that
// cannot go into a header.
func (s *CustomersService) Session(token string, expiresAt time.Time) (*CustomerSession, error) {
	var v validate.Errors
	v.Credential("token", token)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if expiresAt.IsZero() {
		expiresAt, _ = transport.JWTExpiry(token)
	}
	s.t.AddSecret(token)
	session := &CustomerSession{
		TokenType: "Bearer",
		ExpiresAt: expiresAt,
		token:     secret.New(token),
		t:         s.t.WithAuth(&customerAuth{partner: partnerAuth(s.key.Reveal()), customer: transport.NewHeaderAuth("Authorization", "Bearer "+token)}),
	}
	session.Bookings = &CustomerBookingsService{session: session}
	return session, nil
}

// AccessToken returns the customer's token, for storing the session.
func (s *CustomerSession) AccessToken() string {
	return s.token.Reveal()
}

// Expired reports whether the token has expired.
func (s *CustomerSession) Expired() bool {
	return !s.ExpiresAt.IsZero() && !s.t.Clock().Now().Before(s.ExpiresAt)
}

// check refuses calls with an expired token, which Cohost would refuse.
func (s *CustomerSession) check(method, path string) error {
	if !s.Expired() {
		return nil
	}
	return &partnerkit.Error{
		Provider: provider, Method: method, Path: path, Kind: partnerkit.ErrUnauthorized,
		Message: "the customer session expired at " + s.ExpiresAt.Format(time.RFC3339) + "; log the customer in again",
	}
}

// customerAuth sends the partner key and the customer's Bearer token. Its
// calls count against the partner key's limits.
type customerAuth struct {
	partner, customer *transport.HeaderAuth
}

func (a *customerAuth) Apply(ctx context.Context, h http.Header) (string, error) {
	if _, err := a.partner.Apply(ctx, h); err != nil {
		return "", err
	}
	return a.customer.Apply(ctx, h)
}

func (a *customerAuth) Identity() string { return a.partner.Identity() }

// CustomerBookingsService lists and creates a logged-in customer's own
// bookings.
type CustomerBookingsService struct {
	session *CustomerSession
}

// List returns one page of the customer's bookings.
func (s *CustomerBookingsService) List(ctx context.Context, params *BookingListParams) (*Page[Booking], error) {
	if err := s.session.check(http.MethodGet, CustomerBookingsPath); err != nil {
		return nil, err
	}
	return listBookings(ctx, s.session.t, CustomerBookingsPath, params)
}

// All iterates over every booking of the customer matching params. It
// yields an error once and stops.
func (s *CustomerBookingsService) All(ctx context.Context, params *BookingListParams) iter.Seq2[Booking, error] {
	if err := s.session.check(http.MethodGet, CustomerBookingsPath); err != nil {
		return paging.Fail[Booking](err)
	}
	return allBookings(ctx, s.session.t, CustomerBookingsPath, params)
}

// Create books a listing for the customer, whose e-mail must be verified.
// Guest may be left empty for Cohost to take it from the customer's
// account. Like BookingsService.Create, it is never sent twice.
func (s *CustomerBookingsService) Create(ctx context.Context, params *BookingCreateParams) (*Booking, error) {
	if err := params.check(false); err != nil {
		return nil, err
	}
	if err := s.session.check(http.MethodPost, CustomerBookingsPath); err != nil {
		return nil, err
	}
	return createBooking(ctx, s.session.t, CustomerBookingsPath, params)
}
