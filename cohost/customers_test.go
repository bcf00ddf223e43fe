package cohost_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/cohost"
)

func TestCustomersRegister(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/customers/register", 201, `{"user_id":200,"email":"customer@example.com","full_name":"Nguyen Van A",
"teams":[1,2],"message":"Customer registered successfully. Please verify email to activate account.","requires_email_verification":true}`)
	reg, err := h.c.Customers.Register(ctx, &cohost.CustomerRegisterParams{
		Email: "customer@example.com", FullName: "Nguyen Van A", Phone: "+84901234567", Password: "SecurePassword123",
	})
	require.NoError(t, err)
	r := h.last(t)
	require.JSONEq(t, `{"email":"customer@example.com","full_name":"Nguyen Van A","phone":"+84901234567","password":"SecurePassword123"}`, r.Body)
	require.Equal(t, &cohost.Registration{
		UserID: "200", Email: "customer@example.com", FullName: "Nguyen Van A", Teams: cohost.TeamIDs{"1", "2"},
		Message:                   "Customer registered successfully. Please verify email to activate account.",
		RequiresEmailVerification: true,
	}, reg)
}

func TestCustomersRegisterIsNotRetried(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/customers/register", 503, `{"detail":"Service Unavailable"}`)
	_, err := h.c.Customers.Register(ctx, &cohost.CustomerRegisterParams{Email: "a@b.co", FullName: "A", Phone: "+84901234567", Password: "pw-123456"})
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Len(t, h.Requests(), 1)
}

func TestCustomersList(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/customers", 200, `{"items":[{"id":200,"email":"customer@example.com","full_name":"Nguyen Van A",
"phone":"+84901234567","teams":[{"id":1,"name":"Team A"},{"id":2}],"email_verified":true,"status":"ACTIVE"}],"total":1,"page":1,"limit":20}`)
	page, err := h.c.Customers.List(ctx, &cohost.CustomerListParams{TeamID: "1"})
	require.NoError(t, err)
	require.Equal(t, map[string][]string{"team_id": {"1"}}, h.last(t).Query)
	require.Len(t, page.Items, 1)
	c := page.Items[0]
	require.Equal(t, partnerkit.ID("200"), c.ID)
	require.Equal(t, cohost.TeamIDs{"1", "2"}, c.Teams)
	require.True(t, c.EmailVerified)
}

func TestCustomersListAcceptsABareArray(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/customers", 200, `[{"user_id":200,"email":"a@b.co"},{"user_id":201,"email":"c@d.co","teams":["3"]}]`)
	var ids []partnerkit.ID
	for c, err := range h.c.Customers.All(ctx, nil) {
		require.NoError(t, err)
		ids = append(ids, c.ID)
	}
	require.Equal(t, []partnerkit.ID{"200", "201"}, ids)
	require.Len(t, h.Requests(), 1)
}

func TestCustomersGetUpdateRemove(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/customers/200", 200, `{"id":200,"email":"customer@example.com","full_name":"Nguyen Van A"}`)
	h.on(http.MethodPatch, "/customers/200", 200, `{"id":200,"email":"customer@example.com","full_name":"Nguyen Van B","phone":"+84987654321"}`)
	h.on(http.MethodDelete, "/customers/200/teams/1", 200, `{"message":"Customer removed from team"}`)

	c, err := h.c.Customers.Get(ctx, "200")
	require.NoError(t, err)
	require.Equal(t, "Nguyen Van A", c.FullName)

	c, err = h.c.Customers.Update(ctx, "200", &cohost.CustomerUpdateParams{FullName: ptr("Nguyen Van B"), Phone: ptr("+84987654321")})
	require.NoError(t, err)
	require.Equal(t, "+84987654321", c.Phone)

	_, err = h.c.Customers.Update(ctx, "200", &cohost.CustomerUpdateParams{FullName: ptr("Nguyen Van C")})
	require.NoError(t, err)

	n, err := h.c.Customers.RemoveFromTeam(ctx, "200", "1")
	require.NoError(t, err)
	require.Equal(t, "Customer removed from team", n.Message)

	require.Len(t, h.Requests(), 4)
	require.Equal(t, "GET", h.Requests()[0].Method)
	require.Equal(t, "PATCH", h.Requests()[1].Method)
	require.JSONEq(t, `{"full_name":"Nguyen Van B","phone":"+84987654321"}`, h.Requests()[1].Body)
	require.JSONEq(t, `{"full_name":"Nguyen Van C"}`, h.Requests()[2].Body, "only the fields set are sent")
	require.Equal(t, "DELETE", h.Requests()[3].Method)
	require.Equal(t, "/api/v1/external/customers/200/teams/1", h.Requests()[3].Path)
}

func TestCustomersLoginStatusAndResend(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/customers/200/login-status", 200, `{"user_id":200,"email":"a@b.co","email_verified":false,"is_active":true,"last_login_at":null}`)
	h.on(http.MethodPost, "/customers/200/resend-verification", 200, `{"message":"Verification email sent"}`)
	st, err := h.c.Customers.LoginStatus(ctx, "200")
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("200"), st.UserID)
	require.False(t, st.EmailVerified)
	require.True(t, st.IsActive)
	require.True(t, st.LastLoginAt.IsZero())
	n, err := h.c.Customers.ResendVerification(ctx, "200")
	require.NoError(t, err)
	require.Equal(t, "Verification email sent", n.Message)
	require.Equal(t, "POST", h.Requests()[1].Method)
	require.Empty(t, h.Requests()[1].Body)
}

func customerToken(t *testing.T, exp time.Time) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "200", "exp": exp.Unix()}).SignedString([]byte("k"))
	require.NoError(t, err)
	return s
}

func TestLoginAndTheCustomerSession(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	token := customerToken(t, epoch.Add(24*time.Hour))
	h.on(http.MethodPost, "/customers/login", 200, fmt.Sprintf(`{"access_token":%q,"token_type":"Bearer","expires_in":86400,
"user_id":200,"email":"customer@example.com","full_name":"Nguyen Van A","teams":[1,2,3]}`, token))
	h.on(http.MethodGet, cohost.CustomerBookingsPath, 200, `{"items":[`+bookingJSON+`],"total":1,"page":1,"limit":20}`)
	h.on(http.MethodPost, cohost.CustomerBookingsPath, 201, bookingJSON)

	s, err := h.c.Customers.Login(ctx, "customer@example.com", "SecurePassword123")
	require.NoError(t, err)
	require.JSONEq(t, `{"email":"customer@example.com","password":"SecurePassword123"}`, h.Requests()[0].Body)
	require.Equal(t, partnerkit.ID("200"), s.UserID)
	require.Equal(t, cohost.TeamIDs{"1", "2", "3"}, s.Teams)
	require.Equal(t, epoch.Add(24*time.Hour), s.ExpiresAt)
	require.Equal(t, token, s.AccessToken())
	require.False(t, s.Expired())

	page, err := s.Bookings.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	b, err := s.Bookings.Create(ctx, &cohost.BookingCreateParams{ListingID: "123", CheckIn: date("2025-03-01"), CheckOut: date("2025-03-05"), Guests: 2})
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("9001"), b.ID)

	require.Len(t, h.Requests(), 3)
	for _, r := range h.Requests()[1:] {
		require.Equal(t, "Bearer "+token, r.Header.Get("Authorization"))
		require.Equal(t, apiKey, r.Header.Get("X-API-Key"))
		require.Equal(t, "/api/v1/external"+cohost.CustomerBookingsPath, r.Path)
	}
	require.JSONEq(t, `{"listing_id":123,"check_in_date":"2025-03-01","check_out_date":"2025-03-05","guest_number":2}`, h.Requests()[2].Body)
}

func TestAnExpiredSessionIsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s, err := h.c.Customers.Session(customerToken(t, epoch.Add(time.Hour)), time.Time{})
	require.NoError(t, err)
	require.True(t, epoch.Add(time.Hour).Equal(s.ExpiresAt), "expiry read from the token")
	h.clock.Advance(2 * time.Hour)
	require.True(t, s.Expired())
	_, err = s.Bookings.List(ctx, nil)
	require.ErrorIs(t, err, partnerkit.ErrUnauthorized)
	_, err = s.Bookings.Create(ctx, newBooking())
	require.ErrorIs(t, err, partnerkit.ErrUnauthorized)
	for _, err := range s.Bookings.All(ctx, nil) {
		require.ErrorIs(t, err, partnerkit.ErrUnauthorized)
	}
	require.Zero(t, h.mock.GetTotalCallCount())
}

func TestLoginFailure(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/customers/login", 401, `{"code":"INVALID_CREDENTIALS","message":"Invalid email or password"}`)
	_, err := h.c.Customers.Login(ctx, "customer@example.com", "wrong-password-1")
	require.ErrorIs(t, err, partnerkit.ErrUnauthorized)
	require.NotContains(t, err.Error(), "wrong-password-1")
	require.Len(t, h.Requests(), 1)
}

func TestLoginWithoutATokenIsAnError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/customers/login", 200, `{"token_type":"Bearer"}`)
	_, err := h.c.Customers.Login(ctx, "customer@example.com", "pw-123456")
	require.ErrorIs(t, err, partnerkit.ErrUnexpected)
}

// TestLoginWithAHugeExpiresIn: an expires_in too large for a
// time.Duration neither fails the login nor wraps into a session that is
// already expired; the token's exp claim, or none, decides.
func TestLoginWithAHugeExpiresIn(t *testing.T) {
	t.Parallel()
	for _, expiresIn := range []string{"1e30", "9223372036854775807", `"9223372036854775807"`, "1e308"} {
		t.Run(expiresIn, func(t *testing.T) {
			t.Parallel()
			for _, withExp := range []bool{false, true} {
				h := newHarness(t)
				token, want := "opaque-customer-token", time.Time{}
				if withExp {
					token, want = customerToken(t, epoch.Add(48*time.Hour)), epoch.Add(48*time.Hour)
				}
				h.on(http.MethodPost, "/customers/login", 200, fmt.Sprintf(`{"access_token":%q,"token_type":"Bearer","expires_in":%s,"user_id":200}`, token, expiresIn))
				h.on(http.MethodGet, cohost.CustomerBookingsPath, 200, `{"items":[],"total":0,"page":1,"limit":20}`)
				s, err := h.c.Customers.Login(ctx, "customer@example.com", "SecurePassword123")
				require.NoError(t, err)
				require.False(t, s.Expired(), "a session with a long life is not expired")
				require.True(t, want.Equal(s.ExpiresAt), "expiry %s, want %s", s.ExpiresAt, want)
				_, err = s.Bookings.List(ctx, nil)
				require.NoError(t, err)
				require.Len(t, h.Requests(), 2, "the session's call was sent")
			}
		})
	}
}

// TestLoginExpiresIn: expires_in, a number or a numeric string, sets the
// expiry from the client's clock.
func TestLoginExpiresIn(t *testing.T) {
	t.Parallel()
	for _, expiresIn := range []string{"86400", `"86400"`, "86400.0"} {
		h := newHarness(t)
		h.on(http.MethodPost, "/customers/login", 200, `{"access_token":"opaque-customer-token","expires_in":`+expiresIn+`}`)
		s, err := h.c.Customers.Login(ctx, "customer@example.com", "SecurePassword123")
		require.NoError(t, err, expiresIn)
		require.Equal(t, epoch.Add(24*time.Hour), s.ExpiresAt, expiresIn)
		require.Equal(t, "Bearer", s.TokenType, "the default token type")
	}
}

func TestSessionRefusesABadToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, token := range []string{"", "  ", "tok\r\nX-Evil: 1", "tok\x00"} {
		_, err := h.c.Customers.Session(token, time.Time{})
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
		var ve *partnerkit.ValidationError
		require.ErrorAs(t, err, &ve)
		require.Equal(t, "token", ve.Field)
	}
	require.Zero(t, h.mock.GetTotalCallCount())
}
