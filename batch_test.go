package scopix_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/internal/fakeapi"
	"github.com/scopix/scopix-go/scopixtest"
)

func urls(us ...string) []scopix.BatchImage {
	out := make([]scopix.BatchImage, len(us))
	for i, u := range us {
		out[i] = scopix.BatchImage{URL: u}
	}
	return out
}

func TestBatch_DescribeSubmitWaitAndResults(t *testing.T) {
	t.Parallel()
	inBubble(t, fakeapi.Options{JobStepDelay: 5 * time.Millisecond}, func(t *testing.T, srv *bubble) {
		var tap bodyTap
		c := srv.Client(scopix.WithMiddleware(tap.middleware))
		ctx := context.Background()
		images := urls("https://example.com/1.jpg", "https://example.com/fail.jpg", "https://example.com/3.jpg")
		images[0].Metadata = map[string]any{"sku": "A-1"}

		sub, err := c.Batch.SubmitDescribe(ctx, images, &scopix.BatchDescribeParams{Prompt: "focus on damage",
			ConsensusThreshold: scopix.Ptr(0.8), BatchOptions: scopix.BatchOptions{MaxParallel: 3, TimeoutPerItem: 60 * time.Second}})
		require.NoError(t, err)
		assert.Equal(t, scopix.BatchPending, sub.Status)
		assert.Equal(t, 3, sub.TotalItems)
		assert.False(t, sub.CreatedAt.IsZero())

		var seen []scopix.BatchStatus
		job, err := c.Batch.WaitForCompletion(ctx, sub.BatchID, &scopix.WaitBatchOptions{
			OnProgress: func(j *scopix.BatchJob) { seen = append(seen, j.Status) }})
		require.NoError(t, err, "a partial success is a result")
		assert.Equal(t, scopix.BatchPartiallyCompleted, job.Status)
		assert.Equal(t, 2, job.SuccessfulItems)
		assert.Equal(t, 1, job.FailedItems)
		assert.InDelta(t, 2.0/3, job.SuccessRate, 1e-9)
		assert.True(t, job.Status.IsTerminal())
		assert.NotEmpty(t, seen)

		page, err := c.Batch.Results(ctx, sub.BatchID, &scopix.BatchResultsParams{IncludeFailed: scopix.Ptr(false)})
		require.NoError(t, err)
		require.Len(t, page.Results, 2)
		assert.Equal(t, "A red sports car parked on a street", page.Results[0].Description())
		assert.InDelta(t, 0.92, page.Results[0].ConfidenceScore(), 1e-9)
		assert.Equal(t, "A-1", page.Results[0].InputData["metadata"].(map[string]any)["sku"])
		assert.Equal(t, 3, page.Summary.TotalItems)

		var failed []scopix.BatchItemResult
		all := 0
		for item, err := range c.Batch.AllResults(ctx, sub.BatchID, &scopix.BatchResultsParams{Limit: 1}) {
			require.NoError(t, err)
			all++
			if item.Status == scopix.BatchItemFailed {
				failed = append(failed, item)
			}
		}
		assert.Equal(t, 3, all, "every item, one page each")
		require.Len(t, failed, 1)
		assert.Equal(t, 1, failed[0].ItemIndex)
		assert.NotEmpty(t, failed[0].ErrorMessage)

		body := tap.get("/api/v2/batch/describe")
		assert.Equal(t, "focus on damage", body["prompt"])
		assert.Equal(t, 0.8, body["consensus_threshold"])
		assert.Equal(t, 60.0, body["timeout_per_item"], "whole seconds on the wire")
		assert.Equal(t, 3.0, body["max_parallel"])
	})
}

func TestBatch_VerifyPairs(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	sub, err := c.Batch.SubmitVerify(ctx, []scopix.BatchVerifyPair{
		{Image: scopix.BatchImage{URL: "https://example.com/car.jpg"}, Content: "A red sports car"},
		{Image: scopix.BatchImage{ObjectKey: "images/t/truck.jpg"}, Content: "not a truck"},
	}, nil)
	require.NoError(t, err)
	job, err := c.Batch.WaitForCompletion(ctx, sub.BatchID, nil)
	require.NoError(t, err)
	assert.Equal(t, scopix.BatchCompleted, job.Status)

	var verdicts []bool
	for item, err := range c.Batch.AllResults(ctx, sub.BatchID, nil) {
		require.NoError(t, err)
		v, ok := item.Verified()
		require.True(t, ok)
		verdicts = append(verdicts, v)
	}
	assert.Equal(t, []bool{true, false}, verdicts)
}

func TestBatch_FailedAndCancelledJobsAreBatchErrors(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t, scopixtest.WithJobStepDelay(time.Hour))
	c := srv.Client()
	ctx := context.Background()

	sub, err := c.Batch.SubmitDescribe(ctx, urls("https://example.com/a.jpg", "https://example.com/b.jpg"), nil)
	require.NoError(t, err)
	require.NoError(t, c.Batch.Cancel(ctx, sub.BatchID))
	_, err = c.Batch.WaitForCompletion(ctx, sub.BatchID, nil)
	var be *scopix.BatchError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, "cancelled", be.Status)
	assert.Equal(t, sub.BatchID, be.BatchID)
	assert.Equal(t, "BATCH_ERROR", be.Err.Code)

	err = c.Batch.Cancel(ctx, sub.BatchID)
	assert.True(t, isType[*scopix.ValidationError](err), "an ended job cannot be cancelled: %v", err)

	fast := scopixtest.NewServer(t)
	fc := fast.Client()
	sub, err = fc.Batch.SubmitDescribe(ctx, urls("https://example.com/fail1.jpg"), nil)
	require.NoError(t, err)
	_, err = fc.Batch.WaitForCompletion(ctx, sub.BatchID, nil)
	require.ErrorAs(t, err, &be)
	assert.Equal(t, "failed", be.Status)
}

func TestBatch_WaitTimesOutWithTheLastStatus(t *testing.T) {
	t.Parallel()
	inBubble(t, fakeapi.Options{JobStepDelay: time.Hour}, func(t *testing.T, b *bubble) {
		c := b.Client()
		sub, err := c.Batch.SubmitDescribe(context.Background(), urls("https://example.com/a.jpg"), nil)
		require.NoError(t, err)
		_, err = c.Batch.WaitForCompletion(context.Background(), sub.BatchID,
			&scopix.WaitBatchOptions{Timeout: 50 * time.Millisecond, Interval: 10 * time.Millisecond})
		var te *scopix.TimeoutError
		require.ErrorAs(t, err, &te)
		last, ok := te.LastResult.(*scopix.BatchJob)
		require.True(t, ok)
		assert.Equal(t, scopix.BatchPending, last.Status)
	})
}

func TestBatch_BadArgumentsAreRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	one := urls("https://example.com/a.jpg")
	assertRefusedBeforeSending(t, srv, []refusal{
		{"no images", "images", func() error { _, err := c.Batch.SubmitDescribe(ctx, nil, nil); return err }},
		{"two sources", "images[0]", func() error {
			_, err := c.Batch.SubmitDescribe(ctx, []scopix.BatchImage{{URL: "u", ObjectKey: "k"}}, nil)
			return err
		}},
		{"no source", "images[1]", func() error {
			_, err := c.Batch.SubmitDescribe(ctx, append(urls("u"), scopix.BatchImage{}), nil)
			return err
		}},
		{"parallel", "max_parallel", func() error {
			_, err := c.Batch.SubmitDescribe(ctx, one, &scopix.BatchDescribeParams{BatchOptions: scopix.BatchOptions{MaxParallel: 21}})
			return err
		}},
		{"timeout", "timeout_per_item", func() error {
			_, err := c.Batch.SubmitDescribe(ctx, one, &scopix.BatchDescribeParams{BatchOptions: scopix.BatchOptions{TimeoutPerItem: time.Second}})
			return err
		}},
		{"consensus", "consensus_threshold", func() error {
			_, err := c.Batch.SubmitDescribe(ctx, one, &scopix.BatchDescribeParams{ConsensusThreshold: scopix.Ptr(1.5)})
			return err
		}},
		{"no pairs", "pairs", func() error { _, err := c.Batch.SubmitVerify(ctx, nil, nil); return err }},
		{"empty content", "pairs[0].content", func() error {
			_, err := c.Batch.SubmitVerify(ctx, []scopix.BatchVerifyPair{{Image: one[0]}}, nil)
			return err
		}},
		{"pair image", "pairs[0].image", func() error {
			_, err := c.Batch.SubmitVerify(ctx, []scopix.BatchVerifyPair{{Content: "x"}}, nil)
			return err
		}},
		{"status id", "batch_id", func() error { _, err := c.Batch.Status(ctx, ""); return err }},
		{"results id", "batch_id", func() error { _, err := c.Batch.Results(ctx, ".", nil); return err }},
		{"results limit", "limit", func() error {
			_, err := c.Batch.Results(ctx, "b", &scopix.BatchResultsParams{Limit: 501})
			return err
		}},
		{"cancel id", "batch_id", func() error { return c.Batch.Cancel(ctx, "..") }},
		{"wait id", "batch_id", func() error { _, err := c.Batch.WaitForCompletion(ctx, "", nil); return err }},
	})
}

func TestBatch_ServerErrorsAreTyped(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	_, err := c.Batch.Status(context.Background(), "00000000-0000-0000-0000-000000000000")
	assert.True(t, isType[*scopix.ResourceNotFoundError](err), "got %v", err)

	scripted := newWire(t)
	scripted.Mux.Handle("/", script(reply{status: 403, body: `{"detail":"Requires EDIT permission"}`}))
	sc := scripted.Client
	_, err = sc.Batch.SubmitDescribe(context.Background(), urls("https://example.com/a.jpg"), nil)
	assert.True(t, isType[*scopix.PermissionError](err), "got %v", err)
	err = sc.Batch.Cancel(context.Background(), "b1")
	assert.True(t, isType[*scopix.PermissionError](err), "got %v", err)
	yielded := 0
	for _, err := range sc.Batch.AllResults(context.Background(), "b1", nil) {
		yielded++
		assert.True(t, isType[*scopix.PermissionError](err), "got %v", err)
	}
	assert.Equal(t, 1, yielded, "the iterator yields the error once, then stops")
}

func TestBatch_ResultsWithoutPaginationOrSummary(t *testing.T) {
	t.Parallel()
	// openapi types pagination and summary only as objects; a server that
	// leaves them out must still be paged to the end, by page length.
	item := func(i int) string {
		return `{"item_id":"00000000-0000-4000-8000-00000000000` + strconv.Itoa(i) + `","item_index":` + strconv.Itoa(i) + `,"status":"success"}`
	}
	cases := []struct {
		name      string
		pages     []string
		wantItems int
		wantCalls int
	}{
		{"full page then short page", []string{item(0) + "," + item(1), item(2)}, 3, 2},
		{"full pages then an empty one", []string{item(0) + "," + item(1), item(2) + "," + item(3), ""}, 4, 3},
		{"short first page", []string{item(0)}, 1, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWire(t)
			replies := make([]reply, len(tc.pages))
			for i, p := range tc.pages {
				replies[i] = reply{body: `{"batch_id":"b","status":"completed","results":[` + p + `]}`}
			}
			w.Mux.Handle("GET /batch/{id}/results", script(replies...))

			page, err := w.Client.Batch.Results(context.Background(), "b", nil)
			require.NoError(t, err)
			assert.Equal(t, 0, page.Summary.TotalItems, "an absent summary decodes as zero")
			assert.False(t, page.Pagination.HasMore)

			w2 := newWire(t)
			w2.Mux.Handle("GET /batch/{id}/results", script(replies...))
			var got []int
			for it, err := range w2.Client.Batch.AllResults(context.Background(), "b", &scopix.BatchResultsParams{Limit: 2}) {
				require.NoError(t, err)
				got = append(got, it.ItemIndex)
			}
			want := make([]int, tc.wantItems)
			for i := range want {
				want[i] = i
			}
			assert.Equal(t, want, got, "every item, once, in order")
			assert.Len(t, w2.Requests(), tc.wantCalls)
		})
	}
}

func TestBatch_AnIDThatIsNotAUUIDIsAServerValidationError(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	sub, err := c.Batch.SubmitDescribe(ctx, urls("https://example.com/a.jpg"), nil)
	require.NoError(t, err)
	job, err := c.Batch.Status(ctx, strings.ToUpper(sub.BatchID))
	require.NoError(t, err, "any spelling of a uuid names the job")
	assert.Equal(t, sub.BatchID, job.BatchID)

	// The SDK sends any non-empty id; the server validates its uuid format.
	calls := []struct {
		name string
		call func(id string) error
	}{
		{"status", func(id string) error { _, err := c.Batch.Status(ctx, id); return err }},
		{"results", func(id string) error { _, err := c.Batch.Results(ctx, id, nil); return err }},
		{"cancel", func(id string) error { return c.Batch.Cancel(ctx, id) }},
		{"all results", func(id string) error {
			n := 0
			for _, err := range c.Batch.AllResults(ctx, id, nil) {
				n++
				if err != nil {
					return err
				}
			}
			return fmt.Errorf("%d items and no error", n)
		}},
	}
	for _, tc := range calls {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.call(sub.BatchID + "x")
			var ve *scopix.ValidationError
			require.ErrorAs(t, err, &ve)
			require.NotEmpty(t, ve.Fields)
			assert.Equal(t, []string{"path", "batch_id"}, ve.Fields[0].Loc)
		})
	}
}

// FuzzBatchResultsPage checks that a results page decodes exactly as a
// plain struct of its fields would, whatever the server sends.
func FuzzBatchResultsPage(f *testing.F) {
	f.Add(`{"batch_id":"b","status":"completed","results":[{"item_index":1,"status":"success"}],"pagination":{"has_more":true,"limit":2}}`)
	f.Add(`{"results":[],"pagination":null,"summary":{"total_items":3}}`)
	f.Add(`{"pagination":{"has_more":"yes"}}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, raw string) {
		var got scopix.BatchResults
		var plain struct {
			BatchID    string                   `json:"batch_id"`
			Status     scopix.BatchStatus       `json:"status"`
			Results    []scopix.BatchItemResult `json:"results"`
			Pagination struct {
				Offset  int  `json:"offset"`
				Limit   int  `json:"limit"`
				Total   int  `json:"total"`
				HasMore bool `json:"has_more"`
			} `json:"pagination"`
			Summary struct {
				TotalItems       int `json:"total_items"`
				SuccessfulItems  int `json:"successful_items"`
				FailedItems      int `json:"failed_items"`
				SkippedItems     int `json:"skipped_items"`
				ProcessingTimeMS int `json:"processing_time_ms"`
			} `json:"summary"`
		}
		err := json.Unmarshal([]byte(raw), &got)
		plainErr := json.Unmarshal([]byte(raw), &plain)
		if plainErr != nil {
			assert.Error(t, err)
			return
		}
		require.NoError(t, err)
		want, _ := json.Marshal(plain)
		have, _ := json.Marshal(got)
		assert.JSONEq(t, string(want), string(have))
	})
}

// bodyTap is a middleware that keeps the JSON body of each request by path
// (the fake does not log bodies).
type bodyTap struct {
	mu     sync.Mutex
	bodies map[string]map[string]any
}

func (b *bodyTap) middleware(req *http.Request, next scopix.MiddlewareNext) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		data, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(data))
		var body map[string]any
		if json.Unmarshal(data, &body) == nil {
			b.mu.Lock()
			if b.bodies == nil {
				b.bodies = map[string]map[string]any{}
			}
			b.bodies[req.URL.Path] = body
			b.mu.Unlock()
		}
	}
	return next(req)
}

func (b *bodyTap) get(path string) map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.bodies[path]
}
