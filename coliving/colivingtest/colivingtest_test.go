package colivingtest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/coliving"
	"github.com/partnerkit/partnerkit-go/coliving/colivingtest"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

var ctx = context.Background()

// availability is the route of availability updates.
const availability = "POST /integrations/{provider}/availability"

func start(t *testing.T, opts ...colivingtest.Option) (*colivingtest.Server, *httptest.Server) {
	t.Helper()
	fake := colivingtest.New(opts...)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, srv
}

func client(t *testing.T, srv *httptest.Server, key string, opts ...partnerkit.Option) (*coliving.Client, *clock.Fake) {
	t.Helper()
	clk := clock.NewAutoFake(time.Date(2025, 11, 20, 9, 0, 0, 0, time.UTC))
	c, err := coliving.New(key, colivingtest.Integrator, append([]partnerkit.Option{
		partnerkit.WithBaseURL(srv.URL), transport.WithClock(clk), transport.WithRandom(func() float64 { return 0.5 }),
	}, opts...)...)
	require.NoError(t, err)
	return c, clk
}

func date(s string) partnerkit.Date {
	d, err := partnerkit.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestClientAgainstTheFake(t *testing.T) {
	t.Parallel()
	fake, srv := start(t)
	for _, opts := range [][]partnerkit.Option{nil, {coliving.Sandbox()}, {coliving.WithAPIVersion(coliving.V2)}} {
		c, _ := client(t, srv, colivingtest.APIKey, opts...)
		me, err := c.Account.Verify(ctx)
		require.NoError(t, err)
		require.Equal(t, "Demo Host", me.Name)
		require.Equal(t, "demohost@palmesus.no", me.Email)
		require.False(t, me.CreatedAt.IsZero())
	}

	c, _ := client(t, srv, colivingtest.APIKey, coliving.Sandbox())
	page, err := c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: "5325"})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	rt := page.Items[0]
	require.Equal(t, partnerkit.ID("38753"), rt.ID)
	require.Equal(t, "Full Bedroom", rt.Name)
	require.EqualValues(t, 6, rt.Amount)
	require.Equal(t, "1000", string(rt.Prices.PriceFor(time.March)))

	days := make([]int, 90)
	for i := range days {
		days[i] = (i / 10) % 7
	}
	res, err := c.Availability.PushCalendar(ctx, &coliving.AvailabilityPushCalendarParams{
		Calendars: []coliving.RoomCalendar{{ListingID: "5325", RoomTypeID: rt.ID, Start: date("2025-12-01"), Days: days}},
		BatchSize: 4,
	})
	require.NoError(t, err)
	require.Equal(t, 9, res.Ranges)
	require.Equal(t, 3, res.Requests)
	require.Len(t, res.Results[0].Confirmed, 4)
	require.Equal(t, 6, res.Results[0].Confirmed[0].Rooms)

	held := fake.Availability(colivingtest.ListingID, colivingtest.RoomTypeID)
	require.Len(t, held, 90)
	for i, n := range days {
		require.Equal(t, n, held[date("2025-12-01").AddDays(i).String()], "day %d", i)
	}

	k, err := c.ProviderKeys.Set(ctx, "mb_key_demo_123456")
	require.NoError(t, err)
	require.Equal(t, coliving.ProviderKeyCreated, k.Status)
	require.NotEmpty(t, k.RequestID)
	k, err = c.ProviderKeys.Set(ctx, "mb_key_demo_123456")
	require.NoError(t, err)
	require.Equal(t, coliving.ProviderKeyUnchanged, k.Status)
	k, err = c.ProviderKeys.Set(ctx, "mb_key_demo_654321")
	require.NoError(t, err)
	require.Equal(t, coliving.ProviderKeyUpdated, k.Status)
	stored, ok := fake.ProviderKey(colivingtest.Integrator, colivingtest.HostID)
	require.True(t, ok)
	require.Equal(t, "mb_key_demo_654321", stored)
}

func TestFakeRefusals(t *testing.T) {
	t.Parallel()
	_, srv := start(t)
	c, _ := client(t, srv, colivingtest.APIKey)

	t.Run("bad key", func(t *testing.T) {
		bad, _ := client(t, srv, "sk_test_nobody_knows_me")
		_, err := bad.Account.Verify(ctx)
		require.ErrorIs(t, err, partnerkit.ErrUnauthorized)
	})
	t.Run("another host's listing", func(t *testing.T) {
		_, err := c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: partnerkit.ID(fmt.Sprint(colivingtest.OtherListingID))})
		require.ErrorIs(t, err, partnerkit.ErrNotFound)
	})
	t.Run("unauthorized listings", func(t *testing.T) {
		_, err := c.Availability.Update(ctx, &coliving.AvailabilityUpdateParams{Ranges: []coliving.AvailabilityRange{
			{ListingID: "5325", RoomTypeID: "38753", Available: 1, StartDate: date("2025-12-01"), EndDate: date("2025-12-01")},
			{ListingID: "999", RoomTypeID: "99901", Available: 1, StartDate: date("2025-12-01"), EndDate: date("2025-12-01")},
			{ListingID: "424242", RoomTypeID: "1", Available: 1, StartDate: date("2025-12-01"), EndDate: date("2025-12-01")},
		}})
		require.ErrorIs(t, err, partnerkit.ErrForbidden)
		var apiErr *partnerkit.Error
		require.True(t, errors.As(err, &apiErr))
		require.Equal(t, coliving.CodeUnauthorizedListings, apiErr.Code)
		d, ok := apiErr.Details.(*coliving.ErrorDetails)
		require.True(t, ok)
		require.Equal(t, []partnerkit.ID{"999", "424242"}, d.UnauthorizedListingIDs)
	})
	t.Run("invalid room types", func(t *testing.T) {
		_, err := c.Availability.Update(ctx, &coliving.AvailabilityUpdateParams{Ranges: []coliving.AvailabilityRange{
			{ListingID: "5325", RoomTypeID: "99901", Available: 1, StartDate: date("2025-12-01"), EndDate: date("2025-12-01")},
		}})
		require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)
		d, ok := partnerkit.DetailsOf[*coliving.ErrorDetails](err)
		require.True(t, ok)
		require.Equal(t, []coliving.InvalidRoomType{{ListingID: "5325", RoomTypeID: "99901",
			Reason: "Room type not found or does not belong to listing"}}, d.InvalidRoomTypes)
	})
	t.Run("unsupported provider", func(t *testing.T) {
		other, err := coliving.New(colivingtest.APIKey, "acme", partnerkit.WithBaseURL(srv.URL))
		require.NoError(t, err)
		_, err = other.ProviderKeys.Set(ctx, "acme_key_123456")
		require.ErrorIs(t, err, partnerkit.ErrNotFound)
		var apiErr *partnerkit.Error
		require.ErrorAs(t, err, &apiErr)
		require.Equal(t, coliving.CodeUnsupportedProvider, apiErr.Code)
		require.NotEmpty(t, apiErr.RequestID)
	})
	t.Run("provider key of another host", func(t *testing.T) {
		other, _ := client(t, srv, colivingtest.OtherAPIKey)
		_, err := other.ProviderKeys.Set(ctx, "shared_key_123456")
		require.NoError(t, err)
		_, err = c.ProviderKeys.Set(ctx, "shared_key_123456")
		require.ErrorIs(t, err, partnerkit.ErrConflict)
		require.NotContains(t, err.Error(), "shared_key_123456")
	})
}

// raw sends a request to the fake without the client.
func raw(t *testing.T, srv *httptest.Server, method, path, body string, header ...string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(b)
}

func TestFakeWireBehaviour(t *testing.T) {
	t.Parallel()
	_, srv := start(t)
	key := []string{"X-API-Key", colivingtest.APIKey}

	status, _, body := raw(t, srv, "GET", "/v1/me", "")
	assert.Equal(t, 401, status)
	assert.JSONEq(t, `{"success":false,"error":"API key missing"}`, body)

	status, _, body = raw(t, srv, "GET", "/v1/me", "", key...)
	assert.Equal(t, 200, status, "X-API-Key is accepted")
	assert.Contains(t, body, `"api_key_verified_at"`)

	status, _, body = raw(t, srv, "GET", "/v2/sandbox/me", "", "Authorization", "Bearer "+colivingtest.APIKey)
	assert.Equal(t, 200, status)
	assert.Contains(t, body, `"data":{`)

	status, _, _ = raw(t, srv, "GET", "/v3/me", "", key...)
	assert.Equal(t, 404, status)

	status, _, _ = raw(t, srv, "GET", "/v1/integrations/mangobeds/availability", "", key...)
	assert.Equal(t, 405, status)

	status, _, body = raw(t, srv, "GET", "/v1/integrations/mangobeds/listings/5325/room-types", "", key...)
	assert.Equal(t, 200, status)
	assert.Contains(t, body, `"price_jan":null`)

	tests := []struct {
		body   string
		fields []string
	}{
		{`{}`, []string{"data"}},
		{`{"data":[]}`, []string{"data"}},
		{`{"data":[{}]}`, []string{"data.0.listing_id", "data.0.room_type_id", "data.0.available", "data.0.start_date", "data.0.end_date"}},
		{`{"data":[{"listing_id":"5325","room_type_id":38753,"available":1.5,"start_date":"2025-12-01","end_date":"2025-12-01"}]}`, []string{"data.0.available"}},
		{`{"data":[{"listing_id":"5325","room_type_id":"38753","available":-1,"start_date":"2025-12-01","end_date":"2025-12-01"}]}`, []string{"data.0.available"}},
		{`{"data":[{"listing_id":"5325","room_type_id":"38753","available":1,"start_date":"01/12/2025","end_date":"2025-12-01"}]}`, []string{"data.0.start_date"}},
		{`{"data":[{"listing_id":"5325","room_type_id":"38753","available":1,"start_date":"2025-12-02","end_date":"2025-12-01"}]}`, []string{"data.0.end_date"}},
	}
	for _, tt := range tests {
		status, _, body := raw(t, srv, "POST", "/v1/integrations/mangobeds/availability", tt.body, key...)
		assert.Equal(t, 422, status, tt.body)
		assert.Contains(t, body, `"error":"validation_error"`, tt.body)
		for _, f := range tt.fields {
			assert.Contains(t, body, `"`+f+`":[`, tt.body)
		}
	}
}

func TestFakeFailNext(t *testing.T) {
	t.Parallel()
	fake, srv := start(t)
	c, _ := client(t, srv, colivingtest.APIKey)
	fake.FailNext(2, http.StatusServiceUnavailable)
	_, err := c.Availability.Update(ctx, &coliving.AvailabilityUpdateParams{Ranges: []coliving.AvailabilityRange{
		{ListingID: "5325", RoomTypeID: "38753", Available: 3, StartDate: date("2025-12-01"), EndDate: date("2025-12-03")}}})
	require.NoError(t, err, "availability updates are retried")
	require.Equal(t, 3, fake.Requests(availability), "two failures, then the update")
	require.Equal(t, map[string]int{"2025-12-01": 3, "2025-12-02": 3, "2025-12-03": 3},
		fake.Availability(colivingtest.ListingID, colivingtest.RoomTypeID))

	fake.FailNext(1, http.StatusInternalServerError)
	_, err = c.Account.Verify(ctx)
	require.ErrorIs(t, err, partnerkit.ErrServer)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, "Internal Server Error", apiErr.Message, "Coliving's error body")
	require.Equal(t, 1, fake.Requests("GET /me"), "a 500 on /me is not retried")

	fake.FailNext(1, http.StatusTooManyRequests)
	status, _, body := raw(t, srv, "GET", "/v1/me", "", "X-API-Key", colivingtest.APIKey)
	require.Equal(t, 429, status)
	require.JSONEq(t, `{"success":false,"error":"Rate limit exceeded","retry_after":1}`, body)
	require.Equal(t, 5, fake.Requests(""))
}

func TestFakeQuotas(t *testing.T) {
	t.Parallel()
	t.Run("the client keeps under the documented quota", func(t *testing.T) {
		t.Parallel()
		clk := clock.NewAutoFake(time.Date(2025, 11, 20, 9, 0, 0, 0, time.UTC))
		fake, srv := start(t, colivingtest.WithClock(clk.Now))
		c, err := coliving.New(colivingtest.APIKey, colivingtest.Integrator, partnerkit.WithBaseURL(srv.URL), transport.WithClock(clk))
		require.NoError(t, err)
		for range 130 {
			_, err := c.Availability.Update(ctx, &coliving.AvailabilityUpdateParams{Ranges: []coliving.AvailabilityRange{
				{ListingID: "5325", RoomTypeID: "38753", Available: 1, StartDate: date("2025-12-01"), EndDate: date("2025-12-01")}}})
			require.NoError(t, err)
		}
		require.Equal(t, 130, fake.Requests(availability), "no 429 spent")
		require.Equal(t, []time.Duration{time.Minute + time.Second}, clk.Sleeps(), "the window and its margin")
	})
	t.Run("429 with retry_after in the body", func(t *testing.T) {
		t.Parallel()
		clk := clock.NewAutoFake(time.Date(2025, 11, 20, 9, 0, 0, 0, time.UTC))
		fake, srv := start(t, colivingtest.WithClock(clk.Now))
		fake.SetRateLimit(availability, 2, time.Minute)
		c, err := coliving.New(colivingtest.APIKey, colivingtest.Integrator, partnerkit.WithBaseURL(srv.URL),
			transport.WithClock(clk), partnerkit.WithoutRateLimit())
		require.NoError(t, err)
		for range 3 {
			_, err := c.Availability.Update(ctx, &coliving.AvailabilityUpdateParams{Ranges: []coliving.AvailabilityRange{
				{ListingID: "5325", RoomTypeID: "38753", Available: 1, StartDate: date("2025-12-01"), EndDate: date("2025-12-01")}}})
			require.NoError(t, err)
		}
		require.Equal(t, 4, fake.Requests(availability), "one 429, then the retry")
		require.Equal(t, []time.Duration{time.Minute}, clk.Sleeps(), "waited the body's retry_after")
	})
	t.Run("raw 429 body and header", func(t *testing.T) {
		t.Parallel()
		fake, srv := start(t)
		fake.SetRateLimit("GET /me", 1, time.Minute)
		fake.SendRetryAfterHeader(true)
		key := []string{"X-API-Key", colivingtest.APIKey}
		status, _, _ := raw(t, srv, "GET", "/v1/me", "", key...)
		require.Equal(t, 200, status)
		status, h, body := raw(t, srv, "GET", "/v1/me", "", key...)
		require.Equal(t, 429, status)
		require.JSONEq(t, `{"success":false,"error":"Rate limit exceeded","retry_after":60}`, body)
		require.Equal(t, "60", h.Get("Retry-After"))
		fake.Advance(time.Minute)
		status, _, _ = raw(t, srv, "GET", "/v1/me", "", key...)
		require.Equal(t, 200, status, "the window passed")
	})
}

func TestFakeIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	fake, srv := start(t)
	c, _ := client(t, srv, colivingtest.APIKey, partnerkit.WithoutRateLimit())
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Availability.Update(ctx, &coliving.AvailabilityUpdateParams{Ranges: []coliving.AvailabilityRange{
				{ListingID: "5325", RoomTypeID: "38753", Available: i % 7, StartDate: date("2026-01-01").AddDays(i), EndDate: date("2026-01-01").AddDays(i)}}})
			assert.NoError(t, err)
			_ = fake.Availability(colivingtest.ListingID, colivingtest.RoomTypeID)
		}()
	}
	wg.Wait()
	require.Len(t, fake.Availability(colivingtest.ListingID, colivingtest.RoomTypeID), 8)
}

func TestFakeKnobs(t *testing.T) {
	t.Parallel()
	fake, srv := start(t)
	fake.AddHost(colivingtest.Host{ID: "1", Name: "New Host", Email: "new@example.com", APIKey: "sk_test_new_host_000001"})
	require.Equal(t, "77", fake.AddListing(colivingtest.Listing{ID: "77", HostID: "1", Name: "New", RoomTypes: []colivingtest.RoomType{{ID: "770", Name: "Room", Amount: 2}}}))
	fake.AddIntegrator("acme")
	c, err := coliving.New("sk_test_new_host_000001", "acme", partnerkit.WithBaseURL(srv.URL))
	require.NoError(t, err)
	page, err := c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: "77"})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	require.EqualValues(t, 2, page.Items[0].Amount)
	_, err = c.Availability.Update(ctx, &coliving.AvailabilityUpdateParams{Ranges: []coliving.AvailabilityRange{{ListingID: "77", RoomTypeID: "770", Available: 2,
		StartDate: date("2026-02-01"), EndDate: date("2026-02-01")}}})
	require.NoError(t, err)
	require.Equal(t, map[string]int{"2026-02-01": 2}, fake.Availability("77", "770"))
	require.Empty(t, fake.Availability(colivingtest.ListingID, colivingtest.RoomTypeID))
}

func TestFakeRequestsByRoute(t *testing.T) {
	t.Parallel()
	fake, srv := start(t)
	for _, opts := range [][]partnerkit.Option{nil, {coliving.Sandbox()}, {coliving.WithAPIVersion(coliving.V2), coliving.Sandbox()}} {
		c, _ := client(t, srv, colivingtest.APIKey, opts...)
		_, err := c.Account.Verify(ctx)
		require.NoError(t, err)
		_, err = c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: "5325"})
		require.NoError(t, err)
	}
	c, _ := client(t, srv, colivingtest.APIKey)
	_, err := c.ProviderKeys.Set(ctx, "mb_key_demo_123456")
	require.NoError(t, err)
	status, _, _ := raw(t, srv, "GET", "/v1/nothing-here", "")
	require.Equal(t, 404, status)
	status, _, _ = raw(t, srv, "GET", "/v1/integrations/mangobeds/availability", "")
	require.Equal(t, 405, status)

	require.Equal(t, 3, fake.Requests("GET /me"), "every version and environment")
	require.Equal(t, 3, fake.Requests("GET /integrations/{provider}/listings/{listing_id}/room-types"))
	require.Equal(t, 1, fake.Requests("POST /integrations/{provider}/provider-key"))
	require.Equal(t, 0, fake.Requests(availability))
	require.Panics(t, func() { fake.Requests("GET /integrations/{provider}/availability") }, "the method is part of the route: a GET is no route")
	require.Equal(t, 9, fake.Requests(""), "every request, those of no route included")
}

func TestFakeSetRateLimit(t *testing.T) {
	t.Parallel()
	key := []string{"X-API-Key", colivingtest.APIKey}
	other := []string{"X-API-Key", colivingtest.OtherAPIKey}
	t.Run("the per-key quota counts every route of a key", func(t *testing.T) {
		t.Parallel()
		now := time.Date(2025, 11, 20, 9, 0, 0, 0, time.UTC)
		fake, srv := start(t, colivingtest.WithClock(func() time.Time { return now }))
		fake.SetRateLimit("", 2, time.Minute)
		status, _, _ := raw(t, srv, "GET", "/v1/me", "", key...)
		require.Equal(t, 200, status)
		status, _, _ = raw(t, srv, "GET", "/v1/integrations/mangobeds/listings/5325/room-types", "", key...)
		require.Equal(t, 200, status)
		now = now.Add(15 * time.Second)
		status, _, body := raw(t, srv, "GET", "/v1/integrations/mangobeds/listings/5325/room-types", "", key...)
		require.Equal(t, 429, status)
		require.JSONEq(t, `{"success":false,"error":"Rate limit exceeded","retry_after":45}`, body)
		status, _, _ = raw(t, srv, "GET", "/v1/me", "", other...)
		require.Equal(t, 200, status, "another key has its own quota")
		now = now.Add(45 * time.Second)
		status, _, _ = raw(t, srv, "GET", "/v1/me", "", key...)
		require.Equal(t, 200, status, "the first request left the window")
	})
	t.Run("a route's quota counts that route only", func(t *testing.T) {
		t.Parallel()
		fake, srv := start(t)
		fake.SetRateLimit("GET /integrations/{provider}/listings/{listing_id}/room-types", 1, time.Hour)
		status, _, _ := raw(t, srv, "GET", "/v1/integrations/mangobeds/listings/5325/room-types", "", key...)
		require.Equal(t, 200, status)
		status, _, _ = raw(t, srv, "GET", "/v1/sandbox/integrations/mangobeds/listings/5325/room-types", "", key...)
		require.Equal(t, 429, status, "the sandbox is the same route")
		status, _, _ = raw(t, srv, "GET", "/v1/me", "", key...)
		require.Equal(t, 200, status)
		fake.Advance(time.Hour)
		status, _, _ = raw(t, srv, "GET", "/v1/integrations/mangobeds/listings/5325/room-types", "", key...)
		require.Equal(t, 200, status, "Advance moved the fake's clock past the window")
	})
	t.Run("a limit below 1 removes a quota", func(t *testing.T) {
		t.Parallel()
		fake, srv := start(t)
		fake.SetRateLimit("GET /me", 0, time.Minute)
		for range 61 {
			status, _, _ := raw(t, srv, "GET", "/v1/me", "", key...)
			require.Equal(t, 200, status)
		}
	})
	t.Run("a route the fake does not serve is a mistake", func(t *testing.T) {
		t.Parallel()
		fake := colivingtest.New()
		require.PanicsWithValue(t, `colivingtest: SetRateLimit("me"): the fake serves no such route; its routes are "GET /me", "GET /integrations/{provider}/listings/{listing_id}/room-types", "POST /integrations/{provider}/availability", "POST /integrations/{provider}/provider-key", and "" stands for every request`,
			func() { fake.SetRateLimit("me", 1, time.Minute) })
		require.Panics(t, func() { fake.Requests("GET /v1/me") })
		require.Panics(t, func() { fake.Requests("/me") })
	})
}

func TestFakeClock(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 11, 20, 9, 0, 0, 0, time.UTC)
	fake, srv := start(t, colivingtest.WithClock(func() time.Time { return now }))
	c, _ := client(t, srv, colivingtest.APIKey)
	me, err := c.Account.Verify(ctx)
	require.NoError(t, err)
	require.Equal(t, now, me.APIKeyVerifiedAt.Time, "the fake tells time with the clock it was given")
	fake.Advance(90 * time.Minute)
	me, err = c.Account.Verify(ctx)
	require.NoError(t, err)
	require.Equal(t, now.Add(90*time.Minute), me.APIKeyVerifiedAt.Time)
}
