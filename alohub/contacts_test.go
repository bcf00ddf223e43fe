package alohub_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/alohub"
	"github.com/partnerkit/partnerkit-go/internal/mocktest"
)

func TestContactsList(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1042/contact-lists/501/contacts", 200, `{"success":"1","totalRecord":150,"data":[
{"contactId":88001,"customerId":55001,"phoneNumber":"0901234567","name":"Nguyen Van A","processStatus":0,"callStatus":null},
{"contactId":88002,"customerId":"55002","phoneNumber":"0901234568","name":null,"processStatus":2,"callStatus":"ANSWERED"}]}`)
	page, err := h.c.Contacts.List(ctx, "1042", "501", &alohub.ContactsParams{Page: 3, Size: 2})
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "/gw/v1/campaigns/1042/contact-lists/501/contacts", r.Path)
	require.Equal(t, map[string][]string{"page": {"3"}, "size": {"2"}}, r.Query)
	require.Equal(t, 150, page.Total)
	require.Equal(t, 3, page.Page)
	require.Len(t, page.Items, 2)
	a, b := page.Items[0], page.Items[1]
	require.Equal(t, partnerkit.ID("88001"), a.ContactID)
	require.Equal(t, partnerkit.ID("55001"), a.CustomerID)
	require.Equal(t, "0901234567", a.PhoneNumber)
	require.Equal(t, "Nguyen Van A", a.Name)
	require.Equal(t, alohub.ProcessPending, a.ProcessStatus)
	require.Empty(t, a.CallStatus)
	require.Empty(t, b.Name)
	require.Equal(t, alohub.ProcessProcessed, b.ProcessStatus)
	require.Equal(t, partnerkit.ID("ANSWERED"), b.CallStatus)
	require.Contains(t, string(b.Raw), `"customerId":"55002"`)
}

func TestContactsListWithoutParamsAsksForPageZero(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1/contact-lists/2/contacts", 200, `{"success":"1","totalRecord":0,"data":[]}`)
	page, err := h.c.Contacts.List(ctx, "1", "2", nil)
	require.NoError(t, err)
	require.Equal(t, map[string][]string{"page": {"0"}}, h.last(t).Query)
	require.Empty(t, page.Items)
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
	for c, err := range h.c.Contacts.All(ctx, "1", "2", &alohub.ContactsParams{Size: 2}) {
		require.NoError(t, err)
		ids = append(ids, c.ContactID)
	}
	require.Equal(t, []string{"0", "1", "2"}, pages)
	require.Equal(t, []partnerkit.ID{"1", "2", "3", "4", "5", "6"}, ids, "the last page is yielded whole")
}

func TestContactsAllStopsOnAnEmptyPageAndOnError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1/contact-lists/2/contacts", 200, `{"success":"1","totalRecord":40,"data":[]}`)
	n := 0
	for range h.c.Contacts.All(ctx, "1", "2", nil) {
		n++
	}
	require.Zero(t, n)
	require.Len(t, h.Requests(), 1)

	h = newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1/contact-lists/2/contacts", 404, `{"success":"0","error_code":"NOT_FOUND","error_message":"list not found"}`)
	for _, err := range h.c.Contacts.All(ctx, "1", "2", nil) {
		n++
		require.ErrorIs(t, err, partnerkit.ErrNotFound)
	}
	require.Equal(t, 1, n)
}

func TestContactsAdd(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/v1/campaigns/1042/contacts", 200, `{"success":"1","error_code":"SUCCESS","error_message":"Contact added to list 501"}`)
	added, err := h.c.Contacts.Add(ctx, "1042", &alohub.NewContact{PhoneNumber: "0901234567", Name: "Nguyen Van A", ListID: "501"})
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "POST", r.Method)
	require.Equal(t, "/gw/v1/campaigns/1042/contacts", r.Path)
	require.JSONEq(t, `{"phoneNumber":"0901234567","name":"Nguyen Van A","listId":501}`, r.Body)
	require.Equal(t, "Contact added to list 501", added.Message)
	require.Equal(t, partnerkit.ID("501"), added.ListID)
}

func TestContactsAddWithoutListSendsNoListID(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/v1/campaigns/1042/contacts", 200, `{"success":"1","error_code":"SUCCESS","error_message":"Contact added"}`)
	added, err := h.c.Contacts.Add(ctx, "1042", &alohub.NewContact{PhoneNumber: "0901234567"})
	require.NoError(t, err)
	require.JSONEq(t, `{"phoneNumber":"0901234567"}`, h.last(t).Body)
	require.Empty(t, added.ListID)
}

func TestContactsAddIsNeverSentTwice(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/v1/campaigns/1042/contacts", 503, `{"success":"0","error_code":"FAIL","error_message":"busy"}`)
	_, err := h.c.Contacts.Add(ctx, "1042", &alohub.NewContact{PhoneNumber: "0901234567"})
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Len(t, h.Requests(), 1)
}

func TestContactsAddInvalidInput(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/v1/campaigns/1042/contacts", 400, `{"success":"0","error_code":"INVALID_INPUT","error_message":"phoneNumber is invalid"}`)
	_, err := h.c.Contacts.Add(ctx, "1042", &alohub.NewContact{PhoneNumber: "+14155550100"})
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, alohub.CodeInvalidInput, apiErr.Code)
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

func TestImport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/v1/campaigns/1042/contacts/bulk", 200,
		`{"success":"1","error_code":"SUCCESS","error_message":"Bulk import started","job_id":5,"total_rows":2}`)
	started, err := h.c.Contacts.Import(ctx, "1042", &alohub.BulkImport{
		ListName: "Danh sach thang 4",
		Contacts: []alohub.ImportContact{{PhoneNumber: "0901000001", Name: "KH 1"}, {PhoneNumber: "0901000002"}},
	})
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "POST", r.Method)
	require.Equal(t, "/gw/v1/campaigns/1042/contacts/bulk", r.Path)
	require.JSONEq(t, `{"listName":"Danh sach thang 4","contacts":[{"phoneNumber":"0901000001","name":"KH 1"},{"phoneNumber":"0901000002"}]}`, r.Body)
	require.Equal(t, partnerkit.ID("5"), started.JobID)
	require.Equal(t, 2, started.TotalRows)
	require.Equal(t, "Bulk import started", started.Message)
}

func TestImportAnswerInData(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/v1/campaigns/1042/contacts/bulk", 200, `{"success":"1","data":{"jobId":"6","totalRows":1}}`)
	started, err := h.c.Contacts.Import(ctx, "1042", &alohub.BulkImport{Contacts: []alohub.ImportContact{{PhoneNumber: "0901000001"}}})
	require.NoError(t, err)
	require.JSONEq(t, `{"contacts":[{"phoneNumber":"0901000001"}]}`, h.last(t).Body)
	require.Equal(t, partnerkit.ID("6"), started.JobID)
	require.Equal(t, 1, started.TotalRows)
}

func TestImportFailures(t *testing.T) {
	t.Parallel()
	batch := &alohub.BulkImport{Contacts: []alohub.ImportContact{{PhoneNumber: "0901000001"}}}

	h := newHarness(t)
	h.on(http.MethodPost, "/v1/campaigns/1042/contacts/bulk", 200, `{"success":"0","error_code":"INVALID_INPUT","error_message":"contacts is empty"}`)
	_, err := h.c.Contacts.Import(ctx, "1042", batch)
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)

	h = newHarness(t)
	h.on(http.MethodPost, "/v1/campaigns/1042/contacts/bulk", 200, `{"success":"1","error_message":"Bulk import started"}`)
	_, err = h.c.Contacts.Import(ctx, "1042", batch)
	require.ErrorIs(t, err, partnerkit.ErrUnexpected, "no job to follow")

	h = newHarness(t)
	h.on(http.MethodPost, "/v1/campaigns/1042/contacts/bulk", 504, ``)
	_, err = h.c.Contacts.Import(ctx, "1042", batch)
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Len(t, h.Requests(), 1, "a bulk import is never sent twice")
}

func TestImportStatus(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1042/contacts/import/5", 200,
		`{"jobId":5,"status":"processing","totalRows":100,"processedRows":42,"failedRows":0,"duplicateRows":1,"errorMessage":null}`)
	job, err := h.c.Contacts.ImportStatus(ctx, "1042", "5")
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "GET", r.Method)
	require.Equal(t, "/gw/v1/campaigns/1042/contacts/import/5", r.Path)
	require.Equal(t, alohub.ImportJob{JobID: "5", Status: alohub.ImportProcessing, TotalRows: 100, ProcessedRows: 42, DuplicateRows: 1,
		Raw: job.Raw}, *job)
	require.False(t, job.Finished())
}

func TestImportStatusInAnEnvelope(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1042/contacts/import/5", 200,
		`{"success":"1","data":{"jobId":5,"status":"failed","totalRows":10,"processedRows":3,"failedRows":7,"duplicateRows":0,"errorMessage":"bad file"}}`)
	job, err := h.c.Contacts.ImportStatus(ctx, "1042", "5")
	require.NoError(t, err)
	require.Equal(t, alohub.ImportFailed, job.Status)
	require.Equal(t, "bad file", job.ErrorMessage)
	require.Equal(t, 7, job.FailedRows)
	require.True(t, job.Finished())

	h = newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1042/contacts/import/5", 200, `{"success":"0","error_code":"NOT_FOUND","error_message":"job not found"}`)
	_, err = h.c.Contacts.ImportStatus(ctx, "1042", "5")
	require.ErrorIs(t, err, partnerkit.ErrNotFound)

	h = newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1042/contacts/import/5", 200, `{}`)
	_, err = h.c.Contacts.ImportStatus(ctx, "1042", "5")
	require.ErrorIs(t, err, partnerkit.ErrUnexpected)
}
