package faults

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/coliving"
	"github.com/partnerkit/partnerkit-go/coliving/colivingtest"
)

// colivingSubject: the read verifies the key (GET /me). Coliving has no
// create that is not idempotent: its write sets the availability of the
// demo room type for three days, an absolute value the client retries like
// a read, so the matrix checks that the fake ends up holding exactly those
// days, however many times the update reached it.
func colivingSubject() Subject {
	fake := colivingtest.New()
	held := func() string {
		return availabilityText(fake.Availability(colivingtest.ListingID, colivingtest.RoomTypeID))
	}
	return Subject{
		Handler:         fake,
		IdempotentWrite: true,
		Connect: func(baseURL string, opts ...partnerkit.Option) (Calls, error) {
			c, err := coliving.New(colivingtest.APIKey, colivingtest.Integrator, append(opts, partnerkit.WithBaseURL(baseURL))...)
			if err != nil {
				return Calls{}, err
			}
			start := partnerkit.DateOf(time.Now()).AddDays(30)
			update := coliving.AvailabilityRange{
				ListingID:  colivingtest.ListingID,
				RoomTypeID: colivingtest.RoomTypeID,
				Available:  4, StartDate: start, EndDate: start.AddDays(2),
			}
			want := map[string]int{}
			for d := update.StartDate; !d.After(update.EndDate); d = d.AddDays(1) {
				want[d.String()] = update.Available
			}
			return Calls{
				Read: func(ctx context.Context) error {
					_, err := c.Account.Verify(ctx)
					return err
				},
				Create: func(ctx context.Context) (string, error) {
					_, err := c.Availability.Update(ctx, &coliving.AvailabilityUpdateParams{Ranges: []coliving.AvailabilityRange{update}})
					return availabilityText(want), err
				},
			}, nil
		},
		CreateRequests: func() int { return fake.Requests("POST /integrations/{provider}/availability") },
		Created: func() []string {
			if s := held(); s != "" {
				return []string{s}
			}
			return nil
		},
	}
}

// availabilityText writes availability by day as "day=rooms" in day order.
func availabilityText(days map[string]int) string {
	parts := make([]string, 0, len(days))
	for d, n := range days {
		parts = append(parts, fmt.Sprintf("%s=%d", d, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}
