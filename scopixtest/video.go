package scopixtest

import (
	"time"

	"github.com/scopix/scopix-go/internal/fakeapi"
)

// VideoLimits are the limits the fake states when a video upload starts:
// the largest size it accepts (default 4 GiB), and the concurrency and
// per-chunk retries it recommends (default 5 and 3).
type VideoLimits = fakeapi.VideoLimits

// VideoChunk is a chunk the fake received: number, size, sha256 of its
// bytes, the ETag it answered, and whether it was confirmed.
type VideoChunk = fakeapi.VideoChunk

// SetVideoLimits sets the limits stated by video uploads started afterwards.
func (s *Server) SetVideoLimits(l VideoLimits) { s.fake.SetVideoLimits(l) }

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
func (s *Server) VideoChunks(mediaID string) []VideoChunk { return s.fake.VideoChunks(mediaID) }

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
