package scopix

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/scopix/scopix-go/internal/parts"
	"golang.org/x/sync/semaphore"
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
	s     *FilesService
	p     *UploadParams
	files []batchFile
	// results has a place for every file's result: each chunk writes its
	// results at its files' place, so they are never copied together.
	results     []UploadResult
	size        int // files per request
	concurrency int
	wait        bool          // wait for descriptions
	timeout     time.Duration // how long each request's ids and descriptions are waited for
	interval    time.Duration
	progress    func(batchFile, int64)
	report      func(UploadResult) // OnFileComplete, one call at a time; nil when unset
	refused     atomic.Int64       // smallest request size the server refused as too large
	stop        atomic.Bool        // a chunk failed: start no more
	// waitCtx is the batch call's own context, for the description waits
	// that outlive their chunk's worker (the workers' context ends with
	// the last upload).
	waitCtx context.Context
	waiters *semaphore.Weighted // bounds the chunks settling at once
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
		// validate refused negative values: 0 is the only one left to default.
		b.size = cmp.Or(p.BatchSize, b.size)
		b.concurrency = cmp.Or(p.Concurrency, b.concurrency)
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
	b.waitCtx, b.waiters = ctx, semaphore.NewWeighted(int64(max(b.concurrency, 1)))
	b.results = make([]UploadResult, len(b.files))
	chunks := parts.Split(int64(len(b.files)), int64(b.size))
	outcomes, _ := parts.Run(ctx, chunks, b.concurrency, func(ctx context.Context, c parts.Part) (chunkOutcome, error) {
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
	for i := range outcomes {
		outcomes[i].join()
	}
	return assembleBatch(ctx, outcomes, b.results)
}

// runChunk sends files in one request — in halves, as often as the server
// refuses a request as too large — and settles what each request stored.
// A refused request stored nothing, so each file is stored once.
func (b *batchRun) runChunk(ctx context.Context, files []batchFile) chunkOutcome {
	if refused := b.refused.Load(); refused > 0 && int64(len(files)) >= refused && len(files) > 1 {
		return b.splitChunk(ctx, files)
	}
	out := b.uploadChunk(ctx, files)
	if out.err != nil && len(files) > 1 && chunkTooLarge(out.err) {
		b.noteRefused(int64(len(files)))
		return b.splitChunk(ctx, files)
	}
	if out.err == nil {
		b.settle(ctx, &out)
	}
	return out
}

// splitChunk sends files in two halves, one after the other. It does not
// wait for the halves' descriptions: their waits run on beside the next
// requests, and join puts the halves together once both are over.
func (b *batchRun) splitChunk(ctx context.Context, files []batchFile) chunkOutcome {
	half := len(files) / 2
	first := b.runChunk(ctx, files[:half])
	if first.err != nil {
		return first
	}
	second := b.runChunk(ctx, files[half:])
	return chunkOutcome{err: second.err, halves: []chunkOutcome{first, second}}
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

// settle reads what the chunk's request stored from its upload session
// and reports each file once it is final. Without WaitForDescriptions it
// runs in the chunk's worker. With it, it runs beside the next chunks, at
// most b.concurrency chunks at a time, so uploads go on while descriptions
// finish; upload joins it.
func (b *batchRun) settle(ctx context.Context, out *chunkOutcome) {
	if !b.wait {
		out.err = b.settleNow(ctx, out.results, out.sessionIDs)
		return
	}
	waited := make(chan error, 1)
	results, sessionIDs := out.results, out.sessionIDs
	go func() {
		// A cancelled call still settles: what it knows is reported, the
		// rest is pending.
		if err := b.waiters.Acquire(b.waitCtx, 1); err == nil {
			defer b.waiters.Release(1)
		}
		waited <- b.settleNow(b.waitCtx, results, sessionIDs)
	}()
	out.waited = waited
}

// settleNow matches results to what the session reports (waiting, until
// the description timeout, for files it has not settled) and, with
// WaitForDescriptions, waits for the descriptions the session leaves open.
func (b *batchRun) settleNow(ctx context.Context, results []UploadResult, sessionIDs []string) error {
	done := make([]bool, len(results))
	defer b.finishAll(results, done)
	deadline := time.Now().Add(b.timeout)
	if b.sessionOwes(results) {
		var sessionID string
		if len(sessionIDs) > 0 {
			sessionID = sessionIDs[0]
		}
		if err := b.readSession(ctx, sessionID, results, deadline); err != nil {
			return err
		}
	}
	for i, r := range results {
		if !r.idUnknown() && !(b.wait && r.describing()) {
			b.finish(results, done, i)
		}
	}
	if b.wait {
		return b.waitDescriptions(ctx, results, done, deadline)
	}
	return nil
}

// finishAll reports every result not yet final.
func (b *batchRun) finishAll(results []UploadResult, done []bool) {
	for i := range results {
		if !done[i] {
			b.finish(results, done, i)
		}
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
	reported := make([]UploadResult, 0, len(results))
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
// failure); the others are matched by filename, as the server read it
// (see filenameAsRead). Results may come in any order; files of one name
// take that name's results oldest first, in upload order.
func matchByFilename(results []UploadResult, reported []UploadResult) {
	byID := map[string]int{}
	waiting := map[string][]int{}
	for i, r := range results {
		if r.idUnknown() {
			name := filenameAsRead(r.Filename)
			waiting[name] = append(waiting[name], i)
		} else if r.ImageID != "" {
			byID[r.ImageID] = i
		}
	}
	byCreated := func(a, b UploadResult) int { return a.CreatedAt.Compare(b.CreatedAt.Time) }
	if !slices.IsSortedFunc(reported, byCreated) { // servers list in upload order: no copy then
		reported = slices.Clone(reported)
		slices.SortStableFunc(reported, byCreated)
	}
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
		rep.Path, rep.SessionID = path, cmp.Or(rep.SessionID, session)
		results[i] = rep
	}
}

// updatedBy takes what a session result adds to a file already known:
// its description, or its failure.
func (r *UploadResult) updatedBy(rep UploadResult) {
	if rep.Status == uploadStatusFailed {
		r.Status, r.Error = rep.Status, rep.Error
	}
	if rep.DescriptionStatus.IsTerminal() && !r.DescriptionStatus.IsTerminal() {
		r.DescriptionStatus, r.Description, r.VisibleText = rep.DescriptionStatus, rep.Description, rep.VisibleText
	}
	if len(r.Tags) == 0 {
		r.Tags = rep.Tags
	}
	if r.ThumbnailURL == "" {
		r.ThumbnailURL = rep.ThumbnailURL
	}
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
	return r.ImageID != "" && !r.DescriptionStatus.IsTerminal()
}

// describedBy takes the description state of a file's details.
func (r *UploadResult) describedBy(d *FileDetails) {
	r.DescriptionStatus = d.DescriptionStatus
	r.Description = cmp.Or(d.UploadDescription, r.Description)
	r.VisibleText = cmp.Or(d.VisibleText, r.VisibleText)
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

// batchExtensions are the extensions a directory expands to in UploadBatch.
var batchExtensions = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".webp": true, ".gif": true,
	".pdf": true, ".docx": true, ".txt": true, ".md": true,
}

// UploadBatch uploads many files: paths may name files or directories
// (expanded recursively to the supported image and document extensions,
// hidden files and directories skipped), any number of them; memory grows
// only with the results. Every path is checked before anything is sent.
// A request opens each of its files as its body reaches it and closes it
// at its end, so it holds one open at a time; a file removed or shortened
// after the check fails its request with an *UploadError naming it
// (Stage "batch"), which is not retried.
//
// First GET /uploads/quota-check: a quota that cannot take the files is a
// *QuotaExceededError with the server's message, and nothing is sent. The
// files then go p.BatchSize per POST /files/upload/batch (default: the
// plan's max_batch_size; 50 when the server has no quota check),
// p.Concurrency requests at a time (default: the plan's
// max_concurrent_uploads, at most 4). A request the server still refuses
// as too large (413) is sent again in halves; a refused request stored
// nothing, so no file is stored twice.
//
// The server answers a request of more than 5 files without per-file
// results; their ids come from the request's upload session: UploadBatch
// pages GET /uploads/sessions/{id}/results and matches them to the files
// by filename (files of one name in upload order; a CR or LF in a name
// is sent percent-encoded, as browsers send it, and the server reports the
// name so); while files are
// missing it polls GET …/status (the client's polling interval, up to
// p.DescriptionTimeout, default the polling timeout) until the session has
// finished them, and reads the results again. A file the session reports failed is a failed result
// with its Error; one it has not reported when the wait ends is pending
// (Status "pending", Error saying so). With p.WaitForDescriptions it also
// waits for every description (from the session's results; GET
// /files/{id} only for files the session leaves open). Those waits run
// beside the uploads, at most p.Concurrency sessions at a time: a request
// whose descriptions are not done does not hold up the next request.
//
// The results keep the order of the files; files the server refused are in
// Rejections (with their index in that order), and each request's upload
// session id is in SessionIDs. A file whose AI description failed is a
// result with DescriptionStatus failed; BatchUploadResults.Err turns those
// into errors. p.OnFileComplete sees each result once, when it is final.
//
// The batch's requests share one pace: when one gets a 429 (not a quota),
// or an answer reports X-RateLimit-Remaining 0 with a reset ahead, every
// request of the batch waits for the reset before it is sent; the first
// success after it lets them go again. Between pauses the requests spend
// the budget the answers report (X-RateLimit-Remaining until
// X-RateLimit-Reset), less those still in flight, so they do not overrun it.
//
// Errors: *ValidationError (a missing path, bad params — nothing sent);
// *QuotaExceededError (the quota check said no, or the quota ran out
// midway: no request starts after it); *UploadError{Stage, SessionID,
// PartialResults} for a failed request (Stage "batch"), a session whose
// ids could not be read (Stage "session_results": its files are in
// PartialResults as pending, with the session id), a failed quota check
// (Stage "quota") or a failed wait for descriptions (Stage
// "descriptions"). With these, the partial results are also the first
// return value.
func (s *FilesService) UploadBatch(ctx context.Context, paths []string, p *UploadParams) (*BatchUploadResults, error) {
	if ctx == nil {
		return nil, validationError("ctx", "must not be nil")
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	files, err := expandBatchPaths(paths)
	if err != nil {
		return nil, err
	}
	// One pace for all the batch's requests: see pacer.
	ctx = withPacer(ctx)
	run, err := s.newBatchRun(ctx, files, p)
	if err != nil {
		return failedBeforeSending(err)
	}
	return run.upload(ctx)
}

// batchFile is one file of a batch, checked up front.
type batchFile struct {
	index int // position in the run's files: its result is written there
	path  string
	name  string
	size  int64
}

// chunkOutcome is what one chunk of a batch produced: a result per
// accepted file in upload order, its rejections, the session of each
// request it took. A chunk that was split holds its two halves until join
// puts them together.
type chunkOutcome struct {
	ran        bool
	results    []UploadResult
	rejections []Rejection
	sessionIDs []string
	err        error
	waited     chan error     // the chunk's description wait, when one runs
	halves     []chunkOutcome // a split chunk's halves, until join
}

// join waits for the chunk's description waits, if any run, and takes
// their first error unless the chunk already has one. Until then a wait
// may still write to its results; a split chunk's halves are put together
// only after both waits are over, as the second half's results move to
// close the gap of files the first half's request rejected.
func (o *chunkOutcome) join() {
	if o.waited != nil {
		if err := <-o.waited; err != nil && o.err == nil {
			o.err = err
		}
		o.waited = nil
	}
	if o.halves == nil {
		return
	}
	for i := range o.halves {
		o.halves[i].join()
	}
	first, second := o.halves[0], o.halves[1]
	o.results = append(first.results, second.results...)
	o.rejections = append(first.rejections, second.rejections...)
	o.sessionIDs = append(first.sessionIDs, second.sessionIDs...)
	o.err = cmp.Or(o.err, first.err, second.err)
	o.halves = nil
}

// uploadChunk sends one POST /files/upload/batch for files. Each file is
// opened when the body reaches it (see pathSource), so the request starts
// at once; a file that can no longer be read ends it, unretried.
func (b *batchRun) uploadChunk(ctx context.Context, files []batchFile) chunkOutcome {
	mfiles := make([]multipartFile, len(files))
	for i, bf := range files {
		mf := multipartFile{field: fieldBatchFiles, filename: bf.name, src: pathSource(bf.path), size: bf.size}
		if b.progress != nil {
			mf.progress = func(sent int64) { b.progress(bf, sent) }
		}
		mfiles[i] = mf
	}
	req, err := b.s.client.newRequest(http.MethodPost, pathUploadBatch, nil)
	if err != nil {
		return chunkOutcome{err: err}
	}
	req.idempotent()
	req.body = newMultipartBody(b.p.formFields(), mfiles).replay()
	var resp batchUploadResponse
	if err := b.s.client.do(ctx, req, &resp); err != nil {
		var src *sourceError
		if errors.As(err, &src) {
			return chunkOutcome{err: uploadError(filepath.Base(src.path), UploadStageBatch, "", src.op+" "+src.path, src.err)}
		}
		return chunkOutcome{err: err}
	}
	// The chunk's results go to its files' place in b.results. Their
	// capacity runs on to the end of the batch, so the results of a split
	// chunk's second half join the first's where they already are.
	at := files[0].index
	return resp.outcome(files, b.results[at:at])
}

// assembleBatch joins chunk outcomes in chunk order and picks the error.
// A chunk that failed after its request was stored keeps its results.
// The results are joined in all, where the chunks wrote them: they move
// only to close the gaps left by rejected files and chunks that did not
// run (a 10,000-file batch's results are 6 MB, and copying them took
// longer than the garbage collector let pass unnoticed).
func assembleBatch(ctx context.Context, outcomes []chunkOutcome, all []UploadResult) (*BatchUploadResults, error) {
	sessions := 0
	for _, o := range outcomes {
		sessions += len(o.sessionIDs)
	}
	res := &BatchUploadResults{Results: all[:0], SessionIDs: make([]string, 0, sessions), Rejections: []Rejection{}}
	var firstErr error
	for _, o := range outcomes {
		if o.err != nil && firstErr == nil {
			firstErr = o.err
		}
		if !o.ran {
			continue
		}
		res.Results = append(res.Results, o.results...)
		res.Rejections = append(res.Rejections, o.rejections...)
		res.SessionIDs = append(res.SessionIDs, o.sessionIDs...)
	}
	if firstErr == nil && ctx.Err() != nil {
		firstErr = contextError(ctx, ctx.Err(), "", 0)
	}
	if firstErr == nil {
		return res, nil
	}
	return res, withPartialResults(firstErr, res, fmt.Sprintf("batch upload stopped after %d files", len(res.Results)))
}

// withPartialResults attaches res to the batch's error: a quota error or an
// upload error as they are, anything else under an *UploadError{Stage: "batch"}.
func withPartialResults(err error, res *BatchUploadResults, msg string) error {
	var quota *QuotaExceededError
	if errors.As(err, &quota) {
		q := *quota
		q.PartialResults = res
		return &q
	}
	var ue *UploadError
	if errors.As(err, &ue) && ue.PartialResults == nil {
		ue.PartialResults = res
		return ue
	}
	e := uploadError("", UploadStageBatch, "", msg, err)
	e.PartialResults = res
	return e
}

// failedBeforeSending is UploadBatch's answer when the quota check stops
// it: no results, and the error carries the same empty results.
func failedBeforeSending(err error) (*BatchUploadResults, error) {
	res := &BatchUploadResults{Results: []UploadResult{}, SessionIDs: []string{}, Rejections: []Rejection{}}
	return res, withPartialResults(err, res, "batch upload did not start")
}

// expandBatchPaths expands directories and checks every file.
func expandBatchPaths(paths []string) ([]batchFile, error) {
	if len(paths) == 0 {
		return nil, validationError("paths", "must not be empty")
	}
	files := make([]batchFile, 0, len(paths))
	add := func(path string, size int64) error {
		files = append(files, batchFile{index: len(files), path: path, name: filepath.Base(path), size: size})
		return nil
	}
	stats := statAll(paths)
	for i, path := range paths {
		info, err := stats[i].info, stats[i].err
		if err != nil {
			return nil, validationError(pathField(i), "cannot read "+strconv.Quote(path)+": "+osReason(err))
		}
		if !info.IsDir() {
			// Opening a FIFO or device blocks and ignores ctx: only regular files go.
			if !info.Mode().IsRegular() {
				return nil, validationError(pathField(i), strconv.Quote(path)+" is not a regular file")
			}
			if err := checkBatchFileSize(i, path, info.Size()); err != nil {
				return nil, err
			}
			if err := add(path, info.Size()); err != nil {
				return nil, err
			}
			continue
		}
		err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return validationError(pathField(i), "cannot read "+strconv.Quote(p)+": "+osReason(err))
			}
			if p != path && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || !d.Type().IsRegular() || !batchExtensions[strings.ToLower(filepath.Ext(p))] {
				return nil
			}
			fi, err := d.Info()
			if err != nil {
				return validationError(pathField(i), "cannot read "+strconv.Quote(p)+": "+osReason(err))
			}
			if err := checkBatchFileSize(i, p, fi.Size()); err != nil {
				return err
			}
			return add(p, fi.Size())
		})
		if err != nil {
			return nil, err
		}
	}
	if len(files) == 0 {
		return nil, validationError("paths", "no files with a supported extension")
	}
	return files, nil
}

// pathField names paths[i] in a *ValidationError.
func pathField(i int) string { return "paths[" + strconv.Itoa(i) + "]" }

// pathStat is what os.Stat said of one path.
type pathStat struct {
	info fs.FileInfo
	err  error
}

// statAll stats paths, in parallel when there are many: a batch checks
// every path before it sends anything, and on a large batch those stat
// calls, one after another, were time during which nothing else happened.
func statAll(paths []string) []pathStat {
	out := make([]pathStat, len(paths))
	workers := min(runtime.GOMAXPROCS(0), len(paths)/statsPerWorker, maxStatWorkers)
	if workers < 2 {
		for i, p := range paths {
			out[i].info, out[i].err = os.Stat(p)
		}
		return out
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(paths); i += workers {
				out[i].info, out[i].err = os.Stat(paths[i])
			}
		})
	}
	wg.Wait()
	return out
}

const (
	statsPerWorker = 256 // fewer paths than this per worker are stated in line
	maxStatWorkers = 8
)

func checkBatchFileSize(i int, path string, size int64) error {
	if size > maxStreamingUploadSize {
		return validationError(pathField(i), strconv.Quote(path)+" is larger than 100 MB; upload it with Upload")
	}
	return nil
}

func osReason(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	return err.Error()
}

// statUploadFile checks that path names a readable regular file.
func statUploadFile(field, path string) (os.FileInfo, error) {
	if path == "" {
		return nil, validationError(field, "must not be empty")
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, validationError(field, "cannot read "+strconv.Quote(path)+": "+osReason(err))
	}
	if !info.Mode().IsRegular() {
		return nil, validationError(field, strconv.Quote(path)+" is not a regular file")
	}
	return info, nil
}

// uploadError builds an *UploadError whose Err.Cause is the HTTP error.
func uploadError(filename, stage, sessionID, msg string, cause error) *UploadError {
	if filename != "" {
		msg = filename + ": " + msg
	}
	e := operationError(CodeUpload, msg, cause)
	e.Details["filename"] = filename
	e.Details["stage"] = stage
	e.Details["session_id"] = sessionID
	return &UploadError{Err: e, Filename: filename, Stage: stage, SessionID: sessionID}
}

// Rejection is a file the server refused in a batch, with its reason.
type Rejection struct {
	Filename  string `json:"filename"`
	Index     int    `json:"index"` // position in the batch's file list (directories expanded)
	Reason    string `json:"reason"`
	Retryable bool   `json:"retryable"`
	Path      string `json:"-"` // local path of the file
}

// BatchUploadResults is the outcome of UploadBatch: one result per stored
// file in the order of the files, the upload session ids, and the files
// the server rejected.
type BatchUploadResults struct {
	Results    []UploadResult
	SessionIDs []string
	Rejections []Rejection
}

// Failed returns the files whose upload or description failed.
func (b *BatchUploadResults) Failed() []UploadResult { return b.filter(UploadResult.IsFailed) }

// Succeeded returns the files stored and described (or not to be described).
func (b *BatchUploadResults) Succeeded() []UploadResult { return b.filter(UploadResult.IsCompleted) }

// Pending returns the files whose description is still running.
func (b *BatchUploadResults) Pending() []UploadResult { return b.filter(UploadResult.IsPending) }

// Retryable returns the failed files worth trying again: those the server
// did not mark as not retryable.
func (b *BatchUploadResults) Retryable() []UploadResult {
	return b.filter(func(r UploadResult) bool {
		return r.IsFailed() && (r.DescriptionIsRetryable == nil || *r.DescriptionIsRetryable)
	})
}

// HasFailures reports a failed file or a rejection.
func (b *BatchUploadResults) HasFailures() bool {
	return b != nil && (len(b.Rejections) > 0 || slices.ContainsFunc(b.Results, UploadResult.IsFailed))
}

// Summary describes the batch in one line, e.g.
// "100 files: 90 succeeded, 5 failed (3 retryable), 5 pending, 2 rejected".
func (b *BatchUploadResults) Summary() string {
	if b == nil {
		return "0 files"
	}
	return fmt.Sprintf("%d files: %d succeeded, %d failed (%d retryable), %d pending, %d rejected",
		len(b.Results)+len(b.Rejections), len(b.Succeeded()), len(b.Failed()), len(b.Retryable()),
		len(b.Pending()), len(b.Rejections))
}

// Err returns nil when nothing failed; otherwise the errors joined, in
// order: a *DescriptionError per failed description (or *UploadError for a
// file whose upload failed), then an *UploadError{Stage: "rejected"} per
// rejection. errors.As finds the first of each type.
func (b *BatchUploadResults) Err() error {
	if !b.HasFailures() {
		return nil
	}
	var errs []error
	for _, r := range b.Failed() {
		if r.DescriptionStatus == DescriptionFailed {
			errs = append(errs, descriptionError(r.ImageID, r.DescriptionStatus, cmp.Or(r.DescriptionError, r.Error)))
		} else {
			errs = append(errs, uploadError(r.Filename, UploadStageUpload, r.SessionID, "upload failed: "+r.Error, nil))
		}
	}
	for _, rj := range b.Rejections {
		errs = append(errs, uploadError(rj.Filename, UploadStageRejected, "", "rejected: "+rj.Reason, nil))
	}
	return errors.Join(errs...)
}

func (b *BatchUploadResults) filter(keep func(UploadResult) bool) []UploadResult {
	if b == nil {
		return nil
	}
	out := []UploadResult{}
	for _, r := range b.Results {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// batchUploadResponse is the answer of POST /files/upload/batch.
type batchUploadResponse struct {
	SessionID        string         `json:"session_id"`
	TotalFiles       int            `json:"total_files"`
	AcceptedFiles    int            `json:"accepted_files"`
	RejectedFiles    int            `json:"rejected_files"`
	Status           string         `json:"status"`
	ImmediateResults []UploadResult `json:"immediate_results"`
	Rejections       []Rejection    `json:"rejections"`
}

// outcome matches the answer to the chunk's files: rejections carry their
// index in the chunk; immediate results (documented only for batches of 5
// or fewer files) are matched by filename, and the files they leave open
// wait for the upload session.
func (r *batchUploadResponse) outcome(files []batchFile, dst []UploadResult) chunkOutcome {
	out := chunkOutcome{results: dst[:0]}
	if r.SessionID != "" {
		out.sessionIDs = []string{r.SessionID}
	}
	rejected := make(map[int]bool, len(r.Rejections))
	for _, rj := range r.Rejections {
		if rj.Index >= 0 && rj.Index < len(files) {
			rejected[rj.Index] = true
			rj.Path = files[rj.Index].path
			rj.Index = files[rj.Index].index
		}
		out.rejections = append(out.rejections, rj)
	}
	for i, f := range files {
		if !rejected[i] {
			out.results = append(out.results, UploadResult{Filename: f.name, Path: f.path, SessionID: r.SessionID,
				Status: uploadStatusPending, DescriptionStatus: DescriptionPending})
		}
	}
	matchByFilename(out.results, r.ImmediateResults)
	return out
}
