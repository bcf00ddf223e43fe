package chekin

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Paths of the account calls.
const (
	tokenPath        = "/token/"
	refreshPath      = "/token/refresh/"
	registrationPath = "/auth/registration/"
	mePath           = "/users/me/"
)

// tokenAnswer is CheKin's answer to a login, a refresh or a registration.
type tokenAnswer struct {
	Token string `json:"token"`
}

// credentials returns the account's e-mail and password, and takes the
// token to start with, if one is waiting.
func (c *Client) credentials() (email, password, seed string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	seed, c.seed = c.seed, ""
	return c.email, c.password, seed
}

// fetchToken is the client's token source. With a current token (a renewal
// before expiry) it asks POST /token/refresh/ for a new one and, when CheKin
// refuses the refresh, logs in again with POST /token/. Without one (the
// first call, or after CheKin rejected the token with a 401) it logs in.
// Both go out without credentials, so a refused login is never replayed.
func (c *Client) fetchToken(ctx context.Context, current transport.Token) (transport.Token, error) {
	email, password, seed := c.credentials()
	if seed != "" {
		return transport.Token{Value: seed}, nil
	}
	if current.Value != "" {
		tok, err := c.requestToken(ctx, refreshPath, map[string]string{"email": email, "password": password, "token": current.Value})
		if !refused(err) {
			return tok, err
		}
	}
	return c.requestToken(ctx, tokenPath, map[string]string{"email": email, "password": password})
}

// refused reports whether CheKin answered a token request with a refusal
// (a 4xx other than 429), after which a login may still succeed. A server
// error, a throttled request or a network failure would fail a login too.
func refused(err error) bool {
	var apiErr *partnerkit.Error
	return err != nil && errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 &&
		apiErr.StatusCode != http.StatusTooManyRequests
}

// requestToken posts body to path and returns the token of the answer. A
// refusal (CheKin answers bad credentials with a 400) matches
// partnerkit.ErrUnauthorized and keeps CheKin's message.
func (c *Client) requestToken(ctx context.Context, path string, body map[string]string) (transport.Token, error) {
	var out tokenAnswer
	err := c.t.Do(ctx, &transport.Request{
		Method: http.MethodPost, Path: path, Body: body,
		Auth: transport.NoAuth, Safety: transport.Idempotent,
	}, &out)
	if err != nil {
		var apiErr *partnerkit.Error
		if refused(err) && errors.As(err, &apiErr) {
			apiErr.Kind = partnerkit.ErrUnauthorized
		}
		return transport.Token{}, err
	}
	if out.Token == "" {
		return transport.Token{}, &partnerkit.Error{
			Provider: provider, Method: http.MethodPost, Path: path, Kind: partnerkit.ErrUnexpected,
			Message: "the answer has no token",
		}
	}
	return transport.Token{Value: out.Token}, nil
}

// Token returns the JWT the client currently sends, logging in first if it
// has none or it is due for renewal. Keep it secret: it gives access to the
// whole account.
func (c *Client) Token(ctx context.Context) (string, error) {
	tok, err := c.auth.Token(ctx)
	if err != nil {
		return "", err
	}
	return tok.Value, nil
}

// Registration is a new CheKin account for one of the partner's users.
type Registration struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	// Origin is the partner's fixed name inside CheKin, agreed with CheKin
	// when the partner's test account was made.
	Origin string `json:"origin"`
}

// Register creates a CheKin account for a user of the partner's system
// (POST /auth/registration/) and returns a client for it, already holding
// the token CheKin issued (Client.Token returns it). CheKin then e-mails the
// user their credentials. It is not retried once it may have reached
// CheKin.
func Register(ctx context.Context, r *Registration, opts ...partnerkit.Option) (*Client, error) {
	var v validate.Errors
	if v.NotNil("registration", r != nil) {
		v.Email("Email", r.Email)
		v.Required("Password", r.Password)
		v.Required("Origin", r.Origin)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	c, err := New(r.Email, r.Password, opts...)
	if err != nil {
		return nil, err
	}
	var out tokenAnswer
	err = c.t.Do(ctx, &transport.Request{
		Method: http.MethodPost, Path: registrationPath, Body: r,
		Auth: transport.NoAuth, Safety: transport.NotIdempotent,
	}, &out)
	if err != nil {
		return nil, err
	}
	if out.Token != "" {
		c.t.AddSecret(out.Token)
		c.mu.Lock()
		c.seed = out.Token
		c.mu.Unlock()
	}
	return c, nil
}

// UsersService manages the account's own user.
type UsersService struct {
	c *Client
}

// User is a CheKin user. Raw holds it exactly as received.
type User struct {
	ID        partnerkit.ID `json:"id"`
	Email     string        `json:"email"`
	Name      string        `json:"name"`
	Surname   string        `json:"surname"`
	FirstName string        `json:"first_name"`

	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a user and keeps the raw JSON in Raw.
func (u *User) UnmarshalJSON(data []byte) error {
	type plain User
	if err := json.Unmarshal(data, (*plain)(u)); err != nil {
		return err
	}
	u.Raw = keepRaw(data)
	return nil
}

// ChangePassword changes the account's password (POST /users/me/) and
// returns the user. The client logs in with the new password from then on.
// It is not retried once it may have reached CheKin.
func (s *UsersService) ChangePassword(ctx context.Context, oldPassword, newPassword string) (*User, error) {
	var v validate.Errors
	v.Required("oldPassword", oldPassword)
	if v.Required("newPassword", newPassword) {
		v.Check(newPassword != oldPassword, "newPassword", "must differ from oldPassword")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	s.c.t.AddSecret(oldPassword)
	s.c.t.AddSecret(newPassword)
	var out User
	err := s.c.t.Do(ctx, &transport.Request{
		Method: http.MethodPost, Path: mePath, Safety: transport.NotIdempotent,
		Body: map[string]string{"password": newPassword, "old_password": oldPassword},
	}, &out)
	if err != nil {
		return nil, err
	}
	s.c.mu.Lock()
	s.c.password = newPassword
	s.c.mu.Unlock()
	return &out, nil
}
