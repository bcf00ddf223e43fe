package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go/coliving/colivingtest"
)

func setEnv(t *testing.T, key, integrator, baseURL string) {
	t.Setenv("COLIVING_API_KEY", key)
	t.Setenv("COLIVING_PROVIDER", integrator)
	t.Setenv("COLIVING_BASE_URL", baseURL)
	t.Setenv("COLIVING_LISTING_ID", "")
}

func TestRunsAgainstTheFakeWithoutCredentials(t *testing.T) {
	setEnv(t, "", "", "")
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Contains(t, lines[0], "using the in-memory Coliving fake")
	require.Contains(t, lines[1], "key verified for Demo Host")
	require.Contains(t, lines[len(lines)-1], "in 1 request(s)")
}

func TestRunsAgainstADocumentedServer(t *testing.T) {
	fake := colivingtest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	setEnv(t, colivingtest.APIKey, colivingtest.Integrator, srv.URL+"/v1")
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	require.NotContains(t, out.String(), "fake")
	require.Len(t, fake.Availability(colivingtest.ListingID, colivingtest.RoomTypeID), 90)
	require.Equal(t, 1, fake.Requests("POST /integrations/{provider}/availability"))
}

func TestFailsCleanly(t *testing.T) {
	const me = `{"success":true,"name":"Demo Host","email":"demo@example.com"}`
	tests := []struct {
		name      string
		me, rooms string
		status    int
	}{
		{"empty me", `{}`, "", 200},
		{"html", `<html>hello</html>`, "", 200},
		{"bad key", `{"success":false,"error":"API key missing"}`, "", 401},
		{"server error", `{"success":false,"error":"boom"}`, "", 500},
		{"no room types", me, `{"success":true,"data":{"room_types":[]}}`, 200},
		{"no data", me, `{"success":true}`, 200},
		{"null room type", me, `{"success":true,"data":{"room_types":[null]}}`, 200},
		{"negative amount", me, `{"success":true,"data":{"room_types":[{"room_type_id":1,"amount":-2}]}}`, 200},
		{"failure envelope", me, `{"success":false,"error":"Listing not found or unauthorized"}`, 200},
		{"refused listing", me, `{"success":true,"data":{"room_types":[{"room_type_id":1,"amount":2}]}}`, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				switch {
				case strings.HasSuffix(r.URL.Path, "/me"):
					w.WriteHeader(tt.status)
					_, _ = w.Write([]byte(tt.me))
				case strings.HasSuffix(r.URL.Path, "/room-types"):
					_, _ = w.Write([]byte(tt.rooms))
				default:
					w.WriteHeader(http.StatusForbidden)
					_, _ = w.Write([]byte(`{"success":false,"error":"Unauthorized access to listings","details":{"unauthorized_listing_ids":["5325"]}}`))
				}
			}))
			defer srv.Close()
			setEnv(t, "sk_test_misbehaving", "mangobeds", srv.URL+"/v1")
			err := run(context.Background(), &bytes.Buffer{})
			require.Error(t, err)
			require.NotContains(t, err.Error(), "\n")
			require.NotContains(t, err.Error(), "sk_test_misbehaving")
			if tt.name == "refused listing" {
				require.Contains(t, err.Error(), "the key may not update listings [5325]")
			}
		})
	}
}

func TestTheIntegratorDefaultsToTheDocumentsOne(t *testing.T) {
	srv := httptest.NewServer(colivingtest.New())
	defer srv.Close()
	setEnv(t, colivingtest.APIKey, "", srv.URL+"/v1/sandbox")
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	require.Contains(t, out.String(), "key verified")
}
