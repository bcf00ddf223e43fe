package partnerkit

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// Defaults used when no Option says otherwise.
const (
	// DefaultTimeout bounds one attempt of a request, from sending it to
	// reading the whole answer.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxRetries is how many times a failed request is retried when
	// retrying is safe.
	DefaultMaxRetries = 3
	// DefaultRetryBaseWait is the first backoff step; the wait before retry n
	// is drawn uniformly from [0, min(DefaultRetryMaxWait, base*2^(n-1))).
	DefaultRetryBaseWait = 500 * time.Millisecond
	// DefaultRetryMaxWait caps one backoff wait.
	DefaultRetryMaxWait = 20 * time.Second
	// DefaultMaxWait is the longest the client waits, at once, for a rate
	// limit or a server's Retry-After before giving up with ErrRateLimited.
	DefaultMaxWait = 2 * time.Minute
	// DefaultMaxResponseBytes caps the size of an answer body.
	DefaultMaxResponseBytes = 10 << 20
)

// Option configures a client. The options in this package apply to every
// provider; a provider package may add its own, such as alohub.WithTenantID.
type Option func(*Config)

// RateLimit is a client-side quota: at most Limit requests in any period of
// length Per.
type RateLimit struct {
	Limit int
	Per   time.Duration
}

// Config is the configuration that Options build. Provider constructors
// build it from their options with NewConfig; callers rarely need it.
type Config struct {
	// BaseURL replaces the provider's production base URL.
	BaseURL string
	// HTTPClient sends the requests. The client copies it and never changes
	// the value passed in. Nil means a client with a pooled transport.
	HTTPClient *http.Client
	// Timeout bounds each attempt. Zero means no per-attempt bound (the
	// context still applies).
	Timeout time.Duration
	// MaxRetries is how many times a request may be retried; 0 disables
	// retries.
	MaxRetries int
	// RetryBaseWait and RetryMaxWait shape the exponential backoff.
	RetryBaseWait time.Duration
	RetryMaxWait  time.Duration
	// MaxWait is the longest single wait the client accepts, whether asked by
	// the server (Retry-After) or by its own rate limiter. A longer wait ends
	// the call at once with ErrRateLimited and Error.RetryAfter set.
	MaxWait time.Duration
	// RateLimit, when set, replaces the provider's default quotas with one
	// quota for the whole client.
	RateLimit *RateLimit
	// RateLimitDisabled turns client-side rate limiting off. Server answers
	// (429 and Retry-After) are still honoured.
	RateLimitDisabled bool
	// Logger receives debug records of requests, answers and retry
	// decisions, with credentials redacted. Nil means no logging.
	Logger *slog.Logger
	// UserAgentSuffix is appended to the User-Agent header.
	UserAgentSuffix string
	// Headers are added to every request.
	Headers http.Header
	// MaxResponseBytes caps the size of an answer body.
	MaxResponseBytes int64

	values []setting
}

type setting struct {
	provider string
	key      any
	value    any
}

// NewConfig returns the defaults with opts applied in order.
func NewConfig(opts ...Option) *Config {
	c := &Config{
		Timeout:          DefaultTimeout,
		MaxRetries:       DefaultMaxRetries,
		RetryBaseWait:    DefaultRetryBaseWait,
		RetryMaxWait:     DefaultRetryMaxWait,
		MaxWait:          DefaultMaxWait,
		MaxResponseBytes: DefaultMaxResponseBytes,
	}
	for _, opt := range opts {
		if opt != nil {
			opt(c)
		}
	}
	return c
}

// SetValue records a setting owned by one provider package (provider is its
// name, such as "alohub") or, with provider "", by the SDK itself. Key must be
// comparable; packages use an unexported type so keys never collide. A later
// value for the same key replaces an earlier one.
func (c *Config) SetValue(provider string, key, value any) {
	for i := range c.values {
		if c.values[i].key == key {
			c.values[i] = setting{provider: provider, key: key, value: value}
			return
		}
	}
	c.values = append(c.values, setting{provider: provider, key: key, value: value})
}

// Value returns the setting stored under key, if any.
func (c *Config) Value(key any) (any, bool) {
	for _, s := range c.values {
		if s.key == key {
			return s.value, true
		}
	}
	return nil, false
}

// Validate reports settings that cannot work: negative durations or counts,
// or an option of another provider passed to this provider's constructor.
func (c *Config) Validate(provider string) error {
	checks := []struct {
		bad   bool
		field string
		rule  string
	}{
		{c.Timeout < 0, "Timeout", "must not be negative"},
		{c.MaxRetries < 0, "MaxRetries", "must not be negative"},
		{c.RetryBaseWait < 0, "RetryBaseWait", "must not be negative"},
		{c.RetryMaxWait < c.RetryBaseWait, "RetryMaxWait", "must not be less than RetryBaseWait"},
		{c.MaxWait < 0, "MaxWait", "must not be negative"},
		{c.MaxResponseBytes <= 0, "MaxResponseBytes", "must be positive"},
		{c.RateLimit != nil && (c.RateLimit.Limit < 1 || c.RateLimit.Per <= 0), "RateLimit", "must allow at least 1 request per positive period"},
	}
	for _, ch := range checks {
		if ch.bad {
			return &ValidationError{Field: ch.field, Rule: ch.rule}
		}
	}
	for _, s := range c.values {
		if s.provider != "" && s.provider != provider {
			return &ValidationError{Field: "options", Rule: fmt.Sprintf("include a %s option, which %s does not take", s.provider, provider)}
		}
	}
	return nil
}

// WithBaseURL sends requests to baseURL instead of the provider's production
// address, for example a sandbox or a local fake.
func WithBaseURL(baseURL string) Option {
	return func(c *Config) { c.BaseURL = baseURL }
}

// WithHTTPClient sends requests through hc. Its Transport, Jar and
// CheckRedirect are used; the client never modifies hc itself.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Config) { c.HTTPClient = hc }
}

// WithTimeout bounds each attempt of a request (not the whole call, which the
// context bounds). Zero removes the per-attempt bound.
func WithTimeout(d time.Duration) Option {
	return func(c *Config) { c.Timeout = d }
}

// WithMaxRetries sets how many times a request may be retried when retrying
// is safe; 0 disables retries.
func WithMaxRetries(n int) Option {
	return func(c *Config) { c.MaxRetries = n }
}

// WithRetryBackoff sets the first backoff step and the cap of one backoff
// wait.
func WithRetryBackoff(base, maxWait time.Duration) Option {
	return func(c *Config) {
		c.RetryBaseWait = base
		c.RetryMaxWait = maxWait
	}
}

// WithMaxWait sets the longest single wait the client accepts for a rate
// limit or a server's Retry-After. A longer wait ends the call at once with
// ErrRateLimited, RetryAfter set.
func WithMaxWait(d time.Duration) Option {
	return func(c *Config) { c.MaxWait = d }
}

// WithRateLimit replaces the provider's default client-side quotas with one
// quota: at most limit requests in any period of length per. Use it when the
// provider granted a different quota to your key.
func WithRateLimit(limit int, per time.Duration) Option {
	return func(c *Config) { c.RateLimit = &RateLimit{Limit: limit, Per: per} }
}

// WithoutRateLimit turns client-side rate limiting off. The client still
// honours the provider's 429 answers.
func WithoutRateLimit() Option {
	return func(c *Config) { c.RateLimitDisabled = true }
}

// WithLogger sends debug records of requests, answers and retry decisions to
// l. Credentials are redacted at every level.
func WithLogger(l *slog.Logger) Option {
	return func(c *Config) { c.Logger = l }
}

// WithUserAgentSuffix appends s to the User-Agent header, for example the
// name and version of your application.
func WithUserAgentSuffix(s string) Option {
	return func(c *Config) { c.UserAgentSuffix = s }
}

// WithHeader adds a header to every request. It cannot replace the headers
// the client manages (credentials, Content-Type, User-Agent).
func WithHeader(name, value string) Option {
	return func(c *Config) {
		if c.Headers == nil {
			c.Headers = make(http.Header)
		}
		c.Headers.Add(name, value)
	}
}

// WithMaxResponseBytes caps the size of an answer body; a larger answer fails
// the call.
func WithMaxResponseBytes(n int64) Option {
	return func(c *Config) { c.MaxResponseBytes = n }
}
