package etelecom

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"reflect"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/paging"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Page is one page of a list. eTelecom pages with cursors: pass Next as the
// After of the following request (All does it for you), Prev as Before to
// page backwards.
type Page[T any] struct {
	Items []T
	// Next is the cursor of the following page; empty on the last page.
	Next string
	// Prev is the cursor of the preceding page; empty on the first page.
	Prev string
	// Limit is the page size eTelecom used.
	Limit int
}

// HasMore reports whether a page follows this one.
func (p *Page[T]) HasMore() bool {
	return p.Next != ""
}

// pageRequest is the paging object of a list request. Every
// <Resource>ListParams has the four fields and gives them here.
type pageRequest struct {
	After  string `json:"after,omitempty"`
	Before string `json:"before,omitempty"`
	Limit  int    `json:"limit,omitempty"`
	Sort   string `json:"sort,omitempty"`
}

func (p *pageRequest) check(v *validate.Errors) {
	v.Check(p.Limit >= 0, "Limit", "must not be negative (0 means eTelecom's default)")
	v.Check(p.After == "" || p.Before == "", "Before", "must not be set together with After")
}

// wire returns the paging object to send, or nil for eTelecom's defaults.
func (p pageRequest) wire() *pageRequest {
	if p == (pageRequest{}) {
		return nil
	}
	return &p
}

// pageParams are the params of a list that takes no filter, with the
// four paging fields every <Resource>ListParams has. HotlineListParams and
// ExtensionListParams have exactly these fields, and convert to pageParams
// for their body.
type pageParams struct {
	After  string
	Before string
	Limit  int
	Sort   string
}

func (p *pageParams) body() (listBody, error) {
	if p == nil {
		return listBody{}, nil
	}
	pg := pageRequest{After: p.After, Before: p.Before, Limit: p.Limit, Sort: p.Sort}
	var v validate.Errors
	pg.check(&v)
	if err := v.Err(); err != nil {
		return listBody{}, err
	}
	return listBody{Paging: pg.wire()}, nil
}

// listBody is a list request: {"filter": {...}, "paging": {...}}, each
// left out when empty.
type listBody struct {
	Filter any          `json:"filter,omitempty"`
	Paging *pageRequest `json:"paging,omitempty"`
}

// newListBody returns the list request of filter f (a struct of omitempty
// fields, left out when none is set) and paging pg.
func newListBody(f any, pg pageRequest) listBody {
	body := listBody{Paging: pg.wire()}
	if !reflect.ValueOf(f).IsZero() {
		body.Filter = f
	}
	return body
}

// pageInfo is the paging object of a list answer.
type pageInfo struct {
	Next  string         `json:"next"`
	Prev  string         `json:"prev"`
	Limit partnerkit.Int `json:"limit"`
}

// listing declares a list method: the RPC and the member of its answer
// that holds the items.
type listing[T any] struct {
	Method
	items string
}

// page sends one list call and returns its page.
func (l listing[T]) page(ctx context.Context, c *Client, body any) (*Page[T], error) {
	out := listAnswer[T]{items: l.items}
	if err := c.send(ctx, l.Method, body, &out, nil); err != nil {
		return nil, err
	}
	return &out.page, nil
}

// listAnswer decodes a list answer whose items are under a member named
// by the method ("call_logs", "tenants", ...), filling each item's Raw.
type listAnswer[T any] struct {
	items string
	page  Page[T]
}

func (a *listAnswer[T]) UnmarshalJSON(data []byte) error {
	var wire map[string]json.RawMessage
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	if raw, ok := wire[a.items]; ok {
		if err := rawjson.Unmarshal(raw, &a.page.Items); err != nil {
			return fmt.Errorf("%s: %w", a.items, err)
		}
	}
	if raw, ok := wire["paging"]; ok {
		var info pageInfo
		if err := json.Unmarshal(raw, &info); err != nil {
			return fmt.Errorf("paging: %w", err)
		}
		a.page.Next, a.page.Prev, a.page.Limit = info.Next, info.Prev, int(info.Limit)
	}
	return nil
}

// allPages iterates over every item from the cursor after on, calling
// fetch with each page's cursor: it stops on the last page (no next
// cursor), on an empty page, at the first error, and refuses a cursor
// eTelecom already returned.
func allPages[T any](ctx context.Context, after string, fetch func(ctx context.Context, after string) (*Page[T], error)) iter.Seq2[T, error] {
	return paging.All(ctx, after, func(ctx context.Context, cursor string) ([]T, string, bool, error) {
		p, err := fetch(ctx, cursor)
		if err != nil {
			return nil, "", false, err
		}
		return p.Items, p.Next, p.HasMore(), nil
	})
}

// listParams is a <Resource>ListParams: it checks itself, nil included,
// and returns its request.
type listParams interface {
	body() (listBody, error)
}

// list sends the one page of l that params ask for.
func (l listing[T]) list(ctx context.Context, c *Client, params listParams) (*Page[T], error) {
	body, err := params.body()
	if err != nil {
		return nil, err
	}
	return l.page(ctx, c, body)
}

// all is every All: it checks params, takes their filter as it is now (a
// caller that changes its params later changes nothing), and fetches the
// pages lazily from params' After on, forwards (Before is ignored).
func (l listing[T]) all(ctx context.Context, c *Client, params listParams) iter.Seq2[T, error] {
	body, err := params.body()
	if err != nil {
		return paging.Fail[T](err)
	}
	if body.Filter != nil {
		filter, err := json.Marshal(body.Filter)
		if err != nil {
			return paging.Fail[T](err)
		}
		body.Filter = json.RawMessage(filter)
	}
	var pg pageRequest
	if body.Paging != nil {
		pg = *body.Paging
	}
	pg.Before = ""
	return allPages(ctx, pg.After, func(ctx context.Context, after string) (*Page[T], error) {
		next := pg
		next.After = after
		return l.page(ctx, c, listBody{Filter: body.Filter, Paging: next.wire()})
	})
}
