package chekin_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/chekin"
)

func TestTolerantDecoding(t *testing.T) {
	t.Parallel()
	var g chekin.Guest
	require.NoError(t, json.Unmarshal([]byte(`{"id":12,"nationality":"ES","birth_date":"1990-01-02T00:00:00Z","statuses":null,"document":null}`), &g))
	require.Equal(t, partnerkit.ID("12"), g.ID)
	require.Equal(t, &chekin.Country{Code: "ES"}, g.Nationality)
	require.Equal(t, date("1990-01-02"), g.BirthDate)
	require.Nil(t, g.Extras)

	var h chekin.Housing
	require.NoError(t, json.Unmarshal([]byte(`{"id":"h1","type":"CAMP","location":{"country":{"id":"PT"},"city":{"code":"LIS"},"province":null},
"police_account":{"id":"p1","type":"SEF","username":"u"}}`), &h))
	require.Equal(t, chekin.HousingType("CAMP"), h.Type, "unknown types are kept")
	require.Equal(t, chekin.Location{Country: "PT", City: "LIS"}, h.Location)
	require.Equal(t, &chekin.PoliceAccount{ID: "p1", Type: "SEF", Username: "u"}, h.PoliceAccount)

	var page chekin.Page[chekin.Reservation]
	require.NoError(t, json.Unmarshal([]byte(`{"count":1,"next":null,"previous":null,"results":[{"id":"r1","housing_id":"h9","housing":"h1","price":"10.00"}]}`), &page))
	require.False(t, page.HasMore())
	require.Equal(t, partnerkit.ID("h9"), page.Items[0].HousingID, "housing_id wins over the nested housing")
	require.Equal(t, partnerkit.Number("10.00"), page.Items[0].Price)

	require.Error(t, json.Unmarshal([]byte(`{"count":"x"}`), &page))
	require.Error(t, json.Unmarshal([]byte(`[{"id":{}}]`), &page))
}
