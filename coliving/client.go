package coliving

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/config"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// DefaultBaseURL is the root of the Coliving.com API. The API version
// (WithAPIVersion) and the sandbox (Sandbox) are path segments the client
// adds after it: https://api.coliving.com/v1, https://api.coliving.com/v1/sandbox.
const DefaultBaseURL = "https://api.coliving.com"

// APIVersion selects the version of the Integrations API. Both versions
// serve the same paths and decode into the same Go types.
type APIVersion string

// The versions of the Integrations API.
const (
	// V1 is the version the Integrations API documents, and the default.
	V1 APIVersion = "v1"
	// V2 is the newer version; its /me answer wraps the account in data.
	V2 APIVersion = "v2"
)

// Documented rate limits, applied on the client by default, each to its
// own route; partnerkit.WithRateLimit replaces them with one quota for the
// whole client.
const (
	// MeRateLimit is how many key verifications (GET /me) Coliving accepts
	// per MeRatePeriod from one IP address.
	MeRateLimit = 60
	// MeRatePeriod is the period of MeRateLimit.
	MeRatePeriod = time.Minute
	// AvailabilityRateLimit is how many availability updates Coliving
	// accepts per AvailabilityRatePeriod for one API key.
	AvailabilityRateLimit = 100
	// AvailabilityRatePeriod is the period of AvailabilityRateLimit.
	AvailabilityRatePeriod = time.Minute
)

// The paths of the Integrations API, under the versioned base URL. Each is
// a template whose placeholders take PathParams; with the method, it names
// the route for rate limiting, whatever the version or the environment.
const (
	pathMe           = "/me"
	pathRoomTypes    = "/integrations/{provider}/listings/{listing_id}/room-types"
	pathAvailability = "/integrations/{provider}/availability"
	pathProviderKey  = "/integrations/{provider}/provider-key"
)

// Client is a Coliving.com Integrations API client for one host's API key
// and one integrator (the id Coliving's paths call {provider}, such as
// "mangobeds"). It is safe for concurrent use. The key is held by the
// request engine: no formatting of a Client prints it.
type Client struct {
	// Account verifies the host's API key.
	Account *AccountService
	// RoomTypes reads the room types of the host's listings.
	RoomTypes *RoomTypesService
	// Availability pushes room availability, as ranges or as whole
	// calendars.
	Availability *AvailabilityService
	// ProviderKeys registers the integrator's own key for the host.
	ProviderKeys *ProviderKeysService

	t          *transport.Client
	integrator string // the {provider} of every integrations path
}

// name names Coliving.com in errors, logs and options.
const name = "coliving"

// settings are the Coliving options of a client.
type settings struct {
	sandbox bool
	version APIVersion
}

// Sandbox sends requests to the sandbox (https://api.coliving.com/v1/sandbox
// for v1): test data, no real bookings. Sandbox keys differ from production
// keys. Coliving's sandbox is a path segment under the version, not another
// host, so Sandbox composes with partnerkit.WithBaseURL: the client adds
// /sandbox after the version to the base URL given (a proxy's or a test
// server's). etelecom.Sandbox and alohub.Sandbox, whose sandboxes are
// other hosts, are refused together with WithBaseURL instead.
func Sandbox() partnerkit.Option {
	return config.ForProvider(name, "coliving.Sandbox", func(c *config.Config) error {
		config.Slot[settings](c).sandbox = true
		return nil
	})
}

// WithAPIVersion selects the API version (V1 by default). The client's
// types are the same for every version.
func WithAPIVersion(v APIVersion) partnerkit.Option {
	return config.ForProvider(name, "coliving.WithAPIVersion", func(c *config.Config) error {
		if v != V1 && v != V2 {
			return &partnerkit.ValidationError{Field: "coliving.WithAPIVersion", Rule: fmt.Sprintf("must be %q or %q, got %q", V1, V2, v)}
		}
		config.Slot[settings](c).version = v
		return nil
	})
}

// integratorPattern is what an integrator id may look like: letters,
// digits, "-" and "_", at most 64 characters.
var integratorPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

// versionSuffix matches a base URL that already names a version and,
// perhaps, the sandbox.
var versionSuffix = regexp.MustCompile(`/(v[0-9]+)(/sandbox)?/?$`)

// New returns a client that authenticates with the host's API key
// (Authorization: Bearer sk_…) on behalf of the integrator, such as
// "mangobeds", "siteminder" or "beds24". The integrator id is part of every
// integrations path (Coliving's documents call it {provider}), so it is
// required like the key. Nothing is sent until the first call.
//
// partnerkit.WithBaseURL replaces the API root (DefaultBaseURL), to which
// the client adds the version (WithAPIVersion) and the sandbox (Sandbox).
// A base URL that already ends in a version, as the documents write it
// ("https://api.example.test/v1" or ".../v1/sandbox"), is used as given;
// options that contradict it are refused.
func New(apiKey, integrator string, opts ...partnerkit.Option) (*Client, error) {
	var v validate.Errors
	v.Credential("apiKey", apiKey)
	if v.Required("integrator", integrator) {
		v.Check(integratorPattern.MatchString(integrator), "integrator", "must be 1 to 64 letters, digits, - or _, such as mangobeds")
	}
	cfg, set, err := transport.Setup[settings](name, v.Err(), opts)
	if err != nil {
		return nil, err
	}
	version, versionSet := V1, set.version != ""
	if versionSet {
		version = set.version
	}
	prefix := "/" + string(version)
	if set.sandbox {
		prefix += "/sandbox"
	}
	root := DefaultBaseURL
	if cfg.BaseURL != "" {
		root = cfg.BaseURL
		if m := versionSuffix.FindStringSubmatch(root); m != nil {
			// The base names its version (and sandbox) itself.
			v.Check(!versionSet || APIVersion(m[1]) == version, "APIVersion", fmt.Sprintf("must match the version of the base URL, %q", m[1]))
			v.Check(!set.sandbox || m[2] != "", "BaseURL", "must end in /sandbox when Sandbox is used with a versioned base URL")
			prefix = ""
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	cfg.BaseURL = joinPath(root, prefix)
	t, err := transport.New(transport.Spec{
		Provider:    name,
		BaseURL:     cfg.BaseURL,
		Auth:        transport.NewHeaderAuth("Authorization", "Bearer "+apiKey),
		DecodeError: decodeError,
		Failure:     failure,
		Quotas: []partnerkit.Quota{
			{Route: "GET " + pathMe, Limit: MeRateLimit, Per: MeRatePeriod},
			{Route: "POST " + pathAvailability, Limit: AvailabilityRateLimit, Per: AvailabilityRatePeriod},
		},
		WindowLength: time.Minute,
		// Coliving limits each route on its own (/me per IP address,
		// availability per key): a 429 stops the refused route only.
		Gate:    partnerkit.GateRoute,
		Secrets: []string{apiKey},
	}, cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{t: t, integrator: integrator}
	c.Account = &AccountService{c: c}
	c.RoomTypes = &RoomTypesService{c: c}
	c.Availability = &AvailabilityService{c: c}
	c.ProviderKeys = &ProviderKeysService{c: c}
	return c, nil
}

// joinPath appends the path segments prefix (such as "/v1/sandbox") to the
// path of base, an address WithBaseURL or DefaultBaseURL checked.
func joinPath(base, prefix string) string {
	if prefix == "" {
		return base
	}
	u, err := url.Parse(base)
	if err != nil {
		return strings.TrimRight(base, "/") + prefix
	}
	u.Path = strings.TrimRight(u.Path, "/") + prefix
	u.RawPath = ""
	return u.String()
}
