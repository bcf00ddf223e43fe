package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestRunAgainstTheFake(t *testing.T) {
	t.Setenv("COHOST_API_KEY", "")
	t.Setenv("COHOST_BASE_URL", "")
	require.NoError(t, run(context.Background()))
}

// TestRunFailsCleanly runs the task against servers that break Cohost's
// documents: each run ends with an error naming no key, never a panic.
func TestRunFailsCleanly(t *testing.T) {
	listing := `{"items":[{"id":7,"team_id":1,"name":"x","capacity":"2","state":"ACTIVE"}],"total":1,"page":1,"limit":20}`
	for name, h := range map[string]http.HandlerFunc{
		"html":        func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("<html>oops</html>")) },
		"empty json":  func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("{}")) },
		"no capacity": func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(`{"items":[{"id":7}],"total":1}`)) },
		"always 401":  func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusUnauthorized) },
		"taken": func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/listings" {
				w.Write([]byte(listing))
				return
			}
			w.Write([]byte(`{"available":false}`))
		},
		"a booking without an id": func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/listings" {
				w.Write([]byte(listing))
				return
			}
			w.Write([]byte("{}"))
		},
		"conflict": func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/listings":
				w.Write([]byte(listing))
			case "/bookings":
				w.WriteHeader(http.StatusConflict)
				w.Write([]byte(`{"code":"BOOKING_CONFLICT","message":"taken","details":{}}`))
			default:
				w.Write([]byte("{}"))
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(h)
			defer srv.Close()
			t.Setenv("COHOST_API_KEY", "ck_test_example_key")
			t.Setenv("COHOST_BASE_URL", srv.URL)
			err := run(context.Background())
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "ck_test_example_key")
			assert.NotContains(t, err.Error(), "\n", "one line")
			assert.False(t, strings.HasPrefix(err.Error(), "panic"))
		})
	}
}
