package cohosttest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// handler answers one route; teams are the teams of the request's key.
type handler func(s *Server, a *answer, r *http.Request, teams []string)

// routes are the fake's routes, by "METHOD /path/template".
var routes = map[string]handler{
	"GET /listings":                            (*Server).listListings,
	"GET /listings/{id}/availability":          (*Server).availability,
	"POST /bookings":                           (*Server).createBooking,
	"GET /bookings":                            (*Server).listBookings,
	"POST /customers/register":                 (*Server).register,
	"GET /customers":                           (*Server).listCustomers,
	"GET /customers/{id}":                      (*Server).getCustomer,
	"PATCH /customers/{id}":                    (*Server).updateCustomer,
	"DELETE /customers/{id}/teams/{team_id}":   (*Server).removeFromTeam,
	"POST /customers/login":                    (*Server).login,
	"GET /customers/{id}/login-status":         (*Server).loginStatus,
	"POST /customers/{id}/resend-verification": (*Server).resendVerification,
	"GET " + CustomerBookingsPath:              (*Server).myBookings,
	"POST " + CustomerBookingsPath:             (*Server).createMyBooking,
}

// page writes one page of items, Cohost's list shape. Pages start at 1;
// the default size is 20, the largest 100.
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
func teamFilter(a *answer, r *http.Request, teams []string) ([]string, bool) {
	raw := r.URL.Query().Get("team_ids")
	if raw == "" {
		return teams, true
	}
	var asked []int64
	if err := json.Unmarshal([]byte(raw), &asked); err != nil {
		a.business(http.StatusBadRequest, "EXTERNAL_INVALID_REQUEST", "team_ids must be a JSON array of integers, such as [1,2,3]", nil)
		return nil, false
	}
	var out []string
	for _, t := range asked {
		if id := strconv.FormatInt(t, 10); slices.Contains(teams, id) {
			out = append(out, id)
		}
	}
	return out, true
}

func (s *Server) listListings(a *answer, r *http.Request, teams []string) {
	filter, ok := teamFilter(a, r, teams)
	if !ok {
		return
	}
	q := r.URL.Query()
	items := []*Listing{}
	for _, l := range s.listings {
		if slices.Contains(filter, l.TeamID) && (q.Get("state") == "" || q.Get("state") == l.State) &&
			(q.Get("country_code") == "" || q.Get("country_code") == l.CountryCode) &&
			(q.Get("province_code") == "" || q.Get("province_code") == l.ProvinceCode) {
			items = append(items, l)
		}
	}
	page(a, r, items)
}

func (s *Server) listing(id string) *Listing {
	for _, l := range s.listings {
		if l.ID == id {
			return l
		}
	}
	return nil
}

// accessible finds a listing the key may use, answering the documented
// error when it cannot: notMine is the status for a listing of another
// team.
func (s *Server) accessible(a *answer, id string, teams []string, notMine int) *Listing {
	l := s.listing(id)
	switch {
	case l == nil:
		a.business(http.StatusNotFound, "LISTING_NOT_FOUND", "Listing "+id+" not found", nil)
		return nil
	case !slices.Contains(teams, l.TeamID):
		a.business(notMine, "EXTERNAL_LISTING_NOT_ACCESSIBLE", "Listing "+id+" does not belong to the teams of this API key", nil)
		return nil
	}
	return l
}

func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil && t.Format(time.DateOnly) == s
}

func (s *Server) availability(a *answer, r *http.Request, teams []string) {
	l := s.accessible(a, r.PathValue("id"), teams, http.StatusNotFound)
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
		"listing_id": json.Number(l.ID), "start_date": q.Get("start_date"), "end_date": q.Get("end_date"),
		"available": all, "days": days,
	})
}

// booked reports whether a confirmed booking of listing overlaps the nights
// from in to out.
func (s *Server) booked(listing string, in, out time.Time) bool {
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

// decode reads a JSON body into v, answering 422 when it cannot.
func decode(a *answer, r *http.Request, v any) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		a.invalid([]fieldError{{Loc: []string{"body"}, Msg: "invalid JSON body", Type: "value_error.jsondecode"}})
		return false
	}
	return true
}

// book creates a booking for the partner (customer nil) or a customer.
func (s *Server) book(a *answer, r *http.Request, teams []string, customer *Customer) {
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
	nights := int(out.Sub(in).Hours() / 24)
	b := &Booking{
		ID: s.newID(), ListingID: l.ID, TeamID: l.TeamID, CheckIn: body.CheckIn, CheckOut: body.CheckOut,
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

func (s *Server) createBooking(a *answer, r *http.Request, teams []string) {
	s.book(a, r, teams, nil)
}

// bookingsOf lists the bookings of the key's teams, of one customer when
// user is set.
func (s *Server) bookingsOf(a *answer, r *http.Request, teams []string, user *string) {
	filter, ok := teamFilter(a, r, teams)
	if !ok {
		return
	}
	q := r.URL.Query()
	items := []*Booking{}
	for _, b := range s.bookings {
		if !slices.Contains(filter, b.TeamID) || (q.Get("state") != "" && q.Get("state") != b.State) {
			continue
		}
		if uid := q.Get("user_id"); uid != "" && (b.UserID == nil || *b.UserID != uid) {
			continue
		}
		if user != nil && (b.UserID == nil || *b.UserID != *user) {
			continue
		}
		items = append(items, b)
	}
	page(a, r, items)
}

func (s *Server) listBookings(a *answer, r *http.Request, teams []string) {
	s.bookingsOf(a, r, teams, nil)
}

func (s *Server) register(a *answer, r *http.Request, teams []string) {
	var body struct {
		Email    string `json:"email"`
		FullName string `json:"full_name"`
		Phone    string `json:"phone"`
		Password string `json:"password"`
	}
	if !decode(a, r, &body) {
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
	c := &Customer{
		ID: s.newID(), Email: body.Email, FullName: body.FullName, Phone: body.Phone, Teams: slices.Clone(teams),
		Status: "ACTIVE", CreatedAt: s.now().UTC().Format(time.RFC3339), password: body.Password,
	}
	s.customers = append(s.customers, c)
	a.json(http.StatusCreated, map[string]any{
		"user_id": json.Number(c.ID), "email": c.Email, "full_name": c.FullName, "teams": numbers(c.Teams),
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

func (s *Server) customerByID(id string) *Customer {
	for _, c := range s.customers {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// customer finds a customer of the key's teams, answering 404 otherwise.
func (s *Server) customer(a *answer, id string, teams []string) *Customer {
	for _, c := range s.customers {
		if c.ID == id && shares(c.Teams, teams) {
			return c
		}
	}
	a.business(http.StatusNotFound, "CUSTOMER_NOT_FOUND", "Customer "+id+" not found", nil)
	return nil
}

func shares(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

func (s *Server) listCustomers(a *answer, r *http.Request, teams []string) {
	filter := teams
	if v := r.URL.Query().Get("team_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			a.invalid([]fieldError{{Loc: []string{"query", "team_id"}, Msg: "value is not a valid integer", Type: "type_error.integer"}})
			return
		}
		filter = nil
		if id := strconv.FormatInt(n, 10); slices.Contains(teams, id) {
			filter = []string{id}
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

func (s *Server) getCustomer(a *answer, r *http.Request, teams []string) {
	if c := s.customer(a, r.PathValue("id"), teams); c != nil {
		a.json(http.StatusOK, c)
	}
}

func (s *Server) updateCustomer(a *answer, r *http.Request, teams []string) {
	c := s.customer(a, r.PathValue("id"), teams)
	if c == nil {
		return
	}
	var body struct {
		FullName *string `json:"full_name"`
		Phone    *string `json:"phone"`
	}
	if !decode(a, r, &body) {
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

func (s *Server) removeFromTeam(a *answer, r *http.Request, teams []string) {
	c := s.customer(a, r.PathValue("id"), teams)
	if c == nil {
		return
	}
	team := r.PathValue("team_id")
	if !slices.Contains(teams, team) || !slices.Contains(c.Teams, team) {
		a.business(http.StatusNotFound, "CUSTOMER_NOT_IN_TEAM", fmt.Sprintf("Customer %s is not in team %s", c.ID, team), nil)
		return
	}
	c.Teams = slices.DeleteFunc(c.Teams, func(t string) bool { return t == team })
	a.json(http.StatusOK, map[string]any{"message": fmt.Sprintf("Customer %s removed from team %s", c.ID, team)})
}

func (s *Server) login(a *answer, r *http.Request, teams []string) {
	var body struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if !decode(a, r, &body) {
		return
	}
	c := s.customerByEmail(body.Email)
	switch {
	case c == nil || c.password == "" || c.password != body.Password:
		a.business(http.StatusUnauthorized, "INVALID_CREDENTIALS", "Invalid email or password", nil)
		return
	case !c.EmailVerified:
		a.business(http.StatusForbidden, "EMAIL_NOT_VERIFIED", "Please verify your email before logging in", nil)
		return
	}
	for _, t := range teams { // documented: login adds the customer to the key's teams
		if !slices.Contains(c.Teams, t) {
			c.Teams = append(c.Teams, t)
		}
	}
	c.lastLogin = s.now()
	a.json(http.StatusOK, map[string]any{
		"access_token": s.token(c), "token_type": "Bearer", "expires_in": int(TokenLifetime.Seconds()),
		"user_id": json.Number(c.ID), "email": c.Email, "full_name": c.FullName, "teams": numbers(c.Teams),
	})
}

func (s *Server) loginStatus(a *answer, r *http.Request, teams []string) {
	c := s.customer(a, r.PathValue("id"), teams)
	if c == nil {
		return
	}
	var last any
	if !c.lastLogin.IsZero() {
		last = c.lastLogin.UTC().Format(time.RFC3339)
	}
	a.json(http.StatusOK, map[string]any{
		"user_id": json.Number(c.ID), "email": c.Email, "email_verified": c.EmailVerified,
		"is_active": c.Status == "ACTIVE", "last_login_at": last,
	})
}

func (s *Server) resendVerification(a *answer, r *http.Request, teams []string) {
	c := s.customer(a, r.PathValue("id"), teams)
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
		if id, ok := s.verify(raw); ok {
			if c := s.customerByID(id); c != nil {
				return c
			}
		}
	}
	a.detail(http.StatusUnauthorized, "Invalid or expired customer token")
	return nil
}

func (s *Server) myBookings(a *answer, r *http.Request, teams []string) {
	if c := s.bearer(a, r); c != nil {
		s.bookingsOf(a, r, teams, &c.ID)
	}
}

func (s *Server) createMyBooking(a *answer, r *http.Request, teams []string) {
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
