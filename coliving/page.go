package coliving

import (
	"context"
	"iter"

	"github.com/partnerkit/partnerkit-go/internal/paging"
)

// Page is one page of a list. Coliving's lists are not paged: a list call
// answers with every item at once, so a Page holds them all and HasMore is
// always false. Page has the shape of every partnerkit provider's page, so
// that code written for one reads the same for all.
type Page[T any] struct {
	// Items are the items of the page, in Coliving's order.
	Items []T
}

// HasMore reports whether another page follows: never, for Coliving.
func (p *Page[T]) HasMore() bool { return false }

// all iterates over every item of the list that list fetches, in the
// caller's goroutine, fetching when the range starts.
func all[T any](ctx context.Context, list func(context.Context) (*Page[T], error)) iter.Seq2[T, error] {
	return paging.Numbered(ctx, 1, func(ctx context.Context, _ int) ([]T, bool, error) {
		p, err := list(ctx)
		if err != nil {
			return nil, false, err
		}
		return p.Items, p.HasMore(), nil
	})
}
