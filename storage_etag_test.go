package scopix_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// etagStripper drops the ETag of every answer to a storage PUT, as a
// misconfigured proxy in front of the storage host would.
type etagStripper struct{ next http.RoundTripper }

func (s etagStripper) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := s.next.RoundTrip(r)
	if err == nil && r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/storage/") {
		resp.Header.Del("ETag")
	}
	return resp, err
}

// A part stored without an ETag can never be completed, so both chunked
// uploads stop with a BAD_RESPONSE naming the part instead of completing
// with an empty ETag the server would refuse.
func TestUploads_StorageAnswerWithoutETagIsABadResponse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		upload func(t *testing.T, c *scopix.Client) error
		stage  func(err error) string
	}{
		{"direct file upload", func(t *testing.T, c *scopix.Client) error {
			path := writeFile(t, t.TempDir(), "doc.pdf", bytes.Repeat([]byte("%PDF"), 1<<19)) // 2 MiB, 2 parts
			_, err := c.Files.Upload(context.Background(), path, &scopix.UploadParams{ForceDirect: true, Concurrency: 1})
			return err
		}, func(err error) string {
			var ue *scopix.UploadError
			if errors.As(err, &ue) {
				return ue.Stage
			}
			return "not an *UploadError"
		}},
		{"video upload", func(t *testing.T, c *scopix.Client) error {
			path := writeVideo(t, "clip.mp4", randomBytes(2*testChunkSize, 3))
			_, err := c.Video.Upload(context.Background(), path, &scopix.VideoUploadParams{Concurrency: 1})
			return err
		}, func(err error) string {
			var ve *scopix.VideoUploadError
			if errors.As(err, &ve) {
				return ve.Stage
			}
			return "not a *VideoUploadError"
		}},
	}
	wantStage := map[string]string{"direct file upload": scopix.UploadStageUpload, "video upload": scopix.VideoStageChunkUpload}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := scopixtest.NewServer(t, scopixtest.WithDirectUploadPartSize(1<<20), scopixtest.WithVideoChunkSize(testChunkSize))
			hc := &http.Client{Transport: etagStripper{next: http.DefaultTransport.(*http.Transport).Clone()}}
			c := srv.Client(scopix.WithHTTPClient(hc), scopix.WithMaxRetries(0))

			err := tt.upload(t, c)

			require.Error(t, err)
			assert.Equal(t, wantStage[tt.name], tt.stage(err))
			assert.Contains(t, err.Error(), scopix.CodeResponseUnreadable+": storage answered part 1 without an ETag")
		})
	}
}
