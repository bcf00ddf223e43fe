package redisfleet_test

import (
	"context"
	"log"
	"os"

	"github.com/redis/go-redis/v9"

	"github.com/partnerkit/partnerkit-go/chekin"
	"github.com/partnerkit/partnerkit-go/redisfleet"
)

// ExampleNewTokenStore shares a CheKin session between the replicas of a
// service: each replica runs this, and together they log in once per token
// lifetime.
func ExampleNewTokenStore() {
	rdb := redis.NewClient(&redis.Options{Addr: os.Getenv("REDIS_ADDR")})
	defer rdb.Close()

	store, err := redisfleet.NewTokenStore(rdb)
	if err != nil {
		log.Fatal(err)
	}
	c, err := chekin.New(os.Getenv("CHEKIN_EMAIL"), os.Getenv("CHEKIN_PASSWORD"),
		chekin.WithTokenStore(store))
	if err != nil {
		log.Fatal(err)
	}
	page, err := c.Housings.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	log.Println(page.Total, "housings")
}
