package scopixtest

import (
	"bytes"
	"encoding/binary"
	"time"

	"github.com/scopix/scopix-go/internal/fakeapi"
)

// VideoLimits are the limits the fake states when a video upload starts:
// the largest size it accepts (default 4 GiB), and the concurrency and
// per-chunk retries it recommends (default 5 and 3).
type VideoLimits struct {
	MaxSizeBytes          int64 // the largest video accepted; 0: 4 GiB
	ConcurrentUploadLimit int   // the chunk uploads it recommends at once; 0: 5
	RetryAttempts         int   // the retries per chunk it recommends; 0: 3
}

// VideoChunk is a chunk the fake received: number, size, sha256 of its
// bytes (CRC-32C instead under WithLeanStorage), the ETag it answered, and
// whether it was confirmed.
type VideoChunk struct {
	Number    int    // the chunk number, from 1
	Size      int64  // its size in bytes
	SHA256    string // hex SHA-256 of its bytes; empty under WithLeanStorage
	CRC32C    uint32 // CRC-32C of its bytes, under WithLeanStorage only
	ETag      string // the ETag the PUT answered
	Confirmed bool   // the client confirmed the chunk
}

// SetVideoLimits sets the limits stated by video uploads started afterwards.
func (s *Server) SetVideoLimits(l VideoLimits) { s.fake.SetVideoLimits(fakeapi.VideoLimits(l)) }

// FailVideoChunk makes the next times PUTs of chunk number chunk (of any
// upload) answer status: 403 is what an expired presigned URL gets, 500 a
// storage failure, and 0 drops the connection.
func (s *Server) FailVideoChunk(chunk, times, status int) {
	s.fake.FailVideoChunk(chunk, times, status)
}

// SetVideoChunkLatency delays every video chunk PUT by d.
func (s *Server) SetVideoChunkLatency(d time.Duration) { s.fake.SetVideoChunkLatency(d) }

// ExpireVideoUploadURLs makes every chunk URL handed out so far for mediaID
// expire, as if the upload had been left for too long. It reports whether
// the upload exists.
func (s *Server) ExpireVideoUploadURLs(mediaID string) bool {
	return s.fake.ExpireVideoUploadURLs(mediaID)
}

// VideoChunks returns the chunks the fake received for mediaID, by number.
func (s *Server) VideoChunks(mediaID string) []VideoChunk {
	return convertAll(s.fake.VideoChunks(mediaID), func(c fakeapi.VideoChunk) VideoChunk { return VideoChunk(c) })
}

// VideoUploadStatus returns "uploading", "completed" or "aborted" for
// mediaID's upload, or "" when there is none.
func (s *Server) VideoUploadStatus(mediaID string) string { return s.fake.VideoUploadStatus(mediaID) }

// AddVideo stores a completed video of the given size and duration without
// uploading it, and returns its media id (queue its analysis with
// VideoAnalysis.Queue).
func (s *Server) AddVideo(filename string, size int64, durationSeconds float64) string {
	return s.fake.AddVideo(filename, size, durationSeconds)
}

// FailVideoAnalysis makes an analysis job fail now with message. It reports
// whether the job exists.
func (s *Server) FailVideoAnalysis(jobID, message string) bool {
	return s.fake.FailVideoAnalysis(jobID, message)
}

// CancelVideoAnalysis cancels an analysis job now. It reports whether the job exists.
func (s *Server) CancelVideoAnalysis(jobID string) bool { return s.fake.CancelVideoAnalysis(jobID) }

// MP4 returns size bytes laid out as an MP4 file (ftyp, a moov whose movie
// header says the video lasts duration, then zeroed media data). The fake
// does not decode video, so this is all it needs; the SDK reads the duration
// from the header as it would from a real file.
func MP4(size int, duration time.Duration) []byte {
	var b bytes.Buffer
	box := func(typ string, payload []byte) {
		_ = binary.Write(&b, binary.BigEndian, uint32(8+len(payload)))
		b.WriteString(typ)
		b.Write(payload)
	}
	box("ftyp", []byte("isom\x00\x00\x02\x00isomiso2mp41"))
	mvhd := make([]byte, 100)                                              // version 0 movie header
	binary.BigEndian.PutUint32(mvhd[12:], 1000)                            // timescale: milliseconds
	binary.BigEndian.PutUint32(mvhd[16:], uint32(duration.Milliseconds())) // duration
	moov := binary.BigEndian.AppendUint32(nil, uint32(8+len(mvhd)))
	moov = append(append(moov, "mvhd"...), mvhd...)
	box("moov", moov)
	box("mdat", make([]byte, max(size-b.Len()-8, 0)))
	return b.Bytes()
}
