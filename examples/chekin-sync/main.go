// Command chekin-sync keeps a partner's system in sync with CheKin: it logs
// in, creates a housing and a reservation, subscribes a local receiver to
// Guest.created, waits for a guest (with the built-in fake it adds one),
// fetches the guest and prints it, then removes what it created.
//
// Environment: CHEKIN_EMAIL and CHEKIN_PASSWORD (the account), and
// optionally CHEKIN_BASE_URL (default https://a.chekin.io/api/v3) and
// CHEKIN_WEBHOOK_WAIT (how long to wait for a guest to check in, default
// 30s; when none does, the run says so and succeeds). With
// neither credential set it runs against the built-in fake on loopback.
package main

import (
	"github.com/partnerkit/partnerkit-go/examples/internal/chekinflow"
	"github.com/partnerkit/partnerkit-go/examples/internal/demo"
)

func main() { demo.Main("chekin-sync", chekinflow.Run) }
