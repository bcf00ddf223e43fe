// Package config carries a client's settings from the options that set them
// to the request engine and the provider package that read them. It is
// internal so that no caller can reach a setting except through an option,
// which checks its value: partnerkit.Option is this package's Option.
//
// An option is built with New (it applies to every provider) or ForProvider
// (one provider's option). Settings of the engine are fields of Config; a
// provider package keeps its own settings in a struct of its own type,
// reached with Slot, so that they are typed end to end:
//
//	type settings struct{ tenant string }
//
//	func WithTenantID(id string) partnerkit.Option {
//		return config.ForProvider("alohub", "alohub.WithTenantID", func(c *config.Config) error {
//			config.Slot[settings](c).tenant = id
//			return nil
//		})
//	}
//
// The package imports nothing of this module but the clock, so that the root
// package can alias its Option.
package config

import (
	"errors"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/partnerkit/partnerkit-go/internal/clock"
)

// Config is a client's settings once its options are applied. The engine
// fills the defaults before applying the options.
type Config struct {
	// BaseURL replaces the provider's production base URL when not empty.
	BaseURL string
	// HTTPClient sends the requests; nil means a pooled default.
	HTTPClient *http.Client
	// Timeout bounds each attempt; zero means no per-attempt bound.
	Timeout time.Duration
	// MaxRetries is how many retries may follow the first attempt.
	MaxRetries int
	// RetryBaseWait and RetryMaxWait shape the backoff.
	RetryBaseWait time.Duration
	RetryMaxWait  time.Duration
	// MaxWait is the longest single wait, asked by a server or by the
	// limiter, that a call accepts.
	MaxWait time.Duration
	// RateLimit and RatePer, when RateLimit is positive, replace the
	// provider's static quotas with one quota for the client.
	RateLimit int
	RatePer   time.Duration
	// RateLimitOff turns client-side quotas and learned windows off.
	RateLimitOff bool
	// Logger receives debug records; nil means none.
	Logger *slog.Logger
	// UserAgentSuffix is appended to the User-Agent header.
	UserAgentSuffix string
	// Headers are added to every request.
	Headers http.Header
	// MaxResponseBytes caps an answer's body.
	MaxResponseBytes int64
	// InsecureHTTP allows a plain http base URL on a host other than
	// loopback.
	InsecureHTTP bool
	// RedirectsOff makes the client follow no redirect at all.
	RedirectsOff bool
	// RedirectOtherHosts, RedirectPlainHTTP and RedirectBody allow the
	// redirects the client refuses by default: to another host, from https
	// to plain http, and of a request with a body (see
	// partnerkit.WithRedirects).
	RedirectOtherHosts bool
	RedirectPlainHTTP  bool
	RedirectBody       bool
	// Clock tells time and waits; nil means the system clock.
	Clock clock.Clock
	// Random returns numbers in [0, 1) for jitter; nil means math/rand.
	Random func() float64
	// Sandbox is the base URL of a provider's sandbox on a host of its own,
	// chosen by the option named SandboxOption (see SandboxHost).
	Sandbox       string
	SandboxOption string

	slots map[reflect.Type]any
}

// Slot returns the settings of type T held by c, creating them (zero) on
// first use. Each type is one slot: a provider package uses an unexported
// struct type of its own, so no two packages share a slot.
func Slot[T any](c *Config) *T {
	key := reflect.TypeFor[T]()
	if v, ok := c.slots[key]; ok {
		return v.(*T)
	}
	if c.slots == nil {
		c.slots = make(map[reflect.Type]any)
	}
	v := new(T)
	c.slots[key] = v
	return v
}

// Lookup returns the settings of type T held by c, if an option set them.
func Lookup[T any](c *Config) (T, bool) {
	v, ok := c.slots[reflect.TypeFor[T]()]
	if !ok {
		var zero T
		return zero, false
	}
	return *v.(*T), true
}

// Option is one client option: a named, checked change to a Config. The
// zero Option changes nothing.
type Option struct {
	name     string
	provider string
	apply    func(*Config) error
}

// New returns an option that every provider takes. name is the option as a
// caller writes it, such as "partnerkit.WithMaxRetries"; apply returns an
// error when the option's value cannot work.
func New(name string, apply func(*Config) error) Option {
	return Option{name: name, apply: apply}
}

// ForProvider returns an option that only provider takes: a client of
// another provider refuses it.
func ForProvider(provider, name string, apply func(*Config) error) Option {
	return Option{name: name, provider: provider, apply: apply}
}

// SandboxHost returns provider's option name that sends a client's calls to
// the provider's sandbox at url, a host of its own. The engine replaces the
// base URL with url once every option is applied, and refuses the option
// together with a base URL given by the caller: no sandbox can be derived
// from another base URL, and one of the two options would be ignored.
func SandboxHost(provider, name, url string) Option {
	return ForProvider(provider, name, func(c *Config) error {
		c.Sandbox, c.SandboxOption = url, name
		return nil
	})
}

// Name returns the option's name, such as "partnerkit.WithMaxRetries".
func (o Option) Name() string { return o.name }

// Provider returns the provider that takes the option, or "" when every
// provider takes it.
func (o Option) Provider() string { return o.provider }

// errNoConfig is returned by Apply on a nil Config.
var errNoConfig = errors.New("config: no Config to apply the option to")

// Apply applies the option to c and returns the error it reports.
func (o Option) Apply(c *Config) error {
	if o.apply == nil {
		return nil
	}
	if c == nil {
		return errNoConfig
	}
	return o.apply(c)
}

// ValidHeaderValue reports whether v may be sent as a header value: no
// control characters (CR, LF, NUL and the others below space, and DEL) but
// the horizontal tab, as RFC 9110 says and net/http checks when sending.
func ValidHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// ValidHeaderName reports whether name is a header name: one or more token
// characters of RFC 9110.
func ValidHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}
