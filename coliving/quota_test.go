package coliving_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/coliving"
)

func TestDocumentedQuotas(t *testing.T) {
	t.Parallel()
	t.Run("60 a minute for /me", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.on(http.MethodGet, "/v1/me", 200, meV1)
		for range coliving.MeRateLimit {
			_, err := h.c.Account.Verify(ctx)
			require.NoError(t, err)
		}
		require.Empty(t, h.clock.Sleeps(), "the first 60 go at once")
		_, err := h.c.Account.Verify(ctx)
		require.NoError(t, err)
		require.Equal(t, []time.Duration{time.Minute + time.Second}, h.clock.Sleeps(), "the 61st waits for the window and its margin")
	})
	t.Run("100 a minute for availability", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.on(http.MethodPost, "/v1/integrations/mangobeds/availability", 200, availabilityOK)
		h.on(http.MethodGet, "/v1/me", 200, meV1)
		h.on(http.MethodGet, "/v1/integrations/mangobeds/listings/5325/room-types", 200, roomTypesDoc)
		for range 50 {
			_, err := h.c.Account.Verify(ctx)
			require.NoError(t, err)
		}
		for range 150 {
			_, err := h.c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: "5325"})
			require.NoError(t, err)
		}
		for range coliving.AvailabilityRateLimit {
			_, err := h.c.Availability.Update(ctx, oneUpdate())
			require.NoError(t, err)
		}
		require.Empty(t, h.clock.Sleeps(), "quotas are per route; room types have none")
		_, err := h.c.Availability.Update(ctx, oneUpdate())
		require.NoError(t, err)
		require.Equal(t, []time.Duration{time.Minute + time.Second}, h.clock.Sleeps(), "the window and its margin")
	})
	t.Run("the same routes in every version and environment", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, coliving.WithAPIVersion(coliving.V2), coliving.Sandbox())
		h.on(http.MethodGet, "/v2/sandbox/me", 200, meV2)
		for range coliving.MeRateLimit {
			_, err := h.c.Account.Verify(ctx)
			require.NoError(t, err)
		}
		require.Empty(t, h.clock.Sleeps())
		_, err := h.c.Account.Verify(ctx)
		require.NoError(t, err)
		require.Equal(t, []time.Duration{time.Minute + time.Second}, h.clock.Sleeps(), "GET /me is one route under /v2/sandbox too")
	})
	t.Run("WithRateLimit replaces them", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, partnerkit.WithRateLimit(2, time.Second))
		h.on(http.MethodGet, "/v1/me", 200, meV1)
		for range 3 {
			_, err := h.c.Account.Verify(ctx)
			require.NoError(t, err)
		}
		require.Equal(t, []time.Duration{time.Second + 20*time.Millisecond}, h.clock.Sleeps(), "the period and its margin, Per/50")
	})
	t.Run("WithoutRateLimit", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, partnerkit.WithoutRateLimit())
		h.on(http.MethodGet, "/v1/me", 200, meV1)
		for range 100 {
			_, err := h.c.Account.Verify(ctx)
			require.NoError(t, err)
		}
		require.Empty(t, h.clock.Sleeps())
	})
}

// TestA429StopsItsRouteOnly checks that a 429 closes the refused route
// only: Coliving counts /me per IP address and availability per key, each
// route on its own.
func TestA429StopsItsRouteOnly(t *testing.T) {
	t.Parallel()
	h := newHarness(t, partnerkit.WithMaxWait(10*time.Second))
	h.on(http.MethodPost, "/v1/integrations/mangobeds/availability", 429, errRateLimited)
	h.on(http.MethodGet, "/v1/me", 200, meV1)
	h.on(http.MethodGet, "/v1/integrations/mangobeds/listings/5325/room-types", 200, roomTypesDoc)
	_, err := h.c.Availability.Update(ctx, oneUpdate())
	require.ErrorIs(t, err, partnerkit.ErrRateLimited, "45 s is longer than the caller waits")
	_, err = h.c.Account.Verify(ctx)
	require.NoError(t, err, "/me has a quota of its own")
	_, err = h.c.RoomTypes.List(ctx, &coliving.RoomTypeListParams{ListingID: "5325"})
	require.NoError(t, err)
	_, err = h.c.Availability.Update(ctx, oneUpdate())
	require.ErrorIs(t, err, partnerkit.ErrRateLimited, "the refused route stays closed")
	require.Len(t, h.Requests(), 3, "the second update was not sent")
	require.Empty(t, h.clock.Sleeps())
}
