// Package chekin is a client for the CheKin API v3 (guest online check-in,
// police and statistics registration), for partners that keep their own
// system and CheKin in sync: housings, reservations, guests and webhooks.
//
//	c, err := chekin.New(os.Getenv("CHEKIN_EMAIL"), os.Getenv("CHEKIN_PASSWORD"))
//	if err != nil {
//		return err
//	}
//	h, err := c.Housings.Create(ctx, &chekin.HousingCreateParams{
//		Name:     "Amazing Housing",
//		Type:     chekin.HousingVacationRental,
//		Location: &chekin.Location{Country: "ES", Community: "ES-AN", Province: "ES-AL", Address: "Calle Mayor 1"},
//	})
//	if errors.Is(err, partnerkit.ErrUnauthorized) {
//		// wrong e-mail or password: err carries CheKin's message
//	}
//	r, err := c.Reservations.Create(ctx, &chekin.ReservationCreateParams{
//		HousingID: h.ID,
//		CheckIn:   partnerkit.NewDate(2025, time.June, 25),
//		CheckOut:  partnerkit.NewDate(2025, time.June, 30),
//	})
//	fmt.Println("online check-in:", r.SignupFormLink)
//	for r, err := range c.Reservations.All(ctx, nil) { ... }
//
// A client logs in with the account's e-mail and password when it first
// needs a token, sends it as "Authorization: JWT <token>" and renews it a
// margin before it expires (CheKin tokens live one hour): a token still
// valid is refreshed, an expired one replaced by a login. When CheKin
// refuses a token, with a 401 or, behind Django REST Framework's session
// authentication, a 403 whose body says so, the client renews it once and
// sends the call once more. Only one renewal runs at a time, whatever the
// number of goroutines; with WithTokenStore, whatever the number of
// processes: the replicas of a service that share a store (such as the
// redisfleet module's TokenStore on Redis) log in once per token lifetime,
// together, and only the token goes to the store. Printing a client shows
// no credential.
//
// # Services and methods
//
//	Housings      List(ctx, *HousingListParams) (*Page[Housing], error)
//	              All(ctx, *HousingListParams) iter.Seq2[Housing, error]
//	              Create(ctx, *HousingCreateParams) (*Housing, error)
//	              Get(ctx, id) (*Housing, error)
//	              Update(ctx, id, *HousingUpdateParams) (*Housing, error)
//	              Delete(ctx, id) error
//	Reservations  List(ctx, *ReservationListParams) (*Page[Reservation], error)
//	              All(ctx, *ReservationListParams) iter.Seq2[Reservation, error]
//	              Create(ctx, *ReservationCreateParams) (*Reservation, error)
//	              Get(ctx, id) (*Reservation, error)
//	              Update(ctx, id, *ReservationUpdateParams) (*Reservation, error)
//	              Delete(ctx, id) error
//	              ResendToPolice(ctx, id) error
//	              ResendToStatistics(ctx, id) error
//	Guests        Get(ctx, id) (*Guest, error)
//	              Update(ctx, id, *GuestUpdateParams) (*Guest, error)
//	GuestGroups   Get(ctx, id) (*GuestGroup, error)
//	Webhooks      List(ctx, *WebhookListParams) (*Page[Webhook], error)
//	              All(ctx, *WebhookListParams) iter.Seq2[Webhook, error]
//	              Create(ctx, *WebhookCreateParams) (*Webhook, error)
//	              Delete(ctx, id) error
//	Users         ChangePassword(ctx, oldPassword, newPassword) (*User, error)
//
// and, beside the services:
//
//	Client.Token(ctx) (string, error)
//	Register(ctx, *RegisterParams, opts...) (*Client, error)
//	NewWebhookSecret() string
//	WebhookURL(receiverURL, secret) (string, error)
//	NewWebhookHandler(secret, EventFunc) (*WebhookHandler, error)
//	ParseEvent(body) (*Event, error)
//
// Register creates an account for one of the partner's users and returns
// a client for it. A list's page is a Page: Items, DRF's count as Total,
// and the Next and Prev links, nil on the last and the first page; All
// follows the links on the client's own base URL.
//
// # Webhooks
//
// CheKin tells the partner about new guests with webhooks. Subscribe a
// URL that carries a secret, and serve it with a WebhookHandler, which
// checks the secret in constant time, caps the body and answers at once;
// give the server that mounts it a ReadHeaderTimeout and a ReadTimeout:
//
//	secret := chekin.NewWebhookSecret()
//	url, err := chekin.WebhookURL("https://pms.example.com/chekin", secret)
//	hook, err := c.Webhooks.Create(ctx, &chekin.WebhookCreateParams{URL: url, Event: chekin.EventGuestCreated})
//	handler, err := chekin.NewWebhookHandler(secret, func(ctx context.Context, e *chekin.Event) error {
//		return queue.Push(e.Data.GuestID) // fetch it later with c.Guests.Get
//	})
//	srv := &http.Server{Addr: ":8443", Handler: handler, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second}
//
// # Errors
//
// Every unsuccessful answer is a *partnerkit.Error. CheKin's Django REST
// Framework bodies are read into Message (detail, non_field_errors, the
// coded form's message), Code (the coded form's code, such as "4002", or
// DRF's, such as CodeTokenNotValid) and FieldErrors keyed by the field's
// path, such as "location.country"; Details is nil or an *ErrorDetails.
//
// The package chekintest is an in-memory CheKin for tests.
//
// # Examples
//
// Runnable examples, which go test runs against chekintest: Example
// (construction and List), ExampleReservationsService_All,
// ExampleReservationsService_Create, Example_errors, ExampleWebhookHandler
// and ExampleWithTokenStore.
package chekin
