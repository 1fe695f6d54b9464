package scopix

import (
	"cmp"
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// Wire details of upload sessions and the quota check, all documented
// (predecessor api/uploads.md); Scopix keeps the uploads/… paths.
const (
	pathQuotaCheck         = "uploads/quota-check" // documented (predecessor api/uploads.md)
	pathUploadSessions     = "uploads/sessions"    // documented (predecessor api/uploads.md)
	sessionStatusSuffix    = "status"              // documented: GET uploads/sessions/{id}/status
	sessionResultsSuffix   = "results"             // documented: GET uploads/sessions/{id}/results
	sessionCancelSuffix    = "cancel"              // documented: POST uploads/sessions/{id}/cancel
	maxSessionResultsLimit = 500                   // documented: results limit 1–500
	maxSessionListLimit    = 100                   // documented (predecessor openapi.json): sessions limit 1–100
)

// Upload states of UploadResult.Status.
const (
	uploadStatusFailed  = "failed"  // documented (predecessor api/uploads.md)
	uploadStatusSkipped = "skipped" // documented (predecessor api/uploads.md)
	// uploadStatusPending marks a batch file whose id the session had not
	// reported when the wait ended (an SDK state, not the server's).
	uploadStatusPending = "pending"
)

// CheckQuota asks whether fileCount more files may be uploaded now, and
// returns the plan's limits (GET /uploads/quota-check?file_count=N). Use
// fileCount 1 for a plain balance check. UploadBatch calls it before its
// first request.
//
// Errors: *ValidationError (fileCount below 1, before sending) and the
// transport errors of every call.
func (s *FilesService) CheckQuota(ctx context.Context, fileCount int) (*QuotaInfo, error) {
	if fileCount < 1 {
		return nil, validationError("file_count", "must be at least 1")
	}
	q := url.Values{"file_count": {strconv.Itoa(fileCount)}}
	return getJSON[QuotaInfo](ctx, s.client, pathQuotaCheck, q)
}

// Session returns the status of a batch upload session (GET
// /uploads/sessions/{id}/status).
//
// Errors: *ValidationError (empty id), *ResourceNotFoundError, and the
// transport errors of every call.
func (s *FilesService) Session(ctx context.Context, sessionID string) (*UploadSession, error) {
	path, err := uploadSessionPath(sessionID, sessionStatusSuffix)
	if err != nil {
		return nil, err
	}
	return getJSON[UploadSession](ctx, s.client, path, nil)
}

// SessionResults returns one page of the files a batch upload session has
// finished (GET /uploads/sessions/{id}/results), in the server's order;
// nil p asks for the first 100, failed files included. Each result carries
// the file's id, its filename and, once described, its description.
//
// Errors: *ValidationError (empty id, limit outside 1–500, negative
// offset — before sending), *ResourceNotFoundError, and the transport
// errors of every call.
func (s *FilesService) SessionResults(ctx context.Context, sessionID string, p *SessionResultsParams) (*SessionResultsPage, error) {
	path, err := uploadSessionPath(sessionID, sessionResultsSuffix)
	if err != nil {
		return nil, err
	}
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	w, err := getJSON[sessionResultsWire](ctx, s.client, path, q)
	if err != nil {
		return nil, err
	}
	page := w.page()
	for i := range page.Results {
		page.Results[i].fromSession(page.SessionID)
	}
	return &page, nil
}

// CancelSession cancels a batch upload session that is still running (POST
// /uploads/sessions/{id}/cancel) and returns its status then. Files already
// stored stay stored.
//
// Errors: *ValidationError (empty id), *ResourceNotFoundError, and the
// transport errors of every call.
func (s *FilesService) CancelSession(ctx context.Context, sessionID string) (*UploadSession, error) {
	path, err := uploadSessionPath(sessionID, sessionCancelSuffix)
	if err != nil {
		return nil, err
	}
	req, err := s.client.newRequest(http.MethodPost, path, nil)
	if err != nil {
		return nil, err
	}
	// Cancelling twice leaves the session as cancelling once does.
	req.idempotent()
	return doJSON[UploadSession](ctx, s.client, req)
}

// Sessions iterates over your upload sessions, newest first (GET
// /uploads/sessions), fetching pages of p.Limit (default 20) from p.Offset
// on. p is copied, never changed. Iteration stops after yielding an error
// (a *ValidationError for bad params comes first, before sending); breaking
// out of the loop stops fetching.
func (s *FilesService) Sessions(ctx context.Context, p *SessionListParams) iter.Seq2[UploadSession, error] {
	params := SessionListParams{}
	if p != nil {
		params = *p
	}
	return pages(params.Offset, func(offset int) ([]UploadSession, bool, error) {
		params.Offset = offset
		q, err := params.query()
		if err != nil {
			return nil, false, err
		}
		page, err := getJSON[uploadSessionList](ctx, s.client, pathUploadSessions, q)
		if err != nil {
			return nil, false, err
		}
		return page.Sessions, page.HasMore, nil
	})
}

// uploadSessionPath is uploads/sessions/{id}/suffix with the id checked.
func uploadSessionPath(sessionID, suffix string) (string, error) {
	seg, err := idSegment("session_id", sessionID)
	if err != nil {
		return "", err
	}
	return pathUploadSessions + "/" + seg + "/" + suffix, nil
}

// QuotaInfo is the answer of CheckQuota: whether the files fit the quota
// and the plan's limits.
type QuotaInfo struct {
	CanProceed           bool   `json:"can_proceed"`
	Requested            int    `json:"requested"`              // echoes file_count
	Available            int    `json:"available"`              // uploads left: plan plus prepaid credits
	MonthlyLimit         int    `json:"monthly_limit"`          // the plan's monthly uploads
	CurrentUsage         int    `json:"current_usage"`          // used this billing period
	PrepaidCredits       int    `json:"prepaid_credits"`        // top-up credits beyond the plan
	MaxBatchSize         int    `json:"max_batch_size"`         // files per batch request on this plan
	MaxConcurrentUploads int    `json:"max_concurrent_uploads"` // uploads in flight allowed
	Message              string `json:"message"`                // why CanProceed is false, and what to do
}

// SessionResultsParams page SessionResults. nil means the first 100
// results, failed files included.
type SessionResultsParams struct {
	IncludeFailed *bool // default true
	Limit         int   // 1–500 (0: server default 100)
	Offset        int   // ≥ 0
}

func (p *SessionResultsParams) query() (url.Values, error) {
	q := url.Values{}
	if p == nil {
		return q, nil
	}
	if err := checkPage(p.Limit, p.Offset, maxSessionResultsLimit); err != nil {
		return nil, err
	}
	if p.IncludeFailed != nil {
		q.Set("include_failed", strconv.FormatBool(*p.IncludeFailed))
	}
	setPage(q, p.Limit, p.Offset)
	return q, nil
}

// SessionResultsPage is one page of SessionResults.
type SessionResultsPage struct {
	SessionID  string                `json:"session_id"`
	Results    []UploadResult        `json:"results"`
	TotalCount int                   `json:"total_count"`
	Offset     int                   `json:"offset"`
	Limit      int                   `json:"limit"`
	HasMore    bool                  `json:"has_more"`
	Summary    SessionResultsSummary `json:"summary"`
}

// UnmarshalJSON implements json.Unmarshaler with the tolerant list rules:
// the results under "results" (documented) or "items".
func (p *SessionResultsPage) UnmarshalJSON(data []byte) error {
	var w sessionResultsWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*p = w.page()
	return nil
}

// sessionResultsWire decodes a results page in one pass, where
// decodeListPage and a head struct would decode it three times over:
// UploadBatch reads a page per request, up to 500 results each. The rules
// are decodeListPage's: the results under "results", else "items" (null
// counts as missing), the total from total_count, else total, else count,
// else the number of results.
type sessionResultsWire struct {
	SessionID  string                `json:"session_id"`
	Results    *[]UploadResult       `json:"results"`
	Items      *[]UploadResult       `json:"items"`
	TotalCount *int                  `json:"total_count"`
	Total      *int                  `json:"total"`
	Count      *int                  `json:"count"`
	Offset     int                   `json:"offset"`
	Limit      int                   `json:"limit"`
	HasMore    bool                  `json:"has_more"`
	Summary    SessionResultsSummary `json:"summary"`
}

func (w *sessionResultsWire) page() SessionResultsPage {
	p := SessionResultsPage{SessionID: w.SessionID, Results: []UploadResult{}, Offset: w.Offset, Limit: w.Limit,
		HasMore: w.HasMore, Summary: w.Summary}
	if list := cmp.Or(w.Results, w.Items); list != nil && *list != nil {
		p.Results = *list
	}
	p.TotalCount = len(p.Results)
	if total := cmp.Or(w.TotalCount, w.Total, w.Count); total != nil {
		p.TotalCount = *total
	}
	return p
}

// SessionResultsSummary counts a session's files by outcome.
type SessionResultsSummary struct {
	TotalFiles int `json:"total_files"`
	Completed  int `json:"completed"`
	Failed     int `json:"failed"`
	Skipped    int `json:"skipped"`
}

// SessionListParams filter and page Sessions. nil means every session, 20
// per page.
type SessionListParams struct {
	Status       SessionStatus // only sessions in this state
	UploadMethod string        // "streaming" or "presigned"
	Limit        int           // page size 1–100 (0: server default 20)
	Offset       int           // ≥ 0
}

func (p *SessionListParams) query() (url.Values, error) {
	if err := checkPage(p.Limit, p.Offset, maxSessionListLimit); err != nil {
		return nil, err
	}
	q := url.Values{}
	if p.Status != "" {
		q.Set("status", string(p.Status))
	}
	if p.UploadMethod != "" {
		q.Set("upload_method", p.UploadMethod)
	}
	setPage(q, p.Limit, p.Offset)
	return q, nil
}

func checkPage(limit, offset, maxLimit int) error {
	switch {
	case limit < 0 || limit > maxLimit:
		return validationError("limit", "want 1 to "+strconv.Itoa(maxLimit))
	case offset < 0:
		return validationError("offset", "must not be negative")
	}
	return nil
}

func setPage(q url.Values, limit, offset int) {
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	}
}

// uploadSessionList is the answer of GET /uploads/sessions (documented
// list key "sessions").
type uploadSessionList struct {
	Sessions   []UploadSession `json:"sessions"`
	TotalCount int             `json:"total_count"`
	Offset     int             `json:"offset"`
	Limit      int             `json:"limit"`
	HasMore    bool            `json:"has_more"`
}

// UnmarshalJSON implements json.Unmarshaler with the tolerant list rules:
// the sessions under "sessions" (documented) or "items".
func (l *uploadSessionList) UnmarshalJSON(data []byte) error {
	page, err := decodeListPage[UploadSession](data, listKeySessions, listKeyItems)
	if err != nil {
		return err
	}
	var head struct {
		Offset int `json:"offset"`
		Limit  int `json:"limit"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return err
	}
	*l = uploadSessionList{Sessions: page.Items, TotalCount: page.TotalCount, Offset: head.Offset, Limit: head.Limit, HasMore: page.HasMore}
	return nil
}
