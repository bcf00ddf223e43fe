// Package alohubtest is an in-memory fake of the Alohub partner API, for
// tests and examples that must run without an Alohub account.
//
// The fake behaves as Alohub's documents describe: the API key in X-Api-Key
// (or, raw, in Authorization), the optional X-Tenant-ID, the envelope
// {success, error_code, error_message, totalRecord, data}, the error codes,
// pages numbered from 0 (campaigns, contacts) or 1 (call logs), fixed
// rate-limit windows per tenant and per route with their headers and a
// Retry-After on 429, bulk imports that run in the background and are lost
// when the server restarts, and the rule that only pending contacts can be
// deleted.
//
//	fake := alohubtest.New()
//	fake.SetRateLimit("", 50, time.Second) // the tenant's window
//	srv := httptest.NewServer(fake)
//	defer srv.Close()
//	c, err := alohub.New(alohubtest.APIKey, partnerkit.WithBaseURL(srv.URL))
//
// Its test knobs are those of every partnerkit fake, with the semantics
// ARCHITECTURE.md states: WithClock, Advance, FailNext (queued, answered
// before any check), SetRateLimit (a limit or period of zero or less
// removes the window), Requests (panics on a route the fake does not
// serve) and RateLimited. Routes are the method and path template of
// Alohub's documents:
//
//	GET /v1/campaigns
//	GET /v1/campaigns/{id}/contact-lists
//	GET /v1/campaigns/{id}/contact-lists/{list_id}/contacts
//	POST /v1/campaigns/{id}/contacts
//	POST /v1/campaigns/{id}/contacts/bulk
//	GET /v1/campaigns/{id}/contacts/import/{job_id}
//	DELETE /v1/campaigns/{id}/contacts/{contact_id}
//	POST /v1/reports/call-logs
//
// Alohub's own knobs: FailNextCode (a failure envelope under HTTP 200),
// FailNextImport, WithImportRate, Restart and the seed helpers. Every ID
// the fake takes or gives is a number written as a string (CampaignID is
// "1042"), as partnerkit.ID holds it; the fake sends IDs as JSON numbers,
// as Alohub does.
//
// Time is the fake's own: pass WithClock to drive it from a test clock, or
// call Advance to move it forward. A Server is safe for concurrent use.
package alohubtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/partnerkit/partnerkit-go/internal/fakekit"
)

// Credentials and seed data of a new fake.
const (
	// APIKey is a key with the campaign and report scopes.
	APIKey = "sk_test_partnerkit_alohub_0001"
	// CampaignOnlyKey is a key with the campaign scope only: report calls
	// answer 403 INSUFFICIENT_SCOPE.
	CampaignOnlyKey = "sk_test_partnerkit_alohub_0002"
	// TenantID is the tenant both keys belong to. A request may carry it in
	// X-Tenant-ID; another value is refused with 401.
	TenantID = "20260310"
	// UserName owns the seeded campaigns (the userName of GET /v1/campaigns).
	UserName = "AloHub"
	// CampaignID is the seeded running campaign, with lists 501 and 502.
	CampaignID = "1042"
	// ListID is the seeded campaign's first list, which holds three
	// contacts: one pending, one in a call, one processed.
	ListID = "501"
	// PausedCampaignID is a seeded paused campaign without contacts.
	PausedCampaignID = "1043"
)

// Defaults of a new fake.
const (
	// WindowLength is the length of the rate-limit windows, as Alohub's
	// (alohub.WindowLength).
	WindowLength = 10 * time.Second
	// DefaultTenantLimit and DefaultRouteLimit are the requests allowed per
	// window for a tenant and for each route of a tenant.
	DefaultTenantLimit = 100
	DefaultRouteLimit  = 50
	// DefaultImportRate is how many rows per second an import job handles
	// once it has waited DefaultImportDelay in status pending.
	DefaultImportRate  = 2000
	DefaultImportDelay = 500 * time.Millisecond
)

// EachRoute, given to SetRateLimit, sets the window that every route has
// unless SetRateLimit gave the route one of its own.
const EachRoute = "*"

// The fake's rate-limit headers. Alohub's documents list four headers
// (limit and remaining, for tenant and route) without naming them; the fake
// uses the Kong plugin's naming.
const (
	HeaderTenantLimit     = "X-RateLimit-Limit-Tenant"
	HeaderTenantRemaining = "X-RateLimit-Remaining-Tenant"
	HeaderRouteLimit      = "X-RateLimit-Limit-Route"
	HeaderRouteRemaining  = "X-RateLimit-Remaining-Route"
)

// Contact processing statuses.
const (
	ProcessPending   = 0
	ProcessInCall    = 1
	ProcessProcessed = 2
)

// Campaign is a campaign of the fake.
type Campaign struct {
	// ID is a number written as a string.
	ID   string
	Name string
	// Type is such as "CAMPAIGN_CALL_AUTO".
	Type string
	// Status is 1 in process, 2 running, 3 paused or 4 stopped.
	Status int
	// Owner is the userName whose campaign list shows it.
	Owner string
}

// Contact is a contact of the fake.
type Contact struct {
	ID            string
	CustomerID    string
	ListID        string
	PhoneNumber   string
	Name          string
	ProcessStatus int
	// CallStatus is empty (null) until the contact was called.
	CallStatus string
}

// CallLog is a call of the fake's call report.
type CallLog struct {
	CallID       string
	CallerNumber string
	CalledNumber string
	CustomerName string
	// CallType is 0 inbound, 1 outbound.
	CallType   int
	CallStatus string
	Start, End time.Time
}

// Option configures a new Server.
type Option func(*Server)

// WithClock makes the fake tell time with now (a test clock). Advance still
// adds to it.
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.kit.SetClock(now) }
}

// WithImportRate sets how fast import jobs run: they stay pending for delay,
// then handle rowsPerSecond rows per second.
func WithImportRate(rowsPerSecond int, delay time.Duration) Option {
	return func(s *Server) { s.importRate, s.importDelay = rowsPerSecond, delay }
}

// Server is the fake, an http.Handler. Create it with New.
type Server struct {
	kit *fakekit.Kit
	mux *http.ServeMux

	mu          sync.Mutex
	importRate  int
	importDelay time.Duration
	failJob     string

	campaigns []*Campaign
	lists     map[string][]*contactList // by campaign
	contacts  []*Contact
	jobs      map[int64]*job
	logs      []CallLog
	nextID    map[string]int64
}

type contactList struct {
	id   string
	name string
}

// routes are the fake's routes and their handlers.
var routes = []struct {
	pattern string
	handle  func(*Server, http.ResponseWriter, *http.Request)
}{
	{"GET /v1/campaigns", (*Server).listCampaigns},
	{"GET /v1/campaigns/{id}/contact-lists", (*Server).listLists},
	{"GET /v1/campaigns/{id}/contact-lists/{list_id}/contacts", (*Server).listContacts},
	{"POST /v1/campaigns/{id}/contacts", (*Server).addContact},
	{"POST /v1/campaigns/{id}/contacts/bulk", (*Server).bulkImport},
	{"GET /v1/campaigns/{id}/contacts/import/{job_id}", (*Server).importStatus},
	{"DELETE /v1/campaigns/{id}/contacts/{contact_id}", (*Server).deleteContact},
	{"POST /v1/reports/call-logs", (*Server).callLogs},
}

// New returns a fake with the seeded campaigns, lists and call logs, and
// Alohub's windows: DefaultTenantLimit requests per WindowLength for the
// tenant, DefaultRouteLimit for each route.
func New(opts ...Option) *Server {
	names := make([]string, len(routes))
	for i, r := range routes {
		names[i] = r.pattern
	}
	s := &Server{
		kit:         fakekit.New("alohubtest", fakekit.FromFirst, names...),
		importRate:  DefaultImportRate,
		importDelay: DefaultImportDelay,
		lists:       map[string][]*contactList{},
		jobs:        map[int64]*job{},
		nextID:      map[string]int64{"contact": 88001, "customer": 55001, "list": 503, "job": 5},
	}
	s.kit.SetRateLimit("", DefaultTenantLimit, WindowLength)
	s.kit.SetEachRoute(DefaultRouteLimit, WindowLength)
	for _, opt := range opts {
		opt(s)
	}
	s.seed()
	s.mux = http.NewServeMux()
	for _, r := range routes {
		s.mux.HandleFunc(r.pattern, func(w http.ResponseWriter, req *http.Request) { r.handle(s, w, req) })
	}
	return s
}

func (s *Server) seed() {
	s.campaigns = []*Campaign{
		{ID: CampaignID, Name: "Chien dich thang 4", Type: "CAMPAIGN_CALL_AUTO", Status: 2, Owner: UserName},
		{ID: PausedCampaignID, Name: "Chien dich thang 3", Type: "CAMPAIGN_CALL_AUTO", Status: 3, Owner: UserName},
	}
	s.lists[CampaignID] = []*contactList{{id: ListID, name: "Danh sach thang 4"}, {id: "502", name: "Default List"}}
	for i, status := range []int{ProcessPending, ProcessInCall, ProcessProcessed} {
		c := s.newContact(ListID, fmt.Sprintf("09012345%02d", 67+i), []string{"Nguyen Van A", "Tran Thi B", ""}[i])
		c.ProcessStatus = status
		if status == ProcessProcessed {
			c.CallStatus = "ANSWERED"
		}
	}
	ict := time.FixedZone("ICT", 7*3600)
	s.logs = []CallLog{
		{CallID: "call-1", CallerNumber: "02873000000", CalledNumber: "0901234568", CustomerName: "Tran Thi B", CallType: 1,
			CallStatus: "ANSWERED", Start: time.Date(2026, 4, 14, 9, 0, 0, 0, ict), End: time.Date(2026, 4, 14, 9, 2, 5, 0, ict)},
		{CallID: "call-2", CallerNumber: "0901234569", CalledNumber: "02873000000", CallType: 0,
			CallStatus: "MISSED", Start: time.Date(2026, 4, 15, 14, 30, 0, 0, ict), End: time.Date(2026, 4, 15, 14, 30, 20, 0, ict)},
	}
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))
	_, route := s.mux.Handler(r)
	if f, failed := s.kit.Receive(route); failed {
		if f.Status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "1")
		}
		writeFailure(w, f.Status, f.Code, "failure injected by the fake")
		return
	}
	if err != nil {
		writeFailure(w, http.StatusBadRequest, "INVALID_INPUT", "cannot read the request body")
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceJobs(s.now())
	if route == "" {
		writeFailure(w, http.StatusNotFound, "NOT_FOUND", "no such endpoint")
		return
	}
	key := r.Header.Get("X-Api-Key")
	if key == "" {
		key = r.Header.Get("Authorization")
	}
	if key != APIKey && key != CampaignOnlyKey {
		writeFailure(w, http.StatusUnauthorized, "UNAUTHORIZED", "missing or invalid API key")
		return
	}
	if tenant := r.Header.Get("X-Tenant-ID"); tenant != "" && tenant != TenantID {
		writeFailure(w, http.StatusUnauthorized, "UNAUTHORIZED", "the tenant does not match the API key")
		return
	}
	if strings.Contains(route, "/reports/") && key != APIKey {
		writeFailure(w, http.StatusForbidden, "INSUFFICIENT_SCOPE", "the API key lacks the report scope")
		return
	}
	if !s.admit(w, route) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// admit charges the request to the tenant's window and the route's, which
// the first request after the previous window closed opens, and sets the
// rate-limit headers; when a window is spent it answers 429 and returns
// false.
func (s *Server) admit(w http.ResponseWriter, route string) bool {
	v := s.kit.Admit("", "", route)
	for _, q := range v.Quotas {
		limitH, remainH := HeaderRouteLimit, HeaderRouteRemaining
		if q.Route == "" {
			limitH, remainH = HeaderTenantLimit, HeaderTenantRemaining
		}
		w.Header().Set(limitH, strconv.Itoa(q.Limit))
		w.Header().Set(remainH, strconv.Itoa(q.Remaining))
	}
	if v.Admitted() {
		return true
	}
	w.Header().Set("Retry-After", strconv.Itoa(v.RetryAfter()))
	writeFailure(w, http.StatusTooManyRequests, "RATE_LIMIT_EXCEEDED", "rate limit exceeded, retry later")
	return false
}

func (s *Server) now() time.Time {
	return s.kit.Now()
}

// Advance moves the fake's time forward by d: windows reset and import jobs
// progress as if d had passed.
func (s *Server) Advance(d time.Duration) {
	s.kit.Advance(d)
}

// SetRateLimit sets a rate-limit window: limit requests per fixed window
// of length per, which the first request after the previous window opens,
// counted afresh. Route "" is the tenant's window, which counts every
// request; EachRoute is the window each route has by default
// (DefaultRouteLimit per WindowLength); a route template such as
// "POST /v1/campaigns/{id}/contacts" gives that route a window of its own.
// A limit or a period of zero or less removes the window (a route's: the
// route is then not limited, not even by EachRoute's). It panics on a
// route the fake does not serve.
func (s *Server) SetRateLimit(route string, limit int, per time.Duration) {
	if route == EachRoute {
		s.kit.SetEachRoute(limit, per)
		return
	}
	s.kit.SetRateLimit(route, limit, per)
}

// Requests returns how many requests the fake received on route, a
// template such as "GET /v1/campaigns/{id}/contact-lists" (see the package
// documentation), those refused and failed included, or every request for
// "", those to unknown paths too. It panics on a route the fake does not
// serve, naming those it serves.
func (s *Server) Requests(route string) int {
	return s.kit.Requests(route)
}

// RateLimited returns how many requests a spent window refused (FailNext's
// 429 are not counted).
func (s *Server) RateLimited() int {
	return s.kit.RateLimited()
}

// documentedCodes are the error codes Alohub's documents give each status.
var documentedCodes = map[int]string{
	http.StatusBadRequest:      "INVALID_INPUT",
	http.StatusUnauthorized:    "UNAUTHORIZED",
	http.StatusForbidden:       "INSUFFICIENT_SCOPE",
	http.StatusNotFound:        "NOT_FOUND",
	http.StatusTooManyRequests: "RATE_LIMIT_EXCEEDED",
}

// FailNext makes the next n requests fail with status and the error code
// Alohub documents for it (INVALID_INPUT, UNAUTHORIZED, INSUFFICIENT_SCOPE,
// NOT_FOUND, RATE_LIMIT_EXCEEDED; FAIL for any other), before any check
// (the key, the scope, the windows, the route). A 429 carries
// Retry-After: 1. A status below 400 answers the failure envelope
// {"success": "0", "error_code": "FAIL"} under that status, as Alohub
// sometimes answers. Failures queue, with FailNextCode's: a second call
// adds n more after those still pending.
func (s *Server) FailNext(n, status int) {
	code, ok := documentedCodes[status]
	if !ok {
		code = "FAIL"
	}
	s.kit.FailNext(n, fakekit.Failure{Status: status, Code: code})
}

// FailNextCode makes the next n requests answer HTTP 200 with a failure
// envelope {"success": "0", "error_code": code}, without a Retry-After
// header: Alohub's own answer under a success status (such as
// RATE_LIMIT_EXCEEDED, which a client must wait out like a 429). It fires
// and queues as FailNext does.
func (s *Server) FailNextCode(n int, code string) {
	s.kit.FailNext(n, fakekit.Failure{Status: http.StatusOK, Code: code})
}

// FailNextImport makes the next bulk import job fail halfway with message.
func (s *Server) FailNextImport(message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failJob = message
}

// Restart simulates a restart of Alohub's server: every import job is lost
// (polls answer 404) and the rows they had not handled yet are dropped.
// Contacts already imported stay. Rate-limit windows, kept by the gateway,
// are not reset.
func (s *Server) Restart() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceJobs(s.now())
	clear(s.jobs)
}

// AddCampaign adds a campaign, without lists, and returns its ID: c.ID, or
// a new one when c.ID is empty. A campaign with the ID of one the fake
// holds replaces it. It panics on an ID that is not a number.
func (s *Server) AddCampaign(c Campaign) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.ID == "" {
		c.ID = strconv.Itoa(2000 + len(s.campaigns))
	}
	s.kit.CheckID("AddCampaign", c.ID)
	s.campaigns = slices.DeleteFunc(s.campaigns, func(old *Campaign) bool { return old.ID == c.ID })
	s.campaigns = append(s.campaigns, &c)
	return c.ID
}

// AddList adds an empty contact list named name to campaign campaignID and
// returns its ID.
func (s *Server) AddList(campaignID, name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newList(campaignID, name).id
}

// AddContact adds a pending contact to list listID and returns its ID.
func (s *Server) AddContact(listID, phone, name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newContact(listID, phone, name).ID
}

// SetProcessStatus sets a contact's processing status (ProcessInCall makes
// it impossible to delete). It reports whether the contact exists.
func (s *Server) SetProcessStatus(contactID string, status int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.contacts {
		if c.ID == contactID {
			c.ProcessStatus = status
			return true
		}
	}
	return false
}

// AddCallLog adds a call to the call report.
func (s *Server) AddCallLog(l CallLog) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logs = append(s.logs, l)
}

// Contacts returns a copy of every contact of campaign campaignID, in the
// order they were added.
func (s *Server) Contacts(campaignID string) []Contact {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceJobs(s.now())
	var out []Contact
	for _, c := range s.contacts {
		if s.campaignOfList(c.ListID) == campaignID {
			out = append(out, *c)
		}
	}
	return out
}

func (s *Server) newList(campaignID, name string) *contactList {
	l := &contactList{id: s.next("list"), name: name}
	s.lists[campaignID] = append(s.lists[campaignID], l)
	return l
}

func (s *Server) newContact(listID, phone, name string) *Contact {
	c := &Contact{ID: s.next("contact"), CustomerID: s.next("customer"), ListID: listID, PhoneNumber: phone, Name: name}
	s.contacts = append(s.contacts, c)
	return c
}

// next returns a new ID of kind.
func (s *Server) next(kind string) string {
	return strconv.FormatInt(s.nextNumber(kind), 10)
}

func (s *Server) nextNumber(kind string) int64 {
	id := s.nextID[kind]
	s.nextID[kind]++
	return id
}

func (s *Server) campaignOfList(listID string) string {
	for id, lists := range s.lists {
		for _, l := range lists {
			if l.id == listID {
				return id
			}
		}
	}
	return ""
}

func (s *Server) campaign(r *http.Request) *Campaign {
	for _, c := range s.campaigns {
		if c.ID == r.PathValue("id") {
			return c
		}
	}
	return nil
}

// phoneKey returns the national form of a Vietnamese phone number
// (0 and nine digits) and whether phone is one. The fake accepts 0xxxxxxxxx,
// 84xxxxxxxxx and +84xxxxxxxxx, with spaces, dots and dashes.
func phoneKey(phone string) (string, bool) {
	digits := strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '-' {
			return -1
		}
		return r
	}, phone)
	digits = strings.TrimPrefix(digits, "+")
	if strings.HasPrefix(digits, "84") && len(digits) == 11 {
		digits = "0" + digits[2:]
	}
	if len(digits) != 10 || digits[0] != '0' {
		return "", false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	return digits, true
}

// envelope is Alohub's answer.
type envelope struct {
	Success      string `json:"success"`
	ErrorCode    string `json:"error_code"`
	ErrorMessage string `json:"error_message"`
	TotalRecord  *int   `json:"totalRecord,omitempty"`
	Data         any    `json:"data,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	fakekit.WriteJSON(w, status, v)
}

func writeFailure(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, envelope{Success: "0", ErrorCode: code, ErrorMessage: message})
}

func writeList(w http.ResponseWriter, total int, data any) {
	writeJSON(w, http.StatusOK, envelope{Success: "1", ErrorCode: "SUCCESS", ErrorMessage: "SUCCESS", TotalRecord: &total, Data: data})
}

// intParam reads a non-negative integer query parameter.
func intParam(r *http.Request, name string, def int) (int, bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 0
}

// pageOf returns the items of page page (from 0) of size size.
func pageOf[T any](items []T, page, size int) []T {
	start := min(page*size, len(items))
	return items[start:min(start+size, len(items))]
}

func (s *Server) listCampaigns(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	user := q.Get("userName")
	page, okPage := intParam(r, "page", 0)
	limit, okLimit := intParam(r, "limit", 20)
	status, okStatus := intParam(r, "status", 0)
	if user == "" || !okPage || !okLimit || !okStatus || limit == 0 {
		writeFailure(w, http.StatusBadRequest, "INVALID_INPUT", "userName is required; page, limit and status must be numbers")
		return
	}
	type item struct {
		CampaignID   json.Number `json:"campaignId"`
		CampaignName string      `json:"campaignName"`
		Type         string      `json:"type"`
		Status       int         `json:"status"`
	}
	var all []item
	for _, c := range s.campaigns {
		if c.Owner == user && (status == 0 || c.Status == status) && (q.Get("type") == "" || c.Type == q.Get("type")) {
			all = append(all, item{json.Number(c.ID), c.Name, c.Type, c.Status})
		}
	}
	writeList(w, len(all), append([]item{}, pageOf(all, page, limit)...))
}

func (s *Server) listLists(w http.ResponseWriter, r *http.Request) {
	c := s.campaign(r)
	if c == nil {
		writeFailure(w, http.StatusNotFound, "NOT_FOUND", "campaign not found")
		return
	}
	type item struct {
		ListID       json.Number `json:"listId"`
		ListName     string      `json:"listName"`
		ContactCount int         `json:"contactCount"`
	}
	out := []item{}
	for _, l := range s.lists[c.ID] {
		n := 0
		for _, ct := range s.contacts {
			if ct.ListID == l.id {
				n++
			}
		}
		out = append(out, item{json.Number(l.id), l.name, n})
	}
	writeList(w, len(out), out)
}

func (s *Server) listContacts(w http.ResponseWriter, r *http.Request) {
	c := s.campaign(r)
	listID := r.PathValue("list_id")
	if c == nil || !slices.ContainsFunc(s.lists[c.ID], func(l *contactList) bool { return l.id == listID }) {
		writeFailure(w, http.StatusNotFound, "NOT_FOUND", "campaign or list not found")
		return
	}
	page, okPage := intParam(r, "page", 0)
	size, okSize := intParam(r, "size", 20)
	if !okPage || !okSize || size == 0 {
		writeFailure(w, http.StatusBadRequest, "INVALID_INPUT", "page and size must be non-negative numbers")
		return
	}
	type item struct {
		ContactID     json.Number `json:"contactId"`
		CustomerID    json.Number `json:"customerId"`
		PhoneNumber   string      `json:"phoneNumber"`
		Name          *string     `json:"name"`
		ProcessStatus int         `json:"processStatus"`
		CallStatus    *string     `json:"callStatus"`
	}
	var all []item
	for _, ct := range s.contacts {
		if ct.ListID != listID {
			continue
		}
		it := item{ContactID: json.Number(ct.ID), CustomerID: json.Number(ct.CustomerID), PhoneNumber: ct.PhoneNumber, ProcessStatus: ct.ProcessStatus}
		if ct.Name != "" {
			it.Name = &ct.Name
		}
		if ct.CallStatus != "" {
			it.CallStatus = &ct.CallStatus
		}
		all = append(all, it)
	}
	writeList(w, len(all), append([]item{}, pageOf(all, page, size)...))
}

// flexID reads an ID sent as a JSON number or string.
type flexID string

// UnmarshalJSON accepts 501 or "501".
func (f *flexID) UnmarshalJSON(b []byte) error {
	var n int64
	if err := json.Unmarshal(bytes.Trim(b, `"`), &n); err != nil {
		return err
	}
	*f = flexID(strconv.FormatInt(n, 10))
	return nil
}

func (s *Server) addContact(w http.ResponseWriter, r *http.Request) {
	c := s.campaign(r)
	if c == nil {
		writeFailure(w, http.StatusNotFound, "NOT_FOUND", "campaign not found")
		return
	}
	var in struct {
		PhoneNumber string `json:"phoneNumber"`
		Name        string `json:"name"`
		ListID      flexID `json:"listId"`
	}
	if json.NewDecoder(r.Body).Decode(&in) != nil {
		writeFailure(w, http.StatusBadRequest, "INVALID_INPUT", "the body must be a JSON object")
		return
	}
	phone, ok := phoneKey(in.PhoneNumber)
	if !ok {
		writeFailure(w, http.StatusBadRequest, "INVALID_INPUT", "phoneNumber is required and must be a Vietnamese phone number")
		return
	}
	var list *contactList
	switch {
	case in.ListID != "":
		i := slices.IndexFunc(s.lists[c.ID], func(l *contactList) bool { return l.id == string(in.ListID) })
		if i < 0 {
			writeFailure(w, http.StatusNotFound, "NOT_FOUND", "list not found")
			return
		}
		list = s.lists[c.ID][i]
	case len(s.lists[c.ID]) > 0:
		list = s.lists[c.ID][0]
	default:
		list = s.newList(c.ID, "Default List")
	}
	s.newContact(list.id, phone, in.Name)
	writeJSON(w, http.StatusOK, envelope{Success: "1", ErrorCode: "SUCCESS", ErrorMessage: "Contact added to list " + list.id})
}

func (s *Server) deleteContact(w http.ResponseWriter, r *http.Request) {
	c := s.campaign(r)
	id := r.PathValue("contact_id")
	i := slices.IndexFunc(s.contacts, func(ct *Contact) bool { return ct.ID == id })
	if c == nil || i < 0 || s.campaignOfList(s.contacts[i].ListID) != c.ID {
		writeFailure(w, http.StatusNotFound, "NOT_FOUND", "contact not found")
		return
	}
	if s.contacts[i].ProcessStatus != ProcessPending {
		writeFailure(w, http.StatusBadRequest, "INVALID_STATE", "only a pending contact can be deleted")
		return
	}
	s.contacts = slices.Delete(s.contacts, i, i+1)
	writeJSON(w, http.StatusOK, envelope{Success: "1", ErrorCode: "SUCCESS", ErrorMessage: "Contact deleted successfully"})
}

func (s *Server) callLogs(w http.ResponseWriter, r *http.Request) {
	var in struct {
		PhoneNumber   string `json:"phoneNumber"`
		CallStartTime string `json:"callStartTime"`
		CallEndtime   string `json:"callEndtime"` // sic
		// Alohub ignores the correctly cased name; this field keeps
		// encoding/json's case-insensitive matching from reading it.
		Ignored  string `json:"callEndTime"`
		CallType *int   `json:"callType"`
		Page     int    `json:"page"`
		Limit    int    `json:"limit"`
	}
	if json.NewDecoder(r.Body).Decode(&in) != nil {
		writeFailure(w, http.StatusBadRequest, "INVALID_INPUT", "the body must be a JSON object")
		return
	}
	var from, to time.Time
	var err error
	if in.CallStartTime != "" {
		from, err = time.Parse(time.RFC3339, in.CallStartTime)
	}
	if err == nil && in.CallEndtime != "" {
		to, err = time.Parse(time.RFC3339, in.CallEndtime)
	}
	if err != nil || in.Page < 0 || in.Limit < 0 {
		writeFailure(w, http.StatusBadRequest, "INVALID_INPUT", "times must be ISO 8601 with an offset; page and limit must not be negative")
		return
	}
	page, limit := max(in.Page, 1), in.Limit
	if limit == 0 {
		limit = 50
	}
	limit = min(limit, 100)
	type item struct {
		CallID        string `json:"callId"`
		CallerNumber  string `json:"callerNumber"`
		CalledNumber  string `json:"calledNumber"`
		CustomerName  string `json:"customerName"`
		CallType      int    `json:"callType"`
		CallStatus    string `json:"callStatus"`
		CallStartTime string `json:"callStartTime"`
		CallEndtime   string `json:"callEndtime"`
		Duration      int    `json:"duration"`
	}
	var all []item
	for _, l := range s.logs {
		if (in.PhoneNumber != "" && l.CallerNumber != in.PhoneNumber && l.CalledNumber != in.PhoneNumber) ||
			(!from.IsZero() && l.Start.Before(from)) || (!to.IsZero() && l.Start.After(to)) ||
			(in.CallType != nil && l.CallType != *in.CallType) {
			continue
		}
		all = append(all, item{l.CallID, l.CallerNumber, l.CalledNumber, l.CustomerName, l.CallType, l.CallStatus,
			l.Start.Format(time.RFC3339), l.End.Format(time.RFC3339), int(l.End.Sub(l.Start) / time.Second)})
	}
	writeList(w, len(all), append([]item{}, pageOf(all, page-1, limit)...))
}
