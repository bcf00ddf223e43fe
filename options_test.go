package partnerkit_test

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/config"
)

// apply applies opts to an empty Config, failing t on an option's error.
func apply(t *testing.T, opts ...partnerkit.Option) *config.Config {
	t.Helper()
	var c config.Config
	for _, o := range opts {
		require.NoError(t, o.Apply(&c), o.Name())
	}
	return &c
}

type nopLimiter struct{}

func (nopLimiter) Wait(context.Context, *partnerkit.LimitRequest) (func(partnerkit.LimitFeedback), error) {
	return func(partnerkit.LimitFeedback) {}, nil
}

func TestOptionsSetTheirSettings(t *testing.T) {
	t.Parallel()
	hc := &http.Client{}
	logger := slog.Default()
	c := apply(t,
		partnerkit.WithBaseURL("http://127.0.0.1:1/api"),
		partnerkit.WithHTTPClient(hc),
		partnerkit.WithTimeout(5*time.Second),
		partnerkit.WithMaxRetries(0),
		partnerkit.WithRetryBackoff(time.Second, 4*time.Second),
		partnerkit.WithMaxWait(0),
		partnerkit.WithRateLimit(10, time.Second),
		partnerkit.WithLogger(logger),
		partnerkit.WithUserAgentSuffix("acme/1.2"),
		partnerkit.WithHeader("X-Trace", "a"),
		partnerkit.WithHeader("X-Trace", "b\twith a tab"),
		partnerkit.WithMaxResponseBytes(1024),
		partnerkit.WithInsecureHTTP(),
		partnerkit.WithLimiter(nopLimiter{}),
		partnerkit.Option{},
	)
	require.Equal(t, "http://127.0.0.1:1/api", c.BaseURL)
	require.Same(t, hc, c.HTTPClient)
	require.Equal(t, 5*time.Second, c.Timeout)
	require.Equal(t, 0, c.MaxRetries)
	require.Equal(t, time.Second, c.RetryBaseWait)
	require.Equal(t, 4*time.Second, c.RetryMaxWait)
	require.Zero(t, c.MaxWait)
	require.Equal(t, 10, c.RateLimit)
	require.Equal(t, time.Second, c.RatePer)
	require.Same(t, logger, c.Logger)
	require.Equal(t, "acme/1.2", c.UserAgentSuffix)
	require.Equal(t, []string{"a", "b\twith a tab"}, c.Headers.Values("X-Trace"))
	require.Equal(t, int64(1024), c.MaxResponseBytes)
	require.True(t, c.InsecureHTTP)
	l, ok := config.Lookup[partnerkit.Limiter](c)
	require.True(t, ok)
	require.Equal(t, nopLimiter{}, l)

	require.False(t, c.RedirectsOff || c.RedirectOtherHosts || c.RedirectPlainHTTP || c.RedirectBody, "redirects keep their defaults")

	r := apply(t, partnerkit.WithRedirects(partnerkit.RedirectToOtherHosts, partnerkit.RedirectWithBody))
	require.Equal(t, [4]bool{false, true, false, true}, [4]bool{r.RedirectsOff, r.RedirectOtherHosts, r.RedirectPlainHTTP, r.RedirectBody})
	r = apply(t, partnerkit.WithRedirects(partnerkit.RedirectWithBody), partnerkit.WithRedirects(partnerkit.RedirectToPlainHTTP))
	require.Equal(t, [4]bool{false, false, true, false}, [4]bool{r.RedirectsOff, r.RedirectOtherHosts, r.RedirectPlainHTTP, r.RedirectBody}, "the later WithRedirects replaces the earlier")
	r = apply(t, partnerkit.WithRedirects(partnerkit.RedirectToOtherHosts), partnerkit.WithoutRedirects())
	require.Equal(t, [4]bool{true, false, false, false}, [4]bool{r.RedirectsOff, r.RedirectOtherHosts, r.RedirectPlainHTTP, r.RedirectBody})
	r = apply(t, partnerkit.WithoutRedirects(), partnerkit.WithRedirects(partnerkit.RedirectToOtherHosts))
	require.Equal(t, [4]bool{false, true, false, false}, [4]bool{r.RedirectsOff, r.RedirectOtherHosts, r.RedirectPlainHTTP, r.RedirectBody})

	require.True(t, apply(t, partnerkit.WithRateLimit(1, time.Second), partnerkit.WithoutRateLimit()).RateLimitOff)
	require.False(t, apply(t, partnerkit.WithoutRateLimit(), partnerkit.WithRateLimit(1, time.Second)).RateLimitOff, "the later option wins")
}

func TestOptionsRefuseValuesThatCannotWork(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		opt  partnerkit.Option
		name string
		rule string
	}{
		"negative retries":     {partnerkit.WithMaxRetries(-1), "partnerkit.WithMaxRetries", "must not be negative, got -1"},
		"negative timeout":     {partnerkit.WithTimeout(-time.Second), "partnerkit.WithTimeout", "must not be negative"},
		"negative max wait":    {partnerkit.WithMaxWait(-time.Second), "partnerkit.WithMaxWait", "must not be negative"},
		"backoff reversed":     {partnerkit.WithRetryBackoff(time.Second, time.Millisecond), "partnerkit.WithRetryBackoff", "base <= maxWait"},
		"zero quota":           {partnerkit.WithRateLimit(0, time.Second), "partnerkit.WithRateLimit", "at least 1 request"},
		"no period":            {partnerkit.WithRateLimit(5, 0), "partnerkit.WithRateLimit", "positive period"},
		"no body allowed":      {partnerkit.WithMaxResponseBytes(0), "partnerkit.WithMaxResponseBytes", "must be positive"},
		"nil http client":      {partnerkit.WithHTTPClient(nil), "partnerkit.WithHTTPClient", "must not be nil"},
		"nil limiter":          {partnerkit.WithLimiter(nil), "partnerkit.WithLimiter", "must not be nil"},
		"relative base":        {partnerkit.WithBaseURL("api.cohost.vn"), "partnerkit.WithBaseURL", "absolute http or https URL"},
		"ftp base":             {partnerkit.WithBaseURL("ftp://x"), "partnerkit.WithBaseURL", "absolute http or https URL"},
		"header with CRLF":     {partnerkit.WithHeader("X-Trace", "a\r\nX-Evil: 1"), "partnerkit.WithHeader", "control characters"},
		"header with NUL":      {partnerkit.WithHeader("X-Trace", "a\x00"), "partnerkit.WithHeader", "control characters"},
		"header name":          {partnerkit.WithHeader("X Trace", "a"), "partnerkit.WithHeader", "valid header name"},
		"empty header name":    {partnerkit.WithHeader("", "a"), "partnerkit.WithHeader", "valid header name"},
		"user agent with LF":   {partnerkit.WithUserAgentSuffix("acme\n"), "partnerkit.WithUserAgentSuffix", "control characters"},
		"user agent with DEL":  {partnerkit.WithUserAgentSuffix("acme\x7f"), "partnerkit.WithUserAgentSuffix", "control characters"},
		"base with a password": {partnerkit.WithBaseURL("ftp://u:hunter22@x"), "partnerkit.WithBaseURL", "ftp://u:xxxxx@x"},
		// url.Parse fails here, and its error quotes the whole address.
		"unparsable base with a password": {partnerkit.WithBaseURL("https://u:hunter22@gate way/api"), "partnerkit.WithBaseURL", "does not parse"},
		"unparsable escape in a password": {partnerkit.WithBaseURL("https://u:hunter22%zz@gateway/api"), "partnerkit.WithBaseURL", "does not parse"},
		"no redirect named":               {partnerkit.WithRedirects(), "partnerkit.WithRedirects", "at least one kind of redirect"},
		"unknown redirect":                {partnerkit.WithRedirects(partnerkit.RedirectWithBody, 0), "partnerkit.WithRedirects", "got Redirect(0)"},
		"redirect out of range":           {partnerkit.WithRedirects(partnerkit.Redirect(9)), "partnerkit.WithRedirects", "got Redirect(9)"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := tt.opt.Apply(&config.Config{})
			require.ErrorIs(t, err, partnerkit.ErrInvalidInput)
			var ve *partnerkit.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Equal(t, tt.name, ve.Field)
			require.Equal(t, tt.name, tt.opt.Name())
			require.Contains(t, ve.Rule, tt.rule)
			require.NotContains(t, err.Error(), "hunter22")
		})
	}
}

func TestRedirectNames(t *testing.T) {
	t.Parallel()
	require.Equal(t, "RedirectToOtherHosts", partnerkit.RedirectToOtherHosts.String())
	require.Equal(t, "RedirectToPlainHTTP", partnerkit.RedirectToPlainHTTP.String())
	require.Equal(t, "RedirectWithBody", partnerkit.RedirectWithBody.String())
	require.Equal(t, "Redirect(-1)", partnerkit.Redirect(-1).String())
}

func TestSharedOptionsBelongToNoProvider(t *testing.T) {
	t.Parallel()
	require.Empty(t, partnerkit.WithMaxRetries(1).Provider())
	require.Error(t, partnerkit.WithMaxRetries(1).Apply(nil), "an option needs a Config")
}
