package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"
)

// peerUploader is the batch upload a caller would write by hand with
// net/http and mime/multipart, as well as we know how: one quota check,
// then chunks of batchSize files, concurrency chunks at a time, each
// streamed as multipart through an io.Pipe (no body in memory, a 32 KiB
// write buffer, one copy buffer per chunk), then the chunk's upload
// session results paged and matched to its files by filename.
//
// It does less than UploadBatch: no retries, no circuit breaker, no
// validation before sending, no progress, no splitting of a refused
// chunk, no waiting for a session still processing (it fails instead),
// no typed errors.
type peerUploader struct {
	hc          *http.Client
	base        string // …/api/v2
	auth        string // "Bearer …"
	batchSize   int
	concurrency int
}

// peerResult is the part of a result the peer keeps.
type peerResult struct {
	ImageID  string `json:"image_id"`
	Filename string `json:"filename"`
	Status   string `json:"status"`
	Error    string `json:"error_message"`
}

func newPeerUploader(base, key string, batchSize, concurrency int) *peerUploader {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = concurrency + 1 // keep every chunk's connection
	return &peerUploader{hc: &http.Client{Transport: t}, base: base, auth: "Bearer " + key,
		batchSize: batchSize, concurrency: concurrency}
}

func (p *peerUploader) close() { p.hc.CloseIdleConnections() }

// upload sends paths and returns one result per path, in order.
func (p *peerUploader) upload(ctx context.Context, paths []string) ([]peerResult, error) {
	var quota struct {
		CanProceed bool   `json:"can_proceed"`
		Message    string `json:"message"`
	}
	q := url.Values{"file_count": {strconv.Itoa(len(paths))}}
	if err := p.getJSON(ctx, "/uploads/quota-check?"+q.Encode(), &quota); err != nil {
		return nil, err
	}
	if !quota.CanProceed {
		return nil, fmt.Errorf("quota: %s", quota.Message)
	}
	results := make([]peerResult, len(paths))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(p.concurrency)
	for start := 0; start < len(paths); start += p.batchSize {
		end := min(start+p.batchSize, len(paths))
		g.Go(func() error { return p.chunk(ctx, paths[start:end], results[start:end]) })
	}
	return results, g.Wait()
}

// chunk uploads one chunk and fills out with its files' results.
func (p *peerUploader) chunk(ctx context.Context, paths []string, out []peerResult) error {
	pr, pw := io.Pipe()
	bw := bufio.NewWriterSize(pw, 32<<10)
	mw := multipart.NewWriter(bw)
	go func() { pw.CloseWithError(writeParts(mw, bw, paths)) }()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.base+"/files/upload/batch", pr)
	if err != nil {
		pr.Close()
		return err
	}
	req.Header.Set("Authorization", p.auth)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	var batch struct {
		SessionID        string       `json:"session_id"`
		ImmediateResults []peerResult `json:"immediate_results"`
	}
	if err := p.do(req, &batch); err != nil {
		return err
	}
	waiting := make(map[string][]int, len(paths))
	for i, path := range paths {
		name := filepath.Base(path)
		waiting[name] = append(waiting[name], i)
	}
	match := func(rs []peerResult) {
		for _, r := range rs {
			if q := waiting[r.Filename]; len(q) > 0 {
				out[q[0]] = r
				waiting[r.Filename] = q[1:]
			}
		}
	}
	match(batch.ImmediateResults)
	missing := len(paths) - len(batch.ImmediateResults)
	for offset := 0; missing > 0; {
		var page struct {
			Results []peerResult `json:"results"`
			HasMore bool         `json:"has_more"`
		}
		path := "/uploads/sessions/" + url.PathEscape(batch.SessionID) + "/results?limit=500&offset=" + strconv.Itoa(offset)
		if err := p.getJSON(ctx, path, &page); err != nil {
			return err
		}
		match(page.Results)
		missing -= len(page.Results)
		offset += len(page.Results)
		if !page.HasMore {
			break
		}
	}
	if missing > 0 {
		return fmt.Errorf("session %s: %d files not reported", batch.SessionID, missing)
	}
	return nil
}

// writeParts writes the files as "files" parts. The copy hides
// *os.File's WriteTo, which would allocate a 32 KiB buffer per file.
func writeParts(mw *multipart.Writer, bw *bufio.Writer, paths []string) error {
	buf := make([]byte, 32<<10)
	h := make(textproto.MIMEHeader, 2)
	for _, path := range paths {
		name := filepath.Base(path)
		h.Set("Content-Disposition", `form-data; name="files"; filename="`+quoteEscaper.Replace(name)+`"`)
		ct := mime.TypeByExtension(strings.ToLower(filepath.Ext(name)))
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
		part, err := mw.CreatePart(h)
		if err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		_, err = io.CopyBuffer(part, struct{ io.Reader }{f}, buf)
		f.Close()
		if err != nil {
			return err
		}
	}
	if err := mw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"")

func (p *peerUploader) getJSON(ctx context.Context, path string, into any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.base+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", p.auth)
	return p.do(req, into)
}

// do sends req and decodes a 200 answer into into.
func (p *peerUploader) do(req *http.Request, into any) error {
	resp, err := p.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
		return fmt.Errorf("%s %s: %s: %s", req.Method, req.URL.Path, resp.Status, body)
	}
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body) // so the connection is reused
	return err
}
