package etelecomflow_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/examples/internal/etelecomflow"
)

func clearEnv(t *testing.T) {
	for _, v := range []string{"ETELECOM_API_KEY", "ETELECOM_BASE_URL", "ETELECOM_SHOP_ID", "ETELECOM_SHOP_EMAIL",
		"ETELECOM_SHOP_PHONE", "ETELECOM_SHOP_NAME", "ETELECOM_ZNS_TEMPLATE_ID", "ETELECOM_ZNS_PHONE", "ETELECOM_WEBHOOK_WAIT"} {
		t.Setenv(v, "")
	}
}

func TestRunAgainstTheFake(t *testing.T) {
	clearEnv(t)
	var out bytes.Buffer
	require.NoError(t, etelecomflow.Run(context.Background(), &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Contains(t, lines[0], "using the built-in eTelecom fake")
	for _, want := range []string{
		"callback: the merchant logged in",
		"call logs: 3 on the first page",
		"webhook ",
		"registered for [call_log zl_oa_message]",
		"event call_log: call ",
		"from 0987654321, answered, 1m35s",
		"ZNS sent",
		"event zl_oa_message: message ",
		") received",
	} {
		require.Contains(t, out.String(), want)
	}
}

// server is a "real" eTelecom for the flow: it answers each RPC route with
// answers[route] ({} for the others) and records the request bodies.
type server struct {
	mu     sync.Mutex
	bodies map[string][]string
	// redirects receives the redirect_url of each AuthorizeShop.
	redirects chan string
}

func (s *server) requests(route string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bodies[route]...)
}

// realServer sets the environment for a "real" server answering with
// answers (by RPC route, in turn: the last one repeats); other routes
// answer {}.
func realServer(t *testing.T, answers map[string][]string) *server {
	clearEnv(t)
	s := &server{bodies: map[string][]string{}, redirects: make(chan string, 4)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := strings.TrimPrefix(r.URL.Path, "/v1/partner.")
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := len(s.bodies[route])
		s.bodies[route] = append(s.bodies[route], string(b))
		s.mu.Unlock()
		if route == "Shop/AuthorizeShop" {
			var in struct {
				RedirectURL string `json:"redirect_url"`
			}
			_ = json.Unmarshal(b, &in)
			s.redirects <- in.RedirectURL
		}
		body := "{}"
		if list := answers[route]; len(list) > 0 {
			body = list[min(n, len(list)-1)]
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	t.Setenv("ETELECOM_API_KEY", "real-key-0123456789")
	t.Setenv("ETELECOM_BASE_URL", srv.URL+"/v1/partner")
	t.Setenv("ETELECOM_SHOP_EMAIL", "shop@example.com")
	t.Setenv("ETELECOM_SHOP_PHONE", "0901234567")
	t.Setenv("ETELECOM_SHOP_NAME", "Shop")
	t.Setenv("ETELECOM_WEBHOOK_WAIT", "10ms")
	return s
}

const (
	shopKeyAnswer = `{"code":"ok","type":"shop_key","auth_token":"shop1:abcdef","expires_in":"-1"}`
	loginAnswer   = `{"code":"ok","type":"shop_request","auth_token":"request:x","expires_in":"900","auth_url":"https://auth.example/login"}`
	webhookAnswer = `{"id":"1415096549774721835","entities":["call_log","zl_oa_message"],"url":"x","states":{"state":"ok"}}`
)

func TestRunAgainstAServerThatBreaksItsPromises(t *testing.T) {
	tests := map[string]map[string][]string{
		"empty authorization": {},
		"key without token":   {"Shop/AuthorizeShop": {`{"type":"shop_key"}`}},
		"not JSON":            {"Shop/AuthorizeShop": {`<html>`}},
		"list not JSON":       {"Shop/AuthorizeShop": {shopKeyAnswer}, "Etelecom/ListCallLogs": {`[1,2]`}},
		"webhook without id":  {"Shop/AuthorizeShop": {shopKeyAnswer}},
		"OA without oa_id": {
			"Shop/AuthorizeShop":    {shopKeyAnswer},
			"Webhook/CreateWebhook": {webhookAnswer},
			"Zalo/ListOA":           {`{"accounts":[{"name":"x"}]}`},
		},
	}
	for name, answers := range tests {
		t.Run(name, func(t *testing.T) {
			realServer(t, answers)
			var out bytes.Buffer
			err := etelecomflow.Run(context.Background(), &out)
			require.Error(t, err)
			require.True(t, errors.Is(err, partnerkit.ErrUnexpected) || strings.Contains(err.Error(), "unexpected answer"), err.Error())
		})
	}
}

func TestRunWithAShopKeyAndNothingToSend(t *testing.T) {
	s := realServer(t, map[string][]string{
		"Shop/AuthorizeShop":    {shopKeyAnswer},
		"Shop/CurrentShop":      {`{"id":"1","name":"Shop"}`},
		"Webhook/CreateWebhook": {webhookAnswer},
		"Zalo/ListOA":           {`{"accounts":[{"oa_id":"4321","name":"OA"}]}`},
	})
	var out bytes.Buffer
	require.NoError(t, etelecomflow.Run(context.Background(), &out))
	require.Contains(t, out.String(), "call logs: 0 on the first page")
	require.Contains(t, out.String(), "skipping the ZNS")
	require.Contains(t, out.String(), "no event arrived within 10ms")
	require.Equal(t, []string{`{"id":"1415096549774721835"}`}, s.requests("Webhook/DeleteWebhook"), "the webhook is removed")
	created := s.requests("Webhook/CreateWebhook")
	require.Len(t, created, 1)
	require.Contains(t, created[0], `"entities":["call_log","zl_oa_message"]`)
	require.Contains(t, created[0], `secret=`)
}

func TestRunWaitsForTheMerchantWithinItsDeadline(t *testing.T) {
	realServer(t, map[string][]string{"Shop/AuthorizeShop": {loginAnswer}})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	var out bytes.Buffer
	err := etelecomflow.Run(ctx, &out)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Contains(t, out.String(), "open it in a browser")
}

// TestTheCallbackTakesOnlyItsLoginsRedirect: a forged POST, a stray GET and
// a GET with another state are refused and do not end the login; the
// flow then takes the real redirect, and never asks for the forged shop.
func TestTheCallbackTakesOnlyItsLoginsRedirect(t *testing.T) {
	s := realServer(t, map[string][]string{
		"Shop/AuthorizeShop":    {loginAnswer, shopKeyAnswer},
		"Shop/CurrentShop":      {`{"id":"12414","name":"Shop"}`},
		"Webhook/CreateWebhook": {webhookAnswer},
	})
	done := make(chan error, 1)
	var out bytes.Buffer
	go func() { done <- etelecomflow.Run(context.Background(), &out) }()

	redirect, err := url.Parse(<-s.redirects)
	require.NoError(t, err)
	state := redirect.Query().Get("state")
	require.Len(t, state, 26, "a random state is bound to the login")
	at := func(q url.Values) string {
		u := *redirect
		u.RawQuery = q.Encode()
		return u.String()
	}
	forged := at(url.Values{"state": {state}, "token": {"1"}, "shop_id": {"999"}})
	resp, err := http.Post(forged, "application/json", strings.NewReader("{}"))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, "a POST is not eTelecom's redirect")
	for _, q := range []url.Values{
		{"token": {"1"}, "shop_id": {"999"}},
		{"state": {"not-the-state"}, "token": {"1"}, "shop_id": {"999"}},
		{"state": {state}, "shop_id": {"999"}},
		{},
	} {
		resp, err := http.Get(at(q))
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, q.Encode())
	}
	select {
	case err := <-done:
		t.Fatalf("a refused request ended the flow: %v", err)
	default:
	}
	resp, err = http.Get(at(url.Values{"state": {state}, "token": {"87209412"}, "shop_id": {"12414"}}))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	resp, err = http.Get(at(url.Values{"state": {state}, "token": {"87209412"}, "shop_id": {"999"}}))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, "a state is taken once")

	require.NoError(t, <-done)
	reqs := s.requests("Shop/AuthorizeShop")
	require.Len(t, reqs, 2)
	require.Contains(t, reqs[1], `"shop_id":"12414"`)
	require.NotContains(t, out.String(), "999")
	require.Contains(t, out.String(), `acting as shop "Shop" (12414)`)
}

func TestRunWithoutShopDetailsConnectsADemoShop(t *testing.T) {
	s := realServer(t, map[string][]string{"Shop/AuthorizeShop": {shopKeyAnswer}})
	t.Setenv("ETELECOM_SHOP_EMAIL", "")
	t.Setenv("ETELECOM_SHOP_PHONE", "")
	t.Setenv("ETELECOM_SHOP_NAME", "")
	_ = etelecomflow.Run(context.Background(), &bytes.Buffer{})
	reqs := s.requests("Shop/AuthorizeShop")
	require.NotEmpty(t, reqs)
	require.Contains(t, reqs[0], `"email":"demo-shop@example.com"`)
	require.Contains(t, reqs[0], `"name":"partnerkit demo shop"`)
}

func TestRunRefusesABadWait(t *testing.T) {
	realServer(t, nil)
	t.Setenv("ETELECOM_WEBHOOK_WAIT", "soon")
	err := etelecomflow.Run(context.Background(), &bytes.Buffer{})
	require.ErrorContains(t, err, "ETELECOM_WEBHOOK_WAIT")
}
