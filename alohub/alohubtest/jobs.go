package alohubtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Import job statuses, as the client names them (alohub.ImportPending).
const (
	ImportPending    = "pending"
	ImportProcessing = "processing"
	ImportDone       = "done"
	ImportFailed     = "failed"
)

// job is a bulk import running in the background. It advances with the
// fake's time: it stays pending for the import delay, then handles rows at
// the import rate. A row fails when its phone number is missing or not
// Vietnamese, and is a duplicate when the number is already in the
// campaign (imported earlier, or earlier in the same batch). A job that
// ends done with failed rows says which in its errorMessage.
type job struct {
	id         int64
	campaignID string
	listID     string
	rows       []row
	created    time.Time
	rate       int
	delay      time.Duration
	failAt     int    // row at which the job fails; -1 for none
	failMsg    string // why it fails

	handled, failed, duplicates int
	badRows                     []int // numbers, from 1, of the rows that failed
	status                      string
	errorMessage                string
}

// maxNamedRows bounds how many failed rows a job's errorMessage names.
const maxNamedRows = 10

type row struct {
	PhoneNumber string `json:"phoneNumber"`
	Name        string `json:"name"`
}

// advanceJobs brings every running job up to now. s.mu is held.
func (s *Server) advanceJobs(now time.Time) {
	for _, j := range s.jobs {
		s.advance(j, now)
	}
}

func (s *Server) advance(j *job, now time.Time) {
	if j.status == ImportDone || j.status == ImportFailed {
		return
	}
	elapsed := now.Sub(j.created) - j.delay
	if elapsed < 0 {
		return
	}
	j.status = ImportProcessing
	target := min(len(j.rows), int(elapsed.Seconds()*float64(j.rate)))
	phones := map[string]bool{}
	for _, c := range s.contacts {
		if s.campaignOfList(c.ListID) == j.campaignID {
			phones[c.PhoneNumber] = true
		}
	}
	for ; j.handled < target; j.handled++ {
		if j.handled == j.failAt {
			j.status, j.errorMessage = ImportFailed, j.failMsg
			j.failed += len(j.rows) - j.handled
			j.handled = len(j.rows)
			return
		}
		r := j.rows[j.handled]
		phone, ok := phoneKey(r.PhoneNumber)
		switch {
		case !ok:
			j.failed++
			j.badRows = append(j.badRows, j.handled+1)
		case phones[phone]:
			j.duplicates++
		default:
			phones[phone] = true
			s.newContact(j.listID, phone, r.Name)
		}
	}
	if j.handled == len(j.rows) {
		j.status = ImportDone
		if j.failed > 0 {
			j.errorMessage = failedRowsMessage(j.badRows)
		}
	}
}

// failedRowsMessage says which rows failed and why, naming the first few.
func failedRowsMessage(rows []int) string {
	named := make([]string, 0, min(len(rows), maxNamedRows))
	for _, r := range rows[:min(len(rows), maxNamedRows)] {
		named = append(named, strconv.Itoa(r))
	}
	list := strings.Join(named, ", ")
	if len(rows) > maxNamedRows {
		list += ", ..."
	}
	if len(rows) == 1 {
		return "1 row has no valid Vietnamese phone number (row " + list + ")"
	}
	return fmt.Sprintf("%d rows have no valid Vietnamese phone number (rows %s)", len(rows), list)
}

func (s *Server) bulkImport(w http.ResponseWriter, r *http.Request) {
	c := s.campaign(r)
	if c == nil {
		writeFailure(w, http.StatusNotFound, "NOT_FOUND", "campaign not found")
		return
	}
	var in struct {
		ListName string `json:"listName"`
		Contacts []row  `json:"contacts"`
	}
	if json.NewDecoder(r.Body).Decode(&in) != nil {
		writeFailure(w, http.StatusBadRequest, "INVALID_INPUT", "the body must be a JSON object with a contacts array")
		return
	}
	withPhone := 0
	for _, row := range in.Contacts {
		if row.PhoneNumber != "" {
			withPhone++
		}
	}
	if withPhone == 0 {
		writeFailure(w, http.StatusBadRequest, "INVALID_INPUT", "contacts must hold at least one item with a phoneNumber")
		return
	}
	id := s.nextNumber("job")
	name := in.ListName
	if name == "" {
		name = "Import " + strconv.FormatInt(id, 10)
	}
	j := &job{
		id: id, campaignID: c.ID, listID: s.newList(c.ID, name).id, rows: in.Contacts,
		created: s.now(), rate: max(s.importRate, 1), delay: s.importDelay, failAt: -1, status: ImportPending,
	}
	if s.failJob != "" {
		j.failAt, j.failMsg = len(j.rows)/2, s.failJob
		s.failJob = ""
	}
	s.jobs[id] = j
	writeJSON(w, http.StatusOK, struct {
		envelope
		JobID     int64 `json:"job_id"`
		TotalRows int   `json:"total_rows"`
	}{envelope{Success: "1", ErrorCode: "SUCCESS", ErrorMessage: "Bulk import started"}, id, len(in.Contacts)})
}

// importStatus answers as Alohub documents it: the job's fields at the top
// level, without a success flag.
func (s *Server) importStatus(w http.ResponseWriter, r *http.Request) {
	c := s.campaign(r)
	id, _ := strconv.ParseInt(r.PathValue("job_id"), 10, 64)
	j := s.jobs[id]
	if c == nil || j == nil || j.campaignID != c.ID {
		writeFailure(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("import job %s not found", r.PathValue("job_id")))
		return
	}
	var msg *string
	if j.errorMessage != "" {
		msg = &j.errorMessage
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"jobId": j.id, "status": j.status, "totalRows": len(j.rows), "processedRows": j.handled,
		"failedRows": j.failed, "duplicateRows": j.duplicates, "errorMessage": msg,
	})
}
