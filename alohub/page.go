package alohub

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"

	"github.com/partnerkit/partnerkit-go"
	"github.com/partnerkit/partnerkit-go/internal/paging"
	"github.com/partnerkit/partnerkit-go/internal/rawjson"
	"github.com/partnerkit/partnerkit-go/internal/transport"
)

// Page is one page of a list, as Alohub returns it.
type Page[T any] struct {
	// Items are the page's records.
	Items []T
	// Total is the number of records of the whole list (the envelope's
	// totalRecord).
	Total int
	// Page is the number of this page, from 1. The client converts it to
	// Alohub's numbering, which starts at 0 for campaigns and contacts.
	Page int
	// Limit is the page size: the one asked for, or Alohub's default when
	// none was. It is 0 for a list that Alohub does not page (the contact
	// lists of a campaign).
	Limit int
}

// HasMore reports whether records follow this page: the page is not empty
// and the records up to its end, (Page-1)×Limit plus its items, are fewer
// than Total.
func (p *Page[T]) HasMore() bool {
	return p.Limit > 0 && len(p.Items) > 0 && (max(p.Page, 1)-1)*p.Limit+len(p.Items) < p.Total
}

// Alohub's default page sizes.
const (
	defaultLimit         = 20 // campaigns and contacts
	defaultCallLogsLimit = 50
)

// envelope is Alohub's answer: the status, totalRecord and data. A success
// flag other than "1" is a failure even under HTTP 200 (see failure).
type envelope[T any] struct {
	status
	TotalRecord partnerkit.Int `json:"totalRecord"`
	Data        T              `json:"data"`
}

// broken reports an envelope without a success flag.
func (e *envelope[T]) broken() string {
	if e.Success == nil {
		return "the answer has no success flag"
	}
	return ""
}

// flatEnvelope is an answer whose fields may sit in data or beside the
// status at the top level, as the bulk import ({success, job_id, ...}) and
// the import status ({jobId, status, ...}, without a success flag) do.
type flatEnvelope[T any] struct {
	status
	Data T
}

// UnmarshalJSON reads the status and then T from data, or from the whole
// body when data is absent or not an object.
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
	return rawjson.Unmarshal(src, &e.Data)
}

// list sends the request of one page, numbered page from 1 with size limit,
// and returns the page: the envelope's data and totalRecord.
func list[T any](ctx context.Context, t *transport.Client, req *transport.Request, page, limit int) (*Page[T], error) {
	var env envelope[[]T]
	req.Expect = env.broken
	if err := t.Do(ctx, req, &env); err != nil {
		return nil, err
	}
	return &Page[T]{Items: env.Data, Total: int(env.TotalRecord), Page: page, Limit: limit}, nil
}

// all iterates over every record of a list from page first (from 1) on,
// fetching pages lazily. It stops once the records of the pages up to the
// last one read reach Total, after an empty page, or at the first error.
// Counting the records read, rather than trusting Limit, also holds against
// a server whose pages are shorter or longer than asked.
func all[T any](ctx context.Context, first int, fetch func(ctx context.Context, page int) (*Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		read, started := 0, false
		pages := paging.Numbered(ctx, first, func(ctx context.Context, page int) ([]T, bool, error) {
			p, err := fetch(ctx, page)
			if err != nil {
				return nil, false, err
			}
			if !started {
				read, started = (max(p.Page, 1)-1)*p.Limit, true
			}
			read += len(p.Items)
			return p.Items, p.Limit > 0 && read < p.Total, nil
		})
		for item, err := range pages {
			if !yield(item, err) {
				return
			}
		}
	}
}
