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

// debug writes one debug record about req. Every string that reaches it has
// been scrubbed of known secrets.
func (c *Client) debug(ctx context.Context, msg string, req *Request, attrs ...slog.Attr) {
	if !c.logging(ctx) {
		return
	}
	base := []slog.Attr{
		slog.String("provider", c.spec.Provider),
		slog.String("method", req.Method),
		slog.String("path", c.errorPath(req)),
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "partnerkit: "+msg, append(base, attrs...)...)
}

func (c *Client) logRequest(ctx context.Context, req *Request, target string, h http.Header, body []byte, attempt int) {
	if !c.logging(ctx) {
		return
	}
	c.debug(ctx, "request", req,
		slog.Int("attempt", attempt),
		slog.String("url", c.secrets.scrub(target)),
		slog.Any("header", redactHeader(h)),
		slog.String("body", c.loggableBody(body)))
}

func (c *Client) logResponse(ctx context.Context, req *Request, resp Response, took time.Duration) {
	if !c.logging(ctx) {
		return
	}
	c.debug(ctx, "response", req,
		slog.Int("status", resp.StatusCode),
		slog.Duration("took", took),
		slog.Any("header", redactHeader(resp.Header)),
		slog.String("body", c.loggableBody(resp.Body)))
}

// loggableBody returns a body with credential fields and known secrets
// removed, cut to maxLoggedBody bytes.
func (c *Client) loggableBody(body []byte) string {
	if len(body) == 0 {
		return ""
	}
	b := c.secrets.scrubBytes(redactJSON(body))
	if len(b) > maxLoggedBody {
		return string(b[:maxLoggedBody]) + "…(truncated)"
	}
	return string(b)
}
