package alohub

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/partnerkit/partnerkit-go"
)

// DefaultPollInterval is the mean pause between two polls of an import job.
// Each pause is drawn between 0.8 and 1.2 times the interval (2 to 3
// seconds by default), as Alohub asks, so that many waiting clients do not
// poll in step.
const DefaultPollInterval = 2500 * time.Millisecond

// Errors of WaitImport, matched with errors.Is.
var (
	// ErrImportLost reports a job that Alohub answered for and then no
	// longer knows (404): its server restarted and lost the job, which
	// lives only in memory. Rows processed before the restart are kept;
	// importing the same batch again is safe, since Alohub skips phone
	// numbers already in the campaign. The error also matches
	// partnerkit.ErrNotFound.
	ErrImportLost = errors.New("alohub: import job lost by the server")
	// ErrImportFailed reports a job that ended with status failed.
	// ImportError.Job.ErrorMessage says why.
	ErrImportFailed = errors.New("alohub: import job failed")
)

// ImportError is the error WaitImport returns for a failed or lost job. It
// matches ErrImportFailed or ErrImportLost with errors.Is and, for a lost
// job, unwraps to the 404 *partnerkit.Error.
type ImportError struct {
	// CampaignID and JobID identify the job.
	CampaignID partnerkit.ID
	JobID      partnerkit.ID
	// Job is the last state Alohub reported.
	Job *ImportJob

	kind  error
	cause error
}

// Error describes the failure.
func (e *ImportError) Error() string {
	msg := fmt.Sprintf("%v: campaign %s, job %s", e.kind, e.CampaignID, e.JobID)
	if e.kind == ErrImportFailed && e.Job != nil && e.Job.ErrorMessage != "" {
		msg += ": " + e.Job.ErrorMessage
	}
	if e.Job != nil {
		msg += fmt.Sprintf(" (last seen %s, %d of %d rows processed)", e.Job.Status, e.Job.ProcessedRows, e.Job.TotalRows)
	}
	return msg
}

// Is reports whether target is the error's kind (ErrImportFailed or
// ErrImportLost).
func (e *ImportError) Is(target error) bool {
	return target == e.kind
}

// Unwrap returns the answer that revealed a lost job, nil otherwise.
func (e *ImportError) Unwrap() error {
	return e.cause
}

// WaitOptions tune WaitImport. The zero value polls every 2 to 3 seconds
// without reporting progress.
type WaitOptions struct {
	// Interval is the mean pause between polls; each pause is drawn
	// between 0.8 and 1.2 times it. Zero means DefaultPollInterval.
	Interval time.Duration
	// OnProgress, when set, is called with the job after every poll, in
	// the caller's goroutine.
	OnProgress func(*ImportJob)
}

// WaitImport polls import job jobID of campaign campaignID until it is done
// or failed, or ctx ends, and returns its last state.
//
// A done job returns (job, nil). A failed job returns the job and an
// *ImportError matching ErrImportFailed. A job that answered at least one
// poll and then disappears (404: Alohub's server restarted) returns the
// last state seen and an *ImportError matching ErrImportLost; a 404 on the
// first poll is returned as it came (partnerkit.ErrNotFound), since the IDs
// may simply be wrong. Any other error of a poll ends the wait with that
// error (the client has already retried what was safe to retry).
func (s *ContactsService) WaitImport(ctx context.Context, campaignID, jobID partnerkit.ID, opts *WaitOptions) (*ImportJob, error) {
	var o WaitOptions
	if opts != nil {
		o = *opts
	}
	if o.Interval < 0 {
		return nil, &partnerkit.ValidationError{Field: "Interval", Rule: "must not be negative"}
	}
	if o.Interval == 0 {
		o.Interval = DefaultPollInterval
	}
	clk := s.t.Clock()
	var last *ImportJob
	for {
		job, err := s.ImportStatus(ctx, campaignID, jobID)
		if err != nil {
			if last != nil && errors.Is(err, partnerkit.ErrNotFound) {
				return last, &ImportError{CampaignID: campaignID, JobID: jobID, Job: last, kind: ErrImportLost, cause: err}
			}
			return last, err
		}
		last = job
		if o.OnProgress != nil {
			o.OnProgress(job)
		}
		switch job.Status {
		case ImportDone:
			return job, nil
		case ImportFailed:
			return job, &ImportError{CampaignID: campaignID, JobID: jobID, Job: job, kind: ErrImportFailed}
		}
		pause := time.Duration(float64(o.Interval) * (0.8 + 0.4*s.t.Random()))
		if err := clk.Sleep(ctx, pause); err != nil {
			return last, err
		}
	}
}
