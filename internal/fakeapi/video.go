package fakeapi

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// VideoLimits are the upload limits the fake states for video uploads.
// Zero fields take the defaults.
type VideoLimits struct {
	MaxSizeBytes          int64 // default 4 GiB
	ConcurrentUploadLimit int   // default 5
	RetryAttempts         int   // default 3
}

func (l VideoLimits) withDefaults() VideoLimits {
	if l.MaxSizeBytes <= 0 {
		l.MaxSizeBytes = 4 << 30
	}
	if l.ConcurrentUploadLimit <= 0 {
		l.ConcurrentUploadLimit = 5
	}
	if l.RetryAttempts <= 0 {
		l.RetryAttempts = 3
	}
	return l
}

// maxVideoChunks is the most chunks one upload may have.
const maxVideoChunks = 10000

// Analysis steps: a job is pending for one step, processing for three,
// then completed, each step lasting Options.JobStepDelay.
var videoAnalysisSteps = []struct {
	status   string
	progress int
	step     string
}{
	{"pending", 0, "Queued"},
	{"processing", 25, "Extracting frames"},
	{"processing", 50, "Analyzing scenes"},
	{"processing", 75, "Generating embeddings"},
	{"completed", 100, "Completed"},
}

type videoState struct {
	uploads      map[string]*videoUpload // by media id
	jobs         map[string]*videoJob
	jobsByMedia  map[string][]string // media id → job ids, oldest first
	scenes       map[string]*videoScene
	limits       VideoLimits
	chunkFaults  []*videoChunkFault
	chunkLatency time.Duration
}

func (st *videoState) init() {
	st.uploads = map[string]*videoUpload{}
	st.jobs = map[string]*videoJob{}
	st.jobsByMedia = map[string][]string{}
	st.scenes = map[string]*videoScene{}
	st.limits = st.limits.withDefaults()
}

// videoUpload is a chunked upload and, once completed, the video.
type videoUpload struct {
	mediaID, uploadID   string
	filename, mimeType  string
	title               string
	tags                []string
	size, chunkSize     int64
	totalChunks         int
	status              string // uploading, completed, aborted
	stored              map[int]VideoChunk
	urlGen              int // generation of the newest URL handed out
	minGen              int // URLs of an older generation have expired
	retries             map[int]int
	createdAt, updated  time.Time
	durationSeconds     float64
	complete            map[string]any // the complete response, repeated on a retried complete
	sceneIDs            []string
	concurrentUploadLim int
	retryAttempts       int
}

// VideoChunk is a chunk the fake received: its size and checksum (never
// its bytes), the ETag it answered and whether it was confirmed.
type VideoChunk struct {
	Number    int
	Size      int64
	SHA256    string // hex; empty under Options.LeanStorage
	CRC32C    uint32 // under Options.LeanStorage only
	ETag      string
	Confirmed bool
}

type videoJob struct {
	id, mediaID  string
	analysisType string
	createdAt    time.Time
	stepDelay    time.Duration
	endedAt      time.Time // set when failed or cancelled on demand
	endStatus    string
	errorMessage string
	retryCount   int
	maxRetries   int
}

type videoScene struct {
	id, videoID string
	index       int
	start, end  float64
	createdAt   time.Time
}

type videoChunkFault struct {
	chunk, remaining, status int
}

// videoRoutes are the routes video.go serves.
func (s *Server) videoRoutes() []route {
	return []route{
		{"POST /video-uploads/initiate", s.handleVideoInitiate},
		{"PUT /storage/video/{media}/{chunk}/{gen}", s.handleVideoChunkPut},
		{"POST /video-uploads/chunks/confirm", s.handleVideoConfirm},
		{"POST /video-uploads/chunks/retry", s.handleVideoChunkRetry},
		{"POST /video-uploads/complete", s.handleVideoComplete},
		{"GET /video-uploads/progress/{media}", s.handleVideoProgress},
		{"POST /video-uploads/abort", s.handleVideoAbort},
		{"GET /video-analysis/jobs/{id}", s.handleVideoJob},
		{"GET /video-analysis/status/{media}", s.handleVideoJobByMedia},
		{"POST /video-analysis/queue", s.handleVideoQueue},
		{"POST /video-analysis/jobs/{id}/retry", s.handleVideoJobRetry},
		{"GET /videos/{id}/scenes", s.handleVideoScenes},
		{"GET /video-scenes/{id}/thumbnail", s.handleVideoSceneThumbnail},
	}
}

// ---- knobs ----

// SetVideoLimits sets the limits stated by later video upload initiations.
func (s *Server) SetVideoLimits(l VideoLimits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.video.limits = l.withDefaults()
}

// FailVideoChunk makes the next times PUTs of chunk number chunk (of any
// upload) answer status (403 looks like an expired URL; 0 drops the connection).
func (s *Server) FailVideoChunk(chunk, times, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.video.chunkFaults = append(s.state.video.chunkFaults, &videoChunkFault{chunk: chunk, remaining: times, status: status})
}

// SetVideoChunkLatency delays every chunk PUT by d before its body is read.
func (s *Server) SetVideoChunkLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.video.chunkLatency = d
}

// ExpireVideoUploadURLs makes every chunk URL handed out so far for mediaID
// expire; chunks/retry hands out fresh ones. It reports whether the upload exists.
func (s *Server) ExpireVideoUploadURLs(mediaID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	up := s.state.video.uploads[mediaID]
	if up == nil {
		return false
	}
	up.minGen = up.urlGen + 1
	return true
}

// VideoChunks returns the chunks received for mediaID, by number.
func (s *Server) VideoChunks(mediaID string) []VideoChunk {
	s.mu.Lock()
	defer s.mu.Unlock()
	up := s.state.video.uploads[mediaID]
	if up == nil {
		return nil
	}
	out := make([]VideoChunk, 0, len(up.stored))
	for _, c := range up.stored {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

// VideoUploadStatus returns the status of mediaID's upload ("uploading",
// "completed", "aborted"), or "" when there is none.
func (s *Server) VideoUploadStatus(mediaID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if up := s.state.video.uploads[mediaID]; up != nil {
		return up.status
	}
	return ""
}

// AddVideo stores a completed video without uploading it and returns its
// media id; queue its analysis with the API.
func (s *Server) AddVideo(filename string, size int64, durationSeconds float64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	up := &videoUpload{mediaID: s.NewID("vid"), uploadID: s.NewID("upl"), filename: filename, mimeType: "video/mp4",
		size: size, chunkSize: size, totalChunks: 1, status: "completed", stored: map[int]VideoChunk{},
		retries: map[int]int{}, createdAt: now, updated: now, durationSeconds: durationSeconds}
	s.state.video.uploads[up.mediaID] = up
	s.addFileLocked(&File{ID: up.mediaID, Filename: filename, ContentType: up.mimeType, MediaType: "video", Size: size, CreatedAt: now})
	return up.mediaID
}

// FailVideoAnalysis makes a job fail now with message. It reports whether the job exists.
func (s *Server) FailVideoAnalysis(jobID, message string) bool {
	return s.endVideoJob(jobID, "failed", message)
}

// CancelVideoAnalysis cancels a job now. It reports whether the job exists.
func (s *Server) CancelVideoAnalysis(jobID string) bool {
	return s.endVideoJob(jobID, "cancelled", "cancelled by the operator")
}

func (s *Server) endVideoJob(jobID, status, message string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	j := s.state.video.jobs[jobID]
	if j == nil {
		return false
	}
	j.endStatus, j.errorMessage, j.endedAt = status, message, time.Now()
	return true
}

// ---- uploads ----

func (s *Server) handleVideoInitiate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Filename    string            `json:"filename"`
		ContentType string            `json:"content_type"`
		SizeBytes   int64             `json:"size_bytes"`
		Title       string            `json:"title"`
		Tags        []string          `json:"tags"`
		Metadata    map[string]string `json:"metadata"`
	}
	if !ReadJSON(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	limits := s.state.video.limits
	chunkSize := s.opts.VideoChunkSize
	switch {
	case in.Filename == "" || len(in.Filename) > 255:
		writeVideoFieldError(w, "filename", "must be 1 to 255 characters")
		return
	case !strings.HasPrefix(in.ContentType, "video/"):
		writeVideoFieldError(w, "content_type", "must be a video/* type")
		return
	case in.SizeBytes <= 0:
		writeVideoFieldError(w, "size_bytes", "must be greater than 0")
		return
	case in.SizeBytes > limits.MaxSizeBytes:
		writeVideoFieldError(w, "size_bytes", fmt.Sprintf("must be at most %d bytes for this plan", limits.MaxSizeBytes))
		return
	case (in.SizeBytes+chunkSize-1)/chunkSize > maxVideoChunks:
		writeVideoFieldError(w, "size_bytes", "needs more than 10000 chunks")
		return
	case len(in.Tags) > 20:
		writeVideoFieldError(w, "tags", "at most 20 tags")
		return
	}
	now := time.Now()
	up := &videoUpload{
		mediaID: s.NewID("vid"), uploadID: s.NewID("upl"), filename: in.Filename, mimeType: in.ContentType,
		title: in.Title, tags: in.Tags, size: in.SizeBytes, chunkSize: chunkSize,
		totalChunks: int((in.SizeBytes + chunkSize - 1) / chunkSize), status: "uploading",
		stored: map[int]VideoChunk{}, retries: map[int]int{}, urlGen: 1, createdAt: now, updated: now,
		concurrentUploadLim: limits.ConcurrentUploadLimit, retryAttempts: limits.RetryAttempts,
	}
	s.state.video.uploads[up.mediaID] = up
	expires := now.Add(time.Hour)
	chunks := make([]map[string]any, up.totalChunks)
	for i := range chunks {
		n := i + 1
		chunks[i] = map[string]any{"chunk_number": n, "size_bytes": up.chunkSizeOf(n),
			"upload_url": s.videoChunkURL(up, n, up.urlGen), "upload_method": "PUT", "expires_at": expires}
	}
	WriteJSON(w, http.StatusCreated, map[string]any{
		"media_id": up.mediaID, "upload_id": up.uploadID, "total_chunks": up.totalChunks,
		"chunk_size_bytes": chunkSize, "storage_path": "videos/" + up.mediaID + "/" + path.Base(in.Filename),
		"expires_at": expires, "chunks": chunks,
		"concurrent_upload_limit": up.concurrentUploadLim, "retry_attempts": up.retryAttempts,
	})
}

func (up *videoUpload) chunkSizeOf(n int) int64 {
	return min(up.chunkSize, up.size-int64(n-1)*up.chunkSize)
}

func (s *Server) videoChunkURL(up *videoUpload, chunk, gen int) string {
	return s.StorageURL(fmt.Sprintf("video/%s/%d/%d", up.mediaID, chunk, gen))
}

// writeVideoFieldError answers 422 in FastAPI's shape for one body field.
func writeVideoFieldError(w http.ResponseWriter, field, msg string) { validationDetail(w, field, msg) }

func (s *Server) handleVideoChunkPut(w http.ResponseWriter, r *http.Request) {
	chunk, err1 := strconv.Atoi(r.PathValue("chunk"))
	gen, err2 := strconv.Atoi(r.PathValue("gen"))
	if r.ContentLength < 0 {
		_, _ = io.Copy(io.Discard, r.Body)
		WriteJSON(w, http.StatusLengthRequired, map[string]any{"error": "MissingContentLength", "message": "Content-Length is required"})
		return
	}
	s.mu.Lock()
	up := s.state.video.uploads[r.PathValue("media")]
	status, code, msg := 0, "", ""
	switch {
	case up == nil || err1 != nil || err2 != nil || chunk < 1 || chunk > up.totalChunks:
		status, code, msg = http.StatusNotFound, "NoSuchUpload", "no such upload or part"
	case up.status != "uploading":
		status, code, msg = http.StatusNotFound, "NoSuchUpload", "upload is "+up.status
	case gen < up.minGen:
		status, code, msg = http.StatusForbidden, "AccessDenied", "Request has expired"
	default:
		status = s.takeVideoChunkFaultLocked(chunk)
		code, msg = "InjectedFault", "injected chunk failure"
	}
	latency := s.state.video.chunkLatency
	s.mu.Unlock()
	if latency > 0 && !Sleep(r.Context(), latency) {
		return
	}
	if status == -1 {
		dropConnection(w)
		return
	}
	if status != 0 {
		_, _ = io.Copy(io.Discard, r.Body)
		WriteJSON(w, status, map[string]any{"error": code, "message": msg})
		return
	}
	h := s.storageHash()
	buf := s.storageBuffers.get()
	n, err := io.CopyBuffer(h, r.Body, buf)
	s.storageBuffers.put(buf)
	if err != nil || n != r.ContentLength {
		WriteJSON(w, http.StatusBadRequest, map[string]any{"error": "IncompleteBody", "message": "body shorter than Content-Length"})
		return
	}
	sum := h.Sum(nil)
	stored := VideoChunk{Number: chunk, Size: n, ETag: storageETag(sum)}
	if s.opts.LeanStorage {
		stored.CRC32C = binary.BigEndian.Uint32(sum)
	} else {
		stored.SHA256 = hex.EncodeToString(sum)
	}
	s.mu.Lock()
	up.stored[chunk] = stored
	up.updated = time.Now()
	s.mu.Unlock()
	w.Header().Set("ETag", stored.ETag)
	w.WriteHeader(http.StatusOK)
}

// takeVideoChunkFaultLocked returns the status of an injected failure for
// chunk (-1: drop the connection), or 0.
func (s *Server) takeVideoChunkFaultLocked(chunk int) int {
	for i, f := range s.state.video.chunkFaults {
		if f.chunk != chunk {
			continue
		}
		f.remaining--
		if f.remaining <= 0 {
			s.state.video.chunkFaults = append(s.state.video.chunkFaults[:i], s.state.video.chunkFaults[i+1:]...)
		}
		s.faultsInjected.Add(1)
		if f.status == 0 {
			return -1
		}
		return f.status
	}
	return 0
}

type videoChunkRequest struct {
	MediaID     string `json:"media_id"`
	UploadID    string `json:"upload_id"`
	ChunkNumber int    `json:"chunk_number"`
	ETag        string `json:"etag"`
	SizeBytes   int64  `json:"size_bytes"`
}

// uploadLocked finds the upload a request names, answering the error itself
// when there is none usable.
func (s *Server) uploadLocked(w http.ResponseWriter, mediaID, uploadID string) *videoUpload {
	up := s.state.video.uploads[mediaID]
	switch {
	case up == nil:
		WriteError(w, http.StatusNotFound, "NOT_FOUND", "video upload not found")
		return nil
	case uploadID != up.uploadID:
		WriteError(w, http.StatusBadRequest, "UPLOAD_ID_MISMATCH", "upload_id does not belong to media_id")
		return nil
	}
	return up
}

// activeChunkLocked finds the upload still in progress and the chunk a
// request names, answering the error itself when there is none.
func (s *Server) activeChunkLocked(w http.ResponseWriter, in videoChunkRequest) *videoUpload {
	up := s.uploadLocked(w, in.MediaID, in.UploadID)
	switch {
	case up == nil:
		return nil
	case up.status != "uploading":
		WriteError(w, http.StatusConflict, "UPLOAD_NOT_ACTIVE", "upload is "+up.status)
		return nil
	case in.ChunkNumber < 1 || in.ChunkNumber > up.totalChunks:
		writeVideoFieldError(w, "chunk_number", fmt.Sprintf("must be between 1 and %d", up.totalChunks))
		return nil
	}
	return up
}

func (s *Server) handleVideoConfirm(w http.ResponseWriter, r *http.Request) {
	var in videoChunkRequest
	if !ReadJSON(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	up := s.activeChunkLocked(w, in)
	if up == nil {
		return
	}
	got, ok := up.stored[in.ChunkNumber]
	switch {
	case !ok:
		WriteError(w, http.StatusBadRequest, "CHUNK_NOT_UPLOADED", fmt.Sprintf("chunk %d was not uploaded", in.ChunkNumber))
		return
	case strings.Trim(in.ETag, `"`) != strings.Trim(got.ETag, `"`):
		WriteError(w, http.StatusBadRequest, "ETAG_MISMATCH", fmt.Sprintf("etag of chunk %d does not match", in.ChunkNumber))
		return
	case in.SizeBytes != got.Size || got.Size != up.chunkSizeOf(in.ChunkNumber):
		WriteError(w, http.StatusBadRequest, "SIZE_MISMATCH", fmt.Sprintf("chunk %d has %d bytes, expected %d", in.ChunkNumber, got.Size, up.chunkSizeOf(in.ChunkNumber)))
		return
	}
	got.Confirmed = true
	up.stored[in.ChunkNumber] = got
	up.updated = time.Now()
	done := up.confirmedCount()
	WriteJSON(w, http.StatusOK, map[string]any{"chunk_number": in.ChunkNumber, "status": "completed",
		"chunks_completed": done, "total_chunks": up.totalChunks,
		"progress_percent": 100 * float64(done) / float64(up.totalChunks), "estimated_time_remaining": nil})
}

func (up *videoUpload) confirmedCount() int {
	n := 0
	for _, c := range up.stored {
		if c.Confirmed {
			n++
		}
	}
	return n
}

func (s *Server) handleVideoChunkRetry(w http.ResponseWriter, r *http.Request) {
	var in videoChunkRequest
	if !ReadJSON(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	up := s.activeChunkLocked(w, in)
	if up == nil {
		return
	}
	up.urlGen++
	up.retries[in.ChunkNumber]++
	WriteJSON(w, http.StatusOK, map[string]any{"chunk_number": in.ChunkNumber,
		"upload_url": s.videoChunkURL(up, in.ChunkNumber, up.urlGen), "expires_at": time.Now().Add(time.Hour),
		"retry_attempt": up.retries[in.ChunkNumber], "max_retries": up.retryAttempts})
}

// unconfirmedChunks lists the chunks not yet confirmed, in order.
func (up *videoUpload) unconfirmedChunks() []int {
	var missing []int
	for n := 1; n <= up.totalChunks; n++ {
		if !up.stored[n].Confirmed {
			missing = append(missing, n)
		}
	}
	return missing
}

// videoCompleteJSON is the answer to a completed video upload (predecessor
// api/videos.md); a repeated complete gets it again.
func (s *Server) videoCompleteJSON(up *videoUpload, jobID any, now time.Time) map[string]any {
	return map[string]any{
		"media_id": up.mediaID, "status": "completed", "processing_status": "queued",
		"metadata": map[string]any{"duration_seconds": up.durationSeconds, "resolution": "1920x1080", "width": 1920,
			"height": 1080, "frame_rate": 30.0, "video_codec": "h264", "audio_codec": "aac", "bitrate_kbps": 8000,
			"file_size_bytes": up.size, "format_name": strings.TrimPrefix(path.Ext(up.filename), ".")},
		"video_url": s.StorageURL("videos/" + up.mediaID), "thumbnail_url": nil,
		"analysis_job_id": jobID, "created_at": now,
	}
}

func (s *Server) handleVideoComplete(w http.ResponseWriter, r *http.Request) {
	var in struct {
		MediaID                  string   `json:"media_id"`
		UploadID                 string   `json:"upload_id"`
		DurationSeconds          *float64 `json:"duration_seconds"`
		DurationExtractionFailed bool     `json:"duration_extraction_failed"`
		AutoAnalyze              *bool    `json:"auto_analyze"`
		AnalysisType             string   `json:"analysis_type"`
	}
	if !ReadJSON(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	up := s.uploadLocked(w, in.MediaID, in.UploadID)
	if up == nil {
		return
	}
	if up.status == "completed" && up.complete != nil {
		WriteJSON(w, http.StatusOK, up.complete)
		return
	}
	if up.status != "uploading" {
		WriteError(w, http.StatusConflict, "UPLOAD_NOT_ACTIVE", "upload is "+up.status)
		return
	}
	if in.DurationSeconds == nil || *in.DurationSeconds <= 0 {
		writeVideoFieldError(w, "duration_seconds", "must be greater than 0")
		return
	}
	// The status is documented (Scopix video-cloud-s3.md §2.3: every
	// validation failure is a 422); the code and missing_chunks are inferred.
	if missing := up.unconfirmedChunks(); len(missing) > 0 {
		WriteErrorDetails(w, http.StatusUnprocessableEntity, "INCOMPLETE_UPLOAD",
			fmt.Sprintf("%d of %d chunks are not confirmed", len(missing), up.totalChunks), map[string]any{"missing_chunks": missing})
		return
	}
	now := time.Now()
	up.status, up.updated = "completed", now
	if !in.DurationExtractionFailed {
		up.durationSeconds = *in.DurationSeconds
	} else {
		// The fake cannot decode video; it "measures" a fixed length.
		up.durationSeconds = 60
	}
	s.addFileLocked(&File{ID: up.mediaID, Filename: up.filename, Title: up.title, ContentType: up.mimeType,
		MediaType: "video", Tags: up.tags, Size: up.size, CreatedAt: now})
	var jobID any
	if in.AutoAnalyze == nil || *in.AutoAnalyze {
		jobID = s.newVideoJobLocked(up.mediaID, in.AnalysisType).id
	}
	up.complete = s.videoCompleteJSON(up, jobID, now)
	WriteJSON(w, http.StatusOK, up.complete)
}

func (s *Server) handleVideoProgress(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	up := s.state.video.uploads[r.PathValue("media")]
	if up == nil {
		WriteError(w, http.StatusNotFound, "NOT_FOUND", "video upload not found")
		return
	}
	confirmed := []int{}
	var bytes int64
	for n := 1; n <= up.totalChunks; n++ {
		if c := up.stored[n]; c.Confirmed {
			confirmed = append(confirmed, n)
			bytes += c.Size
		}
	}
	WriteJSON(w, http.StatusOK, map[string]any{
		"media_id": up.mediaID, "upload_id": up.uploadID, "status": up.status,
		"chunks_completed": len(confirmed), "total_chunks": up.totalChunks,
		"bytes_uploaded": bytes, "total_bytes": up.size,
		"progress_percent":         math.Round(1000*float64(len(confirmed))/float64(up.totalChunks)) / 10,
		"estimated_time_remaining": nil, "current_chunk": nil, "failed_chunks": []int{},
		// documented (predecessor api/videos.md): counts only — no list of
		// the confirmed chunks and no chunk size; the timestamp is naive.
		"last_updated": NaiveTime(up.updated),
	})
}

func (s *Server) handleVideoAbort(w http.ResponseWriter, r *http.Request) {
	var in struct {
		MediaID  string `json:"media_id"`
		UploadID string `json:"upload_id"`
		Reason   string `json:"reason"`
	}
	if !ReadJSON(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	up := s.uploadLocked(w, in.MediaID, in.UploadID)
	if up == nil {
		return
	}
	if up.status == "completed" {
		WriteError(w, http.StatusConflict, "UPLOAD_COMPLETED", "a completed upload cannot be aborted")
		return
	}
	removed := len(up.stored)
	up.stored = map[int]VideoChunk{}
	up.status, up.updated = "aborted", time.Now()
	WriteJSON(w, http.StatusOK, map[string]any{"media_id": up.mediaID, "status": "aborted",
		"cleaned_up": true, "chunks_removed": removed, "s3_cleanup": true})
}

// ---- analysis ----

func (s *Server) newVideoJobLocked(mediaID, analysisType string) *videoJob {
	if analysisType == "" {
		analysisType = "full_vlm"
	}
	j := &videoJob{id: s.NewID("vaj"), mediaID: mediaID, analysisType: analysisType, createdAt: time.Now(),
		stepDelay: s.opts.JobStepDelay, maxRetries: 3}
	s.state.video.jobs[j.id] = j
	s.state.video.jobsByMedia[mediaID] = append(s.state.video.jobsByMedia[mediaID], j.id)
	return j
}

// stepAt is the step the job has reached at t.
func (j *videoJob) stepAt(t time.Time) int {
	last := len(videoAnalysisSteps) - 1
	if j.stepDelay <= 0 {
		return last
	}
	return max(min(int(t.Sub(j.createdAt)/j.stepDelay), last), 0)
}

// view computes the job's state from the clock. A job failed or cancelled
// on demand ends where it stood then (a finished one as if just short of done).
func (j *videoJob) view(now time.Time) map[string]any {
	step := j.stepAt(now)
	st := videoAnalysisSteps[step]
	status, progress, current := st.status, st.progress, st.step
	var started, completed, errMsg, errCode any
	if step > 0 {
		// FastAPI's naive form, as a server without zone-aware datetimes sends it.
		started = NaiveTime(j.createdAt.Add(j.stepDelay))
	}
	if status == "completed" {
		completed = j.createdAt.Add(time.Duration(step) * j.stepDelay)
	}
	if j.endStatus != "" {
		status, completed, errMsg, errCode = j.endStatus, j.endedAt, j.errorMessage, strings.ToUpper(j.endStatus)
		progress = min(videoAnalysisSteps[j.stepAt(j.endedAt)].progress, 75)
		current = "Stopped"
	}
	return map[string]any{"analysis_job_id": j.id, "media_id": j.mediaID, "status": status,
		"progress_percent": progress, "current_step": current, "started_at": started, "completed_at": completed,
		"error_message": errMsg, "error_code": errCode, "retry_count": j.retryCount, "max_retries": j.maxRetries,
		"estimated_completion_time": j.createdAt.Add(time.Duration(len(videoAnalysisSteps)-1) * j.stepDelay)}
}

func (s *Server) handleVideoJob(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j := s.state.video.jobs[r.PathValue("id")]
	if j == nil {
		WriteError(w, http.StatusNotFound, "NOT_FOUND", "analysis job not found")
		return
	}
	WriteJSON(w, http.StatusOK, j.view(time.Now()))
}

func (s *Server) handleVideoJobByMedia(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := s.state.video.jobsByMedia[r.PathValue("media")]
	if len(ids) == 0 {
		WriteError(w, http.StatusNotFound, "NOT_FOUND", "no analysis job for this video")
		return
	}
	WriteJSON(w, http.StatusOK, s.state.video.jobs[ids[len(ids)-1]].view(time.Now()))
}

func (s *Server) handleVideoQueue(w http.ResponseWriter, r *http.Request) {
	var in struct {
		MediaID      string `json:"media_id"`
		AnalysisType string `json:"analysis_type"`
		Priority     string `json:"priority"`
	}
	if !ReadJSON(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	up := s.state.video.uploads[in.MediaID]
	if up == nil || up.status != "completed" {
		WriteError(w, http.StatusNotFound, "NOT_FOUND", "video not found")
		return
	}
	now := time.Now()
	if ids := s.state.video.jobsByMedia[in.MediaID]; len(ids) > 0 {
		last := s.state.video.jobs[ids[len(ids)-1]]
		if st := last.view(now)["status"]; st == "pending" || st == "processing" {
			WriteJSON(w, http.StatusAccepted, map[string]any{"analysis_job_id": last.id, "media_id": in.MediaID,
				"queue_position": 0, "estimated_start_time": nil, "message": "analysis already queued"})
			return
		}
	}
	j := s.newVideoJobLocked(in.MediaID, in.AnalysisType)
	WriteJSON(w, http.StatusAccepted, map[string]any{"analysis_job_id": j.id, "media_id": in.MediaID,
		"queue_position": 0, "estimated_start_time": now.Add(j.stepDelay), "message": "analysis queued"})
}

func (s *Server) handleVideoJobRetry(w http.ResponseWriter, r *http.Request) {
	var in struct {
		MediaID string `json:"media_id"`
		Reason  string `json:"reason"`
	}
	if !ReadJSON(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	j := s.state.video.jobs[r.PathValue("id")]
	switch {
	case j == nil || j.mediaID != in.MediaID:
		WriteError(w, http.StatusNotFound, "NOT_FOUND", "analysis job not found")
		return
	case j.view(time.Now())["status"] != "failed" && j.view(time.Now())["status"] != "cancelled":
		WriteError(w, http.StatusBadRequest, "INVALID_JOB_STATE", "only failed or cancelled jobs can be retried")
		return
	case j.retryCount >= j.maxRetries:
		WriteError(w, http.StatusBadRequest, "MAX_RETRIES_EXCEEDED", "the job was retried too often")
		return
	}
	j.retryCount++
	j.createdAt, j.endStatus, j.errorMessage, j.endedAt = time.Now(), "", "", time.Time{}
	WriteJSON(w, http.StatusAccepted, map[string]any{"analysis_job_id": j.id, "media_id": j.mediaID,
		"status": "pending", "retry_count": j.retryCount, "max_retries": j.maxRetries, "message": "analysis re-queued"})
}

// ---- scenes ----

func (s *Server) handleVideoScenes(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("id")
	up := s.state.video.uploads[id]
	if up == nil || up.status != "completed" {
		WriteError(w, http.StatusNotFound, "NOT_FOUND", "video not found")
		return
	}
	s.assignScenesLocked(up, time.Now())
	scenes := make([]map[string]any, 0, len(up.sceneIDs))
	for _, sid := range up.sceneIDs {
		sc := s.state.video.scenes[sid]
		scenes = append(scenes, map[string]any{
			"scene_id": sc.id, "scene_index": sc.index, "start_time": sc.start, "end_time": sc.end,
			"time_range_formatted": formatSceneTime(sc.start) + "-" + formatSceneTime(sc.end),
			"description":          fmt.Sprintf("Scene %d of %s", sc.index+1, up.filename),
			"tags":                 []string{"scene", fmt.Sprintf("part-%d", sc.index+1)},
			"visible_text":         nil, "confidence_score": 0.9, "embedding_status": "completed",
			"thumbnail_url": "/api/v2/video-scenes/" + sc.id + "/thumbnail", "created_at": sc.createdAt,
		})
	}
	WriteJSON(w, http.StatusOK, map[string]any{"video_id": id, "count": len(scenes), "scenes": scenes})
}

// assignScenesLocked gives a video its scenes once its newest analysis job
// has completed: one per 20 seconds, between 1 and 6.
func (s *Server) assignScenesLocked(up *videoUpload, now time.Time) {
	ids := s.state.video.jobsByMedia[up.mediaID]
	if len(up.sceneIDs) > 0 || len(ids) == 0 {
		return
	}
	if s.state.video.jobs[ids[len(ids)-1]].view(now)["status"] != "completed" {
		return
	}
	n := min(max(int(math.Ceil(up.durationSeconds/20)), 1), 6)
	length := up.durationSeconds / float64(n)
	if length <= 0 {
		length = 10
	}
	for i := range n {
		sc := &videoScene{id: s.NewID("scn"), videoID: up.mediaID, index: i,
			start: float64(i) * length, end: float64(i+1) * length, createdAt: now}
		s.state.video.scenes[sc.id] = sc
		up.sceneIDs = append(up.sceneIDs, sc.id)
	}
}

func formatSceneTime(sec float64) string {
	t := int(sec)
	return fmt.Sprintf("%d:%02d", t/60, t%60)
}

// sceneJPEG is a tiny JPEG-looking thumbnail (SOI, a comment, EOI).
var sceneJPEG = []byte{0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x0C, 's', 'c', 'o', 'p', 'i', 'x', '-', 'f', 'a', 'k', 0xFF, 0xD9}

func (s *Server) handleVideoSceneThumbnail(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	sc := s.state.video.scenes[r.PathValue("id")]
	s.mu.Unlock()
	if sc == nil {
		WriteError(w, http.StatusNotFound, "NOT_FOUND", "scene thumbnail not found")
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("Content-Disposition", `inline; filename="scene_`+sc.id+`.jpg"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(sceneJPEG)))
	_, _ = w.Write(sceneJPEG)
}
