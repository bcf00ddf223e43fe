// Package transport is the request engine every provider client runs on. It
// owns everything that is not a provider's business: credentials and token
// renewal, the single retry rule, rate limiting, error decoding hooks, the
// response size cap, redacted logging and the User-Agent. resty sends the
// requests; it is configured here once and used nowhere else.
//
// A provider package resolves the caller's options with Configure, builds
// one Client from a Spec, then describes each call as a Request whose Path
// is a template: the template names the route, and each {placeholder} takes
// one of PathParams, escaped.
//
//	cfg, err := transport.Configure("cohost", opts)
//	t, err := transport.New(transport.Spec{
//		Provider:    "cohost",
//		BaseURL:     "https://api.cohost.vn/api/v1/external",
//		Auth:        transport.NewHeaderAuth("X-API-Key", key),
//		DecodeError: decodeError,
//	}, cfg)
//	var out Customer
//	err = t.Do(ctx, &transport.Request{
//		Method:     http.MethodGet,
//		Path:       "/customers/{id}",
//		PathParams: []string{id},
//	}, &out)
//
// The files of the package: transport.go (the Client and its attempt loop),
// request.go (Request and path templates), configure.go (options), http.go
// (sending one attempt), errors.go (errors built from answers), scrub.go
// (secrets removed from errors), limit.go (what the limiter is told),
// retry.go (the retry rule), auth.go, redact.go and log.go.
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
}

// Client sends requests for one provider. It is safe for concurrent use.
type Client struct {
	spec      Spec
	cfg       *config.Config
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
}

// New returns a Client for spec, configured by cfg (see Configure).
func New(spec Spec, cfg *config.Config) (*Client, error) {
	base, err := baseURL(spec.BaseURL, cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{
		cfg:     cfg,
		base:    base,
		auth:    spec.Auth,
		clock:   cfg.Clock,
		random:  cfg.Random,
		log:     cfg.Logger,
		secrets: &secrets{},
	}
	for _, s := range spec.Secrets {
		c.secrets.addFixed(s)
	}
	spec.Secrets = nil
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
	body, err := encodeBody(req.Body)
	if err != nil {
		return Response{}, fmt.Errorf("%s: encoding the %s %s body: %w", c.spec.Provider, req.Method, c.errorPath(req), err)
	}
	auth := c.auth
	if req.Auth != nil {
		auth = req.Auth
	}
	limit := c.limitRequest(route, auth)
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
		done, err := c.limiter.Wait(ctx, limit)
		if err != nil {
			return Response{}, c.failure(req, err)
		}
		h, credential, err := c.header(ctx, req, auth, body != nil)
		if err != nil {
			done(partnerkit.LimitFeedback{Time: c.clock.Now()})
			return Response{}, c.failure(req, err)
		}
		resp, sendErr := c.attempt(ctx, req, target, h, body, attempt)
		outcome := Outcome{Attempt: attempt, Idempotent: req.idempotent(), Err: sendErr, Now: c.clock.Now()}
		apiErr := c.judge(req, &resp, sendErr)
		if apiErr != nil {
			outcome.StatusCode, outcome.Header, outcome.Hint = resp.StatusCode, resp.Header, apiErr.RetryAfter
			outcome.Class = c.classify(apiErr)
		}
		done(c.feedback(resp, outcome))
		if sendErr == nil && apiErr == nil {
			return resp, nil
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
		if d.Retry {
			if deadline, ok := ctx.Deadline(); ok && d.Wait > time.Until(deadline) {
				d = Decision{Reason: fmt.Sprintf("%s; the wait of %s would pass the context deadline", d.Reason, d.Wait)}
			}
		}
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
