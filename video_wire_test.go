package scopix_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

// newVideoWire is a wire answering the Scopix video-upload API as the spec
// documents it, independent of the fake; the chunk URLs it hands out point
// at its storage host.
func newVideoWire(t *testing.T, chunkSize int64, opts ...scopix.Option) *wire {
	w := newWire(t, opts...)
	storage := w.Storage()
	w.Mux.HandleFunc("POST /video-uploads/initiate", func(rw http.ResponseWriter, r *http.Request) {
		var in map[string]any
		_ = json.NewDecoder(r.Body).Decode(&in)
		size := int64(in["size_bytes"].(float64))
		n := int((size + chunkSize - 1) / chunkSize)
		chunks := make([]map[string]any, n)
		for i := range chunks {
			chunks[i] = map[string]any{"chunk_number": i + 1, "size_bytes": min(chunkSize, size-int64(i)*chunkSize),
				"upload_url": fmt.Sprintf("%s/bucket/media_1/%d?X-Amz-Signature=abc", storage.URL, i+1), "upload_method": "PUT",
				"expires_at": "2030-01-01T00:00:00Z"}
		}
		rw.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(rw).Encode(map[string]any{"media_id": "media_1", "upload_id": "upload_1", "total_chunks": n,
			"chunk_size_bytes": chunkSize, "chunks": chunks, "expires_at": "2030-01-01T00:00:00Z", "storage_path": "x",
			"concurrent_upload_limit": 2, "retry_attempts": 3})
	})
	storage.Mux.HandleFunc("PUT /bucket/media_1/{n}", func(rw http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		rw.Header().Set("ETag", fmt.Sprintf(`"etag-%s"`, r.PathValue("n")))
	})
	w.Mux.HandleFunc("POST /video-uploads/chunks/confirm", func(rw http.ResponseWriter, r *http.Request) {
		var in map[string]any
		_ = json.NewDecoder(r.Body).Decode(&in)
		_ = json.NewEncoder(rw).Encode(map[string]any{"chunk_number": in["chunk_number"], "status": "completed"})
	})
	w.Mux.HandleFunc("POST /video-uploads/complete", func(rw http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = json.NewEncoder(rw).Encode(map[string]any{"media_id": "media_1", "status": "completed",
			"processing_status": "queued", "analysis_job_id": "job_1", "video_url": "https://cdn.example/v.mp4",
			"metadata":   map[string]any{"duration_seconds": 12.5, "resolution": "1920x1080"},
			"created_at": "2026-01-02T03:04:05Z"})
	})
	return w
}

// jsonBodiesTo decodes the JSON body of every request w received at path
// under /api/v2, in order.
func jsonBodiesTo(t *testing.T, w *wire, path string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range w.Requests() {
		if r.Path == wireAPIBase+path {
			var m map[string]any
			require.NoError(t, json.Unmarshal(r.Body, &m), "body of %s", path)
			out = append(out, m)
		}
	}
	return out
}

// videoChunkPuts returns the chunk PUTs the storage host received, by chunk.
func videoChunkPuts(t *testing.T, w *wire) map[int]wireRequest {
	t.Helper()
	puts := map[int]wireRequest{}
	for _, r := range w.Storage().Requests() {
		n, err := strconv.Atoi(strings.TrimPrefix(r.Path, "/bucket/media_1/"))
		require.NoError(t, err, "PUT to %s", r.Path)
		assert.Equal(t, http.MethodPut, r.Method)
		puts[n] = r
	}
	return puts
}

// writeVideo writes data to a file named name in a temp dir.
func writeVideo(t testing.TB, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}

// randomBytes returns n reproducible pseudo-random bytes.
func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// mp4WithDuration returns an MP4-shaped file whose movie header says
// duration/timescale seconds, padded with media data to size bytes.
func mp4WithDuration(size int, timescale, duration uint32) []byte {
	var b bytes.Buffer
	box := func(typ string, payload []byte) {
		_ = binary.Write(&b, binary.BigEndian, uint32(8+len(payload)))
		b.WriteString(typ)
		b.Write(payload)
	}
	box("ftyp", []byte("isom\x00\x00\x02\x00isomiso2mp41"))
	mvhd := make([]byte, 100)
	binary.BigEndian.PutUint32(mvhd[12:], timescale)
	binary.BigEndian.PutUint32(mvhd[16:], duration)
	var moov bytes.Buffer
	_ = binary.Write(&moov, binary.BigEndian, uint32(8+len(mvhd)))
	moov.WriteString("mvhd")
	moov.Write(mvhd)
	box("moov", moov.Bytes())
	rest := size - b.Len() - 8
	box("mdat", randomBytes(max(rest, 0), 7))
	return b.Bytes()
}

func TestVideoUpload_HappyPathOnTheWire(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		file         []byte
		params       scopix.VideoUploadParams
		wantDuration float64
		wantFailed   bool
	}{
		{name: "duration unknown", file: randomBytes(2500, 1), wantDuration: 1, wantFailed: true},
		{name: "duration given", file: randomBytes(2500, 2), params: scopix.VideoUploadParams{DurationSeconds: 42.5}, wantDuration: 42.5},
		{name: "duration read from the mp4 header", file: mp4WithDuration(2500, 1000, 12500), wantDuration: 12.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wire := newVideoWire(t, 1000, scopix.WithTenantID("tenant_1"))
			path := writeVideo(t, "clip.mp4", tt.file)
			c := wire.Client

			var events []scopix.VideoChunkProgress
			var started scopix.VideoUploadStart
			p := tt.params
			p.Title, p.Tags = "Clip", []string{"a", "b"}
			p.OnStart = func(s scopix.VideoUploadStart) { started = s }
			p.OnProgress = func(e scopix.VideoChunkProgress) { events = append(events, e) }
			res, err := c.Video.Upload(context.Background(), path, &p)
			require.NoError(t, err)

			assert.Equal(t, "media_1", res.MediaID)
			assert.Equal(t, "upload_1", res.UploadID)
			assert.Equal(t, "job_1", res.AnalysisJobID)
			assert.Equal(t, "queued", res.ProcessingStatus)
			require.NotNil(t, res.Metadata)
			assert.Equal(t, "1920x1080", res.Metadata.Resolution)
			assert.Equal(t, scopix.VideoUploadStart{MediaID: "media_1", UploadID: "upload_1", Filename: "clip.mp4",
				TotalChunks: 3, ChunkSizeBytes: 1000}, started)

			assert.Equal(t, []map[string]any{{"filename": "clip.mp4", "content_type": "video/mp4", "size_bytes": 2500.0,
				"title": "Clip", "tags": []any{"a", "b"}}}, jsonBodiesTo(t, wire, "/video-uploads/initiate"))

			byChunk := videoChunkPuts(t, wire)
			require.Len(t, wire.Storage().Requests(), 3)
			for n, put := range byChunk {
				assert.Empty(t, put.Header.Get("Authorization"), "chunk %d carried Authorization", n)
				assert.Empty(t, put.Header.Get("X-Request-ID")+put.Header.Get("X-Tenant-ID"), "chunk %d carried SDK headers", n)
				assert.Equal(t, strconv.Itoa(len(put.Body)), put.Header.Get("Content-Length"), "chunk %d Content-Length", n)
				assert.Equal(t, "application/octet-stream", put.Header.Get("Content-Type"))
			}
			assert.Equal(t, tt.file[:1000], byChunk[1].Body, "first chunk")
			assert.Equal(t, tt.file[1000:2000], byChunk[2].Body, "middle chunk")
			assert.Equal(t, tt.file[2000:], byChunk[3].Body, "last chunk")

			confirmed := jsonBodiesTo(t, wire, "/video-uploads/chunks/confirm")
			require.Len(t, confirmed, 3)
			confirms := map[float64]map[string]any{}
			for _, c := range confirmed {
				confirms[c["chunk_number"].(float64)] = c
			}
			for n, size := range map[float64]float64{1: 1000, 2: 1000, 3: 500} {
				assert.Equal(t, map[string]any{"media_id": "media_1", "upload_id": "upload_1", "chunk_number": n,
					"etag": fmt.Sprintf(`"etag-%d"`, int(n)), "size_bytes": size}, confirms[n])
			}

			wantComplete := map[string]any{"media_id": "media_1", "upload_id": "upload_1", "duration_seconds": tt.wantDuration}
			if tt.wantFailed {
				wantComplete["duration_extraction_failed"] = true
			}
			assert.Equal(t, []map[string]any{wantComplete}, jsonBodiesTo(t, wire, "/video-uploads/complete"))

			require.Len(t, events, 3)
			for i, e := range events {
				assert.Equal(t, i+1, e.ChunksCompleted)
				assert.Equal(t, 3, e.TotalChunks)
				assert.Equal(t, int64(2500), e.TotalBytes)
			}
			assert.Equal(t, int64(2500), events[2].BytesUploaded)
			assert.InDelta(t, 100.0, events[2].Percent(), 1e-9)
		})
	}
}

func TestVideoUpload_ChunkPutHasNoAPIHeadersEvenWithCustomHeaders(t *testing.T) {
	t.Parallel()
	wire := newVideoWire(t, 1<<20, scopix.WithHeader("X-Custom", "1"))
	path := writeVideo(t, "clip.webm", randomBytes(10, 3))
	_, err := wire.Client.Video.Upload(context.Background(), path, nil)
	require.NoError(t, err)
	puts := wire.Storage().Requests()
	require.Len(t, puts, 1)
	assert.Empty(t, puts[0].Header.Get("Authorization"))
	assert.Empty(t, puts[0].Header.Get("X-Custom"))
	assert.Equal(t, "10", puts[0].Header.Get("Content-Length"))
	initiate := jsonBodiesTo(t, wire, "/video-uploads/initiate")
	require.Len(t, initiate, 1)
	assert.Equal(t, "video/webm", initiate[0]["content_type"])
	assert.True(t, strings.HasSuffix(initiate[0]["filename"].(string), ".webm"))
}
