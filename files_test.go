package scopix_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
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

// writeFile writes data to name inside dir and returns its path.
func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, data, 0o644))
	return path
}

// sparseFile makes a file of size bytes that takes no disk space.
func sparseFile(t testing.TB, size int64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "big.bin")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(size))
	require.NoError(t, f.Close())
	return path
}

// multipartRecord is one multipart request a wire-level test server saw.
type multipartRecord struct {
	contentLength int64
	bodyLen       int
	fields        map[string]string
	fileField     string
	filename      string
	fileBytes     []byte
	raw           []byte
}

func readMultipart(t *testing.T, r *http.Request) multipartRecord {
	raw, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	rec := multipartRecord{contentLength: r.ContentLength, bodyLen: len(raw), fields: map[string]string{}, raw: raw}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	require.NoError(t, err)
	mr := multipart.NewReader(bytes.NewReader(raw), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		data, err := io.ReadAll(p)
		require.NoError(t, err)
		if p.FileName() != "" {
			rec.fileField, rec.filename, rec.fileBytes = p.FormName(), p.FileName(), data
			continue
		}
		rec.fields[p.FormName()] = string(data)
	}
	return rec
}

func TestUpload_MultipartBodyOnTheWire(t *testing.T) {
	t.Parallel()
	content := bytes.Repeat([]byte("\x89PNG-pixels-"), 1000)
	path := writeFile(t, t.TempDir(), "photo.png", content)
	var rec multipartRecord
	wire := newWire(t)
	wire.Mux.HandleFunc("POST /files/upload", func(w http.ResponseWriter, r *http.Request) {
		rec = readMultipart(t, r)
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"image_id":"img_1","filename":"photo.png","status":"completed","description_status":"pending","description":null}`)
	})

	res, err := wire.Client.Files.Upload(context.Background(), path, &scopix.UploadParams{
		Title: "Front door", Tags: []string{"site-a", "door"}, AutoDescribe: scopix.Ptr(false),
		FolderID: "fold_1", ContentCategory: "real_estate",
	})
	require.NoError(t, err)

	assert.Equal(t, "img_1", res.ImageID)
	assert.Equal(t, scopix.DescriptionPending, res.DescriptionStatus)
	assert.Equal(t, int64(rec.bodyLen), rec.contentLength, "Content-Length equals the bytes sent")
	assert.Equal(t, map[string]string{"title": "Front door", "tags": "site-a,door", "auto_describe": "false",
		"folder_id": "fold_1", "content_category": "real_estate"}, rec.fields)
	assert.Equal(t, "file", rec.fileField)
	assert.Equal(t, "photo.png", rec.filename)
	assert.Equal(t, content, rec.fileBytes, "the file's exact bytes")
	assert.Less(t, bytes.Index(rec.raw, []byte(`name="title"`)), bytes.Index(rec.raw, []byte(`name="file"`)),
		"form fields come before the file so the server can stream it")
	assert.NotContains(t, rec.fields, "skip_duplicates", "a first attempt does not ask to skip duplicates")
}

func TestUpload_RetryCarriesIdenticalBytesAndSkipDuplicates(t *testing.T) {
	t.Parallel()
	content := []byte("GIF89a-some-image-bytes")
	path := writeFile(t, t.TempDir(), "anim.gif", content)
	var attempts []multipartRecord
	wire := newWire(t)
	wire.Mux.HandleFunc("POST /files/upload", func(w http.ResponseWriter, r *http.Request) {
		attempts = append(attempts, readMultipart(t, r))
		if len(attempts) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, `{"image_id":null,"filename":"anim.gif","status":"skipped","skipped":true,"skipped_existing_image_id":"img_first"}`)
	})

	res, err := wire.Client.Files.Upload(context.Background(), path, nil)
	require.NoError(t, err)

	require.Len(t, attempts, 2)
	assert.Equal(t, attempts[0].fileBytes, attempts[1].fileBytes)
	assert.Equal(t, content, attempts[1].fileBytes)
	assert.Empty(t, attempts[0].fields["skip_duplicates"])
	assert.Equal(t, "true", attempts[1].fields["skip_duplicates"])
	assert.Equal(t, int64(attempts[1].bodyLen), attempts[1].contentLength)
	assert.True(t, res.Skipped)
	assert.Equal(t, "img_first", res.ImageID, "the file the first attempt created is the result")
}

func TestUpload_RetriedUploadDoesNotDuplicate(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	path := writeFile(t, t.TempDir(), "scan.jpg", []byte("\xff\xd8\xff-jpeg-bytes"))
	srv.FailUploadsAfterStoring(1) // the file is stored but the answer is lost

	res, err := c.Files.Upload(context.Background(), path, nil)
	require.NoError(t, err)

	files := srv.Files()
	require.Len(t, files, 1, "exactly one file exists")
	assert.Equal(t, files[0].ID, res.ImageID)
	assert.True(t, res.Skipped)
	assert.Equal(t, 2, srv.RequestCount(http.MethodPost, "/files/upload"))
}

func TestUpload_SmallFileStoredWithOptions(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	content := []byte("\xff\xd8\xff-kitchen")
	path := writeFile(t, t.TempDir(), "kitchen.jpg", content)

	res, err := c.Files.Upload(context.Background(), path, &scopix.UploadParams{Title: "Kitchen", Tags: []string{"a", "b"}})
	require.NoError(t, err)

	files := srv.Files()
	require.Len(t, files, 1)
	assert.Equal(t, res.ImageID, files[0].ID)
	assert.Equal(t, "kitchen.jpg", res.Filename)
	assert.Equal(t, scopix.MediaTypeImage, res.MediaType)
	assert.Equal(t, "Kitchen", files[0].Title)
	assert.Equal(t, []string{"a", "b"}, files[0].Tags)
	assert.Equal(t, content, files[0].Data)
	assert.False(t, res.CreatedAt.IsZero())
}

func TestUpload_ProgressReportedWhileBytesGoOut(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	size := int64(3 << 20)
	path := writeFile(t, t.TempDir(), "big.png", bytes.Repeat([]byte{7}, int(size)))
	var seen []scopix.UploadProgress

	_, err := c.Files.Upload(context.Background(), path, &scopix.UploadParams{
		OnProgress: func(p scopix.UploadProgress) { seen = append(seen, p) },
	})
	require.NoError(t, err)

	require.Greater(t, len(seen), 2, "progress arrives several times during the upload, not once at the end")
	assert.Equal(t, size, seen[len(seen)-1].SentBytes)
	assert.Equal(t, size, seen[0].TotalBytes)
	assert.Less(t, seen[0].SentBytes, size)
	assert.True(t, slices.IsSortedFunc(seen, func(a, b scopix.UploadProgress) int { return int(a.SentBytes - b.SentBytes) }))
}

// A direct upload's parts go up in parallel and each reports its bytes as
// they go out: the total the caller sees never goes back while no part is
// sent again.
func TestUpload_DirectUploadProgressNeverGoesBack(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t, scopixtest.WithDirectUploadPartSize(16<<10))
	size := int64(4 << 20)
	path := writeFile(t, t.TempDir(), "big.png", bytes.Repeat([]byte{7}, int(size)))
	var seen []int64

	_, err := srv.Client().Files.Upload(context.Background(), path, &scopix.UploadParams{
		ForceDirect: true, Concurrency: 4,
		OnProgress: func(p scopix.UploadProgress) { seen = append(seen, p.SentBytes) },
	})
	require.NoError(t, err)

	require.Equal(t, 1, len(srv.DirectUploads()), "a direct upload")
	require.NotEmpty(t, seen)
	assert.Equal(t, size, seen[len(seen)-1])
	for i := 1; i < len(seen); i++ {
		if seen[i] < seen[i-1] {
			t.Fatalf("progress went back from %d to %d (report %d of %d)", seen[i-1], seen[i], i, len(seen))
		}
	}
}

func TestUploadReader_ReplaysReaderAtAndRefusesBadInput(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	srv.FailNextOn(http.MethodPost, "/files/upload", 1, http.StatusBadGateway, nil)
	data := []byte("\x89PNG-reader")

	res, err := c.Files.UploadReader(context.Background(), "r.png", bytes.NewReader(data), int64(len(data)), nil)
	require.NoError(t, err)
	files := srv.Files()
	require.Len(t, files, 1)
	assert.Equal(t, data, files[0].Data)
	assert.Equal(t, files[0].ID, res.ImageID)

	_, err = c.Files.UploadReader(context.Background(), "", bytes.NewReader(data), 1, nil)
	var ve *scopix.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"filename"}, ve.Fields[0].Loc)
	_, err = c.Files.UploadReader(context.Background(), "x.png", io.LimitReader(bytes.NewReader(data), 5), 200<<20, nil)
	require.ErrorAs(t, err, &ve, "a large upload needs an io.ReaderAt")
}

func TestUpload_QuotaExceeded(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t, scopixtest.WithUploadQuota(1))
	c := srv.Client()
	dir := t.TempDir()
	_, err := c.Files.Upload(context.Background(), writeFile(t, dir, "a.jpg", []byte("\xff\xd8a")), nil)
	require.NoError(t, err)

	_, err = c.Files.Upload(context.Background(), writeFile(t, dir, "b.jpg", []byte("\xff\xd8b")), nil)

	var quota *scopix.QuotaExceededError
	require.ErrorAs(t, err, &quota)
	assert.Equal(t, 1, quota.Limit)
	assert.Equal(t, 0, quota.Available)
	assert.Len(t, srv.Files(), 1)
}

func TestUpload_MissingFileIsValidationError(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	_, err := srv.Client().Files.Upload(context.Background(), filepath.Join(t.TempDir(), "nope.jpg"), nil)
	var ve *scopix.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"path"}, ve.Fields[0].Loc)
	assert.Contains(t, err.Error(), "nope.jpg")
	assert.Zero(t, srv.Stats().Requests)
}

// inflightTransport counts concurrent part PUTs and remembers whether any
// storage request carried Authorization.
type inflightTransport struct {
	base       *http.Transport
	cur, max   atomic.Int64
	authOnPart atomic.Bool
}

func (t *inflightTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasPrefix(r.URL.Path, "/storage/") {
		if r.Header.Get("Authorization") != "" {
			t.authOnPart.Store(true)
		}
		n := t.cur.Add(1)
		defer t.cur.Add(-1)
		for m := t.max.Load(); n > m && !t.max.CompareAndSwap(m, n); m = t.max.Load() {
		}
	}
	return t.base.RoundTrip(r)
}

func (t *inflightTransport) CloseIdleConnections() { t.base.CloseIdleConnections() }

// On a synctest clock the server's latency holds every part in flight
// until all the workers have started, however loaded the machine.
func TestUpload_DirectUploadAboveLimitRunsPartsInParallel(t *testing.T) {
	t.Parallel()
	size := int64(100*1000*1000 + 5<<20)
	path := sparseFile(t, size)
	inBubble(t, fakeapi.Options{DirectUploadPartSize: 16 << 20}, func(t *testing.T, b *bubble) {
		tr := &inflightTransport{base: pipeTransport(t, b.HTTP.Config.Handler)}
		c := b.Client(scopix.WithHTTPClient(&http.Client{Transport: tr}))
		b.SetLatency(20 * time.Millisecond)                         // so parts overlap visibly
		b.FailDirectUploadPart(3, 2, http.StatusServiceUnavailable) // fails twice, then succeeds

		res, err := c.Files.Upload(context.Background(), path, &scopix.UploadParams{Title: "big"})
		require.NoError(t, err)

		ups := b.DirectUploads()
		require.Len(t, ups, 1)
		up := ups[0]
		assert.True(t, up.Completed)
		assert.Equal(t, 7, up.Parts)
		assert.Equal(t, []int{1, 2, 3, 4, 5, 6, 7}, up.CompletedParts, "ETags are sent in part order")
		assert.Equal(t, up.FileID, res.ImageID)
		assert.Equal(t, 3, b.CountRequests(http.MethodPut, "/storage/direct/"+up.ID+"/3"), "part 3: two failures and a success")
		assert.Greater(t, tr.max.Load(), int64(1), "parts go up in parallel")
		assert.LessOrEqual(t, tr.max.Load(), int64(4), "at most the default concurrency")
		assert.False(t, tr.authOnPart.Load(), "no Authorization on presigned URLs")
		assert.Zero(t, b.Stats().AuthViolations)
		files := b.Files()
		require.Len(t, files, 1)
		assert.Equal(t, size, files[0].Size)
		assert.Equal(t, "big", files[0].Title)
		assert.Zero(t, b.CountRequests(http.MethodPost, "/files/upload"), "no multipart upload for a large file")
	})
}

func TestUpload_DirectUploadPartFailingForGoodAborts(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t, scopixtest.WithDirectUploadPartSize(1<<20))
	c := srv.Client(scopix.WithMaxRetries(2))
	path := writeFile(t, t.TempDir(), "doc.pdf", bytes.Repeat([]byte("%PDF"), 1<<20)) // 4 MiB, 4 parts
	srv.FailDirectUploadPart(2, 100, http.StatusInternalServerError)

	_, err := c.Files.Upload(context.Background(), path, &scopix.UploadParams{ForceDirect: true})

	var ue *scopix.UploadError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "upload", ue.Stage)
	assert.Equal(t, "doc.pdf", ue.Filename)
	assert.Equal(t, "upload", ue.Err.Details["stage"])
	var se *scopix.ServerError
	assert.ErrorAs(t, err, &se, "the storage error is kept as the cause")
	assert.NotContains(t, err.Error(), "X-Amz-Signature", "presigned query strings never appear")
	ups := srv.DirectUploads()
	require.Len(t, ups, 1)
	assert.True(t, ups[0].Aborted, "abort is called")
	assert.False(t, ups[0].Completed)
	assert.Equal(t, 1, srv.RequestCount(http.MethodDelete, "/files/direct-uploads/"))
	assert.Empty(t, srv.Files())
}

func TestUpload_DirectUploadStagesReportedOnFailure(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		stage, method, path string
	}{
		{"initiate", http.MethodPost, "/files/direct-uploads"},
		{"complete", http.MethodPost, "/files/direct-uploads/"},
	} {
		t.Run(tc.stage, func(t *testing.T) {
			t.Parallel()
			srv := scopixtest.NewServer(t, scopixtest.WithDirectUploadPartSize(1<<20))
			c := srv.Client()
			path := writeFile(t, t.TempDir(), "a.png", bytes.Repeat([]byte{1}, 2<<20))
			if tc.stage == "complete" {
				srv.FailNextOn(http.MethodPost, "/files/direct-uploads/", 10, http.StatusBadRequest, nil)
			} else {
				srv.FailNextOn(tc.method, tc.path, 10, http.StatusBadRequest, nil)
			}

			_, err := c.Files.Upload(context.Background(), path, &scopix.UploadParams{ForceDirect: true})

			var ue *scopix.UploadError
			require.ErrorAs(t, err, &ue)
			assert.Equal(t, tc.stage, ue.Stage)
			var ve *scopix.ValidationError
			assert.ErrorAs(t, err, &ve)
		})
	}
}

// TestUpload_DirectUploadMemoryIsBounded uploads 256 MiB through the direct
// path and bounds what the whole process (client and in-process fake)
// allocates: below 16 MiB. It does not run in parallel with other tests.
func TestUpload_DirectUploadMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads 256 MiB")
	}
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	const size = 256 << 20
	path := sparseFile(t, size)
	ctx := context.Background()
	// Warm up connections and lazily built tables outside the measurement.
	_, err := c.Files.Upload(ctx, writeFile(t, t.TempDir(), "w.png", []byte("\x89PNGw")), &scopix.UploadParams{ForceDirect: true})
	require.NoError(t, err)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res, err := c.Files.Upload(ctx, path, nil)
	runtime.ReadMemStats(&after)
	require.NoError(t, err)

	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("256 MiB direct upload allocated %d KiB (%.5f bytes per byte)", allocated>>10, float64(allocated)/size)
	assert.Less(t, allocated, uint64(16<<20))
	assert.NotEmpty(t, res.ImageID)
}

func TestFiles_IDsAreOneEscapedPathSegment(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()

	_, err := c.Files.Get(context.Background(), "../admin")

	var nf *scopix.ResourceNotFoundError
	require.ErrorAs(t, err, &nf)
	assert.Equal(t, "../admin", nf.ResourceID)
	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	assert.Equal(t, "/api/v2/files/..%2Fadmin", reqs[len(reqs)-1].RawPath)
}

func TestList_QueryEncoding(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	from := time.Date(2025, 3, 1, 8, 30, 0, 0, time.FixedZone("CET", 3600))
	to := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)

	_, err := c.Files.List(context.Background(), &scopix.FileListParams{
		Search: "door", SearchMode: scopix.SearchMetadata, Tags: []string{"a", "b c"},
		MediaTypes:     []scopix.MediaType{scopix.MediaTypeImage, scopix.MediaTypeDocument},
		HasDescription: scopix.Ptr(false), DateFrom: from, DateTo: to, IDs: []string{"x", "y"},
		Limit: 10, Offset: 20, SortBy: scopix.SortByTitle, SortOrder: scopix.SortAsc, FolderID: "f1",
	})
	require.NoError(t, err)

	reqs := srv.Requests()
	q, err := url.ParseQuery(reqs[len(reqs)-1].Query)
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"search": {"door"}, "search_mode": {"metadata"}, "tags": {"a", "b c"}, "media_types": {"image", "document"},
		"has_description": {"false"}, "date_from": {"2025-03-01T08:30:00+01:00"}, "date_to": {"2025-04-01T00:00:00Z"},
		"ids": {"x", "y"}, "limit": {"10"}, "offset": {"20"}, "sort_by": {"title"}, "sort_order": {"asc"}, "folder_id": {"f1"},
	}, q)
}

func TestList_RejectsBadParamsBeforeSending(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	for field, p := range map[string]*scopix.FileListParams{
		"limit":  {Limit: 101},
		"offset": {Offset: -1},
		"ids":    {IDs: make([]string, 501)},
	} {
		_, err := c.Files.List(context.Background(), p)
		var ve *scopix.ValidationError
		require.ErrorAs(t, err, &ve, field)
		assert.Equal(t, []string{field}, ve.Fields[0].Loc)
	}
	assert.Zero(t, srv.Stats().Requests)
}

func uploadN(t *testing.T, c *scopix.Client, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range n {
		data := []byte(fmt.Sprintf("\x89PNG-%d", i))
		res, err := c.Files.UploadReader(context.Background(), fmt.Sprintf("f%d.png", i), bytes.NewReader(data), int64(len(data)),
			&scopix.UploadParams{Tags: []string{"batch"}})
		require.NoError(t, err)
		ids[i] = res.ImageID
	}
	return ids
}

func TestListAll_IteratesPagesAndStopsOnBreak(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ids := uploadN(t, c, 7)
	params := &scopix.FileListParams{Limit: 3, Tags: []string{"batch"}, SortOrder: scopix.SortAsc}

	var got []string
	for f, err := range c.Files.ListAll(context.Background(), params) {
		require.NoError(t, err)
		got = append(got, f.ID)
	}
	assert.Equal(t, ids, got)
	assert.Equal(t, 3, srv.RequestCount(http.MethodGet, "/files"), "three pages of 3, 3 and 1")
	assert.Equal(t, 0, params.Offset, "the caller's params are not changed")

	before := srv.RequestCount(http.MethodGet, "/files")
	n := 0
	for range c.Files.ListAll(context.Background(), params) {
		n++
		if n == 4 {
			break
		}
	}
	assert.Equal(t, 2, srv.RequestCount(http.MethodGet, "/files")-before, "no page is fetched after the break")
}

func TestListAll_StopsAfterYieldingAnError(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client(scopix.WithMaxRetries(0))
	uploadN(t, c, 4)
	srv.FailNextOn(http.MethodGet, "/files", 1, http.StatusForbidden, nil)

	var errs int
	for _, err := range c.Files.ListAll(context.Background(), &scopix.FileListParams{Limit: 2}) {
		if err != nil {
			errs++
			var pe *scopix.PermissionError
			assert.ErrorAs(t, err, &pe)
		}
	}
	assert.Equal(t, 1, errs)
	assert.Equal(t, 1, srv.RequestCount(http.MethodGet, "/files"))
}

func TestFiles_GetUpdateDeleteBatchDelete(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	ids := uploadN(t, c, 3)

	d, err := c.Files.Get(ctx, ids[0])
	require.NoError(t, err)
	assert.Equal(t, ids[0], d.ID)
	assert.Equal(t, scopix.DescriptionCompleted, d.DescriptionStatus)
	assert.NotEmpty(t, d.UploadDescription)
	assert.Equal(t, &scopix.Dimensions{Width: 640, Height: 480}, d.Dimensions)

	up, err := c.Files.Update(ctx, ids[0], &scopix.FileUpdateParams{Title: scopix.Ptr("New"), Tags: []string{"x"}})
	require.NoError(t, err)
	assert.Equal(t, "New", up.Title)
	assert.Equal(t, []string{"x"}, up.Tags)
	_, err = c.Files.Update(ctx, ids[0], &scopix.FileUpdateParams{})
	var ve *scopix.ValidationError
	require.ErrorAs(t, err, &ve)

	del, err := c.Files.Delete(ctx, ids[0])
	require.NoError(t, err)
	assert.Equal(t, ids[0], del.ID)
	assert.False(t, del.DeletedAt.IsZero())
	_, err = c.Files.Get(ctx, ids[0])
	var nf *scopix.ResourceNotFoundError
	require.ErrorAs(t, err, &nf)

	bd, err := c.Files.BatchDelete(ctx, []string{ids[1], ids[2], "missing"})
	require.NoError(t, err)
	assert.Equal(t, 2, bd.Summary.Deleted)
	assert.Equal(t, 1, bd.Summary.Failed)
	assert.Empty(t, srv.Files())

	_, err = c.Files.BatchDelete(ctx, []string{"a", "a"})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"file_ids[1]"}, ve.Fields[0].Loc)
}

// The waits run in synctest bubbles: the description delays, the polls and
// the timeouts are on a fake clock, so a loaded machine changes nothing.
func TestWaitForDescription(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("pending then completed", func(t *testing.T) {
		t.Parallel()
		inBubble(t, fakeapi.Options{DescriptionDelay: 60 * time.Millisecond}, func(t *testing.T, b *bubble) {
			c := b.Client()
			id := uploadN(t, c, 1)[0]
			var statuses []scopix.DescriptionStatus

			d, err := c.Files.WaitForDescription(ctx, id, &scopix.WaitDescriptionOptions{
				Interval: 5 * time.Millisecond, OnProgress: func(d *scopix.FileDetails) { statuses = append(statuses, d.DescriptionStatus) }})

			require.NoError(t, err)
			assert.Equal(t, scopix.DescriptionCompleted, d.DescriptionStatus)
			assert.NotEmpty(t, d.UploadDescription)
			assert.Equal(t, scopix.DescriptionPending, statuses[0])
			assert.Equal(t, scopix.DescriptionCompleted, statuses[len(statuses)-1])
		})
	})
	t.Run("pending then failed", func(t *testing.T) {
		t.Parallel()
		inBubble(t, fakeapi.Options{DescriptionDelay: 30 * time.Millisecond, FailDescriptions: true}, func(t *testing.T, b *bubble) {
			c := b.Client()
			id := uploadN(t, c, 1)[0]

			_, err := c.Files.WaitForDescription(ctx, id, &scopix.WaitDescriptionOptions{Interval: 5 * time.Millisecond})

			var de *scopix.DescriptionError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, id, de.ImageID)
			assert.Equal(t, "failed", de.Status)
			assert.Equal(t, id, de.Err.Details["image_id"])
		})
	})
	t.Run("timeout keeps the last result", func(t *testing.T) {
		t.Parallel()
		inBubble(t, fakeapi.Options{DescriptionDelay: time.Hour}, func(t *testing.T, b *bubble) {
			c := b.Client()
			id := uploadN(t, c, 1)[0]

			_, err := c.Files.WaitForDescription(ctx, id, &scopix.WaitDescriptionOptions{Timeout: 40 * time.Millisecond, Interval: 5 * time.Millisecond})

			var te *scopix.TimeoutError
			require.ErrorAs(t, err, &te)
			last, ok := te.LastResult.(*scopix.FileDetails)
			require.True(t, ok)
			assert.Equal(t, scopix.DescriptionPending, last.DescriptionStatus)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
		})
	})
	t.Run("ctx cancel", func(t *testing.T) {
		t.Parallel()
		inBubble(t, fakeapi.Options{DescriptionDelay: time.Hour}, func(t *testing.T, b *bubble) {
			c := b.Client()
			id := uploadN(t, c, 1)[0]
			cctx, cancel := context.WithCancel(ctx)
			time.AfterFunc(30*time.Millisecond, cancel)

			_, err := c.Files.WaitForDescription(cctx, id, &scopix.WaitDescriptionOptions{Interval: 5 * time.Millisecond})

			assert.ErrorIs(t, err, context.Canceled)
			var base *scopix.Error
			assert.ErrorAs(t, err, &base)
		})
	})
}

func TestWaitForProcessing_DocumentTextAndFailure(t *testing.T) {
	t.Parallel()
	inBubble(t, fakeapi.Options{DescriptionDelay: 20 * time.Millisecond}, func(t *testing.T, srv *bubble) {
		c := srv.Client()
		ctx := context.Background()
		dir := t.TempDir()
		good, err := c.Files.Upload(ctx, writeFile(t, dir, "notes.md", []byte("# Title\n\nFirst part.\n\nSecond part.")), nil)
		require.NoError(t, err)
		bad, err := c.Files.Upload(ctx, writeFile(t, dir, "broken.pdf", []byte("%PDF-broken")), nil)
		require.NoError(t, err)
		srv.FailTextExtraction(bad.ImageID)

		st, err := c.Files.WaitForProcessing(ctx, good.ImageID, &scopix.WaitProcessingOptions{Interval: 5 * time.Millisecond})
		require.NoError(t, err)
		assert.Equal(t, "completed", st.TextExtractionStatus)
		assert.Equal(t, 3, st.ChunkCount)

		text, err := c.Files.Text(ctx, good.ImageID)
		require.NoError(t, err)
		assert.Contains(t, text.Text, "Second part.")
		chunks, err := c.Files.Chunks(ctx, good.ImageID, &scopix.ChunksParams{IncludeEmbeddings: true})
		require.NoError(t, err)
		assert.Equal(t, 3, chunks.TotalChunks)
		assert.Equal(t, "First part.", chunks.Chunks[1].Content)
		assert.NotEmpty(t, chunks.Chunks[0].Embedding)

		_, err = c.Files.WaitForProcessing(ctx, bad.ImageID, &scopix.WaitProcessingOptions{Interval: 5 * time.Millisecond})
		var dpe *scopix.DocumentProcessingError
		require.ErrorAs(t, err, &dpe)
		assert.Equal(t, bad.ImageID, dpe.DocumentID)
	})
}

func TestDownloadAndVariantURL_GoToStorageWithoutTheKey(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	content := bytes.Repeat([]byte("\x89PNG-original"), 5000)
	res, err := c.Files.Upload(ctx, writeFile(t, t.TempDir(), "o.png", content), nil)
	require.NoError(t, err)

	rc, err := c.Files.Download(ctx, res.ImageID)
	require.NoError(t, err)
	got, err := io.ReadAll(rc)
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	assert.Equal(t, content, got)

	u, err := c.Files.VariantURL(ctx, res.ImageID, scopix.VariantSmall)
	require.NoError(t, err)
	assert.Contains(t, u, "/storage/files/"+res.ImageID+"/small_256")

	_, err = c.Files.Download(ctx, "missing")
	var nf *scopix.ResourceNotFoundError
	assert.ErrorAs(t, err, &nf)
	assert.Zero(t, srv.Stats().AuthViolations, "storage never sees the API key")
}

func TestVariantURL_AnswerShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		answer   func(w http.ResponseWriter)
		want     string
		wantCode string
	}{
		{"JSON url", func(w http.ResponseWriter) {
			_ = json.NewEncoder(w).Encode(map[string]string{"url": "https://cdn.example/x.jpg?sig=1"})
		}, "https://cdn.example/x.jpg?sig=1", ""},
		{"relative redirect", func(w http.ResponseWriter) {
			w.Header().Set("Location", "/storage/x.jpg?sig=2")
			w.WriteHeader(http.StatusFound)
		}, "SERVER/storage/x.jpg?sig=2", ""}, // resolved against the API's URL
		{"redirect without Location", func(w http.ResponseWriter) { w.WriteHeader(http.StatusTemporaryRedirect) }, "", scopix.CodeResponseUnreadable},
		{"JSON without url", func(w http.ResponseWriter) { _, _ = w.Write([]byte(`{"variant":"large_1024"}`)) }, "", scopix.CodeResponseUnreadable},
		{"not JSON", func(w http.ResponseWriter) { _, _ = w.Write([]byte(`<html>`)) }, "", scopix.CodeResponseUnreadable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wire := newWire(t)
			wire.Mux.HandleFunc("GET /files/{id}/variants/{variant}", func(w http.ResponseWriter, r *http.Request) { tt.answer(w) })

			u, err := wire.Client.Files.VariantURL(context.Background(), "img/1", scopix.VariantLarge)
			assert.Equal(t, "/api/v2/files/img%2F1/variants/large_1024", wire.Requests()[0].Path)
			if tt.wantCode != "" {
				var se *scopix.Error
				require.ErrorAs(t, err, &se)
				assert.Equal(t, tt.wantCode, se.Code)
				assert.Empty(t, u)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, strings.Replace(tt.want, "SERVER", wire.URL, 1), u)
		})
	}
}

func TestAnalyze(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	res, err := c.Files.Analyze(context.Background(), writeFile(t, t.TempDir(), "a.jpg", []byte("\xff\xd8analyze")),
		&scopix.AnalyzeParams{ContentCategory: "auto", Timeout: 10 * time.Second})
	require.NoError(t, err)
	assert.Equal(t, scopix.DescriptionCompleted, res.DescriptionStatus)
	assert.NotEmpty(t, res.Description)
	assert.NotEmpty(t, res.ImageID)

	res, err = c.Files.AnalyzeURL(context.Background(), "https://example.com/cat.jpg", nil)
	require.NoError(t, err)
	assert.Equal(t, "cat.jpg", res.Filename)
	_, err = c.Files.AnalyzeURL(context.Background(), "ftp://x", nil)
	var ve *scopix.ValidationError
	assert.ErrorAs(t, err, &ve)
}

// batchDir writes n small files; names listed in rejected hold executable
// content the server refuses.
func batchDir(t *testing.T, n int) (dir string, paths []string) {
	t.Helper()
	dir = t.TempDir()
	for i := range n {
		name := fmt.Sprintf("img_%05d.jpg", i)
		data := []byte(fmt.Sprintf("\xff\xd8\xff-%d", i))
		if i%50 == 7 {
			data = []byte("MZ-not-an-image") // refused by the server
		}
		paths = append(paths, writeFile(t, dir, name, data))
	}
	return dir, paths
}

func TestUploadBatch_MixedResultsAcrossChunks(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	_, paths := batchDir(t, 2500)
	var failNames []string
	for i := 3; i < 2500; i += 100 {
		failNames = append(failNames, filepath.Base(paths[i]))
	}
	srv.FailDescriptionsFor(failNames...)
	var progressCalls atomic.Int64

	res, err := c.Files.UploadBatch(context.Background(), paths, &scopix.UploadParams{
		BatchSize: 100, Concurrency: 4, WaitForDescriptions: true,
		OnProgress: func(scopix.UploadProgress) { progressCalls.Add(1) },
	})
	require.NoError(t, err)

	assert.Equal(t, 25, srv.RequestCount(http.MethodPost, "/files/upload/batch"))
	assert.Len(t, res.SessionIDs, 25)
	assert.Len(t, res.Rejections, 50)
	assert.Len(t, res.Results, 2450)
	assert.Len(t, res.Failed(), len(failNames))
	assert.Len(t, res.Succeeded(), 2450-len(failNames))
	assert.Len(t, res.Pending(), 0)
	assert.Len(t, res.Retryable(), len(failNames))
	assert.True(t, res.HasFailures())
	assert.Equal(t, "2500 files: 2425 succeeded, 25 failed (25 retryable), 0 pending, 50 rejected", res.Summary())
	assert.Equal(t, 7, res.Rejections[0].Index)
	assert.Equal(t, paths[7], res.Rejections[0].Path)
	assert.Equal(t, "unsafe file type", res.Rejections[0].Reason)
	assert.Equal(t, paths[0], res.Results[0].Path, "results keep the order of the files")
	assert.Equal(t, filepath.Base(paths[2499]), res.Results[2449].Filename)
	assert.Len(t, srv.Files(), 2450)
	assert.GreaterOrEqual(t, progressCalls.Load(), int64(2500))

	err = res.Err()
	var de *scopix.DescriptionError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, res.Failed()[0].ImageID, de.ImageID)
}

func TestUploadBatch_QuotaHitMidwayReturnsExactPartialResults(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	_, paths := batchDir(t, 2500)
	srv.SetUploadQuota(1234)
	// A server without the quota check: the batch starts and meets the quota midway.
	srv.FailNextOn(http.MethodGet, "/uploads/quota-check", 1, http.StatusNotFound, nil)

	res, err := c.Files.UploadBatch(context.Background(), paths, &scopix.UploadParams{BatchSize: 100, Concurrency: 4})

	var quota *scopix.QuotaExceededError
	require.ErrorAs(t, err, &quota)
	partial, ok := quota.PartialResults.(*scopix.BatchUploadResults)
	require.True(t, ok)
	assert.Same(t, res, partial)
	stored := map[string]bool{}
	for _, f := range srv.Files() {
		stored[f.ID] = true
	}
	got := map[string]bool{}
	for _, r := range partial.Results {
		got[r.ImageID] = true
	}
	assert.Equal(t, stored, got, "partial results are exactly the files stored")
	assert.LessOrEqual(t, len(partial.Results), 1234)
	assert.NotEmpty(t, partial.Results, "the chunks before the quota are kept")
	assert.Less(t, srv.RequestCount(http.MethodPost, "/files/upload/batch"), 25, "no chunk starts after the quota is hit")
	assert.Equal(t, 1234, quota.Limit)
}

// A large batch checks its paths in parallel and still names the first bad
// one, whichever check finishes first.
func TestUploadBatch_ManyPathsNameTheFirstBadOne(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	dir := t.TempDir()
	good := writeFile(t, dir, "a.jpg", []byte("\xff\xd8a"))
	paths := make([]string, 3000)
	for i := range paths {
		paths[i] = good
	}
	paths[2999] = filepath.Join(dir, "gone-last.jpg")
	paths[1234] = filepath.Join(dir, "gone-first.jpg")

	_, err := srv.Client().Files.UploadBatch(context.Background(), paths, nil)

	var ve *scopix.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"paths[1234]"}, ve.Fields[0].Loc)
	assert.Contains(t, err.Error(), "gone-first.jpg")
	assert.Zero(t, srv.Stats().Requests, "nothing is sent")
}

func TestUploadBatch_ChecksEveryPathBeforeSending(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	dir := t.TempDir()
	good := writeFile(t, dir, "a.jpg", []byte("\xff\xd8a"))
	missing := filepath.Join(dir, "missing.jpg")

	_, err := c.Files.UploadBatch(context.Background(), []string{good, missing}, nil)

	var ve *scopix.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"paths[1]"}, ve.Fields[0].Loc)
	assert.Contains(t, err.Error(), "missing.jpg")
	assert.Zero(t, srv.Stats().Requests, "nothing is sent")

	_, err = c.Files.UploadBatch(context.Background(), []string{good}, &scopix.UploadParams{BatchSize: 1001})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"batch_size"}, ve.Fields[0].Loc)
}

func TestUploadBatch_ExpandsDirectories(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	dir := t.TempDir()
	writeFile(t, dir, "a.jpg", []byte("\xff\xd8a"))
	writeFile(t, dir, "b.txt", []byte("text"))
	writeFile(t, dir, "sub/c.PNG", []byte("\x89PNGc"))
	writeFile(t, dir, ".hidden.jpg", []byte("\xff\xd8h"))
	writeFile(t, dir, ".git/d.jpg", []byte("\xff\xd8d"))
	writeFile(t, dir, "tool.exe", []byte("MZ"))
	writeFile(t, dir, "clip.mp4", []byte("video"))

	res, err := c.Files.UploadBatch(context.Background(), []string{dir}, nil)
	require.NoError(t, err)

	var names []string
	for _, r := range res.Results {
		names = append(names, r.Filename)
	}
	assert.Equal(t, []string{"a.jpg", "b.txt", "c.PNG"}, names)
	assert.Len(t, res.SessionIDs, 1)

	sess, err := c.Files.WaitForSession(context.Background(), res.SessionIDs[0], &scopix.WaitSessionOptions{Interval: 5 * time.Millisecond})
	require.NoError(t, err)
	assert.Equal(t, scopix.SessionCompleted, sess.Status)
	assert.Equal(t, 3, sess.CompletedFiles)
}

func TestUploadBatch_ChunkFailureIsUploadErrorWithPartialResults(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	_, paths := batchDir(t, 30)
	srv.FailNextOn(http.MethodPost, "/files/upload/batch", 1, http.StatusBadRequest, nil)

	res, err := c.Files.UploadBatch(context.Background(), paths, &scopix.UploadParams{BatchSize: 10, Concurrency: 1})

	var ue *scopix.UploadError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "batch", ue.Stage)
	require.NotNil(t, ue.PartialResults)
	assert.Same(t, res, ue.PartialResults)
	assert.Empty(t, ue.PartialResults.Results, "the first chunk failed and no chunk started after it")
	var ve *scopix.ValidationError
	assert.ErrorAs(t, err, &ve, "the HTTP error is the cause")
}

func TestUploadBatch_RetriedChunkReportsStoredFiles(t *testing.T) {
	t.Parallel()
	// 5 files come back as immediate results; 8 only through the session.
	for _, n := range []int{5, 8} {
		t.Run(fmt.Sprintf("%d files", n), func(t *testing.T) {
			t.Parallel()
			srv := scopixtest.NewServer(t)
			c := srv.Client()
			_, paths := batchDir(t, n)
			paths = slices.DeleteFunc(paths, func(p string) bool { return strings.HasSuffix(p, "img_00007.jpg") })
			srv.FailUploadsAfterStoring(1)

			res, err := c.Files.UploadBatch(context.Background(), paths, nil)
			require.NoError(t, err)

			assert.Len(t, srv.Files(), len(paths), "no duplicates")
			require.Len(t, res.Results, len(paths))
			stored := map[string]bool{}
			for _, f := range srv.Files() {
				stored[f.ID] = true
			}
			for _, r := range res.Results {
				assert.True(t, r.Skipped)
				assert.True(t, stored[r.ImageID], "%s reports the file the first attempt stored", r.Filename)
			}
		})
	}
}

func TestBatchUploadResults_ZeroValueHelpers(t *testing.T) {
	t.Parallel()
	var b scopix.BatchUploadResults
	assert.False(t, b.HasFailures())
	assert.NoError(t, b.Err())
	assert.Empty(t, b.Failed())
	assert.Equal(t, "0 files: 0 succeeded, 0 failed (0 retryable), 0 pending, 0 rejected", b.Summary())
}

func TestUpload_ConcurrentUploadsShareOneClient(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	dir := t.TempDir()
	var wg sync.WaitGroup
	for i := range 8 {
		path := writeFile(t, dir, fmt.Sprintf("c%d.png", i), []byte(fmt.Sprintf("\x89PNG%d", i)))
		wg.Go(func() {
			_, err := c.Files.Upload(context.Background(), path, nil)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.Len(t, srv.Files(), 8)
}

// A video above 100 MB goes through Video.Upload, which has no folder,
// project, duplicate check, storage target, category or schema: a param it
// would drop is a *ValidationError naming it, before any request.
func TestUpload_LargeVideoRefusesParamsItWouldDrop(t *testing.T) {
	t.Parallel()
	tests := []struct {
		field string
		p     scopix.UploadParams
	}{
		{"folder_id", scopix.UploadParams{FolderID: "fld_1", ProjectID: "prj_1"}},
		{"project_id", scopix.UploadParams{ProjectID: "prj_1"}},
		{"skip_duplicates", scopix.UploadParams{SkipDuplicates: true}},
		{"storage_target", scopix.UploadParams{StorageTarget: "custom"}},
		{"content_category", scopix.UploadParams{ContentCategory: "blueprint"}},
		{"custom_schema_id", scopix.UploadParams{CustomSchemaID: "sch_1", Title: "applies"}},
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "walkthrough.mp4")
	require.NoError(t, os.Rename(sparseFile(t, 100*1000*1000+1), path))
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			t.Parallel()
			srv := scopixtest.NewServer(t)

			_, err := srv.Client().Files.Upload(context.Background(), path, &tt.p)

			var ve *scopix.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Len(t, ve.Fields, 1)
			assert.Equal(t, []string{tt.field}, ve.Fields[0].Loc)
			assert.Contains(t, ve.Error(), "Video.Upload")
			assert.Empty(t, srv.Requests(), "nothing sent")
		})
	}
}

func TestUpload_LargeVideoGoesThroughVideoUpload(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t, scopixtest.WithVideoChunkSize(32<<20))
	c := srv.Client()
	dir := t.TempDir()
	path := filepath.Join(dir, "walkthrough.mp4")
	require.NoError(t, os.Rename(sparseFile(t, 100*1000*1000+1), path))

	res, err := c.Files.Upload(context.Background(), path, &scopix.UploadParams{Title: "Walkthrough"})
	require.NoError(t, err)

	assert.NotEmpty(t, res.ImageID, "the media id")
	assert.Equal(t, scopix.MediaTypeVideo, res.MediaType)
	assert.Equal(t, "walkthrough.mp4", res.Filename)
	assert.Equal(t, 1, srv.RequestCount(http.MethodPost, "/video-uploads/initiate"))
	assert.Zero(t, srv.RequestCount("", "/files/"), "neither the multipart nor the direct files path")
}
