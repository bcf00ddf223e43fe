package chekin_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/chekin"
)

func TestWebhooksSubscribe(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	secret := chekin.NewWebhookSecret()
	target, err := chekin.WebhookURL("https://pms.example.com/chekin/?tenant=7", secret)
	require.NoError(t, err)
	u, _ := url.Parse(target)
	require.Equal(t, secret, u.Query().Get(chekin.SecretParam))
	require.Equal(t, "7", u.Query().Get("tenant"))

	h.on(http.MethodPost, "/webhooks/", 201, `{"id":"5adecfc46a6c4b72a15c98fe0e96b048","event":"Guest.created","target":"`+target+`"}`)
	hook, err := h.c.Webhooks.Create(ctx, &chekin.WebhookCreateParams{URL: target, Event: chekin.EventGuestCreated})
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "/api/v3/webhooks/", r.Path)
	require.JSONEq(t, `{"target":"`+target+`","event":"Guest.created"}`, r.Body)
	require.Equal(t, chekin.Webhook{ID: "5adecfc46a6c4b72a15c98fe0e96b048", Event: chekin.EventGuestCreated, URL: target}, *hook)
}

func TestWebhooksSubscribeKeepsTheSecretOutOfErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	secret := chekin.NewWebhookSecret()
	target, err := chekin.WebhookURL("https://pms.example.com/chekin", secret)
	require.NoError(t, err)
	h.on(http.MethodPost, "/webhooks/", 400, `{"target":["`+target+` is not reachable."]}`)
	_, err = h.c.Webhooks.Create(ctx, &chekin.WebhookCreateParams{URL: target, Event: chekin.EventGuestCreated})
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)
	require.NotContains(t, err.Error(), secret)
	require.Len(t, h.reqs, 1)
}

func TestWebhooksListAllAndDelete(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/webhooks/", 200, `[{"id":"w1","event":"Guest.created","target":"https://a.example/x"},{"id":"w2","event":"Reservation.updated","target":"https://a.example/y"}]`)
	page, err := h.c.Webhooks.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, "/api/v3/webhooks/", h.last(t).Path)
	require.Equal(t, 2, page.Total, "a bare array is one page")
	require.Equal(t, "Reservation.updated", page.Items[1].Event)
	n := 0
	for hook, err := range h.c.Webhooks.All(ctx, nil) {
		require.NoError(t, err)
		require.NotEmpty(t, hook.ID)
		n++
	}
	require.Equal(t, 2, n)

	h = newHarness(t)
	h.on(http.MethodDelete, "/webhooks/w1/", 204, ``)
	require.NoError(t, h.c.Webhooks.Delete(ctx, "w1"))
	require.Equal(t, http.MethodDelete, h.last(t).Method)
}

const eventJSON = `{"hook":{"id":"fab8af5dd0074d04a42395d00890c310","event":"Guest.created","target":"http://example.org/target-url/"},
"data":{"reservation_id":"620186f602de439faffb6caa71b5014e","guest_id":"3cdcede6af45448ebaf28315d09ceec2","guest_origin":"CH_ONLINE"}}`

func TestParseEvent(t *testing.T) {
	t.Parallel()
	e, err := chekin.ParseEvent([]byte(eventJSON))
	require.NoError(t, err)
	require.Equal(t, chekin.EventGuestCreated, e.Name)
	require.Equal(t, partnerkit.ID("fab8af5dd0074d04a42395d00890c310"), e.Hook.ID)
	require.Equal(t, partnerkit.ID("620186f602de439faffb6caa71b5014e"), e.Data.ReservationID)
	require.Equal(t, partnerkit.ID("3cdcede6af45448ebaf28315d09ceec2"), e.Data.GuestID)
	require.Equal(t, chekin.OriginOnline, e.Data.GuestOrigin)
	require.JSONEq(t, eventJSON, string(e.Raw))

	e, err = chekin.ParseEvent([]byte(`{"hook":{"event":"Reservation.checked_out"},"data":{"reservation_id":"r1","extra":1}}`))
	require.NoError(t, err)
	require.Equal(t, "Reservation.checked_out", e.Name, "unknown events pass through")
	require.JSONEq(t, `{"reservation_id":"r1","extra":1}`, string(e.Data.Raw))

	for _, bad := range []string{``, `not json`, `{"data":{}}`, `[]`, `{"hook":"x"}`} {
		_, err := chekin.ParseEvent([]byte(bad))
		require.ErrorIs(t, err, chekin.ErrBadEvent, bad)
	}
}

func newReceiver(t *testing.T, fn chekin.EventFunc) (*httptest.Server, string, string) {
	t.Helper()
	secret := chekin.NewWebhookSecret()
	handler, err := chekin.NewWebhookHandler(secret, fn)
	require.NoError(t, err)
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	target, err := chekin.WebhookURL(srv.URL+"/chekin", secret)
	require.NoError(t, err)
	return srv, target, secret
}

func TestWebhookHandler(t *testing.T) {
	t.Parallel()
	var got []*chekin.Event
	srv, target, secret := newReceiver(t, func(_ context.Context, e *chekin.Event) error {
		got = append(got, e)
		return nil
	})
	post := func(url, body string) *http.Response {
		resp, err := http.Post(url, "application/json", strings.NewReader(body))
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}

	resp := post(target, eventJSON)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Len(t, got, 1)
	require.Equal(t, chekin.EventGuestCreated, got[0].Name)

	resp = post(target, `{"hook":{"id":"h2","event":"Guest.updated"},"data":{"guest_id":"g2"}}`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "unknown events are passed through")
	require.Equal(t, "Guest.updated", got[1].Name)

	resp, err := http.Get(target)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	require.Equal(t, http.MethodPost, resp.Header.Get("Allow"))

	wrong, _ := chekin.WebhookURL(srv.URL+"/chekin", chekin.NewWebhookSecret())
	require.Equal(t, http.StatusUnauthorized, post(wrong, eventJSON).StatusCode)
	require.Equal(t, http.StatusUnauthorized, post(srv.URL+"/chekin", eventJSON).StatusCode, "no secret")
	require.Equal(t, http.StatusUnauthorized, post(srv.URL+"/chekin?secret="+secret[:len(secret)-1], eventJSON).StatusCode, "a prefix of the secret")

	big := `{"hook":{"event":"Guest.created"},"data":{"pad":"` + strings.Repeat("x", chekin.MaxEventBytes) + `"}}`
	rec := httptest.NewRecorder()
	srv.Config.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, target, strings.NewReader(big)))
	require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
	require.Equal(t, http.StatusBadRequest, post(target, `{"hook":`).StatusCode)
	require.Equal(t, http.StatusBadRequest, post(target, `{"data":{}}`).StatusCode)
	require.Len(t, got, 2, "refused calls reach no handler")
}

func TestWebhookHandlerAnswers500WhenTheHandlerFails(t *testing.T) {
	t.Parallel()
	_, target, _ := newReceiver(t, func(context.Context, *chekin.Event) error { return errors.New("queue full") })
	resp, err := http.Post(target, "application/json", strings.NewReader(eventJSON))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusInternalServerError, resp.StatusCode)
}

func TestWebhookHandlerRefusalsCarryNoDetail(t *testing.T) {
	t.Parallel()
	handler, err := chekin.NewWebhookHandler(strings.Repeat("s", 32), func(context.Context, *chekin.Event) error { return nil })
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/chekin?secret="+strings.Repeat("s", 32), strings.NewReader(`{"hook": nope}`)))
	require.Equal(t, http.StatusBadRequest, rec.Code)
	require.Equal(t, "Bad Request\n", rec.Body.String())
}

func TestWebhookSetupRejectsWeakArguments(t *testing.T) {
	t.Parallel()
	_, err := chekin.NewWebhookHandler("short", func(context.Context, *chekin.Event) error { return nil })
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	_, err = chekin.NewWebhookHandler(chekin.NewWebhookSecret(), nil)
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	_, err = chekin.WebhookURL("https://pms.example.com/x", "short")
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	_, err = chekin.WebhookURL("/relative", chekin.NewWebhookSecret())
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
	require.NotEqual(t, chekin.NewWebhookSecret(), chekin.NewWebhookSecret())
	require.Len(t, chekin.NewWebhookSecret(), 64)
}

// TestARefusedDeliveryClosesTheConnection sends the receiver, on a raw
// connection, deliveries it refuses while the sender still owes most of the
// body it announced (a sender trickling a small body). The receiver
// answers at once with Connection: close and closes the connection,
// instead of holding it while net/http reads the rest of the body.
func TestARefusedDeliveryClosesTheConnection(t *testing.T) {
	t.Parallel()
	calls := 0
	srv, target, _ := newReceiver(t, func(context.Context, *chekin.Event) error {
		calls++
		return nil
	})
	u, err := url.Parse(target)
	require.NoError(t, err)
	forged := *u
	forged.RawQuery = chekin.SecretParam + "=" + chekin.NewWebhookSecret()
	tests := []struct {
		name, method, uri string
		status            int
	}{
		{"forged", http.MethodPost, forged.RequestURI(), http.StatusUnauthorized},
		{"no secret", http.MethodPost, u.Path, http.StatusUnauthorized},
		{"not a POST", http.MethodPut, u.RequestURI(), http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		require.NoError(t, err)
		t.Cleanup(func() { conn.Close() }) // before the server's Close, which waits for its connections
		require.NoError(t, conn.SetDeadline(time.Now().Add(5*time.Second)), tt.name)
		_, err = fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"hook\":", tt.method, tt.uri, u.Host)
		require.NoError(t, err, tt.name)
		r := bufio.NewReader(conn)
		resp, err := http.ReadResponse(r, nil)
		require.NoError(t, err, "%s: the answer comes before the body is complete", tt.name)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		require.Equal(t, tt.status, resp.StatusCode, tt.name)
		require.True(t, resp.Close, "%s: Connection: close", tt.name)
		_, err = r.ReadByte()
		require.ErrorIs(t, err, io.EOF, "%s: the receiver closed the connection without reading the rest", tt.name)
	}
	require.Zero(t, calls, "no refused delivery reached the callback")
}

// TestAnOversizedDeliveryReachesNoCallback streams a body larger than
// MaxEventBytes with the right secret: the receiver answers 413, closes the
// connection and calls nothing.
func TestAnOversizedDeliveryReachesNoCallback(t *testing.T) {
	t.Parallel()
	calls := 0
	_, target, _ := newReceiver(t, func(context.Context, *chekin.Event) error {
		calls++
		return nil
	})
	body := io.MultiReader(strings.NewReader(`{"hook":{"event":"Guest.created"},"data":{"pad":"`),
		strings.NewReader(strings.Repeat("x", chekin.MaxEventBytes)), strings.NewReader(`"}}`))
	resp, err := http.Post(target, "application/json", body) // chunked: no length announced
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	require.True(t, resp.Close)
	require.Zero(t, calls)
}
