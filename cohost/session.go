package cohost

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/paging"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

// Paths of the customer-scoped booking calls ("Customer Members"). They are
// not in the published quick start; correct them here if Cohost documents
// others.
const (
	CustomerBookingsPath = "/customers/me/bookings"
)

// CustomerSession acts for one logged-in customer: its calls carry the
// customer's Bearer token along with the partner key. It shares the
// partner client's connections and rate limit. The token is not printed by
// fmt; AccessToken returns it for storage.
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

	token string
	t     *transport.Client
}

// Session returns a session for a customer token obtained earlier (for
// example stored after Login). When expiresAt is zero it is read from the
// token's exp claim, if it has one.
func (s *CustomersService) Session(token string, expiresAt time.Time) *CustomerSession {
	if expiresAt.IsZero() {
		expiresAt, _ = transport.JWTExpiry(token)
	}
	s.t.AddSecret(token)
	session := &CustomerSession{
		TokenType: "Bearer",
		ExpiresAt: expiresAt,
		token:     token,
		t:         s.t.WithAuth(&customerAuth{apiKey: s.apiKey, token: token, identity: transport.Identity(s.apiKey)}),
	}
	session.Bookings = &CustomerBookingsService{session: session}
	return session
}

// AccessToken returns the customer's token, for storing the session.
func (s *CustomerSession) AccessToken() string {
	return s.token
}

// Expired reports whether the token has expired.
func (s *CustomerSession) Expired() bool {
	return !s.ExpiresAt.IsZero() && !s.t.Clock().Now().Before(s.ExpiresAt)
}

// String describes the session without its token.
func (s *CustomerSession) String() string {
	return fmt.Sprintf("cohost customer session for %s (user %s, expires %s)", s.Email, s.UserID, s.ExpiresAt.Format(time.RFC3339))
}

// GoString describes the session without its token, for %#v.
func (s *CustomerSession) GoString() string {
	return s.String()
}

// check refuses calls with an expired token, which Cohost would refuse.
func (s *CustomerSession) check(method, path string) error {
	if !s.Expired() {
		return nil
	}
	return &partnerkit.Error{
		Provider: "cohost", Method: method, Path: path, Kind: partnerkit.ErrUnauthorized,
		Message: "the customer session expired at " + s.ExpiresAt.Format(time.RFC3339) + "; log the customer in again",
	}
}

// customerAuth sends the partner key and the customer's Bearer token. Its
// calls count against the partner key's limits.
type customerAuth struct {
	apiKey, token, identity string
}

func (a *customerAuth) Apply(_ context.Context, h http.Header) (string, error) {
	h.Set("X-API-Key", a.apiKey)
	h.Set("Authorization", "Bearer "+a.token)
	return a.token, nil
}

func (a *customerAuth) Identity() string { return a.identity }

// CustomerBookingsService lists and creates a logged-in customer's own
// bookings.
type CustomerBookingsService struct {
	session *CustomerSession
}

// List returns one page of the customer's bookings.
func (s *CustomerBookingsService) List(ctx context.Context, p *BookingsParams) (*Page[Booking], error) {
	if err := s.session.check(http.MethodGet, CustomerBookingsPath); err != nil {
		return nil, err
	}
	return listBookings(ctx, s.session.t, CustomerBookingsPath, p)
}

// All iterates over every booking of the customer matching p.
func (s *CustomerBookingsService) All(ctx context.Context, p *BookingsParams) iter.Seq2[Booking, error] {
	if err := s.session.check(http.MethodGet, CustomerBookingsPath); err != nil {
		return paging.Fail[Booking](err)
	}
	return allBookings(ctx, s.session.t, CustomerBookingsPath, p)
}

// Create books a listing for the customer, whose e-mail must be verified.
// Guest may be left empty for Cohost to take it from the customer's
// account. Like BookingsService.Create, it is never sent twice.
func (s *CustomerBookingsService) Create(ctx context.Context, b *BookingCreate) (*Booking, error) {
	if err := b.check(false); err != nil {
		return nil, err
	}
	if err := s.session.check(http.MethodPost, CustomerBookingsPath); err != nil {
		return nil, err
	}
	return createBooking(ctx, s.session.t, CustomerBookingsPath, b)
}
