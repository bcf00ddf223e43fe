// Command cohost-booking runs a partner's booking flow on Cohost: it finds
// an active listing, checks availability a month ahead, books two free
// nights (once: a booking is never sent twice), confirms the booking is
// listed, and registers the guest as a customer.
//
// Environment: COHOST_API_KEY (with it, requests go to Cohost) and
// COHOST_BASE_URL (optional, such as a staging address). With no key, the
// built-in fake serves the flow on loopback. PARTNERKIT_DEBUG=1 logs every
// request, answer and retry decision to stderr, credentials redacted.
//
//	go run ./examples/cohost-booking
package main

import (
	"github.com/partnerkit/partnerkit-go/examples/internal/cohostflow"
	"github.com/partnerkit/partnerkit-go/examples/internal/demo"
)

func main() {
	demo.Main("cohost-booking", cohostflow.Run)
}
