package etelecomtest

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Fixed values of the fake's Zalo Cloud.
const (
	// FollowerZaloUserID is the Zalo user ID of the first follower of
	// every Official Account the fake makes; OtherFollowerZaloUserID the
	// second's.
	FollowerZaloUserID      = "7001000000000000001"
	OtherFollowerZaloUserID = "7001000000000000002"
	// ConsultQuota is how many consulting messages an OA may send a
	// follower (the 8 messages of Zalo's 48-hour reply window); then a
	// send answers resource_exhausted.
	ConsultQuota = 8
	// ConsentLifetime is how long a calling permission the user granted
	// (ReplyConsent) lasts in the fake.
	ConsentLifetime = 7 * 24 * time.Hour
)

// follower is a Zalo user who follows an OA.
type follower struct {
	ID              string            `json:"id"`
	OAID            string            `json:"oa_id"`
	ShopID          string            `json:"shop_id"`
	ZaloUserID      string            `json:"zl_user_id"`
	ZaloUserIDByApp string            `json:"zl_user_id_by_app"`
	AssignedUserID  string            `json:"assigned_user_id"`
	FullName        string            `json:"full_name"`
	Phone           string            `json:"phone"`
	Avatar          string            `json:"avatar"`
	Avatars         map[string]string `json:"avatars"`
	Gender          string            `json:"gender"`
	State           string            `json:"state"`
	HasConversation bool              `json:"has_conversation"`
	SharedInfo      *sharedInfo       `json:"shared_info"`
	TagsAndNotes    tagsAndNotes      `json:"tags_and_notes_info"`
	CreatedAt       string            `json:"created_at"`
	UpdatedAt       string            `json:"updated_at"`

	remaining int
}

type sharedInfo struct {
	Name     string `json:"name"`
	Phone    string `json:"phone"`
	Address  string `json:"address"`
	Ward     string `json:"ward"`
	District string `json:"district"`
	City     string `json:"city"`
}

type tagsAndNotes struct {
	Notes    []string `json:"notes"`
	TagNames []string `json:"tag_names"`
}

// template is a ZNS template registered with eTelecom: its int64s (oa_id,
// shop_id) written as strings, its ints as numbers.
type template struct {
	TemplateID             int64           `json:"template_id"`
	TemplateName           string          `json:"template_name"`
	Type                   string          `json:"type"`
	TemplateStatus         string          `json:"template_status"`
	TemplateTag            string          `json:"template_tag"`
	TemplateQuality        string          `json:"template_quality"`
	TemplateParams         []templateParam `json:"template_params"`
	PreviewURL             string          `json:"preview_url"`
	Price                  int             `json:"price"`
	Timeout                int             `json:"timeout"`
	ApplyTemplateQuota     bool            `json:"apply_template_quota"`
	TemplateDailyQuota     int             `json:"template_daily_quota"`
	TemplateRemainingQuota int             `json:"template_remaining_quota"`
	OAID                   string          `json:"oa_id"`
	ShopID                 string          `json:"shop_id"`
	IsJourney              bool            `json:"is_journey"`
	CreatedAt              string          `json:"created_at"`
	UpdatedAt              string          `json:"updated_at"`

	created time.Time
}

type templateParam struct {
	Name       string `json:"name"`
	Type       string `json:"type"`
	Require    bool   `json:"require"`
	AcceptNull bool   `json:"accept_null"`
	MinLength  int    `json:"min_length"`
	MaxLength  int    `json:"max_length"`
}

// journey is a journey token, its expiry named expired_at as eTelecom's
// JSON examples name it.
type journey struct {
	ID           string `json:"id"`
	JourneyID    string `json:"journey_id"`
	JourneyToken string `json:"journey_token"`
	Phone        string `json:"phone"`
	Status       string `json:"status"`
	ErrorCode    int    `json:"error_code"`
	ErrorMessage string `json:"error_message"`
	IsCharged    bool   `json:"is_charged"`
	ExpiredAt    string `json:"expired_at"`
	CreatedAt    string `json:"created_at"`
	UpdatedAt    string `json:"updated_at"`

	oaID    string
	created time.Time
	expires time.Time
}

// consent is a request for calling permission.
type consent struct {
	ID             string  `json:"id"`
	OAID           string  `json:"oa_id"`
	ShopID         string  `json:"shop_id"`
	UserID         string  `json:"user_id"`
	Phone          string  `json:"phone"`
	CallType       string  `json:"call_type"`
	ReasonCode     string  `json:"reason_code"`
	ReplyStatus    string  `json:"reply_status"`
	Status         string  `json:"status"`
	DeliveryStatus string  `json:"delivery_status"`
	DeliveryTime   string  `json:"delivery_time"`
	ErrorCode      int     `json:"error_code"`
	ErrorMessage   string  `json:"error_message"`
	IsCharged      bool    `json:"is_charged"`
	ExpiresAt      *string `json:"expires_at"`
	CreatedAt      string  `json:"created_at"`
	UpdatedAt      string  `json:"updated_at"`

	created time.Time
	expires time.Time
}

// consult is a message an OA sent a follower, as the consulting sends
// answer it: its int64s written as strings.
type consult struct {
	MsgID       string        `json:"msg_id"`
	OAID        string        `json:"oa_id"`
	ShopID      string        `json:"shop_id"`
	UserID      string        `json:"user_id"`
	ZaloUserID  string        `json:"zl_user_id"`
	SenderID    string        `json:"sender_id"`
	RecipientID string        `json:"recipient_id"`
	Direction   string        `json:"direction"`
	Type        string        `json:"type"`
	Quota       *consultQuota `json:"quota,omitempty"`
}

type consultQuota struct {
	QuotaType string `json:"quota_type"`
	Remain    string `json:"remain"`
	Total     string `json:"total"`
	OwnerID   string `json:"owner_id"`
	OwnerType string `json:"owner_type"`
}

// ConsultRecord is a message the fake accepted from an Official Account
// to a follower: a consulting message, a user-information request or a
// transaction message.
type ConsultRecord struct {
	ShopID     string
	OAID       string
	ZaloUserID string
	// Type is "photo", "file", "sticker", "request_user_info" or
	// "transaction".
	Type string
	// MessageID is the message's msg_id (message_id for a transaction).
	MessageID string
	// Content is the request's message object (or, for a user-information
	// request, its form), as received.
	Content map[string]any
}

// ConsultsSent returns the messages Official Accounts sent to followers so
// far, oldest first.
func (s *Server) ConsultsSent() []ConsultRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.consults)
}

// ReplyConsent records a user's reply to a request for calling permission:
// agree grants it for ConsentLifetime, otherwise it is refused. It reports
// whether the request exists.
func (s *Server) ReplyConsent(consentID string, agree bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sh := range s.shops {
		for _, c := range sh.consents {
			if c.ID != consentID {
				continue
			}
			c.ReplyStatus, c.UpdatedAt = "N", s.stamp()
			if agree {
				c.expires = s.clock().Add(ConsentLifetime)
				at := c.expires.Format(time.RFC3339)
				c.ReplyStatus, c.ExpiresAt = "P", &at
			}
			return true
		}
	}
	return false
}

// seedOA gives a new OA two followers and the registered TemplateID.
func (s *Server) seedOA(sh *shop, o *oa) {
	seeds := [...]struct{ zl, name, phone, gender string }{
		{FollowerZaloUserID, "Nguyen Van A", "84901234567", "male"},
		{OtherFollowerZaloUserID, "Tran Thi B", "84901234568", "female"},
	}
	for i, f := range seeds {
		zl := f.zl
		o.followers = append(o.followers, &follower{ID: s.id(), OAID: o.OAID, ShopID: sh.ID, ZaloUserID: zl,
			ZaloUserIDByApp: "50" + zl[2:], FullName: f.name, Phone: f.phone, Avatar: "https://avatar.zalo.test/" + zl,
			Avatars: map[string]string{"120": "https://avatar.zalo.test/120/" + zl, "240": "https://avatar.zalo.test/240/" + zl},
			Gender:  f.gender, State: "follow", HasConversation: i == 0,
			TagsAndNotes: tagsAndNotes{Notes: []string{}, TagNames: []string{}}, CreatedAt: s.stamp(), UpdatedAt: s.stamp(),
			remaining: ConsultQuota})
	}
	id, _ := strconv.ParseInt(TemplateID, 10, 64)
	o.templates = append(o.templates, s.newTemplate(sh, o, id, "text"))
}

func (s *Server) newTemplate(sh *shop, o *oa, id int64, kind string) *template {
	return &template{TemplateID: id, TemplateName: "Order confirmation", Type: kind, TemplateStatus: "ENABLE",
		TemplateTag: "IN_TRANSACTION", TemplateQuality: "HIGH",
		TemplateParams: []templateParam{{Name: "customer_name", Type: "STRING", Require: true, MinLength: 1, MaxLength: 30},
			{Name: "order_code", Type: "STRING", Require: true, MinLength: 1, MaxLength: 30}},
		PreviewURL: "https://zns.zalo.test/preview/" + int64s(id), Price: 300, Timeout: 7200, OAID: o.OAID, ShopID: sh.ID,
		CreatedAt: s.stamp(), UpdatedAt: s.stamp(), created: s.clock()}
}

// callerOA finds the OA oaID among the shops a caller acts for.
func (s *Server) callerOA(who caller, oaID string) (*shop, *oa) {
	for _, sh := range s.callerShops(who) {
		if o := s.findOA(sh, oaID); o != nil {
			return sh, o
		}
	}
	return nil, nil
}

// --- OA authorization ---

func (s *Server) authorizeOA(_ *http.Request, _ caller, in args) (any, *rpcError) {
	if err := in.require("app_id", "app_secret", "redirect_uri"); err != nil {
		return nil, err
	}
	redirect := in.str("redirect_uri")
	if u, err := url.Parse(redirect); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, invalid("redirect_uri", "must be an absolute http or https URL")
	}
	return map[string]any{"url": permissionURL(url.Values{"app_id": {in.str("app_id")}, "redirect_uri": {redirect}, "state": {s.id()}})}, nil
}

func (s *Server) refreshToken(_ *http.Request, who caller, in args) (any, *rpcError) {
	if err := in.require("oa_id"); err != nil {
		return nil, err
	}
	o := s.findOA(who.shop, in.str("oa_id"))
	if o == nil {
		return nil, notFound("the OA is not connected to this shop")
	}
	return map[string]any{"url": permissionURL(url.Values{"app_id": {o.AppID}, "oa_id": {o.OAID}, "state": {s.id()}})}, nil
}

// permissionURL is the Zalo page where an OA's administrator grants access.
func permissionURL(q url.Values) string {
	return "https://oauth.zaloapp.com/v4/oa/permission?" + q.Encode()
}

// --- followers ---

func (s *Server) listFollowers(_ *http.Request, who caller, in args) (any, *rpcError) {
	f := in.obj("filter")
	zl := set(f.strs("zl_user_ids"))
	tags := f.strs("tags")
	conv, convSet := f["has_conversation"].(bool)
	var match []*follower
	for _, o := range who.shop.oas {
		for _, fl := range o.followers {
			switch {
			case f.str("oa_id") != "" && fl.OAID != f.str("oa_id"),
				f.str("zl_user_id") != "" && fl.ZaloUserID != f.str("zl_user_id"),
				len(zl) > 0 && !zl[fl.ZaloUserID],
				f.str("phone") != "" && fl.Phone != f.str("phone"),
				f.str("gender") != "" && fl.Gender != f.str("gender"),
				f.str("state") != "" && fl.State != f.str("state"),
				f.str("assigned_user_id") != "" && fl.AssignedUserID != f.str("assigned_user_id"),
				f.str("name") != "" && !strings.Contains(strings.ToLower(fl.FullName), strings.ToLower(f.str("name"))),
				convSet && fl.HasConversation != conv,
				len(tags) > 0 && !slices.ContainsFunc(tags, func(t string) bool { return slices.Contains(fl.TagsAndNotes.TagNames, t) }):
				continue
			}
			match = append(match, fl)
		}
	}
	items, paging, err := paginate(match, in, 20)
	if err != nil {
		return nil, err
	}
	return map[string]any{"followers": orEmpty(items), "paging": paging}, nil
}

// recipientOf finds the OA of a message and its follower, the recipient.
func (s *Server) recipientOf(who caller, oaID, zaloUserID string) (*oa, *follower, *rpcError) {
	if oaID == "" {
		return nil, nil, invalid("oa_id", "is required")
	}
	if zaloUserID == "" {
		return nil, nil, invalid("recipient.user_id", "is required")
	}
	o := s.findOA(who.shop, oaID)
	if o == nil {
		return nil, nil, notFound("the OA is not connected to this shop")
	}
	for _, fl := range o.followers {
		if fl.ZaloUserID == zaloUserID {
			return o, fl, nil
		}
	}
	return nil, nil, notFound("the user does not follow the OA")
}

// --- consulting messages ---

func (s *Server) sendImage(_ *http.Request, who caller, in args) (any, *rpcError) {
	msg := in.obj("message")
	if msg.str("attachment_id") == "" && msg.str("image_url") == "" {
		return nil, invalid("message.attachment_id", "or message.image_url is required")
	}
	return s.consult(who, in, "photo")
}

func (s *Server) sendFile(_ *http.Request, who caller, in args) (any, *rpcError) {
	if in.obj("message").str("token") == "" {
		return nil, invalid("message.token", "is required")
	}
	return s.consult(who, in, "file")
}

func (s *Server) sendSticker(_ *http.Request, who caller, in args) (any, *rpcError) {
	if in.obj("message").str("attachment_id") == "" {
		return nil, invalid("message.attachment_id", "is required")
	}
	return s.consult(who, in, "sticker")
}

// consult sends one consulting message from the reply quota of the
// follower, and records it.
func (s *Server) consult(who caller, in args, kind string) (any, *rpcError) {
	o, fl, err := s.recipientOf(who, in.str("oa_id"), in.obj("recipient").str("user_id"))
	if err != nil {
		return nil, err
	}
	if fl.remaining <= 0 {
		return nil, twirpErr("resource_exhausted", "the OA has used up the consulting messages it may send this user")
	}
	fl.remaining--
	fl.HasConversation = true
	c := &consult{MsgID: "zcmsg-" + s.id(), OAID: o.OAID, ShopID: who.shop.ID, UserID: who.shop.ID, ZaloUserID: fl.ZaloUserID,
		SenderID: o.OAID, RecipientID: fl.ZaloUserID, Direction: "out", Type: kind,
		Quota: &consultQuota{QuotaType: "reply", Remain: int64s(int64(fl.remaining)), Total: int64s(ConsultQuota), OwnerID: o.OAID, OwnerType: "OA"}}
	s.consults = append(s.consults, ConsultRecord{ShopID: who.shop.ID, OAID: o.OAID, ZaloUserID: fl.ZaloUserID, Type: kind,
		MessageID: c.MsgID, Content: in.obj("message")})
	return c, nil
}

func (s *Server) requestUserInfo(_ *http.Request, who caller, in args) (any, *rpcError) {
	if len([]rune(in.str("title"))) > 100 {
		return nil, invalid("title", "must be at most 100 characters")
	}
	if len([]rune(in.str("subtitle"))) > 500 {
		return nil, invalid("subtitle", "must be at most 500 characters")
	}
	o, fl, err := s.recipientOf(who, in.str("oa_id"), in.str("zl_user_id"))
	if err != nil {
		return nil, err
	}
	form := map[string]any{"title": in.str("title"), "subtitle": in.str("subtitle"), "image_url": in.str("image_url")}
	s.consults = append(s.consults, ConsultRecord{ShopID: who.shop.ID, OAID: o.OAID, ZaloUserID: fl.ZaloUserID,
		Type: "request_user_info", MessageID: "zcmsg-" + s.id(), Content: form})
	return map[string]any{"updated": 1}, nil
}

func (s *Server) sendTransaction(_ *http.Request, who caller, in args) (any, *rpcError) {
	o, fl, err := s.recipientOf(who, in.str("oa_id"), in.obj("recipient").str("user_id"))
	if err != nil {
		return nil, err
	}
	msg := in.obj("message")
	if buttons, _ := msg["buttons"].([]any); len(buttons) > 4 {
		return nil, invalid("message.buttons", "must be at most 4")
	}
	id := "ztxn-" + s.id()
	s.consults = append(s.consults, ConsultRecord{ShopID: who.shop.ID, OAID: o.OAID, ZaloUserID: fl.ZaloUserID,
		Type: "transaction", MessageID: id, Content: msg})
	return map[string]any{"message_id": id}, nil
}

// --- calling permissions ---

var (
	callTypes = []string{"audio", "video", "audio_and_video"}
	reasons   = []string{"product_service_consulting", "order_appointment_confirmation", "delivery_notification",
		"flight_announcement", "update_order"}
)

func (s *Server) requestConsent(_ *http.Request, who caller, in args) (any, *rpcError) {
	if err := in.require("oa_id", "phone", "call_type", "reason_code"); err != nil {
		return nil, err
	}
	if !slices.Contains(callTypes, in.str("call_type")) {
		return nil, invalid("call_type", "must be audio, video or audio_and_video")
	}
	if !slices.Contains(reasons, in.str("reason_code")) {
		return nil, invalid("reason_code", "is not a documented reason")
	}
	o := s.findOA(who.shop, in.str("oa_id"))
	if o == nil {
		return nil, notFound("the OA is not connected to this shop")
	}
	c := &consent{ID: s.id(), OAID: o.OAID, ShopID: who.shop.ID, UserID: who.shop.ID, Phone: in.str("phone"),
		CallType: in.str("call_type"), ReasonCode: in.str("reason_code"), ReplyStatus: "S", Status: "P",
		DeliveryStatus: "received", DeliveryTime: s.stamp(), IsCharged: true, CreatedAt: s.stamp(), UpdatedAt: s.stamp(),
		created: s.clock()}
	who.shop.consents = append(who.shop.consents, c)
	return c, nil
}

func (s *Server) checkConsent(_ *http.Request, who caller, in args) (any, *rpcError) {
	if err := in.require("oa_id", "phone"); err != nil {
		return nil, err
	}
	for _, c := range slices.Backward(who.shop.consents) {
		if c.OAID == in.str("oa_id") && c.Phone == in.str("phone") && c.ReplyStatus == "P" && s.clock().Before(c.expires) {
			return map[string]any{"error": 0, "expired_time": *c.ExpiresAt, "message": "Success"}, nil
		}
	}
	return map[string]any{"error": 1, "message": "the user has not granted the permission to call"}, nil
}

func (s *Server) listConsents(_ *http.Request, who caller, in args) (any, *rpcError) {
	f := in.obj("filter")
	from, to, err := dateRange(f)
	if err != nil {
		return nil, err
	}
	charged, chargedSet := f["is_charged"].(bool)
	var match []*consent
	for _, c := range slices.Backward(who.shop.consents) {
		switch {
		case f.str("oa_id") != "" && c.OAID != f.str("oa_id"),
			f.str("phone") != "" && c.Phone != f.str("phone"),
			f.str("call_type") != "" && c.CallType != f.str("call_type"),
			f.str("reason_code") != "" && c.ReasonCode != f.str("reason_code"),
			f.str("reply_status") != "" && c.ReplyStatus != f.str("reply_status"),
			f.str("status") != "" && c.Status != f.str("status"),
			f.str("user_id") != "" && c.UserID != f.str("user_id"),
			chargedSet && c.IsCharged != charged,
			!from.IsZero() && c.created.Before(from),
			!to.IsZero() && c.created.After(to):
			continue
		}
		match = append(match, c)
	}
	items, paging, rerr := paginate(match, in, 20)
	if rerr != nil {
		return nil, rerr
	}
	return map[string]any{"consents": orEmpty(items), "paging": paging}, nil
}

// dateRange reads a filter's date_from and date_to (RFC 3339).
func dateRange(f args) (from, to time.Time, err *rpcError) {
	for name, dst := range map[string]*time.Time{"date_from": &from, "date_to": &to} {
		if v := f.str(name); v != "" {
			t, perr := time.Parse(time.RFC3339, v)
			if perr != nil {
				return time.Time{}, time.Time{}, invalid("filter."+name, "must be RFC 3339")
			}
			*dst = t
		}
	}
	return from, to, nil
}

// --- templates ---

var templateTypes = []string{"text", "otp", "table", "rating"}

func (s *Server) createTemplate(_ *http.Request, who caller, in args) (any, *rpcError) {
	if err := in.require("oa_id", "template_id"); err != nil {
		return nil, err
	}
	id, ok := in.num("template_id")
	if !ok || id <= 0 {
		return nil, invalid("template_id", "must be a positive integer")
	}
	kind := in.str("type")
	if kind == "" || kind == "unknown" {
		kind = "text"
	}
	if !slices.Contains(templateTypes, kind) {
		return nil, invalid("type", "must be text, otp, table or rating")
	}
	sh, o := s.callerOA(who, in.str("oa_id"))
	if o == nil {
		return nil, notFound("the OA is not connected")
	}
	if s.templateOf(o, id) != nil {
		return nil, twirpErr("already_exists", "the template is already registered")
	}
	t := s.newTemplate(sh, o, id, kind)
	t.TemplateName = "Template " + int64s(id)
	o.templates = append(o.templates, t)
	return t, nil
}

func (s *Server) templateOf(o *oa, id int64) *template {
	for _, t := range o.templates {
		if t.TemplateID == id {
			return t
		}
	}
	return nil
}

func (s *Server) getTemplate(_ *http.Request, who caller, in args) (any, *rpcError) {
	if err := in.require("oa_id", "template_id"); err != nil {
		return nil, err
	}
	o := s.findOA(who.shop, in.str("oa_id"))
	if o == nil {
		return nil, notFound("the OA is not connected to this shop")
	}
	id, _ := in.num("template_id")
	t := s.templateOf(o, id)
	if t == nil {
		return nil, notFound("template not found")
	}
	return t, nil
}

func (s *Server) listTemplates(_ *http.Request, who caller, in args) (any, *rpcError) {
	f := in.obj("filter")
	from, to, err := dateRange(f)
	if err != nil {
		return nil, err
	}
	id, _ := f.num("template_id")
	var match []*template
	for _, o := range who.shop.oas {
		for _, t := range o.templates {
			switch {
			case f.str("oa_id") != "" && t.OAID != f.str("oa_id"),
				id != 0 && t.TemplateID != id,
				f.str("type") != "" && t.Type != f.str("type"),
				f.str("template_name") != "" && !strings.Contains(strings.ToLower(t.TemplateName), strings.ToLower(f.str("template_name"))),
				!from.IsZero() && t.created.Before(from),
				!to.IsZero() && t.created.After(to):
				continue
			}
			match = append(match, t)
		}
	}
	items, paging, rerr := paginate(match, in, 50)
	if rerr != nil {
		return nil, rerr
	}
	return map[string]any{"templates": orEmpty(items), "paging": paging}, nil
}

// --- journey tokens ---

var tokenDays = map[string]int{"token_logistics_7": 7, "token_logistics_30": 30, "token_coach_bus_7": 7, "token_coach_bus_30": 30}

func (s *Server) createJourney(_ *http.Request, who caller, in args) (any, *rpcError) {
	if err := in.require("oa_id", "phone"); err != nil {
		return nil, err
	}
	kind := in.str("token_type")
	if kind == "" || kind == "unknown" {
		kind = "token_logistics_7"
	}
	days, ok := tokenDays[kind]
	if !ok {
		return nil, invalid("token_type", "is not a documented token type")
	}
	o := s.findOA(who.shop, in.str("oa_id"))
	if o == nil {
		return nil, notFound("the OA is not connected to this shop")
	}
	now := s.clock()
	expires := now.Add(time.Duration(days) * 24 * time.Hour)
	j := &journey{ID: s.id(), JourneyID: "91" + s.id()[2:], JourneyToken: "jt-" + randomText(12), Phone: in.str("phone"),
		Status: "P", IsCharged: true, ExpiredAt: expires.Format(time.RFC3339), CreatedAt: s.stamp(), UpdatedAt: s.stamp(),
		oaID: o.OAID, created: now, expires: expires}
	who.shop.journeys = append(who.shop.journeys, j)
	return j, nil
}

// journeyOf finds a journey of the OA among the shops a caller acts for.
func (s *Server) journeyOf(who caller, oaID, journeyID string) *journey {
	for _, sh := range s.callerShops(who) {
		for _, j := range sh.journeys {
			if j.JourneyID == journeyID && (oaID == "" || j.oaID == oaID) {
				return j
			}
		}
	}
	return nil
}

func (s *Server) getJourney(_ *http.Request, who caller, in args) (any, *rpcError) {
	if err := in.require("journey_id"); err != nil {
		return nil, err
	}
	j := s.journeyOf(who, in.str("oa_id"), in.str("journey_id"))
	if j == nil {
		return nil, notFound("journey not found")
	}
	return j, nil
}

func (s *Server) listJourneys(_ *http.Request, who caller, in args) (any, *rpcError) {
	f := in.obj("filter")
	from, to, err := dateRange(f)
	if err != nil {
		return nil, err
	}
	charged, chargedSet := f["is_charged"].(bool)
	var match []*journey
	for _, j := range slices.Backward(who.shop.journeys) {
		switch {
		case f.str("oa_id") != "" && j.oaID != f.str("oa_id"),
			f.str("journey_id") != "" && j.JourneyID != f.str("journey_id"),
			f.str("phone") != "" && j.Phone != f.str("phone"),
			f.str("status") != "" && j.Status != f.str("status"),
			chargedSet && j.IsCharged != charged,
			!from.IsZero() && j.created.Before(from),
			!to.IsZero() && j.created.After(to):
			continue
		}
		match = append(match, j)
	}
	items, paging, rerr := paginate(match, in, 20)
	if rerr != nil {
		return nil, rerr
	}
	return map[string]any{"journeys": orEmpty(items), "paging": paging}, nil
}

// sendZNSJourney sends a ZNS with a journey token. It answers the
// ZNSMessage of the page's OpenAPI schema (type "journey", fee_main,
// fee_token).
func (s *Server) sendZNSJourney(_ *http.Request, who caller, in args) (any, *rpcError) {
	if err := in.require("oa_id", "journey_id", "phone"); err != nil {
		return nil, err
	}
	sh, o := s.callerOA(who, in.str("oa_id"))
	if o == nil {
		return nil, notFound("the OA is not connected")
	}
	j := s.journeyOf(caller{shop: sh}, o.OAID, in.str("journey_id"))
	if j == nil {
		return nil, notFound("journey not found")
	}
	if j.Phone != in.str("phone") {
		return nil, invalid("phone", "is not the journey's phone")
	}
	if !s.clock().Before(j.expires) {
		return nil, twirpErr("failed_precondition", "the journey token has expired")
	}
	tid, ok := in.num("template_id")
	if !ok || int64s(tid) != TemplateID {
		return nil, notFound("template " + in.str("template_id") + " not found")
	}
	data := in.obj("template_data")
	if len(data) == 0 {
		return nil, invalid("template_data", "is required")
	}
	id := s.id()
	m := &znsMessage{ID: id, MsgID: "zmsg-" + id, OAID: o.OAID, ShopID: sh.ID, Phone: j.Phone, Type: "journey",
		JourneyID: j.JourneyID, TemplateID: int64s(tid), TemplateData: data, TrackingID: in.str("tracking_id"),
		SendingMode: "default", Status: "P", FeeMain: int64s(250), FeeToken: int64s(0), IsCharged: true, SentTime: s.stamp(),
		CreatedAt: s.stamp(), UpdatedAt: s.stamp(), templateID: tid}
	s.znsSent = append(s.znsSent, m)
	return m, nil
}

// --- sent messages ---

func (s *Server) listMessages(_ *http.Request, who caller, in args) (any, *rpcError) {
	f := in.obj("filter")
	from, to, err := dateRange(f)
	if err != nil {
		return nil, err
	}
	tid, _ := f.num("template_id")
	dev, devSet := f["is_development"].(bool)
	charged, chargedSet := f["is_charged"].(bool)
	var match []*znsMessage
	for _, m := range slices.Backward(s.znsSent) {
		at, _ := time.Parse(time.RFC3339, m.UpdatedAt)
		if f.str("time_type") == "request_time" || f.str("time_type") == "submit_time" {
			at, _ = time.Parse(time.RFC3339, m.CreatedAt)
		}
		switch {
		case m.ShopID != who.shop.ID,
			f.str("oa_id") != "" && m.OAID != f.str("oa_id"),
			f.str("msg_id") != "" && m.MsgID != f.str("msg_id"),
			f.str("msg_type") != "" && f.str("msg_type") != "unknown" && m.Type != f.str("msg_type"),
			f.str("phone") != "" && m.Phone != f.str("phone"),
			f.str("status") != "" && m.Status != f.str("status"),
			f.str("delivery_status") != "" && m.DeliveryStatus != f.str("delivery_status"),
			f.str("tracking_id") != "" && m.TrackingID != f.str("tracking_id"),
			f.str("journey_id") != "" && m.JourneyID != f.str("journey_id"),
			tid != 0 && m.templateID != tid,
			devSet && m.IsDevelopment != dev,
			chargedSet && m.IsCharged != charged,
			!from.IsZero() && at.Before(from),
			!to.IsZero() && at.After(to):
			continue
		}
		match = append(match, m)
	}
	items, paging, rerr := paginate(match, in, 50)
	if rerr != nil {
		return nil, rerr
	}
	return map[string]any{"messages": orEmpty(items), "paging": paging}, nil
}

func (s *Server) getMessage(_ *http.Request, who caller, in args) (any, *rpcError) {
	if err := in.require("oa_id", "msg_id"); err != nil {
		return nil, err
	}
	for _, m := range s.znsSent {
		if m.ShopID == who.shop.ID && m.OAID == in.str("oa_id") && m.MsgID == in.str("msg_id") {
			return m, nil
		}
	}
	return nil, notFound("message not found")
}
