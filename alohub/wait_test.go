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

func TestWaitImportUntilDone(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	polls := h.script(job("pending", 0, 0, 0), job("processing", 40, 0, 1), job("processing", 80, 1, 1), job("done", 100, 1, 2))
	var seen []int
	done, err := h.c.Contacts.WaitImport(ctx, "1042", "5", &alohub.WaitOptions{
		OnProgress: func(j *alohub.ImportJob) { seen = append(seen, j.ProcessedRows) },
	})
	require.NoError(t, err)
	require.Equal(t, 4, *polls)
	require.Equal(t, []int{0, 40, 80, 100}, seen)
	require.Equal(t, alohub.ImportDone, done.Status)
	require.Equal(t, 2, done.DuplicateRows)
	require.Equal(t, 1, done.FailedRows)
	// random 0.5: the middle of 2-3 s, between polls only.
	require.Equal(t, []time.Duration{2500 * time.Millisecond, 2500 * time.Millisecond, 2500 * time.Millisecond}, h.clock.Sleeps())
}

func TestWaitImportPausesAreJitteredBetweenTwoAndThreeSeconds(t *testing.T) {
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
	_, err := h.c.Contacts.WaitImport(ctx, "1042", "5", nil)
	require.NoError(t, err)
	sleeps := h.clock.Sleeps()
	require.Len(t, sleeps, 3)
	require.Equal(t, 2*time.Second, sleeps[0])
	require.InDelta(t, float64(3*time.Second), float64(sleeps[1]), float64(time.Millisecond))
	require.Equal(t, 2250*time.Millisecond, sleeps[2])

	h = newHarness(t)
	h.script(job("processing", 1, 0, 0), job("done", 100, 0, 0))
	_, err = h.c.Contacts.WaitImport(ctx, "1042", "5", &alohub.WaitOptions{Interval: 100 * time.Millisecond})
	require.NoError(t, err)
	require.Equal(t, []time.Duration{100 * time.Millisecond}, h.clock.Sleeps())
}

func TestWaitImportFailed(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.script(job("processing", 10, 0, 0), [2]string{"200", `{"jobId":5,"status":"failed","totalRows":100,"processedRows":10,"failedRows":90,"duplicateRows":0,"errorMessage":"database unavailable"}`})
	j, err := h.c.Contacts.WaitImport(ctx, "1042", "5", nil)
	require.ErrorIs(t, err, alohub.ErrImportFailed)
	require.NotErrorIs(t, err, alohub.ErrImportLost)
	require.ErrorContains(t, err, "database unavailable")
	var ie *alohub.ImportError
	require.ErrorAs(t, err, &ie)
	require.Equal(t, partnerkit.ID("5"), ie.JobID)
	require.Equal(t, partnerkit.ID("1042"), ie.CampaignID)
	require.Equal(t, 90, ie.Job.FailedRows)
	require.Same(t, j, ie.Job)
}

func TestWaitImportLostJob(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	polls := h.script(job("processing", 30, 0, 2), lost)
	j, err := h.c.Contacts.WaitImport(ctx, "1042", "5", nil)
	require.ErrorIs(t, err, alohub.ErrImportLost)
	require.ErrorIs(t, err, partnerkit.ErrNotFound)
	require.NotErrorIs(t, err, alohub.ErrImportFailed)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, 404, apiErr.StatusCode)
	require.Equal(t, 30, j.ProcessedRows, "the last state seen")
	require.ErrorContains(t, err, "job 5")
	require.Equal(t, 2, *polls, "a 404 is final")
}

func TestWaitImportUnknownJobIsNotFoundNotLost(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.script(lost)
	j, err := h.c.Contacts.WaitImport(ctx, "1042", "5", nil)
	require.Nil(t, j)
	require.ErrorIs(t, err, partnerkit.ErrNotFound)
	require.NotErrorIs(t, err, alohub.ErrImportLost)
}

func TestWaitImportEndsWithTheContext(t *testing.T) {
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
		j, err := h.c.Contacts.WaitImport(cctx, "1042", "5", &alohub.WaitOptions{OnProgress: func(*alohub.ImportJob) { progress <- struct{}{} }})
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
	require.Equal(t, 1, r.job.ProcessedRows)
	require.Equal(t, 2, *polls)
}

func TestWaitImportStopsOnOtherErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t, partnerkit.WithMaxRetries(1))
	polls := h.script(job("processing", 1, 0, 0), [2]string{"200", `{"success":"0","error_code":"UNAUTHORIZED","error_message":"key revoked"}`})
	_, err := h.c.Contacts.WaitImport(ctx, "1042", "5", nil)
	require.ErrorIs(t, err, partnerkit.ErrUnauthorized)
	require.Equal(t, 2, *polls)
}
