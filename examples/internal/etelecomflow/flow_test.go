package etelecomflow_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/examples/internal/etelecomflow"
)

func clearEnv(t *testing.T) {
	for _, v := range []string{"ETELECOM_API_KEY", "ETELECOM_BASE_URL", "ETELECOM_SHOP_ID", "ETELECOM_SHOP_EMAIL",
		"ETELECOM_SHOP_PHONE", "ETELECOM_SHOP_NAME", "ETELECOM_ZNS_TEMPLATE_ID", "ETELECOM_ZNS_PHONE"} {
		t.Setenv(v, "")
	}
}

func TestRunAgainstTheFake(t *testing.T) {
	clearEnv(t)
	var out bytes.Buffer
	require.NoError(t, etelecomflow.Run(context.Background(), &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Contains(t, lines[0], "using the built-in eTelecom fake")
	require.Contains(t, out.String(), "callback: the merchant logged in")
	require.Contains(t, out.String(), "call logs: 3 on the first page")
	require.Contains(t, out.String(), "ZNS sent")
}

// realServer sets the environment for a "real" server answering with
// answers (by RPC route); other routes answer {}.
func realServer(t *testing.T, answers map[string]string) {
	clearEnv(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		route := strings.TrimPrefix(r.URL.Path, "/v1/partner.")
		body, ok := answers[route]
		if !ok {
			body = "{}"
		}
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	t.Setenv("ETELECOM_API_KEY", "real-key-0123456789")
	t.Setenv("ETELECOM_BASE_URL", srv.URL+"/v1/partner")
	t.Setenv("ETELECOM_SHOP_EMAIL", "shop@example.com")
	t.Setenv("ETELECOM_SHOP_PHONE", "0901234567")
	t.Setenv("ETELECOM_SHOP_NAME", "Shop")
}

func TestRunAgainstAServerThatBreaksItsPromises(t *testing.T) {
	tests := map[string]map[string]string{
		"empty authorization": {},
		"key without token":   {"Shop/AuthorizeShop": `{"type":"shop_key"}`},
		"not JSON":            {"Shop/AuthorizeShop": `<html>`},
		"list not JSON":       {"Shop/AuthorizeShop": `{"type":"shop_key","auth_token":"shop1:abcdef"}`, "Etelecom/ListCallLogs": `[1,2]`},
		"OA without oa_id": {
			"Shop/AuthorizeShop": `{"type":"shop_key","auth_token":"shop1:abcdef"}`,
			"Zalo/ListOA":        `{"accounts":[{"name":"x"}]}`,
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
	realServer(t, map[string]string{
		"Shop/AuthorizeShop": `{"code":"ok","type":"shop_key","auth_token":"shop1:abcdef","expires_in":-1}`,
		"Shop/CurrentShop":   `{"id":"1","name":"Shop"}`,
		"Zalo/ListOA":        `{"accounts":[{"oa_id":"4321","name":"OA"}]}`,
	})
	var out bytes.Buffer
	require.NoError(t, etelecomflow.Run(context.Background(), &out))
	require.Contains(t, out.String(), "call logs: 0 on the first page")
	require.Contains(t, out.String(), "skipping the ZNS")
}

func TestRunWaitsForTheMerchantWithinItsDeadline(t *testing.T) {
	realServer(t, map[string]string{
		"Shop/AuthorizeShop": `{"code":"ok","type":"shop_request","auth_token":"request:x","expires_in":900,"auth_url":"https://auth.example/login"}`,
	})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	var out bytes.Buffer
	err := etelecomflow.Run(ctx, &out)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Contains(t, out.String(), "open it in a browser")
}

func TestRunWithoutShopDetails(t *testing.T) {
	realServer(t, nil)
	t.Setenv("ETELECOM_SHOP_EMAIL", "")
	err := etelecomflow.Run(context.Background(), &bytes.Buffer{})
	require.ErrorContains(t, err, "ETELECOM_SHOP_EMAIL")
}
