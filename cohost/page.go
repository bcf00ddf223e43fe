package cohost

import (
	"context"
	"iter"
	"net/url"
	"strconv"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/paging"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Page is one page of a list, as Cohost returns it:
// {"items": [...], "total": 100, "page": 1, "limit": 20, "total_pages": 5}.
// Pages are numbered from 1. The counts decode from numbers or numeric
// strings. A bare array (Cohost may answer the customers list with one)
// is one page holding every item.
type Page[T any] struct {
	// Items are the page's items.
	Items []T `json:"items"`
	// Total is the number of items of the whole list.
	Total int `json:"total"`
	// Page is the number of this page, from 1.
	Page int `json:"page"`
	// Limit is the page size.
	Limit int `json:"limit"`
	// TotalPages is the number of pages; Cohost may leave it out, and
	// HasMore then computes it from Total and Limit.
	TotalPages int `json:"total_pages"`
}

// pageWire is a page as Cohost sends it, its counts numbers or numeric
// strings.
type pageWire[T any] struct {
	Items      []T            `json:"items"`
	Total      partnerkit.Int `json:"total"`
	Page       partnerkit.Int `json:"page"`
	Limit      partnerkit.Int `json:"limit"`
	TotalPages partnerkit.Int `json:"total_pages"`
}

// UnmarshalJSON decodes a page object, whose counts may be numeric
// strings, or a bare array as one page.
func (p *Page[T]) UnmarshalJSON(data []byte) error {
	if items, ok, err := rawjson.Array[T](data); ok {
		if err != nil {
			return err
		}
		*p = Page[T]{Items: items, Total: len(items), Page: 1, Limit: len(items), TotalPages: 1}
		return nil
	}
	var w pageWire[T]
	if err := rawjson.Unmarshal(data, &w); err != nil {
		return err
	}
	*p = Page[T]{Items: w.Items, Total: int(w.Total), Page: int(w.Page), Limit: int(w.Limit), TotalPages: int(w.TotalPages)}
	return nil
}

// HasMore reports whether a page follows this one.
func (p *Page[T]) HasMore() bool {
	pages := p.TotalPages
	if pages == 0 && p.Limit > 0 && p.Total > 0 {
		pages = p.Total / p.Limit
		if p.Total%p.Limit != 0 {
			pages++
		}
	}
	return p.Page < pages
}

// listPage fetches page number page of the list at path with query q. A
// page number Cohost leaves out is the one asked for.
func listPage[T any](ctx context.Context, t *transport.Client, path string, q url.Values, page int) (*Page[T], error) {
	var p Page[T]
	if err := get(ctx, t, path, nil, q, &p); err != nil {
		return nil, err
	}
	if p.Page == 0 {
		p.Page = max(page, 1)
	}
	return &p, nil
}

// allPages iterates over every item of a list from page first (or page 1),
// fetching each page with list as the loop needs it.
func allPages[T any](ctx context.Context, first int, list func(ctx context.Context, page int) (*Page[T], error)) iter.Seq2[T, error] {
	return paging.Numbered(ctx, first, func(ctx context.Context, page int) ([]T, bool, error) {
		p, err := list(ctx, page)
		if err != nil {
			return nil, false, err
		}
		return p.Items, p.HasMore(), nil
	})
}

// pageQuery checks a list's page number and size and writes the ones set.
// Zero values leave Cohost's defaults (page 1, 20 items).
func pageQuery(v *validate.Errors, q url.Values, page, limit int) {
	v.Page(page, limit)
	if page > 0 {
		q.Set("page", strconv.Itoa(page))
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
}

// teamIDs writes team IDs the way Cohost reads them: a JSON array of
// numbers in one query parameter, such as team_ids=[1,2,3]. It refuses an
// ID that is not a positive integer, naming it (field[i]).
func teamIDs(v *validate.Errors, q url.Values, field string, ids []partnerkit.ID) {
	if len(ids) == 0 {
		return
	}
	buf := make([]byte, 0, 2+len(ids)*4)
	buf = append(buf, '[')
	for i, id := range ids {
		n, _ := checkTeamID(v, field+"["+strconv.Itoa(i)+"]", id)
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = strconv.AppendInt(buf, n, 10)
	}
	q.Set("team_ids", string(append(buf, ']')))
}

// checkTeamID checks a team ID, which Cohost numbers: it must be a positive
// integer.
func checkTeamID(v *validate.Errors, field string, id partnerkit.ID) (int64, bool) {
	n, ok := id.Int64()
	return n, v.Check(ok && n >= 1, field, "must be a positive integer, such as 1")
}
