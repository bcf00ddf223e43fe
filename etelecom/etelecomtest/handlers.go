package etelecomtest

import (
	"fmt"
	"net/http"
	"net/mail"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// --- records ---

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
	users    []*accountUser
	journeys []*journey
	consents []*consent
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
	ExtensionNumber   string `json:"extension_number"`
	ExtensionPassword string `json:"extension_password"`
	HotlineID         string `json:"hotline_id"`
	TenantID          string `json:"tenant_id"`
	TenantDomain      string `json:"tenant_domain"`
	UserID            string `json:"user_id,omitempty"`
	AccountID         string `json:"account_id"`
	State             string `json:"state"`
	ExpiresAt         string `json:"expires_at"`
	CreatedAt         string `json:"created_at"`
	UpdatedAt         string `json:"updated_at"`
}

// ExtensionLifetime is how long an extension the fake creates lasts.
const ExtensionLifetime = 365 * 24 * time.Hour

// callLog is a call as eTelecom lists it: its duration, an int64, written
// as a string.
type callLog struct {
	ID            string   `json:"id"`
	Caller        string   `json:"caller"`
	Callee        string   `json:"callee"`
	Direction     string   `json:"direction"`
	CallState     string   `json:"call_state"`
	CallStatus    string   `json:"call_status"`
	Duration      string   `json:"duration"`
	StartedAt     string   `json:"started_at"`
	EndedAt       string   `json:"ended_at"`
	RecordingURLs []string `json:"recording_urls"`
	ExtensionID   string   `json:"extension_id,omitempty"`
	HotlineID     string   `json:"hotline_id,omitempty"`
	UserID        string   `json:"user_id,omitempty"`
	CreatedAt     string   `json:"created_at"`
	UpdatedAt     string   `json:"updated_at"`

	started time.Time
}

// oa is an Official Account: its quotas, int64s, written as strings.
type oa struct {
	OAID           string `json:"oa_id"`
	AppID          string `json:"app_id"`
	ShopID         string `json:"shop_id"`
	Name           string `json:"name"`
	IsVerified     bool   `json:"is_verified"`
	DailyQuota     string `json:"daily_quota"`
	RemainingQuota string `json:"remaining_quota"`
	WebhookURL     string `json:"webhook_url"`
	Status         string `json:"status"`
	CreatedAt      string `json:"created_at"`
	UpdatedAt      string `json:"updated_at"`

	remaining int64
	followers []*follower
	templates []*template
}

// --- shop connection ---

func (s *Server) authorizeShop(r *http.Request, _ caller, in args) (any, *rpcError) {
	redirect := in.str("redirect_url")
	if u, err := url.Parse(redirect); redirect == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, invalid("redirect_url", "must be an absolute http or https URL")
	}
	if shopID := in.str("shop_id"); shopID != "" {
		sh, ok := s.shops[shopID]
		if !ok {
			return nil, &rpcError{code: "permission_denied", msg: "the shop has never logged in through this partner",
				meta: map[string]string{"reason": "unknown shop_id"}}
		}
		if sh.linked {
			return map[string]any{"code": "ok", "msg": "", "type": "shop_key", "auth_token": sh.key, "expires_in": int64s(-1)}, nil
		}
		return s.loginRequest(r, &loginRequest{shopID: sh.ID, email: sh.Email, phone: sh.Phone, name: sh.Name, redirectURL: redirect}), nil
	}
	if err := in.require("email", "phone", "name"); err != nil {
		return nil, err
	}
	if a, err := mail.ParseAddress(in.str("email")); err != nil || a.Address != in.str("email") {
		return nil, invalid("email", "is not an e-mail address")
	}
	return s.loginRequest(r, &loginRequest{email: in.str("email"), phone: in.str("phone"), name: in.str("name"), redirectURL: redirect}), nil
}

// loginRequest records a pending login and answers shop_request.
func (s *Server) loginRequest(r *http.Request, req *loginRequest) any {
	req.token = "request:" + randomText(16)
	req.expires = s.clock().Add(RequestLifetime)
	s.requests[req.token] = req
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	authURL := scheme + "://" + r.Host + LoginPath + "?" + url.Values{"token": {req.token}}.Encode()
	return map[string]any{"code": "ok", "msg": "", "type": "shop_request", "auth_token": req.token,
		"expires_in": int64s(int64(RequestLifetime / time.Second)), "auth_url": authURL}
}

// serveLogin is the page auth_url points to: it logs the merchant in at
// once and redirects to the partner's redirect_url with token and shop_id.
func (s *Server) serveLogin(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	token := r.URL.Query().Get("token")
	req, ok := s.requests[token]
	if !ok || !s.clock().Before(req.expires) {
		delete(s.requests, token)
		http.Error(w, "This login link is invalid or has expired. Ask the partner for a new one.", http.StatusBadRequest)
		return
	}
	delete(s.requests, token)
	sh := s.login(req)
	target, _ := url.Parse(req.redirectURL)
	q := target.Query()
	q.Set("token", strconv.Itoa(10000000+int(s.nextID%90000000)))
	q.Set("shop_id", sh.ID)
	target.RawQuery = q.Encode()
	http.Redirect(w, r, target.String(), http.StatusFound)
}

// login links the shop of req (creating it when new) with a new key.
func (s *Server) login(req *loginRequest) *shop {
	sh := s.shops[req.shopID]
	if sh == nil {
		sh = s.byEmail[strings.ToLower(req.email)]
	}
	if sh == nil {
		sh = &shop{ID: s.id(), Name: req.name, Email: req.email, Phone: req.phone, Type: "shop",
			ImageURL: "https://img.etelecom.test/shop.png", Website: "https://shop.example"}
		s.shops[sh.ID] = sh
		s.byEmail[strings.ToLower(req.email)] = sh
		s.seedCallLogs(sh, 3)
		sh.oas = append(sh.oas, s.newOA(sh, s.id(), sh.Name+" OA"))
	}
	sh.linked = true
	sh.key = "shop" + sh.ID + ":" + randomText(24)
	return sh
}

func (s *Server) seedCallLogs(sh *shop, n int) {
	oldest := s.clock()
	if k := len(sh.callLogs); k > 0 {
		oldest = sh.callLogs[k-1].started
	}
	for i := range n {
		start := oldest.Add(-time.Duration(i+1) * time.Minute).Truncate(time.Second)
		c := Call{Caller: fmt.Sprintf("0901%06d", len(sh.callLogs)), Callee: "02873001234", Direction: "in",
			CallState: "answered", Duration: time.Duration(30+7*len(sh.callLogs)) * time.Second}
		if len(sh.callLogs)%3 == 2 {
			c.CallState, c.Direction, c.Duration = "not_answered", "out", 0
		}
		sh.callLogs = append(sh.callLogs, s.newCallLog(c, start))
	}
	sort.SliceStable(sh.callLogs, func(i, j int) bool { return sh.callLogs[i].started.After(sh.callLogs[j].started) })
}

func (s *Server) currentShop(_ *http.Request, who caller, _ args) (any, *rpcError) {
	sh := who.shop
	return map[string]any{"id": sh.ID, "image_url": sh.ImageURL, "name": sh.Name, "type": sh.Type, "website": sh.Website}, nil
}

func (s *Server) currentAccount(_ *http.Request, who caller, _ args) (any, *rpcError) {
	if who.shop == nil {
		return map[string]any{"id": PartnerID, "name": "Test Partner", "type": "partner"}, nil
	}
	sh := who.shop
	return map[string]any{"id": sh.ID, "name": sh.Name, "type": "shop", "email": sh.Email, "phone": sh.Phone}, nil
}

// ownerID is the account a caller acts as.
func ownerID(who caller) string {
	if who.shop != nil {
		return who.shop.ID
	}
	return PartnerID
}

// --- paging ---

// paginate returns the page of items the request's paging selects. Cursors
// are opaque offsets; an unknown cursor is invalid_argument.
func paginate[T any](items []T, in args, defaultLimit int) ([]T, map[string]any, *rpcError) {
	p := in.obj("paging")
	limit := defaultLimit
	if n, ok := p.num("limit"); ok && n > 0 {
		limit = int(min(n, 1000))
	}
	start := 0
	after := p.str("after")
	if after != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(after, "cur_"))
		if !strings.HasPrefix(after, "cur_") || err != nil || n < 0 || n > len(items) {
			return nil, nil, invalid("paging.after", "is not a cursor of this list")
		}
		start = n
	}
	end := min(start+limit, len(items))
	next := ""
	if end < len(items) {
		next = "cur_" + strconv.Itoa(end)
	}
	prev := ""
	if start > 0 {
		prev = "cur_" + strconv.Itoa(max(start-limit, 0))
	}
	return items[start:end], map[string]any{"after": after, "before": "", "limit": limit, "next": next, "prev": prev, "sort": p.str("sort")}, nil
}

// --- PBX ---

func (s *Server) tenantList(_ *http.Request, who caller, in args) (any, *rpcError) {
	f := in.obj("filter")
	var match []*tenant
	for _, t := range s.tenants {
		if who.shop != nil && t.OwnerID != who.shop.ID {
			continue
		}
		if name := f.str("name"); name != "" && !strings.Contains(strings.ToLower(t.Name), strings.ToLower(name)) {
			continue
		}
		if owner := f.str("owner_id"); owner != "" && t.OwnerID != owner {
			continue
		}
		match = append(match, t)
	}
	items, paging, err := paginate(match, in, 20)
	if err != nil {
		return nil, err
	}
	return map[string]any{"tenants": orEmpty(items), "paging": paging}, nil
}

func orEmpty[T any](items []T) []T {
	if items == nil {
		return []T{}
	}
	return items
}

func (s *Server) tenantOf(owner string) *tenant {
	for _, t := range s.tenants {
		if t.OwnerID == owner {
			return t
		}
	}
	return nil
}

func (s *Server) createTenant(_ *http.Request, who caller, _ args) (any, *rpcError) {
	owner := ownerID(who)
	if s.tenantOf(owner) != nil {
		return nil, twirpErr("already_exists", "the account already has a tenant")
	}
	name := "Test Partner"
	if who.shop != nil {
		name = who.shop.Name
	}
	id := s.id()
	t := &tenant{ID: id, Name: name, Domain: "t" + id + ".etelecom.test", OwnerID: owner, ConnectionID: "1000804010",
		ConnectionMethod: "direct", Status: "Z", CreatedAt: s.stamp(), UpdatedAt: s.stamp()}
	s.tenants = append(s.tenants, t)
	return t, nil
}

func (s *Server) getTenant(_ *http.Request, who caller, _ args) (any, *rpcError) {
	t := s.tenantOf(ownerID(who))
	if t == nil {
		return nil, notFound("the account has no tenant")
	}
	return t, nil
}

func (s *Server) addHotline(_ *http.Request, _ caller, in args) (any, *rpcError) {
	if err := in.require("hotline", "name", "description"); err != nil {
		return nil, err
	}
	network := in.str("network")
	switch network {
	case "", "unknown", "mobifone", "vinaphone", "viettel", "other":
	default:
		return nil, invalid("network", "must be mobifone, vinaphone, viettel or other")
	}
	for _, h := range s.hotlines {
		if h.Hotline == in.str("hotline") {
			return nil, twirpErr("already_exists", "hotline already exists")
		}
	}
	owner := in.str("owner_id")
	if owner == "" {
		owner = PartnerID
	}
	free, _ := in["is_free_charge"].(bool)
	h := &hotline{ID: s.id(), Hotline: in.str("hotline"), Name: in.str("name"), Description: in.str("description"),
		Network: network, IsFreeCharge: free, OwnerID: owner, Status: "Z", ConnectionID: "1000804010",
		ConnectionMethod: "direct", CreatedAt: s.stamp(), UpdatedAt: s.stamp()}
	s.hotlines = append(s.hotlines, h)
	return h, nil
}

func (s *Server) hotlineList(_ *http.Request, _ caller, in args) (any, *rpcError) {
	items, paging, err := paginate(s.hotlines, in, 20)
	if err != nil {
		return nil, err
	}
	return map[string]any{"hotlines": orEmpty(items), "paging": paging}, nil
}

func (s *Server) activateTenant(_ *http.Request, _ caller, in args) (any, *rpcError) {
	if err := in.require("tenant_id", "hotline_id", "owner_id"); err != nil {
		return nil, err
	}
	var t *tenant
	for _, x := range s.tenants {
		if x.ID == in.str("tenant_id") {
			t = x
		}
	}
	if t == nil {
		return nil, notFound("tenant not found")
	}
	if t.OwnerID != in.str("owner_id") {
		return nil, invalid("owner_id", "does not own the tenant")
	}
	h := s.hotline(in.str("hotline_id"))
	if h == nil {
		return nil, notFound("hotline not found")
	}
	updated := 0
	if t.Status != "P" || h.TenantID != t.ID {
		t.Status, t.UpdatedAt = "P", s.stamp()
		h.TenantID, h.Status, h.UpdatedAt = t.ID, "P", s.stamp()
		updated = 1
	}
	return map[string]any{"updated": updated}, nil
}

func (s *Server) hotline(id string) *hotline {
	for _, h := range s.hotlines {
		if h.ID == id {
			return h
		}
	}
	return nil
}

func (s *Server) createExtension(_ *http.Request, who caller, in args) (any, *rpcError) {
	if err := in.require("hotline_id"); err != nil {
		return nil, err
	}
	number, ok := in.num("extension_number")
	if !ok || number <= 0 {
		return nil, invalid("extension_number", "must be a positive integer")
	}
	h := s.hotline(in.str("hotline_id"))
	if h == nil {
		return nil, notFound("hotline not found")
	}
	var t *tenant
	for _, x := range s.tenants {
		if x.ID == h.TenantID && x.Status == "P" {
			t = x
		}
	}
	if t == nil {
		return nil, twirpErr("failed_precondition", "the hotline's tenant must be activated first")
	}
	for _, e := range s.extensions {
		if e.TenantID == t.ID && e.ExtensionNumber == int64s(number) {
			return nil, twirpErr("already_exists", "extension number already exists")
		}
	}
	e := &extension{ID: s.id(), ExtensionNumber: int64s(number), ExtensionPassword: randomText(8), HotlineID: h.ID,
		TenantID: t.ID, TenantDomain: t.Domain, UserID: in.str("user_id"), AccountID: ownerID(who), State: "P",
		ExpiresAt: s.clock().Add(ExtensionLifetime).Format(time.RFC3339), CreatedAt: s.stamp(), UpdatedAt: s.stamp()}
	s.extensions = append(s.extensions, e)
	return e, nil
}

func (s *Server) extensionList(_ *http.Request, who caller, in args) (any, *rpcError) {
	var mine []*extension
	for _, e := range s.extensions {
		if who.shop == nil || e.AccountID == who.shop.ID {
			mine = append(mine, e)
		}
	}
	items, paging, err := paginate(mine, in, 20)
	if err != nil {
		return nil, err
	}
	return map[string]any{"extensions": orEmpty(items), "paging": paging}, nil
}

func (s *Server) extensionUser(in args, assign bool) (any, *rpcError) {
	if err := in.require("extension_id", "user_id"); err != nil {
		return nil, err
	}
	for _, e := range s.extensions {
		if e.ID != in.str("extension_id") {
			continue
		}
		updated := 0
		switch {
		case assign && e.UserID != in.str("user_id"):
			e.UserID, updated = in.str("user_id"), 1
		case !assign && e.UserID == in.str("user_id"):
			e.UserID, updated = "", 1
		}
		if updated == 1 {
			e.UpdatedAt = s.stamp()
		}
		return map[string]any{"updated": updated}, nil
	}
	return nil, notFound("extension not found")
}

func (s *Server) assignUser(_ *http.Request, _ caller, in args) (any, *rpcError) {
	return s.extensionUser(in, true)
}

func (s *Server) removeUser(_ *http.Request, _ caller, in args) (any, *rpcError) {
	return s.extensionUser(in, false)
}

// extensionOf returns the shop's extension that matches: by ID, else by
// number, else by user.
func (s *Server) extensionOf(sh *shop, id, number, userID string) *extension {
	for _, e := range s.extensions {
		if e.AccountID != sh.ID {
			continue
		}
		switch {
		case id != "":
			if e.ID == id {
				return e
			}
		case number != "":
			if e.ExtensionNumber == number {
				return e
			}
		case userID != "" && e.UserID == userID:
			return e
		}
	}
	return nil
}

func (s *Server) extensionInfo(_ *http.Request, who caller, in args) (any, *rpcError) {
	if err := in.require("extension_number"); err != nil {
		return nil, err
	}
	e := s.extensionOf(who.shop, "", in.str("extension_number"), "")
	if e == nil {
		return nil, notFound("extension not found")
	}
	if u := s.userOf(who.shop, e.UserID); u != nil &&
		((in.str("phone") != "" && in.str("phone") != u.Phone) || (in.str("email") != "" && !strings.EqualFold(in.str("email"), u.Email))) {
		return nil, notFound("the extension's user has another phone or e-mail")
	}
	return map[string]any{"expires_at": e.ExpiresAt, "extension_number": e.ExtensionNumber,
		"extension_password": e.ExtensionPassword, "tenant_domain": e.TenantDomain}, nil
}

func (s *Server) updateHotline(_ *http.Request, who caller, in args) (any, *rpcError) {
	if err := in.require("hotline_id"); err != nil {
		return nil, err
	}
	if in.str("extension_id") == "" && in.str("user_id") == "" {
		return nil, invalid("extension_id", "is required unless user_id is set")
	}
	e := s.extensionOf(who.shop, in.str("extension_id"), "", in.str("user_id"))
	if e == nil {
		return nil, notFound("extension not found")
	}
	h := s.hotline(in.str("hotline_id"))
	if h == nil {
		return nil, notFound("hotline not found")
	}
	if h.TenantID != e.TenantID {
		return nil, twirpErr("failed_precondition", "the hotline is not attached to the extension's tenant")
	}
	updated := 0
	if e.HotlineID != h.ID {
		e.HotlineID, e.UpdatedAt, updated = h.ID, s.stamp(), 1
	}
	return map[string]any{"updated": updated}, nil
}

// --- staff ---

// accountUser is a staff member of a shop, as GetAccountUsers lists it.
type accountUser struct {
	UserID       string   `json:"user_id"`
	AccountID    string   `json:"account_id"`
	DepartmentID string   `json:"department_id"`
	FullName     string   `json:"full_name"`
	ShortName    string   `json:"short_name"`
	Email        string   `json:"email"`
	Phone        string   `json:"phone"`
	Position     string   `json:"position"`
	Roles        []string `json:"roles"`
	Permissions  []string `json:"permissions"`
	Deleted      bool     `json:"deleted"`

	createdAt string
}

func (s *Server) userOf(sh *shop, userID string) *accountUser {
	for _, u := range sh.users {
		if u.UserID == userID {
			return u
		}
	}
	return nil
}

func (s *Server) createAccountUser(_ *http.Request, who caller, in args) (any, *rpcError) {
	if err := in.require("full_name", "password", "phone"); err != nil {
		return nil, err
	}
	phone := in.str("phone")
	if len(phone) < 9 || strings.Trim(phone, "+0123456789") != "" {
		return nil, invalid("phone", "is not a phone number")
	}
	for _, u := range who.shop.users {
		if u.Phone == phone {
			return nil, twirpErr("already_exists", "a user with this phone already exists")
		}
	}
	name := in.str("full_name")
	short, _, _ := strings.Cut(name, " ")
	u := &accountUser{UserID: s.id(), AccountID: who.shop.ID, DepartmentID: "0", FullName: name, ShortName: short, Phone: phone,
		Roles: []string{"staff"}, Permissions: []string{}, createdAt: s.stamp()}
	who.shop.users = append(who.shop.users, u)
	return map[string]any{"id": u.UserID, "full_name": u.FullName, "short_name": u.ShortName, "email": "", "phone": u.Phone,
		"is_blocked": false, "block_reason": "", "blocked_at": nil, "email_verified_at": nil, "email_verification_sent_at": nil,
		"phone_verified_at": nil, "phone_verification_sent_at": nil, "ref_aff": "", "ref_sale": "", "source": "unknown",
		"total_shop": int64s(1), "created_at": u.createdAt, "updated_at": u.createdAt}, nil
}

func (s *Server) accountUserList(_ *http.Request, who caller, in args) (any, *rpcError) {
	f := in.obj("filter")
	ids := set(f.strs("user_ids"))
	has, hasSet := f["has_extension"].(bool)
	var match []*accountUser
	for _, sh := range s.callerShops(who) {
		for _, u := range sh.users {
			ext := s.extensionOf(sh, "", "", u.UserID)
			switch {
			case len(ids) > 0 && !ids[u.UserID],
				f.str("phone") != "" && u.Phone != f.str("phone"),
				f.str("name") != "" && !strings.Contains(strings.ToLower(u.FullName), strings.ToLower(f.str("name"))),
				hasSet && has != (ext != nil),
				f.str("extension_number") != "" && (ext == nil || ext.ExtensionNumber != f.str("extension_number")):
				continue
			}
			match = append(match, u)
		}
	}
	items, paging, err := paginate(match, in, 20)
	if err != nil {
		return nil, err
	}
	return map[string]any{"account_users": orEmpty(items), "paging": paging}, nil
}

// callerShops returns the shops a caller acts for: its own, or every shop
// of the partner, in the order of their IDs.
func (s *Server) callerShops(who caller) []*shop {
	if who.shop != nil {
		return []*shop{who.shop}
	}
	shops := make([]*shop, 0, len(s.shops))
	for _, sh := range s.shops {
		shops = append(shops, sh)
	}
	sort.Slice(shops, func(i, j int) bool { return shops[i].ID < shops[j].ID })
	return shops
}

func (s *Server) callLogList(_ *http.Request, who caller, in args) (any, *rpcError) {
	f := in.obj("filter")
	var from, to time.Time
	for name, dst := range map[string]*time.Time{"date_from": &from, "date_to": &to} {
		if v := f.str(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return nil, invalid("filter."+name, "must be RFC 3339")
			}
			*dst = t
		}
	}
	ext := set(f.strs("extension_ids"))
	hot := set(f.strs("hotline_ids"))
	var match []*callLog
	for _, l := range who.shop.callLogs {
		switch {
		case f.str("call_state") != "" && l.CallState != f.str("call_state"),
			f.str("direction") != "" && l.Direction != f.str("direction"),
			f.str("call_number") != "" && l.Caller != f.str("call_number") && l.Callee != f.str("call_number"),
			!from.IsZero() && l.started.Before(from),
			!to.IsZero() && l.started.After(to),
			len(ext) > 0 && !ext[l.ExtensionID],
			len(hot) > 0 && !hot[l.HotlineID],
			f.str("user_id") != "" && l.UserID != f.str("user_id"):
			continue
		}
		match = append(match, l)
	}
	items, paging, err := paginate(match, in, 100)
	if err != nil {
		return nil, err
	}
	return map[string]any{"call_logs": orEmpty(items), "paging": paging}, nil
}

func set(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, v := range list {
		m[v] = true
	}
	return m
}

// --- Zalo ---

// newOA returns an OA of the shop with the default quota.
// newOA returns an OA of the shop with the default quota, two followers
// and the registered TemplateID.
func (s *Server) newOA(sh *shop, oaID, name string) *oa {
	o := &oa{OAID: oaID, AppID: "4110000000000000001", ShopID: sh.ID, Name: name, IsVerified: true,
		DailyQuota: int64s(500), RemainingQuota: int64s(500), Status: "P", CreatedAt: s.stamp(), UpdatedAt: s.stamp(),
		remaining: 500}
	s.seedOA(sh, o)
	return o
}

func (s *Server) findOA(sh *shop, oaID string) *oa {
	for _, o := range sh.oas {
		if o.OAID == oaID {
			return o
		}
	}
	return nil
}

// znsMessage is a sent notification as eTelecom answers it: its int64s
// (template_id, fee_main) written as strings.
type znsMessage struct {
	ID             string         `json:"id"`
	MsgID          string         `json:"msg_id"`
	OAID           string         `json:"oa_id"`
	ShopID         string         `json:"shop_id"`
	Phone          string         `json:"phone"`
	Type           string         `json:"type"`
	JourneyID      string         `json:"journey_id,omitempty"`
	TemplateID     string         `json:"template_id"`
	TemplateData   map[string]any `json:"template_data"`
	TrackingID     string         `json:"tracking_id"`
	SendingMode    string         `json:"sending_mode"`
	IsDevelopment  bool           `json:"is_development"`
	DeliveryStatus string         `json:"delivery_status"`
	Status         string         `json:"status"`
	ErrorCode      int            `json:"error_code"`
	ErrorMessage   string         `json:"error_message"`
	FeeMain        string         `json:"fee_main"`
	FeeToken       string         `json:"fee_token,omitempty"`
	IsCharged      bool           `json:"is_charged"`
	SentTime       string         `json:"sent_time"`
	DeliveryTime   string         `json:"delivery_time,omitempty"`
	CreatedAt      string         `json:"created_at"`
	UpdatedAt      string         `json:"updated_at"`

	templateID int64
}

// ZNSRecord is a Zalo notification the fake accepted.
type ZNSRecord struct {
	ShopID       string
	OAID         string
	Phone        string
	TemplateID   string
	TemplateData map[string]any
	TrackingID   string
	MessageID    string
	// DeliveryStatus is "" until DeliverZNS, then "received" or "seen".
	DeliveryStatus string
}

// ZNSSent returns the Zalo notifications accepted so far, oldest first.
func (s *Server) ZNSSent() []ZNSRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ZNSRecord, 0, len(s.znsSent))
	for _, m := range s.znsSent {
		out = append(out, ZNSRecord{ShopID: m.ShopID, OAID: m.OAID, Phone: m.Phone, TemplateID: m.TemplateID,
			TemplateData: m.TemplateData, TrackingID: m.TrackingID, MessageID: m.ID, DeliveryStatus: m.DeliveryStatus})
	}
	return out
}

func (s *Server) sendZNS(_ *http.Request, who caller, in args) (any, *rpcError) {
	if err := in.require("oa_id", "phone"); err != nil {
		return nil, err
	}
	o := s.findOA(who.shop, in.str("oa_id"))
	if o == nil {
		return nil, notFound("the OA is not connected to this shop")
	}
	phone := in.str("phone")
	if len(phone) < 9 || strings.Trim(phone, "+0123456789") != "" {
		return nil, invalid("phone", "is not a phone number")
	}
	tid, ok := in.num("template_id")
	if !ok || int64s(tid) != TemplateID {
		return nil, notFound(fmt.Sprintf("template %s not found", in.str("template_id")))
	}
	data := in.obj("template_data")
	if len(data) == 0 {
		return nil, invalid("template_data", "is required")
	}
	if o.remaining <= 0 {
		return nil, twirpErr("resource_exhausted", "the OA's daily quota is used up")
	}
	o.remaining--
	o.RemainingQuota = int64s(o.remaining)
	id := s.id()
	dev := in.str("mode") == "development"
	sending := in.str("sending_mode")
	if sending == "" {
		sending = "default"
	}
	m := &znsMessage{ID: id, MsgID: "zmsg-" + id, OAID: o.OAID, ShopID: who.shop.ID, Phone: phone, Type: "template",
		TemplateID: int64s(tid), TemplateData: data, TrackingID: in.str("tracking_id"), SendingMode: sending,
		IsDevelopment: dev, Status: "P", FeeMain: int64s(300), IsCharged: !dev, SentTime: s.stamp(),
		CreatedAt: s.stamp(), UpdatedAt: s.stamp(), templateID: tid}
	s.znsSent = append(s.znsSent, m)
	return m, nil
}

func (s *Server) listOA(_ *http.Request, who caller, in args) (any, *rpcError) {
	f := in.obj("filter")
	var match []*oa
	for _, o := range who.shop.oas {
		if (f.str("oa_id") != "" && o.OAID != f.str("oa_id")) || (f.str("app_id") != "" && o.AppID != f.str("app_id")) ||
			(f.str("name") != "" && !strings.Contains(strings.ToLower(o.Name), strings.ToLower(f.str("name")))) {
			continue
		}
		match = append(match, o)
	}
	items, paging, err := paginate(match, in, 20)
	if err != nil {
		return nil, err
	}
	return map[string]any{"accounts": orEmpty(items), "paging": paging}, nil
}

func (s *Server) connectOA(_ *http.Request, who caller, in args) (any, *rpcError) {
	if err := in.require("code", "oa_id"); err != nil {
		return nil, err
	}
	if o := s.findOA(who.shop, in.str("oa_id")); o != nil {
		return nil, twirpErr("already_exists", "the OA is already connected")
	}
	o := s.newOA(who.shop, in.str("oa_id"), "OA "+in.str("oa_id"))
	o.IsVerified = false
	who.shop.oas = append(who.shop.oas, o)
	return o, nil
}

func (s *Server) updateOA(_ *http.Request, who caller, in args) (any, *rpcError) {
	if err := in.require("oa_id", "webhook_url"); err != nil {
		return nil, err
	}
	var o *oa
	for _, sh := range s.shops {
		if who.shop == nil || who.shop == sh {
			if o = s.findOA(sh, in.str("oa_id")); o != nil {
				break
			}
		}
	}
	if o == nil {
		return nil, notFound("the OA is not connected")
	}
	o.WebhookURL, o.UpdatedAt = in.str("webhook_url"), s.stamp()
	return o, nil
}
