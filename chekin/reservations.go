package chekin

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/paging"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/secret"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// ReservationsService manages reservations and their registrations with the
// police and the statistics offices.
type ReservationsService struct {
	t *transport.Client
}

// Reservation is a stay in a housing. Raw holds it exactly as received.
type Reservation struct {
	ID  partnerkit.ID `json:"id"`
	URL string        `json:"url"`
	// HousingID is the housing's ID, from housing_id or the nested housing.
	HousingID partnerkit.ID `json:"housing_id"`
	// Housing is the nested housing, when CheKin includes it.
	Housing *Housing `json:"housing"`
	// CheckIn and CheckOut are the instants CheKin sends back: date-times
	// (such as "2019-10-31T15:00:00+01:00") even for a reservation created
	// with dates, with their time of day and zone.
	// partnerkit.DateOf(r.CheckIn.Time) is the calendar date written.
	CheckIn  partnerkit.Timestamp `json:"check_in_date"`
	CheckOut partnerkit.Timestamp `json:"check_out_date"`
	// NightsOfStay is the length of the stay; CheKin may send it as a
	// string.
	NightsOfStay          partnerkit.Int    `json:"nights_of_stay"`
	DefaultLeaderFullName string            `json:"default_leader_full_name"`
	DefaultInviteEmail    string            `json:"default_invite_email"`
	DefaultPhoneNumber    string            `json:"default_phone_number"`
	DefaultEmailLanguage  string            `json:"default_email_language"`
	BookingReference      string            `json:"booking_reference"`
	ExternalID            string            `json:"external_id"`
	SourceName            string            `json:"source_name"`
	Price                 partnerkit.Number `json:"price"`
	Deposit               partnerkit.Number `json:"deposit"`
	// SignupFormLink is the online check-in link to share with the guests.
	SignupFormLink string `json:"signup_form_link"`
	// GuestGroup holds the guests registered so far.
	GuestGroup *GuestGroup `json:"guest_group"`

	Raw json.RawMessage `json:"-"`
}

// LogValue logs the reservation for log/slog with the passwords of its
// housing's police account, if any, as a placeholder.
func (r Reservation) LogValue() slog.Value { return secret.LogValue(r) }

// Format prints the value as fmt would, with its secrets as a placeholder,
// for every verb, also where it is met behind a pointer.
func (r Reservation) Format(f fmt.State, verb rune) { secret.Format(f, verb, r) }

// UnmarshalJSON decodes a reservation, taking HousingID from the nested
// housing when housing_id is absent, and keeps the raw JSON in Raw.
func (r *Reservation) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil // null leaves the value as it is, as encoding/json does
	}
	type plain Reservation
	*r = Reservation{}
	if err := rawjson.Unmarshal(data, (*plain)(r)); err != nil {
		return err
	}
	if r.HousingID == "" && r.Housing != nil {
		r.HousingID = r.Housing.ID
	}
	return nil
}

// ExpectedGuests are the guests expected on a new reservation.
type ExpectedGuests struct {
	// NumberOfGuests is at least 1.
	NumberOfGuests int `json:"number_of_guests"`
}

// ReservationCreateParams describe a new reservation. Dates are sent as
// YYYY-MM-DD. Formatting them with fmt or log/slog prints no password of
// the police account of a housing created with the reservation.
type ReservationCreateParams struct {
	// CheckIn and CheckOut are required; CheckOut is after CheckIn.
	CheckIn  partnerkit.Date `json:"check_in_date"`
	CheckOut partnerkit.Date `json:"check_out_date"`
	// HousingID is the housing of the reservation; required unless Housing
	// creates one with it.
	HousingID partnerkit.ID `json:"housing_id,omitempty"`
	// Housing creates the reservation's housing along with it.
	Housing *HousingCreateParams `json:"housing,omitempty"`
	// DefaultLeaderFullName is the main guest's full name.
	DefaultLeaderFullName string `json:"default_leader_full_name,omitempty"`
	// DefaultInviteEmail is where CheKin sends the online check-in
	// invitation.
	DefaultInviteEmail   string            `json:"default_invite_email,omitempty"`
	DefaultPhoneNumber   string            `json:"default_phone_number,omitempty"`
	DefaultEmailLanguage string            `json:"default_email_language,omitempty"`
	BookingReference     string            `json:"booking_reference,omitempty"`
	ExternalID           string            `json:"external_id,omitempty"`
	SourceName           string            `json:"source_name,omitempty"`
	Price                partnerkit.Number `json:"price,omitempty"`
	Deposit              partnerkit.Number `json:"deposit,omitempty"`
	GuestGroup           *ExpectedGuests   `json:"guest_group,omitempty"`
	// Extra holds further fields CheKin accepts, sent as they are. A typed
	// field of the same name wins.
	Extra map[string]any `json:"-"`
}

// LogValue logs the params for log/slog with the passwords as a placeholder.
func (r ReservationCreateParams) LogValue() slog.Value { return secret.LogValue(r) }

// Format prints the value as fmt would, with its secrets as a placeholder,
// for every verb, also where it is met behind a pointer.
func (r ReservationCreateParams) Format(f fmt.State, verb rune) { secret.Format(f, verb, r) }

// MarshalJSON writes the reservation with its Extra fields.
func (r ReservationCreateParams) MarshalJSON() ([]byte, error) {
	type plain ReservationCreateParams
	return withExtra(plain(r), r.Extra)
}

func (r *ReservationCreateParams) check(v *validate.Errors) {
	v.DateOrder("CheckIn", r.CheckIn, "CheckOut", r.CheckOut)
	switch {
	case r.Housing != nil:
		if r.HousingID != "" {
			v.Check(false, "Housing", "must not be set with HousingID")
		}
		r.Housing.check(v, "Housing.")
	default:
		checkID(v, "HousingID", r.HousingID)
	}
	if r.DefaultInviteEmail != "" {
		v.Email("DefaultInviteEmail", r.DefaultInviteEmail)
	}
	if r.DefaultPhoneNumber != "" {
		v.Phone("DefaultPhoneNumber", r.DefaultPhoneNumber)
	}
	if r.GuestGroup != nil {
		v.Check(r.GuestGroup.NumberOfGuests >= 1, "GuestGroup.NumberOfGuests", "must be at least 1")
	}
	checkAmount(v, "Price", r.Price)
	checkAmount(v, "Deposit", r.Deposit)
}

// ReservationUpdateParams change a reservation. Only the fields set are
// sent.
type ReservationUpdateParams struct {
	CheckIn               *partnerkit.Date   `json:"check_in_date,omitempty"`
	CheckOut              *partnerkit.Date   `json:"check_out_date,omitempty"`
	HousingID             *partnerkit.ID     `json:"housing_id,omitempty"`
	DefaultLeaderFullName *string            `json:"default_leader_full_name,omitempty"`
	DefaultInviteEmail    *string            `json:"default_invite_email,omitempty"`
	DefaultPhoneNumber    *string            `json:"default_phone_number,omitempty"`
	DefaultEmailLanguage  *string            `json:"default_email_language,omitempty"`
	BookingReference      *string            `json:"booking_reference,omitempty"`
	ExternalID            *string            `json:"external_id,omitempty"`
	Price                 *partnerkit.Number `json:"price,omitempty"`
	Deposit               *partnerkit.Number `json:"deposit,omitempty"`
	// Extra holds further fields to change, sent as they are.
	Extra map[string]any `json:"-"`
}

// MarshalJSON writes the fields set and the Extra fields.
func (u ReservationUpdateParams) MarshalJSON() ([]byte, error) {
	type plain ReservationUpdateParams
	return withExtra(plain(u), u.Extra)
}

func (u *ReservationUpdateParams) check(v *validate.Errors) {
	if !v.Check(u.CheckIn != nil || u.CheckOut != nil || u.HousingID != nil || u.DefaultLeaderFullName != nil ||
		u.DefaultInviteEmail != nil || u.DefaultPhoneNumber != nil || u.DefaultEmailLanguage != nil ||
		u.BookingReference != nil || u.ExternalID != nil || u.Price != nil || u.Deposit != nil || len(u.Extra) > 0,
		"params", "must set at least one field") {
		return
	}
	switch {
	case u.CheckIn != nil && u.CheckOut != nil:
		v.DateOrder("CheckIn", *u.CheckIn, "CheckOut", *u.CheckOut)
	case u.CheckIn != nil:
		v.Date("CheckIn", *u.CheckIn)
	case u.CheckOut != nil:
		v.Date("CheckOut", *u.CheckOut)
	}
	if u.HousingID != nil {
		checkID(v, "HousingID", *u.HousingID)
	}
	if u.DefaultInviteEmail != nil {
		v.Email("DefaultInviteEmail", *u.DefaultInviteEmail)
	}
	if u.DefaultPhoneNumber != nil {
		v.Phone("DefaultPhoneNumber", *u.DefaultPhoneNumber)
	}
	if u.Price != nil {
		checkAmount(v, "Price", *u.Price)
	}
	if u.Deposit != nil {
		checkAmount(v, "Deposit", *u.Deposit)
	}
}

// checkAmount checks an optional amount: empty, or a number not below 0.
func checkAmount(v *validate.Errors, field string, n partnerkit.Number) {
	if n == "" {
		return
	}
	f, err := strconv.ParseFloat(string(n), 64)
	v.Check(err == nil && f >= 0, field, "must be a number not below 0, such as 120.50")
}

// Create creates a reservation and returns it with its ID and
// SignupFormLink. It is sent once: if the answer is lost (a timeout, a
// dropped connection), Create returns the error without sending the
// reservation again. Look it up with List (for example by ExternalID)
// before trying again.
func (s *ReservationsService) Create(ctx context.Context, params *ReservationCreateParams) (*Reservation, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		params.check(&v)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if params.Housing != nil {
		secretsOf(s.t, params.Housing.PoliceAccount)
	}
	return transport.Decode[Reservation](ctx, s.t, &transport.Request{Method: http.MethodPost, Path: "/reservations/", Body: params, Safety: transport.NotIdempotent})
}

// Get returns one reservation with its guest group.
func (s *ReservationsService) Get(ctx context.Context, id partnerkit.ID) (*Reservation, error) {
	var v validate.Errors
	checkID(&v, "id", id)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return transport.Decode[Reservation](ctx, s.t, &transport.Request{Method: http.MethodGet, Path: "/reservations/{id}/", PathParams: []string{string(id)}})
}

// Update changes the fields of params that are set (PATCH) and returns
// the reservation.
func (s *ReservationsService) Update(ctx context.Context, id partnerkit.ID, params *ReservationUpdateParams) (*Reservation, error) {
	var v validate.Errors
	checkID(&v, "id", id)
	if v.NotNil("params", params != nil) {
		params.check(&v)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return transport.Decode[Reservation](ctx, s.t, &transport.Request{
		Method: http.MethodPatch, Path: "/reservations/{id}/", PathParams: []string{string(id)},
		Body: params, Safety: transport.Idempotent,
	})
}

// Delete deletes a reservation.
func (s *ReservationsService) Delete(ctx context.Context, id partnerkit.ID) error {
	var v validate.Errors
	checkID(&v, "id", id)
	if err := v.Err(); err != nil {
		return err
	}
	return s.t.Do(ctx, &transport.Request{Method: http.MethodDelete, Path: "/reservations/{id}/", PathParams: []string{string(id)}}, nil)
}

// ReservationListParams select a page of reservations. All fields are
// optional; a nil *ReservationListParams asks for CheKin's first page.
type ReservationListParams struct {
	// Page is the page number, from 1; 0 means the first page.
	Page int
	// Limit is the number of reservations on a page (DRF's page_size); 0
	// means CheKin's default. A server that does not let callers choose the
	// page size ignores it.
	Limit int
	// Filters are query parameters passed as they are, for the filters
	// CheKin offers on reservations.
	Filters url.Values
}

func (p *ReservationListParams) query() (url.Values, error) {
	if p == nil {
		return url.Values{}, nil
	}
	return pageQuery(p.Page, p.Limit, p.Filters)
}

// List returns one page of reservations.
func (s *ReservationsService) List(ctx context.Context, params *ReservationListParams) (*Page[Reservation], error) {
	q, err := params.query()
	if err != nil {
		return nil, err
	}
	return list[Reservation](ctx, s.t, "/reservations/", q)
}

// All iterates over every reservation matching params, from params.Page
// (or the first page) on, fetching pages as the loop needs them.
func (s *ReservationsService) All(ctx context.Context, params *ReservationListParams) iter.Seq2[Reservation, error] {
	q, err := params.query()
	if err != nil {
		return paging.Fail[Reservation](err)
	}
	return all[Reservation](ctx, s.t, "/reservations/", q)
}

// statusAnswer is CheKin's {"status": "ok"}.
type statusAnswer struct {
	Status string `json:"status"`
}

// broken reports a status other than "ok".
func (a *statusAnswer) broken() string {
	if a.Status == "" || a.Status == "ok" {
		return ""
	}
	return "status " + a.Status
}

// ResendToPolice sends the reservation's guests to the police again, after
// the guests were corrected with GuestsService.Update. It is not retried
// once it may have reached CheKin.
func (s *ReservationsService) ResendToPolice(ctx context.Context, id partnerkit.ID) error {
	return s.resend(ctx, id, "/reservations/{id}/resend-reservation-to-police/")
}

// ResendToStatistics sends the reservation's guests to the statistics
// office again. It is not retried once it may have reached CheKin.
func (s *ReservationsService) ResendToStatistics(ctx context.Context, id partnerkit.ID) error {
	return s.resend(ctx, id, "/reservations/{id}/resend-reservation-to-stat/")
}

func (s *ReservationsService) resend(ctx context.Context, id partnerkit.ID, path string) error {
	var v validate.Errors
	checkID(&v, "id", id)
	if err := v.Err(); err != nil {
		return err
	}
	var out statusAnswer
	return s.t.Do(ctx, &transport.Request{
		Method: http.MethodPost, Path: path, PathParams: []string{string(id)},
		Body: json.RawMessage(`{}`), Safety: transport.NotIdempotent, Expect: out.broken,
	}, &out)
}
