package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/ratelimit"
)

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
	// Deferred, so that it also scrubs what is filled below (the request
	// ID, the status text).
	defer c.scrubError(e)
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
	body := c.secrets.clean(resp.Body)
	if len(body) > partnerkit.MaxErrorBody {
		body = body[:partnerkit.MaxErrorBody]
	}
	e.Body = bytes.Clone(body)
}

// redirectError reports a redirect the client's policy refused (see
// checkRedirect): the 3xx status, the refused host and the reason, the
// Location with its credentials hidden, the request ID and the capped body.
func (c *Client) redirectError(req *Request, resp *Response) *partnerkit.Error {
	msg := fmt.Sprintf("redirect to %s refused: %s", resp.refused.host, resp.refused.why)
	if loc := resp.Header.Get("Location"); loc != "" {
		msg += "; Location: " + redactAddress(loc)
	}
	e := &partnerkit.Error{Kind: partnerkit.ErrUnexpected, Message: msg}
	c.complete(e, req, resp)
	return e
}

// unexpected reports an answer that broke the provider's contract: the
// server acted, but what it said cannot be read or lacks what the provider
// documents. Every such error is built here, so that it carries the request
// ID and the capped body like every other *partnerkit.Error.
func (c *Client) unexpected(req *Request, resp *Response, message string) *partnerkit.Error {
	e := &partnerkit.Error{Kind: partnerkit.ErrUnexpected, Message: message}
	c.complete(e, req, resp)
	return e
}

// classify returns how the retry rule reads e: the provider's reading
// (Spec.Classify), else a rate limit for an error of kind ErrRateLimited,
// else the status decides.
func (c *Client) classify(e *partnerkit.Error) Class {
	if c.spec.Classify != nil {
		if class := c.spec.Classify(e); class != ClassDefault {
			return class
		}
	}
	if errors.Is(e, partnerkit.ErrRateLimited) {
		return ClassRateLimited
	}
	return ClassDefault
}

// errorPath is the request's path without host or query.
func (c *Client) errorPath(req *Request) string {
	if req.URL == "" {
		if path, err := ExpandPath(req.Path, req.PathParams); err == nil {
			return path
		}
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
	var invalid *partnerkit.ValidationError
	if errors.As(err, &invalid) {
		// Refused before sending (a header the engine would not send, or a
		// token source's own check): nothing went out.
		return err
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err // its text repeats the whole URL
	}
	return &requestError{provider: c.spec.Provider, method: req.Method, path: c.secrets.scrub(c.errorPath(req)), err: err, secrets: c.secrets}
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
