package scopix

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/scopix/scopix-go/internal/parts"
)

// Stages of an *UploadError: which step of an upload failed.
const (
	UploadStageInitiate       = "initiate"        // starting a direct upload
	UploadStageUpload         = "upload"          // sending a direct upload's parts, or a file's own upload
	UploadStageComplete       = "complete"        // completing a direct upload
	UploadStageQuota          = "quota"           // the quota check before a batch
	UploadStageBatch          = "batch"           // a batch request
	UploadStageSessionResults = "session_results" // reading a batch's ids from its upload session
	UploadStageDescriptions   = "descriptions"    // waiting for a batch's descriptions
	UploadStageSession        = "session"         // an upload session that failed, expired or was cancelled
	UploadStageRejected       = "rejected"        // a file the server refused in a batch
)

// Batch sizing. The plan's limits come from the quota check.
const (
	// fallbackBatchSize is used when the server has no quota check:
	// documented (Scopix rate-limits page): STARTER, the smallest plan with
	// API keys, takes 50 files per batch request.
	fallbackBatchSize = 50
	maxBatchSize      = 1000 // the SDK's own bound on files per request
	sessionPageSize   = maxSessionResultsLimit
)

// batchTooLargeHints are words of a 400/422 answer that refuses a batch for
// its size (inferred; the predecessor documents 413 for "too many files").
var batchTooLargeHints = []string{"batch size", "batch_size", "too many files"}

// batchRun is one UploadBatch call: its files, its settings and what its
// chunks share.
type batchRun struct {
	s           *FilesService
	p           *UploadParams
	files       []batchFile
	size        int // files per request
	concurrency int
	wait        bool          // wait for descriptions
	timeout     time.Duration // how long each request's ids and descriptions are waited for
	interval    time.Duration
	progress    func(batchFile, int64)
	report      func(UploadResult) // OnFileComplete, one call at a time; nil when unset
	refused     atomic.Int64       // smallest request size the server refused as too large
	stop        atomic.Bool        // a chunk failed: start no more
}

// newBatchRun checks the quota for files and sizes the run from the
// caller's params, else the plan's limits.
func (s *FilesService) newBatchRun(ctx context.Context, files []batchFile, p *UploadParams) (*batchRun, error) {
	quota, err := s.CheckQuota(ctx, len(files))
	var missing *ResourceNotFoundError
	switch {
	case errors.As(err, &missing):
		// A server without the quota check: go on with the fallback limits.
		quota = &QuotaInfo{CanProceed: true}
	case err != nil:
		return nil, uploadError("", UploadStageQuota, "", "checking the upload quota failed", err)
	case !quota.CanProceed:
		return nil, quotaRefusal(quota)
	}
	b := &batchRun{s: s, p: p, files: files, progress: p.batchProgress(), report: p.fileComplete()}
	b.size = planLimit(quota.MaxBatchSize, fallbackBatchSize, maxBatchSize)
	b.concurrency = planLimit(quota.MaxConcurrentUploads, defaultConcurrency, defaultConcurrency)
	var timeout time.Duration
	if p != nil {
		b.size = cmpOr(p.BatchSize, b.size)
		b.concurrency = cmpOr(p.Concurrency, b.concurrency)
		b.wait = p.WaitForDescriptions && (p.AutoDescribe == nil || *p.AutoDescribe)
		timeout = p.DescriptionTimeout
	}
	cfg := s.client.pollConfig(timeout, 0)
	b.timeout, b.interval = cfg.Timeout, cfg.Interval
	return b, nil
}

// planLimit is the plan's value capped at most, or fallback when the plan
// gives none.
func planLimit(plan, fallback, most int) int {
	if plan <= 0 {
		return fallback
	}
	return min(plan, most)
}

func cmpOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// quotaRefusal is the *QuotaExceededError of a quota check that said no.
func quotaRefusal(q *QuotaInfo) *QuotaExceededError {
	msg := q.Message
	if msg == "" {
		msg = fmt.Sprintf("upload quota: %d files requested, %d available", q.Requested, q.Available)
	}
	e := newError(CodeQuotaExceeded, msg, nil)
	e.Details["available"], e.Details["limit"], e.Details["requested"] = q.Available, q.MonthlyLimit, q.Requested
	return &QuotaExceededError{Err: e, Available: q.Available, Limit: q.MonthlyLimit}
}

// upload sends the files in chunks, b.concurrency at a time, and joins
// their outcomes in file order.
func (b *batchRun) upload(ctx context.Context) (*BatchUploadResults, error) {
	chunks := parts.Split(int64(len(b.files)), int64(b.size))
	outcomes, _, _ := parts.Run(ctx, chunks, b.concurrency, func(ctx context.Context, c parts.Part) (chunkOutcome, error) {
		// A failed chunk is an outcome, not an error: the chunks in flight
		// finish so their results are known, and no new chunk starts.
		if b.stop.Load() {
			return chunkOutcome{}, nil
		}
		out := b.runChunk(ctx, b.files[c.Offset:c.Offset+c.Size])
		if out.err != nil {
			b.stop.Store(true)
		}
		out.ran = true
		return out, nil
	})
	return assembleBatch(ctx, outcomes)
}

// runChunk sends files in one request — in halves, as often as the server
// refuses a request as too large — and settles what each request stored.
// A refused request stored nothing, so each file is stored once.
func (b *batchRun) runChunk(ctx context.Context, files []batchFile) chunkOutcome {
	if refused := b.refused.Load(); refused > 0 && int64(len(files)) >= refused && len(files) > 1 {
		return b.splitChunk(ctx, files)
	}
	out := b.s.uploadChunk(ctx, files, b.p, b.progress)
	if out.err != nil && len(files) > 1 && chunkTooLarge(out.err) {
		b.noteRefused(int64(len(files)))
		return b.splitChunk(ctx, files)
	}
	if out.err == nil {
		b.settle(ctx, &out)
	}
	return out
}

func (b *batchRun) splitChunk(ctx context.Context, files []batchFile) chunkOutcome {
	half := len(files) / 2
	first := b.runChunk(ctx, files[:half])
	if first.err != nil {
		return first
	}
	second := b.runChunk(ctx, files[half:])
	first.results = append(first.results, second.results...)
	first.rejections = append(first.rejections, second.rejections...)
	first.sessionIDs = append(first.sessionIDs, second.sessionIDs...)
	first.err = second.err
	return first
}

// noteRefused remembers the smallest refused size, so later chunks are
// split before they are sent instead of being refused too.
func (b *batchRun) noteRefused(n int64) {
	for {
		cur := b.refused.Load()
		if cur != 0 && cur <= n || b.refused.CompareAndSwap(cur, n) {
			return
		}
	}
}

// chunkTooLarge reports a batch request refused for its size: 413
// (documented for the predecessor: too many files, or too large in all) or
// a 400/422 naming the batch size (inferred). A quota is never that.
func chunkTooLarge(err error) bool {
	var quota *QuotaExceededError
	var base *Error
	if errors.As(err, &quota) || !errors.As(err, &base) {
		return false
	}
	switch base.StatusCode {
	case http.StatusRequestEntityTooLarge:
		return true
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		text := strings.ToLower(base.Message + " " + fmt.Sprint(base.Details))
		return slices.ContainsFunc(batchTooLargeHints, func(h string) bool { return strings.Contains(text, h) })
	}
	return false
}

// settle fills in what one request's answer left open: the ids of files
// without an immediate result (from the upload session) and, when waiting,
// the descriptions. Each file is reported to OnFileComplete once final.
func (b *batchRun) settle(ctx context.Context, out *chunkOutcome) {
	results := out.results
	done := make([]bool, len(results))
	defer func() {
		for i := range results {
			if !done[i] {
				b.finish(results, done, i)
			}
		}
	}()
	deadline := time.Now().Add(b.timeout)
	if b.sessionOwes(results) {
		var sessionID string
		if len(out.sessionIDs) > 0 {
			sessionID = out.sessionIDs[0]
		}
		if err := b.readSession(ctx, sessionID, results, deadline); err != nil {
			out.err = err
			return
		}
	}
	for i, r := range results {
		if !r.idUnknown() && !(b.wait && r.describing()) {
			b.finish(results, done, i)
		}
	}
	if b.wait {
		out.err = b.waitDescriptions(ctx, results, done, deadline)
	}
}

// finish marks results[i] final and reports it.
func (b *batchRun) finish(results []UploadResult, done []bool, i int) {
	done[i] = true
	if b.report != nil {
		b.report(results[i])
	}
}

// readSession reads the session's results and matches them to results by
// filename. When they leave files open it waits (until deadline) for the
// session to finish its files and reads them again. A file the session
// does not report is pending when the wait ran out, failed when the
// session ended without it.
func (b *batchRun) readSession(ctx context.Context, sessionID string, results []UploadResult, deadline time.Time) error {
	if sessionID == "" {
		markUnknown(results, uploadStatusPending, "the server named no upload session to report this file's id")
		return nil
	}
	// A session that is already done needs no status poll: its results are
	// all there is to read.
	if err := b.matchSessionResults(ctx, sessionID, results); err != nil || !b.sessionOwes(results) {
		return err
	}
	cfg := b.s.client.pollConfig(max(time.Until(deadline), time.Nanosecond), b.interval)
	last, err := waitFor(ctx, cfg, "upload session "+sessionID,
		func(ctx context.Context) (*UploadSession, error) { return b.s.Session(ctx, sessionID) },
		func(st *UploadSession) (bool, error) { return st.settled(), nil }, nil)
	var timeout *TimeoutError
	if err != nil && !(errors.As(err, &timeout) && ctx.Err() == nil) {
		return b.sessionError(sessionID, results, "reading the upload session failed", err)
	}
	if err := b.matchSessionResults(ctx, sessionID, results); err != nil {
		return err
	}
	if last != nil && last.Status.ended() {
		markUnknown(results, uploadStatusFailed, "upload session "+sessionID+" ended "+string(last.Status)+" without reporting this file")
	} else {
		markUnknown(results, uploadStatusPending, "upload session "+sessionID+" had not reported this file when the wait ended")
	}
	return nil
}

// matchSessionResults pages every result of the session and matches them.
func (b *batchRun) matchSessionResults(ctx context.Context, sessionID string, results []UploadResult) error {
	var reported []UploadResult
	for r, err := range pages(0, func(offset int) ([]UploadResult, bool, error) {
		page, err := b.s.SessionResults(ctx, sessionID, &SessionResultsParams{Limit: sessionPageSize, Offset: offset})
		if err != nil {
			return nil, false, err
		}
		return page.Results, page.HasMore, nil
	}) {
		if err != nil {
			return b.sessionError(sessionID, results, "reading the upload session's results failed", err)
		}
		reported = append(reported, r)
	}
	matchByFilename(results, reported)
	return nil
}

// sessionOwes reports files the session has still to report: an id, or,
// when waiting, a description (a failed or kept duplicate file is settled
// by its own GET instead).
func (b *batchRun) sessionOwes(results []UploadResult) bool {
	return slices.ContainsFunc(results, func(r UploadResult) bool {
		return r.idUnknown() || b.wait && r.describing() && r.Status != uploadStatusFailed && !r.Skipped
	})
}

// sessionError is the *UploadError of a session that could not be read;
// the files it holds are stored, so they stay in the results as pending.
func (b *batchRun) sessionError(sessionID string, results []UploadResult, msg string, cause error) error {
	markUnknown(results, uploadStatusPending, msg+"; the file was stored, its id is in upload session "+sessionID)
	return uploadError("", UploadStageSessionResults, sessionID, msg, cause)
}

// waitDescriptions polls each stored file the session did not settle (GET
// /files/{id}) until its description is final or the deadline passes;
// those still running then stay pending.
func (b *batchRun) waitDescriptions(ctx context.Context, results []UploadResult, done []bool, deadline time.Time) error {
	if !slices.ContainsFunc(results, UploadResult.describing) {
		return nil
	}
	cfg := b.s.client.pollConfig(max(time.Until(deadline), time.Nanosecond), b.interval)
	_, err := waitFor(ctx, cfg, "batch descriptions", func(ctx context.Context) (int, error) {
		open := 0
		for i := range results {
			if !results[i].describing() {
				continue
			}
			d, err := b.s.Get(ctx, results[i].ImageID)
			if err != nil {
				return 0, err
			}
			results[i].describedBy(d)
			if results[i].describing() {
				open++
			} else {
				b.finish(results, done, i)
			}
		}
		return open, nil
	}, func(open int) (bool, error) { return open == 0, nil }, nil)
	var timeout *TimeoutError
	if err == nil || errors.As(err, &timeout) && ctx.Err() == nil {
		return nil
	}
	return uploadError("", UploadStageDescriptions, results[0].SessionID, "waiting for the descriptions failed", err)
}

// matchByFilename merges the session's reported results into results: a
// file whose id is known takes its own entry's news (description,
// failure); the others are matched by filename. Results may come in any
// order; files of one name take that name's results oldest first, in
// upload order.
func matchByFilename(results []UploadResult, reported []UploadResult) {
	byID := map[string]int{}
	waiting := map[string][]int{}
	for i, r := range results {
		if r.idUnknown() {
			waiting[r.Filename] = append(waiting[r.Filename], i)
		} else if r.ImageID != "" {
			byID[r.ImageID] = i
		}
	}
	reported = slices.Clone(reported)
	slices.SortStableFunc(reported, func(a, b UploadResult) int { return a.CreatedAt.Compare(b.CreatedAt.Time) })
	for _, rep := range reported {
		if i, ok := byID[rep.ImageID]; ok {
			results[i].updatedBy(rep)
			continue
		}
		queue := waiting[rep.Filename]
		if len(queue) == 0 {
			continue
		}
		i := queue[0]
		waiting[rep.Filename] = queue[1:]
		path, session := results[i].Path, results[i].SessionID
		rep.normalize(results[i].Filename)
		rep.Path, rep.SessionID = path, cmpOrString(rep.SessionID, session)
		results[i] = rep
	}
}

// updatedBy takes what a session result adds to a file already known:
// its description, or its failure.
func (r *UploadResult) updatedBy(rep UploadResult) {
	if rep.Status == uploadStatusFailed {
		r.Status, r.Error = rep.Status, rep.Error
	}
	if rep.DescriptionStatus.Terminal() && !r.DescriptionStatus.Terminal() {
		r.DescriptionStatus, r.Description, r.VisibleText = rep.DescriptionStatus, rep.Description, rep.VisibleText
	}
	if len(r.Tags) == 0 {
		r.Tags = rep.Tags
	}
	if r.ThumbnailURL == "" {
		r.ThumbnailURL = rep.ThumbnailURL
	}
}

func cmpOrString(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

// markUnknown gives every file still without an id the status and reason.
func markUnknown(results []UploadResult, status, reason string) {
	for i := range results {
		if results[i].idUnknown() {
			results[i].Status, results[i].Error = status, reason
		}
	}
}

// idUnknown reports a batch file the server has not yet reported.
func (r UploadResult) idUnknown() bool {
	return r.ImageID == "" && r.Status != uploadStatusFailed && r.Error == ""
}

// describing reports a stored file whose description is not known final.
func (r UploadResult) describing() bool {
	return r.ImageID != "" && !r.DescriptionStatus.Terminal()
}

// describedBy takes the description state of a file's details.
func (r *UploadResult) describedBy(d *FileDetails) {
	r.DescriptionStatus = d.DescriptionStatus
	r.Description = cmpOrString(d.UploadDescription, r.Description)
	r.VisibleText = cmpOrString(d.VisibleText, r.VisibleText)
	r.DescriptionError, r.DescriptionErrorType = d.DescriptionError, d.DescriptionErrorType
	r.DescriptionIsRetryable = d.DescriptionIsRetryable
	if r.MediaType == "" {
		r.MediaType = d.MediaType
	}
	if len(r.Tags) == 0 {
		r.Tags = d.Tags
	}
}

// settled reports a session with no file left to process.
func (st *UploadSession) settled() bool {
	switch st.Status {
	case SessionCompleted, SessionPartial:
		return true
	}
	return st.Status.ended() || st.PendingFiles == 0 && st.CompletedFiles+st.FailedFiles+st.SkippedFiles >= st.TotalFiles
}

// ended reports a session that stopped before finishing its files.
func (s SessionStatus) ended() bool {
	return s == SessionFailed || s == SessionExpired || s == SessionCancelled
}

// fileComplete serialises OnFileComplete: chunks settle in parallel.
func (p *UploadParams) fileComplete() func(UploadResult) {
	if p == nil || p.OnFileComplete == nil {
		return nil
	}
	var mu sync.Mutex
	return func(r UploadResult) {
		mu.Lock()
		defer mu.Unlock()
		p.OnFileComplete(r)
	}
}
