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
// providers' constructors. A client keeps under its provider's rate limits
// with an in-process Limiter; WithLimiter replaces it, for example with one
// that every replica of a service shares (the redisfleet module).
package partnerkit

// Version is the version of partnerkit-go, sent in the User-Agent header.
const Version = "0.1.0"
