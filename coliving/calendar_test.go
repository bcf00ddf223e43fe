package coliving_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/coliving"
)

type dayKey struct {
	listing, roomType partnerkit.ID
	day               partnerkit.Date
}

// expandCalendars returns what the calendars say, day by day.
func expandCalendars(cals []coliving.RoomCalendar) map[dayKey]int {
	m := map[dayKey]int{}
	for _, c := range cals {
		for i, n := range c.Days {
			m[dayKey{c.ListingID, c.RoomTypeID, c.Start.AddDays(i)}] = n
		}
	}
	return m
}

// expandRanges returns what the ranges set, day by day, failing on a day
// set twice.
func expandRanges(t *testing.T, ranges []coliving.AvailabilityRange) map[dayKey]int {
	t.Helper()
	m := map[dayKey]int{}
	for _, r := range ranges {
		require.False(t, r.EndDate.Before(r.StartDate), "range %+v ends before it starts", r)
		for d := r.StartDate; !d.After(r.EndDate); d = d.AddDays(1) {
			k := dayKey{r.ListingID, r.RoomTypeID, d}
			_, dup := m[k]
			require.False(t, dup, "day %v set twice", k)
			m[k] = r.Available
		}
	}
	return m
}

// randomCalendars draws room types with runs of equal values; some room
// types are split into calendars that follow one another (in shuffled
// order), some leave gaps.
func randomCalendars(r *rand.Rand) []coliving.RoomCalendar {
	var cals []coliving.RoomCalendar
	listings := 1 + r.IntN(3)
	for l := range listings {
		for rt := range 1 + r.IntN(4) {
			listing := partnerkit.ID(fmt.Sprint(5000 + l))
			roomType := partnerkit.ID(fmt.Sprint(38000 + l*10 + rt))
			start := partnerkit.NewDate(2025, 1, 1).AddDays(r.IntN(400))
			days := make([]int, 1+r.IntN(400))
			v := r.IntN(7)
			for i := range days {
				if r.IntN(10) == 0 {
					v = r.IntN(7) // sometimes the same value: must not split a run
				}
				days[i] = v
			}
			// Split into pieces: adjacent, or with a gap.
			for len(days) > 0 {
				n := min(len(days), 1+r.IntN(150))
				cals = append(cals, coliving.RoomCalendar{ListingID: listing, RoomTypeID: roomType, Start: start, Days: days[:n]})
				start = start.AddDays(n)
				if r.IntN(4) == 0 {
					start = start.AddDays(1 + r.IntN(5))
				}
				days = days[n:]
			}
		}
	}
	r.Shuffle(len(cals), func(i, j int) { cals[i], cals[j] = cals[j], cals[i] })
	return cals
}

// runs counts the runs of equal values on consecutive days, the fewest
// ranges that can describe the calendar.
func runs(days map[dayKey]int) int {
	n := 0
	for k, v := range days {
		prev, ok := days[dayKey{k.listing, k.roomType, k.day.AddDays(-1)}]
		if !ok || prev != v {
			n++
		}
	}
	return n
}

func TestRangesProperties(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(20251123, 6))
	for iter := range 300 {
		cals := randomCalendars(r)
		ranges, err := coliving.Ranges(cals)
		require.NoError(t, err)
		want := expandCalendars(cals)

		// The ranges reproduce the calendar exactly.
		require.Equal(t, want, expandRanges(t, ranges), "iteration %d", iter)

		// No two adjacent ranges could merge, so their number is the least.
		for i := 1; i < len(ranges); i++ {
			a, b := ranges[i-1], ranges[i]
			if a.ListingID == b.ListingID && a.RoomTypeID == b.RoomTypeID {
				require.True(t, a.EndDate.Before(b.StartDate), "iteration %d: ranges out of order", iter)
				require.False(t, a.EndDate.AddDays(1) == b.StartDate && a.Available == b.Available,
					"iteration %d: %+v and %+v could merge", iter, a, b)
			}
		}
		require.Equal(t, runs(want), len(ranges), "iteration %d", iter)

		// Batching keeps every range, in order, within the size.
		size := 1 + r.IntN(50)
		var flat []coliving.AvailabilityRange
		for _, b := range coliving.Batches(ranges, size) {
			require.NotEmpty(t, b)
			require.LessOrEqual(t, len(b), size)
			flat = append(flat, b...)
		}
		require.Equal(t, ranges, flat)
	}
}

func TestRangesExample(t *testing.T) {
	t.Parallel()
	ranges, err := coliving.Ranges([]coliving.RoomCalendar{
		{ListingID: "5325", RoomTypeID: "38753", Start: date("2025-12-04"), Days: []int{0, 0, 6}},
		{ListingID: "5325", RoomTypeID: "38753", Start: date("2025-12-01"), Days: []int{2, 2, 0}},
		{ListingID: "5325", RoomTypeID: "9", Start: date("2025-12-01"), Days: []int{1}},
		{ListingID: "5325", RoomTypeID: "100", Start: date("2025-12-31"), Days: []int{3, 3}},
	})
	require.NoError(t, err)
	require.Equal(t, []coliving.AvailabilityRange{
		{ListingID: "5325", RoomTypeID: "9", Available: 1, StartDate: date("2025-12-01"), EndDate: date("2025-12-01")},
		{ListingID: "5325", RoomTypeID: "100", Available: 3, StartDate: date("2025-12-31"), EndDate: date("2026-01-01")},
		{ListingID: "5325", RoomTypeID: "38753", Available: 2, StartDate: date("2025-12-01"), EndDate: date("2025-12-02")},
		{ListingID: "5325", RoomTypeID: "38753", Available: 0, StartDate: date("2025-12-03"), EndDate: date("2025-12-05")},
		{ListingID: "5325", RoomTypeID: "38753", Available: 6, StartDate: date("2025-12-06"), EndDate: date("2025-12-06")},
	}, ranges, "runs continue across calendars that follow one another")

	empty, err := coliving.Ranges(nil)
	require.NoError(t, err)
	require.Empty(t, empty)
}

func TestBatchesDefaultSize(t *testing.T) {
	t.Parallel()
	updates := make([]coliving.AvailabilityRange, 2*coliving.DefaultBatchSize+1)
	b := coliving.Batches(updates, 0)
	require.Len(t, b, 3)
	require.Len(t, b[2], 1)
	require.Empty(t, coliving.Batches(nil, 10))
}

func TestPushCalendarYear(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/v1/integrations/mangobeds/availability", 200, availabilityOK)
	r := rand.New(rand.NewPCG(1, 2))
	var cals []coliving.RoomCalendar
	for rt := range 5 {
		days := make([]int, 365)
		v := 6
		for i := range days {
			if r.IntN(15) == 0 {
				v = r.IntN(7)
			}
			days[i] = v
		}
		cals = append(cals, coliving.RoomCalendar{ListingID: "5325", RoomTypeID: partnerkit.ID(fmt.Sprint(38753 + rt)),
			Start: date("2026-01-01"), Days: days})
	}
	res, err := h.c.Availability.PushCalendar(ctx, &coliving.AvailabilityPushCalendarParams{Calendars: cals, BatchSize: 40})
	require.NoError(t, err)
	reqs := h.Requests()
	require.Equal(t, (res.Ranges+39)/40, res.Requests)
	require.Len(t, reqs, res.Requests)
	require.Len(t, res.Results, res.Requests)
	require.Less(t, res.Requests, 10, "a year of five room types costs a handful of requests, not 1825")
	t.Logf("5 room types x 365 days: %d ranges, %d requests", res.Ranges, res.Requests)

	// What went on the wire reproduces the calendars.
	var sent []coliving.AvailabilityRange
	for _, req := range reqs {
		var body struct {
			Data []struct {
				ListingID  string `json:"listing_id"`
				RoomTypeID string `json:"room_type_id"`
				Available  int    `json:"available"`
				StartDate  string `json:"start_date"`
				EndDate    string `json:"end_date"`
			} `json:"data"`
		}
		require.NoError(t, json.Unmarshal([]byte(req.Body), &body), "IDs are strings")
		require.LessOrEqual(t, len(body.Data), 40)
		for _, d := range body.Data {
			sent = append(sent, coliving.AvailabilityRange{ListingID: partnerkit.ID(d.ListingID), RoomTypeID: partnerkit.ID(d.RoomTypeID),
				Available: d.Available, StartDate: date(d.StartDate), EndDate: date(d.EndDate)})
		}
	}
	require.Equal(t, expandCalendars(cals), expandRanges(t, sent))
}

func TestPushCalendarStopsAtTheFailedBatch(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.sequence(http.MethodPost, "/v1/integrations/mangobeds/availability",
		answer{status: 200, body: availabilityOK}, answer{status: 400, body: errInvalidRoomTypes})
	res, err := h.c.Availability.PushCalendar(ctx, &coliving.AvailabilityPushCalendarParams{
		Calendars: []coliving.RoomCalendar{{ListingID: "5325", RoomTypeID: "38753", Start: date("2025-12-01"), Days: []int{1, 2, 3, 4, 5}}},
		BatchSize: 2,
	})
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)
	require.Contains(t, err.Error(), "batch 2 of 3")
	require.Equal(t, 5, res.Ranges)
	require.Equal(t, 1, res.Requests)
	require.Len(t, h.Requests(), 2, "nothing sent after the failure")
}

func TestPushCalendarWithNothingToSend(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	res, err := h.c.Availability.PushCalendar(ctx, &coliving.AvailabilityPushCalendarParams{
		Calendars: []coliving.RoomCalendar{{ListingID: "1", RoomTypeID: "2", Start: date("2025-12-01")}}})
	require.NoError(t, err)
	require.Zero(t, res.Requests)
	require.Zero(t, h.mock.GetTotalCallCount())
}
