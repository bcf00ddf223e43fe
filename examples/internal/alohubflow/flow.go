// Package alohubflow is the Alohub example's flow: a bulk import of 5,000
// contacts into a call campaign, followed to the end.
package alohubflow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/alohub"
	"github.com/partnerkit/partnerkit-go/alohub/alohubtest"
	"github.com/partnerkit/partnerkit-go/examples/internal/demo"
)

// Repeats is how many of the imported rows repeat earlier phone numbers
// (the last ones), so that the import reports duplicates.
const Repeats = 50

// Contacts is how many rows the flow imports: 5,000. A test that runs the
// flow many times may lower it (to no fewer than Repeats) before calling
// Run: the flow makes the same requests, and the fake finishes a smaller
// import before the flow's first pause ends, so each run is shorter and
// polls the job the same number of times.
var Contacts = 5000

// DocumentsCampaign is the campaign of Alohub's documents, used when the
// environment names none.
const DocumentsCampaign = "1042"

// Run imports Contacts contacts into ALOHUB_CAMPAIGN_ID, or a running
// campaign of ALOHUB_USER_NAME, or else the documents' campaign 1042; shows
// the job's progress while it runs and prints the final counts. With no
// ALOHUB_API_KEY it uses the built-in fake.
func Run(ctx context.Context, w io.Writer) error {
	target, err := demo.Resolve(w, "Alohub", "ALOHUB_BASE_URL", []string{"ALOHUB_API_KEY"},
		func() http.Handler { return alohubtest.New() })
	if err != nil {
		return err
	}
	defer target.Close()

	key, tenant := demo.Env("ALOHUB_API_KEY"), demo.Env("ALOHUB_TENANT_ID")
	userName, campaign := demo.Env("ALOHUB_USER_NAME"), partnerkit.ID(demo.Env("ALOHUB_CAMPAIGN_ID"))
	wait := &alohub.ImportWaitParams{}
	if target.Fake {
		key, tenant, userName, campaign = alohubtest.APIKey, alohubtest.TenantID, alohubtest.UserName, ""
		wait.Interval = time.Second // the fake imports in about three seconds
	}
	opts := demo.Options(ctx)
	if target.BaseURL != "" {
		opts = append(opts, partnerkit.WithBaseURL(target.BaseURL))
	}
	if tenant != "" {
		opts = append(opts, alohub.WithTenantID(tenant))
	}
	c, err := alohub.New(key, opts...)
	if err != nil {
		return err
	}

	switch {
	case campaign == "" && userName == "" && !target.Fake:
		campaign = DocumentsCampaign
		fmt.Fprintf(w, "campaign %s (the documents' campaign; set ALOHUB_CAMPAIGN_ID or ALOHUB_USER_NAME to choose another)\n", campaign)
	case campaign == "":
		if campaign, err = runningCampaign(ctx, w, c, userName); err != nil {
			return err
		}
	default:
		fmt.Fprintf(w, "campaign %s\n", campaign)
	}

	batch := &alohub.ImportCreateParams{CampaignID: campaign, ListName: "partnerkit import " + time.Now().UTC().Format("2006-01-02 15:04:05")}
	for i := range Contacts - Repeats {
		batch.Contacts = append(batch.Contacts, alohub.ImportContact{PhoneNumber: fmt.Sprintf("0912%06d", i), Name: fmt.Sprintf("Customer %d", i+1)})
	}
	batch.Contacts = append(batch.Contacts, batch.Contacts[:Repeats]...)

	job, err := importAndWait(ctx, w, c, batch, wait)
	if errors.Is(err, alohub.ErrImportLost) {
		fmt.Fprintln(w, "the server lost the job (a restart); importing again: numbers already in the campaign are skipped")
		job, err = importAndWait(ctx, w, c, batch, wait)
	}
	if errors.Is(err, alohub.ErrImportRowsFailed) {
		fmt.Fprintln(w, "some rows were not imported:", err)
	} else if err != nil {
		return err
	}
	if err := demo.Check(job.ProcessedRows <= job.TotalRows && job.FailedRows+job.DuplicateRows <= job.TotalRows,
		"job %s counts more rows than it holds: %+v", job.ID, *job); err != nil {
		return err
	}
	fmt.Fprintf(w, "done: %d rows, %d processed, %d failed, %d duplicates\n", job.TotalRows, job.ProcessedRows, job.FailedRows, job.DuplicateRows)

	for l, err := range c.ContactLists.All(ctx, &alohub.ContactListListParams{CampaignID: campaign}) {
		if err != nil {
			return err
		}
		if l.ListName == batch.ListName {
			fmt.Fprintf(w, "list %s %q holds %d contacts\n", l.ID, l.ListName, l.ContactCount)
		}
	}
	return nil
}

// runningCampaign returns the first running campaign of userName.
func runningCampaign(ctx context.Context, w io.Writer, c *alohub.Client, userName string) (partnerkit.ID, error) {
	if userName == "" {
		return "", errors.New("alohub: set ALOHUB_CAMPAIGN_ID, or ALOHUB_USER_NAME to import into one of that user's running campaigns")
	}
	for camp, err := range c.Campaigns.All(ctx, &alohub.CampaignListParams{UserName: userName, Status: alohub.CampaignRunning}) {
		if err != nil {
			return "", err
		}
		if camp.ID != "" {
			fmt.Fprintf(w, "running campaign of %s: %s %q\n", userName, camp.ID, camp.Name)
			return camp.ID, nil
		}
	}
	return "", fmt.Errorf("alohub: user %s has no running campaign", userName)
}

// importAndWait starts the import and follows the job, printing each change.
// A job done with failed rows is returned with its ErrImportRowsFailed
// error.
func importAndWait(ctx context.Context, w io.Writer, c *alohub.Client, batch *alohub.ImportCreateParams, wait *alohub.ImportWaitParams) (*alohub.ImportJob, error) {
	receipt, err := c.Imports.Create(ctx, batch)
	if err != nil {
		return nil, err
	}
	if err := demo.Check(receipt.TotalRows == 0 || int(receipt.TotalRows) == len(batch.Contacts),
		"the import of %d rows reports %d", len(batch.Contacts), receipt.TotalRows); err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "import job %s started: %d rows into list %q\n", receipt.JobID, len(batch.Contacts), batch.ListName)
	opts := *wait
	var last string
	opts.OnProgress = func(j *alohub.ImportJob) {
		line := fmt.Sprintf("  %-10s %5d/%d processed, %d failed, %d duplicates", j.Status, j.ProcessedRows, j.TotalRows, j.FailedRows, j.DuplicateRows)
		if line != last {
			fmt.Fprintln(w, line)
			last = line
		}
	}
	job, err := c.Imports.Wait(ctx, batch.CampaignID, receipt.JobID, &opts)
	if err != nil && !errors.Is(err, alohub.ErrImportRowsFailed) {
		return nil, err
	}
	return job, err
}
