package coliving

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// AvailabilityService pushes room availability to Coliving.
type AvailabilityService struct {
	c *Client
}

// AvailabilityRange sets the number of available rooms of one room type of
// one listing for every day from StartDate to EndDate, both included (one
// day when they are equal). The value is absolute, so sending it twice is
// harmless. IDs go on the wire as strings, as Coliving documents.
type AvailabilityRange struct {
	// ListingID and RoomTypeID name the room type (required).
	ListingID  partnerkit.ID `json:"listing_id"`
	RoomTypeID partnerkit.ID `json:"room_type_id"`
	// Available is the number of rooms free on each day of the range (not
	// negative).
	Available int `json:"available"`
	// StartDate and EndDate are the first and last day set (required).
	StartDate partnerkit.Date `json:"start_date"`
	EndDate   partnerkit.Date `json:"end_date"`
}

// check validates r; field prefixes the field names, such as "Ranges[3].".
func (r AvailabilityRange) check(v *validate.Errors, field string) {
	v.PathID(field+"ListingID", r.ListingID)
	v.PathID(field+"RoomTypeID", r.RoomTypeID)
	v.Check(r.Available >= 0, field+"Available", "must not be negative")
	v.DateRange(field+"StartDate", r.StartDate, field+"EndDate", r.EndDate)
}

// AvailabilityUpdateParams are the ranges Update sets, in one request.
type AvailabilityUpdateParams struct {
	// Ranges are the ranges to set (at least one).
	Ranges []AvailabilityRange
}

// AvailabilityResult is Coliving's confirmation of an update.
type AvailabilityResult struct {
	// Availability is the confirmation as sent: per room type (a key such
	// as "room_type_id_38753 (6 rooms)"), lines such as
	// "2025-12-01 -> 2025-12-20 : 2".
	Availability map[string][]string `json:"availability"`
	// Confirmed is Availability read line by line, in key order then line
	// order; decoding computes it. Lines in a form the client does not know
	// are left out (they stay in Availability).
	Confirmed []ConfirmedRange `json:"-"`

	// Raw is the answer exactly as received.
	Raw json.RawMessage `json:"-"`
}

// ConfirmedRange is one line of an AvailabilityResult.
type ConfirmedRange struct {
	// RoomTypeID is the room type of the line.
	RoomTypeID partnerkit.ID `json:"room_type_id"`
	// Rooms is the room type's number of rooms, when the key says it.
	Rooms int `json:"rooms"`
	// StartDate and EndDate are the days set, both included.
	StartDate partnerkit.Date `json:"start_date"`
	EndDate   partnerkit.Date `json:"end_date"`
	// Available is the number of rooms available on those days.
	Available int `json:"available"`
}

var (
	confirmedKey  = regexp.MustCompile(`^room_type_id_(\S+)(?:\s*\((\d+)\s*rooms?\))?$`)
	confirmedLine = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})\s*->\s*(\d{4}-\d{2}-\d{2})\s*:\s*(-?\d+)$`)
)

// UnmarshalJSON decodes a confirmation tolerantly: a room type whose value
// is one line instead of a list keeps it as a one-line list, and other
// shapes stay in Raw only. It fills Confirmed.
func (r *AvailabilityResult) UnmarshalJSON(data []byte) error {
	type plain AvailabilityResult
	var wire struct {
		plain
		Availability json.RawMessage `json:"availability"`
	}
	if err := rawjson.Unmarshal(data, &wire); err != nil {
		return err
	}
	*r = AvailabilityResult(wire.plain)
	r.Availability = nil
	if len(wire.Availability) > 0 && wire.Availability[0] == '{' {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(wire.Availability, &m); err != nil {
			return err
		}
		r.Availability = make(map[string][]string, len(m))
		for k, v := range m {
			var lines []string
			var line string
			switch {
			case json.Unmarshal(v, &lines) == nil:
				r.Availability[k] = lines
			case json.Unmarshal(v, &line) == nil:
				r.Availability[k] = []string{line}
			}
		}
	}
	r.Confirmed = parseConfirmed(r.Availability)
	return nil
}

// parseConfirmed reads the lines of a confirmation.
func parseConfirmed(m map[string][]string) []ConfirmedRange {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []ConfirmedRange
	for _, k := range keys {
		km := confirmedKey.FindStringSubmatch(strings.TrimSpace(k))
		if km == nil {
			continue
		}
		rooms, _ := strconv.Atoi(km[2])
		for _, line := range m[k] {
			lm := confirmedLine.FindStringSubmatch(strings.TrimSpace(line))
			if lm == nil {
				continue
			}
			start, err1 := partnerkit.ParseDate(lm[1])
			end, err2 := partnerkit.ParseDate(lm[2])
			n, err3 := strconv.Atoi(lm[3])
			if err1 != nil || err2 != nil || err3 != nil {
				continue
			}
			out = append(out, ConfirmedRange{RoomTypeID: partnerkit.ID(km[1]), Rooms: rooms, StartDate: start, EndDate: end, Available: n})
		}
	}
	return out
}

// Update sets availability (POST /integrations/{provider}/availability):
// every range of params, in one request. Every range is checked before
// anything is sent: IDs present, Available not negative, real dates,
// EndDate not before StartDate.
//
// The values are absolute, so the request is retried after a server or
// connection failure like a GET. Coliving allows 100 updates a minute per
// API key; the client keeps under it. Listings that are not the host's fail
// with partnerkit.ErrForbidden and room types that are not the listing's
// with partnerkit.ErrInvalidRequest; partnerkit.DetailsOf returns the
// refused IDs as *ErrorDetails. PushCalendar sends a whole calendar in few
// requests.
func (s *AvailabilityService) Update(ctx context.Context, params *AvailabilityUpdateParams) (*AvailabilityResult, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) && v.Check(len(params.Ranges) > 0, "Ranges", "must hold at least one range") {
		for i, r := range params.Ranges {
			r.check(&v, fmt.Sprintf("Ranges[%d].", i))
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	body := struct {
		Data []AvailabilityRange `json:"data"`
	}{params.Ranges}
	var out AvailabilityResult
	err := s.c.t.Do(ctx, &transport.Request{
		Method:     http.MethodPost,
		Path:       pathAvailability,
		PathParams: []string{s.c.integrator},
		Safety:     transport.Idempotent,
		Body:       body,
		Expect: func() string {
			if out.Raw == nil {
				return "the answer is empty"
			}
			return ""
		},
	}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}
