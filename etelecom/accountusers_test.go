package etelecom_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
)

// userJSON is CreateAccountUser's example answer, its int64s as strings.
const userJSON = `{"block_reason":"","blocked_at":null,"created_at":"2025-05-21T07:00:00Z","email":"",
"email_verification_sent_at":null,"email_verified_at":null,"full_name":"Nguyen Van A","id":"1150000000000000101",
"is_blocked":false,"phone":"0901234567","phone_verification_sent_at":null,"phone_verified_at":"2025-05-21T07:00:00Z",
"ref_aff":"","ref_sale":"","short_name":"A","source":"unknown","total_shop":"1","updated_at":"2025-05-21T07:00:00Z"}`

// accountUserJSON is GetAccountUsers' example item, its int64s as strings.
const accountUserJSON = `{"account_id":"1052570182707778180","deleted":false,"department_id":"0","email":"a@shop.example",
"full_name":"Nguyen Van A","permissions":["call"],"phone":"0901234567","position":"sales","roles":["staff"],
"short_name":"A","user_id":"1150000000000000101"}`

func TestAccountUsersCreate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "CreateAccountUser", 200, userJSON)
	u, err := h.shop(t).AccountUsers.Create(ctx, &etelecom.AccountUserCreateParams{FullName: "Nguyen Van A", Phone: "0901234567", Password: "S3cret-pass-77"})
	require.NoError(t, err)
	r := h.only(t, shopKey)
	require.Equal(t, "/v1/partner.Shop/CreateAccountUser", r.Path)
	require.JSONEq(t, `{"full_name":"Nguyen Van A","phone":"0901234567","password":"S3cret-pass-77"}`, r.Body)
	require.Equal(t, partnerkit.ID("1150000000000000101"), u.ID)
	require.Equal(t, "Nguyen Van A", u.FullName)
	require.Equal(t, partnerkit.Int(1), u.TotalShop)
	require.True(t, u.BlockedAt.IsZero())
	require.Equal(t, epoch, u.PhoneVerifiedAt.Time)
	require.JSONEq(t, userJSON, string(u.Raw))
	require.NotContains(t, h.logs.String(), "S3cret-pass-77", "the password stays out of the logs")
}

func TestAccountUsersCreateNeverPrintsThePassword(t *testing.T) {
	t.Parallel()
	p := etelecom.AccountUserCreateParams{FullName: "Nguyen Van A", Phone: "0901234567", Password: "S3cret-pass-77"}
	requireHidden(t, p, "S3cret-pass-77")
	requireHidden(t, &p, "S3cret-pass-77")
	require.Contains(t, fmt.Sprintf("%+v", p), "FullName:Nguyen Van A", "the other fields still print")
}

func TestAccountUsersCreateErrorNeverShowsThePassword(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Shop", "CreateAccountUser", 400, `{"code":"invalid_argument","msg":"password S3cret-pass-77 is too weak","meta":{"argument":"password"}}`)
	_, err := h.shop(t).AccountUsers.Create(ctx, &etelecom.AccountUserCreateParams{FullName: "A", Phone: "0901234567", Password: "S3cret-pass-77"})
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)
	require.NotContains(t, err.Error(), "S3cret-pass-77")
	require.Len(t, h.Requests(), 1)
}

func TestAccountUsersListAndAll(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	first := answer{200, `{"account_users":[` + accountUserJSON + `],"paging":{"limit":"1","next":"u1"}}`}
	h.onSeq("Shop", "GetAccountUsers", first, first,
		answer{200, `{"account_users":[{"user_id":1150000000000000102,"deleted":true}],"paging":{"next":""}}`})
	shop := h.shop(t)
	has := true
	page, err := shop.AccountUsers.List(ctx, &etelecom.AccountUserListParams{
		ExtensionNumber: "101", HasExtension: &has, Name: "Nguyen", Phone: "0901234567",
		UserIDs: []partnerkit.ID{"1150000000000000101"}, Limit: 1,
	})
	require.NoError(t, err)
	require.True(t, page.HasMore())
	require.Equal(t, 1, page.Limit)
	u := page.Items[0]
	require.Equal(t, partnerkit.ID("1150000000000000101"), u.UserID)
	require.Equal(t, partnerkit.ID("1052570182707778180"), u.AccountID)
	require.Equal(t, []string{"staff"}, u.Roles)
	require.Equal(t, []string{"call"}, u.Permissions)
	require.JSONEq(t, accountUserJSON, string(u.Raw))
	reqs := h.Requests()
	require.Equal(t, "/v1/partner.Shop/GetAccountUsers", reqs[0].Path)
	require.Equal(t, "Bearer "+shopKey, reqs[0].Header.Get("Authorization"))
	require.JSONEq(t, `{"filter":{"extension_number":"101","has_extension":true,"name":"Nguyen","phone":"0901234567",
"user_ids":["1150000000000000101"]},"paging":{"limit":1}}`, reqs[0].Body)

	no := false
	p := &etelecom.AccountUserListParams{HasExtension: &no, UserIDs: []partnerkit.ID{"7"}}
	var ids []partnerkit.ID
	for u, err := range shop.AccountUsers.All(ctx, p) {
		require.NoError(t, err)
		ids = append(ids, u.UserID)
	}
	require.Equal(t, []partnerkit.ID{"1150000000000000101", "1150000000000000102"}, ids)
	reqs = h.Requests()
	require.Len(t, reqs, 3)
	require.JSONEq(t, `{"filter":{"has_extension":false,"user_ids":["7"]}}`, reqs[1].Body, "false is sent: it is a filter")
	require.JSONEq(t, `{"filter":{"has_extension":false,"user_ids":["7"]},"paging":{"after":"u1"}}`, reqs[2].Body)
}
