// Command alohub-bulk-import imports a CRM export of 2,000 leads into an
// Alohub call campaign in one bulk job, shows the job's progress, and says
// which rows Alohub could not import and why.
//
// It reads ALOHUB_API_KEY, ALOHUB_BASE_URL (optional; the production
// gateway when empty), ALOHUB_TENANT_ID (optional), and ALOHUB_CAMPAIGN_ID
// or ALOHUB_USER_NAME (that user's first running campaign); with neither,
// it imports into campaign 1042, the documents' example campaign. Without
// ALOHUB_API_KEY it runs against Alohub's fake, alohubtest, on loopback.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/signal"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/alohub"
	"github.com/partnerkit/partnerkit-go/alohub/alohubtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "alohub-bulk-import:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	key, baseURL := os.Getenv("ALOHUB_API_KEY"), os.Getenv("ALOHUB_BASE_URL")
	campaign, user := partnerkit.ID(os.Getenv("ALOHUB_CAMPAIGN_ID")), os.Getenv("ALOHUB_USER_NAME")
	interval := alohub.DefaultPollInterval // Alohub asks for a poll every 2 to 3 seconds
	if key == "" {
		srv := httptest.NewServer(alohubtest.New(alohubtest.WithImportRate(800, time.Second)))
		defer srv.Close()
		key, baseURL, campaign, user = alohubtest.APIKey, srv.URL, "", alohubtest.UserName
		interval = time.Second
		fmt.Println("ALOHUB_API_KEY is not set: using the built-in Alohub fake at", srv.URL)
	}
	var opts []partnerkit.Option
	if baseURL != "" {
		opts = append(opts, partnerkit.WithBaseURL(baseURL))
	}
	if tenant := os.Getenv("ALOHUB_TENANT_ID"); tenant != "" {
		opts = append(opts, alohub.WithTenantID(tenant))
	}
	c, err := alohub.New(key, opts...)
	if err != nil {
		return err
	}

	if campaign == "" && user == "" {
		campaign = "1042" // the documents' example campaign
		fmt.Println("ALOHUB_CAMPAIGN_ID and ALOHUB_USER_NAME not set: importing into campaign", campaign)
	}
	if campaign == "" {
		for camp, err := range c.Campaigns.All(ctx, &alohub.CampaignListParams{UserName: user, Status: alohub.CampaignRunning}) {
			if err != nil {
				return err
			}
			campaign = camp.ID
			fmt.Printf("campaign %s %q (running, of %s)\n", camp.ID, camp.Name, user)
			break
		}
		if campaign == "" {
			return fmt.Errorf("%s has no running campaign", user)
		}
	}

	// The export: some leads are listed twice, and a few have foreign numbers.
	batch := &alohub.ImportCreateParams{CampaignID: campaign, ListName: "CRM export " + time.Now().Format("2006-01-02 15:04")}
	for i := range 2000 {
		phone := fmt.Sprintf("0912%06d", i%1980)
		if i%700 == 1 {
			phone = fmt.Sprintf("+1 415 555 %04d", i)
		}
		batch.Contacts = append(batch.Contacts, alohub.ImportContact{PhoneNumber: phone, Name: fmt.Sprintf("Lead %d", i+1)})
	}
	receipt, err := c.Imports.Create(ctx, batch)
	if err != nil {
		return err
	}
	fmt.Printf("import job %s started: %d rows into list %q\n", receipt.JobID, receipt.TotalRows, batch.ListName)

	job, err := c.Imports.Wait(ctx, campaign, receipt.JobID, &alohub.ImportWaitParams{
		Interval: interval,
		OnProgress: func(j *alohub.ImportJob) {
			fmt.Printf("  %-10s %4d/%d rows, %d failed, %d duplicates\n", j.Status, j.ProcessedRows, j.TotalRows, j.FailedRows, j.DuplicateRows)
		},
	})
	switch {
	case errors.Is(err, alohub.ErrImportRowsFailed): // the other rows are imported
		reason := "Alohub gave no reason"
		if job.ErrorMessage != nil {
			reason = *job.ErrorMessage
		}
		fmt.Printf("%d rows were not imported: %s\n", job.FailedRows, reason)
	case errors.Is(err, alohub.ErrImportLost):
		return fmt.Errorf("%w; run again: numbers already in the campaign are skipped", err)
	case err != nil:
		return err
	}
	fmt.Printf("imported %d contacts, skipped %d duplicates\n", job.ProcessedRows-job.FailedRows-job.DuplicateRows, job.DuplicateRows)
	return nil
}
