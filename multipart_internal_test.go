package scopix

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// filePart is one file of a form: its name, and the head of its part as
// written by hand from the standard's rules (RFC 7578; quotes and
// backslashes escaped with a backslash, CR and LF percent-encoded as
// mime/multipart does from Go 1.26 on), not by the code under test.
type filePart struct {
	name        string
	disposition string // the part's Content-Disposition
	contentType string
	readBack    string // the filename a multipart parser reads back
}

var (
	plainJPG     = filePart{"a.jpg", `form-data; name="files"; filename="a.jpg"`, "image/jpeg", "a.jpg"}
	upperPNG     = filePart{"b.PNG", `form-data; name="files"; filename="b.PNG"`, "image/png", "b.PNG"}
	noExtension  = filePart{"README", `form-data; name="files"; filename="README"`, "application/octet-stream", "README"}
	quoteJPG     = filePart{`quo"te.jpg`, `form-data; name="files"; filename="quo\"te.jpg"`, "image/jpeg", `quo"te.jpg`}
	backslashPDF = filePart{`back\slash.pdf`, `form-data; name="files"; filename="back\\slash.pdf"`, "application/pdf", `back\slash.pdf`}
	// A raw line break would end the header line inside the name (Go 1.25
	// writes it so): the rest of the name would become a header of its own.
	lineBreakJPG = filePart{"line\r\nbreak.jpg", `form-data; name="files"; filename="line%0D%0Abreak.jpg"`, "image/jpeg", "line%0D%0Abreak.jpg"}
	unicodeWEBP  = filePart{"ünïcode.webp", `form-data; name="files"; filename="ünïcode.webp"`, "image/webp", "ünïcode.webp"}
)

// referenceMultipart is the form as mime/multipart's Writer writes it, with
// the file parts' heads given.
func referenceMultipart(boundary string, fields []formField, files []filePart, contents []string) []byte {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.SetBoundary(boundary)
	for _, f := range fields {
		_ = w.WriteField(f.name, f.value)
	}
	for i, f := range files {
		h := make(textproto.MIMEHeader)
		h.Set("Content-Disposition", f.disposition)
		h.Set("Content-Type", f.contentType)
		part, _ := w.CreatePart(h)
		_, _ = io.WriteString(part, contents[i])
	}
	_ = w.Close()
	return buf.Bytes()
}

// The body a batch sends is byte for byte a mime/multipart form with the
// file names escaped as the standard says, whatever the fields and file
// names, and a multipart parser reads each file's name back.
func TestMultipartBody_IsWhatMimeMultipartWrites(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		fields []formField
		files  []filePart
	}{
		{"one file, no fields", nil, []filePart{plainJPG}},
		{"fields and files", []formField{{"tags", "roof,north"}, {"skip_duplicates", "true"}}, []filePart{plainJPG, upperPNG, noExtension}},
		{"names to escape", []formField{{"title", `say "hi"`}}, []filePart{quoteJPG, backslashPDF, lineBreakJPG, unicodeWEBP}},
		{"no files", []formField{{"title", "empty"}}, nil},
	}
	sources := map[string]func(t *testing.T, content string) fileSource{
		"reader": func(_ *testing.T, content string) fileSource { return readerAtSource{strings.NewReader(content)} },
		"path": func(t *testing.T, content string) fileSource {
			path := filepath.Join(t.TempDir(), "f")
			require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
			return pathSource(path)
		},
	}
	for _, tt := range tests {
		for source, newSource := range sources {
			t.Run(tt.name+"/"+source, func(t *testing.T) {
				t.Parallel()
				testMultipartBodyBytes(t, tt.fields, tt.files, newSource)
			})
		}
	}
}

// testMultipartBodyBytes reads the body of files, whose bytes come from
// newSource, holds it to the reference and reads it back.
func testMultipartBodyBytes(t *testing.T, fields []formField, want []filePart, newSource func(*testing.T, string) fileSource) {
	files := make([]multipartFile, len(want))
	contents := make([]string, len(want))
	for i, f := range want {
		contents[i] = strings.Repeat(fmt.Sprintf("bytes of %d;", i), i+1)
		files[i] = multipartFile{field: fieldBatchFiles, filename: f.name, size: int64(len(contents[i])),
			src: newSource(t, contents[i])}
	}
	body := newMultipartBody(fields, files)
	r, err := body.open(false)
	require.NoError(t, err)
	got, err := io.ReadAll(r)
	require.NoError(t, err)

	assert.Equal(t, string(referenceMultipart(body.boundary, fields, want, contents)), string(got))
	assert.Equal(t, int64(len(got)), body.first.size, "the announced length is the body's")

	mr := multipart.NewReader(bytes.NewReader(got), body.boundary)
	for i := 0; ; i++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			assert.Equal(t, len(fields)+len(files), i, "every part is read back")
			break
		}
		require.NoError(t, err)
		data, err := io.ReadAll(part)
		require.NoError(t, err)
		if i < len(fields) {
			assert.Equal(t, fields[i].value, string(data))
			continue
		}
		f := want[i-len(fields)]
		assert.Equal(t, f.disposition, part.Header.Get("Content-Disposition"))
		assert.Equal(t, fieldBatchFiles, part.FormName())
		assert.Equal(t, f.readBack, part.FileName(), "the name the server reads")
		assert.Equal(t, contents[i-len(fields)], string(data))
	}
}

// openIn lists the files under dir this process holds open (Linux).
func openIn(t *testing.T, dir string) []string {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd here")
	}
	var open []string
	for _, fd := range fds {
		if target, err := os.Readlink("/proc/self/fd/" + fd.Name()); err == nil && strings.HasPrefix(target, dir+string(filepath.Separator)) {
			open = append(open, target)
		}
	}
	return open
}

// A batch request of many files holds one of them open at a time, opening
// each as the body reaches it, and closing the body (as the transport does
// when a request ends early) closes the one it holds.
func TestMultipartBody_HoldsOneFileOpenAtATime(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := make([]multipartFile, 20)
	for i := range files {
		path := filepath.Join(dir, fmt.Sprintf("f%02d.jpg", i))
		content := strings.Repeat("x", 100)
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
		files[i] = multipartFile{field: fieldBatchFiles, filename: filepath.Base(path), src: pathSource(path), size: int64(len(content))}
	}
	body := newMultipartBody(nil, files)
	r, err := body.open(false)
	require.NoError(t, err)
	assert.Empty(t, openIn(t, dir), "nothing is opened before the body is read")
	buf := make([]byte, 64)
	most := 0
	for {
		_, err := r.Read(buf)
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		most = max(most, len(openIn(t, dir)))
	}
	assert.Equal(t, 1, most, "one file open at a time")
	assert.Empty(t, openIn(t, dir), "each file is closed at its end")

	// A second attempt stops inside a file; closing the body closes it.
	r, err = body.open(true)
	require.NoError(t, err)
	for len(openIn(t, dir)) == 0 {
		_, err := r.Read(buf)
		require.NoError(t, err)
	}
	require.NoError(t, r.(io.Closer).Close())
	assert.Empty(t, openIn(t, dir), "closing the body closed the file it held")
	_, err = r.Read(buf)
	assert.ErrorIs(t, err, os.ErrClosed)
}
