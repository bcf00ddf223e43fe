package cohosttest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Credentials and defaults of a new fake.
const (
	// APIKey is the partner key a new fake accepts, bound to Teams.
	APIKey = "ck_test_partnerkit_fake_key"
	// DefaultLimit requests per DefaultPer are allowed per key, as Cohost
	// documents.
	DefaultLimit = 60
	DefaultPer   = time.Minute
	// TokenLifetime is the life of a customer token (expires_in).
	TokenLifetime = 24 * time.Hour
	// CustomerBookingsPath serves a logged-in customer's bookings.
	CustomerBookingsPath = "/customers/me/bookings"
)

// Teams are the teams APIKey manages.
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

// Booking is a booking the fake holds.
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
// (rate-limit windows, token expiry).
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.now = now }
}

// WithKey makes the fake accept key, managing teams.
func WithKey(key string, teams ...int64) Option {
	return func(s *Server) { s.keys[key] = append([]int64(nil), teams...) }
}

// WithRateLimit sets the limit per key: limit requests in each fixed window
// of length per.
func WithRateLimit(limit int, per time.Duration) Option {
	return func(s *Server) { s.limit, s.per = limit, per }
}

// Empty starts the fake with no listings.
func Empty() Option {
	return func(s *Server) { s.listings = nil }
}

// Server is the fake. It is an http.Handler and safe for concurrent use.
type Server struct {
	mu        sync.Mutex
	now       func() time.Time
	keys      map[string][]int64
	limit     int
	per       time.Duration
	windows   map[string]*window
	listings  []*Listing
	bookings  []*Booking
	customers []*Customer
	nextID    int64
	failN     int
	failCode  int
	calls     map[string]int
	limited   int
	signKey   []byte
}

type window struct {
	start time.Time
	count int
}

// New returns a fake holding APIKey (teams 1 and 2) and six listings: five
// in those teams and one in team 9, which the key does not manage.
func New(opts ...Option) *Server {
	s := &Server{
		now:     time.Now,
		keys:    map[string][]int64{APIKey: Teams},
		limit:   DefaultLimit,
		per:     DefaultPer,
		windows: map[string]*window{},
		calls:   map[string]int{},
		nextID:  1000,
		signKey: []byte("cohosttest-signing-key"),
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
func (s *Server) AddCustomer(c Customer, password string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	c.ID = s.nextID
	c.password = password
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
	for _, c := range s.customers {
		if c.ID == customerID {
			c.EmailVerified = true
			return true
		}
	}
	return false
}

// FailNext makes the next n calls fail with status before doing anything.
func (s *Server) FailNext(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failN, s.failCode = n, status
}

// SetRateLimit changes the limit per key.
func (s *Server) SetRateLimit(limit int, per time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limit, s.per = limit, per
	s.windows = map[string]*window{}
}

// Bookings returns a copy of every booking the fake holds, in creation
// order.
func (s *Server) Bookings() []Booking {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Booking, len(s.bookings))
	for i, b := range s.bookings {
		out[i] = *b
	}
	return out
}

// Calls returns how many requests reached the route, such as
// "POST /bookings", rate-limited and failed ones included.
func (s *Server) Calls(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[route]
}

// RateLimited returns how many requests were answered 429.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limited
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	route := r.Method + " " + template(parts)
	s.calls[route]++
	a := &answer{w: w}
	teams, ok := s.keys[r.Header.Get("X-API-Key")]
	if !ok {
		a.business(http.StatusUnauthorized, "INVALID_API_KEY", "Invalid or missing API key", nil)
		return
	}
	if !s.admit(w, r.Header.Get("X-API-Key")) {
		return
	}
	if s.failN > 0 {
		s.failN--
		a.business(s.failCode, "INTERNAL_ERROR", http.StatusText(s.failCode), nil)
		return
	}
	h, ok := routes[route]
	if !ok {
		a.detail(http.StatusNotFound, "Not Found")
		return
	}
	h(s, a, r, parts, teams)
}

// template replaces IDs in a path with {id}, so that calls are counted per
// route.
func template(parts []string) string {
	out := make([]string, len(parts))
	for i, p := range parts {
		if _, err := strconv.ParseInt(p, 10, 64); err == nil {
			p = "{id}"
		}
		out[i] = p
	}
	return "/" + strings.Join(out, "/")
}

var routes = map[string]func(s *Server, a *answer, r *http.Request, parts []string, teams []int64){
	"GET /listings":                            (*Server).listListings,
	"GET /listings/{id}/availability":          (*Server).availability,
	"POST /bookings":                           (*Server).createBooking,
	"GET /bookings":                            (*Server).listBookings,
	"POST /customers/register":                 (*Server).register,
	"GET /customers":                           (*Server).listCustomers,
	"GET /customers/{id}":                      (*Server).getCustomer,
	"PATCH /customers/{id}":                    (*Server).updateCustomer,
	"DELETE /customers/{id}/teams/{id}":        (*Server).removeFromTeam,
	"POST /customers/login":                    (*Server).login,
	"GET /customers/{id}/login-status":         (*Server).loginStatus,
	"POST /customers/{id}/resend-verification": (*Server).resendVerification,
	"GET " + CustomerBookingsPath:              (*Server).myBookings,
	"POST " + CustomerBookingsPath:             (*Server).createMyBooking,
}

// admit counts the request in the key's fixed window, sets the
// X-RateLimit-* headers, and answers 429 when the window is used up.
func (s *Server) admit(w http.ResponseWriter, key string) bool {
	now := s.now()
	start := now.Truncate(s.per)
	win := s.windows[key]
	if win == nil || !win.start.Equal(start) {
		win = &window{start: start}
		s.windows[key] = win
	}
	reset := start.Add(s.per)
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.limit))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(int64(math.Ceil(float64(reset.UnixNano())/1e9)), 10))
	if win.count >= s.limit {
		s.limited++
		h.Set("X-RateLimit-Remaining", "0")
		secs := int(math.Ceil(reset.Sub(now).Seconds()))
		(&answer{w: w}).business(http.StatusTooManyRequests, "RATE_LIMIT_EXCEEDED",
			fmt.Sprintf("Rate limit exceeded. Try again in %d seconds.", secs),
			map[string]any{"retry_after_seconds": secs})
		return false
	}
	win.count++
	h.Set("X-RateLimit-Remaining", strconv.Itoa(s.limit-win.count))
	return true
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

func (a *answer) business(status int, code, message string, details map[string]any) {
	if details == nil {
		details = map[string]any{}
	}
	a.json(status, map[string]any{"code": code, "message": message, "details": details})
}

func (a *answer) detail(status int, text string) {
	a.json(status, map[string]any{"detail": text})
}

// fieldError is one entry of a FastAPI validation answer.
type fieldError struct {
	Loc  []string `json:"loc"`
	Msg  string   `json:"msg"`
	Type string   `json:"type"`
}

func (a *answer) invalid(errs []fieldError) {
	a.json(http.StatusUnprocessableEntity, map[string]any{"detail": errs})
}

// page writes one page of items, Cohost's list shape.
func page[T any](a *answer, r *http.Request, items []T) {
	q := r.URL.Query()
	p, limit := 1, 20
	var errs []fieldError
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			errs = append(errs, fieldError{Loc: []string{"query", "page"}, Msg: "ensure this value is greater than or equal to 1", Type: "value_error.number.not_ge"})
		}
		p = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			errs = append(errs, fieldError{Loc: []string{"query", "limit"}, Msg: "ensure this value is between 1 and 100", Type: "value_error.number.not_in_range"})
		}
		limit = n
	}
	if errs != nil {
		a.invalid(errs)
		return
	}
	from := min((p-1)*limit, len(items))
	to := min(from+limit, len(items))
	a.json(http.StatusOK, map[string]any{
		"items": items[from:to], "total": len(items), "page": p, "limit": limit,
		"total_pages": (len(items) + limit - 1) / limit,
	})
}

// teamFilter reads team_ids ("[1,2]"), keeping only the key's teams.
func teamFilter(a *answer, r *http.Request, teams []int64) ([]int64, bool) {
	raw := r.URL.Query().Get("team_ids")
	if raw == "" {
		return teams, true
	}
	var asked []int64
	if err := json.Unmarshal([]byte(raw), &asked); err != nil {
		a.business(http.StatusBadRequest, "EXTERNAL_INVALID_REQUEST", "team_ids must be a JSON array of integers, such as [1,2,3]", nil)
		return nil, false
	}
	var out []int64
	for _, t := range asked {
		if contains(teams, t) {
			out = append(out, t)
		}
	}
	return out, true
}

func contains(list []int64, v int64) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (s *Server) listListings(a *answer, r *http.Request, _ []string, teams []int64) {
	filter, ok := teamFilter(a, r, teams)
	if !ok {
		return
	}
	q := r.URL.Query()
	items := []*Listing{}
	for _, l := range s.listings {
		if contains(filter, l.TeamID) && (q.Get("state") == "" || q.Get("state") == l.State) &&
			(q.Get("province_code") == "" || q.Get("province_code") == l.ProvinceCode) {
			items = append(items, l)
		}
	}
	page(a, r, items)
}

func (s *Server) listing(id string) *Listing {
	for _, l := range s.listings {
		if strconv.FormatInt(l.ID, 10) == id {
			return l
		}
	}
	return nil
}

// accessible finds a listing the key may use, answering the documented
// error when it cannot.
func (s *Server) accessible(a *answer, id string, teams []int64, notMine int) *Listing {
	l := s.listing(id)
	switch {
	case l == nil:
		a.business(http.StatusNotFound, "LISTING_NOT_FOUND", "Listing "+id+" not found", nil)
		return nil
	case !contains(teams, l.TeamID):
		a.business(notMine, "EXTERNAL_LISTING_NOT_ACCESSIBLE", "Listing "+id+" does not belong to the teams of this API key", nil)
		return nil
	}
	return l
}

func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil && t.Format(time.DateOnly) == s
}

func (s *Server) availability(a *answer, r *http.Request, parts []string, teams []int64) {
	l := s.accessible(a, parts[1], teams, http.StatusNotFound)
	if l == nil {
		return
	}
	q := r.URL.Query()
	start, ok1 := parseDate(q.Get("start_date"))
	end, ok2 := parseDate(q.Get("end_date"))
	if !ok1 || !ok2 || end.Before(start) {
		a.business(http.StatusBadRequest, "EXTERNAL_INVALID_DATE_FORMAT", "start_date and end_date must be YYYY-MM-DD, end_date not before start_date", nil)
		return
	}
	days := []map[string]any{}
	all := true
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		free := !s.booked(l.ID, d, d.AddDate(0, 0, 1))
		all = all && free
		days = append(days, map[string]any{"date": d.Format(time.DateOnly), "available": free, "price": l.FullRate})
	}
	a.json(http.StatusOK, map[string]any{
		"listing_id": l.ID, "start_date": q.Get("start_date"), "end_date": q.Get("end_date"),
		"available": all, "days": days,
	})
}

// booked reports whether a confirmed booking of listing overlaps the nights
// from in to out.
func (s *Server) booked(listing int64, in, out time.Time) bool {
	for _, b := range s.bookings {
		bi, _ := parseDate(b.CheckIn)
		bo, _ := parseDate(b.CheckOut)
		if b.ListingID == listing && b.State == "CONFIRMED" && in.Before(bo) && bi.Before(out) {
			return true
		}
	}
	return false
}

// bookingBody is the body of a booking creation.
type bookingBody struct {
	ListingID json.Number `json:"listing_id"`
	CheckIn   string      `json:"check_in_date"`
	CheckOut  string      `json:"check_out_date"`
	Guests    *int        `json:"guest_number"`
	Guest     *GuestInfo  `json:"guest_info"`
}

func (s *Server) book(a *answer, r *http.Request, teams []int64, customer *Customer) {
	var body bookingBody
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil {
		a.invalid([]fieldError{{Loc: []string{"body"}, Msg: "invalid JSON body", Type: "value_error.jsondecode"}})
		return
	}
	var errs []fieldError
	missing := func(field string) {
		errs = append(errs, fieldError{Loc: []string{"body", field}, Msg: "field required", Type: "value_error.missing"})
	}
	if body.ListingID == "" {
		missing("listing_id")
	}
	in, okIn := parseDate(body.CheckIn)
	out, okOut := parseDate(body.CheckOut)
	if body.CheckIn == "" {
		missing("check_in_date")
	} else if !okIn {
		errs = append(errs, fieldError{Loc: []string{"body", "check_in_date"}, Msg: "invalid date format, expected YYYY-MM-DD", Type: "value_error.date"})
	}
	if body.CheckOut == "" {
		missing("check_out_date")
	} else if !okOut {
		errs = append(errs, fieldError{Loc: []string{"body", "check_out_date"}, Msg: "invalid date format, expected YYYY-MM-DD", Type: "value_error.date"})
	} else if okIn && !out.After(in) {
		errs = append(errs, fieldError{Loc: []string{"body", "check_out_date"}, Msg: "check_out_date must be after check_in_date", Type: "value_error"})
	}
	if body.Guests == nil {
		missing("guest_number")
	} else if *body.Guests < 1 {
		errs = append(errs, fieldError{Loc: []string{"body", "guest_number"}, Msg: "ensure this value is greater than or equal to 1", Type: "value_error.number.not_ge"})
	}
	guest := GuestInfo{}
	switch {
	case body.Guest != nil:
		guest = *body.Guest
	case customer != nil:
		guest = GuestInfo{FullName: customer.FullName, Phone: customer.Phone, Email: customer.Email}
	default:
		missing("guest_info")
	}
	if errs != nil {
		a.invalid(errs)
		return
	}
	l := s.accessible(a, body.ListingID.String(), teams, http.StatusForbidden)
	if l == nil {
		return
	}
	if *body.Guests > l.Capacity {
		a.business(http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("guest_number %d exceeds the listing's capacity of %d", *body.Guests, l.Capacity), nil)
		return
	}
	if s.booked(l.ID, in, out) {
		a.business(http.StatusConflict, "BOOKING_CONFLICT", "The listing is already booked for some of these dates", nil)
		return
	}
	s.nextID++
	nights := int(out.Sub(in).Hours() / 24)
	b := &Booking{
		ID: s.nextID, ListingID: l.ID, TeamID: l.TeamID, CheckIn: body.CheckIn, CheckOut: body.CheckOut,
		Guests: *body.Guests, Guest: guest, State: "CONFIRMED", TotalPrice: float64(nights) * l.FullRate,
		Currency: l.Currency, CreatedAt: s.now().UTC().Format(time.RFC3339),
	}
	if customer != nil {
		id := customer.ID
		b.UserID = &id
	}
	s.bookings = append(s.bookings, b)
	a.json(http.StatusCreated, b)
}

func (s *Server) createBooking(a *answer, r *http.Request, _ []string, teams []int64) {
	s.book(a, r, teams, nil)
}

func (s *Server) bookingsOf(a *answer, r *http.Request, teams []int64, user *int64) {
	filter, ok := teamFilter(a, r, teams)
	if !ok {
		return
	}
	q := r.URL.Query()
	items := []*Booking{}
	for _, b := range s.bookings {
		if !contains(filter, b.TeamID) || (q.Get("state") != "" && q.Get("state") != b.State) {
			continue
		}
		if uid := q.Get("user_id"); uid != "" && (b.UserID == nil || strconv.FormatInt(*b.UserID, 10) != uid) {
			continue
		}
		if user != nil && (b.UserID == nil || *b.UserID != *user) {
			continue
		}
		items = append(items, b)
	}
	page(a, r, items)
}

func (s *Server) listBookings(a *answer, r *http.Request, _ []string, teams []int64) {
	s.bookingsOf(a, r, teams, nil)
}

type registration struct {
	Email    string `json:"email"`
	FullName string `json:"full_name"`
	Phone    string `json:"phone"`
	Password string `json:"password"`
}

func (s *Server) register(a *answer, r *http.Request, _ []string, teams []int64) {
	var body registration
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		a.invalid([]fieldError{{Loc: []string{"body"}, Msg: "invalid JSON body", Type: "value_error.jsondecode"}})
		return
	}
	var errs []fieldError
	for field, v := range map[string]string{"email": body.Email, "full_name": body.FullName, "phone": body.Phone, "password": body.Password} {
		if v == "" {
			errs = append(errs, fieldError{Loc: []string{"body", field}, Msg: "field required", Type: "value_error.missing"})
		}
	}
	if errs != nil {
		sort.Slice(errs, func(i, j int) bool { return errs[i].Loc[1] < errs[j].Loc[1] })
		a.invalid(errs)
		return
	}
	if s.customerByEmail(body.Email) != nil {
		a.business(http.StatusBadRequest, "VALIDATION_ERROR", "A customer with this email already exists", map[string]any{"field": "email"})
		return
	}
	s.nextID++
	c := &Customer{
		ID: s.nextID, Email: body.Email, FullName: body.FullName, Phone: body.Phone, Teams: append([]int64(nil), teams...),
		Status: "ACTIVE", CreatedAt: s.now().UTC().Format(time.RFC3339), password: body.Password,
	}
	s.customers = append(s.customers, c)
	a.json(http.StatusCreated, map[string]any{
		"user_id": c.ID, "email": c.Email, "full_name": c.FullName, "teams": c.Teams,
		"message":                     "Customer registered successfully. Please verify email to activate account.",
		"requires_email_verification": true,
	})
}

func (s *Server) customerByEmail(email string) *Customer {
	for _, c := range s.customers {
		if strings.EqualFold(c.Email, email) {
			return c
		}
	}
	return nil
}

// customer finds a customer of the key's teams.
func (s *Server) customer(a *answer, id string, teams []int64) *Customer {
	for _, c := range s.customers {
		if strconv.FormatInt(c.ID, 10) == id && shares(c.Teams, teams) {
			return c
		}
	}
	a.business(http.StatusNotFound, "CUSTOMER_NOT_FOUND", "Customer "+id+" not found", nil)
	return nil
}

func shares(a, b []int64) bool {
	for _, x := range a {
		if contains(b, x) {
			return true
		}
	}
	return false
}

func (s *Server) listCustomers(a *answer, r *http.Request, _ []string, teams []int64) {
	filter := teams
	if v := r.URL.Query().Get("team_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			a.invalid([]fieldError{{Loc: []string{"query", "team_id"}, Msg: "value is not a valid integer", Type: "type_error.integer"}})
			return
		}
		filter = nil
		if contains(teams, n) {
			filter = []int64{n}
		}
	}
	items := []*Customer{}
	for _, c := range s.customers {
		if shares(c.Teams, filter) {
			items = append(items, c)
		}
	}
	page(a, r, items)
}

func (s *Server) getCustomer(a *answer, _ *http.Request, parts []string, teams []int64) {
	if c := s.customer(a, parts[1], teams); c != nil {
		a.json(http.StatusOK, c)
	}
}

func (s *Server) updateCustomer(a *answer, r *http.Request, parts []string, teams []int64) {
	c := s.customer(a, parts[1], teams)
	if c == nil {
		return
	}
	var body struct {
		FullName *string `json:"full_name"`
		Phone    *string `json:"phone"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		a.invalid([]fieldError{{Loc: []string{"body"}, Msg: "invalid JSON body", Type: "value_error.jsondecode"}})
		return
	}
	if body.FullName != nil {
		c.FullName = *body.FullName
	}
	if body.Phone != nil {
		c.Phone = *body.Phone
	}
	a.json(http.StatusOK, c)
}

func (s *Server) removeFromTeam(a *answer, _ *http.Request, parts []string, teams []int64) {
	c := s.customer(a, parts[1], teams)
	if c == nil {
		return
	}
	team, _ := strconv.ParseInt(parts[3], 10, 64)
	if !contains(teams, team) || !contains(c.Teams, team) {
		a.business(http.StatusNotFound, "CUSTOMER_NOT_IN_TEAM", fmt.Sprintf("Customer %d is not in team %d", c.ID, team), nil)
		return
	}
	kept := c.Teams[:0]
	for _, t := range c.Teams {
		if t != team {
			kept = append(kept, t)
		}
	}
	c.Teams = kept
	a.json(http.StatusOK, map[string]any{"message": fmt.Sprintf("Customer %d removed from team %d", c.ID, team)})
}

func (s *Server) login(a *answer, r *http.Request, _ []string, teams []int64) {
	var body struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		a.invalid([]fieldError{{Loc: []string{"body"}, Msg: "invalid JSON body", Type: "value_error.jsondecode"}})
		return
	}
	c := s.customerByEmail(body.Email)
	switch {
	case c == nil || c.password != body.Password:
		a.business(http.StatusUnauthorized, "INVALID_CREDENTIALS", "Invalid email or password", nil)
		return
	case !c.EmailVerified:
		a.business(http.StatusForbidden, "EMAIL_NOT_VERIFIED", "Please verify your email before logging in", nil)
		return
	}
	for _, t := range teams { // documented: login adds the customer to the key's teams
		if !contains(c.Teams, t) {
			c.Teams = append(c.Teams, t)
		}
	}
	now := s.now()
	c.lastLogin = now
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": strconv.FormatInt(c.ID, 10), "email": c.Email,
		"iat": now.Unix(), "exp": now.Add(TokenLifetime).Unix(),
	}).SignedString(s.signKey)
	if err != nil {
		a.detail(http.StatusInternalServerError, "cannot sign the token")
		return
	}
	a.json(http.StatusOK, map[string]any{
		"access_token": token, "token_type": "Bearer", "expires_in": int(TokenLifetime.Seconds()),
		"user_id": c.ID, "email": c.Email, "full_name": c.FullName, "teams": c.Teams,
	})
}

func (s *Server) loginStatus(a *answer, _ *http.Request, parts []string, teams []int64) {
	c := s.customer(a, parts[1], teams)
	if c == nil {
		return
	}
	var last any
	if !c.lastLogin.IsZero() {
		last = c.lastLogin.UTC().Format(time.RFC3339)
	}
	a.json(http.StatusOK, map[string]any{
		"user_id": c.ID, "email": c.Email, "email_verified": c.EmailVerified,
		"is_active": c.Status == "ACTIVE", "last_login_at": last,
	})
}

func (s *Server) resendVerification(a *answer, _ *http.Request, parts []string, teams []int64) {
	c := s.customer(a, parts[1], teams)
	if c == nil {
		return
	}
	if c.EmailVerified {
		a.business(http.StatusBadRequest, "EXTERNAL_INVALID_STATE", "The email is already verified", nil)
		return
	}
	a.json(http.StatusOK, map[string]any{"message": "Verification email sent to " + c.Email})
}

// bearer returns the customer whose valid token the request carries, or
// answers 401.
func (s *Server) bearer(a *answer, r *http.Request) *Customer {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if ok {
		claims := jwt.MapClaims{}
		_, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return s.signKey, nil },
			jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(s.now))
		if err == nil {
			sub, _ := claims.GetSubject()
			for _, c := range s.customers {
				if strconv.FormatInt(c.ID, 10) == sub {
					return c
				}
			}
		}
	}
	a.detail(http.StatusUnauthorized, "Invalid or expired customer token")
	return nil
}

func (s *Server) myBookings(a *answer, r *http.Request, _ []string, teams []int64) {
	if c := s.bearer(a, r); c != nil {
		s.bookingsOf(a, r, teams, &c.ID)
	}
}

func (s *Server) createMyBooking(a *answer, r *http.Request, _ []string, teams []int64) {
	c := s.bearer(a, r)
	if c == nil {
		return
	}
	if !c.EmailVerified {
		a.business(http.StatusForbidden, "EMAIL_NOT_VERIFIED", "Please verify your email before booking", nil)
		return
	}
	s.book(a, r, teams, c)
}
