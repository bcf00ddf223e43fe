package chekin

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/paging"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/transport"
	"github.com/partnerkit/partnerkit-go/internal/validate"
)

// Page is one page of a CheKin list, as Django REST Framework pages it:
// Total items in all, this page's Items, and the links to the pages around
// this one.
type Page[T any] struct {
	// Items are this page's items (DRF's results).
	Items []T `json:"results"`
	// Total is the number of items in the whole list (DRF's count).
	Total int `json:"count"`
	// Next is the address of the next page; nil on the last page, where
	// CheKin sends null.
	Next *string `json:"next"`
	// Prev is the address of the previous page (DRF's previous); nil on the
	// first page, where CheKin sends null.
	Prev *string `json:"previous"`
}

// HasMore reports whether a page follows this one.
func (p *Page[T]) HasMore() bool {
	return p.Next != nil && *p.Next != ""
}

// UnmarshalJSON decodes a page, or a bare array (a list CheKin does not
// page) as a single page.
func (p *Page[T]) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil // null leaves the value as it is, as encoding/json does
	}
	if items, ok, err := rawjson.Array[T](data); ok {
		if err != nil {
			return err
		}
		*p = Page[T]{Items: items, Total: len(items)}
		return nil
	}
	type plain Page[T]
	var out plain
	if err := rawjson.Unmarshal(data, &out); err != nil {
		return err
	}
	*p = Page[T](out)
	return nil
}

// pageQuery returns the query of one page of a list: the caller's further
// filters, then DRF's page (from 1; 0 means the first page) and page_size
// (0 means CheKin's default). It refuses a negative page or size.
func pageQuery(page, limit int, filters url.Values) (url.Values, error) {
	var v validate.Errors
	v.Page(page, limit)
	if err := v.Err(); err != nil {
		return nil, err
	}
	q := url.Values{}
	for name, values := range filters {
		q[name] = append([]string(nil), values...)
	}
	if page > 0 {
		q.Set("page", strconv.Itoa(page))
	}
	if limit > 0 {
		q.Set("page_size", strconv.Itoa(limit))
	}
	return q, nil
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
			return page.Items, "", false, nil
		}
		next, err := url.Parse(*page.Next)
		if err != nil {
			return nil, "", false, &partnerkit.Error{
				Provider: provider, Method: http.MethodGet, Path: path, Kind: partnerkit.ErrUnexpected,
				Message: "the next page link is not a URL: " + err.Error(),
			}
		}
		return page.Items, next.Query().Encode(), true, nil
	})
}
