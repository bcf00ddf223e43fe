package alohub

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"time"

	"github.com/partnerkit/partnerkit-go"
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

type optionKey int

const (
	tenantKey optionKey = iota
	authorizationKey
	windowKey
)

// WithTenantID sends id in the X-Tenant-ID header of every request. The
// gateway normally resolves the tenant from the API key, so the option is
// only needed when Alohub asks for it (for example behind a gateway that
// does not inject the header).
func WithTenantID(id string) partnerkit.Option {
	return func(c *partnerkit.Config) { c.SetValue("alohub", tenantKey, id) }
}

// WithAuthorizationHeader sends the API key, as is and without a scheme, in
// the Authorization header instead of X-Api-Key. Some of Alohub's documents
// show this form.
func WithAuthorizationHeader() partnerkit.Option {
	return func(c *partnerkit.Config) { c.SetValue("alohub", authorizationKey, true) }
}

// WithWindowLength sets the rate-limit window the client assumes when
// Alohub's answers report what is left of a window but not when it ends.
// The default, WindowLength, is Alohub's documented 10 seconds; change it
// only for a gateway configured otherwise (or a scaled-down test server).
func WithWindowLength(d time.Duration) partnerkit.Option {
	return func(c *partnerkit.Config) { c.SetValue("alohub", windowKey, d) }
}

// New returns a client that authenticates with apiKey (sent in X-Api-Key,
// or in Authorization with WithAuthorizationHeader).
func New(apiKey string, opts ...partnerkit.Option) (*Client, error) {
	cfg := partnerkit.NewConfig(opts...)
	var v validate.Errors
	v.Required("apiKey", apiKey)
	if raw, ok := cfg.Value(tenantKey); ok {
		tenant, _ := raw.(string)
		if v.Required("WithTenantID", tenant) {
			partnerkit.WithHeader("X-Tenant-ID", tenant)(cfg)
		}
	}
	header := "X-Api-Key"
	if raw, ok := cfg.Value(authorizationKey); ok && raw == true {
		header = "Authorization"
	}
	window := WindowLength
	if raw, ok := cfg.Value(windowKey); ok {
		window, _ = raw.(time.Duration)
		v.Check(window > 0, "WithWindowLength", "must be positive")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	t, err := transport.New(transport.Spec{
		Provider:     "alohub",
		BaseURL:      DefaultBaseURL,
		Auth:         transport.NewHeaderAuth(header, apiKey),
		DecodeError:  decodeError,
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

// check returns the failure the envelope reports. An envelope without a
// success flag is a failure unless optional is true.
func (s *status) check(optional bool) *partnerkit.Error {
	switch {
	case s.Success != nil && *s.Success == "1":
		return nil
	case s.Success == nil && optional:
		return nil
	case s.Success == nil:
		return &partnerkit.Error{Code: s.ErrorCode, Message: "the answer has no success flag", Kind: partnerkit.ErrUnexpected}
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

// APIError reports the failure the envelope describes, if any.
func (e *envelope[T]) APIError() *partnerkit.Error {
	return e.check(false)
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

// APIError reports the failure the envelope describes, if any. A missing
// success flag is accepted: Alohub's import status answers carry none.
func (e *flatEnvelope[T]) APIError() *partnerkit.Error {
	return e.check(true)
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

// get sends a GET and decodes the answer.
func get(ctx context.Context, t *transport.Client, path, route string, q url.Values, out any) error {
	return t.Do(ctx, &transport.Request{Method: http.MethodGet, Path: path, Route: route, Query: q}, out)
}
