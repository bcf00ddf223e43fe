package cohosttest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
)

// jwtHeader is the header of every token the fake signs.
var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))

// claims are the claims of a customer token.
type claims struct {
	Subject  string `json:"sub"`
	Email    string `json:"email"`
	IssuedAt int64  `json:"iat"`
	Expiry   int64  `json:"exp"`
}

// token signs a customer token (an HS256 JWT) that expires TokenLifetime
// from now.
func (s *Server) token(c *Customer) string {
	now := s.now()
	payload, _ := json.Marshal(claims{
		Subject: strconv.FormatInt(c.ID, 10), Email: c.Email,
		IssuedAt: now.Unix(), Expiry: now.Add(TokenLifetime).Unix(),
	})
	unsigned := jwtHeader + "." + base64.RawURLEncoding.EncodeToString(payload)
	return unsigned + "." + s.signature(unsigned)
}

func (s *Server) signature(unsigned string) string {
	mac := hmac.New(sha256.New, s.signKey)
	mac.Write([]byte(unsigned))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// verify returns the customer ID of a token the fake signed and that has
// not expired.
func (s *Server) verify(token string) (int64, bool) {
	header, rest, _ := strings.Cut(token, ".")
	payload, sig, _ := strings.Cut(rest, ".")
	if header != jwtHeader || !hmac.Equal([]byte(sig), []byte(s.signature(header+"."+payload))) {
		return 0, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return 0, false
	}
	var c claims
	if json.Unmarshal(raw, &c) != nil || s.now().Unix() >= c.Expiry {
		return 0, false
	}
	id, err := strconv.ParseInt(c.Subject, 10, 64)
	return id, err == nil
}
