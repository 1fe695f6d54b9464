package scopix

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// CloudStorageService imports from and exports to connected cloud drives under /cloud-storage.
//
// A connection is made once through OAuth (InitiateAuth, then CompleteAuth
// with the code the provider hands your redirect page); imports and exports
// then run as background jobs that WaitForJob, ImportAndWait and
// ExportAndWait follow.
type CloudStorageService service

// Wire sources: the cloud-storage/* paths and bodies are documented
// (predecessor api/cloud-storage.md; spec video-cloud-s3.md §3).

// InitiateAuth starts connecting a cloud drive: it returns the provider's
// authorization URL to open in a browser and the state (CSRF token) to give
// back to CompleteAuth. It calls POST /cloud-storage/auth/{provider}.
//
// An empty provider is a *ValidationError before any request. The Scopix
// API may accept only browser sessions here, not API keys; it then answers
// with an *AuthenticationError or *PermissionError.
func (s *CloudStorageService) InitiateAuth(ctx context.Context, provider CloudProvider, p *InitiateAuthParams) (*InitiateAuthResult, error) {
	providerSeg, err := idSegment("provider", string(provider))
	if err != nil {
		return nil, err
	}
	if p == nil {
		p = &InitiateAuthParams{}
	}
	body := struct {
		Provider    CloudProvider `json:"provider"`
		RedirectURI string        `json:"redirect_uri,omitempty"`
	}{provider, p.RedirectURI}
	req, err := s.client.newRequest(http.MethodPost, "cloud-storage/auth/"+providerSeg, body)
	if err != nil {
		return nil, err
	}
	// A second authorization request only mints another unused state.
	req.idempotent()
	return doJSON[InitiateAuthResult](ctx, s.client, req)
}

// CompleteAuth finishes connecting a cloud drive with the code the provider
// sent to the redirect page and the state InitiateAuth returned, and returns
// the connection. It calls POST /cloud-storage/auth/{provider}/callback.
//
// An empty provider, code or state is a *ValidationError before any request;
// a used or unknown state is a *ValidationError from the server.
func (s *CloudStorageService) CompleteAuth(ctx context.Context, provider CloudProvider, code, state string, p *CompleteAuthParams) (*CompleteAuthResult, error) {
	switch {
	case provider == "":
		return nil, validationError("provider", "must not be empty")
	case code == "":
		return nil, validationError("code", "must not be empty")
	case state == "":
		return nil, validationError("state", "must not be empty")
	}
	providerSeg, err := idSegment("provider", string(provider))
	if err != nil {
		return nil, err
	}
	if p == nil {
		p = &CompleteAuthParams{}
	}
	body := struct {
		Code        string `json:"code"`
		State       string `json:"state"`
		RedirectURI string `json:"redirect_uri,omitempty"`
	}{code, state, p.RedirectURI}
	return sendJSON[CompleteAuthResult](ctx, s.client, http.MethodPost, "cloud-storage/auth/"+providerSeg+"/callback", body)
}

// ListConnections returns the cloud drives connected to the account (only
// the active ones unless p.ActiveOnly is false). It calls
// GET /cloud-storage/connections?provider=&active_only=.
func (s *CloudStorageService) ListConnections(ctx context.Context, p *ListConnectionsParams) (*ConnectionList, error) {
	q := url.Values{}
	if p != nil {
		if p.Provider != "" {
			q.Set("provider", string(p.Provider))
		}
		if p.ActiveOnly != nil {
			q.Set("active_only", strconv.FormatBool(*p.ActiveOnly))
		}
	}
	return getJSON[ConnectionList](ctx, s.client, "cloud-storage/connections", q)
}

// Disconnect removes a connection and revokes its OAuth tokens. It calls
// DELETE /cloud-storage/connections/{id}; an unknown id is a
// *ResourceNotFoundError, an empty one a *ValidationError before any request.
func (s *CloudStorageService) Disconnect(ctx context.Context, connectionID string) (*DisconnectResult, error) {
	seg, err := idSegment("connection_id", connectionID)
	if err != nil {
		return nil, err
	}
	return sendJSON[DisconnectResult](ctx, s.client, http.MethodDelete, "cloud-storage/connections/"+seg, nil)
}

// StartImport starts a job that copies files from a connected drive into
// Scopix and returns at once with the job id and the ids of the placeholder
// files. It calls POST /cloud-storage/import.
//
// An empty connection id, an empty file list or a file without ID or Name is
// a *ValidationError before any request. An exhausted usage or storage quota
// is a *QuotaExceededError; an unknown connection a *ResourceNotFoundError.
func (s *CloudStorageService) StartImport(ctx context.Context, connectionID string, files []CloudFile, p *ImportParams) (*ImportResult, error) {
	if err := checkCloudImport(connectionID, files); err != nil {
		return nil, err
	}
	if p == nil {
		p = &ImportParams{}
	}
	body := struct {
		ConnectionID string      `json:"connection_id"`
		Files        []CloudFile `json:"files"`
		AutoDescribe *bool       `json:"auto_describe,omitempty"`
		Tags         []string    `json:"tags,omitempty"`
		CollectionID string      `json:"collection_id,omitempty"`
	}{connectionID, files, p.AutoDescribe, p.Tags, p.CollectionID}
	return sendJSON[ImportResult](ctx, s.client, http.MethodPost, "cloud-storage/import", body)
}

func checkCloudImport(connectionID string, files []CloudFile) error {
	if err := checkID("connection_id", connectionID); err != nil {
		return err
	}
	if len(files) == 0 {
		return validationError("files", "must contain at least one file")
	}
	for i, f := range files {
		if err := checkID(fmt.Sprintf("files[%d].id", i), f.ID); err != nil {
			return err
		}
		if f.Name == "" {
			return validationError(fmt.Sprintf("files[%d].name", i), "must not be empty")
		}
	}
	return nil
}

// StartExport starts a job that copies Scopix files to a connected drive and
// returns at once with the job id. It calls POST /cloud-storage/export.
//
// An empty connection id, an empty id list or an empty id in it is a
// *ValidationError before any request; an unknown connection or file a
// *ResourceNotFoundError.
func (s *CloudStorageService) StartExport(ctx context.Context, connectionID string, imageIDs []string, p *ExportParams) (*ExportResult, error) {
	if err := checkCloudExport(connectionID, imageIDs); err != nil {
		return nil, err
	}
	if p == nil {
		p = &ExportParams{}
	}
	body := struct {
		ConnectionID string   `json:"connection_id"`
		ImageIDs     []string `json:"image_ids"`
		FolderID     string   `json:"folder_id,omitempty"`
		FolderName   string   `json:"folder_name,omitempty"`
	}{connectionID, imageIDs, p.FolderID, p.FolderName}
	return sendJSON[ExportResult](ctx, s.client, http.MethodPost, "cloud-storage/export", body)
}

func checkCloudExport(connectionID string, imageIDs []string) error {
	if err := checkID("connection_id", connectionID); err != nil {
		return err
	}
	if len(imageIDs) == 0 {
		return validationError("image_ids", "must contain at least one id")
	}
	return checkIDs("image_ids", imageIDs)
}

// GetJob returns the current state of an import or export job. It calls
// GET /cloud-storage/jobs/{id}; an unknown id is a *ResourceNotFoundError,
// an empty one a *ValidationError before any request.
func (s *CloudStorageService) GetJob(ctx context.Context, jobID string) (*CloudStorageJob, error) {
	seg, err := idSegment("job_id", jobID)
	if err != nil {
		return nil, err
	}
	return sendJob[CloudStorageJob](ctx, s.client, http.MethodGet, "cloud-storage/jobs/"+seg, nil)
}

// WaitForJob polls GetJob at a fixed interval (o.Interval, default the
// client's polling interval) until the job ends, calling o.OnProgress after
// every poll. A completed or partial job is returned without error (check
// FailedFiles for a partial one).
//
// A failed or cancelled job is a *CloudStorageError carrying its JobID,
// JobStatus and the job's error text; the job itself is returned along with
// it. Running out of o.Timeout (default the client's polling timeout) or the
// ctx deadline is a *TimeoutError whose LastResult is the last *CloudStorageJob
// seen; a cancelled ctx an error for which errors.Is(err, context.Canceled)
// holds.
func (s *CloudStorageService) WaitForJob(ctx context.Context, jobID string, o *WaitJobOptions) (*CloudStorageJob, error) {
	if o == nil {
		o = &WaitJobOptions{}
	}
	return waitJob(ctx, s.client.pollConfig(o.Timeout, o.Interval), "cloud storage job "+jobID, "job_id", jobID, s.GetJob, o.OnProgress)
}

// ImportAndWait is StartImport followed by WaitForJob on the new job, with
// the errors of both. An import the server finished synchronously (no job
// id) is returned at once as a completed job.
func (s *CloudStorageService) ImportAndWait(ctx context.Context, connectionID string, files []CloudFile, p *ImportParams, o *WaitJobOptions) (*CloudStorageJob, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	res, err := s.StartImport(ctx, connectionID, files, p)
	if err != nil {
		return nil, err
	}
	if res.JobID == "" {
		return &CloudStorageJob{Type: JobTypeImport, Status: JobStatusCompleted, ConnectionID: connectionID,
			TotalFiles: max(res.TotalFiles, len(res.ImageIDs)), CompletedFiles: len(res.ImageIDs)}, nil
	}
	return s.WaitForJob(ctx, res.JobID, o)
}

// ExportAndWait is StartExport followed by WaitForJob on the new job, with
// the errors of both. An export the server finished synchronously (no job
// id) is returned at once as a completed job.
func (s *CloudStorageService) ExportAndWait(ctx context.Context, connectionID string, imageIDs []string, p *ExportParams, o *WaitJobOptions) (*CloudStorageJob, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	res, err := s.StartExport(ctx, connectionID, imageIDs, p)
	if err != nil {
		return nil, err
	}
	if res.JobID == "" {
		return &CloudStorageJob{Type: JobTypeExport, Status: JobStatusCompleted, ConnectionID: connectionID,
			TotalFiles: len(imageIDs), CompletedFiles: len(res.CloudFileIDs)}, nil
	}
	return s.WaitForJob(ctx, res.JobID, o)
}

// CloudProvider names a cloud drive provider. Values the SDK does not know
// are passed through as they are.
type CloudProvider string

// Cloud drive providers.
const (
	CloudProviderGoogleDrive CloudProvider = "google_drive"
)

// JobStatus is the state of a cloud storage or S3 import/export job.
// Unknown values are kept as they are and treated as still running.
type JobStatus string

// Job states. Completed, partial, failed and cancelled are terminal.
const (
	JobStatusPending    JobStatus = "pending"
	JobStatusInProgress JobStatus = "in_progress"
	JobStatusCompleted  JobStatus = "completed"
	JobStatusPartial    JobStatus = "partial" // ended with some files failed
	JobStatusFailed     JobStatus = "failed"
	JobStatusCancelled  JobStatus = "cancelled"
)

// IsTerminal reports whether a job in this state has ended.
func (st JobStatus) IsTerminal() bool {
	switch st {
	case JobStatusCompleted, JobStatusPartial, JobStatusFailed, JobStatusCancelled:
		return true
	}
	return false
}

// IsSuccessful reports whether the job ended completed or partial.
func (st JobStatus) IsSuccessful() bool {
	return st == JobStatusCompleted || st == JobStatusPartial
}

// JobType says which way a cloud storage job copies files.
type JobType string

// Job types.
const (
	JobTypeImport JobType = "import"
	JobTypeExport JobType = "export"
)

// transferJobProgress is the share of files processed (completed or failed), in
// percent; a finished job with no files counts as 100.
func transferJobProgress(completed, failed, total int, status JobStatus) float64 {
	if total <= 0 {
		if status.IsTerminal() {
			return 100
		}
		return 0
	}
	return min(100, float64(completed+failed)*100/float64(total))
}

// InitiateAuthParams are the optional parameters of InitiateAuth.
type InitiateAuthParams struct {
	// RedirectURI is where the provider sends the browser back (default: the
	// one registered with Scopix).
	RedirectURI string
}

// InitiateAuthResult is what InitiateAuth returns.
type InitiateAuthResult struct {
	AuthorizationURL string        `json:"authorization_url"` // open in a browser
	State            string        `json:"state"`             // give back to CompleteAuth
	Provider         CloudProvider `json:"provider"`
}

// CompleteAuthParams are the optional parameters of CompleteAuth.
type CompleteAuthParams struct {
	// RedirectURI must match the one given to InitiateAuth, if any.
	RedirectURI string
}

// CompleteAuthResult is the connection CompleteAuth made; IsNew is false
// when it renewed an existing one.
type CompleteAuthResult struct {
	Connection CloudConnection `json:"connection"`
	IsNew      bool            `json:"is_new"`
}

// CloudConnection is a connected cloud drive.
type CloudConnection struct {
	ID                  string        `json:"id"`
	Provider            CloudProvider `json:"provider"`
	ProviderEmail       string        `json:"provider_email"`
	ProviderDisplayName string        `json:"provider_display_name"`
	IsActive            bool          `json:"is_active"`
	CreatedAt           Time          `json:"created_at"` // zero when unknown
	LastUsedAt          Time          `json:"last_used_at"`
}

// UnmarshalJSON also accepts connected_at for CreatedAt and display_name for
// ProviderDisplayName, the names some Scopix answers use.
func (c *CloudConnection) UnmarshalJSON(data []byte) error {
	type plain CloudConnection
	var aux struct {
		plain
		ConnectedAt *Time   `json:"connected_at"`
		DisplayName *string `json:"display_name"`
	}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	*c = CloudConnection(aux.plain)
	if c.CreatedAt.IsZero() && aux.ConnectedAt != nil {
		c.CreatedAt = *aux.ConnectedAt
	}
	if c.ProviderDisplayName == "" && aux.DisplayName != nil {
		c.ProviderDisplayName = *aux.DisplayName
	}
	return nil
}

// ListConnectionsParams filter ListConnections; nil lists every active connection.
type ListConnectionsParams struct {
	Provider   CloudProvider // empty: every provider
	ActiveOnly *bool         // default true; Ptr(false) includes disconnected ones
}

// ConnectionList is one answer of ListConnections. It decodes the
// connections whether the server lists them under "connections" (as
// documented) or "items".
type ConnectionList struct {
	Connections []CloudConnection `json:"connections"`
	TotalCount  int               `json:"total_count"`
}

// UnmarshalJSON implements json.Unmarshaler with the tolerant list rules.
func (l *ConnectionList) UnmarshalJSON(data []byte) error {
	page, err := decodeListPage[CloudConnection](data, listKeyConnections, listKeyItems)
	if err != nil {
		return err
	}
	*l = ConnectionList{Connections: page.Items, TotalCount: page.TotalCount}
	return nil
}

// DisconnectResult is what Disconnect returns.
type DisconnectResult struct {
	Success bool   `json:"success"`
	Message string `json:"message"`
}

// CloudFile is a file on the connected drive to import, as the provider's
// file picker reports it. ID and Name are required.
type CloudFile struct {
	ID        string `json:"id"`   // the provider's file id
	Name      string `json:"name"` // file name, with extension
	MimeType  string `json:"mime_type,omitempty"`
	SizeBytes int64  `json:"size_bytes,omitempty"`
}

// ImportParams are the optional parameters of StartImport and ImportAndWait.
type ImportParams struct {
	AutoDescribe *bool    // describe the imported files with AI (default true)
	Tags         []string // tags to put on every imported file
	CollectionID string   // collection to add the files to
}

// ImportResult is what StartImport returns: the job to follow and the ids
// of the placeholder files, usable at once.
type ImportResult struct {
	ImageIDs   []string  `json:"image_ids"`
	JobID      string    `json:"job_id"`
	Status     JobStatus `json:"status"`
	TotalFiles int       `json:"total_files"`
	IsAsync    bool      `json:"is_async"`
	Message    string    `json:"message"`
}

// ExportParams are the optional parameters of StartExport and ExportAndWait.
// Set FolderID to export into an existing folder of the drive, or
// FolderName to create one.
type ExportParams struct {
	FolderID   string
	FolderName string
}

// ExportResult is what StartExport returns. CloudFileIDs stays empty until
// the job is done.
type ExportResult struct {
	CloudFileIDs []string  `json:"cloud_file_ids"`
	JobID        string    `json:"job_id"`
	JobStatus    JobStatus `json:"job_status"`
	IsAsync      bool      `json:"is_async"`
	Message      string    `json:"message"`
}

// CloudStorageJob is the state of an import or export job.
type CloudStorageJob struct {
	JobID          string        `json:"job_id"`
	Type           JobType       `json:"type"`
	Status         JobStatus     `json:"status"`
	ConnectionID   string        `json:"connection_id"`
	Provider       CloudProvider `json:"provider"`
	TotalFiles     int           `json:"total_files"`
	CompletedFiles int           `json:"completed_files"`
	FailedFiles    int           `json:"failed_files"`
	Error          string        `json:"error"` // why the job failed, if it did
	CreatedAt      Time          `json:"created_at"`
	UpdatedAt      Time          `json:"updated_at"`
	CompletedAt    Time          `json:"completed_at"` // zero until the job ends
}

// IsTerminal reports whether the job has ended (completed, partial, failed or cancelled).
func (j *CloudStorageJob) IsTerminal() bool { return j.Status.IsTerminal() }

// IsSuccessful reports whether the job ended completed or partial.
func (j *CloudStorageJob) IsSuccessful() bool { return j.Status.IsSuccessful() }

// failure is the *CloudStorageError of a job that ended failed or
// cancelled, nil for one that succeeded.
func (j *CloudStorageJob) failure(jobID string) error {
	if j.IsSuccessful() {
		return nil
	}
	e := newTransferJobError(CodeCloudStorage, "cloud storage", jobID, j.Status, j.Error, j.FailedFiles)
	return &CloudStorageError{Err: e, JobID: jobID, JobStatus: string(j.Status)}
}

// ProgressPercent is the share of files processed so far (completed or
// failed), from 0 to 100.
func (j *CloudStorageJob) ProgressPercent() float64 {
	return transferJobProgress(j.CompletedFiles, j.FailedFiles, j.TotalFiles, j.Status)
}

// WaitJobOptions tune WaitForJob, ImportAndWait and ExportAndWait.
type WaitJobOptions struct {
	Timeout    time.Duration          // default: the client's polling timeout
	Interval   time.Duration          // default: the client's polling interval
	OnProgress func(*CloudStorageJob) // called after every poll
}

func (o *WaitJobOptions) validate() error {
	if o == nil {
		return nil
	}
	return checkWait(o.Timeout, o.Interval)
}
