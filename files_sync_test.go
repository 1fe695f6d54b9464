package scopix_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/internal/fakeapi"
	"github.com/scopix/scopix-go/scopixtest"
)

// syncTree writes n small distinct files (a few hundred bytes each) under
// a fresh directory and returns it.
func syncTree(t testing.TB, n int) string {
	dir := t.TempDir()
	for i := range n {
		body := bytes.Repeat([]byte(fmt.Sprintf("inspection photo %05d;", i)), 12)
		writeFile(t, dir, fmt.Sprintf("site_%02d/photo_%05d.jpg", i%10, i), body)
	}
	return dir
}

// storedBySHA counts the fake's files per content hash.
func storedBySHA(srv *scopixtest.Server) map[string]int {
	out := map[string]int{}
	for _, f := range srv.Files() {
		out[f.SHA256]++
	}
	return out
}

// The acceptance test: a 2,000-file sync cancelled past halfway
// (60% sent), run again, stores every file exactly once and sends less the
// second time.
func TestSync_RerunAfterCancelSendsOnlyWhatIsMissing(t *testing.T) {
	t.Parallel()
	const n = 2000
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	root := syncTree(t, n)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first, err := c.Files.Sync(ctx, root, &scopix.SyncParams{OnProgress: func(p scopix.SyncProgress) {
		if p.Sent >= n*6/10 {
			cancel()
		}
	}})
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	require.NotNil(t, first, "partial results come with the error")
	require.Len(t, first.Files, n)
	assert.Positive(t, first.Count(scopix.SyncUploaded))
	assert.Positive(t, first.Count(scopix.SyncNotSent), "the sync stopped before the end")
	assert.Positive(t, first.BytesSent)

	second, err := c.Files.Sync(context.Background(), root, nil)
	require.NoError(t, err)
	require.Len(t, second.Files, n)
	assert.Equal(t, n, second.Count(scopix.SyncUploaded)+second.Count(scopix.SyncPresent))
	assert.Positive(t, second.Count(scopix.SyncPresent), "what the first run stored is not sent again")
	assert.Less(t, second.BytesSent, first.BytesSent, "the re-run sends only what is missing")
	assert.Positive(t, second.BytesSaved)

	stored := storedBySHA(srv)
	require.Len(t, stored, n, "every file stored")
	for _, f := range second.Files {
		assert.Equal(t, 1, stored[f.SHA256], "%s stored exactly once", f.Path)
		if f.State == scopix.SyncUploaded {
			assert.NotEmpty(t, f.ImageID)
		}
	}

	third, err := c.Files.Sync(context.Background(), root, nil)
	require.NoError(t, err)
	assert.Equal(t, n, third.Count(scopix.SyncPresent))
	assert.Zero(t, third.BytesSent, "a complete tree sends nothing")
	assert.Equal(t, third.BytesHashed, third.BytesSaved)
}

// Hashes are the files' SHA-256 — empty files and files longer than the
// hashing buffer included — and identical files are sent once.
func TestSync_HashesAndSendsEachContentOnce(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	dir := t.TempDir()
	big := bytes.Repeat([]byte("0123456789abcdef"), 20000) // 320 kB: several buffers
	paths := []string{
		writeFile(t, dir, "empty.txt", nil),
		writeFile(t, dir, "big.png", big),
		writeFile(t, dir, "copy/big.png", big),
		writeFile(t, dir, "note.md", []byte("# notes")),
		writeFile(t, dir, "skip.exe", []byte("not supported")),
	}
	var last scopix.SyncProgress
	res, err := c.Files.Sync(context.Background(), dir, &scopix.SyncParams{HashConcurrency: 2,
		OnProgress: func(p scopix.SyncProgress) { last = p }})
	require.NoError(t, err)

	require.Len(t, res.Files, 4, "the unsupported extension is not synced")
	want := map[string]string{}
	for _, p := range paths[:4] {
		want[p] = sha256File(t, p)
	}
	var total int64
	for _, f := range res.Files {
		assert.Equal(t, want[f.Path], f.SHA256, f.Path)
		total += f.Size
	}
	assert.Equal(t, total, res.BytesHashed)
	assert.Equal(t, 2, res.Count(scopix.SyncUploaded))
	require.Equal(t, 1, res.Count(scopix.SyncRejected), "the fake refuses empty files")
	require.Equal(t, 1, res.Count(scopix.SyncPresent), "the copy is not sent")
	byPath := map[string]scopix.SyncFile{}
	for _, f := range res.Files {
		byPath[f.Path] = f
	}
	assert.Equal(t, byPath[paths[1]].ImageID, byPath[paths[2]].ImageID, "the copy names the sent file's id")
	assert.Equal(t, int64(len(big)), res.BytesSaved)
	assert.Equal(t, scopix.SyncProgress{Files: 4, Hashed: 4, Checked: 4, ToSend: 3, Sent: 3, Described: last.Described,
		Bytes: total, BytesSent: total - int64(len(big))}, last)
	assert.Len(t, srv.Files(), 2)
}

// CheckDuplicates answers from the stored content, 250 hashes per request.
func TestCheckDuplicates_ChunksAt250(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	stored, err := c.Files.Upload(context.Background(), writeFile(t, t.TempDir(), "a.jpg", []byte("stored")), nil)
	require.NoError(t, err)
	storedHash := hashOf("stored")

	tests := []struct {
		name     string
		count    int
		requests int
	}{
		{"one", 1, 1},
		{"exactly 250", 250, 1},
		{"251", 251, 2},
		{"600", 600, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := scopixtest.NewServer(t)
			c := srv.Client()
			_, err := c.Files.Upload(context.Background(), writeFile(t, t.TempDir(), "a.jpg", []byte("stored")), nil)
			require.NoError(t, err)
			hashes := make([]string, tt.count)
			for i := range hashes {
				hashes[i] = hashOf(fmt.Sprint("missing ", i))
			}
			hashes[tt.count-1] = strings.ToUpper(storedHash)

			got, err := c.Files.CheckDuplicates(context.Background(), hashes)
			require.NoError(t, err)
			assert.Equal(t, []string{storedHash}, got.Duplicates)
			assert.Len(t, got.Unique, tt.count-1)
			assert.Equal(t, tt.requests, srv.RequestCount(http.MethodPost, "/uploads/check-duplicates"))
		})
	}
	assert.NotEmpty(t, stored.ImageID)
}

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Bad input is refused naming the field, before anything is sent.
func TestSync_ValidationBeforeSending(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	empty := t.TempDir()
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"no hashes", func() error { _, err := c.Files.CheckDuplicates(context.Background(), nil); return err }, "hashes"},
		{"short hash", func() error {
			_, err := c.Files.CheckDuplicates(context.Background(), []string{hashOf("a"), hashOf("b")[:63]})
			return err
		}, "hashes[1]"},
		{"not hex", func() error {
			_, err := c.Files.CheckDuplicates(context.Background(), []string{strings.Repeat("g", 64)})
			return err
		}, "hashes[0]"},
		{"empty root", func() error { _, err := c.Files.Sync(context.Background(), "", nil); return err }, "root"},
		{"missing root", func() error {
			_, err := c.Files.Sync(context.Background(), filepath.Join(empty, "nope"), nil)
			return err
		}, "root"},
		{"no supported files", func() error { _, err := c.Files.Sync(context.Background(), empty, nil); return err }, "root"},
		{"negative hash concurrency", func() error {
			_, err := c.Files.Sync(context.Background(), syncTree(t, 1), &scopix.SyncParams{HashConcurrency: -1})
			return err
		}, "hash_concurrency"},
		{"bad upload params", func() error {
			_, err := c.Files.Sync(context.Background(), syncTree(t, 1), &scopix.SyncParams{Upload: &scopix.UploadParams{Concurrency: -1}})
			return err
		}, "concurrency"},
	}
	for _, tt := range tests {
		err := tt.call()
		var ve *scopix.ValidationError
		require.ErrorAs(t, err, &ve, tt.name)
		assert.Equal(t, []string{tt.field}, ve.Fields[0].Loc, tt.name)
	}
	assert.Zero(t, srv.Stats().Requests, "nothing sent")
}

// A failed duplicate check stops the sync before any upload, with the
// hashes known.
func TestSync_FailedCheckSendsNothing(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client(scopix.WithMaxRetries(0))
	srv.FailNextOn(http.MethodPost, "/uploads/check-duplicates", 1, http.StatusInternalServerError, nil)
	res, err := c.Files.Sync(context.Background(), syncTree(t, 3), nil)
	var ue *scopix.UploadError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, scopix.UploadStageCheckDuplicates, ue.Stage)
	require.NotNil(t, res)
	assert.Equal(t, 3, res.Count(scopix.SyncNotSent))
	for _, f := range res.Files {
		assert.Len(t, f.SHA256, 64)
	}
	assert.Zero(t, srv.RequestCount(http.MethodPost, "/files/upload"))
}

// syncClient is a client of fake on a fake clock: requests run in memory,
// inside the synctest bubble.
func syncClient(t *testing.T, fake *fakeapi.Server, opts ...scopix.Option) *scopix.Client {
	base := []scopix.Option{scopix.WithBaseURL(fake.URL()),
		scopix.WithHTTPClient(&http.Client{Transport: inMemory{fake.HTTP.Config.Handler}}),
		scopix.WithPollingInterval(100 * time.Millisecond), scopix.WithRetryDelay(50 * time.Millisecond)}
	c, err := scopix.New(fake.APIKey(), append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// Under a tight rate limit the workers share one pace: the 429s stay at
// about one per window, however many workers run.
func TestSync_RateLimitIsSharedByEveryWorker(t *testing.T) {
	t.Parallel()
	const window = time.Second
	fake := fakeapi.New(fakeapi.Options{RateLimit: fakeapi.RateLimit{Requests: 5, Window: window}})
	t.Cleanup(fake.Close)
	root := syncTree(t, 60)
	synctest.Test(t, func(t *testing.T) {
		c := syncClient(t, fake)
		start := time.Now()
		res, err := c.Files.Sync(context.Background(), root, &scopix.SyncParams{
			Upload: &scopix.UploadParams{BatchSize: 1, Concurrency: 6}})
		require.NoError(t, err)
		assert.Equal(t, 60, res.Count(scopix.SyncUploaded))

		windows := int64(time.Since(start)/window) + 1
		limited := fake.Stats().RateLimited
		t.Logf("%d requests, %d windows, %d answers 429", fake.Stats().Requests, windows, limited)
		assert.GreaterOrEqual(t, windows, int64(62/5), "the limit was binding")
		// Four workers finding the limit each on their own would draw about
		// four 429s a window; one shared pace draws about one. Goroutine order
		// inside the bubble varies, so a window may see a second one.
		assert.LessOrEqual(t, limited, 2*windows, "about one 429 per window, not one per worker")
	})
}

// Over real connections, answers come back while other requests are in
// flight. The workers spend the budget the answers report, less what is
// still in flight, so under a binding limit they find no 429 at all and
// none exhausts its retries.
func TestSync_WorkersSpendTheReportedBudgetOverConnections(t *testing.T) {
	t.Parallel()
	root := syncTree(t, 30)
	inBubble(t, fakeapi.Options{RateLimit: fakeapi.RateLimit{Requests: 5, Window: time.Second}}, func(t *testing.T, b *bubble) {
		c := b.Client(scopix.WithRetryDelay(50 * time.Millisecond))
		start := time.Now()

		res, err := c.Files.Sync(context.Background(), root, &scopix.SyncParams{
			Upload: &scopix.UploadParams{BatchSize: 1, Concurrency: 6}})

		require.NoError(t, err)
		assert.Equal(t, 30, res.Count(scopix.SyncUploaded))
		assert.GreaterOrEqual(t, time.Since(start), 5*time.Second, "the limit was binding")
		// Only the first burst, sent before any answer told the budget, can
		// overrun it.
		assert.LessOrEqual(t, b.Stats().RateLimited, int64(1), "no worker overran a reported budget")
	})
}

// One 429 holds every worker of the operation until its Retry-After: no
// other attempt starts meanwhile, and all go again afterwards.
func TestUploadBatch_OneRateLimitAnswerHoldsEveryWorker(t *testing.T) {
	t.Parallel()
	fake := fakeapi.New(fakeapi.Options{})
	t.Cleanup(fake.Close)
	paths := cleanBatch(t, 24)
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var starts []time.Time
		var limitedAt time.Time
		watch := func(req *http.Request, next scopix.MiddlewareNext) (*http.Response, error) {
			mu.Lock()
			starts = append(starts, time.Now())
			mu.Unlock()
			resp, err := next(req)
			if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
				mu.Lock()
				limitedAt = time.Now()
				mu.Unlock()
			}
			return resp, err
		}
		c := syncClient(t, fake, scopix.WithMiddleware(watch))
		fake.SetLatency(100 * time.Millisecond) // requests take time: workers overlap
		fake.FailNextOn(http.MethodPost, "/files/upload/batch", 1, http.StatusTooManyRequests,
			map[string]string{"Retry-After": "3"})

		res, err := c.Files.UploadBatch(context.Background(), paths, &scopix.UploadParams{BatchSize: 1, Concurrency: 4})
		require.NoError(t, err)
		assert.Len(t, res.Results, 24)
		assert.Empty(t, res.Failed())
		assert.Equal(t, int64(1), fake.Stats().FaultsInjected)
		require.False(t, limitedAt.IsZero())
		for _, at := range starts {
			if at.After(limitedAt) {
				assert.False(t, at.Before(limitedAt.Add(3*time.Second)),
					"an attempt started %v after the 429, before its Retry-After", at.Sub(limitedAt))
			}
		}
	})
}

// A rate limit that outlasts the caller's deadline fails at once, typed.
func TestSync_PauseBeyondTheDeadlineIsARateLimitError(t *testing.T) {
	t.Parallel()
	fake := fakeapi.New(fakeapi.Options{})
	t.Cleanup(fake.Close)
	root := syncTree(t, 8)
	synctest.Test(t, func(t *testing.T) {
		c := syncClient(t, fake)
		fake.FailNextOn(http.MethodPost, "/uploads/check-duplicates", 1, http.StatusTooManyRequests,
			map[string]string{"Retry-After": "50"})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		res, err := c.Files.Sync(ctx, root, nil)
		var rl *scopix.RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.False(t, errors.Is(err, context.DeadlineExceeded))
		require.NotNil(t, res)
		assert.Equal(t, 8, res.Count(scopix.SyncNotSent))
	})
}

// A video upload's chunk confirmations share one pace too.
func TestVideoUpload_RateLimitIsSharedByEveryWorker(t *testing.T) {
	t.Parallel()
	const window = time.Second
	fake := fakeapi.New(fakeapi.Options{VideoChunkSize: testChunkSize, RateLimit: fakeapi.RateLimit{Requests: 3, Window: window}})
	t.Cleanup(fake.Close)
	path := writeVideo(t, "clip.mp4", randomBytes(12*testChunkSize, 3))
	synctest.Test(t, func(t *testing.T) {
		c := syncClient(t, fake)
		start := time.Now()
		res, err := c.Video.Upload(context.Background(), path, &scopix.VideoUploadParams{Concurrency: 4})
		require.NoError(t, err)
		assert.NotEmpty(t, res.MediaID)

		windows := int64(time.Since(start)/window) + 1
		limited := fake.Stats().RateLimited
		t.Logf("%d windows, %d answers 429", windows, limited)
		assert.GreaterOrEqual(t, windows, int64(14/3), "the limit was binding")
		// Six workers finding the limit each on their own would draw about
		// six 429s a window; one shared pace draws about one. Goroutine order
		// inside the bubble varies, so a window may see a second one.
		assert.LessOrEqual(t, limited, 2*windows, "about one 429 per window, not one per worker")
	})
}
