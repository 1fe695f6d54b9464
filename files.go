package scopix

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
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

// FilesService uploads, lists, describes and downloads files (images,
// documents, videos and links) under /files.
type FilesService service

// AnalyzeURL has the server fetch the public image at imageURL and
// describe it (POST /images/analyze with JSON {url}).
//
// Errors: as Analyze.
func (s *FilesService) AnalyzeURL(ctx context.Context, imageURL string, p *AnalyzeParams) (*AnalyzeResult, error) {
	u, err := url.Parse(imageURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, validationError("url", "want an absolute http(s) URL")
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	body := analyzeURLRequest{URL: imageURL}
	if p != nil {
		body.ContentCategory, body.SkipDuplicates = p.ContentCategory, p.SkipDuplicates
		if p.Timeout > 0 {
			body.Timeout = int(p.Timeout.Round(time.Second) / time.Second)
		}
	}
	return sendJSON[AnalyzeResult](ctx, s.client, http.MethodPost, pathAnalyze, body)
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
	return doJSON[FileList](ctx, s.client, req)
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
	return sendJSON[FileUpdateResult](ctx, s.client, http.MethodPatch, idPath, body)
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
	return doJSON[BatchDeleteResult](ctx, s.client, req)
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
	var out struct {
		URL string `json:"url"`
	}
	target, err := s.client.location(ctx, req, &out)
	switch {
	case err != nil:
		return "", err
	case target != "":
		return target, nil
	case out.URL == "":
		return "", newError(CodeResponseUnreadable, "variant answer carries neither a redirect nor a url", nil)
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

// filePath is the path of the file id; a dot segment or empty id is a
// *ValidationError naming "id".
func filePath(id string) (string, error) {
	seg, err := idSegment("id", id)
	return pathFiles + "/" + seg, err
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

// ---- params ----

// AnalyzeParams are the options of Analyze and AnalyzeURL.
type AnalyzeParams struct {
	ContentCategory string        // the upload categories plus "auto" (default "general")
	SkipDuplicates  bool          // reuse an existing file with the same content
	Timeout         time.Duration // how long the server waits for the description (default 30s; whole seconds)
}

func (p *AnalyzeParams) validate() error {
	if p == nil {
		return nil
	}
	return checkDuration("timeout", p.Timeout)
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

// IsTerminal reports whether the description will not change any more:
// completed, failed or skipped.
func (s DescriptionStatus) IsTerminal() bool {
	return s == DescriptionCompleted || s == DescriptionFailed || s == DescriptionSkipped
}

// Terminal reports whether the description will not change any more.
//
// Deprecated: use IsTerminal, the name every status type uses.
func (s DescriptionStatus) Terminal() bool { return s.IsTerminal() }

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

// IsTerminal reports whether the session has ended: completed, partial,
// failed, expired or cancelled.
func (s SessionStatus) IsTerminal() bool {
	return s == SessionCompleted || s == SessionPartial || s.ended()
}

// ---- results ----

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
		return p.DescriptionStatus.IsTerminal()
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
