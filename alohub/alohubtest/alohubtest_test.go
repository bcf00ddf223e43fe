package alohubtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go/alohub/alohubtest"
)

var epoch = time.Date(2026, 4, 14, 9, 0, 0, 0, time.UTC)

func fixed() time.Time { return epoch }

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

func call(t *testing.T, s http.Handler, method, path, body string, header ...string) answer {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("X-Api-Key", alohubtest.APIKey)
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			r.Header.Del(header[i])
			continue
		}
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	raw, _ := io.ReadAll(w.Body)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m), string(raw))
	return answer{w.Code, w.Header(), m}
}

func TestAuth(t *testing.T) {
	t.Parallel()
	s := alohubtest.New(alohubtest.WithClock(fixed))
	a := call(t, s, "GET", "/v1/campaigns/1042/contact-lists", "", "X-Api-Key", "")
	require.Equal(t, 401, a.status)
	require.Equal(t, "UNAUTHORIZED", a.body["error_code"])
	require.Equal(t, "0", a.body["success"])
	require.Empty(t, a.header.Get(alohubtest.HeaderTenantRemaining), "the gateway checks the key before counting")

	a = call(t, s, "GET", "/v1/campaigns/1042/contact-lists", "", "X-Api-Key", "", "Authorization", alohubtest.APIKey)
	require.Equal(t, 200, a.status, "the key in Authorization")
	a = call(t, s, "GET", "/v1/campaigns/1042/contact-lists", "", "X-Tenant-ID", alohubtest.TenantID)
	require.Equal(t, 200, a.status)
	a = call(t, s, "GET", "/v1/campaigns/1042/contact-lists", "", "X-Tenant-ID", "999")
	require.Equal(t, 401, a.status)
	a = call(t, s, "POST", "/v1/reports/call-logs", "{}", "X-Api-Key", alohubtest.CampaignOnlyKey)
	require.Equal(t, 403, a.status)
	require.Equal(t, "INSUFFICIENT_SCOPE", a.body["error_code"])
	a = call(t, s, "GET", "/v1/nothing", "")
	require.Equal(t, 404, a.status)
}

func TestWindowsPerTenantAndRoute(t *testing.T) {
	t.Parallel()
	s := alohubtest.New(alohubtest.WithClock(fixed))
	s.SetRateLimit("", 3, time.Second)
	s.SetRateLimit(alohubtest.EachRoute, 2, time.Second)
	a := call(t, s, "GET", "/v1/campaigns/1042/contact-lists", "")
	require.Equal(t, "3", a.header.Get(alohubtest.HeaderTenantLimit))
	require.Equal(t, "2", a.header.Get(alohubtest.HeaderTenantRemaining))
	require.Equal(t, "2", a.header.Get(alohubtest.HeaderRouteLimit))
	require.Equal(t, "1", a.header.Get(alohubtest.HeaderRouteRemaining))
	a = call(t, s, "GET", "/v1/campaigns/1043/contact-lists", "") // same route template
	require.Equal(t, "0", a.header.Get(alohubtest.HeaderRouteRemaining))
	a = call(t, s, "GET", "/v1/campaigns/1042/contact-lists", "")
	require.Equal(t, 429, a.status)
	require.Equal(t, "RATE_LIMIT_EXCEEDED", a.body["error_code"])
	require.Equal(t, "1", a.header.Get("Retry-After"))
	a = call(t, s, "GET", "/v1/campaigns?userName=AloHub", "") // another route: the tenant has one left
	require.Equal(t, 200, a.status)
	require.Equal(t, "0", a.header.Get(alohubtest.HeaderTenantRemaining))
	require.Equal(t, "1", a.header.Get(alohubtest.HeaderRouteRemaining))
	a = call(t, s, "GET", "/v1/campaigns?userName=AloHub", "")
	require.Equal(t, 429, a.status, "the tenant window is spent")
	require.Equal(t, 2, s.RateLimited())
	require.Equal(t, 3, s.Requests("GET /v1/campaigns/{id}/contact-lists"), "the route template counts every campaign's requests, refused ones too")
	require.Equal(t, 2, s.Requests("GET /v1/campaigns"))
	require.Equal(t, 5, s.Requests(""))
	s.Advance(time.Second)
	a = call(t, s, "GET", "/v1/campaigns/1042/contact-lists", "")
	require.Equal(t, 200, a.status, "new windows")
	require.Equal(t, "2", a.header.Get(alohubtest.HeaderTenantRemaining))
}

func TestARouteWindowOfItsOwnAndNoLimit(t *testing.T) {
	t.Parallel()
	s := alohubtest.New(alohubtest.WithClock(fixed))
	s.SetRateLimit("", 0, 0)
	s.SetRateLimit("POST /v1/campaigns/{id}/contacts", 1, 5*time.Second)
	a := call(t, s, "POST", "/v1/campaigns/1042/contacts", `{"phoneNumber":"0905000001"}`)
	require.Equal(t, 200, a.status)
	require.Equal(t, "1", a.header.Get(alohubtest.HeaderRouteLimit))
	require.Equal(t, "0", a.header.Get(alohubtest.HeaderRouteRemaining))
	require.Empty(t, a.header.Get(alohubtest.HeaderTenantLimit), "no tenant limit")
	a = call(t, s, "POST", "/v1/campaigns/1042/contacts", `{"phoneNumber":"0905000002"}`)
	require.Equal(t, 429, a.status)
	require.Equal(t, "5", a.header.Get("Retry-After"), "the route's own 5 s window")
	for range 60 {
		a = call(t, s, "GET", "/v1/campaigns/1042/contact-lists", "")
		if a.status != 200 {
			break
		}
	}
	require.Equal(t, 429, a.status, "other routes keep the default window")
	require.Equal(t, "50", a.header.Get(alohubtest.HeaderRouteLimit))
	s.Advance(5 * time.Second)
	require.Equal(t, 200, call(t, s, "POST", "/v1/campaigns/1042/contacts", `{"phoneNumber":"0905000002"}`).status)
	require.Equal(t, 3, s.Requests("POST /v1/campaigns/{id}/contacts"))
	require.Len(t, s.Contacts(alohubtest.CampaignID), 5)
}

func TestFailNextAnswersTheDocumentedCode(t *testing.T) {
	t.Parallel()
	for status, code := range map[int]string{400: "INVALID_INPUT", 401: "UNAUTHORIZED", 403: "INSUFFICIENT_SCOPE", 404: "NOT_FOUND",
		429: "RATE_LIMIT_EXCEEDED", 500: "FAIL", 503: "FAIL", 200: "FAIL"} {
		s := alohubtest.New(alohubtest.WithClock(fixed))
		s.FailNext(2, status)
		for range 2 {
			a := call(t, s, "GET", "/v1/campaigns/1042/contact-lists", "")
			require.Equal(t, status, a.status)
			require.Equal(t, "0", a.body["success"])
			require.Equal(t, code, a.body["error_code"], "status %d", status)
			if status == 429 {
				require.Equal(t, "1", a.header.Get("Retry-After"))
			}
		}
		a := call(t, s, "GET", "/v1/campaigns/1042/contact-lists", "")
		require.Equal(t, 200, a.status)
		require.Equal(t, "1", a.body["success"])
	}
}

func TestFailNextCode(t *testing.T) {
	t.Parallel()
	s := alohubtest.New(alohubtest.WithClock(fixed))
	s.FailNextCode(1, "RATE_LIMIT_EXCEEDED")
	a := call(t, s, "POST", "/v1/campaigns/1042/contacts", `{"phoneNumber":"0905000001"}`)
	require.Equal(t, 200, a.status)
	require.Equal(t, "0", a.body["success"])
	require.Equal(t, "RATE_LIMIT_EXCEEDED", a.body["error_code"])
	require.Empty(t, a.header.Get("Retry-After"))
	require.Len(t, s.Contacts(alohubtest.CampaignID), 3, "the refused request did nothing")
	require.Equal(t, "1", call(t, s, "POST", "/v1/campaigns/1042/contacts", `{"phoneNumber":"0905000001"}`).body["success"])
}

func TestImportJobAdvancesWithTimeAndIsLostOnRestart(t *testing.T) {
	t.Parallel()
	s := alohubtest.New(alohubtest.WithClock(fixed), alohubtest.WithImportRate(10, time.Second))
	body := `{"listName":"DS","contacts":[` + strings.Repeat(`{"phoneNumber":"0901000001"},`, 2) +
		`{"phoneNumber":"+84 901 000 002"},{"phoneNumber":"12"},{"name":"x"},{"phoneNumber":"0901234567"}` +
		strings.Repeat(`,{"phoneNumber":"0902000000"}`, 24) + `]}`
	a := call(t, s, "POST", "/v1/campaigns/1042/contacts/bulk", body)
	require.Equal(t, 200, a.status)
	require.Equal(t, "1", a.body["success"])
	require.Equal(t, float64(30), a.body["total_rows"])
	jobID := a.body["job_id"].(float64)
	path := "/v1/campaigns/1042/contacts/import/" + jsonNumber(jobID)

	a = call(t, s, "GET", path, "")
	require.Equal(t, "pending", a.body["status"])
	require.Nil(t, a.body["success"], "the status answer has no envelope")
	s.Advance(1500 * time.Millisecond) // 0.5 s of processing: 5 rows
	a = call(t, s, "GET", path, "")
	require.Equal(t, "processing", a.body["status"])
	require.Equal(t, float64(5), a.body["processedRows"])
	require.Equal(t, float64(1), a.body["duplicateRows"], "the batch repeats a number")
	require.Equal(t, float64(2), a.body["failedRows"], "a short number and a row without one")
	s.Advance(3 * time.Second)
	a = call(t, s, "GET", path, "")
	require.Equal(t, "done", a.body["status"])
	require.Equal(t, float64(30), a.body["processedRows"])
	require.Equal(t, float64(1+1+23), a.body["duplicateRows"], "0901234567 was already in the campaign")
	require.Equal(t, float64(2), a.body["failedRows"])
	require.Equal(t, "2 rows have no valid Vietnamese phone number (rows 4, 5)", a.body["errorMessage"], "a done job says which rows failed")

	s.Restart()
	a = call(t, s, "GET", path, "")
	require.Equal(t, 404, a.status)
	require.Equal(t, "NOT_FOUND", a.body["error_code"])
	var imported []string
	for _, c := range s.Contacts(alohubtest.CampaignID) {
		imported = append(imported, c.PhoneNumber)
	}
	require.Subset(t, imported, []string{"0901000001", "0901000002", "0902000000"}, "contacts survive a restart")
}

func jsonNumber(f float64) string {
	b, _ := json.Marshal(f)
	return string(b)
}

func TestRestartDropsUnhandledRows(t *testing.T) {
	t.Parallel()
	s := alohubtest.New(alohubtest.WithClock(fixed), alohubtest.WithImportRate(10, 0))
	rows := make([]string, 20)
	for i := range rows {
		rows[i] = `{"phoneNumber":"09030000` + string(rune('0'+i/10)) + string(rune('0'+i%10)) + `"}`
	}
	require.Equal(t, 200, call(t, s, "POST", "/v1/campaigns/1043/contacts/bulk", `{"contacts":[`+strings.Join(rows, ",")+`]}`).status)
	s.Advance(time.Second)
	s.Restart()
	s.Advance(time.Hour)
	require.Len(t, s.Contacts(alohubtest.PausedCampaignID), 10)
}

func TestAFailingJob(t *testing.T) {
	t.Parallel()
	s := alohubtest.New(alohubtest.WithClock(fixed), alohubtest.WithImportRate(100, 0))
	s.FailNextImport("storage unavailable")
	a := call(t, s, "POST", "/v1/campaigns/1042/contacts/bulk", `{"contacts":[{"phoneNumber":"0904000001"},{"phoneNumber":"0904000002"}]}`)
	s.Advance(time.Second)
	a = call(t, s, "GET", "/v1/campaigns/1042/contacts/import/"+jsonNumber(a.body["job_id"].(float64)), "")
	require.Equal(t, "failed", a.body["status"])
	require.Equal(t, "storage unavailable", a.body["errorMessage"])
	require.Equal(t, float64(1), a.body["failedRows"])
}

func TestBulkNeedsOnePhone(t *testing.T) {
	t.Parallel()
	s := alohubtest.New(alohubtest.WithClock(fixed))
	for _, body := range []string{`{"contacts":[]}`, `{"contacts":[{"name":"x"}]}`, `nope`} {
		a := call(t, s, "POST", "/v1/campaigns/1042/contacts/bulk", body)
		require.Equal(t, 400, a.status)
		require.Equal(t, "INVALID_INPUT", a.body["error_code"])
	}
}

func TestDeleteOnlyPendingContacts(t *testing.T) {
	t.Parallel()
	s := alohubtest.New(alohubtest.WithClock(fixed))
	a := call(t, s, "DELETE", "/v1/campaigns/1042/contacts/88002", "") // seeded in a call
	require.Equal(t, 400, a.status)
	require.Equal(t, "INVALID_STATE", a.body["error_code"])
	a = call(t, s, "DELETE", "/v1/campaigns/1042/contacts/88001", "")
	require.Equal(t, 200, a.status)
	require.Equal(t, "Contact deleted successfully", a.body["error_message"])
	require.Equal(t, 404, call(t, s, "DELETE", "/v1/campaigns/1042/contacts/88001", "").status)
	require.Equal(t, 404, call(t, s, "DELETE", "/v1/campaigns/1043/contacts/88003", "").status, "another campaign's contact")
	require.True(t, s.SetProcessStatus("88003", alohubtest.ProcessPending))
	require.Equal(t, 200, call(t, s, "DELETE", "/v1/campaigns/1042/contacts/88003", "").status)
}

func TestAddContactGoesToTheFirstListOrADefaultList(t *testing.T) {
	t.Parallel()
	s := alohubtest.New(alohubtest.WithClock(fixed))
	a := call(t, s, "POST", "/v1/campaigns/1042/contacts", `{"phoneNumber":"0905000001"}`)
	require.Equal(t, "Contact added to list 501", a.body["error_message"])
	a = call(t, s, "POST", "/v1/campaigns/1042/contacts", `{"phoneNumber":"0905000002","listId":502}`)
	require.Equal(t, "Contact added to list 502", a.body["error_message"])
	a = call(t, s, "POST", "/v1/campaigns/1042/contacts", `{"phoneNumber":"0905000002","listId":9}`)
	require.Equal(t, 404, a.status)
	a = call(t, s, "POST", "/v1/campaigns/1042/contacts", `{"name":"x"}`)
	require.Equal(t, 400, a.status)
	id := s.AddCampaign(alohubtest.Campaign{Name: "empty", Owner: "someone", Status: 1})
	a = call(t, s, "POST", "/v1/campaigns/"+id+"/contacts", `{"phoneNumber":"0905000003"}`)
	require.Equal(t, 200, a.status)
	a = call(t, s, "GET", "/v1/campaigns/"+id+"/contact-lists", "")
	data := a.body["data"].([]any)
	require.Len(t, data, 1)
	require.Equal(t, "Default List", data[0].(map[string]any)["listName"])
	require.Equal(t, float64(1), data[0].(map[string]any)["contactCount"])
}

func TestListsAndPages(t *testing.T) {
	t.Parallel()
	s := alohubtest.New(alohubtest.WithClock(fixed))
	a := call(t, s, "GET", "/v1/campaigns/1042/contact-lists/501/contacts?page=1&size=2", "")
	require.Equal(t, float64(3), a.body["totalRecord"])
	data := a.body["data"].([]any)
	require.Len(t, data, 1)
	require.Equal(t, float64(88003), data[0].(map[string]any)["contactId"])
	require.Nil(t, data[0].(map[string]any)["name"])
	a = call(t, s, "GET", "/v1/campaigns", "")
	require.Equal(t, 400, a.status, "userName is required")
	a = call(t, s, "GET", "/v1/campaigns?userName=AloHub&status=2", "")
	require.Equal(t, float64(1), a.body["totalRecord"])
	a = call(t, s, "POST", "/v1/reports/call-logs", `{"callEndTime":"2026-04-14T23:59:59+07:00"}`)
	require.Equal(t, float64(2), a.body["totalRecord"], "callEndTime (upper-case T) is ignored")
	a = call(t, s, "POST", "/v1/reports/call-logs", `{"callEndtime":"2026-04-14T23:59:59+07:00"}`)
	require.Equal(t, float64(1), a.body["totalRecord"])
}

func TestACleanJobHasNoErrorMessage(t *testing.T) {
	t.Parallel()
	s := alohubtest.New(alohubtest.WithClock(fixed), alohubtest.WithImportRate(100, 0))
	a := call(t, s, "POST", "/v1/campaigns/1042/contacts/bulk", `{"contacts":[{"phoneNumber":"0904000001"},{"phoneNumber":"0904000002"}]}`)
	s.Advance(time.Second)
	a = call(t, s, "GET", "/v1/campaigns/1042/contacts/import/"+jsonNumber(a.body["job_id"].(float64)), "")
	require.Equal(t, "done", a.body["status"])
	require.Equal(t, float64(0), a.body["failedRows"])
	require.Contains(t, a.body, "errorMessage")
	require.Nil(t, a.body["errorMessage"], "null, as documented")
}
