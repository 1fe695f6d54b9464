package scopix

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openRead reads what os.Open reads and fails as os.Open fails, so the
// batch's errors ("cannot open …: no such file or directory") stay the same.
func TestOpenRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "a.jpg")
	require.NoError(t, os.WriteFile(path, []byte("\xff\xd8\xffbytes"), 0o644))
	tests := []struct {
		name    string
		path    string
		want    string
		wantErr error
	}{
		{"regular file", path, "\xff\xd8\xffbytes", nil},
		{"missing file", filepath.Join(dir, "gone.jpg"), "", fs.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := openRead(tt.path)
			if tt.wantErr != nil {
				require.Error(t, err)
				assert.ErrorIs(t, err, tt.wantErr)
				var pe *os.PathError
				require.True(t, errors.As(err, &pe))
				assert.Equal(t, tt.path, pe.Path)
				assert.Equal(t, "no such file or directory", osReason(err))
				return
			}
			require.NoError(t, err)
			defer f.Close()
			got, err := io.ReadAll(io.NewSectionReader(f, 0, int64(len(tt.want))))
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
			assert.Equal(t, tt.path, f.Name())
		})
	}
}
