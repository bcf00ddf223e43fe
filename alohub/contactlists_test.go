package alohub_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
)

func TestContactListsList(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1042/contact-lists", 200, contactListsBody)
	page, err := h.c.ContactLists.List(ctx, listsOf("1042"))
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "GET", r.Method)
	require.Equal(t, "/gw/v1/campaigns/1042/contact-lists", r.Path)
	require.Empty(t, r.Query)
	require.Empty(t, r.Body)
	require.Equal(t, 2, page.Total, "totalRecord is kept")
	require.Equal(t, 1, page.Page)
	require.Zero(t, page.Limit, "Alohub does not page contact lists")
	require.False(t, page.HasMore())
	lists := page.Items
	require.Len(t, lists, 2)
	require.Equal(t, partnerkit.ID("501"), lists[0].ID)
	require.Equal(t, "Danh sach thang 4", lists[0].ListName)
	require.EqualValues(t, 150, lists[0].ContactCount)
	require.Equal(t, "Default List", lists[1].ListName)
	require.JSONEq(t, `{"listId":502,"listName":"Default List","contactCount":30}`, string(lists[1].Raw))
}

// TestContactListsCountsMaySendAsStrings: Alohub may send totalRecord and
// contactCount as strings.
func TestContactListsCountsMayComeAsStrings(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1042/contact-lists", 200,
		`{"success":"1","totalRecord":"2","data":[{"listId":"501","listName":"A","contactCount":"150"},{"listId":502,"listName":"B","contactCount":null}]}`)
	page, err := h.c.ContactLists.List(ctx, listsOf("1042"))
	require.NoError(t, err)
	require.Equal(t, 2, page.Total)
	require.EqualValues(t, 150, page.Items[0].ContactCount)
	require.Zero(t, page.Items[1].ContactCount)
}

func TestContactListsAllIsOneRequest(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1042/contact-lists", 200, contactListsBody)
	var names []string
	for l, err := range h.c.ContactLists.All(ctx, listsOf("1042")) {
		require.NoError(t, err)
		names = append(names, l.ListName)
	}
	require.Equal(t, []string{"Danh sach thang 4", "Default List"}, names)
	require.Len(t, h.Requests(), 1)
}
