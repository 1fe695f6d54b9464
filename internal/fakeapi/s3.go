package fakeapi

import (
	"fmt"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// S3: the documented bring-your-own-bucket settings under /tenant/s3-config,
// and S3 import jobs on the inferred /s3-connector wire. An import reads the
// objects seeded with PutS3Object (a bucket nothing was seeded into holds
// three sample images), needs the settings to be configured, and progresses
// like a cloud storage job.

type s3State struct {
	config      *s3Config
	bucketError string                         // non-empty: the bucket refuses access with this text
	objects     map[string]map[string]s3Object // bucket → key → object
	jobs        map[string]*s3Job
	order       []string // job ids in creation order
	next        []transferOutcome
}

func (st *s3State) init() {
	st.objects = map[string]map[string]s3Object{}
	st.jobs = map[string]*s3Job{}
}

type s3Config struct {
	accessKeyID, secretAccessKey, bucket, region string
	configuredAt                                 time.Time
}

type s3Object struct {
	data []byte
}

type s3Job struct {
	transferJob
	bucket, prefix, region string
}

// s3Routes are the routes s3.go serves.
func (s *Server) s3Routes() []route {
	return []route{
		{"POST /tenant/s3-config", s.handleS3Configure},
		{"GET /tenant/s3-config", s.handleS3Status},
		{"POST /tenant/s3-config/validate", s.handleS3Validate},
		{"DELETE /tenant/s3-config", s.handleS3Remove},
		{"POST /s3-connector/imports", s.handleS3Import},
		{"GET /s3-connector/jobs", s.handleS3Jobs},
		{"GET /s3-connector/jobs/{id}", s.handleS3Job},
	}
}

// ---- knobs ----

// PutS3Object puts an object into a bucket of the fake S3, for imports to find.
func (s *Server) PutS3Object(bucket, key string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.state.s3.objects[bucket]
	if b == nil {
		b = map[string]s3Object{}
		s.state.s3.objects[bucket] = b
	}
	b[key] = s3Object{data: append([]byte(nil), data...)}
}

// SetS3BucketError makes the custom bucket refuse access with message:
// configuring fails and validation reports it (empty: the bucket works).
func (s *Server) SetS3BucketError(message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.s3.bucketError = message
}

// EndNextS3Job makes the next S3 import job end with status (completed,
// partial, failed or cancelled) and message as its error text (empty: a
// default one). Calls queue up, one per job.
func (s *Server) EndNextS3Job(status, message string) {
	s.queueTransferOutcome(&s.state.s3.next, status, message)
}

// EndS3Job changes how an existing S3 import job ends; it reports false
// when there is no such job.
func (s *Server) EndS3Job(jobID, status, message string) bool {
	return s.endTransferJob(func() *transferJob {
		if j := s.state.s3.jobs[jobID]; j != nil {
			return &j.transferJob
		}
		return nil
	}, status, message)
}

// S3ConfigSecret returns the secret access key the fake stored, so tests
// can check it arrived intact ("" when nothing is configured).
func (s *Server) S3ConfigSecret() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state.s3.config == nil {
		return ""
	}
	return s.state.s3.config.secretAccessKey
}

// ---- settings ----

func (s *Server) handleS3Configure(w http.ResponseWriter, r *http.Request) {
	var body struct {
		AccessKeyID     string `json:"access_key_id"`
		SecretAccessKey string `json:"secret_access_key"`
		BucketName      string `json:"bucket_name"`
		Region          string `json:"region"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	var problems []any
	for _, c := range []struct {
		field, value string
		least, most  int
	}{
		{"access_key_id", body.AccessKeyID, 16, 128},
		{"secret_access_key", body.SecretAccessKey, 20, 128},
		{"bucket_name", body.BucketName, 3, 63},
		{"region", body.Region, 1, 64},
	} {
		if n := utf8.RuneCountInString(c.value); n < c.least || n > c.most {
			problems = append(problems, map[string]any{"loc": []string{"body", c.field},
				"msg": fmt.Sprintf("length must be %d–%d", c.least, c.most), "type": "value_error"})
		}
	}
	if len(problems) > 0 {
		WriteJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": problems})
		return
	}
	s.Lock()
	defer s.Unlock()
	if msg := s.state.s3.bucketError; msg != "" {
		WriteError(w, http.StatusBadRequest, "S3_VALIDATION_FAILED", "cannot access bucket: "+msg)
		return
	}
	s.state.s3.config = &s3Config{accessKeyID: body.AccessKeyID, secretAccessKey: body.SecretAccessKey,
		bucket: body.BucketName, region: body.Region, configuredAt: time.Now()}
	WriteJSON(w, http.StatusOK, s.s3StatusLocked())
}

func (s *Server) s3StatusLocked() map[string]any {
	c := s.state.s3.config
	if c == nil {
		return map[string]any{"configured": false, "bucket_name": nil, "region": nil,
			"configured_at": nil, "is_validated": nil, "error": nil}
	}
	return map[string]any{"configured": true, "bucket_name": c.bucket, "region": c.region,
		"configured_at": c.configuredAt.UTC(), "is_validated": s.state.s3.bucketError == "",
		"error": transferTextJSON(s.state.s3.bucketError)}
}

func (s *Server) handleS3Status(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	WriteJSON(w, http.StatusOK, s.s3StatusLocked())
}

func (s *Server) handleS3Validate(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	c := s.state.s3.config
	if c == nil {
		WriteJSON(w, http.StatusOK, map[string]any{"valid": false, "bucket_name": nil, "region": nil,
			"error": "no custom S3 storage is configured"})
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"valid": s.state.s3.bucketError == "", "bucket_name": c.bucket,
		"region": c.region, "error": transferTextJSON(s.state.s3.bucketError)})
}

func (s *Server) handleS3Remove(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	if s.state.s3.config == nil {
		WriteJSON(w, http.StatusOK, map[string]any{"removed": false, "message": "No custom S3 configuration to remove"})
		return
	}
	s.state.s3.config = nil
	WriteJSON(w, http.StatusOK, map[string]any{"removed": true, "message": "Custom S3 configuration removed"})
}

// ---- import jobs (inferred wire) ----

func (s *Server) handleS3Import(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Bucket          string   `json:"bucket"`
		Prefix          string   `json:"prefix"`
		Region          string   `json:"region"`
		Tags            []string `json:"tags"`
		FolderID        string   `json:"folder_id"`
		ContentCategory string   `json:"content_category"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	if body.Bucket == "" {
		writeTransferFieldError(w, []string{"body", "bucket"}, "field required")
		return
	}
	s.Lock()
	defer s.Unlock()
	cfg := s.state.s3.config
	if cfg == nil {
		WriteError(w, http.StatusBadRequest, "S3_NOT_CONFIGURED", "configure S3 credentials first (POST /tenant/s3-config)")
		return
	}
	if body.Region == "" {
		body.Region = cfg.region
	}
	j := &s3Job{bucket: body.Bucket, prefix: body.Prefix, region: body.Region}
	keys := s.s3KeysLocked(body.Bucket, body.Prefix)
	j.transferJob = transferJob{id: s.NewID("s3job"), total: len(keys), created: time.Now(),
		step: s.opts.JobStepDelay, outcome: nextTransferOutcomeLocked(&s.state.s3.next)}
	for _, key := range keys {
		f := transferredFile(path.Base(key), "", "s3://"+body.Bucket+"/"+key, body.Tags)
		if obj, ok := s.state.s3.objects[body.Bucket][key]; ok {
			f.Data, f.Size, f.SHA256 = obj.data, int64(len(obj.data)), SHA256Hex(obj.data)
		}
		f.FolderID, f.ContentCategory = body.FolderID, body.ContentCategory
		j.fileIDs = append(j.fileIDs, s.addFileLocked(f).ID)
	}
	s.settleTransferFilesLocked(&j.transferJob)
	s.state.s3.jobs[j.id] = j
	s.state.s3.order = append(s.state.s3.order, j.id)
	WriteJSON(w, http.StatusOK, map[string]any{"job": j.json(time.Now())})
}

// s3KeysLocked lists the keys under prefix; a bucket nothing was seeded
// into holds three sample images.
func (s *Server) s3KeysLocked(bucket, prefix string) []string {
	objects, seeded := s.state.s3.objects[bucket]
	if !seeded {
		return []string{prefix + "sample-1.jpg", prefix + "sample-2.jpg", prefix + "sample-3.png"}
	}
	var keys []string
	for k := range objects {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func (j *s3Job) json(now time.Time) map[string]any {
	v := j.view(now)
	return map[string]any{
		"job_id": j.id, "type": "import", "status": v.status, "bucket": j.bucket, "prefix": j.prefix,
		"region": j.region, "total_files": j.total, "completed_files": v.completed, "failed_files": v.failed,
		"error": transferTextJSON(v.errorText), "created_at": j.created.UTC(), "updated_at": v.updated.UTC(),
		"completed_at": transferTimeJSON(v.ended),
	}
}

func (s *Server) handleS3Job(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	j := s.state.s3.jobs[r.PathValue("id")]
	if j == nil {
		writeTransferNotFound(w, "s3_import_job", r.PathValue("id"), "S3 import job not found")
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"job": j.json(time.Now())})
}

func (s *Server) handleS3Jobs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, offset := 20, 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			writeTransferFieldError(w, []string{"query", "limit"}, "must be 1–100")
			return
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeTransferFieldError(w, []string{"query", "offset"}, "must be ≥ 0")
			return
		}
		offset = n
	}
	status := q.Get("status")
	now := time.Now()
	s.Lock()
	defer s.Unlock()
	var matching []map[string]any
	for i := len(s.state.s3.order) - 1; i >= 0; i-- {
		j := s.state.s3.jobs[s.state.s3.order[i]]
		if js := j.json(now); status == "" || js["status"] == status {
			matching = append(matching, js)
		}
	}
	page := []map[string]any{}
	if offset < len(matching) {
		page = matching[offset:min(offset+limit, len(matching))]
	}
	WriteJSON(w, http.StatusOK, map[string]any{"jobs": page, "total_count": len(matching),
		"has_more": offset+len(page) < len(matching)})
}
