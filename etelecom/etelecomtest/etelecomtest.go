// Package etelecomtest is an in-memory fake of eTelecom for tests and
// examples: the partner RPC API (shop connection and staff, cloud PBX, Zalo
// Cloud, webhooks and their deliveries) and the SMS brandname API, behaving as
// eTelecom's documents describe and answering as a Twirp v8 server writes.
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
//     body and Authorization: Bearer <key>. Errors are Twirp v8 bodies
//     {"code", "msg", "meta"} under Twirp v8's status for the code: another
//     method than POST, an unknown path and a missing Content-Type answer
//     404 bad_route, an unknown key 401 unauthenticated, a method given the
//     other key than its documented one 403 permission_denied. Answers
//     write every int64 as a JSON string, as protobuf's JSON does.
//   - Shop/AuthorizeShop with email, phone, name and redirect_url answers a
//     shop_request whose auth_url is LoginPath on this server. Opening it
//     (a GET, as the merchant's browser would) logs the merchant in,
//     creates the shop and redirects to redirect_url, its query kept, with
//     token and shop_id added. The same method with shop_id then answers the
//     shop_key; after Unlink it answers a shop_request again (the relink
//     case). An unknown shop_id is 403 permission_denied.
//   - A new shop has three call logs (newest first) and one Zalo OA; the
//     PBX stores tenants, hotlines, extensions (with their SIP logins) and
//     the shop's staff; SendZNS requires the OA to be the shop's and
//     TemplateID; sent messages are recorded (ZNSSent), listed newest first
//     by ListMessages and read by GetMessage.
//   - Every OA has two followers (FollowerZaloUserID and
//     OtherFollowerZaloUserID) and the registered template TemplateID.
//     Consulting messages (images, files, stickers), user-information
//     requests and transaction messages go to a follower of the OA only,
//     and are recorded (ConsultsSent); each follower takes ConsultQuota
//     consulting messages, then resource_exhausted. AuthorizeOA and
//     RefreshToken answer a Zalo permission link.
//   - Journey tokens last 7 or 30 days by token type; SendZNSJourney needs
//     the journey's phone and an unexpired token, and answers the page's
//     OpenAPI shape (type "journey", fee_main). A request for calling
//     permission waits for the user's reply (ReplyConsent); CheckConsent
//     then answers error 0 with the expiry, otherwise error 1.
//   - Webhooks registered with the partner's key receive the events of
//     every shop: EndCall records a call and POSTs a call_log event,
//     DeliverZNS marks a message (from SendZNS or SendZNSJourney) received
//     or seen and POSTs a zl_oa_message event. eTelecom's pages do not show the delivery format; the fake
//     writes {"changes": [{"entity", "change_type", "time", "latest":
//     {<entity>: {...}}}]}, one attempt per delivery, and records the
//     outcome in the webhook's states.
//   - SMS: SMSSendPath and SMSStatusPath with SMSUsername and SMSPassword in
//     the body, the route rule as a list (["1", "3"]) or a string ("1,3");
//     failures are HTTP 200 with a negative status (-1 phone, -2 parameter,
//     -3 no balance, -6 template, -8 route). Wrong credentials are 401
//     "Can't access from this IP".
//
// The knobs every fake of this module has, with the semantics
// ARCHITECTURE.md states: WithClock, Advance, FailNext (queued, answered
// before any check, Twirp's routing included), SetRateLimit (a limit or
// period of zero or less removes the quota), Requests (panics on a route
// the fake does not serve) and RateLimited. A route is an RPC method
// ("Zalo/SendZNS"), "POST " + SMSSendPath or SMSStatusPath, or
// "GET " + LoginPath. eTelecom's own: FailNextCode (a Twirp code),
// ConnectShop, Unlink, SeedCallLogs, EndCall, DeliverZNS, ReplyConsent,
// SetSMSBalance; records: ZNSSent, ConsultsSent, SMSSent. A Server is safe
// for concurrent use.
package etelecomtest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/partnerkit/partnerkit-go/internal/fakekit"
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
	TemplateID = "100001"
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

// WithClock makes the server tell time with now instead of the system
// clock; Advance adds to it.
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.kit.SetClock(now) }
}

// WithSMSBalance sets how many SMS messages the account can send before
// answering -3 (default 1000).
func WithSMSBalance(n int) Option {
	return func(s *Server) { s.smsBalance = n }
}

// WithHTTPClient sets the client that delivers webhook events (default: a
// client with a 10-second timeout that keeps no idle connection).
func WithHTTPClient(c *http.Client) Option {
	return func(s *Server) { s.hc = c }
}

// Server is the fake. It implements http.Handler.
type Server struct {
	hc  *http.Client
	kit *fakekit.Kit

	mu         sync.Mutex
	nextID     int64
	shops      map[string]*shop // by ID
	byEmail    map[string]*shop
	requests   map[string]*loginRequest
	tenants    []*tenant
	hotlines   []*hotline
	extensions []*extension
	znsSent    []*znsMessage
	consults   []ConsultRecord
	webhooks   []*webhook
	sms        map[string]*smsRecord
	smsOrder   []string
	smsBalance int
}

// routes are the routes the fake serves: its RPC methods, the SMS calls
// and the login page.
func routes() []string {
	return append(slices.Sorted(maps.Keys(rpcHandlers)), "POST "+SMSSendPath, "POST "+SMSStatusPath, "GET "+LoginPath)
}

// New returns an empty fake: the partner APIKey is valid, no shop exists.
func New(opts ...Option) *Server {
	s := &Server{
		kit:        fakekit.New("etelecomtest", fakekit.Sliding, routes()...),
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
	if s.hc == nil {
		s.hc = fakekit.NewDeliveryClient()
	}
	return s
}

// FailNext makes the next n requests answer status, before any check
// (Twirp's routing, the key, the quota): an RPC with the Twirp body Twirp
// v8 writes for the code of that status (400 invalid_argument,
// 401 unauthenticated, 403 permission_denied, 404 not_found,
// 408 deadline_exceeded, 409 already_exists, 412 failed_precondition,
// 429 resource_exhausted, 500 internal, 501 unimplemented,
// 503 unavailable; 502 and 504, which a gateway writes, unavailable as
// Twirp clients read them; unknown otherwise), an SMS call or the login
// page with a plain-text body. Failures queue, with FailNextCode's: a
// second call adds n more after those still pending.
func (s *Server) FailNext(n, status int) {
	s.kit.FailNext(n, fakekit.Failure{Status: status, Code: codeFor(status)})
}

// FailNextCode makes the next n requests answer the Twirp error code, under
// the status Twirp v8 writes it with (deadline_exceeded: 408), queued as
// FailNext's are.
func (s *Server) FailNextCode(n int, code string) {
	s.kit.FailNext(n, fakekit.Failure{Status: statusFor(code), Code: code})
}

// SetRateLimit sets a quota of limit requests in any period per, counted
// for each key and afresh: route "" is the per-key quota (every method a
// key calls), an RPC method such as "Zalo/SendZNS" that method's own. A
// request over a quota answers 429 resource_exhausted with a Retry-After,
// and is not acted on. A limit or a period of zero or less removes the
// quota. It panics on a route the fake does not serve.
func (s *Server) SetRateLimit(route string, limit int, per time.Duration) {
	s.kit.SetRateLimit(route, limit, per)
}

// Requests returns the number of requests received on route: an RPC
// method ("Zalo/SendZNS"), "POST " + an SMS path, "GET " + LoginPath, or ""
// for all, those to unknown paths too. Refused and failed requests count.
// It panics on a route the fake does not serve, naming those it serves.
func (s *Server) Requests(route string) int {
	return s.kit.Requests(route)
}

// RateLimited returns how many requests a spent quota refused (FailNext's
// are not counted, nor the consulting messages over a follower's quota).
func (s *Server) RateLimited() int {
	return s.kit.RateLimited()
}

// Advance moves the fake's clock forward by d (login requests expire after
// RequestLifetime, quotas' periods pass).
func (s *Server) Advance(d time.Duration) {
	s.kit.Advance(d)
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
// minute before the oldest, without webhook events (they are history). It
// reports whether the shop exists.
func (s *Server) SeedCallLogs(shopID string, n int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	sh, ok := s.shops[shopID]
	if ok {
		s.seedCallLogs(sh, n)
	}
	return ok
}

func (s *Server) clock() time.Time {
	return s.kit.Now().UTC()
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
	route := ""
	switch {
	case r.URL.Path == LoginPath, r.URL.Path == SMSSendPath, r.URL.Path == SMSStatusPath:
		route = r.Method + " " + r.URL.Path
	default:
		if method, ok := strings.CutPrefix(r.URL.Path, BasePath+"."); ok && rpcHandlers[method] != nil {
			route = method
		}
	}
	if f, failed := s.kit.Receive(route); failed {
		if r.URL.Path == LoginPath || r.URL.Path == SMSSendPath || r.URL.Path == SMSStatusPath {
			http.Error(w, "failure injected by the fake", f.Status)
			return
		}
		writeTwirp(w, f.Status, twirpErr(f.Code, "failure injected by the fake"))
		return
	}
	switch r.URL.Path {
	case LoginPath:
		s.serveLogin(w, r)
	case SMSSendPath, SMSStatusPath:
		s.serveSMS(w, r)
	default:
		s.serveRPC(w, r)
	}
}

// rpcError is a Twirp error answer.
type rpcError struct {
	code string
	msg  string
	meta map[string]string
}

func (e *rpcError) Error() string { return e.code + ": " + e.msg }

func twirpErr(code, msg string) *rpcError {
	return &rpcError{code: code, msg: msg}
}

// invalid is the error twirp.InvalidArgumentError makes.
func invalid(arg, rule string) *rpcError {
	return &rpcError{code: "invalid_argument", msg: arg + " " + rule, meta: map[string]string{"argument": arg}}
}

func notFound(msg string) *rpcError {
	return twirpErr("not_found", msg)
}

// badRoute is the error a Twirp v8 server writes for a request it cannot
// route.
func badRoute(r *http.Request, msg string) *rpcError {
	return &rpcError{code: "bad_route", msg: msg, meta: map[string]string{"twirp_invalid_route": r.Method + " " + r.URL.Path}}
}

// statusFor is Twirp v8's ServerHTTPStatusFromErrorCode.
func statusFor(code string) int {
	switch code {
	case "canceled", "deadline_exceeded":
		return http.StatusRequestTimeout
	case "invalid_argument", "malformed", "out_of_range":
		return http.StatusBadRequest
	case "not_found", "bad_route":
		return http.StatusNotFound
	case "already_exists", "aborted":
		return http.StatusConflict
	case "permission_denied":
		return http.StatusForbidden
	case "unauthenticated":
		return http.StatusUnauthorized
	case "resource_exhausted":
		return http.StatusTooManyRequests
	case "failed_precondition":
		return http.StatusPreconditionFailed
	case "unimplemented":
		return http.StatusNotImplemented
	case "unavailable":
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError // internal, unknown, data_loss and invalid codes
}

// codeFor is the Twirp code FailNext writes for status.
func codeFor(status int) string {
	switch status {
	case 400:
		return "invalid_argument"
	case 401:
		return "unauthenticated"
	case 403:
		return "permission_denied"
	case 404:
		return "not_found"
	case 408:
		return "deadline_exceeded"
	case 409:
		return "already_exists"
	case 412:
		return "failed_precondition"
	case 429:
		return "resource_exhausted"
	case 500:
		return "internal"
	case 501:
		return "unimplemented"
	case 502, 503, 504:
		return "unavailable"
	}
	return "unknown"
}

// writeTwirp writes e as Twirp v8's WriteError does: its status, a JSON
// Content-Type and Content-Length, {"code", "msg"} and "meta" when there is
// any.
func writeTwirp(w http.ResponseWriter, status int, e *rpcError) {
	body, _ := json.Marshal(struct {
		Code string            `json:"code"`
		Msg  string            `json:"msg"`
		Meta map[string]string `json:"meta,omitempty"`
	}{e.code, e.msg, e.meta})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	fakekit.WriteJSON(w, status, v)
}

// caller is who a key belongs to: the partner (shop nil) or a shop.
type caller struct {
	key  string
	shop *shop
}

// serveRPC answers an RPC call in the order a Twirp v8 server judges it:
// method, route, Content-Type, then the application (key, quota, body,
// handler).
func (s *Server) serveRPC(w http.ResponseWriter, r *http.Request) {
	route, routed := strings.CutPrefix(r.URL.Path, BasePath+".")
	h, known := rpcHandlers[route]
	if r.Method != http.MethodPost {
		writeTwirp(w, http.StatusNotFound, badRoute(r, fmt.Sprintf("unsupported method %q (only POST is allowed)", r.Method)))
		return
	}
	if !routed || !known {
		writeTwirp(w, http.StatusNotFound, badRoute(r, fmt.Sprintf("no handler for path %q", r.URL.Path)))
		return
	}
	if ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); strings.TrimSpace(strings.ToLower(ct)) != "application/json" {
		writeTwirp(w, http.StatusNotFound, badRoute(r, fmt.Sprintf("unexpected Content-Type: %q", r.Header.Get("Content-Type"))))
		return
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeTwirp(w, http.StatusBadRequest, twirpErr("malformed", "failed to read request body"))
		return
	}

	s.mu.Lock()
	who, ok := s.authenticate(r)
	if !ok {
		s.mu.Unlock()
		writeTwirp(w, http.StatusUnauthorized, twirpErr("unauthenticated", "invalid or missing api key"))
		return
	}
	if v := s.kit.Admit(who.key, "", route); !v.Admitted() {
		s.mu.Unlock()
		w.Header().Set("Retry-After", strconv.Itoa(v.RetryAfter()))
		writeTwirp(w, http.StatusTooManyRequests, twirpErr("resource_exhausted", "rate limit exceeded"))
		return
	}
	var in map[string]any
	if err := json.Unmarshal(raw, &in); err != nil || in == nil {
		s.mu.Unlock()
		writeTwirp(w, http.StatusBadRequest, &rpcError{code: "malformed", msg: "the json request could not be decoded",
			meta: map[string]string{"cause": "invalid JSON object"}})
		return
	}
	out, rerr := h(s, r, who, args(in))
	s.mu.Unlock()
	if rerr != nil {
		writeTwirp(w, statusFor(rerr.code), rerr)
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
		return caller{key: key}, true
	}
	for _, sh := range s.shops {
		if sh.linked && sh.key == key {
			return caller{key: key, shop: sh}, true
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
			return invalid(n, "is required")
		}
	}
	return nil
}

// rpcHandler answers one method with the server's lock held.
type rpcHandler func(s *Server, r *http.Request, who caller, in args) (any, *rpcError)

var rpcHandlers map[string]rpcHandler

func init() {
	rpcHandlers = map[string]rpcHandler{
		"Shop/AuthorizeShop":                 partnerKey((*Server).authorizeShop),
		"Shop/CurrentShop":                   shopKey((*Server).currentShop),
		"Misc/CurrentAccount":                anyKey((*Server).currentAccount),
		"Etelecom/GetPartnerTenantList":      anyKey((*Server).tenantList),
		"Etelecom/CreateTenant":              shopKey((*Server).createTenant),
		"Etelecom/GetTenant":                 shopKey((*Server).getTenant),
		"Etelecom/PartnerAddHotline":         partnerKey((*Server).addHotline),
		"Etelecom/GetPartnerHotlineList":     partnerKey((*Server).hotlineList),
		"Etelecom/PartnerActivateTenant":     partnerKey((*Server).activateTenant),
		"Etelecom/CreateExtension":           shopKey((*Server).createExtension),
		"Etelecom/GetExtensions":             anyKey((*Server).extensionList),
		"Etelecom/AssignUserToExtension":     shopKey((*Server).assignUser),
		"Etelecom/RemoveUserOfExtension":     shopKey((*Server).removeUser),
		"Etelecom/GetExtensionInfo":          shopKey((*Server).extensionInfo),
		"Etelecom/UpdateHotlineForExtension": shopKey((*Server).updateHotline),
		"Etelecom/ListCallLogs":              shopKey((*Server).callLogList),
		"Shop/CreateAccountUser":             shopKey((*Server).createAccountUser),
		"Shop/GetAccountUsers":               anyKey((*Server).accountUserList),
		"Zalo/SendZNS":                       shopKey((*Server).sendZNS),
		"Zalo/SendZNSJourney":                anyKey((*Server).sendZNSJourney),
		"Zalo/SendZNSTxn":                    shopKey((*Server).sendTransaction),
		"Zalo/ListOA":                        shopKey((*Server).listOA),
		"Zalo/AuthorizeOA":                   shopKey((*Server).authorizeOA),
		"Zalo/ConnectOA":                     shopKey((*Server).connectOA),
		"Zalo/RefreshToken":                  shopKey((*Server).refreshToken),
		"Zalo/UpdateShopOA":                  anyKey((*Server).updateOA),
		"Zalo/ListFollowers":                 shopKey((*Server).listFollowers),
		"Zalo/RequestUserInfo":               shopKey((*Server).requestUserInfo),
		"Zalo/OASendImage":                   shopKey((*Server).sendImage),
		"Zalo/OASendFile":                    shopKey((*Server).sendFile),
		"Zalo/OASendSticker":                 shopKey((*Server).sendSticker),
		"Zalo/RequestConsent":                shopKey((*Server).requestConsent),
		"Zalo/CheckConsent":                  shopKey((*Server).checkConsent),
		"Zalo/ListRequestConsent":            shopKey((*Server).listConsents),
		"Zalo/CreateTemplate":                anyKey((*Server).createTemplate),
		"Zalo/GetTemplate":                   shopKey((*Server).getTemplate),
		"Zalo/ListTemplates":                 shopKey((*Server).listTemplates),
		"Zalo/CreateJourney":                 shopKey((*Server).createJourney),
		"Zalo/GetJourney":                    anyKey((*Server).getJourney),
		"Zalo/ListJourneys":                  shopKey((*Server).listJourneys),
		"Zalo/ListMessages":                  shopKey((*Server).listMessages),
		"Zalo/GetMessage":                    shopKey((*Server).getMessage),
		"Webhook/CreateWebhook":              partnerKey((*Server).createWebhook),
		"Webhook/GetWebhooks":                partnerKey((*Server).listWebhooks),
		"Webhook/DeleteWebhook":              partnerKey((*Server).deleteWebhook),
	}
}

// anyKey takes either key, as methods whose page names no key are taken.
func anyKey(h rpcHandler) rpcHandler {
	return h
}

// partnerKey refuses a shop's key, as methods documented with the
// partner's own api_key do.
func partnerKey(h rpcHandler) rpcHandler {
	return func(s *Server, r *http.Request, who caller, in args) (any, *rpcError) {
		if who.shop != nil {
			return nil, twirpErr("permission_denied", "this method needs the partner's api key")
		}
		return h(s, r, who, in)
	}
}

// shopKey refuses the partner's key, as methods documented with a shop_key
// on the Partner API do.
func shopKey(h rpcHandler) rpcHandler {
	return func(s *Server, r *http.Request, who caller, in args) (any, *rpcError) {
		if who.shop == nil {
			return nil, twirpErr("permission_denied", "this method needs a shop key")
		}
		return h(s, r, who, in)
	}
}

// int64s writes an int64 as protobuf's JSON does: a string.
func int64s(n int64) string {
	return strconv.FormatInt(n, 10)
}
