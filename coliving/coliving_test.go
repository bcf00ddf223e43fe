package coliving_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/coliving"
	"github.com/partnerkit/partnerkit-go/internal/mocktest"
)

// Bodies from Coliving's documents.
const (
	meV1 = `{"success":true,"api_key_verified_at":"2024-01-15T10:30:00.000Z","name":"John Doe",
"email":"john@example.com","created_at":"2023-06-15T08:20:00.000Z","last_login_at":"2024-01-14T16:45:00.000Z"}`
	meV2 = `{"success":true,"data":{"name":"John Doe","email":"john@example.com","created_at":"2023-06-15T08:20:00.000Z"}}`

	roomTypesDoc = `{"success":true,"data":{"room_types":[{"room_type_id":38753,"listing_id":5325,"name":"Full Bedroom",
"room_type":"private","bed_type":"king","bathroom_type":"private","gender":"Separated","amount":6,"max_occupancy":1,
"room_size":15,"room_size_unit":"m2","available_at":"2025-10-26","prices":{"currency":"USD","base_price":500.0,
"price_jan":500.0,"price_feb":500.0,"price_mar":520.0,"price_apr":520.0,"price_may":550.0,"price_jun":560.0,
"price_jul":580.0,"price_aug":580.0,"price_sep":540.0,"price_oct":520.0,"price_nov":500.0,"price_dec":600.0}}]}}`
	// roomTypesSeed is the test data: monthly prices null, counts as strings.
	roomTypesSeed = `{"success":true,"data":{"room_types":[{"room_type_id":"38753","listing_id":"5325","name":"Full Bedroom",
"room_type":"private","bed_type":"king","bathroom_type":"private","gender":"Separated","amount":"6","max_occupancy":1,
"room_size":"15","room_size_unit":"m2","available_at":null,"prices":{"currency":"USD","base_price":1000,
"price_jan":null,"price_feb":null,"price_mar":null,"price_apr":null,"price_may":null,"price_jun":null,
"price_jul":null,"price_aug":null,"price_sep":null,"price_oct":null,"price_nov":null,"price_dec":null},"extra":"kept"}]}}`

	availabilityOK = `{"success":true,"availability":{"room_type_id_38753 (6 rooms)":["2025-12-01 -> 2025-12-20 : 2"]}}`

	errKeyMissing       = `{"success":false,"error":"API key missing"}`
	errInvalidRoomTypes = `{"success":false,"error":"Invalid room types for listings","details":{"invalid_room_types":[
{"listing_id":"1","room_type_id":"999","reason":"Room type not found or does not belong to listing"}]}}`
	errUnauthorizedListings = `{"success":false,"error":"Unauthorized access to listings","details":{"unauthorized_listing_ids":["999","1000"]}}`
	errValidation           = `{"success":false,"error":"validation_error","message":"The given data was invalid.",
"errors":{"data.0.listing_id":["The listing id field is required."]}}`
	errRateLimited   = `{"success":false,"error":"Rate limit exceeded","retry_after":45}`
	errListing404    = `{"success":false,"error":"Listing not found or unauthorized"}`
	errEnvelope      = `{"error":{"type":"invalid_request","message":"Request is invalid","request_id":"req_123","errors":[{"path":"data.0.available","code":"min","message":"must be at least 0"},{"path":"data.0.available","code":"integer","message":"must be an integer"}]}}`
	errConflict      = `{"error":{"type":"conflict","message":"The provider key belongs to another account","request_id":"req_409"}}`
	errUnsupportedPr = `{"error":{"type":"unsupported_provider","message":"Provider acme is not supported","request_id":"req_404"}}`
)

// oneRange is the range of the documents' example request.
func oneRange() coliving.AvailabilityRange {
	return coliving.AvailabilityRange{ListingID: "5325", RoomTypeID: "38753", Available: 2,
		StartDate: date("2025-12-01"), EndDate: date("2025-12-20")}
}

// oneUpdate is the documents' example request.
func oneUpdate() *coliving.AvailabilityUpdateParams {
	return &coliving.AvailabilityUpdateParams{Ranges: []coliving.AvailabilityRange{oneRange()}}
}

func TestVerifyV1(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/me", 200, meV1)
	a, err := h.c.Account.Verify(ctx)
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "GET", r.Method)
	require.Equal(t, "/api/v1/me", r.Path)
	require.Empty(t, r.Query)
	require.Empty(t, r.Body)
	require.Empty(t, r.Header.Get("Content-Type"))
	require.Equal(t, "John Doe", a.Name)
	require.Equal(t, "john@example.com", a.Email)
	require.Equal(t, time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC), a.APIKeyVerifiedAt.Time)
	require.Equal(t, time.Date(2023, 6, 15, 8, 20, 0, 0, time.UTC), a.CreatedAt.Time)
	require.Equal(t, time.Date(2024, 1, 14, 16, 45, 0, 0, time.UTC), a.LastLoginAt.Time)
	require.JSONEq(t, meV1, string(a.Raw))
}

func TestVerifyV2DecodesIntoTheSameType(t *testing.T) {
	t.Parallel()
	h := newHarness(t, coliving.WithAPIVersion(coliving.V2))
	h.on(http.MethodGet, "/v2/me", 200, meV2)
	a, err := h.c.Account.Verify(ctx)
	require.NoError(t, err)
	require.Equal(t, "/api/v2/me", h.last(t).Path)
	require.Equal(t, "John Doe", a.Name)
	require.Equal(t, "john@example.com", a.Email)
	require.Equal(t, time.Date(2023, 6, 15, 8, 20, 0, 0, time.UTC), a.CreatedAt.Time)
	require.True(t, a.LastLoginAt.IsZero())
	require.JSONEq(t, meV2, string(a.Raw))
}

func TestVersionAndSandboxSelectThePath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		opts   []partnerkit.Option
		prefix string
	}{
		{"production v1", nil, "/api/v1"},
		{"sandbox v1", []partnerkit.Option{coliving.Sandbox()}, "/api/v1/sandbox"},
		{"production v2", []partnerkit.Option{coliving.WithAPIVersion(coliving.V2)}, "/api/v2"},
		{"sandbox v2", []partnerkit.Option{coliving.WithAPIVersion(coliving.V2), coliving.Sandbox()}, "/api/v2/sandbox"},
		{"base URL naming v1", []partnerkit.Option{partnerkit.WithBaseURL(root + "/v1")}, "/api/v1"},
		{"base URL naming the v1 sandbox", []partnerkit.Option{partnerkit.WithBaseURL(root + "/v1/sandbox"), coliving.Sandbox()}, "/api/v1/sandbox"},
		{"base URL naming v2", []partnerkit.Option{partnerkit.WithBaseURL(root + "/v2/"), coliving.WithAPIVersion(coliving.V2)}, "/api/v2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tt.opts...)
			p := strings.TrimPrefix(tt.prefix, "/api")
			h.on(http.MethodGet, p+"/me", 200, meV1)
			h.on(http.MethodGet, p+"/integrations/mangobeds/listings/5325/room-types", 200, roomTypesDoc)
			h.on(http.MethodPost, p+"/integrations/mangobeds/availability", 200, availabilityOK)
			h.on(http.MethodPost, p+"/integrations/mangobeds/provider-key", 200, `{"data":{"status":"created"}}`)
			_, err := h.c.Account.Verify(ctx)
			require.NoError(t, err)
			_, err = h.c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: "5325"})
			require.NoError(t, err)
			_, err = h.c.Availability.Update(ctx, oneUpdate())
			require.NoError(t, err)
			_, err = h.c.ProviderKeys.Set(ctx, "mb_live_key_123456")
			require.NoError(t, err)
			var paths []string
			for _, r := range h.Requests() {
				paths = append(paths, r.Path)
			}
			require.Equal(t, []string{
				tt.prefix + "/me",
				tt.prefix + "/integrations/mangobeds/listings/5325/room-types",
				tt.prefix + "/integrations/mangobeds/availability",
				tt.prefix + "/integrations/mangobeds/provider-key",
			}, paths)
		})
	}
}

func TestDefaultAddresses(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		opts []partnerkit.Option
		url  string
	}{
		{nil, "https://api.coliving.com/v1/me"},
		{[]partnerkit.Option{coliving.Sandbox()}, "https://api.coliving.com/v1/sandbox/me"},
		{[]partnerkit.Option{coliving.WithAPIVersion(coliving.V2)}, "https://api.coliving.com/v2/me"},
	} {
		h := newHarness(t)
		c, err := coliving.New(apiKey, integrator, append([]partnerkit.Option{
			partnerkit.WithHTTPClient(&http.Client{Transport: h.mock})}, tt.opts...)...)
		require.NoError(t, err)
		h.onURL(http.MethodGet, tt.url, 200, meV1)
		_, err = c.Account.Verify(ctx)
		require.NoError(t, err, tt.url)
		require.Equal(t, 1, h.mock.GetTotalCallCount(), tt.url)
	}
}

func TestRoomTypesList(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/integrations/mangobeds/listings/5325/room-types", 200, roomTypesDoc)
	page, err := h.c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: "5325"})
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "GET", r.Method)
	require.Equal(t, "/api/v1/integrations/mangobeds/listings/5325/room-types", r.Path)
	require.Empty(t, r.Query)
	require.Empty(t, r.Body)
	require.False(t, page.HasMore(), "Coliving does not page room types")
	require.Len(t, page.Items, 1)
	rt := page.Items[0]
	require.Equal(t, partnerkit.ID("38753"), rt.ID)
	require.Equal(t, partnerkit.ID("5325"), rt.ListingID)
	require.Equal(t, "Full Bedroom", rt.Name)
	require.Equal(t, "private", rt.RoomType)
	require.Equal(t, "king", rt.BedType)
	require.Equal(t, "private", rt.BathroomType)
	require.Equal(t, "Separated", rt.Gender)
	require.EqualValues(t, 6, rt.Amount)
	require.EqualValues(t, 1, rt.MaxOccupancy)
	require.Equal(t, 15.0, rt.RoomSize.Float64())
	require.Equal(t, "m2", rt.RoomSizeUnit)
	require.Equal(t, date("2025-10-26"), rt.AvailableAt)
	require.Equal(t, "USD", rt.Prices.Currency)
	require.Equal(t, 500.0, rt.Prices.BasePrice.Float64())
	require.Equal(t, 520.0, rt.Prices.Monthly[time.March-1].Float64())
	require.Equal(t, 600.0, rt.Prices.PriceFor(time.December).Float64())
}

func TestRoomTypesWithNullMonthlyPrices(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/integrations/mangobeds/listings/5325/room-types", 200, roomTypesSeed)
	page, err := h.c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: "5325"})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	rt := page.Items[0]
	require.EqualValues(t, 6, rt.Amount, "a count sent as a string")
	require.Equal(t, 15.0, rt.RoomSize.Float64())
	require.True(t, rt.AvailableAt.IsZero())
	require.Equal(t, [12]partnerkit.Number{}, rt.Prices.Monthly, "null months stay empty")
	require.Equal(t, partnerkit.Number("1000"), rt.Prices.PriceFor(time.July), "falls back to the base price")
	require.Contains(t, string(rt.Raw), `"extra":"kept"`)
}

func TestRoomTypesOfAnotherHostsListing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/integrations/mangobeds/listings/999/room-types", 404, errListing404)
	_, err := h.c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: "999"})
	require.ErrorIs(t, err, partnerkit.ErrNotFound)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, "Listing not found or unauthorized", apiErr.Message)
	require.Len(t, h.Requests(), 1, "a 404 is final")
}

func TestAvailabilityUpdate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/v1/integrations/mangobeds/availability", 200, availabilityOK)
	res, err := h.c.Availability.Update(ctx, &coliving.AvailabilityUpdateParams{Ranges: []coliving.AvailabilityRange{oneRange(), {
		ListingID: "5325", RoomTypeID: "38753", Available: 0, StartDate: date("2025-12-21"), EndDate: date("2025-12-21")}}})
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "POST", r.Method)
	require.Equal(t, "/api/v1/integrations/mangobeds/availability", r.Path)
	require.Equal(t, "application/json", r.Header.Get("Content-Type"))
	require.JSONEq(t, `{"data":[
{"listing_id":"5325","room_type_id":"38753","available":2,"start_date":"2025-12-01","end_date":"2025-12-20"},
{"listing_id":"5325","room_type_id":"38753","available":0,"start_date":"2025-12-21","end_date":"2025-12-21"}]}`, r.Body)
	require.Equal(t, map[string][]string{"room_type_id_38753 (6 rooms)": {"2025-12-01 -> 2025-12-20 : 2"}}, res.Availability)
	require.Equal(t, []coliving.ConfirmedRange{{RoomTypeID: "38753", Rooms: 6, StartDate: date("2025-12-01"),
		EndDate: date("2025-12-20"), Available: 2}}, res.Confirmed)
	require.JSONEq(t, availabilityOK, string(res.Raw))
}

func TestAvailabilityUpdateIsRetriedAfterAServerFailure(t *testing.T) {
	t.Parallel()
	for _, status := range []int{502, 503, 504} {
		h := newHarness(t)
		h.sequence(http.MethodPost, "/v1/integrations/mangobeds/availability",
			answer{status: status, body: `<html>down</html>`}, answer{status: 200, body: availabilityOK})
		_, err := h.c.Availability.Update(ctx, oneUpdate())
		require.NoError(t, err, "status %d", status)
		reqs := h.Requests()
		require.Len(t, reqs, 2, "absolute values are safe to send again")
		require.Equal(t, reqs[0].Body, reqs[1].Body, "the same body is sent again")
		require.Equal(t, []time.Duration{250 * time.Millisecond}, h.clock.Sleeps(), "half of the first backoff step")
	}

	h := newHarness(t)
	h.mock.RegisterResponder(http.MethodPost, root+"/v1/integrations/mangobeds/availability", func(r *http.Request) (*http.Response, error) {
		if h.Record(r); len(h.Requests()) == 1 {
			return nil, mocktest.Timeout()
		}
		return mocktest.JSON(200, availabilityOK), nil
	})
	_, err := h.c.Availability.Update(ctx, oneUpdate())
	require.NoError(t, err)
	require.Len(t, h.Requests(), 2, "a timeout is retried too: the values are absolute")
}

func TestAvailabilityUpdateWaitsTheBodysRetryAfter(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.sequence(http.MethodPost, "/v1/integrations/mangobeds/availability",
		answer{status: 429, body: errRateLimited}, answer{status: 200, body: availabilityOK})
	_, err := h.c.Availability.Update(ctx, oneUpdate())
	require.NoError(t, err)
	require.Len(t, h.Requests(), 2)
	require.Equal(t, []time.Duration{45 * time.Second}, h.clock.Sleeps())
}

func TestRetryAfterLongerThanAllowedIsReported(t *testing.T) {
	t.Parallel()
	h := newHarness(t, partnerkit.WithMaxWait(10*time.Second))
	h.on(http.MethodGet, "/v1/me", 429, errRateLimited)
	_, err := h.c.Account.Verify(ctx)
	require.ErrorIs(t, err, partnerkit.ErrRateLimited)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, 45*time.Second, apiErr.RetryAfter)
	require.Len(t, h.Requests(), 1)
	require.Empty(t, h.clock.Sleeps(), "never slept")
}

func TestProviderKeySet(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	h := newHarness(t, partnerkit.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	h.on(http.MethodPost, "/v1/integrations/mangobeds/provider-key", 200,
		`{"data":{"status":"updated","message":"Provider key updated"},"meta":{"request_id":"req_abc"}}`)
	const key = "mb_live_9f8e7d6c5b4a"
	res, err := h.c.ProviderKeys.Set(ctx, key)
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "POST", r.Method)
	require.Equal(t, "/api/v1/integrations/mangobeds/provider-key", r.Path)
	require.JSONEq(t, `{"provider_api_key":"`+key+`"}`, r.Body)
	require.Equal(t, coliving.ProviderKeyUpdated, res.Status)
	require.Equal(t, "Provider key updated", res.Message)
	require.Equal(t, "req_abc", res.RequestID)
	require.NotEmpty(t, logs.String())
	require.NotContains(t, logs.String(), key)
	require.NotContains(t, logs.String(), apiKey)
}

// TestProviderKeySetIsRetried: setting the same key again changes nothing,
// so Set is sent again after a failure that may have reached Coliving (a
// 5xx, a timeout), with the same body, as its documentation says.
func TestProviderKeySetIsRetried(t *testing.T) {
	t.Parallel()
	const path = "/v1/integrations/mangobeds/provider-key"
	const ok = `{"data":{"status":"unchanged","message":"Provider key unchanged"},"meta":{"request_id":"req_abc"}}`
	const key = "mb_live_9f8e7d6c5b4a"
	for _, status := range []int{502, 503, 504} {
		h := newHarness(t)
		h.sequence(http.MethodPost, path, answer{status: status, body: `<html>down</html>`}, answer{status: 200, body: ok})
		res, err := h.c.ProviderKeys.Set(ctx, key)
		require.NoError(t, err, "status %d", status)
		require.Equal(t, coliving.ProviderKeyUnchanged, res.Status)
		reqs := h.Requests()
		require.Len(t, reqs, 2, "status %d", status)
		require.Equal(t, reqs[0].Body, reqs[1].Body, "the same body is sent again")
	}

	h := newHarness(t)
	h.mock.RegisterResponder(http.MethodPost, root+path, func(r *http.Request) (*http.Response, error) {
		if h.Record(r); len(h.Requests()) == 1 {
			return nil, mocktest.Timeout()
		}
		return mocktest.JSON(200, ok), nil
	})
	_, err := h.c.ProviderKeys.Set(ctx, key)
	require.NoError(t, err)
	require.Len(t, h.Requests(), 2, "a timeout is retried too")
}

func TestSecretsNeverReachErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const key = "mb_live_9f8e7d6c5b4a"
	h.on(http.MethodPost, "/v1/integrations/mangobeds/provider-key", 409,
		`{"error":{"type":"conflict","message":"Key `+key+` belongs to another account; your key is `+apiKey+`"}}`)
	_, err := h.c.ProviderKeys.Set(ctx, key)
	require.ErrorIs(t, err, partnerkit.ErrConflict)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.NotContains(t, err.Error(), key)
	require.NotContains(t, err.Error(), apiKey)
	require.NotContains(t, string(apiErr.Body), key)
	require.NotContains(t, string(apiErr.Body), apiKey)
	require.Len(t, h.Requests(), 1)
}

func TestErrorShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		status    int
		body      string
		kind      error
		code      string
		message   string
		fields    map[string][]string
		wait      time.Duration
		requestID string
	}{
		{"key missing", 401, errKeyMissing, partnerkit.ErrUnauthorized, "", "API key missing", nil, 0, ""},
		{"invalid room types", 400, errInvalidRoomTypes, partnerkit.ErrInvalidRequest, coliving.CodeInvalidRoomTypes,
			"Invalid room types for listings", nil, 0, ""},
		{"unauthorized listings", 403, errUnauthorizedListings, partnerkit.ErrForbidden, coliving.CodeUnauthorizedListings,
			"Unauthorized access to listings", nil, 0, ""},
		{"validation", 422, errValidation, partnerkit.ErrInvalidRequest, coliving.CodeValidationError, "The given data was invalid.",
			map[string][]string{"data.0.listing_id": {"The listing id field is required."}}, 0, ""},
		{"rate limited", 429, errRateLimited, partnerkit.ErrRateLimited, "", "Rate limit exceeded", nil, 45 * time.Second, ""},
		{"rate limited, string seconds", 429, `{"success":false,"error":"Rate limit exceeded","retry_after":"30"}`,
			partnerkit.ErrRateLimited, "", "Rate limit exceeded", nil, 30 * time.Second, ""},
		{"envelope", 400, errEnvelope, partnerkit.ErrInvalidRequest, "invalid_request", "Request is invalid",
			map[string][]string{"data.0.available": {"must be at least 0", "must be an integer"}}, 0, "req_123"},
		{"conflict", 409, errConflict, partnerkit.ErrConflict, coliving.CodeConflict,
			"The provider key belongs to another account", nil, 0, "req_409"},
		{"unsupported provider", 404, errUnsupportedPr, partnerkit.ErrNotFound, coliving.CodeUnsupportedProvider,
			"Provider acme is not supported", nil, 0, "req_404"},
		{"not json", 500, `<html>oops</html>`, partnerkit.ErrServer, "", "", nil, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, partnerkit.WithMaxRetries(0))
			h.on(http.MethodPost, "/v1/integrations/mangobeds/availability", tt.status, tt.body)
			_, err := h.c.Availability.Update(ctx, oneUpdate())
			var apiErr *partnerkit.Error
			require.ErrorAs(t, err, &apiErr)
			require.ErrorIs(t, err, tt.kind)
			require.Equal(t, "coliving", apiErr.Provider)
			require.Equal(t, tt.status, apiErr.StatusCode)
			require.Equal(t, tt.code, apiErr.Code)
			require.Equal(t, tt.message, apiErr.Message)
			require.Equal(t, tt.fields, apiErr.FieldErrors)
			require.Equal(t, tt.wait, apiErr.RetryAfter)
			require.Equal(t, tt.requestID, apiErr.RequestID)
			require.Equal(t, "POST", apiErr.Method)
			require.Equal(t, "/integrations/"+integrator+"/availability", apiErr.Path, "the path as sent, under the base URL")
			require.Len(t, h.Requests(), 1)
		})
	}
}

func TestRefusedIDsAreTypedData(t *testing.T) {
	t.Parallel()
	t.Run("unauthorized listings", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.on(http.MethodPost, "/v1/integrations/mangobeds/availability", 403, errUnauthorizedListings)
		_, err := h.c.Availability.Update(ctx, oneUpdate())
		var apiErr *partnerkit.Error
		require.True(t, errors.As(err, &apiErr))
		d, ok := apiErr.Details.(*coliving.ErrorDetails)
		require.True(t, ok, "Details is *coliving.ErrorDetails, got %T", apiErr.Details)
		require.Equal(t, []partnerkit.ID{"999", "1000"}, d.UnauthorizedListingIDs)
		require.Empty(t, d.InvalidRoomTypes)
		require.JSONEq(t, `{"unauthorized_listing_ids":["999","1000"]}`, string(d.Raw))
	})
	t.Run("invalid room types", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.on(http.MethodPost, "/v1/integrations/mangobeds/availability", 400, errInvalidRoomTypes)
		_, err := h.c.Availability.Update(ctx, oneUpdate())
		d, ok := partnerkit.DetailsOf[*coliving.ErrorDetails](err)
		require.True(t, ok)
		require.Equal(t, []coliving.InvalidRoomType{{ListingID: "1", RoomTypeID: "999",
			Reason: "Room type not found or does not belong to listing"}}, d.InvalidRoomTypes)
	})
	t.Run("numbers instead of strings", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.on(http.MethodPost, "/v1/integrations/mangobeds/availability", 403,
			`{"success":false,"error":"Unauthorized access to listings","details":{"unauthorized_listing_ids":[999]}}`)
		_, err := h.c.Availability.Update(ctx, oneUpdate())
		d, ok := partnerkit.DetailsOf[*coliving.ErrorDetails](err)
		require.True(t, ok)
		require.Equal(t, []partnerkit.ID{"999"}, d.UnauthorizedListingIDs)
	})
	t.Run("envelope problems", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.on(http.MethodPost, "/v1/integrations/mangobeds/availability", 400, errEnvelope)
		_, err := h.c.Availability.Update(ctx, oneUpdate())
		d, ok := partnerkit.DetailsOf[*coliving.ErrorDetails](err)
		require.True(t, ok)
		require.Equal(t, []coliving.Problem{
			{Path: "data.0.available", Code: "min", Message: "must be at least 0"},
			{Path: "data.0.available", Code: "integer", Message: "must be an integer"},
		}, d.Problems)
	})
	t.Run("through PushCalendar", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.on(http.MethodPost, "/v1/integrations/mangobeds/availability", 403, errUnauthorizedListings)
		res, err := h.c.Availability.PushCalendar(ctx, &coliving.AvailabilityPushCalendarParams{Calendars: []coliving.RoomCalendar{
			{ListingID: "999", RoomTypeID: "1", Start: date("2025-12-01"), Days: []int{1, 1, 2}}}})
		require.ErrorIs(t, err, partnerkit.ErrForbidden)
		require.Contains(t, err.Error(), "batch 1 of 1")
		d, ok := partnerkit.DetailsOf[*coliving.ErrorDetails](err)
		require.True(t, ok)
		require.Equal(t, []partnerkit.ID{"999", "1000"}, d.UnauthorizedListingIDs)
		require.Equal(t, 2, res.Ranges)
		require.Zero(t, res.Requests)
	})
	t.Run("no details", func(t *testing.T) {
		t.Parallel()
		for _, body := range []string{errKeyMissing, errValidation, errRateLimited, errConflict, `{"success":false,"error":"x","details":[1]}`} {
			h := newHarness(t, partnerkit.WithMaxRetries(0))
			h.on(http.MethodPost, "/v1/integrations/mangobeds/availability", 400, body)
			_, err := h.c.Availability.Update(ctx, oneUpdate())
			var apiErr *partnerkit.Error
			require.ErrorAs(t, err, &apiErr)
			require.Nil(t, apiErr.Details, "Details is nil or *ErrorDetails: %s", body)
			_, ok := partnerkit.DetailsOf[*coliving.ErrorDetails](err)
			require.False(t, ok, body)
		}
	})
}

func TestSuccessFalseUnderA200IsAnError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body string
		kind error
	}{
		{errUnauthorizedListings, partnerkit.ErrForbidden},
		{errInvalidRoomTypes, partnerkit.ErrInvalidRequest},
		{errValidation, partnerkit.ErrInvalidRequest},
		{errKeyMissing, partnerkit.ErrUnexpected},
		{`{"success":false}`, partnerkit.ErrUnexpected},
	}
	for _, tt := range tests {
		h := newHarness(t)
		h.on(http.MethodPost, "/v1/integrations/mangobeds/availability", 200, tt.body)
		h.on(http.MethodGet, "/v1/me", 200, tt.body)
		h.on(http.MethodGet, "/v1/integrations/mangobeds/listings/5325/room-types", 200, tt.body)
		_, err := h.c.Availability.Update(ctx, oneUpdate())
		require.ErrorIs(t, err, tt.kind, tt.body)
		require.NotErrorIs(t, err, partnerkit.ErrRateLimited, tt.body)
		var apiErr *partnerkit.Error
		require.ErrorAs(t, err, &apiErr)
		require.Equal(t, 200, apiErr.StatusCode)
		require.NotEmpty(t, apiErr.Message)
		_, err = h.c.Account.Verify(ctx)
		require.ErrorIs(t, err, tt.kind, tt.body)
		_, err = h.c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: "5325"})
		require.ErrorIs(t, err, tt.kind, tt.body)
		require.Len(t, h.Requests(), 3, "%s: a failure that is not a rate limit is final", tt.body)
		require.Empty(t, h.clock.Sleeps(), tt.body)
	}
}

// TestRateLimitUnderA200IsRetriedLikeA429 checks that a 200 whose body is
// Coliving's rate-limit refusal is waited out and retried like a 429, on
// every call: retry_after when the body has it, the backoff otherwise.
func TestRateLimitUnderA200IsRetriedLikeA429(t *testing.T) {
	t.Parallel()
	calls := []struct {
		method, path, ok string
		call             func(c *coliving.Client) error
	}{
		{http.MethodPost, "/v1/integrations/mangobeds/availability", availabilityOK, func(c *coliving.Client) error {
			_, err := c.Availability.Update(ctx, oneUpdate())
			return err
		}},
		{http.MethodGet, "/v1/me", meV1, func(c *coliving.Client) error { _, err := c.Account.Verify(ctx); return err }},
		{http.MethodGet, "/v1/integrations/mangobeds/listings/5325/room-types", roomTypesDoc, func(c *coliving.Client) error {
			_, err := c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: "5325"})
			return err
		}},
	}
	for _, tt := range []struct {
		name string
		body string
		wait time.Duration
	}{
		{"retry_after in the body", errRateLimited, 45 * time.Second},
		{"no retry_after", `{"success":false,"error":"Rate limit exceeded"}`, 250 * time.Millisecond},
	} {
		for _, call := range calls {
			h := newHarness(t)
			h.sequence(call.method, call.path, answer{status: 200, body: tt.body}, answer{status: 200, body: call.ok})
			require.NoError(t, call.call(h.c), "%s: %s", tt.name, call.path)
			require.Len(t, h.Requests(), 2, "%s: %s", tt.name, call.path)
			require.Equal(t, []time.Duration{tt.wait}, h.clock.Sleeps(), "%s: %s", tt.name, call.path)
		}
	}

	t.Run("reported when it lasts", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, partnerkit.WithMaxRetries(1))
		h.on(http.MethodPost, "/v1/integrations/mangobeds/availability", 200, errRateLimited)
		_, err := h.c.Availability.Update(ctx, oneUpdate())
		require.ErrorIs(t, err, partnerkit.ErrRateLimited)
		var apiErr *partnerkit.Error
		require.ErrorAs(t, err, &apiErr)
		require.Equal(t, 200, apiErr.StatusCode)
		require.Equal(t, 45*time.Second, apiErr.RetryAfter)
		require.Len(t, h.Requests(), 2)
	})
}

func TestUndecodableAnswer(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/integrations/mangobeds/listings/5325/room-types", 200, `{"success":true,"data":{"room_types":{"oops":1}}}`)
	_, err := h.c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: "5325"})
	require.ErrorIs(t, err, partnerkit.ErrUnexpected)
}

func TestBadInputIsRejectedBeforeSending(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	upd := func(edit func(*coliving.AvailabilityRange)) *coliving.AvailabilityUpdateParams {
		r := oneRange()
		edit(&r)
		return &coliving.AvailabilityUpdateParams{Ranges: []coliving.AvailabilityRange{oneRange(), r}}
	}
	update := func(p *coliving.AvailabilityUpdateParams) func() error {
		return func() error { _, err := h.c.Availability.Update(ctx, p); return err }
	}
	push := func(p *coliving.AvailabilityPushCalendarParams) func() error {
		return func() error { _, err := h.c.Availability.PushCalendar(ctx, p); return err }
	}
	calendars := func(cals ...coliving.RoomCalendar) func() error {
		return push(&coliving.AvailabilityPushCalendarParams{Calendars: cals})
	}
	list := func(p *coliving.RoomTypeListParams) func() error {
		return func() error { _, err := h.c.RoomTypes.List(ctx, p); return err }
	}
	all := func(p *coliving.RoomTypeListParams) func() error {
		return func() error {
			n := 0
			var last error
			for _, err := range h.c.RoomTypes.All(ctx, p) {
				n++
				last = err
			}
			if n != 1 {
				return fmt.Errorf("All yielded %d times", n)
			}
			return last
		}
	}
	cal := coliving.RoomCalendar{ListingID: "5325", RoomTypeID: "38753", Start: date("2025-12-01"), Days: []int{1, 2}}
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"no params", update(nil), "params"},
		{"no ranges", update(&coliving.AvailabilityUpdateParams{}), "Ranges"},
		{"listing missing", update(upd(func(r *coliving.AvailabilityRange) { r.ListingID = "" })), "Ranges[1].ListingID"},
		{"listing zero", update(upd(func(r *coliving.AvailabilityRange) { r.ListingID = "0" })), "Ranges[1].ListingID"},
		{"room type missing", update(upd(func(r *coliving.AvailabilityRange) { r.RoomTypeID = " " })), "Ranges[1].RoomTypeID"},
		{"room type with a slash", update(upd(func(r *coliving.AvailabilityRange) { r.RoomTypeID = "1/2" })), "Ranges[1].RoomTypeID"},
		{"negative", update(upd(func(r *coliving.AvailabilityRange) { r.Available = -1 })), "Ranges[1].Available"},
		{"start missing", update(upd(func(r *coliving.AvailabilityRange) { r.StartDate = partnerkit.Date{} })), "Ranges[1].StartDate"},
		{"impossible date", update(upd(func(r *coliving.AvailabilityRange) { r.EndDate = partnerkit.NewDate(2025, 2, 29) })), "Ranges[1].EndDate"},
		{"end before start", update(upd(func(r *coliving.AvailabilityRange) { r.EndDate = date("2025-11-30") })), "Ranges[1].EndDate"},
		{"room types without params", list(nil), "ListingID"},
		{"room types listing", list(&coliving.RoomTypeListParams{}), "ListingID"},
		{"room types listing traversal", list(&coliving.RoomTypeListParams{ListingID: ".."}), "ListingID"},
		{"room types negative listing", list(&coliving.RoomTypeListParams{ListingID: "-3"}), "ListingID"},
		{"all room types without params", all(nil), "ListingID"},
		{"all room types with a slash", all(&coliving.RoomTypeListParams{ListingID: "5325/../1"}), "ListingID"},
		{"provider key", func() error { _, err := h.c.ProviderKeys.Set(ctx, ""); return err }, "key"},
		{"provider key with a newline", func() error { _, err := h.c.ProviderKeys.Set(ctx, "mb_key\n"); return err }, "key"},
		{"push without params", push(nil), "params"},
		{"calendar negative day", calendars(coliving.RoomCalendar{ListingID: "5325", RoomTypeID: "38753", Start: date("2025-12-01"), Days: []int{1, -2}}), "Calendars[0].Days[1]"},
		{"calendar start", calendars(coliving.RoomCalendar{ListingID: "5325", RoomTypeID: "38753", Days: []int{1}}), "Calendars[0].Start"},
		{"calendar room type", calendars(cal, coliving.RoomCalendar{ListingID: "5325", Start: date("2025-12-01"), Days: []int{1}}), "Calendars[1].RoomTypeID"},
		{"calendar overlap", calendars(cal, coliving.RoomCalendar{ListingID: "5325", RoomTypeID: "38753", Start: date("2025-12-02"), Days: []int{1}}), "Calendars[1].Start"},
		{"batch size", push(&coliving.AvailabilityPushCalendarParams{Calendars: []coliving.RoomCalendar{cal}, BatchSize: -1}), "BatchSize"},
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

func TestNewRejectsBadSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		key        string
		integrator string
		opts       []partnerkit.Option
		field      string
	}{
		{"no key", "", integrator, nil, "apiKey"},
		{"key with a newline", apiKey + "\r\nX-Evil: 1", integrator, nil, "apiKey"},
		{"no integrator", apiKey, "", nil, "integrator"},
		{"integrator with a slash", apiKey, "mango/../beds", nil, "integrator"},
		{"integrator with a space", apiKey, "mango beds", nil, "integrator"},
		{"integrator too long", apiKey, strings.Repeat("a", 65), nil, "integrator"},
		{"unknown version", apiKey, integrator, []partnerkit.Option{coliving.WithAPIVersion("v3")}, "coliving.WithAPIVersion"},
		{"base URL of another version", apiKey, integrator, []partnerkit.Option{partnerkit.WithBaseURL("https://api.coliving.com/v1"), coliving.WithAPIVersion(coliving.V2)}, "APIVersion"},
		{"sandbox on a production base URL", apiKey, integrator, []partnerkit.Option{partnerkit.WithBaseURL("https://api.coliving.com/v1"), coliving.Sandbox()}, "BaseURL"},
		{"not a URL", apiKey, integrator, []partnerkit.Option{partnerkit.WithBaseURL("api.coliving.com")}, "partnerkit.WithBaseURL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := coliving.New(tt.key, tt.integrator, tt.opts...)
			require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
			var ve *partnerkit.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Equal(t, tt.field, ve.Field)
		})
	}
	for _, p := range []string{"mangobeds", "beds24", "site-minder", "my_pms"} {
		_, err := coliving.New(apiKey, p)
		require.NoError(t, err, p)
	}
}

// TestPrintingAClientShowsNoKey formats a client, its services and the
// value it points to with every verb and both slog handlers: none of them
// may print the API key.
func TestPrintingAClientShowsNoKey(t *testing.T) {
	t.Parallel()
	h := newHarness(t, coliving.Sandbox())
	h.on(http.MethodGet, "/v1/sandbox/me", 200, meV1)
	_, err := h.c.Account.Verify(ctx) // the engine has used the key
	require.NoError(t, err)
	values := []any{h.c, *h.c, h.c.Account, *h.c.Account, h.c.RoomTypes, h.c.Availability, h.c.ProviderKeys}
	var out bytes.Buffer
	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			fmt.Fprintf(&out, verb+"\n", v)
		}
	}
	text := slog.New(slog.NewTextHandler(&out, nil))
	js := slog.New(slog.NewJSONHandler(&out, nil))
	for _, v := range values {
		text.Info("client", "c", v)
		js.Info("client", "c", v)
	}
	require.Contains(t, out.String(), "Account", "the client was printed")
	for _, s := range []string{apiKey, "Bearer", fmt.Sprintf("%x", apiKey)} {
		require.NotContains(t, out.String(), s)
	}
}

// TestAnswersThatBreakTheContract checks that a 200 whose body lacks what
// Coliving documents fails cleanly with ErrUnexpected, the status and the
// body, after one request: never a panic, never a zero value taken for an
// answer.
func TestAnswersThatBreakTheContract(t *testing.T) {
	t.Parallel()
	verify := func(c *coliving.Client) error { _, err := c.Account.Verify(ctx); return err }
	list := func(c *coliving.Client) error {
		_, err := c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: "5325"})
		return err
	}
	update := func(c *coliving.Client) error { _, err := c.Availability.Update(ctx, oneUpdate()); return err }
	setKey := func(c *coliving.Client) error { _, err := c.ProviderKeys.Set(ctx, "mb_live_9f8e7d6c5b4a"); return err }
	const (
		me    = "/v1/me"
		rooms = "/v1/integrations/mangobeds/listings/5325/room-types"
		avail = "/v1/integrations/mangobeds/availability"
		key   = "/v1/integrations/mangobeds/provider-key"
	)
	tests := []struct {
		name, method, path, body, message string
		call                              func(*coliving.Client) error
	}{
		{"empty /me", http.MethodGet, me, `{}`, "names no account", verify},
		{"null /me", http.MethodGet, me, `null`, "names no account", verify},
		{"no body /me", http.MethodGet, me, ``, "names no account", verify},
		{"html /me", http.MethodGet, me, `<html>hello</html>`, "cannot decode", verify},
		{"v2 /me with empty data", http.MethodGet, me, `{"success":true,"data":{}}`, "names no account", verify},
		{"no room types", http.MethodGet, rooms, `{"success":true}`, "no data.room_types", list},
		{"null room types", http.MethodGet, rooms, `{"success":true,"data":{"room_types":null}}`, "no data.room_types", list},
		{"a null room type", http.MethodGet, rooms, `{"success":true,"data":{"room_types":[null]}}`, "has no room_type_id", list},
		{"negative amount", http.MethodGet, rooms, `{"success":true,"data":{"room_types":[{"room_type_id":1,"amount":-2}]}}`, "negative amount", list},
		{"room types not a list", http.MethodGet, rooms, `{"success":true,"data":{"room_types":{"oops":1}}}`, "cannot decode", list},
		{"fractional amount", http.MethodGet, rooms, `{"success":true,"data":{"room_types":[{"room_type_id":1,"amount":1.5}]}}`, "cannot decode", list},
		{"empty confirmation", http.MethodPost, avail, ``, "empty", update},
		{"null confirmation", http.MethodPost, avail, `null`, "empty", update},
		{"provider key without status", http.MethodPost, key, `{"data":{}}`, "no data.status", setKey},
		{"provider key envelope under 200", http.MethodPost, key, errConflict, "no data.status", setKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.on(tt.method, tt.path, 200, tt.body)
			err := tt.call(h.c)
			require.ErrorIs(t, err, partnerkit.ErrUnexpected)
			var apiErr *partnerkit.Error
			require.ErrorAs(t, err, &apiErr)
			require.Equal(t, 200, apiErr.StatusCode)
			require.Contains(t, apiErr.Message, tt.message)
			if json.Valid([]byte(tt.body)) {
				require.JSONEq(t, tt.body, string(apiErr.Body))
			} else {
				require.Equal(t, tt.body, string(apiErr.Body))
			}
			require.Len(t, h.Requests(), 1, "a broken answer is not asked again")
		})
	}
	t.Run("an empty list is an answer", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.on(http.MethodGet, rooms, 200, `{"success":true,"data":{"room_types":[]}}`)
		page, err := h.c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: "5325"})
		require.NoError(t, err)
		require.Empty(t, page.Items)
		require.False(t, page.HasMore())
	})
}

func TestRoomTypesAll(t *testing.T) {
	t.Parallel()
	two := strings.Replace(roomTypesDoc, `}}]}}`, `}},{"room_type_id":38754,"listing_id":5325,"name":"Twin Room","amount":2}]}}`, 1)
	t.Run("every room type, from one request", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.on(http.MethodGet, "/v1/integrations/mangobeds/listings/5325/room-types", 200, two)
		params := &coliving.RoomTypeListParams{ListingID: "5325"}
		seq := h.c.RoomTypes.All(ctx, params)
		params.ListingID = "999" // All copied the params
		require.Empty(t, h.Requests(), "nothing is sent before the range starts")
		var names []string
		for rt, err := range seq {
			require.NoError(t, err)
			names = append(names, rt.Name)
		}
		require.Equal(t, []string{"Full Bedroom", "Twin Room"}, names)
		require.Equal(t, "/api/v1/integrations/mangobeds/listings/5325/room-types", h.last(t).Path)
	})
	t.Run("stopping early", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.on(http.MethodGet, "/v1/integrations/mangobeds/listings/5325/room-types", 200, two)
		for rt := range h.c.RoomTypes.All(ctx, &coliving.RoomTypeListParams{ListingID: "5325"}) {
			require.Equal(t, "Full Bedroom", rt.Name)
			break
		}
		require.Len(t, h.Requests(), 1)
	})
	t.Run("a failure is yielded once", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.on(http.MethodGet, "/v1/integrations/mangobeds/listings/999/room-types", 404, errListing404)
		var errs []error
		for rt, err := range h.c.RoomTypes.All(ctx, &coliving.RoomTypeListParams{ListingID: "999"}) {
			require.Zero(t, rt)
			errs = append(errs, err)
		}
		require.Len(t, errs, 1)
		require.ErrorIs(t, errs[0], partnerkit.ErrNotFound)
	})
}
