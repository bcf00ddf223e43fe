package transport

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
)

func signedJWT(t testing.TB, exp time.Time, n int) string {
	t.Helper()
	claims := jwt.MapClaims{"sub": "user-1", "n": n}
	if !exp.IsZero() {
		claims["exp"] = exp.Unix()
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte("test-signing-key"))
	require.NoError(t, err)
	return s
}

// countingSource issues JWTs that live for lifetime on clk.
type countingSource struct {
	t        testing.TB
	clk      clock.Clock
	lifetime time.Duration
	calls    atomic.Int32
	gate     chan struct{} // when set, fetches wait for it
}

func (s *countingSource) fetch(ctx context.Context, _ Token) (Token, error) {
	n := s.calls.Add(1)
	if s.gate != nil {
		select {
		case <-s.gate:
		case <-ctx.Done():
			return Token{}, ctx.Err()
		}
	}
	return Token{Value: signedJWT(s.t, s.clk.Now().Add(s.lifetime), int(n))}, nil
}

func TestJWTExpiry(t *testing.T) {
	t.Parallel()
	exp := epoch.Add(time.Hour)
	got, ok := JWTExpiry(signedJWT(t, exp, 1))
	require.True(t, ok)
	require.True(t, exp.Equal(got))
	_, ok = JWTExpiry(signedJWT(t, time.Time{}, 1))
	require.False(t, ok, "no exp claim")
	_, ok = JWTExpiry("not-a-jwt")
	require.False(t, ok)
}

func TestTokenIsCachedAndRenewedBeforeExpiry(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	src := &countingSource{t: t, clk: clk, lifetime: time.Hour}
	a := NewTokenAuth(src.fetch, TokenOptions{Scheme: "JWT", Margin: 5 * time.Minute, Clock: clk})
	h := http.Header{}
	first, err := a.Apply(context.Background(), h)
	require.NoError(t, err)
	require.Equal(t, "JWT "+first, h.Get("Authorization"))

	clk.Advance(54 * time.Minute)
	again, err := a.Apply(context.Background(), h)
	require.NoError(t, err)
	require.Equal(t, first, again, "still more than the margin before expiry")
	require.EqualValues(t, 1, src.calls.Load())

	clk.Advance(2 * time.Minute) // 56 min: inside the 5-minute margin
	renewed, err := a.Apply(context.Background(), h)
	require.NoError(t, err)
	require.NotEqual(t, first, renewed)
	require.EqualValues(t, 2, src.calls.Load())
}

func TestTokenLifetimeFallbackAndMarginCap(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	calls := 0
	a := NewTokenAuth(func(context.Context, Token) (Token, error) {
		calls++
		return Token{Value: "opaque-token-value"}, nil
	}, TokenOptions{Lifetime: 10 * time.Minute, Margin: time.Hour, Clock: clk})
	_, err := a.Token(context.Background())
	require.NoError(t, err)
	clk.Advance(4 * time.Minute)
	_, err = a.Token(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, calls, "margin is capped at half the lifetime")
	clk.Advance(2 * time.Minute)
	_, err = a.Token(context.Background())
	require.NoError(t, err)
	require.Equal(t, 2, calls)
}

func TestManyCallersOnAnExpiredTokenCauseOneFetch(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	src := &countingSource{t: t, clk: clk, lifetime: time.Hour}
	a := NewTokenAuth(src.fetch, TokenOptions{Scheme: "Bearer", Clock: clk})
	_, err := a.Token(context.Background())
	require.NoError(t, err)
	clk.Advance(2 * time.Hour)

	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodGet, testBase+"/r", jsonResponder(200, `{}`))
	c, err := New(Spec{Provider: "test", BaseURL: testBase, Auth: a},
		mustConfig(t, partnerkit.WithHTTPClient(&http.Client{Transport: mock}), WithClock(clk)))
	require.NoError(t, err)

	const callers = 1000
	var wg sync.WaitGroup
	var failures atomic.Int32
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil) != nil {
				failures.Add(1)
			}
		}()
	}
	wg.Wait()
	require.Zero(t, failures.Load())
	require.EqualValues(t, 2, src.calls.Load(), "one initial fetch and exactly one renewal")
	require.Equal(t, callers, mock.GetTotalCallCount())
}

func TestAWaiterLeavesWithItsContextButTheFetchGoesOn(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	src := &countingSource{t: t, clk: clk, lifetime: time.Hour, gate: make(chan struct{})}
	a := NewTokenAuth(src.fetch, TokenOptions{Clock: clk})

	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		_, err := a.Token(ctx)
		first <- err
	}()
	require.Eventually(t, func() bool { return src.calls.Load() == 1 }, 5*time.Second, time.Millisecond)
	cancel()
	require.ErrorIs(t, <-first, context.Canceled)

	second := make(chan Token, 1)
	go func() {
		tok, _ := a.Token(context.Background())
		second <- tok
	}()
	close(src.gate)
	tok := <-second
	require.NotEmpty(t, tok.Value)
	require.EqualValues(t, 1, src.calls.Load(), "the fetch started by the cancelled caller served the next one")
}

func TestA401RenewsTheTokenAndReplaysOnce(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(epoch)
	src := &countingSource{t: t, clk: clk, lifetime: time.Hour}
	a := NewTokenAuth(src.fetch, TokenOptions{Scheme: "JWT", Clock: clk})
	mock := httpmock.NewMockTransport()
	var tokens []string
	mock.RegisterResponder(http.MethodPost, testBase+"/reservations/", sequence(
		func(r *http.Request) (*http.Response, error) {
			tokens = append(tokens, r.Header.Get("Authorization"))
			return jsonResponder(401, `{"detail":"Signature has expired."}`)(r)
		},
		func(r *http.Request) (*http.Response, error) {
			tokens = append(tokens, r.Header.Get("Authorization"))
			return jsonResponder(201, `{"id":"r1"}`)(r)
		}))
	c, err := New(Spec{Provider: "test", BaseURL: testBase, Auth: a},
		mustConfig(t, partnerkit.WithHTTPClient(&http.Client{Transport: mock}), WithClock(clk)))
	require.NoError(t, err)
	require.NoError(t, c.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/reservations/", Body: map[string]string{}}, nil))
	require.Len(t, tokens, 2)
	require.NotEqual(t, tokens[0], tokens[1], "replayed with the renewed token")
	require.EqualValues(t, 2, src.calls.Load())
}

func TestASecond401IsReturnedNotLooped(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(epoch)
	src := &countingSource{t: t, clk: clk, lifetime: time.Hour}
	a := NewTokenAuth(src.fetch, TokenOptions{Scheme: "JWT", Clock: clk})
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodGet, testBase+"/r", jsonResponder(401, `{"code":"4002","message":"Invalid Authorization header."}`))
	c, err := New(Spec{Provider: "test", BaseURL: testBase, Auth: a, DecodeError: testDecode},
		mustConfig(t, partnerkit.WithHTTPClient(&http.Client{Transport: mock}), WithClock(clk)))
	require.NoError(t, err)
	err = c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil)
	require.ErrorIs(t, err, partnerkit.ErrUnauthorized)
	require.Equal(t, 2, mock.GetTotalCallCount())
	require.EqualValues(t, 2, src.calls.Load())
}

func TestAStaticKeyIsNotReplayedOn401(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{})
	f.mock.RegisterResponder(http.MethodGet, testBase+"/r", jsonResponder(401, `{}`))
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil)
	require.ErrorIs(t, err, partnerkit.ErrUnauthorized)
	require.Equal(t, 1, f.mock.GetTotalCallCount())
}

func TestATokenFetchFailureEndsTheCall(t *testing.T) {
	t.Parallel()
	refused := &partnerkit.Error{StatusCode: 400, Kind: partnerkit.ErrUnauthorized, Message: "Unable to log in with provided credentials."}
	fetches := 0
	a := NewTokenAuth(func(context.Context, Token) (Token, error) {
		fetches++
		return Token{}, refused
	}, TokenOptions{})
	f := newFixture(t, Spec{Auth: a})
	err := f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil)
	require.ErrorIs(t, err, partnerkit.ErrUnauthorized)
	require.Equal(t, 1, fetches)
	require.Zero(t, f.mock.GetTotalCallCount())
}

func TestWithAuthSharesTheClient(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Spec{})
	var got []string
	f.mock.RegisterResponder(http.MethodGet, testBase+"/me", func(r *http.Request) (*http.Response, error) {
		got = append(got, r.Header.Get("Authorization")+"|"+r.Header.Get("X-API-Key"))
		return jsonResponder(200, `{}`)(r)
	})
	shop := f.client.WithAuth(NewHeaderAuth("Authorization", "Bearer shop-key-123456"))
	require.NoError(t, shop.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/me"}, nil))
	require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/me"}, nil))
	require.NoError(t, f.client.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/me", Auth: NoAuth}, nil))
	require.Equal(t, []string{"Bearer shop-key-123456|", "|" + testKey, "|"}, got)
	require.Same(t, f.client.limiter, shop.limiter)
	require.Same(t, f.client.rc, shop.rc)
	require.True(t, strings.HasPrefix(got[0], "Bearer"))
}

func TestATokenIssuedByAClockBehindOursLivesItsOwnLifetime(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	issuer := epoch.Add(-3 * time.Hour) // the issuer's clock runs three hours behind
	tokens := 0
	a := NewTokenAuth(func(context.Context, Token) (Token, error) {
		tokens++
		claims := jwt.MapClaims{"iat": issuer.Unix(), "exp": issuer.Add(time.Hour).Unix()}
		s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte("k"))
		return Token{Value: s}, err
	}, TokenOptions{Clock: clk, Margin: 5 * time.Minute, Lifetime: 2 * time.Hour})
	_, err := a.Token(context.Background())
	require.NoError(t, err)
	clk.Advance(50 * time.Minute)
	_, err = a.Token(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, tokens, "the token lives exp - iat = 1h from its arrival, renewed 5 minutes before")
	clk.Advance(6 * time.Minute)
	_, err = a.Token(context.Background())
	require.NoError(t, err)
	require.Equal(t, 2, tokens)
}

func TestExpiry(t *testing.T) {
	t.Parallel()
	sign := func(claims jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte("k"))
		require.NoError(t, err)
		return s
	}
	hour := time.Hour
	require.True(t, epoch.Add(hour).Equal(expiry(sign(jwt.MapClaims{"exp": epoch.Add(hour).Unix()}), epoch, 5*hour)), "exp ahead")
	require.True(t, epoch.Add(30*time.Minute).Equal(expiry(sign(jwt.MapClaims{"iat": epoch.Add(-2 * hour).Unix(), "exp": epoch.Add(-90 * time.Minute).Unix()}), epoch, 5*hour)), "exp passed: exp - iat")
	require.True(t, epoch.Add(5*hour).Equal(expiry(sign(jwt.MapClaims{"exp": epoch.Add(-hour).Unix()}), epoch, 5*hour)), "exp passed, no iat: the documented lifetime")
	require.True(t, epoch.Add(5*hour).Equal(expiry("opaque-token", epoch, 5*hour)), "not a JWT")
}

func TestARefusalThatIsNotA401RenewsAndReplaysOnce(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(epoch)
	src := &countingSource{t: t, clk: clk, lifetime: time.Hour}
	a := NewTokenAuth(src.fetch, TokenOptions{Scheme: "JWT", Clock: clk})
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodGet, testBase+"/r", sequence(
		jsonResponder(403, `{"code":"token_not_valid","message":"Given token not valid for any token type"}`),
		jsonResponder(200, `{}`),
	))
	refused := func(e *partnerkit.Error) bool { return e.Code == "token_not_valid" }
	c, err := New(Spec{Provider: "test", BaseURL: testBase, Auth: a, DecodeError: testDecode, Refused: refused},
		mustConfig(t, partnerkit.WithHTTPClient(&http.Client{Transport: mock}), WithClock(clk)))
	require.NoError(t, err)
	require.NoError(t, c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil))
	require.Equal(t, 2, mock.GetTotalCallCount())
	require.EqualValues(t, 2, src.calls.Load(), "renewed once")

	mock.RegisterResponder(http.MethodGet, testBase+"/forbidden", jsonResponder(403, `{"code":"permission_denied"}`))
	err = c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/forbidden"}, nil)
	require.ErrorIs(t, err, partnerkit.ErrForbidden)
	require.Equal(t, 3, mock.GetTotalCallCount(), "another 403 is not a refused token")
}

// flakyStore is a MemoryTokenStore that fails, or hangs until its context
// ends, while told to, and counts its calls.
type flakyStore struct {
	*partnerkit.MemoryTokenStore
	fail  atomic.Bool
	hang  atomic.Bool
	calls atomic.Int32
}

func newFlakyStore() *flakyStore {
	return &flakyStore{MemoryTokenStore: partnerkit.NewMemoryTokenStore()}
}

var errStoreDown = errors.New("dial tcp 127.0.0.1:6379: connect: connection refused")

func (s *flakyStore) check(ctx context.Context) error {
	s.calls.Add(1)
	if s.hang.Load() {
		<-ctx.Done()
		return ctx.Err()
	}
	if s.fail.Load() {
		return errStoreDown
	}
	return nil
}

func (s *flakyStore) Load(ctx context.Context, key string) (partnerkit.Token, error) {
	if err := s.check(ctx); err != nil {
		return partnerkit.Token{}, err
	}
	return s.MemoryTokenStore.Load(ctx, key)
}

func (s *flakyStore) Store(ctx context.Context, key string, tok partnerkit.Token) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	return s.MemoryTokenStore.Store(ctx, key, tok)
}

func (s *flakyStore) CompareAndDelete(ctx context.Context, key string, old partnerkit.Token) (bool, error) {
	if err := s.check(ctx); err != nil {
		return false, err
	}
	return s.MemoryTokenStore.CompareAndDelete(ctx, key, old)
}

func (s *flakyStore) Lock(ctx context.Context, key string, ttl time.Duration) (func(context.Context) error, bool, error) {
	if err := s.check(ctx); err != nil {
		return nil, false, err
	}
	return s.MemoryTokenStore.Lock(ctx, key, ttl)
}

// logRecords collects the records of a logger.
type logRecords struct {
	mu      sync.Mutex
	records []slog.Record
}

func (l *logRecords) Enabled(context.Context, slog.Level) bool { return true }
func (l *logRecords) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, r)
	return nil
}
func (l *logRecords) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logRecords) WithGroup(string) slog.Handler      { return l }

// levels returns the level and message of every record.
func (l *logRecords) levels() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, r := range l.records {
		out = append(out, r.Level.String()+" "+r.Message)
	}
	return out
}

func TestAFailingStoreNeverFailsACallAndIsLoggedOnce(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	src := &countingSource{t: t, clk: clk, lifetime: time.Hour}
	store := newFlakyStore()
	var logs logRecords
	a := NewTokenAuth(src.fetch, TokenOptions{Clock: clk, Margin: 5 * time.Minute, Store: store, StoreKey: "test:account", Logger: slog.New(&logs)})
	store.fail.Store(true)
	for range 3 {
		_, err := a.Token(context.Background())
		require.NoError(t, err, "the store's failure is not the call's")
		clk.Advance(time.Hour)
	}
	require.EqualValues(t, 3, src.calls.Load(), "each renewal obtained its token alone")
	const down = "WARN partnerkit: the token store failed; renewing tokens without it until it answers again"
	require.Equal(t, []string{down}, logs.levels(), "said once")
	logs.mu.Lock()
	var logged string
	logs.records[0].Attrs(func(a slog.Attr) bool { logged += a.Key + "=" + a.Value.String(); return true })
	logs.mu.Unlock()
	require.Contains(t, logged, "connection refused", "the store's error")

	store.fail.Store(false)
	tok, err := a.Token(context.Background())
	require.NoError(t, err)
	require.EqualValues(t, 4, src.calls.Load())
	stored, err := store.MemoryTokenStore.Load(context.Background(), "test:account")
	require.NoError(t, err)
	require.Equal(t, tok.Value, stored.Value(), "the store is used again: the renewed token is stored")
	require.Equal(t, []string{down, "INFO partnerkit: the token store answers again; renewals go through it"}, logs.levels())

	store.fail.Store(true)
	clk.Advance(time.Hour)
	_, err = a.Token(context.Background())
	require.NoError(t, err)
	require.Equal(t, []string{down, "INFO partnerkit: the token store answers again; renewals go through it", down}, logs.levels(), "a new failure is said again")
}

func TestAHangingStoreIsBoundedByStoreTimeout(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	src := &countingSource{t: t, clk: clk, lifetime: time.Hour}
	store := newFlakyStore()
	store.hang.Store(true)
	a := NewTokenAuth(src.fetch, TokenOptions{Clock: clk, Store: store, StoreTimeout: 20 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tok, err := a.Token(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, tok.Value)
	require.EqualValues(t, 1, src.calls.Load())
	require.EqualValues(t, 1, store.calls.Load(), "one bounded call, then on its own")
}

// failingWrites is a store whose Store fails.
type failingWrites struct{ *partnerkit.MemoryTokenStore }

func (failingWrites) Store(context.Context, string, partnerkit.Token) error { return errStoreDown }

func TestATokenThatCannotBeStoredIsStillUsed(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	src := &countingSource{t: t, clk: clk, lifetime: time.Hour}
	var logs logRecords
	a := NewTokenAuth(src.fetch, TokenOptions{Clock: clk, Store: failingWrites{partnerkit.NewMemoryTokenStore()}, Logger: slog.New(&logs)})
	first, err := a.Token(context.Background())
	require.NoError(t, err)
	again, err := a.Token(context.Background())
	require.NoError(t, err)
	require.Equal(t, first, again)
	require.EqualValues(t, 1, src.calls.Load())
	require.Len(t, logs.levels(), 1)
}

func TestAStoredTokenIsRegisteredBeforeUse(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	store := partnerkit.NewMemoryTokenStore()
	stored := signedJWT(t, epoch.Add(time.Hour), 1)
	require.NoError(t, store.Store(context.Background(), "test:account", partnerkit.NewToken(stored, epoch.Add(time.Hour), epoch)))
	src := &countingSource{t: t, clk: clk, lifetime: time.Hour}
	var registered []string
	a := NewTokenAuth(src.fetch, TokenOptions{Clock: clk, Store: store, StoreKey: "test:account", OnToken: func(v string) { registered = append(registered, v) }})
	tok, err := a.Token(context.Background())
	require.NoError(t, err)
	require.Equal(t, stored, tok.Value)
	require.True(t, epoch.Add(time.Hour).Equal(tok.Expiry))
	require.Zero(t, src.calls.Load())
	require.Equal(t, []string{stored}, registered)
}

func TestSeedStartsWithAToken(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	src := &countingSource{t: t, clk: clk, lifetime: time.Hour}
	store := partnerkit.NewMemoryTokenStore()
	var registered []string
	a := NewTokenAuth(src.fetch, TokenOptions{Clock: clk, Margin: 5 * time.Minute, Store: store, StoreKey: "k", OnToken: func(v string) { registered = append(registered, v) }})
	seed := signedJWT(t, epoch.Add(30*time.Minute), 7)
	a.Seed(seed)
	a.Seed("")
	tok, err := a.Token(context.Background())
	require.NoError(t, err)
	require.Equal(t, seed, tok.Value)
	require.Zero(t, src.calls.Load())
	require.Equal(t, []string{seed}, registered)
	stored, err := store.Load(context.Background(), "k")
	require.NoError(t, err)
	require.True(t, stored.IsZero(), "a seed is not stored")
	clk.Advance(26 * time.Minute) // its exp is read: inside the margin
	tok, err = a.Token(context.Background())
	require.NoError(t, err)
	require.NotEqual(t, seed, tok.Value)
	require.EqualValues(t, 1, src.calls.Load())
}

// TestReplicasRefusedTogetherRenewOnce: two clients of one account (two
// replicas) share a store; the server revokes their token. The first
// refused call renews and replays; the second client's refused call takes
// the renewed token from the store and replays without a renewal.
func TestReplicasRefusedTogetherRenewOnce(t *testing.T) {
	t.Parallel()
	clk := clock.NewAutoFake(epoch)
	src := &countingSource{t: t, clk: clk, lifetime: time.Hour}
	store := partnerkit.NewMemoryTokenStore()
	var mu sync.Mutex
	revoked := map[string]bool{}
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodGet, testBase+"/r", func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		defer mu.Unlock()
		if revoked[r.Header.Get("Authorization")] {
			return jsonResponder(401, `{"code":"token_not_valid"}`)(r)
		}
		return jsonResponder(200, `{}`)(r)
	})
	var clients []*Client
	for range 2 {
		a := NewTokenAuth(src.fetch, TokenOptions{Scheme: "JWT", Clock: clk, Store: store, StoreKey: "test:account"})
		c, err := New(Spec{Provider: "test", BaseURL: testBase, Auth: a, DecodeError: testDecode},
			mustConfig(t, partnerkit.WithHTTPClient(&http.Client{Transport: mock}), WithClock(clk)))
		require.NoError(t, err)
		require.NoError(t, c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil))
		clients = append(clients, c)
	}
	require.EqualValues(t, 1, src.calls.Load(), "the second replica found the first one's token")
	first, err := store.Load(context.Background(), "test:account")
	require.NoError(t, err)
	mu.Lock()
	revoked["JWT "+first.Value()] = true
	mu.Unlock()
	for _, c := range clients {
		require.NoError(t, c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/r"}, nil))
	}
	require.EqualValues(t, 2, src.calls.Load(), "one renewal for both")
	require.Equal(t, 2+2*2, mock.GetTotalCallCount(), "each refused call replayed once")
	renewed, err := store.Load(context.Background(), "test:account")
	require.NoError(t, err)
	require.NotEqual(t, first.Value(), renewed.Value())
}

// lateStore is a store in which another process stores a token between the
// auth's reading and its taking the lock.
type lateStore struct {
	*partnerkit.MemoryTokenStore
	late partnerkit.Token
}

func (s *lateStore) Lock(ctx context.Context, key string, ttl time.Duration) (func(context.Context) error, bool, error) {
	if err := s.Store(ctx, key, s.late); err != nil {
		return nil, false, err
	}
	return s.MemoryTokenStore.Lock(ctx, key, ttl)
}

func TestATokenStoredJustBeforeTheLockIsTaken(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(epoch)
	src := &countingSource{t: t, clk: clk, lifetime: time.Hour}
	store := &lateStore{MemoryTokenStore: partnerkit.NewMemoryTokenStore(), late: partnerkit.NewToken("stored-meanwhile", epoch.Add(time.Hour), epoch)}
	a := NewTokenAuth(src.fetch, TokenOptions{Clock: clk, Store: store, StoreKey: "k"})
	tok, err := a.Token(context.Background())
	require.NoError(t, err)
	require.Equal(t, "stored-meanwhile", tok.Value, "the holder reads the store again once it holds the lock")
	require.Zero(t, src.calls.Load())
	_, ok, err := store.MemoryTokenStore.Lock(context.Background(), "k", time.Second)
	require.NoError(t, err)
	require.True(t, ok, "the lock was released")
}
