package cohost

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/secret"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// DefaultBaseURL is the production address of the Cohost External API.
const DefaultBaseURL = "https://api.cohost.vn/api/v1/external"

// Rate limit of the External API: 60 requests per minute per API key. The
// client keeps under it by default; partnerkit.WithRateLimit changes it.
const (
	DefaultRateLimit  = 60
	DefaultRatePeriod = time.Minute
)

// provider names Cohost in errors, logs and options.
const provider = "cohost"

// Client is a Cohost External API client authenticated with a partner API
// key. It is safe for concurrent use. The key is held by the client's
// request engine: no formatting of the client or its services prints it.
type Client struct {
	// Listings lists listings and reads their availability.
	Listings *ListingsService
	// Bookings creates and lists bookings.
	Bookings *BookingsService
	// Customers manages customer accounts and logs customers in.
	Customers *CustomersService
}

// New returns a client that authenticates with the partner API key apiKey
// (sent as X-API-Key). Nothing is sent until the first call.
func New(apiKey string, opts ...partnerkit.Option) (*Client, error) {
	var v validate.Errors
	v.Credential("apiKey", apiKey)
	cfg, err := transport.Configure(provider, v.Err(), opts)
	if err != nil {
		return nil, err
	}
	t, err := transport.New(transport.Spec{
		Provider:     provider,
		BaseURL:      DefaultBaseURL,
		Auth:         partnerAuth(apiKey),
		DecodeError:  decodeError,
		Quotas:       []partnerkit.Quota{{Limit: DefaultRateLimit, Per: DefaultRatePeriod}},
		WindowLength: DefaultRatePeriod,
		Secrets:      []string{apiKey},
	}, cfg)
	if err != nil {
		return nil, err
	}
	return &Client{
		Listings:  &ListingsService{t: t},
		Bookings:  &BookingsService{t: t},
		Customers: &CustomersService{t: t, key: secret.New(apiKey)},
	}, nil
}

// partnerAuth sends the partner key as X-API-Key.
func partnerAuth(apiKey string) *transport.HeaderAuth {
	return transport.NewHeaderAuth("X-API-Key", apiKey)
}

// get sends a GET of the path template path, filled with params, and
// decodes the answer into out.
func get(ctx context.Context, t *transport.Client, path string, params []string, q url.Values, out any) error {
	return t.Do(ctx, &transport.Request{Method: http.MethodGet, Path: path, PathParams: params, Query: q}, out)
}
