package scopix

import (
	"context"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"
)

// The S3 import jobs are not documented by Scopix: their wire below is our
// inference (API.md §8), kept here so it can be corrected in one edit.
// Inferred: paths, request fields, list query and list answer keys, and
// S3Job's bucket, prefix and region (its other fields are those of the
// documented cloud storage job).
const (
	s3ImportsPath = "s3-connector/imports" // POST, body s3ImportRequest → {job:{…}} (inferred)
	s3JobsPath    = "s3-connector/jobs"    // GET list; GET /{id} → {job:{…}} (inferred)

	s3QueryStatus = "status" // list filters (inferred)
	s3QueryLimit  = "limit"
	s3QueryOffset = "offset"
)

// s3ImportRequest is the body of POST /s3-connector/imports (inferred).
type s3ImportRequest struct {
	Bucket          string   `json:"bucket"`
	Prefix          string   `json:"prefix,omitempty"`
	Region          string   `json:"region,omitempty"`
	AutoDescribe    *bool    `json:"auto_describe,omitempty"`
	Tags            []string `json:"tags,omitempty"`
	FolderID        string   `json:"folder_id,omitempty"`
	ContentCategory string   `json:"content_category,omitempty"`
}

// The bring-your-own-bucket settings: documented (predecessor
// api/settings.md; spec video-cloud-s3.md §4.2).
const (
	s3ConfigPath         = "tenant/s3-config"
	s3ConfigValidatePath = "tenant/s3-config/validate"
)

// S3ConnectorService manages bring-your-own-bucket settings and S3 import jobs.
//
// Configure points the account's storage at your own bucket (admin only);
// StartImport and ImportAndWait copy the objects of a bucket prefix into
// Scopix as files, as a background job.
type S3ConnectorService service

// Configure stores the bucket and credentials uploads should use from now on
// (storage_target "custom") and returns the resulting status. The server
// tests access to the bucket before storing the credentials (encrypted). It
// calls POST /tenant/s3-config.
//
// Fields outside the documented lengths (access key id 16–128 characters,
// secret 20–128, bucket 3–63, region required) are a *ValidationError before
// any request; credentials the bucket rejects are a *ValidationError from
// the server; a key without admin rights a *PermissionError.
func (s *S3ConnectorService) Configure(ctx context.Context, cfg S3Config) (*S3ConfigStatus, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	body := struct {
		AccessKeyID     string `json:"access_key_id"`
		SecretAccessKey string `json:"secret_access_key"`
		BucketName      string `json:"bucket_name"`
		Region          string `json:"region"`
	}{cfg.AccessKeyID, cfg.SecretAccessKey, cfg.BucketName, cfg.Region}
	req, err := s.client.newRequest(http.MethodPost, s3ConfigPath, body)
	if err != nil {
		return nil, err
	}
	// Storing the same settings twice leaves the same settings.
	req.idempotent()
	return doJSON[S3ConfigStatus](ctx, s.client, req)
}

// Status reports whether a custom bucket is configured, which one and
// whether it passed validation; it never returns the credentials. It calls
// GET /tenant/s3-config.
func (s *S3ConnectorService) Status(ctx context.Context) (*S3ConfigStatus, error) {
	return sendJSON[S3ConfigStatus](ctx, s.client, http.MethodGet, s3ConfigPath, nil)
}

// Validate checks that the stored credentials still reach the bucket,
// without changing anything. An unreachable bucket is reported in the result
// (Valid false, Error), not as an error. It calls
// POST /tenant/s3-config/validate; a key without admin rights is a
// *PermissionError.
func (s *S3ConnectorService) Validate(ctx context.Context) (*S3ValidationResult, error) {
	req, err := s.client.newRequest(http.MethodPost, s3ConfigValidatePath, nil)
	if err != nil {
		return nil, err
	}
	// A read-only health check may be repeated.
	req.idempotent()
	return doJSON[S3ValidationResult](ctx, s.client, req)
}

// Remove deletes the custom bucket settings; uploads go back to Scopix
// storage. Removed is false when nothing was configured. It calls
// DELETE /tenant/s3-config; a key without admin rights is a *PermissionError.
func (s *S3ConnectorService) Remove(ctx context.Context) (*S3RemoveResult, error) {
	return sendJSON[S3RemoveResult](ctx, s.client, http.MethodDelete, s3ConfigPath, nil)
}

// StartImport starts a job that copies the objects under p.Prefix of
// p.Bucket into Scopix as files, and returns the job at once. It calls
// POST /s3-connector/imports (inferred wire).
//
// A nil p or an empty or malformed bucket name is a *ValidationError before
// any request. An exhausted quota is a *QuotaExceededError.
func (s *S3ConnectorService) StartImport(ctx context.Context, p *S3ImportParams) (*S3Job, error) {
	if p == nil {
		return nil, validationError("bucket", "must not be empty")
	}
	if err := checkS3FieldLength("bucket", p.Bucket, 3, 63); err != nil {
		return nil, err
	}
	body := s3ImportRequest{Bucket: p.Bucket, Prefix: p.Prefix, Region: p.Region, AutoDescribe: p.AutoDescribe,
		Tags: p.Tags, FolderID: p.FolderID, ContentCategory: p.ContentCategory}
	return sendJob[S3Job](ctx, s.client, http.MethodPost, s3ImportsPath, body)
}

// GetJob returns the current state of an S3 import job. It calls
// GET /s3-connector/jobs/{id} (inferred wire); an unknown id is a
// *ResourceNotFoundError, an empty one a *ValidationError before any request.
func (s *S3ConnectorService) GetJob(ctx context.Context, jobID string) (*S3Job, error) {
	seg, err := idSegment("job_id", jobID)
	if err != nil {
		return nil, err
	}
	return sendJob[S3Job](ctx, s.client, http.MethodGet, s3JobsPath+"/"+seg, nil)
}

// ListJobs returns one page of S3 import jobs, newest first. It calls
// GET /s3-connector/jobs?status=&limit=&offset= (inferred wire). A negative
// limit or offset is a *ValidationError before any request.
func (s *S3ConnectorService) ListJobs(ctx context.Context, p *S3JobListParams) (*S3JobList, error) {
	if p == nil {
		p = &S3JobListParams{}
	}
	if p.Limit < 0 {
		return nil, validationError("limit", "must not be negative")
	}
	if p.Offset < 0 {
		return nil, validationError("offset", "must not be negative")
	}
	q := url.Values{}
	if p.Status != "" {
		q.Set(s3QueryStatus, string(p.Status))
	}
	if p.Limit > 0 {
		q.Set(s3QueryLimit, strconv.Itoa(p.Limit))
	}
	if p.Offset > 0 {
		q.Set(s3QueryOffset, strconv.Itoa(p.Offset))
	}
	return getJSON[S3JobList](ctx, s.client, s3JobsPath, q)
}

// ListAllJobs yields every S3 import job matching p, fetching pages with
// ListJobs as the loop goes on; p is copied, never changed. It stops after
// yielding the first error, and fetches nothing more once the loop breaks.
func (s *S3ConnectorService) ListAllJobs(ctx context.Context, p *S3JobListParams) iter.Seq2[S3Job, error] {
	var params S3JobListParams
	if p != nil {
		params = *p
	}
	return pages(params.Offset, func(offset int) ([]S3Job, bool, error) {
		page := params
		page.Offset = offset
		list, err := s.ListJobs(ctx, &page)
		if err != nil {
			return nil, false, err
		}
		return list.Jobs, list.HasMore || offset+len(list.Jobs) < list.TotalCount, nil
	})
}

// WaitForJob polls GetJob at a fixed interval (o.Interval, default the
// client's polling interval) until the job ends, calling o.OnProgress after
// every poll. A completed or partial job is returned without error.
//
// A failed or cancelled job is an *S3ConnectorError carrying its JobID,
// JobStatus and the job's error text; the job itself is returned along with
// it. Running out of o.Timeout (default the client's polling timeout) or the
// ctx deadline is a *TimeoutError whose LastResult is the last *S3Job
// seen; a cancelled ctx an error for which errors.Is(err, context.Canceled)
// holds.
func (s *S3ConnectorService) WaitForJob(ctx context.Context, jobID string, o *WaitS3JobOptions) (*S3Job, error) {
	if o == nil {
		o = &WaitS3JobOptions{}
	}
	return waitJob(ctx, s.client.pollConfig(o.Timeout, o.Interval), "S3 import job "+jobID, "job_id", jobID, s.GetJob, o.OnProgress)
}

// ImportAndWait is StartImport followed by WaitForJob on the new job, with
// the errors of both.
func (s *S3ConnectorService) ImportAndWait(ctx context.Context, p *S3ImportParams, o *WaitS3JobOptions) (*S3Job, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	job, err := s.StartImport(ctx, p)
	if err != nil {
		return nil, err
	}
	if job.JobID == "" {
		return nil, newError(CodeResponseUnreadable, "S3 import answer carries no job id", nil)
	}
	return s.WaitForJob(ctx, job.JobID, o)
}

// s3Redacted replaces secrets in printed values.
const s3Redacted = "[REDACTED]"

// S3Config is the bring-your-own-bucket setting Configure stores: an access
// key pair allowed s3:PutObject, s3:GetObject and s3:HeadBucket on the
// bucket. Printing it with any fmt verb or logging it with slog shows
// neither the secret nor the whole access key id.
type S3Config struct {
	AccessKeyID     string // 16–128 characters
	SecretAccessKey string // 20–128 characters
	BucketName      string // 3–63 characters
	Region          string // e.g. "eu-west-1"
}

func (c S3Config) check() error {
	if err := checkS3FieldLength("access_key_id", c.AccessKeyID, 16, 128); err != nil {
		return err
	}
	if err := checkS3FieldLength("secret_access_key", c.SecretAccessKey, 20, 128); err != nil {
		return err
	}
	if err := checkS3FieldLength("bucket_name", c.BucketName, 3, 63); err != nil {
		return err
	}
	if c.Region == "" {
		return validationError("region", "must not be empty")
	}
	return nil
}

// checkS3FieldLength checks that v has between least and most characters.
func checkS3FieldLength(field, v string, least, most int) error {
	if v == "" {
		return validationError(field, "must not be empty")
	}
	if n := utf8.RuneCountInString(v); n < least || n > most {
		return validationError(field, fmt.Sprintf("must be %d–%d characters long, got %d", least, most, n))
	}
	return nil
}

// maskedKeyID shows only the last four characters of an access key id.
func (c S3Config) maskedKeyID() string {
	if utf8.RuneCountInString(c.AccessKeyID) <= 8 {
		return s3Redacted
	}
	r := []rune(c.AccessKeyID)
	return s3Redacted + string(r[len(r)-4:])
}

// Format prints the config with the secret replaced by [REDACTED] and the
// access key id cut to its last four characters, for every verb.
func (c S3Config) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		fmt.Fprintf(f, "scopix.S3Config{AccessKeyID:%q, SecretAccessKey:%q, BucketName:%q, Region:%q}",
			c.maskedKeyID(), s3Redacted, c.BucketName, c.Region)
	case verb == 'v' && f.Flag('+'):
		fmt.Fprintf(f, "{AccessKeyID:%s SecretAccessKey:%s BucketName:%s Region:%s}",
			c.maskedKeyID(), s3Redacted, c.BucketName, c.Region)
	default:
		_, _ = io.WriteString(f, "{"+c.maskedKeyID()+" "+s3Redacted+" "+c.BucketName+" "+c.Region+"}")
	}
}

// String is the config without its secret.
func (c S3Config) String() string { return fmt.Sprint(c) }

// GoString is the config without its secret, for %#v.
func (c S3Config) GoString() string { return fmt.Sprintf("%#v", c) }

// LogValue keeps the secret out of slog output, whatever the handler.
func (c S3Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("access_key_id", c.maskedKeyID()),
		slog.String("secret_access_key", s3Redacted),
		slog.String("bucket_name", c.BucketName),
		slog.String("region", c.Region),
	)
}

// S3ConfigStatus is the state of the custom bucket settings; it never
// carries credentials.
type S3ConfigStatus struct {
	Configured   bool   `json:"configured"`
	BucketName   string `json:"bucket_name"`
	Region       string `json:"region"`
	ConfiguredAt Time   `json:"configured_at"` // zero when not configured
	IsValidated  bool   `json:"is_validated"`
	Error        string `json:"error"` // why validation failed, if it did
}

// S3ValidationResult is what Validate returns.
type S3ValidationResult struct {
	Valid      bool   `json:"valid"`
	BucketName string `json:"bucket_name"`
	Region     string `json:"region"`
	Error      string `json:"error"`
}

// S3RemoveResult is what Remove returns.
type S3RemoveResult struct {
	Removed bool   `json:"removed"`
	Message string `json:"message"`
}

// S3ImportParams say what StartImport and ImportAndWait copy. Bucket is
// required; the import reads it with the credentials stored by Configure.
type S3ImportParams struct {
	Bucket          string   // bucket name, 3–63 characters
	Prefix          string   // only objects whose key starts with it (default: all)
	Region          string   // bucket region (default: the configured one)
	Tags            []string // tags to put on every imported file
	AutoDescribe    *bool    // describe the imported files with AI (default true)
	FolderID        string   // folder to put the files in
	ContentCategory string   // content category of the files, as for uploads
}

// S3Job is the state of an S3 import job; its fields and statuses are those
// of cloud storage jobs.
type S3Job struct {
	JobID          string    `json:"job_id"`
	Status         JobStatus `json:"status"`
	Bucket         string    `json:"bucket"`
	Prefix         string    `json:"prefix"`
	Region         string    `json:"region"`
	TotalFiles     int       `json:"total_files"`
	CompletedFiles int       `json:"completed_files"`
	FailedFiles    int       `json:"failed_files"`
	Error          string    `json:"error"` // why the job failed, if it did
	CreatedAt      Time      `json:"created_at"`
	UpdatedAt      Time      `json:"updated_at"`
	CompletedAt    Time      `json:"completed_at"` // zero until the job ends
}

// IsTerminal reports whether the job has ended (completed, partial, failed or cancelled).
func (j *S3Job) IsTerminal() bool { return j.Status.IsTerminal() }

// IsSuccessful reports whether the job ended completed or partial.
func (j *S3Job) IsSuccessful() bool { return j.Status.IsSuccessful() }

// failure is the *S3ConnectorError of a job that ended failed or
// cancelled, nil for one that succeeded.
func (j *S3Job) failure(jobID string) error {
	if j.IsSuccessful() {
		return nil
	}
	e := newTransferJobError(CodeS3Connector, "S3 import", jobID, j.Status, j.Error, j.FailedFiles)
	return &S3ConnectorError{Err: e, JobID: jobID, JobStatus: string(j.Status)}
}

// ProgressPercent is the share of files processed so far (completed or
// failed), from 0 to 100.
func (j *S3Job) ProgressPercent() float64 {
	return transferJobProgress(j.CompletedFiles, j.FailedFiles, j.TotalFiles, j.Status)
}

// S3JobListParams filter and page ListJobs; nil lists the first page of all jobs.
type S3JobListParams struct {
	Status JobStatus // only jobs in this state (default: all)
	Limit  int       // page size (default: the server's)
	Offset int       // jobs to skip
}

// S3JobList is one page of S3 import jobs. It decodes the jobs whether the
// server lists them under "jobs" or "items".
type S3JobList struct {
	Jobs       []S3Job `json:"jobs"`
	TotalCount int     `json:"total_count"`
	HasMore    bool    `json:"has_more"`
}

// UnmarshalJSON implements json.Unmarshaler with the tolerant list rules.
func (l *S3JobList) UnmarshalJSON(data []byte) error {
	page, err := decodeListPage[S3Job](data, listKeyJobs, listKeyItems)
	if err != nil {
		return err
	}
	*l = S3JobList{Jobs: page.Items, TotalCount: page.TotalCount, HasMore: page.HasMore}
	return nil
}

// WaitS3JobOptions tune the S3 WaitForJob and ImportAndWait.
type WaitS3JobOptions struct {
	Timeout    time.Duration // default: the client's polling timeout
	Interval   time.Duration // default: the client's polling interval
	OnProgress func(*S3Job)  // called after every poll
}

func (o *WaitS3JobOptions) validate() error {
	if o == nil {
		return nil
	}
	return checkWait(o.Timeout, o.Interval)
}
