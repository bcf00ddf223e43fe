package cohost_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/cohost"
)

// listingsServer serves one page of 20 listings on loopback.
func listingsServer(b *testing.B) *httptest.Server {
	b.Helper()
	items := make([]string, 20)
	for i := range items {
		items[i] = fmt.Sprintf(`{"id":%d,"team_id":1,"name":"Listing %d","listing_type":"ENTIRE_PLACE","property_type":"VILLA",
"address":"12 Tran Phu, Da Lat","country_code":"VN","province_code":"68","capacity":6,"bedrooms":3,"bathrooms":2,
"state":"ACTIVE","full_rate":1500000,"currency":"VND","instant_book_enabled":true,"created_at":"2025-01-10T08:00:00Z"}`, i+1, i+1)
	}
	body := []byte(`{"items":[` + strings.Join(items, ",") + `],"total":20,"page":1,"limit":20,"total_pages":1}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-API-Key") != apiKey {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func pooledClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: t}
}

// BenchmarkListings compares one Listings.List call through the SDK with
// the same call made with bare resty and with net/http and encoding/json.
func BenchmarkListings(b *testing.B) {
	srv := listingsServer(b)
	ctx := context.Background()
	url := srv.URL + "/api/v1/external/listings"

	b.Run("sdk", func(b *testing.B) {
		c, err := cohost.New(apiKey, partnerkit.WithBaseURL(srv.URL+"/api/v1/external"),
			partnerkit.WithHTTPClient(pooledClient()), partnerkit.WithRateLimit(1_000_000, time.Second))
		if err != nil {
			b.Fatal(err)
		}
		params := &cohost.ListingListParams{TeamIDs: []partnerkit.ID{"1"}, Page: 1, Limit: 20}
		b.ReportAllocs()
		for b.Loop() {
			page, err := c.Listings.List(ctx, params)
			if err != nil || len(page.Items) != 20 {
				b.Fatal(err)
			}
		}
	})

	b.Run("resty", func(b *testing.B) {
		rc := resty.NewWithClient(pooledClient())
		b.ReportAllocs()
		for b.Loop() {
			var page cohost.Page[cohost.Listing]
			resp, err := rc.R().SetContext(ctx).SetHeader("X-API-Key", apiKey).
				SetQueryParams(map[string]string{"team_ids": "[1]", "page": "1", "limit": "20"}).
				SetResult(&page).Get(url)
			if err != nil || resp.IsError() || len(page.Items) != 20 {
				b.Fatal(err)
			}
		}
	})

	b.Run("nethttp", func(b *testing.B) {
		hc := pooledClient()
		b.ReportAllocs()
		for b.Loop() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"?limit=20&page=1&team_ids=%5B1%5D", nil)
			req.Header.Set("X-API-Key", apiKey)
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var page cohost.Page[cohost.Listing]
			err = json.NewDecoder(resp.Body).Decode(&page)
			resp.Body.Close()
			if err != nil || len(page.Items) != 20 {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkListingsParallel runs Listings.List from 64 goroutines (32 per
// processor on this 2-core machine) on one client, beside raw net/http from
// as many goroutines.
func BenchmarkListingsParallel(b *testing.B) {
	srv := listingsServer(b)
	url := srv.URL + "/api/v1/external/listings"

	b.Run("sdk", func(b *testing.B) {
		c, err := cohost.New(apiKey, partnerkit.WithBaseURL(srv.URL+"/api/v1/external"),
			partnerkit.WithHTTPClient(pooledClient()), partnerkit.WithRateLimit(1_000_000, time.Second))
		if err != nil {
			b.Fatal(err)
		}
		params := &cohost.ListingListParams{TeamIDs: []partnerkit.ID{"1"}, Page: 1, Limit: 20}
		b.ReportAllocs()
		b.SetParallelism(32)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				page, err := c.Listings.List(context.Background(), params)
				if err != nil || len(page.Items) != 20 {
					b.Error(err)
					return
				}
			}
		})
	})

	b.Run("nethttp", func(b *testing.B) {
		hc := pooledClient()
		b.ReportAllocs()
		b.SetParallelism(32)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				req, _ := http.NewRequest(http.MethodGet, url+"?limit=20&page=1&team_ids=%5B1%5D", nil)
				req.Header.Set("X-API-Key", apiKey)
				resp, err := hc.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				var page cohost.Page[cohost.Listing]
				err = json.NewDecoder(resp.Body).Decode(&page)
				resp.Body.Close()
				if err != nil || len(page.Items) != 20 {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkListingsAll iterates over 100,000 listings, 100 a page, and
// reports the peak heap in use during the iteration and the goroutines
// left running after it (the iterator starts none).
func BenchmarkListingsAll(b *testing.B) {
	const total, limit = 100_000, 100
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		var buf strings.Builder
		buf.WriteString(`{"items":[`)
		for i := range limit {
			if i > 0 {
				buf.WriteByte(',')
			}
			fmt.Fprintf(&buf, `{"id":%d,"team_id":1,"name":"Listing %d","state":"ACTIVE","full_rate":1500000,"currency":"VND"}`, (page-1)*limit+i+1, i)
		}
		fmt.Fprintf(&buf, `],"total":%d,"page":%d,"limit":%d}`, total, page, limit)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, buf.String())
	}))
	b.Cleanup(srv.Close)
	c, err := cohost.New(apiKey, partnerkit.WithBaseURL(srv.URL), partnerkit.WithHTTPClient(pooledClient()), partnerkit.WithoutRateLimit())
	if err != nil {
		b.Fatal(err)
	}
	before := runtime.NumGoroutine()
	var peak uint64
	var ms runtime.MemStats
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for l, err := range c.Listings.All(context.Background(), &cohost.ListingListParams{Limit: limit}) {
			if err != nil || l.ID == "" {
				b.Fatal(err)
			}
			if n++; n%(10*limit) == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
		if n != total {
			b.Fatalf("got %d listings, want %d", n, total)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	// The pooled keep-alive connection keeps three goroutines (the client's
	// read and write loops, the server's connection); the iterator itself
	// leaves nothing running.
	b.ReportMetric(float64(runtime.NumGoroutine()-before), "goroutines-after")
}
