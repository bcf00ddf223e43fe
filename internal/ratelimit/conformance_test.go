package ratelimit_test

import (
	"testing"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/ratelimit"
	"github.com/partnerkit/partnerkit-go/internal/ratelimit/limitertest"
)

// TestConformance holds Local to the contract of every partnerkit.Limiter.
func TestConformance(t *testing.T) {
	t.Parallel()
	limitertest.Run(t, func(clk clock.Clock) partnerkit.Limiter {
		return ratelimit.New(clk)
	})
}
