package scopixtest_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// patterned returns n bytes that differ from chunk to chunk, after an MP4
// header saying the video lasts 10 seconds.
func patterned(n int) []byte {
	b := scopixtest.MP4(n, 10*time.Second)
	for i := 256; i < n; i++ {
		b[i] = byte(i*7 + i>>10)
	}
	return b
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}

func TestWithLeanStorage_VideoChunksKeepCRC32C(t *testing.T) {
	t.Parallel()
	const chunk = 64 << 10
	srv := scopixtest.NewServer(t, scopixtest.WithLeanStorage(), scopixtest.WithVideoChunkSize(chunk))
	data := patterned(3*chunk + 100)
	res, err := srv.Client().Video.Upload(context.Background(), writeTemp(t, "clip.mp4", data),
		&scopix.VideoUploadParams{Concurrency: 2, AutoAnalyze: scopix.Ptr(false)})
	require.NoError(t, err)

	chunks := srv.VideoChunks(res.MediaID)
	require.Len(t, chunks, 4)
	for i, c := range chunks {
		part := data[i*chunk : min((i+1)*chunk, len(data))]
		assert.Equal(t, crc32.Checksum(part, castagnoli), c.CRC32C, "checksum of chunk %d", c.Number)
		assert.Empty(t, c.SHA256, "no SHA-256 is computed")
		assert.Equal(t, int64(len(part)), c.Size)
		assert.True(t, c.Confirmed)
	}
	assert.Equal(t, "completed", srv.VideoUploadStatus(res.MediaID))
}

func TestWithLeanStorage_DirectUploadCompletes(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t, scopixtest.WithLeanStorage(), scopixtest.WithDirectUploadPartSize(1<<10))
	data := patterned(2*1024 + 500)
	res, err := srv.Client().Files.Upload(context.Background(), writeTemp(t, "scan.png", data),
		&scopix.UploadParams{ForceDirect: true, Concurrency: 2})
	require.NoError(t, err)

	ups := srv.DirectUploads()
	require.Len(t, ups, 1)
	assert.True(t, ups[0].Completed)
	assert.Equal(t, 3, ups[0].PartsReceived)
	assert.Equal(t, ups[0].FileID, res.ImageID)
}

// directWire drives the direct-upload wire by hand: initiate, PUT each part
// to its URL, complete. Scopix files.md §6 documents only those three
// steps; the wire itself (fields, parts, refusals) is inferred there.
type directWire struct {
	t   *testing.T
	srv *scopixtest.Server
}

func (d directWire) call(method, url string, body []byte, auth bool) *http.Response {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	require.NoError(d.t, err)
	if auth {
		req.Header.Set("Authorization", "Bearer "+scopixtest.APIKey)
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(d.t, err)
	d.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func (d directWire) initiate(size int) (id string, urls []string) {
	body := fmt.Sprintf(`{"filename":"a.png","content_type":"image/png","size_bytes":%d}`, size)
	resp := d.call(http.MethodPost, d.srv.URL()+"/files/direct-uploads", []byte(body), true)
	require.Equal(d.t, http.StatusCreated, resp.StatusCode)
	var out struct {
		UploadID string `json:"upload_id"`
		Parts    []struct {
			URL string `json:"url"`
		} `json:"parts"`
	}
	require.NoError(d.t, json.NewDecoder(resp.Body).Decode(&out))
	for _, p := range out.Parts {
		urls = append(urls, p.URL)
	}
	return out.UploadID, urls
}

func (d directWire) complete(id string, etags []string) int {
	var parts []string
	for i, e := range etags {
		parts = append(parts, fmt.Sprintf(`{"part_number":%d,"etag":%q}`, i+1, e))
	}
	body := `{"parts":[` + strings.Join(parts, ",") + `]}`
	return d.call(http.MethodPost, d.srv.URL()+"/files/direct-uploads/"+id+"/complete", []byte(body), true).StatusCode
}

func TestWithLeanStorage_StorageStillVerifiesParts(t *testing.T) {
	t.Parallel()
	const part = 1 << 10
	srv := scopixtest.NewServer(t, scopixtest.WithLeanStorage(), scopixtest.WithDirectUploadPartSize(part))
	w := directWire{t, srv}
	data := patterned(2 * part)
	id, urls := w.initiate(len(data))
	require.Len(t, urls, 2)

	short := w.call(http.MethodPut, urls[0], data[:part-1], false)
	assert.Equal(t, http.StatusBadRequest, short.StatusCode, "a part shorter than planned is refused")

	var etags []string
	for i, u := range urls {
		body := data[i*part : (i+1)*part]
		resp := w.call(http.MethodPut, u, body, false)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		sum := binary.BigEndian.AppendUint32(nil, crc32.Checksum(body, castagnoli))
		want := `"` + hex.EncodeToString(sum) + `"`
		assert.Equal(t, want, resp.Header.Get("ETag"), "the ETag is the part's CRC-32C")
		etags = append(etags, resp.Header.Get("ETag"))
	}
	assert.Equal(t, http.StatusBadRequest, w.complete(id, []string{etags[1], etags[0]}),
		"complete refuses ETags that do not match the parts' bytes")
	assert.Equal(t, http.StatusOK, w.complete(id, etags))
}
