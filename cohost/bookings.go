package cohost

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// BookingsService creates and lists bookings as the partner.
type BookingsService struct {
	t *transport.Client
}

// Booking states Cohost documents.
const (
	BookingConfirmed = "CONFIRMED"
)

// GuestInfo identifies the guest a booking is for.
type GuestInfo struct {
	FullName string `json:"full_name"`
	Phone    string `json:"phone"`
	Email    string `json:"email"`
}

// BookingCreate is a new booking. Cohost derives the team from the listing,
// which must belong to one of the key's teams.
type BookingCreate struct {
	ListingID partnerkit.ID
	CheckIn   partnerkit.Date
	CheckOut  partnerkit.Date
	// Guests is the number of guests, at least 1.
	Guests int
	Guest  GuestInfo
}

// check validates the booking; guestRequired is false for a customer's own
// booking, which Cohost may complete from the customer's account.
func (b *BookingCreate) check(guestRequired bool) error {
	var v validate.Errors
	if !v.NotNil("booking", b != nil) {
		return v.Err()
	}
	v.PathID("ListingID", b.ListingID)
	v.DateOrder("CheckIn", b.CheckIn, "CheckOut", b.CheckOut)
	v.Check(b.Guests >= 1, "Guests", "must be at least 1")
	if guestRequired || b.Guest != (GuestInfo{}) {
		v.Required("Guest.FullName", b.Guest.FullName)
		v.Phone("Guest.Phone", b.Guest.Phone)
		v.Email("Guest.Email", b.Guest.Email)
	}
	return v.Err()
}

// MarshalJSON writes the booking as Cohost expects it; a numeric listing ID
// is sent as a JSON number.
func (b BookingCreate) MarshalJSON() ([]byte, error) {
	var listingID any = string(b.ListingID)
	if n, ok := b.ListingID.Int64(); ok {
		listingID = n
	}
	wire := struct {
		ListingID any             `json:"listing_id"`
		CheckIn   partnerkit.Date `json:"check_in_date"`
		CheckOut  partnerkit.Date `json:"check_out_date"`
		Guests    int             `json:"guest_number"`
		Guest     *GuestInfo      `json:"guest_info,omitempty"`
	}{listingID, b.CheckIn, b.CheckOut, b.Guests, nil}
	if b.Guest != (GuestInfo{}) {
		wire.Guest = &b.Guest
	}
	return json.Marshal(wire)
}

// Booking is a booking as Cohost returns it. Raw holds it exactly as
// received.
type Booking struct {
	ID         partnerkit.ID        `json:"id"`
	ListingID  partnerkit.ID        `json:"listing_id"`
	TeamID     partnerkit.ID        `json:"team_id"`
	UserID     partnerkit.ID        `json:"user_id"`
	CheckIn    partnerkit.Date      `json:"check_in_date"`
	CheckOut   partnerkit.Date      `json:"check_out_date"`
	Guests     int                  `json:"guest_number"`
	Guest      GuestInfo            `json:"guest_info"`
	State      string               `json:"state"`
	TotalPrice partnerkit.Number    `json:"total_price"`
	Currency   string               `json:"currency"`
	CreatedAt  partnerkit.Timestamp `json:"created_at"`

	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a booking and keeps the raw JSON in Raw.
func (b *Booking) UnmarshalJSON(data []byte) error {
	type plain Booking
	if err := json.Unmarshal(data, (*plain)(b)); err != nil {
		return err
	}
	b.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// Create books a listing. It is sent once: if the answer is lost (a timeout,
// a dropped connection), Create returns the error without sending the
// booking again, because Cohost offers no way to make a retry safe. Check
// with List before trying again. A 409 (partnerkit.ErrConflict) means the
// dates overlap another booking.
func (s *BookingsService) Create(ctx context.Context, b *BookingCreate) (*Booking, error) {
	if err := b.check(true); err != nil {
		return nil, err
	}
	return createBooking(ctx, s.t, "/bookings", b)
}

func createBooking(ctx context.Context, t *transport.Client, path string, b *BookingCreate) (*Booking, error) {
	var out Booking
	err := t.Do(ctx, &transport.Request{Method: http.MethodPost, Path: path, Body: b, Safety: transport.NotIdempotent}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// BookingsParams filter a bookings list. All fields are optional.
type BookingsParams struct {
	PageParams
	TeamIDs []int64
	// UserID limits the list to one customer's bookings.
	UserID partnerkit.ID
	// State limits the list to one state, such as BookingConfirmed.
	State string
}

func (p *BookingsParams) query() (url.Values, error) {
	var v validate.Errors
	q := url.Values{}
	if p == nil {
		return q, nil
	}
	p.check(&v)
	p.encode(q)
	teamIDs(&v, q, "TeamIDs", p.TeamIDs)
	if p.UserID != "" {
		v.PathID("UserID", p.UserID)
		q.Set("user_id", string(p.UserID))
	}
	if p.State != "" {
		q.Set("state", p.State)
	}
	return q, v.Err()
}

// List returns one page of bookings.
func (s *BookingsService) List(ctx context.Context, p *BookingsParams) (*Page[Booking], error) {
	return listBookings(ctx, s.t, "/bookings", p)
}

// All iterates over every booking matching p.
func (s *BookingsService) All(ctx context.Context, p *BookingsParams) iter.Seq2[Booking, error] {
	return allBookings(ctx, s.t, "/bookings", p)
}

func listBookings(ctx context.Context, t *transport.Client, path string, p *BookingsParams) (*Page[Booking], error) {
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	var page Page[Booking]
	if err := get(ctx, t, path, "GET "+path, q, &page); err != nil {
		return nil, err
	}
	return &page, nil
}

func allBookings(ctx context.Context, t *transport.Client, path string, p *BookingsParams) iter.Seq2[Booking, error] {
	params := BookingsParams{}
	if p != nil {
		params = *p
		params.TeamIDs = append([]int64(nil), p.TeamIDs...)
	}
	return allPages(ctx, params.Page, func(ctx context.Context, page int) (*Page[Booking], error) {
		params.Page = page
		return listBookings(ctx, t, path, &params)
	})
}
