package cohosttest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/partnerkit/partnerkit-go/internal/fakekit"
)

// Credentials, seed IDs and defaults of a new fake.
const (
	// APIKey is the partner key a new fake accepts, bound to Teams.
	APIKey = "ck_test_partnerkit_fake_key"
	// ListingID is the first listing of team 1, a villa for 6.
	ListingID = "101"
	// ForeignListingID is a listing of team 9, which APIKey does not manage.
	ForeignListingID = "901"
	// DefaultRateLimit requests per DefaultRatePeriod are allowed per key,
	// as Cohost documents (cohost.DefaultRateLimit, cohost.DefaultRatePeriod).
	DefaultRateLimit = 60
	// DefaultRatePeriod is the window of DefaultRateLimit.
	DefaultRatePeriod = time.Minute
	// TokenLifetime is the life of a customer token (expires_in).
	TokenLifetime = 24 * time.Hour
	// CustomerBookingsPath serves a logged-in customer's bookings.
	CustomerBookingsPath = "/customers/me/bookings"
)

// Teams are the teams APIKey manages. A new fake copies them.
var Teams = []string{"1", "2"}

// Listing is a listing the fake holds.
type Listing struct {
	// ID is a number written as a string, as every ID of the fake; Cohost
	// sends it as a JSON number.
	ID           string  `json:"id"`
	TeamID       string  `json:"team_id"`
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
	ID         string    `json:"id"`
	ListingID  string    `json:"listing_id"`
	TeamID     string    `json:"team_id"`
	UserID     *string   `json:"user_id"`
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
	ID            string   `json:"id"`
	Email         string   `json:"email"`
	FullName      string   `json:"full_name"`
	Phone         string   `json:"phone"`
	Teams         []string `json:"teams"`
	EmailVerified bool     `json:"email_verified"`
	Status        string   `json:"status"`
	CreatedAt     string   `json:"created_at"`

	password  string
	lastLogin time.Time
}

// MarshalJSON writes the listing as Cohost does: its IDs as numbers.
func (l Listing) MarshalJSON() ([]byte, error) {
	type fields Listing
	return json.Marshal(struct {
		fields
		ID     json.Number `json:"id"`
		TeamID json.Number `json:"team_id"`
	}{fields(l), json.Number(l.ID), json.Number(l.TeamID)})
}

// MarshalJSON writes the booking as Cohost does: its IDs as numbers,
// user_id null for a partner's booking.
func (b Booking) MarshalJSON() ([]byte, error) {
	type fields Booking
	var user *json.Number
	if b.UserID != nil {
		n := json.Number(*b.UserID)
		user = &n
	}
	return json.Marshal(struct {
		fields
		ID        json.Number  `json:"id"`
		ListingID json.Number  `json:"listing_id"`
		TeamID    json.Number  `json:"team_id"`
		UserID    *json.Number `json:"user_id"`
	}{fields(b), json.Number(b.ID), json.Number(b.ListingID), json.Number(b.TeamID), user})
}

// MarshalJSON writes the customer as Cohost does: its IDs as numbers.
func (c Customer) MarshalJSON() ([]byte, error) {
	type fields Customer
	return json.Marshal(struct {
		fields
		ID    json.Number   `json:"id"`
		Teams []json.Number `json:"teams"`
	}{fields(c), json.Number(c.ID), numbers(c.Teams)})
}

// numbers writes IDs as JSON numbers.
func numbers(ids []string) []json.Number {
	out := make([]json.Number, len(ids))
	for i, id := range ids {
		out[i] = json.Number(id)
	}
	return out
}

// Option configures a new fake.
type Option func(*Server)

// WithClock makes the fake tell time with now, for tests that move time
// (rate-limit windows, token expiry) with their own clock; Advance adds to
// it.
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.kit.SetClock(now) }
}

// WithKey makes the fake also accept key, managing teams.
func WithKey(key string, teams ...string) Option {
	return func(s *Server) {
		for _, t := range teams {
			s.kit.CheckID("WithKey", t)
		}
		s.keys[key] = slices.Clone(teams)
	}
}

// Server is the fake. It is an http.Handler and safe for concurrent use.
type Server struct {
	kit       *fakekit.Kit
	signer    *fakekit.Signer
	mux       *http.ServeMux
	mu        sync.Mutex
	keys      map[string][]string
	listings  []*Listing
	bookings  []*Booking
	customers []*Customer
	nextID    int64
}

// New returns a fake holding APIKey (teams 1 and 2) and six listings: five
// in those teams and one (ForeignListingID) in team 9, which the key does
// not manage. It limits each key to DefaultRateLimit requests per
// DefaultRatePeriod.
func New(opts ...Option) *Server {
	s := &Server{
		kit:    fakekit.New("cohosttest", fakekit.Aligned, slices.Sorted(maps.Keys(routes))...),
		signer: fakekit.NewSigner(),
		keys:   map[string][]string{APIKey: slices.Clone(Teams)},
		nextID: 1000,
	}
	s.kit.SetRateLimit("", DefaultRateLimit, DefaultRatePeriod)
	seed := []Listing{
		{ID: "101", TeamID: "1", Name: "Da Lat Pine Villa", PropertyType: "VILLA", Address: "12 Tran Phu, Da Lat", ProvinceCode: "68", Capacity: 6, Bedrooms: 3, FullRate: 1500000},
		{ID: "102", TeamID: "1", Name: "Hoi An Riverside House", PropertyType: "HOUSE", Address: "5 Bach Dang, Hoi An", ProvinceCode: "49", Capacity: 4, Bedrooms: 2, FullRate: 1100000},
		{ID: "103", TeamID: "1", Name: "Sa Pa Cloud Cabin", PropertyType: "CABIN", Address: "8 Fansipan, Sa Pa", ProvinceCode: "10", Capacity: 2, Bedrooms: 1, FullRate: 800000},
		{ID: "201", TeamID: "2", Name: "Saigon Loft", PropertyType: "APARTMENT", Address: "40 Le Loi, District 1", ProvinceCode: "79", Capacity: 3, Bedrooms: 1, FullRate: 950000},
		{ID: "202", TeamID: "2", Name: "Nha Trang Sea View", PropertyType: "APARTMENT", Address: "72 Tran Phu, Nha Trang", ProvinceCode: "56", Capacity: 4, Bedrooms: 2, FullRate: 1250000},
		{ID: "901", TeamID: "9", Name: "Another Partner's Villa", PropertyType: "VILLA", Address: "1 Hung Vuong, Hue", ProvinceCode: "46", Capacity: 8, Bedrooms: 4, FullRate: 3000000},
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

// fill gives the empty fields of l their defaults.
func fill(l Listing) *Listing {
	l.ListingType = cmp.Or(l.ListingType, "ENTIRE_PLACE")
	l.CountryCode = cmp.Or(l.CountryCode, "VN")
	l.State = cmp.Or(l.State, "ACTIVE")
	l.Currency = cmp.Or(l.Currency, "VND")
	l.CreatedAt = cmp.Or(l.CreatedAt, "2025-01-10T08:00:00Z")
	return &l
}

// now is the fake's time: its clock moved by Advance.
func (s *Server) now() time.Time {
	return s.kit.Now()
}

// newID returns a new ID for a listing, a booking or a customer.
func (s *Server) newID() string {
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

// Advance moves the fake's clock forward by d: rate-limit windows end and
// customer tokens expire as if d had passed. With WithClock, it moves the
// fake's time ahead of that clock.
func (s *Server) Advance(d time.Duration) {
	s.kit.Advance(d)
}

// AddListing adds a listing (filling in defaults for empty fields) and
// returns its ID: l.ID, or a new one when l.ID is empty. A listing with
// the ID of one the fake holds replaces it. It panics on an ID that is not
// a number.
func (s *Server) AddListing(l Listing) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l.ID == "" {
		l.ID = s.newID()
	}
	s.kit.CheckID("AddListing", l.ID)
	s.kit.CheckID("AddListing", l.TeamID)
	s.listings = slices.DeleteFunc(s.listings, func(old *Listing) bool { return old.ID == l.ID })
	s.listings = append(s.listings, fill(l))
	return l.ID
}

// AddCustomer adds a customer account with a password and returns its ID.
// The account's e-mail is verified when c.EmailVerified is set.
func (s *Server) AddCustomer(c Customer, password string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range c.Teams {
		s.kit.CheckID("AddCustomer", t)
	}
	c.ID = s.newID()
	c.password = password
	c.Teams = slices.Clone(c.Teams)
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
func (s *Server) VerifyEmail(customerID string) bool {
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
func (s *Server) Token(customerID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.customerByID(customerID)
	if c == nil {
		return "", false
	}
	return s.token(c), true
}

// FailNext makes the next n requests fail with status and Cohost's error
// body for it, before any check (the key, the quota, the route): a 429
// gets the documented rate limit body (retry_after_seconds 30), a 422 a
// FastAPI validation body, any other status a business error {code,
// message, details}. Failures queue: a second call adds n more after those
// still pending.
func (s *Server) FailNext(n, status int) {
	s.kit.FailNext(n, fakekit.Failure{Status: status})
}

// SetRateLimit sets a quota of limit requests in each fixed window of
// length per aligned on the clock, counted for each key and starting
// afresh. Route "" is Cohost's per-key quota (DefaultRateLimit per
// DefaultRatePeriod in a new fake); a route such as "POST /bookings" gets
// a quota of its own, counted on top of the per-key one. A limit or a
// period of zero or less removes the quota. It panics on a route the fake
// does not serve.
func (s *Server) SetRateLimit(route string, limit int, per time.Duration) {
	s.kit.SetRateLimit(route, limit, per)
}

// Requests returns how many requests the fake received on route, such as
// "POST /bookings" or "GET /listings/{id}/availability" (see the package
// documentation), those refused and failed included; route "" counts every
// request, those to unknown paths too. It panics on a route the fake does
// not serve, naming those it serves.
func (s *Server) Requests(route string) int {
	return s.kit.Requests(route)
}

// RateLimited returns how many requests were answered 429 for a spent
// quota (FailNext's are not counted).
func (s *Server) RateLimited() int {
	return s.kit.RateLimited()
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
	a := &answer{w: w}
	if f, failed := s.kit.Receive(route); failed {
		fail(a, f.Status)
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
func fail(a *answer, status int) {
	switch status {
	case http.StatusTooManyRequests:
		a.business(status, "RATE_LIMIT_EXCEEDED", "Rate limit exceeded. Try again in 30 seconds.", map[string]any{"retry_after_seconds": 30})
	case http.StatusUnprocessableEntity:
		a.invalid([]fieldError{{Loc: []string{"body"}, Msg: "field required", Type: "value_error.missing"}})
	default:
		code, ok := failCodes[status]
		if !ok {
			code = "INTERNAL_ERROR"
		}
		a.business(status, code, http.StatusText(status), nil)
	}
}

// admit counts the request against the key's quotas (the per-key one and
// the route's), sets the X-RateLimit-* headers of the quota with the least
// left, and answers 429 when one is spent.
func (s *Server) admit(w http.ResponseWriter, key, route string) bool {
	v := s.kit.Admit(key, "", route)
	if st, ok := v.Tightest(); ok {
		h := w.Header()
		h.Set("X-RateLimit-Limit", strconv.Itoa(st.Limit))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(st.Remaining))
		h.Set("X-RateLimit-Reset", strconv.FormatInt(int64(math.Ceil(float64(st.Reset.UnixNano())/1e9)), 10))
	}
	if v.Admitted() {
		return true
	}
	secs := v.RetryAfter()
	(&answer{w: w}).business(http.StatusTooManyRequests, "RATE_LIMIT_EXCEEDED",
		fmt.Sprintf("Rate limit exceeded. Try again in %d seconds.", secs),
		map[string]any{"retry_after_seconds": secs})
	return false
}

// answer writes JSON answers in Cohost's shapes.
type answer struct {
	w http.ResponseWriter
}

func (a *answer) json(status int, v any) {
	fakekit.WriteJSON(a.w, status, v)
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
