package redisfleet_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/chekin"
	"github.com/partnerkit/partnerkit-go/chekin/chekintest"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/redistest"
	"github.com/partnerkit/partnerkit-go/internal/tokenstoretest"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/redisfleet"
)

var ctx = context.Background()

// newRedisClient returns a client of srv, closed when t ends.
func newRedisClient(t testing.TB, srv *redistest.Server) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

func TestTokenStoreConformance(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	tokenstoretest.Run(t, func(t *testing.T) partnerkit.TokenStore {
		return mustTokenStore(t, newRedisClient(t, srv))
	})
}

func TestTokenStoreKeysAndTheirLife(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	rdb := newRedisClient(t, srv)
	store := mustTokenStore(t, rdb, redisfleet.WithPrefix("svc:"))
	now := time.Now()
	require.NoError(t, store.Store(ctx, "chekin:abc", partnerkit.NewToken("tok-1", now.Add(time.Minute), now)))
	fields, err := rdb.HGetAll(ctx, "svc:session:chekin:abc").Result()
	require.NoError(t, err)
	require.Equal(t, map[string]string{
		"value": "tok-1", "expiry": fmt.Sprint(now.Add(time.Minute).UnixMilli()), "obtained": fmt.Sprint(now.UnixMilli()),
	}, fields)
	ttl, err := rdb.PTTL(ctx, "svc:session:chekin:abc").Result()
	require.NoError(t, err)
	require.InDelta(t, time.Minute.Seconds(), ttl.Seconds(), 5, "Redis forgets the token when it expires")

	unlock, ok, err := store.Lock(ctx, "chekin:abc", 30*time.Second)
	require.NoError(t, err)
	require.True(t, ok)
	ttl, err = rdb.PTTL(ctx, "svc:session:chekin:abc:lock").Result()
	require.NoError(t, err)
	require.InDelta(t, 30, ttl.Seconds(), 5)
	require.NoError(t, unlock(ctx))
	n, err := rdb.Exists(ctx, "svc:session:chekin:abc:lock").Result()
	require.NoError(t, err)
	require.Zero(t, n)

	require.NoError(t, store.Store(ctx, "chekin:abc", partnerkit.NewToken("expired", now.Add(-time.Second), now.Add(-time.Hour))))
	n, err = rdb.Exists(ctx, "svc:session:chekin:abc").Result()
	require.NoError(t, err)
	require.Zero(t, n, "an expired token only deletes the one stored")

	_, _, err = store.Lock(ctx, "chekin:abc", 0)
	require.ErrorContains(t, err, "time to live")
}

func TestTokenStoreReportsABrokenEntry(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	rdb := newRedisClient(t, srv)
	require.NoError(t, rdb.HSet(ctx, redisfleet.DefaultPrefix+"session:k", "value", "v", "expiry", "soon").Err())
	_, err := mustTokenStore(t, rdb).Load(ctx, "k")
	require.ErrorContains(t, err, `a time in Unix milliseconds, got "soon"`)
}

func TestNewTokenStoreRefusesWhatCannotWork(t *testing.T) {
	t.Parallel()
	_, err := redisfleet.NewTokenStore(nil)
	var v *partnerkit.ValidationError
	require.ErrorAs(t, err, &v)
	require.Equal(t, "rdb", v.Field)
	srv := redistest.Start(t)
	rdb := newRedisClient(t, srv)
	_, err = redisfleet.NewTokenStore(rdb, redisfleet.WithProbeInterval(time.Second))
	require.ErrorAs(t, err, &v)
	require.Equal(t, "redisfleet.WithProbeInterval", v.Field)
	require.Equal(t, "applies to a Limiter; a TokenStore does not take it", v.Rule)
	_, err = redisfleet.NewTokenStore(rdb, redisfleet.WithPrefix("a{b"))
	require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
}

// mustTokenStore returns a TokenStore on rdb.
func mustTokenStore(t *testing.T, rdb redis.UniversalClient, opts ...redisfleet.Option) *redisfleet.TokenStore {
	t.Helper()
	s, err := redisfleet.NewTokenStore(rdb, opts...)
	require.NoError(t, err)
	return s
}

func TestPrintingATokenStoreRevealsNoToken(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	store := mustTokenStore(t, newRedisClient(t, srv))
	const value = "eyJhbGciOiJIUzI1NiJ9.printed.sig"
	require.NoError(t, store.Store(ctx, "k", partnerkit.NewToken(value, time.Now().Add(time.Hour), time.Now())))
	tok, err := store.Load(ctx, "k")
	require.NoError(t, err)
	for _, v := range []any{store, tok, &tok} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			require.NotContains(t, fmt.Sprintf(verb, v), value)
		}
	}
}

// fleet is a service's replicas, each a CheKin client of the same account
// with a Redis client of its own, on one fake CheKin and one Redis.
type fleet struct {
	fake     *chekintest.Server
	redis    *redistest.Server
	clk      *clock.Fake
	replicas []*chekin.Client
	rdbs     []*redis.Client
	logs     []*bytes.Buffer
}

// newFleet starts CheKin's fake and Redis, and n replicas. Token expiry
// goes by a fake clock shared by the fake and the replicas, started at the
// system's time (Redis keeps a token until its expiry by the system
// clock).
func newFleet(t *testing.T, n int) *fleet {
	t.Helper()
	f := &fleet{redis: redistest.Start(t), clk: clock.NewFake(time.Now())}
	f.fake = chekintest.New(chekintest.WithClock(f.clk.Now))
	srv := httptest.NewServer(f.fake)
	t.Cleanup(srv.Close)
	for range n {
		rdb := newRedisClient(t, f.redis)
		var logs bytes.Buffer
		hc := &http.Client{Transport: &http.Transport{}}
		t.Cleanup(hc.CloseIdleConnections)
		c, err := chekin.New(strings.ToUpper(chekintest.Email[:1])+chekintest.Email[1:], chekintest.Password,
			partnerkit.WithBaseURL(srv.URL),
			partnerkit.WithHTTPClient(hc),
			partnerkit.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))),
			chekin.WithTokenStore(mustTokenStore(t, rdb)),
			transport.WithClock(f.clk))
		require.NoError(t, err)
		f.replicas = append(f.replicas, c)
		f.rdbs = append(f.rdbs, rdb)
		f.logs = append(f.logs, &logs)
	}
	return f
}

// round makes every replica list the housings at once, and fails t if a
// call fails.
func (f *fleet) round(t *testing.T) {
	t.Helper()
	errs := make([]error, len(f.replicas))
	var wg sync.WaitGroup
	for i, c := range f.replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.Housings.List(ctx, nil)
		}()
	}
	wg.Wait()
	require.NoError(t, errors.Join(errs...))
}

// tokenRequests returns the logins and refreshes CheKin received.
func (f *fleet) tokenRequests() int { return f.fake.TokenRequests() }

func TestAFleetLogsInOncePerTokenLifetime(t *testing.T) {
	t.Parallel()
	f := newFleet(t, 8)
	f.round(t)
	require.Equal(t, 1, f.tokenRequests(), "one login for eight replicas")

	f.clk.Advance(56 * time.Minute) // inside the five-minute margin: due for renewal
	f.round(t)
	require.Equal(t, 2, f.tokenRequests(), "one renewal for the fleet")
	require.Equal(t, 1, f.fake.Requests("POST /token/refresh/"), "the still-valid token was refreshed")

	f.clk.Advance(2 * time.Hour) // expired everywhere
	f.round(t)
	require.Equal(t, 3, f.tokenRequests(), "one login for the fleet")
	require.Equal(t, 2, f.fake.Requests("POST /token/"))
}

func TestAReplicaThatFindsAStoredTokenDoesNotLogIn(t *testing.T) {
	t.Parallel()
	f := newFleet(t, 2)
	first, err := f.replicas[0].Token(ctx)
	require.NoError(t, err)
	f.clk.Advance(20 * time.Minute)
	second, err := f.replicas[1].Token(ctx)
	require.NoError(t, err)
	require.Equal(t, first, second)
	_, err = f.replicas[1].Housings.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 1, f.tokenRequests())
}

func TestARefusedTokenIsRenewedOnceForTheFleet(t *testing.T) {
	t.Parallel()
	f := newFleet(t, 8)
	f.round(t)
	refused, err := f.replicas[0].Token(ctx)
	require.NoError(t, err)
	f.fake.ExpireTokens() // CheKin revokes every token issued
	f.round(t)
	require.Equal(t, 2, f.tokenRequests(), "one login after the refusal, for every replica")
	require.Equal(t, 2, f.fake.Requests("POST /token/"), "a refused token is not refreshed")
	for _, c := range f.replicas {
		tok, err := c.Token(ctx)
		require.NoError(t, err)
		require.NotEqual(t, refused, tok)
	}
}

// storedKey returns the Redis key of the fleet's token.
func (f *fleet) storedKey(t *testing.T) string {
	t.Helper()
	prefix := redisfleet.DefaultPrefix + "session:"
	keys, err := f.rdbs[0].Keys(ctx, prefix+"*").Result()
	require.NoError(t, err)
	require.Len(t, keys, 1)
	return strings.TrimPrefix(keys[0], prefix)
}

func TestAHolderThatDiedHoldsTheFleetOnlyUntilItsLockExpires(t *testing.T) {
	t.Parallel()
	f := newFleet(t, 4)
	f.round(t)
	key := f.storedKey(t)
	f.clk.Advance(2 * time.Hour)
	// A replica took the renewal lock and its process died before
	// unlocking: the lock lives its TTL.
	const ttl = 500 * time.Millisecond
	_, ok, err := mustTokenStore(t, f.rdbs[0]).Lock(ctx, key, ttl)
	require.NoError(t, err)
	require.True(t, ok)
	start := time.Now()
	f.round(t)
	took := time.Since(start)
	require.Equal(t, 2, f.tokenRequests(), "one replica renewed once the lock expired")
	require.GreaterOrEqual(t, took, ttl-50*time.Millisecond, "the dead holder's lock held the fleet")
	require.Less(t, took, ttl+5*time.Second, "no longer than its TTL")
}

func TestRedisStoppedAndRestartedEmptyFailsNoCall(t *testing.T) {
	t.Parallel()
	f := newFleet(t, 4)
	f.round(t)
	require.Equal(t, 1, f.tokenRequests())

	f.redis.Stop()
	f.clk.Advance(2 * time.Hour)
	f.round(t)
	require.Equal(t, 1+4, f.tokenRequests(), "each replica renewed on its own")
	f.clk.Advance(2 * time.Hour)
	f.round(t)
	require.Equal(t, 1+4+4, f.tokenRequests())
	for i, logs := range f.logs {
		require.Equal(t, 1, strings.Count(logs.String(), "the token store failed"), "replica %d said it once", i)
	}

	f.redis.Restart(t) // up again, its data lost
	for _, rdb := range f.rdbs {
		require.Eventually(t, func() bool { return rdb.Ping(ctx).Err() == nil }, 10*time.Second, 10*time.Millisecond)
	}
	f.clk.Advance(2 * time.Hour)
	f.round(t)
	require.Equal(t, 1+4+4+1, f.tokenRequests(), "single flight again")
	for i, logs := range f.logs {
		require.Contains(t, logs.String(), "the token store answers again", "replica %d", i)
	}
}

// TestNothingButTokensReachesRedis runs a fleet through a login, a
// refresh, a refusal and an expiry, then reads every key in Redis: none
// holds the password or names the account, and every one expires.
func TestNothingButTokensReachesRedis(t *testing.T) {
	t.Parallel()
	f := newFleet(t, 4)
	f.round(t)
	f.clk.Advance(56 * time.Minute)
	f.round(t)
	f.fake.ExpireTokens()
	f.round(t)
	f.clk.Advance(2 * time.Hour)
	f.round(t)
	require.Equal(t, 4, f.tokenRequests())

	rdb := f.rdbs[0]
	keys, err := rdb.Keys(ctx, "*").Result()
	require.NoError(t, err)
	require.NotEmpty(t, keys)
	var dump strings.Builder
	for _, k := range keys {
		dump.WriteString(k + "\n")
		typ, err := rdb.Type(ctx, k).Result()
		require.NoError(t, err)
		switch typ {
		case "hash":
			fields, err := rdb.HGetAll(ctx, k).Result()
			require.NoError(t, err)
			require.ElementsMatch(t, []string{"value", "expiry", "obtained"}, keysOf(fields))
			fmt.Fprintln(&dump, fields)
		case "string":
			v, err := rdb.Get(ctx, k).Result()
			require.NoError(t, err)
			dump.WriteString(v + "\n")
		default:
			t.Fatalf("key %s is a %s", k, typ)
		}
		ttl, err := rdb.PTTL(ctx, k).Result()
		require.NoError(t, err)
		require.Positive(t, ttl, "key %s expires", k)
		require.NotContains(t, strings.ToLower(k), strings.ToLower(chekintest.Email), "the key names no account")
	}
	out := dump.String()
	for _, secret := range []string{chekintest.Password, base64.StdEncoding.EncodeToString([]byte(chekintest.Password)), base64.RawURLEncoding.EncodeToString([]byte(chekintest.Password))} {
		require.NotContains(t, out, secret)
	}
	tok, err := f.replicas[0].Token(ctx)
	require.NoError(t, err)
	require.Contains(t, out, tok, "the one thing stored is CheKin's token")
}

func keysOf(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
