package scopix

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// referenceMultipart is the form as mime/multipart's Writer writes it.
func referenceMultipart(boundary string, fields []formField, files []multipartFile, contents []string) []byte {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.SetBoundary(boundary)
	for _, f := range fields {
		_ = w.WriteField(f.name, f.value)
	}
	for i, f := range files {
		h := make(textproto.MIMEHeader)
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`,
			escapeQuotes(f.field), escapeQuotes(f.filename)))
		h.Set("Content-Type", contentTypeOf(f.filename))
		part, _ := w.CreatePart(h)
		_, _ = io.WriteString(part, contents[i])
	}
	_ = w.Close()
	return buf.Bytes()
}

// The body a batch sends is byte for byte what mime/multipart would write,
// whatever the fields and file names, so any multipart parser reads it.
func TestMultipartBody_IsWhatMimeMultipartWrites(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		fields []formField
		names  []string
	}{
		{"one file, no fields", nil, []string{"a.jpg"}},
		{"fields and files", []formField{{"tags", "roof,north"}, {"skip_duplicates", "true"}}, []string{"a.jpg", "b.PNG", "notes.md"}},
		{"names to escape", []formField{{"title", `say "hi"`}}, []string{`quo"te.jpg`, `back\slash.pdf`, "line\r\nbreak.jpg", "ünïcode.webp"}},
		{"no files", []formField{{"title", "empty"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := make([]multipartFile, len(tt.names))
			contents := make([]string, len(tt.names))
			for i, n := range tt.names {
				contents[i] = strings.Repeat(fmt.Sprintf("bytes of %d;", i), i+1)
				files[i] = multipartFile{field: fieldBatchFiles, filename: n, size: int64(len(contents[i])),
					src: readerAtSource{strings.NewReader(contents[i])}}
			}
			body := newMultipartBody(tt.fields, files)
			r, err := body.open(false)
			require.NoError(t, err)
			got, err := io.ReadAll(r)
			require.NoError(t, err)

			want := referenceMultipart(body.boundary, tt.fields, files, contents)
			assert.Equal(t, string(want), string(got))
			assert.Equal(t, int64(len(got)), body.first.size, "the announced length is the body's")

			mr := multipart.NewReader(bytes.NewReader(got), body.boundary)
			for i := 0; ; i++ {
				part, err := mr.NextPart()
				if err == io.EOF {
					assert.Equal(t, len(tt.fields)+len(files), i, "every part is read back")
					break
				}
				require.NoError(t, err)
				data, err := io.ReadAll(part)
				require.NoError(t, err)
				if i >= len(tt.fields) {
					assert.Equal(t, contents[i-len(tt.fields)], string(data))
				}
			}
		})
	}
}
