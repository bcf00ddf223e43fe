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

// Configure returns the settings of a client of provider: the defaults, then
// opts in order. It refuses an option another provider takes and returns the
// error an option reports (a *partnerkit.ValidationError naming it).
func Configure(provider string, opts []partnerkit.Option) (*config.Config, error) {
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
// production address, without a trailing slash. Plain http is refused for
// hosts other than loopback unless the caller allowed it.
func baseURL(production string, cfg *config.Config) (string, error) {
	base := production
	if cfg.BaseURL != "" {
		base = cfg.BaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", &partnerkit.ValidationError{Field: "BaseURL", Rule: fmt.Sprintf("must be an absolute http or https URL, got %q", base)}
	}
	if u.Scheme == "http" && !cfg.InsecureHTTP && !loopback(u.Hostname()) {
		return "", &partnerkit.ValidationError{
			Field: "partnerkit.WithBaseURL",
			Rule:  fmt.Sprintf("must use https for %s: plain http would send the credentials in clear (partnerkit.WithInsecureHTTP allows it)", u.Hostname()),
		}
	}
	return strings.TrimRight(base, "/"), nil
}

// loopback reports whether host is this machine: localhost or a loopback
// address.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
