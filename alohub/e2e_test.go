package alohub_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/alohub"
	"github.com/partnerkit/partnerkit-go/alohub/alohubtest"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

const campaign partnerkit.ID = alohubtest.CampaignID

// againstFake starts fake on loopback and returns a client of it whose
// clock is clk.
func againstFake(t *testing.T, fake *alohubtest.Server, clk clock.Clock, opts ...partnerkit.Option) *alohub.Client {
	t.Helper()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, err := alohub.New(alohubtest.APIKey, append([]partnerkit.Option{
		partnerkit.WithBaseURL(srv.URL), alohub.WithTenantID(alohubtest.TenantID), transport.WithClock(clk),
		transport.WithRandom(func() float64 { return 0.5 }),
	}, opts...)...)
	require.NoError(t, err)
	return c
}

// TestABurstStaysUnderBothWindows sends 160 calls on two routes from 16
// goroutines to a gateway allowing 30 calls per tenant and 20 per route in
// each 10-second window. The simulated clock makes the run exact: time
// passes only while every goroutine waits.
func TestABurstStaysUnderBothWindows(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 4, 14, 9, 0, 0, 0, time.UTC)
	clk := clock.NewSim(start)
	fake := alohubtest.New(alohubtest.WithClock(clk.Now))
	fake.SetRateLimit("", 30, alohubtest.WindowLength)
	fake.SetRateLimit(alohubtest.EachRoute, 20, alohubtest.WindowLength)
	c := againstFake(t, fake, clk, partnerkit.WithMaxRetries(0))

	const workers, each = 16, 10
	var failures atomic.Int32
	for w := range workers {
		clk.Go(func() {
			for i := range each {
				var err error
				if (w+i)%2 == 0 {
					_, err = c.ContactLists.List(context.Background(), listsOf("1042"))
				} else {
					_, err = c.Contacts.List(context.Background(), &alohub.ContactListParams{CampaignID: "1042", ListID: "501"})
				}
				if err != nil {
					failures.Add(1)
					t.Log(err)
				}
			}
		})
	}
	clk.Wait()
	require.Zero(t, failures.Load())
	require.Zero(t, fake.RateLimited(), "429 answers")
	require.Equal(t, workers*each, fake.Requests(""))
	// 160 calls at 30 a tenant window need 6 windows: the last opens 50 s
	// after the first, and the client loses no time.
	require.Equal(t, 50*time.Second, clk.Now().Sub(start))
}

func TestImportAgainstTheFake(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(time.Date(2026, 4, 14, 9, 0, 0, 0, time.UTC))
	fake := alohubtest.New(alohubtest.WithClock(clk.Now), alohubtest.WithImportRate(10, time.Second))
	c := againstFake(t, fake, clk)
	batch := &alohub.ImportCreateParams{CampaignID: campaign, ListName: "April", Contacts: []alohub.ImportContact{
		{PhoneNumber: "0906000001", Name: "KH 1"}, {PhoneNumber: "0906000002"}, {PhoneNumber: "0906000001"}, {PhoneNumber: "0901234567"},
	}}
	for i := range 46 {
		batch.Contacts = append(batch.Contacts, alohub.ImportContact{PhoneNumber: fmt.Sprintf("09070000%02d", i)})
	}
	receipt, err := c.Imports.Create(ctx, batch)
	require.NoError(t, err)
	require.EqualValues(t, 50, receipt.TotalRows)
	var progress []string
	job, err := c.Imports.Wait(ctx, campaign, receipt.JobID, &alohub.ImportWaitParams{
		OnProgress: func(j *alohub.ImportJob) {
			progress = append(progress, fmt.Sprintf("%s %d", j.Status, j.ProcessedRows))
		},
	})
	require.NoError(t, err)
	require.Equal(t, alohub.ImportDone, job.Status)
	require.EqualValues(t, 50, job.ProcessedRows)
	require.EqualValues(t, 2, job.DuplicateRows, "one repeated in the batch, one already in the campaign")
	require.Zero(t, job.FailedRows)
	require.Nil(t, job.ErrorMessage)
	require.Equal(t, []string{"pending 0", "processing 15", "processing 40", "done 50"}, progress)
	require.Equal(t, 4, fake.Requests("GET /v1/campaigns/{id}/contacts/import/{job_id}"))

	var april *alohub.ContactList
	for l, err := range c.ContactLists.All(ctx, listsOf(campaign)) {
		require.NoError(t, err)
		if l.ListName == "April" {
			april = &l
		}
	}
	require.NotNil(t, april)
	require.EqualValues(t, 48, april.ContactCount)
	n := 0
	for ct, err := range c.Contacts.All(ctx, &alohub.ContactListParams{CampaignID: campaign, ListID: april.ID, Limit: 7}) {
		require.NoError(t, err)
		require.EqualValues(t, alohub.ProcessPending, ct.ProcessStatus)
		n++
	}
	require.Equal(t, 48, n)
	require.Equal(t, 7, fake.Requests("GET /v1/campaigns/{id}/contact-lists/{list_id}/contacts"), "48 contacts in pages of 7")
}

// TestFailedRowsAgainstTheFake imports rows Alohub refuses: Wait returns the
// job, with the rows imported, and an error naming the rows that failed.
func TestFailedRowsAgainstTheFake(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(time.Date(2026, 4, 14, 9, 0, 0, 0, time.UTC))
	fake := alohubtest.New(alohubtest.WithClock(clk.Now), alohubtest.WithImportRate(100, 0))
	c := againstFake(t, fake, clk)
	receipt, err := c.Imports.Create(ctx, &alohub.ImportCreateParams{CampaignID: campaign, Contacts: []alohub.ImportContact{
		{PhoneNumber: "0906100001"}, {PhoneNumber: "+1 415 555 0100"}, {PhoneNumber: "0906100002"}, {PhoneNumber: "+44 20 7946 0958"},
	}})
	require.NoError(t, err)
	job, err := c.Imports.Wait(ctx, campaign, receipt.JobID, nil)
	require.ErrorIs(t, err, alohub.ErrImportRowsFailed)
	require.ErrorContains(t, err, "2 of 4 rows failed: 2 rows have no valid Vietnamese phone number (rows 2, 4)")
	require.EqualValues(t, 2, job.FailedRows)
	require.Equal(t, ptr("2 rows have no valid Vietnamese phone number (rows 2, 4)"), job.ErrorMessage)
	require.Len(t, fake.Contacts(alohubtest.CampaignID), 3+2, "the valid rows are imported")
}

func TestALostImportIsResubmittedWithoutDuplicates(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(time.Date(2026, 4, 14, 9, 0, 0, 0, time.UTC))
	fake := alohubtest.New(alohubtest.WithClock(clk.Now), alohubtest.WithImportRate(10, 0))
	c := againstFake(t, fake, clk)
	batch := &alohub.ImportCreateParams{CampaignID: campaign}
	for i := range 100 {
		batch.Contacts = append(batch.Contacts, alohub.ImportContact{PhoneNumber: fmt.Sprintf("0908000%03d", i)})
	}
	receipt, err := c.Imports.Create(ctx, batch)
	require.NoError(t, err)
	restarted := false
	_, err = c.Imports.Wait(ctx, campaign, receipt.JobID, &alohub.ImportWaitParams{
		OnProgress: func(j *alohub.ImportJob) {
			if j.ProcessedRows > 0 && !restarted {
				fake.Restart()
				restarted = true
			}
		},
	})
	require.ErrorIs(t, err, alohub.ErrImportLost)
	require.ErrorIs(t, err, partnerkit.ErrNotFound)

	again, err := c.Imports.Create(ctx, batch)
	require.NoError(t, err)
	job, err := c.Imports.Wait(ctx, campaign, again.JobID, nil)
	require.NoError(t, err)
	require.EqualValues(t, 100, job.ProcessedRows)
	require.EqualValues(t, 25, job.DuplicateRows, "the rows imported before the restart")
	require.Len(t, fake.Contacts(alohubtest.CampaignID), 3+100)
}

func TestDeleteAgainstTheFake(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(time.Date(2026, 4, 14, 9, 0, 0, 0, time.UTC))
	fake := alohubtest.New(alohubtest.WithClock(clk.Now))
	c := againstFake(t, fake, clk)
	page, err := c.Contacts.List(ctx, &alohub.ContactListParams{CampaignID: campaign, ListID: "501"})
	require.NoError(t, err)
	require.Len(t, page.Items, 3)
	require.Equal(t, 3, page.Total)
	require.Nil(t, page.Items[2].Name, "the seeded contact without a name")
	for _, ct := range page.Items {
		err := c.Contacts.Delete(ctx, campaign, ct.ID)
		if ct.ProcessStatus == alohub.ProcessPending {
			require.NoError(t, err)
			continue
		}
		var apiErr *partnerkit.Error
		require.True(t, errors.As(err, &apiErr))
		require.Equal(t, alohub.CodeInvalidState, apiErr.Code)
	}
	fake.FailNext(1, 200)
	_, err = c.ContactLists.List(ctx, listsOf(campaign))
	require.ErrorIs(t, err, partnerkit.ErrServer, "a failure envelope under 200")
}

// TestRateLimitRefusalsAgainstTheFake: a create refused with a 429 or with
// Alohub's RATE_LIMIT_EXCEEDED envelope under 200 is sent again and
// creates one contact.
func TestRateLimitRefusalsAgainstTheFake(t *testing.T) {
	t.Parallel()
	for name, refuse := range map[string]func(*alohubtest.Server){
		"429":      func(f *alohubtest.Server) { f.FailNext(1, 429) },
		"envelope": func(f *alohubtest.Server) { f.FailNextCode(1, alohub.CodeRateLimitExceeded) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			clk := clock.NewAutoFake(time.Date(2026, 4, 14, 9, 0, 0, 0, time.UTC))
			fake := alohubtest.New(alohubtest.WithClock(clk.Now))
			c := againstFake(t, fake, clk)
			refuse(fake)
			receipt, err := c.Contacts.Create(ctx, &alohub.ContactCreateParams{CampaignID: campaign, PhoneNumber: "0909000001"})
			require.NoError(t, err)
			require.Equal(t, partnerkit.ID("501"), receipt.ListID)
			require.Equal(t, 2, fake.Requests("POST /v1/campaigns/{id}/contacts"))
			require.Len(t, fake.Contacts(alohubtest.CampaignID), 4, "one contact created")
		})
	}
}

// TestTheBenchmarkScenarioIsExact runs BenchmarkQuota's scenario (500 calls
// from 32 goroutines, 50 per 1-second window) on the simulated clock: no
// 429, and the last window opens at the theoretical minimum, 9 s.
func TestTheBenchmarkScenarioIsExact(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 4, 14, 9, 0, 0, 0, time.UTC)
	clk := clock.NewSim(start)
	fake := alohubtest.New(alohubtest.WithClock(clk.Now))
	fake.SetRateLimit("", quotaLimit, quotaWindow)
	fake.SetRateLimit(alohubtest.EachRoute, quotaLimit, quotaWindow)
	c := againstFake(t, fake, clk, alohub.WithWindowLength(quotaWindow))
	var next, failures atomic.Int32
	for range quotaWorkers {
		clk.Go(func() {
			for next.Add(1) <= quotaCalls {
				if _, err := c.ContactLists.List(context.Background(), listsOf(campaign)); err != nil {
					failures.Add(1)
				}
			}
		})
	}
	clk.Wait()
	require.Zero(t, failures.Load())
	require.Equal(t, quotaCalls, fake.Requests(""))
	require.Zero(t, fake.RateLimited())
	require.Equal(t, quotaMinimum, clk.Now().Sub(start))
}
