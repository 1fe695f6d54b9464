package scopixtest

import "github.com/scopix/scopix-go/internal/fakeapi"

// File is a file stored on the fake server.
type File = fakeapi.File

// DirectUpload is a direct (presigned, multipart) upload the fake server saw.
type DirectUpload = fakeapi.DirectUpload

// Files returns the live (not deleted) files on the server, oldest first.
func (s *Server) Files() []File { return s.fake.Files() }

// DirectUploads returns the direct uploads started so far, oldest first:
// their parts, the order complete listed them in, and whether they were
// completed or aborted.
func (s *Server) DirectUploads() []DirectUpload { return s.fake.DirectUploads() }

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
type ImageColor = fakeapi.ImageColor

// SetImageColors gives an image these dominant colours, most dominant
// first, for Colors.Get and Colors.Search. Without it every image has the
// palette of the reference's example: Walnut #C4A87C (35.2%) and Dark Tan
// #8B7355 (22.8%), both earth tones.
func (s *Server) SetImageColors(imageID string, colors ...ImageColor) {
	s.fake.SetImageColors(imageID, colors...)
}

// FailLinkCrawl makes the crawls of a saved link fail with reason, so
// Links.WaitForCrawl ends with a *scopix.LinkCrawlError.
func (s *Server) FailLinkCrawl(linkID, reason string) { s.fake.FailLinkCrawl(linkID, reason) }
