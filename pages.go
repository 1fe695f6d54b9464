package scopix

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
)

// doJSON sends req and decodes the JSON answer into a new T: the end of
// every service method whose answer is one JSON value.
func doJSON[T any](ctx context.Context, c *Client, req *request) (*T, error) {
	var out T
	if err := c.do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// getJSON sends GET path (with query, which may be nil) and decodes the JSON
// answer into a new T.
func getJSON[T any](ctx context.Context, c *Client, path string, query url.Values) (*T, error) {
	req, err := c.newRequest(http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	req.query = query
	return doJSON[T](ctx, c, req)
}

// sendJSON sends method path with body (JSON, nil for none) under the
// method's default retry policy and decodes the JSON answer into a new T:
// the whole body of most service methods. A request that needs more (a
// POST safe to repeat, a query) is built, then ended with doJSON.
func sendJSON[T any](ctx context.Context, c *Client, method, path string, body any) (*T, error) {
	req, err := c.newRequest(method, path, body)
	if err != nil {
		return nil, err
	}
	return doJSON[T](ctx, c, req)
}

// jobEnvelope is a job answer with or without its {"job": …} wrapper, so a
// server that drops the wrapper is still understood.
type jobEnvelope[T any] struct{ job T }

func (e *jobEnvelope[T]) UnmarshalJSON(raw []byte) error {
	var wrapper struct {
		Job json.RawMessage `json:"job"`
	}
	if err := json.Unmarshal(raw, &wrapper); err != nil {
		return err
	}
	if len(wrapper.Job) > 0 && !isJSONNull(wrapper.Job) {
		raw = wrapper.Job
	}
	return json.Unmarshal(raw, &e.job)
}

// sendJob is sendJSON for an answer that is one job, wrapped or not.
func sendJob[T any](ctx context.Context, c *Client, method, path string, body any) (*T, error) {
	env, err := sendJSON[jobEnvelope[T]](ctx, c, method, path, body)
	if err != nil {
		return nil, err
	}
	return &env.job, nil
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

// Item keys of list answers. Each List method passes the keys its endpoint
// documents, first the documented one; "items" is accepted everywhere.
const (
	listKeyItems       = "items"       // inferred: the generic key of Scopix list pages
	listKeyFiles       = "files"       // documented (predecessor api/files.md): GET files
	listKeySessions    = "sessions"    // documented (predecessor api/chat.md): GET chat/sessions
	listKeyJobs        = "jobs"        // inferred: GET s3-connector/jobs
	listKeyConnections = "connections" // documented (predecessor api/cloud-storage.md): GET cloud-storage/connections
	listKeyScenes      = "scenes"      // documented (predecessor api/videos.md): GET videos/{id}/scenes
	listKeyResults     = "results"     // documented (predecessor api/uploads.md): GET uploads/sessions/{id}/results
	listKeyImageIDs    = "image_ids"   // documented (predecessor api/chat.md): GET chat/images/all
	listKeyLinks       = "links"       // inferred: the predecessor SDK's LinkList.links
)

// listTotalKeys name the total count of a list answer, in order of preference.
var listTotalKeys = []string{
	"total_count", // documented (predecessor api/files.md, api/chat.md, api/uploads.md)
	"total",       // inferred: older FastAPI list pages
	"count",       // documented (predecessor api/videos.md): GET videos/{id}/scenes
}

// listPage is one page of any list answer, whatever its keys are called.
type listPage[T any] struct {
	Items      []T // never nil
	TotalCount int // len(Items) when the answer has no total
	HasMore    bool
}

// decodeListPage is the decoder behind the list types but one:
// SessionResultsPage has its own, sessionResultsWire, which follows the
// same rules in one pass (UploadBatch reads a page per request, and this
// decoder would read each three times over). It takes the items from the
// first of itemKeys the answer carries (a server that names the list
// differently from what we expected must not look like an empty list),
// the total from listTotalKeys and has_more. Other fields are left to the
// caller.
func decodeListPage[T any](data []byte, itemKeys ...string) (listPage[T], error) {
	var page listPage[T]
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return page, err
	}
	for _, k := range itemKeys {
		if v, ok := raw[k]; ok && !isJSONNull(v) {
			if err := json.Unmarshal(v, &page.Items); err != nil {
				return page, fmt.Errorf("list field %q: %w", k, err)
			}
			break
		}
	}
	if page.Items == nil {
		page.Items = []T{}
	}
	page.TotalCount = len(page.Items)
	for _, k := range listTotalKeys {
		if v, ok := raw[k]; ok && !isJSONNull(v) {
			if err := json.Unmarshal(v, &page.TotalCount); err != nil {
				return page, fmt.Errorf("list field %q: %w", k, err)
			}
			break
		}
	}
	if v, ok := raw["has_more"]; ok && !isJSONNull(v) {
		if err := json.Unmarshal(v, &page.HasMore); err != nil {
			return page, fmt.Errorf("list field %q: %w", "has_more", err)
		}
	}
	return page, nil
}

// isJSONNull reports whether v is the JSON literal null.
func isJSONNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }
