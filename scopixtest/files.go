package scopixtest

import (
	"time"

	"github.com/scopix/scopix-go/internal/fakeapi"
)

// File is a file stored on the fake server, as the server holds it.
type File struct {
	ID               string        // the file's id, e.g. "img_1"
	Filename         string        // the name it was uploaded under
	Title            string        // the title given at upload or by an update
	ContentType      string        // the MIME type the server detected
	MediaType        string        // "image", "document" or "video"
	Tags             []string      // the file's tags
	Size             int64         // size in bytes
	SHA256           string        // hex SHA-256 of the uploaded bytes
	Data             []byte        // the bytes; nil when the fake did not keep them (over 16 MiB)
	FolderID         string        // the folder holding it, "" for none
	ContentCategory  string        // the content category given at upload ("general" by default)
	CreatedAt        time.Time     // when the upload stored it
	DescribeFails    bool          // its AI description is set to fail
	DescriptionDelay time.Duration // how long its description takes
	Description      string        // the AI description, once made
	VisibleText      string        // the text read from the image, once made
	Deleted          bool          // deleted (Files leaves deleted files out)
	ProjectID        string        // the project given at upload
	StorageTarget    string        // where it is stored ("default" unless the upload chose)
	ObjectKey        string        // its storage key, "uploads/{id}/{filename}"
	UploadMethod     string        // how it came: "STREAMING", "BATCH", "DIRECT" or "ANALYZE"
	AutoDescribe     bool          // false when the upload asked to skip the description
	TextFails        bool          // documents: text extraction is set to fail
	SessionID        string        // the batch upload session that created it, if any
}

// DirectUpload is a direct (presigned, multipart) upload the fake server saw.
type DirectUpload struct {
	ID             string // the upload's id
	Filename       string // the name of the file being uploaded
	Size           int64  // the file size declared when it started
	PartSize       int64  // the size of each part but the last
	Parts          int    // parts planned
	PartsReceived  int    // parts stored
	CompletedParts []int  // part numbers in the order complete listed them
	Completed      bool   // complete was called and succeeded
	Aborted        bool   // the upload was aborted
	FileID         string // the file it created, once completed
}

// Files returns the live (not deleted) files on the server, oldest first.
func (s *Server) Files() []File {
	return convertAll(s.fake.Files(), func(f fakeapi.File) File { return File(f) })
}

// DirectUploads returns the direct uploads started so far, oldest first:
// their parts, the order complete listed them in, and whether they were
// completed or aborted.
func (s *Server) DirectUploads() []DirectUpload {
	return convertAll(s.fake.DirectUploads(), func(u fakeapi.DirectUpload) DirectUpload { return DirectUpload(u) })
}

// SetUploadQuota allows n files in all (counting those already uploaded);
// the upload that would pass it fails with a quota error (HTTP 403,
// QUOTA_EXCEEDED, with available and limit). 0 means unlimited.
func (s *Server) SetUploadQuota(n int) { s.fake.SetUploadQuota(n) }

// FailDescription makes the AI description of the file with this id fail.
func (s *Server) FailDescription(id string) { s.fake.FailDescription(id) }

// FailDescriptionsFor makes the descriptions of files uploaded later under
// any of these filenames (base names) fail.
func (s *Server) FailDescriptionsFor(filenames ...string) { s.fake.FailDescriptionsFor(filenames...) }

// FailTextExtraction makes text extraction of the document with this id fail.
func (s *Server) FailTextExtraction(id string) { s.fake.FailTextExtraction(id) }

// RejectFilenames makes uploads refuse files with these names (base
// names), giving reason. Empty files and executables are always refused.
func (s *Server) RejectFilenames(reason string, filenames ...string) {
	s.fake.RejectFilenames(reason, filenames...)
}

// FailUploadsAfterStoring makes the next n upload requests store their
// files and then answer 503, as when a response is lost on the way back.
// The client's retry must report the stored file instead of a copy.
func (s *Server) FailUploadsAfterStoring(n int) { s.fake.FailUploadsAfterStoring(n) }

// FailDirectUploadPart makes the next n PUTs of part number part (of any
// direct upload) answer status.
func (s *Server) FailDirectUploadPart(part, n, status int) {
	s.fake.FailDirectUploadPart(part, n, status)
}

// ImageColor is one dominant colour the fake reports for an image.
type ImageColor struct {
	Hex        string  // "#RRGGBB"
	Name       string  // the colour's name, e.g. "Walnut"
	Family     string  // its family, e.g. "earth_tone", "cool", "neutral"
	Percentage float64 // its share of the image, 0–100
}

// SetImageColors gives an image these dominant colours, most dominant
// first, for Colors.Get and Colors.Search. Without it every image has the
// palette of the reference's example: Walnut #C4A87C (35.2%) and Dark Tan
// #8B7355 (22.8%), both earth tones.
func (s *Server) SetImageColors(imageID string, colors ...ImageColor) {
	s.fake.SetImageColors(imageID, convertAll(colors, func(c ImageColor) fakeapi.ImageColor { return fakeapi.ImageColor(c) })...)
}

// FailLinkCrawl makes the crawls of a saved link fail with reason, so
// Links.WaitForCrawl ends with a *scopix.LinkCrawlError.
func (s *Server) FailLinkCrawl(linkID, reason string) { s.fake.FailLinkCrawl(linkID, reason) }
