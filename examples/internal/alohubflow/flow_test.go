package alohubflow_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/alohub/alohubtest"
	"github.com/partnerkit/partnerkit-go/examples/internal/alohubflow"
)

func TestRunAgainstTheFake(t *testing.T) {
	for _, v := range []string{"ALOHUB_API_KEY", "ALOHUB_TENANT_ID", "ALOHUB_BASE_URL", "ALOHUB_USER_NAME", "ALOHUB_CAMPAIGN_ID"} {
		t.Setenv(v, "")
	}
	var out bytes.Buffer
	require.NoError(t, alohubflow.Run(context.Background(), &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Contains(t, lines[0], "using the built-in Alohub fake")
	require.Contains(t, out.String(), fmt.Sprintf("done: %d rows, %d processed, 0 failed, %d duplicates", alohubflow.Contacts, alohubflow.Contacts, alohubflow.Repeats))
	require.Contains(t, out.String(), fmt.Sprintf("holds %d contacts", alohubflow.Contacts-alohubflow.Repeats))
}

// TestRunAgainstAServerGivenByTheEnvironment runs the flow as it runs
// against a provider: only the key and the base URL are set, so it imports
// into the documents' campaign.
func TestRunAgainstAServerGivenByTheEnvironment(t *testing.T) {
	srv := httptest.NewServer(alohubtest.New())
	t.Cleanup(srv.Close)
	t.Setenv("ALOHUB_API_KEY", alohubtest.APIKey)
	t.Setenv("ALOHUB_BASE_URL", srv.URL)
	for _, v := range []string{"ALOHUB_TENANT_ID", "ALOHUB_USER_NAME", "ALOHUB_CAMPAIGN_ID"} {
		t.Setenv(v, "")
	}
	var out bytes.Buffer
	require.NoError(t, alohubflow.Run(context.Background(), &out))
	require.Contains(t, out.String(), "campaign 1042 (the documents' campaign")
	require.Contains(t, out.String(), fmt.Sprintf("done: %d rows, %d processed, 0 failed, %d duplicates", alohubflow.Contacts, alohubflow.Contacts, alohubflow.Repeats))
}

// misbehaving runs the flow against handler, which breaks Alohub's promises.
func misbehaving(t *testing.T, handler http.HandlerFunc, env ...string) error {
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	t.Setenv("ALOHUB_API_KEY", "sk_live_test")
	t.Setenv("ALOHUB_BASE_URL", srv.URL)
	t.Setenv("ALOHUB_TENANT_ID", "")
	t.Setenv("ALOHUB_USER_NAME", "")
	t.Setenv("ALOHUB_CAMPAIGN_ID", "")
	for i := 0; i+1 < len(env); i += 2 {
		t.Setenv(env[i], env[i+1])
	}
	var out bytes.Buffer
	return alohubflow.Run(context.Background(), &out)
}

func answer(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	}
}

func TestRunFailsCleanlyAgainstAMisbehavingServer(t *testing.T) {
	var paths []string
	err := misbehaving(t, func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		answer(`{"success":"1"}`)(w, r)
	})
	require.Error(t, err, "an import answer without a job")
	require.Equal(t, []string{"/v1/campaigns/1042/contacts/bulk"}, paths, "no campaign named: the documents' campaign")

	err = misbehaving(t, answer(`{"success":"1","totalRecord":1,"data":[{"campaignName":"no id"}]}`), "ALOHUB_USER_NAME", "someone")
	require.ErrorContains(t, err, "no running campaign")

	err = misbehaving(t, answer(`{"success":"1"}`), "ALOHUB_CAMPAIGN_ID", "1042")
	require.ErrorIs(t, err, partnerkit.ErrUnexpected, "a bulk answer without a job")

	err = misbehaving(t, answer(`{"success":"1","job_id":5,"total_rows":7}`), "ALOHUB_CAMPAIGN_ID", "1042")
	require.ErrorContains(t, err, "unexpected answer", "the wrong row count")

	err = misbehaving(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			fmt.Fprint(w, `{"success":"1","job_id":5,"total_rows":5000}`)
			return
		}
		fmt.Fprint(w, `{"jobId":5,"status":"done","totalRows":5000,"processedRows":9000}`)
	}, "ALOHUB_CAMPAIGN_ID", "1042")
	require.ErrorContains(t, err, "unexpected answer")

	err = misbehaving(t, answer(`not json`), "ALOHUB_CAMPAIGN_ID", "1042")
	require.ErrorIs(t, err, partnerkit.ErrUnexpected)

	err = misbehaving(t, answer(`{"success":"0","error_code":"UNAUTHORIZED","error_message":"bad key"}`), "ALOHUB_CAMPAIGN_ID", "1042")
	require.ErrorIs(t, err, partnerkit.ErrUnauthorized)
}

// TestRunReportsFailedRows: a job done with failed rows is not a failure of
// the flow; the flow prints why the rows failed.
func TestRunReportsFailedRows(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodPost:
			fmt.Fprintf(w, `{"success":"1","job_id":5,"total_rows":%d}`, alohubflow.Contacts)
		case strings.HasSuffix(r.URL.Path, "/contact-lists"):
			fmt.Fprint(w, `{"success":"1","totalRecord":0,"data":[]}`)
		default:
			fmt.Fprintf(w, `{"jobId":5,"status":"done","totalRows":%d,"processedRows":%d,"failedRows":2,"duplicateRows":0,"errorMessage":"2 rows have no valid phone number"}`,
				alohubflow.Contacts, alohubflow.Contacts)
		}
	}))
	t.Cleanup(srv.Close)
	t.Setenv("ALOHUB_API_KEY", "sk_live_test")
	t.Setenv("ALOHUB_BASE_URL", srv.URL)
	for _, v := range []string{"ALOHUB_TENANT_ID", "ALOHUB_USER_NAME"} {
		t.Setenv(v, "")
	}
	t.Setenv("ALOHUB_CAMPAIGN_ID", "1042")
	var out bytes.Buffer
	require.NoError(t, alohubflow.Run(context.Background(), &out))
	require.Contains(t, out.String(), "some rows were not imported: alohub: import job done with failed rows: campaign 1042, job 5: 2 of")
	require.Contains(t, out.String(), "2 rows have no valid phone number")
	require.Contains(t, out.String(), fmt.Sprintf("done: %d rows, %d processed, 2 failed, 0 duplicates", alohubflow.Contacts, alohubflow.Contacts))
}
