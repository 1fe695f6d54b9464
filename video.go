package scopix

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/scopix/scopix-go/internal/mp4"
	"github.com/scopix/scopix-go/internal/parts"
)

// MaxVideoUploadBytes is the largest video the SDK sends: 4 GiB, the
// largest plan limit the predecessor API stated (the current docs say
// 2 GB; smaller plans get the server's own 422) (inferred).
const MaxVideoUploadBytes int64 = 4 << 30

// videoChunkContentType is the Content-Type of chunk PUTs, a wire detail
// the Scopix docs leave open; the predecessor's example sent
// application/octet-stream (inferred).
const videoChunkContentType = "application/octet-stream"

// Limits of the video endpoints, documented (predecessor openapi
// InitiateVideoUploadRequestDTO, AbortVideoUploadRequestDTO,
// RetryVideoAnalysisRequest; api/videos.md for the reasons).
const (
	maxVideoTitleChars  = 255
	maxVideoTags        = 20
	maxVideoReasonChars = 500 // abort and retry reasons
)

// Defaults when the server states no value.
const (
	defaultVideoConcurrency   = 3 // the predecessor SDK's default
	defaultVideoRetryAttempts = 3
	// Video analysis polling grows ×1.5 per poll up to 15s.
	videoAnalysisPollMultiplier  = 1.5
	videoAnalysisPollMaxInterval = 15 * time.Second
)

// Stages of a video upload, as reported in VideoUploadError.Stage.
const (
	VideoStageInitiate    = "initiate"
	VideoStageChunkUpload = "chunk_upload"
	VideoStageConfirm     = "confirm"
	VideoStageComplete    = "complete"
)

// videoContentTypes maps the supported extensions to their MIME types.
var videoContentTypes = map[string]string{
	".mp4":  "video/mp4",
	".mov":  "video/quicktime",
	".m4v":  "video/x-m4v",
	".webm": "video/webm",
	".avi":  "video/x-msvideo",
}

// Wire sources: every video-uploads/*, videos/{id}/scenes and
// video-scenes/{id}/thumbnail path and body below is documented
// (predecessor api/videos.md), kept unchanged by Scopix (spec
// video-cloud-s3.md); the constants above say which details are inferred.

// VideoService uploads videos in resumable parallel chunks under /video-uploads and lists their scenes.
type VideoService service

// Upload sends the video at path in chunks and returns once the server has
// assembled it. It calls POST /video-uploads/initiate, PUTs the chunks in
// parallel to their presigned URLs (p.Concurrency at a time, default the
// server's concurrent_upload_limit), gets a fresh URL from POST
// /video-uploads/chunks/retry for a failed chunk up to the server's
// retry_attempts, confirms each chunk with POST /video-uploads/chunks/confirm
// and finishes with POST /video-uploads/complete. Each chunk is read from
// the file as it is sent, so memory does not grow with the file size.
//
// A missing, empty or oversized file or an unsupported extension (.mp4
// .mov .m4v .webm .avi are supported) is a *ValidationError before any
// request. A failed step is a *VideoUploadError whose Stage says which
// ("initiate", "chunk_upload", "confirm", "complete"), whose PartialChunks
// counts the chunks the server confirmed, and whose Err.Cause is the HTTP
// error (a *ValidationError when the server refuses the size, say); the
// upload is aborted unless p.KeepOnFailure, in which case Resume can finish it.
//
// The upload's API requests share one pace, as UploadBatch's do: a 429 or
// a spent rate-limit budget holds every worker until the reset.
//
// With p.WaitForAnalysis the call then waits for the analysis job; if that
// fails, the result is returned together with the *VideoAnalysisError or
// *TimeoutError, because the video itself was uploaded.
func (s *VideoService) Upload(ctx context.Context, path string, p *VideoUploadParams) (*VideoUploadResult, error) {
	if p == nil {
		p = &VideoUploadParams{}
	}
	src, err := openVideoSource(ctx, path, p)
	if err != nil {
		return nil, err
	}
	defer src.file.Close()
	ctx = withPacer(ctx) // one pace for the upload's chunks: see pacer
	sess, err := s.initiate(ctx, src, p)
	if err != nil {
		return nil, videoFailure{filename: src.name, stage: VideoStageInitiate}.error(err)
	}
	up := &videoUploader{svc: s, src: src, params: p, mediaID: sess.MediaID, uploadID: sess.UploadID,
		retryLimit: videoFirstPositive(sess.RetryAttempts, defaultVideoRetryAttempts)}
	if p.OnStart != nil {
		p.OnStart(VideoUploadStart{MediaID: sess.MediaID, UploadID: sess.UploadID, Filename: src.name,
			TotalChunks: sess.TotalChunks, ChunkSizeBytes: sess.ChunkSizeBytes})
	}
	list, urls, err := videoPlan(sess, src.size)
	if err != nil {
		return nil, up.fail(ctx, &videoStageError{stage: VideoStageInitiate, err: err})
	}
	up.totalChunks = len(list)
	concurrency := videoFirstPositive(p.Concurrency, sess.ConcurrentUploadLimit, defaultVideoConcurrency)
	if err := up.send(ctx, list, urls, concurrency); err != nil {
		return nil, up.fail(ctx, err)
	}
	return up.finish(ctx)
}

// Resume finishes an upload that stopped part-way (the process died, or
// Upload failed with KeepOnFailure) from the same file. It reads GET
// /video-uploads/progress/{media_id}, sends the chunks still needed (each
// with a fresh URL from POST /video-uploads/chunks/retry, since the first
// ones may have expired), confirms them and completes the upload. An empty
// uploadID takes the one the server reports.
//
// The documented progress answer counts the confirmed chunks but does not
// list them. So Resume sends only the missing chunks when the server lists
// them (confirmed_chunks) and its chunk size is known (chunk_size_bytes, or
// the only size that fits total_chunks, total_bytes and bytes_uploaded);
// when every chunk is confirmed it only completes the upload; otherwise it
// sends every chunk again — a chunk sent again replaces the stored one, so
// the video is still exactly the file, at the cost of re-sending what was
// already there.
//
// The file must be the one the upload started with: a different size is a
// *ValidationError, as is an upload the server reports as completed,
// aborted or failed. Failures are *VideoUploadError as in Upload.
func (s *VideoService) Resume(ctx context.Context, path, mediaID, uploadID string, p *VideoUploadParams) (*VideoUploadResult, error) {
	if p == nil {
		p = &VideoUploadParams{}
	}
	if err := checkID("media_id", mediaID); err != nil {
		return nil, err
	}
	src, err := openVideoSource(ctx, path, p)
	if err != nil {
		return nil, err
	}
	defer src.file.Close()
	ctx = withPacer(ctx)
	prog, err := s.Progress(ctx, mediaID)
	if err != nil {
		return nil, videoFailure{filename: src.name, mediaID: mediaID, uploadID: uploadID, stage: VideoStageInitiate}.error(err)
	}
	if err := checkResumable(prog, uploadID, src.size); err != nil {
		return nil, err
	}
	up := &videoUploader{svc: s, src: src, params: p, mediaID: mediaID, uploadID: prog.UploadID,
		retryLimit: defaultVideoRetryAttempts}
	missing, skipped, err := videoResumePlan(prog, src.size)
	if err != nil {
		// The upload itself may be fine; only this SDK cannot resume it.
		return nil, videoFailure{filename: src.name, mediaID: mediaID, uploadID: prog.UploadID, stage: VideoStageInitiate,
			partial: prog.ChunksCompleted, total: prog.TotalChunks}.error(err)
	}
	up.totalChunks = prog.TotalChunks
	for _, part := range skipped {
		up.confirmed++
		up.bytesDone += part.Size
	}
	concurrency := videoFirstPositive(p.Concurrency, defaultVideoConcurrency)
	if err := up.send(ctx, missing, nil, concurrency); err != nil {
		return nil, up.fail(ctx, err)
	}
	return up.finish(ctx)
}

// checkResumable refuses an upload that cannot be resumed from this file.
func checkResumable(prog *VideoUploadProgress, uploadID string, size int64) error {
	if uploadID != "" && prog.UploadID != "" && uploadID != prog.UploadID {
		return validationError("upload_id", "does not match the upload of media_id")
	}
	switch prog.Status {
	case "", VideoUploadUploading:
	default:
		return validationError("media_id", fmt.Sprintf("upload is %s and cannot be resumed", prog.Status))
	}
	if prog.TotalBytes != 0 && prog.TotalBytes != size {
		return validationError("path", fmt.Sprintf("file has %d bytes but the upload has %d", size, prog.TotalBytes))
	}
	return nil
}

// Progress returns the state of an upload: chunks confirmed, bytes sent,
// status. It calls GET /video-uploads/progress/{media_id}; an unknown id is
// a *ResourceNotFoundError.
func (s *VideoService) Progress(ctx context.Context, mediaID string) (*VideoUploadProgress, error) {
	seg, err := idSegment("media_id", mediaID)
	if err != nil {
		return nil, err
	}
	return getJSON[VideoUploadProgress](ctx, s.client, "video-uploads/progress/"+seg, nil)
}

// Abort cancels an upload and lets the server remove its chunks. It calls
// POST /video-uploads/abort; reason (optional, at most 500 characters) is
// recorded by the server. An unknown upload is a *ResourceNotFoundError.
func (s *VideoService) Abort(ctx context.Context, mediaID, uploadID, reason string) (*VideoAbortResult, error) {
	if err := checkID("media_id", mediaID); err != nil {
		return nil, err
	}
	if err := checkID("upload_id", uploadID); err != nil {
		return nil, err
	}
	if len([]rune(reason)) > maxVideoReasonChars {
		return nil, validationError("reason", fmt.Sprintf("must be at most %d characters", maxVideoReasonChars))
	}
	body := struct {
		MediaID  string `json:"media_id"`
		UploadID string `json:"upload_id"`
		Reason   string `json:"reason,omitempty"`
	}{mediaID, uploadID, reason}
	req, err := s.client.newRequest(http.MethodPost, "video-uploads/abort", body)
	if err != nil {
		return nil, err
	}
	// Aborting twice leaves the upload just as aborted.
	req.idempotent()
	return doJSON[VideoAbortResult](ctx, s.client, req)
}

// Scenes lists the scenes of an analysed video in order. It calls GET
// /videos/{video_id}/scenes; the list is empty until analysis completes. An
// unknown video is a *ResourceNotFoundError.
func (s *VideoService) Scenes(ctx context.Context, videoID string) (*VideoSceneList, error) {
	seg, err := idSegment("video_id", videoID)
	if err != nil {
		return nil, err
	}
	req, err := s.client.newRequest(http.MethodGet, "videos/"+seg+"/scenes", nil)
	if err != nil {
		return nil, err
	}
	var out VideoSceneList
	if err := s.client.do(ctx, req, &out); err != nil {
		return nil, err
	}
	if out.VideoID == "" {
		out.VideoID = videoID
	}
	return &out, nil
}

// SceneThumbnail streams the JPEG thumbnail of a scene (a frame at its
// midpoint); close it when done. It calls GET /video-scenes/{scene_id}/thumbnail.
// A body silent for longer than the attempt timeout ends the read with a
// *TimeoutError.
// A scene without a thumbnail yet is a *ResourceNotFoundError.
func (s *VideoService) SceneThumbnail(ctx context.Context, sceneID string) (io.ReadCloser, error) {
	seg, err := idSegment("scene_id", sceneID)
	if err != nil {
		return nil, err
	}
	req, err := s.client.newRequest(http.MethodGet, "video-scenes/"+seg+"/thumbnail", nil)
	if err != nil {
		return nil, err
	}
	req.setHeader("Accept", "image/jpeg")
	return s.client.stream(ctx, req)
}

// initiate calls POST /video-uploads/initiate.
func (s *VideoService) initiate(ctx context.Context, src *videoSource, p *VideoUploadParams) (*videoUploadSession, error) {
	body := struct {
		Filename    string            `json:"filename"`
		ContentType string            `json:"content_type"`
		SizeBytes   int64             `json:"size_bytes"`
		Title       string            `json:"title,omitempty"`
		Tags        []string          `json:"tags,omitempty"`
		Metadata    map[string]string `json:"metadata,omitempty"`
	}{src.name, src.contentType, src.size, p.Title, p.Tags, p.Metadata}
	req, err := s.client.newRequest(http.MethodPost, "video-uploads/initiate", body)
	if err != nil {
		return nil, err
	}
	var out videoUploadSession
	if err := s.client.do(ctx, req, &out); err != nil {
		return nil, err
	}
	if out.MediaID == "" || out.UploadID == "" {
		return nil, newError(CodeResponseUnreadable, "initiate response has no media_id or upload_id", nil)
	}
	return &out, nil
}

// retryChunk calls POST /video-uploads/chunks/retry for a fresh chunk URL.
func (s *VideoService) retryChunk(ctx context.Context, mediaID, uploadID string, chunk int) (*videoChunkRetry, error) {
	body := videoChunkRef{MediaID: mediaID, UploadID: uploadID, ChunkNumber: chunk}
	req, err := s.client.newRequest(http.MethodPost, "video-uploads/chunks/retry", body)
	if err != nil {
		return nil, err
	}
	// Asking again only mints another URL for the same chunk.
	req.idempotent()
	var out videoChunkRetry
	if err := s.client.do(ctx, req, &out); err != nil {
		return nil, err
	}
	if out.UploadURL == "" {
		return nil, newError(CodeResponseUnreadable, fmt.Sprintf("chunk retry response for chunk %d has no upload_url", chunk), nil)
	}
	return &out, nil
}

// videoSource is the opened, validated file of an upload.
type videoSource struct {
	file        *os.File
	name        string
	size        int64
	contentType string
	duration    float64 // 0 when unknown
}

// openVideoSource checks the arguments and the file before any request.
func openVideoSource(ctx context.Context, path string, p *VideoUploadParams) (*videoSource, error) {
	if ctx == nil {
		return nil, validationError("ctx", "must not be nil")
	}
	switch {
	case p.Concurrency < 0:
		return nil, validationError("concurrency", "must not be negative")
	case p.DurationSeconds < 0:
		return nil, validationError("duration_seconds", "must not be negative")
	case len([]rune(p.Title)) > maxVideoTitleChars:
		return nil, validationError("title", fmt.Sprintf("must be at most %d characters", maxVideoTitleChars))
	case len(p.Tags) > maxVideoTags:
		return nil, validationError("tags", fmt.Sprintf("at most %d tags", maxVideoTags))
	}
	if strings.TrimSpace(path) == "" {
		return nil, validationError("path", "must not be empty")
	}
	ext := strings.ToLower(filepath.Ext(path))
	contentType, ok := videoContentTypes[ext]
	if !ok {
		return nil, validationError("path", fmt.Sprintf("unsupported video extension %q (want .mp4, .mov, .m4v, .webm or .avi)", ext))
	}
	if p.ContentType != "" {
		contentType = p.ContentType
	}
	// Stat before opening: opening a FIFO or device blocks and ignores ctx.
	info, err := os.Stat(path)
	switch {
	case err != nil:
		msg := "cannot open file"
		if errors.Is(err, fs.ErrNotExist) {
			msg = "file does not exist"
		}
		v := validationError("path", msg)
		v.Err.Cause = err
		return nil, v
	case !info.Mode().IsRegular():
		return nil, validationError("path", strconv.Quote(path)+" is not a regular file")
	case info.Size() == 0:
		return nil, validationError("path", "file is empty")
	case info.Size() > MaxVideoUploadBytes:
		return nil, validationError("size_bytes", fmt.Sprintf("video has %d bytes; the limit is %d", info.Size(), MaxVideoUploadBytes))
	}
	f, err := os.Open(path)
	if err != nil {
		v := validationError("path", "cannot open file")
		v.Err.Cause = err
		return nil, v
	}
	src := &videoSource{file: f, name: filepath.Base(path), size: info.Size(), contentType: contentType, duration: p.DurationSeconds}
	if src.duration == 0 {
		if d, ok := mp4.Duration(f, src.size); ok {
			src.duration = d
		}
	}
	return src, nil
}

// maxVideoChunks is the most chunks a video upload has (documented
// (predecessor api/videos.md): "Max chunks: 10,000").
const maxVideoChunks = 10000

// videoChunkCount is how many chunks of chunkSize (a server-supplied value,
// named by field) make size bytes, refusing a size that would need more
// than maxVideoChunks, before anything is allocated for them.
func videoChunkCount(field string, size, chunkSize int64) (int64, error) {
	if chunkSize <= 0 {
		return 0, badResponseField(field, fmt.Sprintf("must be positive, got %d", chunkSize))
	}
	need := size / chunkSize
	if size%chunkSize != 0 {
		need++
	}
	if need > maxVideoChunks {
		return 0, badResponseField(field, fmt.Sprintf("%d splits %d bytes into %d chunks; at most %d are allowed", chunkSize, size, need, maxVideoChunks))
	}
	return max(need, 1), nil
}

// videoPlan checks the server's chunk list against the file and returns
// the parts to send with their URLs.
func videoPlan(sess *videoUploadSession, size int64) ([]parts.Part, map[int]string, error) {
	need, err := videoChunkCount("chunk_size_bytes", size, sess.ChunkSizeBytes)
	if err != nil {
		return nil, nil, err
	}
	if int64(len(sess.Chunks)) != need || (sess.TotalChunks != 0 && int64(sess.TotalChunks) != need) {
		return nil, nil, badResponseField("chunks", fmt.Sprintf(
			"initiate response lists %d chunks; %d bytes in chunks of %d need %d", len(sess.Chunks), size, sess.ChunkSizeBytes, need))
	}
	// Split only now: the count is checked, so the allocation is bounded.
	list := parts.Split(size, sess.ChunkSizeBytes)
	urls := make(map[int]string, len(list))
	for _, c := range sess.Chunks {
		if c.ChunkNumber < 1 || c.ChunkNumber > len(list) || c.UploadURL == "" ||
			(c.SizeBytes != 0 && c.SizeBytes != list[c.ChunkNumber-1].Size) {
			return nil, nil, newError(CodeResponseUnreadable, fmt.Sprintf("initiate response chunk %d does not match the file", c.ChunkNumber), nil)
		}
		urls[c.ChunkNumber] = c.UploadURL
	}
	return list, urls, nil
}

// videoResumePlan rebuilds the chunk layout of an upload from its progress
// and says which chunks still have to be sent.
//
// The documented progress answer (predecessor api/videos.md) carries
// counts only: total_chunks, chunks_completed, bytes_uploaded, total_bytes
// — no chunk size and no list of confirmed chunks. So:
//   - the chunk size is chunk_size_bytes when the server sends it (an
//     inferred extension), else derived from the counts when they allow
//     exactly one size (videoChunkSize);
//   - chunks are skipped only when the answer lists the confirmed ones
//     (confirmed_chunks, inferred extension) and the size is known, or when
//     every chunk is confirmed. Otherwise every chunk is sent again: a part
//     uploaded again replaces the stored one, so the assembled video is the
//     file, at the price of sending the confirmed chunks twice.
func videoResumePlan(prog *VideoUploadProgress, size int64) (send []parts.Part, skipped []parts.Part, err error) {
	n := prog.TotalChunks
	if n <= 0 || n > maxVideoChunks {
		return nil, nil, badResponseField("total_chunks", fmt.Sprintf("progress reports %d chunks; want 1 to %d", n, maxVideoChunks))
	}
	chunkSize, exact := videoChunkSize(prog, size)
	if need, err := videoChunkCount("chunk_size_bytes", size, chunkSize); err != nil || need != int64(n) {
		return nil, nil, badResponseField("total_chunks", fmt.Sprintf("progress reports %d chunks; %d bytes cannot be split into as many", n, size))
	}
	list := parts.Split(size, chunkSize)
	switch {
	case prog.ChunksCompleted >= n:
		return nil, list, nil
	case exact && len(prog.ConfirmedChunks) > 0:
		confirmed := make(map[int]bool, len(prog.ConfirmedChunks))
		for _, c := range prog.ConfirmedChunks {
			confirmed[c] = true
		}
		for _, part := range list {
			if confirmed[part.Number] {
				skipped = append(skipped, part)
			} else {
				send = append(send, part)
			}
		}
		return send, skipped, nil
	}
	return list, nil, nil
}

// videoChunkSize is the chunk size of an upload of size bytes in
// prog.TotalChunks chunks, and whether it is certainly the server's: the
// size the answer states, or the only size that fits the counts. Failing
// that it is the smallest size that makes as many chunks, which is right
// for a resume that sends every chunk again.
func videoChunkSize(prog *VideoUploadProgress, size int64) (int64, bool) {
	n := int64(prog.TotalChunks)
	if prog.ChunkSizeBytes > 0 {
		return prog.ChunkSizeBytes, true
	}
	if n == 1 {
		return size, true
	}
	fits := func(cs int64) bool { return cs > 0 && (size+cs-1)/cs == n }
	lo := (size + n - 1) / n // the smallest size that makes n chunks
	if hi := (size - 1) / (n - 1); hi == lo {
		return lo, true
	}
	// bytes_uploaded is the sum of the confirmed chunks: k full chunks, or
	// k-1 full ones and the short last one.
	k, done := int64(prog.ChunksCompleted), prog.BytesUploaded
	var candidates []int64
	if k > 0 && done%k == 0 && fits(done/k) {
		candidates = append(candidates, done/k)
	}
	if k > 0 && k < n && (size-done)%(n-k) == 0 && fits((size-done)/(n-k)) {
		candidates = append(candidates, (size-done)/(n-k))
	}
	if len(candidates) == 1 || len(candidates) == 2 && candidates[0] == candidates[1] {
		return candidates[0], true
	}
	return lo, false
}

// videoUploader carries one upload (or resumed upload) through its chunks.
type videoUploader struct {
	svc         *VideoService
	src         *videoSource
	params      *VideoUploadParams
	mediaID     string
	uploadID    string
	retryLimit  int
	totalChunks int

	mu        sync.Mutex // guards the counters and serialises OnProgress
	confirmed int
	bytesDone int64
}

// videoStageError tags a failure with the upload stage it happened in.
type videoStageError struct {
	stage string
	err   error
}

func (e *videoStageError) Error() string { return e.stage + ": " + e.err.Error() }
func (e *videoStageError) Unwrap() error { return e.err }

// send uploads and confirms list, concurrency chunks at a time. urls holds
// the presigned URL of each chunk; a chunk without one gets a fresh URL.
func (u *videoUploader) send(ctx context.Context, list []parts.Part, urls map[int]string, concurrency int) error {
	_, err := parts.Run(ctx, list, concurrency, func(ctx context.Context, part parts.Part) (struct{}, error) {
		return struct{}{}, u.sendChunk(ctx, part, urls[part.Number])
	})
	return err
}

func (u *videoUploader) sendChunk(ctx context.Context, part parts.Part, uploadURL string) error {
	etag, err := u.putChunk(ctx, part, uploadURL)
	if err != nil {
		return &videoStageError{stage: VideoStageChunkUpload, err: err}
	}
	if err := u.confirm(ctx, part, etag); err != nil {
		return &videoStageError{stage: VideoStageConfirm, err: err}
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	u.confirmed++
	u.bytesDone += part.Size
	if u.params.OnProgress != nil {
		u.params.OnProgress(VideoChunkProgress{
			MediaID: u.mediaID, Filename: u.src.name, ChunkNumber: part.Number,
			ChunksCompleted: u.confirmed, TotalChunks: u.totalChunks,
			BytesUploaded: u.bytesDone, TotalBytes: u.src.size,
		})
	}
	return nil
}

// putChunk sends one chunk and returns its ETag. The transport already
// retries transient failures on the same URL; when the chunk still fails
// (an expired URL, say) it gets a fresh URL, up to the server's limit.
func (u *videoUploader) putChunk(ctx context.Context, part parts.Part, uploadURL string) (string, error) {
	limit := u.retryLimit
	retries := 0
	if uploadURL == "" {
		fresh, err := u.svc.retryChunk(ctx, u.mediaID, u.uploadID, part.Number)
		if err != nil {
			return "", err
		}
		uploadURL = fresh.UploadURL
		limit = videoFirstPositive(fresh.MaxRetries, limit)
	}
	for {
		etag, err := u.putOnce(ctx, part, uploadURL)
		if err == nil {
			return etag, nil
		}
		var open *CircuitBreakerError
		if ctx.Err() != nil || retries >= limit || errors.As(err, &open) {
			return "", err
		}
		retries++
		fresh, rerr := u.svc.retryChunk(ctx, u.mediaID, u.uploadID, part.Number)
		if rerr != nil {
			// The chunk's own failure is what the caller needs to see.
			return "", err
		}
		uploadURL = fresh.UploadURL
		limit = videoFirstPositive(fresh.MaxRetries, limit)
	}
}

// putOnce PUTs the chunk's section of the file to uploadURL.
func (u *videoUploader) putOnce(ctx context.Context, part parts.Part, uploadURL string) (string, error) {
	body := &replayBody{
		contentType: videoChunkContentType,
		size:        func(bool) int64 { return part.Size },
		open:        func(bool) (io.Reader, error) { return part.Reader(u.src.file), nil },
	}
	return u.svc.client.putPart(ctx, uploadURL, part.Number, body)
}

// confirm calls POST /video-uploads/chunks/confirm.
func (u *videoUploader) confirm(ctx context.Context, part parts.Part, etag string) error {
	body := struct {
		videoChunkRef
		ETag      string `json:"etag"`
		SizeBytes int64  `json:"size_bytes"`
	}{videoChunkRef{u.mediaID, u.uploadID, part.Number}, etag, part.Size}
	req, err := u.svc.client.newRequest(http.MethodPost, "video-uploads/chunks/confirm", body)
	if err != nil {
		return err
	}
	// Confirming a chunk twice records the same ETag twice.
	req.idempotent()
	return u.svc.client.do(ctx, req, nil)
}

// finish completes the upload and, if asked, waits for its analysis.
func (u *videoUploader) finish(ctx context.Context) (*VideoUploadResult, error) {
	res, err := u.complete(ctx)
	if err != nil {
		return nil, u.fail(ctx, &videoStageError{stage: VideoStageComplete, err: err})
	}
	if !u.params.WaitForAnalysis || res.AnalysisJobID == "" {
		return res, nil
	}
	analysis := (*VideoAnalysisService)(u.svc)
	job, err := analysis.WaitForCompletion(ctx, res.AnalysisJobID, u.params.AnalysisWait)
	if err != nil {
		return res, err
	}
	res.Analysis = job
	return res, nil
}

// complete calls POST /video-uploads/complete. duration_seconds is required
// by the API: when the SDK could not measure it, it sends 1 with
// duration_extraction_failed so the server measures it instead.
func (u *videoUploader) complete(ctx context.Context) (*VideoUploadResult, error) {
	body := struct {
		MediaID                  string  `json:"media_id"`
		UploadID                 string  `json:"upload_id"`
		DurationSeconds          float64 `json:"duration_seconds"`
		DurationExtractionFailed bool    `json:"duration_extraction_failed,omitempty"`
		AutoAnalyze              *bool   `json:"auto_analyze,omitempty"`
		AnalysisType             string  `json:"analysis_type,omitempty"`
	}{MediaID: u.mediaID, UploadID: u.uploadID, DurationSeconds: u.src.duration,
		AutoAnalyze: u.params.AutoAnalyze, AnalysisType: u.params.AnalysisType}
	if body.DurationSeconds <= 0 {
		body.DurationSeconds = 1
		body.DurationExtractionFailed = true
	}
	req, err := u.svc.client.newRequest(http.MethodPost, "video-uploads/complete", body)
	if err != nil {
		return nil, err
	}
	// The server completes an upload once; a repeat returns the same video.
	req.idempotent()
	var out VideoUploadResult
	if err := u.svc.client.do(ctx, req, &out); err != nil {
		return nil, err
	}
	if out.MediaID == "" {
		out.MediaID = u.mediaID
	}
	out.UploadID = u.uploadID
	return &out, nil
}

// fail aborts the upload (unless the caller keeps it) and builds the
// *VideoUploadError for err.
func (u *videoUploader) fail(ctx context.Context, err error) error {
	stage := VideoStageChunkUpload
	var se *videoStageError
	if errors.As(err, &se) {
		stage, err = se.stage, se.err
	}
	u.mu.Lock()
	partial := u.confirmed
	u.mu.Unlock()
	failure := videoFailure{filename: u.src.name, mediaID: u.mediaID, uploadID: u.uploadID, stage: stage,
		partial: partial, total: u.totalChunks}
	if !u.params.KeepOnFailure {
		// The upload is cleaned up even when the caller's context ended, in
		// the background so such a caller returns at once; aborted then
		// stays false, since the outcome is not known yet.
		var abortErr error
		finished := u.svc.client.background.cleanup(ctx, abortTimeout, func(actx context.Context) {
			_, abortErr = u.svc.Abort(actx, u.mediaID, u.uploadID, "upload failed at stage "+stage)
		})
		failure.aborted = finished && abortErr == nil
	}
	return failure.error(err)
}

// videoFailure is where a video upload stopped: what a *VideoUploadError
// reports.
type videoFailure struct {
	filename, mediaID, uploadID, stage string
	partial, total                     int  // chunks confirmed, chunks in all
	aborted                            bool // the server-side upload was aborted
}

// error builds the typed error with cause as Err.Cause and the failure's
// fields copied into Details.
func (f videoFailure) error(cause error) *VideoUploadError {
	msg := fmt.Sprintf("upload of %s failed at %s", f.filename, f.stage)
	if f.total > 0 {
		msg += fmt.Sprintf(" after %d of %d chunks", f.partial, f.total)
	}
	e := operationError(CodeVideoUpload, msg, cause)
	e.Details["media_id"] = f.mediaID
	e.Details["upload_id"] = f.uploadID
	e.Details["stage"] = f.stage
	e.Details["partial_chunks"] = f.partial
	e.Details["total_chunks"] = f.total
	e.Details["filename"] = f.filename
	e.Details["aborted"] = f.aborted
	return &VideoUploadError{Err: e, MediaID: f.mediaID, Stage: f.stage, PartialChunks: f.partial}
}

// videoFirstPositive returns the first value above zero (0 if none).
func videoFirstPositive(values ...int) int {
	for _, v := range values {
		if v > 0 {
			return v
		}
	}
	return 0
}

// VideoUploadParams are the options of Upload and Resume. The zero value
// uploads with the server's concurrency, auto-analysis on, and aborts on failure.
type VideoUploadParams struct {
	// Title and Tags (at most 20) describe the video.
	Title string
	Tags  []string
	// Metadata is stored with the video as string pairs.
	Metadata map[string]string
	// ContentType overrides the MIME type guessed from the extension.
	ContentType string
	// DurationSeconds is the video's length, used for billing. When zero the
	// SDK reads it from an MP4/MOV/M4V header, else the server measures it.
	DurationSeconds float64
	// AutoAnalyze (default true) queues scene analysis after the upload.
	AutoAnalyze *bool
	// AnalysisType is full_vlm (server default), frame_sample,
	// scene_detection or transcript.
	AnalysisType string
	// Concurrency is how many chunks are sent at once (default: the
	// server's concurrent_upload_limit).
	Concurrency int
	// KeepOnFailure leaves a failed upload in place, for Resume, instead of aborting it.
	KeepOnFailure bool
	// WaitForAnalysis makes Upload wait for the analysis job to finish.
	WaitForAnalysis bool
	// AnalysisWait tunes that wait (timeout, interval, progress callback).
	AnalysisWait *WaitAnalysisOptions
	// OnStart is called once the server created the upload; keep MediaID
	// and UploadID to Resume it should this process stop.
	OnStart func(VideoUploadStart)
	// OnProgress is called after each chunk is confirmed, one call at a time.
	OnProgress func(VideoChunkProgress)
}

// VideoUploadStart describes an upload the server has just created.
type VideoUploadStart struct {
	MediaID        string
	UploadID       string
	Filename       string
	TotalChunks    int
	ChunkSizeBytes int64
}

// VideoChunkProgress reports an upload after one of its chunks was confirmed.
type VideoChunkProgress struct {
	MediaID         string
	Filename        string
	ChunkNumber     int // the chunk just confirmed, from 1
	ChunksCompleted int
	TotalChunks     int
	BytesUploaded   int64
	TotalBytes      int64
}

// Percent is the share of bytes uploaded, 0–100.
func (p VideoChunkProgress) Percent() float64 {
	if p.TotalBytes <= 0 {
		return 0
	}
	return 100 * float64(p.BytesUploaded) / float64(p.TotalBytes)
}

// VideoUploadResult is a video the server has assembled. AnalysisJobID is
// empty when auto-analysis was off; Analysis is set when Upload waited for it.
type VideoUploadResult struct {
	MediaID          string         `json:"media_id"`
	UploadID         string         `json:"upload_id"`
	Status           string         `json:"status"`
	ProcessingStatus string         `json:"processing_status"` // pending, queued, processing, completed, failed
	AnalysisJobID    string         `json:"analysis_job_id"`
	Metadata         *VideoMetadata `json:"metadata"`
	VideoURL         string         `json:"video_url"`
	ThumbnailURL     string         `json:"thumbnail_url"`
	CreatedAt        Time           `json:"created_at"`
	// Analysis is the finished analysis job when WaitForAnalysis was set.
	Analysis *VideoAnalysisJob `json:"-"`
}

// VideoMetadata is what the server measured of a video.
type VideoMetadata struct {
	DurationSeconds float64 `json:"duration_seconds"`
	Resolution      string  `json:"resolution"` // e.g. "1920x1080"
	Width           int     `json:"width"`
	Height          int     `json:"height"`
	FrameRate       float64 `json:"frame_rate"`
	VideoCodec      string  `json:"video_codec"`
	AudioCodec      string  `json:"audio_codec"` // empty: no audio
	BitrateKbps     int     `json:"bitrate_kbps"`
	FileSizeBytes   int64   `json:"file_size_bytes"`
	FormatName      string  `json:"format_name"`
}

// VideoUploadStatus is the state of a chunked upload. Unknown values are kept.
type VideoUploadStatus string

// Upload states.
const (
	VideoUploadUploading  VideoUploadStatus = "uploading"
	VideoUploadProcessing VideoUploadStatus = "processing"
	VideoUploadCompleted  VideoUploadStatus = "completed"
	VideoUploadFailed     VideoUploadStatus = "failed"
	VideoUploadAborted    VideoUploadStatus = "aborted"
)

// IsTerminal reports whether the upload has ended: completed, failed or
// aborted.
func (s VideoUploadStatus) IsTerminal() bool {
	return s == VideoUploadCompleted || s == VideoUploadFailed || s == VideoUploadAborted
}

// VideoUploadProgress is the server's view of an upload.
type VideoUploadProgress struct {
	MediaID         string            `json:"media_id"`
	UploadID        string            `json:"upload_id"`
	Status          VideoUploadStatus `json:"status"`
	ChunksCompleted int               `json:"chunks_completed"`
	TotalChunks     int               `json:"total_chunks"`
	BytesUploaded   int64             `json:"bytes_uploaded"`
	TotalBytes      int64             `json:"total_bytes"`
	ProgressPercent float64           `json:"progress_percent"`
	// EstimatedTimeRemaining is in seconds; 0 when unknown.
	EstimatedTimeRemaining int   `json:"estimated_time_remaining"`
	CurrentChunk           int   `json:"current_chunk"`
	FailedChunks           []int `json:"failed_chunks"`
	LastUpdated            Time  `json:"last_updated"`
	// ConfirmedChunks lists the chunk numbers already confirmed, and
	// ChunkSizeBytes the size of every chunk but the last. Neither is in the
	// documented answer (inferred extensions, read when a server sends
	// them): with both, Resume sends only the missing chunks; without, it
	// sends every chunk again (see Resume).
	ConfirmedChunks []int `json:"confirmed_chunks"`
	ChunkSizeBytes  int64 `json:"chunk_size_bytes"`
}

// VideoAbortResult is the outcome of Abort.
type VideoAbortResult struct {
	MediaID       string `json:"media_id"`
	Status        string `json:"status"`
	CleanedUp     bool   `json:"cleaned_up"`
	ChunksRemoved int    `json:"chunks_removed"`
	S3Cleanup     bool   `json:"s3_cleanup"`
}

// VideoScene is one scene of an analysed video.
type VideoScene struct {
	SceneID            string   `json:"scene_id"`
	SceneIndex         int      `json:"scene_index"` // from 0
	StartTime          float64  `json:"start_time"`  // seconds
	EndTime            float64  `json:"end_time"`    // seconds
	TimeRangeFormatted string   `json:"time_range_formatted"`
	Description        string   `json:"description"`
	Tags               []string `json:"tags"`
	VisibleText        string   `json:"visible_text"`
	ConfidenceScore    float64  `json:"confidence_score"`
	EmbeddingStatus    string   `json:"embedding_status"`
	ThumbnailURL       string   `json:"thumbnail_url"`
	CreatedAt          Time     `json:"created_at"`
}

// VideoSceneList is the scenes of one video, ordered by SceneIndex.
type VideoSceneList struct {
	VideoID string       `json:"video_id"`
	Count   int          `json:"count"`
	Scenes  []VideoScene `json:"scenes"`
}

// UnmarshalJSON accepts both {video_id, count, scenes} (documented) and
// {items, total_count}.
func (l *VideoSceneList) UnmarshalJSON(data []byte) error {
	page, err := decodeListPage[VideoScene](data, listKeyScenes, listKeyItems)
	if err != nil {
		return err
	}
	var head struct {
		VideoID string `json:"video_id"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return err
	}
	*l = VideoSceneList{VideoID: head.VideoID, Count: page.TotalCount, Scenes: page.Items}
	return nil
}

// Wire sources: video-analysis/jobs/{id}, video-analysis/status/{media_id},
// video-analysis/jobs/{id}/retry and video-analysis/queue are documented
// (predecessor api/videos.md).

// videoUploadSession is the answer of POST /video-uploads/initiate.
type videoUploadSession struct {
	MediaID               string       `json:"media_id"`
	UploadID              string       `json:"upload_id"`
	TotalChunks           int          `json:"total_chunks"`
	ChunkSizeBytes        int64        `json:"chunk_size_bytes"`
	Chunks                []videoChunk `json:"chunks"`
	ConcurrentUploadLimit int          `json:"concurrent_upload_limit"`
	RetryAttempts         int          `json:"retry_attempts"`
}

type videoChunk struct {
	ChunkNumber int    `json:"chunk_number"`
	SizeBytes   int64  `json:"size_bytes"`
	UploadURL   string `json:"upload_url"`
}

// videoChunkRef names one chunk of one upload in request bodies.
type videoChunkRef struct {
	MediaID     string `json:"media_id"`
	UploadID    string `json:"upload_id"`
	ChunkNumber int    `json:"chunk_number"`
}

// videoChunkRetry is the answer of POST /video-uploads/chunks/retry.
type videoChunkRetry struct {
	UploadURL    string `json:"upload_url"`
	RetryAttempt int    `json:"retry_attempt"`
	MaxRetries   int    `json:"max_retries"`
}
