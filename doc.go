// Package partnerkit holds the vocabulary shared by the partnerkit-go
// provider clients: the Error type and its sentinels, the client Options, and
// Date.
//
// Each provider has its own package (cohost, chekin, etelecom, alohub,
// coliving). All of them take the Options of this package, return *Error for
// every unsuccessful answer, and reject bad arguments with ErrInvalidInput
// before sending anything:
//
//	c, err := cohost.New(os.Getenv("COHOST_API_KEY"),
//		partnerkit.WithMaxRetries(4),
//		partnerkit.WithLogger(slog.Default()))
//	if err != nil {
//		return err
//	}
//	b, err := c.Bookings.Create(ctx, &cohost.BookingCreateParams{ /* ... */ })
//	var apiErr *partnerkit.Error
//	switch {
//	case errors.Is(err, partnerkit.ErrInvalidInput):
//		// fix the arguments; nothing was sent
//	case errors.Is(err, partnerkit.ErrConflict):
//		// the dates overlap another booking
//	case errors.As(err, &apiErr):
//		log.Printf("cohost said %s: %s", apiErr.Code, apiErr.Message)
//	}
package partnerkit

// Version is the version of partnerkit-go, sent in the User-Agent header.
const Version = "0.1.0"
