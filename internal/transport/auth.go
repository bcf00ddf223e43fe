package transport

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/partnerkit/partnerkit-go"
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
// first, and after the server refused it), for sources that refresh rather
// than log in again; with a TokenStore it may be a token another process
// obtained. The context passed is detached from any one caller's
// cancellation and bounded by TokenOptions.FetchTimeout.
type TokenSource func(ctx context.Context, current Token) (Token, error)

// Defaults of TokenOptions.
const (
	// DefaultFetchTimeout bounds one call of the source.
	DefaultFetchTimeout = time.Minute
	// DefaultStoreTimeout bounds one call of the store.
	DefaultStoreTimeout = 2 * time.Second
	// DefaultLockTTL is how long a renewal lock lasts when its holder does
	// not release it.
	DefaultLockTTL = 10 * time.Second
	// DefaultStorePoll is how often a process waiting for another's
	// renewal reads the store.
	DefaultStorePoll = 50 * time.Millisecond
)

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
	// FetchTimeout bounds one renewal (the source's call, and the waits
	// for another process's renewal); default DefaultFetchTimeout.
	FetchTimeout time.Duration
	// OnToken is called with every token the auth starts to use (obtained
	// from the source, found in the store, or given to Seed), before anyone
	// uses it: the engine registers it as a secret to redact.
	OnToken func(string)
	// Identity names the account to the rate limiter (see Auth.Identity).
	Identity string
	// Clock tells the time; nil means the system clock. Token expiry is
	// judged by it. The store's lock and the waits for another process's
	// renewal go by the system clock, as the store's own times do.
	Clock clock.Clock

	// Store shares the account's token with the other clients of the
	// account (see partnerkit.TokenStore); nil gives the auth a
	// MemoryTokenStore of its own.
	Store partnerkit.TokenStore
	// StoreKey names the account in Store: a provider's name and a digest
	// of the account, never a credential.
	StoreKey string
	// StoreTimeout bounds one call of the store; default
	// DefaultStoreTimeout.
	StoreTimeout time.Duration
	// LockTTL is the life of the renewal lock this auth takes: the longest
	// the others wait for a holder that died. Default DefaultLockTTL,
	// capped at half of FetchTimeout, one millisecond at least.
	LockTTL time.Duration
	// StorePoll is how often the auth reads the store while another
	// process renews; default DefaultStorePoll.
	StorePoll time.Duration
	// Logger receives a warning when the store fails (once, until it
	// answers again) and a record when it answers again; nil logs nothing.
	Logger *slog.Logger
}

// TokenAuth sends a cached token and renews it: a margin before it expires,
// and after the server rejects it. Only one renewal runs at a time in the
// process; callers that need a token meanwhile wait for that renewal (each
// within its own context), and the renewal itself is not cancelled when the
// caller that started it gives up.
//
// Its TokenStore makes renewals single-flight across processes too: a
// renewal first reads the store, uses a token another process stored when
// it is not due for renewal, and otherwise obtains one under the store's
// renewal lock, or waits for the process that holds it (see
// partnerkit.TokenStore). When the store fails, the auth renews on its
// own: a call never fails because of the store.
//
// It holds the token in a secret.String, so that no formatting of it
// prints the token.
type TokenAuth struct {
	source TokenSource
	opts   TokenOptions
	store  partnerkit.TokenStore

	mu        sync.Mutex
	token     secret.String
	expiry    time.Time
	refreshAt time.Time
	refused   secret.String // the token the server refused last, until another replaces it
	inflight  *tokenCall

	storeDown atomic.Bool // the store failed; logged once until it answers again
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
		opts.FetchTimeout = DefaultFetchTimeout
	}
	if opts.Lifetime <= 0 {
		opts.Lifetime = time.Hour
	}
	if opts.StoreTimeout <= 0 {
		opts.StoreTimeout = DefaultStoreTimeout
	}
	if opts.LockTTL <= 0 {
		opts.LockTTL = DefaultLockTTL
	}
	opts.LockTTL = max(min(opts.LockTTL, opts.FetchTimeout/2), time.Millisecond)
	if opts.StorePoll <= 0 {
		opts.StorePoll = DefaultStorePoll
	}
	if opts.StoreKey == "" {
		opts.StoreKey = "token"
	}
	store := opts.Store
	if store == nil {
		store = partnerkit.NewMemoryTokenStore()
	}
	opts.Store = nil
	return &TokenAuth{source: source, opts: opts, store: store}
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

// Seed makes value the current token, as if just obtained from the source:
// a token the caller obtained otherwise (a registration's, one saved
// earlier). Its expiry is read from it as for a fetched token. It is not
// stored: the store receives the tokens the auth renews.
func (a *TokenAuth) Seed(value string) {
	if value == "" {
		return
	}
	if a.opts.OnToken != nil {
		a.opts.OnToken(value)
	}
	now := a.opts.Clock.Now()
	exp := expiry(value, now, a.opts.Lifetime)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.token, a.expiry, a.refreshAt = secret.New(value), exp, renewAt(exp, now, a.opts.Margin)
}

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
		go a.fetch(context.WithoutCancel(ctx), call, current, a.refused.Reveal())
	}
	a.mu.Unlock()
	select {
	case <-call.done:
		return Token{Value: call.token.Reveal(), Expiry: call.expiry}, call.err
	case <-ctx.Done():
		return Token{}, ctx.Err()
	}
}

// fetch is one renewal: it obtains a token (see renew), makes it the
// current one and hands it to the callers waiting on call.
func (a *TokenAuth) fetch(ctx context.Context, call *tokenCall, current Token, refused string) {
	ctx, cancel := context.WithTimeout(ctx, a.opts.FetchTimeout)
	defer cancel()
	tok, err := a.renew(ctx, current, refused)
	value := tok.Value()
	if err == nil && a.opts.OnToken != nil {
		a.opts.OnToken(value)
	}
	a.mu.Lock()
	if err == nil {
		a.token, a.expiry = secret.New(value), tok.Expiry
		a.refreshAt = a.dueAt(tok)
		a.refused = secret.String{}
	}
	a.inflight = nil
	a.mu.Unlock()
	call.token, call.expiry, call.err = secret.New(value), tok.Expiry, err
	close(call.done)
}

// renewAt returns when a token that expires at exp, obtained at obtained,
// is due for renewal: margin before exp, at most half its life before.
func renewAt(exp, obtained time.Time, margin time.Duration) time.Time {
	return exp.Add(-min(margin, exp.Sub(obtained)/2))
}

// renew returns the token to use from now on: one the store holds that is
// neither due for renewal nor refused, or a new one from the source,
// obtained under the store's renewal lock. current is the token in use;
// refused, the one the server refused last (or ""). When the store fails,
// it obtains a token on its own.
func (a *TokenAuth) renew(ctx context.Context, current Token, refused string) (partnerkit.Token, error) {
	var waitedSince time.Time // when another process's lock was first found
	for {
		stored, err := a.load(ctx)
		if err != nil {
			return a.alone(ctx, current, err)
		}
		a.storeAnswers()
		if a.usable(stored, refused) {
			return stored, nil
		}
		switch {
		case stored.IsZero():
		case refused != "" && stored.Value() == refused:
			if err := a.compareAndDelete(ctx, stored); err != nil {
				return a.alone(ctx, current, err)
			}
		case a.opts.Clock.Now().Before(stored.Expiry) && stored.Expiry.After(current.Expiry):
			// Due for renewal but still valid, and newer than ours: the
			// token to refresh.
			current = Token{Value: stored.Value(), Expiry: stored.Expiry}
		}
		unlock, ok, err := a.lock(ctx)
		if err != nil {
			return a.alone(ctx, current, err)
		}
		if ok {
			return a.renewLocked(ctx, unlock, current, refused)
		}
		now := time.Now()
		if waitedSince.IsZero() {
			waitedSince = now
		} else if now.Sub(waitedSince) >= a.opts.LockTTL {
			// The lock stayed taken longer than a lock lives: holders that
			// keep failing, or a store that misbehaves. Renew without it.
			tok, err := a.obtain(ctx, current)
			if err == nil {
				a.save(ctx, tok)
			}
			return tok, err
		}
		if err := clock.Real.Sleep(ctx, a.opts.StorePoll); err != nil {
			return partnerkit.Token{}, err
		}
	}
}

// renewLocked obtains a token while holding the renewal lock, stores it,
// and releases the lock, even when ctx has ended.
func (a *TokenAuth) renewLocked(ctx context.Context, unlock func(context.Context) error, current Token, refused string) (partnerkit.Token, error) {
	defer func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.opts.StoreTimeout)
		defer cancel()
		_ = unlock(uctx)
	}()
	// Another process may have stored a token between the load and the lock.
	if stored, err := a.load(ctx); err == nil && a.usable(stored, refused) {
		return stored, nil
	}
	tok, err := a.obtain(ctx, current)
	if err != nil {
		return partnerkit.Token{}, err
	}
	a.save(ctx, tok)
	return tok, nil
}

// alone obtains a token without the store, which failed with err.
func (a *TokenAuth) alone(ctx context.Context, current Token, err error) (partnerkit.Token, error) {
	a.storeFailed(err)
	return a.obtain(ctx, current)
}

// obtain calls the source and dates the token it returns.
func (a *TokenAuth) obtain(ctx context.Context, current Token) (partnerkit.Token, error) {
	tok, err := a.source(ctx, current)
	if err != nil {
		return partnerkit.Token{}, err
	}
	now := a.opts.Clock.Now()
	if tok.Expiry.IsZero() {
		tok.Expiry = expiry(tok.Value, now, a.opts.Lifetime)
	}
	return partnerkit.NewToken(tok.Value, tok.Expiry, now), nil
}

// usable reports whether a stored token may be used: it is neither the
// refused one nor due for renewal.
func (a *TokenAuth) usable(tok partnerkit.Token, refused string) bool {
	return !tok.IsZero() && tok.Value() != refused && a.opts.Clock.Now().Before(a.dueAt(tok))
}

// dueAt returns when tok is due for renewal. A token whose Obtained is
// unknown (zero, or after its expiry) is renewed the whole margin before
// its expiry.
func (a *TokenAuth) dueAt(tok partnerkit.Token) time.Time {
	obtained := tok.Obtained
	if obtained.After(tok.Expiry) {
		obtained = time.Time{}
	}
	return renewAt(tok.Expiry, obtained, a.opts.Margin)
}

// storeCtx bounds one call of the store.
func (a *TokenAuth) storeCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, a.opts.StoreTimeout)
}

func (a *TokenAuth) load(ctx context.Context) (partnerkit.Token, error) {
	sctx, cancel := a.storeCtx(ctx)
	defer cancel()
	return a.store.Load(sctx, a.opts.StoreKey)
}

func (a *TokenAuth) compareAndDelete(ctx context.Context, old partnerkit.Token) error {
	sctx, cancel := a.storeCtx(ctx)
	defer cancel()
	_, err := a.store.CompareAndDelete(sctx, a.opts.StoreKey, old)
	return err
}

func (a *TokenAuth) lock(ctx context.Context) (func(context.Context) error, bool, error) {
	sctx, cancel := a.storeCtx(ctx)
	defer cancel()
	unlock, ok, err := a.store.Lock(sctx, a.opts.StoreKey, a.opts.LockTTL)
	if err == nil && ok && unlock == nil {
		unlock = func(context.Context) error { return nil }
	}
	return unlock, ok, err
}

// save stores tok; a failure only means the others will not find it.
func (a *TokenAuth) save(ctx context.Context, tok partnerkit.Token) {
	sctx, cancel := a.storeCtx(context.WithoutCancel(ctx))
	defer cancel()
	if err := a.store.Store(sctx, a.opts.StoreKey, tok); err != nil {
		a.storeFailed(err)
	}
}

// storeFailed logs, once until the store answers again, that the auth
// renews without it.
func (a *TokenAuth) storeFailed(err error) {
	if a.storeDown.Swap(true) || a.opts.Logger == nil {
		return
	}
	a.opts.Logger.LogAttrs(context.Background(), slog.LevelWarn,
		"partnerkit: the token store failed; renewing tokens without it until it answers again",
		slog.String("error", err.Error()))
}

// storeAnswers logs that the store answers again after a failure.
func (a *TokenAuth) storeAnswers() {
	if !a.storeDown.Swap(false) || a.opts.Logger == nil {
		return
	}
	a.opts.Logger.LogAttrs(context.Background(), slog.LevelInfo,
		"partnerkit: the token store answers again; renewals go through it")
}

// Invalidate forgets credential if it is the current token, so that the next
// Apply obtains a new one. Invalidating a token that was already replaced
// does nothing: many requests rejected with the same old token cause one
// renewal. The next renewal removes the token from the store too, if it is
// still the one stored, and does not take it from there again.
func (a *TokenAuth) Invalidate(credential string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.token.Reveal() == credential {
		a.token, a.expiry = secret.String{}, time.Time{}
		a.refused = secret.New(credential)
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
