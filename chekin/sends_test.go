package chekin_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/chekin"
	"github.com/partnerkit/partnerkit-go/internal/mocktest"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

// send is one create or send of the package: a call that must reach
// CheKin at most once.
type send struct {
	name, path, answer string
	call               func(h *harness) error
}

const resendID = "c4f529e7ad5c4c96a6dd6c3d61072705"

var sends = []send{
	{"Housings.Create", "/housings/", `{"id":"h1"}`, func(h *harness) error {
		_, err := h.c.Housings.Create(ctx, &chekin.HousingCreateParams{Name: "A"})
		return err
	}},
	{"Reservations.Create", "/reservations/", `{"id":"r1"}`, func(h *harness) error {
		_, err := h.c.Reservations.Create(ctx, &chekin.ReservationCreateParams{CheckIn: date("2025-06-25"), CheckOut: date("2025-06-26"), HousingID: "h1"})
		return err
	}},
	{"Reservations.ResendToPolice", "/reservations/" + resendID + "/resend-reservation-to-police/", `{"status":"ok"}`, func(h *harness) error {
		return h.c.Reservations.ResendToPolice(ctx, resendID)
	}},
	{"Reservations.ResendToStatistics", "/reservations/" + resendID + "/resend-reservation-to-stat/", `{"status":"ok"}`, func(h *harness) error {
		return h.c.Reservations.ResendToStatistics(ctx, resendID)
	}},
	{"Webhooks.Create", "/webhooks/", `{"id":"w1","event":"Guest.created","target":"https://pms.example.com/hook"}`, func(h *harness) error {
		_, err := h.c.Webhooks.Create(ctx, &chekin.WebhookCreateParams{URL: "https://pms.example.com/hook", Event: chekin.EventGuestCreated})
		return err
	}},
	{"Users.ChangePassword", "/users/me/", `{"id":"u1"}`, func(h *harness) error {
		_, err := h.c.Users.ChangePassword(ctx, password, "n3w-s3cret-pass")
		return err
	}},
	{"Register", "/auth/registration/", `{"token":"t"}`, func(h *harness) error {
		_, err := chekin.Register(ctx, &chekin.RegisterParams{Email: "new.user@happycompany.com", Password: "n3w-Passw0rd", Origin: "happycompany"},
			partnerkit.WithBaseURL(base), partnerkit.WithHTTPClient(&http.Client{Transport: h.mock}),
			transport.WithClock(h.clock), transport.WithRandom(func() float64 { return 0.5 }))
		return err
	}},
}

// TestCreatesAndSendsAreNeverSentTwice: a 503 or a timeout after the
// request went out may mean CheKin acted on it, so no create or send is
// tried again; a 429 means it did not act, so each is, after the wait
// CheKin asked for.
func TestCreatesAndSendsAreNeverSentTwice(t *testing.T) {
	t.Parallel()
	for _, s := range sends {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			mocktest.CheckSentOnce(t, func(t *testing.T, answer httpmock.Responder) ([]time.Duration, error) {
				h := newHarness(t)
				h.mock.RegisterResponder(http.MethodPost, base+s.path, answer)
				err := s.call(h)
				return h.clock.Sleeps(), err
			},
				mocktest.JSON(429, `{"detail":"Request was throttled. Expected available in 3 seconds."}`, "Retry-After", "3"),
				mocktest.JSON(200, s.answer), 3*time.Second)
		})
	}
}
