package cohost

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/paging"
	"github.com/partnerkit/partnerkit-go/internal/ratelimit"
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

// Error codes Cohost documents, found in partnerkit.Error.Code.
const (
	CodeValidationError      = "VALIDATION_ERROR"
	CodeInvalidRequest       = "EXTERNAL_INVALID_REQUEST"
	CodeInvalidState         = "EXTERNAL_INVALID_STATE"
	CodeInvalidDateFormat    = "EXTERNAL_INVALID_DATE_FORMAT"
	CodeListingNotFound      = "LISTING_NOT_FOUND"
	CodeBookingNotFound      = "BOOKING_NOT_FOUND"
	CodeListingNotAccessible = "EXTERNAL_LISTING_NOT_ACCESSIBLE"
	CodeTeamNotActive        = "TEAM_NOT_ACTIVE"
	CodeRateLimitExceeded    = "RATE_LIMIT_EXCEEDED"
)

// Client is a Cohost External API client authenticated with a partner API
// key. It is safe for concurrent use.
type Client struct {
	// Listings lists listings and reads their availability.
	Listings *ListingsService
	// Bookings creates and lists bookings.
	Bookings *BookingsService
	// Customers manages customer accounts and logs customers in.
	Customers *CustomersService

	t *transport.Client
}

// New returns a client that authenticates with the partner API key apiKey
// (X-API-Key).
func New(apiKey string, opts ...partnerkit.Option) (*Client, error) {
	var v validate.Errors
	v.Required("apiKey", apiKey)
	if err := v.Err(); err != nil {
		return nil, err
	}
	cfg, err := transport.Configure("cohost", opts)
	if err != nil {
		return nil, err
	}
	t, err := transport.New(transport.Spec{
		Provider:     "cohost",
		BaseURL:      DefaultBaseURL,
		Auth:         transport.NewHeaderAuth("X-API-Key", apiKey),
		DecodeError:  decodeError,
		Quotas:       []partnerkit.Quota{{Limit: DefaultRateLimit, Per: DefaultRatePeriod}},
		WindowLength: DefaultRatePeriod,
		Secrets:      []string{apiKey},
	}, cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{t: t}
	c.Listings = &ListingsService{t: t}
	c.Bookings = &BookingsService{t: t}
	c.Customers = &CustomersService{t: t, apiKey: apiKey}
	return c, nil
}

// Page is one page of a list, as Cohost returns it. Pages are numbered from
// 1.
type Page[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
	Page  int `json:"page"`
	Limit int `json:"limit"`
	// TotalPages is computed from Total and Limit when Cohost omits it.
	TotalPages int `json:"total_pages"`
}

// HasMore reports whether a page follows this one.
func (p *Page[T]) HasMore() bool {
	pages := p.TotalPages
	if pages == 0 && p.Limit > 0 {
		pages = (p.Total + p.Limit - 1) / p.Limit
	}
	return p.Page < pages
}

// allPages iterates over every item of a paginated list from page first (or
// page 1), fetching each page with list as the loop needs it.
func allPages[T any](ctx context.Context, first int, list func(ctx context.Context, page int) (*Page[T], error)) iter.Seq2[T, error] {
	return paging.All(ctx, max(first, 1), func(ctx context.Context, page int) ([]T, int, bool, error) {
		res, err := list(ctx, page)
		if err != nil {
			return nil, 0, false, err
		}
		return res.Items, page + 1, res.HasMore(), nil
	})
}

// PageParams select one page of a list. Zero values leave Cohost's defaults
// (page 1, 20 items).
type PageParams struct {
	Page  int
	Limit int
}

func (p PageParams) check(v *validate.Errors) {
	v.Check(p.Page >= 0, "Page", "must not be negative (pages start at 1)")
	v.Check(p.Limit >= 0, "Limit", "must not be negative")
}

func (p PageParams) encode(q url.Values) {
	if p.Page > 0 {
		q.Set("page", strconv.Itoa(p.Page))
	}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
}

// teamIDs writes team IDs the way Cohost reads them: a JSON array in one
// query parameter, such as team_ids=[1,2,3].
func teamIDs(v *validate.Errors, q url.Values, field string, ids []int64) {
	if len(ids) == 0 {
		return
	}
	buf := make([]byte, 0, 2+len(ids)*4)
	buf = append(buf, '[')
	for i, id := range ids {
		if id < 1 {
			v.Check(false, fmt.Sprintf("%s[%d]", field, i), "must be a positive number")
		}
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = strconv.AppendInt(buf, id, 10)
	}
	q.Set("team_ids", string(append(buf, ']')))
}

// pathID escapes an ID for use in a path.
func pathID(id partnerkit.ID) string {
	return url.PathEscape(string(id))
}

// get sends a GET and decodes the answer.
func get(ctx context.Context, t *transport.Client, path, route string, q url.Values, out any) error {
	return t.Do(ctx, &transport.Request{Method: http.MethodGet, Path: path, Route: route, Query: q}, out)
}

// decodeError reads Cohost's three error shapes: business errors
// {code, message, details}, FastAPI validation errors {detail: [{loc, msg,
// type}]}, and {detail: "text"}. The 429 body's details.retry_after_seconds
// becomes RetryAfter.
func decodeError(r *transport.Response) *partnerkit.Error {
	var body struct {
		Code    string          `json:"code"`
		Message string          `json:"message"`
		Details map[string]any  `json:"details"`
		Detail  json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(r.Body, &body) != nil {
		return nil
	}
	e := &partnerkit.Error{Code: body.Code, Message: body.Message}
	if len(body.Details) > 0 {
		e.Details = body.Details
		if secs, ok := body.Details["retry_after_seconds"].(float64); ok && secs > 0 {
			e.RetryAfter, _ = ratelimit.Seconds(secs)
		}
	}
	var text string
	var items []struct {
		Loc  []any  `json:"loc"`
		Msg  string `json:"msg"`
		Type string `json:"type"`
	}
	switch {
	case len(body.Detail) == 0:
	case json.Unmarshal(body.Detail, &text) == nil:
		if e.Message == "" {
			e.Message = text
		}
	case json.Unmarshal(body.Detail, &items) == nil:
		e.FieldErrors = make(map[string][]string, len(items))
		for _, it := range items {
			loc := make([]string, len(it.Loc))
			for i, part := range it.Loc {
				loc[i] = fmt.Sprint(part)
			}
			field := strings.Join(loc, ".")
			e.FieldErrors[field] = append(e.FieldErrors[field], it.Msg)
		}
		if e.Message == "" {
			e.Message = "request validation failed"
		}
	}
	return e
}
