package partnerkit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Token is a provider's session token as a TokenStore keeps it: its value,
// a credential, and its times. Build it with NewToken. The value is held
// behind a pointer, as the engine holds every credential: fmt's verbs (%#v
// included), log/slog and encoding/json print a placeholder or nothing for
// it, even for a Token in an unexported field of another value.
type Token struct {
	value *string
	// Expiry is when the provider stops accepting the token.
	Expiry time.Time
	// Obtained is when the token was issued, by the clock of the client
	// that obtained it, or zero when unknown. A client renews a token a
	// margin before Expiry, at most half of its life (Expiry - Obtained)
	// before it.
	Obtained time.Time
}

// NewToken returns the token value, which expires at expiry and was
// obtained at obtained (zero when unknown).
func NewToken(value string, expiry, obtained time.Time) Token {
	return Token{value: &value, Expiry: expiry, Obtained: obtained}
}

// Value returns the token itself: for the request that needs it, and for a
// TokenStore that keeps it.
func (t Token) Value() string {
	if t.value == nil {
		return ""
	}
	return *t.value
}

// IsZero reports whether t holds no token.
func (t Token) IsZero() bool { return t.Value() == "" }

// placeholder is what the token's value prints as: the placeholder, or ""
// for no token.
func (t Token) placeholder() string { return Secret(t.Value()).String() }

// String returns the placeholder for the value, and the expiry.
func (t Token) String() string {
	return fmt.Sprintf("{%s %s}", t.placeholder(), t.Expiry.Format(time.RFC3339))
}

// GoString returns the placeholder for the value, and the times, for %#v.
func (t Token) GoString() string {
	return fmt.Sprintf("partnerkit.Token{Value:%q, Expiry:%q, Obtained:%q}",
		t.placeholder(), t.Expiry.Format(time.RFC3339), t.Obtained.Format(time.RFC3339))
}

// Format prints the placeholder for the value, and the expiry, for every
// verb.
func (t Token) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = f.Write([]byte(t.GoString()))
		return
	}
	_, _ = f.Write([]byte(t.String()))
}

// LogValue returns the placeholder for the value, and the times, for
// log/slog.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(slog.String("value", t.placeholder()),
		slog.Time("expiry", t.Expiry), slog.Time("obtained", t.Obtained))
}

// TokenStore keeps the session tokens of accounts where every client of an
// account can read them, so that the replicas of a service that share an
// account log in once per token lifetime, not once each. A client given a
// store (chekin.WithTokenStore) keeps its token in memory and turns to the
// store only when the token is due for renewal or the provider refused it:
//
//  1. it loads the stored token and uses it when it is not due for renewal
//     and is not the token the provider just refused (a refused token is
//     removed with CompareAndDelete, so that nobody takes it again);
//  2. otherwise it takes the account's renewal lock: the holder loads the
//     token once more (another process may have stored one meanwhile),
//     then obtains a new token from the provider, stores it until its
//     expiry and unlocks;
//  3. a client that finds the lock taken loads the token again every few
//     milliseconds until the holder's token appears or the lock is gone
//     (released, or expired with a holder that died), and then starts
//     over. It waits no longer than the lock's time to live.
//
// A call never fails because of the store: when the store returns an
// error, the client renews on its own, says so once in its log, and turns
// to the store again at its next renewal.
//
// Keys are chosen by the client: a provider's name and a digest of the
// account, never a credential. A store receives the provider's tokens
// only, never a password or an API key.
//
// MemoryTokenStore keeps tokens in one process; the redisfleet module
// keeps them on Redis. An implementation must be safe for concurrent use.
type TokenStore interface {
	// Load returns the token stored under key, or the zero Token when there
	// is none.
	Load(ctx context.Context, key string) (Token, error)
	// Store keeps tok under key, in place of the token there, until
	// tok.Expiry.
	Store(ctx context.Context, key string, tok Token) error
	// CompareAndDelete deletes the token stored under key if its value is
	// still old's, and reports whether it did: a client forgets a token
	// the provider refused without deleting the one another client has
	// stored since.
	CompareAndDelete(ctx context.Context, key string, old Token) (deleted bool, err error)
	// Lock takes the renewal lock of key for ttl if nobody holds it, and
	// reports whether it did. unlock releases the lock if this holder
	// still holds it (not after the ttl passed and another took it); it is
	// nil when ok is false. A lock whose holder never unlocks (a process
	// that died) is free again after ttl.
	Lock(ctx context.Context, key string, ttl time.Duration) (unlock func(context.Context) error, ok bool, err error)
}

// MemoryTokenStore is a TokenStore in the memory of one process. Every
// client keeps its tokens in one of its own unless given another store;
// clients of the same account in one process that share a
// MemoryTokenStore log in once for all. Lock times are told by the system
// clock. Create it with NewMemoryTokenStore; printing it shows no token.
type MemoryTokenStore struct {
	mu     sync.Mutex
	tokens map[string]Token
	locks  map[string]memoryLock
}

// memoryLock is a renewal lock: its holder and when it expires.
type memoryLock struct {
	holder string
	until  time.Time
}

// NewMemoryTokenStore returns an empty MemoryTokenStore.
func NewMemoryTokenStore() *MemoryTokenStore {
	return &MemoryTokenStore{tokens: map[string]Token{}, locks: map[string]memoryLock{}}
}

// Load returns the token stored under key, or the zero Token.
func (s *MemoryTokenStore) Load(ctx context.Context, key string) (Token, error) {
	if err := ctx.Err(); err != nil {
		return Token{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokens[key], nil
}

// Store keeps tok under key; the zero Token deletes the one stored. The
// client that reads a token judges whether it has expired, by its own
// clock: the store keeps it until it is replaced.
func (s *MemoryTokenStore) Store(ctx context.Context, key string, tok Token) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if tok.IsZero() {
		delete(s.tokens, key)
		return nil
	}
	s.tokens[key] = tok
	return nil
}

// CompareAndDelete deletes the token under key if its value is old's.
func (s *MemoryTokenStore) CompareAndDelete(ctx context.Context, key string, old Token) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if tok, ok := s.tokens[key]; ok && !old.IsZero() && tok.Value() == old.Value() {
		delete(s.tokens, key)
		return true, nil
	}
	return false, nil
}

// Lock takes the renewal lock of key for ttl if it is free.
func (s *MemoryTokenStore) Lock(ctx context.Context, key string, ttl time.Duration) (func(context.Context) error, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	if ttl <= 0 {
		return nil, false, fmt.Errorf("partnerkit: MemoryTokenStore.Lock needs a positive ttl, got %s", ttl)
	}
	holder := newHolder()
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if l, held := s.locks[key]; held && now.Before(l.until) {
		return nil, false, nil
	}
	s.locks[key] = memoryLock{holder: holder, until: now.Add(ttl)}
	return func(context.Context) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.locks[key].holder == holder {
			delete(s.locks, key)
		}
		return nil
	}, true, nil
}

// newHolder returns a random name for the holder of a lock.
func newHolder() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
