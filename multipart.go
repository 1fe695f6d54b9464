package scopix

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/scopix/scopix-go/internal/parts"
)

// formField is one text field of a multipart form.
type formField struct{ name, value string }

// multipartFile is one file part of a multipart form.
type multipartFile struct {
	field, filename string
	src             fileSource
	size            int64
	progress        func(sent int64)
}

// multipartBody is a multipart/form-data body laid out once as small byte
// segments around file sections, so each attempt replays it without a copy
// of any file and its length is known before sending. retry holds the
// layout with skip_duplicates=true.
type multipartBody struct {
	contentType string
	boundary    string
	fields      []formField
	first       multipartLayout
	retryOnce   sync.Once
	retry       multipartLayout // built on the first retry
	files       []multipartFile
	counting    []*parts.CountingReader
	counters    []*parts.Counter
}

type multipartLayout struct {
	heads [][]byte // heads[i] precedes file i
	tail  []byte   // closing boundary
	size  int64
}

func newMultipartBody(fields []formField, files []multipartFile) *multipartBody {
	boundary := multipart.NewWriter(io.Discard).Boundary()
	b := &multipartBody{files: files, boundary: boundary, fields: fields}
	b.first = layoutMultipart(boundary, fields, files)
	b.contentType = "multipart/form-data; boundary=" + boundary
	b.counters = make([]*parts.Counter, len(files))
	b.counting = make([]*parts.CountingReader, len(files))
	for i, f := range files {
		if f.progress != nil {
			b.counters[i] = parts.NewCounter(f.progress)
		}
	}
	return b
}

// retryLayout is the layout with skip_duplicates=true.
func (b *multipartBody) retryLayout() multipartLayout {
	b.retryOnce.Do(func() {
		fields := make([]formField, 0, len(b.fields)+1)
		for _, f := range b.fields {
			if f.name != "skip_duplicates" {
				fields = append(fields, f)
			}
		}
		fields = append(fields, formField{"skip_duplicates", "true"})
		b.retry = layoutMultipart(b.boundary, fields, b.files)
	})
	return b.retry
}

// layoutMultipart lays out the form: the fields as mime/multipart's Writer
// writes them, the file parts' heads as it writes them from Go 1.26 on
// (see quoteEscaper; a test holds them to heads written by hand). The
// heads of all files share one allocation: a batch has hundreds of them,
// and the Writer's per-part header map, sort and copy dominated the
// client's allocations per file.
func layoutMultipart(boundary string, fields []formField, files []multipartFile) multipartLayout {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.SetBoundary(boundary)
	for _, f := range fields {
		_ = w.WriteField(f.name, f.value)
	}
	if len(files) == 0 {
		_ = w.Close()
		return multipartLayout{tail: buf.Bytes(), size: int64(buf.Len())}
	}
	arena := make([]byte, 0, buf.Len()+len(files)*(len(boundary)+128))
	arena = append(arena, buf.Bytes()...)
	ends := make([]int, len(files))
	for i, f := range files {
		if i > 0 || len(fields) > 0 {
			arena = append(arena, "\r\n"...)
		}
		arena = append(arena, "--"...)
		arena = append(arena, boundary...)
		arena = append(arena, "\r\nContent-Disposition: form-data; name=\""...)
		arena = append(arena, escapeQuotes(f.field)...)
		arena = append(arena, "\"; filename=\""...)
		arena = append(arena, escapeQuotes(f.filename)...)
		arena = append(arena, "\"\r\nContent-Type: "...)
		arena = append(arena, contentTypeOf(f.filename)...)
		arena = append(arena, "\r\n\r\n"...)
		ends[i] = len(arena)
	}
	l := multipartLayout{heads: make([][]byte, len(files))}
	start := 0
	for i, end := range ends {
		l.heads[i] = arena[start:end:end]
		l.size += int64(end-start) + files[i].size
		start = end
	}
	l.tail = []byte("\r\n--" + boundary + "--\r\n")
	l.size += int64(len(l.tail))
	return l
}

// replay turns the body into the engine's replayable body.
func (b *multipartBody) replay() *replayBody {
	return &replayBody{
		contentType: b.contentType,
		size: func(retry bool) int64 {
			if retry {
				return b.retryLayout().size
			}
			return b.first.size
		},
		open: b.open,
		replayable: func() bool {
			for _, f := range b.files {
				if r, ok := f.src.(interface{ replayable() bool }); ok && !r.replayable() {
					return false
				}
			}
			return true
		},
	}
}

func (b *multipartBody) open(retry bool) (io.Reader, error) {
	l := b.first
	if retry {
		l = b.retryLayout()
	}
	r := &multipartReader{segments: make([]io.Reader, 0, 2*len(b.files)+1)}
	for i, f := range b.files {
		sec, err := f.src.section(f.size)
		if err != nil {
			return nil, err
		}
		if c, ok := sec.(io.Closer); ok {
			r.closers = append(r.closers, c)
		}
		if b.counters[i] != nil {
			// Bytes counted by an earlier attempt are taken back: progress
			// restarts with the attempt that replays them.
			if b.counting[i] != nil {
				b.counting[i].Rewind()
			}
			b.counting[i] = b.counters[i].Wrap(sec)
			sec = b.counting[i]
		}
		r.segments = append(r.segments, bytes.NewReader(l.heads[i]), sec)
	}
	r.segments = append(r.segments, bytes.NewReader(l.tail))
	return r, nil
}

// multipartReader reads a body's segments in order and fills each read as
// far as it can: a multipart body is many small segments, and without
// that each would become its own write on the connection (a batch of
// small files would cost a packet per segment). Close closes the files
// its segments opened; the transport may call it while a Read runs.
type multipartReader struct {
	mu       sync.Mutex
	segments []io.Reader
	closers  []io.Closer
	closed   bool
}

func (r *multipartReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return 0, os.ErrClosed
	}
	n := 0
	for n < len(p) && len(r.segments) > 0 {
		m, err := r.segments[0].Read(p[n:])
		n += m
		switch {
		case err == io.EOF:
			r.segments[0] = nil
			r.segments = r.segments[1:]
		case err != nil:
			return n, err
		case m == 0:
			return n, nil
		}
	}
	if n == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	return n, nil
}

func (r *multipartReader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	for _, c := range r.closers {
		_ = c.Close()
	}
	return nil
}

// pathSource is a file of a batch, read by path. Its reader opens the
// file when the body reaches it and closes it at its end, so a request
// sends its first bytes without waiting for all its files to open, and
// holds one of them open at a time.
type pathSource string

func (s pathSource) section(size int64) (io.Reader, error) {
	return &lazyFile{path: string(s), size: size}, nil
}

// lazyFile reads the first size bytes of the file at path. A file that
// cannot be opened or read, or is now shorter than when it was checked,
// fails the body with a *sourceError; bytes past size are not sent.
type lazyFile struct {
	path      string
	f         *os.File
	size, off int64
	closed    bool
}

func (l *lazyFile) Read(p []byte) (int, error) {
	if l.off >= l.size {
		return 0, io.EOF
	}
	if l.closed {
		return 0, os.ErrClosed
	}
	if l.f == nil {
		f, err := openRead(l.path)
		if err != nil {
			return 0, &sourceError{op: "cannot open", path: l.path, err: err}
		}
		l.f = f
	}
	p = p[:min(int64(len(p)), l.size-l.off)]
	n, err := l.f.ReadAt(p, l.off)
	l.off += int64(n)
	switch {
	case err == io.EOF:
		err = &sourceError{op: "cannot read", path: l.path, err: errFileShrank}
	case err != nil:
		err = &sourceError{op: "cannot read", path: l.path, err: err}
	case l.off == l.size:
		l.Close()
		err = io.EOF
	}
	return n, err
}

func (l *lazyFile) Close() error {
	l.closed = true
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// errFileShrank is why a file shorter than when it was checked is not sent.
var errFileShrank = errors.New("the file is shorter than when it was checked")

// sourceError is a request body's local source failing while the body is
// sent: a batch file that went away or shrank after it was checked. It is
// the caller's side, not the connection's, so it is not retried and does
// not count against the circuit breaker.
type sourceError struct {
	op, path string
	err      error
}

func (e *sourceError) Error() string { return e.op + " " + e.path + ": " + e.err.Error() }

func (e *sourceError) Unwrap() error { return e.err }

// quoteEscaper escapes a name in a part's Content-Disposition as
// mime/multipart does from Go 1.26 on: a backslash before each quote and
// backslash, CR and LF percent-encoded (as browsers do: WhatWG form-data
// encoding). Go 1.25 writes CR and LF raw, which ends the header line
// inside the name, so its rest becomes a header line of its own: the
// server cannot read that name back at all, while it reads "%0D%0A" where
// the line break was.
var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "%0D", "\n", "%0A")

func escapeQuotes(s string) string { return quoteEscaper.Replace(s) }

var lineBreakEscaper = strings.NewReplacer("\r", "%0D", "\n", "%0A")

// filenameAsRead is the name the server reads from a part sent with
// filename name: the line breaks stay percent-encoded (see quoteEscaper).
func filenameAsRead(name string) string { return lineBreakEscaper.Replace(name) }

func contentTypeOf(filename string) string {
	if t := mime.TypeByExtension(strings.ToLower(filepath.Ext(filename))); t != "" {
		return t
	}
	return "application/octet-stream"
}
