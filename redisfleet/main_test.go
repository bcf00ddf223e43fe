package redisfleet

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/redistest"
)

// TestMain silences go-redis's own log (the tests stop Redis on purpose)
// and fails the package's tests when any goroutine outlives them.
func TestMain(m *testing.M) {
	redis.SetLogger(quiet{})
	goleak.VerifyTestMain(m)
}

// quiet is a go-redis logger that writes nothing.
type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

// testRedis is a real redis-server on loopback (see internal/redistest) and
// a client of it that honours its contexts' deadlines.
type testRedis struct {
	srv *redistest.Server
	rdb *redis.Client
}

// startRedis starts a redis-server for t, closed when t ends.
func startRedis(t testing.TB) *testRedis {
	t.Helper()
	srv := redistest.Start(t)
	rdb := redis.NewClient(&redis.Options{
		Addr: srv.Addr(), ContextTimeoutEnabled: true,
		MaxRetries: -1, DialTimeout: time.Second, ReadTimeout: time.Second, WriteTimeout: time.Second,
	})
	t.Cleanup(func() { _ = rdb.Close() })
	return &testRedis{srv: srv, rdb: rdb}
}

// prefixes hands out a key prefix of its own to each limiter of a test run.
var prefixes atomic.Int64

// freshPrefix returns a key prefix no other limiter of the run uses.
func freshPrefix() string {
	return "test" + strconv.FormatInt(prefixes.Add(1), 10) + ":"
}

// events is an Observer that keeps every event.
type events struct {
	mu  sync.Mutex
	all []partnerkit.Event
}

func (e *events) Observe(_ context.Context, ev partnerkit.Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.all = append(e.all, ev)
}

// count returns how many events of each kind were seen: fallbacks and
// resumptions.
func (e *events) count() (fallbacks, resumptions int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, ev := range e.all {
		switch ev.(type) {
		case *partnerkit.LimiterFallback:
			fallbacks++
		case *partnerkit.LimiterResumed:
			resumptions++
		}
	}
	return fallbacks, resumptions
}

// mustLimiter returns a Limiter on rdb with opts, failing t on an error.
func mustLimiter(t testing.TB, rdb redis.UniversalClient, opts ...Option) *Limiter {
	t.Helper()
	l, err := NewLimiter(rdb, opts...)
	require.NoError(t, err)
	return l
}

// startAdmin returns a second client of r, for commands that a test sends
// while the limiter's client is held up.
func startAdmin(t testing.TB, r *testRedis) *redis.Client {
	t.Helper()
	admin := redis.NewClient(&redis.Options{Addr: r.srv.Addr(), ContextTimeoutEnabled: true, MaxRetries: -1})
	t.Cleanup(func() { _ = admin.Close() })
	return admin
}
