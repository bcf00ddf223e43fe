package transport

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-resty/resty/v2"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/config"
)

// newResty configures the one resty client: no retries of its own (the
// engine decides), no cookie jar unless the caller's http.Client has one, no
// logging to stderr, and the client's redirect policy (see checkRedirect).
func newResty(cfg *config.Config) *resty.Client {
	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	}
	if hc.Transport == nil {
		hc.Transport = pooledTransport()
	}
	hc.CheckRedirect = checkRedirect(redirectPolicyOf(cfg), hc.CheckRedirect)
	rc := resty.NewWithClient(&hc)
	rc.SetLogger(silentLogger{})
	rc.SetDisableWarn(true)
	rc.SetRetryCount(0)
	return rc
}

// pooledTransport is http.DefaultTransport with enough idle connections per
// host for a busy client.
func pooledTransport() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return t
}

// maxRedirects is the longest chain of redirects followed.
const maxRedirects = 10

// redirectKey keys an attempt's *redirects in its context.
type redirectKey struct{}

// redirects is what the redirect policy knows of one attempt, and what it
// tells the engine back.
type redirects struct {
	hasBody bool
	// credentials, and Authorization when basic, are dropped from a
	// redirect that leaves the request's host or https.
	credentials http.Header
	basic       bool
	// refused is set when the policy refused a redirect.
	refused *refusedRedirect
}

// refusedRedirect is a redirect the engine did not follow, and why.
type refusedRedirect struct {
	host, why string
}

// redirectPolicy is what the options say of redirects (see
// partnerkit.WithRedirects).
type redirectPolicy struct {
	off, otherHosts, plainHTTP, body bool
}

func redirectPolicyOf(cfg *config.Config) redirectPolicy {
	return redirectPolicy{off: cfg.RedirectsOff, otherHosts: cfg.RedirectOtherHosts, plainHTTP: cfg.RedirectPlainHTTP, body: cfg.RedirectBody}
}

// checkRedirect returns the client's redirect policy, applied before the
// caller's own (next). By default it follows a redirect only when that
// keeps the request as it is: to the same host (or from http to https on
// it), for a request without a body, with the same method. policy may allow
// other hosts, plain http and bodies (partnerkit.WithRedirects), or forbid
// every redirect (partnerkit.WithoutRedirects). Credential headers never
// leave the request's host or https. A refused redirect is not an error of
// net/http: its 3xx answer comes back, for the engine to report (see
// Client.redirectError), and it is never retried.
func checkRedirect(policy redirectPolicy, next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		st, _ := req.Context().Value(redirectKey{}).(*redirects)
		if st == nil {
			st = &redirects{hasBody: via[0].ContentLength != 0 || via[0].GetBody != nil}
		}
		if why := refuseRedirect(policy, req, via, st.hasBody); why != "" {
			st.refused = &refusedRedirect{host: req.URL.Host, why: why}
			return http.ErrUseLastResponse
		}
		if origin := via[0].URL; !sameHost(origin, req.URL) || downgrade(origin, req.URL) {
			for name := range req.Header {
				if sensitiveName(name) {
					delete(req.Header, name)
				}
			}
			for name := range st.credentials {
				delete(req.Header, name)
			}
			if st.basic {
				delete(req.Header, "Authorization")
			}
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
}

// refuseRedirect returns why policy refuses to follow req, the
// redirect of via, or "" when it follows it.
func refuseRedirect(policy redirectPolicy, req *http.Request, via []*http.Request, hasBody bool) string {
	origin, prev := via[0], via[len(via)-1]
	status := 0
	if req.Response != nil {
		status = req.Response.StatusCode
	}
	switch {
	case policy.off:
		return "the client follows no redirect (partnerkit.WithoutRedirects)"
	case len(via) >= maxRedirects:
		return fmt.Sprintf("the client follows at most %d redirects in a row", maxRedirects)
	case req.Method != prev.Method:
		return fmt.Sprintf("following a %d would turn the %s into a %s without its body, a different call", status, prev.Method, req.Method)
	case hasBody && !policy.body:
		return "the request has a body, which may carry credentials, and following would send it again (partnerkit.WithRedirects(partnerkit.RedirectWithBody) allows it)"
	case !sameHost(origin.URL, req.URL) && !policy.otherHosts:
		return fmt.Sprintf("it is another host than %s, the one the request and its credentials are for (partnerkit.WithRedirects(partnerkit.RedirectToOtherHosts) allows it)", origin.URL.Host)
	case downgrade(origin.URL, req.URL) && !policy.plainHTTP:
		return "it leaves https for plain http, which would carry the request in clear (partnerkit.WithRedirects(partnerkit.RedirectToPlainHTTP) allows it)"
	}
	return ""
}

// sameHost reports whether a and b name the same host and port, a port
// left out being its scheme's default (so that http://h and https://h are
// the same host).
func sameHost(a, b *url.URL) bool {
	hostA, portA := hostPort(a)
	hostB, portB := hostPort(b)
	if hostA != hostB {
		return false
	}
	return portA == portB || (portA == defaultPort(a.Scheme) && portB == defaultPort(b.Scheme))
}

func hostPort(u *url.URL) (string, string) {
	port := u.Port()
	if port == "" {
		port = defaultPort(u.Scheme)
	}
	return strings.TrimSuffix(strings.ToLower(u.Hostname()), "."), port
}

func defaultPort(scheme string) string {
	if strings.EqualFold(scheme, "https") {
		return "443"
	}
	return "80"
}

// downgrade reports whether going from a to b leaves https for plain http.
func downgrade(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, "https") && !strings.EqualFold(b.Scheme, "https")
}

// silentLogger keeps resty from writing to stderr.
type silentLogger struct{}

func (silentLogger) Errorf(string, ...any) {}
func (silentLogger) Warnf(string, ...any)  {}
func (silentLogger) Debugf(string, ...any) {}

// attempt sends req once.
func (c *Client) attempt(ctx context.Context, req *Request, target string, out outgoing, body []byte, n int) (Response, error) {
	actx := ctx
	if c.timeout > 0 {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	st := &redirects{hasBody: body != nil, credentials: out.credentials, basic: out.basic}
	actx = context.WithValue(actx, redirectKey{}, st)
	h := out.header
	r := c.rc.R().SetContext(actx).SetDoNotParseResponse(true)
	r.Header = h
	if body != nil {
		r.SetBody(body)
	}
	start := c.clock.Now()
	c.logRequest(ctx, req, target, h, body, n)
	rr, err := r.Execute(req.Method, target)
	var respBody []byte
	if err == nil {
		raw := rr.RawBody()
		respBody, err = readBody(raw, rr.RawResponse.ContentLength, c.maxBody)
		raw.Close()
	}
	if err != nil {
		c.debug(ctx, "transport error", req, slog.Int("attempt", n), slog.String("error", c.secrets.scrub(err.Error())))
		return Response{}, err
	}
	resp := Response{StatusCode: rr.StatusCode(), Header: rr.Header(), Body: respBody, refused: st.refused}
	c.logResponse(ctx, req, resp, c.clock.Now().Sub(start))
	return resp, nil
}

// readBody reads a whole answer body of at most limit bytes, in one
// allocation when the length is announced.
func readBody(r io.Reader, length, limit int64) ([]byte, error) {
	if length > limit {
		return nil, tooLarge(limit)
	}
	if length >= 0 {
		b := make([]byte, length)
		_, err := io.ReadFull(r, b)
		return b, err
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(b)) > limit {
		return nil, tooLarge(limit)
	}
	return b, err
}

func tooLarge(limit int64) error {
	return fmt.Errorf("%w (limit %d bytes)", partnerkit.ErrResponseTooLarge, limit)
}
