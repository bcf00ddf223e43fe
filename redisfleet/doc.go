// Package redisfleet lets the replicas of a service share, on Redis, what
// the SDK otherwise keeps in each process: one rate-limit quota per
// credential (Limiter, a partnerkit.Limiter) and one session per account
// (TokenStore, a partnerkit.TokenStore). The providers count per key, not
// per process: with a Limiter shared by every replica, a fleet keeps one
// quota together and spends no 429 where one process alone would not; with
// a TokenStore, a fleet logs in to CheKin once per token lifetime instead
// of once per replica.
//
//	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379", ContextTimeoutEnabled: true})
//	limiter, err := redisfleet.NewLimiter(rdb, redisfleet.WithLogger(slog.Default()))
//	if err != nil {
//		return err
//	}
//	store, err := redisfleet.NewTokenStore(rdb)
//	if err != nil {
//		return err
//	}
//	co, err := cohost.New(cohostKey, partnerkit.WithLimiter(limiter))
//	ch, err := chekin.New(email, password, partnerkit.WithLimiter(limiter), chekin.WithTokenStore(store))
//
// Redis never sees a credential: keys are made of a prefix, the provider's
// name and a digest of the credential or account, and every key has a time
// to live. Only the providers' session tokens are stored, so keep Redis as
// private as the service's other secrets. When Redis is down or slow, calls
// go on: the Limiter falls back to the in-process limits (logged once, and
// reported to an Observer) and comes back by itself; a client renews its
// session on its own until the store answers again.
//
// It is a module of its own, so that a user who does not use Redis never
// downloads a Redis client.
package redisfleet
