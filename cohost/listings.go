package cohost

import (
	"context"
	"encoding/json"
	"iter"
	"net/url"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// ListingsService reads the listings of the teams the API key manages.
type ListingsService struct {
	t *transport.Client
}

// Listing is a property listed on Cohost. The External API may return fewer
// fields than these; Raw holds the listing exactly as received.
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
	Capacity           int                  `json:"capacity"`
	StandardCapacity   int                  `json:"standard_capacity"`
	Bedrooms           int                  `json:"bedrooms"`
	Bathrooms          partnerkit.Number    `json:"bathrooms"`
	Beds               int                  `json:"beds"`
	SquareMeters       partnerkit.Number    `json:"square_meters"`
	State              string               `json:"state"`
	FullRate           partnerkit.Number    `json:"full_rate"`
	MinimumRate        partnerkit.Number    `json:"minimum_rate"`
	Currency           string               `json:"currency"`
	CleaningFee        partnerkit.Number    `json:"cleaning_fee"`
	SecurityDeposit    partnerkit.Number    `json:"security_deposit"`
	InstantBookEnabled bool                 `json:"instant_book_enabled"`
	RatingAverage      partnerkit.Number    `json:"rating_average"`
	ReviewCount        int                  `json:"review_count"`
	CreatedAt          partnerkit.Timestamp `json:"created_at"`
	UpdatedAt          partnerkit.Timestamp `json:"updated_at"`

	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a listing and keeps the raw JSON in Raw.
func (l *Listing) UnmarshalJSON(data []byte) error {
	type plain Listing
	if err := json.Unmarshal(data, (*plain)(l)); err != nil {
		return err
	}
	l.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// Listing states.
const (
	StateActive = "ACTIVE"
)

// ListingsParams filter a listings list. All fields are optional.
type ListingsParams struct {
	PageParams
	// TeamIDs limits the list to these teams. IDs the key does not manage
	// are ignored by Cohost; none means every team of the key.
	TeamIDs      []int64
	State        string
	CountryCode  string
	ProvinceCode string
	SortBy       string
	SortOrder    string
}

func (p *ListingsParams) query() (url.Values, error) {
	var v validate.Errors
	q := url.Values{}
	if p == nil {
		return q, nil
	}
	p.check(&v)
	p.encode(q)
	teamIDs(&v, q, "TeamIDs", p.TeamIDs)
	for name, value := range map[string]string{
		"state": p.State, "country_code": p.CountryCode, "province_code": p.ProvinceCode,
		"sort_by": p.SortBy, "sort_order": p.SortOrder,
	} {
		if value != "" {
			q.Set(name, value)
		}
	}
	return q, v.Err()
}

// List returns one page of listings.
func (s *ListingsService) List(ctx context.Context, p *ListingsParams) (*Page[Listing], error) {
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	var page Page[Listing]
	if err := get(ctx, s.t, "/listings", "GET /listings", q, &page); err != nil {
		return nil, err
	}
	return &page, nil
}

// All iterates over every listing matching p, from p.Page (or the first
// page) on, fetching pages as the loop needs them.
func (s *ListingsService) All(ctx context.Context, p *ListingsParams) iter.Seq2[Listing, error] {
	params := ListingsParams{}
	if p != nil {
		params = *p
		params.TeamIDs = append([]int64(nil), p.TeamIDs...)
	}
	return allPages(ctx, params.Page, func(ctx context.Context, page int) (*Page[Listing], error) {
		params.Page = page
		return s.List(ctx, &params)
	})
}

// Availability is a listing's availability over a range of dates. Cohost
// does not document its shape: the fields below are read when present
// under common names, and Raw holds the answer exactly as received.
type Availability struct {
	ListingID partnerkit.ID   `json:"listing_id"`
	StartDate partnerkit.Date `json:"start_date"`
	EndDate   partnerkit.Date `json:"end_date"`
	// Available is the answer for the whole range, when Cohost gives one.
	Available *bool `json:"available"`
	// Days lists the answer day by day, when Cohost gives one.
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
	if err := json.Unmarshal(data, &wire); err != nil {
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
	a.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// Availability returns the availability of listing id from start to end
// (both YYYY-MM-DD, end not before start).
func (s *ListingsService) Availability(ctx context.Context, id partnerkit.ID, start, end partnerkit.Date) (*Availability, error) {
	var v validate.Errors
	v.PathID("listingID", id)
	v.DateRange("start", start, "end", end)
	if err := v.Err(); err != nil {
		return nil, err
	}
	q := url.Values{"start_date": {start.String()}, "end_date": {end.String()}}
	var out Availability
	if err := get(ctx, s.t, "/listings/"+pathID(id)+"/availability", "GET /listings/{id}/availability", q, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
