package alohub_test

import (
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/alohub"
	"github.com/partnerkit/partnerkit-go/internal/clock"
	"github.com/partnerkit/partnerkit-go/internal/mocktest"
)

// quotaServer is a gateway with two fixed windows, one per tenant and one
// per route, each opened by the first request after the previous one
// closed. It reports them in the header names it is given and answers 429
// when either is spent.
type quotaServer struct {
	clk         clock.Clock
	length      time.Duration
	tenantLimit int
	routeLimit  int
	// names are the headers for the tenant's limit and remaining, then the
	// route's limit and remaining.
	names [4]string
	// reset, when set, is sent with the seconds left in the route window.
	reset string

	mu       sync.Mutex
	windows  map[string]*fixedWindow
	rejected int
	sent     map[string][]time.Duration // request times since epoch, by route
}

type fixedWindow struct {
	start time.Time
	used  int
}

func (s *quotaServer) window(key string, now time.Time) *fixedWindow {
	w := s.windows[key]
	if w == nil || !now.Before(w.start.Add(s.length)) {
		w = &fixedWindow{start: now}
		s.windows[key] = w
	}
	return w
}

// serve answers method and path with body.
func (s *quotaServer) serve(h *harness, method, path, body string) {
	s.serveRoute(h, method, path, method+" "+path, body)
}

// serveRoute answers method and path with body, counting them in route's
// window.
func (s *quotaServer) serveRoute(h *harness, method, path, route, body string) {
	h.mock.RegisterResponder(method, base+path, func(r *http.Request) (*http.Response, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.windows == nil {
			s.windows, s.sent = map[string]*fixedWindow{}, map[string][]time.Duration{}
		}
		now := s.clk.Now()
		s.sent[route] = append(s.sent[route], now.Sub(epoch))
		tw, rw := s.window("tenant", now), s.window(route, now)
		header := []string{s.names[0], strconv.Itoa(s.tenantLimit), s.names[2], strconv.Itoa(s.routeLimit)}
		if s.reset != "" {
			header = append(header, s.reset, strconv.Itoa(int(rw.start.Add(s.length).Sub(now)/time.Second)))
		}
		if tw.used >= s.tenantLimit || rw.used >= s.routeLimit {
			s.rejected++
			header = append(header, s.names[1], strconv.Itoa(max(s.tenantLimit-tw.used, 0)), s.names[3], strconv.Itoa(max(s.routeLimit-rw.used, 0)), "Retry-After", "10")
			return mocktest.JSON(429, `{"success":"0","error_code":"RATE_LIMIT_EXCEEDED","error_message":"rate limited"}`, header...), nil
		}
		tw.used++
		rw.used++
		header = append(header, s.names[1], strconv.Itoa(s.tenantLimit-tw.used), s.names[3], strconv.Itoa(s.routeLimit-rw.used))
		return mocktest.JSON(200, body, header...), nil
	})
}

var kongNames = [4]string{"X-RateLimit-Limit-Tenant", "X-RateLimit-Remaining-Tenant", "X-RateLimit-Limit-Route", "X-RateLimit-Remaining-Route"}

const listsPath, contactsPath = "/v1/campaigns/1/contact-lists", "/v1/campaigns/1/contact-lists/2/contacts"

func lists(t *testing.T, h *harness) {
	t.Helper()
	_, err := h.c.ContactLists.List(ctx, listsOf("1"))
	require.NoError(t, err)
}

func contacts(t *testing.T, h *harness) {
	t.Helper()
	_, err := h.c.Contacts.List(ctx, &alohub.ContactListParams{CampaignID: "1", ListID: "2"})
	require.NoError(t, err)
}

func TestTheTenantWindowBindsEveryRoute(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := &quotaServer{clk: h.clock, length: 10 * time.Second, tenantLimit: 3, routeLimit: 5, names: kongNames}
	s.serve(h, "GET", listsPath, contactListsBody)
	s.serve(h, "GET", contactsPath, `{"success":"1","totalRecord":0,"data":[]}`)
	lists(t, h)
	contacts(t, h)
	lists(t, h)
	contacts(t, h) // the tenant has 0 left although each route has 3: the smaller binds
	lists(t, h)
	require.Zero(t, s.rejected, "429 answers")
	require.Equal(t, []time.Duration{0, 0, 10 * time.Second}, s.sent["GET "+listsPath])
	require.Equal(t, []time.Duration{0, 10 * time.Second}, s.sent["GET "+contactsPath])
	require.Equal(t, []time.Duration{10 * time.Second}, h.clock.Sleeps(), "the assumed 10 s window, without a reset header")
}

func TestTheRouteWindowBindsItsRouteOnly(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := &quotaServer{clk: h.clock, length: 10 * time.Second, tenantLimit: 10, routeLimit: 2, names: kongNames}
	s.serve(h, "GET", listsPath, contactListsBody)
	s.serve(h, "GET", contactsPath, `{"success":"1","totalRecord":0,"data":[]}`)
	lists(t, h)
	lists(t, h)
	contacts(t, h) // another route: not held by the spent route window
	contacts(t, h)
	lists(t, h) // waits for its route's window
	contacts(t, h)
	require.Zero(t, s.rejected)
	require.Equal(t, []time.Duration{0, 0, 10 * time.Second}, s.sent["GET "+listsPath])
	require.Equal(t, []time.Duration{0, 0, 10 * time.Second}, s.sent["GET "+contactsPath])
	require.Equal(t, []time.Duration{10 * time.Second}, h.clock.Sleeps())
}

func TestTheRouteIsThePathTemplate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := &quotaServer{clk: h.clock, length: 10 * time.Second, tenantLimit: 10, routeLimit: 2, names: kongNames}
	const route = "GET /v1/campaigns/{id}/contact-lists"
	s.serveRoute(h, "GET", "/v1/campaigns/1/contact-lists", route, contactListsBody)
	s.serveRoute(h, "GET", "/v1/campaigns/2/contact-lists", route, contactListsBody)
	for _, id := range []partnerkit.ID{"1", "2", "1"} {
		_, err := h.c.ContactLists.List(ctx, listsOf(id))
		require.NoError(t, err)
	}
	require.Zero(t, s.rejected)
	require.Equal(t, []time.Duration{10 * time.Second}, h.clock.Sleeps(), "campaigns 1 and 2 share the route's window")
}

func TestTheRateLimitFamilyIsLearnedToo(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := &quotaServer{clk: h.clock, length: 10 * time.Second, tenantLimit: 2, routeLimit: 4,
		names: [4]string{"RateLimit-Limit-Tenant", "RateLimit-Remaining-Tenant", "RateLimit-Limit-Route", "RateLimit-Remaining-Route"}}
	s.serve(h, "GET", listsPath, contactListsBody)
	for range 5 {
		lists(t, h)
	}
	require.Zero(t, s.rejected)
	require.Equal(t, []time.Duration{0, 0, 10 * time.Second, 10 * time.Second, 20 * time.Second}, s.sent["GET "+listsPath])
}

func TestAResetHeaderIsPreferredToTheAssumedWindow(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// Windows of 4 s announced by RateLimit-Reset: the client need not wait 10.
	s := &quotaServer{clk: h.clock, length: 4 * time.Second, tenantLimit: 50, routeLimit: 2,
		names: [4]string{"X-RateLimit-Limit-Tenant", "X-RateLimit-Remaining-Tenant", "RateLimit-Limit", "RateLimit-Remaining"}, reset: "RateLimit-Reset"}
	s.serve(h, "GET", listsPath, contactListsBody)
	for range 3 {
		lists(t, h)
	}
	require.Zero(t, s.rejected)
	require.Equal(t, []time.Duration{0, 0, 4 * time.Second}, s.sent["GET "+listsPath])
}

func TestA429ClosesTheGateForEveryRoute(t *testing.T) {
	t.Parallel()
	h := newHarness(t, partnerkit.WithMaxRetries(0))
	h.on("GET", listsPath, 429, `{"success":"0","error_code":"RATE_LIMIT_EXCEEDED","error_message":"slow down"}`, "Retry-After", "7")
	h.on("GET", contactsPath, 200, `{"success":"1","totalRecord":0,"data":[]}`)
	_, err := h.c.ContactLists.List(ctx, listsOf("1"))
	require.ErrorIs(t, err, partnerkit.ErrRateLimited)
	var apiErr *partnerkit.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, alohub.CodeRateLimitExceeded, apiErr.Code)
	require.Equal(t, 7*time.Second, apiErr.RetryAfter)
	contacts(t, h)
	require.Equal(t, []time.Duration{7 * time.Second}, h.clock.Sleeps(), "another route waited for the Retry-After")
}

func TestTheAssumedWindowLengthIsConfigurable(t *testing.T) {
	t.Parallel()
	h := newHarness(t, alohub.WithWindowLength(time.Second))
	s := &quotaServer{clk: h.clock, length: time.Second, tenantLimit: 2, routeLimit: 5, names: kongNames}
	s.serve(h, "GET", listsPath, contactListsBody)
	for range 3 {
		lists(t, h)
	}
	require.Zero(t, s.rejected)
	require.Equal(t, []time.Duration{time.Second}, h.clock.Sleeps())
}
