// Package colivingflow is the Coliving.com example: a channel manager
// verifies a host's key, reads the room types of a listing and pushes 90
// days of availability in as few requests as the calendar allows.
package colivingflow

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/coliving"
	"github.com/partnerkit/partnerkit-go/coliving/colivingtest"
	"github.com/partnerkit/partnerkit-go/examples/internal/demo"
)

// Days is how many days of availability the example pushes.
const Days = 90

// DefaultListingID is the listing of the sandbox's test data, used when
// COLIVING_LISTING_ID is not set.
const DefaultListingID = "5325"

// Run verifies the key, lists the room types of the listing and pushes
// Days days of availability starting today, printing what it does to w.
//
// It reads COLIVING_API_KEY and COLIVING_PROVIDER (the integrator id;
// mangobeds, the documents' example, when unset), COLIVING_BASE_URL (the API root, or the versioned base such as
// https://api.coliving.com/v1; empty: api.coliving.com),
// COLIVING_LISTING_ID (default 5325, the sandbox's test listing) and
// COLIVING_PRODUCTION (set to 1 to leave the sandbox of api.coliving.com;
// a COLIVING_BASE_URL is used as given, with or without /v1). Without a
// key, it runs against the built-in fake.
func Run(ctx context.Context, w io.Writer) error {
	var fake *colivingtest.Server
	target, err := demo.Resolve(w, "Coliving", "COLIVING_BASE_URL", []string{"COLIVING_API_KEY"},
		func() http.Handler {
			fake = colivingtest.New()
			return fake
		})
	if err != nil {
		return err
	}
	defer target.Close()

	key, integrator := demo.Env("COLIVING_API_KEY"), cmp.Or(demo.Env("COLIVING_PROVIDER"), "mangobeds")
	if target.Fake {
		key, integrator = colivingtest.APIKey, colivingtest.Integrator
	}
	opts := demo.Options(ctx)
	if target.BaseURL != "" {
		opts = append(opts, partnerkit.WithBaseURL(target.BaseURL))
	}
	// On api.coliving.com (and the fake) the example stays in the sandbox
	// unless told otherwise; a base URL given in the environment is used as
	// it is, since it names the environment itself.
	env := "production"
	switch {
	case target.BaseURL != "" && !target.Fake:
		env = target.BaseURL
	case demo.Env("COLIVING_PRODUCTION") != "1":
		opts = append(opts, coliving.Sandbox())
		env = "sandbox"
	}
	listing := partnerkit.ID(demo.Env("COLIVING_LISTING_ID"))
	if listing == "" {
		listing = DefaultListingID
	}
	c, err := coliving.New(key, integrator, opts...)
	if err != nil {
		return err
	}

	me, err := c.Account.Verify(ctx)
	if err != nil {
		return fmt.Errorf("verifying the key: %w", err)
	}
	if err := demo.Check(me.Name != "" || me.Email != "", "GET /me named no host"); err != nil {
		return err
	}
	fmt.Fprintf(w, "Coliving (%s): key verified for %s <%s>\n", env, me.Name, me.Email)

	page, err := c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: listing})
	if err != nil {
		return fmt.Errorf("listing the room types of listing %s: %w", listing, err)
	}
	rooms := page.Items
	if err := demo.Check(len(rooms) > 0, "listing %s has no room types", listing); err != nil {
		return err
	}
	start := partnerkit.DateOf(time.Now().UTC())
	cals := make([]coliving.RoomCalendar, 0, len(rooms))
	for i, rt := range rooms {
		if err := demo.Check(rt.ID != "" && rt.Amount >= 0, "room type %d has no ID or a negative amount", i); err != nil {
			return err
		}
		fmt.Fprintf(w, "Coliving: room type %s %q, %d rooms, %s %s a month\n",
			rt.ID, rt.Name, rt.Amount, rt.Prices.PriceFor(start.Month), rt.Prices.Currency)
		cals = append(cals, coliving.RoomCalendar{ListingID: listing, RoomTypeID: rt.ID, Start: start, Days: calendar(int(rt.Amount), i)})
	}

	res, err := c.Availability.PushCalendar(ctx, &coliving.AvailabilityPushCalendarParams{Calendars: cals})
	if err != nil {
		return fmt.Errorf("pushing availability: %w", err)
	}
	if err := demo.Check(res.Requests >= 1 && len(res.Results) == res.Requests, "%d requests but %d confirmations", res.Requests, len(res.Results)); err != nil {
		return err
	}
	confirmed := 0
	for _, r := range res.Results {
		if r != nil {
			confirmed += len(r.Confirmed)
		}
	}
	fmt.Fprintf(w, "Coliving: pushed %d days x %d room type(s) from %s as %d ranges in %d request(s) (%d confirmed), instead of %d daily updates\n",
		Days, len(rooms), start, res.Ranges, res.Requests, confirmed, Days*len(rooms))

	if fake != nil {
		for _, cal := range cals {
			if err := checkHeld(fake, cal); err != nil {
				return err
			}
		}
		fmt.Fprintf(w, "Coliving: the fake holds exactly the calendar pushed\n")
	}
	return nil
}

// calendar returns Days days of availability for a room type of amount
// rooms: bookings come and go every two weeks.
func calendar(amount, seed int) []int {
	days := make([]int, Days)
	for i := range days {
		booked := (i/14 + seed) % (amount + 1)
		days[i] = amount - booked
	}
	return days
}

// checkHeld compares what the fake holds with what was pushed.
func checkHeld(fake *colivingtest.Server, cal coliving.RoomCalendar) error {
	held := fake.Availability(string(cal.ListingID), string(cal.RoomTypeID))
	for i, n := range cal.Days {
		day := cal.Start.AddDays(i).String()
		got, ok := held[day]
		if err := demo.Check(ok && got == n, "room type %s on %s: pushed %d, the fake holds %d (set: %t)", cal.RoomTypeID, day, n, got, ok); err != nil {
			return err
		}
	}
	return nil
}
