package alohub_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/alohub"
	"github.com/partnerkit/partnerkit-go/internal/mocktest"
)

func TestCallLogsList(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/v1/reports/call-logs", 200, `{"success":"1","totalRecord":120,"data":[
{"callId":"c-1","callerNumber":"02873000000","calledNumber":"0912345678","customerName":"Nguyen Van A","callType":1,
"callStatus":"ANSWERED","callStartTime":"2026-04-14T09:00:00+07:00","callEndtime":"2026-04-14T09:02:05+07:00","duration":125}]}`)
	ict := time.FixedZone("ICT", 7*3600)
	page, err := h.c.CallLogs.List(ctx, &alohub.CallLogListParams{
		PhoneNumber: "0912345678",
		DateFrom:    time.Date(2026, 4, 14, 0, 0, 0, 0, ict),
		DateTo:      time.Date(2026, 4, 20, 23, 59, 59, 0, ict),
		CallType:    ptr(alohub.CallOutbound),
		Page:        2,
		Limit:       50,
	})
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "POST", r.Method)
	require.Equal(t, "/gw/v1/reports/call-logs", r.Path)
	require.Equal(t, "application/json", r.Header.Get("Content-Type"))
	require.JSONEq(t, `{"phoneNumber":"0912345678","callStartTime":"2026-04-14T00:00:00+07:00",
"callEndtime":"2026-04-20T23:59:59+07:00","callType":1,"page":2,"limit":50}`, r.Body, "call logs count pages from 1 on the wire too")
	require.NotContains(t, r.Body, "callEndTime", "Alohub ignores the correctly cased name")
	require.Equal(t, 120, page.Total)
	require.Equal(t, 2, page.Page)
	require.Equal(t, 50, page.Limit)
	require.True(t, page.HasMore())
	require.Len(t, page.Items, 1)
	l := page.Items[0]
	require.Equal(t, partnerkit.ID("c-1"), l.ID)
	require.Equal(t, "Nguyen Van A", l.CustomerName)
	require.EqualValues(t, alohub.CallOutbound, l.CallType)
	require.Equal(t, partnerkit.Seconds(125), l.Duration)
	require.Equal(t, 125*time.Second, l.Duration.Duration())
	require.True(t, l.StartedAt.Equal(time.Date(2026, 4, 14, 2, 0, 0, 0, time.UTC)))
	require.True(t, l.EndedAt.Equal(time.Date(2026, 4, 14, 2, 2, 5, 0, time.UTC)))
}

func TestCallLogsWithoutParamsAsksForPageOne(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/v1/reports/call-logs", 200, `{"success":"1","totalRecord":0,"data":[]}`)
	page, err := h.c.CallLogs.List(ctx, nil)
	require.NoError(t, err)
	require.JSONEq(t, `{"page":1}`, h.last(t).Body)
	require.Empty(t, page.Items)
	require.Equal(t, 50, page.Limit, "Alohub's default")
	require.False(t, page.HasMore())
}

func TestCallLogsAreRetriedLikeAGet(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	calls := h.rateLimitedOnce(http.MethodPost, "/v1/reports/call-logs", func() *http.Response {
		return mocktest.JSON(503, `{"success":"0","error_code":"FAIL"}`)
	}, `{"success":"1","totalRecord":0,"data":[]}`)
	_, err := h.c.CallLogs.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 2, *calls)
}

func TestCallLogsAllCountsPagesFromOne(t *testing.T) {
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
		data := map[int]string{1: `[{"callId":1},{"id":2}]`, 2: `[{"callId":3}]`}[body.Page]
		return mocktest.JSON(200, `{"success":"1","totalRecord":3,"data":`+data+`}`), nil
	})
	var ids []partnerkit.ID
	for l, err := range h.c.CallLogs.All(ctx, &alohub.CallLogListParams{Limit: 2, DateTo: time.Date(2026, 4, 20, 0, 0, 0, 0, time.UTC)}) {
		require.NoError(t, err)
		ids = append(ids, l.ID)
	}
	require.Equal(t, []partnerkit.ID{"1", "2", "3"}, ids)
	require.Equal(t, []int{1, 2}, pages)
}
