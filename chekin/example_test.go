package chekin_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/chekin"
	"github.com/partnerkit/partnerkit-go/chekin/chekintest"
)

// Example creates a housing and a reservation, receives Guest.created on a
// local receiver and fetches the guest, against the in-memory CheKin.
func Example() {
	ctx := context.Background()
	fake := chekintest.New()
	api := httptest.NewServer(fake)
	defer api.Close()

	c, err := chekin.New(chekintest.Email, chekintest.Password, partnerkit.WithBaseURL(api.URL))
	if err != nil {
		panic(err)
	}
	h, err := c.Housings.Create(ctx, &chekin.HousingCreateParams{Name: "Amazing Housing", Type: chekin.HousingVacationRental})
	if err != nil {
		panic(err)
	}
	r, err := c.Reservations.Create(ctx, &chekin.ReservationCreateParams{
		HousingID: h.ID, CheckIn: partnerkit.NewDate(2025, time.June, 25), CheckOut: partnerkit.NewDate(2025, time.June, 30),
	})
	if err != nil {
		panic(err)
	}

	guests := make(chan partnerkit.ID, 1)
	secret := chekin.NewWebhookSecret()
	handler, _ := chekin.NewWebhookHandler(secret, func(_ context.Context, e *chekin.Event) error {
		if e.Name == chekin.EventGuestCreated {
			guests <- e.Data.GuestID
		}
		return nil
	})
	receiver := httptest.NewServer(handler)
	defer receiver.Close()
	target, _ := chekin.WebhookTarget(receiver.URL+"/chekin", secret)
	if _, err := c.Webhooks.Create(ctx, &chekin.WebhookCreateParams{Target: target, Event: chekin.EventGuestCreated}); err != nil {
		panic(err)
	}

	if _, err := fake.AddGuest(ctx, string(r.ID), chekintest.Guest{Name: "Martin", Surname: "Perez", Nationality: "AR"}); err != nil {
		panic(err)
	}
	g, err := c.Guests.Get(ctx, <-guests)
	if err != nil {
		panic(err)
	}
	fmt.Println(partnerkit.DateOf(r.CheckIn.Time), r.NightsOfStay, "nights")
	fmt.Println(g.FullName, g.Nationality.Name)
	// Output:
	// 2025-06-25 5 nights
	// MARTIN PEREZ Argentina
}
