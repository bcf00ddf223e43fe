package alohub_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/alohub"
	"github.com/partnerkit/partnerkit-go/internal/mocktest"
)

const contactListsBody = `{"success":"1","totalRecord":2,"data":[
{"listId":501,"listName":"Danh sach thang 4","contactCount":150},
{"listId":502,"listName":"Default List","contactCount":30}]}`

func TestNewRequiresAKeyAndATenantWhenAsked(t *testing.T) {
	t.Parallel()
	_, err := alohub.New("  ")
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	require.ErrorContains(t, err, "apiKey is required")
	_, err = alohub.New(apiKey, alohub.WithTenantID(""))
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	require.ErrorContains(t, err, "WithTenantID")
	_, err = alohub.New(apiKey, alohub.WithWindowLength(0))
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	require.ErrorContains(t, err, "WithWindowLength")
}

func TestCredentialHeaders(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1042/contact-lists", 200, contactListsBody)
	_, err := h.c.Campaigns.ContactLists(ctx, "1042")
	require.NoError(t, err)
	r := h.last(t)
	require.Empty(t, r.Header.Get("X-Tenant-ID"), "no tenant unless asked")

	h = newHarness(t, alohub.WithTenantID("20260310"), alohub.WithAuthorizationHeader())
	h.on(http.MethodGet, "/v1/campaigns/1042/contact-lists", 200, contactListsBody)
	_, err = h.c.Campaigns.ContactLists(ctx, "1042")
	require.NoError(t, err)
	reqs := h.Requests()
	require.Len(t, reqs, 1)
	require.Equal(t, apiKey, reqs[0].Header.Get("Authorization"), "the key as is, without a scheme")
	require.Empty(t, reqs[0].Header.Get("X-Api-Key"))
	require.Equal(t, "20260310", reqs[0].Header.Get("X-Tenant-ID"))
}

func TestContactLists(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1042/contact-lists", 200, contactListsBody)
	lists, err := h.c.Campaigns.ContactLists(ctx, "1042")
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "GET", r.Method)
	require.Equal(t, "/gw/v1/campaigns/1042/contact-lists", r.Path)
	require.Empty(t, r.Query)
	require.Empty(t, r.Body)
	require.Len(t, lists, 2)
	require.Equal(t, partnerkit.ID("501"), lists[0].ListID)
	require.Equal(t, "Danh sach thang 4", lists[0].ListName)
	require.Equal(t, 150, lists[0].ContactCount)
	require.Equal(t, "Default List", lists[1].ListName)
	require.JSONEq(t, `{"listId":502,"listName":"Default List","contactCount":30}`, string(lists[1].Raw))
}

func TestCampaignsList(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns", 200, `{"success":"1","error_code":"SUCCESS","error_message":"SUCCESS","totalRecord":25,
"data":[{"campaignId":1042,"campaignName":"April leads","type":"CAMPAIGN_CALL_AUTO","status":2,"extra":"kept"},
{"id":"1043","name":"May leads","status":"3"}]}`)
	page, err := h.c.Campaigns.List(ctx, &alohub.CampaignsParams{UserName: "AloHub", Status: alohub.CampaignRunning,
		Type: alohub.CampaignTypeCallAuto, Page: 1, Limit: 2})
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "/gw/v1/campaigns", r.Path)
	require.Equal(t, map[string][]string{"userName": {"AloHub"}, "status": {"2"}, "type": {"CAMPAIGN_CALL_AUTO"},
		"page": {"1"}, "limit": {"2"}}, r.Query)
	require.Equal(t, 25, page.Total)
	require.Equal(t, 1, page.Page)
	require.Len(t, page.Items, 2)
	require.Equal(t, partnerkit.ID("1042"), page.Items[0].ID)
	require.Equal(t, "April leads", page.Items[0].Name)
	require.Equal(t, alohub.CampaignTypeCallAuto, page.Items[0].Type)
	require.Equal(t, partnerkit.Number("2"), page.Items[0].Status)
	require.Contains(t, string(page.Items[0].Raw), `"extra":"kept"`)
	require.Equal(t, partnerkit.ID("1043"), page.Items[1].ID, "id under another name")
	require.Equal(t, "May leads", page.Items[1].Name)
}

func TestCampaignsAllCountsPagesFromZeroAndStopsAtTotalRecord(t *testing.T) {
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
	params := &alohub.CampaignsParams{UserName: "AloHub", Limit: 2}
	var ids []partnerkit.ID
	for c, err := range h.c.Campaigns.All(ctx, params) {
		require.NoError(t, err)
		ids = append(ids, c.ID)
	}
	require.Equal(t, []partnerkit.ID{"1", "2", "3"}, ids)
	require.Equal(t, []string{"0", "1"}, pages)
	require.Equal(t, 0, params.Page, "the caller's params are not changed")
}

func TestCampaignsAllRejectsBadParamsWithoutSending(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	n := 0
	for _, err := range h.c.Campaigns.All(ctx, &alohub.CampaignsParams{}) {
		n++
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	}
	require.Equal(t, 1, n)
	require.Empty(t, h.Requests())
}

func TestAFailureEnvelopeUnderStatus200IsAnError(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		body string
		code string
		kind error
	}{
		{"not found", `{"success":"0","error_code":"NOT_FOUND","error_message":"Campaign not found"}`, alohub.CodeNotFound, partnerkit.ErrNotFound},
		{"bad input", `{"success":"0","error_code":"INVALID_INPUT","error_message":"userName is required"}`, alohub.CodeInvalidInput, partnerkit.ErrInvalidRequest},
		{"scope", `{"success":"0","error_code":"INSUFFICIENT_SCOPE","error_message":"missing scope campaign"}`, alohub.CodeInsufficientScope, partnerkit.ErrForbidden},
		{"server", `{"success":0,"error_code":"FAIL","error_message":"internal error"}`, alohub.CodeFail, partnerkit.ErrServer},
		{"unknown code", `{"success":"2","error_code":"SOMETHING_NEW","error_message":"?"}`, "SOMETHING_NEW", partnerkit.ErrUnexpected},
		{"no flag", `{"totalRecord":1,"data":[]}`, "", partnerkit.ErrUnexpected},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.on(http.MethodGet, "/v1/campaigns/1042/contact-lists", 200, tc.body)
			lists, err := h.c.Campaigns.ContactLists(ctx, "1042")
			require.Nil(t, lists)
			var apiErr *partnerkit.Error
			require.ErrorAs(t, err, &apiErr)
			require.Equal(t, tc.code, apiErr.Code)
			require.Equal(t, 200, apiErr.StatusCode)
			require.Equal(t, "alohub", apiErr.Provider)
			require.Equal(t, "/v1/campaigns/1042/contact-lists", apiErr.Path)
			require.ErrorIs(t, err, tc.kind)
			require.Len(t, h.Requests(), 1, "a failure envelope is final")
		})
	}
}

func TestErrorStatuses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status int
		code   string
		kind   error
		calls  int
	}{
		{401, alohub.CodeUnauthorized, partnerkit.ErrUnauthorized, 1},
		{403, alohub.CodeInsufficientScope, partnerkit.ErrForbidden, 1},
		{404, alohub.CodeNotFound, partnerkit.ErrNotFound, 1},
		{500, alohub.CodeFail, partnerkit.ErrServer, 1},
	}
	for _, tc := range cases {
		h := newHarness(t)
		h.on(http.MethodGet, "/v1/campaigns/7/contact-lists", tc.status, `{"success":"0","error_code":"`+tc.code+`","error_message":"no"}`)
		_, err := h.c.Campaigns.ContactLists(ctx, "7")
		var apiErr *partnerkit.Error
		require.ErrorAs(t, err, &apiErr)
		require.Equal(t, tc.status, apiErr.StatusCode)
		require.Equal(t, tc.code, apiErr.Code)
		require.Equal(t, "no", apiErr.Message)
		require.ErrorIs(t, err, tc.kind)
		require.Len(t, h.Requests(), tc.calls)
	}
}

func TestA429IsRetriedAfterRetryAfter(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	calls := 0
	h.mock.RegisterResponder(http.MethodGet, base+"/v1/campaigns/7/contact-lists", func(r *http.Request) (*http.Response, error) {
		h.Record(r)
		calls++
		if calls == 1 {
			return mocktest.JSON(429, `{"success":"0","error_code":"RATE_LIMIT_EXCEEDED","error_message":"slow down"}`, "Retry-After", "4"), nil
		}
		return mocktest.JSON(200, contactListsBody), nil
	})
	lists, err := h.c.Campaigns.ContactLists(ctx, "7")
	require.NoError(t, err)
	require.Len(t, lists, 2)
	require.Equal(t, 2, calls)
	require.Contains(t, h.clock.Sleeps(), 4*time.Second)
}

func TestTheKeyNeverReachesAnErrorOrALog(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	h := newHarness(t, partnerkit.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	h.on(http.MethodGet, "/v1/campaigns/7/contact-lists", 401, `{"success":"0","error_code":"UNAUTHORIZED","error_message":"bad key `+apiKey+`"}`)
	_, err := h.c.Campaigns.ContactLists(ctx, "7")
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.NotContains(t, err.Error(), apiKey)
	require.NotContains(t, string(apiErr.Body), apiKey)
	require.NotEmpty(t, logs.String())
	require.NotContains(t, logs.String(), apiKey)
}

func TestBadInputIsRejectedBeforeSending(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tooMany := make([]alohub.ImportContact, 30)
	cases := []struct {
		name  string
		call  func() error
		field string
	}{
		{"campaigns without params", func() error { _, err := h.c.Campaigns.List(ctx, nil); return err }, "params"},
		{"campaigns without user", func() error { _, err := h.c.Campaigns.List(ctx, &alohub.CampaignsParams{}); return err }, "UserName"},
		{"campaigns bad status", func() error {
			_, err := h.c.Campaigns.List(ctx, &alohub.CampaignsParams{UserName: "a", Status: 9})
			return err
		}, "Status"},
		{"campaigns negative page", func() error {
			_, err := h.c.Campaigns.List(ctx, &alohub.CampaignsParams{UserName: "a", Page: -1})
			return err
		}, "Page"},
		{"lists without campaign", func() error { _, err := h.c.Campaigns.ContactLists(ctx, ""); return err }, "campaignID"},
		{"lists zero campaign", func() error { _, err := h.c.Campaigns.ContactLists(ctx, "0"); return err }, "campaignID"},
		{"lists campaign with a slash", func() error { _, err := h.c.Campaigns.ContactLists(ctx, "1/2"); return err }, "campaignID"},
		{"contacts without list", func() error { _, err := h.c.Contacts.List(ctx, "1", "", nil); return err }, "listID"},
		{"contacts negative size", func() error {
			_, err := h.c.Contacts.List(ctx, "1", "2", &alohub.ContactsParams{Size: -1})
			return err
		}, "Size"},
		{"add nil", func() error { _, err := h.c.Contacts.Add(ctx, "1", nil); return err }, "contact"},
		{"add without phone", func() error { _, err := h.c.Contacts.Add(ctx, "1", &alohub.NewContact{Name: "A"}); return err }, "PhoneNumber"},
		{"add bad phone", func() error {
			_, err := h.c.Contacts.Add(ctx, "1", &alohub.NewContact{PhoneNumber: "09-abc"})
			return err
		}, "PhoneNumber"},
		{"add bad list", func() error {
			_, err := h.c.Contacts.Add(ctx, "1", &alohub.NewContact{PhoneNumber: "0901234567", ListID: "-4"})
			return err
		}, "ListID"},
		{"delete without contact", func() error { return h.c.Contacts.Delete(ctx, "1", "") }, "contactID"},
		{"import nil", func() error { _, err := h.c.Contacts.Import(ctx, "1", nil); return err }, "import"},
		{"import empty", func() error { _, err := h.c.Contacts.Import(ctx, "1", &alohub.BulkImport{ListName: "x"}); return err }, "Contacts"},
		{"import blank phone", func() error {
			_, err := h.c.Contacts.Import(ctx, "1", &alohub.BulkImport{Contacts: []alohub.ImportContact{{PhoneNumber: "0901000001"}, {Name: "no phone"}}})
			return err
		}, "Contacts[1].PhoneNumber"},
		{"import malformed phone", func() error {
			_, err := h.c.Contacts.Import(ctx, "1", &alohub.BulkImport{Contacts: []alohub.ImportContact{{PhoneNumber: "12345"}}})
			return err
		}, "Contacts[0].PhoneNumber"},
		{"import many bad rows", func() error {
			_, err := h.c.Contacts.Import(ctx, "1", &alohub.BulkImport{Contacts: tooMany})
			return err
		}, "has 30 rows"},
		{"status without job", func() error { _, err := h.c.Contacts.ImportStatus(ctx, "1", ""); return err }, "jobID"},
		{"wait negative interval", func() error {
			_, err := h.c.Contacts.WaitImport(ctx, "1", "5", &alohub.WaitOptions{Interval: -time.Second})
			return err
		}, "Interval"},
		{"logs bad phone", func() error {
			_, err := h.c.Reports.CallLogs(ctx, &alohub.CallLogsParams{PhoneNumber: "x"})
			return err
		}, "PhoneNumber"},
		{"logs end before start", func() error {
			_, err := h.c.Reports.CallLogs(ctx, &alohub.CallLogsParams{Start: epoch, End: epoch.Add(-time.Hour)})
			return err
		}, "End"},
		{"logs bad type", func() error {
			_, err := h.c.Reports.CallLogs(ctx, &alohub.CallLogsParams{CallType: ptr(3)})
			return err
		}, "CallType"},
		{"logs limit too big", func() error { _, err := h.c.Reports.CallLogs(ctx, &alohub.CallLogsParams{Limit: 101}); return err }, "Limit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
			require.ErrorContains(t, err, tc.field)
			var ve *partnerkit.ValidationError
			require.True(t, errors.As(err, &ve))
		})
	}
	require.Empty(t, h.Requests(), "nothing was sent")
}

func TestCallLogs(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/v1/reports/call-logs", 200, `{"success":"1","totalRecord":120,"data":[
{"callId":"c-1","callerNumber":"02873000000","calledNumber":"0912345678","customerName":"Nguyen Van A","callType":1,
"callStatus":"ANSWERED","callStartTime":"2026-04-14T09:00:00+07:00","callEndtime":"2026-04-14T09:02:05+07:00","duration":125}]}`)
	ict := time.FixedZone("ICT", 7*3600)
	page, err := h.c.Reports.CallLogs(ctx, &alohub.CallLogsParams{
		PhoneNumber: "0912345678",
		Start:       time.Date(2026, 4, 14, 0, 0, 0, 0, ict),
		End:         time.Date(2026, 4, 20, 23, 59, 59, 0, ict),
		CallType:    ptr(alohub.CallOutbound),
		Limit:       50,
	})
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "POST", r.Method)
	require.Equal(t, "/gw/v1/reports/call-logs", r.Path)
	require.Equal(t, "application/json", r.Header.Get("Content-Type"))
	require.JSONEq(t, `{"phoneNumber":"0912345678","callStartTime":"2026-04-14T00:00:00+07:00",
"callEndtime":"2026-04-20T23:59:59+07:00","callType":1,"page":1,"limit":50}`, r.Body)
	require.NotContains(t, r.Body, "callEndTime", "Alohub ignores the correctly cased name")
	require.Equal(t, 120, page.Total)
	require.Equal(t, 1, page.Page)
	require.Len(t, page.Items, 1)
	l := page.Items[0]
	require.Equal(t, partnerkit.ID("c-1"), l.CallID)
	require.Equal(t, "Nguyen Van A", l.CustomerName)
	require.Equal(t, partnerkit.Number("1"), l.CallType)
	require.Equal(t, 125.0, l.Duration.Float64())
	require.True(t, l.EndTime.Equal(time.Date(2026, 4, 14, 2, 2, 5, 0, time.UTC)))
}

func TestCallLogsWithoutParamsAsksForPageOne(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/v1/reports/call-logs", 200, `{"success":"1","totalRecord":0,"data":[]}`)
	page, err := h.c.Reports.CallLogs(ctx, nil)
	require.NoError(t, err)
	require.JSONEq(t, `{"page":1}`, h.last(t).Body)
	require.Empty(t, page.Items)
}

func TestCallLogsAreRetriedLikeAGet(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	calls := 0
	h.mock.RegisterResponder(http.MethodPost, base+"/v1/reports/call-logs", func(r *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			return mocktest.JSON(503, `{"success":"0","error_code":"FAIL"}`), nil
		}
		return mocktest.JSON(200, `{"success":"1","totalRecord":0,"data":[]}`), nil
	})
	_, err := h.c.Reports.CallLogs(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 2, calls)
}

func TestAllCallLogsCountsPagesFromOne(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var pages []int
	h.mock.RegisterResponder(http.MethodPost, base+"/v1/reports/call-logs", func(r *http.Request) (*http.Response, error) {
		var body struct {
			Page        int    `json:"page"`
			Limit       int    `json:"limit"`
			CallEndtime string `json:"callEndtime"`
		}
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		assert.Equal(t, 2, body.Limit)
		assert.Equal(t, "2026-04-20T00:00:00Z", body.CallEndtime)
		pages = append(pages, body.Page)
		data := map[int]string{1: `[{"callId":1},{"callId":2}]`, 2: `[{"callId":3}]`}[body.Page]
		return mocktest.JSON(200, `{"success":"1","totalRecord":3,"data":`+data+`}`), nil
	})
	var ids []partnerkit.ID
	for l, err := range h.c.Reports.AllCallLogs(ctx, &alohub.CallLogsParams{Limit: 2, End: time.Date(2026, 4, 20, 0, 0, 0, 0, time.UTC)}) {
		require.NoError(t, err)
		ids = append(ids, l.CallID)
	}
	require.Equal(t, []partnerkit.ID{"1", "2", "3"}, ids)
	require.Equal(t, []int{1, 2}, pages)
}
