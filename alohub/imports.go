package alohub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// ImportsService imports contacts into a campaign in bulk. Alohub runs an
// import as a job in the background: Create starts it, Get reads its state
// and Wait follows it to the end.
type ImportsService struct {
	t *transport.Client
}

// ImportContact is one row of a bulk import.
type ImportContact struct {
	// PhoneNumber is required.
	PhoneNumber string `json:"phoneNumber"`
	// Name is the customer's name (optional).
	Name string `json:"name,omitempty"`
}

// ImportCreateParams is a batch of contacts to import into a campaign.
// CampaignID and at least one contact are required.
type ImportCreateParams struct {
	// CampaignID is the campaign the contacts join.
	CampaignID partnerkit.ID
	// ListName names the list the contacts go to; empty lets Alohub name
	// it.
	ListName string
	// Contacts are the rows to import, each with a phone number. Rows
	// whose phone number is already in the campaign are skipped by Alohub
	// and counted as duplicates.
	Contacts []ImportContact
}

// importBody is the body of a bulk import.
type importBody struct {
	ListName string          `json:"listName,omitempty"`
	Contacts []ImportContact `json:"contacts"`
}

// maxReportedRows bounds how many bad rows one validation error lists.
const maxReportedRows = 10

func (p *ImportCreateParams) body() (*importBody, error) {
	var v validate.Errors
	if !v.NotNil("params", p != nil) {
		return nil, v.Err()
	}
	v.PathID("CampaignID", p.CampaignID)
	if v.Check(len(p.Contacts) > 0, "Contacts", "must hold at least one contact") {
		bad := 0
		for i, c := range p.Contacts {
			if validate.ValidPhone(c.PhoneNumber) {
				continue
			}
			if bad++; bad <= maxReportedRows {
				v.Phone(fmt.Sprintf("Contacts[%d].PhoneNumber", i), c.PhoneNumber)
			}
		}
		v.Check(bad <= maxReportedRows, "Contacts", fmt.Sprintf("has %d rows with a missing or malformed phone number (the first %d are listed)", bad, maxReportedRows))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return &importBody{ListName: p.ListName, Contacts: p.Contacts}, nil
}

// ImportReceipt is Alohub's answer to a bulk import: the job that imports
// the contacts in the background.
type ImportReceipt struct {
	// JobID identifies the job for Get and Wait.
	JobID partnerkit.ID `json:"job_id"`
	// TotalRows is how many rows Alohub received.
	TotalRows partnerkit.Int `json:"total_rows"`
	// Message is Alohub's message (the envelope's error_message), such as
	// "Bulk import started".
	Message string `json:"error_message"`
}

// UnmarshalJSON accepts job_id and total_rows, or jobId and totalRows.
func (r *ImportReceipt) UnmarshalJSON(data []byte) error {
	type plain ImportReceipt
	var wire struct {
		plain
		JobID     partnerkit.ID   `json:"jobId"`
		TotalRows *partnerkit.Int `json:"totalRows"`
	}
	if err := rawjson.Unmarshal(data, &wire); err != nil {
		return err
	}
	*r = ImportReceipt(wire.plain)
	r.JobID = first(r.JobID, wire.JobID)
	if r.TotalRows == 0 && wire.TotalRows != nil {
		r.TotalRows = *wire.TotalRows
	}
	return nil
}

// Create starts importing the contacts of params into campaign
// params.CampaignID and returns at once with the job; Wait follows it to the
// end. It is sent once: if the answer is lost, Create returns the error
// without sending the batch again (a refusal for a rate limit, which Alohub
// did not act on, is waited out and sent again). Sending the same batch
// again is harmless (Alohub skips phone numbers already in the campaign) but
// costs a second job.
func (s *ImportsService) Create(ctx context.Context, params *ImportCreateParams) (*ImportReceipt, error) {
	body, err := params.body()
	if err != nil {
		return nil, err
	}
	var env flatEnvelope[ImportReceipt]
	err = s.t.Do(ctx, &transport.Request{
		Method: http.MethodPost, Path: "/v1/campaigns/{id}/contacts/bulk", PathParams: []string{string(params.CampaignID)},
		Body: body, Safety: transport.NotIdempotent,
		Expect: func() string {
			if env.Data.JobID == "" {
				return "the bulk import answer has no job_id"
			}
			return ""
		},
	}, &env)
	if err != nil {
		return nil, err
	}
	receipt := env.Data
	if receipt.Message == "" {
		receipt.Message = env.ErrorMessage
	}
	return &receipt, nil
}

// Import job statuses, as ImportJob.Status reports them.
const (
	ImportPending    = "pending"
	ImportProcessing = "processing"
	ImportDone       = "done"
	ImportFailed     = "failed"
)

// ImportJob is the state of a bulk import job.
type ImportJob struct {
	// ID identifies the job (ImportReceipt.JobID).
	ID partnerkit.ID `json:"jobId"`
	// Status is ImportPending, ImportProcessing, ImportDone or
	// ImportFailed (another value is kept as sent).
	Status string `json:"status"`
	// TotalRows is how many rows the job holds.
	TotalRows partnerkit.Int `json:"totalRows"`
	// ProcessedRows is how many rows the job has handled so far.
	ProcessedRows partnerkit.Int `json:"processedRows"`
	// FailedRows counts the rows Alohub could not import.
	FailedRows partnerkit.Int `json:"failedRows"`
	// DuplicateRows counts rows skipped because their phone number was
	// already in the campaign or earlier in the batch.
	DuplicateRows partnerkit.Int `json:"duplicateRows"`
	// ErrorMessage says why the job or some of its rows failed; nil when
	// Alohub gives no reason (null or absent).
	ErrorMessage *string `json:"errorMessage"`

	Raw json.RawMessage `json:"-"`
}

// Finished reports whether the job has ended, done or failed.
func (j *ImportJob) Finished() bool {
	return j.Status == ImportDone || j.Status == ImportFailed
}

// known reports whether Alohub's documents name the job's status.
func (j *ImportJob) known() bool {
	return j.Finished() || j.Status == ImportPending || j.Status == ImportProcessing
}

// reason returns the job's error message, or "" without one.
func (j *ImportJob) reason() string {
	if j.ErrorMessage == nil {
		return ""
	}
	return *j.ErrorMessage
}

// Get returns the state of import job jobID of campaign campaignID.
// Alohub keeps jobs in memory: after a restart of its server, the job is
// gone and Get returns an error matching partnerkit.ErrNotFound.
func (s *ImportsService) Get(ctx context.Context, campaignID, jobID partnerkit.ID) (*ImportJob, error) {
	var v validate.Errors
	v.PathID("campaignID", campaignID)
	v.PathID("jobID", jobID)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var env flatEnvelope[ImportJob]
	err := s.t.Do(ctx, &transport.Request{
		Method: http.MethodGet, Path: "/v1/campaigns/{id}/contacts/import/{job_id}",
		PathParams: []string{string(campaignID), string(jobID)},
		Expect: func() string {
			if env.Data.Status == "" {
				return "the import status answer has no status"
			}
			return ""
		},
	}, &env)
	if err != nil {
		return nil, err
	}
	return &env.Data, nil
}

// DefaultPollInterval is the mean pause between two polls of an import job.
// Each pause is drawn between 0.8 and 1.2 times the interval (2 to 3
// seconds by default), as Alohub asks, so that many waiting clients do not
// poll in step.
const DefaultPollInterval = 2500 * time.Millisecond

// MaxUnknownPolls is how many polls in a row Wait accepts a job in a status
// that Alohub's documents do not name (such as "partial") while nothing of
// the job changes, before it gives up with ErrImportStatusUnknown: about
// ten seconds at the default interval. A job in such a status whose counts
// still move is followed on.
const MaxUnknownPolls = 5

// Errors of Wait, matched with errors.Is; each comes in an *ImportError.
var (
	// ErrImportRowsFailed reports a job that ended done, but with rows
	// Alohub could not import (ImportJob.FailedRows > 0). The other rows
	// are imported. ImportError.Job holds the counts and, when Alohub gave
	// one, the reason (ErrorMessage).
	ErrImportRowsFailed = errors.New("alohub: import job done with failed rows")
	// ErrImportFailed reports a job that ended with status failed.
	// ImportError.Job.ErrorMessage says why.
	ErrImportFailed = errors.New("alohub: import job failed")
	// ErrImportLost reports a job that Alohub answered for and then no
	// longer knows (404): its server restarted and lost the job, which
	// lives only in memory. Rows processed before the restart are kept;
	// importing the same batch again is safe, since Alohub skips phone
	// numbers already in the campaign. The error also matches
	// partnerkit.ErrNotFound.
	ErrImportLost = errors.New("alohub: import job lost by the server")
	// ErrImportStatusUnknown reports a job that stayed MaxUnknownPolls
	// polls in a status Alohub's documents do not name, without change:
	// Wait cannot tell whether it will ever end. The error also matches
	// partnerkit.ErrUnexpected.
	ErrImportStatusUnknown = errors.New("alohub: import job in a status Alohub does not document")
)

// ImportError is the error Wait returns for a job that did not import every
// row: it matches ErrImportRowsFailed, ErrImportFailed, ErrImportLost or
// ErrImportStatusUnknown with errors.Is and, for a lost job, unwraps to the
// 404 *partnerkit.Error. Its text gives the counts and Alohub's reason.
type ImportError struct {
	// CampaignID and JobID identify the job.
	CampaignID partnerkit.ID
	JobID      partnerkit.ID
	// Job is the last state Alohub reported.
	Job *ImportJob

	kind  error
	cause error
}

// Error describes the failure: the job, the failed rows, Alohub's reason
// and the last state seen.
func (e *ImportError) Error() string {
	msg := fmt.Sprintf("%v: campaign %s, job %s", e.kind, e.CampaignID, e.JobID)
	if e.Job == nil {
		return msg
	}
	switch e.kind {
	case ErrImportRowsFailed:
		msg += fmt.Sprintf(": %d of %d rows failed", e.Job.FailedRows, e.Job.TotalRows)
	case ErrImportStatusUnknown:
		msg += fmt.Sprintf(": status %q unchanged after %d polls", e.Job.Status, MaxUnknownPolls)
	}
	if r := e.Job.reason(); r != "" && e.kind != ErrImportLost {
		msg += ": " + r
	}
	return msg + fmt.Sprintf(" (last seen %s: %d of %d rows processed, %d failed, %d duplicates)",
		e.Job.Status, e.Job.ProcessedRows, e.Job.TotalRows, e.Job.FailedRows, e.Job.DuplicateRows)
}

// Is reports whether target is the error's kind, or partnerkit.ErrUnexpected
// for a status Alohub does not document.
func (e *ImportError) Is(target error) bool {
	return target == e.kind || (e.kind == ErrImportStatusUnknown && target == partnerkit.ErrUnexpected)
}

// Unwrap returns the answer that revealed a lost job, nil otherwise.
func (e *ImportError) Unwrap() error {
	return e.cause
}

// ImportWaitParams tune Wait. Nil, like the zero value, polls every 2 to 3
// seconds without reporting progress.
type ImportWaitParams struct {
	// Interval is the mean pause between polls; each pause is drawn
	// between 0.8 and 1.2 times it. Zero means DefaultPollInterval.
	Interval time.Duration
	// OnProgress, when set, is called with the job after every poll, in
	// the caller's goroutine.
	OnProgress func(*ImportJob)
}

// Wait polls import job jobID of campaign campaignID until it ends, or ctx
// ends, and returns its last state.
//
//   - A job done with every row imported or skipped as a duplicate returns
//     (job, nil).
//   - A job done with failed rows returns the job and an *ImportError
//     matching ErrImportRowsFailed: the other rows are imported, and the
//     error says how many rows failed and why, when Alohub said.
//   - A failed job returns the job and an *ImportError matching
//     ErrImportFailed.
//   - A job that answered at least one poll and then disappears (404:
//     Alohub's server restarted) returns the last state seen and an
//     *ImportError matching ErrImportLost; a 404 on the first poll is
//     returned as it came (partnerkit.ErrNotFound), since the IDs may
//     simply be wrong.
//   - A job that stays MaxUnknownPolls polls in a status Alohub does not
//     document, without change, returns the job and an *ImportError
//     matching ErrImportStatusUnknown.
//
// Any other error of a poll ends the wait with that error (the client has
// already retried what was safe to retry).
func (s *ImportsService) Wait(ctx context.Context, campaignID, jobID partnerkit.ID, params *ImportWaitParams) (*ImportJob, error) {
	var o ImportWaitParams
	if params != nil {
		o = *params
	}
	if o.Interval < 0 {
		return nil, &partnerkit.ValidationError{Field: "Interval", Rule: "must not be negative"}
	}
	if o.Interval == 0 {
		o.Interval = DefaultPollInterval
	}
	clk := s.t.Clock()
	var last *ImportJob
	unknown := 0
	for {
		job, err := s.Get(ctx, campaignID, jobID)
		if err != nil {
			if last != nil && errors.Is(err, partnerkit.ErrNotFound) {
				return last, &ImportError{CampaignID: campaignID, JobID: jobID, Job: last, kind: ErrImportLost, cause: err}
			}
			return last, err
		}
		if o.OnProgress != nil {
			o.OnProgress(job)
		}
		fail := func(kind error) (*ImportJob, error) {
			return job, &ImportError{CampaignID: campaignID, JobID: jobID, Job: job, kind: kind}
		}
		switch {
		case job.Status == ImportDone && job.FailedRows > 0:
			return fail(ErrImportRowsFailed)
		case job.Status == ImportDone:
			return job, nil
		case job.Status == ImportFailed:
			return fail(ErrImportFailed)
		case job.known():
			unknown = 0
		case last != nil && unchanged(last, job):
			if unknown++; unknown >= MaxUnknownPolls {
				return fail(ErrImportStatusUnknown)
			}
		default:
			unknown = 1
		}
		last = job
		pause := time.Duration(float64(o.Interval) * (0.8 + 0.4*s.t.Random()))
		if err := clk.Sleep(ctx, pause); err != nil {
			return last, err
		}
	}
}

// unchanged reports whether two states of a job say the same.
func unchanged(a, b *ImportJob) bool {
	return a.Status == b.Status && a.ProcessedRows == b.ProcessedRows && a.FailedRows == b.FailedRows &&
		a.DuplicateRows == b.DuplicateRows && a.TotalRows == b.TotalRows
}
