package cohostflow

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunAgainstTheFake(t *testing.T) {
	t.Setenv("COHOST_API_KEY", "")
	t.Setenv("COHOST_BASE_URL", "")
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), &out))
	lines := strings.Split(out.String(), "\n")
	assert.Contains(t, lines[0], "using the built-in Cohost fake")
	assert.Contains(t, out.String(), "confirmed: the booking is in the bookings list")
	assert.Contains(t, out.String(), "as the customer (booking")
}

// TestRunFailsCleanlyOnAMisbehavingServer runs the flow against servers that
// break the documents; each run must end with an error, not a panic.
func TestRunFailsCleanlyOnAMisbehavingServer(t *testing.T) {
	for name, h := range map[string]http.HandlerFunc{
		"html":         func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("<html>oops</html>")) },
		"empty json":   func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("{}")) },
		"array":        func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("[]")) },
		"items null":   func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(`{"items":[{}],"total":1}`)) },
		"always 500":   func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) },
		"listing only": listingOnly,
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(h)
			defer srv.Close()
			t.Setenv("COHOST_API_KEY", "ck_test_example")
			t.Setenv("COHOST_BASE_URL", srv.URL)
			var out bytes.Buffer
			err := Run(context.Background(), &out)
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "ck_test_example")
		})
	}
}

// listingOnly answers a listing page and {} for everything else: a booking
// answer without an id.
func listingOnly(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/listings" {
		w.Write([]byte(`{"items":[{"id":7,"name":"x","capacity":2}],"total":1,"page":1,"limit":20}`))
		return
	}
	w.Write([]byte("{}"))
}
