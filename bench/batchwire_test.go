package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// batchWireEnv makes the test binary serve the batch wire instead of
// running tests (see TestMain): the batch benchmarks start it again as a
// subprocess, so the CPU time the benchmark process spends is the client's
// alone.
const batchWireEnv = "SCOPIX_BENCH_BATCH_WIRE"

// batchWire is a lean loopback server of the documented batch upload wire
// (predecessor api/uploads.md, with the Scopix path of spec files.md §3):
//
//   - GET /api/v2/uploads/quota-check?file_count=N: always can_proceed,
//     with the PROFESSIONAL plan's limits (spec files.md §12.1: 100 files
//     per request, 30 concurrent uploads); 422 without file_count;
//   - POST /api/v2/files/upload/batch: repeated "files" parts, 413 for more
//     than the plan's 100; the answer carries immediate_results (their own
//     documented shape) only for 5 files or fewer;
//   - GET /api/v2/uploads/sessions/{id}/status: every session is completed;
//   - GET /api/v2/uploads/sessions/{id}/results?offset&limit: the session's
//     files in upload order, limit 1–500 (default 100), has_more.
//
// It reads each multipart body and counts its files and bytes, nothing
// more (no hashing, no storage), and waits a set latency before each API
// request. /bench/latency, /bench/reset and /bench/stats control it.
type batchWire struct {
	latency  atomic.Int64 // nanoseconds before each API request
	nextID   atomic.Int64
	files    atomic.Int64
	bytes    atomic.Int64
	requests atomic.Int64

	mu       sync.Mutex
	sessions map[string][]wireFile
}

type wireFile struct {
	id, name string
	created  time.Time
}

// wireResult is a session result, as documented.
type wireResult struct {
	ImageID          string    `json:"image_id"`
	Filename         string    `json:"filename"`
	ObjectKey        string    `json:"object_key"`
	Status           string    `json:"status"`
	Description      *string   `json:"description"`
	VisibleText      *string   `json:"visible_text"`
	Tags             []string  `json:"tags"`
	ProcessingTimeMS float64   `json:"processing_time_ms"`
	ErrorMessage     *string   `json:"error_message"`
	ThumbnailURL     *string   `json:"thumbnail_url"`
	CreatedAt        time.Time `json:"created_at"`
}

// wireImmediate is an immediate result of a batch of 5 files or fewer, as
// the stream-batch example of api/uploads.md shows it.
type wireImmediate struct {
	ImageID                string  `json:"image_id"`
	Filename               string  `json:"filename"`
	ObjectKey              string  `json:"object_key"`
	Status                 string  `json:"status"`
	ProcessingTimeMS       float64 `json:"processing_time_ms"`
	Skipped                bool    `json:"skipped"`
	SkippedExistingImageID *string `json:"skipped_existing_image_id"`
	Error                  *string `json:"error"`
	StorageTarget          string  `json:"storage_target"`
	MediaType              string  `json:"media_type"`
	DocumentType           *string `json:"document_type"`
	TextExtractionStatus   *string `json:"text_extraction_status"`
}

type wireStats struct {
	Files    int64 `json:"files"`
	Bytes    int64 `json:"bytes"`
	Requests int64 `json:"requests"`
}

const (
	wireAPI = "/api/v2"
	// wirePlanBatch and wirePlanConcurrency are the PROFESSIONAL plan's
	// files per batch request and concurrent uploads (files.md §12.1).
	wirePlanBatch       = 100
	wirePlanConcurrency = 30
)

func newBatchWire() *batchWire { return &batchWire{sessions: map[string][]wireFile{}} }

func (s *batchWire) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+wireAPI+"/uploads/quota-check", s.api(s.quota))
	mux.HandleFunc("POST "+wireAPI+"/files/upload/batch", s.api(s.upload))
	mux.HandleFunc("GET "+wireAPI+"/uploads/sessions/{id}/status", s.api(s.status))
	mux.HandleFunc("GET "+wireAPI+"/uploads/sessions/{id}/results", s.api(s.results))
	mux.HandleFunc("POST /bench/latency", func(w http.ResponseWriter, r *http.Request) {
		d, err := time.ParseDuration(r.URL.Query().Get("d"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.latency.Store(int64(d))
	})
	mux.HandleFunc("POST /bench/reset", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.sessions = map[string][]wireFile{}
		s.mu.Unlock()
		s.files.Store(0)
		s.bytes.Store(0)
		s.requests.Store(0)
	})
	mux.HandleFunc("GET /bench/stats", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, wireStats{s.files.Load(), s.bytes.Load(), s.requests.Load()})
	})
	return mux
}

// api checks the key and waits the latency before h.
func (s *batchWire) api(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"detail": "missing key"})
			return
		}
		if d := time.Duration(s.latency.Load()); d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		h(w, r)
	}
}

func (s *batchWire) quota(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("file_count"))
	if err != nil || n < 1 {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": []map[string]any{
			{"loc": []string{"query", "file_count"}, "msg": "field required", "type": "missing"}}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"can_proceed": true, "requested": n, "available": 1 << 30, "monthly_limit": 1 << 30,
		"current_usage": 0, "prepaid_credits": 0, "max_batch_size": wirePlanBatch,
		"max_concurrent_uploads": wirePlanConcurrency, "message": nil,
	})
}

// upload reads the multipart body part by part, counting the bytes of each
// "files" part, and opens a completed session holding the files.
func (s *batchWire) upload(w http.ResponseWriter, r *http.Request) {
	mr, err := r.MultipartReader()
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"detail": err.Error()})
		return
	}
	var files []wireFile
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"detail": err.Error()})
			return
		}
		n, err := io.Copy(io.Discard, p)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"detail": err.Error()})
			return
		}
		if p.FormName() == "files" {
			s.bytes.Add(n)
			id := s.nextID.Add(1)
			files = append(files, wireFile{id: fmt.Sprintf("00000000-0000-4000-8000-%012x", id), name: p.FileName(), created: time.Now()})
		}
	}
	if len(files) == 0 {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"detail": "files: field required"})
		return
	}
	if len(files) > wirePlanBatch {
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"detail": "too many files in one batch"})
		return
	}
	s.files.Add(int64(len(files)))
	session := fmt.Sprintf("10000000-0000-4000-8000-%012x", s.nextID.Add(1))
	s.mu.Lock()
	s.sessions[session] = files
	s.mu.Unlock()
	var immediate []wireImmediate
	if len(files) <= 5 { // documented: immediate_results only for 5 files or fewer
		immediate = make([]wireImmediate, len(files))
		for i, f := range files {
			immediate[i] = wireImmediate{ImageID: f.id, Filename: f.name, ObjectKey: "uploads/" + f.id + "/" + f.name,
				Status: "completed", ProcessingTimeMS: 1, StorageTarget: "default", MediaType: "image"}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"session_id": session, "total_files": len(files), "accepted_files": len(files), "rejected_files": 0,
		"status": "completed", "immediate_results": immediate,
		"status_url":        wireAPI + "/uploads/sessions/" + session + "/status",
		"websocket_channel": "batch." + session, "rejections": nil,
	})
}

func (f wireFile) result() wireResult {
	return wireResult{ImageID: f.id, Filename: f.name, ObjectKey: "uploads/" + f.id + "/" + f.name,
		Status: "completed", Tags: []string{}, ProcessingTimeMS: 1, CreatedAt: f.created}
}

func (s *batchWire) session(w http.ResponseWriter, r *http.Request) (string, []wireFile, bool) {
	id := r.PathValue("id")
	s.mu.Lock()
	files, ok := s.sessions[id]
	s.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"detail": "upload session not found"})
	}
	return id, files, ok
}

func (s *batchWire) status(w http.ResponseWriter, r *http.Request) {
	id, files, ok := s.session(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"session_id": id, "status": "completed", "total_files": len(files), "completed_files": len(files),
		"failed_files": 0, "skipped_files": 0, "pending_files": 0, "progress_percentage": 100.0,
		"created_at": files[0].created, "recent_completions": []any{}, "recent_errors": []any{},
		"results_url":       wireAPI + "/uploads/sessions/" + id + "/results",
		"websocket_channel": "batch." + id,
	})
}

func (s *batchWire) results(w http.ResponseWriter, r *http.Request) {
	id, files, ok := s.session(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	offset, limit := 0, 100 // documented defaults
	if v := q.Get("offset"); v != "" {
		offset, _ = strconv.Atoi(v)
	}
	if v := q.Get("limit"); v != "" {
		limit, _ = strconv.Atoi(v)
	}
	if offset < 0 || limit < 1 || limit > 500 {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"detail": "offset or limit out of range"})
		return
	}
	page := files[min(offset, len(files)):min(offset+limit, len(files))]
	out := make([]wireResult, len(page))
	for i, f := range page {
		out[i] = f.result()
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"session_id": id, "results": out, "total_count": len(files), "offset": offset, "limit": limit,
		"has_more": offset+len(page) < len(files),
		"summary":  map[string]int{"total_files": len(files), "completed": len(files), "failed": 0, "skipped": 0},
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// serveBatchWire is the subprocess's whole life: it serves the batch wire
// on loopback, prints its URL on stdout and stops when stdin closes (the
// benchmark ended, or died).
func serveBatchWire() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	srv := &http.Server{Handler: newBatchWire().handler()}
	go func() { _ = srv.Serve(ln) }()
	fmt.Println("http://" + ln.Addr().String())
	_, _ = io.Copy(io.Discard, os.Stdin)
	_ = srv.Close()
}

// wireServer is a running batch wire: its base URL (…/api/v2) and a
// client for its /bench controls.
type wireServer struct {
	root, url string
	hc        *http.Client
}

// startBatchWire starts the batch wire in a subprocess (this test binary
// again, with batchWireEnv set), stopped when b ends.
func startBatchWire(b *testing.B) *wireServer {
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
	cmd.Env = append(os.Environ(), batchWireEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		stdin.Close()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("batch wire subprocess: %v", err)
	}
	return newWireServer(b, strings.TrimSpace(line))
}

// startBatchWireHere serves the batch wire in this process (tests).
func startBatchWireHere(tb testing.TB) *wireServer {
	srv := httptest.NewServer(newBatchWire().handler())
	tb.Cleanup(srv.Close)
	return newWireServer(tb, srv.URL)
}

func newWireServer(tb testing.TB, root string) *wireServer {
	hc := &http.Client{Transport: &http.Transport{}}
	tb.Cleanup(hc.CloseIdleConnections)
	return &wireServer{root: root, url: root + wireAPI, hc: hc}
}

func (s *wireServer) control(tb testing.TB, method, path string, into any) {
	req, err := http.NewRequest(method, s.root+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("%s %s: %s", method, path, resp.Status)
	}
	if into != nil {
		if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
			tb.Fatal(err)
		}
	}
}

func (s *wireServer) setLatency(tb testing.TB, d time.Duration) {
	s.control(tb, http.MethodPost, "/bench/latency?d="+d.String(), nil)
}

// reset forgets every session and zeroes the counters.
func (s *wireServer) reset(tb testing.TB) { s.control(tb, http.MethodPost, "/bench/reset", nil) }

func (s *wireServer) stats(tb testing.TB) wireStats {
	var st wireStats
	s.control(tb, http.MethodGet, "/bench/stats", &st)
	return st
}
