// Package coliving is a client for the Coliving.com Integrations API, used by
// channel managers and property management systems: verify a host's API
// key, read the room types of the host's listings, and push availability.
//
// A client works for one host key and one integrator (the provider id, such
// as "mangobeds"). Production is the default; test on the sandbox first:
//
//	c, err := coliving.New(os.Getenv("COLIVING_API_KEY"), "mangobeds", coliving.Sandbox())
//	if err != nil {
//		return err
//	}
//	host, err := c.Account.Verify(ctx)
//	if err != nil {
//		return err // errors.Is(err, partnerkit.ErrUnauthorized): a bad key
//	}
//	rooms, err := c.RoomTypes.List(ctx, "5325")
//	if err != nil {
//		return err
//	}
//	res, err := c.Availability.PushCalendar(ctx, []coliving.RoomCalendar{{
//		ListingID:  "5325",
//		RoomTypeID: rooms[0].RoomTypeID,
//		Start:      partnerkit.NewDate(2025, time.December, 1),
//		Days:       []int{2, 2, 2, 1, 1, 0, 0, 2}, // one value per day
//	}}, nil)
//	if d, ok := coliving.DetailsOf(err); ok {
//		fmt.Println("refused listings:", d.UnauthorizedListingIDs)
//	}
//	fmt.Println(host.Name, res.Ranges, "ranges in", res.Requests, "request(s)")
//
// PushCalendar turns per-day availability into the fewest inclusive date
// ranges and sends them in batches, so that a year of availability costs a
// handful of requests out of the 100 a minute Coliving allows per key.
// Availability updates set absolute values, so the client retries them
// after a server or connection failure.
//
// WithAPIVersion(V2) talks to the newer API version with the same Go types.
//
// Every unsuccessful answer is a *partnerkit.Error. Coliving's refusals of
// listings (403) and room types (400) carry the refused IDs as
// *ErrorDetails in Error.Details (DetailsOf reads them); validation
// failures (422) carry FieldErrors keyed like "data.0.listing_id"; a 429's
// retry_after becomes Error.RetryAfter and is waited out before retrying.
package coliving
