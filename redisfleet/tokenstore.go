package redisfleet

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/partnerkit/partnerkit-go"
)

// TokenStore is a partnerkit.TokenStore on Redis: the replicas of a service
// that share a CheKin account log in once per token lifetime, together,
// instead of once each.
//
//	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379"})
//	store, err := redisfleet.NewTokenStore(rdb)
//	if err != nil {
//		return err
//	}
//	c, err := chekin.New(email, password, chekin.WithTokenStore(store))
//
// Each account has two keys: its token, a hash (value, expiry and
// obtained, in Unix milliseconds) that Redis deletes when the token
// expires, and its renewal lock, a random holder name set with NX and a
// time to live. Storing a token, deleting a refused one (only if it is
// still the one stored) and releasing a lock (only by its holder) are each
// one Lua script, so they are atomic. Key names are the prefix (see
// WithPrefix), "session:" and the key the client chose: a provider's name
// and a digest of the account.
// Only tokens are stored; a token is a credential, so keep Redis as private
// as the service's other secrets.
//
// A TokenStore is safe for concurrent use. It tells the time a token
// stays in Redis by the system clock.
type TokenStore struct {
	rdb     redis.UniversalClient
	prefix  string
	timeout time.Duration
}

// NewTokenStore returns a TokenStore on rdb (a *redis.Client, a
// *redis.ClusterClient, a failover client). It takes WithPrefix and
// WithTimeout, and refuses the options only a Limiter takes.
func NewTokenStore(rdb redis.UniversalClient, opts ...Option) (*TokenStore, error) {
	if rdb == nil {
		return nil, &partnerkit.ValidationError{Field: "rdb", Rule: "must not be nil"}
	}
	set, err := apply(opts)
	if err != nil {
		return nil, err
	}
	if set.limiterOnly != "" {
		return nil, invalid(strings.TrimPrefix(set.limiterOnly, "redisfleet."), "applies to a Limiter; a TokenStore does not take it")
	}
	return &TokenStore{rdb: rdb, prefix: set.prefix + "session:", timeout: set.timeout}, nil
}

// bound returns ctx bounded by the store's timeout, when one is set.
func (s *TokenStore) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if s.timeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, s.timeout)
}

// Hash fields of a stored token.
const (
	tokenFieldValue    = "value"
	tokenFieldExpiry   = "expiry"
	tokenFieldObtained = "obtained"
)

// tokenStoreScript replaces the token of KEYS[1] with ARGV[1] (value), ARGV[2]
// (expiry) and ARGV[3] (obtained), for ARGV[4] milliseconds; a time to
// live that is not positive only deletes the old one.
var tokenStoreScript = redis.NewScript(`
redis.call('DEL', KEYS[1])
if tonumber(ARGV[4]) <= 0 then
	return 0
end
redis.call('HSET', KEYS[1], 'value', ARGV[1], 'expiry', ARGV[2], 'obtained', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`)

// tokenDeleteScript deletes the token of KEYS[1] if its value is
// ARGV[1].
var tokenDeleteScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'value') == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0
`)

// tokenUnlockScript deletes the lock KEYS[1] if ARGV[1] still holds it.
var tokenUnlockScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0
`)

// tokenKey and lockKey name the Redis keys of key.
func (s *TokenStore) tokenKey(key string) string { return s.prefix + key }
func (s *TokenStore) lockKey(key string) string  { return s.prefix + key + ":lock" }

// Load returns the token stored under key, or the zero Token.
func (s *TokenStore) Load(ctx context.Context, key string) (partnerkit.Token, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	vals, err := s.rdb.HMGet(ctx, s.tokenKey(key), tokenFieldValue, tokenFieldExpiry, tokenFieldObtained).Result()
	if err != nil {
		return partnerkit.Token{}, fmt.Errorf("redisfleet: loading a token: %w", err)
	}
	value, _ := vals[0].(string)
	if value == "" {
		return partnerkit.Token{}, nil
	}
	expiry, err1 := tokenTime(vals[1])
	obtained, err2 := tokenTime(vals[2])
	if err := errors.Join(err1, err2); err != nil {
		return partnerkit.Token{}, fmt.Errorf("redisfleet: the token stored under %s: %w", s.tokenKey(key), err)
	}
	return partnerkit.NewToken(value, expiry, obtained), nil
}

// Store keeps tok under key until tok.Expiry, replacing the token there. A
// token whose expiry has passed only deletes the one stored.
func (s *TokenStore) Store(ctx context.Context, key string, tok partnerkit.Token) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	ttl := time.Until(tok.Expiry).Milliseconds()
	if tok.IsZero() {
		ttl = 0
	}
	err := tokenStoreScript.Run(ctx, s.rdb, []string{s.tokenKey(key)},
		tok.Value(), tokenMilli(tok.Expiry), tokenMilli(tok.Obtained), ttl).Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("redisfleet: storing a token: %w", err)
	}
	return nil
}

// CompareAndDelete deletes the token under key if its value is old's.
func (s *TokenStore) CompareAndDelete(ctx context.Context, key string, old partnerkit.Token) (bool, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if old.IsZero() {
		return false, nil
	}
	n, err := tokenDeleteScript.Run(ctx, s.rdb, []string{s.tokenKey(key)}, old.Value()).Int()
	if err != nil {
		return false, fmt.Errorf("redisfleet: deleting a refused token: %w", err)
	}
	return n == 1, nil
}

// Lock takes the renewal lock of key for ttl (SET NX PX) if nobody holds
// it. unlock deletes it only while this holder still holds it.
func (s *TokenStore) Lock(ctx context.Context, key string, ttl time.Duration) (func(context.Context) error, bool, error) {
	if ttl < time.Millisecond {
		return nil, false, fmt.Errorf("redisfleet: a renewal lock needs a time to live of a millisecond or more, got %s", ttl)
	}
	holder := newTokenLockHolder()
	lock := s.lockKey(key)
	bounded, cancel := s.bound(ctx)
	ok, err := s.rdb.SetNX(bounded, lock, holder, ttl).Result()
	cancel()
	if err != nil {
		return nil, false, fmt.Errorf("redisfleet: taking a renewal lock: %w", err)
	}
	if !ok {
		return nil, false, nil
	}
	return func(ctx context.Context) error {
		ctx, cancel := s.bound(ctx)
		defer cancel()
		if err := tokenUnlockScript.Run(ctx, s.rdb, []string{lock}, holder).Err(); err != nil {
			return fmt.Errorf("redisfleet: releasing a renewal lock: %w", err)
		}
		return nil
	}, true, nil
}

// tokenMilli writes t in Unix milliseconds, 0 for the zero time.
func tokenMilli(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// tokenTime reads a time written by tokenMilli.
func tokenTime(v any) (time.Time, error) {
	s, _ := v.(string)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("a time in Unix milliseconds, got %q", s)
	}
	if n == 0 {
		return time.Time{}, nil
	}
	return time.UnixMilli(n), nil
}

// newTokenLockHolder returns a random name for the holder of a lock.
func newTokenLockHolder() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
