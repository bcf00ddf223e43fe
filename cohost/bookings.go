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
	// BookingConfirmed is the state of a booking that holds its dates.
	BookingConfirmed = "CONFIRMED"
)

// GuestInfo identifies the guest a booking is for.
type GuestInfo struct {
	FullName string `json:"full_name"`
	Phone    string `json:"phone"`
	Email    string `json:"email"`
}

// BookingCreateParams are a new booking. Cohost derives the team from the
// listing, which must belong to one of the key's teams.
type BookingCreateParams struct {
	// ListingID is the listing to book.
	ListingID partnerkit.ID
	// CheckIn and CheckOut are the arrival and departure dates; CheckOut is
	// after CheckIn.
	CheckIn  partnerkit.Date
	CheckOut partnerkit.Date
	// Guests is the number of guests, at least 1.
	Guests int
	// Guest is the guest the booking is for. A customer's own booking (see
	// CustomerBookingsService) may leave it empty for Cohost to take it
	// from the customer's account.
	Guest GuestInfo
}

// check validates the booking; guestRequired is false for a customer's own
// booking, which Cohost may complete from the customer's account.
func (b *BookingCreateParams) check(guestRequired bool) error {
	var v validate.Errors
	if !v.NotNil("params", b != nil) {
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
func (b BookingCreateParams) MarshalJSON() ([]byte, error) {
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
	ID        partnerkit.ID `json:"id"`
	ListingID partnerkit.ID `json:"listing_id"`
	TeamID    partnerkit.ID `json:"team_id"`
	// UserID is the customer who booked, or nil (null) for a booking the
	// partner made for a guest.
	UserID   *partnerkit.ID  `json:"user_id"`
	CheckIn  partnerkit.Date `json:"check_in_date"`
	CheckOut partnerkit.Date `json:"check_out_date"`
	// Guests is guest_number, the number of guests.
	Guests     partnerkit.Int       `json:"guest_number"`
	Guest      GuestInfo            `json:"guest_info"`
	State      string               `json:"state"`
	TotalPrice partnerkit.Number    `json:"total_price"`
	Currency   string               `json:"currency"`
	CreatedAt  partnerkit.Timestamp `json:"created_at"`

	Raw json.RawMessage `json:"-"`
}

// Create books a listing. It is sent once: if the answer is lost (a timeout,
// a dropped connection), Create returns the error without sending the
// booking again, because Cohost offers no way to make a retry safe. Check
// with List before trying again. A 409 (partnerkit.ErrConflict) means the
// dates overlap another booking.
func (s *BookingsService) Create(ctx context.Context, params *BookingCreateParams) (*Booking, error) {
	if err := params.check(true); err != nil {
		return nil, err
	}
	return createBooking(ctx, s.t, "/bookings", params)
}

func createBooking(ctx context.Context, t *transport.Client, path string, b *BookingCreateParams) (*Booking, error) {
	return transport.Decode[Booking](ctx, t, &transport.Request{Method: http.MethodPost, Path: path, Body: b, Safety: transport.NotIdempotent})
}

// BookingListParams filter a bookings list. All fields are optional; nil
// params list the first page of every team's bookings.
type BookingListParams struct {
	// Page is the page number, from 1; zero means the first page.
	Page int
	// Limit is the page size; zero means Cohost's default of 20.
	Limit int
	// TeamIDs limits the list to these teams, each a positive integer;
	// none means every team of the key.
	TeamIDs []partnerkit.ID
	// UserID limits the list to one customer's bookings.
	UserID partnerkit.ID
	// State limits the list to one state, such as BookingConfirmed.
	State string
}

func (p *BookingListParams) query() (url.Values, error) {
	q := url.Values{}
	if p == nil {
		return q, nil
	}
	var v validate.Errors
	pageQuery(&v, q, p.Page, p.Limit)
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
func (s *BookingsService) List(ctx context.Context, params *BookingListParams) (*Page[Booking], error) {
	return listBookings(ctx, s.t, "/bookings", params)
}

// All iterates over every booking matching params, fetching pages as the
// loop needs them. It yields an error once and stops.
func (s *BookingsService) All(ctx context.Context, params *BookingListParams) iter.Seq2[Booking, error] {
	return allBookings(ctx, s.t, "/bookings", params)
}

func listBookings(ctx context.Context, t *transport.Client, path string, params *BookingListParams) (*Page[Booking], error) {
	q, err := params.query()
	if err != nil {
		return nil, err
	}
	page := 0
	if params != nil {
		page = params.Page
	}
	return listPage[Booking](ctx, t, path, q, page)
}

func allBookings(ctx context.Context, t *transport.Client, path string, params *BookingListParams) iter.Seq2[Booking, error] {
	p := BookingListParams{}
	if params != nil {
		p = *params
		p.TeamIDs = append([]partnerkit.ID(nil), params.TeamIDs...)
	}
	return allPages(ctx, p.Page, func(ctx context.Context, page int) (*Page[Booking], error) {
		p.Page = page
		return listBookings(ctx, t, path, &p)
	})
}
