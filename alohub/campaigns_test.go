package alohub_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/alohub"
	"github.com/partnerkit/partnerkit-go/internal/mocktest"
)

// TestCampaignsListCountsPagesFromOne: public page 1 is Alohub's page 0.
func TestCampaignsListCountsPagesFromOne(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		page int
		wire string
		want int
	}{{0, "0", 1}, {1, "0", 1}, {2, "1", 2}} {
		h := newHarness(t)
		h.on(http.MethodGet, "/v1/campaigns", 200, `{"success":"1","error_code":"SUCCESS","error_message":"SUCCESS","totalRecord":25,
"data":[{"campaignId":1042,"campaignName":"April leads","type":"CAMPAIGN_CALL_AUTO","status":2,"extra":"kept"},
{"id":"1043","name":"May leads","status":"3"}]}`)
		page, err := h.c.Campaigns.List(ctx, &alohub.CampaignListParams{UserName: "AloHub", Status: alohub.CampaignRunning,
			Type: alohub.CampaignTypeCallAuto, Page: tc.page, Limit: 2})
		require.NoError(t, err)
		r := h.last(t)
		require.Equal(t, "GET", r.Method)
		require.Equal(t, "/gw/v1/campaigns", r.Path)
		require.Equal(t, map[string][]string{"userName": {"AloHub"}, "status": {"2"}, "type": {"CAMPAIGN_CALL_AUTO"},
			"page": {tc.wire}, "limit": {"2"}}, r.Query)
		require.Equal(t, 25, page.Total)
		require.Equal(t, tc.want, page.Page)
		require.Equal(t, 2, page.Limit)
		require.True(t, page.HasMore())
		require.Len(t, page.Items, 2)
		require.Equal(t, partnerkit.ID("1042"), page.Items[0].ID)
		require.Equal(t, "April leads", page.Items[0].Name)
		require.Equal(t, alohub.CampaignTypeCallAuto, page.Items[0].Type)
		require.EqualValues(t, alohub.CampaignRunning, page.Items[0].Status)
		require.Contains(t, string(page.Items[0].Raw), `"extra":"kept"`)
		require.Equal(t, partnerkit.ID("1043"), page.Items[1].ID, "id under another name")
		require.Equal(t, "May leads", page.Items[1].Name)
		require.EqualValues(t, alohub.CampaignPaused, page.Items[1].Status, "a status sent as a string")
		require.JSONEq(t, `{"id":"1043","name":"May leads","status":"3"}`, string(page.Items[1].Raw))
	}
}

func TestCampaignsListWithTheDefaultLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns", 200, `{"success":"1","totalRecord":20,"data":[{"campaignId":1}]}`)
	page, err := h.c.Campaigns.List(ctx, &alohub.CampaignListParams{UserName: "AloHub"})
	require.NoError(t, err)
	require.Equal(t, map[string][]string{"userName": {"AloHub"}, "page": {"0"}}, h.last(t).Query)
	require.Equal(t, 1, page.Page)
	require.Equal(t, 20, page.Limit, "Alohub's default")
	require.True(t, page.HasMore(), "1 of 20 read")
}

func TestCampaignsAllCountsPagesFromOneAndStopsAtTotalRecord(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var pages []string
	h.mock.RegisterResponder(http.MethodGet, base+"/v1/campaigns", func(r *http.Request) (*http.Response, error) {
		h.Record(r)
		page := r.URL.Query().Get("page")
		pages = append(pages, page)
		// The server would answer a page 2 too: the client must stop at totalRecord.
		body := map[string]string{
			"0": `{"success":"1","totalRecord":3,"data":[{"campaignId":1},{"campaignId":2}]}`,
			"1": `{"success":"1","totalRecord":3,"data":[{"campaignId":3}]}`,
			"2": `{"success":"1","totalRecord":3,"data":[{"campaignId":99}]}`,
		}[page]
		return mocktest.JSON(200, body), nil
	})
	params := &alohub.CampaignListParams{UserName: "AloHub", Limit: 2}
	var ids []partnerkit.ID
	for c, err := range h.c.Campaigns.All(ctx, params) {
		require.NoError(t, err)
		ids = append(ids, c.ID)
	}
	require.Equal(t, []partnerkit.ID{"1", "2", "3"}, ids)
	require.Equal(t, []string{"0", "1"}, pages)
	require.Equal(t, alohub.CampaignListParams{UserName: "AloHub", Limit: 2}, *params, "the caller's params are not changed")

	// From the second public page: Alohub's page 1, and the first page's
	// records count as read.
	pages = nil
	ids = nil
	for c, err := range h.c.Campaigns.All(ctx, &alohub.CampaignListParams{UserName: "AloHub", Limit: 2, Page: 2}) {
		require.NoError(t, err)
		ids = append(ids, c.ID)
	}
	require.Equal(t, []partnerkit.ID{"3"}, ids)
	require.Equal(t, []string{"1"}, pages)
}

func TestCampaignsAllStopsOnErrorAndOnAnEmptyPage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns", 200, `{"success":"1","totalRecord":40,"data":[]}`)
	n := 0
	for range h.c.Campaigns.All(ctx, &alohub.CampaignListParams{UserName: "AloHub"}) {
		n++
	}
	require.Zero(t, n)
	require.Len(t, h.Requests(), 1)

	h = newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns", 200, `{"success":"0","error_code":"INVALID_INPUT","error_message":"userName is unknown"}`)
	for _, err := range h.c.Campaigns.All(ctx, &alohub.CampaignListParams{UserName: "nobody"}) {
		n++
		require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)
	}
	require.Equal(t, 1, n)
}
