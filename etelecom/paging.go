package etelecom

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/paging"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Paging selects one page of a list. eTelecom pages with cursors: pass the
// Next of the previous page's PageInfo as After. Zero values leave
// eTelecom's defaults (call logs: 100 per page, newest first).
type Paging struct {
	// After is the cursor to continue after.
	After string `json:"after,omitempty"`
	// Before is the cursor to continue before, to page backwards.
	Before string `json:"before,omitempty"`
	// Limit is the number of items per page.
	Limit int `json:"limit,omitempty"`
	// Sort is the sort order, as eTelecom names it.
	Sort string `json:"sort,omitempty"`
}

func (p *Paging) check(v *validate.Errors) {
	if p == nil {
		return
	}
	v.Check(p.Limit >= 0, "Paging.Limit", "must not be negative")
	v.Check(p.After == "" || p.Before == "", "Paging.Before", "must not be set together with Paging.After")
}

// wire returns the paging object to send, or nil for eTelecom's defaults.
func (p *Paging) wire() *Paging {
	if p == nil || *p == (Paging{}) {
		return nil
	}
	return p
}

// PageInfo is the paging part of a list answer.
type PageInfo struct {
	After  string `json:"after"`
	Before string `json:"before"`
	Limit  int    `json:"limit"`
	// Next is the cursor of the following page; empty on the last page.
	Next string `json:"next"`
	// Prev is the cursor of the preceding page.
	Prev string `json:"prev"`
	Sort string `json:"sort"`
}

// UnmarshalJSON decodes paging whose limit may be a number or a string, as
// protobuf JSON writes 64-bit integers.
func (p *PageInfo) UnmarshalJSON(data []byte) error {
	type plain PageInfo
	var wire struct {
		plain
		Limit partnerkit.Number `json:"limit"`
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	*p = PageInfo(wire.plain)
	n, _ := wire.Limit.Int64()
	p.Limit = int(n)
	return nil
}

// Page is one page of a list.
type Page[T any] struct {
	Items  []T
	Paging PageInfo
}

// HasMore reports whether a page follows this one.
func (p *Page[T]) HasMore() bool {
	return p.Paging.Next != ""
}

// listAnswer decodes a list answer whose items are under key.
type listAnswer[T any] struct {
	key  string
	page Page[T]
}

func (a *listAnswer[T]) UnmarshalJSON(data []byte) error {
	var wire map[string]json.RawMessage
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	if raw, ok := wire[a.key]; ok {
		if err := json.Unmarshal(raw, &a.page.Items); err != nil {
			return fmt.Errorf("%s: %w", a.key, err)
		}
	}
	if raw, ok := wire["paging"]; ok {
		if err := json.Unmarshal(raw, &a.page.Paging); err != nil {
			return fmt.Errorf("paging: %w", err)
		}
	}
	return nil
}

// list sends a read-only list call and returns the page found under key.
func list[T any](ctx context.Context, c *Client, service, method, key string, in any) (*Page[T], error) {
	out := listAnswer[T]{key: key}
	if err := c.rpc(ctx, service, method, in, &out, transport.Idempotent); err != nil {
		return nil, err
	}
	return &out.page, nil
}

// all iterates over every item from the cursor p.After on (Before is not
// used: All pages forwards), calling fetch with the page to read. It stops on
// the last page (no next cursor), on an empty page, and refuses a cursor
// eTelecom already returned.
func all[T any](ctx context.Context, p *Paging, fetch func(context.Context, *Paging) (*Page[T], error)) iter.Seq2[T, error] {
	var pg Paging
	if p != nil {
		pg = *p
	}
	pg.Before = ""
	return paging.All(ctx, pg.After, func(ctx context.Context, cursor string) ([]T, string, bool, error) {
		req := pg
		req.After = cursor
		page, err := fetch(ctx, &req)
		if err != nil {
			return nil, "", false, err
		}
		return page.Items, page.Paging.Next, page.HasMore(), nil
	})
}
