// Command cohost-booking books a stay on Cohost as a partner: it finds an
// active listing, checks that two nights a month ahead are free, books them
// once (a booking is never sent twice), and confirms the booking is listed.
//
// Environment: COHOST_API_KEY (with it, requests go to Cohost and the stay
// is really booked) and COHOST_BASE_URL (optional, such as a staging
// address). Without a key, an in-memory Cohost serves the task on loopback.
//
//	go run ./examples/cohost-booking
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/cohost"
	"github.com/partnerkit/partnerkit-go/cohost/cohosttest"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	err := run(ctx)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "cohost-booking:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	key, baseURL := os.Getenv("COHOST_API_KEY"), os.Getenv("COHOST_BASE_URL")
	if key == "" {
		srv := httptest.NewServer(cohosttest.New())
		defer srv.Close()
		key, baseURL = cohosttest.APIKey, srv.URL
		fmt.Println("COHOST_API_KEY is not set: using the in-memory Cohost at", srv.URL)
	}
	var opts []partnerkit.Option
	if baseURL != "" {
		opts = append(opts, partnerkit.WithBaseURL(baseURL))
	}
	c, err := cohost.New(key, opts...)
	if err != nil {
		return err
	}

	// An active listing with room for two guests.
	var listing *cohost.Listing
	for l, err := range c.Listings.All(ctx, &cohost.ListingListParams{State: cohost.ListingActive}) {
		if err != nil {
			return fmt.Errorf("listing listings: %w", err)
		}
		if l.Capacity >= 2 {
			listing = &l
			break
		}
	}
	if listing == nil {
		return errors.New("no active listing for two guests in the key's teams")
	}
	fmt.Printf("listing: %s %q in %s, %s %s a night\n", listing.ID, listing.Name, listing.ProvinceCode, listing.FullRate, listing.Currency)

	// Two nights a month from today: the nights of checkIn and the day after.
	checkIn := partnerkit.DateOf(time.Now()).AddDays(30)
	checkOut := checkIn.AddDays(2)
	avail, err := c.Listings.Availability(ctx, listing.ID, &cohost.ListingAvailabilityParams{StartDate: checkIn, EndDate: checkOut.AddDays(-1)})
	if err != nil {
		return fmt.Errorf("checking availability: %w", err)
	}
	if avail.Available != nil && !*avail.Available {
		return fmt.Errorf("listing %s is taken from %s to %s", listing.ID, checkIn, checkOut)
	}
	fmt.Printf("availability: %s to %s is free\n", checkIn, checkOut)

	// The booking is sent once; a conflict means someone booked first.
	booking, err := c.Bookings.Create(ctx, &cohost.BookingCreateParams{
		ListingID: listing.ID, CheckIn: checkIn, CheckOut: checkOut, Guests: 2,
		Guest: cohost.GuestInfo{FullName: "Nguyen Van A", Phone: "+84901234567", Email: "guest@example.com"},
	})
	if errors.Is(err, partnerkit.ErrConflict) {
		return fmt.Errorf("the dates were booked meanwhile: %w", err)
	}
	if err != nil {
		return fmt.Errorf("booking: %w", err)
	}
	if booking.ID == "" {
		return errors.New("cohost answered the booking without an id")
	}
	fmt.Printf("booked: %s, %s, %s %s\n", booking.ID, booking.State, booking.TotalPrice, booking.Currency)

	// The booking is in the confirmed bookings of the listing's team.
	params := &cohost.BookingListParams{State: cohost.BookingConfirmed}
	if listing.TeamID != "" {
		params.TeamIDs = []partnerkit.ID{listing.TeamID}
	}
	for b, err := range c.Bookings.All(ctx, params) {
		if err != nil {
			return fmt.Errorf("listing bookings: %w", err)
		}
		if b.ID == booking.ID {
			fmt.Println("confirmed: the booking is in the bookings list")
			return nil
		}
	}
	return fmt.Errorf("booking %s is not in the bookings list", booking.ID)
}
