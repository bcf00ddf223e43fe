// Package chekintest is an in-memory CheKin API v3 for tests: an
// http.Handler that logs users in with JWTs that really expire, keeps
// housings, reservations, guests and webhook subscriptions, pages lists the
// way CheKin does (count, next, previous, with absolute next links), answers
// errors with CheKin's Django REST Framework bodies and delivers Guest.created
// to subscribed targets when a guest is added through AddGuest.
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
// Knobs change its behaviour during a test: Advance moves its clock (tokens
// expire after TokenLifetime), ExpireTokens revokes every token issued,
// FailNext answers the next calls with an error status, SetPageSize changes
// the page length, AddUser adds an account and AddGuest plays a guest
// checking in online. A Server is safe for concurrent use.
package chekintest

import (
	"bytes"
	"context"
	"crypto/rand"
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

	"github.com/golang-jwt/jwt/v5"
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
	// TokenLifetime is how long a token lives, as at CheKin.
	TokenLifetime = time.Hour
	// DefaultPageSize is the number of items on one page of a list.
	DefaultPageSize = 10
)

// Events the fake delivers.
const (
	EventGuestCreated = "Guest.created"
)

// Server is the fake CheKin. Create it with New.
type Server struct {
	mu sync.Mutex

	now      func() time.Time
	offset   time.Duration
	key      []byte
	lifetime time.Duration
	gen      int
	pageSize int
	client   *http.Client

	failN      int
	failStatus int

	seq          int
	users        map[string]*user // by e-mail
	housings     map[string]*housing
	reservations map[string]*reservation
	guests       map[string]*guest
	groups       map[string]*group
	webhooks     map[string]*webhook
	order        map[string][]string // IDs of each kind in creation order

	requests   int
	tokenCalls int
	deliveries []Delivery
}

// Option configures a Server.
type Option func(*Server)

// WithClock makes the Server tell time with now (before Advance moves it).
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.now = now }
}

// WithHTTPClient makes the Server deliver webhooks with c.
func WithHTTPClient(c *http.Client) Option {
	return func(s *Server) { s.client = c }
}

// New returns a Server with the account Email / Password and no data.
func New(opts ...Option) *Server {
	s := &Server{
		now:          time.Now,
		lifetime:     TokenLifetime,
		pageSize:     DefaultPageSize,
		client:       &http.Client{Timeout: 10 * time.Second},
		users:        map[string]*user{},
		housings:     map[string]*housing{},
		reservations: map[string]*reservation{},
		guests:       map[string]*guest{},
		groups:       map[string]*group{},
		webhooks:     map[string]*webhook{},
		order:        map[string][]string{},
	}
	s.key = make([]byte, 32)
	_, _ = rand.Read(s.key)
	for _, opt := range opts {
		opt(s)
	}
	s.addUser(Email, Password, Origin)
	return s
}

// Advance moves the Server's clock forward by d: tokens expire when their
// hour has passed on this clock.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offset += d
}

// SetTokenLifetime sets the lifetime of the tokens issued from now on.
func (s *Server) SetTokenLifetime(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lifetime = d
}

// ExpireTokens makes every token issued so far invalid: the next call with
// one gets a 401, as after an expiry.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
}

// FailNext answers the next n requests, whatever they are, with status and
// a CheKin error body. A 429 carries Retry-After: 1.
func (s *Server) FailNext(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failN, s.failStatus = n, status
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

// Requests returns the number of requests served.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// TokenRequests returns the number of tokens issued: successful logins,
// refreshes and registrations.
func (s *Server) TokenRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenCalls
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
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.Target, bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", "application/json")
			var resp *http.Response
			resp, err = s.client.Do(req)
			if err == nil {
				resp.Body.Close()
				d.StatusCode = resp.StatusCode
				if resp.StatusCode/100 != 2 {
					err = fmt.Errorf("the receiver answered %d", resp.StatusCode)
				}
			}
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
	return s.now().Add(s.offset)
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
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if v != nil {
		_ = json.NewEncoder(w).Encode(v)
	}
}

func detail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"detail": msg})
}

func fieldErrors(w http.ResponseWriter, errs map[string]any) {
	writeJSON(w, http.StatusBadRequest, errs)
}

// ServeHTTP serves one request of the CheKin API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	if s.failN > 0 {
		s.failN--
		if s.failStatus == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "1")
		}
		detail(w, s.failStatus, http.StatusText(s.failStatus))
		return
	}
	path := r.URL.Path
	prefix := ""
	if strings.HasPrefix(path, "/api/v3/") {
		prefix, path = "/api/v3", strings.TrimPrefix(path, "/api/v3")
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
	switch {
	case path == "/token/":
		s.only(c, http.MethodPost, s.login)
	case path == "/token/refresh/":
		s.only(c, http.MethodPost, s.refresh)
	case path == "/auth/registration/":
		s.only(c, http.MethodPost, s.register)
	default:
		if !s.authenticate(c) {
			return
		}
		s.route(c, parts)
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
	pages := max((len(items)+s.pageSize-1)/s.pageSize, 1)
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
	from := min((n-1)*s.pageSize, len(items))
	to := min(from+s.pageSize, len(items))
	results := items[from:to]
	if results == nil {
		results = []any{}
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"count": len(items), "next": link(n + 1), "previous": link(n - 1), "results": results})
}

// ---- auth ----

type claims struct {
	UserID string `json:"user_id"`
	Email  string `json:"email"`
	Gen    int    `json:"gen"`
	jwt.RegisteredClaims
}

func (s *Server) issue(u *user) string {
	now := s.clock()
	s.tokenCalls++
	tok, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, claims{
		UserID: u.ID, Email: u.Email, Gen: s.gen,
		RegisteredClaims: jwt.RegisteredClaims{
			ExpiresAt: jwt.NewNumericDate(now.Add(s.lifetime)),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        strconv.Itoa(s.tokenCalls),
		},
	}).SignedString(s.key)
	return tok
}

// verify returns the user of a valid token, or the reason it is not.
func (s *Server) verify(token string) (*user, string) {
	var cl claims
	_, err := jwt.ParseWithClaims(token, &cl, func(*jwt.Token) (any, error) { return s.key, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(s.clock), jwt.WithExpirationRequired())
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return nil, "Signature has expired."
	case err != nil:
		return nil, "Error decoding signature."
	case cl.Gen != s.gen:
		return nil, "Signature has expired."
	}
	u := s.users[strings.ToLower(cl.Email)]
	if u == nil || u.ID != cl.UserID {
		return nil, "User not found."
	}
	return u, ""
}

func (s *Server) authenticate(c *call) bool {
	h := c.r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "JWT ")
	if !ok || token == "" {
		writeJSON(c.w, http.StatusUnauthorized, map[string]any{
			"code": 4002, "message": "Invalid Authorization header. No credentials provided.", "status_code": 401, "errors": []any{},
		})
		return false
	}
	u, why := s.verify(token)
	if u == nil {
		detail(c.w, http.StatusUnauthorized, why)
		return false
	}
	c.user = u
	return true
}

func str(body map[string]any, key string) string {
	v, _ := body[key].(string)
	return strings.TrimSpace(v)
}

// required answers 400 for the missing fields and reports whether all were
// given.
func required(c *call, keys ...string) bool {
	errs := map[string]any{}
	for _, k := range keys {
		if str(c.body, k) == "" {
			errs[k] = []string{"This field is required."}
		}
	}
	if len(errs) > 0 {
		fieldErrors(c.w, errs)
		return false
	}
	return true
}

func (s *Server) credentials(c *call) *user {
	if !required(c, "email", "password") {
		return nil
	}
	u := s.users[strings.ToLower(str(c.body, "email"))]
	if u == nil || u.Password != c.body["password"] {
		fieldErrors(c.w, map[string]any{"non_field_errors": []string{"Unable to log in with provided credentials."}})
		return nil
	}
	return u
}

func (s *Server) login(c *call) {
	if u := s.credentials(c); u != nil {
		writeJSON(c.w, http.StatusOK, map[string]any{"token": s.issue(u)})
	}
}

func (s *Server) refresh(c *call) {
	if !required(c, "token") {
		return
	}
	u := s.credentials(c)
	if u == nil {
		return
	}
	owner, why := s.verify(str(c.body, "token"))
	if owner == nil || owner != u {
		if why == "" {
			why = "The token was not issued to this user."
		}
		fieldErrors(c.w, map[string]any{"non_field_errors": []string{why}})
		return
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"token": s.issue(u)})
}

func (s *Server) register(c *call) {
	if !required(c, "email", "password", "origin") {
		return
	}
	email := str(c.body, "email")
	if !strings.Contains(email, "@") {
		fieldErrors(c.w, map[string]any{"email": []string{"Enter a valid email address."}})
		return
	}
	if s.users[strings.ToLower(email)] != nil {
		fieldErrors(c.w, map[string]any{"email": []string{"A user is already registered with this e-mail address."}})
		return
	}
	u := s.addUser(email, str(c.body, "password"), str(c.body, "origin"))
	writeJSON(c.w, http.StatusCreated, map[string]any{"token": s.issue(u)})
}

func renderUser(u *user) map[string]any {
	return map[string]any{"id": u.ID, "email": u.Email, "name": "", "surname": "", "first_name": "", "origin": u.Origin}
}

func (s *Server) changePassword(c *call) {
	if !required(c, "password", "old_password") {
		return
	}
	if c.body["old_password"] != c.user.Password {
		fieldErrors(c.w, map[string]any{"old_password": []string{"Wrong password."}})
		return
	}
	c.user.Password = str(c.body, "password")
	writeJSON(c.w, http.StatusOK, renderUser(c.user))
}

// ---- housings ----

func (s *Server) createHousing(c *call) {
	h := &housing{Owner: c.user.Email}
	if !s.applyHousing(c, h, true) {
		return
	}
	h.ID = s.newID("housing")
	s.housings[h.ID] = h
	writeJSON(c.w, http.StatusCreated, s.renderHousing(c, h))
}

// applyHousing copies the housing fields of body into h, answering 400 and
// returning false when they are not valid.
func (s *Server) applyHousing(c *call, h *housing, create bool) bool {
	return s.applyHousingFields(c.w, c.body, h, create, "")
}

func (s *Server) applyHousingFields(w http.ResponseWriter, body map[string]any, h *housing, create bool, prefix string) bool {
	errs := map[string]any{}
	if v, ok := body["name"]; ok || create {
		if name, _ := v.(string); strings.TrimSpace(name) != "" {
			h.Name = name
		} else {
			errs["name"] = []string{"This field is required."}
		}
	}
	if v, ok := body["type"]; ok {
		t, _ := v.(string)
		if t != "HOU" && t != "HOT" {
			errs["type"] = []string{fmt.Sprintf("%q is not a valid choice.", t)}
		}
		h.Type = t
	}
	if v, ok := body["location"].(map[string]any); ok {
		if country, ok := v["country"].(string); ok && (len(country) != 2 || strings.ToUpper(country) != country) {
			errs["location"] = map[string]any{"country": []string{fmt.Sprintf("%q is not a valid choice.", country)}}
		}
		h.Location = v
	}
	if v, ok := body["police_account"].(map[string]any); ok {
		h.PoliceAccount = v
		if h.Type == "" {
			errs["type"] = []string{"The housing type is required to connect a police account."}
		}
	}
	if v, ok := body["external_id"].(string); ok {
		h.ExternalID = v
	}
	if len(errs) > 0 {
		if prefix != "" {
			errs = map[string]any{prefix: errs}
		}
		fieldErrors(w, errs)
		return false
	}
	return true
}

func (s *Server) renderHousing(c *call, h *housing) map[string]any {
	var police any
	if h.PoliceAccount != nil {
		p := map[string]any{"id": "p" + h.ID[1:]}
		for k, v := range h.PoliceAccount {
			if k != "password" && k != "certificate_password" {
				p[k] = v
			}
		}
		police = p
	}
	loc := h.Location
	if loc == nil {
		loc = map[string]any{}
	}
	return map[string]any{
		"id": h.ID, "url": c.base + "/housings/" + dashed(h.ID) + "/", "name": h.Name, "type": h.Type,
		"location": loc, "police_account": police, "external_id": h.ExternalID,
	}
}

func (s *Server) updateHousing(c *call, h *housing) {
	updated := *h
	if !s.applyHousing(c, &updated, false) {
		return
	}
	*h = updated
	writeJSON(c.w, http.StatusOK, s.renderHousing(c, h))
}

func (s *Server) deleteHousing(h *housing) {
	delete(s.housings, h.ID)
	for id, r := range s.reservations {
		if r.HousingID == h.ID {
			s.deleteReservation(s.reservations[id])
		}
	}
}

// ---- reservations ----

// reservationFields are the fields kept as sent and returned as they are.
var reservationFields = []string{
	"default_leader_full_name", "default_invite_email", "default_phone_number", "default_email_language",
	"booking_reference", "external_id", "source_name", "price", "deposit",
}

func parseDate(v any) (time.Time, bool) {
	s, _ := v.(string)
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
		s = s[:10]
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

func (s *Server) createReservation(c *call) {
	r := &reservation{Owner: c.user.Email, Fields: map[string]any{}}
	errs := map[string]any{}
	for _, k := range []string{"check_in_date", "check_out_date"} {
		if _, ok := c.body[k]; !ok {
			errs[k] = []string{"This field is required."}
		}
	}
	_, hasID := c.body["housing_id"]
	inline, hasInline := c.body["housing"].(map[string]any)
	if !hasID && !hasInline {
		errs["housing_id"] = []string{"This field is required."}
	}
	if len(errs) > 0 {
		fieldErrors(c.w, errs)
		return
	}
	if !s.applyReservation(c, r) {
		return
	}
	if hasInline {
		h := &housing{Owner: c.user.Email}
		if !s.applyHousingFields(c.w, inline, h, true, "housing") {
			return
		}
		h.ID = s.newID("housing")
		s.housings[h.ID] = h
		r.HousingID = h.ID
	}
	r.ID = s.newID("reservation")
	g := &group{ID: s.newID("group"), ReservationID: r.ID, Number: 1}
	if gg, ok := c.body["guest_group"].(map[string]any); ok {
		if n, ok := gg["number_of_guests"].(float64); ok && n >= 1 {
			g.Number = int(n)
		}
	}
	r.GroupID = g.ID
	r.Link = c.base + "/L/" + r.ID[:10]
	s.groups[g.ID] = g
	s.reservations[r.ID] = r
	writeJSON(c.w, http.StatusCreated, s.renderReservation(c, r))
}

// applyReservation copies the reservation fields of the body into r.
func (s *Server) applyReservation(c *call, r *reservation) bool {
	errs := map[string]any{}
	in, out := r.CheckIn, r.CheckOut
	if v, ok := c.body["check_in_date"]; ok {
		if t, ok := parseDate(v); ok {
			in = t
		} else {
			errs["check_in_date"] = []string{"Date has wrong format. Use one of these formats instead: YYYY-MM-DD."}
		}
	}
	if v, ok := c.body["check_out_date"]; ok {
		if t, ok := parseDate(v); ok {
			out = t
		} else {
			errs["check_out_date"] = []string{"Date has wrong format. Use one of these formats instead: YYYY-MM-DD."}
		}
	}
	if v, ok := c.body["housing_id"]; ok {
		id, _ := v.(string)
		h := s.housings[normalID(id)]
		if h == nil || h.Owner != c.user.Email {
			errs["housing_id"] = []string{fmt.Sprintf("Invalid pk %q - object does not exist.", id)}
		} else {
			r.HousingID = h.ID
		}
	}
	if email, ok := c.body["default_invite_email"].(string); ok && email != "" && !strings.Contains(email, "@") {
		errs["default_invite_email"] = []string{"Enter a valid email address."}
	}
	if len(errs) == 0 && !out.After(in) {
		errs["non_field_errors"] = []string{"Check-out date must be after check-in date."}
	}
	if len(errs) > 0 {
		fieldErrors(c.w, errs)
		return false
	}
	r.CheckIn, r.CheckOut = in, out
	for _, k := range reservationFields {
		if v, ok := c.body[k]; ok {
			r.Fields[k] = v
		}
	}
	return true
}

func (s *Server) renderReservation(c *call, r *reservation) map[string]any {
	out := map[string]any{
		"id": r.ID, "url": c.base + "/reservations/" + dashed(r.ID) + "/",
		"check_in_date":    r.CheckIn.Format(time.RFC3339),
		"check_out_date":   r.CheckOut.Format(time.RFC3339),
		"nights_of_stay":   int(r.CheckOut.Sub(r.CheckIn).Hours() / 24),
		"signup_form_link": r.Link,
		"guest_group":      s.renderGroup(c, s.groups[r.GroupID]),
	}
	for _, k := range reservationFields {
		out[k] = r.Fields[k]
		if out[k] == nil && k != "price" && k != "deposit" {
			out[k] = ""
		}
	}
	if h := s.housings[r.HousingID]; h != nil {
		out["housing"] = map[string]any{"id": h.ID, "name": h.Name, "type": h.Type}
	}
	return out
}

func (s *Server) updateReservation(c *call, r *reservation) {
	updated := *r
	updated.Fields = map[string]any{}
	for k, v := range r.Fields {
		updated.Fields[k] = v
	}
	if !s.applyReservation(c, &updated) {
		return
	}
	*r = updated
	writeJSON(c.w, http.StatusOK, s.renderReservation(c, r))
}

func (s *Server) deleteReservation(r *reservation) {
	if g := s.groups[r.GroupID]; g != nil {
		for _, id := range g.Members {
			delete(s.guests, id)
		}
		delete(s.groups, g.ID)
	}
	delete(s.reservations, r.ID)
}

// ---- guests ----

var countries = map[string][2]string{
	"AR": {"ARG", "Argentina"}, "DE": {"DEU", "Germany"}, "ES": {"ESP", "Spain"}, "FR": {"FRA", "France"},
	"GB": {"GBR", "United Kingdom"}, "IT": {"ITA", "Italy"}, "PT": {"PRT", "Portugal"}, "US": {"USA", "United States"},
}

var documentTypes = map[string]string{"P": "Passport", "I": "Identity card", "C": "Driving licence"}

func or(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}

func (s *Server) newGuest(r *reservation, g Guest) *guest {
	grp := s.groups[r.GroupID]
	gu := &guest{
		ID: s.newID("guest"), GroupID: grp.ID, ReservationID: r.ID, Origin: or(g.Origin, "CH_ONLINE"),
		DocumentID: s.newID("document"),
		Fields: map[string]any{
			"name": strings.ToUpper(or(g.Name, "MARTIN")), "surname": strings.ToUpper(or(g.Surname, "PEREZ")),
			"second_surname": strings.ToUpper(g.SecondSurname), "gender": or(g.Gender, "M"),
			"birth_date": or(g.BirthDate, "1984-08-11"), "nationality": or(g.Nationality, "ES"),
			"email": g.Email, "phone": g.Phone, "language": "eng",
		},
		Document: map[string]any{
			"type": or(g.DocumentType, "P"), "number": or(g.DocumentNumber, "AAA875441"), "issue_date": "2018-05-17",
		},
	}
	s.guests[gu.ID] = gu
	grp.Members = append(grp.Members, gu.ID)
	if len(grp.Members) > grp.Number {
		grp.Number = len(grp.Members)
	}
	return gu
}

func (s *Server) renderGuest(c *call, g *guest) map[string]any {
	f := g.Fields
	name, surname, second := fmt.Sprint(f["name"]), fmt.Sprint(f["surname"]), fmt.Sprint(f["second_surname"])
	full := strings.TrimSpace(strings.Join([]string{name, surname, second}, " "))
	code := fmt.Sprint(f["nationality"])
	country := countries[code]
	doc := map[string]any{"id": g.DocumentID, "type_str": documentTypes[fmt.Sprint(g.Document["type"])]}
	for k, v := range g.Document {
		doc[k] = v
	}
	notUsed := map[string]any{"code": "NOT_USED", "label": "Not used", "details": nil}
	return map[string]any{
		"id": g.ID, "url": c.base + "/guests/" + dashed(g.ID) + "/",
		"full_name": full, "name": name, "surname": surname, "second_surname": second,
		"gender": f["gender"], "birth_date": f["birth_date"], "language": f["language"],
		"email": f["email"], "phone": f["phone"],
		"nationality": map[string]any{"code": code, "alpha_3": country[0], "name": country[1]},
		"names":       map[string]any{"name": name, "surname": surname},
		"document":    doc,
		"status":      "COMPLETE", "status_display": "All the necessary data are filled in",
		"statuses": map[string]any{
			"police":     map[string]any{"in": notUsed, "out": notUsed},
			"statistics": map[string]any{"in": notUsed, "out": notUsed},
		},
		"origin":         g.Origin,
		"reservation_id": g.ReservationID,
	}
}

func (s *Server) updateGuest(c *call, g *guest) {
	errs := map[string]any{}
	fields := map[string]any{}
	for _, k := range []string{"name", "surname", "second_surname", "gender", "email", "phone", "language", "nationality", "birth_date"} {
		v, ok := c.body[k]
		if !ok {
			continue
		}
		text, _ := v.(string)
		switch k {
		case "birth_date":
			if _, ok := parseDate(text); !ok {
				errs[k] = []string{"Date has wrong format. Use one of these formats instead: YYYY-MM-DD."}
			}
		case "nationality":
			if len(text) != 2 {
				errs[k] = []string{fmt.Sprintf("%q is not a valid choice.", text)}
			}
		case "name", "surname", "second_surname":
			text = strings.ToUpper(text)
		}
		fields[k] = text
	}
	if full, ok := c.body["full_name"].(string); ok {
		if parts := strings.Fields(strings.ToUpper(full)); len(parts) > 0 {
			fields["name"] = parts[0]
			fields["surname"] = strings.Join(parts[1:], " ")
			fields["second_surname"] = ""
		}
	}
	doc, _ := c.body["document"].(map[string]any)
	if d, ok := doc["issue_date"]; ok {
		if _, ok := parseDate(d); !ok {
			errs["document"] = map[string]any{"issue_date": []string{"Date has wrong format. Use one of these formats instead: YYYY-MM-DD."}}
		}
	}
	if len(errs) > 0 {
		fieldErrors(c.w, errs)
		return
	}
	for k, v := range fields {
		g.Fields[k] = v
	}
	for k, v := range doc {
		g.Document[k] = v
	}
	writeJSON(c.w, http.StatusOK, s.renderGuest(c, g))
}

func (s *Server) renderGroup(c *call, g *group) map[string]any {
	members := make([]any, 0, len(g.Members))
	for _, id := range g.Members {
		if gu := s.guests[id]; gu != nil {
			members = append(members, s.renderGuest(c, gu))
		}
	}
	var leader any
	if len(g.Members) > 0 {
		leader = g.Members[0]
	}
	return map[string]any{
		"id": g.ID, "url": c.base + "/guest-groups/" + dashed(g.ID) + "/",
		"number_of_guests": g.Number, "members": members, "leader_id": leader, "type": "G",
	}
}

// ---- webhooks ----

func (s *Server) createWebhook(c *call) {
	if !required(c, "target", "event") {
		return
	}
	target := str(c.body, "target")
	if u, err := url.Parse(target); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		fieldErrors(c.w, map[string]any{"target": []string{"Enter a valid URL."}})
		return
	}
	h := &webhook{ID: s.newID("webhook"), Owner: c.user.Email, Event: str(c.body, "event"), Target: target}
	s.webhooks[h.ID] = h
	writeJSON(c.w, http.StatusCreated, renderWebhook(h))
}

func renderWebhook(h *webhook) map[string]any {
	return map[string]any{"id": h.ID, "event": h.Event, "target": h.Target}
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
