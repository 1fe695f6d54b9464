package fakeapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxStoredBytes bounds the bytes kept per file; larger files keep only
// their size and sha256, so big uploads do not grow the test process.
const maxStoredBytes = 16 << 20

// File is a stored file.
type File struct {
	ID               string
	Filename         string
	Title            string
	ContentType      string
	MediaType        string // image, document, video
	Tags             []string
	Size             int64
	SHA256           string
	Data             []byte // nil when Size > maxStoredBytes
	FolderID         string
	ContentCategory  string
	CreatedAt        time.Time
	DescribeFails    bool
	DescriptionDelay time.Duration
	Description      string
	VisibleText      string
	Deleted          bool
	ProjectID        string
	StorageTarget    string
	ObjectKey        string
	UploadMethod     string // STREAMING, BATCH, DIRECT, ANALYZE
	AutoDescribe     bool   // false: the description is skipped
	TextFails        bool   // documents: text extraction fails
	SessionID        string // the batch session that created it
}

type filesState struct {
	byID  map[string]*File
	order []string          // ids in creation order
	bySHA map[string]string // sha256 → id, for skip_duplicates

	sessions        map[string]*batchSession
	sessionOrder    []string // session ids in creation order
	lastCreated     time.Time
	direct          map[string]*directUpload
	directOrder     []string
	uploaded        int // files created by uploads, counted against the quota
	quota           int // runtime quota (when quotaSet)
	quotaSet        bool
	failAfterStore  int             // next uploads store, then answer 503
	failDescNames   map[string]bool // filenames whose description fails
	partFaults      map[int]*partFault
	rejectFilenames map[string]string // filename → rejection reason
}

type partFault struct{ remaining, status int }

// copyBuffers lends the buffers multipart file parts are read through, so
// the fake does not allocate one per file (memory measurements of the
// client would count it).
var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// bodyBuffers lends read buffers of one size and keeps a few for reuse. It
// is not a sync.Pool, which every garbage collection empties: the fake
// making new buffers would count against the client in the benchmarks'
// memory figures, client and fake sharing a process.
type bodyBuffers struct {
	size int
	free chan []byte
}

// keptBodyBuffers is how many idle buffers a server keeps.
const keptBodyBuffers = 8

func newBodyBuffers(size int) *bodyBuffers {
	return &bodyBuffers{size: size, free: make(chan []byte, keptBodyBuffers)}
}

func (b *bodyBuffers) get() []byte {
	select {
	case buf := <-b.free:
		return buf
	default:
		return make([]byte, b.size)
	}
}

func (b *bodyBuffers) put(buf []byte) {
	select {
	case b.free <- buf:
	default:
	}
}

// storageBufferSize is the size of the buffers storage reads bodies into:
// under Options.LeanStorage 1 MiB, so a read takes whatever the socket
// holds, in about 30 times fewer system calls than at 32 KiB (the fake's
// reads otherwise took more CPU than the client's sends); else 64 KiB.
func storageBufferSize(opts Options) int {
	if opts.LeanStorage {
		return 1 << 20
	}
	return 64 << 10
}

// castagnoli is the CRC-32C table of lean storage (S3's crc32c checksum;
// hardware-assisted on amd64 and arm64).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// storageHash is the checksum the presigned storage keeps of each part or
// chunk it receives: SHA-256, or CRC-32C under Options.LeanStorage, which
// costs the fake a small fraction of the CPU per byte.
func (s *Server) storageHash() hash.Hash {
	if s.opts.LeanStorage {
		return crc32.New(castagnoli)
	}
	return sha256.New()
}

// storageETag is the ETag storage answers for a body with checksum sum:
// its first 16 bytes in hex (all 4 of a CRC-32C), quoted as S3 quotes it.
func storageETag(sum []byte) string {
	return `"` + hex.EncodeToString(sum[:min(16, len(sum))]) + `"`
}

// directUpload is one direct (presigned, multipart) upload.
type directUpload struct {
	ID        string
	Init      map[string]any
	Filename  string
	Size      int64
	PartSize  int64
	Parts     int
	received  map[int]receivedPart
	Completed []int // part numbers in the order complete listed them
	Done      bool
	Aborted   bool
	FileID    string
}

type receivedPart struct {
	etag string
	sum  []byte
	size int64
}

// DirectUpload is the public view of a direct upload, for tests.
type DirectUpload struct {
	ID             string
	Filename       string
	Size           int64
	PartSize       int64
	Parts          int   // parts planned
	PartsReceived  int   // parts stored
	CompletedParts []int // part numbers as complete listed them
	Completed      bool
	Aborted        bool
	FileID         string
}

func (f *filesState) init() {
	f.byID = map[string]*File{}
	f.bySHA = map[string]string{}
	f.sessions = map[string]*batchSession{}
	f.direct = map[string]*directUpload{}
	f.failDescNames = map[string]bool{}
	f.partFaults = map[int]*partFault{}
	f.rejectFilenames = map[string]string{}
}

// SHA256Hex returns the hex sha256 of data.
func SHA256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// addFileLocked stores f (the caller holds the lock), giving it an id and a
// creation time, and the server's description delay and failure setting.
func (s *Server) addFileLocked(f *File) *File {
	if f.ID == "" {
		f.ID = s.NewID("img")
	}
	if f.CreatedAt.IsZero() {
		// Creation times rise by at least a microsecond (the precision
		// answers carry), so files keep their upload order by time.
		f.CreatedAt = time.Now().Truncate(time.Microsecond)
		if last := s.state.files.lastCreated; !f.CreatedAt.After(last) {
			f.CreatedAt = last.Add(time.Microsecond)
		}
		s.state.files.lastCreated = f.CreatedAt
	}
	if f.MediaType == "" {
		f.MediaType = "image"
	}
	f.DescriptionDelay = s.opts.DescriptionDelay
	f.DescribeFails = f.DescribeFails || s.opts.FailDescriptions
	if len(f.Data) > maxStoredBytes {
		f.Data = nil
	}
	s.state.files.byID[f.ID] = f
	s.state.files.order = append(s.state.files.order, f.ID)
	if f.SHA256 != "" {
		s.state.files.bySHA[f.SHA256] = f.ID
	}
	return f
}

// descriptionStatus is computed from the clock: pending until the delay
// passes, then completed (or failed when the file is set to fail).
func (f *File) descriptionStatus(now time.Time) string {
	if f.UploadMethod != "" && !f.AutoDescribe {
		return "skipped"
	}
	if f.DescriptionDelay > 0 && now.Sub(f.CreatedAt) < f.DescriptionDelay {
		return "pending"
	}
	if f.DescribeFails {
		return "failed"
	}
	return "completed"
}

// textStatus is the text extraction state of a document ("" otherwise).
func (f *File) textStatus(now time.Time) string {
	if f.MediaType != "document" {
		return ""
	}
	if f.DescriptionDelay > 0 && now.Sub(f.CreatedAt) < f.DescriptionDelay {
		return "processing"
	}
	if f.TextFails {
		return "failed"
	}
	return "completed"
}

// Files returns copies of the live (not deleted) files in creation order.
func (s *Server) Files() []File {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]File, 0, len(s.state.files.order))
	for _, id := range s.state.files.order {
		if f := s.state.files.byID[id]; f != nil && !f.Deleted {
			out = append(out, *f)
		}
	}
	return out
}

// ---- knobs ----

// SetUploadQuota allows n more files in all (counting those uploaded so
// far); 0 means unlimited. It overrides Options.UploadQuota.
func (s *Server) SetUploadQuota(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.files.quota, s.state.files.quotaSet = n, true
}

// FailDescription makes the description of an existing file fail.
func (s *Server) FailDescription(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.state.files.byID[id]; f != nil {
		f.DescribeFails = true
	}
}

// FailDescriptionsFor makes the descriptions of files uploaded later under
// any of these filenames fail.
func (s *Server) FailDescriptionsFor(filenames ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range filenames {
		s.state.files.failDescNames[n] = true
	}
}

// FailTextExtraction makes the text extraction of an existing document fail.
func (s *Server) FailTextExtraction(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.state.files.byID[id]; f != nil {
		f.TextFails = true
	}
}

// RejectFilenames makes batch uploads reject files with these names, with reason.
func (s *Server) RejectFilenames(reason string, filenames ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range filenames {
		s.state.files.rejectFilenames[n] = reason
	}
}

// FailUploadsAfterStoring makes the next n upload requests (single or
// batch) store their files and then answer 503, as if the response was lost.
func (s *Server) FailUploadsAfterStoring(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.files.failAfterStore = n
}

// FailDirectUploadPart makes the next n PUTs of part number part (of any
// direct upload) answer status.
func (s *Server) FailDirectUploadPart(part, n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.files.partFaults[part] = &partFault{remaining: n, status: status}
}

// DirectUploads returns the direct uploads started so far, in order.
func (s *Server) DirectUploads() []DirectUpload {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]DirectUpload, 0, len(s.state.files.directOrder))
	for _, id := range s.state.files.directOrder {
		d := s.state.files.direct[id]
		out = append(out, DirectUpload{ID: d.ID, Filename: d.Filename, Size: d.Size, PartSize: d.PartSize,
			Parts: d.Parts, PartsReceived: len(d.received), CompletedParts: slices.Clone(d.Completed),
			Completed: d.Done, Aborted: d.Aborted, FileID: d.FileID})
	}
	return out
}

// filesRoutes are the routes files.go serves.
func (s *Server) filesRoutes() []route {
	return []route{
		{"POST /files/upload", s.handleUpload},
		{"POST /images/analyze", s.handleAnalyze},
		{"POST /files/direct-uploads", s.handleDirectInit},
		{"POST /files/direct-uploads/{id}/complete", s.handleDirectComplete},
		{"DELETE /files/direct-uploads/{id}", s.handleDirectAbort},
		{"PUT /storage/direct/{id}/{part}", s.handleDirectPart},
		{"GET /files", s.handleListFiles},
		{"GET /files/{id}", s.handleGetFile},
		{"PATCH /files/{id}", s.handleUpdateFile},
		{"DELETE /files/{id}", s.handleDeleteFile},
		{"POST /files/batch-delete", s.handleBatchDelete},
		{"GET /files/{id}/status", s.handleFileStatus},
		{"GET /files/{id}/variants/{variant}", s.handleVariant},
		{"GET /files/{id}/download", s.handleDownload},
		{"POST /files/{id}/trigger-variants", s.handleTriggerVariants},
		{"GET /storage/files/{id}/{variant}", s.handleStorageGet},
		{"GET /files/{id}/text", s.handleText},
		{"GET /files/{id}/chunks", s.handleChunks},
	}
}

// ---- uploads ----

// uploadOptions are the form fields of an upload.
type uploadOptions struct {
	title, folderID, projectID, category, storageTarget string
	tags                                                []string
	autoDescribe, skipDuplicates                        bool
}

func (o *uploadOptions) set(name, value string) {
	switch name {
	case "title":
		o.title = value
	case "tags":
		for _, t := range strings.Split(value, ",") {
			if t = strings.TrimSpace(t); t != "" {
				o.tags = append(o.tags, t)
			}
		}
	case "auto_describe":
		o.autoDescribe = value != "false"
	case "skip_duplicates":
		o.skipDuplicates = value == "true"
	case "folder_id":
		o.folderID = value
	case "project_id":
		o.projectID = value
	case "content_category":
		o.category = value
	case "storage_target":
		o.storageTarget = value
	}
}

// receivedFile is a file part read from a multipart body.
type receivedFile struct {
	filename, contentType string
	size                  int64
	sha                   string
	data                  []byte
	head                  []byte
}

// readFilePart streams a part into sha256, keeping at most maxStoredBytes.
func readFilePart(p *multipart.Part) (receivedFile, error) {
	rf := receivedFile{filename: p.FileName(), contentType: p.Header.Get("Content-Type")}
	h := sha256.New()
	bufp := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(bufp)
	chunk := *bufp
	var kept []byte
	for {
		n, err := p.Read(chunk)
		if n > 0 {
			h.Write(chunk[:n])
			rf.size += int64(n)
			if len(kept)+n <= maxStoredBytes {
				kept = append(kept, chunk[:n]...)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return rf, err
		}
	}
	rf.sha = hex.EncodeToString(h.Sum(nil))
	if rf.size <= maxStoredBytes {
		rf.data = kept
	}
	rf.head = kept[:min(len(kept), 8)]
	return rf, nil
}

// readUploadForm reads a multipart upload: the fields and the parts named fileField.
func readUploadForm(w http.ResponseWriter, r *http.Request, fileField string) (uploadOptions, []receivedFile, bool) {
	opts := uploadOptions{autoDescribe: true}
	mr, err := r.MultipartReader()
	if err != nil {
		WriteError(w, http.StatusBadRequest, "VALIDATION_ERROR", "want multipart/form-data")
		return opts, nil, false
	}
	var files []receivedFile
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			WriteError(w, http.StatusBadRequest, "VALIDATION_ERROR", "malformed multipart body: "+err.Error())
			return opts, nil, false
		}
		if p.FileName() == "" {
			v, _ := io.ReadAll(io.LimitReader(p, 64<<10))
			opts.set(p.FormName(), string(v))
			continue
		}
		if p.FormName() != fileField {
			_, _ = io.Copy(io.Discard, p)
			continue
		}
		rf, err := readFilePart(p)
		if err != nil {
			WriteError(w, http.StatusBadRequest, "VALIDATION_ERROR", "file part cut short")
			return opts, nil, false
		}
		files = append(files, rf)
	}
	if len(files) == 0 {
		writeDetail(w, http.StatusUnprocessableEntity, []string{"body", fileField}, "field required", "value_error.missing")
		return opts, nil, false
	}
	return opts, files, true
}

// rejectReason says why the fake refuses a file's content ("" accepts it).
func (s *Server) rejectReasonLocked(rf receivedFile) string {
	if reason, ok := s.state.files.rejectFilenames[rf.filename]; ok {
		return reason
	}
	switch {
	case rf.size == 0:
		return "empty file"
	case bytes.HasPrefix(rf.head, []byte("MZ")), bytes.HasPrefix(rf.head, []byte("#!")), bytes.HasPrefix(rf.head, []byte("\x7fELF")):
		return "unsafe file type"
	}
	return ""
}

func mediaTypeOf(filename string) string {
	switch strings.ToLower(filepath.Ext(filename)) {
	case ".pdf", ".docx", ".txt", ".md":
		return "document"
	case ".mp4", ".mov", ".m4v", ".webm", ".avi":
		return "video"
	}
	return "image"
}

func documentTypeOf(filename string) string {
	if mediaTypeOf(filename) != "document" {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(filepath.Ext(filename)), ".")
}

// quotaLeftLocked is how many more files may be uploaded (-1: unlimited).
func (s *Server) quotaLeftLocked() (left, limit int) {
	limit = s.opts.UploadQuota
	if s.state.files.quotaSet {
		limit = s.state.files.quota
	}
	if limit <= 0 {
		return -1, 0
	}
	return max(limit-s.state.files.uploaded, 0), limit
}

func writeQuotaError(w http.ResponseWriter, left, limit int) {
	WriteErrorDetails(w, http.StatusForbidden, "QUOTA_EXCEEDED", "Monthly upload quota exceeded",
		map[string]any{"available": left, "limit": limit})
}

// storeLocked stores one received file or finds its duplicate.
func (s *Server) storeLocked(rf receivedFile, o uploadOptions, method string) (f *File, duplicate bool) {
	if o.skipDuplicates {
		if id, ok := s.state.files.bySHA[rf.sha]; ok {
			if existing := s.state.files.byID[id]; existing != nil && !existing.Deleted {
				return existing, true
			}
		}
	}
	ct := rf.contentType
	if ct == "" || ct == "application/octet-stream" {
		ct = mime.TypeByExtension(filepath.Ext(rf.filename))
	}
	f = &File{
		Filename: rf.filename, Title: o.title, ContentType: ct, MediaType: mediaTypeOf(rf.filename),
		Tags: slices.Clone(o.tags), Size: rf.size, SHA256: rf.sha, Data: rf.data, FolderID: o.folderID,
		ContentCategory: cmpOr(o.category, "general"), ProjectID: o.projectID, StorageTarget: cmpOr(o.storageTarget, "default"),
		UploadMethod: method, AutoDescribe: o.autoDescribe, DescribeFails: s.state.files.failDescNames[rf.filename],
	}
	if f.Tags == nil {
		f.Tags = []string{}
	}
	s.addFileLocked(f)
	f.ObjectKey = "uploads/" + f.ID + "/" + rf.filename
	s.state.files.uploaded++
	return f, false
}

func cmpOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// takeFailAfterStoreLocked reports whether this upload's answer is to be lost.
func (s *Server) takeFailAfterStoreLocked() bool {
	if s.state.files.failAfterStore > 0 {
		s.state.files.failAfterStore--
		return true
	}
	return false
}

func (s *Server) uploadResultJSON(f *File, duplicate bool, now time.Time) map[string]any {
	m := map[string]any{
		"image_id": f.ID, "filename": f.Filename, "object_key": f.ObjectKey, "upload_method": f.UploadMethod,
		"status": "completed", "processing_time_ms": 1.5, "s3_upload_completed": true, "variants_queued": f.MediaType == "image",
		"description_queued": f.AutoDescribe, "skipped": duplicate, "skipped_existing_image_id": nil,
		"storage_target": f.StorageTarget, "media_type": f.MediaType, "document_type": nilIfEmpty(documentTypeOf(f.Filename)),
		"text_extraction_status": nilIfEmpty(f.textStatus(now)), "description_status": f.descriptionStatus(now),
		"created_at": f.CreatedAt.UTC().Format(time.RFC3339Nano), "error": nil,
		"description": nil, "tags": f.Tags, "visible_text": nil, "thumbnail_url": s.StorageURL("files/" + f.ID + "/tiny_64"),
	}
	if duplicate {
		m["status"] = "skipped"
		m["skipped_existing_image_id"] = f.ID
	}
	if f.descriptionStatus(now) == "completed" {
		m["description"], m["visible_text"] = describe(f), f.VisibleText
	}
	return m
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func describe(f *File) string {
	if f.Description != "" {
		return f.Description
	}
	return "A fake description of " + f.Filename
}

func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	opts, files, ok := readUploadForm(w, r, "file")
	if !ok {
		return
	}
	rf := files[0]
	now := time.Now()
	s.Lock()
	if reason := s.rejectReasonLocked(rf); reason != "" {
		s.Unlock()
		WriteError(w, http.StatusBadRequest, "VALIDATION_ERROR", reason)
		return
	}
	if left, limit := s.quotaLeftLocked(); left == 0 {
		s.Unlock()
		writeQuotaError(w, left, limit)
		return
	}
	f, dup := s.storeLocked(rf, opts, "STREAMING")
	res := s.uploadResultJSON(f, dup, now)
	lost := s.takeFailAfterStoreLocked()
	s.Unlock()
	if lost {
		WriteError(w, http.StatusServiceUnavailable, "INTERNAL_ERROR", "upstream timeout")
		return
	}
	status := http.StatusCreated
	if dup {
		status = http.StatusOK
	}
	WriteJSON(w, status, res)
}

func (s *Server) handleAnalyze(w http.ResponseWriter, r *http.Request) {
	rf, opts, ok := readAnalyzeInput(w, r)
	if !ok {
		return
	}
	s.Lock()
	if reason := s.rejectReasonLocked(rf); reason != "" {
		s.Unlock()
		WriteError(w, http.StatusBadRequest, "VALIDATION_ERROR", reason)
		return
	}
	if left, limit := s.quotaLeftLocked(); left == 0 {
		s.Unlock()
		writeQuotaError(w, left, limit)
		return
	}
	opts.autoDescribe = true
	f, dup := s.storeLocked(rf, opts, "ANALYZE")
	f.DescriptionDelay = 0 // analyze waits for the description on the server
	res := analyzeResultJSON(f, dup, time.Now())
	s.Unlock()
	WriteJSON(w, http.StatusOK, res)
}

// readAnalyzeInput reads the image to analyze: JSON {url} or {base64}, or
// a multipart "file" (documented (Scopix files.md §7)). When it returns
// false it has answered the request.
func readAnalyzeInput(w http.ResponseWriter, r *http.Request) (receivedFile, uploadOptions, bool) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		opts, files, ok := readUploadForm(w, r, "file")
		if !ok {
			return receivedFile{}, opts, false
		}
		return files[0], opts, true
	}
	var body struct {
		URL             string `json:"url"`
		Base64          string `json:"base64"`
		ContentCategory string `json:"content_category"`
		SkipDuplicates  bool   `json:"skip_duplicates"`
		// Seconds the server waits for the description. The fake's
		// description is ready at once, so it changes nothing here.
		Timeout *int `json:"timeout"`
	}
	if !ReadJSON(w, r, &body) {
		return receivedFile{}, uploadOptions{}, false
	}
	opts := uploadOptions{category: body.ContentCategory, skipDuplicates: body.SkipDuplicates, autoDescribe: true}
	switch {
	case body.URL != "" && body.Base64 != "":
		// inferred: the reference says url or base64, not what answers both.
		validationDetail(w, "base64", "give url or base64, not both")
	case body.Base64 != "":
		data, err := base64.StdEncoding.DecodeString(body.Base64)
		if err != nil {
			validationDetail(w, "base64", "not valid base64: "+err.Error())
			return receivedFile{}, opts, false
		}
		return receivedFile{filename: "image", contentType: http.DetectContentType(data), size: int64(len(data)),
			sha: SHA256Hex(data), data: data, head: data[:min(len(data), 8)]}, opts, true
	case body.URL != "":
		data := []byte(body.URL)
		return receivedFile{filename: filepath.Base(body.URL), size: int64(len(data)), sha: SHA256Hex(data), data: data, head: data}, opts, true
	default:
		WriteError(w, http.StatusBadRequest, "VALIDATION_ERROR", "url, base64 or file required")
	}
	return receivedFile{}, opts, false
}

// analyzeResultJSON is the answer of POST /images/analyze for f; dup says
// f was found as a duplicate rather than stored. Its shape is inferred:
// Scopix files.md §7 says the response is not readable in the reference
// and guesses image id, description, tags, visible text and description
// status; the other fields are those of an upload result.
func analyzeResultJSON(f *File, dup bool, now time.Time) map[string]any {
	status := f.descriptionStatus(now)
	res := map[string]any{
		"image_id": f.ID, "filename": f.Filename, "description_status": status, "tags": []string{"fake", "analyzed"},
		"visible_text": f.VisibleText, "content_category": f.ContentCategory, "processing_time_ms": 12.0,
		"skipped": dup, "created_at": f.CreatedAt.UTC().Format(time.RFC3339Nano), "confidence_score": nil,
		"description": nil,
	}
	if status == "completed" {
		res["description"] = describe(f)
	} else {
		res["description_error"] = "description failed"
	}
	if dup {
		res["skipped_existing_image_id"] = f.ID
	}
	return res
}

// ---- direct uploads ----
//
// The direct-upload wire is inferred (Scopix files.md §6 documents only its
// three steps): the field names, the parts of the init answer, the
// complete body {"parts": [{part_number, etag}]} and its refusals follow
// S3's multipart conventions, as §6 assumes.

func (s *Server) handleDirectInit(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if !ReadJSON(w, r, &body) {
		return
	}
	filename, _ := body["filename"].(string)
	sizeF, _ := body["size_bytes"].(float64)
	size := int64(sizeF)
	if filename == "" || size <= 0 {
		validationDetail(w, "size_bytes", "filename and a positive size_bytes are required")
		return
	}
	s.Lock()
	defer s.Unlock()
	if left, limit := s.quotaLeftLocked(); left == 0 {
		writeQuotaError(w, left, limit)
		return
	}
	partSize := s.opts.DirectUploadPartSize
	d := &directUpload{ID: s.NewID("dup"), Init: body, Filename: filename, Size: size, PartSize: partSize, received: map[int]receivedPart{}}
	var partsOut []any
	for off, n := int64(0), 1; off < size; off, n = off+partSize, n+1 {
		partsOut = append(partsOut, map[string]any{"part_number": n, "size_bytes": min(partSize, size-off),
			"url": s.StorageURL(fmt.Sprintf("direct/%s/%d", d.ID, n))})
		d.Parts = n
	}
	s.state.files.direct[d.ID] = d
	s.state.files.directOrder = append(s.state.files.directOrder, d.ID)
	WriteJSON(w, http.StatusCreated, map[string]any{
		"upload_id": d.ID, "object_key": "uploads/" + d.ID + "/" + filename, "part_size_bytes": partSize,
		"parts": partsOut, "expires_at": time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
	})
}

// handleDirectPart stores one part: its bytes are streamed into the
// storage checksum and dropped, so parts of any size cost no memory.
func (s *Server) handleDirectPart(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	n, _ := strconv.Atoi(r.PathValue("part"))
	s.Lock()
	d := s.state.files.direct[id]
	var fault *partFault
	if pf := s.state.files.partFaults[n]; pf != nil && pf.remaining > 0 {
		pf.remaining--
		fault = pf
	}
	s.Unlock()
	if fault != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		WriteError(w, fault.status, "InternalError", "injected part failure")
		return
	}
	if d == nil || n < 1 || n > d.Parts || d.Aborted || d.Done {
		WriteJSON(w, http.StatusNotFound, map[string]any{"error": "NoSuchUpload", "message": "no such upload or part"})
		return
	}
	// inferred (S3's answer to a short part, files.md §6): a part of
	// another size than planned is refused with IncompleteBody.
	want := min(d.PartSize, d.Size-int64(n-1)*d.PartSize)
	if r.ContentLength != want {
		_, _ = io.Copy(io.Discard, r.Body)
		WriteJSON(w, http.StatusBadRequest, map[string]any{"error": "IncompleteBody",
			"message": fmt.Sprintf("part %d: Content-Length %d, want %d", n, r.ContentLength, want)})
		return
	}
	h := s.storageHash()
	buf := s.storageBuffers.get()
	got, err := io.CopyBuffer(h, r.Body, buf)
	s.storageBuffers.put(buf)
	if err != nil || got != want {
		WriteJSON(w, http.StatusBadRequest, map[string]any{"error": "IncompleteBody", "message": "body shorter than Content-Length"})
		return
	}
	sum := h.Sum(nil)
	etag := storageETag(sum)
	s.Lock()
	d.received[n] = receivedPart{etag: etag, sum: sum, size: got}
	s.Unlock()
	w.Header().Set("ETag", etag)
	w.WriteHeader(http.StatusOK)
}

// completedPart is one entry of a direct upload's complete request.
type completedPart struct {
	PartNumber int    `json:"part_number"`
	ETag       string `json:"etag"`
}

// complete records the parts a complete request lists and checks them as
// S3's CompleteMultipartUpload does: ascending, each received with that
// ETag, all of them. A refusal returns its error code and message
// (InvalidPartOrder, InvalidPart), which the handler answers with 400:
// codes and status inferred from S3 (files.md §6).
func (d *directUpload) complete(parts []completedPart) (code, msg string) {
	d.Completed = d.Completed[:0]
	for i, p := range parts {
		d.Completed = append(d.Completed, p.PartNumber)
		if i > 0 && parts[i-1].PartNumber >= p.PartNumber {
			return "InvalidPartOrder", "parts must be listed in ascending order"
		}
		got, ok := d.received[p.PartNumber]
		if !ok || got.etag != p.ETag {
			return "InvalidPart", fmt.Sprintf("part %d missing or its ETag does not match", p.PartNumber)
		}
	}
	if len(parts) != d.Parts {
		return "InvalidPart", fmt.Sprintf("%d of %d parts listed", len(parts), d.Parts)
	}
	return "", ""
}

// directUploadOptions reads the upload options the initiate request carried.
func directUploadOptions(init map[string]any) uploadOptions {
	opts := uploadOptions{autoDescribe: true}
	for k, v := range init {
		switch val := v.(type) {
		case string:
			opts.set(k, val)
		case bool:
			opts.set(k, strconv.FormatBool(val))
		case []any:
			for _, t := range val {
				if ts, ok := t.(string); ok {
					opts.tags = append(opts.tags, ts)
				}
			}
		}
	}
	return opts
}

func (s *Server) handleDirectComplete(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Parts []completedPart `json:"parts"` // inferred (files.md §6)
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	now := time.Now()
	s.Lock()
	defer s.Unlock()
	d := s.state.files.direct[r.PathValue("id")]
	if d == nil || d.Aborted {
		WriteErrorDetails(w, http.StatusNotFound, "NOT_FOUND", "no such direct upload",
			map[string]any{"resource_type": "direct_upload", "resource_id": r.PathValue("id")})
		return
	}
	if d.Done {
		// A repeated complete answers with the file it created.
		WriteJSON(w, http.StatusOK, s.directResultJSON(s.state.files.byID[d.FileID], false, now))
		return
	}
	if code, msg := d.complete(body.Parts); code != "" {
		WriteError(w, http.StatusBadRequest, code, msg)
		return
	}
	h := sha256.New()
	for n := 1; n <= d.Parts; n++ {
		h.Write(d.received[n].sum)
	}
	opts := directUploadOptions(d.Init)
	ct, _ := d.Init["content_type"].(string)
	f, dup := s.storeLocked(receivedFile{filename: d.Filename, contentType: ct, size: d.Size,
		sha: "multipart-" + hex.EncodeToString(h.Sum(nil))}, opts, "DIRECT")
	d.Done, d.FileID = true, f.ID
	WriteJSON(w, http.StatusOK, s.directResultJSON(f, dup, now))
}

func (s *Server) directResultJSON(f *File, dup bool, now time.Time) map[string]any {
	m := s.uploadResultJSON(f, false, now)
	m["deduplicated"] = dup
	m["status"] = "processing"
	return m
}

func (s *Server) handleDirectAbort(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	d := s.state.files.direct[r.PathValue("id")]
	if d == nil {
		WriteErrorDetails(w, http.StatusNotFound, "NOT_FOUND", "no such direct upload",
			map[string]any{"resource_type": "direct_upload", "resource_id": r.PathValue("id")})
		return
	}
	d.Aborted = true
	d.received = map[int]receivedPart{}
	WriteJSON(w, http.StatusOK, map[string]any{"upload_id": d.ID, "status": "aborted"})
}

// ---- files ----

// liveFileLocked returns a live file or writes 404.
func (s *Server) liveFileLocked(w http.ResponseWriter, id string) *File {
	f := s.state.files.byID[id]
	if f == nil || f.Deleted {
		WriteErrorDetails(w, http.StatusNotFound, "NOT_FOUND", "File not found",
			map[string]any{"resource_type": "file", "resource_id": id})
		return nil
	}
	return f
}

func (s *Server) fileSummaryJSON(f *File, now time.Time) map[string]any {
	ds := f.descriptionStatus(now)
	m := map[string]any{
		"id": f.ID, "title": nilIfEmpty(f.Title), "filename": f.Filename, "size_bytes": f.Size,
		"has_full_description": ds == "completed", "thumbnail_url": s.StorageURL("files/" + f.ID + "/tiny_64"),
		"upload_description": nil, "visible_text": nil, "tags": f.Tags, "created_at": NaiveTime(f.CreatedAt),
		"content_created_at": nil, "dimensions": nil, "format": nil, "variant_status": "completed", "variant_count": 4,
		"medium_url": nil, "full_url": nil, "blur_hash": nil, "description_status": ds, "description_error": nil,
		"variant_error": nil, "confidence_score": nil, "content_type": nilIfEmpty(f.ContentType), "media_type": f.MediaType,
		"content_category": f.ContentCategory, "folder_id": nilIfEmpty(f.FolderID),
		"document_type": nilIfEmpty(documentTypeOf(f.Filename)), "text_extraction_status": nilIfEmpty(f.textStatus(now)),
		"page_count": nil, "chunk_count": nil,
	}
	switch ds {
	case "completed":
		m["upload_description"], m["visible_text"] = describe(f), f.VisibleText
	case "failed":
		m["description_error"] = "the AI provider could not describe this file"
	}
	if f.MediaType == "image" {
		m["dimensions"] = map[string]any{"width": 640, "height": 480}
		m["format"] = strings.TrimPrefix(strings.ToLower(filepath.Ext(f.Filename)), ".")
	}
	if f.MediaType == "link" {
		s.linkFieldsLocked(f, m, now)
	}
	return m
}

func (s *Server) fileDetailsJSON(f *File, now time.Time) map[string]any {
	m := s.fileSummaryJSON(f, now)
	delete(m, "has_full_description")
	m["object_key"] = f.ObjectKey
	m["hash"] = f.SHA256
	m["original_url"] = s.StorageURL("files/" + f.ID + "/original")
	m["upload_method"] = f.UploadMethod
	m["original_filename"] = f.Filename
	m["updated_at"] = nil
	m["full_descriptions"] = []any{}
	m["processing_history"] = []any{}
	m["description_generated_at"] = nil
	if m["description_status"] == "failed" {
		m["description_error_type"] = "provider_error"
		m["description_is_retryable"] = true
	}
	if m["description_status"] == "completed" {
		at := f.CreatedAt.Add(f.DescriptionDelay).UTC().Format(time.RFC3339Nano)
		m["description_generated_at"] = NaiveTime(f.CreatedAt.Add(f.DescriptionDelay))
		m["full_descriptions"] = []any{map[string]any{"id": f.ID + "_d1", "description": describe(f),
			"visible_text": nil, "confidence_score": nil, "created_at": at}}
	}
	return m
}

func (s *Server) handleListFiles(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, offset, ok := pageParams(w, r, 20)
	if !ok {
		return
	}
	var from, to time.Time
	for _, d := range []struct {
		name string
		dst  *time.Time
	}{{"date_from", &from}, {"date_to", &to}} {
		if v := q.Get(d.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				WriteError(w, http.StatusUnprocessableEntity, "VALIDATION_ERROR", d.name+" must be ISO-8601")
				return
			}
			*d.dst = t
		}
	}
	now := time.Now()
	s.Lock()
	var match []*File
	for _, id := range s.state.files.order {
		f := s.state.files.byID[id]
		if f.Deleted || !fileMatches(f, q, from, to, now) || !s.crawlStatusMatchesLocked(f, q.Get("crawl_status"), now) {
			continue
		}
		match = append(match, f)
	}
	if q.Get("sort_order") != "asc" {
		slices.Reverse(match)
	}
	if q.Get("sort_by") == "title" {
		sort.SliceStable(match, func(i, j int) bool { return match[i].Title < match[j].Title })
	}
	items := []any{}
	for i := offset; i < len(match) && i < offset+limit; i++ {
		items = append(items, s.fileSummaryJSON(match[i], now))
	}
	s.Unlock()
	// documented (predecessor api/files.md): the page lists its files under "files".
	WriteJSON(w, http.StatusOK, map[string]any{"files": items, "total_count": len(match), "has_more": offset+limit < len(match)})
}

func fileMatches(f *File, q map[string][]string, from, to time.Time, now time.Time) bool {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	if search := strings.ToLower(get("search")); search != "" &&
		!strings.Contains(strings.ToLower(f.Title+" "+f.Filename+" "+describe(f)), search) {
		return false
	}
	for _, t := range q["tags"] {
		if !slices.Contains(f.Tags, t) {
			return false
		}
	}
	if mts := q["media_types"]; len(mts) > 0 && !slices.Contains(mts, f.MediaType) {
		return false
	}
	if ids := q["ids"]; len(ids) > 0 && !slices.Contains(ids, f.ID) {
		return false
	}
	if v := get("folder_id"); v != "" && f.FolderID != v {
		return false
	}
	if v := get("has_description"); v != "" && (f.descriptionStatus(now) == "completed") != (v == "true") {
		return false
	}
	if !from.IsZero() && f.CreatedAt.Before(from) || !to.IsZero() && f.CreatedAt.After(to) {
		return false
	}
	return true
}

func (s *Server) handleGetFile(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	if f := s.liveFileLocked(w, r.PathValue("id")); f != nil {
		WriteJSON(w, http.StatusOK, s.fileDetailsJSON(f, time.Now()))
	}
}

func (s *Server) handleUpdateFile(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Title *string  `json:"title"`
		Tags  []string `json:"tags"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	s.Lock()
	defer s.Unlock()
	f := s.liveFileLocked(w, r.PathValue("id"))
	if f == nil {
		return
	}
	if body.Title != nil {
		f.Title = *body.Title
	}
	if body.Tags != nil {
		f.Tags = body.Tags
	}
	WriteJSON(w, http.StatusOK, map[string]any{"id": f.ID, "title": f.Title, "tags": f.Tags,
		"updated_at": time.Now().UTC().Format(time.RFC3339Nano)})
}

func (s *Server) handleDeleteFile(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	f := s.liveFileLocked(w, r.PathValue("id"))
	if f == nil {
		return
	}
	s.deleteLocked(f)
	WriteJSON(w, http.StatusOK, map[string]any{"id": f.ID, "deleted_at": time.Now().UTC().Format(time.RFC3339Nano),
		"message": "File deleted; recoverable for 30 days"})
}

func (s *Server) deleteLocked(f *File) {
	f.Deleted = true
	if s.state.files.bySHA[f.SHA256] == f.ID {
		delete(s.state.files.bySHA, f.SHA256)
	}
}

func (s *Server) handleBatchDelete(w http.ResponseWriter, r *http.Request) {
	var body struct {
		FileIDs []string `json:"file_ids"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	if len(body.FileIDs) == 0 || len(body.FileIDs) > 100 {
		WriteError(w, http.StatusBadRequest, "VALIDATION_ERROR", "file_ids must hold 1-100 ids")
		return
	}
	now := time.Now()
	s.Lock()
	defer s.Unlock()
	deleted, skipped, failed := []any{}, []any{}, []any{}
	for _, id := range body.FileIDs {
		f := s.state.files.byID[id]
		switch {
		case f == nil || f.Deleted:
			failed = append(failed, map[string]any{"id": id, "status": "failed", "message": "not found", "deleted_at": nil})
		case f.descriptionStatus(now) == "pending":
			skipped = append(skipped, map[string]any{"id": id, "status": "skipped", "message": "still processing", "deleted_at": nil})
		default:
			s.deleteLocked(f)
			deleted = append(deleted, map[string]any{"id": id, "status": "deleted", "message": nil,
				"deleted_at": now.UTC().Format(time.RFC3339Nano)})
		}
	}
	WriteJSON(w, http.StatusOK, map[string]any{"deleted": deleted, "skipped": skipped, "failed": failed,
		"summary": map[string]any{"total": len(body.FileIDs), "deleted": len(deleted), "skipped": len(skipped), "failed": len(failed)}})
}

func (s *Server) handleFileStatus(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	s.Lock()
	defer s.Unlock()
	f := s.liveFileLocked(w, r.PathValue("id"))
	if f == nil {
		return
	}
	WriteJSON(w, http.StatusOK, s.fileStatusJSON(f, now))
}

// fileStatusJSON answers GET files/{id}/status (the path is inferred) in
// the two documented shapes: a document's processing status (predecessor
// api/documents.md) and, for every other file, the unified image status
// with its component statuses nested (predecessor api/uploads.md).
func (s *Server) fileStatusJSON(f *File, now time.Time) map[string]any {
	if ts := f.textStatus(now); ts != "" {
		m := map[string]any{"document_id": f.ID, "filename": f.Filename, "document_type": nilIfEmpty(documentTypeOf(f.Filename)),
			"text_extraction_status": ts, "page_count": nil, "chunk_count": nil,
			"created_at": f.CreatedAt.UTC().Format(time.RFC3339Nano), "processing_started_at": NaiveTime(f.CreatedAt), "completed_at": nil}
		if ts == "completed" {
			m["page_count"], m["chunk_count"] = 1, len(chunksOf(f))
		}
		return m
	}
	ds := f.descriptionStatus(now)
	unified := map[string]string{"completed": "completed", "skipped": "completed", "failed": "failed"}[ds]
	if unified == "" {
		unified = "processing"
	}
	m := map[string]any{
		"image_id":                    f.ID,
		"tenant_id":                   "tenant_fake",
		"batch_id":                    nil,
		"unified_status":              unified,
		"component_statuses":          map[string]any{"upload_status": "completed", "variant_status": "completed", "description_status": ds},
		"error_message":               nil,
		"last_error_at":               nil,
		"created_at":                  NaiveTime(f.CreatedAt),
		"last_updated_at":             NaiveTime(now),
		"completed_at":                nil,
		"retry_count":                 0,
		"processing_duration_seconds": now.Sub(f.CreatedAt).Seconds(),
		"is_stuck":                    false,
		"is_terminal":                 unified != "processing",
	}
	if ds == "failed" {
		m["error_message"] = "the AI provider could not describe this file"
	}
	return m
}

var variants = map[string]bool{"original": true, "tiny_64": true, "small_256": true, "medium_750": true, "large_1024": true}

func (s *Server) handleVariant(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	f := s.liveFileLocked(w, r.PathValue("id"))
	if f == nil {
		return
	}
	v := r.PathValue("variant")
	switch {
	case f.MediaType != "image":
		WriteError(w, http.StatusBadRequest, "VALIDATION_ERROR", "variants exist only for images")
	case !variants[v]:
		WriteError(w, http.StatusBadRequest, "VALIDATION_ERROR", "unknown variant "+v)
	default:
		http.Redirect(w, r, s.StorageURL("files/"+f.ID+"/"+v), http.StatusFound)
	}
}

func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	if f := s.liveFileLocked(w, r.PathValue("id")); f != nil {
		http.Redirect(w, r, s.StorageURL("files/"+f.ID+"/original"), http.StatusFound)
	}
}

// handleStorageGet serves a file's bytes from "storage": the stored bytes,
// or zeros of the file's size when they were too large to keep.
func (s *Server) handleStorageGet(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	f := s.state.files.byID[r.PathValue("id")]
	var data []byte
	var size int64
	if f != nil && !f.Deleted {
		data, size = f.Data, f.Size
	}
	s.Unlock()
	if f == nil {
		WriteJSON(w, http.StatusNotFound, map[string]any{"error": "NoSuchKey", "message": "no such key"})
		return
	}
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	w.Header().Set("Content-Type", "application/octet-stream")
	if data != nil {
		_, _ = w.Write(data)
		return
	}
	_, _ = io.CopyN(w, zeros{}, size)
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// documentText is the fake's extracted text of a document.
func documentText(f *File) string {
	if ext := documentTypeOf(f.Filename); (ext == "txt" || ext == "md") && f.Data != nil {
		return string(f.Data)
	}
	return "Extracted text of " + f.Filename + "."
}

func chunksOf(f *File) []string {
	var out []string
	for _, para := range strings.Split(documentText(f), "\n\n") {
		if strings.TrimSpace(para) != "" {
			out = append(out, para)
		}
	}
	return out
}

// documentLocked returns a live document with finished text or writes the error.
func (s *Server) documentLocked(w http.ResponseWriter, id string) *File {
	f := s.liveFileLocked(w, id)
	if f == nil {
		return nil
	}
	if f.MediaType != "document" {
		WriteError(w, http.StatusBadRequest, "VALIDATION_ERROR", "not a document")
		return nil
	}
	if st := f.textStatus(time.Now()); st != "completed" {
		WriteError(w, http.StatusConflict, "TEXT_NOT_READY", "text extraction is "+st)
		return nil
	}
	return f
}

func (s *Server) handleText(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	if f := s.documentLocked(w, r.PathValue("id")); f != nil {
		WriteJSON(w, http.StatusOK, map[string]any{"document_id": f.ID, "filename": f.Filename,
			"text": documentText(f), "page_count": 1, "metadata": nil})
	}
}

func (s *Server) handleChunks(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	f := s.documentLocked(w, r.PathValue("id"))
	if f == nil {
		return
	}
	chunks := []any{}
	for i, c := range chunksOf(f) {
		m := map[string]any{"chunk_id": fmt.Sprintf("%s_c%d", f.ID, i), "document_id": f.ID, "document_filename": f.Filename,
			"chunk_index": i, "content": c, "page_numbers": []int{1}, "heading_hierarchy": nil, "similarity_score": nil, "metadata": nil}
		if r.URL.Query().Get("include_embeddings") == "true" {
			m["embedding"] = []float64{0.1, 0.2, 0.3}
		}
		chunks = append(chunks, m)
	}
	WriteJSON(w, http.StatusOK, map[string]any{"document_id": f.ID, "chunks": chunks, "total_chunks": len(chunks),
		"status_counts": map[string]int{"completed": len(chunks)}})
}

// handleTriggerVariants queues variant generation, as documented for
// POST /user-files/{file_id}/trigger-variants.
func (s *Server) handleTriggerVariants(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	f := s.liveFileLocked(w, r.PathValue("id"))
	if f == nil {
		return
	}
	if f.MediaType != "image" {
		WriteError(w, http.StatusBadRequest, "NOT_AN_IMAGE", "Variants exist for images only")
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"success": true, "message": "Variant generation queued",
		"task_id": f.ID + "_variants", "current_status": "processing", "image_id": f.ID})
}
