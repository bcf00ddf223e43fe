package coliving

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// DefaultBatchSize is how many ranges PushCalendar sends in one request
// unless AvailabilityPushCalendarParams.BatchSize says otherwise.
const DefaultBatchSize = 100

// RoomCalendar is the availability of one room type of one listing, day by
// day: Days[i] is the number of rooms available on Start plus i days.
type RoomCalendar struct {
	// ListingID and RoomTypeID name the room type (required).
	ListingID  partnerkit.ID
	RoomTypeID partnerkit.ID
	// Start is the day of Days[0] (required).
	Start partnerkit.Date
	// Days are the rooms available, one number a day (none negative).
	Days []int
}

// End returns the last day the calendar covers (Start when Days is empty).
func (rc RoomCalendar) End() partnerkit.Date {
	return rc.Start.AddDays(max(len(rc.Days)-1, 0))
}

type roomKey struct {
	listing, roomType partnerkit.ID
}

// Ranges turns calendars into the fewest inclusive ranges that set exactly
// the same days: one AvailabilityRange per run of consecutive days with the
// same value, per room type. Calendars of the same room type may follow one
// another (runs continue across them) but must not overlap. The ranges are
// ordered by listing, room type and date. Bad calendars give a
// *partnerkit.ValidationError naming calendars[i].
func Ranges(calendars []RoomCalendar) ([]AvailabilityRange, error) {
	return toRanges("calendars", calendars)
}

// toRanges is Ranges, naming the calendars field in its errors.
func toRanges(field string, calendars []RoomCalendar) ([]AvailabilityRange, error) {
	var v validate.Errors
	groups := make(map[roomKey][]int)
	var keys []roomKey
	for i, rc := range calendars {
		field := fmt.Sprintf("%s[%d].", field, i)
		v.PathID(field+"ListingID", rc.ListingID)
		v.PathID(field+"RoomTypeID", rc.RoomTypeID)
		v.Date(field+"Start", rc.Start)
		for d, n := range rc.Days {
			if n < 0 {
				v.Check(false, fmt.Sprintf("%sDays[%d]", field, d), "must not be negative")
				break
			}
		}
		k := roomKey{rc.ListingID, rc.RoomTypeID}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], i)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(keys, func(a, b roomKey) int {
		return cmp.Or(compareID(a.listing, b.listing), compareID(a.roomType, b.roomType))
	})
	var out []AvailabilityRange
	for _, k := range keys {
		idx := groups[k]
		slices.SortStableFunc(idx, func(a, b int) int { return calendars[a].Start.Compare(calendars[b].Start) })
		prev := -1
		for _, i := range idx {
			rc := calendars[i]
			if len(rc.Days) == 0 {
				continue
			}
			if prev >= 0 && !calendars[prev].End().Before(rc.Start) {
				v.Check(false, fmt.Sprintf("%s[%d].Start", field, i), fmt.Sprintf("must be after %s[%d], which covers the same room type until %s", field, prev, calendars[prev].End()))
				continue
			}
			prev = i
			day := rc.Start
			for _, n := range rc.Days {
				last := len(out) - 1
				if last >= 0 && out[last].ListingID == k.listing && out[last].RoomTypeID == k.roomType &&
					out[last].Available == n && out[last].EndDate.AddDays(1) == day {
					out[last].EndDate = day
				} else {
					out = append(out, AvailabilityRange{ListingID: k.listing, RoomTypeID: k.roomType, Available: n, StartDate: day, EndDate: day})
				}
				day = day.AddDays(1)
			}
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// compareID orders numeric IDs by value and others as text, numbers first.
func compareID(a, b partnerkit.ID) int {
	an, aok := a.Int64()
	bn, bok := b.Int64()
	switch {
	case aok && bok:
		return cmp.Compare(an, bn)
	case aok:
		return -1
	case bok:
		return 1
	default:
		return cmp.Compare(a, b)
	}
}

// Batches splits ranges, in order, into slices of at most size ranges
// (DefaultBatchSize when size is not positive). The slices share ranges'
// backing array.
func Batches(ranges []AvailabilityRange, size int) [][]AvailabilityRange {
	if size <= 0 {
		size = DefaultBatchSize
	}
	return slices.Collect(slices.Chunk(ranges, size))
}

// AvailabilityPushCalendarParams are the calendars PushCalendar sends, and
// how. The name follows the rule of every method's input,
// <Resource><Verb>Params (Availability.PushCalendar, as
// Availability.Update takes AvailabilityUpdateParams), so that it is
// guessed from the method.
type AvailabilityPushCalendarParams struct {
	// Calendars are the room types' availability, day by day. Calendars of
	// the same room type may follow one another but must not overlap.
	Calendars []RoomCalendar
	// BatchSize is the most ranges sent in one request; zero means
	// DefaultBatchSize.
	BatchSize int
}

// PushResult tells what PushCalendar sent. Like every answer named a
// Result, it comes when the work is done: every batch was sent, or the
// push stopped at the batch that failed.
type PushResult struct {
	// Ranges is the number of ranges the calendars came to.
	Ranges int
	// Requests is the number of update requests that succeeded.
	Requests int
	// Results are Coliving's confirmations, one per successful request.
	Results []*AvailabilityResult
}

// PushCalendar sends params.Calendars in the fewest requests: it turns them
// into ranges (see Ranges), then sends the ranges in batches of
// params.BatchSize with Update, one request after another, within the
// client's rate limit of 100 requests a minute. A 365-day calendar of a
// room type whose availability changes twenty times costs twenty ranges:
// one request.
//
// Bad calendars fail before anything is sent, with a
// *partnerkit.ValidationError naming Calendars[i]. When a request fails,
// the result tells how many requests succeeded before it, and the error (a
// *partnerkit.Error, with partnerkit.DetailsOf giving any refused IDs) says
// which batch failed. Repeating the push is safe: values are absolute.
func (s *AvailabilityService) PushCalendar(ctx context.Context, params *AvailabilityPushCalendarParams) (*PushResult, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		v.Check(params.BatchSize >= 0, "BatchSize", "must not be negative")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	ranges, err := toRanges("Calendars", params.Calendars)
	if err != nil {
		return nil, err
	}
	res := &PushResult{Ranges: len(ranges)}
	batches := Batches(ranges, params.BatchSize)
	for i, batch := range batches {
		r, err := s.Update(ctx, &AvailabilityUpdateParams{Ranges: batch})
		if err != nil {
			return res, fmt.Errorf("coliving: availability batch %d of %d (%d ranges from %s %s %s): %w",
				i+1, len(batches), len(batch), batch[0].ListingID, batch[0].RoomTypeID, batch[0].StartDate, err)
		}
		res.Requests++
		res.Results = append(res.Results, r)
	}
	return res, nil
}
