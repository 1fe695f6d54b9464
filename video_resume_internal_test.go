package scopix

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVideoResumePlan(t *testing.T) {
	t.Parallel()
	var documented VideoUploadProgress
	data, err := os.ReadFile(filepath.Join("testdata", "conformance", "video_progress.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &documented))
	const mib = 1 << 20

	tests := []struct {
		name      string
		prog      VideoUploadProgress
		size      int64
		wantSend  []int
		wantSkip  int
		wantChunk int64 // size of the first chunk sent or skipped
		wantErr   bool
	}{
		{name: "documented answer: counts only, every chunk again", prog: documented, size: documented.TotalBytes,
			wantSend: seq(1, 50), wantChunk: 10 * mib},
		{name: "confirmed list and chunk size: only the missing",
			prog: VideoUploadProgress{TotalChunks: 4, ChunksCompleted: 2, ConfirmedChunks: []int{1, 3}, ChunkSizeBytes: 100},
			size: 350, wantSend: []int{2, 4}, wantSkip: 2, wantChunk: 100},
		{name: "confirmed list, size derived from bytes_uploaded",
			prog: VideoUploadProgress{TotalChunks: 4, ChunksCompleted: 2, ConfirmedChunks: []int{1, 2}, BytesUploaded: 200},
			size: 350, wantSend: []int{3, 4}, wantSkip: 2, wantChunk: 100},
		{name: "confirmed list but the size is ambiguous: every chunk",
			prog: VideoUploadProgress{TotalChunks: 4, ConfirmedChunks: []int{1}},
			size: 350, wantSend: seq(1, 4), wantChunk: 88},
		{name: "nothing confirmed", prog: VideoUploadProgress{TotalChunks: 3}, size: 30, wantSend: seq(1, 3), wantChunk: 10},
		{name: "everything confirmed: complete only", prog: VideoUploadProgress{TotalChunks: 3, ChunksCompleted: 3},
			size: 30, wantSkip: 3, wantChunk: 10},
		{name: "one chunk", prog: VideoUploadProgress{TotalChunks: 1}, size: 7, wantSend: []int{1}, wantChunk: 7},
		{name: "no total", prog: VideoUploadProgress{}, size: 7, wantErr: true},
		{name: "more chunks than bytes", prog: VideoUploadProgress{TotalChunks: 9}, size: 4, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			prog := tt.prog
			send, skip, err := videoResumePlan(&prog, tt.size)
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			var numbers []int
			var total int64
			for _, p := range send {
				numbers = append(numbers, p.Number)
				total += p.Size
			}
			for _, p := range skip {
				total += p.Size
			}
			assert.Equal(t, tt.wantSend, numbers)
			assert.Len(t, skip, tt.wantSkip)
			assert.Equal(t, tt.size, total, "the chunks cover the file exactly")
			first := append(append(send[:0:0], send...), skip...)
			require.NotEmpty(t, first)
			assert.Equal(t, tt.wantChunk, first[0].Size)
		})
	}
}

func seq(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}
