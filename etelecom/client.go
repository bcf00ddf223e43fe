package etelecom

import (
	"net/url"
	"strings"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/config"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Base URLs of the eTelecom partner API. Method URLs are built by plain
// concatenation: base + "." + service + "/" + method, such as
// https://api.etelecom.vn/v1/partner.Shop/AuthorizeShop.
const (
	DefaultBaseURL = "https://api.etelecom.vn/v1/partner"
	SandboxBaseURL = "https://api-sandbox.etelecom.vn/v1/partner"
	// DefaultPath is the API path of the partner methods. A base URL given
	// as a bare host, such as http://127.0.0.1:8080, gets this path.
	DefaultPath = "/v1/partner"
)

// provider names eTelecom in errors, logs and options.
const provider = "etelecom"

// Sandbox sends the calls of a client from New to eTelecom's sandbox
// (SandboxBaseURL) instead of production. New refuses it together with
// partnerkit.WithBaseURL: eTelecom's sandbox is another host, not a path
// under production's, so no sandbox can be derived from another base URL
// and one of the two options would be ignored (give the sandbox's address,
// or a proxy's, with WithBaseURL alone). coliving.Sandbox, a path segment
// of Coliving's API, composes with WithBaseURL instead. NewSMS refuses
// Sandbox: the SMS API is another host, with no documented sandbox.
func Sandbox() partnerkit.Option {
	return config.SandboxHost(provider, "etelecom.Sandbox", SandboxBaseURL)
}

// Client calls the eTelecom RPC API with one key: the partner's api_key (a
// client from New) or a shop's key (a client from ForShop). Each method
// states the key it takes, and a call with the other key is refused before
// anything is sent. It is safe for concurrent use; no formatting of it
// prints a key.
type Client struct {
	// Shops connects merchants' shops to the partner and reads the current
	// shop.
	Shops *ShopsService
	// Tenants manages cloud PBX tenants.
	Tenants *TenantsService
	// Hotlines adds and lists hotlines.
	Hotlines *HotlinesService
	// Extensions creates and lists extensions, assigns them to users and
	// hotlines, and reads their SIP logins.
	Extensions *ExtensionsService
	// AccountUsers adds staff members to the shop and lists them.
	AccountUsers *AccountUsersService
	// CallLogs lists call history.
	CallLogs *CallLogsService
	// OAs authorizes, connects, lists and updates the shop's Zalo Official
	// Accounts.
	OAs *OAsService
	// Followers lists the users who interact with the Official Accounts.
	Followers *FollowersService
	// Consults sends consulting messages to those users.
	Consults *ConsultsService
	// ZNS sends Zalo notifications (ZNS): from a template, with a journey
	// token, and transaction messages.
	ZNS *ZNSService
	// Messages reads the sent ZNS messages and their delivery.
	Messages *MessagesService
	// Templates registers and reads the ZNS templates.
	Templates *TemplatesService
	// Journeys creates and reads journey tokens.
	Journeys *JourneysService
	// Consents asks users for the permission to call them on Zalo.
	Consents *ConsentsService
	// Webhooks registers the addresses eTelecom sends events to.
	Webhooks *WebhooksService

	t    *transport.Client
	base string
	shop bool
}

// New returns a client that calls eTelecom as the partner, with the
// partner's api_key (Authorization: Bearer <key>). Method URLs are appended
// to the base URL after a dot, so the base includes the API path, such as
// DefaultBaseURL or SandboxBaseURL; a base given as a bare host gets
// DefaultPath. Nothing is sent until the first call.
func New(apiKey string, opts ...partnerkit.Option) (*Client, error) {
	var v validate.Errors
	v.Credential("apiKey", apiKey)
	cfg, err := transport.Configure(provider, v.Err(), opts)
	if err != nil {
		return nil, err
	}
	base := DefaultBaseURL
	if cfg.BaseURL != "" {
		base = strings.TrimRight(cfg.BaseURL, "/")
		if u, err := url.Parse(base); err == nil && u.Path == "" && u.Host != "" && u.RawQuery == "" {
			base += DefaultPath
		}
		cfg.BaseURL = base
	}
	t, err := transport.New(transport.Spec{
		Provider:    provider,
		BaseURL:     DefaultBaseURL,
		Auth:        bearer(apiKey),
		DecodeError: decodeError,
		Failure:     failure,
		Classify:    classify,
		Secrets:     []string{apiKey},
	}, cfg)
	if err != nil {
		return nil, err
	}
	return newClient(t, base, false), nil
}

func newClient(t *transport.Client, base string, shop bool) *Client {
	c := &Client{t: t, base: base, shop: shop}
	c.Shops = &ShopsService{c: c}
	c.Tenants = &TenantsService{c: c}
	c.Hotlines = &HotlinesService{c: c}
	c.Extensions = &ExtensionsService{c: c}
	c.AccountUsers = &AccountUsersService{c: c}
	c.CallLogs = &CallLogsService{c: c}
	c.OAs = &OAsService{c: c}
	c.Followers = &FollowersService{c: c}
	c.Consults = &ConsultsService{c: c}
	c.ZNS = &ZNSService{c: c}
	c.Messages = &MessagesService{c: c}
	c.Templates = &TemplatesService{c: c}
	c.Journeys = &JourneysService{c: c}
	c.Consents = &ConsentsService{c: c}
	c.Webhooks = &WebhooksService{c: c}
	return c
}

func bearer(key string) transport.Auth {
	return transport.NewHeaderAuth("Authorization", "Bearer "+key)
}

// ForShop returns a client that acts as one shop, sending shopKey (the key
// of a shop_key authorization, Authorization.ShopKey) instead of the
// partner's key. It shares this client's connections, rate limiter and
// settings, and never logs the key.
func (c *Client) ForShop(shopKey string) (*Client, error) {
	var v validate.Errors
	v.Credential("shopKey", shopKey)
	if err := v.Err(); err != nil {
		return nil, err
	}
	c.t.AddSecret(shopKey)
	return newClient(c.t.WithAuth(bearer(shopKey)), c.base, true), nil
}

// IsShop reports whether the client acts as a shop (it came from ForShop).
func (c *Client) IsShop() bool {
	return c.shop
}
