package scopix

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/scopix/scopix-go/internal/parts"
)

// Wire details of the files API. Those marked inferred are not documented
// by Scopix; each lives here only, so a correction is one edit.
const (
	pathFiles       = "files"              // inferred path (Scopix renames predecessor api/files.md GET /user-files)
	pathUpload      = "files/upload"       // documented (Scopix)
	pathUploadBatch = "files/upload/batch" // documented (Scopix)
	pathAnalyze     = "images/analyze"     // documented (Scopix)
	pathBatchDelete = "files/batch-delete" // inferred path (predecessor api/files.md POST /user-files/batch-delete)

	// The direct (presigned, multipart) upload flow: the path is documented
	// (Scopix); its bodies and the complete/abort steps are inferred:
	// POST files/direct-uploads → PUT parts → POST …/{upload_id}/complete,
	// DELETE …/{upload_id} to abort.
	pathDirectUploads      = "files/direct-uploads"
	directUploadComplete   = "complete"
	pathStatusSuffix       = "status"          // inferred: GET files/{id}/status
	pathVariantsSegment    = "variants"        // sub-path name documented (Scopix); GET files/{id}/variants/{variant} inferred
	fieldUploadFile        = "file"            // documented (Scopix): multipart part of a single upload
	fieldBatchFiles        = "files"           // documented (predecessor api/uploads.md): repeated part of a batch upload
	maxStreamingUploadSize = 100 * 1000 * 1000 // documented (Scopix): above 100 MB, uploads go direct
	defaultConcurrency     = 4                 // inferred: at most 4 batch chunks at a time (API.md §5)
	defaultListAllPageSize = 50                // inferred: our page size for ListAll
	maxListLimit           = 100               // documented (predecessor api/files.md): limit 1–100
	maxListIDs             = 500               // documented (predecessor api/files.md): ids max 500
	maxBatchDeleteIDs      = 100               // documented (predecessor api/files.md): 1–100 files
	maxTitleLength         = 255               // documented (predecessor api/files.md)
	maxTags                = 40                // documented (predecessor api/files.md)
	maxTagLength           = 50                // documented (predecessor api/files.md)
)

// batchExtensions are the extensions a directory expands to in UploadBatch.
var batchExtensions = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".webp": true, ".gif": true,
	".pdf": true, ".docx": true, ".txt": true, ".md": true,
}

// FilesService uploads, lists, describes and downloads files (images,
// documents, videos and links) under /files.
type FilesService service

// Upload uploads the file at path and returns its result as soon as the
// server has stored it (the description runs afterwards; see
// WaitForDescription). Files up to 100 MB go in one multipart POST
// /files/upload; larger files, or any file with p.ForceDirect, use the direct
// upload flow (POST /files/direct-uploads, parts PUT in parallel to presigned
// URLs, POST …/complete); videos (.mp4 .mov .m4v .webm .avi) above 100 MB go
// through Video.Upload and return the media id as ImageID.
//
// A retried attempt is sent with skip_duplicates=true, so a file the first
// attempt created is reported (Skipped, SkippedExistingImageID) instead of
// being stored twice.
//
// Errors: *ValidationError (bad path or params, before sending),
// *QuotaExceededError, *UploadError (a direct-upload stage failed; the
// HTTP error is its cause), and the transport errors of every call.
func (s *FilesService) Upload(ctx context.Context, path string, p *UploadParams) (*UploadResult, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	info, err := statUploadFile("path", path)
	if err != nil {
		return nil, err
	}
	name := filepath.Base(path)
	// Large videos take the chunked video flow; its extensions are the ones
	// Video.Upload accepts.
	if _, isVideo := videoContentTypes[strings.ToLower(filepath.Ext(path))]; isVideo && info.Size() > maxStreamingUploadSize {
		return s.uploadVideo(ctx, path, name, p)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, validationError("path", "cannot open file: "+err.Error())
	}
	defer f.Close()
	return s.uploadSource(ctx, name, f, info.Size(), p)
}

// UploadReader uploads size bytes read from r under filename, routed like
// Upload (without the video route). r is read again for a retry when it is
// an io.ReaderAt (e.g. *os.File, *bytes.Reader) or an io.Seeker; any other
// reader is retried only if no byte was sent yet. Uploads above 100 MB (or
// with p.ForceDirect) need an io.ReaderAt, because parts are read in parallel.
//
// Errors: as Upload.
func (s *FilesService) UploadReader(ctx context.Context, filename string, r io.Reader, size int64, p *UploadParams) (*UploadResult, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	switch {
	case strings.TrimSpace(filename) == "":
		return nil, validationError("filename", "must not be empty")
	case r == nil:
		return nil, validationError("r", "must not be nil")
	case size < 0:
		return nil, validationError("size", "must not be negative")
	}
	if ra, ok := r.(io.ReaderAt); ok {
		return s.uploadSource(ctx, filename, ra, size, p)
	}
	if size > maxStreamingUploadSize || (p != nil && p.ForceDirect) {
		return nil, validationError("r", "uploads above 100 MB and direct uploads need an io.ReaderAt (e.g. *os.File)")
	}
	return s.uploadStreaming(ctx, filename, newSequentialSource(r, size), size, p)
}

// uploadSource routes a replayable source by size.
func (s *FilesService) uploadSource(ctx context.Context, name string, src io.ReaderAt, size int64, p *UploadParams) (*UploadResult, error) {
	if size > maxStreamingUploadSize || (p != nil && p.ForceDirect) {
		return s.uploadDirect(ctx, name, src, size, p)
	}
	return s.uploadStreaming(ctx, name, readerAtSource{src}, size, p)
}

// uploadVideo hands a large video to the video service.
func (s *FilesService) uploadVideo(ctx context.Context, path, name string, p *UploadParams) (*UploadResult, error) {
	vp := &VideoUploadParams{}
	if p != nil {
		vp.Title, vp.Tags, vp.Concurrency, vp.AutoAnalyze = p.Title, p.Tags, p.Concurrency, p.AutoDescribe
		if p.OnProgress != nil {
			vp.OnProgress = func(vc VideoChunkProgress) {
				p.OnProgress(UploadProgress{Filename: name, SentBytes: vc.BytesUploaded, TotalBytes: vc.TotalBytes})
			}
		}
	}
	res, err := s.client.Video.Upload(ctx, path, vp)
	if err != nil {
		return nil, err
	}
	return &UploadResult{ImageID: res.MediaID, Filename: name, MediaType: MediaTypeVideo, Status: res.Status,
		DescriptionStatus: DescriptionPending, ThumbnailURL: res.ThumbnailURL, CreatedAt: res.CreatedAt}, nil
}

// uploadStreaming sends one multipart POST /files/upload.
func (s *FilesService) uploadStreaming(ctx context.Context, name string, src fileSource, size int64, p *UploadParams) (*UploadResult, error) {
	var progress func(int64)
	if p != nil && p.OnProgress != nil {
		progress = func(sent int64) {
			p.OnProgress(UploadProgress{Filename: name, SentBytes: sent, TotalBytes: size})
		}
	}
	body := newMultipartBody(p.formFields(), []multipartFile{{
		field: fieldUploadFile, filename: name, src: src, size: size, progress: progress,
	}})
	req, err := s.client.newRequest(http.MethodPost, pathUpload, nil)
	if err != nil {
		return nil, err
	}
	req.idempotent()
	req.body = body.replay()
	var out UploadResult
	if err := s.client.do(ctx, req, &out); err != nil {
		return nil, err
	}
	out.normalize(name)
	return &out, nil
}

// uploadDirect runs the direct upload flow: initiate, parts in parallel,
// complete; abort on failure.
func (s *FilesService) uploadDirect(ctx context.Context, name string, src io.ReaderAt, size int64, p *UploadParams) (*UploadResult, error) {
	init := p.directInit(name, size)
	req, err := s.client.newRequest(http.MethodPost, pathDirectUploads, init)
	if err != nil {
		return nil, err
	}
	var session directUploadSession
	if err := s.client.do(ctx, req, &session); err != nil {
		return nil, uploadError(name, UploadStageInitiate, "", "starting the direct upload failed", err)
	}
	plan, err := session.plan(size)
	if err != nil {
		s.abortDirect(ctx, session.UploadID)
		return nil, uploadError(name, UploadStageInitiate, "", "the server's upload plan does not fit the file", err)
	}
	etags, err := s.uploadParts(ctx, name, src, size, session, plan, p)
	if err != nil {
		s.abortDirect(ctx, session.UploadID)
		return nil, uploadError(name, UploadStageUpload, "", "uploading parts failed", err)
	}
	complete := directCompleteRequest{Parts: make([]directCompletedPart, len(plan))}
	for i, part := range plan {
		complete.Parts[i] = directCompletedPart{PartNumber: part.Number, ETag: etags[i]}
	}
	slices.SortFunc(complete.Parts, func(a, b directCompletedPart) int { return cmp.Compare(a.PartNumber, b.PartNumber) })
	uploadSeg, _ := idSegment("upload_id", session.UploadID) // plan accepted it
	req, err = s.client.newRequest(http.MethodPost, pathDirectUploads+"/"+uploadSeg+"/"+directUploadComplete, complete)
	if err != nil {
		return nil, err
	}
	req.idempotent()
	var out UploadResult
	if err := s.client.do(ctx, req, &out); err != nil {
		s.abortDirect(ctx, session.UploadID)
		return nil, uploadError(name, UploadStageComplete, "", "completing the direct upload failed", err)
	}
	if out.ObjectKey == "" {
		out.ObjectKey = session.ObjectKey
	}
	out.normalize(name)
	return &out, nil
}

// uploadParts PUTs every part to its presigned URL, at most p.Concurrency
// at a time, and returns the ETags in the order of plan.
func (s *FilesService) uploadParts(ctx context.Context, name string, src io.ReaderAt, size int64,
	session directUploadSession, plan []parts.Part, p *UploadParams) ([]string, error) {
	urls := make(map[int]string, len(session.Parts))
	for _, sp := range session.Parts {
		urls[sp.PartNumber] = sp.URL
	}
	var report func(int64)
	if p != nil && p.OnProgress != nil {
		var mu sync.Mutex
		report = func(sent int64) {
			// Parts report from several goroutines; the caller's callback sees one at a time.
			mu.Lock()
			defer mu.Unlock()
			p.OnProgress(UploadProgress{Filename: name, SentBytes: sent, TotalBytes: size})
		}
	}
	counter := parts.NewCounter(report)
	etags, _, err := parts.Run(ctx, plan, p.concurrency(), func(ctx context.Context, part parts.Part) (string, error) {
		var last *parts.CountingReader
		body := &replayBody{
			contentType: "application/octet-stream",
			size:        func(bool) int64 { return part.Size },
			open: func(bool) (io.Reader, error) {
				// A new attempt replays the part from its start; its earlier bytes no longer count.
				if last != nil {
					last.Rewind()
				}
				last = counter.Wrap(part.Reader(src))
				return last, nil
			},
		}
		resp, err := s.client.send(ctx, storageRequest(http.MethodPut, urls[part.Number], body))
		if err != nil {
			return "", err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		etag := resp.Header.Get("ETag")
		if etag == "" {
			return "", newError(CodeUpload, fmt.Sprintf("storage answered part %d without an ETag", part.Number), nil)
		}
		return etag, nil
	})
	return etags, err
}

// directAbortTimeout bounds the best-effort abort of a failed direct upload.
const directAbortTimeout = 30 * time.Second

// abortDirect cancels a direct upload, best effort: it runs even when ctx
// was cancelled, but in the background, so a cancelled caller returns at
// once (Client.Close waits for it); its own failure is not reported.
func (s *FilesService) abortDirect(ctx context.Context, uploadID string) {
	seg, err := idSegment("upload_id", uploadID)
	if err != nil {
		return
	}
	req, err := s.client.newRequest(http.MethodDelete, pathDirectUploads+"/"+seg, nil)
	if err != nil {
		return
	}
	s.client.background.cleanup(ctx, directAbortTimeout, func(actx context.Context) { _ = s.client.do(actx, req, nil) })
}

// UploadBatch uploads many files: paths may name files or directories
// (expanded recursively to the supported image and document extensions,
// hidden files and directories skipped), any number of them; memory grows
// only with the results. Every path is checked before anything is sent.
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
// by filename (files of one name in upload order); while files are
// missing it polls GET …/status (the client's polling interval, up to
// p.DescriptionTimeout, default the polling timeout) until the session has
// finished them, and reads the results again. A file the session reports failed is a failed result
// with its Error; one it has not reported when the wait ends is pending
// (Status "pending", Error saying so). With p.WaitForDescriptions it also
// waits for every description (from the session's results; GET
// /files/{id} only for files the session leaves open).
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
// success after it lets them all go again.
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
	index int // position in the expanded list
	path  string
	name  string
	size  int64
}

// chunkOutcome is what one chunk of a batch produced: a result per
// accepted file in upload order, its rejections, the session of each
// request it took (more than one when it was split).
type chunkOutcome struct {
	ran        bool
	results    []UploadResult
	rejections []Rejection
	sessionIDs []string
	err        error
}

// uploadChunk sends one POST /files/upload/batch for files.
func (s *FilesService) uploadChunk(ctx context.Context, files []batchFile, p *UploadParams, progress func(batchFile, int64)) chunkOutcome {
	opened := make([]*os.File, 0, len(files))
	defer func() {
		for _, f := range opened {
			f.Close()
		}
	}()
	mfiles := make([]multipartFile, len(files))
	for i, bf := range files {
		f, err := os.Open(bf.path)
		if err != nil {
			return chunkOutcome{err: uploadError(bf.name, UploadStageBatch, "", "cannot open "+bf.path, err)}
		}
		opened = append(opened, f)
		mf := multipartFile{field: fieldBatchFiles, filename: bf.name, src: readerAtSource{f}, size: bf.size}
		if progress != nil {
			mf.progress = func(sent int64) { progress(bf, sent) }
		}
		mfiles[i] = mf
	}
	req, err := s.client.newRequest(http.MethodPost, pathUploadBatch, nil)
	if err != nil {
		return chunkOutcome{err: err}
	}
	req.idempotent()
	req.body = newMultipartBody(p.formFields(), mfiles).replay()
	var resp batchUploadResponse
	if err := s.client.do(ctx, req, &resp); err != nil {
		return chunkOutcome{err: err}
	}
	return resp.outcome(files)
}

// assembleBatch joins chunk outcomes in chunk order and picks the error.
// A chunk that failed after its request was stored keeps its results.
func assembleBatch(ctx context.Context, outcomes []chunkOutcome) (*BatchUploadResults, error) {
	res := &BatchUploadResults{Results: []UploadResult{}, SessionIDs: []string{}, Rejections: []Rejection{}}
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
	var files []batchFile
	add := func(path string, size int64) error {
		files = append(files, batchFile{index: len(files), path: path, name: filepath.Base(path), size: size})
		return nil
	}
	for i, path := range paths {
		field := "paths[" + strconv.Itoa(i) + "]"
		info, err := os.Stat(path)
		if err != nil {
			return nil, validationError(field, "cannot read "+strconv.Quote(path)+": "+osReason(err))
		}
		if !info.IsDir() {
			// Opening a FIFO or device blocks and ignores ctx: only regular files go.
			if !info.Mode().IsRegular() {
				return nil, validationError(field, strconv.Quote(path)+" is not a regular file")
			}
			if err := checkBatchFileSize(field, path, info.Size()); err != nil {
				return nil, err
			}
			if err := add(path, info.Size()); err != nil {
				return nil, err
			}
			continue
		}
		err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return validationError(field, "cannot read "+strconv.Quote(p)+": "+osReason(err))
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
				return validationError(field, "cannot read "+strconv.Quote(p)+": "+osReason(err))
			}
			if err := checkBatchFileSize(field, p, fi.Size()); err != nil {
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

func checkBatchFileSize(field, path string, size int64) error {
	if size > maxStreamingUploadSize {
		return validationError(field, strconv.Quote(path)+" is larger than 100 MB; upload it with Upload")
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
	if cause != nil {
		msg += ": " + causeText(cause)
	}
	e := newError(CodeUpload, msg, cause)
	e.Details["filename"] = filename
	e.Details["stage"] = stage
	e.Details["session_id"] = sessionID
	var base *Error
	if errors.As(cause, &base) {
		e.StatusCode, e.RequestID = base.StatusCode, base.RequestID
	}
	return &UploadError{Err: e, Filename: filename, Stage: stage, SessionID: sessionID}
}

// Analyze uploads the image at path and waits, on the server, for its
// description, tags and visible text (POST /images/analyze, multipart).
//
// Errors: *ValidationError, *QuotaExceededError, *TimeoutError (the
// server's analysis timeout), and the transport errors of every call.
func (s *FilesService) Analyze(ctx context.Context, path string, p *AnalyzeParams) (*AnalyzeResult, error) {
	info, err := statUploadFile("path", path)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, validationError("path", "cannot open file: "+err.Error())
	}
	defer f.Close()
	req, err := s.client.newRequest(http.MethodPost, pathAnalyze, nil)
	if err != nil {
		return nil, err
	}
	req.idempotent()
	req.body = newMultipartBody(p.formFields(), []multipartFile{{
		field: fieldUploadFile, filename: filepath.Base(path), src: readerAtSource{f}, size: info.Size(),
	}}).replay()
	var out AnalyzeResult
	if err := s.client.do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// AnalyzeURL has the server fetch the public image at imageURL and
// describe it (POST /images/analyze with JSON {url}).
//
// Errors: as Analyze.
func (s *FilesService) AnalyzeURL(ctx context.Context, imageURL string, p *AnalyzeParams) (*AnalyzeResult, error) {
	u, err := url.Parse(imageURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, validationError("url", "want an absolute http(s) URL")
	}
	body := analyzeURLRequest{URL: imageURL}
	if p != nil {
		body.ContentCategory, body.SkipDuplicates = p.ContentCategory, p.SkipDuplicates
		if p.Timeout > 0 {
			body.Timeout = int(p.Timeout.Round(time.Second) / time.Second)
		}
	}
	req, err := s.client.newRequest(http.MethodPost, pathAnalyze, body)
	if err != nil {
		return nil, err
	}
	var out AnalyzeResult
	if err := s.client.do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// List returns one page of files (GET /files) matching p; nil p lists the
// newest 20.
//
// Errors: *ValidationError (bad params, before sending) and the transport
// errors of every call.
func (s *FilesService) List(ctx context.Context, p *FileListParams) (*FileList, error) {
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	req, err := s.client.newRequest(http.MethodGet, pathFiles, nil)
	if err != nil {
		return nil, err
	}
	req.query = q
	var out FileList
	if err := s.client.do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListAll iterates over every file matching p, fetching pages of p.Limit
// (default 50) from p.Offset on. p is copied, never changed. Iteration
// stops after yielding an error; breaking out of the loop stops fetching.
//
//	for f, err := range c.Files.ListAll(ctx, &scopix.FileListParams{Tags: []string{"site-a"}}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(f.ID, f.Title)
//	}
func (s *FilesService) ListAll(ctx context.Context, p *FileListParams) iter.Seq2[FileSummary, error] {
	params := FileListParams{}
	if p != nil {
		params = *p
		params.Tags = slices.Clone(p.Tags)
		params.MediaTypes = slices.Clone(p.MediaTypes)
		params.IDs = slices.Clone(p.IDs)
	}
	if params.Limit == 0 {
		params.Limit = defaultListAllPageSize
	}
	return pages(params.Offset, func(offset int) ([]FileSummary, bool, error) {
		params.Offset = offset
		page, err := s.List(ctx, &params)
		if err != nil {
			return nil, false, err
		}
		return page.Items, page.HasMore, nil
	})
}

// Get returns the details of one file (GET /files/{id}).
//
// Errors: *ValidationError (empty id), *ResourceNotFoundError, and the
// transport errors of every call.
func (s *FilesService) Get(ctx context.Context, id string) (*FileDetails, error) {
	idPath, err := filePath(id)
	if err != nil {
		return nil, err
	}
	return getJSON[FileDetails](ctx, s.client, idPath, nil)
}

// Update changes a file's title and/or tags (PATCH /files/{id}). A non-nil
// Tags replaces the whole list — an empty, non-nil Tags removes every tag —
// and a nil Tags leaves the tags as they are.
//
// Errors: *ValidationError (nothing to change, title over 255 characters,
// more than 40 tags or a tag over 50 characters — before sending),
// *ResourceNotFoundError, and the transport errors of every call.
func (s *FilesService) Update(ctx context.Context, id string, p *FileUpdateParams) (*FileUpdateResult, error) {
	idPath, err := filePath(id)
	if err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	body := fileUpdateRequest{Title: p.Title}
	if p.Tags != nil {
		// A pointer keeps an empty list on the wire as "tags": [], which
		// clears the tags; omitempty on a plain slice would drop it.
		body.Tags = &p.Tags
	}
	req, err := s.client.newRequest(http.MethodPatch, idPath, body)
	if err != nil {
		return nil, err
	}
	var out FileUpdateResult
	if err := s.client.do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Delete soft-deletes a file (DELETE /files/{id}); it can be recovered for
// 30 days.
//
// Errors: *ValidationError (empty id), *ResourceNotFoundError, and the
// transport errors of every call.
func (s *FilesService) Delete(ctx context.Context, id string) (*FileDeleteResult, error) {
	idPath, err := filePath(id)
	if err != nil {
		return nil, err
	}
	req, err := s.client.newRequest(http.MethodDelete, idPath, nil)
	if err != nil {
		return nil, err
	}
	var out FileDeleteResult
	if err := s.client.do(ctx, req, &out); err != nil {
		return nil, err
	}
	if out.ID == "" {
		out.ID = id
	}
	return &out, nil
}

// BatchDelete soft-deletes up to 100 files (POST /files/batch-delete);
// files still processing are skipped, and each id's outcome is reported.
//
// Errors: *ValidationError (no ids, more than 100, empty or repeated ids —
// before sending) and the transport errors of every call.
func (s *FilesService) BatchDelete(ctx context.Context, ids []string) (*BatchDeleteResult, error) {
	if err := checkIDList("file_ids", ids, maxBatchDeleteIDs); err != nil {
		return nil, err
	}
	req, err := s.client.newRequest(http.MethodPost, pathBatchDelete, batchDeleteRequest{FileIDs: ids})
	if err != nil {
		return nil, err
	}
	req.idempotent()
	var out BatchDeleteResult
	if err := s.client.do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ProcessingStatus reports how far the server is with a file: description,
// text extraction, variants (GET /files/{id}/status).
//
// Errors: *ValidationError (empty id), *ResourceNotFoundError, and the
// transport errors of every call.
func (s *FilesService) ProcessingStatus(ctx context.Context, id string) (*ProcessingStatus, error) {
	idPath, err := filePath(id)
	if err != nil {
		return nil, err
	}
	return getJSON[ProcessingStatus](ctx, s.client, idPath+"/"+pathStatusSuffix, nil)
}

// WaitForDescription polls Get until the file's description is completed
// (or skipped) and returns the details then. o.OnProgress sees every poll.
//
// Errors: *DescriptionError{ImageID, Status} when the description failed;
// *TimeoutError{LastResult: the last *FileDetails} when o.Timeout (default:
// the polling timeout) or ctx's deadline passes; an error matching
// context.Canceled when ctx is cancelled; Get's errors.
func (s *FilesService) WaitForDescription(ctx context.Context, id string, o *WaitDescriptionOptions) (*FileDetails, error) {
	if _, err := idSegment("id", id); err != nil {
		return nil, err
	}
	if o == nil {
		o = &WaitDescriptionOptions{}
	}
	cfg := s.client.pollConfig(o.Timeout, o.Interval)
	return waitFor(ctx, cfg, "description of "+id,
		func(ctx context.Context) (*FileDetails, error) { return s.Get(ctx, id) },
		func(d *FileDetails) (bool, error) {
			switch d.DescriptionStatus {
			case DescriptionCompleted, DescriptionSkipped:
				return true, nil
			case DescriptionFailed:
				return true, descriptionError(id, d.DescriptionStatus, d.DescriptionError)
			}
			return false, nil
		}, o.OnProgress)
}

// WaitForProcessing polls ProcessingStatus until the file is processed:
// text extraction finished for documents, the description finished for
// other files.
//
// Errors: *DocumentProcessingError{DocumentID, Status} when text extraction
// failed; *TimeoutError{LastResult: the last *ProcessingStatus}; an error
// matching context.Canceled; ProcessingStatus's errors.
func (s *FilesService) WaitForProcessing(ctx context.Context, id string, o *WaitProcessingOptions) (*ProcessingStatus, error) {
	if _, err := idSegment("id", id); err != nil {
		return nil, err
	}
	if o == nil {
		o = &WaitProcessingOptions{}
	}
	cfg := s.client.pollConfig(o.Timeout, o.Interval)
	return waitFor(ctx, cfg, "processing of "+id,
		func(ctx context.Context) (*ProcessingStatus, error) { return s.ProcessingStatus(ctx, id) },
		func(st *ProcessingStatus) (bool, error) {
			switch st.TextExtractionStatus {
			case "completed", "skipped":
				return true, nil
			case "failed":
				e := newError(CodeDocumentProcessing, "text extraction of "+id+" failed", nil)
				e.Details["document_id"] = id
				e.Details["status"] = st.TextExtractionStatus
				return true, &DocumentProcessingError{Err: e, DocumentID: id, Status: st.TextExtractionStatus}
			case "":
				return st.processed(), nil
			}
			return false, nil
		}, o.OnProgress)
}

// WaitForSession polls Session until the batch session is completed (the
// result) or failed, expired or cancelled.
//
// Errors: *UploadError{Stage: "session", SessionID} for a failed, expired
// or cancelled session; *TimeoutError{LastResult: the last *UploadSession};
// an error matching context.Canceled; Session's errors.
func (s *FilesService) WaitForSession(ctx context.Context, sessionID string, o *WaitSessionOptions) (*UploadSession, error) {
	if _, err := idSegment("session_id", sessionID); err != nil {
		return nil, err
	}
	if o == nil {
		o = &WaitSessionOptions{}
	}
	cfg := s.client.pollConfig(o.Timeout, o.Interval)
	return waitFor(ctx, cfg, "upload session "+sessionID,
		func(ctx context.Context) (*UploadSession, error) { return s.Session(ctx, sessionID) },
		func(st *UploadSession) (bool, error) {
			switch st.Status {
			case SessionCompleted, SessionPartial:
				return true, nil
			case SessionFailed, SessionExpired, SessionCancelled:
				return true, uploadError("", UploadStageSession, sessionID, "upload session ended "+string(st.Status), nil)
			}
			return false, nil
		}, o.OnProgress)
}

// VariantURL returns a short-lived URL of an image variant (GET
// /files/{id}/variants/{variant}): the redirect's Location, or the url of
// a JSON answer. Fetch it without the API key.
//
// Errors: *ValidationError (empty id or variant; the server's 400 for a
// file that is not an image), *ResourceNotFoundError, and the transport
// errors of every call.
func (s *FilesService) VariantURL(ctx context.Context, id string, variant Variant) (string, error) {
	idPath, err := filePath(id)
	if err != nil {
		return "", err
	}
	if variant == "" {
		variant = VariantMedium
	}
	variantSeg, err := idSegment("variant", string(variant))
	if err != nil {
		return "", err
	}
	req, err := s.client.newRequest(http.MethodGet, idPath+"/"+pathVariantsSegment+"/"+variantSeg, nil)
	if err != nil {
		return "", err
	}
	req.keepRedirect = true
	resp, err := s.client.send(ctx, req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode >= 300 && resp.StatusCode < 400 && loc != "" {
		u, err := resp.Request.URL.Parse(loc)
		if err != nil {
			return "", newError(CodeResponseUnreadable, "variant redirect has an unreadable Location", nil)
		}
		return u.String(), nil
	}
	var out struct {
		URL string `json:"url"`
	}
	if err := decodeJSON(resp.Body, &out); err != nil || out.URL == "" {
		e := newError(CodeResponseUnreadable, "variant answer carries neither a redirect nor a url", err)
		e.StatusCode = resp.StatusCode
		return "", e
	}
	return out.URL, nil
}

// Download streams the original bytes of a file (GET /files/{id}/download,
// following the redirect to storage without the API key). The caller
// closes the returned reader; nothing is buffered. A body silent for longer
// than the attempt timeout (WithTimeout) ends the read with a *TimeoutError.
//
// Errors: *ValidationError (empty id), *ResourceNotFoundError, and the
// transport errors of every call (from the API or the storage host).
func (s *FilesService) Download(ctx context.Context, id string) (io.ReadCloser, error) {
	idPath, err := filePath(id)
	if err != nil {
		return nil, err
	}
	req, err := s.client.newRequest(http.MethodGet, idPath+"/download", nil)
	if err != nil {
		return nil, err
	}
	// The storage URL is presigned: it gets no API key, whatever its host.
	req.keepRedirect = true
	return s.client.stream(ctx, req)
}

// Text returns the extracted text of a document (GET /files/{id}/text).
//
// Errors: *ValidationError (empty id; the server's 400 for a file that is
// not a document), *ResourceNotFoundError, and the transport errors of
// every call.
func (s *FilesService) Text(ctx context.Context, id string) (*DocumentText, error) {
	idPath, err := filePath(id)
	if err != nil {
		return nil, err
	}
	return getJSON[DocumentText](ctx, s.client, idPath+"/text", nil)
}

// Chunks returns the text chunks of a document (GET /files/{id}/chunks).
//
// Errors: as Text.
func (s *FilesService) Chunks(ctx context.Context, id string, p *ChunksParams) (*DocumentChunks, error) {
	idPath, err := filePath(id)
	if err != nil {
		return nil, err
	}
	req, err := s.client.newRequest(http.MethodGet, idPath+"/chunks", nil)
	if err != nil {
		return nil, err
	}
	if p != nil && p.IncludeEmbeddings {
		req.query = url.Values{"include_embeddings": {"true"}}
	}
	var out DocumentChunks
	if err := s.client.do(ctx, req, &out); err != nil {
		return nil, err
	}
	if out.Chunks == nil {
		out.Chunks = []DocumentChunk{}
	}
	return &out, nil
}

// fetchFilesJSON GETs path and decodes the answer into a new T.

// filePath is the path of the file id; a dot segment or empty id is a
// *ValidationError naming "id".
func filePath(id string) (string, error) {
	seg, err := idSegment("id", id)
	return pathFiles + "/" + seg, err
}

func decodeJSON(r io.Reader, out any) error {
	data, err := io.ReadAll(io.LimitReader(r, maxErrorBody))
	if err != nil {
		return err
	}
	return json.Unmarshal(data, out)
}

func descriptionError(id string, status DescriptionStatus, reason string) *DescriptionError {
	msg := "description of " + id + " failed"
	if reason != "" {
		msg += ": " + reason
	}
	e := newError(CodeDescription, msg, nil)
	e.Details["image_id"] = id
	e.Details["status"] = string(status)
	return &DescriptionError{Err: e, ImageID: id, Status: string(status)}
}

// ---- request bodies ----

// fileSource is a file's bytes that can be read again for every attempt.
type fileSource interface {
	// section returns a reader over the first size bytes, from the start.
	section(size int64, retry bool) (io.Reader, error)
}

type readerAtSource struct{ r io.ReaderAt }

func (s readerAtSource) section(size int64, _ bool) (io.Reader, error) {
	return io.NewSectionReader(s.r, 0, size), nil
}

// sequentialSource replays an io.Seeker by seeking back, and refuses to
// replay a plain reader once bytes were read from it.
type sequentialSource struct {
	r      io.Reader
	start  int64
	seeker io.Seeker
	used   *atomic.Int64
}

func newSequentialSource(r io.Reader, _ int64) *sequentialSource {
	s := &sequentialSource{r: r, used: &atomic.Int64{}}
	if sk, ok := r.(io.Seeker); ok {
		if pos, err := sk.Seek(0, io.SeekCurrent); err == nil {
			s.seeker, s.start = sk, pos
		}
	}
	return s
}

func (s *sequentialSource) section(size int64, _ bool) (io.Reader, error) {
	if s.seeker != nil {
		if _, err := s.seeker.Seek(s.start, io.SeekStart); err != nil {
			return nil, newError(CodeUpload, "cannot rewind the reader for a retry", err)
		}
		return io.LimitReader(s.r, size), nil
	}
	if s.used.Load() > 0 {
		return nil, newError(CodeUpload, "the reader cannot be replayed for a retry (give an io.ReaderAt or io.Seeker)", nil)
	}
	return &countReads{r: io.LimitReader(s.r, size), n: s.used}, nil
}

// replayable reports whether section can produce the body again.
func (s *sequentialSource) replayable() bool { return s.seeker != nil || s.used.Load() == 0 }

type countReads struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countReads) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// formField is one text field of a multipart form.
type formField struct{ name, value string }

// multipartFile is one file part of a multipart form.
type multipartFile struct {
	field, filename string
	src             fileSource
	size            int64
	progress        func(sent int64)
}

// multipartBody is a multipart/form-data body laid out once as small byte
// segments around file sections, so each attempt replays it without a copy
// of any file and its length is known before sending. retry holds the
// layout with skip_duplicates=true.
type multipartBody struct {
	contentType string
	boundary    string
	fields      []formField
	first       multipartLayout
	retryOnce   sync.Once
	retry       multipartLayout // built on the first retry
	files       []multipartFile
	counting    []*parts.CountingReader
	counters    []*parts.Counter
}

type multipartLayout struct {
	heads [][]byte // heads[i] precedes file i
	tail  []byte   // closing boundary
	size  int64
}

func newMultipartBody(fields []formField, files []multipartFile) *multipartBody {
	boundary := multipart.NewWriter(io.Discard).Boundary()
	b := &multipartBody{files: files, boundary: boundary, fields: fields}
	b.first = layoutMultipart(boundary, fields, files)
	b.contentType = "multipart/form-data; boundary=" + boundary
	b.counters = make([]*parts.Counter, len(files))
	b.counting = make([]*parts.CountingReader, len(files))
	for i, f := range files {
		b.counters[i] = parts.NewCounter(f.progress)
	}
	return b
}

// retryLayout is the layout with skip_duplicates=true.
func (b *multipartBody) retryLayout() multipartLayout {
	b.retryOnce.Do(func() {
		fields := make([]formField, 0, len(b.fields)+1)
		for _, f := range b.fields {
			if f.name != "skip_duplicates" {
				fields = append(fields, f)
			}
		}
		fields = append(fields, formField{"skip_duplicates", "true"})
		b.retry = layoutMultipart(b.boundary, fields, b.files)
	})
	return b.retry
}

func layoutMultipart(boundary string, fields []formField, files []multipartFile) multipartLayout {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.SetBoundary(boundary)
	for _, f := range fields {
		_ = w.WriteField(f.name, f.value)
	}
	l := multipartLayout{heads: make([][]byte, len(files))}
	for i, f := range files {
		h := make(textproto.MIMEHeader)
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`,
			escapeQuotes(f.field), escapeQuotes(f.filename)))
		h.Set("Content-Type", contentTypeOf(f.filename))
		_, _ = w.CreatePart(h)
		l.heads[i] = bytes.Clone(buf.Bytes())
		l.size += int64(len(l.heads[i])) + f.size
		buf.Reset()
	}
	_ = w.Close()
	l.tail = bytes.Clone(buf.Bytes())
	l.size += int64(len(l.tail))
	return l
}

// replay turns the body into the engine's replayable body.
func (b *multipartBody) replay() *replayBody {
	return &replayBody{
		contentType: b.contentType,
		size: func(retry bool) int64 {
			if retry {
				return b.retryLayout().size
			}
			return b.first.size
		},
		open: b.open,
		replayable: func() bool {
			for _, f := range b.files {
				if r, ok := f.src.(interface{ replayable() bool }); ok && !r.replayable() {
					return false
				}
			}
			return true
		},
	}
}

func (b *multipartBody) open(retry bool) (io.Reader, error) {
	l := b.first
	if retry {
		l = b.retryLayout()
	}
	readers := make([]io.Reader, 0, 2*len(b.files)+1)
	for i, f := range b.files {
		sec, err := f.src.section(f.size, retry)
		if err != nil {
			return nil, err
		}
		// Bytes counted by an earlier attempt are taken back: progress
		// restarts with the attempt that replays them.
		if b.counting[i] != nil {
			b.counting[i].Rewind()
		}
		b.counting[i] = b.counters[i].Wrap(sec)
		readers = append(readers, bytes.NewReader(l.heads[i]), b.counting[i])
	}
	readers = append(readers, bytes.NewReader(l.tail))
	return &fillReader{r: io.MultiReader(readers...)}, nil
}

// fillReader fills each read as far as it can. A multipart body is many
// small segments; without it each segment would become its own write on
// the connection (a batch of small files would cost a packet per segment).
type fillReader struct{ r io.Reader }

func (f *fillReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := f.r.Read(p[n:])
		n += m
		if err != nil {
			if n > 0 && err == io.EOF {
				return n, nil
			}
			return n, err
		}
	}
	return n, nil
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "", "\n", "")

func escapeQuotes(s string) string { return quoteEscaper.Replace(s) }

func contentTypeOf(filename string) string {
	if t := mime.TypeByExtension(strings.ToLower(filepath.Ext(filename))); t != "" {
		return t
	}
	return "application/octet-stream"
}

// ---- params ----

// UploadParams are the options of Upload, UploadReader and UploadBatch.
// nil means defaults.
type UploadParams struct {
	Title           string   // at most 255 characters
	Tags            []string // sent comma-separated
	AutoDescribe    *bool    // run the AI description (default true)
	SkipDuplicates  bool     // report an existing file with the same content instead of storing a copy
	StorageTarget   string   // "default" or "custom" (your own S3 bucket)
	FolderID        string
	ProjectID       string // used only when FolderID is empty
	ContentCategory string // e.g. "general", "blueprint", "product_photo"
	CustomSchemaID  string // saved extraction schema to run
	// ForceDirect uses the direct upload flow (presigned parts) whatever the size.
	ForceDirect bool
	// BatchSize is the files per request of UploadBatch (default: the
	// plan's max_batch_size from the quota check; at most 1,000).
	BatchSize int
	// Concurrency bounds the requests in flight: batch chunks of UploadBatch
	// (default: the plan's max_concurrent_uploads, at most 4), parts of a
	// direct upload (default 4).
	Concurrency int
	// OnProgress is called while a file's bytes go out (from one goroutine
	// at a time). SentBytes may go back when an attempt is retried.
	OnProgress func(UploadProgress)
	// WaitForDescriptions makes UploadBatch return only when every stored
	// file's AI description is final (completed, failed or skipped) or
	// DescriptionTimeout ran out. Without it, UploadBatch returns once every
	// file's id is known.
	WaitForDescriptions bool
	// DescriptionTimeout bounds how long UploadBatch waits for each
	// request's ids and descriptions (default: the client's polling timeout).
	DescriptionTimeout time.Duration
	// OnFileComplete is called once per result of UploadBatch as soon as it
	// is final: its id known (or its failure), and with WaitForDescriptions
	// its description final too. Calls come one at a time.
	OnFileComplete func(UploadResult)
}

// UploadProgress reports the bytes of one file sent so far.
type UploadProgress struct {
	FileIndex  int    // position of the file in a batch (0 for single uploads)
	Filename   string // base name of the file
	SentBytes  int64
	TotalBytes int64
}

func (p *UploadParams) validate() error {
	if p == nil {
		return nil
	}
	switch {
	case len([]rune(p.Title)) > maxTitleLength:
		return validationError("title", fmt.Sprintf("at most %d characters", maxTitleLength))
	case p.BatchSize < 0 || p.BatchSize > maxBatchSize:
		return validationError("batch_size", fmt.Sprintf("want 0 (the plan's limit) to %d", maxBatchSize))
	case p.Concurrency < 0:
		return validationError("concurrency", "must not be negative")
	case p.DescriptionTimeout < 0:
		return validationError("description_timeout", "must not be negative")
	}
	for i, t := range p.Tags {
		if strings.Contains(t, ",") {
			return validationError("tags["+strconv.Itoa(i)+"]", "must not contain a comma")
		}
	}
	return nil
}

func (p *UploadParams) concurrency() int {
	if p == nil || p.Concurrency <= 0 {
		return defaultConcurrency
	}
	return p.Concurrency
}

// formFields are the upload options as multipart form fields.
func (p *UploadParams) formFields() []formField {
	if p == nil {
		return nil
	}
	var f []formField
	add := func(name, v string) {
		if v != "" {
			f = append(f, formField{name, v})
		}
	}
	add("title", p.Title)
	add("tags", strings.Join(p.Tags, ","))
	if p.AutoDescribe != nil {
		add("auto_describe", strconv.FormatBool(*p.AutoDescribe))
	}
	if p.SkipDuplicates {
		add("skip_duplicates", "true")
	}
	add("storage_target", p.StorageTarget)
	add("folder_id", p.FolderID)
	add("project_id", p.ProjectID)
	add("content_category", p.ContentCategory)
	add("custom_schema_id", p.CustomSchemaID)
	return f
}

func (p *UploadParams) directInit(name string, size int64) directUploadRequest {
	r := directUploadRequest{Filename: name, ContentType: contentTypeOf(name), SizeBytes: size}
	if p != nil {
		r.Title, r.Tags, r.AutoDescribe, r.SkipDuplicates = p.Title, p.Tags, p.AutoDescribe, p.SkipDuplicates
		r.StorageTarget, r.FolderID, r.ProjectID = p.StorageTarget, p.FolderID, p.ProjectID
		r.ContentCategory, r.CustomSchemaID = p.ContentCategory, p.CustomSchemaID
	}
	return r
}

// batchProgress adapts OnProgress to batch files.
func (p *UploadParams) batchProgress() func(batchFile, int64) {
	if p == nil || p.OnProgress == nil {
		return nil
	}
	var mu sync.Mutex
	return func(f batchFile, sent int64) {
		// Chunks run in parallel; the caller's callback sees one report at a time.
		mu.Lock()
		defer mu.Unlock()
		p.OnProgress(UploadProgress{FileIndex: f.index, Filename: f.name, SentBytes: sent, TotalBytes: f.size})
	}
}

// directUploadRequest starts a direct upload (inferred wire).
type directUploadRequest struct {
	Filename        string   `json:"filename"`
	ContentType     string   `json:"content_type"`
	SizeBytes       int64    `json:"size_bytes"`
	Title           string   `json:"title,omitempty"`
	Tags            []string `json:"tags,omitempty"`
	AutoDescribe    *bool    `json:"auto_describe,omitempty"`
	SkipDuplicates  bool     `json:"skip_duplicates,omitempty"`
	StorageTarget   string   `json:"storage_target,omitempty"`
	FolderID        string   `json:"folder_id,omitempty"`
	ProjectID       string   `json:"project_id,omitempty"`
	ContentCategory string   `json:"content_category,omitempty"`
	CustomSchemaID  string   `json:"custom_schema_id,omitempty"`
}

// directUploadSession is the server's plan for a direct upload (inferred wire).
// maxDirectParts is S3's limit on the parts of one multipart upload
// (documented (Scopix), spec files.md: part numbers 1..10,000).
const maxDirectParts = 10000

type directUploadSession struct {
	UploadID      string             `json:"upload_id"`
	ObjectKey     string             `json:"object_key"`
	PartSizeBytes int64              `json:"part_size_bytes"`
	Parts         []directUploadPart `json:"parts"`
	ExpiresAt     Time               `json:"expires_at"`
}

// directUploadPart is one presigned part URL (inferred wire).
type directUploadPart struct {
	PartNumber int    `json:"part_number"`
	URL        string `json:"url"`
	SizeBytes  int64  `json:"size_bytes"`
}

// plan turns the server's parts into byte ranges, checking that they cover
// the file exactly.
func (d directUploadSession) plan(size int64) ([]parts.Part, error) {
	switch {
	case len(d.Parts) == 0:
		return nil, badResponseField("parts", "the server's answer has no parts")
	case len(d.Parts) > maxDirectParts:
		return nil, badResponseField("parts", fmt.Sprintf("the server lists %d parts; at most %d exist", len(d.Parts), maxDirectParts))
	}
	if _, err := idSegment("upload_id", d.UploadID); err != nil {
		return nil, badResponseField("upload_id", "the server's upload id is empty or a dot segment")
	}
	sorted := slices.Clone(d.Parts)
	slices.SortFunc(sorted, func(a, b directUploadPart) int { return cmp.Compare(a.PartNumber, b.PartNumber) })
	out := make([]parts.Part, len(sorted))
	var off int64
	for i, sp := range sorted {
		n := sp.SizeBytes
		if n == 0 && d.PartSizeBytes > 0 {
			n = min(d.PartSizeBytes, size-off)
		}
		if sp.URL == "" || n <= 0 && size > 0 {
			return nil, badResponseField("parts", fmt.Sprintf("the server's part %d has no url or size", sp.PartNumber))
		}
		if n > size-off {
			return nil, badResponseField("parts", fmt.Sprintf("the server's parts cover more than the file's %d bytes", size))
		}
		out[i] = parts.Part{Number: sp.PartNumber, Offset: off, Size: n}
		off += n
	}
	if off != size {
		return nil, badResponseField("parts", fmt.Sprintf("the server's parts cover %d bytes, the file has %d", off, size))
	}
	return out, nil
}

type directCompletedPart struct {
	PartNumber int    `json:"part_number"`
	ETag       string `json:"etag"`
}

type directCompleteRequest struct {
	Parts []directCompletedPart `json:"parts"`
}

// AnalyzeParams are the options of Analyze and AnalyzeURL.
type AnalyzeParams struct {
	ContentCategory string        // the upload categories plus "auto" (default "general")
	SkipDuplicates  bool          // reuse an existing file with the same content
	Timeout         time.Duration // how long the server waits for the description (default 30s; whole seconds)
}

func (p *AnalyzeParams) formFields() []formField {
	if p == nil {
		return nil
	}
	var f []formField
	if p.ContentCategory != "" {
		f = append(f, formField{"content_category", p.ContentCategory})
	}
	if p.SkipDuplicates {
		f = append(f, formField{"skip_duplicates", "true"})
	}
	if p.Timeout > 0 {
		f = append(f, formField{"timeout", strconv.Itoa(int(p.Timeout.Round(time.Second) / time.Second))})
	}
	return f
}

type analyzeURLRequest struct {
	URL             string `json:"url"`
	ContentCategory string `json:"content_category,omitempty"`
	SkipDuplicates  bool   `json:"skip_duplicates,omitempty"`
	Timeout         int    `json:"timeout,omitempty"`
}

// FileListParams filter, sort and page List and ListAll. nil means the
// newest 20 files.
type FileListParams struct {
	Search         string      // full text over titles, descriptions and visible text
	SearchMode     SearchMode  // all (default), metadata, visible_text
	Tags           []string    // files having all of them
	MediaTypes     []MediaType // any of them
	FolderID       string      // files directly in this folder
	HasDescription *bool       // false: description pending or failed
	DateFrom       time.Time   // created at or after (zero: no bound)
	DateTo         time.Time   // created at or before (zero: no bound)
	IDs            []string    // at most 500
	Limit          int         // 1–100 (0: server default 20; ListAll: 50 per page)
	Offset         int         // ≥ 0
	SortBy         SortBy      // default content_created_at
	SortOrder      SortOrder   // default desc
}

func (p *FileListParams) query() (url.Values, error) {
	q := url.Values{}
	if p == nil {
		return q, nil
	}
	switch {
	case p.Limit < 0 || p.Limit > maxListLimit:
		return nil, validationError("limit", fmt.Sprintf("want 1 to %d", maxListLimit))
	case p.Offset < 0:
		return nil, validationError("offset", "must not be negative")
	case len(p.IDs) > maxListIDs:
		return nil, validationError("ids", fmt.Sprintf("at most %d", maxListIDs))
	case !p.DateFrom.IsZero() && !p.DateTo.IsZero() && p.DateTo.Before(p.DateFrom):
		return nil, validationError("date_to", "is before date_from")
	}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("search", p.Search)
	set("search_mode", string(p.SearchMode))
	for _, t := range p.Tags {
		q.Add("tags", t)
	}
	for _, m := range p.MediaTypes {
		q.Add("media_types", string(m))
	}
	set("folder_id", p.FolderID)
	if p.HasDescription != nil {
		q.Set("has_description", strconv.FormatBool(*p.HasDescription))
	}
	if !p.DateFrom.IsZero() {
		q.Set("date_from", p.DateFrom.Format(time.RFC3339))
	}
	if !p.DateTo.IsZero() {
		q.Set("date_to", p.DateTo.Format(time.RFC3339))
	}
	for _, id := range p.IDs {
		q.Add("ids", id)
	}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Offset > 0 {
		q.Set("offset", strconv.Itoa(p.Offset))
	}
	set("sort_by", string(p.SortBy))
	set("sort_order", string(p.SortOrder))
	return q, nil
}

// FileUpdateParams change a file's title and/or tags; at least one is needed.
// Tags nil leaves the tags unchanged; a non-nil Tags replaces them, and an
// empty non-nil Tags ([]string{}) removes them all.
type FileUpdateParams struct {
	Title *string  `json:"title,omitempty"` // at most 255 characters
	Tags  []string `json:"tags,omitempty"`  // replaces the tags: at most 40, each at most 50 characters
}

// fileUpdateRequest is the body of PATCH files/{id}: {title?, tags?}
// (documented, predecessor api/files.md).
type fileUpdateRequest struct {
	Title *string   `json:"title,omitempty"`
	Tags  *[]string `json:"tags,omitempty"`
}

func (p *FileUpdateParams) validate() error {
	if p == nil || (p.Title == nil && p.Tags == nil) {
		return validationError("params", "give a title or tags to change")
	}
	if p.Title != nil && len([]rune(*p.Title)) > maxTitleLength {
		return validationError("title", fmt.Sprintf("at most %d characters", maxTitleLength))
	}
	return checkTags(p.Tags)
}

type batchDeleteRequest struct {
	FileIDs []string `json:"file_ids"`
}

// ChunksParams are the options of Chunks.
type ChunksParams struct {
	IncludeEmbeddings bool // include each chunk's embedding vector
}

// WaitDescriptionOptions tune WaitForDescription. Zero values take the
// client's polling interval and timeout.
type WaitDescriptionOptions struct {
	Timeout    time.Duration
	Interval   time.Duration
	OnProgress func(*FileDetails) // called after every poll
}

// WaitProcessingOptions tune WaitForProcessing.
type WaitProcessingOptions struct {
	Timeout    time.Duration
	Interval   time.Duration
	OnProgress func(*ProcessingStatus) // called after every poll
}

// WaitSessionOptions tune WaitForSession.
type WaitSessionOptions struct {
	Timeout    time.Duration
	Interval   time.Duration
	OnProgress func(*UploadSession) // called after every poll
}

// ---- enums ----

// DescriptionStatus is the state of a file's AI description. Unknown
// values from the server are kept as they are.
type DescriptionStatus string

// Description states.
const (
	DescriptionPending    DescriptionStatus = "pending"
	DescriptionQueued     DescriptionStatus = "queued"
	DescriptionProcessing DescriptionStatus = "processing"
	DescriptionCompleted  DescriptionStatus = "completed"
	DescriptionFailed     DescriptionStatus = "failed"
	DescriptionSkipped    DescriptionStatus = "skipped"
)

// Terminal reports whether the description will not change any more.
func (s DescriptionStatus) Terminal() bool {
	return s == DescriptionCompleted || s == DescriptionFailed || s == DescriptionSkipped
}

// MediaType is the kind of a file.
type MediaType string

// Media types.
const (
	MediaTypeImage    MediaType = "image"
	MediaTypeDocument MediaType = "document"
	MediaTypeVideo    MediaType = "video"
	MediaTypeLink     MediaType = "link"
)

// Variant names a resized rendition of an image.
type Variant string

// Image variants (by maximum dimension in pixels).
const (
	VariantOriginal Variant = "original"
	VariantTiny     Variant = "tiny_64"
	VariantSmall    Variant = "small_256"
	VariantMedium   Variant = "medium_750"
	VariantLarge    Variant = "large_1024"
)

// SearchMode says what List's Search looks at.
type SearchMode string

// Search modes.
const (
	SearchAll         SearchMode = "all"
	SearchMetadata    SearchMode = "metadata"
	SearchVisibleText SearchMode = "visible_text"
)

// SortBy is the sort key of List.
type SortBy string

// Sort keys.
const (
	SortByCreatedAt        SortBy = "created_at"
	SortByContentCreatedAt SortBy = "content_created_at"
	SortByTitle            SortBy = "title"
	SortBySize             SortBy = "size_bytes"
)

// SortOrder is ascending or descending.
type SortOrder string

// Sort orders.
const (
	SortAsc  SortOrder = "asc"
	SortDesc SortOrder = "desc"
)

// SessionStatus is the state of a batch upload session.
type SessionStatus string

// Session states.
const (
	SessionPending    SessionStatus = "pending"
	SessionUploading  SessionStatus = "uploading"
	SessionProcessing SessionStatus = "processing"
	SessionPartial    SessionStatus = "partial"
	SessionCompleted  SessionStatus = "completed"
	SessionFailed     SessionStatus = "failed"
	SessionExpired    SessionStatus = "expired"
	SessionCancelled  SessionStatus = "cancelled"
)

// ---- results ----

// UploadResult is the outcome of one uploaded file. Fields the server did
// not send (or sent as null) are zero.
type UploadResult struct {
	ImageID                string            `json:"image_id"` // the file id (for documents too)
	Filename               string            `json:"filename"`
	Description            string            `json:"description"`
	Tags                   []string          `json:"tags"`
	VisibleText            string            `json:"visible_text"`
	TextRegions            []map[string]any  `json:"text_regions"` // OCR entries, bounding boxes normalised to 0–1
	ConfidenceScore        *float64          `json:"confidence_score"`
	DescriptionStatus      DescriptionStatus `json:"description_status"`
	ThumbnailURL           string            `json:"thumbnail_url"`
	CreatedAt              Time              `json:"created_at"`
	DescriptionError       string            `json:"description_error"`
	DescriptionErrorType   string            `json:"description_error_type"`
	DescriptionIsRetryable *bool             `json:"description_is_retryable"`
	Deduplicated           *bool             `json:"deduplicated"` // direct uploads: an identical file existed
	MediaType              MediaType         `json:"media_type"`
	Status                 string            `json:"status"` // upload state: processing, completed, skipped, failed
	ObjectKey              string            `json:"object_key"`
	// Skipped is true when the server kept an existing identical file
	// (skip_duplicates, and every retried attempt); ImageID is that file.
	Skipped                bool    `json:"skipped"`
	SkippedExistingImageID string  `json:"skipped_existing_image_id"`
	UploadMethod           string  `json:"upload_method"`
	StorageTarget          string  `json:"storage_target"`
	DocumentType           string  `json:"document_type"`
	TextExtractionStatus   string  `json:"text_extraction_status"`
	ProcessingTimeMS       float64 `json:"processing_time_ms"`
	// Error says why a batch file failed, or why it is still pending.
	Error string `json:"error"`
	// ErrorMessage is the error of a session result (SessionResults); it is
	// copied into Error.
	ErrorMessage string `json:"error_message"`
	// S3UploadCompleted, VariantsQueued and DescriptionQueued report the
	// server's follow-up work on a single upload: the bytes reached storage,
	// the image variants and the AI description were queued.
	S3UploadCompleted bool `json:"s3_upload_completed"`
	VariantsQueued    bool `json:"variants_queued"`
	DescriptionQueued bool `json:"description_queued"`
	// Path is the local path the file was read from (UploadBatch).
	Path string `json:"-"`
	// SessionID is the upload session that reported the file (UploadBatch,
	// SessionResults).
	SessionID string `json:"-"`
}

func (r *UploadResult) normalize(name string) {
	if r.Filename == "" {
		r.Filename = name
	}
	if r.SkippedExistingImageID != "" {
		r.Skipped = true
		if r.ImageID == "" {
			r.ImageID = r.SkippedExistingImageID
		}
	}
	if r.DescriptionStatus == "" {
		r.DescriptionStatus = DescriptionPending
	}
}

// fromSession completes a result read from an upload session: its items
// carry error_message instead of error, no skipped_existing_image_id and
// no description_status (a description present means it is done).
func (r *UploadResult) fromSession(sessionID string) {
	r.SessionID = sessionID
	if r.Error == "" {
		r.Error = r.ErrorMessage
	}
	if r.Status == uploadStatusSkipped && r.SkippedExistingImageID == "" {
		r.SkippedExistingImageID = r.ImageID
	}
	if r.DescriptionStatus == "" && r.Description != "" {
		r.DescriptionStatus = DescriptionCompleted
	}
	r.normalize(r.Filename)
}

// IsFailed reports a file whose upload or description failed.
func (r UploadResult) IsFailed() bool {
	return r.DescriptionStatus == DescriptionFailed || r.Status == uploadStatusFailed
}

// IsPending reports a file whose description is not finished.
func (r UploadResult) IsPending() bool {
	return !r.IsFailed() && !r.DescriptionStatus.Terminal()
}

// IsCompleted reports a stored file whose description is done (or not wanted).
func (r UploadResult) IsCompleted() bool {
	return !r.IsFailed() && r.DescriptionStatus.Terminal()
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
			errs = append(errs, descriptionError(r.ImageID, r.DescriptionStatus, cmpOrString(r.DescriptionError, r.Error)))
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
func (r *batchUploadResponse) outcome(files []batchFile) chunkOutcome {
	out := chunkOutcome{}
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

// AnalyzeResult is what Analyze returns: the stored image and its description.
type AnalyzeResult struct {
	ImageID                string            `json:"image_id"`
	Filename               string            `json:"filename"`
	Description            string            `json:"description"`
	Tags                   []string          `json:"tags"`
	VisibleText            string            `json:"visible_text"`
	TextRegions            []map[string]any  `json:"text_regions"`
	ConfidenceScore        *float64          `json:"confidence_score"`
	DescriptionStatus      DescriptionStatus `json:"description_status"`
	DescriptionError       string            `json:"description_error"`
	ContentCategory        string            `json:"content_category"`
	ThumbnailURL           string            `json:"thumbnail_url"`
	ProcessingTimeMS       float64           `json:"processing_time_ms"`
	Skipped                bool              `json:"skipped"`
	SkippedExistingImageID string            `json:"skipped_existing_image_id"`
	CreatedAt              Time              `json:"created_at"`
}

// Dimensions are an image's size in pixels.
type Dimensions struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// FileSummary is one file of a list. Summaries are light: the description
// text may be missing (use Get). Fields the server sent as null are zero.
type FileSummary struct {
	ID                 string            `json:"id"`
	Title              string            `json:"title"`
	Filename           string            `json:"filename"`
	SizeBytes          int64             `json:"size_bytes"`
	HasFullDescription bool              `json:"has_full_description"`
	ThumbnailURL       string            `json:"thumbnail_url"`
	UploadDescription  string            `json:"upload_description"`
	VisibleText        string            `json:"visible_text"`
	Tags               []string          `json:"tags"`
	CreatedAt          Time              `json:"created_at"`
	ContentCreatedAt   Time              `json:"content_created_at"` // EXIF date
	Dimensions         *Dimensions       `json:"dimensions"`
	Format             string            `json:"format"`
	VariantStatus      string            `json:"variant_status"`
	VariantCount       int               `json:"variant_count"`
	MediumURL          string            `json:"medium_url"`
	FullURL            string            `json:"full_url"`
	BlurHash           string            `json:"blur_hash"`
	DescriptionStatus  DescriptionStatus `json:"description_status"`
	DescriptionError   string            `json:"description_error"`
	VariantError       string            `json:"variant_error"`
	ConfidenceScore    *float64          `json:"confidence_score"`
	ContentType        string            `json:"content_type"`
	MediaType          MediaType         `json:"media_type"`
	ContentCategory    string            `json:"content_category"`
	FolderID           string            `json:"folder_id"`
	DomainData
	DocumentFields
	VideoFields
	LinkFields
}

// DomainData is the structured data extracted for a file's content
// category (blueprints, P&IDs, real estate, ...). Each is nil unless the
// category produced it.
type DomainData struct {
	LegendData              map[string]any `json:"legend_data"`
	ArchitecturalDesignData map[string]any `json:"architectural_design_data"`
	CEPlanData              map[string]any `json:"ce_plan_data"`
	LayoutRegionData        map[string]any `json:"layout_region_data"`
	RealEstateData          map[string]any `json:"real_estate_data"`
	MiningData              map[string]any `json:"mining_data"`
	PIDData                 map[string]any `json:"pid_data"`
	PFDData                 map[string]any `json:"pfd_data"`
	ScheduleData            map[string]any `json:"schedule_data"`
	ExtractionCorrections   map[string]any `json:"extraction_corrections"`
}

// DocumentFields are the fields of document files.
type DocumentFields struct {
	DocumentType         string `json:"document_type"` // pdf, docx, txt, md
	PageCount            int    `json:"page_count"`
	TextExtractionStatus string `json:"text_extraction_status"`
	ChunkCount           int    `json:"chunk_count"`
	DocumentURL          string `json:"document_url"`
}

// VideoFields are the fields of video files.
type VideoFields struct {
	VideoMetadata       map[string]any `json:"video_metadata"`
	VideoURL            string         `json:"video_url"`
	VideoAnalysisStatus string         `json:"video_analysis_status"`
	VideoAnalysisJobID  string         `json:"video_analysis_job_id"`
	SceneCount          int            `json:"scene_count"`
	HasAudioTranscript  *bool          `json:"has_audio_transcript"`
}

// LinkFields are the fields of link files (crawled web pages).
type LinkFields struct {
	SourceURL            string         `json:"source_url"`
	Domain               string         `json:"domain"`
	OGMetadata           map[string]any `json:"og_metadata"`
	FaviconURL           string         `json:"favicon_url"`
	CrawlStatus          string         `json:"crawl_status"`
	CrawlError           string         `json:"crawl_error"`
	CrawledAt            Time           `json:"crawled_at"`
	PageTitle            string         `json:"page_title"`
	ExtractedImages      any            `json:"extracted_images"`
	ExtractedImagesCount int            `json:"extracted_images_count"`
}

// FileList is one page of List. It decodes the page whether the server
// lists the files under "files" (as documented) or "items".
type FileList struct {
	Items      []FileSummary `json:"items"`
	TotalCount int           `json:"total_count"`
	HasMore    bool          `json:"has_more"`
}

// UnmarshalJSON implements json.Unmarshaler with the tolerant list rules.
func (l *FileList) UnmarshalJSON(data []byte) error {
	page, err := decodeListPage[FileSummary](data, listKeyFiles, listKeyItems)
	if err != nil {
		return err
	}
	*l = FileList(page)
	return nil
}

// FileDetails is everything known about one file. Fields the server sent
// as null are zero.
type FileDetails struct {
	ID                     string              `json:"id"`
	ObjectKey              string              `json:"object_key"`
	Title                  string              `json:"title"`
	Tags                   []string            `json:"tags"`
	SizeBytes              int64               `json:"size_bytes"`
	ContentType            string              `json:"content_type"`
	Hash                   string              `json:"hash"`
	Dimensions             *Dimensions         `json:"dimensions"`
	Format                 string              `json:"format"`
	FullURL                string              `json:"full_url"` // the 1024 px variant
	ThumbnailURL           string              `json:"thumbnail_url"`
	MediumURL              string              `json:"medium_url"`
	OriginalURL            string              `json:"original_url"`
	VariantStatus          string              `json:"variant_status"`
	VariantCount           int                 `json:"variant_count"`
	UploadDescription      string              `json:"upload_description"`
	VisibleText            string              `json:"visible_text"`
	DescriptionGeneratedAt Time                `json:"description_generated_at"`
	FullDescriptions       []FullDescription   `json:"full_descriptions"`
	ProcessingHistory      []ProcessingHistory `json:"processing_history"`
	CreatedAt              Time                `json:"created_at"`
	UpdatedAt              Time                `json:"updated_at"`
	ContentCreatedAt       Time                `json:"content_created_at"`
	UploadMethod           string              `json:"upload_method"`
	OriginalFilename       string              `json:"original_filename"`
	BlurHash               string              `json:"blur_hash"`
	DescriptionStatus      DescriptionStatus   `json:"description_status"`
	DescriptionError       string              `json:"description_error"`
	DescriptionErrorType   string              `json:"description_error_type"`
	DescriptionIsRetryable *bool               `json:"description_is_retryable"`
	MediaType              MediaType           `json:"media_type"`
	ContentCategory        string              `json:"content_category"`
	FolderID               string              `json:"folder_id"`
	ConfidenceScore        *float64            `json:"confidence_score"`
	DomainData
	DocumentFields
	VideoFields
	LinkFields
}

// FullDescription is one generated description of a file.
type FullDescription struct {
	ID                string   `json:"id"`
	Description       string   `json:"description"`
	VisibleText       string   `json:"visible_text"`
	ConfidenceScore   *float64 `json:"confidence_score"`
	ProvidersUsed     []string `json:"providers_used"`
	VerificationLevel string   `json:"verification_level"`
	ProcessingTimeMS  float64  `json:"processing_time_ms"`
	CreatedAt         Time     `json:"created_at"`
}

// ProcessingHistory is one processing run on a file (describe, verify, rules).
type ProcessingHistory struct {
	ID            string `json:"id"`
	OperationType string `json:"operation_type"`
	Status        string `json:"status"`
	CreatedAt     Time   `json:"created_at"`
	CompletedAt   Time   `json:"completed_at"`
	ErrorMessage  string `json:"error_message"`
}

// FileUpdateResult is what Update returns.
type FileUpdateResult struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Tags      []string `json:"tags"`
	UpdatedAt Time     `json:"updated_at"`
}

// FileDeleteResult is what Delete returns.
type FileDeleteResult struct {
	ID        string `json:"id"`
	DeletedAt Time   `json:"deleted_at"`
	Message   string `json:"message"`
}

// BatchDeleteResult is what BatchDelete returns: each id's outcome.
type BatchDeleteResult struct {
	Deleted []BatchDeleteItem  `json:"deleted"`
	Skipped []BatchDeleteItem  `json:"skipped"` // e.g. still processing
	Failed  []BatchDeleteItem  `json:"failed"`
	Summary BatchDeleteSummary `json:"summary"`
}

// BatchDeleteItem is one id's outcome in BatchDelete.
type BatchDeleteItem struct {
	ID        string `json:"id"`
	Status    string `json:"status"` // deleted, skipped, failed
	Message   string `json:"message"`
	DeletedAt Time   `json:"deleted_at"`
}

// BatchDeleteSummary counts BatchDelete's outcomes.
type BatchDeleteSummary struct {
	Total   int `json:"total"`
	Deleted int `json:"deleted"`
	Skipped int `json:"skipped"`
	Failed  int `json:"failed"`
}

// ProcessingStatus is how far the server is with a file. The endpoint is
// inferred; its answer is read in both documented shapes: the document
// status (predecessor api/documents.md: text_extraction_status, page and
// chunk counts, top-level statuses) and the unified image status
// (predecessor api/uploads.md, openapi UnifiedImageStatusResponse:
// unified_status with the per-component statuses nested under
// component_statuses). DescriptionStatus and VariantStatus hold the
// top-level value, else the nested one, so callers read one place.
type ProcessingStatus struct {
	FileID               string            `json:"file_id"` // also read from image_id
	DocumentID           string            `json:"document_id"`
	Filename             string            `json:"filename"`
	MediaType            MediaType         `json:"media_type"`
	DescriptionStatus    DescriptionStatus `json:"description_status"`
	TextExtractionStatus string            `json:"text_extraction_status"` // documents: pending, processing, completed, failed
	VariantStatus        string            `json:"variant_status"`
	DocumentType         string            `json:"document_type"`
	PageCount            int               `json:"page_count"`
	ChunkCount           int               `json:"chunk_count"`
	CreatedAt            Time              `json:"created_at"`
	ProcessingStartedAt  Time              `json:"processing_started_at"`
	CompletedAt          Time              `json:"completed_at"`
	// UnifiedStatus is the overall state of an image: uploading,
	// confirming, queued, processing, completed, failed or
	// partially_completed.
	UnifiedStatus string `json:"unified_status"`
	// ComponentStatuses is the per-component state the unified shape nests.
	ComponentStatuses *ComponentStatuses `json:"component_statuses"`
	TenantID          string             `json:"tenant_id"`
	BatchID           string             `json:"batch_id"`      // the upload batch the file came in, if any
	ErrorMessage      string             `json:"error_message"` // the last processing error
	LastErrorAt       Time               `json:"last_error_at"` // when ErrorMessage happened
	LastUpdatedAt     Time               `json:"last_updated_at"`
	RetryCount        int                `json:"retry_count"`
	// ProcessingDurationSeconds is how long the file has been processing.
	ProcessingDurationSeconds float64 `json:"processing_duration_seconds"`
	IsStuck                   bool    `json:"is_stuck"`    // longer in a non-final state than expected
	IsTerminal                bool    `json:"is_terminal"` // no further change is expected
}

// ComponentStatuses are the states of the parts of a file's processing,
// as the unified status nests them.
type ComponentStatuses struct {
	UploadStatus       string            `json:"upload_status"`
	VariantStatus      string            `json:"variant_status"`
	DescriptionStatus  DescriptionStatus `json:"description_status"`
	UploadIntentStatus string            `json:"upload_intent_status"`
	TaskIntentStatus   string            `json:"task_intent_status"`
}

// UnmarshalJSON implements json.Unmarshaler: it reads both documented
// shapes and lifts the nested statuses where the top level has none.
func (p *ProcessingStatus) UnmarshalJSON(data []byte) error {
	type plain ProcessingStatus
	var aux struct {
		plain
		ImageID string `json:"image_id"`
	}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	*p = ProcessingStatus(aux.plain)
	if p.FileID == "" {
		p.FileID = firstNonEmpty(aux.ImageID, p.DocumentID)
	}
	if c := p.ComponentStatuses; c != nil {
		if p.DescriptionStatus == "" {
			p.DescriptionStatus = c.DescriptionStatus
		}
		if p.VariantStatus == "" {
			p.VariantStatus = c.VariantStatus
		}
	}
	return nil
}

// processed reports whether a non-document file needs no more polling.
func (p *ProcessingStatus) processed() bool {
	if p.DescriptionStatus != "" {
		return p.DescriptionStatus.Terminal()
	}
	switch p.UnifiedStatus {
	case "completed", "failed", "partially_completed":
		return true
	}
	return p.IsTerminal
}

// UploadSession is the state of a batch upload session (Session,
// CancelSession, Sessions; the list leaves out the recent files and URLs).
type UploadSession struct {
	SessionID               string             `json:"session_id"`
	Status                  SessionStatus      `json:"status"`
	UploadMethod            string             `json:"upload_method"` // Sessions only: streaming or presigned
	TotalFiles              int                `json:"total_files"`
	CompletedFiles          int                `json:"completed_files"`
	FailedFiles             int                `json:"failed_files"`
	SkippedFiles            int                `json:"skipped_files"`
	PendingFiles            int                `json:"pending_files"`
	ProgressPercentage      float64            `json:"progress_percentage"`
	CreatedAt               Time               `json:"created_at"`
	StartedAt               Time               `json:"started_at"`
	CompletedAt             Time               `json:"completed_at"`
	EstimatedCompletionTime Time               `json:"estimated_completion_time"`
	RecentCompletions       []SessionFile      `json:"recent_completions"`
	RecentErrors            []SessionFileError `json:"recent_errors"`
	ResultsURL              string             `json:"results_url"`
	WebsocketChannel        string             `json:"websocket_channel"`
}

// SessionFile is a recently finished file of a session.
type SessionFile struct {
	Filename         string  `json:"filename"`
	ImageID          string  `json:"image_id"`
	Status           string  `json:"status"`
	Description      string  `json:"description"`
	ProcessingTimeMS float64 `json:"processing_time_ms"`
	ErrorMessage     string  `json:"error_message"`
}

// SessionFileError is a recent failure in a session.
type SessionFileError struct {
	Filename  string `json:"filename"`
	Index     int    `json:"index"` // position of the file in its batch request
	Error     string `json:"error"`
	Retryable bool   `json:"retryable"`
}

// DocumentText is the extracted text of a document.
type DocumentText struct {
	DocumentID string         `json:"document_id"`
	Filename   string         `json:"filename"`
	Text       string         `json:"text"`
	PageCount  int            `json:"page_count"`
	Metadata   map[string]any `json:"metadata"`
}

// DocumentChunks are the text chunks of a document.
type DocumentChunks struct {
	DocumentID   string          `json:"document_id"`
	Chunks       []DocumentChunk `json:"chunks"`
	TotalChunks  int             `json:"total_chunks"`
	StatusCounts map[string]int  `json:"status_counts"`
}

// DocumentChunk is one chunk of a document's text.
type DocumentChunk struct {
	ChunkID          string         `json:"chunk_id"`
	DocumentID       string         `json:"document_id"`
	DocumentFilename string         `json:"document_filename"`
	ChunkIndex       int            `json:"chunk_index"`
	Content          string         `json:"content"`
	PageNumbers      []int          `json:"page_numbers"`
	HeadingHierarchy []string       `json:"heading_hierarchy"`
	SimilarityScore  *float64       `json:"similarity_score"`
	Metadata         map[string]any `json:"metadata"`
	Embedding        []float64      `json:"embedding"`
}
