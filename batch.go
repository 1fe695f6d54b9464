package scopix

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Wire details of the batch describe and verify jobs. The describe, status,
// results and cancel endpoints are documented (predecessor openapi
// /batch/*, deprecated there in favour of uploads); the verify submission
// is not: its path and body are inferred from the predecessor SDK's
// batch.submit_verify and BatchVerifyInput, and kept here.
const (
	pathBatch         = "batch"          // documented (predecessor openapi): GET and DELETE batch/{id}, GET batch/{id}/results
	pathBatchDescribe = "batch/describe" // documented (predecessor openapi): POST, 202
	pathBatchVerify   = "batch/verify"   // inferred: the predecessor SDK submits verify batches; no path is documented
	batchResultsTail  = "results"        // documented (predecessor openapi)
	maxBatchParallel  = 20               // documented (predecessor openapi): max_parallel 1–20
	minItemTimeout    = 5                // documented (predecessor openapi): timeout_per_item 5–300 s
	maxItemTimeout    = 300
	maxBatchResults   = 500 // documented (predecessor openapi): limit 1–500
	defaultBatchPage  = 100 // documented (predecessor sdk batch.py): page_size 100
	// Keys of an item's output_data read by BatchItemResult's helpers:
	// inferred from the predecessor SDK's properties of the same names.
	outputDescription = "description"
	outputConfidence  = "confidence_score"
	outputVerified    = "is_verified"
)

// BatchService runs asynchronous describe and verify jobs over many images
// and follows them, under /batch. The predecessor API marks these jobs as
// deprecated in favour of Files.Upload, which describes as it uploads.
type BatchService service

// SubmitDescribe submits a job that describes every image and returns it
// at once (POST /batch/describe, 202); follow it with Status or
// WaitForCompletion, then read Results.
//
// Errors: *ValidationError (no images, an image without exactly one
// source, MaxParallel outside 1–20, TimeoutPerItem outside 5–300 s,
// ConsensusThreshold outside 0–1 — before sending), *QuotaExceededError,
// and the transport errors of every call.
func (s *BatchService) SubmitDescribe(ctx context.Context, images []BatchImage, p *BatchDescribeParams) (*BatchSubmission, error) {
	if p == nil {
		p = &BatchDescribeParams{}
	}
	if err := checkBatchImages(images); err != nil {
		return nil, err
	}
	if err := p.BatchOptions.validate(); err != nil {
		return nil, err
	}
	if t := p.ConsensusThreshold; t != nil && (*t < 0 || *t > 1) {
		return nil, validationError("consensus_threshold", "must be from 0 to 1")
	}
	body := newBatchRequest(p.BatchOptions)
	body.Images, body.Prompt, body.ConsensusThreshold = images, p.Prompt, p.ConsensusThreshold
	return sendJSON[BatchSubmission](ctx, s.client, http.MethodPost, pathBatchDescribe, body)
}

// SubmitVerify submits a job that checks whether each text describes its
// image (POST /batch/verify, inferred wire) and returns it at once.
//
// Errors: *ValidationError (no pairs, an empty text, an image without
// exactly one source, MaxParallel outside 1–20, TimeoutPerItem outside
// 5–300 s — before sending), and the transport errors of every call.
func (s *BatchService) SubmitVerify(ctx context.Context, pairs []BatchVerifyPair, p *BatchOptions) (*BatchSubmission, error) {
	if p == nil {
		p = &BatchOptions{}
	}
	if len(pairs) == 0 {
		return nil, validationError("pairs", "must not be empty")
	}
	for i, pair := range pairs {
		if pair.Content == "" {
			return nil, validationError(fmt.Sprintf("pairs[%d].content", i), "must not be empty")
		}
		if err := pair.Image.check(fmt.Sprintf("pairs[%d].image", i)); err != nil {
			return nil, err
		}
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	body := newBatchRequest(*p)
	body.Pairs = pairs
	return sendJSON[BatchSubmission](ctx, s.client, http.MethodPost, pathBatchVerify, body)
}

// Status returns a job's progress (GET /batch/{batch_id}).
//
// Errors: *ValidationError (empty id, before sending; an id that is not a
// uuid, from the server's 422), *ResourceNotFoundError, and the transport
// errors of every call.
func (s *BatchService) Status(ctx context.Context, batchID string) (*BatchJob, error) {
	seg, err := idSegment("batch_id", batchID)
	if err != nil {
		return nil, err
	}
	return getJSON[BatchJob](ctx, s.client, pathBatch+"/"+seg, nil)
}

// Results returns one page of a job's item results
// (GET /batch/{batch_id}/results?include_failed=&offset=&limit=). A nil p
// is the first 100, failures included.
//
// Errors: *ValidationError (empty id, Limit outside 0–500, Offset < 0 —
// before sending; an id that is not a uuid, from the server's 422),
// *ResourceNotFoundError, and the transport errors of every call.
func (s *BatchService) Results(ctx context.Context, batchID string, p *BatchResultsParams) (*BatchResults, error) {
	seg, err := idSegment("batch_id", batchID)
	if err != nil {
		return nil, err
	}
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	return getJSON[BatchResults](ctx, s.client, pathBatch+"/"+seg+"/"+batchResultsTail, q)
}

// AllResults yields every item result of a job, fetching pages with
// Results as the loop goes on; p is copied, never changed. A page that
// does not say has_more is followed by another only when it is full. It
// stops after yielding the first error.
func (s *BatchService) AllResults(ctx context.Context, batchID string, p *BatchResultsParams) iter.Seq2[BatchItemResult, error] {
	var params BatchResultsParams
	if p != nil {
		params = *p
	}
	if params.Limit == 0 {
		params.Limit = defaultBatchPage
	}
	return pages(params.Offset, func(offset int) ([]BatchItemResult, bool, error) {
		page := params
		page.Offset = offset
		got, err := s.Results(ctx, batchID, &page)
		if err != nil {
			return nil, false, err
		}
		return got.Results, got.more(page.Limit), nil
	})
}

// Cancel stops a pending or processing job (DELETE /batch/{batch_id});
// items already being processed still complete.
//
// Errors: *ValidationError (empty id before sending; an id that is not a
// uuid or a job that already ended, from the server — the status of the
// latter refusal is inferred, the reference documents only that it
// happens), *ResourceNotFoundError, and the transport errors of every
// call.
func (s *BatchService) Cancel(ctx context.Context, batchID string) error {
	seg, err := idSegment("batch_id", batchID)
	if err != nil {
		return err
	}
	req, err := s.client.newRequest(http.MethodDelete, pathBatch+"/"+seg, nil)
	if err != nil {
		return err
	}
	return s.client.do(ctx, req, nil)
}

// WaitForCompletion polls Status until the job ends and returns its last
// status: completed or partially completed is a result; failed or
// cancelled is a *BatchError. Running out of time is a *TimeoutError whose
// LastResult is the last *BatchJob seen.
//
// Errors: *ValidationError (empty id), *BatchError, *TimeoutError, and the
// errors of Status.
func (s *BatchService) WaitForCompletion(ctx context.Context, batchID string, o *WaitBatchOptions) (*BatchJob, error) {
	if o == nil {
		o = &WaitBatchOptions{}
	}
	return waitJob(ctx, s.client.pollConfig(o.Timeout, o.Interval), "batch "+batchID, "batch_id", batchID, s.Status, o.OnProgress)
}

func checkBatchImages(images []BatchImage) error {
	if len(images) == 0 {
		return validationError("images", "must not be empty")
	}
	for i, img := range images {
		if err := img.check(fmt.Sprintf("images[%d]", i)); err != nil {
			return err
		}
	}
	return nil
}

func (img BatchImage) check(field string) error {
	n := 0
	for _, v := range []string{img.URL, img.Base64, img.ObjectKey} {
		if v != "" {
			n++
		}
	}
	if n != 1 {
		return validationError(field, "needs exactly one of URL, Base64 or ObjectKey")
	}
	return nil
}

func (o BatchOptions) validate() error {
	if o.MaxParallel < 0 || o.MaxParallel > maxBatchParallel {
		return validationError("max_parallel", fmt.Sprintf("must be from 1 to %d (0: the server's 5)", maxBatchParallel))
	}
	if t := o.TimeoutPerItem; t != 0 && (t < minItemTimeout*time.Second || t > maxItemTimeout*time.Second) {
		return validationError("timeout_per_item", fmt.Sprintf("must be from %ds to %ds (0: the server's 30s)", minItemTimeout, maxItemTimeout))
	}
	return nil
}

// batchRequest is a submission body (documented (predecessor openapi
// BatchDescribeRequest) unless marked): only the fields that are set go.
type batchRequest struct {
	Images             []BatchImage      `json:"images,omitempty"`
	Pairs              []BatchVerifyPair `json:"pairs,omitempty"` // inferred: the verify body's list (the predecessor SDK's parameter name)
	Prompt             string            `json:"prompt,omitempty"`
	ConsensusThreshold *float64          `json:"consensus_threshold,omitempty"`
	Providers          []string          `json:"providers,omitempty"`
	MaxParallel        int               `json:"max_parallel,omitempty"`
	TimeoutPerItem     int               `json:"timeout_per_item,omitempty"` // whole seconds
	WebhookURL         string            `json:"webhook_url,omitempty"`
	RuleSetID          string            `json:"rule_set_id,omitempty"` // documented (predecessor sdk batch.py); absent from openapi
	Rules              []map[string]any  `json:"rules,omitempty"`       // likewise
}

// newBatchRequest starts a submission body with the shared options.
func newBatchRequest(o BatchOptions) batchRequest {
	return batchRequest{Providers: o.Providers, MaxParallel: o.MaxParallel, TimeoutPerItem: int(o.TimeoutPerItem / time.Second),
		WebhookURL: o.WebhookURL, RuleSetID: o.RuleSetID, Rules: o.Rules}
}

func (p *BatchResultsParams) query() (url.Values, error) {
	q := url.Values{}
	if p == nil {
		return q, nil
	}
	if p.Limit < 0 || p.Limit > maxBatchResults {
		return nil, validationError("limit", fmt.Sprintf("must be from 1 to %d (0: the server's 100)", maxBatchResults))
	}
	if p.Offset < 0 {
		return nil, validationError("offset", "must not be negative")
	}
	if p.IncludeFailed != nil {
		q.Set("include_failed", strconv.FormatBool(*p.IncludeFailed))
	}
	setInt(q, "offset", p.Offset)
	setInt(q, "limit", p.Limit)
	return q, nil
}

// BatchImage is one image of a batch: exactly one of URL, Base64 (a data
// URL) or ObjectKey (a previously uploaded image's storage key).
type BatchImage struct {
	URL       string         `json:"image_url,omitempty"`
	Base64    string         `json:"image_base64,omitempty"`
	ObjectKey string         `json:"object_key,omitempty"`
	Metadata  map[string]any `json:"metadata,omitempty"` // returned with the item's input
}

// BatchVerifyPair is an image and the text to verify against it (inferred
// wire: {"image": {…}, "content": "…"}).
type BatchVerifyPair struct {
	Image   BatchImage `json:"image"`
	Content string     `json:"content"`
}

// BatchOptions are the settings both kinds of job share. Zero values take
// the server's defaults.
type BatchOptions struct {
	Providers      []string         // VLM providers to use
	MaxParallel    int              // 1–20 items at once; 0 is 5
	TimeoutPerItem time.Duration    // 5s–300s, whole seconds; 0 is 30s
	WebhookURL     string           // called when the job ends
	RuleSetID      string           // documented (predecessor sdk batch.py); absent from openapi
	Rules          []map[string]any // inline rules, likewise
}

// BatchDescribeParams tunes SubmitDescribe.
type BatchDescribeParams struct {
	BatchOptions
	Prompt             string   // focus of the descriptions
	ConsensusThreshold *float64 // 0–1; nil is the server's 0.7
}

// BatchStatus is the state of a batch job.
type BatchStatus string

// Batch job states (documented (predecessor openapi BatchStatus)).
const (
	BatchPending            BatchStatus = "pending"
	BatchProcessing         BatchStatus = "processing"
	BatchCompleted          BatchStatus = "completed"
	BatchFailed             BatchStatus = "failed"
	BatchCancelled          BatchStatus = "cancelled"
	BatchPartiallyCompleted BatchStatus = "partially_completed"
)

// IsTerminal reports whether the job has ended.
func (s BatchStatus) IsTerminal() bool {
	switch s {
	case BatchCompleted, BatchFailed, BatchCancelled, BatchPartiallyCompleted:
		return true
	}
	return false
}

// BatchSubmission is the answer of a submission.
type BatchSubmission struct {
	BatchID                 string      `json:"batch_id"`
	Status                  BatchStatus `json:"status"`
	TotalItems              int         `json:"total_items"`
	ProcessedItems          int         `json:"processed_items"`
	FailedItems             int         `json:"failed_items"`
	CreatedAt               Time        `json:"created_at"`
	EstimatedCompletionTime Time        `json:"estimated_completion_time"`
}

// BatchJob is a job's progress, the answer of Status.
type BatchJob struct {
	BatchID                 string      `json:"batch_id"`
	Status                  BatchStatus `json:"status"`
	TotalItems              int         `json:"total_items"`
	ProcessedItems          int         `json:"processed_items"`
	SuccessfulItems         int         `json:"successful_items"`
	FailedItems             int         `json:"failed_items"`
	SuccessRate             float64     `json:"success_rate"` // 0–1
	ProgressPercentage      float64     `json:"progress_percentage"`
	CreatedAt               Time        `json:"created_at"`
	StartedAt               Time        `json:"started_at"`
	CompletedAt             Time        `json:"completed_at"`
	EstimatedCompletionTime Time        `json:"estimated_completion_time"`
	AvgProcessingTimeMS     int         `json:"avg_processing_time_ms"`
}

// IsTerminal reports whether the job has ended (completed, partially
// completed, failed or cancelled).
func (j *BatchJob) IsTerminal() bool { return j.Status.IsTerminal() }

// failure is the *BatchError of a failed or cancelled job, nil otherwise
// (a partially completed job reports its failed items in Results).
func (j *BatchJob) failure(batchID string) error {
	if j.Status != BatchFailed && j.Status != BatchCancelled {
		return nil
	}
	e := newError(CodeBatch, fmt.Sprintf("batch %s %s: %d of %d items failed", batchID, j.Status, j.FailedItems, j.TotalItems), nil)
	e.Details["batch_id"] = batchID
	e.Details["status"] = string(j.Status)
	return &BatchError{Err: e, BatchID: batchID, Status: string(j.Status)}
}

// BatchResultsParams pages Results. Zero values take the server's defaults.
type BatchResultsParams struct {
	IncludeFailed *bool // default true
	Offset        int
	Limit         int // 1–500; 0 is 100
}

// BatchResults is one page of a job's item results. The openapi
// (BatchResultsResponse) types pagination and summary only as objects:
// their keys are inferred from the predecessor SDK, and a page that leaves
// them out decodes with them zero.
type BatchResults struct {
	BatchID    string            `json:"batch_id"`
	Status     BatchStatus       `json:"status"`
	Results    []BatchItemResult `json:"results"`
	Pagination struct {
		Offset  int  `json:"offset"`   // inferred
		Limit   int  `json:"limit"`    // inferred
		Total   int  `json:"total"`    // inferred
		HasMore bool `json:"has_more"` // inferred
	} `json:"pagination"` // documented (predecessor openapi): an untyped object
	Summary struct {
		TotalItems       int `json:"total_items"`        // inferred
		SuccessfulItems  int `json:"successful_items"`   // inferred
		FailedItems      int `json:"failed_items"`       // inferred
		SkippedItems     int `json:"skipped_items"`      // inferred
		ProcessingTimeMS int `json:"processing_time_ms"` // inferred
	} `json:"summary"` // documented (predecessor openapi): an untyped object

	// hasMoreSent is whether the page said has_more; without it AllResults
	// pages on by the length of the page.
	hasMoreSent bool
}

// UnmarshalJSON decodes a results page, noting whether it said has_more.
func (r *BatchResults) UnmarshalJSON(data []byte) error {
	type plain BatchResults
	var probe struct {
		Pagination struct {
			HasMore *bool `json:"has_more"`
		} `json:"pagination"`
	}
	if err := json.Unmarshal(data, (*plain)(r)); err != nil {
		return err
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return err
	}
	r.hasMoreSent = probe.Pagination.HasMore != nil
	return nil
}

// more reports whether a page fetched with limit may have others after it:
// as the page says, or, when it does not say, when the page is full.
func (r *BatchResults) more(limit int) bool {
	if r.hasMoreSent {
		return r.Pagination.HasMore
	}
	return len(r.Results) >= limit
}

// BatchItemStatus is the state of one item of a job.
type BatchItemStatus string

// Item states: inferred — openapi BatchItemResult.status is a free string;
// these are the values of the predecessor SDK's BatchItemStatus.
const (
	BatchItemPending    BatchItemStatus = "pending"
	BatchItemProcessing BatchItemStatus = "processing"
	BatchItemSuccess    BatchItemStatus = "success"
	BatchItemFailed     BatchItemStatus = "failed"
	BatchItemSkipped    BatchItemStatus = "skipped"
)

// IsTerminal reports whether the item has ended: success, failed or
// skipped.
func (s BatchItemStatus) IsTerminal() bool {
	return s == BatchItemSuccess || s == BatchItemFailed || s == BatchItemSkipped
}

// BatchItemResult is the result of one item.
type BatchItemResult struct {
	ItemID           string          `json:"item_id"`
	ItemIndex        int             `json:"item_index"` // position in the submitted list
	Status           BatchItemStatus `json:"status"`     // values inferred: openapi says only string
	InputData        map[string]any  `json:"input_data"`
	OutputData       map[string]any  `json:"output_data"` // contents inferred: openapi says only object
	ErrorMessage     string          `json:"error_message"`
	ProcessingTimeMS int             `json:"processing_time_ms"`
	StoredImageURL   string          `json:"stored_image_url"`
}

// Description is the description of a describe item ("" when none).
func (r BatchItemResult) Description() string {
	s, _ := r.OutputData[outputDescription].(string)
	return s
}

// ConfidenceScore is the item's confidence (0 when none).
func (r BatchItemResult) ConfidenceScore() float64 {
	f, _ := r.OutputData[outputConfidence].(float64)
	return f
}

// Verified reports a verify item's verdict; ok is false when there is none.
func (r BatchItemResult) Verified() (verified, ok bool) {
	verified, ok = r.OutputData[outputVerified].(bool)
	return verified, ok
}

// WaitBatchOptions tunes WaitForCompletion.
type WaitBatchOptions struct {
	Timeout    time.Duration   // default: the client's polling timeout
	Interval   time.Duration   // default: the client's polling interval
	OnProgress func(*BatchJob) // called after every poll
}
