// Package transport is the request engine every provider client runs on. It
// owns everything that is not a provider's business: credentials and token
// renewal, the single retry rule, rate limiting, error decoding hooks, the
// response size cap, redacted logging and the User-Agent. resty sends the
// requests; it is configured here once and used nowhere else.
//
// A provider's New resolves the caller's options with Configure (Setup
// when it has settings of its own), builds one Client from a Spec, then describes
// each call as a Request whose Path is a template: the template names the
// route, and each {placeholder} takes one of PathParams, escaped.
//
//	cfg, err := transport.Configure("cohost", v.Err(), opts)
//	t, err := transport.New(transport.Spec{
//		Provider:    "cohost",
//		BaseURL:     "https://api.cohost.vn/api/v1/external",
//		Auth:        transport.NewHeaderAuth("X-API-Key", key),
//		DecodeError: decodeError,
//	}, cfg)
//	customer, err := transport.Decode[Customer](ctx, t, &transport.Request{
//		Method:     http.MethodGet,
//		Path:       "/customers/{id}",
//		PathParams: []string{id},
//	})
//
// The files of the package: transport.go (the Client and its attempt loop),
// request.go (Request and path templates), configure.go (options), http.go
// (sending one attempt, and the redirect policy), errors.go (errors built
// from answers), secrets.go (the register of credentials and how they are
// cut out of text), scrub.go (secrets removed from errors), redact.go
// (credentials hidden by name: headers, JSON fields, addresses), limit.go
// (what the limiter is told), retry.go (the retry rule), auth.go and log.go.
package transport

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/config"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/secret"
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
	// Failure, when set, reports the failure that an answer with a success
	// status carries in its body (a failure envelope), or nil. It is judged
	// inside the attempt loop: a failure that says the request was refused
	// for a rate limit (Kind ErrRateLimited) is waited out and retried like
	// a 429. The engine completes the Error as for DecodeError.
	Failure func(*Response) *partnerkit.Error
	// Classify, when set, may override how the retry rule reads an error
	// answer (see Class); ClassDefault leaves it to the status.
	Classify func(*partnerkit.Error) Class
	// Refused, when set, reports whether an error answer refused the
	// request's credentials, such as a 403 whose body says the token is not
	// valid. Nil means a 401 does. After a refusal the engine renews the
	// credentials once (when the Auth is a Refresher) and replays the
	// request once.
	Refused func(*partnerkit.Error) bool
	// Quotas are the provider's documented client-side quotas.
	Quotas []partnerkit.Quota
	// WindowLength is the rate-limit window assumed when answers report a
	// remaining count without a reset time. Zero means one minute.
	WindowLength time.Duration
	// Gate says what a 429 stops: every route of the credential (the
	// default) or the refused route only.
	Gate partnerkit.GateScope
	// Secrets are values that must never appear in logs or errors (API keys,
	// passwords). The engine keeps them in its redaction list, not in the
	// Spec.
	Secrets []string
}

// Response is an answer as the engine read it.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte

	// refused, when set, says why the engine did not follow this redirect.
	refused *refusedRedirect
}

// Client sends requests for one provider. It is safe for concurrent use.
//
// It holds every credential in a secret.String, in an Auth that does, or
// behind two pointers (the register of secrets), and keeps no *config.Config:
// no formatting of a Client, whatever the verb, prints a credential.
type Client struct {
	spec      Spec
	base      string
	auth      Auth
	rc        *resty.Client
	limiter   partnerkit.Limiter
	quotas    []partnerkit.Quota
	clock     clock.Clock
	random    func() float64
	log       *slog.Logger
	userAgent []string
	secrets   *secrets
	// headers are the headers of WithHeader, added to every request.
	headers []fixedHeader
	// basic is the Authorization header made of the base URL's user
	// information ("Basic ..."), or empty.
	basic secret.String
	// timeout bounds one attempt; maxBody caps an answer's body.
	timeout time.Duration
	maxBody int64
	policy  Policy
	// learn says whether the limiter learns from answers' headers.
	learn bool
	// observer receives the events of partnerkit.WithObserver, or is nil.
	observer partnerkit.Observer
}

// fixedHeader is one value of a header added to every request.
type fixedHeader struct {
	name  string
	value secret.String
}

// New returns a Client for spec, configured by cfg (see Configure).
//
// The client keeps no credential where formatting could reach it: printing
// a Client, a Spec, a HeaderAuth or a TokenAuth with any of fmt's verbs or
// with log/slog shows addresses and placeholders. The base URL's user
// information (https://user:password@gateway/...) is taken out of the
// address (and so out of every log record) and sent, as net/http would, as
// Basic credentials when the request carries no Authorization header of its
// own. The values of WithHeader headers named like credentials, and every
// credential an Auth puts on a request, are registered as secrets.
func New(spec Spec, cfg *config.Config) (*Client, error) {
	base, user, err := baseURL(spec.BaseURL, cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:    base,
		auth:    spec.Auth,
		clock:   cfg.Clock,
		random:  cfg.Random,
		log:     cfg.Logger,
		secrets: newSecrets(),
		timeout: cfg.Timeout,
		maxBody: cfg.MaxResponseBytes,
		policy: Policy{
			MaxRetries: cfg.MaxRetries,
			BaseWait:   cfg.RetryBaseWait,
			MaxBackoff: cfg.RetryMaxWait,
			MaxWait:    cfg.MaxWait,
		},
		learn: !cfg.RateLimitOff,
	}
	for _, s := range spec.Secrets {
		c.secrets.add(s)
	}
	for name, values := range cfg.Headers {
		for _, v := range values {
			c.headers = append(c.headers, fixedHeader{name: name, value: secret.New(v)})
			if sensitiveName(name) {
				c.secrets.addHeader(v)
			}
		}
	}
	if user != nil {
		c.basic = secret.New(c.secrets.addUserinfo(user))
	}
	spec.Secrets = nil
	spec.BaseURL, _ = splitUserinfo(spec.BaseURL)
	c.spec = spec
	if c.auth == nil {
		c.auth = NoAuth
	}
	userAgent := "partnerkit-go/" + partnerkit.Version + " (" + spec.Provider + ")"
	if cfg.UserAgentSuffix != "" {
		userAgent += " " + cfg.UserAgentSuffix
	}
	c.userAgent = []string{userAgent}
	c.limiter, c.quotas = limiterOf(spec, cfg)
	c.observer, _ = config.Lookup[partnerkit.Observer](cfg)
	c.rc = newResty(cfg)
	return c, nil
}

// WithAuth returns a client that shares c's connections, limiter and
// settings but sends auth's credentials (a shop's key, a customer's token).
func (c *Client) WithAuth(auth Auth) *Client {
	derived := *c
	derived.auth = auth
	return &derived
}

// AddSecret registers a value (a password, a token) that must never appear
// in logs or errors of this client and the clients derived from it, for
// their whole life and whatever its length. Credentials that an Auth puts on
// a request are registered by the engine itself.
func (c *Client) AddSecret(v string) {
	c.secrets.add(v)
}

// BaseURL returns the client's base URL, without a trailing slash and
// without the user information it may have been given with (see New).
func (c *Client) BaseURL() string {
	return c.base
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
// out is not nil and the body is not empty), filling the Raw fields of the
// answer's types (see package rawjson). When req.Expect reports that the
// decoded answer breaks the provider's contract, Do returns an ErrUnexpected
// error saying so.
func (c *Client) Do(ctx context.Context, req *Request, out any) error {
	resp, err := c.send(ctx, req)
	if err != nil {
		return err
	}
	if out != nil && len(bytes.TrimSpace(resp.Body)) > 0 {
		if err := rawjson.Unmarshal(resp.Body, out); err != nil {
			return c.unexpected(req, &resp, "cannot decode the answer: "+err.Error())
		}
	}
	if req.Expect != nil {
		if broken := req.Expect(); broken != "" {
			return c.unexpected(req, &resp, broken)
		}
	}
	return nil
}

// Send sends req, retrying when that is safe, and returns the successful
// answer. An answer with an error status, or a failure envelope (see
// Spec.Failure), becomes a *partnerkit.Error.
func (c *Client) Send(ctx context.Context, req *Request) (*Response, error) {
	resp, err := c.send(ctx, req)
	if err != nil {
		return nil, err
	}
	return &resp, nil
}

// send is the attempt loop: wait for the limiter, send, judge the answer,
// and decide with the retry rule whether and when to try again.
func (c *Client) send(ctx context.Context, req *Request) (Response, error) {
	target, route, err := c.target(req)
	if err != nil {
		return Response{}, c.failure(req, err)
	}
	basic := c.basic.Reveal()
	if req.URL != "" {
		basic = ""
		if stripped, user := splitUserinfo(target); user != nil {
			target, basic = stripped, c.secrets.addUserinfo(user)
		}
	}
	body, err := encodeBody(req.Body)
	if err != nil {
		return Response{}, fmt.Errorf("%s: encoding the %s %s body: %w", c.spec.Provider, req.Method, c.secrets.scrub(c.errorPath(req)), err)
	}
	auth := c.auth
	if req.Auth != nil {
		auth = req.Auth
	}
	limit := c.limitRequest(route, auth)
	policy := c.policy
	replayed := false
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return Response{}, c.failure(req, err)
		}
		waitStart := c.clock.Now()
		done, err := c.limiter.Wait(ctx, limit)
		c.observeWait(ctx, route, attempt, c.clock.Now().Sub(waitStart), err)
		if err != nil {
			return Response{}, c.failure(req, err)
		}
		out, err := c.header(ctx, req, auth, body != nil, basic)
		if err != nil {
			done(partnerkit.LimitFeedback{Time: c.clock.Now()})
			return Response{}, c.failure(req, err)
		}
		credential := out.credential
		resp, sendErr := c.attempt(ctx, req, target, out, body, attempt)
		outcome := Outcome{Attempt: attempt, Idempotent: req.idempotent(), Err: sendErr, Now: c.clock.Now()}
		apiErr := c.judge(req, &resp, sendErr)
		if apiErr != nil {
			outcome.StatusCode, outcome.Header, outcome.Hint = resp.StatusCode, resp.Header, apiErr.RetryAfter
			outcome.Class = c.classify(apiErr)
		}
		fb := c.feedback(resp, outcome)
		done(fb)
		if sendErr == nil && apiErr == nil {
			return resp, nil
		}
		if apiErr != nil && resp.refused != nil {
			c.debug(ctx, "redirect refused", req, slog.Int("attempt", attempt), slog.String("reason", resp.refused.why))
			return Response{}, apiErr
		}
		if sendErr != nil && ctx.Err() != nil {
			return Response{}, c.failure(req, ctx.Err())
		}
		if apiErr != nil && c.refused(apiErr) && !replayed {
			if r, ok := auth.(Refresher); ok && credential != "" {
				r.Invalidate(credential)
				replayed = true
				c.debug(ctx, "replaying once with renewed credentials after 401", req, slog.Int("attempt", attempt))
				attempt--
				continue
			}
		}
		d := Decide(policy, outcome, c.random())
		var refusedWait time.Duration // a server's wait the call does not accept
		if !d.Retry && waitTooLong(policy, outcome) {
			refusedWait = d.Wait
		}
		if d.Retry {
			if deadline, ok := ctx.Deadline(); ok && d.Wait > time.Until(deadline) {
				if _, asked := serverWait(outcome); asked {
					refusedWait = d.Wait
				}
				d = Decision{Reason: fmt.Sprintf("%s; the wait of %s would pass the context deadline", d.Reason, d.Wait)}
			}
		}
		c.observeAnswer(ctx, route, outcome, apiErr, fb, d, refusedWait)
		c.debug(ctx, "retry decision", req, slog.Int("attempt", attempt), slog.Bool("retry", d.Retry), slog.Duration("wait", d.Wait), slog.String("reason", d.Reason))
		if !d.Retry {
			if apiErr == nil {
				return Response{}, c.failure(req, sendErr)
			}
			if apiErr.RetryAfter == 0 {
				apiErr.RetryAfter, _ = serverWait(outcome)
			}
			return Response{}, apiErr
		}
		if err := c.clock.Sleep(ctx, d.Wait); err != nil {
			return Response{}, c.failure(req, err)
		}
	}
}

// judge returns the error an answer reports: its error status, or the
// failure envelope of a success status. It returns nil for a success and
// when no answer came.
func (c *Client) judge(req *Request, resp *Response, sendErr error) *partnerkit.Error {
	switch {
	case sendErr != nil:
		return nil
	case resp.refused != nil:
		return c.redirectError(req, resp)
	case resp.StatusCode >= 300:
		return c.apiError(req, resp)
	case c.spec.Failure != nil:
		if e := c.spec.Failure(resp); e != nil {
			c.complete(e, req, resp)
			return e
		}
	}
	return nil
}

// refused reports whether e refused the request's credentials.
func (c *Client) refused(e *partnerkit.Error) bool {
	if c.spec.Refused != nil {
		return c.spec.Refused(e)
	}
	return e.StatusCode == http.StatusUnauthorized
}

// Header values shared by every request; never appended to.
var (
	acceptJSON      = []string{"application/json"}
	contentTypeJSON = []string{"application/json"}
)

// outgoing is what one attempt sends besides its body.
type outgoing struct {
	header http.Header
	// credential is what the Auth reported it used (see Auth.Apply).
	credential string
	// credentials are the headers the Auth set, and basic says
	// Authorization carries the Basic credentials of an address. Neither is
	// sent to another host.
	credentials http.Header
	basic       bool
}

// header builds the headers of one attempt, credentials included. basic,
// when not empty, is the Authorization header made of the address's user
// information, sent when the Auth set none. Every value the Auth set is
// registered as a secret. A header with a control character (CR, LF,
// NUL...), which net/http would refuse only once the request may have left,
// is refused here, before anything is sent.
func (c *Client) header(ctx context.Context, req *Request, auth Auth, hasBody bool, basic string) (outgoing, error) {
	h := make(http.Header, len(c.headers)+len(req.Header)+4)
	for _, fh := range c.headers {
		h[fh.name] = append(h[fh.name], fh.value.Reveal())
	}
	for name, values := range req.Header {
		h[name] = values
	}
	h["User-Agent"] = c.userAgent
	h["Accept"] = acceptJSON
	if hasBody {
		h["Content-Type"] = contentTypeJSON
	}
	if err := checkHeader(h, "the %s header"); err != nil {
		return outgoing{}, err
	}
	set := make(http.Header, 2)
	credential, err := auth.Apply(ctx, set)
	if err != nil {
		return outgoing{}, err
	}
	if err := checkHeader(set, "the credential in the %s header"); err != nil {
		return outgoing{}, err
	}
	out := outgoing{header: h, credential: credential, credentials: set}
	for name, values := range set {
		for _, v := range values {
			c.secrets.addHeader(v)
		}
		h[name] = values
	}
	if basic != "" && len(h["Authorization"]) == 0 {
		h["Authorization"] = []string{basic}
		out.basic = true
	}
	return out, nil
}

// checkHeader refuses a header that net/http would refuse to send: an
// invalid name, or a value with a control character. field names the header
// in the error, which never quotes the value.
func checkHeader(h http.Header, field string) error {
	for name, values := range h {
		if !config.ValidHeaderName(name) {
			return &partnerkit.ValidationError{Field: fmt.Sprintf(field, fmt.Sprintf("%q", name)), Rule: "needs a valid header name; nothing was sent"}
		}
		for _, v := range values {
			if !config.ValidHeaderValue(v) {
				return &partnerkit.ValidationError{Field: fmt.Sprintf(field, name), Rule: "must not contain control characters such as CR, LF or NUL; nothing was sent"}
			}
		}
	}
	return nil
}

// Decode sends req with c and returns its answer decoded into a new T: the
// one call of a provider method that returns what the provider answered.
// req.Expect, when set, judges the T as decoded (see Do).
func Decode[T any](ctx context.Context, c *Client, req *Request) (*T, error) {
	var out T
	if err := c.Do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
