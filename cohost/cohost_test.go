package cohost_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/cohost"
	"github.com/partnerkit/partnerkit-go/internal/config"
	"github.com/partnerkit/partnerkit-go/internal/mocktest"
)

var ctx = context.Background()

func ptr[T any](v T) *T { return &v }

func date(s string) partnerkit.Date {
	d, err := partnerkit.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

const listingsPage = `{"items":[{"id":123,"team_id":1,"name":"Villa Da Lat","listing_type":"ENTIRE_PLACE",
"property_type":"VILLA","country_code":"VN","province_code":"68","capacity":6,"bedrooms":3,"bathrooms":2,
"state":"ACTIVE","full_rate":"1500000.00","currency":"VND","instant_book_enabled":true,
"created_at":"2025-01-10T08:00:00","extra_field":"kept"}],"total":21,"page":1,"limit":20,"total_pages":2}`

func TestListingsList(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/listings", 200, listingsPage)
	page, err := h.c.Listings.List(ctx, &cohost.ListingListParams{
		Page: 1, Limit: 20,
		TeamIDs: []partnerkit.ID{"1", "2", "3"}, State: cohost.ListingActive, CountryCode: "VN",
		ProvinceCode: "68", SortBy: "name", SortOrder: "asc",
	})
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "GET", r.Method)
	require.Equal(t, "/api/v1/external/listings", r.Path)
	require.Equal(t, map[string][]string{
		"page": {"1"}, "limit": {"20"}, "team_ids": {"[1,2,3]"}, "state": {"ACTIVE"},
		"country_code": {"VN"}, "province_code": {"68"}, "sort_by": {"name"}, "sort_order": {"asc"},
	}, r.Query)
	require.Empty(t, r.Body)

	require.Equal(t, 21, page.Total)
	require.True(t, page.HasMore())
	require.Len(t, page.Items, 1)
	l := page.Items[0]
	require.Equal(t, partnerkit.ID("123"), l.ID)
	require.Equal(t, partnerkit.ID("1"), l.TeamID)
	require.Equal(t, "Villa Da Lat", l.Name)
	require.Equal(t, partnerkit.Int(6), l.Capacity)
	require.Equal(t, partnerkit.Int(3), l.Bedrooms)
	require.Equal(t, 1500000.0, l.FullRate.Float64())
	require.True(t, l.InstantBookEnabled)
	require.Equal(t, time.Date(2025, 1, 10, 8, 0, 0, 0, time.UTC), l.CreatedAt.Time)
	require.Contains(t, string(l.Raw), `"extra_field":"kept"`)
}

func TestListingsListWithoutParamsSendsNoQuery(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/listings", 200, `{"items":[],"total":0,"page":1,"limit":20}`)
	page, err := h.c.Listings.List(ctx, nil)
	require.NoError(t, err)
	require.Empty(t, h.last(t).Query)
	require.False(t, page.HasMore())
}

func TestListingsAllFollowsEveryPage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	calls := 0
	h.mock.RegisterResponder(http.MethodGet, base+"/listings", func(r *http.Request) (*http.Response, error) {
		calls++
		page := r.URL.Query().Get("page")
		require.Equal(t, "[7]", r.URL.Query().Get("team_ids"))
		body := map[string]string{
			"1": `{"items":[{"id":1},{"id":2}],"total":5,"page":1,"limit":2}`,
			"2": `{"items":[{"id":3},{"id":4}],"total":5,"page":2,"limit":2}`,
			"3": `{"items":[{"id":5}],"total":5,"page":3,"limit":2}`,
		}[page]
		return mocktest.JSON(200, body), nil
	})
	params := &cohost.ListingListParams{Limit: 2, TeamIDs: []partnerkit.ID{"7"}}
	var ids []partnerkit.ID
	for l, err := range h.c.Listings.All(ctx, params) {
		require.NoError(t, err)
		ids = append(ids, l.ID)
	}
	require.Equal(t, []partnerkit.ID{"1", "2", "3", "4", "5"}, ids)
	require.Equal(t, 3, calls, "total_pages absent: computed from total and limit")
	require.Equal(t, 0, params.Page, "the caller's params are not changed")
}

func TestListingsAllStopsAtTheFirstError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/listings", 400, `{"code":"EXTERNAL_INVALID_REQUEST","message":"team_ids must be a JSON array"}`)
	n := 0
	for _, err := range h.c.Listings.All(ctx, nil) {
		n++
		require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)
	}
	require.Equal(t, 1, n)
}

func TestAvailability(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/listings/123/availability", 200, `{"listing_id":123,"start_date":"2025-03-01","end_date":"2025-03-02",
"available":false,"days":[{"date":"2025-03-01","available":true,"price":1500000},{"date":"2025-03-02","available":false}]}`)
	a, err := h.c.Listings.Availability(ctx, "123", &cohost.ListingAvailabilityParams{StartDate: date("2025-03-01"), EndDate: date("2025-03-02")})
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "/api/v1/external/listings/123/availability", r.Path)
	require.Equal(t, map[string][]string{"start_date": {"2025-03-01"}, "end_date": {"2025-03-02"}}, r.Query)
	require.Equal(t, partnerkit.ID("123"), a.ListingID)
	require.False(t, *a.Available)
	require.Equal(t, []cohost.AvailabilityDay{
		{Date: date("2025-03-01"), Available: true, Price: "1500000"},
		{Date: date("2025-03-02"), Available: false},
	}, a.Days)
}

func TestAvailabilityDecodesOtherShapes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/listings/9/availability", 200, `{"is_available":true,"availability":[{"date":"2025-03-01","available":true}]}`)
	a, err := h.c.Listings.Availability(ctx, "9", &cohost.ListingAvailabilityParams{StartDate: date("2025-03-01"), EndDate: date("2025-03-01")})
	require.NoError(t, err)
	require.True(t, *a.Available)
	require.Len(t, a.Days, 1)
	require.JSONEq(t, `{"is_available":true,"availability":[{"date":"2025-03-01","available":true}]}`, string(a.Raw))
}

const bookingJSON = `{"id":9001,"listing_id":123,"team_id":1,"user_id":null,"check_in_date":"2025-03-01",
"check_out_date":"2025-03-05","guest_number":2,"guest_info":{"full_name":"Nguyen Van A","phone":"+84901234567",
"email":"guest@example.com"},"state":"CONFIRMED","total_price":"6000000","currency":"VND","created_at":"2025-02-20T09:00:00Z"}`

func newBooking() *cohost.BookingCreateParams {
	return &cohost.BookingCreateParams{
		ListingID: "123", CheckIn: date("2025-03-01"), CheckOut: date("2025-03-05"), Guests: 2,
		Guest: cohost.GuestInfo{FullName: "Nguyen Van A", Phone: "+84901234567", Email: "guest@example.com"},
	}
}

func TestBookingsCreate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/bookings", 201, bookingJSON)
	b, err := h.c.Bookings.Create(ctx, newBooking())
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "POST", r.Method)
	require.Equal(t, "application/json", r.Header.Get("Content-Type"))
	require.JSONEq(t, `{"listing_id":123,"check_in_date":"2025-03-01","check_out_date":"2025-03-05","guest_number":2,
"guest_info":{"full_name":"Nguyen Van A","phone":"+84901234567","email":"guest@example.com"}}`, r.Body)
	require.Equal(t, partnerkit.ID("9001"), b.ID)
	require.Nil(t, b.UserID, "user_id null: a partner's booking")
	require.Equal(t, date("2025-03-05"), b.CheckOut)
	require.Equal(t, partnerkit.Int(2), b.Guests)
	require.Equal(t, "Nguyen Van A", b.Guest.FullName)
	require.Equal(t, cohost.BookingConfirmed, b.State)
}

func TestBookingsCreateIsNeverSentTwice(t *testing.T) {
	t.Parallel()
	for _, status := range []int{500, 502, 503, 504} {
		h := newHarness(t)
		h.on(http.MethodPost, "/bookings", status, `{"detail":"upstream error"}`)
		_, err := h.c.Bookings.Create(ctx, newBooking())
		require.ErrorIs(t, err, partnerkit.ErrServer)
		require.Len(t, h.Requests(), 1, "status %d", status)
	}
}

func TestBookingsCreateRetriesA429(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	n := 0
	h.mock.RegisterResponder(http.MethodPost, base+"/bookings", func(*http.Request) (*http.Response, error) {
		if n++; n == 1 {
			return mocktest.JSON(429, `{"code":"RATE_LIMIT_EXCEEDED","message":"Rate limit exceeded. Try again in 30 seconds.","details":{"retry_after_seconds":30}}`), nil
		}
		return mocktest.JSON(201, bookingJSON), nil
	})
	b, err := h.c.Bookings.Create(ctx, newBooking())
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("9001"), b.ID)
	require.Equal(t, 2, n)
	require.Equal(t, []time.Duration{30 * time.Second}, h.clock.Sleeps(), "waited as the body asked")
}

func TestBookingsList(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/bookings", 200, `{"items":[`+bookingJSON+`],"total":1,"page":2,"limit":10,"total_pages":2}`)
	page, err := h.c.Bookings.List(ctx, &cohost.BookingListParams{
		Page: 2, Limit: 10, TeamIDs: []partnerkit.ID{"1"}, UserID: "200", State: cohost.BookingConfirmed,
	})
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, map[string][]string{"page": {"2"}, "limit": {"10"}, "team_ids": {"[1]"}, "user_id": {"200"}, "state": {"CONFIRMED"}}, r.Query)
	require.Len(t, page.Items, 1)
	require.False(t, page.HasMore())
	require.Equal(t, partnerkit.ID("9001"), page.Items[0].ID)
}

func TestBookingsAll(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/bookings", 200, `{"items":[`+bookingJSON+`,`+bookingJSON+`],"total":2,"page":1,"limit":20}`)
	n := 0
	for b, err := range h.c.Bookings.All(ctx, &cohost.BookingListParams{State: "CONFIRMED"}) {
		require.NoError(t, err)
		require.Equal(t, partnerkit.ID("9001"), b.ID)
		n++
	}
	require.Equal(t, 2, n)
	require.Len(t, h.Requests(), 1)
	require.Equal(t, "1", h.Requests()[0].Query["page"][0])
}

func TestErrorShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		status  int
		body    string
		kind    error
		code    string
		message string
		fields  map[string][]string
		wait    time.Duration
		details *cohost.ErrorDetails
	}{
		{"business", 404, `{"code":"LISTING_NOT_FOUND","message":"Listing not found","details":{"listing_id":123}}`,
			partnerkit.ErrNotFound, cohost.CodeListingNotFound, "Listing not found", nil, 0,
			&cohost.ErrorDetails{Raw: json.RawMessage(`{"listing_id":123}`)}},
		{"forbidden", 403, `{"code":"EXTERNAL_LISTING_NOT_ACCESSIBLE","message":"Listing is not in your teams","details":{}}`,
			partnerkit.ErrForbidden, cohost.CodeListingNotAccessible, "Listing is not in your teams", nil, 0, nil},
		{"conflict", 409, `{"code":"BOOKING_CONFLICT","message":"Dates overlap an existing booking"}`,
			partnerkit.ErrConflict, "BOOKING_CONFLICT", "Dates overlap an existing booking", nil, 0, nil},
		{"fastapi list", 422, `{"detail":[{"loc":["body","check_in_date"],"msg":"field required","type":"value_error.missing"},
{"loc":["body","guest_info","email"],"msg":"value is not a valid email address","type":"value_error.email"}]}`,
			partnerkit.ErrInvalidRequest, "", "request validation failed", map[string][]string{
				"body.check_in_date":    {"field required"},
				"body.guest_info.email": {"value is not a valid email address"},
			}, 0, nil},
		{"detail string", 401, `{"detail":"Invalid API key"}`, partnerkit.ErrUnauthorized, "", "Invalid API key", nil, 0, nil},
		{"rate limited", 429, `{"code":"RATE_LIMIT_EXCEEDED","message":"Rate limit exceeded. Try again in 30 seconds.","details":{"retry_after_seconds":30}}`,
			partnerkit.ErrRateLimited, cohost.CodeRateLimitExceeded, "Rate limit exceeded. Try again in 30 seconds.", nil, 30 * time.Second,
			&cohost.ErrorDetails{RetryAfterSeconds: "30", Raw: json.RawMessage(`{"retry_after_seconds":30}`)}},
		{"not json", 502, `<html>Bad Gateway</html>`, partnerkit.ErrServer, "", "", nil, 0, nil},
		{"a wait too long for a Duration", 400, `{"code":"VALIDATION_ERROR","message":"x","details":{"retry_after_seconds":1e300,"field":"email"}}`,
			partnerkit.ErrInvalidRequest, cohost.CodeValidationError, "x", nil, 0,
			&cohost.ErrorDetails{RetryAfterSeconds: "1e300", Raw: json.RawMessage(`{"retry_after_seconds":1e300,"field":"email"}`)}},
		{"a code of another type and details that are not an object", 400, `{"code":7,"message":"bad","details":"none"}`,
			partnerkit.ErrInvalidRequest, "", "bad", nil, 0, nil},
		{"a wait that is not a number", 429, `{"code":"RATE_LIMIT_EXCEEDED","message":"slow down","details":{"retry_after_seconds":"soon"}}`,
			partnerkit.ErrRateLimited, cohost.CodeRateLimitExceeded, "slow down", nil, 0,
			&cohost.ErrorDetails{Raw: json.RawMessage(`{"retry_after_seconds":"soon"}`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, partnerkit.WithMaxRetries(0))
			h.on(http.MethodPost, "/bookings", tt.status, tt.body)
			_, err := h.c.Bookings.Create(ctx, newBooking())
			var apiErr *partnerkit.Error
			require.ErrorAs(t, err, &apiErr)
			require.ErrorIs(t, err, tt.kind)
			require.Equal(t, "cohost", apiErr.Provider)
			require.Equal(t, tt.status, apiErr.StatusCode)
			require.Equal(t, tt.code, apiErr.Code)
			require.Equal(t, tt.message, apiErr.Message)
			require.Equal(t, tt.fields, apiErr.FieldErrors)
			require.Equal(t, tt.wait, apiErr.RetryAfter)
			require.Equal(t, "/bookings", apiErr.Path)
			if tt.details == nil {
				require.Nil(t, apiErr.Details, "no details: Details is nil")
			} else {
				d, ok := partnerkit.DetailsOf[*cohost.ErrorDetails](err)
				require.True(t, ok, "Details is *cohost.ErrorDetails, got %T", apiErr.Details)
				require.Equal(t, tt.details, d)
			}
			require.Len(t, h.Requests(), 1)
		})
	}
}

func TestBusinessErrorDetailsAreKept(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/listings/5/availability", 404, `{"code":"LISTING_NOT_FOUND","message":"Listing not found","details":{"listing_id":5}}`)
	_, err := h.c.Listings.Availability(ctx, "5", &cohost.ListingAvailabilityParams{StartDate: date("2025-03-01"), EndDate: date("2025-03-02")})
	d, ok := partnerkit.DetailsOf[*cohost.ErrorDetails](err)
	require.True(t, ok)
	require.Equal(t, &cohost.ErrorDetails{Raw: json.RawMessage(`{"listing_id":5}`)}, d)
}

func TestBadInputIsRejectedBeforeSending(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := func(edit func(*cohost.BookingCreateParams)) *cohost.BookingCreateParams {
		v := newBooking()
		edit(v)
		return v
	}
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"listing id missing", func() error {
			_, err := h.c.Bookings.Create(ctx, b(func(v *cohost.BookingCreateParams) { v.ListingID = "" }))
			return err
		}, "ListingID"},
		{"listing id zero", func() error {
			_, err := h.c.Bookings.Create(ctx, b(func(v *cohost.BookingCreateParams) { v.ListingID = "0" }))
			return err
		}, "ListingID"},
		{"listing id with a slash", func() error {
			_, err := h.c.Bookings.Create(ctx, b(func(v *cohost.BookingCreateParams) { v.ListingID = "1/../2" }))
			return err
		}, "ListingID"},
		{"check-in missing", func() error {
			_, err := h.c.Bookings.Create(ctx, b(func(v *cohost.BookingCreateParams) { v.CheckIn = partnerkit.Date{} }))
			return err
		}, "CheckIn"},
		{"impossible date", func() error {
			_, err := h.c.Bookings.Create(ctx, b(func(v *cohost.BookingCreateParams) { v.CheckIn = partnerkit.NewDate(2025, 2, 30) }))
			return err
		}, "CheckIn"},
		{"check-out not after check-in", func() error {
			_, err := h.c.Bookings.Create(ctx, b(func(v *cohost.BookingCreateParams) { v.CheckOut = v.CheckIn }))
			return err
		}, "CheckOut"},
		{"no guests", func() error {
			_, err := h.c.Bookings.Create(ctx, b(func(v *cohost.BookingCreateParams) { v.Guests = 0 }))
			return err
		}, "Guests"},
		{"guest name", func() error {
			_, err := h.c.Bookings.Create(ctx, b(func(v *cohost.BookingCreateParams) { v.Guest.FullName = " " }))
			return err
		}, "Guest.FullName"},
		{"guest phone", func() error {
			_, err := h.c.Bookings.Create(ctx, b(func(v *cohost.BookingCreateParams) { v.Guest.Phone = "call me" }))
			return err
		}, "Guest.Phone"},
		{"guest email", func() error {
			_, err := h.c.Bookings.Create(ctx, b(func(v *cohost.BookingCreateParams) { v.Guest.Email = "guest@" }))
			return err
		}, "Guest.Email"},
		{"nil booking", func() error { _, err := h.c.Bookings.Create(ctx, nil); return err }, "params"},
		{"negative page", func() error {
			_, err := h.c.Listings.List(ctx, &cohost.ListingListParams{Page: -1})
			return err
		}, "Page"},
		{"team id", func() error {
			_, err := h.c.Listings.List(ctx, &cohost.ListingListParams{TeamIDs: []partnerkit.ID{"1", "0"}})
			return err
		}, "TeamIDs[1]"},
		{"team id not an integer", func() error {
			_, err := h.c.Bookings.List(ctx, &cohost.BookingListParams{TeamIDs: []partnerkit.ID{"team-a"}})
			return err
		}, "TeamIDs[0]"},
		{"availability range", func() error {
			_, err := h.c.Listings.Availability(ctx, "1", &cohost.ListingAvailabilityParams{StartDate: date("2025-03-02"), EndDate: date("2025-03-01")})
			return err
		}, "EndDate"},
		{"availability params", func() error {
			_, err := h.c.Listings.Availability(ctx, "1", nil)
			return err
		}, "params"},
		{"availability start", func() error {
			_, err := h.c.Listings.Availability(ctx, "1", &cohost.ListingAvailabilityParams{EndDate: date("2025-03-01")})
			return err
		}, "StartDate"},
		{"negative limit", func() error {
			_, err := h.c.Bookings.List(ctx, &cohost.BookingListParams{Limit: -1})
			return err
		}, "Limit"},
		{"customers page", func() error {
			_, err := h.c.Customers.List(ctx, &cohost.CustomerListParams{Page: -2})
			return err
		}, "Page"},
		{"register nil", func() error { _, err := h.c.Customers.Register(ctx, nil); return err }, "params"},
		{"update nil", func() error { _, err := h.c.Customers.Update(ctx, "200", nil); return err }, "params"},
		{"customer booking", func() error {
			s, err := h.c.Customers.Session("opaque-token", time.Time{})
			if err != nil {
				return err
			}
			_, err = s.Bookings.Create(ctx, &cohost.BookingCreateParams{ListingID: "1", CheckIn: date("2025-03-01"), CheckOut: date("2025-03-02")})
			return err
		}, "Guests"},
		{"availability listing", func() error {
			_, err := h.c.Listings.Availability(ctx, "-4", &cohost.ListingAvailabilityParams{StartDate: date("2025-03-01"), EndDate: date("2025-03-01")})
			return err
		}, "id"},
		{"bookings user", func() error {
			_, err := h.c.Bookings.List(ctx, &cohost.BookingListParams{UserID: "0"})
			return err
		}, "UserID"},
		{"register email", func() error {
			_, err := h.c.Customers.Register(ctx, &cohost.CustomerRegisterParams{Email: "x", FullName: "A", Phone: "+84901234567", Password: "p"})
			return err
		}, "Email"},
		{"register password", func() error {
			_, err := h.c.Customers.Register(ctx, &cohost.CustomerRegisterParams{Email: "a@b.co", FullName: "A", Phone: "+84901234567"})
			return err
		}, "Password"},
		{"customers team", func() error {
			_, err := h.c.Customers.List(ctx, &cohost.CustomerListParams{TeamID: "-1"})
			return err
		}, "TeamID"},
		{"customers team not an integer", func() error {
			_, err := h.c.Customers.List(ctx, &cohost.CustomerListParams{TeamID: "1.5"})
			return err
		}, "TeamID"},
		{"get customer", func() error { _, err := h.c.Customers.Get(ctx, ""); return err }, "id"},
		{"empty update", func() error { _, err := h.c.Customers.Update(ctx, "200", &cohost.CustomerUpdateParams{}); return err }, "params"},
		{"update phone", func() error {
			_, err := h.c.Customers.Update(ctx, "200", &cohost.CustomerUpdateParams{Phone: ptr("12")})
			return err
		}, "Phone"},
		{"remove team", func() error { _, err := h.c.Customers.RemoveFromTeam(ctx, "200", "0"); return err }, "teamID"},
		{"remove team not an integer", func() error { _, err := h.c.Customers.RemoveFromTeam(ctx, "200", "a/b"); return err }, "teamID"},
		{"login status", func() error { _, err := h.c.Customers.LoginStatus(ctx, "x y"); return err }, "id"},
		{"resend", func() error { _, err := h.c.Customers.ResendVerification(ctx, "0"); return err }, "id"},
		{"login email", func() error { _, err := h.c.Customers.Login(ctx, "", "secret"); return err }, "email"},
		{"login password", func() error { _, err := h.c.Customers.Login(ctx, "a@b.co", ""); return err }, "password"},
		{"login password that cannot be a credential", func() error { _, err := h.c.Customers.Login(ctx, "a@b.co", "pass\nword"); return err }, "password"},
	}
	for _, tt := range tests {
		err := tt.call()
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput, tt.name)
		var ve *partnerkit.ValidationError
		require.True(t, errors.As(err, &ve), tt.name)
		require.Equal(t, tt.field, ve.Field, tt.name)
	}
	require.Zero(t, h.mock.GetTotalCallCount(), "nothing was sent")
}

func TestNewRejectsABadKey(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"", "   ", "ck_live_abc\r\nX-Evil: 1", "ck_live_abc\x00", " ck_live_abc"} {
		_, err := cohost.New(key)
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput, "%q", key)
		var ve *partnerkit.ValidationError
		require.ErrorAs(t, err, &ve)
		require.Equal(t, "apiKey", ve.Field)
		if key != "" {
			require.NotContains(t, err.Error(), "ck_live_abc", "the rule does not quote the key")
		}
	}
	other := config.ForProvider("alohub", "alohub.WithTenantID", func(*config.Config) error { return nil })
	_, err := cohost.New(apiKey, other)
	var ve *partnerkit.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, "alohub.WithTenantID", ve.Field)
	require.Contains(t, ve.Rule, "a cohost client does not take it")
	_, err = cohost.New(apiKey, partnerkit.WithBaseURL("not a url"))
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
}

// TestCountsSentAsStrings: Cohost's Python services may send counts as
// strings; a listing's counts, a booking's guest_number and the page's
// numbers decode from either form, and the page still knows it is not the
// last.
func TestCountsSentAsStrings(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/listings", 200, `{"items":[{"id":7,"capacity":"6","standard_capacity":"4","bedrooms":"2",
"beds":"3","review_count":"12","bathrooms":"1.5"}],"total":"21","page":"1","limit":"20","total_pages":"2"}`)
	h.on(http.MethodGet, "/bookings", 200, `{"items":[{"id":9001,"user_id":"200","guest_number":"2"},
{"id":9002,"user_id":null,"guest_number":3}],"total":"2","page":"1","limit":"20"}`)

	listings, err := h.c.Listings.List(ctx, nil)
	require.NoError(t, err)
	l := listings.Items[0]
	require.Equal(t, []partnerkit.Int{6, 4, 2, 3, 12}, []partnerkit.Int{l.Capacity, l.StandardCapacity, l.Bedrooms, l.Beds, l.ReviewCount})
	require.Equal(t, partnerkit.Number("1.5"), l.Bathrooms)
	require.Equal(t, []int{21, 1, 20, 2}, []int{listings.Total, listings.Page, listings.Limit, listings.TotalPages})
	require.True(t, listings.HasMore())

	bookings, err := h.c.Bookings.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, partnerkit.Int(2), bookings.Items[0].Guests)
	require.Equal(t, partnerkit.Int(3), bookings.Items[1].Guests)
	require.NotNil(t, bookings.Items[0].UserID)
	require.Equal(t, partnerkit.ID("200"), *bookings.Items[0].UserID, "a customer's booking")
	require.Nil(t, bookings.Items[1].UserID, "null: a booking the partner made")
	require.False(t, bookings.HasMore())
}

// TestBookingUserIDSurvivesReencoding: a null user_id stays null and a
// customer's stays the customer's when a booking is encoded again.
func TestBookingUserIDSurvivesReencoding(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"id":"1","user_id":null,"guest_number":2}`,
		`{"id":"1","user_id":"200","guest_number":2}`,
	} {
		var b cohost.Booking
		require.NoError(t, json.Unmarshal([]byte(body), &b))
		out, err := json.Marshal(b)
		require.NoError(t, err)
		var got, want map[string]any
		require.NoError(t, json.Unmarshal(out, &got))
		require.NoError(t, json.Unmarshal([]byte(body), &want))
		require.Equal(t, want["user_id"], got["user_id"])
		require.Equal(t, 2.0, got["guest_number"])
	}
}

// TestPageHasMore: the last page is known from total_pages, or from total
// and limit when total_pages is absent, without overflowing.
func TestPageHasMore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		page cohost.Page[cohost.Listing]
		more bool
	}{
		{cohost.Page[cohost.Listing]{Total: 21, Page: 1, Limit: 20}, true},
		{cohost.Page[cohost.Listing]{Total: 21, Page: 2, Limit: 20}, false},
		{cohost.Page[cohost.Listing]{Total: 20, Page: 1, Limit: 20}, false},
		{cohost.Page[cohost.Listing]{Total: 0, Page: 1, Limit: 20}, false},
		{cohost.Page[cohost.Listing]{Page: 1, TotalPages: 5}, true},
		{cohost.Page[cohost.Listing]{Page: 5, TotalPages: 5}, false},
		{cohost.Page[cohost.Listing]{Total: math.MaxInt64, Page: 1, Limit: math.MaxInt64}, false},
		{cohost.Page[cohost.Listing]{Total: math.MaxInt64, Page: 1, Limit: 2}, true},
		{cohost.Page[cohost.Listing]{Total: 5, Page: 1}, false},
	}
	for _, tt := range tests {
		require.Equal(t, tt.more, tt.page.HasMore(), "%+v", tt.page)
	}
}
