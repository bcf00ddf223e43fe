package coliving

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/fuzzcheck"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

// Seeds from Coliving's documents: the four error shapes (plain error,
// details with invalid room types or unauthorized listings, validation
// errors, the 429 body with retry_after) and the newer envelope, /me in
// versions 1 and 2, room types with and without monthly prices, the
// availability confirmation, plus broken variants of each.
var (
	errorSeeds = []string{
		`{"success": false, "error": "API key missing"}`,
		`{"success": false, "error": "Listing not found or unauthorized"}`,
		`{"success": false, "error": "Invalid room types for listings", "details": {"invalid_room_types": [{"listing_id": "1", "room_type_id": "999", "reason": "Room type not found or does not belong to listing"}]}}`,
		`{"success": false, "error": "Unauthorized access to listings", "details": {"unauthorized_listing_ids": ["999", "1000"]}}`,
		`{"success": false, "error": "validation_error", "message": "The given data was invalid.", "errors": {"data.0.listing_id": ["The listing id field is required."]}}`,
		`{"success": false, "error": "Rate limit exceeded", "retry_after": 45}`,
		`{"success": false, "error": "Rate limit exceeded", "retry_after": "45"}`,
		`{"success": false, "error": "Rate limit exceeded", "retry_after": "1.5e308"}`,
		`{"success": false, "error": "Rate limit exceeded", "retry_after": -45}`,
		`{"error": {"type": "conflict", "message": "The key belongs to another account", "request_id": "req_1", "errors": [{"path": "provider_api_key", "code": "taken", "message": "already used"}]}}`,
		`{"error": {"code": "unsupported_provider", "message": "Unknown provider"}, "meta": {"request_id": "req_2"}}`,
		`{"error": 42, "details": [1], "errors": ["x"], "retry_after": null}`,
		`{"errors": {"a": "one", "b": 2, "c": null}, "details": {"invalid_room_types": "x"}}`,
		`<html>502 Bad Gateway</html>`,
		``,
	}
	meSeeds = []string{
		`{"success": true, "api_key_verified_at": "2024-01-15T10:30:00.000Z", "name": "John Doe", "email": "john@example.com", "created_at": "2023-06-15T08:20:00.000Z", "last_login_at": "2024-01-14T16:45:00.000Z"}`,
		`{"success": true, "data": {"name": "John Doe", "email": "john@example.com", "created_at": "2023-06-15T08:20:00.000Z"}}`,
		`{"success": false, "error": "API key missing"}`,
		`{"success": true, "data": null, "created_at": 1700000000}`,
		`{"data": {"created_at": "yesterday"}}`,
	}
	roomTypesSeeds = []string{
		`{"success": true, "data": {"room_types": [{"room_type_id": 38753, "listing_id": 5325, "name": "Full Bedroom", "room_type": "private", "bed_type": "king", "bathroom_type": "private", "gender": "Separated", "amount": 6, "max_occupancy": 1, "room_size": 15, "room_size_unit": "m2", "available_at": "2025-10-26", "prices": {"currency": "USD", "base_price": 500.0, "price_jan": 500.0, "price_feb": 500.0, "price_mar": 520.0, "price_apr": 520.0, "price_may": 550.0, "price_jun": 560.0, "price_jul": 580.0, "price_aug": 580.0, "price_sep": 540.0, "price_oct": 520.0, "price_nov": 500.0, "price_dec": 600.0}}]}}`,
		`{"success": true, "data": {"room_types": [{"room_type_id": 38753, "amount": 6, "available_at": null, "prices": {"currency": "USD", "base_price": 1000, "price_jan": null, "price_feb": null, "price_mar": null, "price_apr": null, "price_may": null, "price_jun": null, "price_jul": null, "price_aug": null, "price_sep": null, "price_oct": null, "price_nov": null, "price_dec": null}}]}}`,
		`{"success": true, "data": {"room_types": [{"room_type_id": "a", "amount": "6", "max_occupancy": "1e400", "prices": {"price_jan": "500.00"}}]}}`,
		`{"success": false, "error": "Listing not found or unauthorized"}`,
		`{"success": true, "data": {"room_types": null}}`,
	}
	availabilitySeeds = []string{
		`{"success": true, "availability": {"room_type_id_38753 (6 rooms)": ["2025-12-01 -> 2025-12-20 : 2"]}}`,
		`{"success": true, "availability": {"room_type_id_38753 (1 room)": "2025-12-01 -> 2025-12-01 : 0", "room_type_id_1": ["2025-12-31->2026-01-02:-1", "2025-02-30 -> 2025-03-01 : 1"]}}`,
		`{"success": true, "availability": {"room_type_id_9 (99999999999999999999 rooms)": ["2025-12-01 -> 2025-12-20 : 99999999999999999999"]}}`,
		`{"success": true, "availability": []}`,
		`{"success": false, "error": "Invalid room types for listings", "details": {"invalid_room_types": []}}`,
		`null`,
	}
	providerKeySeeds = []string{
		`{"data": {"status": "created", "message": "Provider key saved."}, "meta": {"request_id": "req_1"}}`,
		`{"data": {"status": "unchanged"}}`,
		`{"data": null, "meta": {"request_id": 7}}`,
		`{"error": {"type": "conflict", "message": "The provider key belongs to another account"}}`,
	}
)

func addSeeds(f *testing.F, seeds []string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
}

// kinds are the sentinels a Coliving failure may match.
var kinds = []error{partnerkit.ErrInvalidRequest, partnerkit.ErrUnauthorized, partnerkit.ErrForbidden,
	partnerkit.ErrNotFound, partnerkit.ErrConflict, partnerkit.ErrRateLimited, partnerkit.ErrServer, partnerkit.ErrUnexpected}

// checkError prints e, matches it against every sentinel and reads its
// details: nothing panics and no wait is negative.
func checkError(t *testing.T, e *partnerkit.Error, data []byte) {
	if e.RetryAfter < 0 {
		t.Fatalf("negative RetryAfter %v from %q", e.RetryAfter, data)
	}
	_ = e.Error()
	for _, kind := range kinds {
		_ = errors.Is(e, kind)
	}
	switch d := e.Details.(type) {
	case nil:
	case *ErrorDetails:
		if d == nil {
			t.Fatalf("Details is a nil *ErrorDetails: it must be nil")
		}
		if d.Raw != nil && !json.Valid(d.Raw) {
			t.Fatalf("details Raw is not JSON: %q", d.Raw)
		}
	default:
		t.Fatalf("Details is a %T, not nil or *ErrorDetails", e.Details)
	}
}

// requireStable encodes v, decodes that into a new T and encodes it again:
// the two encodings must be the same, so that what a caller stores as JSON
// reads back as it was.
func requireStable[T any](t *testing.T, v T, from []byte) {
	first, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%T from %q does not encode: %v", v, from, err)
	}
	var again T
	if err := json.Unmarshal(first, &again); err != nil {
		t.Fatalf("%T does not decode its own encoding %s: %v", v, first, err)
	}
	second, err := json.Marshal(again)
	if err != nil {
		t.Fatalf("%T does not encode again: %v", v, err)
	}
	if string(first) != string(second) {
		t.Fatalf("%T changed on the way back:\n%s\n%s\nfrom %q", v, first, second, from)
	}
}

// FuzzDecodeError feeds Coliving's error decoder any body: it returns an
// Error or nil, never panics, reads retry_after as a wait that is not
// negative, and a body saying success: false under a 200 is a failure with
// a sentinel.
func FuzzDecodeError(f *testing.F) {
	addSeeds(f, errorSeeds)
	f.Fuzz(func(t *testing.T, body []byte) {
		if e := decodeError(&transport.Response{StatusCode: 400, Header: http.Header{}, Body: body}); e != nil {
			checkError(t, e, body)
		}
		e := successFalse(body)
		if e == nil || e.Kind == nil {
			t.Fatalf("success: false gave %v", e)
		}
		checkError(t, e, body)
	})
}

// FuzzAccount decodes /me answers of both versions: what decodes keeps its
// raw JSON, reads back the same after encoding, and success: false is a
// failure.
func FuzzAccount(f *testing.F) {
	addSeeds(f, meSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		if e := failure(&transport.Response{StatusCode: 200, Body: data}); e != nil {
			checkError(t, e, data)
		}
		var a Account
		if rawjson.Unmarshal(data, &a) != nil {
			return
		}
		if a.Raw != nil && !json.Valid(a.Raw) {
			t.Fatalf("account Raw is not JSON: %q", a.Raw)
		}
		requireStable(t, a, data)
	})
}

// FuzzRoomTypes decodes room type lists: each room type keeps its raw JSON
// and reads back the same after encoding, and every month has a price or
// falls back to the base price.
func FuzzRoomTypes(f *testing.F) {
	addSeeds(f, roomTypesSeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		var a roomTypesAnswer
		if rawjson.Unmarshal(data, &a) != nil {
			return
		}
		if e := failure(&transport.Response{StatusCode: 200, Body: data}); e != nil {
			checkError(t, e, data)
		}
		for _, rt := range a.Data.RoomTypes {
			if !json.Valid(rt.Raw) {
				t.Fatalf("room type Raw is not JSON: %q", rt.Raw)
			}
			requireStable(t, rt, data)
			if !rt.AvailableAt.IsZero() && !rt.AvailableAt.Valid() {
				t.Fatalf("invalid available_at %v from %q", rt.AvailableAt, data)
			}
			for m := time.January; m <= time.December; m++ {
				if p := rt.Prices.PriceFor(m); p == "" && rt.Prices.BasePrice != "" {
					t.Fatalf("month %v has no price although the base price is %q", m, rt.Prices.BasePrice)
				}
			}
		}
	})
}

// FuzzAvailabilityAnswer decodes availability confirmations: every
// confirmed range comes from one line, has real dates and a room type, the
// raw JSON is kept, and the confirmation reads back the same after
// encoding.
func FuzzAvailabilityAnswer(f *testing.F) {
	addSeeds(f, availabilitySeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		if e := failure(&transport.Response{StatusCode: 200, Body: data}); e != nil {
			checkError(t, e, data)
		}
		var a AvailabilityResult
		if rawjson.Unmarshal(data, &a) != nil {
			return
		}
		if a.Raw != nil && !json.Valid(a.Raw) {
			t.Fatalf("availability Raw is not JSON: %q", a.Raw)
		}
		lines := 0
		for _, l := range a.Availability {
			lines += len(l)
		}
		if len(a.Confirmed) > lines {
			t.Fatalf("%d confirmed ranges from %d lines", len(a.Confirmed), lines)
		}
		for _, c := range a.Confirmed {
			if !c.StartDate.Valid() || !c.EndDate.Valid() || c.RoomTypeID == "" {
				t.Fatalf("confirmed range %+v from %q", c, data)
			}
		}
		requireStable(t, a, data)
	})
}

// FuzzProviderKeyAnswer decodes provider key answers as Set does: the
// result reads back the same after encoding and holds the raw JSON.
func FuzzProviderKeyAnswer(f *testing.F) {
	addSeeds(f, providerKeySeeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		var a providerKeyAnswer
		if rawjson.Unmarshal(data, &a) != nil {
			return
		}
		if a.Raw != nil && !json.Valid(a.Raw) {
			t.Fatalf("provider key Raw is not JSON: %q", a.Raw)
		}
		requireStable(t, ProviderKeyResult{Status: a.Data.Status, Message: a.Data.Message, RequestID: a.Meta.RequestID}, data)
	})
}

// FuzzRanges builds calendars from the input, two room types with one or
// more calendars each, following one another with gaps, and checks that
// the ranges Ranges returns set exactly the calendars' days, each once, and
// are the fewest: two ranges that touch differ in value.
func FuzzRanges(f *testing.F) {
	f.Add([]byte{6, 6, 6, 5, 5, 4, 0, 0, 6}, uint8(3), uint8(0), uint16(0))
	f.Add([]byte{2}, uint8(1), uint8(1), uint16(59))
	f.Add([]byte{1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 3}, uint8(4), uint8(0), uint16(365))
	f.Add([]byte{}, uint8(0), uint8(0), uint16(0))
	f.Fuzz(func(t *testing.T, days []byte, split, gap uint8, offset uint16) {
		base := partnerkit.DateOf(time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)).AddDays(int(offset))
		type cell struct {
			room partnerkit.ID
			day  partnerkit.Date
		}
		want := map[cell]int{}
		var cals []RoomCalendar
		// Room type 2 gets the first part of days, room type 1 the rest,
		// each cut into calendars of split days (all of it when 0), gap
		// days apart; calendars are given newest first, room types mixed.
		cut := len(days) / 3
		for r, part := range [][]byte{days[:cut], days[cut:]} {
			room := partnerkit.ID(fmt.Sprint(2 - r))
			start := base
			for len(part) > 0 {
				n := len(part)
				if split > 0 {
					n = min(n, int(split))
				}
				cal := RoomCalendar{ListingID: "5325", RoomTypeID: room, Start: start}
				for i, b := range part[:n] {
					cal.Days = append(cal.Days, int(b))
					want[cell{room, start.AddDays(i)}] = int(b)
				}
				cals = append([]RoomCalendar{cal}, cals...)
				start = start.AddDays(n + int(gap))
				part = part[n:]
			}
		}
		updates, err := Ranges(cals)
		if err != nil {
			t.Fatalf("Ranges refused valid calendars: %v", err)
		}
		got := map[cell]int{}
		for i, u := range updates {
			if u.ListingID != "5325" || !u.StartDate.Valid() || !u.EndDate.Valid() || u.EndDate.Before(u.StartDate) {
				t.Fatalf("bad range %+v", u)
			}
			for d := u.StartDate; !d.After(u.EndDate); d = d.AddDays(1) {
				c := cell{u.RoomTypeID, d}
				if _, dup := got[c]; dup {
					t.Fatalf("day %v of room type %s set twice", d, u.RoomTypeID)
				}
				got[c] = u.Available
			}
			if i > 0 {
				p := updates[i-1]
				if p.RoomTypeID == u.RoomTypeID && p.EndDate.AddDays(1) == u.StartDate && p.Available == u.Available {
					t.Fatalf("ranges %+v and %+v could be one", p, u)
				}
				if compareID(p.RoomTypeID, u.RoomTypeID) > 0 || p.RoomTypeID == u.RoomTypeID && !p.EndDate.Before(u.StartDate) {
					t.Fatalf("ranges out of order: %+v then %+v", p, u)
				}
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%d days set, %d in the calendars", len(got), len(want))
		}
		for c, n := range want {
			if g, ok := got[c]; !ok || g != n {
				t.Fatalf("room type %s on %v: calendar %d, ranges %d (set: %t)", c.room, c.day, n, g, ok)
			}
		}
		for _, b := range Batches(updates, int(split)) {
			if len(b) == 0 || split > 0 && len(b) > int(split) {
				t.Fatalf("batch of %d updates (size %d)", len(b), split)
			}
		}
	})
}

const fuzzKey = "sk_test_fuzz0123456789"

// FuzzErrorAnswer sends one request through the whole engine to a server
// answering any status, Retry-After and body (which may repeat the API
// key): the call returns, never panics, and a failure is a
// *partnerkit.Error with the status, a wait that is not negative, and no
// API key in its text, body, details or field errors.
func FuzzErrorAnswer(f *testing.F) {
	for i, s := range append(append([]string{}, errorSeeds...), roomTypesSeeds...) {
		f.Add(uint16(i*37), "45", []byte(s))
	}
	f.Add(uint16(229), "Wed, 21 Oct 2015 07:28:00 GMT", []byte(`{"success": false, "error": "Rate limit exceeded for `+fuzzKey+`", "retry_after": "`+fuzzKey+`"}`))
	f.Add(uint16(0), "", []byte(`{"success": false, "error": "`+fuzzKey+`", "message": "`+fuzzKey+`", "errors": {"`+fuzzKey+`": ["`+fuzzKey+`"]}, "details": {"unauthorized_listing_ids": ["`+fuzzKey+`"]}}`))
	f.Add(uint16(209), "", []byte(`{"error": {"type": "`+fuzzKey+`", "message": "`+fuzzKey+`", "request_id": "`+fuzzKey+`", "errors": [{"path": "`+fuzzKey+`", "code": "`+fuzzKey+`", "message": "`+fuzzKey+`"}]}}`))
	f.Fuzz(func(t *testing.T, code uint16, retryAfter string, body []byte) {
		status := fuzzcheck.Status(code)
		mock := fuzzcheck.Answer(status, retryAfter, body)
		c, err := New(fuzzKey, "mangobeds",
			partnerkit.WithBaseURL("https://api.coliving.test"),
			partnerkit.WithHTTPClient(&http.Client{Transport: mock}),
			partnerkit.WithMaxRetries(0),
			partnerkit.WithoutRateLimit(),
			transport.WithClock(clock.NewAutoFake(time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC))))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.RoomTypes.List(context.Background(), &RoomTypeListParams{ListingID: "5325"})
		fuzzcheck.CheckError(t, status, err, fuzzKey)
		if d, ok := partnerkit.DetailsOf[*ErrorDetails](err); ok && strings.Contains(string(d.Raw), fuzzKey) {
			t.Fatalf("the API key leaked into the error details: %s", d.Raw)
		}
	})
}
