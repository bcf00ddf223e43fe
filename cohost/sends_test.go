package cohost_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

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
			mocktest.CheckSentOnce(t, func(t *testing.T, answer httpmock.Responder) ([]time.Duration, error) {
				h := newHarness(t)
				h.mock.RegisterResponder(http.MethodPost, base+s.path, answer)
				err := s.call(h)
				return h.clock.Sleeps(), err
			},
				mocktest.JSON(429, `{"code":"RATE_LIMIT_EXCEEDED","message":"Rate limit exceeded. Try again in 3 seconds.","details":{"retry_after_seconds":3}}`),
				mocktest.JSON(200, s.answer), 3*time.Second)
		})
	}
}
