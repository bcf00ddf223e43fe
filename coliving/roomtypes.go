package coliving

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/paging"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// RoomTypesService reads the room types of the host's listings.
type RoomTypesService struct {
	c *Client
}

// RoomType is a kind of room of a listing, of which the listing has Amount.
// Every documented field survives encoding the room type as JSON and
// decoding it back. Raw holds the room type exactly as received.
type RoomType struct {
	// ID identifies the room type (room_type_id), the RoomTypeID of an
	// AvailabilityRange or a RoomCalendar.
	ID partnerkit.ID `json:"room_type_id"`
	// ListingID is the listing the room type belongs to.
	ListingID partnerkit.ID `json:"listing_id"`
	Name      string        `json:"name"`
	// RoomType, BedType, BathroomType and Gender are Coliving's words, such
	// as "private", "king", "private" and "Separated", kept as sent.
	RoomType     string `json:"room_type"`
	BedType      string `json:"bed_type"`
	BathroomType string `json:"bathroom_type"`
	Gender       string `json:"gender"`
	// Amount is the number of rooms of this type; availability can be at
	// most Amount.
	Amount partnerkit.Int `json:"amount"`
	// MaxOccupancy is the number of guests per room.
	MaxOccupancy partnerkit.Int `json:"max_occupancy"`
	// RoomSize is the size of a room, in RoomSizeUnit (such as "m2").
	RoomSize     partnerkit.Number `json:"room_size"`
	RoomSizeUnit string            `json:"room_size_unit"`
	// AvailableAt is the first date the room type can be booked; zero when
	// Coliving sends null.
	AvailableAt partnerkit.Date `json:"available_at"`
	// Prices are the room type's monthly rents.
	Prices Prices `json:"prices"`

	// Raw is the room type as received.
	Raw json.RawMessage `json:"-"`
}

// Prices are a room type's monthly rents. A month with no price of its own
// (null) has an empty Number, told apart from a price of "0"; PriceFor
// falls back to BasePrice for it. Prices encode in Coliving's shape, so a
// null month stays null.
type Prices struct {
	// Currency is the currency of every price, such as "USD".
	Currency string
	// BasePrice is the rent of a month without a price of its own.
	BasePrice partnerkit.Number
	// Monthly holds the prices of January (index 0) to December
	// (price_jan to price_dec).
	Monthly [12]partnerkit.Number
}

// pricesWire is Prices as Coliving sends them.
type pricesWire struct {
	Currency  string            `json:"currency"`
	BasePrice partnerkit.Number `json:"base_price"`
	Jan       partnerkit.Number `json:"price_jan"`
	Feb       partnerkit.Number `json:"price_feb"`
	Mar       partnerkit.Number `json:"price_mar"`
	Apr       partnerkit.Number `json:"price_apr"`
	May       partnerkit.Number `json:"price_may"`
	Jun       partnerkit.Number `json:"price_jun"`
	Jul       partnerkit.Number `json:"price_jul"`
	Aug       partnerkit.Number `json:"price_aug"`
	Sep       partnerkit.Number `json:"price_sep"`
	Oct       partnerkit.Number `json:"price_oct"`
	Nov       partnerkit.Number `json:"price_nov"`
	Dec       partnerkit.Number `json:"price_dec"`
}

// months returns pointers to w's monthly prices, January first.
func (w *pricesWire) months() [12]*partnerkit.Number {
	return [12]*partnerkit.Number{&w.Jan, &w.Feb, &w.Mar, &w.Apr, &w.May, &w.Jun, &w.Jul, &w.Aug, &w.Sep, &w.Oct, &w.Nov, &w.Dec}
}

// UnmarshalJSON decodes Coliving's prices, price_jan to price_dec into
// Monthly.
func (p *Prices) UnmarshalJSON(data []byte) error {
	var w pricesWire
	if err := rawjson.Unmarshal(data, &w); err != nil {
		return err
	}
	*p = Prices{Currency: w.Currency, BasePrice: w.BasePrice}
	for i, m := range w.months() {
		p.Monthly[i] = *m
	}
	return nil
}

// MarshalJSON writes the prices in Coliving's shape, a month without a
// price of its own as null.
func (p Prices) MarshalJSON() ([]byte, error) {
	w := pricesWire{Currency: p.Currency, BasePrice: p.BasePrice}
	for i, m := range w.months() {
		*m = p.Monthly[i]
	}
	return json.Marshal(w)
}

// PriceFor returns the price of month m, or BasePrice when that month has
// none.
func (p Prices) PriceFor(m time.Month) partnerkit.Number {
	if m >= time.January && m <= time.December && p.Monthly[m-1] != "" {
		return p.Monthly[m-1]
	}
	return p.BasePrice
}

// RoomTypeListParams say whose room types List and All read.
type RoomTypeListParams struct {
	// ListingID is the host's listing (required).
	ListingID partnerkit.ID
}

// check validates p, which may be nil.
func (p *RoomTypeListParams) check() error {
	var v validate.Errors
	var listing partnerkit.ID
	if p != nil {
		listing = p.ListingID
	}
	v.PathID("ListingID", listing)
	return v.Err()
}

// roomTypesAnswer is the answer of GET .../room-types.
type roomTypesAnswer struct {
	Data struct {
		RoomTypes []RoomType `json:"room_types"`
	} `json:"data"`
}

// broken says how a room types answer breaks Coliving's contract, or "".
func (a *roomTypesAnswer) broken() string {
	if a.Data.RoomTypes == nil {
		return "the answer has no data.room_types list"
	}
	for i, rt := range a.Data.RoomTypes {
		switch {
		case rt.ID == "":
			return fmt.Sprintf("room type %d of the answer has no room_type_id", i)
		case rt.Amount < 0:
			return fmt.Sprintf("room type %s has a negative amount, %d", rt.ID, rt.Amount)
		}
	}
	return ""
}

// List returns the room types of the host's listing params.ListingID, all
// on one page (Coliving does not page them). A listing that does not exist
// or is not the host's fails with partnerkit.ErrNotFound ("Listing not
// found or unauthorized"); an answer without a room type list, or with a
// room type that has no ID or a negative amount, with
// partnerkit.ErrUnexpected.
func (s *RoomTypesService) List(ctx context.Context, params *RoomTypeListParams) (*Page[RoomType], error) {
	if err := params.check(); err != nil {
		return nil, err
	}
	var out roomTypesAnswer
	err := s.c.t.Do(ctx, &transport.Request{
		Method:     http.MethodGet,
		Path:       pathRoomTypes,
		PathParams: []string{s.c.integrator, string(params.ListingID)},
		Expect:     out.broken,
	}, &out)
	if err != nil {
		return nil, err
	}
	return &Page[RoomType]{Items: out.Data.RoomTypes}, nil
}

// All iterates over the room types of the host's listing params.ListingID,
// fetching them when the range starts. It yields (zero, err) once and
// stops when the call fails.
func (s *RoomTypesService) All(ctx context.Context, params *RoomTypeListParams) iter.Seq2[RoomType, error] {
	if err := params.check(); err != nil {
		return paging.Fail[RoomType](err)
	}
	p := *params
	return all(ctx, func(ctx context.Context) (*Page[RoomType], error) { return s.List(ctx, &p) })
}
