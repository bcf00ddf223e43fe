package ratelimit

import (
	"context"
	"math"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
)

// Short names for the contract's types in these tests.
type (
	Quota    = partnerkit.Quota
	Feedback = partnerkit.LimitFeedback
	Window   = partnerkit.RateWindow
)

// Config is what one client tells its limiter in every LimitRequest, for
// the tests: its quotas, whether it learns, the window it assumes, its
// longest wait (0 for none) and its clock.
type Config struct {
	Quotas       []Quota
	Learn        bool
	WindowLength time.Duration
	MaxWait      time.Duration
	Clock        clock.Clock
	Gate         partnerkit.GateScope
}

// client is a Local limiter seen by one client of one credential.
type client struct {
	l   *Local
	cfg Config
}

func newClient(cfg Config) *client {
	return &client{l: New(cfg.Clock), cfg: cfg}
}

// Wait asks the limiter for a request on route.
func (c *client) Wait(ctx context.Context, route string) (func(Feedback), error) {
	maxWait := c.cfg.MaxWait
	if maxWait == 0 {
		maxWait = math.MaxInt64
	}
	return c.l.Wait(ctx, &partnerkit.LimitRequest{
		Provider: "test", Credential: "key", Route: route,
		Quotas: c.cfg.Quotas, Window: c.cfg.WindowLength, Gate: c.cfg.Gate,
		MaxWait: maxWait, Learn: c.cfg.Learn,
	})
}
