package etelecom_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
)

// followerJSON is ListFollowers' example item, its int64s as strings.
const followerJSON = `{"assigned_user_id":"1150000000000000101","avatar":"https://s120.zalo.example/a.jpg",
"avatars":{"120":"https://s120.zalo.example/a.jpg","240":"https://s240.zalo.example/a.jpg"},"created_at":"2025-05-21T07:00:00Z",
"full_name":"Tran Thi B","gender":"female","has_conversation":true,"id":"8800000000000000001","oa_id":"4321","phone":"84901234567",
"shared_info":{"address":"1 Le Loi","city":"HCM","district":"1","name":"Tran Thi B","phone":"84901234567","ward":"Ben Nghe"},
"shop_id":"1052570182707778180","state":"follow","tags_and_notes_info":{"notes":["VIP"],"tag_names":["loyal"]},
"updated_at":"2025-05-21T07:00:00Z","zl_user_id":"7001000000000000001","zl_user_id_by_app":"5001000000000000001"}`

func TestFollowersListAndAll(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	first := answer{200, `{"followers":[` + followerJSON + `],"paging":{"limit":1,"next":"f1"}}`}
	h.onSeq("Zalo", "ListFollowers", first, first, answer{200, `{"followers":[{"id":8800000000000000002,"zl_user_id":7001000000000000002}],"paging":{}}`})
	shop := h.shop(t)
	yes := true
	from := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	page, err := shop.Followers.List(ctx, &etelecom.FollowerListParams{
		OAID: "4321", AssignedUserID: "1150000000000000101", ZaloUserID: "7001000000000000001",
		ZaloUserIDs: []partnerkit.ID{"7001000000000000001", "7001000000000000002"}, Name: "Tran", Phone: "84901234567",
		Gender: etelecom.GenderFemale, State: etelecom.FollowerFollowing, Tags: []string{"loyal"}, HasConversation: &yes,
		DateFrom: from, DateTo: from.AddDate(0, 1, 0), Limit: 1,
	})
	require.NoError(t, err)
	f := page.Items[0]
	require.Equal(t, partnerkit.ID("8800000000000000001"), f.ID)
	require.Equal(t, partnerkit.ID("7001000000000000001"), f.ZaloUserID)
	require.Equal(t, partnerkit.ID("5001000000000000001"), f.ZaloUserIDByApp)
	require.Equal(t, "https://s240.zalo.example/a.jpg", f.Avatars["240"])
	require.Equal(t, etelecom.GenderFemale, f.Gender)
	require.Equal(t, "Ben Nghe", f.SharedInfo.Ward)
	require.Equal(t, []string{"loyal"}, f.TagsAndNotesInfo.TagNames)
	require.Equal(t, []string{"VIP"}, f.TagsAndNotesInfo.Notes)
	require.True(t, f.HasConversation)
	require.JSONEq(t, followerJSON, string(f.Raw))
	reqs := h.Requests()
	require.Equal(t, "/v1/partner.Zalo/ListFollowers", reqs[0].Path)
	require.Equal(t, "Bearer "+shopKey, reqs[0].Header.Get("Authorization"))
	require.JSONEq(t, `{"filter":{"assigned_user_id":"1150000000000000101","date_from":"2025-05-01T00:00:00Z","date_to":"2025-06-01T00:00:00Z",
"gender":"female","has_conversation":true,"name":"Tran","oa_id":"4321","phone":"84901234567","state":"follow","tags":["loyal"],
"zl_user_id":"7001000000000000001","zl_user_ids":["7001000000000000001","7001000000000000002"]},"paging":{"limit":1}}`, reqs[0].Body)

	var ids []partnerkit.ID
	for f, err := range shop.Followers.All(ctx, &etelecom.FollowerListParams{OAID: "4321"}) {
		require.NoError(t, err)
		ids = append(ids, f.ZaloUserID)
	}
	require.Equal(t, []partnerkit.ID{"7001000000000000001", "7001000000000000002"}, ids)
	reqs = h.Requests()
	require.JSONEq(t, `{"filter":{"oa_id":"4321"},"paging":{"after":"f1"}}`, reqs[2].Body)
}
