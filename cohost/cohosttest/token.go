package cohosttest

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
	return s.signer.Sign(claims{
		Subject: c.ID, Email: c.Email,
		IssuedAt: now.Unix(), Expiry: now.Add(TokenLifetime).Unix(),
	})
}

// verify returns the customer ID of a token the fake signed and that has
// not expired.
func (s *Server) verify(token string) (string, bool) {
	var c claims
	if !s.signer.Verify(token, &c) || s.now().Unix() >= c.Expiry {
		return "", false
	}
	return c.Subject, true
}
