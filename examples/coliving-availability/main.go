// Command coliving-availability is what a channel manager does for a host on
// Coliving.com: verify the host's API key, read the room types of a
// listing, and push the next 90 days of availability as the fewest date
// ranges, in as few requests as they fit.
//
// Environment: COLIVING_API_KEY (the host's key) and COLIVING_PROVIDER (your
// integrator id; mangobeds, the documents' example, when unset);
// COLIVING_BASE_URL, used as given (such
// as https://api.coliving.com/v1 for production; unset: the sandbox,
// https://api.coliving.com/v1/sandbox); COLIVING_LISTING_ID (default 5325,
// the sandbox's test listing). Without a key, it runs against the
// in-memory fake on loopback and says so first.
//
//	go run ./examples/coliving-availability
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/coliving"
	"github.com/partnerkit/partnerkit-go/coliving/colivingtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "coliving-availability:", strings.ReplaceAll(err.Error(), "\n", "; "))
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer) error {
	key, integrator, baseURL := os.Getenv("COLIVING_API_KEY"), os.Getenv("COLIVING_PROVIDER"), os.Getenv("COLIVING_BASE_URL")
	listing := partnerkit.ID(os.Getenv("COLIVING_LISTING_ID"))
	if listing == "" {
		listing = "5325"
	}
	if key == "" {
		fake := httptest.NewServer(colivingtest.New())
		defer fake.Close()
		key, integrator, baseURL = colivingtest.APIKey, colivingtest.Integrator, fake.URL+"/v1/sandbox"
		fmt.Fprintln(w, "COLIVING_API_KEY is not set: using the in-memory Coliving fake at", baseURL)
	} else if integrator == "" {
		integrator = "mangobeds" // the integrator of the documents' examples
	}
	opts := []partnerkit.Option{coliving.Sandbox()}
	if baseURL != "" {
		opts = []partnerkit.Option{partnerkit.WithBaseURL(baseURL)}
	}
	c, err := coliving.New(key, integrator, opts...)
	if err != nil {
		return err
	}

	host, err := c.Account.Verify(ctx)
	if err != nil {
		return fmt.Errorf("verifying the host's key: %w", err)
	}
	fmt.Fprintf(w, "key verified for %s <%s>\n", host.Name, host.Email)

	rooms, err := c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: listing})
	if err != nil {
		return fmt.Errorf("reading the room types of listing %s: %w", listing, err)
	}
	if len(rooms.Items) == 0 {
		return fmt.Errorf("listing %s has no room types", listing)
	}

	// The channel manager's own calendar: here, bookings that come and go
	// every two weeks. Each day holds the number of rooms still free.
	start := partnerkit.DateOf(time.Now())
	var calendars []coliving.RoomCalendar
	for i, rt := range rooms.Items {
		fmt.Fprintf(w, "room type %s %q: %d rooms, %s %s a month\n",
			rt.ID, rt.Name, rt.Amount, rt.Prices.PriceFor(start.Month), rt.Prices.Currency)
		days := make([]int, 90)
		for d := range days {
			days[d] = int(rt.Amount) - (d/14+i)%(int(rt.Amount)+1)
		}
		calendars = append(calendars, coliving.RoomCalendar{ListingID: listing, RoomTypeID: rt.ID, Start: start, Days: days})
	}

	res, err := c.Availability.PushCalendar(ctx, &coliving.AvailabilityPushCalendarParams{Calendars: calendars})
	if d, ok := partnerkit.DetailsOf[*coliving.ErrorDetails](err); ok && len(d.UnauthorizedListingIDs) > 0 {
		return fmt.Errorf("the key may not update listings %v: %w", d.UnauthorizedListingIDs, err)
	}
	if errors.Is(err, partnerkit.ErrRateLimited) {
		return fmt.Errorf("the rate limit held the push back; run again later: %w", err)
	}
	if err != nil {
		return fmt.Errorf("pushing availability: %w", err)
	}
	fmt.Fprintf(w, "pushed 90 days of %d room type(s) from %s as %d ranges in %d request(s), instead of %d daily updates\n",
		len(calendars), start, res.Ranges, res.Requests, 90*len(calendars))
	return nil
}
