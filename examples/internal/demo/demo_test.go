package demo_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/examples/internal/demo"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

func TestOptionsAccumulateAndAreCopied(t *testing.T) {
	t.Parallel()
	assert.Empty(t, demo.Options(context.Background()))
	ctx := demo.WithOptions(context.Background(), partnerkit.WithMaxRetries(1))
	ctx = demo.WithOptions(ctx, partnerkit.WithUserAgentSuffix("x"))
	opts := demo.Options(ctx)
	cfg, err := transport.Configure("test", nil, opts)
	assert.NoError(t, err)
	assert.Equal(t, 1, cfg.MaxRetries)
	assert.Equal(t, "x", cfg.UserAgentSuffix)

	opts[0] = partnerkit.WithMaxRetries(9)
	cfg, err = transport.Configure("test", nil, demo.Options(ctx))
	assert.NoError(t, err)
	assert.Equal(t, 1, cfg.MaxRetries, "the carried options cannot be changed through a returned slice")
}
