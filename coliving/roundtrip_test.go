package coliving_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

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
		rts, err := h.c.RoomTypes.List(ctx, "5325")
		require.NoError(t, err)
		require.Len(t, rts, 1)
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
	rts, err := h.c.RoomTypes.List(ctx, "5325")
	require.NoError(t, err)
	p := rts[0].Prices
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
