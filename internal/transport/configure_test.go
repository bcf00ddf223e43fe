package transport

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/config"
)

type setupSettings struct{ sandbox bool }

func setupSandbox() partnerkit.Option {
	return config.ForProvider("test", "test.Sandbox", func(c *config.Config) error {
		config.Slot[setupSettings](c).sandbox = true
		return nil
	})
}

func TestConfigureReportsTheArgumentsBeforeAnyOption(t *testing.T) {
	t.Parallel()
	args := &partnerkit.ValidationError{Field: "apiKey", Rule: "must not be blank"}
	applied := false
	watch := config.New("test.Watch", func(*config.Config) error { applied = true; return nil })
	cfg, err := Configure("test", args, []partnerkit.Option{watch, partnerkit.WithMaxRetries(-1)})
	require.Same(t, args, err)
	require.Nil(t, cfg)
	require.False(t, applied)

	_, set, err := Setup[setupSettings]("test", args, []partnerkit.Option{setupSandbox()})
	require.Same(t, args, err)
	require.False(t, set.sandbox)
}

func TestSetupReturnsTheOptionsAndTheProvidersSettings(t *testing.T) {
	t.Parallel()
	cfg, set, err := Setup[setupSettings]("test", nil, []partnerkit.Option{partnerkit.WithMaxRetries(5), setupSandbox()})
	require.NoError(t, err)
	require.Equal(t, 5, cfg.MaxRetries)
	require.True(t, set.sandbox)

	_, set, err = Setup[setupSettings]("test", nil, nil)
	require.NoError(t, err)
	require.False(t, set.sandbox)

	_, _, err = Setup[setupSettings]("other", nil, []partnerkit.Option{setupSandbox()})
	var verr *partnerkit.ValidationError
	require.ErrorAs(t, err, &verr)
	require.Equal(t, "test.Sandbox", verr.Field)
}

func TestASandboxHostReplacesTheBaseURLAndRefusesOneGivenToo(t *testing.T) {
	t.Parallel()
	sandbox := config.SandboxHost("test", "test.Sandbox", "https://sandbox.example")
	cfg, err := Configure("test", nil, []partnerkit.Option{sandbox})
	require.NoError(t, err)
	require.Equal(t, "https://sandbox.example", cfg.BaseURL)
	require.Equal(t, "https://sandbox.example", cfg.Sandbox)

	for _, opts := range [][]partnerkit.Option{
		{sandbox, partnerkit.WithBaseURL("https://proxy.example")},
		{partnerkit.WithBaseURL("https://proxy.example"), sandbox},
	} {
		_, err = Configure("test", nil, opts)
		var verr *partnerkit.ValidationError
		require.ErrorAs(t, err, &verr)
		require.Equal(t, "test.Sandbox", verr.Field)
		require.Contains(t, verr.Rule, "partnerkit.WithBaseURL")
	}

	_, err = Configure("cohost", nil, []partnerkit.Option{sandbox})
	var verr *partnerkit.ValidationError
	require.ErrorAs(t, err, &verr)
	require.Equal(t, "test.Sandbox", verr.Field)
}
