package paging

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerkit/partnerkit-go"
)

// pages serves items 0..total-1 in pages of size, numbered from 1.
func pages(total, size int, calls *[]int) Fetch[int, int] {
	return func(_ context.Context, page int) ([]int, int, bool, error) {
		*calls = append(*calls, page)
		var items []int
		for i := (page - 1) * size; i < min(page*size, total); i++ {
			items = append(items, i)
		}
		return items, page + 1, page*size < total, nil
	}
}

func collect[T any](t *testing.T, seq func(func(T, error) bool)) ([]T, error) {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

func TestAllVisitsEveryPageOnce(t *testing.T) {
	t.Parallel()
	var calls []int
	got, err := collect(t, All(context.Background(), 1, pages(45, 20, &calls)))
	require.NoError(t, err)
	require.Len(t, got, 45)
	require.Equal(t, 44, got[44])
	require.Equal(t, []int{1, 2, 3}, calls)
}

func TestAllIsLazyAndStopsWhenTheCallerStops(t *testing.T) {
	t.Parallel()
	var calls []int
	seq := All(context.Background(), 1, pages(100, 10, &calls))
	require.Empty(t, calls, "nothing is fetched before ranging")
	n := 0
	for range seq {
		if n++; n == 15 {
			break
		}
	}
	require.Equal(t, []int{1, 2}, calls)
}

func TestAllYieldsTheErrorOnceAndStops(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	calls := 0
	seq := All(context.Background(), 0, func(_ context.Context, c int) ([]string, int, bool, error) {
		calls++
		if c == 1 {
			return nil, 0, false, boom
		}
		return []string{"a", "b"}, c + 1, true, nil
	})
	var items []string
	var errs []error
	for v, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, v)
	}
	require.Equal(t, []string{"a", "b"}, items)
	require.Equal(t, []error{boom}, errs)
	require.Equal(t, 2, calls)
}

func TestAllRefusesACursorThatDoesNotAdvance(t *testing.T) {
	t.Parallel()
	for name, next := range map[string]func(string) string{
		"same":  func(c string) string { return c },
		"cycle": func(c string) string { return map[string]string{"": "a", "a": "b", "b": "a"}[c] },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			calls := 0
			got, err := collect(t, All(context.Background(), "", func(_ context.Context, c string) ([]string, string, bool, error) {
				calls++
				return []string{c}, next(c), true, nil
			}))
			require.ErrorIs(t, err, partnerkit.ErrUnexpected)
			require.LessOrEqual(t, calls, 3)
			require.Len(t, got, calls)
		})
	}
}

func TestAllStopsOnAnEmptyPage(t *testing.T) {
	t.Parallel()
	calls := 0
	got, err := collect(t, All(context.Background(), 1, func(_ context.Context, p int) ([]int, int, bool, error) {
		calls++
		return nil, p + 1, true, nil
	}))
	require.NoError(t, err)
	require.Empty(t, got)
	require.Equal(t, 1, calls)
}

func TestAllChecksTheContextBetweenPages(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	var calls []int
	fetch := pages(100, 10, &calls)
	got, err := collect(t, All(ctx, 1, func(ctx context.Context, p int) ([]int, int, bool, error) {
		items, next, more, err := fetch(ctx, p)
		cancel()
		return items, next, more, err
	}))
	require.ErrorIs(t, err, context.Canceled)
	require.Len(t, got, 10)
	require.Equal(t, []int{1}, calls)
}

func TestFailYieldsTheErrorOnce(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	var got []error
	for v, err := range Fail[int](boom) {
		require.Zero(t, v)
		got = append(got, err)
	}
	require.Equal(t, []error{boom}, got)
}

func TestNumberedCountsPagesFromFirst(t *testing.T) {
	t.Parallel()
	var asked []int
	var got []int
	for item, err := range Numbered(context.Background(), 0, func(_ context.Context, page int) ([]int, bool, error) {
		asked = append(asked, page)
		return []int{page * 10}, page < 3, nil
	}) {
		require.NoError(t, err)
		got = append(got, item)
	}
	require.Equal(t, []int{1, 2, 3}, asked, "page 0 means the first page")
	require.Equal(t, []int{10, 20, 30}, got)
}
