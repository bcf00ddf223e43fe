package transport

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"strings"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/config"
)

// Setup is Configure for a provider with settings of its own: it also
// returns the provider's settings S among the options (S's zero value when
// no option set them).
func Setup[S any](provider string, args error, opts []partnerkit.Option) (*config.Config, S, error) {
	cfg, err := Configure(provider, args, opts)
	if err != nil {
		var zero S
		return nil, zero, err
	}
	set, _ := config.Lookup[S](cfg)
	return cfg, set, nil
}

// Configure is the opening of a provider's New. It returns args, the error
// the checks of New's arguments found (nil when they passed), before
// looking at any option; else the settings of a client of provider: the
// defaults, then opts in order, then the sandbox an option chose (see
// config.SandboxHost). It refuses an option another provider takes and
// returns the error an option reports (a *partnerkit.ValidationError
// naming it).
func Configure(provider string, args error, opts []partnerkit.Option) (*config.Config, error) {
	if args != nil {
		return nil, args
	}
	cfg := &config.Config{
		Timeout:          partnerkit.DefaultTimeout,
		MaxRetries:       partnerkit.DefaultMaxRetries,
		RetryBaseWait:    partnerkit.DefaultRetryBaseWait,
		RetryMaxWait:     partnerkit.DefaultRetryMaxWait,
		MaxWait:          partnerkit.DefaultMaxWait,
		MaxResponseBytes: partnerkit.DefaultMaxResponseBytes,
		Clock:            clock.Real,
		Random:           rand.Float64,
	}
	for _, o := range opts {
		if p := o.Provider(); p != "" && p != provider {
			return nil, &partnerkit.ValidationError{
				Field: o.Name(),
				Rule:  fmt.Sprintf("is an option of %s; a %s client does not take it", p, provider),
			}
		}
		if err := o.Apply(cfg); err != nil {
			return nil, err
		}
	}
	if cfg.Sandbox != "" {
		if cfg.BaseURL != "" {
			return nil, &partnerkit.ValidationError{Field: cfg.SandboxOption, Rule: "must not be combined with partnerkit.WithBaseURL"}
		}
		cfg.BaseURL = cfg.Sandbox
	}
	return cfg, nil
}

// WithClock makes the client tell time and wait with c (tests).
func WithClock(c clock.Clock) partnerkit.Option {
	return config.New("transport.WithClock", func(cfg *config.Config) error {
		cfg.Clock = c
		return nil
	})
}

// WithRandom makes the client draw backoff jitter from f, which must return
// numbers in [0, 1) (tests).
func WithRandom(f func() float64) partnerkit.Option {
	return config.New("transport.WithRandom", func(cfg *config.Config) error {
		cfg.Random = f
		return nil
	})
}

// baseURL returns the base URL a client uses: cfg's, or the provider's
// production address, without a trailing slash and without its user
// information, which it returns apart (nil when there is none). Plain http
// is refused for hosts other than loopback unless the caller allowed it. No
// error repeats the user information.
func baseURL(production string, cfg *config.Config) (string, *url.Userinfo, error) {
	base := production
	if cfg.BaseURL != "" {
		base = cfg.BaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", nil, &partnerkit.ValidationError{Field: "BaseURL", Rule: fmt.Sprintf("must be an absolute http or https URL, got %q", redactAddress(base))}
	}
	if u.Scheme == "http" && !cfg.InsecureHTTP && !loopback(u.Hostname()) {
		return "", nil, &partnerkit.ValidationError{
			Field: "partnerkit.WithBaseURL",
			Rule:  fmt.Sprintf("must use https for %s: plain http would send the credentials in clear (partnerkit.WithInsecureHTTP allows it)", u.Hostname()),
		}
	}
	base, user := splitUserinfo(base)
	return strings.TrimRight(base, "/"), user, nil
}

// splitUserinfo returns address without its user information
// (user:password@), and that information; nil when it has none.
func splitUserinfo(address string) (string, *url.Userinfo) {
	start, at := userinfo(address)
	if at < 0 {
		return address, nil
	}
	u, err := url.Parse(address)
	if err != nil || u.User == nil {
		return address, nil
	}
	return address[:start] + address[at+1:], u.User
}

// loopback reports whether host is this machine: localhost (with or
// without the root's trailing dot), a name under localhost, or a loopback
// address (IPv4, IPv6, IPv4-mapped, with or without an IPv6 zone).
func loopback(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	if zone := strings.IndexByte(host, '%'); zone >= 0 {
		host = host[:zone]
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
