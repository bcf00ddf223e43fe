package faults

import (
	"context"
	"fmt"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/cohost"
	"github.com/partnerkit/partnerkit-go/cohost/cohosttest"
)

// cohostSubject: the read lists listings; the create books listing 101.
func cohostSubject() Subject {
	fake := cohosttest.New()
	return Subject{
		Handler: fake,
		Connect: func(baseURL string, opts ...partnerkit.Option) (Calls, error) {
			c, err := cohost.New(cohosttest.APIKey, append(opts, partnerkit.WithBaseURL(baseURL))...)
			if err != nil {
				return Calls{}, err
			}
			in := partnerkit.DateOf(time.Now()).AddDays(30)
			return Calls{
				Read: func(ctx context.Context) error {
					_, err := c.Listings.List(ctx, nil)
					return err
				},
				Create: func(ctx context.Context) (string, error) {
					b, err := c.Bookings.Create(ctx, &cohost.BookingCreateParams{
						ListingID: cohosttest.ListingID, CheckIn: in, CheckOut: in.AddDays(2), Guests: 2,
						Guest: cohost.GuestInfo{FullName: "Nguyen Van A", Phone: "+84901234567", Email: "guest@example.com"},
					})
					if err != nil {
						return "", err
					}
					return string(b.ID), nil
				},
			}, nil
		},
		CreateRequests: func() int { return fake.Requests("POST /bookings") },
		Created: func() []string {
			var ids []string
			for _, b := range fake.Bookings() {
				ids = append(ids, fmt.Sprint(b.ID))
			}
			return ids
		},
	}
}
