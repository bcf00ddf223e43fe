package cohosttest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Credentials, seed IDs and defaults of a new fake.
const (
	// APIKey is the partner key a new fake accepts, bound to Teams.
	APIKey = "ck_test_partnerkit_fake_key"
	// ListingID is the first listing of team 1, a villa for 6.
	ListingID = "101"
	// ForeignListingID is a listing of team 9, which APIKey does not manage.
	ForeignListingID = "901"
	// DefaultLimit requests per DefaultPer are allowed per key, as Cohost
	// documents.
	DefaultLimit = 60
	// DefaultPer is the window of DefaultLimit.
	DefaultPer = time.Minute
	// TokenLifetime is the life of a customer token (expires_in).
	TokenLifetime = 24 * time.Hour
	// CustomerBookingsPath serves a logged-in customer's bookings.
	CustomerBookingsPath = "/customers/me/bookings"
)

// Teams are the teams APIKey manages. A new fake copies them.
var Teams = []int64{1, 2}

// Listing is a listing the fake holds.
type Listing struct {
	ID           int64   `json:"id"`
	TeamID       int64   `json:"team_id"`
	Name         string  `json:"name"`
	ListingType  string  `json:"listing_type"`
	PropertyType string  `json:"property_type"`
	Address      string  `json:"address"`
	CountryCode  string  `json:"country_code"`
	ProvinceCode string  `json:"province_code"`
	Capacity     int     `json:"capacity"`
	Bedrooms     int     `json:"bedrooms"`
	State        string  `json:"state"`
	FullRate     float64 `json:"full_rate"`
	Currency     string  `json:"currency"`
	CreatedAt    string  `json:"created_at"`
}

// GuestInfo is the guest of a booking.
type GuestInfo struct {
	FullName string `json:"full_name"`
	Phone    string `json:"phone"`
	Email    string `json:"email"`
}

// Booking is a booking the fake holds. UserID is nil for a booking the
// partner made, the customer's ID for one a customer made.
type Booking struct {
	ID         int64     `json:"id"`
	ListingID  int64     `json:"listing_id"`
	TeamID     int64     `json:"team_id"`
	UserID     *int64    `json:"user_id"`
	CheckIn    string    `json:"check_in_date"`
	CheckOut   string    `json:"check_out_date"`
	Guests     int       `json:"guest_number"`
	Guest      GuestInfo `json:"guest_info"`
	State      string    `json:"state"`
	TotalPrice float64   `json:"total_price"`
	Currency   string    `json:"currency"`
	CreatedAt  string    `json:"created_at"`
}

// Customer is a customer account the fake holds.
type Customer struct {
	ID            int64   `json:"id"`
	Email         string  `json:"email"`
	FullName      string  `json:"full_name"`
	Phone         string  `json:"phone"`
	Teams         []int64 `json:"teams"`
	EmailVerified bool    `json:"email_verified"`
	Status        string  `json:"status"`
	CreatedAt     string  `json:"created_at"`

	password  string
	lastLogin time.Time
}

// Option configures a new fake.
type Option func(*Server)

// WithClock makes the fake tell time with now, for tests that move time
// (rate-limit windows, token expiry) with their own clock.
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.clock = now }
}

// WithKey makes the fake also accept key, managing teams.
func WithKey(key string, teams ...int64) Option {
	return func(s *Server) { s.keys[key] = append([]int64(nil), teams...) }
}

// Server is the fake. It is an http.Handler and safe for concurrent use.
type Server struct {
	mu        sync.Mutex
	mux       *http.ServeMux
	clock     func() time.Time
	offset    time.Duration
	keys      map[string][]int64
	quotas    map[string]quota
	windows   map[windowKey]*window
	listings  []*Listing
	bookings  []*Booking
	customers []*Customer
	nextID    int64
	failN     int
	failCode  int
	requests  map[string]int
	total     int
	limited   int
	signKey   []byte
}

// quota is a rate limit: limit requests in each fixed window of length per.
type quota struct {
	limit int
	per   time.Duration
}

type window struct {
	start time.Time
	count int
}

// New returns a fake holding APIKey (teams 1 and 2) and six listings: five
// in those teams and one (ForeignListingID) in team 9, which the key does
// not manage. It limits each key to DefaultLimit requests per DefaultPer.
func New(opts ...Option) *Server {
	s := &Server{
		clock:    time.Now,
		keys:     map[string][]int64{APIKey: append([]int64(nil), Teams...)},
		quotas:   map[string]quota{"": {DefaultLimit, DefaultPer}},
		windows:  map[windowKey]*window{},
		requests: map[string]int{},
		nextID:   1000,
		signKey:  []byte("cohosttest-signing-key"),
	}
	seed := []Listing{
		{ID: 101, TeamID: 1, Name: "Da Lat Pine Villa", PropertyType: "VILLA", Address: "12 Tran Phu, Da Lat", ProvinceCode: "68", Capacity: 6, Bedrooms: 3, FullRate: 1500000},
		{ID: 102, TeamID: 1, Name: "Hoi An Riverside House", PropertyType: "HOUSE", Address: "5 Bach Dang, Hoi An", ProvinceCode: "49", Capacity: 4, Bedrooms: 2, FullRate: 1100000},
		{ID: 103, TeamID: 1, Name: "Sa Pa Cloud Cabin", PropertyType: "CABIN", Address: "8 Fansipan, Sa Pa", ProvinceCode: "10", Capacity: 2, Bedrooms: 1, FullRate: 800000},
		{ID: 201, TeamID: 2, Name: "Saigon Loft", PropertyType: "APARTMENT", Address: "40 Le Loi, District 1", ProvinceCode: "79", Capacity: 3, Bedrooms: 1, FullRate: 950000},
		{ID: 202, TeamID: 2, Name: "Nha Trang Sea View", PropertyType: "APARTMENT", Address: "72 Tran Phu, Nha Trang", ProvinceCode: "56", Capacity: 4, Bedrooms: 2, FullRate: 1250000},
		{ID: 901, TeamID: 9, Name: "Another Partner's Villa", PropertyType: "VILLA", Address: "1 Hung Vuong, Hue", ProvinceCode: "46", Capacity: 8, Bedrooms: 4, FullRate: 3000000},
	}
	for i := range seed {
		s.listings = append(s.listings, fill(seed[i]))
	}
	s.mux = http.NewServeMux()
	for pattern, h := range routes {
		s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			h(s, &answer{w: w}, r, s.keys[r.Header.Get("X-API-Key")])
		})
	}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

func fill(l Listing) *Listing {
	if l.ListingType == "" {
		l.ListingType = "ENTIRE_PLACE"
	}
	if l.CountryCode == "" {
		l.CountryCode = "VN"
	}
	if l.State == "" {
		l.State = "ACTIVE"
	}
	if l.Currency == "" {
		l.Currency = "VND"
	}
	if l.CreatedAt == "" {
		l.CreatedAt = "2025-01-10T08:00:00Z"
	}
	return &l
}

// now is the fake's time: its clock moved by Advance.
func (s *Server) now() time.Time {
	return s.clock().Add(s.offset)
}

// Advance moves the fake's clock forward by d: rate-limit windows end and
// customer tokens expire as if d had passed. With WithClock, it moves the
// fake's time ahead of that clock.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offset += d
}

// AddListing adds a listing (filling in defaults for empty fields) and
// returns its ID; a zero ID is assigned.
func (s *Server) AddListing(l Listing) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l.ID == 0 {
		s.nextID++
		l.ID = s.nextID
	}
	s.listings = append(s.listings, fill(l))
	return l.ID
}

// AddCustomer adds a customer account with a password and returns its ID.
// The account's e-mail is verified when c.EmailVerified is set.
func (s *Server) AddCustomer(c Customer, password string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	c.ID = s.nextID
	c.password = password
	c.Teams = append([]int64(nil), c.Teams...)
	if c.Status == "" {
		c.Status = "ACTIVE"
	}
	if c.CreatedAt == "" {
		c.CreatedAt = s.now().UTC().Format(time.RFC3339)
	}
	s.customers = append(s.customers, &c)
	return c.ID
}

// VerifyEmail marks a customer's e-mail as verified, as if they clicked the
// link Cohost sent. It reports whether the customer exists.
func (s *Server) VerifyEmail(customerID int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.customerByID(customerID); c != nil {
		c.EmailVerified = true
		return true
	}
	return false
}

// Token returns a token for the customer as Auth0 issues it when the
// customer logs in there directly (Cohost's second way to log in), whether
// or not the e-mail is verified. It reports whether the customer exists.
func (s *Server) Token(customerID int64) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.customerByID(customerID)
	if c == nil {
		return "", false
	}
	return s.token(c), true
}

// FailNext makes the next n requests fail with status and Cohost's error
// body for it, before the key is checked: a 429 gets the documented rate
// limit body (retry_after_seconds 30), a 422 a FastAPI validation body,
// any other status a business error {code, message, details}.
func (s *Server) FailNext(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failN, s.failCode = n, status
}

// SetRateLimit sets a quota of limit requests in each fixed window of
// length per, counted for each key. Route "" is Cohost's per-key quota
// (DefaultLimit per DefaultPer in a new fake); a route such as
// "POST /bookings" gets a quota of its own, counted on top of the per-key
// one. A limit or period of zero removes the quota.
func (s *Server) SetRateLimit(route string, limit int, per time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if limit <= 0 || per <= 0 {
		delete(s.quotas, route)
	} else {
		s.quotas[route] = quota{limit, per}
	}
	for k := range s.windows {
		if k.route == route {
			delete(s.windows, k)
		}
	}
}

// Requests returns how many requests the fake received on route, such as
// "POST /bookings" or "GET /listings/{id}/availability" (see the package
// documentation), refused and failed ones included; route "" counts every
// request, those to unknown paths too.
func (s *Server) Requests(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if route == "" {
		return s.total
	}
	return s.requests[route]
}

// RateLimited returns how many requests were answered 429 for a spent
// quota (FailNext's are not counted).
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limited
}

// Bookings returns a copy of every booking the fake holds, in creation
// order.
func (s *Server) Bookings() []Booking {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Booking, len(s.bookings))
	for i, b := range s.bookings {
		out[i] = *b
		if b.UserID != nil {
			id := *b.UserID
			out[i].UserID = &id
		}
	}
	return out
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, route := s.mux.Handler(r)
	s.total++
	if route != "" {
		s.requests[route]++
	}
	a := &answer{w: w}
	if s.failN > 0 {
		s.failN--
		s.fail(a)
		return
	}
	key := r.Header.Get("X-API-Key")
	if _, ok := s.keys[key]; !ok {
		a.business(http.StatusUnauthorized, "INVALID_API_KEY", "Invalid or missing API key", nil)
		return
	}
	if !s.admit(w, key, route) {
		return
	}
	if route == "" {
		a.detail(http.StatusNotFound, "Not Found")
		return
	}
	s.mux.ServeHTTP(w, r)
}

// failCodes are the codes of FailNext's business errors.
var failCodes = map[int]string{
	http.StatusBadRequest:   "VALIDATION_ERROR",
	http.StatusUnauthorized: "INVALID_API_KEY",
	http.StatusForbidden:    "FORBIDDEN",
	http.StatusNotFound:     "NOT_FOUND",
	http.StatusConflict:     "BOOKING_CONFLICT",
}

// fail answers a request that FailNext fails.
func (s *Server) fail(a *answer) {
	switch status := s.failCode; {
	case status == http.StatusTooManyRequests:
		a.business(status, "RATE_LIMIT_EXCEEDED", "Rate limit exceeded. Try again in 30 seconds.", map[string]any{"retry_after_seconds": 30})
	case status == http.StatusUnprocessableEntity:
		a.invalid([]fieldError{{Loc: []string{"body"}, Msg: "field required", Type: "value_error.missing"}})
	default:
		code, ok := failCodes[status]
		if !ok {
			code = "INTERNAL_ERROR"
		}
		a.business(status, code, http.StatusText(status), nil)
	}
}

// windowKey names the window of a key's requests counted for a route's
// quota ("" for the per-key quota).
type windowKey struct {
	key, route string
}

// limitState is one quota's window as a request sees it.
type limitState struct {
	q     quota
	win   *window
	reset time.Time
}

// admit counts the request in the fixed windows of the key's quotas (the
// per-key one and the route's), sets the X-RateLimit-* headers of the
// quota with the least left, and answers 429 when a window is used up.
func (s *Server) admit(w http.ResponseWriter, key, route string) bool {
	now := s.now()
	routes := []string{""}
	if route != "" {
		routes = append(routes, route)
	}
	var states []limitState
	for _, r := range routes {
		q, ok := s.quotas[r]
		if !ok {
			continue
		}
		start := now.Truncate(q.per)
		k := windowKey{key, r}
		win := s.windows[k]
		if win == nil || !win.start.Equal(start) {
			win = &window{start: start}
			s.windows[k] = win
		}
		states = append(states, limitState{q: q, win: win, reset: start.Add(q.per)})
	}
	for _, st := range states {
		if st.win.count >= st.q.limit {
			s.limited++
			setLimitHeaders(w.Header(), st)
			secs := max(int(math.Ceil(st.reset.Sub(now).Seconds())), 1)
			(&answer{w: w}).business(http.StatusTooManyRequests, "RATE_LIMIT_EXCEEDED",
				fmt.Sprintf("Rate limit exceeded. Try again in %d seconds.", secs),
				map[string]any{"retry_after_seconds": secs})
			return false
		}
	}
	var shown *limitState
	for i := range states {
		st := &states[i]
		st.win.count++
		if shown == nil || st.q.limit-st.win.count < shown.q.limit-shown.win.count {
			shown = st
		}
	}
	if shown != nil {
		setLimitHeaders(w.Header(), *shown)
	}
	return true
}

// setLimitHeaders writes Cohost's rate-limit headers; the reset is in Unix
// seconds.
func setLimitHeaders(h http.Header, st limitState) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(st.q.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(st.q.limit-st.win.count, 0)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(int64(math.Ceil(float64(st.reset.UnixNano())/1e9)), 10))
}

// answer writes JSON answers in Cohost's shapes.
type answer struct {
	w http.ResponseWriter
}

func (a *answer) json(status int, v any) {
	a.w.Header().Set("Content-Type", "application/json")
	a.w.WriteHeader(status)
	_ = json.NewEncoder(a.w).Encode(v)
}

// business writes a business error: {"code", "message", "details"}.
func (a *answer) business(status int, code, message string, details map[string]any) {
	if details == nil {
		details = map[string]any{}
	}
	a.json(status, map[string]any{"code": code, "message": message, "details": details})
}

// detail writes FastAPI's {"detail": "text"}.
func (a *answer) detail(status int, text string) {
	a.json(status, map[string]any{"detail": text})
}

// fieldError is one entry of a FastAPI validation answer.
type fieldError struct {
	Loc  []string `json:"loc"`
	Msg  string   `json:"msg"`
	Type string   `json:"type"`
}

// invalid writes FastAPI's 422 {"detail": [{loc, msg, type}]}.
func (a *answer) invalid(errs []fieldError) {
	a.json(http.StatusUnprocessableEntity, map[string]any{"detail": errs})
}
