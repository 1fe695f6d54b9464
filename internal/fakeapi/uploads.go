package fakeapi

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Batch uploads, their sessions and the quota check, answered as the
// predecessor's api/uploads.md documents them: a batch of more than five
// files gets "immediate_results": null and its ids only through the
// session; session results come in no particular order; the plan's batch
// size is enforced.

// maxImmediateResults is the largest batch answered with immediate results
// ("only present for batches of 5 or fewer files").
const maxImmediateResults = 5

// Plan is a subscription plan's upload limits.
type Plan struct {
	MaxBatchSize         int // files per batch request (0: 100)
	MaxConcurrentUploads int // reported by the quota check (0: 30)
	MonthlyUploads       int // uploads allowed in all (0: unlimited); Options.UploadQuota wins when set
}

// unlimitedAvailable is what the quota check reports as available on a
// plan without a monthly limit (the documents are silent).
const unlimitedAvailable = 1_000_000

func (p Plan) batchSize() int { return orDefault(p.MaxBatchSize, 100) }

func (p Plan) concurrentUploads() int { return orDefault(p.MaxConcurrentUploads, 30) }

func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// batchSession is one POST /files/upload/batch.
type batchSession struct {
	ID        string
	CreatedAt time.Time
	Entries   []sessionEntry // accepted files, in upload order
	Total     int
	Rejected  int
	Cancelled bool
}

// sessionEntry is one accepted file of a session.
type sessionEntry struct {
	FileID  string
	Index   int  // position in the request
	Skipped bool // an existing identical file was kept
}

// uploadsRoutes are the routes uploads.go serves.
func (s *Server) uploadsRoutes() []route {
	return []route{
		{"POST /files/upload/batch", s.handleUploadBatch},
		{"GET /uploads/quota-check", s.handleQuotaCheck},
		{"POST /uploads/check-duplicates", s.handleCheckDuplicates},
		{"GET /uploads/sessions", s.handleListUploadSessions},
		{"GET /uploads/sessions/{id}/status", s.handleSessionStatus},
		{"GET /uploads/sessions/{id}/results", s.handleSessionResults},
		{"POST /uploads/sessions/{id}/cancel", s.handleCancelSession},
	}
}

// sessionTime formats a session timestamp the way FastAPI does by default:
// naive (no zone) with microseconds.
func sessionTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000") }

func (s *Server) handleUploadBatch(w http.ResponseWriter, r *http.Request) {
	opts, files, ok := readUploadForm(w, r, "files")
	if !ok {
		return
	}
	if limit := s.opts.Plan.batchSize(); len(files) > limit {
		// The predecessor answers 413 for too many files in one batch.
		WriteErrorDetails(w, http.StatusRequestEntityTooLarge, "VALIDATION_ERROR",
			fmt.Sprintf("Too many files: %d in one batch, your plan's max batch size is %d", len(files), limit),
			map[string]any{"max_batch_size": limit, "file_count": len(files)})
		return
	}
	now := time.Now()
	s.Lock()
	rejections, accepted := s.screenBatchLocked(files)
	if left, limit := s.quotaLeftLocked(); left >= 0 && s.newFilesLocked(files, accepted, opts) > left {
		s.Unlock()
		writeQuotaError(w, left, limit)
		return
	}
	sess := &batchSession{ID: s.NewID("sess"), CreatedAt: now, Total: len(files), Rejected: len(rejections)}
	results := make([]any, 0, len(accepted))
	for _, i := range accepted {
		f, dup := s.storeLocked(files[i], opts, "BATCH")
		if !dup {
			f.SessionID = sess.ID
		}
		sess.Entries = append(sess.Entries, sessionEntry{FileID: f.ID, Index: i, Skipped: dup})
		results = append(results, batchFileResultJSON(f, dup))
	}
	s.state.files.sessions[sess.ID] = sess
	s.state.files.sessionOrder = append(s.state.files.sessionOrder, sess.ID)
	lost := s.takeFailAfterStoreLocked()
	s.Unlock()
	if lost {
		WriteError(w, http.StatusServiceUnavailable, "INTERNAL_ERROR", "upstream timeout")
		return
	}
	var immediate any // null over five files, as documented
	if len(files) <= maxImmediateResults {
		immediate = results
	}
	WriteJSON(w, http.StatusOK, map[string]any{
		"session_id": sess.ID, "total_files": len(files), "accepted_files": len(accepted), "rejected_files": len(rejections),
		"status": batchStatus(len(accepted), len(rejections)), "immediate_results": immediate,
		"status_url": "/api/v2/uploads/sessions/" + sess.ID + "/status", "websocket_channel": "batch." + sess.ID,
		"rejections": nilIfNone(rejections),
	})
}

// screenBatchLocked splits a batch into rejections and accepted indexes.
func (s *Server) screenBatchLocked(files []receivedFile) (rejections []any, accepted []int) {
	for i, rf := range files {
		if reason := s.rejectReasonLocked(rf); reason != "" {
			rejections = append(rejections, map[string]any{"filename": rf.filename, "index": i, "reason": reason, "retryable": false})
			continue
		}
		accepted = append(accepted, i)
	}
	return rejections, accepted
}

// newFilesLocked counts the accepted files that would be stored (not kept
// as duplicates).
func (s *Server) newFilesLocked(files []receivedFile, accepted []int, opts uploadOptions) int {
	n := 0
	for _, i := range accepted {
		if !opts.skipDuplicates || s.state.files.bySHA[files[i].sha] == "" {
			n++
		}
	}
	return n
}

func batchStatus(accepted, rejected int) string {
	switch {
	case accepted == 0:
		return "rejected"
	case rejected > 0:
		return "partial"
	}
	return "processing"
}

func nilIfNone(list []any) any {
	if len(list) == 0 {
		return nil
	}
	return list
}

// batchFileResultJSON is one immediate result, with the documented fields only.
func batchFileResultJSON(f *File, duplicate bool) map[string]any {
	m := map[string]any{
		"image_id": f.ID, "filename": f.Filename, "object_key": f.ObjectKey, "status": "completed",
		"processing_time_ms": 1.5, "skipped": duplicate, "skipped_existing_image_id": nil, "error": nil,
		"storage_target": f.StorageTarget, "media_type": f.MediaType,
		"document_type": nilIfEmpty(documentTypeOf(f.Filename)), "text_extraction_status": nil,
	}
	if duplicate {
		m["status"], m["skipped_existing_image_id"] = "skipped", f.ID
	}
	return m
}

func (s *Server) handleQuotaCheck(w http.ResponseWriter, r *http.Request) {
	count, err := strconv.Atoi(r.URL.Query().Get("file_count"))
	if err != nil {
		writeDetail(w, http.StatusUnprocessableEntity, []string{"query", "file_count"}, "Field required", "missing")
		return
	}
	s.Lock()
	left, limit := s.quotaLeftLocked()
	used := s.state.files.uploaded
	s.Unlock()
	if left < 0 {
		left, limit = unlimitedAvailable, unlimitedAvailable
	}
	var message any
	if count > left {
		message = fmt.Sprintf("Upload quota exceeded: %d uploads left this month, %d requested. Upgrade your plan or upload fewer files.", left, count)
	}
	WriteJSON(w, http.StatusOK, map[string]any{
		"can_proceed": count <= left, "requested": count, "available": left, "monthly_limit": limit,
		"current_usage": used, "prepaid_credits": 0, "max_batch_size": s.opts.Plan.batchSize(),
		"max_concurrent_uploads": s.opts.Plan.concurrentUploads(), "message": message,
	})
}

// maxDuplicateHashes is documented (predecessor api/uploads.md): 1–250
// hashes per check-duplicates request.
const maxDuplicateHashes = 250

// handleCheckDuplicates answers which SHA-256 hashes the tenant already
// holds, from the stored files' content: {"duplicates": […], "unique": […]}
// in the order asked (documented, predecessor api/uploads.md).
func (s *Server) handleCheckDuplicates(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Hashes []string `json:"hashes"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	if len(body.Hashes) < 1 || len(body.Hashes) > maxDuplicateHashes {
		validationDetail(w, "hashes", fmt.Sprintf("List should have 1 to %d items", maxDuplicateHashes))
		return
	}
	dups, unique := []string{}, []string{}
	s.Lock()
	for _, h := range body.Hashes {
		if s.state.files.bySHA[strings.ToLower(h)] != "" {
			dups = append(dups, h)
		} else {
			unique = append(unique, h)
		}
	}
	s.Unlock()
	WriteJSON(w, http.StatusOK, map[string]any{"duplicates": dups, "unique": unique})
}

// sessionCounts is a session's files by state at one moment.
type sessionCounts struct {
	completed, failed, skipped, pending int
}

// entryState is "completed", "failed", "skipped" or "pending": a file is
// pending until it is processed, description included.
func (s *Server) entryStateLocked(e sessionEntry, now time.Time) (*File, string) {
	f := s.state.files.byID[e.FileID]
	if e.Skipped {
		return f, "skipped"
	}
	switch f.descriptionStatus(now) {
	case "completed", "skipped":
		return f, "completed"
	case "failed":
		return f, "failed"
	}
	return f, "pending"
}

func (s *Server) countLocked(sess *batchSession, now time.Time) sessionCounts {
	var c sessionCounts
	for _, e := range sess.Entries {
		switch _, st := s.entryStateLocked(e, now); st {
		case "completed":
			c.completed++
		case "failed":
			c.failed++
		case "skipped":
			c.skipped++
		default:
			c.pending++
		}
	}
	c.failed += sess.Rejected
	return c
}

func sessionStatus(sess *batchSession, c sessionCounts) string {
	switch {
	case sess.Cancelled:
		return "cancelled"
	case c.pending > 0:
		return "processing"
	case c.completed+c.skipped == 0 && c.failed > 0:
		return "failed"
	}
	return "completed"
}

func (s *Server) uploadSessionLocked(w http.ResponseWriter, id string) *batchSession {
	sess := s.state.files.sessions[id]
	if sess == nil {
		WriteErrorDetails(w, http.StatusNotFound, "NOT_FOUND", "Upload session not found",
			map[string]any{"resource_type": "upload_session", "resource_id": id})
	}
	return sess
}

func (s *Server) handleSessionStatus(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	if sess := s.uploadSessionLocked(w, r.PathValue("id")); sess != nil {
		WriteJSON(w, http.StatusOK, s.sessionStatusJSONLocked(sess, time.Now()))
	}
}

func (s *Server) handleCancelSession(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	sess := s.uploadSessionLocked(w, r.PathValue("id"))
	if sess == nil {
		return
	}
	now := time.Now()
	if sessionStatus(sess, s.countLocked(sess, now)) == "processing" {
		sess.Cancelled = true
	}
	WriteJSON(w, http.StatusOK, s.sessionStatusJSONLocked(sess, now))
}

func (s *Server) sessionStatusJSONLocked(sess *batchSession, now time.Time) map[string]any {
	c := s.countLocked(sess, now)
	completions, errs := []any{}, []any{}
	for _, e := range sess.Entries {
		f, st := s.entryStateLocked(e, now)
		switch st {
		case "completed", "skipped":
			completions = append(completions, map[string]any{"filename": f.Filename, "image_id": f.ID, "status": st,
				"description": describe(f), "processing_time_ms": 1.5, "error_message": nil})
		case "failed":
			errs = append(errs, map[string]any{"filename": f.Filename, "index": e.Index, "error": descriptionFailure, "retryable": true})
		}
	}
	m := s.sessionListItemLocked(sess, now)
	delete(m, "upload_method")
	m["pending_files"] = c.pending
	m["started_at"], m["estimated_completion_time"] = sessionTime(sess.CreatedAt), nil
	m["recent_completions"], m["recent_errors"] = lastN(completions, 10), lastN(errs, 10)
	m["results_url"] = "/api/v2/uploads/sessions/" + sess.ID + "/results"
	m["websocket_channel"] = "batch." + sess.ID
	return m
}

// descriptionFailure is the error the fake gives a file whose description failed.
const descriptionFailure = "Processing failed: the AI provider could not describe this file"

func lastN(list []any, n int) []any { return list[max(len(list)-n, 0):] }

func (s *Server) sessionListItemLocked(sess *batchSession, now time.Time) map[string]any {
	c := s.countLocked(sess, now)
	status := sessionStatus(sess, c)
	pct := 100.0
	if sess.Total > 0 {
		pct = float64(sess.Total-c.pending) * 100 / float64(sess.Total)
	}
	var completedAt any
	if status != "processing" {
		completedAt = sessionTime(now)
	}
	return map[string]any{"session_id": sess.ID, "status": status, "upload_method": "streaming",
		"total_files": sess.Total, "completed_files": c.completed, "failed_files": c.failed, "skipped_files": c.skipped,
		"progress_percentage": pct, "created_at": sessionTime(sess.CreatedAt), "completed_at": completedAt}
}

func (s *Server) handleSessionResults(w http.ResponseWriter, r *http.Request) {
	limit, offset, ok := pageParamsUpTo(w, r, 100, 500)
	if !ok {
		return
	}
	includeFailed := r.URL.Query().Get("include_failed") != "false"
	now := time.Now()
	s.Lock()
	defer s.Unlock()
	sess := s.uploadSessionLocked(w, r.PathValue("id"))
	if sess == nil {
		return
	}
	var items []any
	// Newest first: the documents promise no order, and matching must not rely on one.
	for _, e := range slices.Backward(sess.Entries) {
		f, st := s.entryStateLocked(e, now)
		if st == "pending" || st == "failed" && !includeFailed {
			continue
		}
		items = append(items, s.sessionResultJSON(f, st))
	}
	c := s.countLocked(sess, now)
	WriteJSON(w, http.StatusOK, map[string]any{
		"session_id": sess.ID, "results": pageOf(items, offset, limit), "total_count": len(items), "offset": offset,
		"limit": limit, "has_more": offset+limit < len(items),
		"summary": map[string]any{"total_files": sess.Total, "completed": c.completed, "failed": c.failed, "skipped": c.skipped},
	})
}

func (s *Server) sessionResultJSON(f *File, state string) map[string]any {
	m := map[string]any{
		"image_id": f.ID, "filename": f.Filename, "object_key": f.ObjectKey, "status": state,
		"description": nil, "visible_text": nil, "tags": f.Tags, "processing_time_ms": 1.5, "error_message": nil,
		"thumbnail_url": s.StorageURL("files/" + f.ID + "/tiny_64"), "created_at": sessionTime(f.CreatedAt),
	}
	switch {
	case state == "failed":
		m["error_message"] = descriptionFailure
	case f.descriptionStatus(time.Now()) == "completed":
		m["description"], m["visible_text"] = describe(f), nilIfEmpty(f.VisibleText)
	}
	return m
}

func (s *Server) handleListUploadSessions(w http.ResponseWriter, r *http.Request) {
	limit, offset, ok := pageParams(w, r, 20)
	if !ok {
		return
	}
	status, method := r.URL.Query().Get("status"), r.URL.Query().Get("upload_method")
	now := time.Now()
	s.Lock()
	defer s.Unlock()
	var items []any
	for _, id := range slices.Backward(s.state.files.sessionOrder) {
		item := s.sessionListItemLocked(s.state.files.sessions[id], now)
		if (status == "" || item["status"] == status) && (method == "" || method == "streaming") {
			items = append(items, item)
		}
	}
	WriteJSON(w, http.StatusOK, map[string]any{"sessions": pageOf(items, offset, limit), "total_count": len(items),
		"offset": offset, "limit": limit, "has_more": offset+limit < len(items)})
}
