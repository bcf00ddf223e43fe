package alohub_test

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/alohub"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/mocktest"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

func TestImportsCreate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/v1/campaigns/1042/contacts/bulk", 200,
		`{"success":"1","error_code":"SUCCESS","error_message":"Bulk import started","job_id":5,"total_rows":2}`)
	receipt, err := h.c.Imports.Create(ctx, &alohub.ImportCreateParams{
		CampaignID: "1042",
		ListName:   "Danh sach thang 4",
		Contacts:   []alohub.ImportContact{{PhoneNumber: "0901000001", Name: "KH 1"}, {PhoneNumber: "0901000002"}},
	})
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "POST", r.Method)
	require.Equal(t, "/gw/v1/campaigns/1042/contacts/bulk", r.Path)
	require.JSONEq(t, `{"listName":"Danh sach thang 4","contacts":[{"phoneNumber":"0901000001","name":"KH 1"},{"phoneNumber":"0901000002"}]}`, r.Body)
	require.Equal(t, &alohub.ImportReceipt{JobID: "5", TotalRows: 2, Message: "Bulk import started"}, receipt)
}

func TestImportsCreateAnswerInData(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodPost, "/v1/campaigns/1042/contacts/bulk", 200, `{"success":"1","error_message":"started","data":{"jobId":"6","totalRows":"1"}}`)
	receipt, err := h.c.Imports.Create(ctx, &alohub.ImportCreateParams{CampaignID: "1042", Contacts: []alohub.ImportContact{{PhoneNumber: "0901000001"}}})
	require.NoError(t, err)
	require.JSONEq(t, `{"contacts":[{"phoneNumber":"0901000001"}]}`, h.last(t).Body)
	require.Equal(t, &alohub.ImportReceipt{JobID: "6", TotalRows: 1, Message: "started"}, receipt)
}

func TestImportsCreateFailures(t *testing.T) {
	t.Parallel()
	batch := &alohub.ImportCreateParams{CampaignID: "1042", Contacts: []alohub.ImportContact{{PhoneNumber: "0901000001"}}}

	h := newHarness(t)
	h.on(http.MethodPost, "/v1/campaigns/1042/contacts/bulk", 200, `{"success":"0","error_code":"INVALID_INPUT","error_message":"contacts is empty"}`)
	_, err := h.c.Imports.Create(ctx, batch)
	require.ErrorIs(t, err, partnerkit.ErrInvalidRequest)

	h = newHarness(t)
	h.on(http.MethodPost, "/v1/campaigns/1042/contacts/bulk", 200, `{"success":"1","error_message":"Bulk import started"}`, "X-Kong-Request-Id", "kong-7")
	_, err = h.c.Imports.Create(ctx, batch)
	require.ErrorIs(t, err, partnerkit.ErrUnexpected, "no job to follow")
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, "the bulk import answer has no job_id", apiErr.Message)
	require.Equal(t, "kong-7", apiErr.RequestID)
	require.Equal(t, "/v1/campaigns/1042/contacts/bulk", apiErr.Path)

	h = newHarness(t)
	h.on(http.MethodPost, "/v1/campaigns/1042/contacts/bulk", 504, ``)
	_, err = h.c.Imports.Create(ctx, batch)
	require.ErrorIs(t, err, partnerkit.ErrServer)
	require.Len(t, h.Requests(), 1, "a bulk import is never sent twice")
}

func TestImportsGet(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1042/contacts/import/5", 200,
		`{"jobId":5,"status":"processing","totalRows":100,"processedRows":42,"failedRows":0,"duplicateRows":1}`)
	job, err := h.c.Imports.Get(ctx, "1042", "5")
	require.NoError(t, err)
	r := h.last(t)
	require.Equal(t, "GET", r.Method)
	require.Equal(t, "/gw/v1/campaigns/1042/contacts/import/5", r.Path)
	require.Equal(t, alohub.ImportJob{ID: "5", Status: alohub.ImportProcessing, TotalRows: 100, ProcessedRows: 42, DuplicateRows: 1,
		Raw: job.Raw}, *job)
	require.JSONEq(t, `{"jobId":5,"status":"processing","totalRows":100,"processedRows":42,"failedRows":0,"duplicateRows":1}`, string(job.Raw))
	require.False(t, job.Finished())
}

func TestImportsGetCountsMayComeAsStrings(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1042/contacts/import/5", 200,
		`{"jobId":"5","status":"done","totalRows":"100","processedRows":"100","failedRows":"2","duplicateRows":"3","errorMessage":"2 rows invalid"}`)
	job, err := h.c.Imports.Get(ctx, "1042", "5")
	require.NoError(t, err)
	require.EqualValues(t, 100, job.TotalRows)
	require.EqualValues(t, 100, job.ProcessedRows)
	require.EqualValues(t, 2, job.FailedRows)
	require.EqualValues(t, 3, job.DuplicateRows)
	require.Equal(t, ptr("2 rows invalid"), job.ErrorMessage)
}

func TestImportsGetInAnEnvelope(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1042/contacts/import/5", 200,
		`{"success":"1","data":{"jobId":5,"status":"failed","totalRows":10,"processedRows":3,"failedRows":7,"duplicateRows":0,"errorMessage":"bad file"}}`)
	job, err := h.c.Imports.Get(ctx, "1042", "5")
	require.NoError(t, err)
	require.Equal(t, alohub.ImportFailed, job.Status)
	require.Equal(t, ptr("bad file"), job.ErrorMessage)
	require.EqualValues(t, 7, job.FailedRows)
	require.True(t, job.Finished())
	require.Contains(t, string(job.Raw), `"errorMessage":"bad file"`, "Raw is the job, not the envelope")
	require.NotContains(t, string(job.Raw), `"success"`)

	h = newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1042/contacts/import/5", 200, `{"success":"0","error_code":"NOT_FOUND","error_message":"job not found"}`)
	_, err = h.c.Imports.Get(ctx, "1042", "5")
	require.ErrorIs(t, err, partnerkit.ErrNotFound)

	h = newHarness(t)
	h.on(http.MethodGet, "/v1/campaigns/1042/contacts/import/5", 200, `{}`)
	_, err = h.c.Imports.Get(ctx, "1042", "5")
	require.ErrorIs(t, err, partnerkit.ErrUnexpected)
	require.ErrorContains(t, err, "the import status answer has no status")
}

const jobPath = "/v1/campaigns/1042/contacts/import/5"

// script answers the job's polls with answers in order, repeating the last.
func (h *harness) script(answers ...[2]string) *int {
	var mu sync.Mutex
	polls := 0
	h.mock.RegisterResponder(http.MethodGet, base+jobPath, func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		defer mu.Unlock()
		a := answers[min(polls, len(answers)-1)]
		polls++
		status := 200
		if a[0] == "404" {
			status = 404
		}
		return mocktest.JSON(status, a[1]), nil
	})
	return &polls
}

func job(status string, processed, failed, dup int) [2]string {
	return [2]string{"200", `{"jobId":5,"status":"` + status + `","totalRows":100,"processedRows":` + itoa(processed) +
		`,"failedRows":` + itoa(failed) + `,"duplicateRows":` + itoa(dup) + `,"errorMessage":null}`}
}

func itoa(n int) string {
	return strconv.Itoa(n)
}

var lost = [2]string{"404", `{"success":"0","error_code":"NOT_FOUND","error_message":"job not found"}`}

func TestImportsWaitUntilDone(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	polls := h.script(job("pending", 0, 0, 0), job("processing", 40, 0, 1), job("processing", 80, 0, 1), job("done", 100, 0, 2))
	var seen []partnerkit.Int
	done, err := h.c.Imports.Wait(ctx, "1042", "5", &alohub.ImportWaitParams{
		OnProgress: func(j *alohub.ImportJob) { seen = append(seen, j.ProcessedRows) },
	})
	require.NoError(t, err)
	require.Equal(t, 4, *polls)
	require.Equal(t, []partnerkit.Int{0, 40, 80, 100}, seen)
	require.Equal(t, alohub.ImportDone, done.Status)
	require.EqualValues(t, 2, done.DuplicateRows)
	require.Zero(t, done.FailedRows)
	// random 0.5: the middle of 2-3 s, between polls only.
	require.Equal(t, []time.Duration{2500 * time.Millisecond, 2500 * time.Millisecond, 2500 * time.Millisecond}, h.clock.Sleeps())
}

// TestImportsWaitReportsFailedRows: a job done with failed rows returns the
// job and an error that says how many rows failed and why.
func TestImportsWaitReportsFailedRows(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.script(job("processing", 40, 1, 0), [2]string{"200", `{"jobId":5,"status":"done","totalRows":100,"processedRows":100,"failedRows":3,"duplicateRows":2,
"errorMessage":"3 rows have no valid Vietnamese phone number (rows 7, 8, 90)"}`})
	j, err := h.c.Imports.Wait(ctx, "1042", "5", nil)
	require.ErrorIs(t, err, alohub.ErrImportRowsFailed)
	require.NotErrorIs(t, err, alohub.ErrImportFailed)
	var ie *alohub.ImportError
	require.ErrorAs(t, err, &ie)
	require.Same(t, j, ie.Job)
	require.Equal(t, partnerkit.ID("5"), ie.JobID)
	require.Equal(t, partnerkit.ID("1042"), ie.CampaignID)
	require.EqualValues(t, 3, j.FailedRows)
	require.Equal(t, alohub.ImportDone, j.Status)
	require.EqualError(t, err, "alohub: import job done with failed rows: campaign 1042, job 5: 3 of 100 rows failed: "+
		"3 rows have no valid Vietnamese phone number (rows 7, 8, 90) (last seen done: 100 of 100 rows processed, 3 failed, 2 duplicates)")

	h = newHarness(t)
	h.script(job("done", 100, 1, 0))
	_, err = h.c.Imports.Wait(ctx, "1042", "5", nil)
	require.ErrorIs(t, err, alohub.ErrImportRowsFailed)
	require.EqualError(t, err, "alohub: import job done with failed rows: campaign 1042, job 5: 1 of 100 rows failed "+
		"(last seen done: 100 of 100 rows processed, 1 failed, 0 duplicates)", "no reason given: none invented")
}

func TestImportsWaitPausesAreJitteredBetweenTwoAndThreeSeconds(t *testing.T) {
	t.Parallel()
	draws := []float64{0, 0.999, 0.25}
	var mu sync.Mutex
	i := 0
	random := func() float64 {
		mu.Lock()
		defer mu.Unlock()
		r := draws[i%len(draws)]
		i++
		return r
	}
	h := newHarness(t, transport.WithRandom(random))
	h.script(job("processing", 1, 0, 0), job("processing", 2, 0, 0), job("processing", 3, 0, 0), job("done", 100, 0, 0))
	_, err := h.c.Imports.Wait(ctx, "1042", "5", nil)
	require.NoError(t, err)
	sleeps := h.clock.Sleeps()
	require.Len(t, sleeps, 3)
	require.Equal(t, 2*time.Second, sleeps[0])
	require.InDelta(t, float64(3*time.Second), float64(sleeps[1]), float64(time.Millisecond))
	require.Equal(t, 2250*time.Millisecond, sleeps[2])

	h = newHarness(t)
	h.script(job("processing", 1, 0, 0), job("done", 100, 0, 0))
	_, err = h.c.Imports.Wait(ctx, "1042", "5", &alohub.ImportWaitParams{Interval: 100 * time.Millisecond})
	require.NoError(t, err)
	require.Equal(t, []time.Duration{100 * time.Millisecond}, h.clock.Sleeps())
}

func TestImportsWaitFailed(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.script(job("processing", 10, 0, 0), [2]string{"200", `{"jobId":5,"status":"failed","totalRows":100,"processedRows":10,"failedRows":90,"duplicateRows":0,"errorMessage":"database unavailable"}`})
	j, err := h.c.Imports.Wait(ctx, "1042", "5", nil)
	require.ErrorIs(t, err, alohub.ErrImportFailed)
	require.NotErrorIs(t, err, alohub.ErrImportLost)
	require.NotErrorIs(t, err, alohub.ErrImportRowsFailed)
	require.ErrorContains(t, err, "database unavailable")
	var ie *alohub.ImportError
	require.ErrorAs(t, err, &ie)
	require.Equal(t, partnerkit.ID("5"), ie.JobID)
	require.Equal(t, partnerkit.ID("1042"), ie.CampaignID)
	require.EqualValues(t, 90, ie.Job.FailedRows)
	require.Same(t, j, ie.Job)
}

// TestImportsWaitGivesUpOnAnUndocumentedStatus: a job that stays in a
// status Alohub's documents do not name is not polled forever.
func TestImportsWaitGivesUpOnAnUndocumentedStatus(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	polls := 0
	h.mock.RegisterResponder(http.MethodGet, base+jobPath, func(r *http.Request) (*http.Response, error) {
		if polls++; polls == 100 {
			cancel() // the wait would go on forever
		}
		return mocktest.JSON(200, `{"jobId":5,"status":"partial","totalRows":100,"processedRows":100,"failedRows":3,"duplicateRows":0}`), nil
	})
	j, err := h.c.Imports.Wait(cctx, "1042", "5", nil)
	require.ErrorIs(t, err, alohub.ErrImportStatusUnknown)
	require.ErrorIs(t, err, partnerkit.ErrUnexpected)
	require.ErrorContains(t, err, `status "partial" unchanged after 5 polls`)
	require.Equal(t, alohub.MaxUnknownPolls, polls)
	require.Equal(t, "partial", j.Status)
	require.Len(t, h.clock.Sleeps(), alohub.MaxUnknownPolls-1)
}

// TestImportsWaitFollowsAnUndocumentedStatusThatMoves: an unknown status
// whose counts change is followed, and the count starts again when the job
// stops moving.
func TestImportsWaitFollowsAnUndocumentedStatusThatMoves(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var answers [][2]string
	for i := range 8 {
		answers = append(answers, job("validating", 10*i, 0, 0))
	}
	answers = append(answers, job("processing", 80, 0, 0), job("validating", 80, 0, 0), job("validating", 80, 0, 0), job("done", 100, 0, 0))
	polls := h.script(answers...)
	j, err := h.c.Imports.Wait(ctx, "1042", "5", nil)
	require.NoError(t, err)
	require.Equal(t, alohub.ImportDone, j.Status)
	require.Equal(t, 12, *polls)
}

func TestImportsWaitLostJob(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	polls := h.script(job("processing", 30, 0, 2), lost)
	j, err := h.c.Imports.Wait(ctx, "1042", "5", nil)
	require.ErrorIs(t, err, alohub.ErrImportLost)
	require.ErrorIs(t, err, partnerkit.ErrNotFound)
	require.NotErrorIs(t, err, alohub.ErrImportFailed)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, 404, apiErr.StatusCode)
	require.EqualValues(t, 30, j.ProcessedRows, "the last state seen")
	require.ErrorContains(t, err, "job 5")
	require.Equal(t, 2, *polls, "a 404 is final")
}

func TestImportsWaitUnknownJobIsNotFoundNotLost(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.script(lost)
	j, err := h.c.Imports.Wait(ctx, "1042", "5", nil)
	require.Nil(t, j)
	require.ErrorIs(t, err, partnerkit.ErrNotFound)
	require.NotErrorIs(t, err, alohub.ErrImportLost)
}

func TestImportsWaitEndsWithTheContext(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	h := newHarnessWithClock(t, clk)
	polls := h.script(job("processing", 1, 0, 0))
	cctx, cancel := context.WithCancel(ctx)
	type result struct {
		job *alohub.ImportJob
		err error
	}
	done := make(chan result, 1)
	progress := make(chan struct{}, 2)
	go func() {
		j, err := h.c.Imports.Wait(cctx, "1042", "5", &alohub.ImportWaitParams{OnProgress: func(*alohub.ImportJob) { progress <- struct{}{} }})
		done <- result{j, err}
	}()
	<-progress
	clk.WaitForSleepers(1)
	clk.Advance(2500 * time.Millisecond) // second poll
	<-progress
	clk.WaitForSleepers(1)
	cancel()
	r := <-done
	require.ErrorIs(t, r.err, context.Canceled)
	require.EqualValues(t, 1, r.job.ProcessedRows)
	require.Equal(t, 2, *polls)
}

func TestImportsWaitStopsOnOtherErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t, partnerkit.WithMaxRetries(1))
	polls := h.script(job("processing", 1, 0, 0), [2]string{"200", `{"success":"0","error_code":"UNAUTHORIZED","error_message":"key revoked"}`})
	_, err := h.c.Imports.Wait(ctx, "1042", "5", nil)
	require.ErrorIs(t, err, partnerkit.ErrUnauthorized)
	require.Equal(t, 2, *polls)
}
