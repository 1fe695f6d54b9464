package scopix

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
)

// Wire details of the duplicate check.
const (
	pathCheckDuplicates = "uploads/check-duplicates" // documented (predecessor api/uploads.md)
	maxDuplicateHashes  = 250                        // documented: 1–250 hashes per request
	sha256HexLen        = 64
	hashBufferSize      = 64 << 10 // per hashing worker: memory does not grow with file size
	maxHashWorkers      = 8
)

// DuplicateCheck is the answer of CheckDuplicates: which of the hashes the
// account already stores, and which it does not (documented (predecessor
// api/uploads.md): the answer names hashes only, no file ids).
type DuplicateCheck struct {
	Duplicates []string `json:"duplicates"`
	Unique     []string `json:"unique"`
}

// CheckDuplicates asks which SHA-256 content hashes the account already
// stores (POST /uploads/check-duplicates {hashes}). The endpoint takes 1–250
// hashes per request; longer lists are sent 250 at a time, one request after
// another, and the answers joined in order. Hashes are 64 hex digits and
// are sent (and answered) in lower case.
//
// Errors: *ValidationError (no hashes, or one that is not 64 hex digits —
// naming hashes[i], before sending) and the transport errors of every call.
// A failure after some requests returns the answers so far with the error.
func (s *FilesService) CheckDuplicates(ctx context.Context, hashes []string) (*DuplicateCheck, error) {
	if len(hashes) == 0 {
		return nil, validationError("hashes", "must not be empty")
	}
	norm := make([]string, len(hashes))
	for i, h := range hashes {
		if len(h) != sha256HexLen || strings.Trim(strings.ToLower(h), "0123456789abcdef") != "" {
			return nil, validationError("hashes["+strconv.Itoa(i)+"]", "must be a SHA-256 hash: 64 hex digits")
		}
		norm[i] = strings.ToLower(h)
	}
	out := &DuplicateCheck{Duplicates: []string{}, Unique: []string{}}
	for start := 0; start < len(norm); start += maxDuplicateHashes {
		chunk := norm[start:min(start+maxDuplicateHashes, len(norm))]
		req, err := s.client.newRequest(http.MethodPost, pathCheckDuplicates, map[string][]string{"hashes": chunk})
		if err != nil {
			return out, err
		}
		// A question about what is stored changes nothing: repeat it freely.
		req.idempotent()
		var page DuplicateCheck
		if err := s.client.do(ctx, req, &page); err != nil {
			return out, err
		}
		out.Duplicates = append(out.Duplicates, page.Duplicates...)
		out.Unique = append(out.Unique, page.Unique...)
	}
	return out, nil
}

// SyncParams configure Sync; nil takes the defaults.
type SyncParams struct {
	// Upload are the options of the files sent (title, tags, folder,
	// BatchSize, Concurrency, WaitForDescriptions, OnFileComplete, …) as
	// for UploadBatch. SkipDuplicates is always on.
	Upload *UploadParams
	// HashConcurrency is how many files are hashed at once (default: the
	// number of CPUs, at most 8). Each worker holds one 64 KiB buffer.
	HashConcurrency int
	// OnProgress, when set, is called (one call at a time) each time a
	// count of SyncProgress grows.
	OnProgress func(SyncProgress)
}

// SyncProgress counts a sync's files by how far they got, for a progress
// bar: every file is hashed, then checked against the account, then the
// missing ones are sent and (when the server reports it) described.
type SyncProgress struct {
	Files     int   // supported files under the root
	Hashed    int   // files hashed
	Checked   int   // files whose hash the server has answered for
	ToSend    int   // files the account does not hold (known once all are checked)
	Sent      int   // files whose bytes were all sent
	Described int   // sent files whose description is final
	Bytes     int64 // bytes of all the files
	BytesSent int64 // file bytes sent so far (a retried file counts again)
}

// SyncState is what became of one file of a sync.
type SyncState string

// The states of a SyncFile.
const (
	SyncUploaded SyncState = "uploaded" // sent and stored; ImageID is its id
	SyncPresent  SyncState = "present"  // the account already held its content; nothing sent
	SyncRejected SyncState = "rejected" // the server refused it in its batch
	SyncFailed   SyncState = "failed"   // hashing or storing it failed; Error says why
	SyncPending  SyncState = "pending"  // sent, but its id was not known when the wait ended
	SyncNotSent  SyncState = "not_sent" // the sync stopped before sending it
)

// SyncFile is one file of a sync.
type SyncFile struct {
	Path   string
	Size   int64
	SHA256 string // hex, lower case; empty when hashing failed
	State  SyncState
	// ImageID is the stored file's id: the new one when uploaded; for a
	// present file, the existing one when the server named it (the
	// duplicate check names none, an upload skipped as a duplicate does).
	ImageID string
	// Result is the upload's result, for files that were sent.
	Result *UploadResult
	Error  string // why the file failed or was rejected
}

// SyncResult is the outcome of Sync: every supported file under the root,
// in walk order, and the totals.
type SyncResult struct {
	Files       []SyncFile
	SessionIDs  []string // the upload sessions of the batch requests
	BytesHashed int64    // bytes read to hash the files
	BytesSent   int64    // file bytes sent (retries count again)
	BytesSaved  int64    // bytes of the files not sent because the account held them
}

// Count returns how many files ended in state.
func (r *SyncResult) Count(state SyncState) int {
	n := 0
	for _, f := range r.Files {
		if f.State == state {
			n++
		}
	}
	return n
}

// Sync uploads every supported file under root (the extensions UploadBatch
// expands a directory to; hidden files and directories skipped) that the
// account does not already hold, so an interrupted Sync run again sends
// only what is missing.
//
// It hashes the files (SHA-256, p.HashConcurrency at a time, each read
// through a fixed 64 KiB buffer), asks POST /uploads/check-duplicates which
// hashes are stored (250 per request), and sends the others through
// UploadBatch's machinery: the quota check before the first request, the
// plan's batch size and concurrency, ids from the upload sessions and, with
// p.Upload.WaitForDescriptions, the descriptions. Files of identical content
// under root are sent once; the copies are present, with the sent file's id.
// When the server answers 429, or reports the rate limit spent, every
// request of the sync waits for the reset.
//
// Sync returns a *SyncResult even with an error: what was hashed, found
// present and sent until then. Errors: *ValidationError (root missing or
// without supported files, a file over 100 MB, bad params — nothing sent);
// *QuotaExceededError and *UploadError{Stage, PartialResults} as from
// UploadBatch; a failed duplicate check is an *UploadError with Stage
// "check_duplicates"; a cancelled ctx wraps context.Canceled.
func (s *FilesService) Sync(ctx context.Context, root string, p *SyncParams) (*SyncResult, error) {
	if ctx == nil {
		return nil, validationError("ctx", "must not be nil")
	}
	run, err := s.newSyncRun(root, p)
	if err != nil {
		return nil, err
	}
	ctx = withPacer(ctx)
	if err := run.hash(ctx); err != nil {
		return run.result(), err
	}
	if err := run.check(ctx); err != nil {
		return run.result(), err
	}
	err = run.send(ctx)
	return run.result(), err
}

// UploadStageCheckDuplicates is the *UploadError stage of a failed
// duplicate check in Sync.
const UploadStageCheckDuplicates = "check_duplicates"

// syncRun is one Sync call.
type syncRun struct {
	s        *FilesService
	p        SyncParams
	upload   UploadParams
	files    []SyncFile
	sizes    []batchFile
	mu       sync.Mutex // guards prog, res totals and OnProgress calls
	prog     SyncProgress
	res      SyncResult
	sendIdx  []int  // sync file of each batch file
	sentDone []bool // batch files counted as sent
}

func (s *FilesService) newSyncRun(root string, p *SyncParams) (*syncRun, error) {
	r := &syncRun{s: s}
	if p != nil {
		r.p = *p
	}
	if r.p.Upload != nil {
		r.upload = *r.p.Upload
	}
	if r.p.HashConcurrency < 0 {
		return nil, validationError("hash_concurrency", "must not be negative")
	}
	if err := r.upload.validate(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(root) == "" {
		return nil, validationError("root", "must not be empty")
	}
	found, err := expandBatchPaths([]string{root})
	if err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) && len(ve.Fields) > 0 {
			return nil, validationError("root", ve.Fields[0].Msg)
		}
		return nil, err
	}
	r.sizes = found
	r.files = make([]SyncFile, len(found))
	for i, f := range found {
		r.files[i] = SyncFile{Path: f.path, Size: f.size, State: SyncNotSent}
		r.prog.Bytes += f.size
	}
	r.prog.Files = len(found)
	return r, nil
}

// hash computes every file's SHA-256, a bounded number at a time. A file
// that cannot be read is failed; the others go on.
func (r *syncRun) hash(ctx context.Context) error {
	workers := r.p.HashConcurrency
	if workers == 0 {
		workers = min(runtime.GOMAXPROCS(0), maxHashWorkers)
	}
	buffers := sync.Pool{New: func() any { b := make([]byte, hashBufferSize); return &b }}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i := range r.files {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			buf := buffers.Get().(*[]byte)
			defer buffers.Put(buf)
			sum, n, err := hashFile(gctx, r.files[i].Path, *buf)
			r.hashed(i, sum, n, err)
			return nil
		})
	}
	_ = g.Wait()
	if ctx.Err() != nil {
		return contextError(ctx, ctx.Err(), "", 0)
	}
	return nil
}

// hashFile streams path through SHA-256 with buf, checking ctx between reads.
func hashFile(ctx context.Context, path string, buf []byte) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	// A plain reader: *os.File's WriteTo would copy through a buffer of
	// its own instead of buf.
	n, err := io.CopyBuffer(h, ctxReader{ctx, f}, buf)
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

func (r *syncRun) hashed(i int, sum string, n int64, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f := &r.files[i]
	f.SHA256 = sum
	if err != nil {
		f.State, f.Error = SyncFailed, "cannot hash "+f.Path+": "+osReason(err)
	}
	r.res.BytesHashed += n
	r.prog.Hashed++
	r.reportLocked()
}

func (r *syncRun) reportLocked() {
	if r.p.OnProgress != nil {
		r.p.OnProgress(r.prog)
	}
}

// check asks which hashes are stored, 250 at a time, and marks those files
// present. A hash the answer leaves out is sent (inferred: the upload's
// skip_duplicates still keeps it from being stored twice).
func (r *syncRun) check(ctx context.Context) error {
	var hashes []string
	seen := map[string]bool{}
	for _, f := range r.files {
		if f.SHA256 != "" && !seen[f.SHA256] {
			seen[f.SHA256] = true
			hashes = append(hashes, f.SHA256)
		}
	}
	stored := map[string]bool{}
	for start := 0; start < len(hashes); start += maxDuplicateHashes {
		chunk := hashes[start:min(start+maxDuplicateHashes, len(hashes))]
		ans, err := r.s.CheckDuplicates(ctx, chunk)
		if err != nil {
			return uploadError("", UploadStageCheckDuplicates, "", "checking for stored files failed", err)
		}
		for _, h := range ans.Duplicates {
			stored[strings.ToLower(h)] = true
		}
		r.mu.Lock()
		r.prog.Checked += r.countHashes(chunk)
		r.reportLocked()
		r.mu.Unlock()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range r.files {
		if f := &r.files[i]; stored[f.SHA256] {
			f.State = SyncPresent
			r.res.BytesSaved += f.Size
		}
	}
	return nil
}

// countHashes counts the files whose hash is in chunk (copies included).
func (r *syncRun) countHashes(chunk []string) int {
	in := make(map[string]bool, len(chunk))
	for _, h := range chunk {
		in[h] = true
	}
	n := 0
	for _, f := range r.files {
		if in[f.SHA256] {
			n++
		}
	}
	return n
}

func (r *syncRun) result() *SyncResult {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.res
	out.Files = r.files
	out.BytesSent = r.prog.BytesSent
	if out.SessionIDs == nil {
		out.SessionIDs = []string{}
	}
	return &out
}

// send uploads the files the account lacks — one per content — through
// the batch machinery, and records what became of each.
func (r *syncRun) send(ctx context.Context) error {
	var batch []batchFile
	first := map[string]int{} // hash → the sync file that carries it
	for i, f := range r.files {
		if f.State != SyncNotSent || f.SHA256 == "" {
			continue
		}
		if _, dup := first[f.SHA256]; dup {
			continue
		}
		first[f.SHA256] = i
		bf := r.sizes[i]
		bf.index = len(batch)
		batch = append(batch, bf)
		r.sendIdx = append(r.sendIdx, i)
	}
	r.mu.Lock()
	r.prog.ToSend = len(batch)
	r.reportLocked()
	r.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	params := r.upload
	params.SkipDuplicates = true
	params.OnProgress = r.sentBytes(r.upload.OnProgress, len(batch))
	params.OnFileComplete = r.completed(r.upload.OnFileComplete)
	run, err := r.s.newBatchRun(ctx, batch, &params)
	var res *BatchUploadResults
	if err != nil {
		res, err = failedBeforeSending(err)
	} else {
		res, err = run.upload(ctx)
	}
	r.record(res, first)
	return err
}

// sentBytes counts the bytes and files sent, then passes the report on.
func (r *syncRun) sentBytes(next func(UploadProgress), n int) func(UploadProgress) {
	last := make([]int64, n)
	r.sentDone = make([]bool, n)
	done := r.sentDone
	return func(u UploadProgress) {
		r.mu.Lock()
		if u.SentBytes < last[u.FileIndex] {
			last[u.FileIndex] = 0 // a retried request starts over
		}
		r.prog.BytesSent += u.SentBytes - last[u.FileIndex]
		last[u.FileIndex] = u.SentBytes
		if u.SentBytes == u.TotalBytes && !done[u.FileIndex] {
			done[u.FileIndex] = true
			r.prog.Sent++
		}
		r.reportLocked()
		r.mu.Unlock()
		if next != nil {
			next(u)
		}
	}
}

// completed counts the described files, then passes the result on.
func (r *syncRun) completed(next func(UploadResult)) func(UploadResult) {
	return func(u UploadResult) {
		if u.DescriptionStatus.IsTerminal() {
			r.mu.Lock()
			r.prog.Described++
			r.reportLocked()
			r.mu.Unlock()
		}
		if next != nil {
			next(u)
		}
	}
}

// record takes the batch's outcome into the sync files: by path (each path
// is sent once), then the copies of each sent content follow their first.
func (r *syncRun) record(res *BatchUploadResults, first map[string]int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	byPath := make(map[string]int, len(r.sendIdx))
	for k, i := range r.sendIdx {
		byPath[r.files[i].Path] = k
	}
	answered := func(k int) {
		// An empty file reports no bytes: its answer says it was sent.
		if !r.sentDone[k] {
			r.sentDone[k] = true
			r.prog.Sent++
		}
	}
	for _, u := range res.Results {
		if k, ok := byPath[u.Path]; ok {
			r.files[r.sendIdx[k]].settle(u)
			answered(k)
		}
	}
	for _, rj := range res.Rejections {
		if k, ok := byPath[rj.Path]; ok {
			f := &r.files[r.sendIdx[k]]
			f.State, f.Error = SyncRejected, rj.Reason
			answered(k)
		}
	}
	r.res.SessionIDs = append(r.res.SessionIDs, res.SessionIDs...)
	for i := range r.files {
		f := &r.files[i]
		j, ok := first[f.SHA256]
		if !ok || j == i || f.State != SyncNotSent {
			continue
		}
		if lead := r.files[j]; lead.State == SyncUploaded || lead.State == SyncPresent {
			f.State, f.ImageID = SyncPresent, lead.ImageID
			r.res.BytesSaved += f.Size
		}
	}
	r.reportLocked()
}

// settle sets a sent file's state from its upload result.
func (f *SyncFile) settle(u UploadResult) {
	f.Result = &u
	switch {
	case u.Status == uploadStatusFailed:
		// A failed description is not a failed file: it is stored.
		f.State, f.Error = SyncFailed, u.Error
	case u.Skipped:
		f.State, f.ImageID = SyncPresent, cmp.Or(u.SkippedExistingImageID, u.ImageID)
	case u.ImageID == "":
		f.State, f.Error = SyncPending, u.Error
	default:
		f.State, f.ImageID = SyncUploaded, u.ImageID
	}
}
