package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/go-resty/resty/v2"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/config"
)

// newResty configures the one resty client: no retries of its own (the
// engine decides), no cookie jar unless the caller's http.Client has one, no
// logging to stderr, and redirects that never carry credentials to another
// host.
func newResty(cfg *config.Config) *resty.Client {
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
