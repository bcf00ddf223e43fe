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
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// AvailabilityService pushes room availability to Coliving.
type AvailabilityService struct {
	c *Client
}

// AvailabilityUpdate sets the number of available rooms of one room type of
// one listing for every day from StartDate to EndDate, both included (one
// day when they are equal). The value is absolute, so sending it twice is
// harmless.
type AvailabilityUpdate struct {
	ListingID  partnerkit.ID   `json:"listing_id"`
	RoomTypeID partnerkit.ID   `json:"room_type_id"`
	Available  int             `json:"available"`
	StartDate  partnerkit.Date `json:"start_date"`
	EndDate    partnerkit.Date `json:"end_date"`
}

// check validates u; field prefixes the field names, such as "updates[3].".
func (u AvailabilityUpdate) check(v *validate.Errors, field string) {
	v.PathID(field+"ListingID", u.ListingID)
	v.PathID(field+"RoomTypeID", u.RoomTypeID)
	v.Check(u.Available >= 0, field+"Available", "must not be negative")
	v.DateRange(field+"StartDate", u.StartDate, field+"EndDate", u.EndDate)
}

// AvailabilityResult is Coliving's confirmation of an update.
type AvailabilityResult struct {
	// Availability is the confirmation as sent: per room type (a key such
	// as "room_type_id_38753 (6 rooms)"), lines such as
	// "2025-12-01 -> 2025-12-20 : 2".
	Availability map[string][]string `json:"availability"`
	// Confirmed is Availability read line by line, in key order then line
	// order. Lines in a form the client does not know are left out (they
	// stay in Availability).
	Confirmed []ConfirmedRange `json:"-"`

	Raw json.RawMessage `json:"-"`
}

// ConfirmedRange is one line of an AvailabilityResult.
type ConfirmedRange struct {
	RoomTypeID partnerkit.ID
	// Rooms is the room type's number of rooms, when the key says it.
	Rooms     int
	StartDate partnerkit.Date
	EndDate   partnerkit.Date
	Available int
}

var (
	confirmedKey  = regexp.MustCompile(`^room_type_id_(\S+)(?:\s*\((\d+)\s*rooms?\))?$`)
	confirmedLine = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})\s*->\s*(\d{4}-\d{2}-\d{2})\s*:\s*(-?\d+)$`)
)

type availabilityAnswer struct {
	Success *bool `json:"success"`
	AvailabilityResult
}

func (a *availabilityAnswer) UnmarshalJSON(data []byte) error {
	var wire struct {
		Success      *bool           `json:"success"`
		Availability json.RawMessage `json:"availability"`
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	a.Success = wire.Success
	a.Raw = append(json.RawMessage(nil), data...)
	if len(wire.Availability) > 0 && wire.Availability[0] == '{' {
		// Tolerant: a value that is one string instead of a list is kept
		// as a one-line list; other shapes stay in Raw only.
		var m map[string]json.RawMessage
		if err := json.Unmarshal(wire.Availability, &m); err != nil {
			return err
		}
		a.Availability = make(map[string][]string, len(m))
		for k, v := range m {
			var lines []string
			var line string
			switch {
			case json.Unmarshal(v, &lines) == nil:
				a.Availability[k] = lines
			case json.Unmarshal(v, &line) == nil:
				a.Availability[k] = []string{line}
			}
		}
	}
	a.Confirmed = parseConfirmed(a.Availability)
	return nil
}

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

// Update sets availability (POST /integrations/{provider}/availability).
// Every update is checked before anything is sent: IDs present, Available
// not negative, real dates, EndDate not before StartDate. IDs go on the wire
// as strings, as Coliving documents.
//
// The values are absolute, so the request is retried after a server or
// connection failure like a GET. Coliving allows 100 updates a minute per
// API key; the client keeps under it. Listings that are not the host's fail
// with partnerkit.ErrForbidden and room types that are not the listing's
// with partnerkit.ErrInvalidRequest; DetailsOf returns the refused IDs.
// PushCalendar sends a whole calendar in few requests.
func (s *AvailabilityService) Update(ctx context.Context, updates []AvailabilityUpdate) (*AvailabilityResult, error) {
	var v validate.Errors
	if v.Check(len(updates) > 0, "updates", "must hold at least one update") {
		for i, u := range updates {
			u.check(&v, fmt.Sprintf("updates[%d].", i))
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	body := struct {
		Data []AvailabilityUpdate `json:"data"`
	}{updates}
	var out availabilityAnswer
	if err := s.c.do(ctx, http.MethodPost, s.c.integrations("/availability"), routeAvailability, transport.Idempotent, body, &out); err != nil {
		return nil, err
	}
	return &out.AvailabilityResult, nil
}
