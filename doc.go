// Package partnerkit holds the vocabulary shared by the partnerkit-go
// provider clients (cohost, chekin, etelecom, alohub, coliving): the Error
// type and its sentinels, ValidationError, the client Options, the Limiter
// contract, and the value types ID, Int, Number, Seconds, Date, Timestamp
// and Secret.
//
// Every provider's client takes the Options of this package, returns *Error
// for every unsuccessful answer, and refuses bad arguments with a
// *ValidationError (matching ErrInvalidInput) before sending anything:
//
//	c, err := cohost.New(os.Getenv("COHOST_API_KEY"),
//		partnerkit.WithMaxRetries(4),
//		partnerkit.WithLogger(slog.Default()))
//	if err != nil {
//		return err // an option that cannot work is named here
//	}
//	b, err := c.Bookings.Create(ctx, &cohost.BookingCreateParams{ /* ... */ })
//	var apiErr *partnerkit.Error
//	switch {
//	case errors.Is(err, partnerkit.ErrInvalidInput):
//		// fix the arguments; nothing was sent
//	case errors.Is(err, partnerkit.ErrConflict):
//		// the dates overlap another booking
//	case errors.Is(err, partnerkit.ErrNoResponse):
//		// no answer: the booking may or may not exist; look before resending
//	case errors.As(err, &apiErr):
//		log.Printf("cohost said %s: %s", apiErr.Code, apiErr.Message)
//	}
//
// Options are opaque values: each checks its value, and a provider's own
// options (alohub.WithTenantID, coliving.Sandbox) are refused by the other
// providers' constructors.
//
// Three extension points let a service plug in what it runs on: a Limiter
// (WithLimiter) keeps a client under its provider's rate limits, in process
// by default or shared by every replica of a service (the redisfleet
// module); a TokenStore (chekin.WithTokenStore) shares a login session
// between clients of one account; an Observer (WithObserver) receives the
// limiter's waits, the rate-limit refusals and the retry decisions, for
// metrics and traces.
//
// # Examples
//
// Runnable examples, which go test runs against the in-memory Cohost:
// Example (the kinds of failure), ExampleOption (checked options),
// ExampleWithLimiter (a Limiter of one's own) and ExampleWithObserver
// (counting waits and 429s).
package partnerkit

// Version is the version of partnerkit-go, sent in the User-Agent header.
const Version = "0.1.0"
