package transport

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

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
	// Path is the path under the base URL, written as a template such as
	// "/customers/{id}/teams/{team_id}". Each {placeholder}, in order, takes
	// the next of PathParams, escaped for a path segment; the template
	// itself, with Method, names the route for rate limiting, so that the
	// requests of one route share its limits whatever their IDs.
	Path string
	// PathParams fill Path's placeholders, in order. Each must be a
	// non-empty value other than "." and "..".
	PathParams []string
	// URL, when set, is used instead of the base URL and Path: for links
	// returned by the provider and for other hosts of the same provider.
	URL string
	// Route names a call sent to URL for rate limiting. Empty means Method
	// and URL's path.
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
	// Expect, when set, is called by Do after the answer decoded. A
	// non-empty result says how the answer breaks the provider's contract
	// (such as "the answer has no token"); Do then returns an ErrUnexpected
	// error carrying it, the request ID and the body.
	Expect func() string
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

// target returns the address of req and the name of its route.
func (c *Client) target(req *Request) (target, route string, err error) {
	// head and tail are joined with the query in one concatenation.
	var head, tail string
	if req.URL != "" {
		head, route = req.URL, req.Route
		if route == "" {
			u, err := url.Parse(req.URL)
			if err != nil {
				// Not url's error: it quotes the whole address.
				return "", "", fmt.Errorf("transport: %s is not an address", redactAddress(req.URL))
			}
			route = req.Method + " " + u.Path
		}
	} else {
		path, err := ExpandPath(req.Path, req.PathParams)
		if err != nil {
			return "", "", err
		}
		head, tail, route = c.base, path, req.Route
		if route == "" {
			route = req.Method + " " + req.Path
		}
	}
	if len(req.Query) == 0 {
		return head + tail, route, nil
	}
	sep := "?"
	if strings.Contains(head, "?") || strings.Contains(tail, "?") {
		sep = "&"
	}
	return head + tail + sep + req.Query.Encode(), route, nil
}

// errBadPathParam is the cause of every path template error.
var errBadPathParam = errors.New("transport: bad path parameter")

// ExpandPath fills the {placeholders} of template with params, in order,
// each escaped for a path segment. It refuses a count that does not match,
// and an empty, "." or ".." parameter, which would change the route.
func ExpandPath(template string, params []string) (string, error) {
	if len(params) == 0 && !strings.Contains(template, "{") {
		return template, nil
	}
	var b strings.Builder
	b.Grow(len(template) + 16*len(params))
	rest, n := template, 0
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return "", fmt.Errorf("%w: unclosed placeholder in %q", errBadPathParam, template)
		}
		if n >= len(params) {
			return "", fmt.Errorf("%w: %q needs more than %d parameters", errBadPathParam, template, len(params))
		}
		p := params[n]
		if p == "" || p == "." || p == ".." {
			return "", fmt.Errorf("%w: %s of %q is %q", errBadPathParam, rest[open:open+end+1], template, p)
		}
		b.WriteString(rest[:open])
		b.WriteString(url.PathEscape(p))
		rest = rest[open+end+1:]
		n++
	}
	if n != len(params) {
		return "", fmt.Errorf("%w: %q takes %d parameters, got %d", errBadPathParam, template, n, len(params))
	}
	return b.String(), nil
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
