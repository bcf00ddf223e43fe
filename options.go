package partnerkit

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/partnerkit/partnerkit-go/internal/config"
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

// Option configures a client. The options of this package apply to every
// provider; a provider package adds its own (alohub.WithTenantID,
// coliving.Sandbox), which the other providers' constructors refuse.
//
// An option checks its value: a constructor given an option that cannot
// work returns a *ValidationError (matching ErrInvalidInput) naming the
// option and the rule, and no client. Options apply in order; a later one
// replaces an earlier one of the same kind, except WithHeader, which adds.
// The zero Option does nothing.
type Option = config.Option

// option builds an Option of this package.
func option(name string, apply func(*config.Config) error) Option {
	return config.New("partnerkit."+name, apply)
}

// invalid reports a value an option cannot take.
func invalid(name, rule string) error {
	return &ValidationError{Field: "partnerkit." + name, Rule: rule}
}

// WithBaseURL sends requests to baseURL instead of the provider's
// production address, for example a sandbox, a gateway or a local fake. It
// must be an absolute http or https URL; plain http is refused for hosts
// other than loopback unless WithInsecureHTTP is given too.
func WithBaseURL(baseURL string) Option {
	return option("WithBaseURL", func(c *config.Config) error {
		u, err := url.Parse(baseURL)
		if err != nil {
			// Neither the address nor url's error, which quotes it, is
			// repeated: it may hold a password.
			return invalid("WithBaseURL", "must be an absolute http or https URL; the address given does not parse")
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return invalid("WithBaseURL", fmt.Sprintf("must be an absolute http or https URL, got %q", u.Redacted()))
		}
		c.BaseURL = baseURL
		return nil
	})
}

// WithInsecureHTTP allows a plain http base URL on a host other than
// loopback, such as a gateway on a private network. Without it, such a base
// URL is refused, because the credentials would travel in clear.
func WithInsecureHTTP() Option {
	return option("WithInsecureHTTP", func(c *config.Config) error {
		c.InsecureHTTP = true
		return nil
	})
}

// Redirect is a kind of redirect that a client refuses unless WithRedirects
// allows it.
//
// By default a client follows a redirect only when it keeps the request as
// it is: to the same host (or from http to https on it), for a request
// without a body, and without a change of method. It refuses a redirect to
// another host, a redirect from https to plain http, every redirect of a
// request with a body (bodies carry passwords and keys), and a 301, 302 or
// 303 answer to a request other than GET or HEAD, which would turn it into
// a GET without its body: a different call. A refused redirect ends the call
// with an *Error carrying the 3xx status, a message naming the refused host
// and the reason, and the Location with its credentials hidden; it is never
// retried.
type Redirect int

const (
	// RedirectToOtherHosts follows redirects to another host. The client's
	// credential headers are not sent there.
	RedirectToOtherHosts Redirect = iota + 1
	// RedirectToPlainHTTP follows redirects from https to plain http. The
	// client's credential headers are not sent there.
	RedirectToPlainHTTP
	// RedirectWithBody follows a 307 or 308 answer to a request with a body:
	// the body is sent again, to the new address, whatever it holds
	// (passwords and keys included). A 301, 302 or 303 answer to a request
	// other than GET or HEAD is still refused.
	RedirectWithBody
)

// String returns the constant's name, such as "RedirectToOtherHosts".
func (r Redirect) String() string {
	switch r {
	case RedirectToOtherHosts:
		return "RedirectToOtherHosts"
	case RedirectToPlainHTTP:
		return "RedirectToPlainHTTP"
	case RedirectWithBody:
		return "RedirectWithBody"
	}
	return fmt.Sprintf("Redirect(%d)", int(r))
}

// WithRedirects lets the client follow, besides the redirects it always
// follows, those of the kinds given (see Redirect), for example
//
//	partnerkit.WithRedirects(partnerkit.RedirectToOtherHosts)
//
// for a provider that moved a read-only endpoint to another host. It needs
// at least one kind, and replaces an earlier WithRedirects or
// WithoutRedirects.
func WithRedirects(allowed ...Redirect) Option {
	return option("WithRedirects", func(c *config.Config) error {
		if len(allowed) == 0 {
			return invalid("WithRedirects", "needs at least one kind of redirect to allow: RedirectToOtherHosts, RedirectToPlainHTTP or RedirectWithBody (WithoutRedirects follows none)")
		}
		c.RedirectsOff, c.RedirectOtherHosts, c.RedirectPlainHTTP, c.RedirectBody = false, false, false, false
		for _, r := range allowed {
			switch r {
			case RedirectToOtherHosts:
				c.RedirectOtherHosts = true
			case RedirectToPlainHTTP:
				c.RedirectPlainHTTP = true
			case RedirectWithBody:
				c.RedirectBody = true
			default:
				return invalid("WithRedirects", fmt.Sprintf("takes RedirectToOtherHosts, RedirectToPlainHTTP or RedirectWithBody, got %s", r))
			}
		}
		return nil
	})
}

// WithoutRedirects makes the client follow no redirect: every 3xx answer
// ends the call with an *Error carrying its status. It replaces an earlier
// WithRedirects.
func WithoutRedirects() Option {
	return option("WithoutRedirects", func(c *config.Config) error {
		c.RedirectsOff, c.RedirectOtherHosts, c.RedirectPlainHTTP, c.RedirectBody = true, false, false, false
		return nil
	})
}

// WithHTTPClient sends requests through hc. Its Transport and Jar are used;
// the client never modifies hc itself, and applies its own redirect policy
// before hc's CheckRedirect.
func WithHTTPClient(hc *http.Client) Option {
	return option("WithHTTPClient", func(c *config.Config) error {
		if hc == nil {
			return invalid("WithHTTPClient", "must not be nil")
		}
		c.HTTPClient = hc
		return nil
	})
}

// WithTimeout bounds each attempt of a request (not the whole call, which the
// context bounds). Zero removes the per-attempt bound.
func WithTimeout(d time.Duration) Option {
	return option("WithTimeout", func(c *config.Config) error {
		if d < 0 {
			return invalid("WithTimeout", fmt.Sprintf("must not be negative, got %s", d))
		}
		c.Timeout = d
		return nil
	})
}

// WithMaxRetries sets how many times a request may be retried when
// retrying is safe; 0 disables retries.
func WithMaxRetries(n int) Option {
	return option("WithMaxRetries", func(c *config.Config) error {
		if n < 0 {
			return invalid("WithMaxRetries", fmt.Sprintf("must not be negative, got %d", n))
		}
		c.MaxRetries = n
		return nil
	})
}

// WithRetryBackoff sets the first backoff step and the cap of one backoff
// wait (0 <= base <= maxWait).
func WithRetryBackoff(base, maxWait time.Duration) Option {
	return option("WithRetryBackoff", func(c *config.Config) error {
		if base < 0 || maxWait < base {
			return invalid("WithRetryBackoff", fmt.Sprintf("needs 0 <= base <= maxWait, got base %s and maxWait %s", base, maxWait))
		}
		c.RetryBaseWait, c.RetryMaxWait = base, maxWait
		return nil
	})
}

// WithMaxWait sets the longest single wait the client accepts, whether a
// server asked for it (Retry-After) or the client's own rate limiter needs
// it. A longer wait ends the call at once with ErrRateLimited and
// Error.RetryAfter set; with 0, any such wait does.
func WithMaxWait(d time.Duration) Option {
	return option("WithMaxWait", func(c *config.Config) error {
		if d < 0 {
			return invalid("WithMaxWait", fmt.Sprintf("must not be negative, got %s", d))
		}
		c.MaxWait = d
		return nil
	})
}

// WithRateLimit replaces the provider's default client-side quotas with one
// quota: at most limit requests in any period of length per. Use it when the
// provider granted a different quota to your key.
func WithRateLimit(limit int, per time.Duration) Option {
	return option("WithRateLimit", func(c *config.Config) error {
		if limit < 1 || per <= 0 {
			return invalid("WithRateLimit", fmt.Sprintf("must allow at least 1 request per positive period, got %d per %s", limit, per))
		}
		c.RateLimit, c.RatePer, c.RateLimitOff = limit, per, false
		return nil
	})
}

// WithoutRateLimit turns client-side rate limiting off. The client still
// honours the provider's 429 answers.
func WithoutRateLimit() Option {
	return option("WithoutRateLimit", func(c *config.Config) error {
		c.RateLimitOff = true
		return nil
	})
}

// WithLimiter replaces the client's in-process rate limiter with l, for
// example a Limiter shared by every replica of a service. Several clients
// may share one Limiter: it keeps the limits of each credential apart.
func WithLimiter(l Limiter) Option {
	return option("WithLimiter", func(c *config.Config) error {
		if l == nil {
			return invalid("WithLimiter", "must not be nil")
		}
		*config.Slot[Limiter](c) = l
		return nil
	})
}

// WithLogger sends debug records of requests, answers and retry decisions to
// l. Credentials are redacted at every level. Nil turns logging off.
func WithLogger(l *slog.Logger) Option {
	return option("WithLogger", func(c *config.Config) error {
		c.Logger = l
		return nil
	})
}

// WithUserAgentSuffix appends s to the User-Agent header, for example the
// name and version of your application. Control characters are refused.
func WithUserAgentSuffix(s string) Option {
	return option("WithUserAgentSuffix", func(c *config.Config) error {
		if !config.ValidHeaderValue(s) {
			return invalid("WithUserAgentSuffix", "must not contain control characters such as CR, LF or NUL")
		}
		c.UserAgentSuffix = s
		return nil
	})
}

// WithHeader adds a header to every request. It cannot replace the headers
// the client manages (credentials, Content-Type, User-Agent, Accept). The
// name must be a valid header name and the value must not contain control
// characters such as CR, LF or NUL. A value under a credential's name (such
// as Authorization, X-Gateway-Key or X-Gateway-Token) is held as a
// credential: it is cut out of every log record and error.
func WithHeader(name, value string) Option {
	return option("WithHeader", func(c *config.Config) error {
		if !config.ValidHeaderName(name) {
			return invalid("WithHeader", fmt.Sprintf("needs a valid header name, got %q", name))
		}
		if !config.ValidHeaderValue(value) {
			return invalid("WithHeader", fmt.Sprintf("value of %s must not contain control characters such as CR, LF or NUL", name))
		}
		if c.Headers == nil {
			c.Headers = make(http.Header)
		}
		c.Headers.Add(name, value)
		return nil
	})
}

// WithMaxResponseBytes caps the size of an answer body (n > 0); a larger
// answer fails the call with ErrResponseTooLarge.
func WithMaxResponseBytes(n int64) Option {
	return option("WithMaxResponseBytes", func(c *config.Config) error {
		if n <= 0 {
			return invalid("WithMaxResponseBytes", fmt.Sprintf("must be positive, got %d", n))
		}
		c.MaxResponseBytes = n
		return nil
	})
}
