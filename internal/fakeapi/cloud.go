package fakeapi

import (
	"fmt"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// Cloud storage: connections made through a fake OAuth flow (any code
// completes a state the fake handed out), import jobs that put placeholder
// files into the file store at once, and export jobs. Jobs progress from the
// clock: pending for one JobStepDelay, then one file per step, then they end
// as their outcome says (completed unless a knob said otherwise).

type cloudState struct {
	pendingAuth map[string]string // OAuth state → provider
	connections map[string]*cloudConnection
	connOrder   []string
	jobs        map[string]*cloudJob
	next        []transferOutcome // outcomes of the next jobs, in order
}

func (st *cloudState) init() {
	st.pendingAuth = map[string]string{}
	st.connections = map[string]*cloudConnection{}
	st.jobs = map[string]*cloudJob{}
}

type cloudConnection struct {
	id, provider, email, displayName string
	active                           bool
	createdAt, lastUsedAt            time.Time
}

type cloudJob struct {
	transferJob
	kind, connectionID, provider string
}

// cloudProviders are the providers the fake accepts.
var cloudProviders = map[string]bool{"google_drive": true}

// cloudRoutes are the routes cloud.go serves.
func (s *Server) cloudRoutes() []route {
	return []route{
		{"POST /cloud-storage/auth/{provider}", s.handleCloudAuth},
		{"POST /cloud-storage/auth/{provider}/callback", s.handleCloudCallback},
		{"GET /cloud-storage/connections", s.handleCloudConnections},
		{"DELETE /cloud-storage/connections/{id}", s.handleCloudDisconnect},
		{"POST /cloud-storage/import", s.handleCloudImport},
		{"POST /cloud-storage/export", s.handleCloudExport},
		{"GET /cloud-storage/jobs/{id}", s.handleCloudJob},
	}
}

// ---- jobs shared by cloud storage and S3 ----

// transferOutcome is how a fake job ends: completed, partial, failed or cancelled.
type transferOutcome struct {
	status  string
	message string
}

// transferOutcomeStatuses are the outcomes a knob may ask for.
var transferOutcomeStatuses = map[string]bool{"completed": true, "partial": true, "failed": true, "cancelled": true}

func checkTransferOutcome(status string) {
	if !transferOutcomeStatuses[status] {
		panic("fakeapi: a job cannot end " + status + "; want completed, partial, failed or cancelled")
	}
}

// transferJob is a job whose state is computed from the clock.
type transferJob struct {
	id      string
	total   int
	created time.Time
	step    time.Duration
	outcome transferOutcome
	fileIDs []string // files an import created, in order
}

// transferView is a job's state at one moment.
type transferView struct {
	status            string
	completed, failed int
	errorText         string
	updated, ended    time.Time // ended is zero while it runs
}

// finalCounts are the completed and failed files once the job has ended.
func (j *transferJob) finalCounts() (completed, failed int) {
	switch j.outcome.status {
	case "partial":
		failed = min(1, j.total)
		return j.total - failed, failed
	case "failed":
		return 0, j.total
	case "cancelled":
		return j.total / 2, 0
	}
	return j.total, 0
}

// stepsToEnd is how many files the job processes before it ends.
func (j *transferJob) stepsToEnd() int {
	c, f := j.finalCounts()
	return c + f
}

func (j *transferJob) view(now time.Time) transferView {
	steps := j.stepsToEnd()
	processed := steps
	started := true
	if j.step > 0 {
		k := int(now.Sub(j.created) / j.step)
		started = k > 0
		processed = min(max(k-1, 0), steps)
	}
	v := transferView{updated: j.created.Add(time.Duration(processed+1) * j.step)}
	switch {
	case !started:
		v.status, v.updated = "pending", j.created
	case processed < steps:
		v.status = "in_progress"
		finalCompleted, _ := j.finalCounts()
		v.completed = min(processed, finalCompleted)
		v.failed = processed - v.completed
	default:
		v.status = j.outcome.status
		v.completed, v.failed = j.finalCounts()
		v.ended = v.updated
		v.errorText = j.outcome.message
		if v.errorText == "" {
			v.errorText = defaultTransferError(v.status, v.failed, j.total)
		}
	}
	return v
}

func defaultTransferError(status string, failed, total int) string {
	switch status {
	case "partial":
		return fmt.Sprintf("%d of %d files failed", failed, total)
	case "failed":
		return "every file failed"
	case "cancelled":
		return "the job was cancelled"
	}
	return ""
}

// nextTransferOutcomeLocked pops the outcome the next job should have.
func nextTransferOutcomeLocked(queue *[]transferOutcome) transferOutcome {
	if len(*queue) == 0 {
		return transferOutcome{status: "completed"}
	}
	o := (*queue)[0]
	*queue = (*queue)[1:]
	return o
}

// settleTransferFilesLocked removes the files a job's outcome says did not make it:
// the placeholders past the number that completed.
func (s *Server) settleTransferFilesLocked(j *transferJob) {
	completed, _ := j.finalCounts()
	for i, id := range j.fileIDs {
		if f := s.state.files.byID[id]; f != nil {
			f.Deleted = i >= completed
		}
	}
}

func transferTimeJSON(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

func transferTextJSON(v string) any {
	if v == "" {
		return nil
	}
	return v
}

// transferredFile makes the stored file of an imported object: a few bytes
// naming its source, typed by its name.
func transferredFile(name, contentType, source string, tags []string) *File {
	if contentType == "" {
		contentType = mime.TypeByExtension(strings.ToLower(path.Ext(name)))
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	media := "document"
	switch {
	case strings.HasPrefix(contentType, "image/"):
		media = "image"
	case strings.HasPrefix(contentType, "video/"):
		media = "video"
	}
	data := []byte("imported from " + source + "\n")
	return &File{Filename: name, ContentType: contentType, MediaType: media, Size: int64(len(data)),
		SHA256: SHA256Hex(data), Data: data, Tags: append([]string(nil), tags...)}
}

// ---- knobs ----

// EndNextCloudJob makes the next cloud storage job end with status
// (completed, partial, failed or cancelled) and message as its error text
// (empty: a default one). Calls queue up, one per job.
func (s *Server) EndNextCloudJob(status, message string) {
	s.queueTransferOutcome(&s.state.cloud.next, status, message)
}

// EndCloudJob changes how an existing cloud storage job ends; it reports
// false when there is no such job.
func (s *Server) EndCloudJob(jobID, status, message string) bool {
	return s.endTransferJob(func() *transferJob {
		if j := s.state.cloud.jobs[jobID]; j != nil {
			return &j.transferJob
		}
		return nil
	}, status, message)
}

func (s *Server) queueTransferOutcome(queue *[]transferOutcome, status, message string) {
	checkTransferOutcome(status)
	s.mu.Lock()
	defer s.mu.Unlock()
	*queue = append(*queue, transferOutcome{status, message})
}

// endTransferJob sets the outcome of the job find returns (under the lock).
func (s *Server) endTransferJob(find func() *transferJob, status, message string) bool {
	checkTransferOutcome(status)
	s.mu.Lock()
	defer s.mu.Unlock()
	j := find()
	if j == nil {
		return false
	}
	j.outcome = transferOutcome{status, message}
	s.settleTransferFilesLocked(j)
	return true
}

// ---- handlers ----

func (s *Server) handleCloudAuth(w http.ResponseWriter, r *http.Request) {
	provider := r.PathValue("provider")
	var body struct {
		RedirectURI string `json:"redirect_uri"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	if !cloudProviders[provider] {
		writeTransferFieldError(w, []string{"path", "provider"}, "unsupported provider "+provider)
		return
	}
	state := s.NewID("oauthstate")
	s.Lock()
	s.state.cloud.pendingAuth[state] = provider
	s.Unlock()
	WriteJSON(w, http.StatusOK, map[string]any{
		"authorization_url": s.HTTP.URL + "/fake-oauth/" + provider + "/authorize?state=" + state,
		"state":             state,
		"provider":          provider,
	})
}

func (s *Server) handleCloudCallback(w http.ResponseWriter, r *http.Request) {
	provider := r.PathValue("provider")
	var body struct {
		Code, State string
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	if body.Code == "" {
		writeTransferFieldError(w, []string{"body", "code"}, "field required")
		return
	}
	s.Lock()
	defer s.Unlock()
	if s.state.cloud.pendingAuth[body.State] != provider {
		WriteError(w, http.StatusBadRequest, "INVALID_STATE", "unknown or already used OAuth state")
		return
	}
	delete(s.state.cloud.pendingAuth, body.State)
	c := &cloudConnection{id: s.NewID("conn"), provider: provider, active: true, createdAt: time.Now(),
		email: "drive-user@example.com", displayName: "Fake Drive User"}
	s.state.cloud.connections[c.id] = c
	s.state.cloud.connOrder = append(s.state.cloud.connOrder, c.id)
	WriteJSON(w, http.StatusOK, map[string]any{"connection": c.json(), "is_new": true})
}

func (c *cloudConnection) json() map[string]any {
	return map[string]any{
		"id": c.id, "provider": c.provider, "provider_email": c.email,
		"provider_display_name": c.displayName, "is_active": c.active,
		"created_at": transferTimeJSON(c.createdAt), "last_used_at": transferTimeJSON(c.lastUsedAt),
	}
}

func (s *Server) handleCloudConnections(w http.ResponseWriter, r *http.Request) {
	provider := r.URL.Query().Get("provider")
	activeOnly := r.URL.Query().Get("active_only") != "false"
	s.Lock()
	defer s.Unlock()
	list := []any{}
	for _, id := range s.state.cloud.connOrder {
		c := s.state.cloud.connections[id]
		if (provider == "" || c.provider == provider) && (c.active || !activeOnly) {
			list = append(list, c.json())
		}
	}
	WriteJSON(w, http.StatusOK, map[string]any{"connections": list, "total_count": len(list)})
}

func (s *Server) handleCloudDisconnect(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	c := s.state.cloud.connections[r.PathValue("id")]
	if c == nil {
		writeTransferNotFound(w, "cloud_connection", r.PathValue("id"), "connection not found")
		return
	}
	c.active = false
	WriteJSON(w, http.StatusOK, map[string]any{"success": true, "message": "Disconnected and revoked access"})
}

// activeConnectionLocked finds an active connection or answers 404.
func (s *Server) activeConnectionLocked(w http.ResponseWriter, id string) *cloudConnection {
	c := s.state.cloud.connections[id]
	if c == nil || !c.active {
		writeTransferNotFound(w, "cloud_connection", id, "connection not found or disconnected")
		return nil
	}
	return c
}

func (s *Server) handleCloudImport(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ConnectionID string `json:"connection_id"`
		Files        []struct {
			ID       string `json:"id"`
			Name     string `json:"name"`
			MimeType string `json:"mime_type"`
		} `json:"files"`
		Tags []string `json:"tags"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	if len(body.Files) == 0 {
		writeTransferFieldError(w, []string{"body", "files"}, "at least one file is required")
		return
	}
	for i, f := range body.Files {
		if f.ID == "" || f.Name == "" {
			writeTransferFieldError(w, []string{"body", "files", fmt.Sprint(i)}, "id and name are required")
			return
		}
	}
	s.Lock()
	defer s.Unlock()
	c := s.activeConnectionLocked(w, body.ConnectionID)
	if c == nil {
		return
	}
	c.lastUsedAt = time.Now()
	j := &cloudJob{kind: "import", connectionID: c.id, provider: c.provider}
	j.transferJob = transferJob{id: s.NewID("job"), total: len(body.Files), created: time.Now(),
		step: s.opts.JobStepDelay, outcome: nextTransferOutcomeLocked(&s.state.cloud.next)}
	for _, f := range body.Files {
		file := s.addFileLocked(transferredFile(f.Name, f.MimeType, c.provider+" file "+f.ID, body.Tags))
		j.fileIDs = append(j.fileIDs, file.ID)
	}
	s.settleTransferFilesLocked(&j.transferJob)
	s.state.cloud.jobs[j.id] = j
	WriteJSON(w, http.StatusOK, map[string]any{
		"image_ids": j.fileIDs, "job_id": j.id, "status": "pending", "total_files": j.total,
		"is_async": true, "message": fmt.Sprintf("Import of %d files started", j.total),
	})
}

func (s *Server) handleCloudExport(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ConnectionID string   `json:"connection_id"`
		ImageIDs     []string `json:"image_ids"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	if len(body.ImageIDs) == 0 {
		writeTransferFieldError(w, []string{"body", "image_ids"}, "at least one id is required")
		return
	}
	s.Lock()
	defer s.Unlock()
	c := s.activeConnectionLocked(w, body.ConnectionID)
	if c == nil {
		return
	}
	for _, id := range body.ImageIDs {
		if f := s.state.files.byID[id]; f == nil || f.Deleted {
			writeTransferNotFound(w, "file", id, "file not found")
			return
		}
	}
	c.lastUsedAt = time.Now()
	j := &cloudJob{kind: "export", connectionID: c.id, provider: c.provider}
	j.transferJob = transferJob{id: s.NewID("job"), total: len(body.ImageIDs), created: time.Now(),
		step: s.opts.JobStepDelay, outcome: nextTransferOutcomeLocked(&s.state.cloud.next)}
	s.state.cloud.jobs[j.id] = j
	WriteJSON(w, http.StatusOK, map[string]any{
		"cloud_file_ids": nil, "job_id": j.id, "job_status": "pending", "is_async": true,
		"message": fmt.Sprintf("Export of %d files started", j.total),
	})
}

func (s *Server) handleCloudJob(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	j := s.state.cloud.jobs[r.PathValue("id")]
	if j == nil {
		writeTransferNotFound(w, "cloud_storage_job", r.PathValue("id"), "job not found")
		return
	}
	v := j.view(time.Now())
	WriteJSON(w, http.StatusOK, map[string]any{"job": map[string]any{
		"job_id": j.id, "type": j.kind, "status": v.status, "connection_id": j.connectionID,
		"provider": j.provider, "total_files": j.total, "completed_files": v.completed,
		"failed_files": v.failed, "error": transferTextJSON(v.errorText), "created_at": j.created.UTC(),
		"updated_at": v.updated.UTC(), "completed_at": transferTimeJSON(v.ended),
	}})
}

// writeTransferNotFound answers 404 naming the missing resource.
func writeTransferNotFound(w http.ResponseWriter, resourceType, id, message string) {
	WriteErrorDetails(w, http.StatusNotFound, "NOT_FOUND", message,
		map[string]any{"resource_type": resourceType, "resource_id": id})
}

// writeTransferFieldError answers 422 in FastAPI's shape.
func writeTransferFieldError(w http.ResponseWriter, loc []string, msg string) {
	writeDetail(w, http.StatusUnprocessableEntity, loc, msg, "value_error")
}
