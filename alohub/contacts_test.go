package alohub_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/alohub"
	"github.com/partnerkit/partnerkit-go/internal/mocktest"
)

// contactsBody is the documents' page of contacts, with a second contact
// whose name is null and a third whose name is empty.
const contactsBody = `{"success":"1","totalRecord":150,"data":[
{"contactId":88001,"customerId":55001,"phoneNumber":"0901234567","name":"Nguyen Van A","processStatus":0,"callStatus":null},
{"contactId":88002,"customerId":"55002","phoneNumber":"0901234568","name":null,"processStatus":2,"callStatus":"ANSWERED"},
{"contactId":88003,"customerId":55003,"phoneNumber":"0901234569","name":"","processStatus":"1","callStatus":""}]}`

func TestContactsList(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1042/contact-lists/501/contacts", 200, contactsBody)
	page, err := h.c.Contacts.List(ctx, &alohub.ContactListParams{CampaignID: "1042", ListID: "501", Page: 3, Limit: 3})
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "GET", r.Method)
	require.Equal(t, "/gw/v1/campaigns/1042/contact-lists/501/contacts", r.Path)
	require.Equal(t, map[string][]string{"page": {"2"}, "size": {"3"}}, r.Query, "public page 3 is Alohub's page 2")
	require.Equal(t, 150, page.Total)
	require.Equal(t, 3, page.Page)
	require.Equal(t, 3, page.Limit)
	require.True(t, page.HasMore())
	require.Len(t, page.Items, 3)
	a, b, c := page.Items[0], page.Items[1], page.Items[2]
	require.Equal(t, partnerkit.ID("88001"), a.ID)
	require.Equal(t, partnerkit.ID("55001"), a.CustomerID)
	require.Equal(t, "0901234567", a.PhoneNumber)
	require.Equal(t, ptr("Nguyen Van A"), a.Name)
	require.EqualValues(t, alohub.ProcessPending, a.ProcessStatus)
	require.Nil(t, a.CallStatus, "null: not called yet")
	require.Nil(t, b.Name, "null: Alohub has no name")
	require.Equal(t, ptr(""), c.Name, "an empty name is not a null one")
	require.EqualValues(t, alohub.ProcessProcessed, b.ProcessStatus)
	require.EqualValues(t, alohub.ProcessInCall, c.ProcessStatus, "a status sent as a string")
	require.Equal(t, ptr(partnerkit.ID("ANSWERED")), b.CallStatus)
	require.Equal(t, ptr(partnerkit.ID("")), c.CallStatus)
	require.Contains(t, string(b.Raw), `"customerId":"55002"`)
}

func TestContactsListWithoutPageAsksForAlohubsPageZero(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1/contact-lists/2/contacts", 200, `{"success":"1","totalRecord":0,"data":[]}`)
	page, err := h.c.Contacts.List(ctx, &alohub.ContactListParams{CampaignID: "1", ListID: "2"})
	require.NoError(t, err)
	require.Equal(t, map[string][]string{"page": {"0"}}, h.last(t).Query)
	require.Empty(t, page.Items)
	require.Equal(t, 1, page.Page)
	require.Equal(t, 20, page.Limit)
	require.False(t, page.HasMore())
}

func TestContactsAllStopsAtTotalRecord(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var pages []string
	h.mock.RegisterResponder(http.MethodGet, base+"/v1/campaigns/1/contact-lists/2/contacts", func(r *http.Request) (*http.Response, error) {
		q := r.URL.Query()
		require.Equal(t, "2", q.Get("size"))
		pages = append(pages, q.Get("page"))
		n, _ := strconv.Atoi(q.Get("page"))
		// Every page is full, whatever its number: only totalRecord ends the list.
		body := `{"success":"1","totalRecord":5,"data":[{"contactId":` + strconv.Itoa(2*n+1) + `},{"contactId":` + strconv.Itoa(2*n+2) + `}]}`
		return mocktest.JSON(200, body), nil
	})
	var ids []partnerkit.ID
	for c, err := range h.c.Contacts.All(ctx, &alohub.ContactListParams{CampaignID: "1", ListID: "2", Limit: 2}) {
		require.NoError(t, err)
		ids = append(ids, c.ID)
	}
	require.Equal(t, []string{"0", "1", "2"}, pages)
	require.Equal(t, []partnerkit.ID{"1", "2", "3", "4", "5", "6"}, ids, "the last page is yielded whole")
}

// TestContactsAllReadsShortPagesToTheEnd answers pages shorter than the
// limit asked: the client counts what it read, not the limit.
func TestContactsAllReadsShortPagesToTheEnd(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var pages []string
	h.mock.RegisterResponder(http.MethodGet, base+"/v1/campaigns/1/contact-lists/2/contacts", func(r *http.Request) (*http.Response, error) {
		page := r.URL.Query().Get("page")
		pages = append(pages, page)
		n, _ := strconv.Atoi(page)
		return mocktest.JSON(200, `{"success":"1","totalRecord":3,"data":[{"contactId":`+strconv.Itoa(n+1)+`}]}`), nil
	})
	n := 0
	for _, err := range h.c.Contacts.All(ctx, &alohub.ContactListParams{CampaignID: "1", ListID: "2", Limit: 2}) {
		require.NoError(t, err)
		n++
	}
	require.Equal(t, 3, n)
	require.Equal(t, []string{"0", "1", "2"}, pages)
}

func TestContactsAllStopsOnAnEmptyPageAndOnError(t *testing.T) {
	t.Parallel()
	params := &alohub.ContactListParams{CampaignID: "1", ListID: "2"}
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1/contact-lists/2/contacts", 200, `{"success":"1","totalRecord":40,"data":[]}`)
	n := 0
	for range h.c.Contacts.All(ctx, params) {
		n++
	}
	require.Zero(t, n)
	require.Len(t, h.Requests(), 1)

	h = newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1/contact-lists/2/contacts", 404, `{"success":"0","error_code":"NOT_FOUND","error_message":"list not found"}`)
	for _, err := range h.c.Contacts.All(ctx, params) {
		n++
		require.ErrorIs(t, err, partnerkit.ErrNotFound)
	}
	require.Equal(t, 1, n)
}

func TestContactsCreate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/v1/campaigns/1042/contacts", 200, `{"success":"1","error_code":"SUCCESS","error_message":"Contact added to list 501"}`)
	receipt, err := h.c.Contacts.Create(ctx, &alohub.ContactCreateParams{CampaignID: "1042", PhoneNumber: "0901234567", Name: "Nguyen Van A", ListID: "501"})
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "POST", r.Method)
	require.Equal(t, "/gw/v1/campaigns/1042/contacts", r.Path)
	require.JSONEq(t, `{"phoneNumber":"0901234567","name":"Nguyen Van A","listId":501}`, r.Body)
	require.Equal(t, &alohub.ContactResult{Message: "Contact added to list 501", ListID: "501"}, receipt)
}

func TestContactsCreateWithoutListSendsNoListID(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/v1/campaigns/1042/contacts", 200, `{"success":"1","error_code":"SUCCESS","error_message":"Contact added"}`)
	receipt, err := h.c.Contacts.Create(ctx, &alohub.ContactCreateParams{CampaignID: "1042", PhoneNumber: "0901234567"})
	require.NoError(t, err)
	require.JSONEq(t, `{"phoneNumber":"0901234567"}`, h.last(t).Body)
	require.Empty(t, receipt.ListID)
	require.Equal(t, "Contact added", receipt.Message)
}

// TestCreatesAreNeverSentTwice: each create is sent once after a failure
// that may have reached Alohub (a 503, a timeout), and sent again after a
// 429 Alohub did not act on.
func TestCreatesAreNeverSentTwice(t *testing.T) {
	t.Parallel()
	creates := map[string]struct {
		path, answer string
		call         func(c *alohub.Client) error
	}{
		"Contacts.Create": {"/v1/campaigns/1042/contacts", `{"success":"1","error_message":"Contact added to list 501"}`, func(c *alohub.Client) error {
			_, err := c.Contacts.Create(ctx, &alohub.ContactCreateParams{CampaignID: "1042", PhoneNumber: "0901234567"})
			return err
		}},
		"Imports.Create": {"/v1/campaigns/1042/contacts/bulk", `{"success":"1","job_id":5,"total_rows":1}`, func(c *alohub.Client) error {
			_, err := c.Imports.Create(ctx, &alohub.ImportCreateParams{CampaignID: "1042", Contacts: []alohub.ImportContact{{PhoneNumber: "0901000001"}}})
			return err
		}},
	}
	for name, tc := range creates {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.on(http.MethodPost, tc.path, 503, `{"success":"0","error_code":"FAIL","error_message":"busy"}`)
			require.ErrorIs(t, tc.call(h.c), partnerkit.ErrServer)
			require.Len(t, h.Requests(), 1, "a 503 may come after Alohub acted")

			h = newHarness(t)
			h.mock.RegisterResponder(http.MethodPost, base+tc.path, func(r *http.Request) (*http.Response, error) {
				h.Record(r)
				return nil, mocktest.Timeout()
			})
			require.ErrorIs(t, tc.call(h.c), partnerkit.ErrNoResponse)
			require.Len(t, h.Requests(), 1, "a timeout may come after Alohub acted")

			h = newHarness(t)
			h.mock.RegisterResponder(http.MethodPost, base+tc.path, func(r *http.Request) (*http.Response, error) {
				if h.Record(r); len(h.Requests()) == 1 {
					return mocktest.JSON(429, `{"success":"0","error_code":"RATE_LIMIT_EXCEEDED","error_message":"slow down"}`, "Retry-After", "3"), nil
				}
				return mocktest.JSON(200, tc.answer), nil
			})
			require.NoError(t, tc.call(h.c))
			require.Len(t, h.Requests(), 2, "a 429 came before Alohub acted")
			require.Equal(t, []time.Duration{3 * time.Second}, h.clock.Sleeps(), "after the Retry-After")
		})
	}
}

func TestContactsCreateInvalidInput(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/v1/campaigns/1042/contacts", 400, `{"success":"0","error_code":"INVALID_INPUT","error_message":"phoneNumber is invalid"}`)
	_, err := h.c.Contacts.Create(ctx, &alohub.ContactCreateParams{CampaignID: "1042", PhoneNumber: "+14155550100"})
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, alohub.CodeInvalidInput, apiErr.Code)
	require.Equal(t, "phoneNumber is invalid", apiErr.Message)
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)
}

func TestContactsDelete(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodDelete, "/v1/campaigns/1042/contacts/88001", 200, `{"success":"1","error_code":"SUCCESS","error_message":"Contact deleted successfully"}`)
	require.NoError(t, h.c.Contacts.Delete(ctx, "1042", "88001"))
	r := h.last(t)
	require.Equal(t, "DELETE", r.Method)
	require.Equal(t, "/gw/v1/campaigns/1042/contacts/88001", r.Path)
	require.Empty(t, r.Body)
}

func TestContactsDeleteOfAContactNotPendingIsInvalidState(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodDelete, "/v1/campaigns/1042/contacts/88002", 400, `{"success":"0","error_code":"INVALID_STATE","error_message":"Contact is not pending"}`)
	err := h.c.Contacts.Delete(ctx, "1042", "88002")
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, alohub.CodeInvalidState, apiErr.Code)
	require.Equal(t, "Contact is not pending", apiErr.Message)
	require.Equal(t, 400, apiErr.StatusCode)
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)
	require.Len(t, h.Requests(), 1)
}
