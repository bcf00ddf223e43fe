package alohub

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// ContactsService manages the contacts of a campaign: it lists them, adds
// one, deletes one, and imports many at once.
type ContactsService struct {
	t *transport.Client
}

// Contact processing statuses, as Contact.ProcessStatus reports them.
const (
	ProcessPending   = 0
	ProcessInCall    = 1
	ProcessProcessed = 2
)

// Contact is a phone number queued in a campaign.
type Contact struct {
	ContactID   partnerkit.ID `json:"contactId"`
	CustomerID  partnerkit.ID `json:"customerId"`
	PhoneNumber string        `json:"phoneNumber"`
	// Name is empty when Alohub has none (null).
	Name string `json:"name"`
	// ProcessStatus is ProcessPending, ProcessInCall or ProcessProcessed.
	// Only a pending contact can be deleted.
	ProcessStatus int `json:"processStatus"`
	// CallStatus is the outcome of the last call, empty before any (null).
	CallStatus partnerkit.ID `json:"callStatus"`

	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a contact and keeps the raw JSON in Raw.
func (c *Contact) UnmarshalJSON(data []byte) error {
	type plain Contact
	var wire struct {
		plain
		Name *string `json:"name"`
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	*c = Contact(wire.plain)
	if wire.Name != nil {
		c.Name = *wire.Name
	}
	c.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// ContactsParams select a page of a contact list.
type ContactsParams struct {
	// Page is the page number, from 0.
	Page int
	// Size is the page size; 0 leaves Alohub's default (20).
	Size int
}

// List returns one page of the contacts of list listID in campaign
// campaignID. p may be nil for the first page of the default size.
func (s *ContactsService) List(ctx context.Context, campaignID, listID partnerkit.ID, p *ContactsParams) (*Page[Contact], error) {
	var params ContactsParams
	if p != nil {
		params = *p
	}
	var v validate.Errors
	v.PathID("campaignID", campaignID)
	v.PathID("listID", listID)
	v.Check(params.Page >= 0, "Page", "must not be negative (pages start at 0)")
	v.Check(params.Size >= 0, "Size", "must not be negative")
	if err := v.Err(); err != nil {
		return nil, err
	}
	q := url.Values{"page": {strconv.Itoa(params.Page)}}
	if params.Size > 0 {
		q.Set("size", strconv.Itoa(params.Size))
	}
	var env envelope[[]Contact]
	path := campaignPath(campaignID, "/contact-lists/"+pathID(listID)+"/contacts")
	if err := get(ctx, s.t, path, "GET /v1/campaigns/{id}/contact-lists/{listId}/contacts", q, &env, env.broken); err != nil {
		return nil, err
	}
	return &Page[Contact]{Items: env.Data, Total: env.total(), Page: params.Page}, nil
}

// All iterates over every contact of list listID, from p.Page (or page 0)
// on, until totalRecord contacts have been read.
func (s *ContactsService) All(ctx context.Context, campaignID, listID partnerkit.ID, p *ContactsParams) iter.Seq2[Contact, error] {
	var params ContactsParams
	if p != nil {
		params = *p
	}
	return allPages(ctx, params.Page, func(ctx context.Context, page int) (*Page[Contact], error) {
		params.Page = page
		return s.List(ctx, campaignID, listID, &params)
	})
}

// NewContact is a contact to add to a campaign.
type NewContact struct {
	// PhoneNumber is required.
	PhoneNumber string `json:"phoneNumber"`
	// Name is the customer's name (optional).
	Name string `json:"name,omitempty"`
	// ListID is the list to add to. Empty: the campaign's first list, or a
	// new list named "Default List" when the campaign has none.
	ListID partnerkit.ID `json:"listId,omitempty"`
}

// MarshalJSON writes listId as a number when it is one, as Alohub's
// examples do.
func (c NewContact) MarshalJSON() ([]byte, error) {
	type plain NewContact
	var listID any
	if n, ok := c.ListID.Int64(); ok {
		listID = n
	} else if c.ListID != "" {
		listID = string(c.ListID)
	}
	return json.Marshal(struct {
		plain
		ListID any `json:"listId,omitempty"`
	}{plain(c), listID})
}

// Added is Alohub's answer to an added contact.
type Added struct {
	// Message is Alohub's message, such as "Contact added to list 501".
	Message string
	// ListID is the list the contact went to, read from Message; empty
	// when the message does not name it.
	ListID partnerkit.ID
}

// Add adds one contact to campaign campaignID. It is sent once: if the
// answer is lost, Add returns the error without sending the contact again.
func (s *ContactsService) Add(ctx context.Context, campaignID partnerkit.ID, c *NewContact) (*Added, error) {
	var v validate.Errors
	v.PathID("campaignID", campaignID)
	if v.NotNil("contact", c != nil) {
		v.Phone("PhoneNumber", c.PhoneNumber)
		if c.ListID != "" {
			v.PathID("ListID", c.ListID)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var env envelope[json.RawMessage]
	err := s.t.Do(ctx, &transport.Request{
		Method: http.MethodPost, Path: campaignPath(campaignID, "/contacts"), Route: "POST /v1/campaigns/{id}/contacts",
		Body: c, Safety: transport.NotIdempotent, Expect: env.broken,
	}, &env)
	if err != nil {
		return nil, err
	}
	out := &Added{Message: env.ErrorMessage}
	if i := strings.LastIndexByte(env.ErrorMessage, ' '); i >= 0 {
		if n, err := strconv.ParseInt(env.ErrorMessage[i+1:], 10, 64); err == nil && n > 0 {
			out.ListID = partnerkit.ID(strconv.FormatInt(n, 10))
		}
	}
	return out, nil
}

// Delete removes contact contactID from campaign campaignID. Only a pending
// contact (ProcessPending) can be deleted; for another, Alohub answers 400
// with Code CodeInvalidState (partnerkit.ErrInvalidRequest).
func (s *ContactsService) Delete(ctx context.Context, campaignID, contactID partnerkit.ID) error {
	var v validate.Errors
	v.PathID("campaignID", campaignID)
	v.PathID("contactID", contactID)
	if err := v.Err(); err != nil {
		return err
	}
	var env envelope[json.RawMessage]
	return s.t.Do(ctx, &transport.Request{
		Method: http.MethodDelete, Path: campaignPath(campaignID, "/contacts/"+pathID(contactID)),
		Route: "DELETE /v1/campaigns/{id}/contacts/{contactId}", Expect: env.broken,
	}, &env)
}

// ImportContact is one row of a bulk import.
type ImportContact struct {
	// PhoneNumber is required.
	PhoneNumber string `json:"phoneNumber"`
	// Name is the customer's name (optional).
	Name string `json:"name,omitempty"`
}

// BulkImport is a batch of contacts to import into a campaign.
type BulkImport struct {
	// ListName names the list the contacts go to; empty lets Alohub name
	// it.
	ListName string `json:"listName,omitempty"`
	// Contacts are the rows to import: at least one, each with a phone
	// number. Rows whose phone number is already in the campaign are
	// skipped by Alohub and counted as duplicates.
	Contacts []ImportContact `json:"contacts"`
}

// maxReportedRows bounds how many bad rows one validation error lists.
const maxReportedRows = 10

func (b *BulkImport) check(v *validate.Errors) {
	if !v.NotNil("import", b != nil) {
		return
	}
	if !v.Check(len(b.Contacts) > 0, "Contacts", "must hold at least one contact") {
		return
	}
	bad := 0
	for i, c := range b.Contacts {
		if validate.ValidPhone(c.PhoneNumber) {
			continue
		}
		if bad++; bad <= maxReportedRows {
			v.Phone(fmt.Sprintf("Contacts[%d].PhoneNumber", i), c.PhoneNumber)
		}
	}
	v.Check(bad <= maxReportedRows, "Contacts", fmt.Sprintf("has %d rows with a missing or malformed phone number (the first %d are listed)", bad, maxReportedRows))
}

// ImportStarted is Alohub's answer to a bulk import: the job that imports
// the contacts in the background.
type ImportStarted struct {
	// JobID identifies the job for ImportStatus and WaitImport.
	JobID partnerkit.ID `json:"job_id"`
	// TotalRows is how many rows Alohub received.
	TotalRows int `json:"total_rows"`
	// Message is Alohub's message, such as "Bulk import started".
	Message string `json:"-"`
}

// UnmarshalJSON accepts job_id and total_rows, or jobId and totalRows.
func (s *ImportStarted) UnmarshalJSON(data []byte) error {
	type plain ImportStarted
	var wire struct {
		plain
		JobID     partnerkit.ID `json:"jobId"`
		TotalRows *int          `json:"totalRows"`
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	*s = ImportStarted(wire.plain)
	s.JobID = first(s.JobID, wire.JobID)
	if s.TotalRows == 0 && wire.TotalRows != nil {
		s.TotalRows = *wire.TotalRows
	}
	return nil
}

// Import starts importing b's contacts into campaign campaignID and returns
// at once with the job; WaitImport follows it to the end. It is sent once:
// if the answer is lost, Import returns the error without sending the batch
// again. Sending the same batch again is harmless (Alohub skips phone
// numbers already in the campaign) but costs a second job.
func (s *ContactsService) Import(ctx context.Context, campaignID partnerkit.ID, b *BulkImport) (*ImportStarted, error) {
	var v validate.Errors
	v.PathID("campaignID", campaignID)
	b.check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var env flatEnvelope[ImportStarted]
	err := s.t.Do(ctx, &transport.Request{
		Method: http.MethodPost, Path: campaignPath(campaignID, "/contacts/bulk"), Route: "POST /v1/campaigns/{id}/contacts/bulk",
		Body: b, Safety: transport.NotIdempotent,
	}, &env)
	if err != nil {
		return nil, err
	}
	started := env.Data
	started.Message = env.ErrorMessage
	if started.JobID == "" {
		return nil, &partnerkit.Error{Provider: "alohub", Method: http.MethodPost, Path: campaignPath(campaignID, "/contacts/bulk"),
			Kind: partnerkit.ErrUnexpected, Message: "the bulk import answer has no job_id"}
	}
	return &started, nil
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
	JobID partnerkit.ID `json:"jobId"`
	// Status is ImportPending, ImportProcessing, ImportDone or
	// ImportFailed (other values are kept as sent).
	Status        string `json:"status"`
	TotalRows     int    `json:"totalRows"`
	ProcessedRows int    `json:"processedRows"`
	FailedRows    int    `json:"failedRows"`
	// DuplicateRows counts rows skipped because their phone number was
	// already in the campaign or earlier in the batch.
	DuplicateRows int `json:"duplicateRows"`
	// ErrorMessage says why a failed job failed (empty otherwise).
	ErrorMessage string `json:"errorMessage"`

	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a job and keeps the raw JSON in Raw.
func (j *ImportJob) UnmarshalJSON(data []byte) error {
	type plain ImportJob
	var wire struct {
		plain
		ErrorMessage *string `json:"errorMessage"`
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	*j = ImportJob(wire.plain)
	if wire.ErrorMessage != nil {
		j.ErrorMessage = *wire.ErrorMessage
	}
	j.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// Finished reports whether the job has ended, done or failed.
func (j *ImportJob) Finished() bool {
	return j.Status == ImportDone || j.Status == ImportFailed
}

// ImportStatus returns the state of import job jobID of campaign
// campaignID. Alohub keeps jobs in memory: after a restart of its server,
// the job is gone and ImportStatus returns an error matching
// partnerkit.ErrNotFound.
func (s *ContactsService) ImportStatus(ctx context.Context, campaignID, jobID partnerkit.ID) (*ImportJob, error) {
	var v validate.Errors
	v.PathID("campaignID", campaignID)
	v.PathID("jobID", jobID)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var env flatEnvelope[ImportJob]
	path := campaignPath(campaignID, "/contacts/import/"+pathID(jobID))
	if err := get(ctx, s.t, path, "GET /v1/campaigns/{id}/contacts/import/{job_id}", nil, &env, nil); err != nil {
		return nil, err
	}
	if env.Data.Status == "" {
		return nil, &partnerkit.Error{Provider: "alohub", Method: http.MethodGet, Path: path,
			Kind: partnerkit.ErrUnexpected, Message: "the import status answer has no status"}
	}
	return &env.Data, nil
}
