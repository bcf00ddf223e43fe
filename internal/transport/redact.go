package transport

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// redacted replaces every secret the SDK removes from logs and errors.
const redacted = "[REDACTED]"

// secrets holds the credential values a client knows of (API keys,
// passwords, tokens it obtained) so that they can be cut out of any text
// that leaves the SDK: log records, error messages, error bodies. It keeps
// the fixed ones for good and the most recent tokens.
type secrets struct {
	mu     sync.RWMutex
	fixed  []string
	recent []string
}

// maxRecentSecrets bounds how many rotating tokens are remembered.
const maxRecentSecrets = 16

// minSecretLen keeps very short values (which could match ordinary text)
// out of the scrubber; credentials are never that short.
const minSecretLen = 6

func (s *secrets) addFixed(v string) {
	if len(v) < minSecretLen {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fixed = append(s.fixed, v)
}

func (s *secrets) addToken(v string) {
	if len(v) < minSecretLen {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.recent) == maxRecentSecrets {
		s.recent = append(s.recent[:0], s.recent[1:]...)
	}
	s.recent = append(s.recent, v)
}

// scrub returns text with every known secret replaced.
func (s *secrets) scrub(text string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, list := range [2][]string{s.fixed, s.recent} {
		for _, v := range list {
			if strings.Contains(text, v) {
				text = strings.ReplaceAll(text, v, redacted)
			}
		}
	}
	return text
}

// scrubBytes is scrub for a body; it copies only when it changes something.
func (s *secrets) scrubBytes(b []byte) []byte {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, list := range [2][]string{s.fixed, s.recent} {
		for _, v := range list {
			if bytes.Contains(b, []byte(v)) {
				b = bytes.ReplaceAll(b, []byte(v), []byte(redacted))
			}
		}
	}
	return b
}

// sensitiveName reports whether a header or JSON field name suggests a
// credential: passwords, secrets, tokens, keys, authorization.
func sensitiveName(name string) bool {
	n := strings.ToLower(name)
	for _, word := range [...]string{"password", "secret", "token", "authorization", "credential", "cookie", "signature"} {
		if strings.Contains(n, word) {
			return true
		}
	}
	return strings.HasSuffix(n, "key") || strings.Contains(n, "api_key") || strings.Contains(n, "apikey") || strings.Contains(n, "api-key")
}

// redactHeader returns a copy of h for logging, with credential headers
// replaced, as "Name: value" lines in a stable order.
func redactHeader(h http.Header) []string {
	lines := make([]string, 0, len(h))
	for name, values := range h {
		v := strings.Join(values, ", ")
		if sensitiveName(name) {
			v = redacted
		}
		lines = append(lines, name+": "+v)
	}
	sort.Strings(lines)
	return lines
}

// redactJSON replaces the values of credential-named fields, at any depth,
// of a JSON document. It returns the input unchanged when it is not JSON.
func redactJSON(body []byte) []byte {
	var doc any
	if json.Unmarshal(body, &doc) != nil {
		return body
	}
	out, err := json.Marshal(redactValue(doc))
	if err != nil {
		return body
	}
	return out
}

func redactValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, inner := range t {
			if sensitiveName(k) {
				t[k] = redacted
			} else {
				t[k] = redactValue(inner)
			}
		}
	case []any:
		for i := range t {
			t[i] = redactValue(t[i])
		}
	case string:
		return redactURL(t)
	}
	return v
}

// redactURL replaces the values of credential-named query parameters of
// an address, such as a login page's token=..., keeping the rest as it is.
// Text that is not an address with a query is returned unchanged.
func redactURL(s string) string {
	if !strings.Contains(s, "?") || !strings.Contains(s, "=") {
		return s
	}
	u, err := url.Parse(s)
	if err != nil || u.RawQuery == "" {
		return s
	}
	params := strings.Split(u.RawQuery, "&")
	changed := false
	for i, p := range params {
		key, _, _ := strings.Cut(p, "=")
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
		return s
	}
	u.RawQuery = strings.Join(params, "&")
	return u.String()
}
