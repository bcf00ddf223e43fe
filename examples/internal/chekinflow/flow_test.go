package chekinflow

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go/chekin/chekintest"
)

func TestRunAgainstTheFake(t *testing.T) {
	t.Setenv("CHEKIN_EMAIL", "")
	t.Setenv("CHEKIN_PASSWORD", "")
	t.Setenv("CHEKIN_BASE_URL", "")
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.True(t, strings.HasPrefix(lines[0], "CheKin: CHEKIN_EMAIL, CHEKIN_PASSWORD not set; using the built-in CheKin fake at http://127.0.0.1:"), lines[0])
	require.Contains(t, out.String(), "received Guest.created")
	require.Contains(t, lines[len(lines)-1], "ANA GARCÍA")
	require.NotContains(t, out.String(), "cleanup:")
}

// TestRunAgainstAServerWhereNobodyChecksIn runs the flow as against a real
// CheKin: the server is given by the environment, and no guest checks in
// within the wait. The run says so and succeeds, having removed what it
// created.
func TestRunAgainstAServerWhereNobodyChecksIn(t *testing.T) {
	fake := chekintest.New()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	t.Setenv("CHEKIN_EMAIL", chekintest.Email)
	t.Setenv("CHEKIN_PASSWORD", chekintest.Password)
	t.Setenv("CHEKIN_BASE_URL", srv.URL)
	t.Setenv("CHEKIN_WEBHOOK_WAIT", "50ms")
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), &out))
	require.Contains(t, out.String(), "no guest checked in for reservation")
	require.Empty(t, fake.Housings(), "the housing was removed")

	t.Setenv("CHEKIN_WEBHOOK_WAIT", "soon")
	require.ErrorContains(t, Run(context.Background(), &out), "CHEKIN_WEBHOOK_WAIT")
}

func TestRunRefusesHalfSetCredentials(t *testing.T) {
	t.Setenv("CHEKIN_EMAIL", "someone@example.com")
	t.Setenv("CHEKIN_PASSWORD", "")
	err := Run(context.Background(), &bytes.Buffer{})
	require.ErrorContains(t, err, "CHEKIN_PASSWORD missing")
}

// misbehaving answers each path with a fixed status and body; unknown paths
// get {}.
func misbehaving(answers map[string]string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		key := r.Method + " " + r.URL.Path
		body, ok := answers[key]
		if !ok {
			body = "200 {}"
		}
		status, payload, _ := strings.Cut(body, " ")
		code := http.StatusOK
		if status == "500" {
			code = http.StatusInternalServerError
		}
		w.WriteHeader(code)
		_, _ = w.Write([]byte(payload))
	})
}

func TestRunFailsCleanlyAgainstAMisbehavingServer(t *testing.T) {
	token := `200 {"token":"header.payload.signature"}`
	tests := []struct {
		name    string
		answers map[string]string
		want    string
		timeout time.Duration
	}{
		{"no token", map[string]string{}, "no token", 0},
		{"housing without id", map[string]string{"POST /token/": token}, "the new housing has no id", 0},
		{"reservation without id", map[string]string{"POST /token/": token, "POST /housings/": `200 {"id":"h1"}`}, "the new reservation has no id", 0},
		{"not json", map[string]string{"POST /token/": token, "POST /housings/": `200 <html>oops</html>`}, "cannot decode", 0},
		{"server error", map[string]string{"POST /token/": token, "POST /housings/": `500 {"detail":"boom"}`}, "boom", 0},
		{"subscription without id", map[string]string{
			"POST /token/": token, "POST /housings/": `200 {"id":"h1"}`, "POST /reservations/": `200 {"id":"r1"}`,
		}, "the new subscription has no id", 0},
		{"no webhook ever", map[string]string{
			"POST /token/": token, "POST /housings/": `200 {"id":"h1"}`, "POST /reservations/": `200 {"id":"r1"}`,
			"POST /webhooks/": `200 {"id":"w1","event":"Guest.created"}`,
		}, "context deadline exceeded", 500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(misbehaving(tt.answers))
			defer srv.Close()
			t.Setenv("CHEKIN_EMAIL", "someone@example.com")
			t.Setenv("CHEKIN_PASSWORD", "a-password")
			t.Setenv("CHEKIN_BASE_URL", srv.URL)
			timeout := tt.timeout
			if timeout == 0 {
				timeout = 30 * time.Second
			}
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			var out bytes.Buffer
			err := Run(ctx, &out)
			require.ErrorContains(t, err, tt.want)
			require.NotContains(t, out.String(), "a-password")
		})
	}
}
