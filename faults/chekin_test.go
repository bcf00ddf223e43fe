package faults

import (
	"context"
	"net/http"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/chekin"
	"github.com/partnerkit/partnerkit-go/chekin/chekintest"
)

// chekinSubject: the read lists housings with a client that has not logged
// in yet, so it first fetches a token (an idempotent POST /token/, which
// the client may retry) under the fault too; the create creates a housing
// with a client that starts with a token obtained beforehand, so the fault
// meets the create itself. Only POST /housings/ counts as a create request,
// from the fake's own records.
func chekinSubject() Subject {
	fake := chekintest.New()
	return Subject{
		Handler: fake,
		Connect: func(baseURL string, opts ...partnerkit.Option) (Calls, error) {
			token, err := chekinToken(fake)
			if err != nil {
				return Calls{}, err
			}
			opts = append(opts, partnerkit.WithBaseURL(baseURL))
			fresh, err := chekin.New(chekintest.Email, chekintest.Password, opts...)
			if err != nil {
				return Calls{}, err
			}
			warm, err := chekin.New(chekintest.Email, chekintest.Password, append(opts, chekin.WithToken(token))...)
			if err != nil {
				return Calls{}, err
			}
			return Calls{
				Read: func(ctx context.Context) error {
					_, err := fresh.Housings.List(ctx, nil)
					return err
				},
				Create: func(ctx context.Context) (string, error) {
					h, err := warm.Housings.Create(ctx, &chekin.HousingCreateParams{Name: "Casa Faults", Type: chekin.HousingVacationRental})
					if err != nil {
						return "", err
					}
					return string(h.ID), nil
				},
			}, nil
		},
		CreateRequests: func() int { return fake.Requests("POST /housings/") },
		Created:        fake.Housings,
	}
}

// chekinToken logs in to the fake in-process and returns the token.
func chekinToken(fake http.Handler) (string, error) {
	c, err := chekin.New(chekintest.Email, chekintest.Password,
		partnerkit.WithBaseURL("http://chekin.fake"), partnerkit.WithInsecureHTTP(), partnerkit.WithHTTPClient(setupClient(fake)))
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.Token(ctx)
}
