// Package coliving is a client for the Coliving.com Integrations API, used by
// channel managers and property management systems: verify a host's API
// key, read the room types of the host's listings, and push availability.
//
// A client works for one host key and one integrator (the id Coliving's
// paths call {provider}, such as "mangobeds"). Production is the default;
// test on the sandbox first:
//
//	c, err := coliving.New(os.Getenv("COLIVING_API_KEY"), "mangobeds", coliving.Sandbox())
//	if err != nil {
//		return err
//	}
//	host, err := c.Account.Verify(ctx) // errors.Is(err, partnerkit.ErrUnauthorized): a bad key
//	if err != nil {
//		return err
//	}
//	rooms, err := c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: "5325"})
//	if err != nil {
//		return err
//	}
//	res, err := c.Availability.PushCalendar(ctx, &coliving.AvailabilityPushCalendarParams{
//		Calendars: []coliving.RoomCalendar{{
//			ListingID:  "5325",
//			RoomTypeID: rooms.Items[0].ID,
//			Start:      partnerkit.NewDate(2025, time.December, 1),
//			Days:       []int{2, 2, 2, 1, 1, 0, 0, 2}, // rooms free, day by day
//		}},
//	})
//	if d, ok := partnerkit.DetailsOf[*coliving.ErrorDetails](err); ok {
//		fmt.Println("refused listings:", d.UnauthorizedListingIDs)
//	}
//
// # Services and methods
//
//	Account       Verify(ctx) (*Account, error)
//	RoomTypes     List(ctx, *RoomTypeListParams) (*Page[RoomType], error)
//	              All(ctx, *RoomTypeListParams) iter.Seq2[RoomType, error]
//	Availability  Update(ctx, *AvailabilityUpdateParams) (*AvailabilityResult, error)
//	              PushCalendar(ctx, *AvailabilityPushCalendarParams) (*PushResult, error)
//	ProviderKeys  Set(ctx, key) (*ProviderKeyResult, error)
//
// Account.Verify reads GET /me, the host account a key belongs to.
// RoomTypes reads the room types of a listing; Coliving does not page
// them: the one Page holds them all and HasMore is false.
// Availability.Update sets availability for ranges of days
// (AvailabilityRange); PushCalendar turns day-by-day calendars
// (RoomCalendar) into the fewest ranges and sends them in batches, and the
// functions Ranges and Batches do the same steps without sending.
// ProviderKeys.Set registers the integrator's own key for the host.
//
// PushCalendar lets a year of availability cost a handful of requests out
// of the 100 a minute Coliving allows per key. Availability updates set
// absolute values, so the client retries them after a server or connection
// failure.
//
// Sandbox and WithAPIVersion(V2) select the environment and the API
// version; the Go types are the same for both versions.
//
// # Errors
//
// Every unsuccessful answer, a 200 whose body says success: false
// included, is a *partnerkit.Error. Coliving's refusals of listings (403)
// and room types (400) carry the refused IDs as *ErrorDetails in
// Error.Details (read them with partnerkit.DetailsOf); validation failures
// (422) carry FieldErrors keyed like "data.0.listing_id"; a rate limit's
// retry_after becomes Error.RetryAfter and is waited out before retrying.
//
// # Examples
//
// Runnable examples, which go test runs against colivingtest: Example
// (construction in the sandbox), ExampleRoomTypesService_List,
// ExampleRoomTypesService_All, ExampleAvailabilityService_PushCalendar,
// ExampleRanges and Example_errors.
package coliving
