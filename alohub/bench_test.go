package alohub_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/alohub"
	"github.com/partnerkit/partnerkit-go/alohub/alohubtest"
)

// The quota benchmark's scale: Alohub's gateway shrunk to 50 requests per
// 1-second window (tenant and route), 500 calls from 32 goroutines.
const (
	quotaLimit   = 50
	quotaWindow  = time.Second
	quotaCalls   = 500
	quotaWorkers = 32
)

// quotaMinimum is the least wall time the calls can take: the windows open
// with the first request, so the last of ceil(calls/limit) windows opens
// (windows-1) window lengths after it.
const quotaMinimum = time.Duration((quotaCalls+quotaLimit-1)/quotaLimit-1) * quotaWindow

func pooled() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: t}
}

// quotaRun is what one run of the quota scenario saw.
type quotaRun struct {
	requests, rateLimited, failed int
	wall                          time.Duration
}

// runQuota makes quotaCalls calls from quotaWorkers goroutines against a
// fresh fake and reports the fake's counters, the failed calls and the wall
// time.
func runQuota(b *testing.B, newCall func(baseURL string) func(ctx context.Context) error) quotaRun {
	b.Helper()
	fake := alohubtest.New()
	fake.SetRateLimit("", quotaLimit, quotaWindow)
	fake.SetRateLimit(alohubtest.EachRoute, quotaLimit, quotaWindow)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	call := newCall(srv.URL)
	var next, failed atomic.Int32
	var wg sync.WaitGroup
	start := time.Now()
	for range quotaWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= quotaCalls {
				if err := call(context.Background()); err != nil {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return quotaRun{requests: fake.Requests(""), rateLimited: fake.RateLimited(), failed: int(failed.Load()), wall: time.Since(start)}
}

// BenchmarkQuota (P2) compares the SDK with a plain resty client that
// retries 429s after Retry-After, both making 500 calls from 32 goroutines
// to the fake scaled to 50 requests per 1-second window. It reports the
// 429 answers seen, the attempts, the failed calls, and the wall time as a
// ratio of the theoretical minimum (9 s: ten windows). Run it with
// -benchtime=1x; each run takes about ten seconds.
func BenchmarkQuota(b *testing.B) {
	cases := []struct {
		name    string
		newCall func(baseURL string) func(ctx context.Context) error
	}{
		{"sdk", func(baseURL string) func(ctx context.Context) error {
			c, err := alohub.New(alohubtest.APIKey, partnerkit.WithBaseURL(baseURL), partnerkit.WithHTTPClient(pooled()),
				alohub.WithWindowLength(quotaWindow))
			if err != nil {
				b.Fatal(err)
			}
			return func(ctx context.Context) error {
				_, err := c.ContactLists.List(ctx, listsOf("1042"))
				return err
			}
		}},
		{"resty", func(baseURL string) func(ctx context.Context) error {
			rc := resty.NewWithClient(pooled()).
				SetBaseURL(baseURL).
				SetHeader("X-Api-Key", alohubtest.APIKey).
				SetRetryCount(20).
				SetRetryMaxWaitTime(5 * time.Second).
				AddRetryCondition(func(r *resty.Response, err error) bool {
					return r != nil && r.StatusCode() == http.StatusTooManyRequests
				}).
				SetRetryAfter(func(_ *resty.Client, r *resty.Response) (time.Duration, error) {
					secs, err := strconv.Atoi(r.Header().Get("Retry-After"))
					if err != nil {
						return 0, nil // resty's own backoff
					}
					return time.Duration(secs) * time.Second, nil
				})
			return func(ctx context.Context) error {
				resp, err := rc.R().SetContext(ctx).Get("/v1/campaigns/1042/contact-lists")
				if err == nil && resp.IsError() {
					err = &partnerkit.Error{StatusCode: resp.StatusCode()}
				}
				return err
			}
		}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			var rejected, attempts, failed int
			var wall time.Duration
			for b.Loop() {
				run := runQuota(b, tc.newCall)
				rejected += run.rateLimited
				attempts += run.requests
				failed += run.failed
				wall += run.wall
			}
			n := float64(b.N)
			b.ReportMetric(float64(rejected)/n, "429s/op")
			b.ReportMetric(float64(attempts)/n, "attempts/op")
			b.ReportMetric(float64(failed)/n, "failed/op")
			b.ReportMetric(100*float64(rejected)/float64(attempts), "%429")
			b.ReportMetric(wall.Seconds()/n/quotaMinimum.Seconds(), "x-minimum")
		})
	}
}
