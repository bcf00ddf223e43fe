// Package cohosttest is an in-memory fake of the Cohost External API, for
// the examples, for this module's end-to-end tests, and for partners who
// test their own backends without a Cohost account.
//
// It behaves as Cohost's documents describe: the X-API-Key check and the
// key's teams, listings with pages from 1 and team_ids as a JSON array,
// availability, bookings refused with 409 when dates overlap, customer
// accounts with e-mail verification, logins that return a signed JWT with
// exp, the 60 requests a minute limit with X-RateLimit-* headers, and the
// documented error bodies. Knobs let a test seed data, verify a customer's
// e-mail, fail the next calls, change the limit and move the clock.
//
//	fake := cohosttest.New()
//	srv := httptest.NewServer(fake)
//	defer srv.Close()
//	c, err := cohost.New(cohosttest.APIKey, partnerkit.WithBaseURL(srv.URL))
//	// ... use c; then read what the fake holds:
//	bookings := fake.Bookings()
//
// The fake serves the API at the root of its server: Cohost's
// /api/v1/external prefix is part of the base URL, not of the paths.
package cohosttest
