package scopix_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// soakOps is how many operations the soak drives; SCOPIX_SOAK_OPS overrides
// it (CI runs a smaller count under the race detector).
func soakOps(t *testing.T) int {
	if v := os.Getenv("SCOPIX_SOAK_OPS"); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(t, err, "SCOPIX_SOAK_OPS")
		return n
	}
	return 2000
}

// soakTally counts what happened, per operation kind.
type soakTally struct {
	mu        sync.Mutex
	succeeded map[string]int
	failed    map[string]int // typed errors, by kind
	codes     map[string]int // SDK codes of the failures
}

func (s *soakTally) record(t *testing.T, kind string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		s.succeeded[kind]++
		return
	}
	var base *scopix.Error
	if !assert.True(t, errors.As(err, &base), "%s returned an untyped error: %v", kind, err) {
		return
	}
	s.failed[kind]++
	s.codes[base.Code]++
}

// soakUploads remembers what each successful upload sent.
type soakUploads struct {
	mu     sync.Mutex
	sha    map[string]string // image id → sha256 of the bytes sent
	copies map[string]int    // sha256 → successful uploads of that content
}

func (u *soakUploads) add(id string, data []byte) {
	sum := sha256.Sum256(data)
	u.mu.Lock()
	defer u.mu.Unlock()
	u.sha[id] = hex.EncodeToString(sum[:])
}

// TestSoak drives mixed operations from 16 goroutines through the fake while
// faults are injected at random, then checks that nothing was lost,
// duplicated or corrupted and that the client recovered.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test skipped with -short")
	}
	ops := soakOps(t)
	srv := scopixtest.NewServer(t, scopixtest.WithVideoChunkSize(64<<10), scopixtest.WithJobStepDelay(2*time.Millisecond))
	client := srv.Client(
		scopix.WithMaxRetries(4),
		scopix.WithRetryDelay(time.Millisecond),
		scopix.WithMaxRetryWait(50*time.Millisecond),
		scopix.WithPollingInterval(5*time.Millisecond),
		scopix.WithPollingTimeout(20*time.Second),
		scopix.WithCircuitBreaker(scopix.CircuitBreakerSettings{OpenTimeout: 100 * time.Millisecond}),
	)
	ctx := context.Background()

	// Undisturbed answers, to compare resumed streams with.
	questions := []string{"What is in the harbour?", "Any cracks?", "Count the boats", "Summarise the site"}
	expected := map[string]string{}
	for _, q := range questions {
		sess, err := client.Chat.CreateSession(ctx, &scopix.CreateSessionParams{Title: "baseline", UseAllImages: scopix.Ptr(false)})
		require.NoError(t, err)
		resp, err := scopix.CollectStream(client.Chat.Stream(ctx, sess.ID, q, nil), nil)
		require.NoError(t, err)
		expected[q] = resp.Content
	}
	auth, err := client.CloudStorage.InitiateAuth(ctx, scopix.CloudProviderGoogleDrive, nil)
	require.NoError(t, err)
	conn, err := client.CloudStorage.CompleteAuth(ctx, scopix.CloudProviderGoogleDrive, "soak", auth.State, nil)
	require.NoError(t, err)
	dir := t.TempDir()
	video := filepath.Join(dir, "clip.mp4")
	require.NoError(t, os.WriteFile(video, bytes.Repeat([]byte("v"), 150<<10), 0o600))
	statsBefore := srv.Stats()
	streamsBefore := srv.ChatStreamStats()

	tally := &soakTally{succeeded: map[string]int{}, failed: map[string]int{}, codes: map[string]int{}}
	uploads := &soakUploads{sha: map[string]string{}, copies: map[string]int{}}
	var streamMismatch atomic.Int32
	var next atomic.Int64

	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			for {
				i := int(next.Add(1))
				if i > ops {
					return
				}
				injectFault(srv, rng)
				kind, err := soakOperation(ctx, client, rng, i, soakEnv{dir: dir, video: video, connectionID: conn.Connection.ID,
					questions: questions, expected: expected, uploads: uploads, mismatch: &streamMismatch})
				tally.record(t, kind, err)
			}
		}()
	}
	wg.Wait()
	srv.SetLatency(0)
	srv.DropStreamAfter(0)

	// The breaker recovers: once faults stop and its open timeout (100ms)
	// passes, every endpoint answers again.
	recovered := func(call func() error) func() bool { return func() bool { return call() == nil } }
	assert.Eventually(t, recovered(func() error { _, err := client.Files.List(ctx, nil); return err }),
		5*time.Second, 20*time.Millisecond, "files endpoint recovered")
	assert.Eventually(t, recovered(func() error { _, err := client.Chat.ListSessions(ctx, nil); return err }),
		5*time.Second, 20*time.Millisecond, "chat endpoint recovered")
	assert.Eventually(t, recovered(func() error { _, err := client.CloudStorage.ListConnections(ctx, nil); return err }),
		5*time.Second, 20*time.Millisecond, "cloud endpoint recovered")

	// No file twice, and every successful upload stored exactly its bytes.
	stored := map[string]scopixtest.File{}
	contentCount := map[string]int{}
	for _, f := range srv.Files() {
		stored[f.ID] = f
		if f.MediaType == "image" && f.SHA256 != "" {
			contentCount[f.SHA256]++
		}
	}
	uploads.mu.Lock()
	for id, sum := range uploads.sha {
		f, ok := stored[id]
		if assert.True(t, ok, "uploaded file %s exists", id) {
			assert.Equal(t, sum, f.SHA256, "file %s holds the bytes sent", id)
		}
		assert.Equal(t, 1, contentCount[sum], "content of %s stored once", id)
	}
	uploads.mu.Unlock()
	assert.Zero(t, streamMismatch.Load(), "every completed stream equals the undisturbed text")

	stats := srv.Stats()
	streams := srv.ChatStreamStats()
	total := 0
	for _, n := range tally.succeeded {
		total += n
	}
	for _, n := range tally.failed {
		total += n
	}
	assert.Equal(t, ops, total, "every operation succeeded or returned a typed error")
	assert.Positive(t, stats.FaultsInjected-statsBefore.FaultsInjected, "faults were injected")
	t.Logf("soak: %d operations (succeeded %v, failed %v), failure codes %v", ops, tally.succeeded, tally.failed, tally.codes)
	t.Logf("soak: %d requests, %d faults injected, %d requests beyond one per operation (retries, polls, parts), %d streams resumed, %d dropped",
		stats.Requests-statsBefore.Requests, stats.FaultsInjected-statsBefore.FaultsInjected,
		stats.Requests-statsBefore.Requests-int64(ops), streams.Resumed-streamsBefore.Resumed, streams.Dropped-streamsBefore.Dropped)
}

type soakEnv struct {
	dir, video, connectionID string
	questions                []string
	expected                 map[string]string
	uploads                  *soakUploads
	mismatch                 *atomic.Int32
}

// soakOperation runs one random operation and says which kind it was.
func soakOperation(ctx context.Context, c *scopix.Client, rng *rand.Rand, i int, env soakEnv) (string, error) {
	switch n := rng.IntN(100); {
	case n < 25:
		data := []byte(fmt.Sprintf("soak image %d %d", i, rng.Uint64()))
		res, err := c.Files.UploadReader(ctx, fmt.Sprintf("soak-%d.jpg", i), bytes.NewReader(data), int64(len(data)), nil)
		if err == nil {
			env.uploads.add(res.ImageID, data)
		}
		return "upload", err
	case n < 35:
		paths := make([]string, 3)
		contents := make([][]byte, 3)
		for k := range paths {
			contents[k] = []byte(fmt.Sprintf("soak batch %d/%d %d", i, k, rng.Uint64()))
			paths[k] = filepath.Join(env.dir, fmt.Sprintf("batch-%d-%d.png", i, k))
			if err := os.WriteFile(paths[k], contents[k], 0o600); err != nil {
				return "batch", err
			}
		}
		res, err := c.Files.UploadBatch(ctx, paths, &scopix.UploadParams{BatchSize: 3})
		if err == nil {
			for k, r := range res.Results {
				if r.ImageID != "" && !r.IsFailed() {
					env.uploads.add(r.ImageID, contents[k])
				}
			}
		}
		return "batch", err
	case n < 55:
		_, err := c.Files.List(ctx, &scopix.FileListParams{Limit: 10})
		return "list", err
	case n < 65:
		page, err := c.Files.List(ctx, &scopix.FileListParams{Limit: 1})
		if err != nil || len(page.Items) == 0 {
			return "get", err
		}
		_, err = c.Files.Get(ctx, page.Items[0].ID)
		return "get", err
	case n < 85:
		q := env.questions[rng.IntN(len(env.questions))]
		sess, err := c.Chat.CreateSession(ctx, &scopix.CreateSessionParams{Title: "soak", UseAllImages: scopix.Ptr(false)})
		if err != nil {
			return "stream", err
		}
		resp, err := scopix.CollectStream(c.Chat.Stream(ctx, sess.ID, q, nil), nil)
		if err == nil && resp.Content != env.expected[q] {
			env.mismatch.Add(1)
		}
		return "stream", err
	case n < 93:
		_, err := c.Video.Upload(ctx, env.video, &scopix.VideoUploadParams{Title: "soak", Concurrency: 2})
		return "video", err
	default:
		files := []scopix.CloudFile{{ID: fmt.Sprintf("drive-%d", i), Name: fmt.Sprintf("cloud-%d.png", i)}}
		_, err := c.CloudStorage.ImportAndWait(ctx, env.connectionID, files, nil, nil)
		return "job", err
	}
}

// injectFault adds a random fault before about a third of the operations:
// 5xx, 429 with Retry-After, a dropped connection, an upload that fails
// after it was stored, a mid-stream drop, or a short latency spike.
func injectFault(srv *scopixtest.Server, rng *rand.Rand) {
	switch rng.IntN(18) {
	case 0:
		srv.FailNext(1, []int{500, 502, 503, 504}[rng.IntN(4)], nil)
	case 1:
		srv.FailNext(1, http.StatusTooManyRequests, map[string]string{"Retry-After": "0.005"})
	case 2:
		srv.FailNext(1, 0, nil) // dropped connection
	case 3:
		srv.FailUploadsAfterStoring(1)
	case 4:
		srv.DropStreamAfter(3 + rng.IntN(10))
		srv.DropStreamConnections(1)
	case 5:
		srv.SetLatency(time.Duration(rng.IntN(3)) * time.Millisecond)
	}
}
