package scopix

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
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

// Upload uploads the file at path and returns its result as soon as the
// server has stored it (the description runs afterwards; see
// WaitForDescription). Files up to 100 MB go in one multipart POST
// /files/upload; larger files, or any file with p.ForceDirect, use the direct
// upload flow (POST /files/direct-uploads, parts PUT in parallel to presigned
// URLs, POST …/complete); videos (.mp4 .mov .m4v .webm .avi) above 100 MB go
// through Video.Upload (whatever p.ForceDirect says) and return the media id
// as ImageID. Of p, a video takes Title, Tags, AutoDescribe (as
// AutoAnalyze) and Concurrency; OnProgress is called once per chunk the
// server confirmed, with the bytes of the chunks confirmed so far.
// FolderID, ProjectID, SkipDuplicates, StorageTarget, ContentCategory and
// CustomSchemaID have no place in the video flow: one of them set for such
// a video is a *ValidationError naming it, and nothing is sent.
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
		return nil, validationError("r", fmt.Sprintf("uploads above %d MB and direct uploads need an io.ReaderAt (e.g. *os.File)", maxStreamingUploadSize/1000/1000))
	}
	return s.uploadStreaming(ctx, filename, newSequentialSource(r), size, p)
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
	if field := p.notForVideo(); field != "" {
		return nil, validationError(field, "does not apply to a video above 100 MB, which goes through Video.Upload "+
			"(it takes title, tags, auto_describe and concurrency)")
	}
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

// notForVideo names the first param set that Video.Upload has no place
// for, or is "": sending the video without it would drop it unseen.
func (p *UploadParams) notForVideo() string {
	if p == nil {
		return ""
	}
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"folder_id", p.FolderID != ""},
		{"project_id", p.ProjectID != ""},
		{"skip_duplicates", p.SkipDuplicates},
		{"storage_target", p.StorageTarget != ""},
		{"content_category", p.ContentCategory != ""},
		{"custom_schema_id", p.CustomSchemaID != ""},
	} {
		if f.set {
			return f.name
		}
	}
	return ""
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
		// The counter calls it one call at a time, with totals that never
		// go back while no part is sent again.
		report = func(sent int64) {
			p.OnProgress(UploadProgress{Filename: name, SentBytes: sent, TotalBytes: size})
		}
	}
	counter := parts.NewCounter(report)
	etags, err := parts.Run(ctx, plan, p.concurrency(), func(ctx context.Context, part parts.Part) (string, error) {
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
		return s.client.putPart(ctx, urls[part.Number], part.Number, body)
	})
	return etags, err
}

// abortTimeout bounds the best-effort abort sent after a direct or video
// upload failed or was cancelled: it still runs when the caller's context
// was cancelled, in the background, and Client.Close waits for it.
const abortTimeout = 30 * time.Second

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
	s.client.background.cleanup(ctx, abortTimeout, func(actx context.Context) { _ = s.client.do(actx, req, nil) })
}

// Analyze uploads the image at path and waits, on the server, for its
// description, tags and visible text (POST /images/analyze, multipart).
//
// Errors: *ValidationError, *QuotaExceededError, *TimeoutError (the
// server's analysis timeout), and the transport errors of every call.
func (s *FilesService) Analyze(ctx context.Context, path string, p *AnalyzeParams) (*AnalyzeResult, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
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
	return doJSON[AnalyzeResult](ctx, s.client, req)
}

// fileSource is a file's bytes that can be read again for every attempt.
type fileSource interface {
	// section returns a reader over the first size bytes, from the start.
	section(size int64) (io.Reader, error)
}

type readerAtSource struct{ r io.ReaderAt }

func (s readerAtSource) section(size int64) (io.Reader, error) {
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

func newSequentialSource(r io.Reader) *sequentialSource {
	s := &sequentialSource{r: r, used: &atomic.Int64{}}
	if sk, ok := r.(io.Seeker); ok {
		if pos, err := sk.Seek(0, io.SeekCurrent); err == nil {
			s.seeker, s.start = sk, pos
		}
	}
	return s
}

func (s *sequentialSource) section(size int64) (io.Reader, error) {
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
	// at a time). SentBytes goes back only when an attempt is retried.
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
	}
	if err := checkDuration("description_timeout", p.DescriptionTimeout); err != nil {
		return err
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
	return !r.IsFailed() && !r.DescriptionStatus.IsTerminal()
}

// IsCompleted reports a stored file whose description is done (or not wanted).
func (r UploadResult) IsCompleted() bool {
	return !r.IsFailed() && r.DescriptionStatus.IsTerminal()
}
