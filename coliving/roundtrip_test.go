package coliving_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/coliving"
)

// members returns the members of a JSON object.
func members(t *testing.T, data []byte) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(data, &m), "%s", data)
	return m
}

// keysOf returns the keys of a JSON object, sorted.
func keysOf(t *testing.T, data []byte) []string {
	t.Helper()
	return slices.Sorted(maps.Keys(members(t, data)))
}

// requireRoundTrip encodes v, decodes the JSON into a new T and encodes that
// again: both encodings must be the same (nothing is lost on the way) and
// carry every key of documented, the object of Coliving's documents that v
// stands for.
// Raw is not compared: it holds what was decoded, by definition.
func requireRoundTrip[T any](t *testing.T, v T, documented string) []byte {
	t.Helper()
	first, err := json.Marshal(v)
	require.NoError(t, err)
	var again T
	require.NoError(t, json.Unmarshal(first, &again), "%s", first)
	second, err := json.Marshal(again)
	require.NoError(t, err)
	require.JSONEq(t, string(first), string(second), "decode and re-encode changed the value")
	encoded := keysOf(t, first)
	for _, k := range keysOf(t, []byte(documented)) {
		require.Contains(t, encoded, k, "the documented field %q does not survive encoding: %s", k, first)
	}
	return first
}

// docObject returns the object at path (keys, then an index for a list) in
// body.
func docObject(t *testing.T, body string, path ...string) string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(body), &v))
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			v = x[0]
		}
	}
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// TestRoomTypesSurviveReEncoding is the regression test of room types that
// lost amount and max_occupancy (tagged json:"-") when a caller stored them
// as JSON.
func TestRoomTypesSurviveReEncoding(t *testing.T) {
	t.Parallel()
	for _, body := range []string{roomTypesDoc, roomTypesSeed} {
		h := newHarness(t)
		h.on(http.MethodGet, "/v1/integrations/mangobeds/listings/5325/room-types", 200, body)
		page, err := h.c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: "5325"})
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		rts := page.Items
		encoded := requireRoundTrip(t, rts[0], docObject(t, roomTypesDoc, "data", "room_types", "0"))
		prices := keysOf(t, members(t, encoded)["prices"])
		for _, k := range keysOf(t, []byte(docObject(t, roomTypesDoc, "data", "room_types", "0", "prices"))) {
			require.Contains(t, prices, k)
		}
		var back coliving.RoomType
		require.NoError(t, json.Unmarshal(encoded, &back))
		back.Raw = rts[0].Raw
		require.Equal(t, rts[0], back)
		require.EqualValues(t, 6, back.Amount)
		require.EqualValues(t, 1, back.MaxOccupancy)
	}
}

// TestNullMonthlyPricesStayNull checks that a month without a price of its
// own (null) is told apart from a price of 0 after re-encoding.
func TestNullMonthlyPricesStayNull(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/integrations/mangobeds/listings/5325/room-types", 200, roomTypesSeed)
	page, err := h.c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: "5325"})
	require.NoError(t, err)
	p := page.Items[0].Prices
	p.Monthly[1] = "0"
	encoded, err := json.Marshal(p)
	require.NoError(t, err)
	m := members(t, encoded)
	require.JSONEq(t, `null`, string(m["price_jan"]))
	require.JSONEq(t, `0`, string(m["price_feb"]))
	var back coliving.Prices
	require.NoError(t, json.Unmarshal(encoded, &back))
	require.Equal(t, p, back)
	require.Empty(t, back.Monthly[0], "null: no price of its own")
	require.Equal(t, "0", string(back.Monthly[1]), "a price of 0")
}

// TestAnswersSurviveReEncoding checks every other answer type the same
// way, from the documents' example bodies: each documented field of the
// answer (the envelope's success aside) is a field of its type and reads
// back the same after encoding.
func TestAnswersSurviveReEncoding(t *testing.T) {
	t.Parallel()
	t.Run("account, v1", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.on(http.MethodGet, "/v1/me", 200, meV1)
		a, err := h.c.Account.Verify(ctx)
		require.NoError(t, err)
		encoded := requireRoundTrip(t, *a, `{"api_key_verified_at":"","name":"","email":"","created_at":"","last_login_at":""}`)
		var back coliving.Account
		require.NoError(t, json.Unmarshal(encoded, &back))
		back.Raw = a.Raw
		require.Equal(t, *a, back)
	})
	t.Run("account, v2", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, coliving.WithAPIVersion(coliving.V2))
		h.on(http.MethodGet, "/v2/me", 200, meV2)
		a, err := h.c.Account.Verify(ctx)
		require.NoError(t, err)
		encoded := requireRoundTrip(t, *a, docObject(t, meV2, "data"))
		var back coliving.Account
		require.NoError(t, json.Unmarshal(encoded, &back))
		back.Raw = a.Raw
		require.Equal(t, *a, back)
		require.JSONEq(t, `null`, string(members(t, encoded)["last_login_at"]), "v2 sends no last login")
	})
	t.Run("availability confirmation", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.on(http.MethodPost, "/v1/integrations/mangobeds/availability", 200, availabilityOK)
		res, err := h.c.Availability.Update(ctx, oneUpdate())
		require.NoError(t, err)
		encoded := requireRoundTrip(t, *res, `{"availability":{}}`)
		var back coliving.AvailabilityResult
		require.NoError(t, json.Unmarshal(encoded, &back))
		back.Raw = res.Raw
		require.Equal(t, *res, back, "Confirmed is read again from the lines")
	})
	t.Run("provider key result", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.on(http.MethodPost, "/v1/integrations/mangobeds/provider-key", 200,
			`{"data":{"status":"created","message":"Provider key saved."},"meta":{"request_id":"req_abc"}}`)
		res, err := h.c.ProviderKeys.Set(ctx, "mb_live_9f8e7d6c5b4a")
		require.NoError(t, err)
		encoded := requireRoundTrip(t, *res, `{"status":"","message":"","request_id":""}`)
		var back coliving.ProviderKeyResult
		require.NoError(t, json.Unmarshal(encoded, &back))
		back.Raw = res.Raw
		require.Equal(t, *res, back)
	})
	t.Run("error details", func(t *testing.T) {
		t.Parallel()
		for _, body := range []string{errInvalidRoomTypes, errUnauthorizedListings, errEnvelope} {
			h := newHarness(t)
			h.on(http.MethodPost, "/v1/integrations/mangobeds/availability", 400, body)
			_, err := h.c.Availability.Update(ctx, oneUpdate())
			d, ok := partnerkit.DetailsOf[*coliving.ErrorDetails](err)
			require.True(t, ok, body)
			encoded, err := json.Marshal(d)
			require.NoError(t, err)
			var back coliving.ErrorDetails
			require.NoError(t, json.Unmarshal(encoded, &back))
			back.Raw = d.Raw
			require.Equal(t, *d, back, body)
		}
	})
}
