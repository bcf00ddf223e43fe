// Package cohosttest is an in-memory fake of the Cohost External API, for
// the examples, for this module's end-to-end tests, and for partners who
// test their own backends without a Cohost account.
//
// It behaves as Cohost's documents describe: the X-API-Key check and the
// key's teams, listings with pages from 1 and team_ids as a JSON array,
// availability, bookings refused with 409 when dates overlap, customer
// accounts with e-mail verification, logins that return a signed JWT with
// exp, customer-scoped bookings with the customer's Bearer token, the 60
// requests a minute limit per key with X-RateLimit-* headers and the
// documented 429 body, and the documented error bodies.
//
//	fake := cohosttest.New()
//	srv := httptest.NewServer(fake)
//	defer srv.Close()
//	c, err := cohost.New(cohosttest.APIKey, partnerkit.WithBaseURL(srv.URL))
//	// ... use c; then read what the fake holds:
//	bookings := fake.Bookings()
//
// The knobs every partnerkit fake has, with the semantics ARCHITECTURE.md
// states: WithClock, Advance, FailNext (queued, answered before any
// check), SetRateLimit (a limit or period of zero or less removes the
// quota), Requests (panics on a route the fake does not serve) and
// RateLimited. Routes are named "METHOD /path/template":
//
//	GET /listings                          GET /customers
//	GET /listings/{id}/availability        GET /customers/{id}
//	POST /bookings                         PATCH /customers/{id}
//	GET /bookings                          DELETE /customers/{id}/teams/{team_id}
//	POST /customers/register               GET /customers/{id}/login-status
//	POST /customers/login                  POST /customers/{id}/resend-verification
//	GET /customers/me/bookings             POST /customers/me/bookings
//
// Cohost's own knobs: AddListing, AddCustomer, VerifyEmail, Token (a
// customer's token as Auth0 issues it), WithKey (another partner key) and
// Bookings (what was booked). Every ID the fake takes or gives is a number
// written as a string (ListingID is "101"), as partnerkit.ID holds it; the
// fake sends IDs as JSON numbers, as Cohost does.
//
// The fake serves the API at the root of its server: Cohost's
// /api/v1/external prefix is part of the base URL, not of the paths.
package cohosttest
