package alohub

import (
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/config"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Addresses of the Alohub partner API (the Kong gateway). Paths start with
// /v1; a deployment that serves them under another prefix (such as /api) is
// reached by passing the prefix in partnerkit.WithBaseURL.
const (
	// DefaultBaseURL is the production gateway.
	DefaultBaseURL = "https://xapi.alohub.vn"
	// SandboxBaseURL is the development gateway (Sandbox).
	SandboxBaseURL = "https://xapi-dev.alohub.vn"
)

// WindowLength is the length of Alohub's rate-limit windows: the gateway
// counts requests per tenant and per route in fixed windows of 10 seconds.
// The client learns each window's allowance from the answers' rate-limit
// headers and waits for the next window instead of spending a 429.
const WindowLength = 10 * time.Second

// provider names Alohub in errors, logs and options.
const provider = "alohub"

// Client is an Alohub partner API client authenticated with an API key. It
// is safe for concurrent use. The key is held by the client's engine, never
// in a field: printing a Client shows no credential.
type Client struct {
	// Campaigns lists the call campaigns of a user.
	Campaigns *CampaignsService
	// ContactLists lists the contact lists of a campaign.
	ContactLists *ContactListsService
	// Contacts lists, adds and deletes the contacts of a campaign.
	Contacts *ContactsService
	// Imports imports contacts in bulk and follows the import jobs.
	Imports *ImportsService
	// CallLogs reads the call report.
	CallLogs *CallLogsService

	t *transport.Client
}

// settings are the Alohub options of a client.
type settings struct {
	tenant        string
	authorization bool
	window        time.Duration
}

// Sandbox sends the client's calls to Alohub's development gateway
// (SandboxBaseURL) instead of production, as etelecom.Sandbox and
// coliving.Sandbox do for theirs. New refuses it together with
// partnerkit.WithBaseURL: the development gateway is another host, not a
// path under production's, so no sandbox can be derived from another base
// URL and one of the two options would be ignored (give the gateway's
// address, or a proxy's, with WithBaseURL alone).
func Sandbox() partnerkit.Option {
	return config.SandboxHost(provider, "alohub.Sandbox", SandboxBaseURL)
}

// WithTenantID sends id in the X-Tenant-ID header of every request. The
// gateway normally resolves the tenant from the API key, so the option is
// only needed when Alohub asks for it (for example behind a gateway that
// does not inject the header). An ID that is blank, or has control
// characters or surrounding spaces, is refused, as a key is.
func WithTenantID(id string) partnerkit.Option {
	return config.ForProvider(provider, "alohub.WithTenantID", func(c *config.Config) error {
		var v validate.Errors
		if !v.Credential("alohub.WithTenantID", id) {
			return v.Err()
		}
		config.Slot[settings](c).tenant = id
		return nil
	})
}

// WithAuthorizationHeader sends the API key, as is and without a scheme, in
// the Authorization header instead of X-Api-Key. Some of Alohub's documents
// show this form.
func WithAuthorizationHeader() partnerkit.Option {
	return config.ForProvider(provider, "alohub.WithAuthorizationHeader", func(c *config.Config) error {
		config.Slot[settings](c).authorization = true
		return nil
	})
}

// WithWindowLength sets the rate-limit window the client assumes when
// Alohub's answers report what is left of a window but not when it ends.
// The default, WindowLength, is Alohub's documented 10 seconds; change it
// only for a gateway configured otherwise (or a scaled-down test server).
func WithWindowLength(d time.Duration) partnerkit.Option {
	return config.ForProvider(provider, "alohub.WithWindowLength", func(c *config.Config) error {
		if d <= 0 {
			return &partnerkit.ValidationError{Field: "alohub.WithWindowLength", Rule: "must be positive, got " + d.String()}
		}
		config.Slot[settings](c).window = d
		return nil
	})
}

// New returns a client that authenticates with apiKey (sent in X-Api-Key,
// or in Authorization with WithAuthorizationHeader). Nothing is sent until
// the first call. A blank key, or one with control characters or
// surrounding spaces, is refused with a *partnerkit.ValidationError.
func New(apiKey string, opts ...partnerkit.Option) (*Client, error) {
	var v validate.Errors
	v.Credential("apiKey", apiKey)
	cfg, set, err := transport.Setup[settings](provider, v.Err(), opts)
	if err != nil {
		return nil, err
	}
	if set.tenant != "" {
		if err := partnerkit.WithHeader("X-Tenant-ID", set.tenant).Apply(cfg); err != nil {
			return nil, err
		}
	}
	header := "X-Api-Key"
	if set.authorization {
		header = "Authorization"
	}
	window := WindowLength
	if set.window > 0 {
		window = set.window
	}
	t, err := transport.New(transport.Spec{
		Provider:     provider,
		BaseURL:      DefaultBaseURL,
		Auth:         transport.NewHeaderAuth(header, apiKey),
		DecodeError:  decodeError,
		Failure:      failure,
		WindowLength: window,
		Secrets:      []string{apiKey},
	}, cfg)
	if err != nil {
		return nil, err
	}
	return &Client{
		Campaigns:    &CampaignsService{t: t},
		ContactLists: &ContactListsService{t: t},
		Contacts:     &ContactsService{t: t},
		Imports:      &ImportsService{t: t},
		CallLogs:     &CallLogsService{t: t},
		t:            t,
	}, nil
}
