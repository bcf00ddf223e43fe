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
//	for l, err := range c.Listings.All(ctx, &cohost.ListingsParams{TeamIDs: []int64{1, 2}}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(l.ID, l.Name)
//	}
//	b, err := c.Bookings.Create(ctx, &cohost.BookingCreate{
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
// A customer who logged in through the partner gets a session whose calls
// carry the customer's token:
//
//	s, err := c.Customers.Login(ctx, email, password)
//	if err != nil {
//		return err
//	}
//	mine, err := s.Bookings.List(ctx, nil)
//
// Every unsuccessful answer is a *partnerkit.Error whose Code is Cohost's
// (CodeListingNotFound and the other Code constants); validation failures
// (422) carry FieldErrors keyed by the field's location, such as
// "body.check_in_date".
package cohost
