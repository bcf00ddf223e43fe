package transport

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/secret"
)

// Auth puts credentials on outgoing requests. Every header Apply sets is
// a credential: the engine registers its values as secrets (cut out of every
// log record and error for the client's life), never sends them to another
// host or over plain http after a redirect, and refuses, before sending, a
// value with a control character. An implementation holds its credentials
// in secret.String fields, or is a pointer, so that printing it reveals
// none.
type Auth interface {
	// Apply sets the credentials on h, an empty header. It returns the
	// credential it used, so that a Refresher can later invalidate exactly
	// that one.
	Apply(ctx context.Context, h http.Header) (credential string, err error)
	// Identity names the credential to the rate limiter: a digest made
	// with Identity, from which the credential cannot be recovered, that
	// stays the same while the credential's limits do (a renewed token of
	// the same account keeps the account's identity). It is "" for requests
	// without credentials.
	Identity() string
}

// Refresher is an Auth whose credentials can be renewed. After a 401 the
// engine invalidates the credential the request carried and replays the
// request once with fresh credentials.
type Refresher interface {
	Auth
	// Invalidate forgets credential if it is still the current one.
	Invalidate(credential string)
}

// NoAuth sends no credentials, for calls such as a login.
var NoAuth Auth = noAuth{}

type noAuth struct{}

func (noAuth) Apply(context.Context, http.Header) (string, error) { return "", nil }

func (noAuth) Identity() string { return "" }

// HeaderAuth sends a fixed credential in one header, such as
// X-API-Key: <key> or Authorization: Bearer <key>. Build it with
// NewHeaderAuth. It holds the credential in a secret.String, so that no
// formatting of it, or of a value that holds it, prints the credential.
type HeaderAuth struct {
	name     string
	value    secret.String
	identity string
}

// NewHeaderAuth returns an Auth that sets header name to value. Its
// identity, for the rate limiter, is the digest of value.
func NewHeaderAuth(name, value string) *HeaderAuth {
	return &HeaderAuth{name: http.CanonicalHeaderKey(name), value: secret.New(value), identity: Identity(value)}
}

// Apply sets the header.
func (a *HeaderAuth) Apply(_ context.Context, h http.Header) (string, error) {
	v := a.value.Reveal()
	h[a.name] = []string{v}
	return v, nil
}

// Identity names the credential to the rate limiter.
func (a *HeaderAuth) Identity() string { return a.identity }

// Token is an access token and the time it stops working. fmt's verbs and
// log/slog print its expiry and a placeholder for its value.
type Token struct {
	Value  string
	Expiry time.Time
}

// Format prints the placeholder for the token's value, and its expiry,
// for every verb.
func (t Token) Format(f fmt.State, _ rune) {
	_, _ = fmt.Fprintf(f, "{%s %s}", secret.Placeholder, t.Expiry.Format(time.RFC3339))
}

// LogValue returns the placeholder for the token's value, and its expiry,
// for log/slog.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(slog.String("value", secret.Placeholder), slog.Time("expiry", t.Expiry))
}

// TokenSource obtains a new token. current is the token in use (zero at
// first), for sources that refresh rather than log in again. The context
// passed is detached from any one caller's cancellation and bounded by
// TokenOptions.FetchTimeout.
type TokenSource func(ctx context.Context, current Token) (Token, error)

// TokenOptions tune a TokenAuth.
type TokenOptions struct {
	// Header is the header carrying the token; default Authorization.
	Header string
	// Scheme precedes the token in the header ("Bearer", "JWT"); empty sends
	// the token alone.
	Scheme string
	// Lifetime is assumed when a token has neither an Expiry from its source
	// nor a readable JWT exp claim.
	Lifetime time.Duration
	// Margin is how long before expiry a token is renewed; it is capped at
	// half the token's lifetime.
	Margin time.Duration
	// FetchTimeout bounds one call of the source; default one minute.
	FetchTimeout time.Duration
	// OnToken is called with every new token, before anyone uses it (the
	// engine registers it as a secret to redact).
	OnToken func(string)
	// Identity names the account to the rate limiter (see Auth.Identity).
	Identity string
	// Clock tells the time; nil means the system clock.
	Clock clock.Clock
}

// TokenAuth sends a cached token and renews it: a margin before it expires,
// and after the server rejects it. Only one renewal runs at a time; callers
// that need a token meanwhile wait for that renewal (each within its own
// context), and the renewal itself is not cancelled when the caller that
// started it gives up. It holds the token in a secret.String, so that no
// formatting of it prints the token.
type TokenAuth struct {
	source TokenSource
	opts   TokenOptions

	mu        sync.Mutex
	token     secret.String
	expiry    time.Time
	refreshAt time.Time
	inflight  *tokenCall
}

// tokenCall is one renewal; waiters read its outcome once done is closed.
type tokenCall struct {
	done   chan struct{}
	token  secret.String
	expiry time.Time
	err    error
}

// NewTokenAuth returns a TokenAuth that obtains tokens from source.
func NewTokenAuth(source TokenSource, opts TokenOptions) *TokenAuth {
	if opts.Header == "" {
		opts.Header = "Authorization"
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real
	}
	if opts.FetchTimeout <= 0 {
		opts.FetchTimeout = time.Minute
	}
	if opts.Lifetime <= 0 {
		opts.Lifetime = time.Hour
	}
	return &TokenAuth{source: source, opts: opts}
}

// Apply sets the header to the current token, obtaining one first if needed.
func (a *TokenAuth) Apply(ctx context.Context, h http.Header) (string, error) {
	tok, err := a.Token(ctx)
	if err != nil {
		return "", err
	}
	if a.opts.Scheme != "" {
		h.Set(a.opts.Header, a.opts.Scheme+" "+tok.Value)
	} else {
		h.Set(a.opts.Header, tok.Value)
	}
	return tok.Value, nil
}

// Identity names the account to the rate limiter.
func (a *TokenAuth) Identity() string { return a.opts.Identity }

// Token returns a token that is not due for renewal, obtaining one if needed.
func (a *TokenAuth) Token(ctx context.Context) (Token, error) {
	a.mu.Lock()
	current := Token{Value: a.token.Reveal(), Expiry: a.expiry}
	if current.Value != "" && a.opts.Clock.Now().Before(a.refreshAt) {
		a.mu.Unlock()
		return current, nil
	}
	call := a.inflight
	if call == nil {
		call = &tokenCall{done: make(chan struct{})}
		a.inflight = call
		go a.fetch(context.WithoutCancel(ctx), call, current)
	}
	a.mu.Unlock()
	select {
	case <-call.done:
		return Token{Value: call.token.Reveal(), Expiry: call.expiry}, call.err
	case <-ctx.Done():
		return Token{}, ctx.Err()
	}
}

func (a *TokenAuth) fetch(ctx context.Context, call *tokenCall, current Token) {
	ctx, cancel := context.WithTimeout(ctx, a.opts.FetchTimeout)
	defer cancel()
	tok, err := a.source(ctx, current)
	now := a.opts.Clock.Now()
	if err == nil && tok.Expiry.IsZero() {
		tok.Expiry = expiry(tok.Value, now, a.opts.Lifetime)
	}
	if err == nil && a.opts.OnToken != nil {
		a.opts.OnToken(tok.Value)
	}
	a.mu.Lock()
	if err == nil {
		a.token, a.expiry = secret.New(tok.Value), tok.Expiry
		a.refreshAt = tok.Expiry.Add(-min(a.opts.Margin, tok.Expiry.Sub(now)/2))
	}
	a.inflight = nil
	a.mu.Unlock()
	call.token, call.expiry, call.err = secret.New(tok.Value), tok.Expiry, err
	close(call.done)
}

// Invalidate forgets credential if it is the current token, so that the next
// Apply obtains a new one. Invalidating a token that was already replaced
// does nothing: many requests rejected with the same old token cause one
// renewal.
func (a *TokenAuth) Invalidate(credential string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.token.Reveal() == credential {
		a.token, a.expiry = secret.String{}, time.Time{}
	}
}

// JWTExpiry reads the exp claim of a JWT without verifying its signature
// (the SDK only needs to know when to renew it).
func JWTExpiry(token string) (time.Time, bool) {
	exp, _, ok := jwtTimes(token)
	return exp, ok
}

// jwtTimes reads the exp and iat claims of a JWT without verifying it; iat
// is zero when absent.
func jwtTimes(token string) (exp, iat time.Time, ok bool) {
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(token, claims); err != nil {
		return time.Time{}, time.Time{}, false
	}
	e, err := claims.GetExpirationTime()
	if err != nil || e == nil {
		return time.Time{}, time.Time{}, false
	}
	if i, err := claims.GetIssuedAt(); err == nil && i != nil {
		iat = i.Time
	}
	return e.Time, iat, true
}

// expiry returns when a token obtained at now stops working, by this
// client's clock: its JWT exp when that lies ahead; when exp is not ahead
// (the issuer's clock runs behind ours), now plus the token's own lifetime,
// exp - iat; else now plus lifetime, the documented one.
func expiry(token string, now time.Time, lifetime time.Duration) time.Time {
	exp, iat, ok := jwtTimes(token)
	switch {
	case !ok:
		return now.Add(lifetime)
	case exp.After(now):
		return exp
	case !iat.IsZero() && exp.After(iat):
		return now.Add(exp.Sub(iat))
	default:
		return now.Add(lifetime)
	}
}
