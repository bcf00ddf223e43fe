package redisfleet

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/alohub"
	"github.com/partnerkit/partnerkit-go/alohub/alohubtest"
	"github.com/partnerkit/partnerkit-go/cohost"
	"github.com/partnerkit/partnerkit-go/cohost/cohosttest"
)

// TestNothingSecretReachesRedis runs a Cohost client on the Limiter through
// reads, a booking with a guest's details, a window spent and a 429, then
// reads back everything Redis holds: no key or value holds the API key or
// anything of a request (the guest's name, e-mail or phone, the listing's
// address); every key has a TTL; and the keys name the credential by its
// digest only.
func TestNothingSecretReachesRedis(t *testing.T) {
	t.Parallel()
	r := startRedis(t)
	l := mustLimiter(t, r.rdb, WithPrefix(freshPrefix()))
	fake := cohosttest.New()
	fake.SetRateLimit("", 4, time.Hour)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, err := cohost.New(cohosttest.APIKey, partnerkit.WithBaseURL(srv.URL), partnerkit.WithLimiter(l),
		partnerkit.WithRateLimit(50, time.Minute), partnerkit.WithMaxWait(time.Second))
	require.NoError(t, err)
	ctx := context.Background()
	_, err = c.Listings.List(ctx, nil)
	require.NoError(t, err)
	guest := cohost.GuestInfo{FullName: "Tran Thi Secret", Phone: "+84907777123", Email: "secret.guest@example.com"}
	_, err = c.Bookings.Create(ctx, &cohost.BookingCreateParams{
		ListingID: cohosttest.ListingID, Guests: 2, Guest: guest,
		CheckIn: partnerkit.NewDate(2031, time.May, 1), CheckOut: partnerkit.NewDate(2031, time.May, 4),
	})
	require.NoError(t, err)
	for range 2 {
		_, err = c.Listings.Availability(ctx, cohosttest.ListingID, &cohost.ListingAvailabilityParams{
			StartDate: partnerkit.NewDate(2031, time.May, 1), EndDate: partnerkit.NewDate(2031, time.May, 4),
		})
		require.NoError(t, err)
	}
	_, err = c.Listings.List(ctx, nil)
	require.ErrorIs(t, err, partnerkit.ErrRateLimited, "the spent window holds the call longer than it accepts")
	// Another provider's client on the same Limiter meets a 429.
	alo := alohubtest.New()
	asrv := httptest.NewServer(alo)
	defer asrv.Close()
	ac, err := alohub.New(alohubtest.APIKey, partnerkit.WithBaseURL(asrv.URL), partnerkit.WithLimiter(l), partnerkit.WithMaxWait(500*time.Millisecond))
	require.NoError(t, err)
	alo.FailNext(1, 429)
	_, err = ac.Campaigns.List(ctx, &alohub.CampaignListParams{UserName: alohubtest.UserName})
	var apiErr *partnerkit.Error
	require.True(t, errors.As(err, &apiErr) && apiErr.StatusCode == 429, "the 429 asks for longer than the call accepts: %v", err)

	var all strings.Builder
	keys, err := r.rdb.Keys(ctx, "*").Result()
	require.NoError(t, err)
	require.NotEmpty(t, keys)
	kinds := map[string]bool{}
	for _, k := range keys {
		all.WriteString(k + "\n")
		ttl, err := r.rdb.PTTL(ctx, k).Result()
		require.NoError(t, err)
		require.Positive(t, ttl, "key %s has a TTL", k)
		typ, err := r.rdb.Type(ctx, k).Result()
		require.NoError(t, err)
		switch typ {
		case "string":
			v, err := r.rdb.Get(ctx, k).Result()
			require.NoError(t, err)
			all.WriteString(v + "\n")
		case "zset":
			for _, z := range r.rdb.ZRangeWithScores(ctx, k, 0, -1).Val() {
				all.WriteString(z.Member.(string) + "\n")
			}
		default:
			t.Fatalf("key %s is a %s", k, typ)
		}
		kinds[k[strings.Index(k, "}:")+2:]] = true
	}
	dump := all.String()
	for _, secret := range []string{cohosttest.APIKey, alohubtest.APIKey, guest.FullName, guest.Phone, guest.Email, "Secret", "/listings/" + cohosttest.ListingID} {
		require.NotContains(t, dump, secret)
	}
	digest := partnerkitIdentity(t, c)
	require.Contains(t, dump, "{cohost/"+digest+"}", "the credential's digest names the keys")
	require.True(t, kinds["gate"], "the 429's gate: %v", kinds)
	require.True(t, kinds["hold"], "the spent window's hold: %v", kinds)
	require.True(t, kinds["quota:50/60000000us:"], "the quota's log: %v", kinds)
}

// partnerkitIdentity returns the digest c's limiter saw as the credential.
func partnerkitIdentity(t *testing.T, c *cohost.Client) string {
	t.Helper()
	seen := &credentialSpy{}
	c2, err := cohost.New(cohosttest.APIKey, partnerkit.WithLimiter(seen), partnerkit.WithBaseURL("http://127.0.0.1:1"), partnerkit.WithMaxRetries(0))
	require.NoError(t, err)
	_, _ = c2.Listings.List(context.Background(), nil)
	require.NotEmpty(t, seen.credential)
	return seen.credential
}

// credentialSpy is a Limiter that remembers the credential it saw.
type credentialSpy struct{ credential string }

func (s *credentialSpy) Wait(_ context.Context, r *partnerkit.LimitRequest) (func(partnerkit.LimitFeedback), error) {
	s.credential = r.Credential
	return func(partnerkit.LimitFeedback) {}, nil
}
