package partnerkit_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"sync/atomic"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/alohub"
	"github.com/partnerkit/partnerkit-go/cohost"
	"github.com/partnerkit/partnerkit-go/cohost/cohosttest"
)

// Example shows the three kinds of failure every provider's calls return,
// on the in-memory Cohost: arguments refused before anything is sent, a
// provider's refusal as a typed *Error, and the sentinel it matches.
func Example() {
	srv := httptest.NewServer(cohosttest.New())
	defer srv.Close()
	c, err := cohost.New(cohosttest.APIKey, partnerkit.WithBaseURL(srv.URL), partnerkit.WithMaxRetries(2))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	// Refused before sending: the check-out is not after the check-in.
	_, err = c.Bookings.Create(ctx, &cohost.BookingCreateParams{
		ListingID: cohosttest.ListingID,
		CheckIn:   partnerkit.NewDate(2030, time.March, 5),
		CheckOut:  partnerkit.NewDate(2030, time.March, 1),
		Guests:    2,
		Guest:     cohost.GuestInfo{FullName: "Nguyen Van A", Phone: "+84901234567", Email: "guest@example.com"},
	})
	var invalid *partnerkit.ValidationError
	if errors.As(err, &invalid) {
		fmt.Println("not sent:", invalid.Field, invalid.Rule)
	}

	// Refused by the provider: a listing Cohost does not know.
	_, err = c.Listings.Availability(ctx, "999999", &cohost.ListingAvailabilityParams{
		StartDate: partnerkit.NewDate(2030, time.March, 1),
		EndDate:   partnerkit.NewDate(2030, time.March, 5),
	})
	var apiErr *partnerkit.Error
	if errors.Is(err, partnerkit.ErrNotFound) && errors.As(err, &apiErr) {
		fmt.Println("cohost says:", apiErr.StatusCode, apiErr.Code)
	}
	// Output:
	// not sent: CheckOut must be after CheckIn
	// cohost says: 404 LISTING_NOT_FOUND
}

// ExampleOption shows that an option checks its value, and that a
// provider's option belongs to that provider: the constructor refuses both
// with a *ValidationError naming the option, and returns no client.
func ExampleOption() {
	_, err := cohost.New("ck_test_key", partnerkit.WithMaxRetries(-1))
	fmt.Println(err)
	_, err = cohost.New("ck_test_key", alohub.WithTenantID("t-1"))
	fmt.Println(err)
	// Output:
	// partnerkit: invalid input: partnerkit.WithMaxRetries must not be negative, got -1
	// partnerkit: invalid input: alohub.WithTenantID is an option of alohub; a cohost client does not take it
}

// counting is a Limiter that counts the requests it lets through and leaves
// the decisions to another Limiter.
type counting struct {
	next  partnerkit.Limiter
	count atomic.Int64
}

func (c *counting) Wait(ctx context.Context, r *partnerkit.LimitRequest) (func(partnerkit.LimitFeedback), error) {
	done, err := c.next.Wait(ctx, r)
	if err == nil {
		c.count.Add(1)
	}
	return done, err
}

// unlimited lets every request through at once.
type unlimited struct{}

func (unlimited) Wait(context.Context, *partnerkit.LimitRequest) (func(partnerkit.LimitFeedback), error) {
	return func(partnerkit.LimitFeedback) {}, nil
}

// ExampleWithLimiter plugs a Limiter of one's own into a client. A Limiter
// sees each request's provider, route, quotas and a digest of its
// credential, never the credential itself; a Limiter shared by the replicas
// of a service (the redisfleet module) plugs in the same way.
func ExampleWithLimiter() {
	srv := httptest.NewServer(cohosttest.New())
	defer srv.Close()
	limiter := &counting{next: unlimited{}}
	c, err := cohost.New(cohosttest.APIKey, partnerkit.WithBaseURL(srv.URL), partnerkit.WithLimiter(limiter))
	if err != nil {
		fmt.Println(err)
		return
	}
	for range 3 {
		if _, err := c.Listings.List(context.Background(), nil); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println(limiter.count.Load(), "requests let through")
	// Output:
	// 3 requests let through
}
