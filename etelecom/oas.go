package etelecom

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/secret"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Methods of Official Accounts (service Zalo). ListOA, AuthorizeOA,
// ConnectOA and RefreshToken take a shop's key on the Partner API; which
// key UpdateShopOA takes is not in eTelecom's pages.
var (
	listOAs      = listing[OA]{Method{Service: ServiceZalo, Name: "ListOA", Key: ShopKey, ReadOnly: true}, "accounts"}
	authorizeOA  = Method{Service: ServiceZalo, Name: "AuthorizeOA", Key: ShopKey}
	connectOA    = Method{Service: ServiceZalo, Name: "ConnectOA", Key: ShopKey}
	refreshToken = Method{Service: ServiceZalo, Name: "RefreshToken", Key: ShopKey}
	updateOA     = Method{Service: ServiceZalo, Name: "UpdateShopOA", Key: AnyKey, Idempotent: true}
)

// OA statuses.
const (
	OAConnected    = "P"
	OADisconnected = "N"
)

// OA is a Zalo Official Account connected to the shop. Raw holds it exactly
// as received.
type OA struct {
	OAID             partnerkit.ID `json:"oa_id"`
	AppID            partnerkit.ID `json:"app_id"`
	ShopID           partnerkit.ID `json:"shop_id"`
	Name             string        `json:"name"`
	Description      string        `json:"description"`
	Avatar           string        `json:"avatar"`
	Cover            string        `json:"cover"`
	IsVerified       bool          `json:"is_verified"`
	ConnectionID     partnerkit.ID `json:"connection_id"`
	ConnectionMethod string        `json:"connection_method"`
	// OwnerID is sent as "onwer_id", as eTelecom spells it.
	OwnerID partnerkit.ID `json:"onwer_id"`
	// CurrentQuality (the last 48 hours) and LastWeekQuality are HIGH,
	// MEDIUM, LOW or UNDEFINED.
	CurrentQuality                   string         `json:"current_quality"`
	LastWeekQuality                  string         `json:"last_week_quality"`
	DailyQuota                       partnerkit.Int `json:"daily_quota"`
	RemainingQuota                   partnerkit.Int `json:"remaining_quota"`
	DailyQuotaPromotion              partnerkit.Int `json:"daily_quota_promotion"`
	MonthlyPromotionQuota            partnerkit.Int `json:"monthly_promotion_quota"`
	RemainingMonthlyPromotionQuota   partnerkit.Int `json:"remaining_monthly_promotion_quota"`
	EstimatedNextMonthPromotionQuota partnerkit.Int `json:"estimated_next_month_promotion_quota"`
	// WebhookURL is where eTelecom sends this OA's events (OAs.Update).
	WebhookURL string `json:"webhook_url"`
	// Status is OAConnected or OADisconnected.
	Status string `json:"status"`
	// ExpiresAt is when the OA's refresh token expires.
	ExpiresAt partnerkit.Timestamp `json:"expires_at"`
	CreatedAt partnerkit.Timestamp `json:"created_at"`
	UpdatedAt partnerkit.Timestamp `json:"updated_at"`

	Raw json.RawMessage `json:"-"`
}

// OAsService lists, connects and updates the shop's Zalo Official
// Accounts. Use it on a client from ForShop.
type OAsService struct {
	c *Client
}

// OAListParams filter the shop's Official Accounts. All fields are
// optional.
type OAListParams struct {
	AppID    partnerkit.ID
	OAID     partnerkit.ID
	Name     string
	DateFrom time.Time
	DateTo   time.Time

	// After is the cursor to continue after (a page's Next).
	After string
	// Before is the cursor to continue before (a page's Prev), to page
	// backwards; All ignores it.
	Before string
	// Limit is the page size; 0 means eTelecom's default.
	Limit int
	// Sort is the order, as eTelecom names it.
	Sort string
}

func (p *OAListParams) body() (listBody, error) {
	if p == nil {
		return listBody{}, nil
	}
	var v validate.Errors
	checkOptionalID(&v, "AppID", p.AppID)
	checkOptionalID(&v, "OAID", p.OAID)
	checkDateRange(&v, p.DateFrom, p.DateTo)
	pg := pageRequest{After: p.After, Before: p.Before, Limit: p.Limit, Sort: p.Sort}
	pg.check(&v)
	if err := v.Err(); err != nil {
		return listBody{}, err
	}
	type filter struct {
		AppID    partnerkit.ID `json:"app_id,omitempty"`
		OAID     partnerkit.ID `json:"oa_id,omitempty"`
		Name     string        `json:"name,omitempty"`
		DateFrom string        `json:"date_from,omitempty"`
		DateTo   string        `json:"date_to,omitempty"`
	}
	body := listBody{Paging: pg.wire()}
	if f := (filter{p.AppID, p.OAID, p.Name, rfc3339(p.DateFrom), rfc3339(p.DateTo)}); f != (filter{}) {
		body.Filter = f
	}
	return body, nil
}

// List returns one page of the shop's Official Accounts (Zalo/ListOA, shop
// key).
func (s *OAsService) List(ctx context.Context, params *OAListParams) (*Page[OA], error) {
	return listOAs.list(ctx, s.c, params)
}

// All iterates over every Official Account matching params, following the
// cursors from params.After on.
func (s *OAsService) All(ctx context.Context, params *OAListParams) iter.Seq2[OA, error] {
	return listOAs.all(ctx, s.c, params)
}

// OAConnectParams are what Zalo sends back after an OA administrator
// grants the shop access.
type OAConnectParams struct {
	// Code is Zalo's authorization code; required.
	Code string `json:"code"`
	// OAID is the Official Account; required.
	OAID partnerkit.ID `json:"oa_id"`
	// State is the state passed when the authorization link was made.
	State string `json:"state,omitempty"`
}

// Connect connects an Official Account to the shop (Zalo/ConnectOA, shop
// key). The code can be used once, so the call is not sent again once it
// may have reached eTelecom.
func (s *OAsService) Connect(ctx context.Context, params *OAConnectParams) (*OA, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		v.Required("Code", params.Code)
		checkID(&v, "OAID", params.OAID)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return call[OA](ctx, s.c, connectOA, params)
}

// OAUpdateParams change an Official Account.
type OAUpdateParams struct {
	// WebhookURL is where eTelecom sends the OA's events; required.
	WebhookURL string
}

// Update sets the URL eTelecom sends the OA's events to (Zalo/UpdateShopOA;
// the key it takes is not documented). It writes an absolute value, so it
// is retried when that is safe.
func (s *OAsService) Update(ctx context.Context, oaID partnerkit.ID, params *OAUpdateParams) (*OA, error) {
	var v validate.Errors
	checkID(&v, "oaID", oaID)
	if v.NotNil("params", params != nil) {
		v.URL("WebhookURL", params.WebhookURL)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	body := struct {
		OAID       partnerkit.ID `json:"oa_id"`
		WebhookURL string        `json:"webhook_url"`
	}{oaID, params.WebhookURL}
	return call[OA](ctx, s.c, updateOA, body)
}

// OAAuthorization is an authorization link of Zalo: the page where an
// Official Account's administrator grants the shop's Zalo app access to
// the OA. After the grant, Zalo redirects to the app's callback with a code
// for OAs.Connect. Raw holds the answer exactly as received.
type OAAuthorization struct {
	// URL is the authorization page.
	URL string `json:"url"`

	Raw json.RawMessage `json:"-"`
}

// OAAuthorizeParams identify the shop's Zalo app (at developers.zalo.me).
// Every field is required. No formatting of the params (fmt's verbs,
// log/slog) prints AppSecret, and the client keeps it out of its logs and
// errors.
type OAAuthorizeParams struct {
	// AppID is the Zalo app's ID.
	AppID partnerkit.ID `json:"app_id"`
	// AppSecret is the Zalo app's secret key.
	AppSecret partnerkit.Secret `json:"app_secret"`
	// RedirectURI is the app's "Official Account Callback Url", where Zalo
	// sends the administrator after the grant.
	RedirectURI string `json:"redirect_uri"`
}

// LogValue logs the params for log/slog with the app secret as a placeholder.
func (p OAAuthorizeParams) LogValue() slog.Value { return secret.LogValue(p) }

// Format prints the value as fmt would, with its secrets as a placeholder,
// for every verb, also where it is met behind a pointer.
func (p OAAuthorizeParams) Format(f fmt.State, verb rune) { secret.Format(f, verb, p) }

// Authorize returns the link where an OA administrator grants the shop's
// Zalo app access to the OA (Zalo/AuthorizeOA, shop key); connect the OA
// with the code Zalo then sends (Connect). Each call may start a new
// authorization, so it is not sent again once it may have reached
// eTelecom. An answer without a link is an ErrUnexpected error.
func (s *OAsService) Authorize(ctx context.Context, params *OAAuthorizeParams) (*OAAuthorization, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		checkID(&v, "AppID", params.AppID)
		v.Required("AppSecret", string(params.AppSecret))
		v.URL("RedirectURI", params.RedirectURI)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	s.c.t.AddSecret(string(params.AppSecret))
	return s.link(ctx, authorizeOA, params)
}

// RefreshToken returns a link to authorize the OA again when its refresh
// token has expired or is about to (OA.ExpiresAt) (Zalo/RefreshToken, shop
// key); connect it again afterwards with the code Zalo sends (Connect).
// Each call may start a new authorization, so it is not sent again once it
// may have reached eTelecom.
func (s *OAsService) RefreshToken(ctx context.Context, oaID partnerkit.ID) (*OAAuthorization, error) {
	var v validate.Errors
	checkID(&v, "oaID", oaID)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.link(ctx, refreshToken, oaRef{OAID: oaID})
}

// link sends m and returns its authorization link, refusing an answer
// without one.
func (s *OAsService) link(ctx context.Context, m Method, body any) (*OAAuthorization, error) {
	var out OAAuthorization
	err := s.c.send(ctx, m, body, &out, func() string {
		if out.URL == "" {
			return "the answer has no authorization url"
		}
		return ""
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// oaRef is a request that names one Official Account.
type oaRef struct {
	OAID partnerkit.ID `json:"oa_id"`
}
