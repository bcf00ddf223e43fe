package transport

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// maxLoggedBody bounds how much of a body a debug record shows.
const maxLoggedBody = 2 << 10

// logging reports whether debug records would be kept.
func (c *Client) logging(ctx context.Context) bool {
	return c.log != nil && c.log.Enabled(ctx, slog.LevelDebug)
}

// debug writes one debug record about req. Every string of the record, and
// every string of a []string attribute, has every known credential cut out
// here, whoever built it.
func (c *Client) debug(ctx context.Context, msg string, req *Request, attrs ...slog.Attr) {
	if !c.logging(ctx) {
		return
	}
	all := make([]slog.Attr, 0, 3+len(attrs))
	all = append(all,
		slog.String("provider", c.spec.Provider),
		slog.String("method", req.Method),
		slog.String("path", c.secrets.scrub(c.errorPath(req))))
	for _, a := range attrs {
		all = append(all, c.scrubAttr(a))
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "partnerkit: "+c.secrets.scrub(msg), all...)
}

// scrubAttr cuts known credentials out of a string or []string attribute.
func (c *Client) scrubAttr(a slog.Attr) slog.Attr {
	switch a.Value.Kind() {
	case slog.KindString:
		return slog.String(a.Key, c.secrets.scrub(a.Value.String()))
	case slog.KindAny:
		if lines, ok := a.Value.Any().([]string); ok {
			clean := make([]string, len(lines))
			for i, l := range lines {
				clean[i] = c.secrets.scrub(l)
			}
			return slog.Any(a.Key, clean)
		}
	}
	return a
}

func (c *Client) logRequest(ctx context.Context, req *Request, target string, h http.Header, body []byte, attempt int) {
	if !c.logging(ctx) {
		return
	}
	c.debug(ctx, "request", req,
		slog.Int("attempt", attempt),
		slog.String("url", redactText(target)),
		slog.Any("header", c.secrets.redactHeader(h)),
		slog.String("body", c.loggableBody(body)))
}

func (c *Client) logResponse(ctx context.Context, req *Request, resp Response, took time.Duration) {
	if !c.logging(ctx) {
		return
	}
	c.debug(ctx, "response", req,
		slog.Int("status", resp.StatusCode),
		slog.Duration("took", took),
		slog.Any("header", c.secrets.redactHeader(resp.Header)),
		slog.String("body", c.loggableBody(resp.Body)))
}

// loggableBody returns a body with credentials removed (see secrets.clean),
// cut to maxLoggedBody bytes.
func (c *Client) loggableBody(body []byte) string {
	if len(body) == 0 {
		return ""
	}
	b := c.secrets.clean(body)
	if len(b) > maxLoggedBody {
		return string(b[:maxLoggedBody]) + "…(truncated)"
	}
	return string(b)
}
