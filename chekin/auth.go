package chekin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/secret"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Paths of the account calls.
const (
	tokenPath        = "/token/"
	refreshPath      = "/token/refresh/"
	registrationPath = "/auth/registration/"
)

// tokenSource obtains the tokens of one account. current is the token in
// use (zero at first, and after CheKin refused it), which may have been
// obtained by another client of the account through a shared
// partnerkit.TokenStore. The client's source is its account, which logs in
// and refreshes.
type tokenSource interface {
	token(ctx context.Context, current transport.Token) (transport.Token, error)
}

// account is the client's own token source: the account's credentials and
// the calls that turn them into tokens. The credentials are held as
// secret.String, so that no printing of a client shows them.
type account struct {
	t    *transport.Client    // without credentials: token calls carry none
	auth *transport.TokenAuth // the engine's cache of the account's token

	mu       sync.Mutex
	email    string
	password secret.String
}

func newAccount(t *transport.Client, email string, password secret.String) *account {
	return &account{t: t, email: email, password: password}
}

// credentials returns the account's e-mail and password.
func (a *account) credentials() (email, password string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.email, a.password.Reveal()
}

// storeKey names the account in a partnerkit.TokenStore: the provider and
// a digest of the base URL and the lower-cased e-mail address, so that the
// accounts of a sandbox and of production never share a token. Neither the
// address nor the password can be read back from it.
func storeKey(baseURL, email string) string {
	return provider + ":" + transport.Identity(baseURL, strings.ToLower(email))
}

// setPassword replaces the password the account logs in with.
func (a *account) setPassword(password string) {
	a.t.AddSecret(password)
	a.mu.Lock()
	a.password = secret.New(password)
	a.mu.Unlock()
}

// refreshSlack is how long before its expiry a token is no longer worth
// refreshing: the refresh could reach CheKin after the token expired.
const refreshSlack = 10 * time.Second

// token is the account's token source. A token still valid (a renewal a
// margin before expiry) is refreshed with POST /token/refresh/, which takes
// the token alone, as djangorestframework-jwt's refresh view does; when
// CheKin refuses the refresh, the account logs in with POST /token/. A token
// that has expired is not refreshed: Django REST Framework's JWT packages
// (simplejwt, djangorestframework-jwt) refuse to refresh it, so the account
// logs in at once, as it does without a token (the first call, and after
// CheKin refused the token). Both calls go out without credentials, so a
// refused login is never replayed.
func (a *account) token(ctx context.Context, current transport.Token) (transport.Token, error) {
	email, password := a.credentials()
	if current.Value != "" && a.t.Clock().Now().Before(current.Expiry.Add(-refreshSlack)) {
		tok, err := a.requestToken(ctx, refreshPath, map[string]string{"token": current.Value})
		if !refusedLogin(err) {
			return tok, err
		}
	}
	return a.requestToken(ctx, tokenPath, map[string]string{"email": email, "password": password})
}

// refusedLogin reports whether CheKin answered a token request with a
// refusal (a 4xx other than 429), after which a login may still succeed. A
// server error, a throttled request or a network failure would fail a
// login too.
func refusedLogin(err error) bool {
	var apiErr *partnerkit.Error
	return err != nil && errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 &&
		apiErr.StatusCode != http.StatusTooManyRequests
}

// tokenAnswer is CheKin's answer to a login, a refresh or a registration.
type tokenAnswer struct {
	Token string `json:"token"`
}

// requestToken posts body to path and returns the token of the answer. A
// refusal (CheKin answers bad credentials with a 400) matches
// partnerkit.ErrUnauthorized and keeps CheKin's message.
func (a *account) requestToken(ctx context.Context, path string, body map[string]string) (transport.Token, error) {
	var out tokenAnswer
	err := a.t.Do(ctx, &transport.Request{
		Method: http.MethodPost, Path: path, Body: body,
		Auth: transport.NoAuth, Safety: transport.Idempotent,
		Expect: func() string {
			if out.Token == "" {
				return "the answer has no token"
			}
			return ""
		},
	}, &out)
	if err != nil {
		var apiErr *partnerkit.Error
		if refusedLogin(err) && errors.As(err, &apiErr) {
			apiErr.Kind = partnerkit.ErrUnauthorized
		}
		return transport.Token{}, err
	}
	return transport.Token{Value: out.Token}, nil
}

// Token returns the JWT the client currently sends, logging in first if it
// has none or it is due for renewal. Keep it secret: it gives access to the
// whole account.
func (c *Client) Token(ctx context.Context) (string, error) {
	tok, err := c.account.auth.Token(ctx)
	if err != nil {
		return "", err
	}
	return tok.Value, nil
}

// RegisterParams create a CheKin account for one of the partner's users.
type RegisterParams struct {
	// Email and Password are the new account's credentials.
	Email    string            `json:"email"`
	Password partnerkit.Secret `json:"password"`
	// Origin is the partner's fixed name inside CheKin, agreed with CheKin
	// when the partner's test account was made.
	Origin string `json:"origin"`
}

// LogValue logs the params for log/slog with the password as a placeholder.
func (p RegisterParams) LogValue() slog.Value { return secret.LogValue(p) }

// Format prints the value as fmt would, with its secrets as a placeholder,
// for every verb, also where it is met behind a pointer.
func (p RegisterParams) Format(f fmt.State, verb rune) { secret.Format(f, verb, p) }

// Register creates a CheKin account for a user of the partner's system
// (POST /auth/registration/) and returns a client for it, already holding
// the token CheKin issued (Client.Token returns it). CheKin then e-mails the
// user their credentials. It is not retried once it may have reached
// CheKin.
func Register(ctx context.Context, params *RegisterParams, opts ...partnerkit.Option) (*Client, error) {
	var v validate.Errors
	if v.NotNil("params", params != nil) {
		v.Email("Email", params.Email)
		v.Credential("Password", string(params.Password))
		v.Required("Origin", params.Origin)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	c, err := New(params.Email, string(params.Password), opts...)
	if err != nil {
		return nil, err
	}
	var out tokenAnswer
	err = c.t.Do(ctx, &transport.Request{
		Method: http.MethodPost, Path: registrationPath, Body: params,
		Auth: transport.NoAuth, Safety: transport.NotIdempotent,
	}, &out)
	if err != nil {
		return nil, err
	}
	c.account.auth.Seed(out.Token)
	return c, nil
}
