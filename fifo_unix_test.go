//go:build unix

package scopix_test

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

// Guards issue item 4: UploadBatch (explicit paths) and Video.Upload/Resume
// opened before they stat, and opening a FIFO blocks forever, ignoring ctx.
// Anything but a regular file is a *ValidationError naming the path.
func TestUploads_NonRegularFilesAreRefusedWithoutOpening(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "pipe.mp4")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	srv := newWire(t)
	srv.Mux.Handle("/", script(ok200))
	c := srv.Client
	ctx := context.Background()
	tests := []struct {
		name, field string
		call        func() error
	}{
		{"Files.UploadBatch", "paths[0]", func() error { _, err := c.Files.UploadBatch(ctx, []string{fifo}, nil); return err }},
		{"Files.Upload", "path", func() error { _, err := c.Files.Upload(ctx, fifo, nil); return err }},
		{"Video.Upload", "path", func() error { _, err := c.Video.Upload(ctx, fifo, nil); return err }},
		{"Video.Resume", "path", func() error { _, err := c.Video.Resume(ctx, fifo, "m1", "u1", nil); return err }},
	}
	for _, tt := range tests {
		done := make(chan error, 1)
		go func() { done <- tt.call() }()
		select {
		case err := <-done:
			var v *scopix.ValidationError
			require.ErrorAs(t, err, &v, tt.name)
			assert.Equal(t, tt.field, v.Fields[0].Loc[0], tt.name)
		case <-time.After(20 * time.Second):
			t.Fatalf("%s blocked opening a FIFO", tt.name)
		}
	}
	assert.Empty(t, srv.Requests(), "nothing is sent")
}
