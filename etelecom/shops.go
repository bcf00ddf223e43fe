package etelecom

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/secret"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Methods of the Shop service. AuthorizeShop is declared twice: asking for
// a new shop's login creates a login request and is sent once; asking for
// a connected shop's key changes nothing and may be repeated.
var (
	authorizeShop   = Method{Service: ServiceShop, Name: "AuthorizeShop", Key: PartnerKey}
	reauthorizeShop = Method{Service: ServiceShop, Name: "AuthorizeShop", Key: PartnerKey, Idempotent: true}
	currentShop     = Method{Service: ServiceShop, Name: "CurrentShop", Key: ShopKey, ReadOnly: true}
)

// Authorization types eTelecom answers AuthorizeShop with.
const (
	// TypeShopRequest means the merchant must log in at AuthURL.
	TypeShopRequest = "shop_request"
	// TypeShopKey means the answer carries the shop's key.
	TypeShopKey = "shop_key"
)

// ShopsService connects merchants' shops to the partner (with the partner's
// key) and reads the current shop (with a shop's key).
type ShopsService struct {
	c *Client
}

// ShopAuthorizeParams describe a merchant's shop to connect. Every field
// is required.
type ShopAuthorizeParams struct {
	// Email is the e-mail address of the shop account.
	Email string `json:"email"`
	// Phone is the phone number of the shop account.
	Phone string `json:"phone"`
	// Name is the name of the shop account.
	Name string `json:"name"`
	// RedirectURL is where eTelecom sends the merchant after logging in,
	// with token and shop_id added to its query (read them with
	// ParseRedirect). Put a random state in it (StateParam) to recognize
	// the redirect of this login.
	RedirectURL string `json:"redirect_url"`
}

// Authorization is eTelecom's answer to AuthorizeShop: either a login
// request (NeedsLogin reports true; send the merchant to AuthURL) or the
// shop's key (ShopKey). No formatting of it (fmt's verbs, log/slog) prints
// the key, the request's token, or AuthURL's query, which carries the
// token.
type Authorization struct {
	// Type is TypeShopRequest or TypeShopKey.
	Type string
	// AuthURL is the login page to send the merchant to (login requests).
	// Its query carries the request's token.
	AuthURL string
	// ExpiresIn is how long the login request stays valid; zero for a shop
	// key, which never expires (expires_in -1).
	ExpiresIn time.Duration
	// Code is the answer's code, "ok" on success.
	Code string
	// Message is the answer's msg, when eTelecom says something.
	Message string
	// Meta is the answer's meta object, when there is one.
	Meta map[string]any

	shopKey      secret.String
	requestToken secret.String
}

// ShopKey returns the shop's key (TypeShopKey), for ForShop. Store it with
// the shop, as a secret: it does not expire.
func (a Authorization) ShopKey() string {
	return a.shopKey.Reveal()
}

// RequestToken returns the login request's token (TypeShopRequest).
func (a Authorization) RequestToken() string {
	return a.requestToken.Reveal()
}

// NeedsLogin reports whether the merchant must log in at AuthURL before the
// shop's key can be obtained.
func (a Authorization) NeedsLogin() bool {
	return a.Type == TypeShopRequest
}

// String describes the authorization without its key or token. A login
// request names its login page without the query, which carries the
// request's token.
func (a Authorization) String() string {
	if a.NeedsLogin() {
		return fmt.Sprintf("etelecom login request (log in at %s within %s)", loginPage(a.AuthURL), a.ExpiresIn)
	}
	return "etelecom shop key"
}

// Format prints String for every verb, %#v and %+v included.
func (a Authorization) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, a.String())
}

// LogValue returns String, for log/slog.
func (a Authorization) LogValue() slog.Value {
	return slog.StringValue(a.String())
}

// loginPage returns the scheme, host and path of a login page's address,
// leaving out its user information, query and fragment.
func loginPage(authURL string) string {
	u, err := url.Parse(authURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "the login page"
	}
	return u.Scheme + "://" + u.Host + u.EscapedPath()
}

// authorizeAnswer is AuthorizeShop's wire answer.
type authorizeAnswer struct {
	Code      string             `json:"code"`
	Msg       string             `json:"msg"`
	Type      string             `json:"type"`
	AuthToken string             `json:"auth_token"`
	ExpiresIn partnerkit.Seconds `json:"expires_in"`
	AuthURL   string             `json:"auth_url"`
	Meta      map[string]any     `json:"meta"`
}

// broken reports answers that carry neither a login page nor a key (a
// failure code under a success status is the client's Spec.Failure).
func (a *authorizeAnswer) broken() string {
	switch a.Type {
	case TypeShopRequest:
		if a.AuthURL == "" {
			return "a shop_request answer without auth_url"
		}
	case TypeShopKey:
		if a.AuthToken == "" {
			return "a shop_key answer without auth_token"
		}
	default:
		return fmt.Sprintf("an authorization of unknown type %q", a.Type)
	}
	return ""
}

func (a *authorizeAnswer) result() *Authorization {
	out := &Authorization{Type: a.Type, AuthURL: a.AuthURL, Code: a.Code, Message: a.Msg, Meta: a.Meta}
	if a.Type == TypeShopKey {
		out.shopKey = secret.New(a.AuthToken)
	} else {
		out.requestToken = secret.New(a.AuthToken)
		out.ExpiresIn = max(a.ExpiresIn.Duration(), 0)
	}
	return out
}

// Authorize starts connecting a new shop (Shop/AuthorizeShop, partner
// key). eTelecom answers with a login request: send the merchant to
// AuthURL; eTelecom then redirects to RedirectURL with the shop's ID, which
// Reauthorize exchanges for the shop's key. It is not sent again once it
// may have reached eTelecom.
func (s *ShopsService) Authorize(ctx context.Context, params *ShopAuthorizeParams) (*Authorization, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		v.Email("Email", params.Email)
		v.Phone("Phone", params.Phone)
		v.Required("Name", params.Name)
		v.URL("RedirectURL", params.RedirectURL)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.authorize(ctx, authorizeShop, params)
}

// Reauthorize asks for the key of a connected shop (Shop/AuthorizeShop with
// shop_id, partner key). The answer is usually the shop's key, but it is a
// login request again when the merchant unlinked the partner: send the
// merchant to AuthURL, as after Authorize. A shopID eTelecom does not know
// for this partner is ErrForbidden (permission_denied). shopID is
// eTelecom's ID as text; see ParseRedirect for what to check before using
// one from a redirect.
func (s *ShopsService) Reauthorize(ctx context.Context, shopID partnerkit.ID, redirectURL string) (*Authorization, error) {
	var v validate.Errors
	v.PathID("shopID", shopID)
	v.URL("redirectURL", redirectURL)
	if err := v.Err(); err != nil {
		return nil, err
	}
	body := struct {
		ShopID      partnerkit.ID `json:"shop_id"`
		RedirectURL string        `json:"redirect_url"`
	}{shopID, redirectURL}
	return s.authorize(ctx, reauthorizeShop, body)
}

func (s *ShopsService) authorize(ctx context.Context, m Method, body any) (*Authorization, error) {
	var out authorizeAnswer
	if err := s.c.send(ctx, m, body, &out, out.broken); err != nil {
		return nil, err
	}
	s.c.t.AddSecret(out.AuthToken)
	return out.result(), nil
}

// Shop is a shop as CurrentShop describes it. Raw holds it exactly as
// received.
type Shop struct {
	ID       partnerkit.ID `json:"id"`
	Name     string        `json:"name"`
	Type     string        `json:"type"`
	ImageURL string        `json:"image_url"`
	Website  string        `json:"website"`

	Raw json.RawMessage `json:"-"`
}

// Current returns the shop whose key the client uses (Shop/CurrentShop,
// shop key); call it on a client from ForShop to check a stored key.
func (s *ShopsService) Current(ctx context.Context) (*Shop, error) {
	return call[Shop](ctx, s.c, currentShop, nil)
}

// StateParam is the query parameter of a RedirectURL that carries the
// partner's state: eTelecom keeps the redirect URL's query and adds token
// and shop_id to it.
const StateParam = "state"

// Redirect is what the address eTelecom redirects the merchant to carries.
type Redirect struct {
	// ShopID is the shop to pass to Reauthorize, as the browser sent it.
	ShopID partnerkit.ID
	// Token is eTelecom's token for this login. eTelecom documents no way
	// to check it.
	Token string
	// State is the StateParam the partner put in RedirectURL, or "".
	State string
}

// ParseRedirect reads shop_id, token and state from the address eTelecom
// redirected the merchant to (in an http.Handler: ParseRedirect(r.URL)). A
// missing or malformed value is a *partnerkit.ValidationError.
//
// It only reads: the address comes from a browser, and anyone can open the
// callback with any shop_id. Before passing ShopID to Reauthorize, a
// caller must check that
//   - the request is a GET, as eTelecom's redirect is;
//   - State matches the random value put in this login's RedirectURL
//     (HasState compares in constant time), and that value is then
//     forgotten: it binds the redirect to a login the partner started, so
//     that a forged request cannot make the partner act as another shop;
//   - a request that fails these checks, or ParseRedirect, is answered with
//     an error and otherwise ignored: it must not end the login, which the
//     merchant's real redirect may still complete.
func ParseRedirect(u *url.URL) (*Redirect, error) {
	var v validate.Errors
	if !v.NotNil("url", u != nil) {
		return nil, v.Err()
	}
	q := u.Query()
	r := &Redirect{
		ShopID: partnerkit.ID(strings.TrimSpace(q.Get("shop_id"))),
		Token:  strings.TrimSpace(q.Get("token")),
		State:  q.Get(StateParam),
	}
	v.PathID("shop_id", r.ShopID)
	v.Required("token", r.Token)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

// HasState reports, in constant time, whether the redirect carries state,
// which must not be empty.
func (r *Redirect) HasState(state string) bool {
	return state != "" && subtle.ConstantTimeCompare([]byte(r.State), []byte(state)) == 1
}

// checkID validates an eTelecom ID: int64 values that travel as strings.
func checkID(v *validate.Errors, field string, id partnerkit.ID) bool {
	if !v.Required(field, string(id)) {
		return false
	}
	n, ok := id.Int64()
	return v.Check(ok && n >= 1, field, "must be a positive integer ID")
}

// checkOptionalID validates an ID that may be left empty.
func checkOptionalID(v *validate.Errors, field string, id partnerkit.ID) {
	if id != "" {
		checkID(v, field, id)
	}
}
