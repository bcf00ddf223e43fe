package partnerkit_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/cohost"
	"github.com/partnerkit/partnerkit-go/cohost/cohosttest"
)

// ExampleWithObserver counts what a client does about rate limits, as an
// exporter to Prometheus or OpenTelemetry would: here Cohost refuses a
// call with a 429 asking for 30 seconds, longer than the client accepts
// (WithMaxWait), so the call ends at once with ErrRateLimited.
func ExampleWithObserver() {
	fake := cohosttest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	obs := partnerkit.ObserverFunc(func(ctx context.Context, e partnerkit.Event) {
		switch e := e.(type) {
		case *partnerkit.LimiterWait:
			fmt.Printf("limiter: %s attempt %d held %s\n", e.Route, e.Attempt, e.Wait.Round(time.Second))
		case *partnerkit.RateLimitRefusal:
			fmt.Printf("refused: %s %d %s, retry after %s\n", e.Route, e.StatusCode, e.Code, e.RetryAfter)
		case *partnerkit.RetryDecision:
			fmt.Printf("retry: %v after attempt %d (status %d)\n", e.Retry, e.Attempt, e.StatusCode)
		case *partnerkit.WaitRefused:
			fmt.Printf("gave up: a wait of %s (asked by the server: %v)\n", e.Wait, e.Server)
		}
	})
	c, err := cohost.New(cohosttest.APIKey, partnerkit.WithBaseURL(srv.URL),
		partnerkit.WithObserver(obs), partnerkit.WithMaxWait(5*time.Second))
	if err != nil {
		fmt.Println(err)
		return
	}
	fake.FailNext(1, 429)
	_, err = c.Listings.List(context.Background(), nil)
	fmt.Println(errors.Is(err, partnerkit.ErrRateLimited))
	// Output:
	// limiter: GET /listings attempt 1 held 0s
	// refused: GET /listings 429 RATE_LIMIT_EXCEEDED, retry after 30s
	// retry: false after attempt 1 (status 429)
	// gave up: a wait of 30s (asked by the server: true)
	// true
}

// TestWithObserverRefusesNil: a nil Observer is refused by name.
func TestWithObserverRefusesNil(t *testing.T) {
	t.Parallel()
	_, err := cohost.New(cohosttest.APIKey, partnerkit.WithObserver(nil))
	var invalid *partnerkit.ValidationError
	require.ErrorAs(t, err, &invalid)
	require.Equal(t, "partnerkit.WithObserver", invalid.Field)
}
