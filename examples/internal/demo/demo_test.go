package demo_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/examples/internal/demo"
)

func TestOptionsAccumulateAndAreCopied(t *testing.T) {
	t.Parallel()
	assert.Empty(t, demo.Options(context.Background()))
	ctx := demo.WithOptions(context.Background(), partnerkit.WithMaxRetries(1))
	ctx = demo.WithOptions(ctx, partnerkit.WithUserAgentSuffix("x"))
	opts := demo.Options(ctx)
	cfg := partnerkit.NewConfig(opts...)
	assert.Equal(t, 1, cfg.MaxRetries)
	assert.Equal(t, "x", cfg.UserAgentSuffix)

	opts[0] = partnerkit.WithMaxRetries(9)
	assert.Equal(t, 1, partnerkit.NewConfig(demo.Options(ctx)...).MaxRetries, "the carried options cannot be changed through a returned slice")
}
