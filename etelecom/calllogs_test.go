package etelecom_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
)

// callLogJSON is the document's call log, with its int64s (duration,
// ring_duration) as protobuf's JSON writes them.
const callLogJSON = `{"id":"9001","caller":"0901234567","callee":"02873001234","direction":"in","call_state":"answered",
"call_status":"P","duration":"42","started_at":"2025-05-20T09:00:00Z","ended_at":"2025-05-20T09:00:42Z",
"recording_urls":["https://rec.etelecom.vn/9001.mp3"],"call_targets":[{"add_time":"2025-05-20T09:00:00Z",
"answered_time":"2025-05-20T09:00:03Z","end_reason":"normal","ended_time":"2025-05-20T09:00:42Z","fail_code":0,
"ring_duration":"3","ring_time":"2025-05-20T09:00:00Z","status":"answered","target_number":"101","trunk_name":"viettel"}],
"extension_id":"5501","user_id":"7001","contact_id":"1","external_id":"crm-1","external_session_id":"s-1","note":"",
"created_at":"2025-05-20T09:00:42Z","updated_at":"2025-05-20T09:00:42Z","new_field":"kept"}`

func TestCallLogsListWithEveryFilter(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "ListCallLogs", 200, `{"call_logs":[`+callLogJSON+`],"paging":{"limit":100,"next":"n1"}}`)
	from := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	page, err := h.shop(t).CallLogs.List(ctx, &etelecom.CallLogListParams{
		CallNumber: "0901234567", CallState: etelecom.CallAnswered, DateFrom: from, DateTo: from.AddDate(0, 1, 0),
		Direction: etelecom.DirectionIn, Duration: &etelecom.DurationFilter{Comparison: "less_than_or_equal_to", Value: 60},
		ExtensionIDs: []partnerkit.ID{"5501", "5502"}, HotlineIDs: []partnerkit.ID{"3301"}, UserID: "7001",
		DepartmentID: "11", ExternalID: "crm-1", ExternalSessionID: "s-1",
		After: "n0", Limit: 100, Sort: "-started_at",
	})
	require.NoError(t, err)
	r := h.only(t, shopKey)
	require.Equal(t, "/v1/partner.Etelecom/ListCallLogs", r.Path)
	require.JSONEq(t, `{"filter":{"call_number":"0901234567","call_state":"answered","date_from":"2025-05-01T00:00:00Z",
"date_to":"2025-06-01T00:00:00Z","direction":"in","duration":{"comparison":"less_than_or_equal_to","value":60},
"extension_ids":["5501","5502"],"hotline_ids":["3301"],"user_id":"7001","department_id":"11","external_id":"crm-1",
"external_session_id":"s-1"},"paging":{"after":"n0","limit":100,"sort":"-started_at"}}`, r.Body)

	require.Len(t, page.Items, 1)
	l := page.Items[0]
	require.Equal(t, partnerkit.ID("9001"), l.ID)
	require.Equal(t, etelecom.DirectionIn, l.Direction)
	require.Equal(t, etelecom.CallAnswered, l.CallState)
	require.Equal(t, partnerkit.Seconds(42), l.Duration)
	require.Equal(t, 42*time.Second, l.Duration.Duration())
	require.Equal(t, []string{"https://rec.etelecom.vn/9001.mp3"}, l.RecordingURLs)
	require.Len(t, l.CallTargets, 1)
	require.Equal(t, "101", l.CallTargets[0].TargetNumber)
	require.Equal(t, 3*time.Second, l.CallTargets[0].RingDuration.Duration())
	require.Equal(t, time.Date(2025, 5, 20, 9, 0, 42, 0, time.UTC), l.EndedAt.Time)
	require.Equal(t, partnerkit.ID("5501"), l.ExtensionID)
	require.Equal(t, partnerkit.ID("1"), l.ContactID)
	require.Contains(t, string(l.Raw), `"new_field":"kept"`)
	require.Equal(t, "n1", page.Next)
	require.Equal(t, 100, page.Limit)
}

func TestCallLogsKeepUnknownEnumValues(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Etelecom", "ListCallLogs", 200, `{"call_logs":[{"id":1,"direction":"transfer","call_state":"busy","duration":12}]}`)
	page, err := h.shop(t).CallLogs.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, "{}", h.only(t, shopKey).Body)
	require.Equal(t, "transfer", page.Items[0].Direction)
	require.Equal(t, "busy", page.Items[0].CallState)
	require.Equal(t, partnerkit.Seconds(12), page.Items[0].Duration)
	require.Equal(t, partnerkit.ID("1"), page.Items[0].ID)
	require.False(t, page.HasMore(), "no paging object: last page")
}

// cursorServer answers ListCallLogs by the after cursor in the request.
func cursorServer(t *testing.T, h *harness, pages map[string]string) {
	h.mock.RegisterResponder(http.MethodPost, base+".Etelecom/ListCallLogs", func(r *http.Request) (*http.Response, error) {
		resp := h.record(r, 200, "")
		var body struct {
			Paging struct {
				After string `json:"after"`
			} `json:"paging"`
		}
		reqs := h.Requests()
		require.NoError(t, jsonUnmarshal(reqs[len(reqs)-1].Body, &body))
		page, ok := pages[body.Paging.After]
		if !ok {
			resp.StatusCode = http.StatusBadRequest
			return jsonResponse(resp, `{"code":"invalid_argument","msg":"bad cursor"}`), nil
		}
		return jsonResponse(resp, page), nil
	})
}

func TestCallLogsAllStopsOnTheLastPage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cursorServer(t, h, map[string]string{
		"":   `{"call_logs":[{"id":"1"},{"id":"2"}],"paging":{"limit":2,"next":"c1"}}`,
		"c1": `{"call_logs":[{"id":"3"},{"id":"4"}],"paging":{"after":"c1","limit":"2","next":"c2"}}`,
		"c2": `{"call_logs":[{"id":"5"}],"paging":{"after":"c2","limit":2,"next":""}}`,
	})
	params := &etelecom.CallLogListParams{Direction: etelecom.DirectionOut, ExtensionIDs: []partnerkit.ID{"7"}, Limit: 2}
	var ids []partnerkit.ID
	for l, err := range h.shop(t).CallLogs.All(ctx, params) {
		require.NoError(t, err)
		ids = append(ids, l.ID)
		params.ExtensionIDs[0] = "8" // the caller changing its params does not change the iteration
	}
	require.Equal(t, []partnerkit.ID{"1", "2", "3", "4", "5"}, ids)
	reqs := h.Requests()
	require.Len(t, reqs, 3)
	require.JSONEq(t, `{"filter":{"direction":"out","extension_ids":["7"]},"paging":{"limit":2}}`, reqs[0].Body)
	require.JSONEq(t, `{"filter":{"direction":"out","extension_ids":["7"]},"paging":{"after":"c1","limit":2}}`, reqs[1].Body)
	require.JSONEq(t, `{"filter":{"direction":"out","extension_ids":["7"]},"paging":{"after":"c2","limit":2}}`, reqs[2].Body)
	require.Empty(t, params.After, "the caller's params are not changed")
}

func TestCallLogsAllStartsAtAfter(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cursorServer(t, h, map[string]string{
		"c1": `{"call_logs":[{"id":"3"}],"paging":{"next":""}}`,
	})
	var ids []partnerkit.ID
	for l, err := range h.shop(t).CallLogs.All(ctx, &etelecom.CallLogListParams{After: "c1"}) {
		require.NoError(t, err)
		ids = append(ids, l.ID)
	}
	require.Equal(t, []partnerkit.ID{"3"}, ids)
}

func TestCallLogsAllRefusesACursorThatDoesNotAdvance(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cursorServer(t, h, map[string]string{
		"":   `{"call_logs":[{"id":"1"}],"paging":{"next":"c1"}}`,
		"c1": `{"call_logs":[{"id":"2"}],"paging":{"next":"c1"}}`,
	})
	var ids []partnerkit.ID
	var last error
	for l, err := range h.shop(t).CallLogs.All(ctx, nil) {
		if err != nil {
			last = err
			continue
		}
		ids = append(ids, l.ID)
	}
	require.Equal(t, []partnerkit.ID{"1", "2"}, ids)
	require.ErrorIs(t, last, partnerkit.ErrUnexpected)
	require.Len(t, h.Requests(), 2)
}

func TestCallLogsAllStopsAtTheFirstError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cursorServer(t, h, map[string]string{
		"": `{"call_logs":[{"id":"1"}],"paging":{"next":"gone"}}`,
	})
	n := 0
	for _, err := range h.shop(t).CallLogs.All(ctx, nil) {
		n++
		if n == 2 {
			require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)
		}
	}
	require.Equal(t, 2, n)
}

func TestCallLogsAllRefusesBadParamsBeforeSending(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	n := 0
	for _, err := range h.shop(t).CallLogs.All(ctx, &etelecom.CallLogListParams{Limit: -1}) {
		n++
		require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	}
	require.Equal(t, 1, n)
	require.Zero(t, h.mock.GetTotalCallCount())
}
