// Command chekin-sync creates a housing and a reservation in CheKin, prints
// the online check-in link, receives Guest.created on a webhook receiver,
// reads the guest and removes what it created. Environment: CHEKIN_EMAIL,
// CHEKIN_PASSWORD, optionally CHEKIN_BASE_URL, CHEKIN_WEBHOOK_URL (a public
// address reaching the receiver) and CHEKIN_WEBHOOK_WAIT (how long to wait
// for a guest, 30s by default: when none checks in, it says so and ends
// well); without credentials it uses the built-in fake.
package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/chekin"
	"github.com/partnerkit/partnerkit-go/chekin/chekintest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "chekin-sync:", strings.ReplaceAll(err.Error(), "\n", "; "))
		os.Exit(1)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	email, password, baseURL := os.Getenv("CHEKIN_EMAIL"), os.Getenv("CHEKIN_PASSWORD"), os.Getenv("CHEKIN_BASE_URL")
	var fake *chekintest.Server
	if email == "" && password == "" {
		fake = chekintest.New()
		api := httptest.NewServer(fake)
		defer api.Close()
		email, password, baseURL = chekintest.Email, chekintest.Password, api.URL
		fmt.Println("CHEKIN_EMAIL and CHEKIN_PASSWORD are not set: using the built-in CheKin fake at", api.URL)
	}
	c, err := chekin.New(email, password, partnerkit.WithBaseURL(cmp.Or(baseURL, chekin.DefaultBaseURL)))
	if err != nil {
		return err
	}
	remove := func(what string, del func(context.Context, partnerkit.ID) error, id partnerkit.ID) {
		if err := del(context.WithoutCancel(ctx), id); err != nil { // even after a failure
			fmt.Fprintf(os.Stderr, "chekin-sync: removing the %s: %v\n", what, err)
		}
	}

	h, err := c.Housings.Create(ctx, &chekin.HousingCreateParams{
		Name: "Casa Azul " + time.Now().UTC().Format("20060102-150405"), Type: chekin.HousingVacationRental,
		Location: &chekin.Location{Country: "ES", Community: "ES-AN", Province: "ES-AL", Address: "Calle Mayor 1, Almería"},
	})
	if err != nil {
		return fmt.Errorf("creating a housing: %w", err)
	}
	defer remove("housing", c.Housings.Delete, h.ID)
	checkIn := partnerkit.DateOf(time.Now()).AddDays(30)
	r, err := c.Reservations.Create(ctx, &chekin.ReservationCreateParams{HousingID: h.ID, CheckIn: checkIn, CheckOut: checkIn.AddDays(3),
		DefaultLeaderFullName: "Ana García", DefaultInviteEmail: "ana.garcia@example.org"})
	if err != nil {
		return fmt.Errorf("creating a reservation: %w", err)
	}
	defer remove("reservation", c.Reservations.Delete, r.ID)
	fmt.Printf("reservation %s in %q, %s to %s: online check-in at %s\n", r.ID, h.Name, checkIn, checkIn.AddDays(3), r.SignupFormLink)

	// The receiver checks the secret in its address and answers at once; its
	// server bounds how long a sender may take.
	guests := make(chan partnerkit.ID, 1)
	secret := chekin.NewWebhookSecret()
	handler, err := chekin.NewWebhookHandler(secret, func(_ context.Context, e *chekin.Event) error {
		if e.Name == chekin.EventGuestCreated && chekin.SameID(e.Data.ReservationID, r.ID) {
			select {
			case guests <- e.Data.GuestID: // the first guest; the receiver never blocks
			default:
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	target, err := chekin.WebhookURL(cmp.Or(os.Getenv("CHEKIN_WEBHOOK_URL"), "http://"+ln.Addr().String()+"/chekin"), secret)
	if err != nil {
		return err
	}
	hook, err := c.Webhooks.Create(ctx, &chekin.WebhookCreateParams{URL: target, Event: chekin.EventGuestCreated})
	if err != nil {
		return fmt.Errorf("subscribing to %s: %w", chekin.EventGuestCreated, err)
	}
	defer remove("webhook", c.Webhooks.Delete, hook.ID)

	wait := 30 * time.Second
	if d, err := time.ParseDuration(os.Getenv("CHEKIN_WEBHOOK_WAIT")); err == nil {
		wait = d
	}
	if fake == nil {
		fmt.Printf("waiting up to %s for a guest to check in; the receiver listens on %s\n", wait, ln.Addr())
	} else if _, err := fake.AddGuest(ctx, string(r.ID), chekintest.Guest{Name: "Ana", Surname: "García", Gender: "F"}); err != nil {
		return fmt.Errorf("the fake's guest: %w", err)
	}
	select {
	case id := <-guests:
		g, err := c.Guests.Get(ctx, id)
		if err != nil {
			return fmt.Errorf("reading guest %s: %w", id, err)
		}
		fmt.Printf("%s: guest %s, born %s, status %s\n", chekin.EventGuestCreated, g.FullName, g.BirthDate, g.Status)
		return nil
	case <-time.After(wait):
		fmt.Printf("no guest checked in within %s (CHEKIN_WEBHOOK_WAIT); the subscription worked\n", wait)
		return nil
	case <-ctx.Done():
		return errors.New("no guest checked in before the deadline")
	}
}
