package cohost_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/cohost"
	"github.com/partnerkit/partnerkit-go/cohost/cohosttest"
)

// Example constructs a client of the in-memory Cohost and lists the
// listings of the key's teams.
func Example() {
	srv := httptest.NewServer(cohosttest.New())
	defer srv.Close()

	c, err := cohost.New(cohosttest.APIKey, partnerkit.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	page, err := c.Listings.List(context.Background(), &cohost.ListingListParams{State: cohost.ListingActive, Limit: 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("page %d of %d, %d listings\n", page.Page, page.TotalPages, page.Total)
	for _, l := range page.Items {
		fmt.Printf("%s %s: %d guests, %s %s a night\n", l.ID, l.Name, l.Capacity, l.FullRate, l.Currency)
	}
	// Output:
	// page 1 of 2, 5 listings
	// 101 Da Lat Pine Villa: 6 guests, 1500000 VND a night
	// 102 Hoi An Riverside House: 4 guests, 1100000 VND a night
	// 103 Sa Pa Cloud Cabin: 2 guests, 800000 VND a night
}

// ExampleListingsService_All iterates over every listing of teams 1 and 2, two a
// page: the pages are fetched as the loop needs them.
func ExampleListingsService_All() {
	srv := httptest.NewServer(cohosttest.New())
	defer srv.Close()
	c, err := cohost.New(cohosttest.APIKey, partnerkit.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}

	for l, err := range c.Listings.All(context.Background(), &cohost.ListingListParams{TeamIDs: []partnerkit.ID{"1", "2"}, Limit: 2}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(l.ID, l.Name)
	}
	// Output:
	// 101 Da Lat Pine Villa
	// 102 Hoi An Riverside House
	// 103 Sa Pa Cloud Cabin
	// 201 Saigon Loft
	// 202 Nha Trang Sea View
}

// ExampleBookingsService_Create books three nights. The booking is sent
// once: Create never repeats it after it may have reached Cohost.
func ExampleBookingsService_Create() {
	srv := httptest.NewServer(cohosttest.New())
	defer srv.Close()
	c, err := cohost.New(cohosttest.APIKey, partnerkit.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}

	b, err := c.Bookings.Create(context.Background(), &cohost.BookingCreateParams{
		ListingID: cohosttest.ListingID,
		CheckIn:   partnerkit.NewDate(2025, time.March, 1),
		CheckOut:  partnerkit.NewDate(2025, time.March, 4),
		Guests:    2,
		Guest:     cohost.GuestInfo{FullName: "Nguyen Van A", Phone: "+84901234567", Email: "guest@example.com"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: listing %s, %s to %s, %d guests, %s %s\n", b.State, b.ListingID, b.CheckIn, b.CheckOut, b.Guests, b.TotalPrice, b.Currency)
	// Output:
	// CONFIRMED: listing 101, 2025-03-01 to 2025-03-04, 2 guests, 4500000 VND
}

// Example_errors handles Cohost's errors: errors.Is tells the kind of
// failure (overlapping dates are partnerkit.ErrConflict), errors.As reads
// Cohost's own code, and partnerkit.DetailsOf the details Cohost sent.
func Example_errors() {
	ctx := context.Background()
	fake := cohosttest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, err := cohost.New(cohosttest.APIKey, partnerkit.WithBaseURL(srv.URL), partnerkit.WithMaxRetries(0))
	if err != nil {
		fmt.Println(err)
		return
	}
	stay := &cohost.BookingCreateParams{
		ListingID: cohosttest.ListingID,
		CheckIn:   partnerkit.NewDate(2025, time.March, 1),
		CheckOut:  partnerkit.NewDate(2025, time.March, 4),
		Guests:    2,
		Guest:     cohost.GuestInfo{FullName: "Nguyen Van A", Phone: "+84901234567", Email: "guest@example.com"},
	}
	if _, err := c.Bookings.Create(ctx, stay); err != nil {
		fmt.Println(err)
		return
	}

	_, err = c.Bookings.Create(ctx, stay)
	if errors.Is(err, partnerkit.ErrConflict) {
		fmt.Println("the dates are taken")
	}
	var apiErr *partnerkit.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code)
	}

	fake.FailNext(1, http.StatusTooManyRequests)
	_, err = c.Listings.List(ctx, nil)
	if errors.As(err, &apiErr) && apiErr.Code == cohost.CodeRateLimitExceeded {
		d, _ := partnerkit.DetailsOf[*cohost.ErrorDetails](err)
		fmt.Println("rate limited; retry after", d.RetryAfterSeconds, "seconds:", apiErr.RetryAfter)
	}

	_, err = c.Bookings.Create(ctx, &cohost.BookingCreateParams{ListingID: cohosttest.ListingID, Guests: 2})
	var invalid *partnerkit.ValidationError
	if errors.As(err, &invalid) {
		fmt.Println("not sent:", invalid.Field, invalid.Rule)
	}
	// Output:
	// the dates are taken
	// 409 BOOKING_CONFLICT
	// rate limited; retry after 30 seconds: 30s
	// not sent: CheckIn is required (YYYY-MM-DD)
}
