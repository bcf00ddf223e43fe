// Package colivingtest is an in-memory fake of the Coliving.com Integrations
// API, for tests and demonstrations: the examples run against it when no
// key is set, and partners can point their own integration at it.
//
// The fake serves every version and environment prefix (/v1, /v2,
// /v1/sandbox, /v2/sandbox) from one store. It behaves as Coliving
// documents: it accepts the key as X-API-Key or Authorization: Bearer and
// answers 401 {"success": false, "error": "API key missing"} without one;
// GET /me answers flat in v1 and inside data in v2; room types are served
// only to the listing's owner (404 otherwise); availability updates are
// validated (422 with an errors map), checked for ownership (403 with
// unauthorized_listing_ids, 400 with invalid_room_types) and stored; the
// provider key call answers created, updated or unchanged, and 409 conflict
// when the key belongs to another host. GET /me is limited to 60 requests a
// minute per IP address and availability updates to 100 a minute per key,
// with the documented 429 body {"success": false, "error": "Rate limit
// exceeded", "retry_after": 45}.
//
// It starts with the test data of Coliving's documents: host 6368 "Demo
// Host" (key APIKey), listing 5325 "Demo listing" and its room type 38753
// "Full Bedroom" with 6 rooms; and a second host (key OtherAPIKey) who owns
// listing 999, so that ownership refusals can be tried:
//
//	fake := colivingtest.New()
//	srv := httptest.NewServer(fake)
//	defer srv.Close()
//	c, _ := coliving.New(colivingtest.APIKey, colivingtest.Integrator, partnerkit.WithBaseURL(srv.URL))
//	// ... push availability ...
//	days := fake.Availability(colivingtest.ListingID, colivingtest.RoomTypeID)
//	fmt.Println(days["2025-12-01"], fake.Requests("POST /integrations/{provider}/availability"))
//
// Its test knobs are those of every partnerkit fake, with the semantics
// ARCHITECTURE.md states: WithClock and Advance (the fake's time), FailNext
// (the next requests fail, before any check; failures queue), SetRateLimit
// (a route's quota, or the per-key quota; a limit or period of zero or less
// removes it), Requests (requests received on a route; it panics on a
// route the fake does not serve) and RateLimited. A route is a method and
// a path template, whatever the version and the environment:
//
//	GET /me
//	GET /integrations/{provider}/listings/{listing_id}/room-types
//	POST /integrations/{provider}/availability
//	POST /integrations/{provider}/provider-key
//
// Coliving's own knobs add hosts, listings and integrators, read what the
// fake holds, and make 429 answers carry a Retry-After header. Every ID the
// fake takes or gives is a number written as a string (ListingID is
// "5325"), as partnerkit.ID holds it.
//
// A Server is safe for concurrent use.
package colivingtest

import (
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/partnerkit/partnerkit-go/internal/fakekit"
)

// The fake's test data.
const (
	// APIKey is the key of the demo host, HostID.
	APIKey = "sk_test_colivingtest_demohost_6368"
	// Integrator is an integrator id the fake knows (the {provider} of
	// Coliving's paths); "siteminder" and "beds24" are known too
	// (AddIntegrator adds more).
	Integrator = "mangobeds"
	// HostID, ListingID and RoomTypeID are the demo host, its listing and
	// the listing's room type.
	HostID     = "6368"
	ListingID  = "5325"
	RoomTypeID = "38753"
	// RoomTypeAmount is the number of rooms of RoomTypeID.
	RoomTypeAmount = 6

	// OtherAPIKey is the key of a second host, OtherHostID, who owns
	// OtherListingID (room type OtherRoomTypeID).
	OtherAPIKey     = "sk_test_colivingtest_otherhost_7001"
	OtherHostID     = "7001"
	OtherListingID  = "999"
	OtherRoomTypeID = "99901"
)

// The quotas of a new fake, as Coliving documents them and the client
// names them (coliving.MeRateLimit, coliving.AvailabilityRateLimit).
const (
	// MeRateLimit is how many key verifications (GET /me) the fake accepts
	// per MeRatePeriod from one IP address.
	MeRateLimit  = 60
	MeRatePeriod = time.Minute
	// AvailabilityRateLimit is how many availability updates the fake
	// accepts per AvailabilityRatePeriod for one API key.
	AvailabilityRateLimit  = 100
	AvailabilityRatePeriod = time.Minute
)

// The path templates of the Integrations API, under the version and
// environment prefix.
const (
	pathMe           = "/me"
	pathRoomTypes    = "/integrations/{provider}/listings/{listing_id}/room-types"
	pathAvailability = "/integrations/{provider}/availability"
	pathProviderKey  = "/integrations/{provider}/provider-key"
)

// The documented routes.
const (
	routeMe           = "GET " + pathMe
	routeRoomTypes    = "GET " + pathRoomTypes
	routeAvailability = "POST " + pathAvailability
	routeProviderKey  = "POST " + pathProviderKey
)

// templates are the paths of the routes.
var templates = []string{pathMe, pathRoomTypes, pathAvailability, pathProviderKey}

// routes are the routes the fake serves, one a template.
var routes = []string{routeMe, routeRoomTypes, routeAvailability, routeProviderKey}

// Host is a Coliving host account.
type Host struct {
	// ID is a number written as a string.
	ID          string
	Name        string
	Email       string
	APIKey      string
	CreatedAt   time.Time
	LastLoginAt time.Time
}

// Listing is a host's listing and its room types.
type Listing struct {
	ID        string
	HostID    string
	Name      string
	StayMin   int
	RoomTypes []RoomType
}

// RoomType is a kind of room of a listing. A nil monthly price is sent as
// null.
type RoomType struct {
	ID            string
	Name          string
	RoomType      string
	BedType       string
	BathroomType  string
	Gender        string
	Amount        int
	MaxOccupancy  int
	RoomSize      float64
	RoomSizeUnit  string
	AvailableAt   string
	Currency      string
	BasePrice     float64
	MonthlyPrices [12]*float64
}

// Option configures a Server.
type Option func(*Server)

// WithClock makes the fake tell time with now (for its rate limits and
// timestamps), for example a test clock shared with the client; Advance
// adds to it.
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.kit.SetClock(now) }
}

// Server is the fake, an http.Handler. Build it with New.
type Server struct {
	kit          *fakekit.Kit
	mu           sync.Mutex
	hosts        map[string]*Host // by API key
	listings     map[string]*Listing
	providers    map[string]bool
	providerKeys map[string]map[string]string // provider -> key -> host
	hostKeys     map[string]map[string]string // provider -> host -> key
	avail        map[[2]string]map[string]int
	retryHeader  bool
	seq          int // of request IDs
	nextListing  int // of listing IDs
}

// New returns a fake holding the test data of Coliving's documents, with
// the documented quotas: MeRateLimit per MeRatePeriod on GET /me,
// AvailabilityRateLimit per AvailabilityRatePeriod on availability
// updates.
func New(opts ...Option) *Server {
	s := &Server{
		kit:          fakekit.New("colivingtest", fakekit.Sliding, routes...),
		hosts:        map[string]*Host{},
		listings:     map[string]*Listing{},
		providers:    map[string]bool{"mangobeds": true, "siteminder": true, "beds24": true},
		providerKeys: map[string]map[string]string{},
		hostKeys:     map[string]map[string]string{},
		avail:        map[[2]string]map[string]int{},
	}
	s.kit.SetRateLimit(routeMe, MeRateLimit, MeRatePeriod)
	s.kit.SetRateLimit(routeAvailability, AvailabilityRateLimit, AvailabilityRatePeriod)
	for _, o := range opts {
		o(s)
	}
	created := time.Date(2023, 6, 15, 8, 20, 0, 0, time.UTC)
	s.AddHost(Host{ID: HostID, Name: "Demo Host", Email: "demohost@palmesus.no", APIKey: APIKey,
		CreatedAt: created, LastLoginAt: time.Date(2024, 1, 14, 16, 45, 0, 0, time.UTC)})
	s.AddListing(Listing{ID: ListingID, HostID: HostID, Name: "Demo listing", StayMin: 30, RoomTypes: []RoomType{{
		ID: RoomTypeID, Name: "Full Bedroom", RoomType: "private", BedType: "king", BathroomType: "private",
		Gender: "Separated", Amount: RoomTypeAmount, MaxOccupancy: 1, RoomSize: 15, RoomSizeUnit: "m2",
		Currency: "USD", BasePrice: 1000,
	}}})
	s.AddHost(Host{ID: OtherHostID, Name: "Other Host", Email: "other@example.com", APIKey: OtherAPIKey, CreatedAt: created})
	s.AddListing(Listing{ID: OtherListingID, HostID: OtherHostID, Name: "Other listing", StayMin: 30, RoomTypes: []RoomType{{
		ID: OtherRoomTypeID, Name: "Shared Room", RoomType: "shared", BedType: "single", BathroomType: "shared",
		Gender: "Mixed", Amount: 4, MaxOccupancy: 1, RoomSize: 12, RoomSizeUnit: "m2", Currency: "EUR", BasePrice: 600,
	}}})
	return s
}

// AddHost adds a host account, or replaces the one with the same API key.
// It panics on an ID that is not a number.
func (s *Server) AddHost(h Host) {
	s.kit.CheckID("AddHost", h.ID)
	s.mu.Lock()
	defer s.mu.Unlock()
	c := h
	s.hosts[h.APIKey] = &c
}

// AddListing adds a listing owned by l.HostID and returns its ID: l.ID, or
// a new one when l.ID is empty. A listing with the ID of one the fake
// holds replaces it. It panics on an ID that is not a number.
func (s *Server) AddListing(l Listing) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := l
	if c.ID == "" {
		s.nextListing++
		c.ID = strconv.Itoa(100000 + s.nextListing)
	}
	s.kit.CheckID("AddListing", c.ID)
	s.kit.CheckID("AddListing", c.HostID)
	c.RoomTypes = slices.Clone(l.RoomTypes)
	for _, rt := range c.RoomTypes {
		s.kit.CheckID("AddListing", rt.ID)
	}
	s.listings[c.ID] = &c
	return c.ID
}

// AddIntegrator makes the fake accept another integrator id.
func (s *Server) AddIntegrator(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.providers[id] = true
}

// Availability returns a copy of the availability the fake holds for a room
// type of a listing, by day ("2025-12-01" -> rooms available). Days never
// set are absent.
func (s *Server) Availability(listingID, roomTypeID string) map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.avail[[2]string{listingID, roomTypeID}]))
	for d, n := range s.avail[[2]string{listingID, roomTypeID}] {
		out[d] = n
	}
	return out
}

// ProviderKey returns the provider key registered for host hostID by the
// integrator, if any.
func (s *Server) ProviderKey(integrator, hostID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.hostKeys[integrator][hostID]
	return k, ok
}

// FailNext makes the next n requests fail with status, before any check
// (the path, the key, the quotas), with Coliving's error body {"success":
// false, "error": "<status text>"}; a 429 is the documented rate-limit
// body, with retry_after 1. Failures queue: a second call adds n more
// after those still pending.
func (s *Server) FailNext(n, status int) {
	s.kit.FailNext(n, fakekit.Failure{Status: status})
}

// SetRateLimit sets the quota of route to limit requests in any period
// per, counted afresh; a limit or a period of zero or less removes it.
// route is a method and a path template, such as "GET /me" (counted per IP
// address, as Coliving documents) or
// "POST /integrations/{provider}/availability" (counted per API key), or ""
// for a quota of every request of an API key, which Coliving does not
// document and the fake does not start with. A request over a quota gets
// the documented 429 body. SetRateLimit panics on a route the fake does not
// serve.
func (s *Server) SetRateLimit(route string, limit int, per time.Duration) {
	s.kit.SetRateLimit(route, limit, per)
}

// SendRetryAfterHeader makes 429 answers carry a Retry-After header as well
// as the body's retry_after (Coliving may or may not send it).
func (s *Server) SendRetryAfterHeader(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retryHeader = on
}

// Advance moves the fake's clock forward by d, as if time had passed (rate
// limit windows expire).
func (s *Server) Advance(d time.Duration) {
	s.kit.Advance(d)
}

// Requests returns how many requests the fake has received on route, a
// method and a path template such as
// "POST /integrations/{provider}/availability" (in any version and
// environment), those refused and failed included, or on every route for
// "", those of no route too. It panics on a route the fake does not serve,
// naming those it serves.
func (s *Server) Requests(route string) int {
	return s.kit.Requests(route)
}

// RateLimited returns how many requests a spent quota refused (FailNext's
// 429 are not counted).
func (s *Server) RateLimited() int {
	return s.kit.RateLimited()
}

func (s *Server) clock() time.Time {
	return s.kit.Now()
}

// ServeHTTP answers one request as Coliving would.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	reqID := fmt.Sprintf("req_%06d", s.seq)
	w.Header().Set("X-Request-Id", reqID)
	a := &answerer{w: w, s: s, reqID: reqID}

	version, rest, ok := splitPrefix(r.URL.Path)
	template, params := match(rest)
	want := http.MethodPost
	if template == pathMe || template == pathRoomTypes {
		want = http.MethodGet
	}
	route := ""
	if ok && template != "" && r.Method == want {
		route = want + " " + template
	}
	if f, failed := s.kit.Receive(route); failed {
		if f.Status == http.StatusTooManyRequests {
			a.rateLimited(time.Second)
			return
		}
		a.fail(f.Status, http.StatusText(f.Status))
		return
	}
	if !ok || template == "" {
		a.fail(http.StatusNotFound, "Not found")
		return
	}
	if !a.method(r, want) {
		return
	}
	// /me is limited per IP address, before the key is read; the other
	// routes and the per-key quota count the key's requests.
	if template == pathMe && s.limited(a, "ip:"+clientIP(r), route) {
		return
	}
	h := s.authenticate(a, r)
	if h == nil {
		return
	}
	keyed := []string{""}
	if template != pathMe {
		keyed = append(keyed, route)
	}
	if s.limited(a, "key:"+h.APIKey, keyed...) {
		return
	}
	if template == pathMe {
		s.me(a, h, version)
		return
	}
	provider := params[0]
	if !s.knownProvider(a, provider) {
		return
	}
	switch template {
	case pathRoomTypes:
		s.roomTypes(a, h, params[1])
	case pathAvailability:
		s.updateAvailability(a, h, r)
	case pathProviderKey:
		s.setProviderKey(a, h, provider, r)
	}
}

// match returns the template that path (without its prefix) fills and the
// values of its placeholders, or "" for a path the fake does not serve.
func match(path string) (string, []string) {
	got := strings.Split(strings.TrimPrefix(path, "/"), "/")
	for _, template := range templates {
		want := strings.Split(strings.TrimPrefix(template, "/"), "/")
		if len(want) != len(got) {
			continue
		}
		var params []string
		for i, part := range want {
			if strings.HasPrefix(part, "{") {
				if got[i] == "" {
					break
				}
				params = append(params, got[i])
			} else if part != got[i] {
				break
			}
			if i == len(want)-1 {
				return template, params
			}
		}
	}
	return "", nil
}

// splitPrefix removes /v1, /v2 and an optional /sandbox from path.
func splitPrefix(path string) (version, rest string, ok bool) {
	for _, v := range []string{"v1", "v2"} {
		p := "/" + v
		if !strings.HasPrefix(path, p+"/") {
			continue
		}
		rest = strings.TrimPrefix(path, p)
		if strings.HasPrefix(rest, "/sandbox/") {
			rest = strings.TrimPrefix(rest, "/sandbox")
		}
		return v, rest, true
	}
	return "", "", false
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// authenticate returns the host of the request's key, or answers 401.
func (s *Server) authenticate(a *answerer, r *http.Request) *Host {
	key := strings.TrimSpace(r.Header.Get("X-API-Key"))
	if key == "" {
		if v, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			key = strings.TrimSpace(v)
		}
	}
	if key == "" {
		a.fail(http.StatusUnauthorized, "API key missing")
		return nil
	}
	h, ok := s.hosts[key]
	if !ok {
		a.fail(http.StatusUnauthorized, "Invalid API key")
		return nil
	}
	return h
}

func (s *Server) knownProvider(a *answerer, provider string) bool {
	if s.providers[provider] {
		return true
	}
	a.envelope(http.StatusNotFound, "unsupported_provider", fmt.Sprintf("Provider %q is not supported", provider), nil)
	return false
}

// limited answers 429 when a quota of routes for caller who is spent;
// otherwise it counts the request against each and reports false.
func (s *Server) limited(a *answerer, who string, routes ...string) bool {
	v := s.kit.Admit(who, routes...)
	if v.Admitted() {
		return false
	}
	a.rateLimited(v.Wait)
	return true
}

func (s *Server) me(a *answerer, h *Host, version string) {
	created := h.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z")
	if version == "v2" {
		a.json(http.StatusOK, map[string]any{"success": true, "data": map[string]any{
			"name": h.Name, "email": h.Email, "created_at": created}})
		return
	}
	var lastLogin any
	if !h.LastLoginAt.IsZero() {
		lastLogin = h.LastLoginAt.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	a.json(http.StatusOK, map[string]any{
		"success":             true,
		"api_key_verified_at": s.clock().UTC().Format("2006-01-02T15:04:05.000Z"),
		"name":                h.Name, "email": h.Email, "created_at": created, "last_login_at": lastLogin,
	})
}

func (s *Server) roomTypes(a *answerer, h *Host, listingID string) {
	id, err := strconv.ParseInt(listingID, 10, 64)
	l, ok := s.listings[strconv.FormatInt(id, 10)]
	if err != nil || !ok || l.HostID != h.ID {
		a.fail(http.StatusNotFound, "Listing not found or unauthorized")
		return
	}
	list := make([]map[string]any, 0, len(l.RoomTypes))
	for _, rt := range l.RoomTypes {
		prices := map[string]any{"currency": rt.Currency, "base_price": rt.BasePrice}
		for i, k := range monthKeys {
			if p := rt.MonthlyPrices[i]; p != nil {
				prices[k] = *p
			} else {
				prices[k] = nil
			}
		}
		var availableAt any
		if rt.AvailableAt != "" {
			availableAt = rt.AvailableAt
		}
		list = append(list, map[string]any{
			"room_type_id": json.Number(rt.ID), "listing_id": json.Number(l.ID), "name": rt.Name, "room_type": rt.RoomType,
			"bed_type": rt.BedType, "bathroom_type": rt.BathroomType, "gender": rt.Gender,
			"amount": rt.Amount, "max_occupancy": rt.MaxOccupancy, "room_size": rt.RoomSize,
			"room_size_unit": rt.RoomSizeUnit, "available_at": availableAt, "prices": prices,
		})
	}
	a.json(http.StatusOK, map[string]any{"success": true, "data": map[string]any{"room_types": list}})
}

var monthKeys = [12]string{"price_jan", "price_feb", "price_mar", "price_apr", "price_may", "price_jun",
	"price_jul", "price_aug", "price_sep", "price_oct", "price_nov", "price_dec"}

// update is one validated item of an availability request.
type update struct {
	listing, roomType   string // the IDs as numbers, "" when not valid
	listingS, roomTypeS string // the IDs as sent
	available           int
	start, end          time.Time
	startText, endText  string
}

func (s *Server) updateAvailability(a *answerer, h *Host, r *http.Request) {
	var body struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(a.w, r.Body, 1<<20)).Decode(&body); err != nil {
		a.validation(map[string][]string{"data": {"The data field is required."}})
		return
	}
	var items []map[string]json.RawMessage
	if len(body.Data) == 0 || json.Unmarshal(body.Data, &items) != nil || len(items) == 0 {
		a.validation(map[string][]string{"data": {"The data field is required."}})
		return
	}
	errs := map[string][]string{}
	updates := make([]update, len(items))
	for i, it := range items {
		u := &updates[i]
		p := fmt.Sprintf("data.%d.", i)
		u.listingS, u.listing = idField(errs, p+"listing_id", "listing id", it["listing_id"])
		u.roomTypeS, u.roomType = idField(errs, p+"room_type_id", "room type id", it["room_type_id"])
		u.available = intField(errs, p+"available", it["available"])
		u.start, u.startText = dateField(errs, p+"start_date", "start date", it["start_date"])
		u.end, u.endText = dateField(errs, p+"end_date", "end date", it["end_date"])
		if !u.start.IsZero() && !u.end.IsZero() && u.end.Before(u.start) {
			errs[p+"end_date"] = append(errs[p+"end_date"], "The end date field must be a date after or equal to start date.")
		}
	}
	if len(errs) > 0 {
		a.validation(errs)
		return
	}
	var unauthorized []string
	for _, u := range updates {
		l, ok := s.listings[u.listing]
		if (!ok || l.HostID != h.ID) && !slices.Contains(unauthorized, u.listingS) {
			unauthorized = append(unauthorized, u.listingS)
		}
	}
	if len(unauthorized) > 0 {
		a.json(http.StatusForbidden, map[string]any{"success": false, "error": "Unauthorized access to listings",
			"details": map[string]any{"unauthorized_listing_ids": unauthorized}})
		return
	}
	var invalid []map[string]string
	for _, u := range updates {
		if s.roomType(u.listing, u.roomType) == nil {
			invalid = append(invalid, map[string]string{"listing_id": u.listingS, "room_type_id": u.roomTypeS,
				"reason": "Room type not found or does not belong to listing"})
		}
	}
	if len(invalid) > 0 {
		a.json(http.StatusBadRequest, map[string]any{"success": false, "error": "Invalid room types for listings",
			"details": map[string]any{"invalid_room_types": invalid}})
		return
	}
	confirmed := map[string][]string{}
	for _, u := range updates {
		k := [2]string{u.listing, u.roomType}
		if s.avail[k] == nil {
			s.avail[k] = map[string]int{}
		}
		for d := u.start; !d.After(u.end); d = d.AddDate(0, 0, 1) {
			s.avail[k][d.Format(time.DateOnly)] = u.available
		}
		rt := s.roomType(u.listing, u.roomType)
		key := fmt.Sprintf("room_type_id_%s (%d rooms)", rt.ID, rt.Amount)
		confirmed[key] = append(confirmed[key], fmt.Sprintf("%s -> %s : %d", u.startText, u.endText, u.available))
	}
	a.json(http.StatusOK, map[string]any{"success": true, "availability": confirmed})
}

func (s *Server) roomType(listing, roomType string) *RoomType {
	l, ok := s.listings[listing]
	if !ok {
		return nil
	}
	for i := range l.RoomTypes {
		if l.RoomTypes[i].ID == roomType {
			return &l.RoomTypes[i]
		}
	}
	return nil
}

// idField reads a required ID sent as a string (as documented) or a number,
// and returns it as sent and as a number written as a string ("" when it
// is not a valid ID).
func idField(errs map[string][]string, path, name string, raw json.RawMessage) (string, string) {
	var text string
	var num json.Number
	switch {
	case len(raw) == 0 || string(raw) == "null":
	case json.Unmarshal(raw, &text) == nil:
	case json.Unmarshal(raw, &num) == nil:
		text = num.String()
	default:
		errs[path] = append(errs[path], fmt.Sprintf("The %s field must be a string.", name))
		return "", ""
	}
	text = strings.TrimSpace(text)
	if text == "" {
		errs[path] = append(errs[path], fmt.Sprintf("The %s field is required.", name))
		return "", ""
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil || n < 1 {
		errs[path] = append(errs[path], fmt.Sprintf("The %s field must be a valid ID.", name))
		return text, ""
	}
	return text, strconv.FormatInt(n, 10)
}

func intField(errs map[string][]string, path string, raw json.RawMessage) int {
	if len(raw) == 0 || string(raw) == "null" {
		errs[path] = append(errs[path], "The available field is required.")
		return 0
	}
	var f float64
	if json.Unmarshal(raw, &f) != nil || f != math.Trunc(f) || math.Abs(f) > 1e9 {
		errs[path] = append(errs[path], "The available field must be an integer.")
		return 0
	}
	if f < 0 {
		errs[path] = append(errs[path], "The available field must be at least 0.")
		return 0
	}
	return int(f)
}

func dateField(errs map[string][]string, path, name string, raw json.RawMessage) (time.Time, string) {
	var text string
	if len(raw) == 0 || json.Unmarshal(raw, &text) != nil || text == "" {
		errs[path] = append(errs[path], fmt.Sprintf("The %s field is required.", name))
		return time.Time{}, ""
	}
	t, err := time.Parse(time.DateOnly, text)
	if err != nil {
		errs[path] = append(errs[path], fmt.Sprintf("The %s field must match the format Y-m-d.", name))
		return time.Time{}, ""
	}
	return t, text
}

func (s *Server) setProviderKey(a *answerer, h *Host, provider string, r *http.Request) {
	var body struct {
		Key string `json:"provider_api_key"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(a.w, r.Body, 1<<20)).Decode(&body); err != nil || strings.TrimSpace(body.Key) == "" {
		a.envelope(http.StatusUnprocessableEntity, "validation_error", "The given data was invalid.",
			[]map[string]string{{"path": "provider_api_key", "code": "required", "message": "The provider api key field is required."}})
		return
	}
	if s.providerKeys[provider] == nil {
		s.providerKeys[provider] = map[string]string{}
		s.hostKeys[provider] = map[string]string{}
	}
	if owner, ok := s.providerKeys[provider][body.Key]; ok && owner != h.ID {
		a.envelope(http.StatusConflict, "conflict", "The provider key belongs to another account.", nil)
		return
	}
	status, message := "created", "Provider key saved."
	if old, ok := s.hostKeys[provider][h.ID]; ok {
		if old == body.Key {
			status, message = "unchanged", "Provider key unchanged."
		} else {
			status, message = "updated", "Provider key updated."
			delete(s.providerKeys[provider], old)
		}
	}
	s.providerKeys[provider][body.Key] = h.ID
	s.hostKeys[provider][h.ID] = body.Key
	a.json(http.StatusOK, map[string]any{"data": map[string]string{"status": status, "message": message},
		"meta": map[string]string{"request_id": a.reqID}})
}

// answerer writes answers in Coliving's shapes.
type answerer struct {
	w     http.ResponseWriter
	s     *Server
	reqID string
}

func (a *answerer) json(status int, body any) {
	fakekit.WriteJSON(a.w, status, body)
}

// fail writes {"success": false, "error": message}.
func (a *answerer) fail(status int, message string) {
	a.json(status, map[string]any{"success": false, "error": message})
}

func (a *answerer) method(r *http.Request, want string) bool {
	if r.Method == want {
		return true
	}
	a.w.Header().Set("Allow", want)
	a.fail(http.StatusMethodNotAllowed, "Method not allowed")
	return false
}

func (a *answerer) validation(errs map[string][]string) {
	a.json(http.StatusUnprocessableEntity, map[string]any{"success": false, "error": "validation_error",
		"message": "The given data was invalid.", "errors": errs})
}

// envelope writes the newer {"error": {type, message, request_id, errors}}.
func (a *answerer) envelope(status int, typ, message string, errs []map[string]string) {
	e := map[string]any{"type": typ, "message": message, "request_id": a.reqID}
	if errs != nil {
		e["errors"] = errs
	}
	a.json(status, map[string]any{"error": e})
}

func (a *answerer) rateLimited(wait time.Duration) {
	secs := fakekit.RetryAfter(wait)
	if a.s.retryHeader {
		a.w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	a.json(http.StatusTooManyRequests, map[string]any{"success": false, "error": "Rate limit exceeded", "retry_after": secs})
}
