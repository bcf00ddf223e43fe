package fakekit

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
)

// jwtHeader is the header of every token a Signer signs.
var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))

// Signer signs and checks the HS256 JSON Web Tokens a fake issues, with a
// key of its own that no other Signer shares.
type Signer struct {
	key []byte
}

// NewSigner returns a Signer with a new random key.
func NewSigner() *Signer {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return &Signer{key: key}
}

// Sign returns a token carrying claims, which must encode as a JSON object.
func (s *Signer) Sign(claims any) string {
	payload, _ := json.Marshal(claims)
	unsigned := jwtHeader + "." + base64.RawURLEncoding.EncodeToString(payload)
	return unsigned + "." + s.signature(unsigned)
}

func (s *Signer) signature(unsigned string) string {
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte(unsigned))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// Verify reports whether token is one this Signer signed, decoding its
// claims into claims. What the claims say (expiry, subject) is for the
// caller to judge.
func (s *Signer) Verify(token string, claims any) bool {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || parts[0] != jwtHeader ||
		!hmac.Equal([]byte(parts[2]), []byte(s.signature(parts[0]+"."+parts[1]))) {
		return false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	return err == nil && json.Unmarshal(payload, claims) == nil
}
