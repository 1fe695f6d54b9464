package scopix_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

//lint:file-ignore SA1012 this file passes a nil context on purpose: it is what the tests check.

// TestNilContext_IsValidationErrorEverywhere calls every method with a nil
// context: each must return a *ValidationError naming ctx, never panic, and
// send nothing.
func TestNilContext_IsValidationErrorEverywhere(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	dir := t.TempDir()
	img := filepath.Join(dir, "a.png")
	video := filepath.Join(dir, "a.mp4")
	require.NoError(t, os.WriteFile(img, []byte("png"), 0o600))
	require.NoError(t, os.WriteFile(video, scopixtest.MP4(4096, 0), 0o600))

	calls := map[string]func() error{
		"Do":                 func() error { return c.Do(nil, "GET", "/files", nil, nil) },
		"Files.Upload":       func() error { _, err := c.Files.Upload(nil, img, nil); return err },
		"Files.UploadDirect": func() error { _, err := c.Files.Upload(nil, img, &scopix.UploadParams{ForceDirect: true}); return err },
		"Files.UploadBatch":  func() error { _, err := c.Files.UploadBatch(nil, []string{img}, nil); return err },
		"Files.List":         func() error { _, err := c.Files.List(nil, nil); return err },
		"Files.ListAll": func() error {
			for _, err := range c.Files.ListAll(nil, nil) {
				return err
			}
			return nil
		},
		"Files.Get":                func() error { _, err := c.Files.Get(nil, "x"); return err },
		"Files.Download":           func() error { _, err := c.Files.Download(nil, "x"); return err },
		"Files.WaitForDescription": func() error { _, err := c.Files.WaitForDescription(nil, "x", nil); return err },
		"Files.CheckQuota":         func() error { _, err := c.Files.CheckQuota(nil, 1); return err },
		"Files.SessionResults":     func() error { _, err := c.Files.SessionResults(nil, "s", nil); return err },
		"Files.CancelSession":      func() error { _, err := c.Files.CancelSession(nil, "s"); return err },
		"Files.Sessions": func() error {
			for _, err := range c.Files.Sessions(nil, nil) {
				return err
			}
			return nil
		},
		"Video.Upload": func() error { _, err := c.Video.Upload(nil, video, nil); return err },
		"Video.Resume": func() error { _, err := c.Video.Resume(nil, video, "m", "u", nil); return err },
		"VideoAnalysis.WaitForCompletion": func() error {
			_, err := c.VideoAnalysis.WaitForCompletion(nil, "j", nil)
			return err
		},
		"Chat.CreateSession": func() error { _, err := c.Chat.CreateSession(nil, nil); return err },
		"Chat.Send":          func() error { _, err := c.Chat.Send(nil, "s", "hi", nil); return err },
		"Chat.Stream": func() error {
			for _, err := range c.Chat.Stream(nil, "s", "hi", nil) {
				return err
			}
			return nil
		},
		"Chat.ListAllSessions": func() error {
			for _, err := range c.Chat.ListAllSessions(nil, nil) {
				return err
			}
			return nil
		},
		"CloudStorage.ImportAndWait": func() error {
			_, err := c.CloudStorage.ImportAndWait(nil, "c", []scopix.CloudFile{{ID: "1", Name: "a.png"}}, nil, nil)
			return err
		},
		"Colors.Get": func() error { _, err := c.Colors.Get(nil, "i"); return err },
		"Colors.SearchAll": func() error {
			for _, err := range c.Colors.SearchAll(nil, &scopix.ColorSearchParams{Name: "walnut"}) {
				return err
			}
			return nil
		},
		"Links.CreateAndWait": func() error { _, err := c.Links.CreateAndWait(nil, "https://example.com", nil, nil); return err },
		"Links.ListAll": func() error {
			for _, err := range c.Links.ListAll(nil, nil) {
				return err
			}
			return nil
		},
		"Documents.Search":  func() error { _, err := c.Documents.Search(nil, "q", nil); return err },
		"Folders.Tree":      func() error { _, err := c.Folders.Tree(nil); return err },
		"Folders.MoveFiles": func() error { _, err := c.Folders.MoveFiles(nil, []string{"a"}, "f"); return err },
		"S3Connector.ImportAndWait": func() error {
			_, err := c.S3Connector.ImportAndWait(nil, &scopix.S3ImportParams{Bucket: "media-bucket"}, nil)
			return err
		},
	}
	for name, call := range calls {
		var err error
		require.NotPanics(t, func() { err = call() }, name)
		var v *scopix.ValidationError
		if assert.True(t, errors.As(err, &v), "%s: got %v", name, err) {
			assert.Equal(t, "ctx", v.Fields[0].Loc[0], name)
		}
	}
	assert.Zero(t, srv.Stats().Requests, "nothing was sent")
}
