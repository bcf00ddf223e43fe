// Package cohost is a client for the Cohost External API: listings and their
// availability, bookings, customer accounts and customer logins.
//
// A partner authenticates with its API key; the client keeps under Cohost's
// 60 requests a minute, retries what is safe to retry, and never sends a
// booking twice:
//
//	c, err := cohost.New(os.Getenv("COHOST_API_KEY"))
//	if err != nil {
//		return err
//	}
//	for l, err := range c.Listings.All(ctx, &cohost.ListingListParams{TeamIDs: []partnerkit.ID{"1", "2"}}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(l.ID, l.Name)
//	}
//	b, err := c.Bookings.Create(ctx, &cohost.BookingCreateParams{
//		ListingID: "123",
//		CheckIn:   partnerkit.NewDate(2025, time.March, 1),
//		CheckOut:  partnerkit.NewDate(2025, time.March, 5),
//		Guests:    2,
//		Guest:     cohost.GuestInfo{FullName: "Nguyen Van A", Phone: "+84901234567", Email: "guest@example.com"},
//	})
//	if errors.Is(err, partnerkit.ErrConflict) {
//		// the dates are taken
//	}
//
// # Services and methods
//
//	Listings  List(ctx, *ListingListParams) (*Page[Listing], error)
//	          All(ctx, *ListingListParams) iter.Seq2[Listing, error]
//	          Availability(ctx, id, *ListingAvailabilityParams) (*Availability, error)
//	Bookings  List(ctx, *BookingListParams) (*Page[Booking], error)
//	          All(ctx, *BookingListParams) iter.Seq2[Booking, error]
//	          Create(ctx, *BookingCreateParams) (*Booking, error)
//	Customers List(ctx, *CustomerListParams) (*Page[Customer], error)
//	          All(ctx, *CustomerListParams) iter.Seq2[Customer, error]
//	          Register(ctx, *CustomerRegisterParams) (*Registration, error)
//	          Get(ctx, id) (*Customer, error)
//	          Update(ctx, id, *CustomerUpdateParams) (*Customer, error)
//	          RemoveFromTeam(ctx, id, teamID) (*Notice, error)
//	          LoginStatus(ctx, id) (*LoginStatus, error)
//	          ResendVerification(ctx, id) (*Notice, error)
//	          Login(ctx, email, password) (*CustomerSession, error)
//	          Session(token, expiresAt) (*CustomerSession, error)
//
// A list's page is a Page: Items, and Cohost's Total, Page (from 1), Limit
// and TotalPages. A customer who logged in through the partner gets a
// CustomerSession whose calls carry the customer's token
// (CustomerSession.Bookings: List, All and Create, as Bookings):
//
//	s, err := c.Customers.Login(ctx, email, password)
//	if err != nil {
//		return err
//	}
//	mine, err := s.Bookings.List(ctx, nil)
//
// # Errors
//
// Every unsuccessful answer is a *partnerkit.Error whose Code is Cohost's
// (CodeListingNotFound and the other Code constants) and that matches one
// sentinel with errors.Is (partnerkit.ErrConflict for overlapping dates).
// Validation failures (422) carry FieldErrors keyed by the field's
// location, such as "body.check_in_date". A business error's details object
// is an *ErrorDetails, read with partnerkit.DetailsOf. Bad arguments are
// refused before anything is sent with a *partnerkit.ValidationError naming
// the field.
//
// Package cohosttest is an in-memory Cohost for tests and examples.
//
// # Examples
//
// Runnable examples, which go test runs against cohosttest: Example
// (construction and List), ExampleListingsService_All,
// ExampleBookingsService_Create and Example_errors.
package cohost
