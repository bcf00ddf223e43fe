package etelecom

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
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

// Services of the eTelecom RPC API, for Call.
const (
	ServiceShop     = "Shop"
	ServiceMisc     = "Misc"
	ServiceEtelecom = "Etelecom"
	ServiceZalo     = "Zalo"
)

// Twirp error codes eTelecom answers with, found in partnerkit.Error.Code.
const (
	CodeOK                 = "ok"
	CodeCanceled           = "canceled"
	CodeUnknown            = "unknown"
	CodeInvalidArgument    = "invalid_argument"
	CodeMalformed          = "malformed"
	CodeDeadlineExceeded   = "deadline_exceeded"
	CodeNotFound           = "not_found"
	CodeBadRoute           = "bad_route"
	CodeAlreadyExists      = "already_exists"
	CodePermissionDenied   = "permission_denied"
	CodeUnauthenticated    = "unauthenticated"
	CodeResourceExhausted  = "resource_exhausted"
	CodeFailedPrecondition = "failed_precondition"
	CodeAborted            = "aborted"
	CodeOutOfRange         = "out_of_range"
	CodeUnimplemented      = "unimplemented"
	CodeInternal           = "internal"
	CodeUnavailable        = "unavailable"
	CodeDataLoss           = "dataloss"
)

// Client calls the eTelecom RPC API with one key: a partner's API key (from
// New) or a shop's key (from ForShop). It is safe for concurrent use.
type Client struct {
	// Shops connects merchants' shops to the partner and reads the current
	// shop.
	Shops *ShopsService
	// Tenants manages cloud PBX tenants.
	Tenants *TenantsService
	// Hotlines adds and lists hotlines.
	Hotlines *HotlinesService
	// Extensions creates and lists extensions and assigns them to users.
	Extensions *ExtensionsService
	// CallLogs lists call history.
	CallLogs *CallLogsService
	// Zalo sends Zalo notifications (ZNS) and manages Official Accounts.
	Zalo *ZaloService

	t    *transport.Client
	base string
	shop bool
}

// New returns a client that calls eTelecom as the partner, with the
// partner's API key (Authorization: Bearer <key>). Method URLs are appended
// to the base URL after a dot, so the base includes the API path, such as
// DefaultBaseURL or SandboxBaseURL; a base given as a bare host gets
// DefaultPath.
func New(apiKey string, opts ...partnerkit.Option) (*Client, error) {
	var v validate.Errors
	v.Required("apiKey", apiKey)
	if err := v.Err(); err != nil {
		return nil, err
	}
	cfg, err := transport.Configure(provider, opts)
	if err != nil {
		return nil, err
	}
	base := DefaultBaseURL
	if cfg.BaseURL != "" {
		base = cfg.BaseURL
	}
	base = strings.TrimRight(base, "/")
	if u, err := url.Parse(base); err == nil && u.Path == "" && u.Host != "" && u.RawQuery == "" {
		base += DefaultPath
		cfg.BaseURL = base
	}
	t, err := transport.New(transport.Spec{
		Provider:    provider,
		BaseURL:     DefaultBaseURL,
		Auth:        bearer(apiKey),
		DecodeError: decodeError,
		Failure:     failure,
		Secrets:     []string{apiKey},
	}, cfg)
	if err != nil {
		return nil, err
	}
	return newClient(t, base, false), nil
}

// provider names eTelecom in errors, logs and options.
const provider = "etelecom"

// Sandbox sends requests to eTelecom's sandbox (SandboxBaseURL) instead of
// production.
func Sandbox() partnerkit.Option {
	return config.ForProvider(provider, "etelecom.Sandbox", func(c *config.Config) error {
		c.BaseURL = SandboxBaseURL
		return nil
	})
}

func newClient(t *transport.Client, base string, shop bool) *Client {
	c := &Client{t: t, base: base, shop: shop}
	c.Shops = &ShopsService{c: c}
	c.Tenants = &TenantsService{c: c}
	c.Hotlines = &HotlinesService{c: c}
	c.Extensions = &ExtensionsService{c: c}
	c.CallLogs = &CallLogsService{c: c}
	c.Zalo = &ZaloService{c: c}
	return c
}

func bearer(key string) transport.Auth {
	return transport.NewHeaderAuth("Authorization", "Bearer "+key)
}

// ForShop returns a client that acts as one shop, sending shopKey (the
// auth_token of a shop_key authorization) instead of the partner's key. It
// shares this client's connections, rate limiter and settings, and never
// logs the key.
func (c *Client) ForShop(shopKey string) (*Client, error) {
	var v validate.Errors
	if v.Required("shopKey", shopKey) {
		v.Check(!strings.ContainsAny(shopKey, " \r\n\t"), "shopKey", "must not contain spaces or line breaks")
	}
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

// Call sends method of service with in as the JSON body ({} when in is nil)
// and decodes the answer into out (when out is not nil). It reaches any
// method of the API, including those this package does not wrap yet:
//
//	var out struct{ Users []json.RawMessage `json:"users"` }
//	err := c.Call(ctx, etelecom.ServiceEtelecom, "GetUsers", map[string]any{}, &out)
//
// Methods whose name starts with Get, List or Current are read-only and are
// retried when that is safe; every other method is sent at most once after
// it may have reached eTelecom (a 429 is still waited out and retried, since
// eTelecom did not act on it).
func (c *Client) Call(ctx context.Context, service, method string, in, out any) error {
	var v validate.Errors
	checkName(&v, "service", service)
	checkName(&v, "method", method)
	if err := v.Err(); err != nil {
		return err
	}
	return c.rpc(ctx, service, method, in, out, safetyOf(method))
}

// safetyOf decides from a method's name whether it is read-only.
func safetyOf(method string) transport.Safety {
	for _, prefix := range [...]string{"Get", "List", "Current"} {
		if strings.HasPrefix(method, prefix) {
			return transport.Idempotent
		}
	}
	return transport.NotIdempotent
}

// checkName accepts service and method names made of letters, digits and
// underscores, starting with a letter.
func checkName(v *validate.Errors, field, name string) {
	if !v.Required(field, name) {
		return
	}
	ok := true
	for i, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case (r >= '0' && r <= '9') || r == '_':
			ok = ok && i > 0
		default:
			ok = false
		}
	}
	v.Check(ok, field, "must be a name of letters, digits and underscores, such as ListCallLogs")
}

// isNil reports whether v is nil or a nil pointer, map or slice, which
// would be sent as null.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

// emptyBody is sent when a method takes no arguments.
var emptyBody = json.RawMessage("{}")

// rpc sends one RPC call.
func (c *Client) rpc(ctx context.Context, service, method string, in, out any, safety transport.Safety) error {
	return c.rpcExpect(ctx, service, method, in, out, safety, nil)
}

// rpcExpect sends one RPC call whose decoded answer expect judges (see
// transport.Request.Expect).
func (c *Client) rpcExpect(ctx context.Context, service, method string, in, out any, safety transport.Safety, expect func() string) error {
	body := in
	if isNil(body) {
		body = emptyBody
	}
	return c.t.Do(ctx, &transport.Request{
		Method: http.MethodPost,
		URL:    c.base + "." + service + "/" + method,
		Route:  service + "/" + method,
		Body:   body,
		Safety: safety,
		Expect: expect,
	}, out)
}

// Account is the account that owns the key in use: the partner, or a shop.
// Raw holds it exactly as received.
type Account struct {
	ID       partnerkit.ID `json:"id"`
	Name     string        `json:"name"`
	Type     string        `json:"type"`
	Email    string        `json:"email"`
	Phone    string        `json:"phone"`
	ImageURL string        `json:"image_url"`
	Website  string        `json:"website"`

	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes an account and keeps the raw JSON in Raw.
func (a *Account) UnmarshalJSON(data []byte) error {
	type plain Account
	if err := json.Unmarshal(data, (*plain)(a)); err != nil {
		return err
	}
	a.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// CurrentAccount returns the account that owns the client's key
// (Misc/CurrentAccount).
func (c *Client) CurrentAccount(ctx context.Context) (*Account, error) {
	var out Account
	if err := c.rpc(ctx, ServiceMisc, "CurrentAccount", nil, &out, transport.Idempotent); err != nil {
		return nil, err
	}
	return &out, nil
}

// twirpError is eTelecom's error body.
type twirpError struct {
	Code string         `json:"code"`
	Msg  string         `json:"msg"`
	Meta map[string]any `json:"meta"`
}

// KindForCode returns the sentinel error for a Twirp error code:
// ErrInvalidRequest for invalid_argument, malformed, out_of_range and
// failed_precondition; ErrUnauthorized for unauthenticated; ErrForbidden for
// permission_denied; ErrNotFound for not_found and bad_route; ErrConflict
// for already_exists and aborted; ErrRateLimited for resource_exhausted;
// ErrServer for internal, unavailable, unknown, dataloss, deadline_exceeded
// and unimplemented. Any other code gives nil (the HTTP status decides).
func KindForCode(code string) error {
	switch code {
	case CodeInvalidArgument, CodeMalformed, CodeOutOfRange, CodeFailedPrecondition:
		return partnerkit.ErrInvalidRequest
	case CodeUnauthenticated:
		return partnerkit.ErrUnauthorized
	case CodePermissionDenied:
		return partnerkit.ErrForbidden
	case CodeNotFound, CodeBadRoute:
		return partnerkit.ErrNotFound
	case CodeAlreadyExists, CodeAborted:
		return partnerkit.ErrConflict
	case CodeResourceExhausted:
		return partnerkit.ErrRateLimited
	case CodeInternal, CodeUnavailable, CodeUnknown, CodeDataLoss, CodeDeadlineExceeded, CodeUnimplemented:
		return partnerkit.ErrServer
	}
	return nil
}

// failure reads a Twirp error code that an answer with a success status
// carries, such as AuthorizeShop's {"code": "permission_denied", ...} under
// 200.
func failure(r *transport.Response) *partnerkit.Error {
	var body twirpError
	if json.Unmarshal(r.Body, &body) != nil || body.Code == "" || body.Code == CodeOK {
		return nil
	}
	e := body.toError()
	if e.Kind == nil {
		e.Kind = partnerkit.ErrUnexpected
	}
	return e
}

// decodeError reads a Twirp error body {code, msg, meta}. Meta becomes
// Details (a map[string]any); Twirp's meta "argument" names the field the
// message is about and becomes FieldErrors.
func decodeError(r *transport.Response) *partnerkit.Error {
	var body twirpError
	if json.Unmarshal(r.Body, &body) != nil {
		return nil
	}
	return body.toError()
}

func (b *twirpError) toError() *partnerkit.Error {
	e := &partnerkit.Error{Code: b.Code, Message: b.Msg, Kind: KindForCode(b.Code)}
	if len(b.Meta) > 0 {
		e.Details = b.Meta
		if arg, ok := b.Meta["argument"].(string); ok && arg != "" {
			e.FieldErrors = map[string][]string{arg: {b.Msg}}
		}
	}
	return e
}

// unexpected reports an answer that breaks eTelecom's documented promises.
func unexpected(format string, args ...any) *partnerkit.Error {
	return &partnerkit.Error{Kind: partnerkit.ErrUnexpected, Message: fmt.Sprintf(format, args...)}
}
