package etelecom

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
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

// ShopSignup describes a merchant's shop to connect. Every field is
// required.
type ShopSignup struct {
	// Email is the e-mail address of the shop account.
	Email string `json:"email"`
	// Phone is the phone number of the shop account.
	Phone string `json:"phone"`
	// Name is the name of the shop account.
	Name string `json:"name"`
	// RedirectURL is where eTelecom sends the merchant after logging in, with
	// token and shop_id added to its query (read them with ParseRedirect).
	RedirectURL string `json:"redirect_url"`
}

// Authorization is eTelecom's answer to AuthorizeShop: either a login
// request (NeedsLogin reports true; send the merchant to AuthURL) or the
// shop's key (ShopKey). fmt never prints the key or the request token.
type Authorization struct {
	// Type is TypeShopRequest or TypeShopKey.
	Type string
	// AuthURL is the login page to send the merchant to (login requests).
	AuthURL string
	// ExpiresIn is how long the login request stays valid; zero for a shop
	// key, which never expires.
	ExpiresIn time.Duration
	// ShopKey is the shop's key (TypeShopKey), for ForShop. Store it with
	// the shop.
	ShopKey string
	// RequestToken is the login request's token (TypeShopRequest).
	RequestToken string

	// Raw is the answer exactly as received; it contains the key.
	Raw json.RawMessage
}

// NeedsLogin reports whether the merchant must log in at AuthURL before the
// shop's key can be obtained.
func (a *Authorization) NeedsLogin() bool {
	return a.Type == TypeShopRequest
}

// String describes the authorization without its key or token. A login
// request names its login page without the query, which carries the
// request's token.
func (a *Authorization) String() string {
	if a.NeedsLogin() {
		return fmt.Sprintf("etelecom login request (log in at %s within %s)", loginPage(a.AuthURL), a.ExpiresIn)
	}
	return "etelecom shop key"
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

// GoString describes the authorization without its key or token, for %#v.
func (a *Authorization) GoString() string {
	return a.String()
}

// authorizeAnswer is AuthorizeShop's wire answer; it reports broken
// promises (no key, no login page) as errors.
type authorizeAnswer struct {
	Code      string         `json:"code"`
	Msg       string         `json:"msg"`
	Type      string         `json:"type"`
	AuthToken string         `json:"auth_token"`
	ExpiresIn int64          `json:"expires_in"`
	AuthURL   string         `json:"auth_url"`
	Meta      map[string]any `json:"meta"`
	raw       json.RawMessage
}

func (a *authorizeAnswer) UnmarshalJSON(data []byte) error {
	type plain authorizeAnswer
	if err := json.Unmarshal(data, (*plain)(a)); err != nil {
		return err
	}
	a.raw = append(json.RawMessage(nil), data...)
	return nil
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

// maxExpiresIn is the longest validity, in seconds, a time.Duration holds;
// longer ones are cut to it rather than overflow.
const maxExpiresIn = int64(math.MaxInt64 / time.Second)

func (a *authorizeAnswer) result() *Authorization {
	out := &Authorization{Type: a.Type, AuthURL: a.AuthURL, Raw: a.raw}
	if a.Type == TypeShopKey {
		out.ShopKey = a.AuthToken
	} else {
		out.RequestToken = a.AuthToken
		if a.ExpiresIn > 0 {
			out.ExpiresIn = time.Duration(min(a.ExpiresIn, maxExpiresIn)) * time.Second
		}
	}
	return out
}

// Authorize starts connecting a new shop (Shop/AuthorizeShop with the
// partner's key). eTelecom answers with a login request: send the merchant
// to AuthURL; eTelecom then redirects to RedirectURL with the shop's ID,
// which Reauthorize exchanges for the shop's key. It is not sent again once
// it may have reached eTelecom.
func (s *ShopsService) Authorize(ctx context.Context, in *ShopSignup) (*Authorization, error) {
	var v validate.Errors
	if v.NotNil("signup", in != nil) {
		v.Email("Email", in.Email)
		v.Phone("Phone", in.Phone)
		v.Required("Name", in.Name)
		v.URL("RedirectURL", in.RedirectURL)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.authorize(ctx, in, transport.NotIdempotent)
}

// Reauthorize asks for the key of a connected shop (Shop/AuthorizeShop with
// shop_id). The answer is usually the shop's key, but it is a login request
// again when the merchant unlinked the partner: send the merchant to
// AuthURL, as after Authorize. A wrong shopID is ErrForbidden
// (permission_denied).
func (s *ShopsService) Reauthorize(ctx context.Context, shopID partnerkit.ID, redirectURL string) (*Authorization, error) {
	var v validate.Errors
	checkID(&v, "shopID", shopID)
	v.URL("redirectURL", redirectURL)
	if err := v.Err(); err != nil {
		return nil, err
	}
	body := struct {
		ShopID      partnerkit.ID `json:"shop_id"`
		RedirectURL string        `json:"redirect_url"`
	}{shopID, redirectURL}
	return s.authorize(ctx, body, transport.Idempotent)
}

func (s *ShopsService) authorize(ctx context.Context, body any, safety transport.Safety) (*Authorization, error) {
	var out authorizeAnswer
	if err := s.c.rpcExpect(ctx, ServiceShop, "AuthorizeShop", body, &out, safety, out.broken); err != nil {
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

// UnmarshalJSON decodes a shop and keeps the raw JSON in Raw.
func (s *Shop) UnmarshalJSON(data []byte) error {
	type plain Shop
	if err := json.Unmarshal(data, (*plain)(s)); err != nil {
		return err
	}
	s.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// Current returns the shop whose key the client uses (Shop/CurrentShop);
// call it on a client from ForShop to check a stored key.
func (s *ShopsService) Current(ctx context.Context) (*Shop, error) {
	var out Shop
	if err := s.c.rpc(ctx, ServiceShop, "CurrentShop", nil, &out, transport.Idempotent); err != nil {
		return nil, err
	}
	return &out, nil
}

// Redirect is what eTelecom adds to the redirect URL after a merchant logs
// in.
type Redirect struct {
	// ShopID is the shop to pass to Reauthorize.
	ShopID partnerkit.ID
	// Token is eTelecom's token for this login.
	Token string
}

// ParseRedirect reads token and shop_id from the URL eTelecom redirected the
// merchant to (for an http.Handler: ParseRedirect(r.URL)). A missing or
// malformed value is a *partnerkit.ValidationError.
func ParseRedirect(u *url.URL) (*Redirect, error) {
	var v validate.Errors
	if !v.NotNil("url", u != nil) {
		return nil, v.Err()
	}
	q := u.Query()
	r := &Redirect{ShopID: partnerkit.ID(strings.TrimSpace(q.Get("shop_id"))), Token: strings.TrimSpace(q.Get("token"))}
	checkID(&v, "shop_id", r.ShopID)
	v.Required("token", r.Token)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return r, nil
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
