package scopix

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// getJSON sends GET path (with query, which may be nil) and decodes the JSON
// answer into a new T.
func getJSON[T any](ctx context.Context, c *Client, path string, query url.Values) (*T, error) {
	req, err := c.newRequest(http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	req.query = query
	var out T
	if err := c.do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// pageFunc fetches the page that starts at offset and says whether the
// server reports more after it.
type pageFunc[T any] func(offset int) (items []T, hasMore bool, err error)

// pages is the one paginator behind every ListAll-style iterator. It starts
// at offset and stops after the first error (yielding it), when the caller
// breaks out of the loop, or when a page is empty or the server says there
// is no more — whichever comes first, so a server that keeps answering
// has_more with empty pages cannot loop forever.
func pages[T any](offset int, fetch pageFunc[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for {
			items, more, err := fetch(offset)
			if err != nil {
				var zero T
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
			offset += len(items)
		}
	}
}
