package transport

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// sensitiveName reports whether a header, parameter or JSON field name
// suggests a credential: passwords, secrets, tokens, keys, authorization.
func sensitiveName(name string) bool {
	n := strings.ToLower(name)
	for _, word := range [...]string{"password", "secret", "token", "authorization", "credential", "cookie", "signature"} {
		if strings.Contains(n, word) {
			return true
		}
	}
	return strings.HasSuffix(n, "key") || strings.Contains(n, "api_key") || strings.Contains(n, "apikey") || strings.Contains(n, "api-key")
}

// redactHeader returns h for logging as "Name: value" lines in a stable
// order: credential headers replaced, the credentials of addresses hidden
// (Location, Link, Refresh...), and every known credential cut out of every
// other value (a key echoed in WWW-Authenticate or a custom header).
func (s *secrets) redactHeader(h http.Header) []string {
	lines := make([]string, 0, len(h))
	for name, values := range h {
		v := redacted
		if !sensitiveName(name) {
			v = s.scrub(redactText(strings.Join(values, ", ")))
		}
		lines = append(lines, name+": "+v)
	}
	sort.Strings(lines)
	return lines
}

// clean returns a body as the SDK may show it, in a log record or in
// Error.Body: the values of credential-named JSON fields replaced, the
// credentials of the addresses it holds hidden, and every known credential
// cut out, in any of its forms. A JSON body is cut while decoded, so that
// escaping cannot hide a credential, and encoded again without HTML
// escaping; its numbers keep their digits.
func (s *secrets) clean(body []byte) []byte {
	if len(body) == 0 {
		return body
	}
	if out, ok := s.cleanJSON(body); ok {
		return s.scrubBytes(out)
	}
	return s.scrubBytes([]byte(redactText(string(body))))
}

func (s *secrets) cleanJSON(body []byte) ([]byte, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil {
		return nil, false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, false
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(s.redactValue(doc)) != nil {
		return nil, false
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), true
}

func (s *secrets) redactValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, inner := range t {
			if sensitiveName(k) {
				out[s.scrub(k)] = redacted
			} else {
				out[s.scrub(k)] = s.redactValue(inner)
			}
		}
		return out
	case []any:
		for i := range t {
			t[i] = s.redactValue(t[i])
		}
	case string:
		return s.scrub(redactText(t))
	}
	return v
}

// redactText hides the credentials of the addresses in a text (see
// redactAddress): a text without spaces is read as one address, absolute
// or relative (a Location header, a JSON field holding a link); in a longer
// text, each absolute http or https address is.
func redactText(s string) string {
	if !strings.ContainsAny(s, "?@") {
		return s
	}
	if !strings.ContainsAny(s, " \t\r\n") {
		return redactAddress(s)
	}
	var b strings.Builder
	rest := s
	for {
		i := strings.Index(rest, "://")
		if i < 0 {
			break
		}
		start := i
		for start > 0 && schemeChar(rest[start-1]) {
			start--
		}
		end := i + 3
		for end < len(rest) && !strings.ContainsRune(" \t\r\n\"'<>`", rune(rest[end])) {
			end++
		}
		b.WriteString(rest[:start])
		if start < i {
			b.WriteString(redactAddress(rest[start:end]))
		} else {
			b.WriteString(rest[start:end])
		}
		rest = rest[end:]
	}
	if b.Len() == 0 {
		return s
	}
	b.WriteString(rest)
	return b.String()
}

// userinfo returns where the user information of address starts and where
// its closing @ is, or -1 for at when it has none. It reads the authority
// after "scheme://", or after "//" at the start of a scheme-relative
// address.
func userinfo(address string) (start, at int) {
	switch i := strings.Index(address, "://"); {
	case i >= 0:
		start = i + 3
	case strings.HasPrefix(address, "//"):
		start = 2
	default:
		return 0, -1
	}
	rest := address[start:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at = strings.LastIndexByte(rest[:end], '@')
	if at < 0 {
		return start, -1
	}
	return start, start + at
}

func schemeChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'
}

// redactAddress hides the credentials of one address, parsed or not: its
// user information (user:password@, replaced whole) and the values of its
// credential-named query parameters (a login page's token=...).
func redactAddress(a string) string {
	if start, at := userinfo(a); at >= 0 {
		a = a[:start] + redacted + a[at:]
	}
	q := strings.IndexByte(a, '?')
	if q < 0 {
		return a
	}
	query, fragment := a[q+1:], ""
	if h := strings.IndexByte(query, '#'); h >= 0 {
		query, fragment = query[:h], query[h:]
	}
	params := strings.Split(query, "&")
	changed := false
	for i, p := range params {
		key, _, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		name, err := url.QueryUnescape(key)
		if err != nil {
			name = key
		}
		if sensitiveName(name) {
			params[i] = key + "=" + redacted
			changed = true
		}
	}
	if !changed {
		return a
	}
	return a[:q+1] + strings.Join(params, "&") + fragment
}
