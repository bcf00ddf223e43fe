package chekin_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/chekin"
	"github.com/partnerkit/partnerkit-go/chekin/chekintest"
)

// Example builds a client and lists the account's housings, against the
// in-memory CheKin.
func Example() {
	ctx := context.Background()
	api := httptest.NewServer(chekintest.New())
	defer api.Close()

	c, err := chekin.New(chekintest.Email, chekintest.Password, partnerkit.WithBaseURL(api.URL))
	if err != nil {
		log.Fatal(err)
	}
	for _, name := range []string{"Casa Azul", "Hotel Verde"} {
		if _, err := c.Housings.Create(ctx, &chekin.HousingCreateParams{Name: name, Type: chekin.HousingVacationRental}); err != nil {
			log.Fatal(err)
		}
	}
	page, err := c.Housings.List(ctx, &chekin.HousingListParams{Limit: 10})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(page.Total, "housings; more:", page.HasMore())
	for _, h := range page.Items {
		fmt.Println(h.Name, h.Type)
	}
	// Output:
	// 2 housings; more: false
	// Casa Azul HOU
	// Hotel Verde HOU
}

// ExampleReservationsService_Create creates a housing and a reservation,
// and prints the reservation's stay and the path of its online check-in
// link, to share with the guests.
func ExampleReservationsService_Create() {
	ctx := context.Background()
	api := httptest.NewServer(chekintest.New())
	defer api.Close()
	c, err := chekin.New(chekintest.Email, chekintest.Password, partnerkit.WithBaseURL(api.URL))
	if err != nil {
		log.Fatal(err)
	}

	h, err := c.Housings.Create(ctx, &chekin.HousingCreateParams{
		Name:     "Amazing Housing",
		Type:     chekin.HousingVacationRental,
		Location: &chekin.Location{Country: "ES", Community: "ES-AN", Province: "ES-AL", Address: "Calle Mayor 1"},
	})
	if err != nil {
		log.Fatal(err)
	}
	r, err := c.Reservations.Create(ctx, &chekin.ReservationCreateParams{
		HousingID:             h.ID,
		CheckIn:               partnerkit.NewDate(2025, time.June, 25),
		CheckOut:              partnerkit.NewDate(2025, time.June, 30),
		DefaultLeaderFullName: "Ana García",
		DefaultInviteEmail:    "ana.garcia@example.org",
		GuestGroup:            &chekin.ExpectedGuests{NumberOfGuests: 2},
	})
	if err != nil {
		log.Fatal(err)
	}
	link, err := url.Parse(r.SignupFormLink)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(partnerkit.DateOf(r.CheckIn.Time), "to", partnerkit.DateOf(r.CheckOut.Time), "-", r.NightsOfStay, "nights")
	fmt.Println("guests expected:", r.GuestGroup.NumberOfGuests)
	fmt.Println("online check-in:", link.Path)
	// Output:
	// 2025-06-25 to 2025-06-30 - 5 nights
	// guests expected: 2
	// online check-in: /L/2ecc6d3e7b
}

// ExampleReservationsService_All walks every reservation, page after page:
// the fake pages by two.
func ExampleReservationsService_All() {
	ctx := context.Background()
	fake := chekintest.New()
	fake.SetPageSize(2)
	api := httptest.NewServer(fake)
	defer api.Close()
	c, err := chekin.New(chekintest.Email, chekintest.Password, partnerkit.WithBaseURL(api.URL))
	if err != nil {
		log.Fatal(err)
	}
	h, err := c.Housings.Create(ctx, &chekin.HousingCreateParams{Name: "Casa Azul"})
	if err != nil {
		log.Fatal(err)
	}
	for day := 1; day <= 5; day++ {
		in := partnerkit.NewDate(2025, time.July, day)
		if _, err := c.Reservations.Create(ctx, &chekin.ReservationCreateParams{HousingID: h.ID, CheckIn: in, CheckOut: in.AddDays(1)}); err != nil {
			log.Fatal(err)
		}
	}

	for r, err := range c.Reservations.All(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(partnerkit.DateOf(r.CheckIn.Time))
	}
	fmt.Println("pages fetched:", fake.Requests("GET /reservations/"))
	// Output:
	// 2025-07-01
	// 2025-07-02
	// 2025-07-03
	// 2025-07-04
	// 2025-07-05
	// pages fetched: 3
}

// Example_errors tells the kinds of failure apart: bad input refused before
// anything is sent, CheKin's answers as *partnerkit.Error, and refused
// credentials.
func Example_errors() {
	ctx := context.Background()
	api := httptest.NewServer(chekintest.New())
	defer api.Close()
	c, err := chekin.New(chekintest.Email, chekintest.Password, partnerkit.WithBaseURL(api.URL))
	if err != nil {
		log.Fatal(err)
	}

	_, err = c.Reservations.Create(ctx, &chekin.ReservationCreateParams{
		HousingID: "8ecaf8888f844a049c60da1d7b0d3f1d",
		CheckIn:   partnerkit.NewDate(2025, time.June, 30),
		CheckOut:  partnerkit.NewDate(2025, time.June, 25),
	})
	var invalid *partnerkit.ValidationError
	if errors.As(err, &invalid) {
		fmt.Println("not sent:", invalid.Field, invalid.Rule)
	}

	_, err = c.Housings.Get(ctx, "8ecaf8888f844a049c60da1d7b0d3f1d")
	var apiErr *partnerkit.Error
	if errors.Is(err, partnerkit.ErrNotFound) && errors.As(err, &apiErr) {
		fmt.Println("CheKin says:", apiErr.StatusCode, apiErr.Message)
	}

	_, err = c.Housings.Create(ctx, &chekin.HousingCreateParams{Name: "Casa", Location: &chekin.Location{Country: "Spain"}})
	if errors.Is(err, partnerkit.ErrInvalidRequest) && errors.As(err, &apiErr) {
		fmt.Println("refused field:", apiErr.FieldErrors["location.country"][0])
	}

	wrong, err := chekin.New(chekintest.Email, "not-the-password", partnerkit.WithBaseURL(api.URL))
	if err != nil {
		log.Fatal(err)
	}
	_, err = wrong.Housings.List(ctx, nil)
	if errors.Is(err, partnerkit.ErrUnauthorized) && errors.As(err, &apiErr) {
		fmt.Println("login refused:", apiErr.Message)
	}
	// Output:
	// not sent: CheckOut must be after CheckIn
	// CheKin says: 404 Not found.
	// refused field: "Spain" is not a valid choice.
	// login refused: Unable to log in with provided credentials.
}

// ExampleWebhookHandler receives Guest.created on a local receiver with a
// secret in its address, then reads the guest.
func ExampleWebhookHandler() {
	ctx := context.Background()
	fake := chekintest.New()
	api := httptest.NewServer(fake)
	defer api.Close()
	c, err := chekin.New(chekintest.Email, chekintest.Password, partnerkit.WithBaseURL(api.URL))
	if err != nil {
		log.Fatal(err)
	}
	h, err := c.Housings.Create(ctx, &chekin.HousingCreateParams{Name: "Casa Azul"})
	if err != nil {
		log.Fatal(err)
	}
	r, err := c.Reservations.Create(ctx, &chekin.ReservationCreateParams{
		HousingID: h.ID, CheckIn: partnerkit.NewDate(2025, time.June, 25), CheckOut: partnerkit.NewDate(2025, time.June, 30),
	})
	if err != nil {
		log.Fatal(err)
	}

	// The receiver answers at once and hands the guest's ID on; the server
	// that mounts it bounds how long a sender may take.
	guests := make(chan partnerkit.ID, 1)
	secret := chekin.NewWebhookSecret()
	handler, err := chekin.NewWebhookHandler(secret, func(_ context.Context, e *chekin.Event) error {
		if e.Name == chekin.EventGuestCreated {
			guests <- e.Data.GuestID
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	receiver := httptest.NewUnstartedServer(handler)
	receiver.Config = &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second}
	receiver.Start()
	defer receiver.Close()

	target, err := chekin.WebhookURL(receiver.URL+"/chekin", secret)
	if err != nil {
		log.Fatal(err)
	}
	hook, err := c.Webhooks.Create(ctx, &chekin.WebhookCreateParams{URL: target, Event: chekin.EventGuestCreated})
	if err != nil {
		log.Fatal(err)
	}

	// A guest checks in online; CheKin calls the receiver.
	if _, err := fake.AddGuest(ctx, string(r.ID), chekintest.Guest{Name: "Martin", Surname: "Perez", Nationality: "AR"}); err != nil {
		log.Fatal(err)
	}
	g, err := c.Guests.Get(ctx, <-guests)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(hook.Event, "->", g.FullName, g.Nationality.Name)
	// Output:
	// Guest.created -> MARTIN PEREZ Argentina
}
