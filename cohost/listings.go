package cohost

import (
	"context"
	"encoding/json"
	"iter"
	"net/url"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// ListingsService reads the listings of the teams the API key manages.
type ListingsService struct {
	t *transport.Client
}

// Listing is a property listed on Cohost. The External API may return fewer
// fields than these (a field left out keeps its zero value); Raw holds the
// listing exactly as received.
type Listing struct {
	ID                 partnerkit.ID        `json:"id"`
	TeamID             partnerkit.ID        `json:"team_id"`
	Name               string               `json:"name"`
	Slug               string               `json:"slug"`
	Description        string               `json:"description"`
	ListingType        string               `json:"listing_type"`
	PropertyType       string               `json:"property_type"`
	Address            string               `json:"address"`
	CountryCode        string               `json:"country_code"`
	ProvinceCode       string               `json:"province_code"`
	ProvinceName       string               `json:"province_name"`
	Latitude           partnerkit.Number    `json:"latitude"`
	Longitude          partnerkit.Number    `json:"longitude"`
	Capacity           partnerkit.Int       `json:"capacity"`
	StandardCapacity   partnerkit.Int       `json:"standard_capacity"`
	Bedrooms           partnerkit.Int       `json:"bedrooms"`
	Bathrooms          partnerkit.Number    `json:"bathrooms"`
	Beds               partnerkit.Int       `json:"beds"`
	SquareMeters       partnerkit.Number    `json:"square_meters"`
	State              string               `json:"state"`
	FullRate           partnerkit.Number    `json:"full_rate"`
	MinimumRate        partnerkit.Number    `json:"minimum_rate"`
	Currency           string               `json:"currency"`
	CleaningFee        partnerkit.Number    `json:"cleaning_fee"`
	SecurityDeposit    partnerkit.Number    `json:"security_deposit"`
	InstantBookEnabled bool                 `json:"instant_book_enabled"`
	RatingAverage      partnerkit.Number    `json:"rating_average"`
	ReviewCount        partnerkit.Int       `json:"review_count"`
	CreatedAt          partnerkit.Timestamp `json:"created_at"`
	UpdatedAt          partnerkit.Timestamp `json:"updated_at"`

	Raw json.RawMessage `json:"-"`
}

// Listing states.
const (
	// ListingActive is the state of a listing open for bookings.
	ListingActive = "ACTIVE"
)

// ListingListParams filter a listings list. All fields are optional; nil
// params list the first page of every team's listings.
type ListingListParams struct {
	// Page is the page number, from 1; zero means the first page.
	Page int
	// Limit is the page size; zero means Cohost's default of 20.
	Limit int
	// TeamIDs limits the list to these teams, each a positive integer. IDs
	// the key does not manage are ignored by Cohost; none means every team
	// of the key.
	TeamIDs []partnerkit.ID
	// State limits the list to listings in one state, such as
	// ListingActive.
	State string
	// CountryCode and ProvinceCode limit the list to one place.
	CountryCode  string
	ProvinceCode string
	// SortBy names the field to sort by; SortOrder is "asc" or "desc".
	SortBy    string
	SortOrder string
}

func (p *ListingListParams) query() (url.Values, error) {
	q := url.Values{}
	if p == nil {
		return q, nil
	}
	var v validate.Errors
	pageQuery(&v, q, p.Page, p.Limit)
	teamIDs(&v, q, "TeamIDs", p.TeamIDs)
	for _, f := range [...]struct{ name, value string }{
		{"state", p.State}, {"country_code", p.CountryCode}, {"province_code", p.ProvinceCode},
		{"sort_by", p.SortBy}, {"sort_order", p.SortOrder},
	} {
		if f.value != "" {
			q.Set(f.name, f.value)
		}
	}
	return q, v.Err()
}

// List returns one page of listings.
func (s *ListingsService) List(ctx context.Context, params *ListingListParams) (*Page[Listing], error) {
	q, err := params.query()
	if err != nil {
		return nil, err
	}
	page := 0
	if params != nil {
		page = params.Page
	}
	return listPage[Listing](ctx, s.t, "/listings", q, page)
}

// All iterates over every listing matching params, from params.Page (or the
// first page) on, fetching pages as the loop needs them. It yields an error
// once and stops.
func (s *ListingsService) All(ctx context.Context, params *ListingListParams) iter.Seq2[Listing, error] {
	p := ListingListParams{}
	if params != nil {
		p = *params
		p.TeamIDs = append([]partnerkit.ID(nil), params.TeamIDs...)
	}
	return allPages(ctx, p.Page, func(ctx context.Context, page int) (*Page[Listing], error) {
		p.Page = page
		return s.List(ctx, &p)
	})
}

// ListingAvailabilityParams select the days of an availability check.
type ListingAvailabilityParams struct {
	// StartDate and EndDate are the first and last days, inclusive; EndDate
	// may equal StartDate but not come before it.
	StartDate partnerkit.Date
	EndDate   partnerkit.Date
}

// Availability is a listing's availability over a range of dates. Cohost
// does not document its shape: the fields below are read when present
// under common names, and Raw holds the answer exactly as received.
type Availability struct {
	ListingID partnerkit.ID   `json:"listing_id"`
	StartDate partnerkit.Date `json:"start_date"`
	EndDate   partnerkit.Date `json:"end_date"`
	// Available is the answer for the whole range, when Cohost gives one
	// (as available or is_available); nil otherwise.
	Available *bool `json:"available"`
	// Days lists the answer day by day, when Cohost gives one (as days,
	// dates, calendar or availability).
	Days []AvailabilityDay `json:"days"`

	Raw json.RawMessage `json:"-"`
}

// AvailabilityDay is one date of an Availability.
type AvailabilityDay struct {
	Date      partnerkit.Date   `json:"date"`
	Available bool              `json:"available"`
	Price     partnerkit.Number `json:"price"`
}

// UnmarshalJSON decodes an availability answer tolerantly: the day list may
// be named days, dates, calendar or availability, and a whole-range answer
// available or is_available.
func (a *Availability) UnmarshalJSON(data []byte) error {
	type plain Availability
	var wire struct {
		plain
		IsAvailable  *bool             `json:"is_available"`
		Dates        []AvailabilityDay `json:"dates"`
		Calendar     []AvailabilityDay `json:"calendar"`
		Availability json.RawMessage   `json:"availability"`
	}
	if err := rawjson.Unmarshal(data, &wire); err != nil {
		return err
	}
	*a = Availability(wire.plain)
	if a.Available == nil {
		a.Available = wire.IsAvailable
	}
	for _, days := range [][]AvailabilityDay{wire.Dates, wire.Calendar} {
		if a.Days == nil {
			a.Days = days
		}
	}
	if a.Days == nil && len(wire.Availability) > 0 && wire.Availability[0] == '[' {
		_ = json.Unmarshal(wire.Availability, &a.Days) // best effort: the shape is undocumented
	}
	return nil
}

// Availability returns the availability of listing id from params.StartDate
// to params.EndDate.
func (s *ListingsService) Availability(ctx context.Context, id partnerkit.ID, params *ListingAvailabilityParams) (*Availability, error) {
	var v validate.Errors
	v.PathID("id", id)
	if v.NotNil("params", params != nil) {
		v.DateRange("StartDate", params.StartDate, "EndDate", params.EndDate)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	q := url.Values{"start_date": {params.StartDate.String()}, "end_date": {params.EndDate.String()}}
	var out Availability
	if err := get(ctx, s.t, "/listings/{id}/availability", []string{string(id)}, q, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
