package transport

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/partnerkit/partnerkit-go/internal/secret"
)

// redacted replaces every secret the SDK removes from logs and errors.
const redacted = secret.Placeholder

// secrets is the register of the credentials a client knows of: the keys
// and passwords it was given, the tokens it obtained, the credentials its
// Auth put on requests. Each is cut out of any text that leaves the SDK (log
// records, every field of an error, the text of a failure) for the client's
// whole life, in every form a server may echo it in: as is, escaped in a
// JSON string (with and without HTML escaping), and escaped in an address
// (query and path escaping, upper- and lower-case hex).
//
// Every length counts: a credential is what the caller gave or what was
// issued to the client, so cutting it out of a log is always right, even
// when it is short enough to match ordinary text. Memory grows with the
// distinct credentials only: each value is kept once, however often it is
// registered.
//
// Forms are found by their last suffixLen bytes, so scrubbing a text costs
// one lookup per byte, whatever the number of credentials (JSON Web Tokens
// share their first bytes, not their last ones).
//
// The credentials sit behind a second pointer (set): fmt prints a pointer
// met inside a value as an address, but dereferences it once for a verb
// that does not apply to pointers (%s of a Client prints the register's
// fields), so the register itself holds only a lock and a pointer.
type secrets struct {
	mu  sync.RWMutex
	set *secretSet
}

type secretSet struct {
	values   map[string]struct{}
	headers  map[string]struct{} // header values addHeader took apart
	forms    map[string]struct{}
	bySuffix map[string][]string // forms of at least suffixLen bytes, by their last suffixLen bytes
	short    []string            // forms shorter than suffixLen bytes
	ends     [256]bool           // the bytes some form ends with
}

func newSecrets() *secrets {
	return &secrets{set: newSecretSet()}
}

func newSecretSet() *secretSet {
	return &secretSet{
		values:   make(map[string]struct{}),
		headers:  make(map[string]struct{}),
		forms:    make(map[string]struct{}),
		bySuffix: make(map[string][]string),
	}
}

// suffixLen is the length of the keys of secrets.bySuffix.
const suffixLen = 4

// Format prints a placeholder: a register of secrets never prints them.
func (s *secrets) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// LogValue returns a placeholder, for log/slog.
func (s *secrets) LogValue() slog.Value { return slog.StringValue(redacted) }

// add registers the credential v; the empty string is ignored.
func (s *secrets) add(v string) {
	if v == "" {
		return
	}
	if s.has(v, false) {
		return
	}
	forms := encodings(v)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.set == nil {
		s.set = newSecretSet()
	}
	set := s.set
	if _, known := set.values[v]; known {
		return
	}
	set.values[v] = struct{}{}
	for _, f := range forms {
		if _, known := set.forms[f]; known {
			continue
		}
		set.forms[f] = struct{}{}
		set.ends[f[len(f)-1]] = true
		if len(f) < suffixLen {
			set.short = append(set.short, f)
			continue
		}
		key := f[len(f)-suffixLen:]
		set.bySuffix[key] = append(set.bySuffix[key], f)
	}
}

// has reports whether v is registered, or, with header, whether addHeader
// took v apart.
func (s *secrets) has(v string, header bool) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.set == nil {
		return false
	}
	known := s.set.values
	if header {
		known = s.set.headers
	}
	_, ok := known[v]
	return ok
}

// addHeader registers a credential header value an Auth set, such as
// "Bearer <token>" or "Basic <base64 of user:password>": the value, the
// credential after its scheme and, for Basic, the decoded user:password and
// the password. A value seen before costs one lookup: the engine calls it
// for every request.
func (s *secrets) addHeader(v string) {
	if v == "" || s.has(v, true) {
		return
	}
	defer func() {
		s.mu.Lock()
		s.set.headers[v] = struct{}{}
		s.mu.Unlock()
	}()
	s.add(v)
	scheme, rest, ok := strings.Cut(v, " ")
	if !ok {
		return
	}
	rest = strings.TrimSpace(rest)
	s.add(rest)
	if !strings.EqualFold(scheme, "Basic") {
		return
	}
	if decoded, err := base64.StdEncoding.DecodeString(rest); err == nil {
		s.add(string(decoded))
		if _, password, ok := strings.Cut(string(decoded), ":"); ok {
			s.add(password)
		}
	}
}

// addUserinfo registers the credentials of an address's user information
// (its password, or its user name when it has no password, as a token
// given as user name) and returns the Authorization header net/http would
// make of it: "Basic " and the base64 of user:password.
func (s *secrets) addUserinfo(u *url.Userinfo) string {
	user := u.Username()
	password, ok := u.Password()
	if ok {
		s.add(password)
	} else {
		s.add(user)
	}
	s.add(u.String())
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
	s.addHeader(basic)
	return basic
}

// encodings returns the forms of v a server may echo: v itself, escaped in
// a JSON string with and without HTML escaping, and escaped in an address.
func encodings(v string) []string {
	forms := []string{v}
	add := func(f string) {
		if f != "" && !slices.Contains(forms, f) {
			forms = append(forms, f)
		}
	}
	add(jsonEscape(v, false))
	add(jsonEscape(v, true))
	add(url.QueryEscape(v))
	add(url.PathEscape(v))
	strict := percentEncode(v)
	add(strict)
	add(lowerHex(strict))
	add(lowerHex(url.QueryEscape(v)))
	add(lowerHex(url.PathEscape(v)))
	return forms
}

// jsonEscape returns v as it appears inside a JSON string.
func jsonEscape(v string, html bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	if enc.Encode(v) != nil {
		return ""
	}
	out := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	return string(out[1 : len(out)-1])
}

// percentEncode escapes every byte of v but the unreserved characters of
// RFC 3986 (letters, digits, - . _ ~), as many servers write addresses.
func percentEncode(v string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// lowerHex writes the hex digits of v's %XX escapes in lower case.
func lowerHex(v string) string {
	if !strings.Contains(v, "%") {
		return v
	}
	b := []byte(v)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			for j := i + 1; j <= i+2; j++ {
				if 'A' <= b[j] && b[j] <= 'F' {
					b[j] += 'a' - 'A'
				}
			}
			i += 2
		}
	}
	return string(b)
}

// span is the byte range [start, end) of a form found in a text.
type span struct{ start, end int }

// find returns the ranges of text that hold a registered form, merged where
// they overlap, in order. Where several forms end at one byte, the longest
// counts.
func (s *secrets) find(text string) []span {
	s.mu.RLock()
	defer s.mu.RUnlock()
	set := s.set
	if set == nil || len(set.forms) == 0 {
		return nil
	}
	var found []span
	for end := 1; end <= len(text); end++ {
		if !set.ends[text[end-1]] {
			continue
		}
		longest := 0
		if end >= suffixLen {
			for _, f := range set.bySuffix[text[end-suffixLen:end]] {
				if len(f) > longest && len(f) <= end && text[end-len(f):end] == f {
					longest = len(f)
				}
			}
		}
		if longest == 0 {
			for _, f := range set.short {
				if len(f) > longest && len(f) <= end && text[end-len(f):end] == f {
					longest = len(f)
				}
			}
		}
		if longest > 0 {
			found = append(found, span{end - longest, end})
		}
	}
	if len(found) < 2 {
		return found
	}
	slices.SortFunc(found, func(a, b span) int { return a.start - b.start })
	merged := found[:1]
	for _, sp := range found[1:] {
		last := &merged[len(merged)-1]
		if sp.start < last.end {
			last.end = max(last.end, sp.end)
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}

// scrub returns text with every registered credential, in every form,
// replaced by the placeholder.
func (s *secrets) scrub(text string) string {
	found := s.find(text)
	if len(found) == 0 {
		return text
	}
	return cut(text, found)
}

// scrubBytes is scrub for a body; it returns b itself when it holds no
// credential.
func (s *secrets) scrubBytes(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	text := string(b)
	found := s.find(text)
	if len(found) == 0 {
		return b
	}
	return []byte(cut(text, found))
}

// cut replaces the ranges found of text by the placeholder.
func cut(text string, found []span) string {
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, sp := range found {
		b.WriteString(text[last:sp.start])
		b.WriteString(redacted)
		last = sp.end
	}
	b.WriteString(text[last:])
	return b.String()
}
