package ratelimit

import (
	"math"
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func TestParseHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		h    http.Header
		want []Window
	}{
		{
			name: "cohost: X-RateLimit with a Unix reset",
			h:    header("X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "59", "X-RateLimit-Reset", "1772366460"),
			want: []Window{{Name: "", Limit: 60, Remaining: 59, Reset: time.Unix(1772366460, 0)}},
		},
		{
			name: "kong suffixes with a shared relative reset",
			h: header("X-RateLimit-Limit-Tenant", "100", "X-RateLimit-Remaining-Tenant", "40",
				"X-RateLimit-Limit-Route", "50", "X-RateLimit-Remaining-Route", "7", "RateLimit-Reset", "0.750"),
			want: []Window{
				{Name: "route", PerRoute: true, Limit: 50, Remaining: 7, Reset: now.Add(750 * time.Millisecond)},
				{Name: "tenant", Limit: 100, Remaining: 40, Reset: now.Add(750 * time.Millisecond)},
			},
		},
		{
			name: "IETF RateLimit family with its own reset per suffix",
			h:    header("RateLimit-Limit-Minute", "10", "RateLimit-Remaining-Minute", "0", "RateLimit-Reset-Minute", "30"),
			want: []Window{{Name: "minute", Limit: 10, Remaining: 0, Reset: now.Add(30 * time.Second)}},
		},
		{
			name: "remaining without limit or reset",
			h:    header("X-RateLimit-Remaining", "3"),
			want: []Window{{Remaining: 3}},
		},
		{
			name: "policy list keeps the first value",
			h:    header("RateLimit-Limit", "100, 100;w=60", "RateLimit-Remaining", "5"),
			want: []Window{{Limit: 100, Remaining: 5}},
		},
		{
			name: "malformed values are ignored",
			h:    header("X-RateLimit-Remaining", "lots", "X-RateLimit-Remaining-Route", "-1", "X-RateLimit-Reset", "soon"),
			want: nil,
		},
		{
			name: "unrelated headers",
			h:    header("Content-Type", "application/json", "X-RateLimited", "1"),
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := ParseHeaders(tt.h, now)
			sort.Slice(got, func(i, j int) bool { return got[i].Name < got[j].Name })
			require.Equal(t, tt.want, got)
		})
	}
}

func TestOnlyWindowsNamedForARouteArePerRoute(t *testing.T) {
	t.Parallel()
	require.True(t, perRoute("route"))
	require.False(t, perRoute("tenant"))
	require.False(t, perRoute(""))
}

func TestParseReset(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"1700000060", time.Unix(1700000060, 0), true},
		{"1700000060.2", time.Unix(1700000061, 0), true},
		{"1700000060123", time.UnixMilli(1700000060123), true},
		{"30", now.Add(30 * time.Second), true},
		{"0.25", now.Add(250 * time.Millisecond), true},
		{"0", now, true},
		{"-1", time.Time{}, false},
		{"99999999", time.Time{}, false},
		{"NaN", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseReset(tt.in, now)
		require.Equal(t, tt.ok, ok, tt.in)
		require.True(t, tt.want.Equal(got), "%s: got %v", tt.in, got)
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"30", 30 * time.Second, true},
		{" 2 ", 2 * time.Second, true},
		{"1.5", 1500 * time.Millisecond, true},
		{"0", 0, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"-5", 0, false},
		{"tomorrow", 0, false},
		{"1e300", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseRetryAfter(tt.in, now)
		require.Equal(t, tt.ok, ok, tt.in)
		require.Equal(t, tt.want, got, tt.in)
	}
}

func TestSeconds(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   float64
		want time.Duration
		ok   bool
	}{
		{0, 0, true},
		{1.5, 1500 * time.Millisecond, true},
		{30, 30 * time.Second, true},
		{-1, 0, false},
		{math.NaN(), 0, false},
		{math.Inf(1), 0, false},
		{1e300, 0, false},
	} {
		got, ok := Seconds(tt.in)
		assert.Equal(t, tt.ok, ok, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}
