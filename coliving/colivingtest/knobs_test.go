package colivingtest_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go/coliving/colivingtest"
	"github.com/partnerkit/partnerkit-go/internal/fakekit/fakekittest"
)

// TestSharedKnobs runs the checks every fake passes on a listing's room
// types.
func TestSharedKnobs(t *testing.T) {
	t.Parallel()
	roomTypes := func(key string) func() *http.Request {
		return func() *http.Request {
			r := httptest.NewRequest(http.MethodGet, "/v1/integrations/"+colivingtest.Integrator+"/listings/"+colivingtest.ListingID+"/room-types", nil)
			r.Header.Set("X-API-Key", key)
			return r
		}
	}
	fakekittest.Run(t, fakekittest.Subject{
		New: func(now func() time.Time) fakekittest.Fake {
			if now == nil {
				return colivingtest.New()
			}
			return colivingtest.New(colivingtest.WithClock(now))
		},
		Route:   "GET /integrations/{provider}/listings/{listing_id}/room-types",
		Routes:  colivingtest.Routes,
		Request: roomTypes(colivingtest.APIKey),
		Refused: roomTypes("sk_test_wrong"),
	})
}

// TestAddListingAssignsOrReplaces: a listing without an ID gets a new one;
// one with the ID of a listing the fake holds replaces it.
func TestAddListingAssignsOrReplaces(t *testing.T) {
	t.Parallel()
	fake, srv := start(t)
	id := fake.AddListing(colivingtest.Listing{HostID: colivingtest.HostID, Name: "New", RoomTypes: []colivingtest.RoomType{{ID: "1", Name: "Room", Amount: 1}}})
	require.NotEmpty(t, id)
	require.NotEqual(t, colivingtest.ListingID, id)
	require.Equal(t, colivingtest.ListingID, fake.AddListing(colivingtest.Listing{ID: colivingtest.ListingID, HostID: colivingtest.HostID, Name: "Renamed",
		RoomTypes: []colivingtest.RoomType{{ID: "2", Name: "Other", Amount: 3}}}))
	key := []string{"X-API-Key", colivingtest.APIKey}
	for listing, room := range map[string]string{id: `"room_type_id":1}`, colivingtest.ListingID: `"room_type_id":2}`} {
		status, _, body := raw(t, srv, "GET", "/v1/integrations/mangobeds/listings/"+listing+"/room-types", "", key...)
		require.Equal(t, 200, status)
		require.Contains(t, body, room, "room type IDs are numbers on the wire")
	}
	require.PanicsWithValue(t, `colivingtest: AddListing: ID "x" is not a number`,
		func() { fake.AddListing(colivingtest.Listing{ID: "x", HostID: colivingtest.HostID}) })
}
