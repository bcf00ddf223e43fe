package chekintest

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Paths of the account calls.
const (
	tokenPath        = "/token/"
	refreshPath      = "/token/refresh/"
	registrationPath = "/auth/registration/"
)

// claims are the claims of the Server's tokens: those of
// djangorestframework-jwt and simplejwt (user, iat, exp, jti), and the
// generation ExpireTokens revokes.
type claims struct {
	UserID    string `json:"user_id"`
	Email     string `json:"email"`
	TokenType string `json:"token_type"`
	Gen       int    `json:"gen"`
	IssuedAt  int64  `json:"iat"`
	ExpiresAt int64  `json:"exp"`
	ID        string `json:"jti"`
}

// refusal is why a token is refused, in the words djangorestframework-jwt
// answers with.
type refusal string

func (r refusal) Error() string { return string(r) }

// Why a token is refused.
const (
	errExpired  refusal = "Signature has expired."
	errDecoding refusal = "Error decoding signature."
	errNoUser   refusal = "User not found."
	errNotYours refusal = "The token was not issued to this user."
)

// tokenClock is the time the Server stamps and checks tokens with: its
// clock, late by SetClockBehind.
func (s *Server) tokenClock() time.Time {
	return s.clock().Add(-s.behind)
}

// issue returns a new token for u, an HS256 JWT signed with the Server's
// key.
func (s *Server) issue(u *user) string {
	now := s.tokenClock()
	s.issued++
	return s.signer.Sign(claims{
		UserID: u.ID, Email: u.Email, TokenType: "access", Gen: s.gen,
		IssuedAt: now.Unix(), ExpiresAt: now.Add(s.lifetime).Unix(), ID: strconv.Itoa(s.issued),
	})
}

// verify returns the user of a valid token, or why it is not valid.
func (s *Server) verify(token string) (*user, error) {
	var cl claims
	if !s.signer.Verify(token, &cl) {
		return nil, errDecoding
	}
	if !s.tokenClock().Before(time.Unix(cl.ExpiresAt, 0)) || cl.Gen != s.gen {
		return nil, errExpired
	}
	u := s.users[strings.ToLower(cl.Email)]
	if u == nil || u.ID != cl.UserID {
		return nil, errNoUser
	}
	return u, nil
}

// noCredentials answers CheKin's coded 401 for a request without a token.
func noCredentials(w http.ResponseWriter) {
	writeJSON(w, http.StatusUnauthorized, map[string]any{
		"code": 4002, "message": "Invalid Authorization header. No credentials provided.", "status_code": 401, "errors": []any{},
	})
}

// refuseToken answers a request whose token is not valid, as
// djangorestframework-jwt does, or simplejwt when SetSimpleJWT is on.
func (s *Server) refuseToken(w http.ResponseWriter, why error) {
	if s.simpleJWT == 0 {
		detail(w, http.StatusUnauthorized, why.Error())
		return
	}
	message := "Token is invalid"
	if errors.Is(why, errExpired) {
		message = "Token is expired"
	}
	writeJSON(w, s.simpleJWT, map[string]any{
		"detail": "Given token not valid for any token type", "code": "token_not_valid",
		"messages": []any{map[string]any{"token_class": "AccessToken", "token_type": "access", "message": message}},
	})
}

func (s *Server) authenticate(c *call) bool {
	token, ok := strings.CutPrefix(c.r.Header.Get("Authorization"), "JWT ")
	if !ok || token == "" {
		noCredentials(c.w)
		return false
	}
	u, err := s.verify(token)
	if err != nil {
		s.refuseToken(c.w, err)
		return false
	}
	c.user = u
	return true
}

func str(body map[string]any, key string) string {
	v, _ := body[key].(string)
	return strings.TrimSpace(v)
}

// required answers 400 for the missing fields and reports whether all were
// given.
func required(c *call, keys ...string) bool {
	errs := map[string]any{}
	for _, k := range keys {
		if str(c.body, k) == "" {
			errs[k] = []string{"This field is required."}
		}
	}
	if len(errs) > 0 {
		fieldErrors(c.w, errs)
		return false
	}
	return true
}

func (s *Server) credentials(c *call) *user {
	if !required(c, "email", "password") {
		return nil
	}
	u := s.users[strings.ToLower(str(c.body, "email"))]
	if u == nil || u.Password != c.body["password"] {
		fieldErrors(c.w, map[string]any{"non_field_errors": []string{"Unable to log in with provided credentials."}})
		return nil
	}
	return u
}

func (s *Server) login(c *call) {
	if u := s.credentials(c); u != nil {
		writeJSON(c.w, http.StatusOK, map[string]any{"token": s.issue(u)})
	}
}

// refresh renews a token that is still valid, as djangorestframework-jwt's
// refresh view does: it takes the token alone (the e-mail and password the
// integration guide shows are checked when sent). An expired or revoked
// token is refused: 400 with the reason, or simplejwt's 401.
func (s *Server) refresh(c *call) {
	if !required(c, "token") {
		return
	}
	var caller *user
	if _, sent := c.body["password"]; sent {
		if caller = s.credentials(c); caller == nil {
			return
		}
	}
	owner, err := s.verify(str(c.body, "token"))
	if err == nil && caller != nil && caller != owner {
		err = errNotYours
	}
	if err != nil {
		if s.simpleJWT != 0 {
			writeJSON(c.w, http.StatusUnauthorized, map[string]any{"detail": "Token is invalid or expired", "code": "token_not_valid"})
			return
		}
		fieldErrors(c.w, map[string]any{"non_field_errors": []string{err.Error()}})
		return
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"token": s.issue(owner)})
}

func (s *Server) register(c *call) {
	if !required(c, "email", "password", "origin") {
		return
	}
	email := str(c.body, "email")
	if !strings.Contains(email, "@") {
		fieldErrors(c.w, map[string]any{"email": []string{"Enter a valid email address."}})
		return
	}
	if s.users[strings.ToLower(email)] != nil {
		fieldErrors(c.w, map[string]any{"email": []string{"A user is already registered with this e-mail address."}})
		return
	}
	u := s.addUser(email, str(c.body, "password"), str(c.body, "origin"))
	writeJSON(c.w, http.StatusCreated, map[string]any{"token": s.issue(u)})
}

func renderUser(u *user) map[string]any {
	return map[string]any{"id": u.ID, "email": u.Email, "name": "", "surname": "", "first_name": "", "origin": u.Origin}
}

func (s *Server) changePassword(c *call) {
	if !required(c, "password", "old_password") {
		return
	}
	if c.body["old_password"] != c.user.Password {
		fieldErrors(c.w, map[string]any{"old_password": []string{"Wrong password."}})
		return
	}
	c.user.Password = str(c.body, "password")
	writeJSON(c.w, http.StatusOK, renderUser(c.user))
}
