package chekintest_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/chekin"
	"github.com/partnerkit/partnerkit-go/chekin/chekintest"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

var ctx = context.Background()

func start(t *testing.T, opts ...chekintest.Option) (*chekintest.Server, string) {
	t.Helper()
	fake := chekintest.New(opts...)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, srv.URL
}

func date(s string) partnerkit.Date {
	d, err := partnerkit.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestEndToEnd(t *testing.T) {
	t.Parallel()
	fake, url := start(t)
	fake.SetPageSize(2)
	c, err := chekin.New(chekintest.Email, chekintest.Password, partnerkit.WithBaseURL(url+"/api/v3"))
	require.NoError(t, err)

	h, err := c.Housings.Create(ctx, &chekin.HousingCreateParams{
		Name: "Amazing Housing", Type: chekin.HousingVacationRental,
		Location: &chekin.Location{Country: "ES", Community: "ES-AN", Province: "ES-AL", Address: "Calle Mayor 1"},
	})
	require.NoError(t, err)
	require.Len(t, string(h.ID), 32)
	require.Contains(t, h.URL, "/api/v3/housings/"+string(h.ID[:8])+"-")
	require.Equal(t, chekin.LocationCode("ES-AL"), h.Location.Province)

	h, err = c.Housings.Update(ctx, h.ID, &chekin.HousingUpdateParams{Name: ptr("Super-Amazing housing")})
	require.NoError(t, err)
	require.Equal(t, "Super-Amazing housing", h.Name)
	require.Equal(t, chekin.HousingVacationRental, h.Type, "a partial update keeps the other fields")

	for i := range 4 {
		_, err := c.Housings.Create(ctx, &chekin.HousingCreateParams{Name: "Extra " + string(rune('A'+i))})
		require.NoError(t, err)
	}
	page, err := c.Housings.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 5, page.Total)
	require.NotNil(t, page.Next)
	require.True(t, strings.HasPrefix(*page.Next, url+"/api/v3/housings/?page=2"), *page.Next)
	require.Nil(t, page.Prev, "null on the first page")
	var names []string
	for got, err := range c.Housings.All(ctx, nil) {
		require.NoError(t, err)
		names = append(names, got.Name)
	}
	require.Equal(t, []string{"Super-Amazing housing", "Extra A", "Extra B", "Extra C", "Extra D"}, names)
	filtered, err := c.Housings.List(ctx, &chekin.HousingListParams{Name: "Extra C"})
	require.NoError(t, err)
	require.Equal(t, 1, filtered.Total)

	r, err := c.Reservations.Create(ctx, &chekin.ReservationCreateParams{
		HousingID: h.ID, CheckIn: date("2025-06-25"), CheckOut: date("2025-06-30"),
		DefaultLeaderFullName: "Name Surname", DefaultInviteEmail: "guest@example.org",
	})
	require.NoError(t, err)
	require.True(t, time.Date(2025, 6, 25, 0, 0, 0, 0, time.UTC).Equal(r.CheckIn.Time), "the date-time the fake sends: %v", r.CheckIn)
	require.EqualValues(t, 5, r.NightsOfStay)
	require.True(t, chekin.SameID(h.ID, r.HousingID))
	require.NotEmpty(t, r.SignupFormLink)
	require.NotNil(t, r.GuestGroup)
	require.Empty(t, r.GuestGroup.Members)

	r, err = c.Reservations.Update(ctx, r.ID, &chekin.ReservationUpdateParams{CheckOut: ptr(date("2025-07-01"))})
	require.NoError(t, err)
	require.EqualValues(t, 6, r.NightsOfStay)

	// A receiver subscribed for Guest.created.
	var mu sync.Mutex
	var events []*chekin.Event
	secret := chekin.NewWebhookSecret()
	handler, err := chekin.NewWebhookHandler(secret, func(_ context.Context, e *chekin.Event) error {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, e)
		return nil
	})
	require.NoError(t, err)
	receiver := httptest.NewServer(handler)
	defer receiver.Close()
	target, err := chekin.WebhookURL(receiver.URL+"/chekin", secret)
	require.NoError(t, err)
	hook, err := c.Webhooks.Create(ctx, &chekin.WebhookCreateParams{URL: target, Event: chekin.EventGuestCreated})
	require.NoError(t, err)
	require.Equal(t, target, hook.URL)

	guestID, err := fake.AddGuest(ctx, dashedID(string(r.ID)), chekintest.Guest{Name: "Martin", Surname: "Perez", Nationality: "AR"})
	require.NoError(t, err)
	require.Len(t, fake.Deliveries(), 1)
	require.Equal(t, http.StatusOK, fake.Deliveries()[0].StatusCode)
	mu.Lock()
	require.Len(t, events, 1)
	e := events[0]
	mu.Unlock()
	require.Equal(t, chekin.EventGuestCreated, e.Name)
	require.Equal(t, hook.ID, e.Hook.ID)
	require.Equal(t, partnerkit.ID(guestID), e.Data.GuestID)
	require.True(t, chekin.SameID(r.ID, e.Data.ReservationID))
	require.Equal(t, chekin.OriginOnline, e.Data.GuestOrigin)

	g, err := c.Guests.Get(ctx, partnerkit.ID(dashedID(guestID)))
	require.NoError(t, err)
	require.Equal(t, "MARTIN PEREZ", g.FullName)
	require.Equal(t, &chekin.Country{Code: "AR", Alpha3: "ARG", Name: "Argentina"}, g.Nationality)
	require.Equal(t, chekin.StatusNotUsed, g.Statuses.Police.In.Code)
	require.Contains(t, g.Extras, "origin")

	g, err = c.Guests.Update(ctx, g.ID, &chekin.GuestUpdateParams{Surname: ptr("Perez Garcia"), Document: &chekin.DocumentChanges{Number: ptr("XYZ123")}})
	require.NoError(t, err)
	require.Equal(t, "PEREZ GARCIA", g.Surname)
	require.Equal(t, "XYZ123", g.Document.Number)

	grp, err := c.GuestGroups.Get(ctx, r.GuestGroup.ID)
	require.NoError(t, err)
	require.Len(t, grp.Members, 1)
	require.Equal(t, g.ID, grp.Leader().ID)

	require.NoError(t, c.Reservations.ResendToPolice(ctx, r.ID))
	require.NoError(t, c.Reservations.ResendToStatistics(ctx, r.ID))

	hooks, err := c.Webhooks.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 1, hooks.Total)
	require.Len(t, fake.Housings(), 5)
	require.NoError(t, c.Webhooks.Delete(ctx, hook.ID))
	require.NoError(t, c.Reservations.Delete(ctx, r.ID))
	_, err = c.Reservations.Get(ctx, r.ID)
	require.ErrorIs(t, err, partnerkit.ErrNotFound)
	_, err = c.Guests.Get(ctx, g.ID)
	require.ErrorIs(t, err, partnerkit.ErrNotFound)
	require.NoError(t, c.Housings.Delete(ctx, h.ID))
	require.Equal(t, 1, fake.TokenRequests(), "one login for the whole run")
}

func TestTokensExpireOnTheFakesClock(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC))
	fake, url := start(t, chekintest.WithClock(clk.Now))
	c, err := chekin.New(chekintest.Email, chekintest.Password, partnerkit.WithBaseURL(url), transport.WithClock(clk))
	require.NoError(t, err)
	_, err = c.Housings.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 1, fake.TokenRequests())

	clk.Advance(56 * time.Minute)
	_, err = c.Housings.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 2, fake.TokenRequests(), "renewed through /token/refresh/ before expiry")

	fake.ExpireTokens()
	_, err = c.Housings.List(ctx, nil)
	require.NoError(t, err, "a 401, then a login and one replay")
	require.Equal(t, 3, fake.TokenRequests())

	fake.ExpireTokens()
	clk.Advance(56 * time.Minute)
	before := fake.Requests("")
	_, err = c.Housings.List(ctx, nil)
	require.NoError(t, err, "the refresh of a revoked token is refused; the client logs in instead")
	require.Equal(t, 5, fake.TokenRequests(), "a refused refresh and a login")
	require.Equal(t, 2, fake.Requests("POST /token/refresh/"))
	require.Equal(t, before+3, fake.Requests(""), "refused refresh, login, call")

	// A client whose clock is wrong: the fake sees the token expired.
	stale, err := chekin.New(chekintest.Email, chekintest.Password, partnerkit.WithBaseURL(url), chekin.WithTokenMargin(0))
	require.NoError(t, err)
	_, err = stale.Token(ctx)
	require.NoError(t, err)
	clk.Advance(2 * time.Hour)
	_, err = stale.Housings.List(ctx, nil)
	require.NoError(t, err, "the 401 is answered with one renewal and one replay")
}

func TestWrongPasswordIsUnauthorized(t *testing.T) {
	t.Parallel()
	fake, url := start(t)
	c, err := chekin.New(chekintest.Email, "wrong-password", partnerkit.WithBaseURL(url))
	require.NoError(t, err)
	_, err = c.Reservations.List(ctx, nil)
	require.ErrorIs(t, err, partnerkit.ErrUnauthorized)
	require.ErrorContains(t, err, "Unable to log in with provided credentials.")
	require.NotContains(t, err.Error(), "wrong-password")
	require.Equal(t, 1, fake.Requests(""))
	require.Equal(t, 1, fake.Requests("POST /token/"))
}

func TestRegistrationAndPasswordChange(t *testing.T) {
	t.Parallel()
	fake, url := start(t)
	c, err := chekin.Register(ctx, &chekin.RegisterParams{Email: "new.user@example.com", Password: "first-password", Origin: chekintest.Origin},
		partnerkit.WithBaseURL(url))
	require.NoError(t, err)
	_, err = c.Housings.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 1, fake.Requests("POST /auth/registration/"))
	require.Zero(t, fake.TokenRequests(), "the registration's token is used")

	_, err = c.Users.ChangePassword(ctx, "not-the-password", "second-password")
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, map[string][]string{"old_password": {"Wrong password."}}, apiErr.FieldErrors)

	u, err := c.Users.ChangePassword(ctx, "first-password", "second-password")
	require.NoError(t, err)
	require.Equal(t, "new.user@example.com", u.Email)
	fake.ExpireTokens()
	_, err = c.Housings.List(ctx, nil)
	require.NoError(t, err, "logged in again with the new password")

	_, err = chekin.Register(ctx, &chekin.RegisterParams{Email: "new.user@example.com", Password: "x-password", Origin: chekintest.Origin},
		partnerkit.WithBaseURL(url))
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)
	require.ErrorAs(t, err, &apiErr)
	require.Contains(t, apiErr.FieldErrors, "email")
}

func TestFailNext(t *testing.T) {
	t.Parallel()
	fake, url := start(t)
	c, err := chekin.New(chekintest.Email, chekintest.Password, partnerkit.WithBaseURL(url),
		partnerkit.WithRetryBackoff(time.Millisecond, time.Millisecond), transport.WithClock(clock.NewAutoFake(time.Now())))
	require.NoError(t, err)
	_, err = c.Token(ctx)
	require.NoError(t, err)

	fake.FailNext(1, http.StatusServiceUnavailable)
	_, err = c.Housings.List(ctx, nil)
	require.NoError(t, err, "a GET is retried")

	fake.FailNext(1, http.StatusServiceUnavailable)
	_, err = c.Housings.Create(ctx, &chekin.HousingCreateParams{Name: "Once"})
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Equal(t, 1, fake.Requests("POST /housings/"), "a create is not sent twice")
	page, err := c.Housings.List(ctx, nil)
	require.NoError(t, err)
	require.Zero(t, page.Total)

	fake.FailNext(1, http.StatusTooManyRequests)
	_, err = c.Housings.Create(ctx, &chekin.HousingCreateParams{Name: "After 429"})
	require.NoError(t, err, "a 429 is retried even for a create")
}

func TestFakeAnswersLikeCheKin(t *testing.T) {
	t.Parallel()
	fake, url := start(t)
	get := func(method, path, auth, body string) (int, map[string]any) {
		return do(t, method, url+path, auth, body)
	}
	status, body := get(http.MethodGet, "/api/v3/housings/", "", "")
	require.Equal(t, 401, status)
	require.Equal(t, map[string]any{"code": 4002.0, "message": "Invalid Authorization header. No credentials provided.", "status_code": 401.0, "errors": []any{}}, body)

	status, body = get(http.MethodPost, "/api/v3/token/", "", `{"email":"`+chekintest.Email+`","password":"nope"}`)
	require.Equal(t, 400, status)
	require.Equal(t, map[string]any{"non_field_errors": []any{"Unable to log in with provided credentials."}}, body)

	status, body = get(http.MethodPost, "/token/", "", `{"email":"`+chekintest.Email+`","password":"`+chekintest.Password+`"}`)
	require.Equal(t, 200, status)
	token := body["token"].(string)

	status, _ = get(http.MethodGet, "/housings/", "Bearer "+token, "")
	require.Equal(t, 401, status, "the scheme is JWT")
	status, body = get(http.MethodGet, "/housings/", "JWT "+token+"x", "")
	require.Equal(t, 401, status)
	require.Equal(t, "Error decoding signature.", body["detail"])
	status, _ = get(http.MethodPut, "/housings/", "JWT "+token, "{}")
	require.Equal(t, 405, status)
	status, body = get(http.MethodGet, "/housings/?page=9", "JWT "+token, "")
	require.Equal(t, 404, status)
	require.Equal(t, "Invalid page.", body["detail"])
	status, body = get(http.MethodPost, "/reservations/", "JWT "+token, `{"check_in_date":"2025-06-25"}`)
	require.Equal(t, 400, status)
	require.Equal(t, map[string]any{"check_out_date": []any{"This field is required."}, "housing_id": []any{"This field is required."}}, body)
	status, body = get(http.MethodPost, "/housings/", "JWT "+token, `{"name":"A","location":{"country":"Spain"}}`)
	require.Equal(t, 400, status)
	require.Equal(t, map[string]any{"location": map[string]any{"country": []any{`"Spain" is not a valid choice.`}}}, body)
	_, err := fake.AddGuest(ctx, "nope", chekintest.Guest{})
	require.Error(t, err)
}

func TestAFailedDeliveryIsReported(t *testing.T) {
	t.Parallel()
	fake, url := start(t)
	c, err := chekin.New(chekintest.Email, chekintest.Password, partnerkit.WithBaseURL(url))
	require.NoError(t, err)
	h, err := c.Housings.Create(ctx, &chekin.HousingCreateParams{Name: "H"})
	require.NoError(t, err)
	r, err := c.Reservations.Create(ctx, &chekin.ReservationCreateParams{HousingID: h.ID, CheckIn: date("2025-06-25"), CheckOut: date("2025-06-26")})
	require.NoError(t, err)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) }))
	defer receiver.Close()
	_, err = c.Webhooks.Create(ctx, &chekin.WebhookCreateParams{URL: receiver.URL + "/hook", Event: chekin.EventGuestCreated})
	require.NoError(t, err)
	id, err := fake.AddGuest(ctx, string(r.ID), chekintest.Guest{})
	require.ErrorContains(t, err, "418")
	require.NotEmpty(t, id, "the guest is added anyway")
	require.Equal(t, http.StatusTeapot, fake.Deliveries()[0].StatusCode)
}

func ptr[T any](v T) *T { return &v }

func dashedID(id string) string {
	return id[:8] + "-" + id[8:12] + "-" + id[12:16] + "-" + id[16:20] + "-" + id[20:]
}

// jwtClaims returns the claims of a token the fake issued.
func jwtClaims(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	require.Len(t, parts, 3)
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var claims map[string]any
	require.NoError(t, json.Unmarshal(payload, &claims))
	return claims
}

func TestTokensCarryIatAndExp(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	fake, url := start(t, chekintest.WithClock(func() time.Time { return now }))
	fake.SetTokenLifetime(30 * time.Minute)
	c, err := chekin.New(chekintest.Email, chekintest.Password, partnerkit.WithBaseURL(url))
	require.NoError(t, err)
	tok, err := c.Token(ctx)
	require.NoError(t, err)
	claims := jwtClaims(t, tok)
	require.EqualValues(t, now.Unix(), claims["iat"])
	require.EqualValues(t, now.Add(30*time.Minute).Unix(), claims["exp"])

	fake.SetClockBehind(2 * time.Hour)
	other, err := chekin.New(chekintest.Email, chekintest.Password, partnerkit.WithBaseURL(url))
	require.NoError(t, err)
	late, err := other.Token(ctx)
	require.NoError(t, err)
	claims = jwtClaims(t, late)
	require.EqualValues(t, now.Add(-2*time.Hour).Unix(), claims["iat"], "stamped by the late clock")
}

// TestAnIdleClientLogsInWithoutAWastedRefresh: after a gap longer than the
// token's life, the fake refuses a refresh as DRF's JWT packages do; the
// client does not ask for one, and logs in.
func TestAnIdleClientLogsInWithoutAWastedRefresh(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC))
	fake, url := start(t, chekintest.WithClock(clk.Now))
	c, err := chekin.New(chekintest.Email, chekintest.Password, partnerkit.WithBaseURL(url), transport.WithClock(clk))
	require.NoError(t, err)
	expired, err := c.Token(ctx)
	require.NoError(t, err)
	clk.Advance(3 * time.Hour)
	_, err = c.Housings.List(ctx, nil)
	require.NoError(t, err)
	require.Zero(t, fake.Requests("POST /token/refresh/"))
	require.Equal(t, 2, fake.Requests("POST /token/"))
	require.Equal(t, 3, fake.Requests(""), "two logins and the call")

	// The fake does refuse such a refresh, both ways.
	for _, simple := range []bool{false, true} {
		if simple {
			fake.SetSimpleJWT(http.StatusUnauthorized)
		}
		status, body := do(t, http.MethodPost, url+"/token/refresh/", "", `{"token":"`+expired+`"}`)
		if simple {
			require.Equal(t, 401, status)
			require.Equal(t, map[string]any{"detail": "Token is invalid or expired", "code": "token_not_valid"}, body)
		} else {
			require.Equal(t, 400, status)
			require.Equal(t, map[string]any{"non_field_errors": []any{"Signature has expired."}}, body)
		}
	}
}

// TestSimpleJWTBehindSessionAuthentication: the fake answers a refused
// token with simplejwt's 403; the client renews the token once and replays
// the call once.
func TestSimpleJWTBehindSessionAuthentication(t *testing.T) {
	t.Parallel()
	fake, url := start(t)
	fake.SetSimpleJWT(http.StatusForbidden)
	c, err := chekin.New(chekintest.Email, chekintest.Password, partnerkit.WithBaseURL(url))
	require.NoError(t, err)
	tok, err := c.Token(ctx)
	require.NoError(t, err)
	fake.ExpireTokens()

	status, body := do(t, http.MethodGet, url+"/housings/", "JWT "+tok, "")
	require.Equal(t, 403, status)
	require.Equal(t, "token_not_valid", body["code"])
	require.Equal(t, "Given token not valid for any token type", body["detail"])
	require.Equal(t, []any{map[string]any{"token_class": "AccessToken", "token_type": "access", "message": "Token is expired"}}, body["messages"])

	h, err := c.Housings.Create(ctx, &chekin.HousingCreateParams{Name: "Casa"})
	require.NoError(t, err)
	require.Equal(t, "Casa", h.Name)
	require.Equal(t, 2, fake.Requests("POST /housings/"), "the refused call and one replay")
	require.Equal(t, 2, fake.Requests("POST /token/"), "a login, and one after the refusal")
	require.Len(t, fake.Housings(), 1, "created once")
}

// TestAServerWhoseClockIsBehind issues tokens already past their exp by
// the client's clock; the client keeps each for its lifetime.
func TestAServerWhoseClockIsBehind(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC))
	fake, url := start(t, chekintest.WithClock(clk.Now))
	fake.SetClockBehind(3 * time.Hour)
	c, err := chekin.New(chekintest.Email, chekintest.Password, partnerkit.WithBaseURL(url), transport.WithClock(clk))
	require.NoError(t, err)
	for range 11 {
		_, err := c.Housings.List(ctx, nil)
		require.NoError(t, err)
		clk.Advance(5 * time.Minute)
	}
	require.Equal(t, 1, fake.TokenRequests(), "one token for 50 minutes")
	require.Equal(t, 11, fake.Requests("GET /housings/"))
	_, err = c.Housings.List(ctx, nil) // at 55 minutes: renewed, a margin before the token's hour is over
	require.NoError(t, err)
	require.Equal(t, 2, fake.TokenRequests())
	require.Equal(t, 1, fake.Requests("POST /token/refresh/"), "refreshed while still valid on the fake's clock")
	require.Equal(t, 12, fake.Requests("GET /housings/"), "never refused")
}

func TestRequestsAreCountedByRoute(t *testing.T) {
	t.Parallel()
	fake, url := start(t)
	c, err := chekin.New(chekintest.Email, chekintest.Password, partnerkit.WithBaseURL(url+"/api/v3"))
	require.NoError(t, err)
	h, err := c.Housings.Create(ctx, &chekin.HousingCreateParams{Name: "A"})
	require.NoError(t, err)
	_, err = c.Housings.Get(ctx, h.ID)
	require.NoError(t, err)
	_, err = c.Housings.Get(ctx, partnerkit.ID(dashedID(string(h.ID))))
	require.NoError(t, err)
	require.Equal(t, 1, fake.Requests("POST /token/"))
	require.Equal(t, 1, fake.Requests("POST /housings/"))
	require.Equal(t, 2, fake.Requests("GET /housings/{id}/"))
	require.Zero(t, fake.Requests("GET /housings/"))
	require.Equal(t, 4, fake.Requests(""))
}

// TestSetRateLimitThrottlesOneRoute: a DRF scoped throttle on the token
// endpoint answers 429 with Retry-After on that route only; the client
// waits what it asks and logs in.
func TestSetRateLimitThrottlesOneRoute(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC))
	fake, url := start(t, chekintest.WithClock(clk.Now))
	fake.SetRateLimit("POST /token/", 1, 3*time.Second)
	status, _ := do(t, http.MethodPost, url+"/token/", "", `{"email":"`+chekintest.Email+`","password":"`+chekintest.Password+`"}`)
	require.Equal(t, 200, status)

	req, err := http.NewRequest(http.MethodPost, url+"/token/", strings.NewReader(`{}`))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, 429, resp.StatusCode)
	require.Equal(t, "3", resp.Header.Get("Retry-After"))
	require.JSONEq(t, `{"detail":"Request was throttled. Expected available in 3 seconds."}`, string(data))
	status, _ = do(t, http.MethodGet, url+"/housings/", "", "")
	require.Equal(t, 401, status, "other routes are not throttled")

	c, err := chekin.New(chekintest.Email, chekintest.Password, partnerkit.WithBaseURL(url), transport.WithClock(clk))
	require.NoError(t, err)
	_, err = c.Housings.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, []time.Duration{3 * time.Second}, clk.Sleeps(), "waited what the throttle asked")
	require.Equal(t, 4, fake.Requests("POST /token/"))

	fake.SetRateLimit("POST /token/", 0, 0)
	status, _ = do(t, http.MethodPost, url+"/token/", "", `{}`)
	require.Equal(t, 400, status, "the throttle is gone")
}

func TestFailNextAnswersCheKinsBodies(t *testing.T) {
	t.Parallel()
	fake, url := start(t)
	for status, want := range map[int]map[string]any{
		401: {"code": 4002.0, "message": "Invalid Authorization header. No credentials provided.", "status_code": 401.0, "errors": []any{}},
		429: {"detail": "Request was throttled. Expected available in 1 second."},
		402: {"detail": "No valid subscription."},
		503: {"detail": "Service Unavailable"},
	} {
		fake.FailNext(1, status)
		got, body := do(t, http.MethodGet, url+"/housings/", "", "")
		require.Equal(t, status, got)
		require.Equal(t, want, body)
	}
}

// do sends one request to the fake and returns the status and the decoded
// body.
func do(t *testing.T, method, url, auth, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	return resp.StatusCode, out
}

// TestLimitIsThePageSize: the fake honours DRF's page_size, and its next
// links keep it.
func TestLimitIsThePageSize(t *testing.T) {
	t.Parallel()
	fake, url := start(t)
	c, err := chekin.New(chekintest.Email, chekintest.Password, partnerkit.WithBaseURL(url))
	require.NoError(t, err)
	for _, name := range []string{"A", "B", "C"} {
		_, err := c.Housings.Create(ctx, &chekin.HousingCreateParams{Name: name})
		require.NoError(t, err)
	}
	page, err := c.Housings.List(ctx, &chekin.HousingListParams{Limit: 2})
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	require.Equal(t, 3, page.Total)
	require.NotNil(t, page.Next)
	require.Contains(t, *page.Next, "page_size=2")
	var names []string
	for h, err := range c.Housings.All(ctx, &chekin.HousingListParams{Limit: 2}) {
		require.NoError(t, err)
		names = append(names, h.Name)
	}
	require.Equal(t, []string{"A", "B", "C"}, names)
	require.Equal(t, 3, fake.Requests("GET /housings/"))
}
