// Package tokenstoretest is the conformance suite of partnerkit.TokenStore:
// what every token store of the SDK must do, the in-process
// partnerkit.MemoryTokenStore and a store that several processes share
// alike. Run it from a test of the store's package:
//
//	func TestTokenStoreConformance(t *testing.T) {
//		tokenstoretest.Run(t, func(t *testing.T) partnerkit.TokenStore {
//			return partnerkit.NewMemoryTokenStore()
//		})
//	}
//
// It holds a store to its contract (Load, Store, CompareAndDelete, Lock
// and its time to live) and runs the engine's renewal protocol on it:
// several transport.TokenAuth, standing for the replicas of a service,
// share one store and obtain one token per token lifetime between them.
// Stores returned by the factory may share their backend: every test uses
// keys of its own. Token expiry is told by a fake clock that starts at the
// system's time; lock times are real, as they are in a shared store, and
// kept short.
package tokenstoretest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

// Factory returns a store for one test. The suite calls it from parallel
// tests.
type Factory func(t *testing.T) partnerkit.TokenStore

// Run runs the conformance suite against the stores newStore returns.
func Run(t *testing.T, newStore Factory) {
	t.Helper()
	for _, tc := range []struct {
		name string
		test func(*testing.T, Factory)
	}{
		{"Load/Missing", testLoadMissing},
		{"Store/RoundTrip", testRoundTrip},
		{"Store/Replaces", testReplaces},
		{"Store/KeysApart", testKeysApart},
		{"CompareAndDelete/OnlyTheSameValue", testCompareAndDelete},
		{"Lock/OneHolder", testLockOneHolder},
		{"Lock/UnlockFrees", testUnlockFrees},
		{"Lock/ExpiresAfterItsTTL", testLockExpires},
		{"Lock/UnlockOnlyByItsHolder", testUnlockOnlyByHolder},
		{"Renewal/ReplicasObtainOneToken", testReplicasObtainOne},
		{"Renewal/AStoredTokenIsUsed", testStoredTokenIsUsed},
		{"Renewal/ARefusedTokenIsRenewedOnce", testRefusedRenewedOnce},
		{"Renewal/ARefusedTokenAlreadyReplacedStays", testRefusedAlreadyReplaced},
		{"Renewal/ARefusedTokenLeavesTheStore", testRefusedLeaves},
		{"Renewal/AHolderThatDiedHoldsOthersUntilItsTTL", testDeadHolder},
		{"Renewal/AHolderThatFailsFreesTheLock", testFailingHolder},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.test(t, newStore)
		})
	}
}

var keys atomic.Int64

// newKey returns a key no other test of the process uses.
func newKey(t *testing.T) string {
	return fmt.Sprintf("tokenstoretest:%d:%d:%s", time.Now().UnixNano(), keys.Add(1), t.Name())
}

var ctx = context.Background()

func testLoadMissing(t *testing.T, newStore Factory) {
	tok, err := newStore(t).Load(ctx, newKey(t))
	require.NoError(t, err)
	require.True(t, tok.IsZero())
}

// token returns a token that expires in an hour.
func token(value string) partnerkit.Token {
	now := time.Now()
	return partnerkit.NewToken(value, now.Add(time.Hour), now)
}

// requireSame asserts that got is want, its times to the millisecond.
func requireSame(t *testing.T, want, got partnerkit.Token) {
	t.Helper()
	require.Equal(t, want.Value(), got.Value())
	require.WithinDuration(t, want.Expiry, got.Expiry, time.Millisecond)
	require.Equal(t, want.Obtained.IsZero(), got.Obtained.IsZero())
	require.WithinDuration(t, want.Obtained, got.Obtained, time.Millisecond)
}

func testRoundTrip(t *testing.T, newStore Factory) {
	s, key := newStore(t), newKey(t)
	want := token("eyJhbGciOiJIUzI1NiJ9.round-trip.sig")
	require.NoError(t, s.Store(ctx, key, want))
	got, err := s.Load(ctx, key)
	require.NoError(t, err)
	requireSame(t, want, got)

	unknown := partnerkit.NewToken("obtained-unknown", time.Now().Add(time.Hour), time.Time{})
	require.NoError(t, s.Store(ctx, key, unknown))
	got, err = s.Load(ctx, key)
	require.NoError(t, err)
	requireSame(t, unknown, got)
}

func testReplaces(t *testing.T, newStore Factory) {
	s, key := newStore(t), newKey(t)
	require.NoError(t, s.Store(ctx, key, token("first")))
	second := token("second")
	require.NoError(t, s.Store(ctx, key, second))
	got, err := s.Load(ctx, key)
	require.NoError(t, err)
	requireSame(t, second, got)
}

func testKeysApart(t *testing.T, newStore Factory) {
	s, a, b := newStore(t), newKey(t), newKey(t)
	require.NoError(t, s.Store(ctx, a, token("of-a")))
	got, err := s.Load(ctx, b)
	require.NoError(t, err)
	require.True(t, got.IsZero())
	_, ok, err := s.Lock(ctx, a, time.Minute)
	require.NoError(t, err)
	require.True(t, ok)
	_, ok, err = s.Lock(ctx, b, time.Minute)
	require.NoError(t, err)
	require.True(t, ok, "the lock of a does not hold b")
}

func testCompareAndDelete(t *testing.T, newStore Factory) {
	s, key := newStore(t), newKey(t)
	deleted, err := s.CompareAndDelete(ctx, key, token("nothing-stored"))
	require.NoError(t, err)
	require.False(t, deleted)

	current := token("current")
	require.NoError(t, s.Store(ctx, key, current))
	deleted, err = s.CompareAndDelete(ctx, key, token("refused-earlier"))
	require.NoError(t, err)
	require.False(t, deleted, "another value")
	got, err := s.Load(ctx, key)
	require.NoError(t, err)
	requireSame(t, current, got)

	deleted, err = s.CompareAndDelete(ctx, key, partnerkit.NewToken("current", time.Time{}, time.Time{}))
	require.NoError(t, err)
	require.True(t, deleted)
	got, err = s.Load(ctx, key)
	require.NoError(t, err)
	require.True(t, got.IsZero())
}

func testLockOneHolder(t *testing.T, newStore Factory) {
	s, key := newStore(t), newKey(t)
	const racers = 16
	var held atomic.Int32
	var wg sync.WaitGroup
	for range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, ok, err := s.Lock(ctx, key, time.Minute)
			if err == nil && ok {
				held.Add(1)
			}
		}()
	}
	wg.Wait()
	require.EqualValues(t, 1, held.Load())
}

func testUnlockFrees(t *testing.T, newStore Factory) {
	s, key := newStore(t), newKey(t)
	unlock, ok, err := s.Lock(ctx, key, time.Minute)
	require.NoError(t, err)
	require.True(t, ok)
	require.NotNil(t, unlock)
	_, ok, err = s.Lock(ctx, key, time.Minute)
	require.NoError(t, err)
	require.False(t, ok)
	require.NoError(t, unlock(ctx))
	_, ok, err = s.Lock(ctx, key, time.Minute)
	require.NoError(t, err)
	require.True(t, ok, "free after unlock")
}

// lockFreeWithin waits, on the real clock, until key's lock can be taken
// and returns how long that took; it fails t after limit.
func lockFreeWithin(t *testing.T, s partnerkit.TokenStore, key string, limit time.Duration) (func(context.Context) error, time.Duration) {
	t.Helper()
	start := time.Now()
	for {
		unlock, ok, err := s.Lock(ctx, key, time.Minute)
		require.NoError(t, err)
		if ok {
			return unlock, time.Since(start)
		}
		require.Less(t, time.Since(start), limit, "the lock is still held")
		time.Sleep(5 * time.Millisecond)
	}
}

func testLockExpires(t *testing.T, newStore Factory) {
	s, key := newStore(t), newKey(t)
	const ttl = 200 * time.Millisecond
	taken := time.Now()
	_, ok, err := s.Lock(ctx, key, ttl)
	require.NoError(t, err)
	require.True(t, ok)
	_, waited := lockFreeWithin(t, s, key, ttl+5*time.Second)
	require.GreaterOrEqual(t, time.Since(taken), ttl-20*time.Millisecond, "held for its TTL")
	require.Less(t, waited, ttl+5*time.Second)
}

func testUnlockOnlyByHolder(t *testing.T, newStore Factory) {
	s, key := newStore(t), newKey(t)
	late, ok, err := s.Lock(ctx, key, 100*time.Millisecond)
	require.NoError(t, err)
	require.True(t, ok)
	_, _ = lockFreeWithin(t, s, key, 5*time.Second) // the next holder, for a minute
	require.NoError(t, late(ctx), "unlocking a lock that expired is no error")
	_, ok, err = s.Lock(ctx, key, time.Minute)
	require.NoError(t, err)
	require.False(t, ok, "the late holder did not release the next holder's lock")
}

// source issues opaque tokens that live an hour on clk and counts them; a
// source with a gate blocks each call until the gate gives it an error (nil
// to succeed).
type source struct {
	clk   clock.Clock
	calls atomic.Int32
	gate  chan error
}

func (s *source) fetch(ctx context.Context, _ transport.Token) (transport.Token, error) {
	n := s.calls.Add(1)
	if s.gate != nil {
		select {
		case err := <-s.gate:
			if err != nil {
				return transport.Token{}, err
			}
		case <-ctx.Done():
			return transport.Token{}, ctx.Err()
		}
	}
	return transport.Token{Value: fmt.Sprintf("issued-token-%d", n), Expiry: s.clk.Now().Add(time.Hour)}, nil
}

// replica returns a TokenAuth on store under key, with src, standing for
// one process of a fleet.
func replica(store partnerkit.TokenStore, key string, src *source, opts transport.TokenOptions) *transport.TokenAuth {
	opts.Store, opts.StoreKey, opts.Clock = store, key, src.clk
	if opts.StorePoll == 0 {
		opts.StorePoll = 5 * time.Millisecond
	}
	if opts.Margin == 0 {
		opts.Margin = 5 * time.Minute
	}
	return transport.NewTokenAuth(src.fetch, opts)
}

// replicasOf returns n replicas on store under key, with src.
func replicasOf(n int, store partnerkit.TokenStore, key string, src *source, opts transport.TokenOptions) []*transport.TokenAuth {
	out := make([]*transport.TokenAuth, n)
	for i := range out {
		out[i] = replica(store, key, src, opts)
	}
	return out
}

// tokens calls Token on every replica at once and returns their tokens.
func tokens(t *testing.T, replicas []*transport.TokenAuth) []string {
	t.Helper()
	out := make([]string, len(replicas))
	errs := make([]error, len(replicas))
	var wg sync.WaitGroup
	for i, r := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := r.Token(ctx)
			out[i], errs[i] = tok.Value, err
		}()
	}
	wg.Wait()
	require.NoError(t, errors.Join(errs...))
	return out
}

// requireAll asserts that every replica got want.
func requireAll(t *testing.T, want string, got []string) {
	t.Helper()
	for i, tok := range got {
		require.Equal(t, want, tok, "replica %d", i)
	}
}

// requireStored asserts that the store holds want under key.
func requireStored(t *testing.T, store partnerkit.TokenStore, key, want string) {
	t.Helper()
	stored, err := store.Load(ctx, key)
	require.NoError(t, err)
	require.Equal(t, want, stored.Value())
}

func testReplicasObtainOne(t *testing.T, newStore Factory) {
	store, key := newStore(t), newKey(t)
	clk := clock.NewFake(time.Now())
	src := &source{clk: clk}
	replicas := replicasOf(8, store, key, src, transport.TokenOptions{})
	first := tokens(t, replicas)
	require.EqualValues(t, 1, src.calls.Load(), "one token for the fleet")
	requireAll(t, "issued-token-1", first)

	clk.Advance(56 * time.Minute) // due for renewal on every replica
	renewed := tokens(t, replicas)
	require.EqualValues(t, 2, src.calls.Load(), "one renewal for the fleet")
	requireAll(t, "issued-token-2", renewed)
	requireStored(t, store, key, "issued-token-2")
}

func testStoredTokenIsUsed(t *testing.T, newStore Factory) {
	store, key := newStore(t), newKey(t)
	clk := clock.NewFake(time.Now())
	src := &source{clk: clk}
	first, err := replica(store, key, src, transport.TokenOptions{}).Token(ctx)
	require.NoError(t, err)

	var seen []string
	late := replica(store, key, src, transport.TokenOptions{OnToken: func(v string) { seen = append(seen, v) }})
	clk.Advance(30 * time.Minute)
	got, err := late.Token(ctx)
	require.NoError(t, err)
	require.Equal(t, first.Value, got.Value, "the stored token, not a new one")
	require.EqualValues(t, 1, src.calls.Load())
	require.Equal(t, []string{first.Value}, seen, "registered as a secret before use")
	require.WithinDuration(t, first.Expiry, got.Expiry, time.Millisecond)

	clk.Advance(25*time.Minute + time.Second) // 55 min: inside the margin of the stored token's life
	renewed, err := late.Token(ctx)
	require.NoError(t, err)
	require.NotEqual(t, first.Value, renewed.Value)
	require.EqualValues(t, 2, src.calls.Load(), "the late replica renews when the token is due, as the first would")
}

func testRefusedRenewedOnce(t *testing.T, newStore Factory) {
	store, key := newStore(t), newKey(t)
	clk := clock.NewFake(time.Now())
	src := &source{clk: clk}
	replicas := replicasOf(4, store, key, src, transport.TokenOptions{})
	refused := tokens(t, replicas)[0]
	for _, r := range replicas {
		r.Invalidate(refused)
	}
	renewed := tokens(t, replicas)
	require.EqualValues(t, 2, src.calls.Load(), "one renewal after the refusal")
	requireAll(t, "issued-token-2", renewed)

	// A replica that holds the refused token no longer takes it from the
	// store, and the store keeps the renewed one.
	late := replica(store, key, src, transport.TokenOptions{})
	tok, err := late.Token(ctx)
	require.NoError(t, err)
	require.Equal(t, "issued-token-2", tok.Value)
	requireStored(t, store, key, "issued-token-2")
}

func testRefusedAlreadyReplaced(t *testing.T, newStore Factory) {
	store, key := newStore(t), newKey(t)
	clk := clock.NewFake(time.Now())
	src := &source{clk: clk}
	a := replica(store, key, src, transport.TokenOptions{})
	old, err := a.Token(ctx)
	require.NoError(t, err)
	replacement := partnerkit.NewToken("stored-by-another", clk.Now().Add(time.Hour), clk.Now())
	require.NoError(t, store.Store(ctx, key, replacement))

	a.Invalidate(old.Value)
	got, err := a.Token(ctx)
	require.NoError(t, err)
	require.Equal(t, "stored-by-another", got.Value)
	require.EqualValues(t, 1, src.calls.Load(), "no renewal: another process renewed")
	requireStored(t, store, key, "stored-by-another")
}

func testRefusedLeaves(t *testing.T, newStore Factory) {
	store, key := newStore(t), newKey(t)
	clk := clock.NewFake(time.Now())
	src := &source{clk: clk, gate: make(chan error, 2)}
	a := replica(store, key, src, transport.TokenOptions{})
	src.gate <- nil
	refused, err := a.Token(ctx)
	require.NoError(t, err)
	a.Invalidate(refused.Value)
	down := errors.New("the provider is down")
	src.gate <- down
	_, err = a.Token(ctx)
	require.ErrorIs(t, err, down)
	stored, err := store.Load(ctx, key)
	require.NoError(t, err)
	require.True(t, stored.IsZero(), "nobody takes the refused token from the store, though no new one replaced it")
}

func testDeadHolder(t *testing.T, newStore Factory) {
	store, key := newStore(t), newKey(t)
	clk := clock.NewFake(time.Now())
	src := &source{clk: clk}
	const ttl = 300 * time.Millisecond
	// A process took the renewal lock and died: it never unlocks.
	taken := time.Now()
	_, ok, err := store.Lock(ctx, key, ttl)
	require.NoError(t, err)
	require.True(t, ok)

	replicas := replicasOf(4, store, key, src, transport.TokenOptions{LockTTL: time.Minute, FetchTimeout: 5 * time.Minute})
	got := tokens(t, replicas)
	took := time.Since(taken)
	require.EqualValues(t, 1, src.calls.Load(), "one replica renewed once the lock expired")
	requireAll(t, "issued-token-1", got)
	require.GreaterOrEqual(t, took, ttl-20*time.Millisecond, "the lock held them")
	require.Less(t, took, ttl+5*time.Second, "not past the lock's TTL (the replicas' own lock lasts a minute)")
}

func testFailingHolder(t *testing.T, newStore Factory) {
	store, key := newStore(t), newKey(t)
	clk := clock.NewFake(time.Now())
	failing := &source{clk: clk, gate: make(chan error)}
	holder := replica(store, key, failing, transport.TokenOptions{LockTTL: time.Minute, FetchTimeout: 5 * time.Minute})
	holderErr := make(chan error, 1)
	go func() {
		_, err := holder.Token(ctx)
		holderErr <- err
	}()
	require.Eventually(t, func() bool { return failing.calls.Load() == 1 }, 10*time.Second, time.Millisecond, "the holder logs in")

	healthy := &source{clk: clk}
	waiter := replica(store, key, healthy, transport.TokenOptions{LockTTL: time.Minute, FetchTimeout: 5 * time.Minute})
	waiterTok := make(chan transport.Token, 1)
	go func() {
		tok, _ := waiter.Token(ctx)
		waiterTok <- tok
	}()
	start := time.Now()
	failing.gate <- context.Canceled // the holder's login is cancelled
	require.ErrorIs(t, <-holderErr, context.Canceled)
	tok := <-waiterTok
	require.Equal(t, "issued-token-1", tok.Value, "the waiter renewed")
	require.Less(t, time.Since(start), 10*time.Second, "at once, not after the holder's minute-long lock")
	require.EqualValues(t, 1, healthy.calls.Load())
}
