package scopix_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/internal/fakeapi"
	"github.com/scopix/scopix-go/scopixtest"
)

// uploadsReference answers batch uploads and their sessions with the JSON
// of the predecessor's api/uploads.md, written from that document and
// independent of the fake: immediate_results only for batches of 5 files
// or fewer, ids through GET uploads/sessions/{id}/status and the paginated
// …/results (newest first, naive microsecond timestamps), the quota check
// with the plan's max_batch_size, and 413 for a batch over enforcedBatch.
type uploadsReference struct {
	*wire
	quotaBatch    int    // max_batch_size the quota check reports (0: no quota-check route)
	enforcedBatch int    // largest batch accepted
	canProceed    bool   // the quota check's answer
	refuseStatus  int    // status of a batch over enforcedBatch (0: 413)
	refuseMessage string // its message (with refuseStatus)
	mu            sync.Mutex
	sessions      map[string][]refFile
	stored        []refFile // every file stored, in order
	batches       []int     // files per request, refused ones included
	refused       int
	clock         time.Time
}

type refFile struct {
	id, name, sha string
	at            time.Time
}

func newUploadsReference(t *testing.T, quotaBatch, enforcedBatch int) *uploadsReference {
	r := &uploadsReference{wire: newWire(t, scopix.WithPollingInterval(5*time.Millisecond)),
		quotaBatch: quotaBatch, enforcedBatch: enforcedBatch, canProceed: true,
		sessions: map[string][]refFile{}, clock: time.Date(2025, 1, 15, 10, 30, 0, 0, time.UTC)}
	if quotaBatch > 0 {
		r.Mux.HandleFunc("GET /uploads/quota-check", r.quotaCheck)
	}
	r.Mux.HandleFunc("POST /files/upload/batch", r.batch)
	r.Mux.HandleFunc("GET /uploads/sessions/{id}/status", r.status)
	r.Mux.HandleFunc("GET /uploads/sessions/{id}/results", r.results)
	r.Mux.HandleFunc("/", func(w http.ResponseWriter, req *http.Request) {
		writeRef(w, http.StatusNotFound, map[string]any{"error": map[string]any{"code": "NOT_FOUND", "message": "Not found", "details": map[string]any{}}})
	})
	return r
}

func writeRef(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (r *uploadsReference) quotaCheck(w http.ResponseWriter, req *http.Request) {
	n, _ := strconv.Atoi(req.URL.Query().Get("file_count"))
	var message any
	if !r.canProceed {
		message = "Monthly upload limit reached: 0 uploads remaining. Upgrade your plan to continue."
	}
	writeRef(w, http.StatusOK, map[string]any{"can_proceed": r.canProceed, "requested": n, "available": 990,
		"monthly_limit": 1000, "current_usage": 10, "prepaid_credits": 0, "max_batch_size": r.quotaBatch,
		"max_concurrent_uploads": 10, "message": message})
}

func (r *uploadsReference) batch(w http.ResponseWriter, req *http.Request) {
	_, params, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
	mr := multipart.NewReader(req.Body, params["boundary"])
	var files []refFile
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		data, _ := io.ReadAll(p)
		if p.FormName() == "files" {
			sum := sha256.Sum256(data)
			files = append(files, refFile{name: p.FileName(), sha: hex.EncodeToString(sum[:])})
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.batches = append(r.batches, len(files))
	if len(files) > r.enforcedBatch {
		r.refused++
		status, message := http.StatusRequestEntityTooLarge, "Too many files in batch"
		if r.refuseStatus != 0 {
			status, message = r.refuseStatus, r.refuseMessage
		}
		writeRef(w, status, map[string]any{"error": map[string]any{"code": "VALIDATION_ERROR",
			"message": message, "details": map[string]any{"max_files": r.enforcedBatch}},
			"request_id": "550e8400-e29b-41d4-a716-446655440000"})
		return
	}
	sessionID := fmt.Sprintf("550e8400-e29b-41d4-a716-%012d", len(r.sessions)+1)
	immediate := []any{}
	for i := range files {
		r.clock = r.clock.Add(time.Millisecond)
		files[i].id = fmt.Sprintf("660e8400-e29b-41d4-a716-%012d", len(r.stored)+1)
		files[i].at = r.clock
		r.stored = append(r.stored, files[i])
		immediate = append(immediate, map[string]any{"image_id": files[i].id, "filename": files[i].name,
			"object_key": "uploads/" + files[i].id + "/" + files[i].name, "status": "completed", "processing_time_ms": 1250.5,
			"skipped": false, "skipped_existing_image_id": nil, "error": nil, "storage_target": "default",
			"media_type": "image", "document_type": nil, "text_extraction_status": nil})
	}
	r.sessions[sessionID] = files
	answer := map[string]any{"session_id": sessionID, "total_files": len(files), "accepted_files": len(files),
		"rejected_files": 0, "status": "processing", "immediate_results": nil,
		"status_url": "/api/v2/uploads/sessions/" + sessionID + "/status", "websocket_channel": "batch." + sessionID,
		"rejections": nil}
	if len(files) <= 5 {
		answer["immediate_results"], answer["status"] = immediate, "completed"
	}
	writeRef(w, http.StatusOK, answer)
}

func (r *uploadsReference) status(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	files := r.sessions[req.PathValue("id")]
	r.mu.Unlock()
	writeRef(w, http.StatusOK, map[string]any{"session_id": req.PathValue("id"), "status": "completed",
		"total_files": len(files), "completed_files": len(files), "failed_files": 0, "skipped_files": 0,
		"pending_files": 0, "progress_percentage": 100.0, "created_at": "2025-01-15T10:30:00Z",
		"recent_completions": []any{}, "recent_errors": []any{}, "websocket_channel": "batch." + req.PathValue("id"),
		"results_url": "/api/v2/uploads/sessions/" + req.PathValue("id") + "/results"})
}

func (r *uploadsReference) results(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	files := slices.Clone(r.sessions[req.PathValue("id")])
	r.mu.Unlock()
	slices.Reverse(files)
	offset, _ := strconv.Atoi(req.URL.Query().Get("offset"))
	limit, err := strconv.Atoi(req.URL.Query().Get("limit"))
	if err != nil {
		limit = 100
	}
	page := []any{}
	for _, f := range files[min(offset, len(files)):min(offset+limit, len(files))] {
		page = append(page, map[string]any{"image_id": f.id, "filename": f.name,
			"object_key": "uploads/" + f.id + "/" + f.name, "status": "completed",
			"description": "Site inspection showing " + f.name, "visible_text": nil, "tags": []string{"inspection"},
			"processing_time_ms": 1250.5, "error_message": nil, "thumbnail_url": "https://cdn.example.com/thumbs/" + f.id,
			"created_at": f.at.Format("2006-01-02T15:04:05.000000")})
	}
	writeRef(w, http.StatusOK, map[string]any{"session_id": req.PathValue("id"), "results": page,
		"total_count": len(files), "offset": offset, "limit": limit, "has_more": offset+limit < len(files),
		"summary": map[string]any{"total_files": len(files), "completed": len(files), "failed": 0, "skipped": 0}})
}

// idsByContent maps each stored file's content to the ids it got.
func (r *uploadsReference) idsByContent() map[string][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string][]string{}
	for _, f := range r.stored {
		out[f.sha] = append(out[f.sha], f.id)
	}
	return out
}

func sha256File(t *testing.T, path string) string {
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// fakeIDs maps each stored file's content to its ids on the fake.
func fakeIDs(srv *scopixtest.Server) map[string][]string {
	out := map[string][]string{}
	for _, f := range srv.Files() {
		out[f.SHA256] = append(out[f.SHA256], f.ID)
	}
	return out
}

// assertEveryFileHasItsID checks that each result carries the id the
// server gave that very file, and that no file was stored twice.
func assertEveryFileHasItsID(t *testing.T, paths []string, res *scopix.BatchUploadResults, ids map[string][]string) {
	t.Helper()
	require.Len(t, res.Results, len(paths))
	for i, r := range res.Results {
		assert.Equal(t, paths[i], r.Path, "results keep the order of the files")
		stored := ids[sha256File(t, r.Path)]
		if assert.Len(t, stored, 1, "%s stored once", r.Path) {
			assert.Equal(t, stored[0], r.ImageID, "%s has its own id", r.Path)
		}
	}
}

// Failure 2 of the documented wire: a batch of more than five files is
// answered with "immediate_results": null; the ids come from the session.
func TestUploadBatch_MoreThanFiveFilesGetTheirIDsFromTheSession(t *testing.T) {
	t.Parallel()
	t.Run("reference", func(t *testing.T) {
		t.Parallel()
		ref := newUploadsReference(t, 20, 20)
		paths := cleanBatch(t, 12)
		res, err := ref.Client.Files.UploadBatch(context.Background(), paths, nil)
		require.NoError(t, err)
		assertEveryFileHasItsID(t, paths, res, ref.idsByContent())
		assert.Equal(t, []int{12}, ref.batches, "one request: the plan allows 20")
		assert.Equal(t, "Site inspection showing "+filepath.Base(paths[3]), res.Results[3].Description)
		assert.Equal(t, scopix.DescriptionCompleted, res.Results[3].DescriptionStatus)
		assert.Equal(t, time.Date(2025, 1, 15, 10, 30, 0, 4e6, time.UTC), res.Results[3].CreatedAt.Time)
	})
	t.Run("scopixtest", func(t *testing.T) {
		t.Parallel()
		srv := scopixtest.NewServer(t)
		paths := cleanBatch(t, 12)
		res, err := srv.Client().Files.UploadBatch(context.Background(), paths, nil)
		require.NoError(t, err)
		assertEveryFileHasItsID(t, paths, res, fakeIDs(srv))
		assert.Equal(t, 1, srv.RequestCount(http.MethodPost, "/files/upload/batch"))
		assert.Len(t, res.SessionIDs, 1)
	})
}

// Failure 5 of the documented wire: without BatchSize the chunk follows the
// plan's max_batch_size, so no request is over the plan's limit.
func TestUploadBatch_ChunksFollowThePlansBatchSize(t *testing.T) {
	t.Parallel()
	t.Run("reference", func(t *testing.T) {
		t.Parallel()
		ref := newUploadsReference(t, 50, 50) // STARTER
		paths := cleanBatch(t, 120)
		res, err := ref.Client.Files.UploadBatch(context.Background(), paths, nil)
		require.NoError(t, err)
		assertEveryFileHasItsID(t, paths, res, ref.idsByContent())
		assert.Equal(t, []int{50, 50, 20}, sorted(ref.batches))
		assert.Zero(t, ref.refused)
	})
	t.Run("reference without quota check", func(t *testing.T) {
		t.Parallel()
		ref := newUploadsReference(t, 0, 50)
		paths := cleanBatch(t, 60)
		res, err := ref.Client.Files.UploadBatch(context.Background(), paths, nil)
		require.NoError(t, err)
		assertEveryFileHasItsID(t, paths, res, ref.idsByContent())
		assert.Zero(t, ref.refused, "the fallback is the smallest plan's 50 files")
	})
	t.Run("scopixtest", func(t *testing.T) {
		t.Parallel()
		srv := scopixtest.NewServer(t, scopixtest.WithPlan(scopixtest.PlanStarter))
		paths := cleanBatch(t, 120)
		res, err := srv.Client().Files.UploadBatch(context.Background(), paths, nil)
		require.NoError(t, err)
		assertEveryFileHasItsID(t, paths, res, fakeIDs(srv))
		assert.Equal(t, 3, srv.RequestCount(http.MethodPost, "/files/upload/batch"), "50, 50 and 20 files")
	})
}

func sorted(list []int) []int {
	list = slices.Clone(list)
	slices.Sort(list)
	slices.Reverse(list)
	return list
}

// A request the server still refuses as too large is sent again in halves:
// every file is stored once, none twice.
func TestUploadBatch_SplitsARequestRefusedAsTooLarge(t *testing.T) {
	t.Parallel()
	t.Run("reference", func(t *testing.T) {
		t.Parallel()
		ref := newUploadsReference(t, 100, 30) // the quota check promises more than the server takes
		paths := cleanBatch(t, 130)
		res, err := ref.Client.Files.UploadBatch(context.Background(), paths, &scopix.UploadParams{Concurrency: 1})
		require.NoError(t, err)
		assertEveryFileHasItsID(t, paths, res, ref.idsByContent())
		assert.Equal(t, []int{100, 50, 25, 25, 25, 25, 30}, ref.batches,
			"after 100 and 50 were refused, later requests start at 25 files")
	})
	t.Run("reference 400 naming the batch size", func(t *testing.T) {
		t.Parallel()
		ref := newUploadsReference(t, 100, 40)
		ref.refuseStatus, ref.refuseMessage = http.StatusBadRequest, "Batch size exceeds your plan's limit of 40 files"
		paths := cleanBatch(t, 80)
		res, err := ref.Client.Files.UploadBatch(context.Background(), paths, nil)
		require.NoError(t, err)
		assertEveryFileHasItsID(t, paths, res, ref.idsByContent())
		assert.Equal(t, []int{80, 40, 40}, ref.batches)
	})
	t.Run("reference 400 for another reason", func(t *testing.T) {
		t.Parallel()
		ref := newUploadsReference(t, 100, 0)
		ref.refuseStatus, ref.refuseMessage = http.StatusBadRequest, "storage_target must be default or custom"
		ref.enforcedBatch = -1
		_, err := ref.Client.Files.UploadBatch(context.Background(), cleanBatch(t, 8), nil)
		var ue *scopix.UploadError
		require.ErrorAs(t, err, &ue)
		assert.Equal(t, scopix.UploadStageBatch, ue.Stage)
		assert.Equal(t, []int{8}, ref.batches, "not split: the refusal is not about size")
	})
	t.Run("scopixtest", func(t *testing.T) {
		t.Parallel()
		srv := scopixtest.NewServer(t, scopixtest.WithPlan(scopixtest.PlanStarter))
		paths := cleanBatch(t, 100)
		res, err := srv.Client().Files.UploadBatch(context.Background(), paths, &scopix.UploadParams{BatchSize: 100})
		require.NoError(t, err)
		assertEveryFileHasItsID(t, paths, res, fakeIDs(srv))
		assert.Equal(t, 3, srv.RequestCount(http.MethodPost, "/files/upload/batch"), "100 refused, then 50 and 50")
	})
}

func TestUploadBatch_QuotaRefusalSendsNothing(t *testing.T) {
	t.Parallel()
	t.Run("reference", func(t *testing.T) {
		t.Parallel()
		ref := newUploadsReference(t, 20, 20)
		ref.canProceed = false
		_, paths := batchDir(t, 3)
		res, err := ref.Client.Files.UploadBatch(context.Background(), paths, nil)
		var quota *scopix.QuotaExceededError
		require.ErrorAs(t, err, &quota)
		assert.Contains(t, err.Error(), "Monthly upload limit reached")
		assert.Equal(t, 1000, quota.Limit)
		assert.Empty(t, res.Results)
		assert.Same(t, res, quota.PartialResults)
		assert.Empty(t, ref.batches, "nothing sent")
	})
	t.Run("scopixtest", func(t *testing.T) {
		t.Parallel()
		srv := scopixtest.NewServer(t, scopixtest.WithUploadQuota(3))
		_, paths := batchDir(t, 10)
		_, err := srv.Client().Files.UploadBatch(context.Background(), paths, nil)
		var quota *scopix.QuotaExceededError
		require.ErrorAs(t, err, &quota)
		assert.Equal(t, 3, quota.Available)
		assert.Contains(t, quota.Err.Message, "Upload quota exceeded")
		assert.Zero(t, srv.RequestCount(http.MethodPost, "/files/upload/batch"))
		assert.Empty(t, srv.Files())
	})
}

// Files of one name (from different directories) take that name's
// results in upload order, whatever order the session lists them in.
func TestUploadBatch_MatchesSessionResultsByFilenameWithDuplicates(t *testing.T) {
	t.Parallel()
	var paths []string
	for i := range 9 {
		dir := filepath.Join(t.TempDir(), strconv.Itoa(i))
		name := []string{"a.jpg", "b.jpg", "a.jpg"}[i%3]
		paths = append(paths, writeFile(t, dir, name, []byte(fmt.Sprintf("\xff\xd8\xff-%d", i))))
	}
	t.Run("reference", func(t *testing.T) {
		t.Parallel()
		ref := newUploadsReference(t, 20, 20)
		res, err := ref.Client.Files.UploadBatch(context.Background(), paths, nil)
		require.NoError(t, err)
		assertEveryFileHasItsID(t, paths, res, ref.idsByContent())
	})
	t.Run("scopixtest", func(t *testing.T) {
		t.Parallel()
		srv := scopixtest.NewServer(t)
		res, err := srv.Client().Files.UploadBatch(context.Background(), paths, nil)
		require.NoError(t, err)
		assertEveryFileHasItsID(t, paths, res, fakeIDs(srv))
	})
}

func TestUploadBatch_SessionFailureKeepsStoredFilesAsPending(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	paths := cleanBatch(t, 8)
	srv.FailNextOn(http.MethodGet, "/uploads/sessions/", 1, http.StatusForbidden, nil)

	res, err := srv.Client().Files.UploadBatch(context.Background(), paths, nil)

	var ue *scopix.UploadError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, scopix.UploadStageSessionResults, ue.Stage)
	require.Len(t, res.SessionIDs, 1)
	assert.Equal(t, res.SessionIDs[0], ue.SessionID)
	assert.Same(t, res, ue.PartialResults)
	var perm *scopix.PermissionError
	assert.ErrorAs(t, err, &perm, "the HTTP error is the cause")
	assert.Len(t, srv.Files(), 8)
	require.Len(t, res.Results, 8, "nothing stored is reported lost")
	assert.Len(t, res.Pending(), 8)
	for _, r := range res.Results {
		assert.Contains(t, r.Error, res.SessionIDs[0], "the result says where its id is")
	}
}

func TestUploadBatch_WaitsForDescriptionsAndReportsEachFileOnce(t *testing.T) {
	t.Parallel()
	inBubble(t, fakeapi.Options{DescriptionDelay: 50 * time.Millisecond}, func(t *testing.T, srv *bubble) {
		_, paths := batchDir(t, 11) // a request of 6 (session) and one of 5 (immediate results)
		srv.FailDescriptionsFor(filepath.Base(paths[2]), filepath.Base(paths[9]))
		var mu sync.Mutex
		calls := map[string]int{}

		res, err := srv.Client().Files.UploadBatch(context.Background(), paths, &scopix.UploadParams{
			BatchSize: 6, WaitForDescriptions: true,
			OnFileComplete: func(r scopix.UploadResult) {
				mu.Lock()
				defer mu.Unlock()
				calls[r.Path]++
				assert.True(t, r.DescriptionStatus.IsTerminal(), "%s final when reported", r.Path)
			},
		})
		require.NoError(t, err)

		assert.Len(t, res.Rejections, 1) // paths[7] holds executable content
		assert.Len(t, res.Pending(), 0)
		assert.Len(t, res.Succeeded(), 8)
		failed := res.Failed()
		require.Len(t, failed, 2)
		assert.Equal(t, []string{paths[2], paths[9]}, []string{failed[0].Path, failed[1].Path})
		assert.Equal(t, scopix.DescriptionFailed, failed[0].DescriptionStatus)
		var de *scopix.DescriptionError
		require.ErrorAs(t, res.Err(), &de)
		assert.Equal(t, failed[0].ImageID, de.ImageID)
		assert.Equal(t, "A fake description of "+filepath.Base(paths[0]), res.Results[0].Description)
		want := map[string]int{}
		for _, r := range res.Results {
			want[r.Path] = 1
		}
		assert.Equal(t, want, calls, "OnFileComplete once per file")
	})
}

// A chunk waiting for its descriptions does not hold its worker: with one
// worker, the four chunks upload back to back and their descriptions are
// awaited together, so the batch takes about one description time, not
// four.
func TestUploadBatch_DescriptionWaitsDoNotHoldTheWorkers(t *testing.T) {
	t.Parallel()
	const describe = 10 * time.Second
	inBubble(t, fakeapi.Options{DescriptionDelay: describe}, func(t *testing.T, srv *bubble) {
		paths := cleanBatch(t, 24)
		start := time.Now()

		res, err := srv.Client(scopix.WithPollingInterval(time.Second)).Files.UploadBatch(context.Background(), paths,
			&scopix.UploadParams{BatchSize: 6, Concurrency: 1, WaitForDescriptions: true})

		require.NoError(t, err)
		require.Len(t, res.Results, 24)
		assert.Empty(t, res.Pending())
		for _, r := range res.Results {
			assert.Equal(t, scopix.DescriptionCompleted, r.DescriptionStatus, r.Path)
		}
		assert.Less(t, time.Since(start), 2*describe, "the four chunks' waits overlapped")
	})
}

// A request split after a 413 does not wait for its halves' descriptions
// either: each half goes on as soon as the one before it is stored, and
// every later request (split before it is sent) too, so the batch still
// takes about one description time. With a rejected file in the first
// half, the results still come back in file order, each with its own id.
func TestUploadBatch_SplitRequestsDoNotWaitForDescriptions(t *testing.T) {
	t.Parallel()
	const describe = 10 * time.Second
	tests := []struct {
		name     string
		paths    func(t *testing.T) []string
		rejected int
	}{
		{"clean", func(t *testing.T) []string { return cleanBatch(t, 24) }, 0},
		{"a rejection in the first half", func(t *testing.T) []string { _, p := batchDir(t, 24); return p }, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			paths := tt.paths(t)
			opts := fakeapi.Options{DescriptionDelay: describe, Plan: fakeapi.Plan{MaxBatchSize: 6}}
			inBubble(t, opts, func(t *testing.T, srv *bubble) {
				start := time.Now()

				res, err := srv.Client(scopix.WithPollingInterval(time.Second)).Files.UploadBatch(context.Background(), paths,
					&scopix.UploadParams{BatchSize: 12, Concurrency: 1, WaitForDescriptions: true})

				require.NoError(t, err)
				assert.Equal(t, 5, srv.CountRequests(http.MethodPost, "/files/upload/batch"), "12 refused, then four of 6")
				assert.Len(t, res.Rejections, tt.rejected)
				require.Len(t, res.Results, 24-tt.rejected)
				assert.Empty(t, res.Pending())
				ids := map[string][]string{}
				for _, f := range srv.Files() {
					ids[f.SHA256] = append(ids[f.SHA256], f.ID)
				}
				stored := slices.DeleteFunc(slices.Clone(paths), func(p string) bool {
					return slices.ContainsFunc(res.Rejections, func(rj scopix.Rejection) bool { return rj.Path == p })
				})
				assertEveryFileHasItsID(t, stored, res, ids)
				for _, r := range res.Results {
					assert.Equal(t, scopix.DescriptionCompleted, r.DescriptionStatus, r.Path)
				}
				assert.Less(t, time.Since(start), 2*describe, "the halves' waits overlapped")
			})
		})
	}
}

// A file the session has not reported when the wait ends is pending, and
// says so; the wait itself runs on a fake clock.
func TestUploadBatch_FileUnknownAtTheTimeoutIsPending(t *testing.T) {
	t.Parallel()
	paths := cleanBatch(t, 6)
	inBubble(t, fakeapi.Options{DescriptionDelay: time.Hour}, func(t *testing.T, b *bubble) {
		c := b.Client(scopix.WithPollingInterval(time.Second), scopix.WithPollingTimeout(10*time.Minute))
		start := time.Now()

		res, err := c.Files.UploadBatch(context.Background(), paths, &scopix.UploadParams{DescriptionTimeout: time.Minute})
		require.NoError(t, err)

		assert.Equal(t, time.Minute, time.Since(start).Round(time.Second), "DescriptionTimeout bounds the wait")
		require.Len(t, res.Results, 6)
		assert.Len(t, res.Pending(), 6)
		for _, r := range res.Results {
			assert.Empty(t, r.ImageID)
			assert.Equal(t, "pending", r.Status)
			assert.Contains(t, r.Error, "had not reported this file")
		}
		assert.Contains(t, res.Summary(), "6 pending")
	})
}

// A batch file that goes away or shrinks between the check and the send
// stops its chunk with an *UploadError naming it: the request is not
// retried (the file will not come back by asking again), nothing of the
// chunk is stored, and the local failure does not count against the
// circuit breaker.
func TestUploadBatch_FileChangedAfterTheCheckStopsItsChunk(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		change  func(path string) error
		want    string
		wantErr error
	}{
		{"removed", os.Remove, "cannot open", fs.ErrNotExist},
		{"shrank", func(path string) error { return os.Truncate(path, 1) }, "shorter than when it was checked", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := scopixtest.NewServer(t)
			_, paths := batchDir(t, 6)
			changed := paths[3]
			var once sync.Once
			var attempts atomic.Int64
			change := func(req *http.Request, next scopix.MiddlewareNext) (*http.Response, error) {
				if req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/files/upload/batch") {
					attempts.Add(1)
					once.Do(func() { require.NoError(t, tt.change(changed)) })
				}
				return next(req)
			}
			c := srv.Client(scopix.WithMiddleware(change), scopix.WithCircuitBreaker(scopix.CircuitBreakerSettings{FailureThreshold: 1}))

			res, err := c.Files.UploadBatch(context.Background(), paths, nil)

			var ue *scopix.UploadError
			require.ErrorAs(t, err, &ue)
			assert.Equal(t, scopix.UploadStageBatch, ue.Stage)
			assert.Equal(t, filepath.Base(changed), ue.Filename)
			assert.Contains(t, ue.Error(), tt.want)
			assert.Contains(t, ue.Error(), changed)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
			}
			assert.Equal(t, int64(1), attempts.Load(), "not retried")
			assert.Empty(t, srv.Files(), "the request did not complete, so nothing was stored")
			require.NotNil(t, res)
			assert.Empty(t, res.Results)

			_, err = c.Files.UploadBatch(context.Background(), paths[:2], nil)
			assert.NoError(t, err, "the breaker did not count the local failure")
		})
	}
}

// A file whose name holds a line break is sent with it percent-encoded, as
// browsers and mime/multipart do (a raw one would end the part's header
// line); the server reports the name as it read it, and the file still
// gets its id.
func TestUploadBatch_FileNameWithALineBreakGetsItsID(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 6} { // immediate results, and ids from the session
		t.Run(fmt.Sprint(n, " files"), func(t *testing.T) {
			t.Parallel()
			srv := scopixtest.NewServer(t)
			paths := cleanBatch(t, n)
			odd := filepath.Join(filepath.Dir(paths[0]), "line\r\nbreak.jpg")
			require.NoError(t, os.Rename(paths[0], odd))
			paths[0] = odd

			res, err := srv.Client().Files.UploadBatch(context.Background(), paths, nil)

			require.NoError(t, err)
			assertEveryFileHasItsID(t, paths, res, fakeIDs(srv))
			var names []string
			for _, f := range srv.Files() {
				names = append(names, f.Filename)
			}
			assert.Contains(t, names, "line%0D%0Abreak.jpg")
		})
	}
}
