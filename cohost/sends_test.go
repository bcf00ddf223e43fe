package cohost_test

import (
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/cohost"
	"github.com/partnerkit/partnerkit-go/internal/mocktest"
)

// send is one create or send of the package: a call that must reach
// Cohost at most once.
type send struct {
	name, path, answer string
	call               func(h *harness) error
}

func sends(t *testing.T) []send {
	return []send{
		{"Bookings.Create", "/bookings", bookingJSON, func(h *harness) error {
			_, err := h.c.Bookings.Create(ctx, newBooking())
			return err
		}},
		{"CustomerSession.Bookings.Create", cohost.CustomerBookingsPath, bookingJSON, func(h *harness) error {
			s, err := h.c.Customers.Session(customerToken(t, epoch.Add(time.Hour)), time.Time{})
			require.NoError(t, err)
			_, err = s.Bookings.Create(ctx, newBooking())
			return err
		}},
		{"Customers.Register", "/customers/register", `{"user_id":200,"email":"a@b.co"}`, func(h *harness) error {
			_, err := h.c.Customers.Register(ctx, &cohost.CustomerRegisterParams{Email: "a@b.co", FullName: "A", Phone: "+84901234567", Password: "pw-123456"})
			return err
		}},
		{"Customers.ResendVerification", "/customers/200/resend-verification", `{"message":"Verification email sent"}`, func(h *harness) error {
			_, err := h.c.Customers.ResendVerification(ctx, "200")
			return err
		}},
	}
}

// TestCreatesAndSendsAreNeverSentTwice: a 503 or a timeout after the
// request went out may mean Cohost acted on it, so no create or send is
// tried again; a 429 means it did not act, so each is, after the wait
// Cohost asked for.
func TestCreatesAndSendsAreNeverSentTwice(t *testing.T) {
	t.Parallel()
	for _, s := range sends(t) {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			answers := map[string]func() (*http.Response, error){
				"503": func() (*http.Response, error) {
					return mocktest.JSON(503, `{"detail":"Service Unavailable"}`), nil
				},
				"timeout": func() (*http.Response, error) {
					return nil, &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
				},
			}
			kinds := map[string]error{"503": partnerkit.ErrServer, "timeout": partnerkit.ErrNoResponse}
			for name, answer := range answers {
				h := newHarness(t)
				var calls atomic.Int32
				h.mock.RegisterResponder(http.MethodPost, base+s.path, func(*http.Request) (*http.Response, error) {
					calls.Add(1)
					return answer()
				})
				err := s.call(h)
				require.ErrorIs(t, err, kinds[name], name)
				require.Equal(t, int32(1), calls.Load(), "%s: sent once", name)
				require.Empty(t, h.clock.Sleeps(), name)
			}

			h := newHarness(t)
			var calls atomic.Int32
			h.mock.RegisterResponder(http.MethodPost, base+s.path, func(*http.Request) (*http.Response, error) {
				if calls.Add(1) == 1 {
					return mocktest.JSON(429, `{"code":"RATE_LIMIT_EXCEEDED","message":"Rate limit exceeded. Try again in 3 seconds.","details":{"retry_after_seconds":3}}`), nil
				}
				return mocktest.JSON(200, s.answer), nil
			})
			require.NoError(t, s.call(h))
			require.Equal(t, int32(2), calls.Load(), "a 429 is tried again")
			require.Equal(t, []time.Duration{3 * time.Second}, h.clock.Sleeps(), "after the wait Cohost asked for")
		})
	}
}
