// Package chekinflow is the CheKin example: a partner's system that keeps
// CheKin in sync and learns about guests through webhooks.
package chekinflow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/chekin"
	"github.com/partnerkit/partnerkit-go/chekin/chekintest"
	"github.com/partnerkit/partnerkit-go/examples/internal/demo"
)

// WebhookWait bounds the wait for Guest.created from a real CheKin, unless
// CHEKIN_WEBHOOK_WAIT (a duration such as 5m) says otherwise.
const WebhookWait = 30 * time.Second

// cleanupTimeout bounds the removal of what the flow created.
const cleanupTimeout = 15 * time.Second

// Run logs in, creates a housing and a reservation, subscribes a local
// receiver to Guest.created, waits for a guest (with the built-in fake it
// adds one itself), fetches the guest and prints it. It removes what it
// created before returning. When no guest checks in within the wait (a
// real CheKin adds guests only when they check in), it says so and ends
// without error: everything up to the subscription worked. Environment:
// CHEKIN_EMAIL, CHEKIN_PASSWORD and, optionally, CHEKIN_BASE_URL and
// CHEKIN_WEBHOOK_WAIT; none set means the built-in fake.
func Run(ctx context.Context, w io.Writer) (err error) {
	var fake *chekintest.Server
	target, err := demo.Resolve(w, "CheKin", "CHEKIN_BASE_URL", []string{"CHEKIN_EMAIL", "CHEKIN_PASSWORD"}, func() http.Handler {
		fake = chekintest.New()
		return fake
	})
	if err != nil {
		return err
	}
	defer target.Close()

	opts := demo.Options(ctx)
	if target.BaseURL != "" {
		opts = append(opts, partnerkit.WithBaseURL(target.BaseURL))
	}
	email, password := demo.Env("CHEKIN_EMAIL"), demo.Env("CHEKIN_PASSWORD")
	if target.Fake {
		email, password = chekintest.Email, chekintest.Password
	}
	c, err := chekin.New(email, password, opts...)
	if err != nil {
		return err
	}

	// Whatever happens next, remove what this run created.
	var cleanups []func(context.Context) error
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		for i := len(cleanups) - 1; i >= 0; i-- {
			if cerr := cleanups[i](cctx); cerr != nil {
				fmt.Fprintf(w, "cleanup: %v\n", cerr)
				err = errors.Join(err, cerr)
			}
		}
	}()

	if _, err := c.Token(ctx); err != nil {
		return fmt.Errorf("logging in: %w", err)
	}
	fmt.Fprintf(w, "logged in as %s\n", email)

	h, err := c.Housings.Create(ctx, &chekin.HousingCreateParams{
		Name: "partnerkit-go sync " + time.Now().UTC().Format("20060102-150405"),
		Type: chekin.HousingVacationRental,
		Location: &chekin.Location{
			Country: "ES", Community: "ES-AN", Province: "ES-AL", Address: "Calle Mayor 1, Almería",
		},
	})
	if err != nil {
		return fmt.Errorf("creating a housing: %w", err)
	}
	if err := demo.Check(h.ID != "", "the new housing has no id"); err != nil {
		return err
	}
	cleanups = append(cleanups, func(ctx context.Context) error { return c.Housings.Delete(ctx, h.ID) })
	fmt.Fprintf(w, "housing %s: %s (%s)\n", h.ID, h.Name, h.Type)

	checkIn := partnerkit.DateOf(time.Now().UTC()).AddDays(30)
	r, err := c.Reservations.Create(ctx, &chekin.ReservationCreateParams{
		HousingID: h.ID, CheckIn: checkIn, CheckOut: checkIn.AddDays(3),
		DefaultLeaderFullName: "Ana García", DefaultInviteEmail: "ana.garcia@example.org",
		GuestGroup: &chekin.ExpectedGuests{NumberOfGuests: 1},
	})
	if err != nil {
		return fmt.Errorf("creating a reservation: %w", err)
	}
	if err := demo.Check(r.ID != "", "the new reservation has no id"); err != nil {
		return err
	}
	cleanups = append(cleanups, func(ctx context.Context) error { return c.Reservations.Delete(ctx, r.ID) })
	fmt.Fprintf(w, "reservation %s: %s to %s, online check-in %s\n", r.ID, partnerkit.DateOf(r.CheckIn.Time), partnerkit.DateOf(r.CheckOut.Time), orNone(r.SignupFormLink))

	// The local receiver: it checks the secret in its address and hands
	// matching events to this goroutine without blocking.
	events := make(chan *chekin.Event, 1)
	secret := chekin.NewWebhookSecret()
	handler, err := chekin.NewWebhookHandler(secret, func(_ context.Context, e *chekin.Event) error {
		if e.Name == chekin.EventGuestCreated && chekin.SameID(e.Data.ReservationID, r.ID) {
			select {
			case events <- e:
			default:
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Its server bounds how long a sender may take, as the handler asks.
	receiver := httptest.NewUnstartedServer(handler)
	receiver.Config.ReadHeaderTimeout, receiver.Config.ReadTimeout = 5*time.Second, 30*time.Second
	receiver.Start()
	defer receiver.Close()
	targetURL, err := chekin.WebhookURL(receiver.URL+"/chekin/webhook", secret)
	if err != nil {
		return err
	}
	hook, err := c.Webhooks.Create(ctx, &chekin.WebhookCreateParams{URL: targetURL, Event: chekin.EventGuestCreated})
	if err != nil {
		return fmt.Errorf("subscribing to %s: %w", chekin.EventGuestCreated, err)
	}
	if err := demo.Check(hook.ID != "", "the new subscription has no id"); err != nil {
		return err
	}
	cleanups = append(cleanups, func(ctx context.Context) error { return c.Webhooks.Delete(ctx, hook.ID) })
	fmt.Fprintf(w, "subscribed %s to %s (webhook %s)\n", receiver.URL+"/chekin/webhook", hook.Event, hook.ID)

	wait := WebhookWait
	if v := demo.Env("CHEKIN_WEBHOOK_WAIT"); v != "" {
		if wait, err = time.ParseDuration(v); err != nil || wait < 0 {
			return fmt.Errorf("CHEKIN_WEBHOOK_WAIT must be a duration such as 5m, got %q", v)
		}
	}
	if target.Fake {
		if _, err := fake.AddGuest(ctx, string(r.ID), chekintest.Guest{
			Name: "Ana", Surname: "García", Nationality: "ES", BirthDate: "1990-04-12", Gender: "F",
		}); err != nil {
			return fmt.Errorf("adding a guest to the fake: %w", err)
		}
		fmt.Fprintln(w, "the fake added a guest as if they had checked in online")
	} else {
		fmt.Fprintf(w, "waiting up to %s for %s: check a guest in at %s (a hosted CheKin reaches this receiver only if %s is reachable from it)\n",
			wait, chekin.EventGuestCreated, orNone(r.SignupFormLink), receiver.URL)
	}

	var e *chekin.Event
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case e = <-events:
	case <-timer.C:
		fmt.Fprintf(w, "no guest checked in for reservation %s within %s, so no %s arrived; set CHEKIN_WEBHOOK_WAIT to wait longer\n", r.ID, wait, chekin.EventGuestCreated)
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
	if err := demo.Check(e.Data.GuestID != "", "the %s event names no guest", e.Name); err != nil {
		return err
	}
	fmt.Fprintf(w, "received %s: guest %s (origin %s)\n", e.Name, e.Data.GuestID, orNone(e.Data.GuestOrigin))

	g, err := c.Guests.Get(ctx, e.Data.GuestID)
	if err != nil {
		return fmt.Errorf("fetching guest %s: %w", e.Data.GuestID, err)
	}
	if err := demo.Check(chekin.SameID(g.ID, e.Data.GuestID), "asked for guest %s, got %q", e.Data.GuestID, g.ID); err != nil {
		return err
	}
	nationality := "unknown"
	if g.Nationality != nil && g.Nationality.Code != "" {
		nationality = g.Nationality.Code
	}
	document := "none"
	if g.Document != nil && g.Document.Type != "" {
		document = g.Document.Type
		if g.Document.TypeStr != "" {
			document = g.Document.TypeStr
		}
	}
	fmt.Fprintf(w, "guest %s: %s, born %s, nationality %s, document %s, status %s\n",
		g.ID, orNone(g.FullName), orNone(g.BirthDate.String()), nationality, document, orNone(string(g.Status)))
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
