// Package paging turns a provider's page-fetching call into an iterator over
// every item, whatever the provider's scheme (page numbers, next links,
// cursors).
//
//	seq := paging.All(ctx, 1, func(ctx context.Context, page int) ([]Listing, int, bool, error) {
//		p, err := fetch(ctx, page)
//		if err != nil {
//			return nil, 0, false, err
//		}
//		return p.Items, page + 1, page < p.TotalPages, nil
//	})
//	for l, err := range seq { ... }
package paging

import (
	"context"
	"fmt"
	"iter"

	"github.com/partnerkit/partnerkit-go"
)

// Fetch returns the items at cursor, the cursor of the next page, and
// whether there is a next page.
type Fetch[T any, C comparable] func(ctx context.Context, cursor C) (items []T, next C, more bool, err error)

// All iterates over every item, fetching pages lazily from first on, in the
// caller's goroutine. It yields (zero, err) once and stops when a fetch
// fails or the provider misbehaves: a cursor it already returned (which
// would loop forever). It stops after the last page, after an empty page,
// and when the caller stops ranging. It checks ctx before each fetch.
func All[T any, C comparable](ctx context.Context, first C, fetch Fetch[T, C]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		seen := map[C]struct{}{first: {}}
		cursor := first
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, next, more, err := fetch(ctx, cursor)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, item := range items {
				if !yield(item, nil) {
					return
				}
			}
			if !more || len(items) == 0 {
				return
			}
			if _, again := seen[next]; again {
				yield(zero, fmt.Errorf("pagination: the provider returned the cursor %v again; stopping instead of looping: %w", next, partnerkit.ErrUnexpected))
				return
			}
			seen[next] = struct{}{}
			cursor = next
		}
	}
}

// Numbered iterates over every item of a list whose pages are numbered,
// from page first on (a page below 1 means 1): fetch returns one page's
// items and whether a page follows. It is All with page numbers for
// cursors.
func Numbered[T any](ctx context.Context, first int, fetch func(ctx context.Context, page int) (items []T, more bool, err error)) iter.Seq2[T, error] {
	return All(ctx, max(first, 1), func(ctx context.Context, page int) ([]T, int, bool, error) {
		items, more, err := fetch(ctx, page)
		return items, page + 1, more, err
	})
}

// Fail returns an iterator that yields (zero, err) once, for an all-pages
// call whose arguments were refused before any fetch.
func Fail[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
