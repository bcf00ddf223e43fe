package chekin_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/chekin"
	"github.com/partnerkit/partnerkit-go/chekin/chekintest"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

// BenchmarkExpiredToken starts 1000 calls at once on a client whose token
// has just expired, against the fake on loopback, and reports how many
// token requests (logins and refreshes, refused ones included) the fake
// received per 1000 calls. One login serves every caller: an expired token
// is not refreshed.
func BenchmarkExpiredToken(b *testing.B) {
	const racers = 1000
	clk := clock.NewFake(time.Now())
	fake := chekintest.New(chekintest.WithClock(clk.Now))
	srv := httptest.NewServer(fake)
	b.Cleanup(srv.Close)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.Cleanup(hc.CloseIdleConnections)
	c, err := chekin.New(chekintest.Email, chekintest.Password,
		partnerkit.WithBaseURL(srv.URL), partnerkit.WithHTTPClient(hc), transport.WithClock(clk))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Token(ctx); err != nil {
		b.Fatal(err)
	}
	before := fake.TokenRequests()
	var failures atomic.Int32
	b.ResetTimer()
	for b.Loop() {
		clk.Advance(2 * time.Hour)
		var wg sync.WaitGroup
		for range racers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.Housings.List(ctx, nil); err != nil {
					failures.Add(1)
				}
			}()
		}
		wg.Wait()
	}
	if n := failures.Load(); n > 0 {
		b.Fatalf("%d calls failed", n)
	}
	b.ReportMetric(float64(fake.TokenRequests()-before)/float64(b.N), "token-requests/1000-calls")
}
