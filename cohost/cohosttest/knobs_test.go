package cohosttest_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go/cohost/cohosttest"
	"github.com/partnerkit/partnerkit-go/internal/fakekit/fakekittest"
)

// TestSharedKnobs runs the checks every fake passes on GET /listings.
func TestSharedKnobs(t *testing.T) {
	t.Parallel()
	listings := func(key string) func() *http.Request {
		return func() *http.Request {
			r := httptest.NewRequest(http.MethodGet, "/listings", nil)
			r.Header.Set("X-API-Key", key)
			return r
		}
	}
	fakekittest.Run(t, fakekittest.Subject{
		New: func(now func() time.Time) fakekittest.Fake {
			if now == nil {
				return cohosttest.New()
			}
			return cohosttest.New(cohosttest.WithClock(now))
		},
		Route:   "GET /listings",
		Routes:  cohosttest.Routes,
		Request: listings(cohosttest.APIKey),
		Refused: listings("ck_live_wrong"),
	})
}

// TestAddListingAssignsOrReplaces: a listing without an ID gets a new one;
// one with the ID of a listing the fake holds replaces it.
func TestAddListingAssignsOrReplaces(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.fake.AddListing(cohosttest.Listing{TeamID: "1", Name: "New"})
	assert.NotEmpty(t, id)
	assert.Equal(t, cohosttest.ListingID, e.fake.AddListing(cohosttest.Listing{ID: cohosttest.ListingID, TeamID: "1", Name: "Renamed", Capacity: 6}))
	r := e.call(t, "GET", "/listings?team_ids=%5B1%5D", "")
	assert.Equal(t, []float64{102, 103, num(t, id), 101}, ids(t, r))
	names := map[float64]any{}
	for _, it := range r.body["items"].([]any) {
		names[it.(map[string]any)["id"].(float64)] = it.(map[string]any)["name"]
	}
	assert.Equal(t, "Renamed", names[101])
	require.PanicsWithValue(t, `cohosttest: AddListing: ID "villa" is not a number`,
		func() { e.fake.AddListing(cohosttest.Listing{ID: "villa", TeamID: "1"}) })
	require.Panics(t, func() { cohosttest.New(cohosttest.WithKey("k", "team one")) })
}
