package scopix_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/internal/fakeapi"
	"github.com/scopix/scopix-go/scopixtest"
)

const testChunkSize = 1024

// newVideoServer starts a fake with small chunks so uploads have several.
func newVideoServer(t *testing.T, opts ...scopixtest.ServerOption) *scopixtest.Server {
	return scopixtest.NewServer(t, append([]scopixtest.ServerOption{scopixtest.WithVideoChunkSize(testChunkSize)}, opts...)...)
}

// chunkPuts returns the storage paths of the chunk PUTs, in order.
func chunkPuts(srv *scopixtest.Server, from int) []string {
	var out []string
	for _, r := range srv.Requests()[from:] {
		if r.Method == http.MethodPut && strings.HasPrefix(r.Path, "/storage/video/") {
			out = append(out, r.Path)
		}
	}
	return out
}

// chunkNumber extracts the chunk number from a storage path
// /storage/video/{media}/{chunk}/{gen}.
func chunkNumber(path string) string { return strings.Split(path, "/")[4] }

// assertChunksMatch checks that the fake holds every chunk of data, confirmed.
func assertChunksMatch(t *testing.T, srv *scopixtest.Server, mediaID string, data []byte) {
	t.Helper()
	chunks := srv.VideoChunks(mediaID)
	want := (len(data) + testChunkSize - 1) / testChunkSize
	require.Len(t, chunks, want)
	for i, c := range chunks {
		part := data[i*testChunkSize : min((i+1)*testChunkSize, len(data))]
		sum := sha256.Sum256(part)
		assert.Equal(t, i+1, c.Number)
		assert.Equal(t, hex.EncodeToString(sum[:]), c.SHA256, "bytes of chunk %d", c.Number)
		assert.True(t, c.Confirmed, "chunk %d confirmed", c.Number)
	}
}

func TestVideoUpload_StoresEveryChunkAndListsTheVideo(t *testing.T) {
	t.Parallel()
	srv := newVideoServer(t)
	data := randomBytes(5*testChunkSize+17, 11)
	path := writeVideo(t, "holiday.mov", data)
	res, err := srv.Client().Video.Upload(context.Background(), path, &scopix.VideoUploadParams{Title: "Holiday", Concurrency: 3})
	require.NoError(t, err)

	assertChunksMatch(t, srv, res.MediaID, data)
	assert.Equal(t, "completed", srv.VideoUploadStatus(res.MediaID))
	assert.NotEmpty(t, res.AnalysisJobID)
	var found bool
	for _, f := range srv.Files() {
		if f.ID == res.MediaID {
			found = true
			assert.Equal(t, "video", f.MediaType)
			assert.Equal(t, "holiday.mov", f.Filename)
			assert.Equal(t, int64(len(data)), f.Size)
		}
	}
	assert.True(t, found, "the video is listed among the files")
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPut {
			assert.Empty(t, r.Header.Get("Authorization"), "chunk PUT carried Authorization")
			assert.NotEmpty(t, r.Header.Get("Content-Length"), "chunk PUT without Content-Length")
		}
	}
	assert.Zero(t, srv.Stats().AuthViolations)
}

func TestVideoUpload_ValidatesBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.mp4")
	require.NoError(t, os.WriteFile(empty, nil, 0o600))
	wrongExt := filepath.Join(dir, "clip.mkv")
	require.NoError(t, os.WriteFile(wrongExt, []byte("x"), 0o600))
	dirNamedMP4 := filepath.Join(dir, "folder.mp4")
	require.NoError(t, os.Mkdir(dirNamedMP4, 0o700))
	tooBig := filepath.Join(dir, "huge.avi")
	f, err := os.Create(tooBig)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(scopix.MaxVideoUploadBytes+1))
	require.NoError(t, f.Close())
	ok := writeVideo(t, "ok.mp4", []byte("video"))

	tests := []struct {
		name      string
		path      string
		params    *scopix.VideoUploadParams
		wantField string
	}{
		{"missing file", filepath.Join(dir, "nope.mp4"), nil, "path"},
		{"empty file", empty, nil, "path"},
		{"unsupported extension", wrongExt, nil, "path"},
		{"directory", dirNamedMP4, nil, "path"},
		{"larger than any plan", tooBig, nil, "size_bytes"},
		{"negative concurrency", ok, &scopix.VideoUploadParams{Concurrency: -1}, "concurrency"},
		{"too many tags", ok, &scopix.VideoUploadParams{Tags: make([]string, 21)}, "tags"},
		{"empty path", "", nil, "path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newVideoServer(t)
			_, err := srv.Client().Video.Upload(context.Background(), tt.path, tt.params)
			var v *scopix.ValidationError
			require.ErrorAs(t, err, &v)
			require.NotEmpty(t, v.Fields)
			assert.Equal(t, []string{tt.wantField}, v.Fields[0].Loc)
			assert.Equal(t, tt.wantField, v.Err.Details["field"])
			assert.Zero(t, srv.Stats().Requests, "no request may be sent")
		})
	}
}

func TestVideoUpload_ServerSizeLimitIsAValidationErrorAtInitiate(t *testing.T) {
	t.Parallel()
	srv := newVideoServer(t)
	srv.SetVideoLimits(scopixtest.VideoLimits{MaxSizeBytes: 1000})
	path := writeVideo(t, "clip.mp4", randomBytes(2000, 5))
	_, err := srv.Client().Video.Upload(context.Background(), path, nil)

	var up *scopix.VideoUploadError
	require.ErrorAs(t, err, &up)
	assert.Equal(t, "initiate", up.Stage)
	assert.Empty(t, up.MediaID)
	var v *scopix.ValidationError
	require.ErrorAs(t, err, &v)
	require.NotEmpty(t, v.Fields)
	assert.Equal(t, []string{"body", "size_bytes"}, v.Fields[0].Loc)
	assert.Equal(t, 422, v.Err.StatusCode)
	assert.Zero(t, srv.RequestCount(http.MethodPost, "/video-uploads/abort"))
}

func TestVideoUpload_ChunkFailingTwiceSucceedsWithFreshURLs(t *testing.T) {
	t.Parallel()
	srv := newVideoServer(t)
	srv.FailVideoChunk(2, 2, http.StatusForbidden)
	data := randomBytes(3*testChunkSize, 6)
	path := writeVideo(t, "clip.mp4", data)
	res, err := srv.Client().Video.Upload(context.Background(), path, &scopix.VideoUploadParams{Concurrency: 1})
	require.NoError(t, err)

	assertChunksMatch(t, srv, res.MediaID, data)
	assert.Equal(t, 2, srv.RequestCount(http.MethodPost, "/video-uploads/chunks/retry"))
	var chunk2 []string
	for _, p := range chunkPuts(srv, 0) {
		if chunkNumber(p) == "2" {
			chunk2 = append(chunk2, p)
		}
	}
	require.Len(t, chunk2, 3)
	assert.NotEqual(t, chunk2[0], chunk2[1], "second attempt used a fresh URL")
	assert.NotEqual(t, chunk2[1], chunk2[2], "third attempt used a fresh URL")
}

func TestVideoUpload_ExpiredURLsAreRefreshed(t *testing.T) {
	t.Parallel()
	srv := newVideoServer(t)
	data := randomBytes(3*testChunkSize, 8)
	path := writeVideo(t, "clip.mp4", data)
	res, err := srv.Client().Video.Upload(context.Background(), path, &scopix.VideoUploadParams{
		OnStart: func(s scopix.VideoUploadStart) { require.True(t, srv.ExpireVideoUploadURLs(s.MediaID)) },
	})
	require.NoError(t, err)
	assertChunksMatch(t, srv, res.MediaID, data)
	assert.Equal(t, 3, srv.RequestCount(http.MethodPost, "/video-uploads/chunks/retry"))
}

func TestVideoUpload_ChunkFailingForGood(t *testing.T) {
	t.Parallel()
	for _, keep := range []bool{false, true} {
		t.Run("keep="+map[bool]string{false: "false", true: "true"}[keep], func(t *testing.T) {
			t.Parallel()
			srv := newVideoServer(t)
			srv.FailVideoChunk(3, 100, http.StatusForbidden)
			path := writeVideo(t, "clip.mp4", randomBytes(4*testChunkSize, 9))
			var mediaID string
			_, err := srv.Client().Video.Upload(context.Background(), path, &scopix.VideoUploadParams{
				Concurrency: 1, KeepOnFailure: keep, OnStart: func(s scopix.VideoUploadStart) { mediaID = s.MediaID },
			})

			var up *scopix.VideoUploadError
			require.ErrorAs(t, err, &up)
			assert.Equal(t, "chunk_upload", up.Stage)
			assert.Equal(t, 2, up.PartialChunks)
			assert.Equal(t, mediaID, up.MediaID)
			assert.Equal(t, "chunk_upload", up.Err.Details["stage"])
			assert.Equal(t, 2, up.Err.Details["partial_chunks"])
			assert.Equal(t, mediaID, up.Err.Details["media_id"])
			var denied *scopix.PermissionError
			assert.ErrorAs(t, err, &denied, "the storage error is the cause")
			assert.Equal(t, 3, srv.RequestCount(http.MethodPost, "/video-uploads/chunks/retry"), "server's retry_attempts")
			assert.Equal(t, 2, srv.RequestCount(http.MethodPost, "/video-uploads/chunks/confirm"))
			assert.Zero(t, srv.RequestCount(http.MethodPost, "/video-uploads/complete"))
			if keep {
				assert.Zero(t, srv.RequestCount(http.MethodPost, "/video-uploads/abort"))
				assert.Equal(t, "uploading", srv.VideoUploadStatus(mediaID))
			} else {
				assert.Equal(t, 1, srv.RequestCount(http.MethodPost, "/video-uploads/abort"))
				assert.Equal(t, "aborted", srv.VideoUploadStatus(mediaID))
			}
		})
	}
}

func TestVideoUpload_FailureAtEachStage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		stage       string
		failPath    string
		wantPartial int
		wantMedia   bool
		wantAbort   int
	}{
		{"initiate", "/video-uploads/initiate", 0, false, 0},
		{"confirm", "/video-uploads/chunks/confirm", 0, true, 1},
		{"complete", "/video-uploads/complete", 3, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.stage, func(t *testing.T) {
			t.Parallel()
			srv := newVideoServer(t)
			// documented (video-cloud-s3.md §2.3): validation failures are 422.
			srv.FailNextOn(http.MethodPost, tt.failPath, 1, http.StatusUnprocessableEntity, nil)
			path := writeVideo(t, "clip.mp4", randomBytes(3*testChunkSize, 10))
			_, err := srv.Client().Video.Upload(context.Background(), path, &scopix.VideoUploadParams{Concurrency: 1})

			var up *scopix.VideoUploadError
			require.ErrorAs(t, err, &up)
			assert.Equal(t, tt.stage, up.Stage)
			assert.Equal(t, tt.wantPartial, up.PartialChunks)
			assert.Equal(t, tt.wantMedia, up.MediaID != "")
			assert.Equal(t, scopix.CodeVideoUpload, up.Err.Code)
			var cause *scopix.ValidationError
			require.ErrorAs(t, up.Err.Cause, &cause, "the HTTP error is Err.Cause")
			assert.Equal(t, http.StatusUnprocessableEntity, cause.Err.StatusCode)
			assert.Equal(t, tt.wantAbort, srv.RequestCount(http.MethodPost, "/video-uploads/abort"))
		})
	}
}

// A complete the server refuses because a chunk's confirmation never
// reached it is the complete stage's *VideoUploadError, caused by the
// server's 422 as a *ValidationError that names the missing chunk.
func TestVideoUpload_CompleteWithAnUnconfirmedChunk(t *testing.T) {
	t.Parallel()
	srv := newVideoServer(t)
	// The confirmation of chunk 2 is answered on the way and never sent.
	lose := func(req *http.Request, next scopix.MiddlewareNext) (*http.Response, error) {
		if !strings.HasSuffix(req.URL.Path, "/video-uploads/chunks/confirm") {
			return next(req)
		}
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		var confirm struct {
			ChunkNumber int `json:"chunk_number"`
		}
		if json.Unmarshal(body, &confirm) != nil || confirm.ChunkNumber != 2 {
			return next(req)
		}
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(`{"chunk_number":2,"status":"completed"}`)), Request: req}, nil
	}
	path := writeVideo(t, "clip.mp4", randomBytes(3*testChunkSize, 11))
	_, err := srv.Client(scopix.WithMiddleware(lose)).Video.Upload(context.Background(), path,
		&scopix.VideoUploadParams{Concurrency: 1})

	var up *scopix.VideoUploadError
	require.ErrorAs(t, err, &up)
	assert.Equal(t, "complete", up.Stage)
	var cause *scopix.ValidationError
	require.ErrorAs(t, up.Err.Cause, &cause)
	assert.Equal(t, http.StatusUnprocessableEntity, cause.Err.StatusCode)
	assert.Equal(t, "INCOMPLETE_UPLOAD", cause.Err.Details["server_code"])
	assert.Equal(t, []any{2.0}, cause.Err.Details["missing_chunks"])
	assert.Equal(t, 1, srv.RequestCount(http.MethodPost, "/video-uploads/abort"))
}

func TestVideoResume_AfterACrashOnTheDocumentedProgressAnswer(t *testing.T) {
	t.Parallel()
	srv := newVideoServer(t)
	data := randomBytes(5*testChunkSize+100, 12)
	path := writeVideo(t, "long.mp4", data)

	// The first process dies after two chunks: its context ends mid-upload
	// and it never gets to abort.
	ctx, crash := context.WithCancel(context.Background())
	var start scopix.VideoUploadStart
	_, err := srv.Client().Video.Upload(ctx, path, &scopix.VideoUploadParams{
		Concurrency: 1, KeepOnFailure: true,
		OnStart: func(s scopix.VideoUploadStart) { start = s },
		OnProgress: func(p scopix.VideoChunkProgress) {
			if p.ChunksCompleted == 2 {
				crash()
			}
		},
	})
	require.ErrorIs(t, err, context.Canceled)
	prog, err := srv.Client().Video.Progress(context.Background(), start.MediaID)
	require.NoError(t, err)
	assert.Equal(t, scopix.VideoUploadUploading, prog.Status)
	assert.Equal(t, 2, prog.ChunksCompleted)
	assert.Empty(t, prog.ConfirmedChunks, "the documented answer does not list the confirmed chunks")
	assert.False(t, prog.LastUpdated.IsZero(), "its naive timestamp decodes")

	before := len(srv.Requests())
	var events []scopix.VideoChunkProgress
	res, err := srv.Client().Video.Resume(context.Background(), path, start.MediaID, start.UploadID, &scopix.VideoUploadParams{
		Concurrency: 1, OnProgress: func(p scopix.VideoChunkProgress) { events = append(events, p) },
	})
	require.NoError(t, err)

	var sent []string
	for _, p := range chunkPuts(srv, before) {
		sent = append(sent, chunkNumber(p))
	}
	assert.Equal(t, []string{"1", "2", "3", "4", "5", "6"}, sent,
		"which chunks are confirmed is unknown, so every chunk is sent again")
	assertChunksMatch(t, srv, res.MediaID, data)
	assert.Equal(t, "completed", srv.VideoUploadStatus(start.MediaID))
	require.Len(t, events, 6)
	assert.Equal(t, int64(len(data)), events[5].BytesUploaded)
}

func TestVideoResume_RefusesWhatCannotBeResumed(t *testing.T) {
	t.Parallel()
	srv := newVideoServer(t)
	data := randomBytes(3*testChunkSize, 13)
	path := writeVideo(t, "clip.mp4", data)
	other := writeVideo(t, "other.mp4", data[:2*testChunkSize])
	c := srv.Client()
	var start scopix.VideoUploadStart
	srv.FailVideoChunk(2, 100, http.StatusForbidden)
	_, err := c.Video.Upload(context.Background(), path, &scopix.VideoUploadParams{
		Concurrency: 1, KeepOnFailure: true, OnStart: func(s scopix.VideoUploadStart) { start = s },
	})
	require.Error(t, err)

	_, err = c.Video.Resume(context.Background(), other, start.MediaID, "", nil)
	var v *scopix.ValidationError
	require.ErrorAs(t, err, &v, "a file of another size")
	assert.Equal(t, "path", v.Err.Details["field"])

	_, err = c.Video.Resume(context.Background(), path, start.MediaID, "upl_other", nil)
	require.ErrorAs(t, err, &v, "another upload id")
	assert.Equal(t, "upload_id", v.Err.Details["field"])

	aborted, err := c.Video.Abort(context.Background(), start.MediaID, start.UploadID, "changed my mind")
	require.NoError(t, err)
	assert.Equal(t, "aborted", aborted.Status)
	assert.Equal(t, 1, aborted.ChunksRemoved)
	_, err = c.Video.Resume(context.Background(), path, start.MediaID, start.UploadID, nil)
	require.ErrorAs(t, err, &v, "an aborted upload")
	assert.Equal(t, "media_id", v.Err.Details["field"])

	_, err = c.Video.Progress(context.Background(), "vid_unknown")
	var nf *scopix.ResourceNotFoundError
	assert.ErrorAs(t, err, &nf)
}

func TestVideoUpload_CancelledContextAbortsTheUpload(t *testing.T) {
	t.Parallel()
	srv := newVideoServer(t)
	path := writeVideo(t, "clip.mp4", randomBytes(3*testChunkSize, 14))
	ctx, cancel := context.WithCancel(context.Background())
	var mediaID string
	c := srv.Client()
	_, err := c.Video.Upload(ctx, path, &scopix.VideoUploadParams{
		Concurrency: 1,
		OnStart:     func(s scopix.VideoUploadStart) { mediaID = s.MediaID },
		OnProgress:  func(scopix.VideoChunkProgress) { cancel() },
	})
	require.ErrorIs(t, err, context.Canceled)
	var up *scopix.VideoUploadError
	require.ErrorAs(t, err, &up)
	assert.Equal(t, 1, up.PartialChunks)
	require.NoError(t, c.Close(), "Close waits for the abort running in the background")
	assert.Equal(t, "aborted", srv.VideoUploadStatus(mediaID), "abort is sent even though ctx ended")
}

func TestVideoUpload_MemoryDoesNotGrowWithFileSize(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads 512 MiB over loopback")
	}
	srv := scopixtest.NewServer(t)
	path := filepath.Join(t.TempDir(), "big.mp4")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(512<<20))
	require.NoError(t, f.Close())
	c := srv.Client()

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	res, err := c.Video.Upload(context.Background(), path, &scopix.VideoUploadParams{Concurrency: 4})
	runtime.ReadMemStats(&after)
	require.NoError(t, err)

	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("512 MiB upload allocated %.2f MiB in the whole process", float64(allocated)/(1<<20))
	assert.Less(t, allocated, uint64(16<<20))
	assert.Len(t, srv.VideoChunks(res.MediaID), 64)
}

func TestVideoScenes_AfterAnalysis(t *testing.T) {
	t.Parallel()
	srv := newVideoServer(t)
	path := writeVideo(t, "clip.mp4", mp4WithDuration(3*testChunkSize, 1, 45))
	c := srv.Client()
	var polls []*scopix.VideoAnalysisJob
	res, err := c.Video.Upload(context.Background(), path, &scopix.VideoUploadParams{
		WaitForAnalysis: true,
		AnalysisWait:    &scopix.WaitAnalysisOptions{OnProgress: func(j *scopix.VideoAnalysisJob) { polls = append(polls, j) }},
	})
	require.NoError(t, err)
	require.NotNil(t, res.Analysis)
	assert.Equal(t, scopix.VideoAnalysisCompleted, res.Analysis.Status)
	assert.NotEmpty(t, polls)

	scenes, err := c.Video.Scenes(context.Background(), res.MediaID)
	require.NoError(t, err)
	assert.Equal(t, res.MediaID, scenes.VideoID)
	require.Equal(t, 3, scenes.Count, "45 seconds make three scenes")
	require.Len(t, scenes.Scenes, 3)
	for i, s := range scenes.Scenes {
		assert.Equal(t, i, s.SceneIndex)
		assert.NotEmpty(t, s.SceneID)
		assert.Less(t, s.StartTime, s.EndTime)
	}
	assert.InDelta(t, 45.0, scenes.Scenes[2].EndTime, 1e-9)

	thumb, err := c.Video.SceneThumbnail(context.Background(), scenes.Scenes[0].SceneID)
	require.NoError(t, err)
	jpeg, err := io.ReadAll(thumb)
	require.NoError(t, thumb.Close())
	require.NoError(t, err)
	assert.Equal(t, []byte{0xFF, 0xD8}, jpeg[:2])

	_, err = c.Video.SceneThumbnail(context.Background(), "scn_missing")
	var nf *scopix.ResourceNotFoundError
	assert.ErrorAs(t, err, &nf)
	_, err = c.Video.Scenes(context.Background(), "vid_missing")
	assert.ErrorAs(t, err, &nf)
}

// On a synctest clock: with real 20ms steps a loaded machine could finish
// the analysis before the first poll fails it.
func TestVideoUpload_WaitForAnalysisReturnsTheVideoWithTheAnalysisError(t *testing.T) {
	t.Parallel()
	path := writeVideo(t, "clip.mp4", randomBytes(testChunkSize, 15))
	inBubble(t, fakeapi.Options{VideoChunkSize: testChunkSize, JobStepDelay: 20 * time.Millisecond}, func(t *testing.T, b *bubble) {
		res, err := b.Client().Video.Upload(context.Background(), path, &scopix.VideoUploadParams{
			WaitForAnalysis: true,
			AnalysisWait: &scopix.WaitAnalysisOptions{OnProgress: func(j *scopix.VideoAnalysisJob) {
				b.FailVideoAnalysis(j.AnalysisJobID, "model overloaded")
			}},
		})
		var failed *scopix.VideoAnalysisError
		require.ErrorAs(t, err, &failed)
		require.NotNil(t, res, "the upload itself succeeded")
		assert.Equal(t, res.MediaID, failed.MediaID)
		assert.Equal(t, res.AnalysisJobID, failed.AnalysisJobID)
		assert.Equal(t, "failed", failed.Status)
	})
}

func TestVideoAnalysis_QueueStatusAndRetry(t *testing.T) {
	t.Parallel()
	srv := newVideoServer(t)
	c := srv.Client()
	ctx := context.Background()
	mediaID := srv.AddVideo("seeded.mp4", 1000, 30)

	queued, err := c.VideoAnalysis.Queue(ctx, mediaID, &scopix.QueueAnalysisParams{Priority: "high"})
	require.NoError(t, err)
	assert.Equal(t, mediaID, queued.MediaID)
	require.NotEmpty(t, queued.AnalysisJobID)

	byMedia, err := c.VideoAnalysis.StatusByMedia(ctx, mediaID)
	require.NoError(t, err)
	assert.Equal(t, queued.AnalysisJobID, byMedia.AnalysisJobID)

	_, err = c.VideoAnalysis.Retry(ctx, queued.AnalysisJobID, mediaID, "")
	var refused *scopix.ValidationError
	require.ErrorAs(t, err, &refused, "a completed job cannot be retried")

	require.True(t, srv.FailVideoAnalysis(queued.AnalysisJobID, "boom"))
	job, err := c.VideoAnalysis.Status(ctx, queued.AnalysisJobID)
	require.NoError(t, err)
	assert.Equal(t, scopix.VideoAnalysisFailed, job.Status)
	assert.Equal(t, "boom", job.ErrorMessage)

	retried, err := c.VideoAnalysis.Retry(ctx, queued.AnalysisJobID, mediaID, "try again")
	require.NoError(t, err)
	assert.Equal(t, scopix.VideoAnalysisPending, retried.Status)
	assert.Equal(t, 1, retried.RetryCount)
	done, err := c.VideoAnalysis.WaitForCompletion(ctx, queued.AnalysisJobID, nil)
	require.NoError(t, err)
	assert.Equal(t, scopix.VideoAnalysisCompleted, done.Status)

	_, err = c.VideoAnalysis.Status(ctx, "vaj_missing")
	var nf *scopix.ResourceNotFoundError
	assert.ErrorAs(t, err, &nf)
	_, err = c.VideoAnalysis.Queue(ctx, "", nil)
	assert.ErrorAs(t, err, &refused)
	assert.True(t, errors.As(err, &refused) && refused.Err.Details["field"] == "media_id")
}
