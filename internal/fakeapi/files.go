package fakeapi

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// maxStoredBytes bounds the bytes kept per file; larger files keep only
// their size and sha256, so big uploads do not grow the test process.
const maxStoredBytes = 16 << 20

// File is a stored file.
type File struct {
	ID               string
	Filename         string
	Title            string
	ContentType      string
	MediaType        string // image, document, video
	Tags             []string
	Size             int64
	SHA256           string
	Data             []byte // nil when Size > maxStoredBytes
	FolderID         string
	ContentCategory  string
	CreatedAt        time.Time
	DescribeFails    bool
	DescriptionDelay time.Duration
	Description      string
	VisibleText      string
	Deleted          bool
}

type filesState struct {
	byID  map[string]*File
	order []string          // ids in creation order
	bySHA map[string]string // sha256 → id, for skip_duplicates
}

func (f *filesState) init() {
	f.byID = map[string]*File{}
	f.bySHA = map[string]string{}
}

// SHA256Hex returns the hex sha256 of data.
func SHA256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// addFileLocked stores f (the caller holds the lock), giving it an id and a
// creation time, and the server's description delay and failure setting.
func (s *Server) addFileLocked(f *File) *File {
	if f.ID == "" {
		f.ID = s.NewID("img")
	}
	if f.CreatedAt.IsZero() {
		f.CreatedAt = time.Now()
	}
	if f.MediaType == "" {
		f.MediaType = "image"
	}
	f.DescriptionDelay = s.opts.DescriptionDelay
	f.DescribeFails = f.DescribeFails || s.opts.FailDescriptions
	if len(f.Data) > maxStoredBytes {
		f.Data = nil
	}
	s.state.files.byID[f.ID] = f
	s.state.files.order = append(s.state.files.order, f.ID)
	if f.SHA256 != "" {
		s.state.files.bySHA[f.SHA256] = f.ID
	}
	return f
}

// descriptionStatus is computed from the clock: pending until the delay
// passes, then completed (or failed when the file is set to fail).
func (f *File) descriptionStatus(now time.Time) string {
	if now.Sub(f.CreatedAt) < f.DescriptionDelay {
		return "pending"
	}
	if f.DescribeFails {
		return "failed"
	}
	return "completed"
}

// Files returns copies of the live (not deleted) files in creation order.
func (s *Server) Files() []File {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]File, 0, len(s.state.files.order))
	for _, id := range s.state.files.order {
		if f := s.state.files.byID[id]; f != nil && !f.Deleted {
			out = append(out, *f)
		}
	}
	return out
}

func init() {
	register(func(s *Server) []route { return nil })
}
