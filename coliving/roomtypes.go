package coliving

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// RoomTypesService reads the room types of the host's listings.
type RoomTypesService struct {
	c *Client
}

// RoomType is a kind of room of a listing, of which the listing has Amount.
// Raw holds the room type exactly as received.
type RoomType struct {
	RoomTypeID partnerkit.ID `json:"room_type_id"`
	ListingID  partnerkit.ID `json:"listing_id"`
	Name       string        `json:"name"`
	// RoomType, BedType, BathroomType and Gender are Coliving's words, such
	// as "private", "king", "private" and "Separated", kept as sent.
	RoomType     string `json:"room_type"`
	BedType      string `json:"bed_type"`
	BathroomType string `json:"bathroom_type"`
	Gender       string `json:"gender"`
	// Amount is the number of rooms of this type; availability can be at
	// most Amount.
	Amount int `json:"-"`
	// MaxOccupancy is the number of guests per room.
	MaxOccupancy int               `json:"-"`
	RoomSize     partnerkit.Number `json:"room_size"`
	RoomSizeUnit string            `json:"room_size_unit"`
	// AvailableAt is the first date the room type can be booked, when set.
	AvailableAt partnerkit.Date `json:"available_at"`
	Prices      Prices          `json:"prices"`

	Raw json.RawMessage `json:"-"`
}

// Prices are a room type's monthly rents. A month with no price of its own
// (null) is empty; PriceFor falls back to BasePrice.
type Prices struct {
	Currency  string            `json:"currency"`
	BasePrice partnerkit.Number `json:"base_price"`
	// Monthly holds the prices of January (index 0) to December.
	Monthly [12]partnerkit.Number `json:"-"`
}

var monthKeys = [12]string{"price_jan", "price_feb", "price_mar", "price_apr", "price_may", "price_jun",
	"price_jul", "price_aug", "price_sep", "price_oct", "price_nov", "price_dec"}

// UnmarshalJSON decodes the prices, price_jan to price_dec into Monthly.
func (p *Prices) UnmarshalJSON(data []byte) error {
	var wire struct {
		Currency  string            `json:"currency"`
		BasePrice partnerkit.Number `json:"base_price"`
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*p = Prices{Currency: wire.Currency, BasePrice: wire.BasePrice}
	for i, k := range monthKeys {
		if v, ok := raw[k]; ok {
			if err := json.Unmarshal(v, &p.Monthly[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// MarshalJSON writes the prices in Coliving's shape.
func (p Prices) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, 14)
	m["currency"] = p.Currency
	m["base_price"] = p.BasePrice
	for i, k := range monthKeys {
		m[k] = p.Monthly[i]
	}
	return json.Marshal(m)
}

// PriceFor returns the price of month m, or BasePrice when that month has
// none.
func (p Prices) PriceFor(m time.Month) partnerkit.Number {
	if m >= time.January && m <= time.December && p.Monthly[m-1] != "" {
		return p.Monthly[m-1]
	}
	return p.BasePrice
}

// UnmarshalJSON decodes a room type tolerantly (counts may come as strings)
// and keeps the raw JSON in Raw.
func (r *RoomType) UnmarshalJSON(data []byte) error {
	type plain RoomType
	var wire struct {
		plain
		Amount       partnerkit.Number `json:"amount"`
		MaxOccupancy partnerkit.Number `json:"max_occupancy"`
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	*r = RoomType(wire.plain)
	r.Amount = int(wire.Amount.Float64())
	r.MaxOccupancy = int(wire.MaxOccupancy.Float64())
	r.Raw = append(json.RawMessage(nil), data...)
	return nil
}

type roomTypesAnswer struct {
	Success *bool `json:"success"`
	Data    struct {
		RoomTypes []RoomType `json:"room_types"`
	} `json:"data"`
	raw []byte
}

func (a *roomTypesAnswer) UnmarshalJSON(data []byte) error {
	type plain roomTypesAnswer
	if err := json.Unmarshal(data, (*plain)(a)); err != nil {
		return err
	}
	a.raw = data
	return nil
}

// List returns the room types of the host's listing listingID. A listing
// that does not exist or is not the host's fails with
// partnerkit.ErrNotFound ("Listing not found or unauthorized").
func (s *RoomTypesService) List(ctx context.Context, listingID partnerkit.ID) ([]RoomType, error) {
	var v validate.Errors
	v.PathID("listingID", listingID)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out roomTypesAnswer
	path := s.c.integrations("/listings/" + url.PathEscape(string(listingID)) + "/room-types")
	if err := s.c.do(ctx, http.MethodGet, path, routeRoomTypes, transport.ByMethod, nil, &out); err != nil {
		return nil, err
	}
	return out.Data.RoomTypes, nil
}
