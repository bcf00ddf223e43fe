package partnerkit_test

import (
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
)

func TestNewConfigAppliesDefaultsThenOptions(t *testing.T) {
	t.Parallel()
	hc := &http.Client{}
	logger := slog.Default()
	c := partnerkit.NewConfig(
		partnerkit.WithBaseURL("http://127.0.0.1:1/api"),
		partnerkit.WithHTTPClient(hc),
		partnerkit.WithTimeout(5*time.Second),
		partnerkit.WithMaxRetries(0),
		partnerkit.WithRetryBackoff(time.Second, 4*time.Second),
		partnerkit.WithMaxWait(10*time.Second),
		partnerkit.WithRateLimit(10, time.Second),
		partnerkit.WithLogger(logger),
		partnerkit.WithUserAgentSuffix("acme/1.2"),
		partnerkit.WithHeader("X-Trace", "a"),
		partnerkit.WithHeader("X-Trace", "b"),
		partnerkit.WithMaxResponseBytes(1024),
		nil,
	)
	require.Equal(t, "http://127.0.0.1:1/api", c.BaseURL)
	require.Same(t, hc, c.HTTPClient)
	require.Equal(t, 5*time.Second, c.Timeout)
	require.Equal(t, 0, c.MaxRetries)
	require.Equal(t, time.Second, c.RetryBaseWait)
	require.Equal(t, 4*time.Second, c.RetryMaxWait)
	require.Equal(t, 10*time.Second, c.MaxWait)
	require.Equal(t, &partnerkit.RateLimit{Limit: 10, Per: time.Second}, c.RateLimit)
	require.Same(t, logger, c.Logger)
	require.Equal(t, "acme/1.2", c.UserAgentSuffix)
	require.Equal(t, []string{"a", "b"}, c.Headers.Values("X-Trace"))
	require.Equal(t, int64(1024), c.MaxResponseBytes)
	require.NoError(t, c.Validate("cohost"))

	d := partnerkit.NewConfig(partnerkit.WithoutRateLimit())
	require.True(t, d.RateLimitDisabled)
	require.Equal(t, partnerkit.DefaultMaxRetries, d.MaxRetries)
	require.Equal(t, partnerkit.DefaultTimeout, d.Timeout)
}

func TestValidateRejectsUnworkableSettings(t *testing.T) {
	t.Parallel()
	type key struct{}
	tests := map[string]struct {
		opt   partnerkit.Option
		field string
	}{
		"negative retries": {partnerkit.WithMaxRetries(-1), "MaxRetries"},
		"negative timeout": {partnerkit.WithTimeout(-time.Second), "Timeout"},
		"backoff reversed": {partnerkit.WithRetryBackoff(time.Second, time.Millisecond), "RetryMaxWait"},
		"zero quota":       {partnerkit.WithRateLimit(0, time.Second), "RateLimit"},
		"no body allowed":  {partnerkit.WithMaxResponseBytes(0), "MaxResponseBytes"},
		"foreign option":   {func(c *partnerkit.Config) { c.SetValue("alohub", key{}, "t1") }, "options"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := partnerkit.NewConfig(tt.opt).Validate("cohost")
			require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
			var ve *partnerkit.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Equal(t, tt.field, ve.Field)
		})
	}
}

func TestConfigValues(t *testing.T) {
	t.Parallel()
	type tenantKey struct{}
	c := partnerkit.NewConfig()
	_, ok := c.Value(tenantKey{})
	require.False(t, ok)
	c.SetValue("alohub", tenantKey{}, "t1")
	c.SetValue("alohub", tenantKey{}, "t2")
	v, ok := c.Value(tenantKey{})
	require.True(t, ok)
	require.Equal(t, "t2", v)
	require.NoError(t, c.Validate("alohub"))
	require.Error(t, c.Validate("cohost"))
}
