// Package cohostflow is a partner's booking flow on Cohost: find a listing,
// find free nights, book them once, confirm the booking is listed, and
// register the guest as a customer. It runs against Cohost when
// COHOST_API_KEY is set (COHOST_BASE_URL optional) and against the built-in
// fake otherwise.
package cohostflow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/cohost"
	"github.com/partnerkit/partnerkit-go/cohost/cohosttest"
	"github.com/partnerkit/partnerkit-go/examples/internal/demo"
)

// Stay shape: two nights, a month from today, moved a week at a time when
// the dates are taken.
const (
	nights    = 2
	leadDays  = 30
	tries     = 5
	shiftDays = 7
)

// Run performs the flow, writing what it does to w.
func Run(ctx context.Context, w io.Writer) error {
	var fake *cohosttest.Server
	target, err := demo.Resolve(w, "Cohost", "COHOST_BASE_URL", []string{"COHOST_API_KEY"}, func() http.Handler {
		fake = cohosttest.New()
		return fake
	})
	if err != nil {
		return err
	}
	defer target.Close()
	key := demo.Env("COHOST_API_KEY")
	if target.Fake {
		key = cohosttest.APIKey
	}
	opts := append(demo.Options(ctx), partnerkit.WithUserAgentSuffix("cohost-booking-example"))
	if target.BaseURL != "" {
		opts = append(opts, partnerkit.WithBaseURL(target.BaseURL))
	}
	c, err := cohost.New(key, opts...)
	if err != nil {
		return err
	}

	page, err := c.Listings.List(ctx, &cohost.ListingListParams{State: cohost.ListingActive})
	if err != nil {
		return fmt.Errorf("listing listings: %w", err)
	}
	if len(page.Items) == 0 {
		return errors.New("the key's teams have no active listing to book")
	}
	listing := page.Items[0]
	if err := demo.Check(listing.ID != "", "a listing without an id"); err != nil {
		return err
	}
	fmt.Fprintf(w, "listings: %d active; booking %q (id %s)\n", page.Total, listing.Name, listing.ID)

	guests := 2
	if listing.Capacity > 0 {
		guests = min(guests, int(listing.Capacity))
	}
	booking, err := book(ctx, w, c, listing.ID, guests)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "booked: id %s, %s to %s, %d guests, state %s, total %s %s\n",
		booking.ID, booking.CheckIn, booking.CheckOut, booking.Guests, booking.State, booking.TotalPrice, booking.Currency)

	var params *cohost.BookingListParams
	if listing.TeamID != "" {
		params = &cohost.BookingListParams{TeamIDs: []partnerkit.ID{listing.TeamID}}
	}
	found := false
	for b, err := range c.Bookings.All(ctx, params) {
		if err != nil {
			return fmt.Errorf("listing bookings: %w", err)
		}
		if b.ID == booking.ID {
			found = true
			break
		}
	}
	if err := demo.Check(found, "booking %s is not in the bookings list", booking.ID); err != nil {
		return err
	}
	fmt.Fprintln(w, "confirmed: the booking is in the bookings list")

	return customer(ctx, w, c, fake, listing.ID)
}

// book finds free nights from a month ahead and books them, moving a week
// later when Cohost answers that the dates are taken. The booking itself is
// sent once per date range: the client never repeats a booking that may
// have reached Cohost.
func book(ctx context.Context, w io.Writer, c *cohost.Client, listingID partnerkit.ID, guests int) (*cohost.Booking, error) {
	today := partnerkit.DateOf(time.Now())
	for i := range tries {
		in := today.AddDays(leadDays + i*shiftDays)
		out := in.AddDays(nights)
		avail, err := c.Listings.Availability(ctx, listingID, &cohost.ListingAvailabilityParams{StartDate: in, EndDate: out.AddDays(-1)})
		if err != nil {
			return nil, fmt.Errorf("checking availability: %w", err)
		}
		if avail.Available != nil && !*avail.Available {
			fmt.Fprintf(w, "availability: %s to %s taken, trying a week later\n", in, out)
			continue
		}
		fmt.Fprintf(w, "availability: %s to %s free\n", in, out)
		b, err := c.Bookings.Create(ctx, &cohost.BookingCreateParams{
			ListingID: listingID, CheckIn: in, CheckOut: out, Guests: guests,
			Guest: cohost.GuestInfo{FullName: "Nguyen Van A", Phone: "+84901234567", Email: "guest@example.com"},
		})
		if errors.Is(err, partnerkit.ErrConflict) {
			fmt.Fprintf(w, "booking: %s to %s was just taken, trying a week later\n", in, out)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("booking: %w", err)
		}
		if err := demo.Check(b.ID != "", "a booking without an id"); err != nil {
			return nil, err
		}
		return b, nil
	}
	return nil, fmt.Errorf("no free %d nights found in %d tries", nights, tries)
}

// customer registers the guest as a customer. Cohost sends a verification
// e-mail; with the fake, the flow verifies it, logs the customer in and
// books as the customer.
func customer(ctx context.Context, w io.Writer, c *cohost.Client, fake *cohosttest.Server, listingID partnerkit.ID) error {
	email := fmt.Sprintf("guest+%d@example.com", time.Now().UnixNano())
	password := "Example-Passw0rd"
	reg, err := c.Customers.Register(ctx, &cohost.CustomerRegisterParams{
		Email: email, FullName: "Nguyen Van A", Phone: "+84901234567", Password: partnerkit.Secret(password),
	})
	if err != nil {
		return fmt.Errorf("registering the customer: %w", err)
	}
	if err := demo.Check(reg.UserID != "", "a registration without user_id"); err != nil {
		return err
	}
	fmt.Fprintf(w, "customer: registered %s as user %s (verification required: %t)\n", email, reg.UserID, reg.RequiresEmailVerification)
	status, err := c.Customers.LoginStatus(ctx, reg.UserID)
	if err != nil {
		return fmt.Errorf("reading the login status: %w", err)
	}
	fmt.Fprintf(w, "customer: e-mail verified: %t\n", status.EmailVerified)
	if fake == nil {
		fmt.Fprintln(w, "customer: the customer logs in after clicking Cohost's verification link")
		return nil
	}
	fake.VerifyEmail(string(reg.UserID))
	s, err := c.Customers.Login(ctx, email, password)
	if err != nil {
		return fmt.Errorf("logging the customer in: %w", err)
	}
	fmt.Fprintf(w, "customer: logged in, token valid until %s\n", s.ExpiresAt.Format(time.RFC3339))
	in := partnerkit.DateOf(time.Now()).AddDays(leadDays + tries*shiftDays)
	b, err := s.Bookings.Create(ctx, &cohost.BookingCreateParams{ListingID: listingID, CheckIn: in, CheckOut: in.AddDays(nights), Guests: 1})
	if err != nil {
		return fmt.Errorf("booking as the customer: %w", err)
	}
	fmt.Fprintf(w, "customer: booked %s to %s as the customer (booking %s)\n", b.CheckIn, b.CheckOut, b.ID)
	return nil
}
