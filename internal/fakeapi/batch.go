package fakeapi

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Batch describe and verify jobs under /batch. The predecessor openapi
// documents the submission and status answers (BatchOperationResponse,
// BatchStatusResponse) and the envelope of the results page
// (BatchResultsResponse, BatchItemResult); what it leaves untyped is
// inferred here and marked so beside it: the keys of pagination and summary
// (openapi: untyped objects), the item status values (openapi: a free
// string) and the contents of output_data (openapi: an untyped object).
// Those follow the predecessor SDK's types/batch.py where it names them.
// POST /batch/verify is not documented: its body
// ({"pairs": [{"image": {…}, "content": …}]}) is inferred. Each item takes
// one JobStepDelay (all at once without one); an image whose URL or key
// contains "fail" fails; a verify text containing "not" is not verified.

type batchJob struct {
	id        string
	kind      string // "describe" or "verify"
	items     []map[string]any
	itemIDs   []string // one per item, minted with the job
	contents  []string
	created   time.Time
	cancelled bool
	cancelAt  int // items processed when cancelled
}

type batchState struct{ jobs map[string]*batchJob }

func (b *batchState) init() { b.jobs = map[string]*batchJob{} }

// batchRoutes are the routes batch.go serves.
func (s *Server) batchRoutes() []route {
	return []route{
		{"POST /batch/describe", s.handleBatchDescribe},
		{"POST /batch/verify", s.handleBatchVerify},
		{"GET /batch/{batch_id}", s.handleBatchStatus},
		{"DELETE /batch/{batch_id}", s.handleBatchCancel},
		{"GET /batch/{batch_id}/results", s.handleBatchResults},
	}
}

func (s *Server) handleBatchDescribe(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Images      []map[string]any `json:"images"`
		MaxParallel *int             `json:"max_parallel"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	if len(body.Images) == 0 {
		fastAPIError(w, "body", "images", "List should have at least 1 item")
		return
	}
	if body.MaxParallel != nil && (*body.MaxParallel < 1 || *body.MaxParallel > 20) {
		fastAPIError(w, "body", "max_parallel", "must be from 1 to 20")
		return
	}
	s.startBatch(w, &batchJob{kind: "describe", items: body.Images})
}

func (s *Server) handleBatchVerify(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Pairs []struct {
			Image   map[string]any `json:"image"`
			Content string         `json:"content"`
		} `json:"pairs"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	if len(body.Pairs) == 0 {
		fastAPIError(w, "body", "pairs", "List should have at least 1 item")
		return
	}
	job := &batchJob{kind: "verify"}
	for _, p := range body.Pairs {
		job.items = append(job.items, p.Image)
		job.contents = append(job.contents, p.Content)
	}
	s.startBatch(w, job)
}

func (s *Server) startBatch(w http.ResponseWriter, job *batchJob) {
	// documented (predecessor openapi): batch_id and item_id are uuids.
	job.id = newUUID()
	for range job.items {
		job.itemIDs = append(job.itemIDs, newUUID())
	}
	job.created = time.Now()
	s.Lock()
	s.state.batch.jobs[job.id] = job
	s.Unlock()
	WriteJSON(w, http.StatusAccepted, map[string]any{"batch_id": job.id, "status": "pending",
		"total_items": len(job.items), "processed_items": 0, "failed_items": 0,
		"created_at": job.created.UTC().Format(time.RFC3339Nano), "estimated_completion_time": nil})
}

// processedLocked is how many items the job has finished by now.
func (s *Server) processedLocked(job *batchJob) int {
	if job.cancelled {
		return job.cancelAt
	}
	step := s.opts.JobStepDelay
	if step <= 0 {
		return len(job.items)
	}
	return min(len(job.items), int(time.Since(job.created)/step))
}

func itemFails(item map[string]any) bool {
	for _, k := range []string{"image_url", "object_key"} {
		if v, _ := item[k].(string); strings.Contains(v, "fail") {
			return true
		}
	}
	return false
}

// batchStatusLocked is the BatchStatusResponse of job.
func (s *Server) batchStatusLocked(job *batchJob) map[string]any {
	done := s.processedLocked(job)
	failed := 0
	for _, item := range job.items[:done] {
		if itemFails(item) {
			failed++
		}
	}
	status := "processing"
	switch {
	case job.cancelled:
		status = "cancelled"
	case done == 0:
		status = "pending"
	case done == len(job.items) && failed == done:
		status = "failed"
	case done == len(job.items) && failed > 0:
		status = "partially_completed"
	case done == len(job.items):
		status = "completed"
	}
	rate := 0.0
	if done > 0 {
		rate = float64(done-failed) / float64(done)
	}
	out := map[string]any{"batch_id": job.id, "status": status, "total_items": len(job.items),
		"processed_items": done, "successful_items": done - failed, "failed_items": failed, "success_rate": rate,
		"created_at": job.created.UTC().Format(time.RFC3339Nano), "started_at": nil, "completed_at": nil,
		"estimated_completion_time": nil, "progress_percentage": 100 * float64(done) / float64(len(job.items)),
		"avg_processing_time_ms": 850}
	if done > 0 {
		out["started_at"] = job.created.UTC().Format(time.RFC3339Nano)
	}
	if status != "processing" && status != "pending" {
		out["completed_at"] = time.Now().UTC().Format(time.RFC3339Nano)
	}
	return out
}

// batchLocked finds a job, answering 422 for an id that is not a uuid
// (documented (predecessor openapi): the path parameter is format uuid,
// which FastAPI validates) and 404 when there is none.
func (s *Server) batchLocked(w http.ResponseWriter, r *http.Request) (*batchJob, bool) {
	id, ok := canonicalUUID(r.PathValue("batch_id"))
	if !ok {
		fastAPIError(w, "path", "batch_id", "Input should be a valid UUID")
		return nil, false
	}
	job := s.state.batch.jobs[id]
	if job == nil {
		WriteError(w, http.StatusNotFound, "NOT_FOUND", "Batch not found")
		return nil, false
	}
	return job, true
}

func (s *Server) handleBatchStatus(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	if job, ok := s.batchLocked(w, r); ok {
		WriteJSON(w, http.StatusOK, s.batchStatusLocked(job))
	}
}

func (s *Server) handleBatchCancel(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	job, ok := s.batchLocked(w, r)
	if !ok {
		return
	}
	// inferred: the openapi says only pending or processing batches can be
	// cancelled and lists no answer but 204, 404 and 422; the refusal's
	// status and body (400 VALIDATION_ERROR) are the fake's choice.
	if st := s.batchStatusLocked(job)["status"]; st != "pending" && st != "processing" {
		WriteError(w, http.StatusBadRequest, "VALIDATION_ERROR", "Batch cannot be cancelled in status "+st.(string))
		return
	}
	job.cancelAt = s.processedLocked(job)
	job.cancelled = true
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleBatchResults(w http.ResponseWriter, r *http.Request) {
	limit, offset, ok := pageParamsUpTo(w, r, 100, 500)
	if !ok {
		return
	}
	includeFailed := r.URL.Query().Get("include_failed") != "false"
	s.Lock()
	defer s.Unlock()
	job, ok := s.batchLocked(w, r)
	if !ok {
		return
	}
	status := s.batchStatusLocked(job)
	var results []map[string]any
	for i, item := range job.items[:s.processedLocked(job)] {
		res := s.batchItemResult(job, i, item)
		if res["status"] == "failed" && !includeFailed {
			continue
		}
		results = append(results, res)
	}
	WriteJSON(w, http.StatusOK, map[string]any{"batch_id": job.id, "status": status["status"],
		"results": pageOf(results, offset, limit),
		// inferred: openapi types pagination and summary only as objects;
		// these keys are the predecessor SDK's BatchResultsPagination and
		// BatchResultsSummary.
		"pagination": map[string]any{"offset": offset, "limit": limit, "total": len(results), "has_more": offset+limit < len(results)},
		"summary": map[string]any{"total_items": len(job.items), "successful_items": status["successful_items"],
			"failed_items": status["failed_items"], "skipped_items": 0, "processing_time_ms": 850 * len(results)}})
}

func (s *Server) batchItemResult(job *batchJob, i int, item map[string]any) map[string]any {
	res := map[string]any{"item_id": job.itemIDs[i], "item_index": i,
		"input_data": item, "output_data": nil, "error_message": nil, "processing_time_ms": 850, "stored_image_url": nil}
	// inferred: openapi gives status as a free string ("success" and
	// "failed" are the predecessor SDK's BatchItemStatus values) and
	// output_data as an untyped object (its keys are the names of the
	// SDK's description, confidence_score and is_verified properties).
	switch {
	case itemFails(item):
		res["status"] = "failed"
		res["error_message"] = "Image could not be downloaded"
	case job.kind == "verify":
		res["status"] = "success"
		res["output_data"] = map[string]any{"is_verified": !strings.Contains(job.contents[i], "not"), "confidence_score": 0.88}
	default:
		res["status"] = "success"
		res["output_data"] = map[string]any{"description": "A red sports car parked on a street", "confidence_score": 0.92}
	}
	return res
}

// newUUID returns a random (version 4) uuid in its canonical form.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b[:])
}

func formatUUID(b []byte) string {
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// canonicalUUID reads id as FastAPI reads a uuid path parameter — 32 hex
// digits of any case, bare or hyphenated 8-4-4-4-12, optionally braced or
// after "urn:uuid:" — and returns its canonical form.
func canonicalUUID(id string) (string, bool) {
	id = strings.TrimPrefix(id, "urn:uuid:")
	if len(id) == 38 && id[0] == '{' && id[37] == '}' {
		id = id[1:37]
	}
	if len(id) == 36 {
		for _, at := range []int{8, 13, 18, 23} {
			if id[at] != '-' {
				return "", false
			}
		}
		id = strings.ReplaceAll(id, "-", "")
	}
	b, err := hex.DecodeString(id)
	if err != nil || len(b) != 16 {
		return "", false
	}
	return formatUUID(b), true
}
