package alohub

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/config"
	"github.com/partnerkit/partnerkit-go/internal/paging"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Addresses of the Alohub partner API (the Kong gateway). Paths start with
// /v1; a deployment that serves them under another prefix (such as /api) is
// reached by passing the prefix in partnerkit.WithBaseURL.
const (
	DefaultBaseURL = "https://xapi.alohub.vn"
	DevBaseURL     = "https://xapi-dev.alohub.vn"
)

// WindowLength is the length of Alohub's rate-limit windows: the gateway
// counts requests per tenant and per route in fixed windows of 10 seconds.
// The client learns each window's allowance from the answers' rate-limit
// headers and waits for the next window instead of spending a 429.
const WindowLength = 10 * time.Second

// Error codes Alohub documents, found in partnerkit.Error.Code.
const (
	CodeSuccess           = "SUCCESS"
	CodeInvalidInput      = "INVALID_INPUT"
	CodeInvalidState      = "INVALID_STATE"
	CodeUnauthorized      = "UNAUTHORIZED"
	CodeInsufficientScope = "INSUFFICIENT_SCOPE"
	CodeNotFound          = "NOT_FOUND"
	CodeRateLimitExceeded = "RATE_LIMIT_EXCEEDED"
	CodeFail              = "FAIL"
)

// Client is an Alohub partner API client authenticated with an API key. It
// is safe for concurrent use.
type Client struct {
	// Campaigns lists campaigns and their contact lists.
	Campaigns *CampaignsService
	// Contacts lists, adds, deletes and imports the contacts of a campaign.
	Contacts *ContactsService
	// Reports reads call logs.
	Reports *ReportsService

	t *transport.Client
}

// provider names Alohub in errors, logs and options.
const provider = "alohub"

// settings are the Alohub options of a client.
type settings struct {
	tenant        string
	authorization bool
	window        time.Duration
}

// WithTenantID sends id in the X-Tenant-ID header of every request. The
// gateway normally resolves the tenant from the API key, so the option is
// only needed when Alohub asks for it (for example behind a gateway that
// does not inject the header).
func WithTenantID(id string) partnerkit.Option {
	return config.ForProvider(provider, "alohub.WithTenantID", func(c *config.Config) error {
		if strings.TrimSpace(id) == "" || !config.ValidHeaderValue(id) {
			return &partnerkit.ValidationError{Field: "alohub.WithTenantID", Rule: "must be a tenant ID without control characters"}
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
// or in Authorization with WithAuthorizationHeader).
func New(apiKey string, opts ...partnerkit.Option) (*Client, error) {
	var v validate.Errors
	v.Required("apiKey", apiKey)
	if err := v.Err(); err != nil {
		return nil, err
	}
	cfg, err := transport.Configure(provider, opts)
	if err != nil {
		return nil, err
	}
	set, _ := config.Lookup[settings](cfg)
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
	c := &Client{t: t}
	c.Campaigns = &CampaignsService{t: t}
	c.Contacts = &ContactsService{t: t}
	c.Reports = &ReportsService{t: t}
	return c, nil
}

// successFlag is the envelope's success field: the string "1" on success.
// It also accepts the number 1 and true, which some gateways produce.
type successFlag string

// UnmarshalJSON reads "1", 1 or true as success and anything else as
// failure.
func (f *successFlag) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch string(data) {
	case "true":
		*f = "1"
		return nil
	case "false":
		*f = "0"
		return nil
	}
	var id partnerkit.ID
	if err := id.UnmarshalJSON(data); err != nil {
		return err
	}
	*f = successFlag(id)
	return nil
}

// status is the part of Alohub's envelope that says how the call went:
// {"success": "1", "error_code": "SUCCESS", "error_message": "..."}.
type status struct {
	Success      *successFlag `json:"success"`
	ErrorCode    string       `json:"error_code"`
	ErrorMessage string       `json:"error_message"`
}

// failure reads the status of an answer with a success status: a success
// flag other than "1" is a failure, whatever the HTTP status said. An answer
// without a flag is judged by its caller (see envelope.broken).
func failure(r *transport.Response) *partnerkit.Error {
	var s status
	if json.Unmarshal(r.Body, &s) != nil || s.Success == nil || *s.Success == "1" {
		return nil
	}
	return &partnerkit.Error{Code: s.ErrorCode, Message: s.ErrorMessage, Kind: kindForCode(s.ErrorCode)}
}

// envelope is Alohub's answer: the status, totalRecord and data. It is
// decoded once; a success flag other than "1" makes the call fail even when
// the HTTP status is 200.
type envelope[T any] struct {
	status
	TotalRecord partnerkit.Number `json:"totalRecord"`
	Data        T                 `json:"data"`
}

// broken reports an envelope without a success flag.
func (e *envelope[T]) broken() string {
	if e.Success == nil {
		return "the answer has no success flag"
	}
	return ""
}

// total returns totalRecord as an integer (0 when absent).
func (e *envelope[T]) total() int {
	n, _ := e.TotalRecord.Int64()
	return int(n)
}

// flatEnvelope is an answer whose fields may sit in data or beside the
// status at the top level, as the bulk import ({success, job_id, ...}) and
// the import status ({jobId, status, ...}, without a success flag) do.
type flatEnvelope[T any] struct {
	status
	Data T
}

// UnmarshalJSON reads the status and then T from data, or from the whole
// body when data is absent or null.
func (e *flatEnvelope[T]) UnmarshalJSON(body []byte) error {
	var head struct {
		status
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		return err
	}
	e.status = head.status
	src := body
	if d := bytes.TrimSpace(head.Data); len(d) > 0 && d[0] == '{' {
		src = d
	}
	return json.Unmarshal(src, &e.Data)
}

// kindForCode returns the sentinel for an Alohub error code, for failures
// reported under a success status.
func kindForCode(code string) error {
	switch code {
	case CodeInvalidInput, CodeInvalidState:
		return partnerkit.ErrInvalidRequest
	case CodeUnauthorized:
		return partnerkit.ErrUnauthorized
	case CodeInsufficientScope:
		return partnerkit.ErrForbidden
	case CodeNotFound:
		return partnerkit.ErrNotFound
	case CodeRateLimitExceeded:
		return partnerkit.ErrRateLimited
	case CodeFail:
		return partnerkit.ErrServer
	}
	return partnerkit.ErrUnexpected
}

// decodeError reads the envelope of an answer with an error status. The
// status decides the sentinel; Code and Message come from the body.
func decodeError(r *transport.Response) *partnerkit.Error {
	var s status
	if json.Unmarshal(r.Body, &s) != nil {
		return nil
	}
	return &partnerkit.Error{Code: s.ErrorCode, Message: s.ErrorMessage}
}

// Page is one page of a list, as Alohub returns it.
type Page[T any] struct {
	// Items are the page's records.
	Items []T
	// Total is the number of records of the whole list (totalRecord).
	Total int
	// Page is the number of this page, as sent (from 0 for campaigns and
	// contacts, from 1 for call logs).
	Page int
}

// pathID escapes an ID for use in a path.
func pathID(id partnerkit.ID) string {
	return url.PathEscape(string(id))
}

// campaignPath returns /v1/campaigns/{id} followed by rest.
func campaignPath(id partnerkit.ID, rest string) string {
	return "/v1/campaigns/" + pathID(id) + rest
}

// allPages iterates over every record of a list numbered from first,
// stopping once totalRecord records have been read, after an empty page, or
// at the first error.
func allPages[T any](ctx context.Context, first int, list func(ctx context.Context, page int) (*Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		read := 0
		pages := paging.All(ctx, first, func(ctx context.Context, page int) ([]T, int, bool, error) {
			res, err := list(ctx, page)
			if err != nil {
				return nil, 0, false, err
			}
			read += len(res.Items)
			return res.Items, page + 1, read < res.Total, nil
		})
		for item, err := range pages {
			if !yield(item, err) {
				return
			}
		}
	}
}

// get sends a GET and decodes the answer, which expect judges.
func get(ctx context.Context, t *transport.Client, path, route string, q url.Values, out any, expect func() string) error {
	return t.Do(ctx, &transport.Request{Method: http.MethodGet, Path: path, Route: route, Query: q, Expect: expect}, out)
}
