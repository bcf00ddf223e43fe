// Package etelecomtest is an in-memory fake of eTelecom for tests and
// examples: the partner RPC API (shop connection, cloud PBX, Zalo ZNS) and
// the SMS brandname API, behaving as eTelecom's documents describe.
//
// Serve it on loopback and point a client at it:
//
//	fake := etelecomtest.New()
//	srv := httptest.NewServer(fake)
//	defer srv.Close()
//	c, err := etelecom.New(etelecomtest.APIKey, partnerkit.WithBaseURL(srv.URL+etelecomtest.BasePath))
//	sms, err := etelecom.NewSMS(etelecomtest.SMSUsername, etelecomtest.SMSPassword, partnerkit.WithBaseURL(srv.URL))
//
// What it does:
//   - RPC calls are POST BasePath + "." + Service + "/" + Method with a JSON
//     body and Authorization: Bearer <key>. A missing Content-Type answers
//     404 bad_route, an unknown key 401 unauthenticated, an unknown method
//     404 bad_route; errors are Twirp bodies {code, msg, meta}.
//   - Shop/AuthorizeShop with email, phone, name and redirect_url answers a
//     shop_request whose auth_url is LoginPath on this server. Opening it
//     (a GET, as the merchant's browser would) logs the merchant in, creates
//     the shop and redirects to redirect_url?token=…&shop_id=…. The same
//     method with shop_id then answers the shop_key; after Unlink it answers
//     a shop_request again (the relink case). An unknown shop_id is 403
//     permission_denied.
//   - A new shop has three call logs (newest first) and one Zalo OA; the
//     PBX stores tenants, hotlines and extensions; SendZNS requires the OA to
//     be the shop's and TemplateID; sent messages are recorded (ZNSSent).
//   - SMS: SMSSendPath and SMSStatusPath with SMSUsername and SMSPassword in
//     the body; failures are HTTP 200 with a negative status (-1 phone, -2
//     parameter, -3 no balance, -6 template, -8 route). Wrong credentials
//     are 401 "Can't access from this IP".
//
// Knobs: FailNext, Unlink, ConnectShop, SeedCallLogs, SetSMSBalance,
// Advance. A Server is safe for concurrent use.
package etelecomtest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Credentials and fixed values of the fake.
const (
	// APIKey is the partner's API key the fake accepts.
	APIKey = "etelecom-test-partner-key-0001"
	// BasePath is the API path; the base URL is the server's URL + BasePath.
	BasePath = "/v1/partner"
	// LoginPath is the login page auth_url points to.
	LoginPath = "/partner-auth/login"
	// SMSUsername and SMSPassword are the SMS brandname credentials.
	SMSUsername = "etelecom-test-sms-user"
	SMSPassword = "etelecom-test-sms-password"
	// SMSTemplate is the SMS template code the fake knows.
	SMSTemplate = "PARTNERKIT_TEST"
	// TemplateID is the ZNS template the fake knows.
	TemplateID = 100001
	// RequestLifetime is how long a login request stays valid.
	RequestLifetime = 900 * time.Second
	// PartnerID is the partner's account ID.
	PartnerID = "1000001"
)

// SMS API paths.
const (
	SMSSendPath   = "/api/OmniMessage/SendMessage"
	SMSStatusPath = "/api/OmniReport/GetStatusOmni"
)

// Option configures a Server.
type Option func(*Server)

// WithNow makes the server tell time with now instead of the system clock.
func WithNow(now func() time.Time) Option {
	return func(s *Server) { s.now = now }
}

// WithSMSBalance sets how many SMS messages the account can send before
// answering -3 (default 1000).
func WithSMSBalance(n int) Option {
	return func(s *Server) { s.smsBalance = n }
}

// Server is the fake. It implements http.Handler.
type Server struct {
	mu         sync.Mutex
	now        func() time.Time
	offset     time.Duration
	nextID     int64
	shops      map[string]*shop // by ID
	byEmail    map[string]*shop
	requests   map[string]*loginRequest
	tenants    []*tenant
	hotlines   []*hotline
	extensions []*extension
	znsSent    []ZNSRecord
	sms        map[string]*smsRecord
	smsOrder   []string
	smsBalance int
	failures   []failure
}

type failure struct {
	status int
	code   string
}

type shop struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Phone    string `json:"phone"`
	ImageURL string `json:"image_url"`
	Website  string `json:"website"`
	Type     string `json:"type"`

	key      string
	linked   bool
	callLogs []*callLog
	oas      []*oa
}

type loginRequest struct {
	token       string
	email       string
	phone       string
	name        string
	redirectURL string
	shopID      string // set for a relink
	expires     time.Time
}

type tenant struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	Domain           string `json:"domain"`
	OwnerID          string `json:"owner_id"`
	ConnectionID     string `json:"connection_id"`
	ConnectionMethod string `json:"connection_method"`
	Status           string `json:"status"`
	CreatedAt        string `json:"created_at"`
	UpdatedAt        string `json:"updated_at"`
}

type hotline struct {
	ID               string `json:"id"`
	Hotline          string `json:"hotline"`
	Name             string `json:"name"`
	Description      string `json:"description"`
	Network          string `json:"network"`
	IsFreeCharge     bool   `json:"is_free_charge"`
	OwnerID          string `json:"owner_id"`
	TenantID         string `json:"tenant_id,omitempty"`
	Status           string `json:"status"`
	ConnectionID     string `json:"connection_id"`
	ConnectionMethod string `json:"connection_method"`
	CreatedAt        string `json:"created_at"`
	UpdatedAt        string `json:"updated_at"`
}

type extension struct {
	ID                string `json:"id"`
	ExtensionNumber   int    `json:"extension_number"`
	ExtensionPassword string `json:"extension_password"`
	HotlineID         string `json:"hotline_id"`
	TenantID          string `json:"tenant_id"`
	TenantDomain      string `json:"tenant_domain"`
	UserID            string `json:"user_id,omitempty"`
	AccountID         string `json:"account_id"`
	State             string `json:"state"`
	CreatedAt         string `json:"created_at"`
	UpdatedAt         string `json:"updated_at"`
}

type callLog struct {
	ID            string   `json:"id"`
	Caller        string   `json:"caller"`
	Callee        string   `json:"callee"`
	Direction     string   `json:"direction"`
	CallState     string   `json:"call_state"`
	CallStatus    string   `json:"call_status"`
	Duration      int      `json:"duration"`
	StartedAt     string   `json:"started_at"`
	EndedAt       string   `json:"ended_at"`
	RecordingURLs []string `json:"recording_urls"`
	ExtensionID   string   `json:"extension_id,omitempty"`
	HotlineID     string   `json:"hotline_id,omitempty"`
	UserID        string   `json:"user_id,omitempty"`
	CreatedAt     string   `json:"created_at"`

	started time.Time
}

type oa struct {
	ID             string `json:"id"`
	OAID           string `json:"oa_id"`
	AppID          string `json:"app_id"`
	Name           string `json:"name"`
	IsVerified     bool   `json:"is_verified"`
	DailyQuota     int    `json:"daily_quota"`
	RemainingQuota int    `json:"remaining_quota"`
	WebhookURL     string `json:"webhook_url"`
	Status         string `json:"status"`
	CreatedAt      string `json:"created_at"`
}

// ZNSRecord is a Zalo notification the fake accepted.
type ZNSRecord struct {
	ShopID       string
	OAID         string
	Phone        string
	TemplateID   int64
	TemplateData map[string]any
	TrackingID   string
	MessageID    string
}

type smsRecord struct {
	SMSRecord
	created time.Time
}

// SMSRecord is an SMS brandname message the fake accepted.
type SMSRecord struct {
	ID           string
	Phone        string
	RouteRule    string
	TemplateCode string
	Params       map[string]string
}

// New returns an empty fake: the partner APIKey is valid, no shop exists.
func New(opts ...Option) *Server {
	s := &Server{
		now:        time.Now,
		nextID:     1052570182707778000,
		shops:      map[string]*shop{},
		byEmail:    map[string]*shop{},
		requests:   map[string]*loginRequest{},
		sms:        map[string]*smsRecord{},
		smsBalance: 1000,
	}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// FailNext makes the next n RPC or SMS calls answer status with a Twirp
// error body of code (such as 503 and "unavailable").
func (s *Server) FailNext(n, status int, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures = append(s.failures, failure{status: status, code: code})
	}
}

// Advance moves the fake's clock forward by d (login requests expire after
// RequestLifetime).
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offset += d
}

// SetSMSBalance sets how many more SMS messages may be sent before -3.
func (s *Server) SetSMSBalance(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.smsBalance = n
}

// ConnectShop creates a shop linked to the partner, as if its merchant had
// logged in, and returns its ID and key.
func (s *Server) ConnectShop(email, phone, name string) (shopID, shopKey string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sh := s.login(&loginRequest{email: email, phone: phone, name: name})
	return sh.ID, sh.key
}

// Unlink makes a shop unlink the partner: its key stops working and
// AuthorizeShop with its ID answers a login request again. It reports
// whether the shop exists.
func (s *Server) Unlink(shopID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	sh, ok := s.shops[shopID]
	if ok {
		sh.linked = false
	}
	return ok
}

// SeedCallLogs adds n answered inbound calls to a shop's history, one a
// minute before the oldest. It reports whether the shop exists.
func (s *Server) SeedCallLogs(shopID string, n int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	sh, ok := s.shops[shopID]
	if ok {
		s.seedCallLogs(sh, n)
	}
	return ok
}

// ZNSSent returns the Zalo notifications accepted so far, oldest first.
func (s *Server) ZNSSent() []ZNSRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ZNSRecord(nil), s.znsSent...)
}

// SMSSent returns the SMS messages accepted so far, oldest first.
func (s *Server) SMSSent() []SMSRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SMSRecord, 0, len(s.smsOrder))
	for _, id := range s.smsOrder {
		out = append(out, s.sms[id].SMSRecord)
	}
	return out
}

func (s *Server) clock() time.Time {
	return s.now().Add(s.offset).UTC()
}

func (s *Server) stamp() string {
	return s.clock().Format(time.RFC3339)
}

func (s *Server) id() string {
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

func randomText(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ServeHTTP routes RPC calls, the login page and the SMS API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == LoginPath:
		s.serveLogin(w, r)
	case r.URL.Path == SMSSendPath || r.URL.Path == SMSStatusPath:
		s.serveSMS(w, r)
	case strings.HasPrefix(r.URL.Path, BasePath+"."):
		s.serveRPC(w, r)
	default:
		twirp(w, http.StatusNotFound, "bad_route", "no handler for path "+r.URL.Path, nil)
	}
}

// rpcError is a Twirp error answer.
type rpcError struct {
	status int
	code   string
	msg    string
	meta   map[string]string
}

func (e *rpcError) Error() string { return e.code + ": " + e.msg }

func invalid(arg, msg string) *rpcError {
	return &rpcError{status: http.StatusBadRequest, code: "invalid_argument", msg: msg, meta: map[string]string{"argument": arg}}
}

func notFound(msg string) *rpcError {
	return &rpcError{status: http.StatusNotFound, code: "not_found", msg: msg}
}

func twirp(w http.ResponseWriter, status int, code, msg string, meta map[string]string) {
	body := map[string]any{"code": code, "msg": msg}
	if len(meta) > 0 {
		body["meta"] = meta
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// caller is who a key belongs to: the partner (shop nil) or a shop.
type caller struct {
	shop *shop
}

func (s *Server) serveRPC(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		twirp(w, http.StatusNotFound, "bad_route", "unsupported method "+r.Method+" (only POST is allowed)", nil)
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		twirp(w, http.StatusNotFound, "bad_route", fmt.Sprintf("unexpected Content-Type: %q", ct), nil)
		return
	}
	route := strings.TrimPrefix(r.URL.Path, BasePath+".")
	service, method, ok := strings.Cut(route, "/")
	if !ok || service == "" || method == "" {
		twirp(w, http.StatusNotFound, "bad_route", "no handler for path "+r.URL.Path, nil)
		return
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		twirp(w, http.StatusBadRequest, "malformed", "cannot read the body", nil)
		return
	}
	var in map[string]any
	if err := json.Unmarshal(raw, &in); err != nil {
		twirp(w, http.StatusBadRequest, "malformed", "the body must be a JSON object", nil)
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.failures) > 0 {
		f := s.failures[0]
		s.failures = s.failures[1:]
		twirp(w, f.status, f.code, "failure injected by the fake", nil)
		return
	}
	who, ok := s.authenticate(r)
	if !ok {
		twirp(w, http.StatusUnauthorized, "unauthenticated", "invalid or missing api key", nil)
		return
	}
	handler, ok := rpcHandlers[service+"/"+method]
	if !ok {
		twirp(w, http.StatusNotFound, "bad_route", "no handler for "+service+"/"+method, nil)
		return
	}
	out, rerr := handler(s, r, who, args(in))
	if rerr != nil {
		twirp(w, rerr.status, rerr.code, rerr.msg, rerr.meta)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) authenticate(r *http.Request) (caller, bool) {
	key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || key == "" {
		return caller{}, false
	}
	if key == APIKey {
		return caller{}, true
	}
	for _, sh := range s.shops {
		if sh.linked && sh.key == key {
			return caller{shop: sh}, true
		}
	}
	return caller{}, false
}

// args reads request fields tolerantly.
type args map[string]any

func (a args) str(name string) string {
	switch v := a[name].(type) {
	case string:
		return strings.TrimSpace(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

func (a args) num(name string) (int64, bool) {
	switch v := a[name].(type) {
	case float64:
		return int64(v), v == float64(int64(v))
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		return n, err == nil
	}
	return 0, false
}

func (a args) obj(name string) args {
	m, _ := a[name].(map[string]any)
	return m
}

func (a args) strs(name string) []string {
	list, _ := a[name].([]any)
	out := make([]string, 0, len(list))
	for _, v := range list {
		out = append(out, args{"v": v}.str("v"))
	}
	return out
}

func (a args) require(names ...string) *rpcError {
	for _, n := range names {
		if a.str(n) == "" {
			return invalid(n, n+" is required")
		}
	}
	return nil
}

type rpcHandler func(s *Server, r *http.Request, who caller, in args) (any, *rpcError)

var rpcHandlers map[string]rpcHandler

func init() {
	rpcHandlers = map[string]rpcHandler{
		"Shop/AuthorizeShop":             (*Server).authorizeShop,
		"Shop/CurrentShop":               (*Server).currentShop,
		"Misc/CurrentAccount":            (*Server).currentAccount,
		"Etelecom/GetPartnerTenantList":  (*Server).tenantList,
		"Etelecom/CreateTenant":          (*Server).createTenant,
		"Etelecom/GetTenant":             (*Server).getTenant,
		"Etelecom/PartnerAddHotline":     (*Server).addHotline,
		"Etelecom/GetPartnerHotlineList": (*Server).hotlineList,
		"Etelecom/PartnerActivateTenant": (*Server).activateTenant,
		"Etelecom/CreateExtension":       (*Server).createExtension,
		"Etelecom/GetExtensions":         (*Server).extensionList,
		"Etelecom/AssignUserToExtension": (*Server).assignUser,
		"Etelecom/RemoveUserOfExtension": (*Server).removeUser,
		"Etelecom/ListCallLogs":          (*Server).callLogList,
		"Zalo/SendZNS":                   (*Server).sendZNS,
		"Zalo/ListOA":                    (*Server).listOA,
		"Zalo/ConnectOA":                 (*Server).connectOA,
		"Zalo/UpdateShopOA":              (*Server).updateOA,
	}
}

func partnerOnly(who caller) *rpcError {
	if who.shop != nil {
		return &rpcError{status: http.StatusForbidden, code: "permission_denied", msg: "this method needs the partner's api key"}
	}
	return nil
}

func shopOnly(who caller) *rpcError {
	if who.shop == nil {
		return &rpcError{status: http.StatusForbidden, code: "permission_denied", msg: "this method needs a shop key"}
	}
	return nil
}
