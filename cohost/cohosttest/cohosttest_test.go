package cohosttest_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go/cohost/cohosttest"
)

// start is a time one second into a minute, so that windows of a minute
// end 59 seconds later.
var start = time.Date(2025, 3, 1, 9, 0, 1, 0, time.UTC)

// env is a fake on loopback whose clock a test moves.
type env struct {
	fake *cohosttest.Server
	url  string
	mu   sync.Mutex
	now  time.Time
}

func newEnv(t *testing.T, opts ...cohosttest.Option) *env {
	t.Helper()
	e := &env{now: start}
	e.fake = cohosttest.New(append([]cohosttest.Option{cohosttest.WithClock(e.clock)}, opts...)...)
	srv := httptest.NewServer(e.fake)
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

// reply is an answer as the test reads it.
type reply struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

// call sends method path with the fake's key (or key, when given as the
// first of extra headers "X-API-Key", v) and a JSON body.
func (e *env) call(t *testing.T, method, path, body string, header ...string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	require.NoError(t, err)
	req.Header.Set("X-API-Key", cohosttest.APIKey)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	r := reply{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	if strings.HasPrefix(strings.TrimSpace(string(raw)), "{") {
		require.NoError(t, json.Unmarshal(raw, &r.body), string(raw))
	}
	return r
}

func ids(t *testing.T, r reply) []float64 {
	t.Helper()
	items, ok := r.body["items"].([]any)
	require.True(t, ok, r.raw)
	out := []float64{}
	for _, it := range items {
		out = append(out, it.(map[string]any)["id"].(float64))
	}
	return out
}

func requireBusiness(t *testing.T, r reply, status int, code string) {
	t.Helper()
	require.Equal(t, status, r.status, r.raw)
	require.Equal(t, code, r.body["code"], r.raw)
	require.IsType(t, "", r.body["message"])
	require.IsType(t, map[string]any{}, r.body["details"])
}

func TestTheKeyIsChecked(t *testing.T) {
	t.Parallel()
	e := newEnv(t, cohosttest.WithKey("ck_test_other", "9"))
	requireBusiness(t, e.call(t, "GET", "/listings", "", "X-API-Key", ""), 401, "INVALID_API_KEY")
	requireBusiness(t, e.call(t, "GET", "/listings", "", "X-API-Key", "ck_live_wrong"), 401, "INVALID_API_KEY")
	assert.Equal(t, []float64{101, 102, 103, 201, 202}, ids(t, e.call(t, "GET", "/listings", "")))
	assert.Equal(t, []float64{901}, ids(t, e.call(t, "GET", "/listings", "", "X-API-Key", "ck_test_other")), "WithKey: another partner's teams")
	unknown := e.call(t, "GET", "/nowhere", "")
	assert.Equal(t, 404, unknown.status)
	assert.Equal(t, "Not Found", unknown.body["detail"])
	assert.Equal(t, 5, e.fake.Requests(""), "every request is counted, refused ones too")
	assert.Equal(t, 4, e.fake.Requests("GET /listings"))
}

func TestListingsPageFromOneWithTeamIDsAsAJSONArray(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p1 := e.call(t, "GET", "/listings?limit=2", "")
	require.Equal(t, 200, p1.status)
	assert.Equal(t, []float64{101, 102}, ids(t, p1))
	assert.Equal(t, map[string]any{"total": 5.0, "page": 1.0, "limit": 2.0, "total_pages": 3.0},
		map[string]any{"total": p1.body["total"], "page": p1.body["page"], "limit": p1.body["limit"], "total_pages": p1.body["total_pages"]})
	assert.Equal(t, []float64{103, 201}, ids(t, e.call(t, "GET", "/listings?limit=2&page=2", "")))
	assert.Equal(t, []float64{202}, ids(t, e.call(t, "GET", "/listings?limit=2&page=3", "")))
	assert.Equal(t, []float64{}, ids(t, e.call(t, "GET", "/listings?limit=2&page=4", "")))
	assert.Equal(t, 20.0, e.call(t, "GET", "/listings", "").body["limit"], "the default page size")

	assert.Equal(t, []float64{201, 202}, ids(t, e.call(t, "GET", "/listings?team_ids=%5B2,9%5D", "")), "team 9 is not the key's: ignored")
	assert.Equal(t, []float64{}, ids(t, e.call(t, "GET", "/listings?team_ids=%5B9%5D", "")))
	requireBusiness(t, e.call(t, "GET", "/listings?team_ids=1,2", ""), 400, "EXTERNAL_INVALID_REQUEST")
	assert.Equal(t, []float64{102}, ids(t, e.call(t, "GET", "/listings?province_code=49&state=ACTIVE&country_code=VN", "")))

	for _, q := range []string{"page=0", "page=x", "limit=0", "limit=101"} {
		r := e.call(t, "GET", "/listings?"+q, "")
		assert.Equal(t, 422, r.status, q)
		assert.IsType(t, []any{}, r.body["detail"], q)
	}
}

func TestAddListingAndAvailability(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.fake.AddListing(cohosttest.Listing{TeamID: "2", Name: "Vung Tau Beach House", Capacity: 8, FullRate: 2000000})
	assert.Equal(t, []float64{201, 202, num(t, id)}, ids(t, e.call(t, "GET", "/listings?team_ids=%5B2%5D", "")))
	l := e.call(t, "GET", "/listings?team_ids=%5B2%5D&page=1&limit=3", "").body["items"].([]any)[2].(map[string]any)
	assert.Equal(t, "ACTIVE", l["state"], "defaults filled in")
	assert.Equal(t, "VND", l["currency"])

	b := e.call(t, "POST", "/bookings", `{"listing_id":201,"check_in_date":"2025-03-02","check_out_date":"2025-03-04","guest_number":2,
"guest_info":{"full_name":"A","phone":"+84901234567","email":"a@b.co"}}`)
	require.Equal(t, 201, b.status, b.raw)
	a := e.call(t, "GET", "/listings/201/availability?start_date=2025-03-01&end_date=2025-03-04", "")
	require.Equal(t, 200, a.status, a.raw)
	assert.Equal(t, false, a.body["available"])
	var free []bool
	for _, d := range a.body["days"].([]any) {
		free = append(free, d.(map[string]any)["available"].(bool))
	}
	assert.Equal(t, []bool{true, false, false, true}, free)

	requireBusiness(t, e.call(t, "GET", "/listings/999/availability?start_date=2025-03-01&end_date=2025-03-02", ""), 404, "LISTING_NOT_FOUND")
	requireBusiness(t, e.call(t, "GET", "/listings/901/availability?start_date=2025-03-01&end_date=2025-03-02", ""), 404, "EXTERNAL_LISTING_NOT_ACCESSIBLE")
	requireBusiness(t, e.call(t, "GET", "/listings/201/availability?start_date=2025-3-1&end_date=2025-03-02", ""), 400, "EXTERNAL_INVALID_DATE_FORMAT")
	assert.Equal(t, 4, e.fake.Requests("GET /listings/{id}/availability"))
}

const bookingBody = `{"listing_id":101,"check_in_date":"2025-03-01","check_out_date":"2025-03-04","guest_number":2,
"guest_info":{"full_name":"Nguyen Van A","phone":"+84901234567","email":"guest@example.com"}}`

func TestBookingsConflictOnOverlappingDates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.call(t, "POST", "/bookings", bookingBody)
	require.Equal(t, 201, b.status, b.raw)
	assert.Equal(t, "CONFIRMED", b.body["state"])
	assert.Equal(t, 1.0, b.body["team_id"], "derived from the listing")
	assert.Nil(t, b.body["user_id"], "a partner's booking has user_id null")
	assert.Equal(t, 3*1500000.0, b.body["total_price"])

	overlap := strings.Replace(bookingBody, `"2025-03-01"`, `"2025-03-03"`, 1)
	overlap = strings.Replace(overlap, `"2025-03-04"`, `"2025-03-06"`, 1)
	requireBusiness(t, e.call(t, "POST", "/bookings", overlap), 409, "BOOKING_CONFLICT")
	next := strings.Replace(bookingBody, `"check_in_date":"2025-03-01","check_out_date":"2025-03-04"`, `"check_in_date":"2025-03-04","check_out_date":"2025-03-05"`, 1)
	require.Equal(t, 201, e.call(t, "POST", "/bookings", next).status, "a stay may start the day the last one ends")

	requireBusiness(t, e.call(t, "POST", "/bookings", strings.Replace(bookingBody, "101", "901", 1)), 403, "EXTERNAL_LISTING_NOT_ACCESSIBLE")
	requireBusiness(t, e.call(t, "POST", "/bookings", strings.Replace(bookingBody, "101", "999", 1)), 404, "LISTING_NOT_FOUND")
	requireBusiness(t, e.call(t, "POST", "/bookings", strings.Replace(bookingBody, `"guest_number":2`, `"guest_number":9`, 1)), 400, "VALIDATION_ERROR")
	missing := e.call(t, "POST", "/bookings", `{"listing_id":101}`)
	require.Equal(t, 422, missing.status)
	assert.Len(t, missing.body["detail"], 4, "check_in_date, check_out_date, guest_number, guest_info")

	bookings := e.fake.Bookings()
	require.Len(t, bookings, 2)
	assert.Equal(t, "2025-03-01", bookings[0].CheckIn)
	assert.Equal(t, "Nguyen Van A", bookings[0].Guest.FullName)
	list := e.call(t, "GET", "/bookings?state=CONFIRMED&team_ids=%5B1%5D", "")
	assert.Equal(t, []float64{num(t, bookings[0].ID), num(t, bookings[1].ID)}, ids(t, list))
	assert.Equal(t, 7, e.fake.Requests("POST /bookings"))
	assert.Equal(t, 1, e.fake.Requests("GET /bookings"))
}

func TestCustomersAndEmailVerificationBeforeBooking(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reg := e.call(t, "POST", "/customers/register", `{"email":"c@example.com","full_name":"Nguyen Van A","phone":"+84901234567","password":"Passw0rd!"}`)
	require.Equal(t, 201, reg.status, reg.raw)
	assert.Equal(t, true, reg.body["requires_email_verification"])
	assert.Equal(t, []any{1.0, 2.0}, reg.body["teams"])
	id := strconv.FormatFloat(reg.body["user_id"].(float64), 'f', -1, 64)
	requireBusiness(t, e.call(t, "POST", "/customers/register", `{"email":"C@example.com","full_name":"B","phone":"+84901234567","password":"x"}`), 400, "VALIDATION_ERROR")

	// Logging in needs a verified e-mail.
	requireBusiness(t, e.call(t, "POST", "/customers/login", `{"email":"c@example.com","password":"Passw0rd!"}`), 403, "EMAIL_NOT_VERIFIED")
	requireBusiness(t, e.call(t, "POST", "/customers/login", `{"email":"c@example.com","password":"wrong"}`), 401, "INVALID_CREDENTIALS")
	// So does booking, with a token from Auth0's own login.
	token, ok := e.fake.Token(id)
	require.True(t, ok)
	requireBusiness(t, e.call(t, "POST", cohosttest.CustomerBookingsPath, `{"listing_id":101,"check_in_date":"2025-04-01","check_out_date":"2025-04-02","guest_number":1}`,
		"Authorization", "Bearer "+token), 403, "EMAIL_NOT_VERIFIED")
	status := e.call(t, "GET", "/customers/"+id+"/login-status", "")
	assert.Equal(t, false, status.body["email_verified"])
	assert.Nil(t, status.body["last_login_at"])
	assert.Equal(t, 200, e.call(t, "POST", "/customers/"+id+"/resend-verification", "").status)

	require.True(t, e.fake.VerifyEmail(id))
	assert.False(t, e.fake.VerifyEmail("99999"))
	requireBusiness(t, e.call(t, "POST", "/customers/"+id+"/resend-verification", ""), 400, "EXTERNAL_INVALID_STATE")
	b := e.call(t, "POST", cohosttest.CustomerBookingsPath, `{"listing_id":101,"check_in_date":"2025-04-01","check_out_date":"2025-04-02","guest_number":1}`,
		"Authorization", "Bearer "+token)
	require.Equal(t, 201, b.status, b.raw)
	assert.Equal(t, num(t, id), b.body["user_id"])
	assert.Equal(t, "Nguyen Van A", b.body["guest_info"].(map[string]any)["full_name"], "taken from the account")

	upd := e.call(t, "PATCH", "/customers/"+id, `{"phone":"+84987654321"}`)
	assert.Equal(t, "+84987654321", upd.body["phone"])
	assert.Equal(t, "Nguyen Van A", upd.body["full_name"])
	assert.Equal(t, []float64{num(t, id)}, ids(t, e.call(t, "GET", "/customers?team_id=2", "")))
	assert.Equal(t, 200, e.call(t, "DELETE", "/customers/"+id+"/teams/2", "").status)
	assert.Equal(t, []float64{}, ids(t, e.call(t, "GET", "/customers?team_id=2", "")))
	requireBusiness(t, e.call(t, "DELETE", "/customers/"+id+"/teams/2", ""), 404, "CUSTOMER_NOT_IN_TEAM")
	assert.Equal(t, []any{1.0}, e.call(t, "GET", "/customers/"+id, "").body["teams"])
	requireBusiness(t, e.call(t, "GET", "/customers/424242", ""), 404, "CUSTOMER_NOT_FOUND")
	assert.Equal(t, 2, e.fake.Requests("DELETE /customers/{id}/teams/{team_id}"))
	assert.Equal(t, 2, e.fake.Requests("POST /customers/me/bookings"))
	_, ok = e.fake.Token("99999")
	assert.False(t, ok)
}

// num reads an ID of the fake as the number Cohost sends.
func num(t *testing.T, id string) float64 {
	t.Helper()
	n, err := strconv.ParseFloat(id, 64)
	require.NoError(t, err)
	return n
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestLoginReturnsAJWTWithExp: the token is a JWT whose exp is
// TokenLifetime after the login, as expires_in says; it opens the
// customer-scoped booking path until it expires.
func TestLoginReturnsAJWTWithExp(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.fake.AddCustomer(cohosttest.Customer{Email: "v@example.com", FullName: "Tran Thi B", Phone: "+84907654321", EmailVerified: true}, "Passw0rd!")
	login := e.call(t, "POST", "/customers/login", `{"email":"v@example.com","password":"Passw0rd!"}`)
	require.Equal(t, 200, login.status, login.raw)
	assert.Equal(t, "Bearer", login.body["token_type"])
	assert.Equal(t, cohosttest.TokenLifetime.Seconds(), login.body["expires_in"])
	assert.Equal(t, num(t, id), login.body["user_id"])
	assert.Equal(t, []any{1.0, 2.0}, login.body["teams"], "login adds the customer to the key's teams")
	token := login.body["access_token"].(string)
	parts := strings.Split(token, ".")
	require.Len(t, parts, 3)
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var claims struct {
		Sub string `json:"sub"`
		Exp int64  `json:"exp"`
		Iat int64  `json:"iat"`
	}
	require.NoError(t, json.Unmarshal(payload, &claims))
	assert.Equal(t, id, claims.Sub)
	assert.Equal(t, start.Add(cohosttest.TokenLifetime).Unix(), claims.Exp)
	assert.Equal(t, start.Unix(), claims.Iat)

	bearer := []string{"Authorization", "Bearer " + token}
	mine := e.call(t, "GET", cohosttest.CustomerBookingsPath, "", bearer...)
	require.Equal(t, 200, mine.status, mine.raw)
	assert.Equal(t, []float64{}, ids(t, mine))
	forged := parts[0] + "." + parts[1] + ".c2lnbmF0dXJl"
	assert.Equal(t, 401, e.call(t, "GET", cohosttest.CustomerBookingsPath, "", "Authorization", "Bearer "+forged).status)
	assert.Equal(t, 401, e.call(t, "GET", cohosttest.CustomerBookingsPath, "").status, "no token")
	assert.NotNil(t, e.call(t, "GET", "/customers/"+id+"/login-status", "").body["last_login_at"])

	e.fake.Advance(cohosttest.TokenLifetime)
	expired := e.call(t, "GET", cohosttest.CustomerBookingsPath, "", bearer...)
	assert.Equal(t, 401, expired.status)
	assert.Equal(t, "Invalid or expired customer token", expired.body["detail"])
}

// TestRateLimitHeadersThe429BodyAndTheRefill: 60 requests a minute per key
// by default, with X-RateLimit-* headers; the 61st gets the documented 429
// body; the next window admits requests again.
func TestRateLimitHeadersThe429BodyAndTheRefill(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for i := 1; i <= cohosttest.DefaultRateLimit; i++ {
		r := e.call(t, "GET", "/listings", "")
		require.Equal(t, 200, r.status)
		require.Equal(t, "60", r.header.Get("X-RateLimit-Limit"))
		require.Equal(t, itoa(int64(60-i)), r.header.Get("X-RateLimit-Remaining"))
		require.Equal(t, itoa(time.Date(2025, 3, 1, 9, 1, 0, 0, time.UTC).Unix()), r.header.Get("X-RateLimit-Reset"))
	}
	r := e.call(t, "POST", "/bookings", bookingBody)
	require.Equal(t, 429, r.status)
	assert.Equal(t, map[string]any{"code": "RATE_LIMIT_EXCEEDED", "message": "Rate limit exceeded. Try again in 59 seconds.",
		"details": map[string]any{"retry_after_seconds": 59.0}}, r.body)
	assert.Equal(t, "0", r.header.Get("X-RateLimit-Remaining"))
	assert.Equal(t, 1, e.fake.RateLimited())
	assert.Empty(t, e.fake.Bookings(), "a refused request does nothing")
	requireBusiness(t, e.call(t, "GET", "/listings", "", "X-API-Key", "ck_live_wrong"), 401, "INVALID_API_KEY")

	e.fake.Advance(59 * time.Second)
	r = e.call(t, "GET", "/listings", "")
	require.Equal(t, 200, r.status, "the next window")
	assert.Equal(t, "59", r.header.Get("X-RateLimit-Remaining"))
	assert.Equal(t, 1, e.fake.RateLimited())
}

func TestSetRateLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fake.SetRateLimit("", 100, time.Minute)
	e.fake.SetRateLimit("POST /bookings", 1, 10*time.Second)
	r := e.call(t, "POST", "/bookings", bookingBody)
	require.Equal(t, 201, r.status, r.raw)
	assert.Equal(t, "1", r.header.Get("X-RateLimit-Limit"), "the route's quota, the one with the least left")
	assert.Equal(t, "0", r.header.Get("X-RateLimit-Remaining"))
	r = e.call(t, "POST", "/bookings", strings.Replace(bookingBody, "101", "102", 1))
	require.Equal(t, 429, r.status)
	assert.Equal(t, 9.0, r.body["details"].(map[string]any)["retry_after_seconds"])
	r = e.call(t, "GET", "/listings", "")
	require.Equal(t, 200, r.status, "other routes are not held back")
	assert.Equal(t, "100", r.header.Get("X-RateLimit-Limit"))
	assert.Equal(t, "98", r.header.Get("X-RateLimit-Remaining"), "two admitted requests counted on the key")

	e.fake.SetRateLimit("POST /bookings", 0, 0)
	require.Equal(t, 201, e.call(t, "POST", "/bookings", strings.Replace(bookingBody, "101", "102", 1)).status, "quota removed")
	e.fake.SetRateLimit("", 0, 0)
	r = e.call(t, "GET", "/listings", "")
	assert.Equal(t, 200, r.status)
	assert.Empty(t, r.header.Get("X-RateLimit-Limit"), "no quota, no headers")
}

func TestFailNext(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fake.FailNext(2, http.StatusServiceUnavailable)
	requireBusiness(t, e.call(t, "POST", "/bookings", bookingBody), 503, "INTERNAL_ERROR")
	requireBusiness(t, e.call(t, "GET", "/listings", "", "X-API-Key", "ck_live_wrong"), 503, "INTERNAL_ERROR")
	assert.Equal(t, 200, e.call(t, "GET", "/listings", "").status)
	assert.Empty(t, e.fake.Bookings())

	e.fake.FailNext(1, http.StatusTooManyRequests)
	r := e.call(t, "GET", "/listings", "")
	assert.Equal(t, map[string]any{"code": "RATE_LIMIT_EXCEEDED", "message": "Rate limit exceeded. Try again in 30 seconds.",
		"details": map[string]any{"retry_after_seconds": 30.0}}, r.body)
	e.fake.FailNext(1, http.StatusUnprocessableEntity)
	r = e.call(t, "GET", "/listings", "")
	assert.Equal(t, 422, r.status)
	assert.IsType(t, []any{}, r.body["detail"])
	e.fake.FailNext(1, http.StatusConflict)
	requireBusiness(t, e.call(t, "GET", "/listings", ""), 409, "BOOKING_CONFLICT")
	assert.Zero(t, e.fake.RateLimited(), "FailNext's 429 is not a spent quota")
	assert.Equal(t, 6, e.fake.Requests(""))
}

// TestAdvanceWithoutWithClock: a fake on the system clock still moves its
// own time, which ends windows and tokens.
func TestAdvanceWithoutWithClock(t *testing.T) {
	t.Parallel()
	fake := cohosttest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	e := &env{fake: fake, url: srv.URL}
	fake.SetRateLimit("", 1, time.Hour)
	require.Equal(t, 200, e.call(t, "GET", "/listings", "").status)
	require.Equal(t, 429, e.call(t, "GET", "/listings", "").status)
	fake.Advance(time.Hour)
	require.Equal(t, 200, e.call(t, "GET", "/listings", "").status)
}

func TestConcurrentRequests(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fake.SetRateLimit("", 0, 0)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := strings.Replace(bookingBody, `"check_in_date":"2025-03-01","check_out_date":"2025-03-04"`,
				`"check_in_date":"2025-05-0`+itoa(int64(i+1))+`","check_out_date":"2025-05-0`+itoa(int64(i+2))+`"`, 1)
			e.call(t, "POST", "/bookings", body)
		}()
	}
	wg.Wait()
	assert.Len(t, e.fake.Bookings(), 8)
}
