package etelecom_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
)

// journeyJSON is CreateJourney's example answer, its int64s as strings;
// the JSON names the expiry expired_at.
const journeyJSON = `{"created_at":"2025-05-21T07:00:00Z","error_code":"0","error_message":"","expired_at":"2025-05-28T07:00:00Z",
"id":"9200000000000000001","is_charged":true,"journey_id":"9100000000000000001","journey_token":"jt-7f6e5d4c3b2a",
"phone":"84901234567","status":"P","updated_at":"2025-05-21T07:00:00Z"}`

func TestJourneysCreateAndGet(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Zalo", "CreateJourney", 200, journeyJSON)
	h.on("Zalo", "GetJourney", 200, `{"id":9200000000000000001,"journey_id":"9100000000000000001","expires_at":"2025-05-28T07:00:00Z"}`)
	shop := h.shop(t)
	j, err := shop.Journeys.Create(ctx, &etelecom.JourneyCreateParams{OAID: "4321", Phone: "84901234567", TokenType: etelecom.TokenCoachBus30})
	require.NoError(t, err)
	week := time.Date(2025, 5, 28, 7, 0, 0, 0, time.UTC)
	require.Equal(t, partnerkit.ID("9200000000000000001"), j.ID)
	require.Equal(t, partnerkit.ID("9100000000000000001"), j.JourneyID)
	require.Equal(t, partnerkit.Secret("jt-7f6e5d4c3b2a"), j.JourneyToken)
	require.Equal(t, week, j.ExpiredAt.Time)
	require.Equal(t, week, j.Expiry())
	require.NotContains(t, h.logs.String(), "jt-7f6e5d4c3b2a", "journey tokens are redacted from logs")

	j, err = h.c.Journeys.Get(ctx, "4321", "9100000000000000001")
	require.NoError(t, err, "the key GetJourney takes is not documented: either key goes")
	require.True(t, j.ExpiredAt.IsZero())
	require.Equal(t, week, j.ExpiresAt.Time, "the tables' expires_at is read too")
	require.Equal(t, week, j.Expiry())

	reqs := h.Requests()
	require.Equal(t, "/v1/partner.Zalo/CreateJourney", reqs[0].Path)
	require.Equal(t, "Bearer "+shopKey, reqs[0].Header.Get("Authorization"))
	require.JSONEq(t, `{"oa_id":"4321","phone":"84901234567","token_type":"token_coach_bus_30"}`, reqs[0].Body)
	require.Equal(t, "/v1/partner.Zalo/GetJourney", reqs[1].Path)
	require.Equal(t, "Bearer "+apiKey, reqs[1].Header.Get("Authorization"))
	require.JSONEq(t, `{"journey_id":"9100000000000000001","oa_id":"4321"}`, reqs[1].Body)
}

func TestJourneysListAndAll(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	first := answer{200, `{"journeys":[` + journeyJSON + `],"paging":{"next":"j1"}}`}
	h.onSeq("Zalo", "ListJourneys", first, first, answer{200, `{"journeys":[{"id":"9200000000000000002"}],"paging":{}}`})
	shop := h.shop(t)
	free := false
	page, err := shop.Journeys.List(ctx, &etelecom.JourneyListParams{OAID: "4321", JourneyID: "9100000000000000001", Phone: "84901234567",
		Status: etelecom.StatusEnabled, IsCharged: &free})
	require.NoError(t, err)
	require.Equal(t, partnerkit.Secret("jt-7f6e5d4c3b2a"), page.Items[0].JourneyToken)
	reqs := h.Requests()
	require.Equal(t, "/v1/partner.Zalo/ListJourneys", reqs[0].Path)
	require.JSONEq(t, `{"filter":{"is_charged":false,"journey_id":"9100000000000000001","oa_id":"4321","phone":"84901234567","status":"P"}}`, reqs[0].Body)
	var ids []partnerkit.ID
	for j, err := range shop.Journeys.All(ctx, nil) {
		require.NoError(t, err)
		ids = append(ids, j.ID)
	}
	require.Equal(t, []partnerkit.ID{"9200000000000000001", "9200000000000000002"}, ids)
}
