package scopix

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/scopix/scopix-go/internal/poll"
)

// VideoAnalysisService queues and follows video analysis jobs under /video-analysis.
type VideoAnalysisService service

// Status returns an analysis job. It calls GET
// /video-analysis/jobs/{analysis_job_id}; an unknown job is a *ResourceNotFoundError.
func (s *VideoAnalysisService) Status(ctx context.Context, jobID string) (*VideoAnalysisJob, error) {
	seg, err := idSegment("analysis_job_id", jobID)
	if err != nil {
		return nil, err
	}
	return getJSON[VideoAnalysisJob](ctx, s.client, "video-analysis/jobs/"+seg, nil)
}

// StatusByMedia returns the newest analysis job of a video. It calls GET
// /video-analysis/status/{media_id}; a video without a job is a *ResourceNotFoundError.
func (s *VideoAnalysisService) StatusByMedia(ctx context.Context, mediaID string) (*VideoAnalysisJob, error) {
	seg, err := idSegment("media_id", mediaID)
	if err != nil {
		return nil, err
	}
	return getJSON[VideoAnalysisJob](ctx, s.client, "video-analysis/status/"+seg, nil)
}

// Queue starts analysing an uploaded video, for when auto-analysis was off
// or skipped; a video with a pending or running job gets that job back. It
// calls POST /video-analysis/queue (202). An unknown video is a *ResourceNotFoundError.
func (s *VideoAnalysisService) Queue(ctx context.Context, mediaID string, p *QueueAnalysisParams) (*QueueAnalysisResult, error) {
	if err := checkID("media_id", mediaID); err != nil {
		return nil, err
	}
	if p == nil {
		p = &QueueAnalysisParams{}
	}
	body := struct {
		MediaID      string `json:"media_id"`
		AnalysisType string `json:"analysis_type,omitempty"`
		Priority     string `json:"priority,omitempty"`
	}{mediaID, p.AnalysisType, p.Priority}
	return sendJSON[QueueAnalysisResult](ctx, s.client, http.MethodPost, "video-analysis/queue", body)
}

// Retry re-queues a failed or cancelled analysis job at high priority. It
// calls POST /video-analysis/jobs/{analysis_job_id}/retry (202); reason is
// optional (at most 500 characters). A job in another state is refused by
// the server with a *ValidationError (or an *Error with Code CONFLICT).
func (s *VideoAnalysisService) Retry(ctx context.Context, jobID, mediaID, reason string) (*RetryAnalysisResult, error) {
	seg, err := idSegment("analysis_job_id", jobID)
	if err != nil {
		return nil, err
	}
	if err := checkID("media_id", mediaID); err != nil {
		return nil, err
	}
	if len([]rune(reason)) > maxVideoReasonChars {
		return nil, validationError("reason", fmt.Sprintf("must be at most %d characters", maxVideoReasonChars))
	}
	body := struct {
		MediaID string `json:"media_id"`
		Reason  string `json:"reason,omitempty"`
	}{mediaID, reason}
	return sendJSON[RetryAnalysisResult](ctx, s.client, http.MethodPost, "video-analysis/jobs/"+seg+"/retry", body)
}

// WaitForCompletion polls Status until the job completes and returns it.
// The first wait is o.Interval (default: the client's polling interval),
// growing ×1.5 per poll up to 15s; o.OnProgress sees every poll. A failed or
// cancelled job is a *VideoAnalysisError; running out of o.Timeout (default:
// the polling timeout) or the ctx deadline is a *TimeoutError whose
// LastResult is the last *VideoAnalysisJob seen; cancelling ctx gives an
// error for which errors.Is(err, context.Canceled) holds.
func (s *VideoAnalysisService) WaitForCompletion(ctx context.Context, jobID string, o *WaitAnalysisOptions) (*VideoAnalysisJob, error) {
	if o == nil {
		o = &WaitAnalysisOptions{}
	}
	return waitJob(ctx, s.client.videoAnalysisPollConfig(o), "video analysis job "+jobID, "analysis_job_id", jobID, s.Status, o.OnProgress)
}

// videoAnalysisPollConfig is the backoff of WaitForCompletion.
func (c *Client) videoAnalysisPollConfig(o *WaitAnalysisOptions) poll.Config {
	cfg := c.pollConfig(o.Timeout, o.Interval)
	cfg.Multiplier = videoAnalysisPollMultiplier
	cfg.MaxInterval = videoAnalysisPollMaxInterval
	cfg.Interval = min(cfg.Interval, cfg.MaxInterval)
	return cfg
}

// IsTerminal reports whether the analysis has ended (completed, failed or
// cancelled).
func (j *VideoAnalysisJob) IsTerminal() bool { return j.Status.IsTerminal() }

// failure is the *VideoAnalysisError of a failed or cancelled analysis,
// nil otherwise.
func (j *VideoAnalysisJob) failure(jobID string) error {
	if j.Status == VideoAnalysisFailed || j.Status == VideoAnalysisCancelled {
		return newVideoAnalysisError(jobID, j)
	}
	return nil
}

func newVideoAnalysisError(jobID string, j *VideoAnalysisJob) *VideoAnalysisError {
	if j.AnalysisJobID != "" {
		jobID = j.AnalysisJobID
	}
	msg := fmt.Sprintf("video analysis job %s of %s %s", jobID, j.MediaID, j.Status)
	if j.ErrorMessage != "" {
		msg += ": " + j.ErrorMessage
	}
	e := newError(CodeVideoAnalysis, msg, nil)
	e.Details["media_id"] = j.MediaID
	e.Details["analysis_job_id"] = jobID
	e.Details["status"] = string(j.Status)
	if j.ErrorCode != "" {
		e.Details["error_code"] = j.ErrorCode
	}
	if j.ErrorMessage != "" {
		e.Details["error_message"] = j.ErrorMessage
	}
	return &VideoAnalysisError{Err: e, MediaID: j.MediaID, AnalysisJobID: jobID, Status: string(j.Status)}
}

// VideoAnalysisStatus is the state of an analysis job. Unknown values are kept.
type VideoAnalysisStatus string

// Analysis job states; completed, failed and cancelled are terminal.
const (
	VideoAnalysisPending        VideoAnalysisStatus = "pending"
	VideoAnalysisUploadingToVLM VideoAnalysisStatus = "uploading_to_vlm"
	VideoAnalysisProcessing     VideoAnalysisStatus = "processing"
	VideoAnalysisCompleted      VideoAnalysisStatus = "completed"
	VideoAnalysisFailed         VideoAnalysisStatus = "failed"
	VideoAnalysisCancelled      VideoAnalysisStatus = "cancelled"
)

// IsTerminal reports whether the job will not change any more.
func (s VideoAnalysisStatus) IsTerminal() bool {
	return s == VideoAnalysisCompleted || s == VideoAnalysisFailed || s == VideoAnalysisCancelled
}

// VideoAnalysisJob is the state of an analysis job.
type VideoAnalysisJob struct {
	AnalysisJobID           string              `json:"analysis_job_id"`
	MediaID                 string              `json:"media_id"`
	Status                  VideoAnalysisStatus `json:"status"`
	ProgressPercent         float64             `json:"progress_percent"` // 0–100
	CurrentStep             string              `json:"current_step"`     // e.g. "Extracting frames"
	StartedAt               Time                `json:"started_at"`
	CompletedAt             Time                `json:"completed_at"`
	ErrorMessage            string              `json:"error_message"`
	ErrorCode               string              `json:"error_code"`
	RetryCount              int                 `json:"retry_count"`
	MaxRetries              int                 `json:"max_retries"`
	EstimatedCompletionTime Time                `json:"estimated_completion_time"`
}

// QueueAnalysisParams are the options of Queue.
type QueueAnalysisParams struct {
	// AnalysisType is full_vlm (default), frame_sample or scene_detection.
	AnalysisType string
	// Priority is low, normal (default) or high.
	Priority string
}

// QueueAnalysisResult is the job Queue created or found.
type QueueAnalysisResult struct {
	AnalysisJobID      string `json:"analysis_job_id"`
	MediaID            string `json:"media_id"`
	QueuePosition      int    `json:"queue_position"`
	EstimatedStartTime Time   `json:"estimated_start_time"`
	Message            string `json:"message"`
}

// RetryAnalysisResult is the job Retry re-queued.
type RetryAnalysisResult struct {
	AnalysisJobID string              `json:"analysis_job_id"`
	MediaID       string              `json:"media_id"`
	Status        VideoAnalysisStatus `json:"status"`
	RetryCount    int                 `json:"retry_count"`
	MaxRetries    int                 `json:"max_retries"`
	Message       string              `json:"message"`
}

// WaitAnalysisOptions tune WaitForCompletion. Zero values take the client's
// polling defaults.
type WaitAnalysisOptions struct {
	Timeout    time.Duration
	Interval   time.Duration
	OnProgress func(*VideoAnalysisJob)
}
