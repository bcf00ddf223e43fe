package transport

import (
	"context"
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
