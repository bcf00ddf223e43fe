package redisfleet_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/cohost"
	"github.com/partnerkit/partnerkit-go/redisfleet"
)

// ExampleNewLimiter shares Cohost's per-key quota among every replica of a
// service: each replica builds its client with the same Limiter settings
// on the same Redis. The observer counts the switches to the in-process
// limits and back, for an operator's dashboard.
func ExampleNewLimiter() {
	rdb := redis.NewClient(&redis.Options{
		Addr:                  os.Getenv("REDIS_ADDR"),
		ContextTimeoutEnabled: true, // let the limiter's deadlines end its calls
	})
	defer rdb.Close()
	limiter, err := redisfleet.NewLimiter(rdb,
		redisfleet.WithPrefix("booking-api:"),
		redisfleet.WithTimeout(50*time.Millisecond),
		redisfleet.WithLogger(slog.Default()),
		redisfleet.WithObserver(partnerkit.ObserverFunc(func(ctx context.Context, e partnerkit.Event) {
			switch e := e.(type) {
			case *partnerkit.LimiterFallback:
				fmt.Println("limiting each replica alone:", e.Err)
			case *partnerkit.LimiterResumed:
				fmt.Println("sharing the quota again after", e.Down)
			}
		})))
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := cohost.New(os.Getenv("COHOST_API_KEY"), partnerkit.WithLimiter(limiter))
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = c // every replica's calls now count against one quota
}
