// Package chekin is a client for the CheKin API v3: housings, reservations,
// guests and guest groups, and webhooks, for partners that keep their own
// system and CheKin in sync (online check-in, police and statistics
// registration).
//
// A client logs in with the account's e-mail and password when it first
// needs a token, sends it as "Authorization: JWT <token>", renews it a
// margin before it expires (CheKin tokens live one hour) and, when CheKin
// rejects it, renews it once and replays the call once. Only one renewal
// runs at a time, whatever the number of goroutines:
//
//	c, err := chekin.New(os.Getenv("CHEKIN_EMAIL"), os.Getenv("CHEKIN_PASSWORD"))
//	if err != nil {
//		return err
//	}
//	h, err := c.Housings.Create(ctx, &chekin.HousingCreateParams{
//		Name: "Amazing Housing",
//		Type: chekin.HousingVacationRental,
//		Location: &chekin.Location{Country: "ES", Community: "ES-AN", Province: "ES-AL", Address: "Calle Mayor 1"},
//	})
//	if errors.Is(err, partnerkit.ErrUnauthorized) {
//		// wrong e-mail or password: err carries CheKin's message
//	}
//	r, err := c.Reservations.Create(ctx, &chekin.ReservationCreateParams{
//		HousingID: h.ID,
//		CheckIn:   partnerkit.NewDate(2025, time.June, 25),
//		CheckOut:  partnerkit.NewDate(2025, time.June, 30),
//		DefaultLeaderFullName: "Name Surname",
//		DefaultInviteEmail:    "guest@example.org",
//	})
//	fmt.Println("online check-in:", r.SignupFormLink)
//
// CheKin tells the partner about new guests with webhooks. Subscribe a
// target that carries a secret, and serve it with a WebhookHandler, which
// checks the secret, caps the body and answers at once:
//
//	secret := chekin.NewWebhookSecret()
//	target, err := chekin.WebhookTarget("https://pms.example.com/chekin", secret)
//	hook, err := c.Webhooks.Create(ctx, &chekin.WebhookCreateParams{Target: target, Event: chekin.EventGuestCreated})
//	handler, err := chekin.NewWebhookHandler(secret, func(ctx context.Context, e *chekin.Event) error {
//		return queue.Push(e.Data.GuestID) // fetch it later with c.Guests.Get
//	})
//	http.Handle("/chekin", handler)
//
// Every unsuccessful answer is a *partnerkit.Error. CheKin's Django REST
// Framework bodies are read into Message (detail, non_field_errors, the
// coded form's message), Code (the coded form's code, such as "4002") and
// FieldErrors keyed by the field's path, such as "location.country".
//
// The package chekintest is an in-memory CheKin for tests.
package chekin
