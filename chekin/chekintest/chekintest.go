// Package chekintest is an in-memory CheKin API v3 for tests: an
// http.Handler that logs users in with JWTs that really expire (HS256, with
// iat and exp), keeps housings, reservations, guests and webhook
// subscriptions, pages lists the way Django REST Framework does (count,
// next, previous, with absolute next links), answers errors with DRF's
// bodies and delivers Guest.created to subscribed targets when a guest is
// added through AddGuest.
//
// It serves the paths with or without CheKin's /api/v3 prefix, so both
// httptest.NewServer(chekintest.New()).URL and that URL + "/api/v3" work as
// a base URL:
//
//	fake := chekintest.New()
//	srv := httptest.NewServer(fake)
//	defer srv.Close()
//	c, err := chekin.New(chekintest.Email, chekintest.Password, partnerkit.WithBaseURL(srv.URL))
//
// By default it refuses tokens as djangorestframework-jwt does: a 401 with
// {"detail": "Signature has expired."}, and a refresh of an expired token
// with a 400. Knobs change its behaviour during a test; those every fake of
// this module has, with the semantics ARCHITECTURE.md states:
//
//   - WithClock and Advance: its clock (tokens expire after their lifetime
//     on it);
//   - FailNext: the next requests fail with a status and DRF's body, before
//     any check; failures queue;
//   - SetRateLimit: a DRF scoped throttle on a route (a 429 with
//     Retry-After); a limit or period of zero or less removes it;
//   - Requests: the requests received on a route (it panics on a route
//     the fake does not serve); RateLimited: those a throttle refused.
//
// Routes are "METHOD /path/template" with the path as CheKin documents it,
// without the /api/v3 prefix:
//
//	POST /token/                     GET, POST /housings/
//	POST /token/refresh/             GET, PATCH, DELETE /housings/{id}/
//	POST /auth/registration/         GET, POST /reservations/
//	GET, POST, PATCH /users/me/      GET, PATCH, DELETE /reservations/{id}/
//	GET, PATCH /guests/{id}/         POST /reservations/{id}/resend-reservation-to-police/
//	GET /guest-groups/{id}/          POST /reservations/{id}/resend-reservation-to-stat/
//	GET, POST /webhooks/             GET, DELETE /webhooks/{id}/
//
// And CheKin's own: SetTokenLifetime, ExpireTokens (revokes every token
// issued), SetSimpleJWT (refuses tokens as djangorestframework-simplejwt
// does, with a 401 or a 403), SetClockBehind (a server whose clock is late
// issues tokens already past their exp), TokenRequests, SetPageSize,
// AddUser, AddGuest (a guest checking in online), Deliveries and Housings.
// A Server is safe for concurrent use.
package chekintest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/partnerkit/partnerkit-go/internal/fakekit"
)

// The account every Server starts with.
const (
	Email    = "partner@chekintest.example"
	Password = "chekintest-password"
	// Origin is the partner origin Register accepts.
	Origin = "chekintest"
)

// Defaults of a new Server.
const (
	// DefaultTokenLifetime is how long a token lives, as at CheKin
	// (chekin.DefaultTokenLifetime); SetTokenLifetime changes it.
	DefaultTokenLifetime = time.Hour
	// DefaultPageSize is the number of items on one page of a list; a
	// request may ask for up to MaxPageSize with page_size.
	DefaultPageSize = 10
	MaxPageSize     = 100
)

// Events the fake delivers.
const (
	EventGuestCreated = "Guest.created"
)

// routes are the routes the fake serves.
var routes = []string{
	"POST " + tokenPath, "POST " + refreshPath, "POST " + registrationPath,
	"GET /users/me/", "POST /users/me/", "PATCH /users/me/",
	"GET /housings/", "POST /housings/", "GET /housings/{id}/", "PATCH /housings/{id}/", "DELETE /housings/{id}/",
	"GET /reservations/", "POST /reservations/", "GET /reservations/{id}/", "PATCH /reservations/{id}/", "DELETE /reservations/{id}/",
	"POST /reservations/{id}/resend-reservation-to-police/", "POST /reservations/{id}/resend-reservation-to-stat/",
	"GET /guests/{id}/", "PATCH /guests/{id}/", "GET /guest-groups/{id}/",
	"GET /webhooks/", "POST /webhooks/", "GET /webhooks/{id}/", "DELETE /webhooks/{id}/",
}

// Server is the fake CheKin. Create it with New.
type Server struct {
	kit    *fakekit.Kit
	signer *fakekit.Signer
	mu     sync.Mutex

	behind   time.Duration
	lifetime time.Duration
	gen      int
	pageSize int
	client   *http.Client

	simpleJWT int // the status of a refused token when simplejwt is on; 0 when off

	seq          int
	users        map[string]*user // by e-mail
	housings     map[string]*housing
	reservations map[string]*reservation
	guests       map[string]*guest
	groups       map[string]*group
	webhooks     map[string]*webhook
	order        map[string][]string // IDs of each kind in creation order

	issued     int // tokens issued
	deliveries []Delivery
}

// Option configures a Server.
type Option func(*Server)

// WithClock makes the Server tell time with now (Advance moves it further).
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.kit.SetClock(now) }
}

// WithHTTPClient makes the Server deliver webhooks with c (default: a
// client with a 10-second timeout that keeps no idle connection).
func WithHTTPClient(c *http.Client) Option {
	return func(s *Server) { s.client = c }
}

// New returns a Server with the account Email / Password and no data.
func New(opts ...Option) *Server {
	s := &Server{
		kit:          fakekit.New("chekintest", fakekit.Sliding, routes...),
		signer:       fakekit.NewSigner(),
		lifetime:     DefaultTokenLifetime,
		pageSize:     DefaultPageSize,
		client:       fakekit.NewDeliveryClient(),
		users:        map[string]*user{},
		housings:     map[string]*housing{},
		reservations: map[string]*reservation{},
		guests:       map[string]*guest{},
		groups:       map[string]*group{},
		webhooks:     map[string]*webhook{},
		order:        map[string][]string{},
	}
	for _, opt := range opts {
		opt(s)
	}
	s.addUser(Email, Password, Origin)
	return s
}

// Advance moves the Server's clock forward by d: tokens expire when their
// lifetime has passed on this clock, and throttles count on it.
func (s *Server) Advance(d time.Duration) {
	s.kit.Advance(d)
}

// SetTokenLifetime sets the lifetime of the tokens issued from now on.
func (s *Server) SetTokenLifetime(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lifetime = d
}

// SetClockBehind makes the clock the Server stamps and checks tokens with
// run d behind its own, as a server whose clock is late: with d longer
// than the token lifetime, every token's exp has passed, by the caller's
// clock, when it arrives. The Server still accepts the token for its
// lifetime.
func (s *Server) SetClockBehind(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.behind = d
}

// ExpireTokens makes every token issued so far invalid: the next call with
// one is refused, as after an expiry, and so is its refresh.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
}

// SetSimpleJWT makes the Server refuse tokens as djangorestframework-
// simplejwt does: a request whose token is expired, revoked or forged is
// answered with status and {"detail": "Given token not valid for any token
// type", "code": "token_not_valid", "messages": [...]}; a refresh of such a
// token with 401 {"detail": "Token is invalid or expired", "code":
// "token_not_valid"}. Status 403 is what Django REST Framework answers when
// session authentication comes before JWT authentication. Status 0 goes
// back to djangorestframework-jwt's answers.
func (s *Server) SetSimpleJWT(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.simpleJWT = status
}

// FailNext answers the next n requests, whatever they are, with status and
// the body CheKin sends with it, before any check (throttle, token,
// route): the coded form for a 401, a DRF throttle message with
// Retry-After: 1 for a 429, {"detail": ...} otherwise. Failures queue: a
// second call adds n more after those still pending.
func (s *Server) FailNext(n, status int) {
	s.kit.FailNext(n, fakekit.Failure{Status: status})
}

// SetRateLimit limits route to limit requests in any period per, counted
// for every caller together and afresh, as a Django REST Framework scoped
// throttle does: a request over the limit is answered 429 with Retry-After
// (the whole seconds until a request leaves the period) and {"detail":
// "Request was throttled. Expected available in N seconds."}. route is
// "METHOD /path/template" as Requests names it, such as "POST /token/" or
// "GET /housings/{id}/"; "" limits every request. A limit or a period of
// zero or less removes the throttle. It panics on a route the fake does
// not serve.
func (s *Server) SetRateLimit(route string, limit int, per time.Duration) {
	s.kit.SetRateLimit(route, limit, per)
}

// SetPageSize sets the number of items on one page of a list.
func (s *Server) SetPageSize(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pageSize = max(n, 1)
}

// AddUser adds an account that can log in.
func (s *Server) AddUser(email, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addUser(email, password, Origin)
}

// Requests returns the number of requests received on route, whatever the
// answer: "METHOD /path/template" with the path as CheKin documents it,
// without the /api/v3 prefix, such as "POST /token/", "GET /housings/",
// "PATCH /guests/{id}/" or "POST /reservations/{id}/resend-reservation-to-police/"
// (see the package documentation); "" counts every request, those to
// unknown paths too. It panics on a route the fake does not serve, naming
// those it serves.
func (s *Server) Requests(route string) int {
	return s.kit.Requests(route)
}

// RateLimited returns how many requests a throttle refused (FailNext's 429
// are not counted).
func (s *Server) RateLimited() int {
	return s.kit.RateLimited()
}

// TokenRequests returns the number of requests received on the token
// endpoints, POST /token/ and POST /token/refresh/, answered or refused.
func (s *Server) TokenRequests() int {
	return s.kit.Requests("POST "+tokenPath) + s.kit.Requests("POST "+refreshPath)
}

// Delivery is one webhook call the Server made.
type Delivery struct {
	Target string
	Event  string
	// StatusCode is the receiver's answer, 0 when it did not answer.
	StatusCode int
	// Err is the failure to deliver, if any.
	Err error
}

// Deliveries returns the webhook calls made so far, in order.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.deliveries...)
}

// Guest is a guest to add with AddGuest. Empty fields get plausible values.
type Guest struct {
	Name          string
	Surname       string
	SecondSurname string
	// Gender is "M" or "F".
	Gender string
	// BirthDate is YYYY-MM-DD.
	BirthDate string
	// Nationality is an ISO 3166 alpha-2 code, such as "ES".
	Nationality string
	Email       string
	Phone       string
	// DocumentType is CheKin's code, such as "P" (passport).
	DocumentType   string
	DocumentNumber string
	// Origin is how the guest was added; default "CH_ONLINE".
	Origin string
}

// AddGuest adds a guest to a reservation, as if the guest had checked in
// online, and delivers Guest.created to every target the reservation's
// owner subscribed, before returning. reservationID may be written with or
// without dashes. It returns the guest's ID; the error reports an unknown
// reservation or the deliveries that failed (the guest is added anyway).
func (s *Server) AddGuest(ctx context.Context, reservationID string, g Guest) (string, error) {
	s.mu.Lock()
	r, ok := s.reservations[normalID(reservationID)]
	if !ok {
		s.mu.Unlock()
		return "", fmt.Errorf("chekintest: no reservation %q", reservationID)
	}
	gu := s.newGuest(r, g)
	var hooks []webhook
	for _, id := range s.order["webhook"] {
		if h := s.webhooks[id]; h != nil && h.Owner == r.Owner && h.Event == EventGuestCreated {
			hooks = append(hooks, *h)
		}
	}
	s.mu.Unlock()

	var errs []error
	for _, h := range hooks {
		body, _ := json.Marshal(map[string]any{
			"hook": map[string]any{"id": h.ID, "event": h.Event, "target": h.Target},
			"data": map[string]any{"reservation_id": r.ID, "guest_id": gu.ID, "guest_origin": gu.Origin},
		})
		d := Delivery{Target: h.Target, Event: h.Event}
		status, _, err := fakekit.Deliver(ctx, s.client, h.Target, "chekintest", body)
		d.StatusCode = status
		if err == nil && status/100 != 2 {
			err = fmt.Errorf("the receiver answered %d", status)
		}
		if err != nil {
			d.Err = err
			errs = append(errs, fmt.Errorf("chekintest: delivering %s to webhook %s: %w", h.Event, h.ID, err))
		}
		s.mu.Lock()
		s.deliveries = append(s.deliveries, d)
		s.mu.Unlock()
	}
	return gu.ID, errors.Join(errs...)
}

// Housings returns the IDs of the housings of every account, sorted.
func (s *Server) Housings() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.housings))
	for id := range s.housings {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// ---- model ----

type user struct {
	ID       string
	Email    string
	Password string
	Origin   string
}

type housing struct {
	ID, Owner     string
	Name, Type    string
	Location      map[string]any
	PoliceAccount map[string]any
	ExternalID    string
}

type reservation struct {
	ID, Owner, HousingID string
	CheckIn, CheckOut    time.Time
	Fields               map[string]any // the other fields, as sent
	GroupID              string
	Link                 string
}

type guest struct {
	ID, GroupID, ReservationID string
	Origin                     string
	Fields                     map[string]any
	DocumentID                 string
	Document                   map[string]any
}

type group struct {
	ID, ReservationID string
	Number            int
	Members           []string
}

type webhook struct {
	ID, Owner, Event, Target string
}

// ---- plumbing ----

func (s *Server) clock() time.Time {
	return s.kit.Now()
}

// newID returns a deterministic UUID-like ID in the 32-hex form.
func (s *Server) newID(kind string) string {
	s.seq++
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s-%d", kind, s.seq)))
	id := hex.EncodeToString(sum[:16])
	s.order[kind] = append(s.order[kind], id)
	return id
}

func (s *Server) addUser(email, password, origin string) *user {
	u := &user{ID: s.newID("user"), Email: email, Password: password, Origin: origin}
	s.users[strings.ToLower(email)] = u
	return u
}

// normalID accepts the 32-hex and the dashed forms.
func normalID(id string) string {
	return strings.ToLower(strings.ReplaceAll(id, "-", ""))
}

// dashed writes a 32-hex ID in the dashed UUID form.
func dashed(id string) string {
	if len(id) != 32 {
		return id
	}
	return id[:8] + "-" + id[8:12] + "-" + id[12:16] + "-" + id[16:20] + "-" + id[20:]
}

// call is one request being served.
type call struct {
	w      http.ResponseWriter
	r      *http.Request
	base   string // absolute URL of the API root, for links
	body   map[string]any
	user   *user
	prefix string
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	fakekit.WriteJSON(w, status, v)
}

func detail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"detail": msg})
}

func fieldErrors(w http.ResponseWriter, errs map[string]any) {
	writeJSON(w, http.StatusBadRequest, errs)
}

// collections are the first path segments followed by an object's ID.
var collections = map[string]bool{"housings": true, "reservations": true, "guests": true, "guest-groups": true, "webhooks": true}

// routeOf names the route of a request: its method and its path as a
// template, such as "GET /housings/{id}/".
func routeOf(method, path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) >= 2 && collections[parts[0]] {
		parts[1] = "{id}"
	}
	route := "/" + strings.Join(parts, "/")
	if strings.HasSuffix(path, "/") && route != "/" {
		route += "/"
	}
	return method + " " + route
}

// ServeHTTP serves one request of the CheKin API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	path := r.URL.Path
	prefix := ""
	if strings.HasPrefix(path, "/api/v3/") {
		prefix, path = "/api/v3", strings.TrimPrefix(path, "/api/v3")
	}
	route := routeOf(r.Method, path)
	if f, failed := s.kit.Receive(route); failed {
		fail(w, f.Status)
		return
	}
	if s.throttled(w, route) {
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	c := &call{w: w, r: r, base: scheme + "://" + r.Host + prefix, prefix: prefix}
	if r.Body != nil && (r.Method == http.MethodPost || r.Method == http.MethodPatch || r.Method == http.MethodPut) {
		var raw bytes.Buffer
		if _, err := raw.ReadFrom(http.MaxBytesReader(w, r.Body, 1<<20)); err != nil {
			detail(w, http.StatusBadRequest, "Could not read the request body.")
			return
		}
		if raw.Len() > 0 {
			if err := json.Unmarshal(raw.Bytes(), &c.body); err != nil {
				detail(w, http.StatusBadRequest, "JSON parse error - "+err.Error())
				return
			}
		}
	}
	if c.body == nil {
		c.body = map[string]any{}
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if !strings.HasSuffix(path, "/") {
		detail(w, http.StatusNotFound, "Not found.")
		return
	}
	switch path {
	case tokenPath:
		s.only(c, http.MethodPost, s.login)
	case refreshPath:
		s.only(c, http.MethodPost, s.refresh)
	case registrationPath:
		s.only(c, http.MethodPost, s.register)
	default:
		if !s.authenticate(c) {
			return
		}
		s.route(c, parts)
	}
}

// throttled answers 429 and reports true when route, or every request,
// is over its throttle; otherwise it counts the request in both.
func (s *Server) throttled(w http.ResponseWriter, route string) bool {
	v := s.kit.Admit("", "", route)
	if v.Admitted() {
		return false
	}
	seconds := v.RetryAfter()
	unit := "seconds"
	if seconds == 1 {
		unit = "second"
	}
	w.Header().Set("Retry-After", strconv.Itoa(seconds))
	detail(w, http.StatusTooManyRequests, fmt.Sprintf("Request was throttled. Expected available in %d %s.", seconds, unit))
	return true
}

// fail answers status with the body CheKin sends with it.
func fail(w http.ResponseWriter, status int) {
	switch status {
	case http.StatusUnauthorized:
		noCredentials(w)
	case http.StatusTooManyRequests:
		w.Header().Set("Retry-After", "1")
		detail(w, status, "Request was throttled. Expected available in 1 second.")
	case http.StatusPaymentRequired:
		detail(w, status, "No valid subscription.")
	default:
		detail(w, status, http.StatusText(status))
	}
}

func (s *Server) only(c *call, method string, serve func(*call)) {
	if c.r.Method != method {
		c.w.Header().Set("Allow", method)
		detail(c.w, http.StatusMethodNotAllowed, fmt.Sprintf("Method %q not allowed.", c.r.Method))
		return
	}
	serve(c)
}

func (s *Server) route(c *call, parts []string) {
	m := c.r.Method
	switch {
	case len(parts) == 2 && parts[0] == "users" && parts[1] == "me":
		switch m {
		case http.MethodGet:
			writeJSON(c.w, http.StatusOK, renderUser(c.user))
		case http.MethodPost, http.MethodPatch:
			s.changePassword(c)
		default:
			s.only(c, http.MethodPost, nil)
		}
	case len(parts) == 1 && parts[0] == "housings":
		s.collection(c, "housing", s.createHousing)
	case len(parts) == 2 && parts[0] == "housings":
		h := s.housings[normalID(parts[1])]
		if h == nil || h.Owner != c.user.Email {
			detail(c.w, http.StatusNotFound, "Not found.")
			return
		}
		s.item(c, func() any { return s.renderHousing(c, h) }, func() { s.updateHousing(c, h) }, func() { s.deleteHousing(h) })
	case len(parts) == 1 && parts[0] == "reservations":
		s.collection(c, "reservation", s.createReservation)
	case len(parts) >= 2 && parts[0] == "reservations":
		r := s.reservations[normalID(parts[1])]
		if r == nil || r.Owner != c.user.Email || len(parts) > 3 {
			detail(c.w, http.StatusNotFound, "Not found.")
			return
		}
		if len(parts) == 3 {
			switch parts[2] {
			case "resend-reservation-to-police", "resend-reservation-to-stat":
				s.only(c, http.MethodPost, func(c *call) { writeJSON(c.w, http.StatusOK, map[string]any{"status": "ok"}) })
			default:
				detail(c.w, http.StatusNotFound, "Not found.")
			}
			return
		}
		s.item(c, func() any { return s.renderReservation(c, r) }, func() { s.updateReservation(c, r) }, func() { s.deleteReservation(r) })
	case len(parts) == 2 && parts[0] == "guests":
		g := s.guests[normalID(parts[1])]
		if g == nil || s.reservations[g.ReservationID] == nil || s.reservations[g.ReservationID].Owner != c.user.Email {
			detail(c.w, http.StatusNotFound, "Not found.")
			return
		}
		s.item(c, func() any { return s.renderGuest(c, g) }, func() { s.updateGuest(c, g) }, nil)
	case len(parts) == 2 && parts[0] == "guest-groups":
		g := s.groups[normalID(parts[1])]
		if g == nil || s.reservations[g.ReservationID] == nil || s.reservations[g.ReservationID].Owner != c.user.Email {
			detail(c.w, http.StatusNotFound, "Not found.")
			return
		}
		s.item(c, func() any { return s.renderGroup(c, g) }, nil, nil)
	case len(parts) == 1 && parts[0] == "webhooks":
		s.collection(c, "webhook", s.createWebhook)
	case len(parts) == 2 && parts[0] == "webhooks":
		h := s.webhooks[normalID(parts[1])]
		if h == nil || h.Owner != c.user.Email {
			detail(c.w, http.StatusNotFound, "Not found.")
			return
		}
		s.item(c, func() any { return renderWebhook(h) }, nil, func() {
			delete(s.webhooks, h.ID)
		})
	default:
		detail(c.w, http.StatusNotFound, "Not found.")
	}
}

// collection serves GET (a page) and POST (create) on a list.
func (s *Server) collection(c *call, kind string, create func(*call)) {
	switch c.r.Method {
	case http.MethodGet:
		s.page(c, kind)
	case http.MethodPost:
		create(c)
	default:
		c.w.Header().Set("Allow", "GET, POST")
		detail(c.w, http.StatusMethodNotAllowed, fmt.Sprintf("Method %q not allowed.", c.r.Method))
	}
}

// item serves GET, PATCH and DELETE on one object; nil means not allowed.
func (s *Server) item(c *call, get func() any, patch func(), del func()) {
	switch {
	case c.r.Method == http.MethodGet:
		writeJSON(c.w, http.StatusOK, get())
	case c.r.Method == http.MethodPatch && patch != nil:
		patch()
	case c.r.Method == http.MethodDelete && del != nil:
		del()
		c.w.WriteHeader(http.StatusNoContent)
	default:
		detail(c.w, http.StatusMethodNotAllowed, fmt.Sprintf("Method %q not allowed.", c.r.Method))
	}
}

// page answers one page of the objects of kind owned by the caller.
func (s *Server) page(c *call, kind string) {
	q := c.r.URL.Query()
	var items []any
	for _, id := range s.order[kind] {
		switch kind {
		case "housing":
			if h := s.housings[id]; h != nil && h.Owner == c.user.Email && (q.Get("name") == "" || q.Get("name") == h.Name) {
				items = append(items, s.renderHousing(c, h))
			}
		case "reservation":
			if r := s.reservations[id]; r != nil && r.Owner == c.user.Email {
				items = append(items, s.renderReservation(c, r))
			}
		case "webhook":
			if h := s.webhooks[id]; h != nil && h.Owner == c.user.Email {
				items = append(items, renderWebhook(h))
			}
		}
	}
	n := 1
	if p := q.Get("page"); p != "" {
		var err error
		n, err = strconv.Atoi(p)
		if err != nil || n < 1 {
			detail(c.w, http.StatusNotFound, "Invalid page.")
			return
		}
	}
	size := s.pageSize
	if p, err := strconv.Atoi(q.Get("page_size")); err == nil && p >= 1 {
		size = min(p, MaxPageSize) // DRF's page_size_query_param, capped by max_page_size
	}
	pages := max((len(items)+size-1)/size, 1)
	if n > pages {
		detail(c.w, http.StatusNotFound, "Invalid page.")
		return
	}
	link := func(page int) any {
		if page < 1 || page > pages {
			return nil
		}
		lq := url.Values{}
		for k, v := range q {
			lq[k] = v
		}
		if page == 1 {
			lq.Del("page")
		} else {
			lq.Set("page", strconv.Itoa(page))
		}
		u := c.base + strings.TrimPrefix(c.r.URL.Path, c.prefix)
		if len(lq) > 0 {
			u += "?" + lq.Encode()
		}
		return u
	}
	from := min((n-1)*size, len(items))
	to := min(from+size, len(items))
	results := items[from:to]
	if results == nil {
		results = []any{}
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"count": len(items), "next": link(n + 1), "previous": link(n - 1), "results": results})
}
