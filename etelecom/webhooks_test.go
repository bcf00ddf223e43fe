package etelecom_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/etelecom"
)

// webhookJSON is the document's CreateWebhook answer; the failed
// delivery's status and count are as protobuf's JSON writes int64s.
const webhookJSON = `{"id":"1415096549774721835","entities":["call_log","zl_oa_message"],"fields":[],
"url":"https://partner.example.com/hooks?secret=0123456789abcdef0123","metadata":"","created_at":"2025-09-25T03:50:25Z",
"states":{"state":"retry","last_sent_at":"2025-09-25T04:00:00Z","last_error":{"error":"timeout","resp_body":"",
"resp_status":"504","retried":"2","sent_at":"2025-09-25T04:00:00Z"}}}`

func TestWebhooksCreateListDelete(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Webhook", "CreateWebhook", 200, webhookJSON)
	h.on("Webhook", "GetWebhooks", 200, `{"webhooks":[`+webhookJSON+`]}`)
	h.on("Webhook", "DeleteWebhook", 200, `{"webhooks":[{"id":"1414892734919211862","entities":["call_log"],"fields":[],
"url":"https://example.com/webhook","metadata":"","created_at":"2025-09-23T18:05:42Z","states":{"state":"ok","last_sent_at":null,"last_error":null}}]}`)

	url := "https://partner.example.com/hooks?secret=0123456789abcdef0123"
	w, err := h.c.Webhooks.Create(ctx, &etelecom.WebhookCreateParams{URL: url, Entities: []string{etelecom.EntityCallLog, etelecom.EntityZaloMessage}})
	require.NoError(t, err)
	require.Equal(t, partnerkit.ID("1415096549774721835"), w.ID)
	require.Equal(t, []string{"call_log", "zl_oa_message"}, w.Entities)
	require.Equal(t, etelecom.WebhookRetry, w.States.State)
	require.NotNil(t, w.States.LastError)
	require.Equal(t, partnerkit.Int(504), w.States.LastError.RespStatus)
	require.Equal(t, partnerkit.Int(2), w.States.LastError.Retried)
	require.Equal(t, time.Date(2025, 9, 25, 4, 0, 0, 0, time.UTC), w.States.LastSentAt.Time)
	require.JSONEq(t, webhookJSON, string(w.Raw))

	page, err := h.c.Webhooks.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	require.False(t, page.HasMore())
	var ids []partnerkit.ID
	for w, err := range h.c.Webhooks.All(ctx, nil) {
		require.NoError(t, err)
		ids = append(ids, w.ID)
	}
	require.Equal(t, []partnerkit.ID{"1415096549774721835"}, ids)

	require.NoError(t, h.c.Webhooks.Delete(ctx, w.ID))

	reqs := h.Requests()
	require.Len(t, reqs, 4)
	require.Equal(t, "/v1/partner.Webhook/CreateWebhook", reqs[0].Path)
	require.JSONEq(t, `{"url":"`+url+`","entities":["call_log","zl_oa_message"]}`, reqs[0].Body)
	require.Equal(t, "Bearer "+apiKey, reqs[0].Header.Get("Authorization"), "the partner's own key")
	require.Equal(t, "/v1/partner.Webhook/GetWebhooks", reqs[1].Path)
	require.Equal(t, "{}", reqs[1].Body)
	require.Equal(t, "/v1/partner.Webhook/DeleteWebhook", reqs[3].Path)
	require.JSONEq(t, `{"id":"1415096549774721835"}`, reqs[3].Body)
	require.NotContains(t, h.logs.String(), "0123456789abcdef0123", "the receiver's secret is kept out of the logs")
}

func TestWebhooksCreateIsSentOnceDeleteIsRetried(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.onSeq("Webhook", "CreateWebhook", answer{503, `{"code":"unavailable","msg":"down"}`}, answer{200, webhookJSON})
	_, err := h.c.Webhooks.Create(ctx, &etelecom.WebhookCreateParams{URL: "https://p.example/h", Entities: []string{etelecom.EntityCallLog}})
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Len(t, h.Requests(), 1)

	h = newHarness(t)
	h.onSeq("Webhook", "DeleteWebhook", answer{503, `{"code":"unavailable","msg":"down"}`}, answer{200, `{"webhooks":[]}`})
	require.NoError(t, h.c.Webhooks.Delete(ctx, "1"))
	require.Len(t, h.Requests(), 2)
}

const hookSecret = "f3a1c0de5b7e9a2d4c6f8e0a1b3d5f70"

// deliver POSTs body to h at path with the query, returning the answer.
func deliver(t *testing.T, h http.Handler, method, query, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, "/etelecom/events?"+query, strings.NewReader(body))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// callLogDelivery is a delivery of one ended call, in the envelope the
// fake writes.
const callLogDelivery = `{"changes":[{"entity":"call_log","change_type":"create","time":"2025-05-20T09:00:42Z",
"latest":{"call_log":` + callLogJSON + `}}]}`

func TestWebhookHandlerHandsTypedEvents(t *testing.T) {
	t.Parallel()
	var got []*etelecom.Event
	h, err := etelecom.NewWebhookHandler(hookSecret, func(_ context.Context, e *etelecom.Event) error {
		got = append(got, e)
		return nil
	})
	require.NoError(t, err)
	body := `{"changes":[` + strings.TrimSuffix(strings.TrimPrefix(callLogDelivery, `{"changes":[`), `]}`) + `,
{"entity":"zl_oa_message","change_type":"update","data":` + znsJSON + `},
{"entity":"zl_journey","data":{"id":"5"}}]}`
	w := deliver(t, h, http.MethodPost, "secret="+hookSecret, body)
	require.Equal(t, http.StatusOK, w.Code)
	require.Len(t, got, 3)

	require.Equal(t, etelecom.EntityCallLog, got[0].Entity)
	require.Equal(t, "create", got[0].ChangeType)
	require.Equal(t, time.Date(2025, 5, 20, 9, 0, 42, 0, time.UTC), got[0].Time.Time)
	require.NotNil(t, got[0].CallLog)
	require.Equal(t, partnerkit.ID("9001"), got[0].CallLog.ID)
	require.Equal(t, 42*time.Second, got[0].CallLog.Duration.Duration())
	require.JSONEq(t, callLogJSON, string(got[0].CallLog.Raw))
	require.JSONEq(t, callLogJSON, string(got[0].Object))
	require.Nil(t, got[0].Message)

	require.Equal(t, etelecom.EntityZaloMessage, got[1].Entity)
	require.NotNil(t, got[1].Message)
	require.Equal(t, "order-A-1", got[1].Message.TrackingID)
	require.Equal(t, etelecom.DeliveryReceived, got[1].Message.DeliveryStatus)

	require.Equal(t, "zl_journey", got[2].Entity, "an unknown entity is passed through")
	require.Nil(t, got[2].CallLog)
	require.Nil(t, got[2].Message)
	require.JSONEq(t, `{"id":"5"}`, string(got[2].Object))
	require.JSONEq(t, `{"entity":"zl_journey","data":{"id":"5"}}`, string(got[2].Raw))
}

// TestParseEventsReadsTheLikelyForms: the delivery format is not in
// eTelecom's pages, so the forms a Twirp backend may write are all read.
func TestParseEventsReadsTheLikelyForms(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"changes envelope":        callLogDelivery,
		"entity and data":         `{"entity":"call_log","data":` + callLogJSON + `}`,
		"type and payload":        `{"type":"call_log","payload":` + callLogJSON + `}`,
		"event and object":        `{"event":"call_log","op":"create","object":` + callLogJSON + `}`,
		"named member":            `{"call_log":` + callLogJSON + `}`,
		"entity with flat fields": `{"entity":"call_log","id":"9001","caller":"0901234567","duration":"42"}`,
	}
	for name, body := range tests {
		events, err := etelecom.ParseEvents([]byte(body))
		require.NoError(t, err, name)
		require.Len(t, events, 1, name)
		e := events[0]
		require.Equal(t, etelecom.EntityCallLog, e.Entity, name)
		require.NotNil(t, e.CallLog, name)
		require.Equal(t, partnerkit.ID("9001"), e.CallLog.ID, name)
		require.Equal(t, partnerkit.Seconds(42), e.CallLog.Duration, name)
		require.NotEmpty(t, e.CallLog.Raw, name)
		require.True(t, json.Valid(e.Raw), name)
		require.Contains(t, string(e.Raw), `"0901234567"`, name+": Raw is the event as received")
	}
}

func TestParseEventsRefusesWhatIsNoEvent(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		``, `null`, `[]`, `"call_log"`, `{`,
		`{}`,
		`{"changes":[]}`,
		`{"changes":{"entity":"call_log"}}`,
		`{"changes":[1]}`,
		`{"data":{"id":"1"}}`,
		`{"entity":"call_log","data":{"duration":"forever"}}`,
		`{"entity":"zl_oa_message","data":{"template_data":"not an object"}}`,
	} {
		_, err := etelecom.ParseEvents([]byte(body))
		require.ErrorIs(t, err, etelecom.ErrBadEvent, body)
	}
}

// TestWebhookHandlerRefuses: a forged delivery, one with a wrong secret, an
// oversized or malformed one, or another method never reach the function,
// and each refusal closes the connection.
func TestWebhookHandlerRefuses(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	calls := 0
	h, err := etelecom.NewWebhookHandler(hookSecret, func(context.Context, *etelecom.Event) error {
		mu.Lock()
		calls++
		mu.Unlock()
		return nil
	})
	require.NoError(t, err)
	tests := []struct {
		name, method, query, body string
		status                    int
	}{
		{"forged, no secret", http.MethodPost, "", callLogDelivery, http.StatusUnauthorized},
		{"replayed with a wrong secret", http.MethodPost, "secret=" + strings.Repeat("a", len(hookSecret)), callLogDelivery, http.StatusUnauthorized},
		{"secret in another parameter", http.MethodPost, "token=" + hookSecret, callLogDelivery, http.StatusUnauthorized},
		{"oversized", http.MethodPost, "secret=" + hookSecret, `{"entity":"call_log","data":{"note":"` + strings.Repeat("x", etelecom.MaxEventBytes) + `"}}`, http.StatusRequestEntityTooLarge},
		{"malformed", http.MethodPost, "secret=" + hookSecret, `{"changes":`, http.StatusBadRequest},
		{"no entity", http.MethodPost, "secret=" + hookSecret, `{"data":{}}`, http.StatusBadRequest},
		{"GET", http.MethodGet, "secret=" + hookSecret, "", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		w := deliver(t, h, tt.method, tt.query, tt.body)
		require.Equal(t, tt.status, w.Code, tt.name)
		require.Equal(t, "close", w.Header().Get("Connection"), tt.name)
		require.Equal(t, http.StatusText(tt.status)+"\n", w.Body.String(), tt.name)
	}
	require.Zero(t, calls, "no refused delivery reached the function")
}

func TestWebhookHandlerAsksForARetryWhenTheFunctionFails(t *testing.T) {
	t.Parallel()
	h, err := etelecom.NewWebhookHandler(hookSecret, func(context.Context, *etelecom.Event) error {
		return errors.New("queue full")
	})
	require.NoError(t, err)
	w := deliver(t, h, http.MethodPost, "secret="+hookSecret, callLogDelivery)
	require.Equal(t, http.StatusInternalServerError, w.Code)
	require.NotContains(t, w.Body.String(), "queue full")
	require.Empty(t, w.Header().Get("Connection"), "a sender that proved the secret keeps its connection, as CheKin's does")
}

func TestWebhookSecretsAndURLs(t *testing.T) {
	t.Parallel()
	s := etelecom.NewWebhookSecret()
	require.Len(t, s, 64)
	u, err := etelecom.WebhookURL("https://partner.example.com/etelecom/events", s)
	require.NoError(t, err)
	require.Equal(t, "https://partner.example.com/etelecom/events?"+etelecom.SecretParam+"="+s, u)
	_, err = etelecom.WebhookURL("https://partner.example.com/etelecom/events", "short")
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	_, err = etelecom.NewWebhookHandler("short", func(context.Context, *etelecom.Event) error { return nil })
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	_, err = etelecom.NewWebhookHandler(s, nil)
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
}

// TestAListedWebhooksSecretStaysOutOfTheLogs: a client that did not create
// the webhook lists it; its URL's secret is not logged.
func TestAListedWebhooksSecretStaysOutOfTheLogs(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on("Webhook", "GetWebhooks", 200, `{"webhooks":[`+webhookJSON+`]}`)
	page, err := h.c.Webhooks.List(ctx, nil)
	require.NoError(t, err)
	require.Contains(t, page.Items[0].URL, "secret=0123456789abcdef0123")
	require.Contains(t, h.logs.String(), "GetWebhooks", "debug logging is on")
	require.NotContains(t, h.logs.String(), "0123456789abcdef0123")
}
