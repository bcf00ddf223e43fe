package transport

import (
	"strings"
	"testing"
)

// FuzzSecretsCutEveryForm registers a credential and scrubs a text that
// holds it, in each of its forms, between arbitrary text: no form may be
// left. A NUL byte stands for the placeholder in the check, so that a
// credential that ends like the placeholder ("…D]") cannot hide a leak.
func FuzzSecretsCutEveryForm(f *testing.F) {
	f.Add("sk_live_0123456789", "key ", " rejected")
	f.Add(`p&ss<w>"rd\1`, `{"message":"`, `"}`)
	f.Add("ab", "abab", "b")
	f.Add("D]x", "[REDACTED]", "D]xx")
	f.Add("é ü/+", "?q=", "&x")
	f.Fuzz(func(t *testing.T, credential, before, after string) {
		if credential == "" || strings.ContainsRune(credential, 0) {
			return
		}
		s := newSecrets()
		s.add(credential)
		for _, form := range encodings(credential) {
			out := strings.ReplaceAll(s.scrub(before+form+after), redacted, "\x00")
			for _, other := range encodings(credential) {
				if strings.Contains(out, other) {
					t.Fatalf("%q is left in %q (form %q of %q)", other, out, form, credential)
				}
			}
			b := s.scrubBytes([]byte(before + form + after))
			if string(b) != s.scrub(before+form+after) {
				t.Fatalf("scrubBytes and scrub disagree on %q", before+form+after)
			}
		}
	})
}
