// Package transport is the request engine every provider client runs on. It
// owns everything that is not a provider's business: credentials and token
// renewal, the single retry rule, rate limiting, error decoding hooks, the
// response size cap, redacted logging and the User-Agent. resty sends the
// requests; it is configured here once and used nowhere else.
//
// A provider package builds one Client from a Spec and the caller's options,
// then describes each call as a Request:
//
//	t, err := transport.New(transport.Spec{
//		Provider:    "cohost",
//		BaseURL:     "https://api.cohost.vn/api/v1/external",
//		Auth:        transport.NewHeaderAuth("X-API-Key", key),
//		DecodeError: decodeError,
//		Secrets:     []string{key},
//	}, partnerkit.NewConfig(opts...))
//	var page ListingsPage
//	err = t.Do(ctx, &transport.Request{Method: http.MethodGet, Path: "/listings", Query: q}, &page)
package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/ratelimit"
)

// Spec is what a provider package tells the engine about its provider.
type Spec struct {
	// Provider names the provider in errors and logs, such as "cohost".
	Provider string
	// BaseURL is the production base URL; the WithBaseURL option replaces it.
	BaseURL string
	// Auth puts the client's credentials on each request.
	Auth Auth
	// DecodeError turns an answer with an error status into an Error. It
	// may return nil to get a generic Error. The engine fills Provider,
	// StatusCode, Method, Path, RequestID, Body and, when the decoder left it
	// zero, RetryAfter.
	DecodeError func(*Response) *partnerkit.Error
	// Quotas are the provider's documented client-side quotas.
	Quotas []ratelimit.Quota
	// WindowLength is the rate-limit window assumed when answers report a
	// remaining count without a reset time.
	WindowLength time.Duration
	// Secrets are values that must never appear in logs or errors (API keys,
	// passwords).
	Secrets []string
}

// Response is an answer as the engine read it.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// Safety says whether a request may be sent again after it may have reached
// the server.
type Safety int

const (
	// ByMethod treats GET, HEAD, OPTIONS, PUT and DELETE as idempotent and
	// POST and PATCH as not.
	ByMethod Safety = iota
	// Idempotent marks a request that is harmless to repeat, such as a
	// read-only RPC sent with POST or a write of absolute values.
	Idempotent
	// NotIdempotent marks a request that must not be repeated once it may
	// have reached the server.
	NotIdempotent
)

// Request describes one call.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is appended to the base URL. It must already be escaped.
	Path string
	// URL, when set, is used instead of the base URL and Path (for links
	// returned by the provider and for other hosts of the same provider).
	URL string
	// Route names the call for rate limiting, such as
	// "GET /listings/{id}/availability". Empty means Method and Path.
	Route string
	// Query is encoded into the URL.
	Query url.Values
	// Body is sent as JSON; a []byte or json.RawMessage is sent as is. Nil
	// sends no body.
	Body any
	// Header holds extra headers for this call.
	Header http.Header
	// Auth replaces the client's credentials for this call; NoAuth sends
	// none.
	Auth Auth
	// Safety overrides the method's idempotency for retries.
	Safety Safety
}

func (r *Request) idempotent() bool {
	switch r.Safety {
	case Idempotent:
		return true
	case NotIdempotent:
		return false
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// Checker is implemented by answer types whose body can report a failure
// under a success status, such as an envelope with success != "1". Do calls
// APIError after decoding and returns the error it reports.
type Checker interface {
	APIError() *partnerkit.Error
}

// Client sends requests for one provider. It is safe for concurrent use.
type Client struct {
	spec      Spec
	cfg       *partnerkit.Config
	base      string
	auth      Auth
	rc        *resty.Client
	limiter   ratelimit.Limiter
	clock     clock.Clock
	random    func() float64
	log       *slog.Logger
	userAgent []string
	secrets   *secrets
}

type clockKey struct{}
type randomKey struct{}
type limiterKey struct{}

// WithClock makes the client tell time and wait with c (tests).
func WithClock(c clock.Clock) partnerkit.Option {
	return func(cfg *partnerkit.Config) { cfg.SetValue("", clockKey{}, c) }
}

// WithRandom makes the client draw backoff jitter from f, which must return
// numbers in [0, 1) (tests).
func WithRandom(f func() float64) partnerkit.Option {
	return func(cfg *partnerkit.Config) { cfg.SetValue("", randomKey{}, f) }
}

// WithLimiter replaces the client's rate limiter.
func WithLimiter(l ratelimit.Limiter) partnerkit.Option {
	return func(cfg *partnerkit.Config) { cfg.SetValue("", limiterKey{}, l) }
}

// New returns a Client for spec, configured by cfg.
func New(spec Spec, cfg *partnerkit.Config) (*Client, error) {
	if err := cfg.Validate(spec.Provider); err != nil {
		return nil, err
	}
	base := spec.BaseURL
	if cfg.BaseURL != "" {
		base = cfg.BaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &partnerkit.ValidationError{Field: "BaseURL", Rule: fmt.Sprintf("must be an absolute http or https URL, got %q", base)}
	}
	c := &Client{
		spec:   spec,
		cfg:    cfg,
		base:   strings.TrimRight(base, "/"),
		auth:   spec.Auth,
		clock:  clock.Real,
		random: rand.Float64,
		log:    cfg.Logger,

		secrets: &secrets{},
	}
	if c.auth == nil {
		c.auth = NoAuth
	}
	userAgent := "partnerkit-go/" + partnerkit.Version + " (" + spec.Provider + ")"
	if cfg.UserAgentSuffix != "" {
		userAgent += " " + cfg.UserAgentSuffix
	}
	c.userAgent = []string{userAgent}
	if v, ok := cfg.Value(clockKey{}); ok {
		c.clock = v.(clock.Clock)
	}
	if v, ok := cfg.Value(randomKey{}); ok {
		c.random = v.(func() float64)
	}
	for _, s := range spec.Secrets {
		c.secrets.addFixed(s)
	}
	c.limiter = newLimiter(spec, cfg, c.clock)
	c.rc = newResty(cfg)
	return c, nil
}

func newLimiter(spec Spec, cfg *partnerkit.Config, clk clock.Clock) ratelimit.Limiter {
	if v, ok := cfg.Value(limiterKey{}); ok {
		return v.(ratelimit.Limiter)
	}
	lc := ratelimit.Config{
		Quotas:       spec.Quotas,
		Learn:        !cfg.RateLimitDisabled,
		WindowLength: spec.WindowLength,
		MaxWait:      cfg.MaxWait,
		Clock:        clk,
	}
	switch {
	case cfg.RateLimitDisabled:
		lc.Quotas = nil
	case cfg.RateLimit != nil:
		lc.Quotas = []ratelimit.Quota{{Limit: cfg.RateLimit.Limit, Per: cfg.RateLimit.Per}}
	}
	return ratelimit.New(lc)
}

// newResty configures the one resty client: no retries of its own (the
// engine decides), no cookie jar unless the caller's http.Client has one, no
// logging to stderr, and redirects that never carry credentials to another
// host.
func newResty(cfg *partnerkit.Config) *resty.Client {
	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	}
	if hc.Transport == nil {
		hc.Transport = pooledTransport()
	}
	hc.CheckRedirect = sameHostRedirects(hc.CheckRedirect)
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

// sameHostRedirects wraps a redirect policy so that credentials never follow
// a redirect to another host.
func sameHostRedirects(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		if req.URL.Host != via[0].URL.Host {
			for name := range req.Header {
				if sensitiveName(name) {
					req.Header.Del(name)
				}
			}
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
}

// silentLogger keeps resty from writing to stderr.
type silentLogger struct{}

func (silentLogger) Errorf(string, ...any) {}
func (silentLogger) Warnf(string, ...any)  {}
func (silentLogger) Debugf(string, ...any) {}

// WithAuth returns a client that shares c's connections, limiter and
// settings but sends auth's credentials (a shop's key, a customer's token).
func (c *Client) WithAuth(auth Auth) *Client {
	derived := *c
	derived.auth = auth
	return &derived
}

// AddSecret registers a value (a password, a token) that must never appear
// in logs or errors of this client and the clients derived from it.
func (c *Client) AddSecret(v string) {
	c.secrets.addToken(v)
}

// Clock returns the client's clock.
func (c *Client) Clock() clock.Clock {
	return c.clock
}

// Random returns a number in [0, 1) from the client's random source (see
// WithRandom), for jitter a provider package adds to its own waits, such as
// the pause between two polls of a job.
func (c *Client) Random() float64 {
	return c.random()
}

// Do sends req and decodes a successful answer's JSON body into out (when
// out is not nil and the body is not empty). If out implements Checker, the
// failure it reports is returned as the call's error.
func (c *Client) Do(ctx context.Context, req *Request, out any) error {
	resp, err := c.send(ctx, req)
	if err != nil {
		return err
	}
	if out == nil || len(bytes.TrimSpace(resp.Body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return c.decodeFailure(req, &resp, err)
	}
	if chk, ok := out.(Checker); ok {
		if apiErr := chk.APIError(); apiErr != nil {
			c.complete(apiErr, req, &resp)
			return apiErr
		}
	}
	return nil
}

// decodeFailure reports an answer whose body does not match the expected
// type: the server acted, but the SDK cannot read what it said.
func (c *Client) decodeFailure(req *Request, resp *Response, err error) error {
	apiErr := &partnerkit.Error{
		Kind:    partnerkit.ErrUnexpected,
		Message: "cannot decode the answer: " + err.Error(),
	}
	c.complete(apiErr, req, resp)
	return apiErr
}

// Send sends req, retrying when that is safe, and returns the successful
// answer. An answer with an error status becomes a *partnerkit.Error.
func (c *Client) Send(ctx context.Context, req *Request) (*Response, error) {
	resp, err := c.send(ctx, req)
	if err != nil {
		return nil, err
	}
	return &resp, nil
}

func (c *Client) send(ctx context.Context, req *Request) (Response, error) {
	body, err := encodeBody(req.Body)
	if err != nil {
		return Response{}, fmt.Errorf("%s: encoding the %s %s body: %w", c.spec.Provider, req.Method, req.Path, err)
	}
	target := c.base + req.Path
	if req.URL != "" {
		target = req.URL
	}
	if len(req.Query) > 0 {
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + req.Query.Encode()
	}
	route := req.Route
	if route == "" {
		route = req.Method + " " + req.Path
	}
	auth := c.auth
	if req.Auth != nil {
		auth = req.Auth
	}
	policy := Policy{
		MaxRetries: c.cfg.MaxRetries,
		BaseWait:   c.cfg.RetryBaseWait,
		MaxBackoff: c.cfg.RetryMaxWait,
		MaxWait:    c.cfg.MaxWait,
	}
	replayed := false
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return Response{}, c.failure(req, err)
		}
		done, err := c.limiter.Wait(ctx, route)
		if err != nil {
			return Response{}, c.failure(req, err)
		}
		h, credential, err := c.header(ctx, req, auth, body != nil)
		if err != nil {
			done(ratelimit.Feedback{Time: c.clock.Now()})
			return Response{}, c.failure(req, err)
		}
		resp, sendErr := c.attempt(ctx, req, target, h, body, attempt)
		outcome := Outcome{Attempt: attempt, Idempotent: req.idempotent(), Err: sendErr, Now: c.clock.Now()}
		var apiErr *partnerkit.Error
		if sendErr == nil && resp.StatusCode >= 300 {
			failed := resp
			apiErr = c.apiError(req, &failed)
			outcome.StatusCode, outcome.Header, outcome.Hint = resp.StatusCode, resp.Header, apiErr.RetryAfter
		}
		done(c.feedback(resp.Header, outcome))
		if sendErr == nil && apiErr == nil {
			return resp, nil
		}
		if sendErr != nil && ctx.Err() != nil {
			return Response{}, c.failure(req, ctx.Err())
		}
		if outcome.StatusCode == http.StatusUnauthorized && !replayed {
			if r, ok := auth.(Refresher); ok && credential != "" {
				r.Invalidate(credential)
				replayed = true
				c.debug(ctx, "replaying once with renewed credentials after 401", req, slog.Int("attempt", attempt))
				attempt--
				continue
			}
		}
		d := Decide(policy, outcome, c.random())
		if d.Retry {
			if deadline, ok := ctx.Deadline(); ok && d.Wait > time.Until(deadline) {
				d = Decision{Wait: d.Wait, Reason: fmt.Sprintf("%s; the wait of %s would pass the context deadline", d.Reason, d.Wait)}
			}
		}
		c.debug(ctx, "retry decision", req, slog.Int("attempt", attempt), slog.Bool("retry", d.Retry), slog.Duration("wait", d.Wait), slog.String("reason", d.Reason))
		if !d.Retry {
			if apiErr == nil {
				return Response{}, c.failure(req, sendErr)
			}
			if apiErr.RetryAfter == 0 {
				apiErr.RetryAfter = d.Wait
			}
			return Response{}, apiErr
		}
		if err := c.clock.Sleep(ctx, d.Wait); err != nil {
			return Response{}, c.failure(req, err)
		}
	}
}

// Header values shared by every request; never appended to.
var (
	acceptJSON      = []string{"application/json"}
	contentTypeJSON = []string{"application/json"}
)

// header builds the headers of one attempt, credentials included.
func (c *Client) header(ctx context.Context, req *Request, auth Auth, hasBody bool) (http.Header, string, error) {
	h := make(http.Header, len(c.cfg.Headers)+len(req.Header)+4)
	for name, values := range c.cfg.Headers {
		h[name] = values
	}
	for name, values := range req.Header {
		h[name] = values
	}
	h["User-Agent"] = c.userAgent
	h["Accept"] = acceptJSON
	if hasBody {
		h["Content-Type"] = contentTypeJSON
	}
	credential, err := auth.Apply(ctx, h)
	return h, credential, err
}

// attempt sends req once.
func (c *Client) attempt(ctx context.Context, req *Request, target string, h http.Header, body []byte, n int) (Response, error) {
	actx := ctx
	if c.cfg.Timeout > 0 {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
	}
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
		respBody, err = readBody(raw, rr.RawResponse.ContentLength, c.cfg.MaxResponseBytes)
		raw.Close()
	}
	if err != nil {
		c.debug(ctx, "transport error", req, slog.Int("attempt", n), slog.String("error", c.secrets.scrub(err.Error())))
		return Response{}, err
	}
	resp := Response{StatusCode: rr.StatusCode(), Header: rr.Header(), Body: respBody}
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

// feedback tells the limiter what an answer said about rate limits.
func (c *Client) feedback(header http.Header, o Outcome) ratelimit.Feedback {
	fb := ratelimit.Feedback{Time: o.Now}
	if header == nil {
		return fb
	}
	fb.Windows = ratelimit.ParseHeaders(header, o.Now)
	if o.StatusCode == http.StatusTooManyRequests {
		fb.RetryAfter, _ = serverWait(o)
	}
	return fb
}

func encodeBody(v any) ([]byte, error) {
	switch b := v.(type) {
	case nil:
		return nil, nil
	case []byte:
		return b, nil
	case json.RawMessage:
		return b, nil
	default:
		return json.Marshal(v)
	}
}

// apiError builds the Error for an answer with an error status.
func (c *Client) apiError(req *Request, resp *Response) *partnerkit.Error {
	var e *partnerkit.Error
	if c.spec.DecodeError != nil {
		e = c.spec.DecodeError(resp)
	}
	if e == nil {
		e = &partnerkit.Error{}
	}
	if e.RetryAfter < 0 {
		// A decoder's seconds-to-Duration conversion overflowed (a body hint
		// such as 1e300): ignore the hint rather than report a negative wait.
		e.RetryAfter = 0
	}
	c.complete(e, req, resp)
	return e
}

// requestIDHeaders are the headers providers use to identify a request.
var requestIDHeaders = [...]string{"X-Request-Id", "Request-Id", "X-Correlation-Id", "X-Kong-Request-Id", "X-Amzn-Requestid"}

// complete fills in what the engine knows about a failed call and removes
// secrets from what the server said.
func (c *Client) complete(e *partnerkit.Error, req *Request, resp *Response) {
	e.Provider = c.spec.Provider
	e.Method = req.Method
	e.Path = c.errorPath(req)
	c.scrubError(e)
	if resp == nil {
		return
	}
	if e.StatusCode == 0 {
		e.StatusCode = resp.StatusCode
	}
	if e.RequestID == "" {
		for _, name := range requestIDHeaders {
			if id := resp.Header.Get(name); id != "" {
				e.RequestID = id
				break
			}
		}
	}
	if e.RetryAfter == 0 {
		if d, ok := ratelimit.ParseRetryAfter(resp.Header.Get("Retry-After"), c.clock.Now()); ok {
			e.RetryAfter = d
		}
	}
	body := c.secrets.scrubBytes(redactJSON(resp.Body))
	if len(body) > partnerkit.MaxErrorBody {
		body = body[:partnerkit.MaxErrorBody]
	}
	e.Body = bytes.Clone(body)
}

// scrubError removes known secrets from everything a provider's answer put
// in e: a server may echo a credential in any field.
func (c *Client) scrubError(e *partnerkit.Error) {
	e.Code = c.secrets.scrub(e.Code)
	e.Message = c.secrets.scrub(e.Message)
	e.RequestID = c.secrets.scrub(e.RequestID)
	if len(e.FieldErrors) > 0 {
		fields := make(map[string][]string, len(e.FieldErrors))
		for field, msgs := range e.FieldErrors {
			clean := make([]string, len(msgs))
			for i, m := range msgs {
				clean[i] = c.secrets.scrub(m)
			}
			field = c.secrets.scrub(field)
			fields[field] = append(fields[field], clean...)
		}
		e.FieldErrors = fields
	}
	e.Details = c.scrubValue(e.Details)
}

// scrubValue returns v with known secrets removed from every string in it,
// at any depth of maps and slices of the shapes JSON decodes into.
func (c *Client) scrubValue(v any) any {
	switch t := v.(type) {
	case string:
		return c.secrets.scrub(t)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, inner := range t {
			out[c.secrets.scrub(k)] = c.scrubValue(inner)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, inner := range t {
			out[i] = c.scrubValue(inner)
		}
		return out
	case map[string]string:
		out := make(map[string]string, len(t))
		for k, inner := range t {
			out[c.secrets.scrub(k)] = c.secrets.scrub(inner)
		}
		return out
	case []string:
		out := make([]string, len(t))
		for i, inner := range t {
			out[i] = c.secrets.scrub(inner)
		}
		return out
	case nil:
		return nil
	default:
		// A provider's own details type (a struct, a pointer to one, ...).
		return c.scrubReflect(reflect.ValueOf(v), 0).Interface()
	}
}

// maxScrubDepth bounds scrubReflect on values that refer to themselves.
const maxScrubDepth = 32

// scrubReflect returns a copy of v with known secrets removed from every
// string and byte slice (such as a json.RawMessage) it holds in exported
// fields, elements, map keys and values, at any depth. Unexported fields are
// copied as they are.
func (c *Client) scrubReflect(v reflect.Value, depth int) reflect.Value {
	if depth > maxScrubDepth {
		return v
	}
	switch v.Kind() {
	case reflect.String:
		out := reflect.New(v.Type()).Elem()
		out.SetString(c.secrets.scrub(v.String()))
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type().Elem())
		out.Elem().Set(c.scrubReflect(v.Elem(), depth+1))
		return out
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(c.scrubReflect(v.Elem(), depth+1))
		return out
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		out.Set(v)
		for i := range v.NumField() {
			if f := out.Field(i); f.CanSet() {
				f.Set(c.scrubReflect(v.Field(i), depth+1))
			}
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b := c.secrets.scrubBytes(v.Bytes())
			out := reflect.MakeSlice(v.Type(), len(b), len(b))
			reflect.Copy(out, reflect.ValueOf(b))
			return out
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(c.scrubReflect(v.Index(i), depth+1))
		}
		return out
	case reflect.Array:
		out := reflect.New(v.Type()).Elem()
		for i := range v.Len() {
			out.Index(i).Set(c.scrubReflect(v.Index(i), depth+1))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(c.scrubReflect(it.Key(), depth+1), c.scrubReflect(it.Value(), depth+1))
		}
		return out
	default:
		return v
	}
}

// errorPath is the request's path without host or query.
func (c *Client) errorPath(req *Request) string {
	if req.URL == "" {
		return req.Path
	}
	if u, err := url.Parse(req.URL); err == nil {
		return u.Path
	}
	return ""
}

// failure wraps an error that came without an answer (a transport error, a
// cancelled context, a refused rate-limit wait).
func (c *Client) failure(req *Request, err error) error {
	var apiErr *partnerkit.Error
	if errors.As(err, &apiErr) {
		if apiErr.Provider == "" {
			c.complete(apiErr, req, nil)
		}
		return apiErr
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err // its text repeats the whole URL
	}
	return &requestError{provider: c.spec.Provider, method: req.Method, path: c.errorPath(req), err: err, secrets: c.secrets}
}

// requestError is a failure with no answer from the provider.
type requestError struct {
	provider, method, path string
	err                    error
	secrets                *secrets
}

func (e *requestError) Error() string {
	return e.secrets.scrub(fmt.Sprintf("%s: %s %s: %v", e.provider, e.method, e.path, e.err))
}

func (e *requestError) Unwrap() error { return e.err }

// Is makes every failure without an answer match partnerkit.ErrNoResponse,
// whatever its cause. An answer refused for its size did arrive, so it does
// not match.
func (e *requestError) Is(target error) bool {
	return target == partnerkit.ErrNoResponse && !errors.Is(e.err, partnerkit.ErrResponseTooLarge)
}

// Timeout reports whether the failure was a timeout, like net.Error.
func (e *requestError) Timeout() bool {
	var ne net.Error
	return errors.Is(e.err, context.DeadlineExceeded) || (errors.As(e.err, &ne) && ne.Timeout())
}
