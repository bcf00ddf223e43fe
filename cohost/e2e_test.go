package cohost_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/cohost"
	"github.com/partnerkit/partnerkit-go/cohost/cohosttest"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

// againstFake starts fake on loopback and returns a client of it.
func againstFake(t *testing.T, fake *cohosttest.Server, opts ...partnerkit.Option) *cohost.Client {
	t.Helper()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, err := cohost.New(cohosttest.APIKey, append([]partnerkit.Option{
		partnerkit.WithBaseURL(srv.URL), transport.WithRandom(func() float64 { return 0 }),
	}, opts...)...)
	require.NoError(t, err)
	return c
}

func requireAPIError(t *testing.T, err error, kind error, code string) {
	t.Helper()
	require.ErrorIs(t, err, kind)
	var apiErr *partnerkit.Error
	require.True(t, errors.As(err, &apiErr), "want *partnerkit.Error, got %T: %v", err, err)
	assert.Equal(t, code, apiErr.Code)
}

func TestEndToEndBookingFlow(t *testing.T) {
	t.Parallel()
	fake := cohosttest.New()
	c := againstFake(t, fake)
	ctx := context.Background()

	var names []string
	for l, err := range c.Listings.All(ctx, &cohost.ListingListParams{Limit: 2}) {
		require.NoError(t, err)
		names = append(names, l.Name)
	}
	assert.Len(t, names, 5, "the five listings of teams 1 and 2, in three pages")
	page, err := c.Listings.List(ctx, &cohost.ListingListParams{TeamIDs: []partnerkit.ID{"2", "9"}})
	require.NoError(t, err)
	require.Len(t, page.Items, 2, "team 9 is not the key's and is ignored")
	assert.Equal(t, partnerkit.ID("201"), page.Items[0].ID)

	in, out := date("2025-03-01"), date("2025-03-04")
	b, err := c.Bookings.Create(ctx, &cohost.BookingCreateParams{
		ListingID: "201", CheckIn: in, CheckOut: out, Guests: 2,
		Guest: cohost.GuestInfo{FullName: "Nguyen Van A", Phone: "+84901234567", Email: "guest@example.com"},
	})
	require.NoError(t, err)
	assert.Equal(t, cohost.BookingConfirmed, b.State)
	assert.Equal(t, partnerkit.ID("2"), b.TeamID, "derived from the listing")
	assert.Equal(t, 3*950000.0, b.TotalPrice.Float64())

	avail, err := c.Listings.Availability(ctx, "201", &cohost.ListingAvailabilityParams{StartDate: date("2025-02-28"), EndDate: date("2025-03-04")})
	require.NoError(t, err)
	require.NotNil(t, avail.Available)
	assert.False(t, *avail.Available)
	var free []bool
	for _, d := range avail.Days {
		free = append(free, d.Available)
	}
	assert.Equal(t, []bool{true, false, false, false, true}, free, "nights of 1, 2 and 3 March are taken")

	overlap := &cohost.BookingCreateParams{ListingID: "201", CheckIn: date("2025-03-03"), CheckOut: date("2025-03-06"), Guests: 1,
		Guest: cohost.GuestInfo{FullName: "Tran Thi B", Phone: "+84907654321", Email: "b@example.com"}}
	_, err = c.Bookings.Create(ctx, overlap)
	requireAPIError(t, err, partnerkit.ErrConflict, "BOOKING_CONFLICT")
	overlap.ListingID = "901"
	_, err = c.Bookings.Create(ctx, overlap)
	requireAPIError(t, err, partnerkit.ErrForbidden, cohost.CodeListingNotAccessible)
	overlap.ListingID = "999"
	_, err = c.Bookings.Create(ctx, overlap)
	requireAPIError(t, err, partnerkit.ErrNotFound, cohost.CodeListingNotFound)

	list, err := c.Bookings.List(ctx, &cohost.BookingListParams{State: cohost.BookingConfirmed})
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	assert.Equal(t, b.ID, list.Items[0].ID)
	assert.Len(t, fake.Bookings(), 1, "the refused bookings left nothing behind")
}

func TestEndToEndCustomers(t *testing.T) {
	t.Parallel()
	fake := cohosttest.New()
	c := againstFake(t, fake)
	ctx := context.Background()

	reg, err := c.Customers.Register(ctx, &cohost.CustomerRegisterParams{
		Email: "customer@example.com", FullName: "Nguyen Van A", Phone: "+84901234567", Password: "SecurePassword123",
	})
	require.NoError(t, err)
	assert.True(t, reg.RequiresEmailVerification)
	assert.Equal(t, cohost.TeamIDs{"1", "2"}, reg.Teams)

	name := "Nguyen Van B"
	cust, err := c.Customers.Update(ctx, reg.UserID, &cohost.CustomerUpdateParams{FullName: &name})
	require.NoError(t, err)
	assert.Equal(t, name, cust.FullName)
	got, err := c.Customers.Get(ctx, reg.UserID)
	require.NoError(t, err)
	assert.Equal(t, name, got.FullName)
	status, err := c.Customers.LoginStatus(ctx, reg.UserID)
	require.NoError(t, err)
	assert.False(t, status.EmailVerified)
	_, err = c.Customers.ResendVerification(ctx, reg.UserID)
	require.NoError(t, err)

	_, err = c.Customers.Login(ctx, "customer@example.com", "SecurePassword123")
	requireAPIError(t, err, partnerkit.ErrForbidden, "EMAIL_NOT_VERIFIED")
	_, err = c.Customers.Login(ctx, "customer@example.com", "wrong")
	requireAPIError(t, err, partnerkit.ErrUnauthorized, "INVALID_CREDENTIALS")

	require.True(t, fake.VerifyEmail(string(reg.UserID)))
	s, err := c.Customers.Login(ctx, "customer@example.com", "SecurePassword123")
	require.NoError(t, err)
	assert.False(t, s.ExpiresAt.IsZero())
	b, err := s.Bookings.Create(ctx, &cohost.BookingCreateParams{ListingID: "101", CheckIn: date("2025-04-01"), CheckOut: date("2025-04-03"), Guests: 2})
	require.NoError(t, err)
	require.NotNil(t, b.UserID, "a customer's booking names the customer")
	assert.Equal(t, reg.UserID, *b.UserID)
	assert.Equal(t, name, b.Guest.FullName, "taken from the customer's account")
	mine, err := s.Bookings.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, mine.Items, 1)

	var all []cohost.Customer
	for cu, err := range c.Customers.All(ctx, &cohost.CustomerListParams{TeamID: "1"}) {
		require.NoError(t, err)
		all = append(all, cu)
	}
	require.Len(t, all, 1)
	_, err = c.Customers.RemoveFromTeam(ctx, reg.UserID, "1")
	require.NoError(t, err)
	got, err = c.Customers.Get(ctx, reg.UserID)
	require.NoError(t, err)
	assert.Equal(t, cohost.TeamIDs{"2"}, got.Teams)
}

func TestEndToEndWrongKey(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(cohosttest.New())
	defer srv.Close()
	c, err := cohost.New("ck_live_wrong", partnerkit.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = c.Listings.List(context.Background(), nil)
	requireAPIError(t, err, partnerkit.ErrUnauthorized, "INVALID_API_KEY")
	assert.NotContains(t, err.Error(), "ck_live_wrong")
}

// TestEndToEndABurstLargerThanTheQuotaSucceeds sends 150 calls from 10
// goroutines, two and a half minutes of quota, against the fake's
// 60-a-minute limit. The simulated clock moves only while every worker
// waits, so the run is exact and instant.
func TestEndToEndABurstLargerThanTheQuotaSucceeds(t *testing.T) {
	t.Parallel()
	start := time.Date(2025, 3, 1, 9, 0, 30, 0, time.UTC)
	clk := clock.NewSim(start)
	fake := cohosttest.New(cohosttest.WithClock(clk.Now))
	c := againstFake(t, fake, transport.WithClock(clk))

	const workers, each = 10, 15
	var mu sync.Mutex
	var errs []error
	for range workers {
		clk.Go(func() {
			for range each {
				if _, err := c.Listings.List(context.Background(), nil); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	clk.Wait()
	require.Empty(t, errs)
	assert.Zero(t, fake.RateLimited(), "no call spent a 429")
	assert.Equal(t, workers*each, fake.Requests("GET /listings"))
	// 60 calls in any minute and its margin (one second): the 150th may go
	// two minutes and two seconds after the first.
	assert.Equal(t, 2*time.Minute+2*time.Second, clk.Now().Sub(start))
}

// TestEndToEndA429IsWaitedOut turns client-side limiting off so that the
// fake's 429 is reached, and checks that the call waits as the body says and
// then succeeds.
func TestEndToEndA429IsWaitedOut(t *testing.T) {
	t.Parallel()
	start := time.Date(2025, 3, 1, 9, 0, 30, 0, time.UTC)
	clk := clock.NewAutoFake(start)
	fake := cohosttest.New(cohosttest.WithClock(clk.Now))
	fake.SetRateLimit("", 2, time.Minute)
	c := againstFake(t, fake, transport.WithClock(clk), partnerkit.WithoutRateLimit())
	for range 3 {
		_, err := c.Listings.List(context.Background(), nil)
		require.NoError(t, err)
	}
	assert.Equal(t, 1, fake.RateLimited())
	assert.Equal(t, []time.Duration{30 * time.Second}, clk.Sleeps(), "waited for the window to reset")
}

func TestEndToEndFailuresAndRetries(t *testing.T) {
	t.Parallel()
	fake := cohosttest.New()
	c := againstFake(t, fake, transport.WithClock(clock.NewAutoFake(epoch)))
	ctx := context.Background()

	fake.FailNext(2, http.StatusServiceUnavailable)
	_, err := c.Listings.List(ctx, nil)
	require.NoError(t, err, "a read is retried through a passing outage")
	assert.Equal(t, 3, fake.Requests("GET /listings"))

	fake.FailNext(1, http.StatusServiceUnavailable)
	_, err = c.Bookings.Create(ctx, newBooking())
	require.ErrorIs(t, err, partnerkit.ErrServer)
	assert.Equal(t, 1, fake.Requests("POST /bookings"), "a booking is never sent twice")
	assert.Empty(t, fake.Bookings())
}
