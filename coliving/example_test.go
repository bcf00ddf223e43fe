package coliving_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/coliving"
	"github.com/partnerkit/partnerkit-go/coliving/colivingtest"
)

// Example builds a client for a host's key and an integrator, in the
// sandbox, and verifies the key, against the in-memory Coliving.
func Example() {
	ctx := context.Background()
	api := httptest.NewServer(colivingtest.New())
	defer api.Close()

	c, err := coliving.New(colivingtest.APIKey, "mangobeds", coliving.Sandbox(), partnerkit.WithBaseURL(api.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	host, err := c.Account.Verify(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("key verified for", host.Name, "<"+host.Email+">")
	// Output:
	// key verified for Demo Host <demohost@palmesus.no>
}

// ExampleRoomTypesService_List reads the room types of a listing: all of
// them come on one page.
func ExampleRoomTypesService_List() {
	ctx := context.Background()
	api := httptest.NewServer(colivingtest.New())
	defer api.Close()
	c, _ := coliving.New(colivingtest.APIKey, colivingtest.Integrator, partnerkit.WithBaseURL(api.URL))

	page, err := c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: "5325"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, rt := range page.Items {
		fmt.Printf("%s %q: %d rooms for %d guest(s) each, %s %s a month in December\n",
			rt.ID, rt.Name, rt.Amount, rt.MaxOccupancy, rt.Prices.PriceFor(time.December), rt.Prices.Currency)
	}
	fmt.Println("more pages:", page.HasMore())
	// Output:
	// 38753 "Full Bedroom": 6 rooms for 1 guest(s) each, 1000 USD a month in December
	// more pages: false
}

// ExampleRoomTypesService_All ranges over the room types of a listing.
func ExampleRoomTypesService_All() {
	ctx := context.Background()
	api := httptest.NewServer(colivingtest.New())
	defer api.Close()
	c, _ := coliving.New(colivingtest.APIKey, colivingtest.Integrator, partnerkit.WithBaseURL(api.URL))

	for rt, err := range c.RoomTypes.All(ctx, &coliving.RoomTypeListParams{ListingID: "5325"}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(rt.ID, rt.Name)
	}
	// Output:
	// 38753 Full Bedroom
}

// ExampleAvailabilityService_PushCalendar pushes 90 days of a room type's
// availability, one number a day, in as few ranges and requests as it
// takes.
func ExampleAvailabilityService_PushCalendar() {
	ctx := context.Background()
	fake := colivingtest.New()
	api := httptest.NewServer(fake)
	defer api.Close()
	c, _ := coliving.New(colivingtest.APIKey, colivingtest.Integrator, partnerkit.WithBaseURL(api.URL))

	// Six rooms; one is let from the 11th day, a second from the 41st.
	days := make([]int, 90)
	for i := range days {
		switch {
		case i >= 40:
			days[i] = 4
		case i >= 10:
			days[i] = 5
		default:
			days[i] = 6
		}
	}
	res, err := c.Availability.PushCalendar(ctx, &coliving.AvailabilityPushCalendarParams{
		Calendars: []coliving.RoomCalendar{{
			ListingID:  "5325",
			RoomTypeID: "38753",
			Start:      partnerkit.NewDate(2026, time.January, 1),
			Days:       days,
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("90 days as %d ranges in %d request(s)\n", res.Ranges, res.Requests)
	for _, r := range res.Results[0].Confirmed {
		fmt.Printf("%s to %s: %d of %d rooms\n", r.StartDate, r.EndDate, r.Available, r.Rooms)
	}
	fmt.Println("held on 2026-03-01:", fake.Availability(colivingtest.ListingID, colivingtest.RoomTypeID)["2026-03-01"])
	// Output:
	// 90 days as 3 ranges in 1 request(s)
	// 2026-01-01 to 2026-01-10: 6 of 6 rooms
	// 2026-01-11 to 2026-02-09: 5 of 6 rooms
	// 2026-02-10 to 2026-03-31: 4 of 6 rooms
	// held on 2026-03-01: 4
}

// ExampleRanges shows the ranges PushCalendar would send, without sending
// them.
func ExampleRanges() {
	ranges, err := coliving.Ranges([]coliving.RoomCalendar{{
		ListingID: "5325", RoomTypeID: "38753",
		Start: partnerkit.NewDate(2025, time.December, 1),
		Days:  []int{2, 2, 2, 1, 1, 0, 0, 2},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range ranges {
		fmt.Println(r.StartDate, r.EndDate, r.Available)
	}
	// Output:
	// 2025-12-01 2025-12-03 2
	// 2025-12-04 2025-12-05 1
	// 2025-12-06 2025-12-07 0
	// 2025-12-08 2025-12-08 2
}

// Example_errors handles Coliving's refusal of a listing that is not the
// host's: the error matches partnerkit.ErrForbidden, and its details name
// the refused listings. Bad input fails before anything is sent.
func Example_errors() {
	ctx := context.Background()
	api := httptest.NewServer(colivingtest.New())
	defer api.Close()
	c, _ := coliving.New(colivingtest.APIKey, colivingtest.Integrator, partnerkit.WithBaseURL(api.URL))

	day := partnerkit.NewDate(2026, time.January, 1)
	_, err := c.Availability.Update(ctx, &coliving.AvailabilityUpdateParams{Ranges: []coliving.AvailabilityRange{
		{ListingID: "5325", RoomTypeID: "38753", Available: 3, StartDate: day, EndDate: day},
		{ListingID: "999", RoomTypeID: "99901", Available: 1, StartDate: day, EndDate: day},
	}})
	fmt.Println("forbidden:", errors.Is(err, partnerkit.ErrForbidden))
	var apiErr *partnerkit.Error
	if errors.As(err, &apiErr) {
		fmt.Println("status:", apiErr.StatusCode, "code:", apiErr.Code)
	}
	if d, ok := partnerkit.DetailsOf[*coliving.ErrorDetails](err); ok {
		fmt.Println("refused listings:", d.UnauthorizedListingIDs)
	}

	_, err = c.Availability.Update(ctx, &coliving.AvailabilityUpdateParams{Ranges: []coliving.AvailabilityRange{
		{ListingID: "5325", RoomTypeID: "38753", Available: -1, StartDate: day, EndDate: day},
	}})
	var invalid *partnerkit.ValidationError
	if errors.As(err, &invalid) {
		fmt.Println("not sent:", invalid.Field, invalid.Rule)
	}
	// Output:
	// forbidden: true
	// status: 403 code: unauthorized_listing_ids
	// refused listings: [999]
	// not sent: Ranges[0].Available must not be negative
}
