package colivingflow_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go/coliving/colivingtest"
	"github.com/partnerkit/partnerkit-go/examples/internal/colivingflow"
)

func setEnv(t *testing.T, key, integrator, baseURL string) {
	t.Setenv("COLIVING_API_KEY", key)
	t.Setenv("COLIVING_PROVIDER", integrator)
	t.Setenv("COLIVING_BASE_URL", baseURL)
	t.Setenv("COLIVING_LISTING_ID", "")
	t.Setenv("COLIVING_PRODUCTION", "")
}

func TestRunWithTheBuiltInFake(t *testing.T) {
	setEnv(t, "", "", "")
	var out bytes.Buffer
	require.NoError(t, colivingflow.Run(context.Background(), &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Contains(t, lines[0], "using the built-in Coliving fake")
	require.Contains(t, out.String(), "key verified for Demo Host")
	require.Contains(t, out.String(), "in 1 request(s)")
	require.Contains(t, out.String(), "the fake holds exactly the calendar pushed")
}

func TestRunAgainstADocumentedServer(t *testing.T) {
	fake := colivingtest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	setEnv(t, colivingtest.APIKey, colivingtest.Integrator, srv.URL)
	var out bytes.Buffer
	require.NoError(t, colivingflow.Run(context.Background(), &out))
	require.NotContains(t, out.String(), "built-in")
	require.Len(t, fake.Availability(colivingtest.ListingID, colivingtest.RoomTypeID), colivingflow.Days)
}

func TestRunTakesTheDocumentsIntegratorByDefault(t *testing.T) {
	fake := colivingtest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	setEnv(t, colivingtest.APIKey, "", srv.URL)
	var out bytes.Buffer
	require.NoError(t, colivingflow.Run(context.Background(), &out))
	require.Len(t, fake.Availability(colivingtest.ListingID, colivingtest.RoomTypeID), colivingflow.Days, "pushed as mangobeds")
}

func TestRunFailsCleanlyAgainstAMisbehavingServer(t *testing.T) {
	const me = `{"success":true,"name":"Demo Host","email":"demo@example.com"}`
	tests := []struct {
		name      string
		me, rooms string
		status    int
	}{
		{"empty me", `{}`, "", 200},
		{"null me", `null`, "", 200},
		{"html", `<html>hello</html>`, "", 200},
		{"server error", `{"success":false,"error":"boom"}`, "", 500},
		{"no room types", me, `{"success":true,"data":{"room_types":[]}}`, 200},
		{"no data", me, `{"success":true}`, 200},
		{"null room type", me, `{"success":true,"data":{"room_types":[null]}}`, 200},
		{"negative amount", me, `{"success":true,"data":{"room_types":[{"room_type_id":1,"amount":-2}]}}`, 200},
		{"failure envelope", me, `{"success":false,"error":"Listing not found or unauthorized"}`, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if strings.HasSuffix(r.URL.Path, "/me") {
					w.WriteHeader(tt.status)
					_, _ = w.Write([]byte(tt.me))
					return
				}
				_, _ = w.Write([]byte(tt.rooms))
			}))
			defer srv.Close()
			setEnv(t, "sk_test_misbehaving", "mangobeds", srv.URL)
			t.Setenv("COLIVING_LISTING_ID", "5325")
			err := colivingflow.Run(context.Background(), &bytes.Buffer{})
			require.Error(t, err)
		})
	}
}
