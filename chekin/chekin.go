package chekin

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/config"
	"github.com/partnerkit/partnerkit-go/internal/paging"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// DefaultBaseURL is the production address of the CheKin API v3.
const DefaultBaseURL = "https://a.chekin.io/api/v3"

// provider names CheKin in errors and logs.
const provider = "chekin"

// Token timing. CheKin tokens live one hour; the client renews a token
// DefaultTokenMargin before it expires (WithTokenMargin changes it).
const (
	DefaultTokenLifetime = time.Hour
	DefaultTokenMargin   = 5 * time.Minute
)

// Client is a CheKin API v3 client for one account, authenticated with the
// account's e-mail and password. It logs in when it first needs a token,
// renews the token before it expires and after CheKin rejects it, and is
// safe for concurrent use.
type Client struct {
	// Housings manages the account's housings (properties).
	Housings *HousingsService
	// Reservations manages reservations and their police and statistics
	// registrations.
	Reservations *ReservationsService
	// Guests reads and corrects guests.
	Guests *GuestsService
	// GuestGroups reads the guest groups of reservations.
	GuestGroups *GuestGroupsService
	// Webhooks manages webhook subscriptions.
	Webhooks *WebhooksService
	// Users manages the account's own user.
	Users *UsersService

	t    *transport.Client
	auth *transport.TokenAuth

	mu       sync.Mutex
	email    string
	password string
	seed     string // a token to use before logging in (registration, WithToken)
}

// settings are the CheKin options of a client.
type settings struct {
	margin    time.Duration
	marginSet bool
	token     string
}

// WithTokenMargin sets how long before a token's expiry the client renews
// it (default DefaultTokenMargin, capped at half the token's lifetime).
func WithTokenMargin(d time.Duration) partnerkit.Option {
	return config.ForProvider(provider, "chekin.WithTokenMargin", func(c *config.Config) error {
		if d < 0 {
			return &partnerkit.ValidationError{Field: "chekin.WithTokenMargin", Rule: "must not be negative, got " + d.String()}
		}
		s := config.Slot[settings](c)
		s.margin, s.marginSet = d, true
		return nil
	})
}

// WithToken makes the client start with a token obtained earlier, such as
// one stored after Register, instead of logging in for its first call. The
// client still logs in with the e-mail and password when the token expires
// or CheKin rejects it.
func WithToken(token string) partnerkit.Option {
	return config.ForProvider(provider, "chekin.WithToken", func(c *config.Config) error {
		if strings.TrimSpace(token) == "" || !config.ValidHeaderValue(token) {
			return &partnerkit.ValidationError{Field: "chekin.WithToken", Rule: "must be a non-empty token without control characters"}
		}
		config.Slot[settings](c).token = token
		return nil
	})
}

// New returns a client for the CheKin account with this e-mail and
// password. It sends nothing until the first call.
func New(email, password string, opts ...partnerkit.Option) (*Client, error) {
	var v validate.Errors
	v.Email("email", email)
	v.Required("password", password)
	if err := v.Err(); err != nil {
		return nil, err
	}
	cfg, err := transport.Configure(provider, opts)
	if err != nil {
		return nil, err
	}
	set, _ := config.Lookup[settings](cfg)
	margin := DefaultTokenMargin
	if set.marginSet {
		margin = set.margin
	}
	base, err := transport.New(transport.Spec{
		Provider:    provider,
		BaseURL:     DefaultBaseURL,
		DecodeError: decodeError,
		Secrets:     []string{password},
	}, cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{email: email, password: password}
	if set.token != "" {
		c.seed = set.token
		base.AddSecret(c.seed)
	}
	c.auth = transport.NewTokenAuth(func(ctx context.Context, current transport.Token) (transport.Token, error) {
		return c.fetchToken(ctx, current)
	}, transport.TokenOptions{
		Scheme:   "JWT",
		Lifetime: DefaultTokenLifetime,
		Margin:   margin,
		OnToken:  base.AddSecret,
		Clock:    base.Clock(),
		Identity: transport.Identity(strings.ToLower(email)),
	})
	c.t = base.WithAuth(c.auth)
	c.Housings = &HousingsService{t: c.t}
	c.Reservations = &ReservationsService{t: c.t}
	c.Guests = &GuestsService{t: c.t}
	c.GuestGroups = &GuestGroupsService{t: c.t}
	c.Webhooks = &WebhooksService{t: c.t}
	c.Users = &UsersService{c: c}
	return c, nil
}

// Page is one page of a CheKin list: Count items in all, and links to the
// pages around this one.
type Page[T any] struct {
	// Count is the number of items in the whole list.
	Count int `json:"count"`
	// Next is the address of the next page, empty on the last one.
	Next string `json:"next"`
	// Previous is the address of the previous page, empty on the first one.
	Previous string `json:"previous"`
	// Results are this page's items.
	Results []T `json:"results"`
}

// HasMore reports whether a page follows this one.
func (p *Page[T]) HasMore() bool {
	return p.Next != ""
}

// UnmarshalJSON decodes a page, or a bare array as a single page.
func (p *Page[T]) UnmarshalJSON(data []byte) error {
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("[")) {
		var items []T
		if err := json.Unmarshal(data, &items); err != nil {
			return err
		}
		*p = Page[T]{Count: len(items), Results: items}
		return nil
	}
	type plain Page[T]
	var wire struct {
		plain
		Next     *string `json:"next"`
		Previous *string `json:"previous"`
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	*p = Page[T](wire.plain)
	if wire.Next != nil {
		p.Next = *wire.Next
	}
	if wire.Previous != nil {
		p.Previous = *wire.Previous
	}
	return nil
}

// ListParams select one page of a list. The zero value asks for the first
// page.
type ListParams struct {
	// Page is the page number, from 1; 0 means the first page.
	Page int
	// Filters are further query parameters passed as they are, for the
	// filters CheKin offers beyond the ones typed here.
	Filters url.Values
}

// values validates p (nil asks for the first page) and returns its query.
func (p *ListParams) values() (url.Values, error) {
	var v validate.Errors
	var params ListParams
	if p != nil {
		params = *p
	}
	q := params.query(&v)
	return q, v.Err()
}

func (p ListParams) query(v *validate.Errors) url.Values {
	q := url.Values{}
	for name, values := range p.Filters {
		q[name] = append([]string(nil), values...)
	}
	v.Check(p.Page >= 0, "Page", "must not be negative (pages start at 1)")
	if p.Page > 0 {
		q.Set("page", strconv.Itoa(p.Page))
	}
	return q
}

// list fetches one page of path.
func list[T any](ctx context.Context, t *transport.Client, path string, q url.Values) (*Page[T], error) {
	var page Page[T]
	if err := t.Do(ctx, &transport.Request{Method: http.MethodGet, Path: path, Query: q}, &page); err != nil {
		return nil, err
	}
	return &page, nil
}

// all iterates over every item of path from the page q selects, following
// the next links. A next link is followed by sending its query to path on
// the client's own base URL: CheKin builds its links from its internal
// address (the documents show http links and other hosts), and credentials
// must not go anywhere else.
func all[T any](ctx context.Context, t *transport.Client, path string, q url.Values) iter.Seq2[T, error] {
	return paging.All(ctx, q.Encode(), func(ctx context.Context, cursor string) ([]T, string, bool, error) {
		query, err := url.ParseQuery(cursor)
		if err != nil {
			return nil, "", false, err
		}
		page, err := list[T](ctx, t, path, query)
		if err != nil {
			return nil, "", false, err
		}
		if !page.HasMore() {
			return page.Results, "", false, nil
		}
		next, err := url.Parse(page.Next)
		if err != nil {
			return nil, "", false, &partnerkit.Error{
				Provider: provider, Method: http.MethodGet, Path: path, Kind: partnerkit.ErrUnexpected,
				Message: "the next page link is not a URL: " + err.Error(),
			}
		}
		return page.Results, next.Query().Encode(), true, nil
	})
}

// checkID validates an ID given by the caller. CheKin IDs are UUIDs, written
// as 32 hex digits or in the dashed form; both are accepted, as are other
// opaque IDs made of letters, digits, dashes and underscores.
func checkID(v *validate.Errors, field string, id partnerkit.ID) bool {
	if !v.Required(field, string(id)) {
		return false
	}
	for _, r := range string(id) {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_') {
			return v.Check(false, field, "must be an ID such as 3cdcede6af45448ebaf28315d09ceec2 or 3cdcede6-af45-448e-baf2-8315d09ceec2")
		}
	}
	return true
}

// SameID reports whether two CheKin IDs name the same object: CheKin writes
// a UUID both as 32 hex digits and in the dashed form, in either case.
func SameID(a, b partnerkit.ID) bool {
	return a != "" && normalID(a) == normalID(b)
}

func normalID(id partnerkit.ID) string {
	return strings.ToLower(strings.ReplaceAll(string(id), "-", ""))
}

// itemPath is the path of one object: CheKin paths end with a slash.
func itemPath(collection string, id partnerkit.ID) string {
	return collection + url.PathEscape(string(id)) + "/"
}

// withExtra merges extra fields into the JSON object of v. Fields of v win
// over extra fields of the same name.
func withExtra(v any, extra map[string]any) (json.RawMessage, error) {
	data, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return data, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	for k, e := range extra {
		if _, typed := m[k]; typed {
			continue
		}
		raw, err := json.Marshal(e)
		if err != nil {
			return nil, fmt.Errorf("extra field %q: %w", k, err)
		}
		m[k] = raw
	}
	return json.Marshal(m)
}

// keepRaw copies data for a Raw field.
func keepRaw(data []byte) json.RawMessage {
	return append(json.RawMessage(nil), data...)
}

// decodeError reads CheKin's error bodies, all Django REST Framework style:
// {"detail": "..."}, {"non_field_errors": [...]}, field lists such as
// {"check_in_date": ["..."], "location": {"country": ["..."]}}, a bare list
// of messages, and the coded form {"code", "message", "status_code",
// "errors"}. Field errors are keyed by their path, such as
// "location.country" or "members[1].name". A 402 (no valid subscription)
// matches partnerkit.ErrForbidden.
func decodeError(r *transport.Response) *partnerkit.Error {
	e := &partnerkit.Error{}
	if r.StatusCode == http.StatusPaymentRequired {
		e.Kind = partnerkit.ErrForbidden
	}
	var doc any
	if json.Unmarshal(r.Body, &doc) != nil {
		return e
	}
	switch body := doc.(type) {
	case string:
		e.Message = body
	case []any:
		e.Message = strings.Join(messages(body), " ")
	case map[string]any:
		decodeObject(e, body)
	}
	return e
}

func decodeObject(e *partnerkit.Error, body map[string]any) {
	fields := map[string][]string{}
	for key, value := range body {
		switch key {
		case "code":
			e.Code = scalar(value)
		case "message":
			e.Message = scalar(value)
		case "detail":
			if s, ok := value.(string); ok {
				if e.Message == "" {
					e.Message = s
				}
			} else {
				collect(fields, "", value)
			}
		case "non_field_errors":
			if list, ok := value.([]any); ok {
				e.Message = joinMessage(e.Message, strings.Join(messages(list), " "))
			} else {
				e.Message = joinMessage(e.Message, scalar(value))
			}
		case "status_code":
		case "errors":
			collect(fields, "", value)
		default:
			collect(fields, key, value)
		}
	}
	if msgs, ok := fields[""]; ok {
		delete(fields, "")
		e.Message = joinMessage(e.Message, strings.Join(msgs, " "))
	}
	if len(fields) > 0 {
		e.FieldErrors = fields
		if e.Message == "" {
			e.Message = "request validation failed"
		}
	}
}

// joinMessage keeps the first message and adds a different second one.
func joinMessage(first, second string) string {
	switch {
	case first == "" || first == second:
		return second
	case second == "":
		return first
	default:
		return first + " " + second
	}
}

// collect gathers the messages of a DRF error value under path.
func collect(fields map[string][]string, path string, value any) {
	switch v := value.(type) {
	case nil:
	case string:
		fields[path] = append(fields[path], v)
	case map[string]any:
		if field, ok := v["field"].(string); ok {
			msg := scalar(v["message"])
			if msg == "" {
				msg = scalar(v["detail"])
			}
			fields[join(path, field)] = append(fields[join(path, field)], msg)
			return
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sub := join(path, k)
			if k == "non_field_errors" {
				sub = path
			}
			collect(fields, sub, v[k])
		}
	case []any:
		for i, item := range v {
			if m, ok := item.(map[string]any); ok {
				if _, named := m["field"].(string); named {
					collect(fields, path, item)
					continue
				}
			}
			switch item.(type) {
			case map[string]any, []any:
				collect(fields, fmt.Sprintf("%s[%d]", path, i), item)
			default:
				fields[path] = append(fields[path], scalar(item))
			}
		}
	default:
		fields[path] = append(fields[path], scalar(v))
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// messages returns the texts of a list of messages.
func messages(list []any) []string {
	out := make([]string, 0, len(list))
	for _, item := range list {
		if s := scalar(item); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// scalar returns a JSON scalar as text ("4002" for the number 4002).
func scalar(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	default:
		b, _ := json.Marshal(t)
		return string(b)
	}
}
