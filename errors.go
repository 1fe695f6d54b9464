package scopix

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// SDK error codes. Error.Code is always one of these; the code the server sent,
// if any, is kept in Error.Details["server_code"].
const (
	CodeAuth               = "AUTH_ERROR"
	CodePermissionDenied   = "PERMISSION_DENIED"
	CodeNotFound           = "NOT_FOUND"
	CodeValidation         = "VALIDATION_ERROR"
	CodeQuotaExceeded      = "QUOTA_EXCEEDED"
	CodePaymentRequired    = "PAYMENT_REQUIRED"
	CodeRateLimit          = "RATE_LIMIT"
	CodeTimeout            = "TIMEOUT"
	CodeServer             = "SERVER_ERROR"
	CodeConnection         = "CONNECTION_ERROR"
	CodeCircuitOpen        = "CIRCUIT_OPEN"
	CodeUpload             = "UPLOAD_ERROR"
	CodeDescription        = "DESCRIPTION_ERROR"
	CodeChat               = "CHAT_ERROR"
	CodeDocumentProcessing = "DOCUMENT_PROCESSING_ERROR"
	CodeCloudStorage       = "CLOUD_STORAGE_ERROR"
	CodeS3Connector        = "S3_CONNECTOR_ERROR"
	CodeVideoUpload        = "VIDEO_UPLOAD_ERROR"
	CodeVideoAnalysis      = "VIDEO_ANALYSIS_ERROR"
	CodeSSEStream          = "SSE_STREAM_ERROR"
	CodeBatch              = "BATCH_ERROR"
	CodeFolderMove         = "FOLDER_MOVE_ERROR"
	CodeLinkCrawl          = "LINK_CRAWL_ERROR"
	CodeConflict           = "CONFLICT"     // 409, no typed error of its own
	CodeAPI                = "API_ERROR"    // any other unexpected status
	CodeCanceled           = "CANCELED"     // the caller cancelled the context
	CodeResponseUnreadable = "BAD_RESPONSE" // a 2xx body that is not the JSON expected
)

// detailServerCode is the Details key of the code the server sent.
const detailServerCode = "server_code"

// Error is the base of every error the SDK returns. Typed errors wrap one, so
// errors.As(err, &e) with e a *Error works for all of them.
type Error struct {
	Code       string         // SDK code, e.g. "RATE_LIMIT"
	Message    string         // human-readable message
	Details    map[string]any // extra context; never nil on errors built by the SDK
	StatusCode int            // HTTP status; 0 when no response was involved
	RequestID  string         // body request_id, else the X-Request-ID header
	Cause      error          // underlying error (network, context, HTTP error under an operation error)
}

// Error formats the code, status, message and request id. It never panics,
// even on a nil or zero value.
func (e *Error) Error() string {
	if e == nil {
		return "scopix: <nil>"
	}
	var b strings.Builder
	b.WriteString("scopix: ")
	code := e.Code
	if code == "" {
		code = CodeAPI
	}
	b.WriteString(code)
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
	}
	msg := e.Message
	if msg == "" && e.Cause != nil {
		msg = e.Cause.Error()
	}
	if msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	// An operation error that quotes the HTTP error under it already
	// carries the id; it is printed once.
	if e.RequestID != "" && !strings.Contains(msg, "[request_id="+e.RequestID+"]") {
		b.WriteString(" [request_id=")
		b.WriteString(e.RequestID)
		b.WriteString("]")
	}
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Cause
}

// causeText is how an operation error quotes the error under it: the code
// and message of an *Error, whose status and request id become the
// operation error's own and are printed once; the text of anything else.
func causeText(err error) string {
	var base *Error
	if !errors.As(err, &base) {
		return err.Error()
	}
	text := base.Message
	if text == "" && base.Cause != nil {
		text = causeText(base.Cause)
	}
	return firstNonEmpty(base.Code, CodeAPI) + ": " + text
}

// operationError is the base error of an operation that failed on cause
// (nil for none): msg, then the cause's code and message (causeText); the
// cause's status and request id become its own.
func operationError(code, msg string, cause error) *Error {
	if cause != nil {
		msg += ": " + causeText(cause)
	}
	e := newError(code, msg, cause)
	var base *Error
	if errors.As(cause, &base) {
		e.StatusCode, e.RequestID = base.StatusCode, base.RequestID
	}
	return e
}

// newError builds a base error with non-nil Details.
func newError(code, message string, cause error) *Error {
	return &Error{Code: code, Message: message, Details: map[string]any{}, Cause: cause}
}

// errorString is shared by every typed error so a zero value never panics.
func errorString(e *Error, code string) string {
	if e == nil {
		return "scopix: " + code
	}
	return e.Error()
}

// FieldError is one entry of a server-side validation error list (FastAPI
// "detail" items) or a client-side argument check.
type FieldError struct {
	Loc  []string // path to the offending field, e.g. ["body", "title"]
	Msg  string
	Type string
}

// AuthenticationError reports a missing, invalid or expired API key (HTTP 401).
type AuthenticationError struct{ Err *Error }

// Error formats the error; it never panics, even on a zero value.
func (e *AuthenticationError) Error() string { return errorString(e.Err, CodeAuth) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *AuthenticationError) Unwrap() error { return unwrapBase(e.Err) }

// PermissionError reports that the key may not do this (HTTP 403).
type PermissionError struct{ Err *Error }

// Error formats the error; it never panics, even on a zero value.
func (e *PermissionError) Error() string { return errorString(e.Err, CodePermissionDenied) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *PermissionError) Unwrap() error { return unwrapBase(e.Err) }

// ResourceNotFoundError reports a missing resource (HTTP 404).
type ResourceNotFoundError struct {
	Err          *Error
	ResourceType string
	ResourceID   string
}

// Error formats the error; it never panics, even on a zero value.
func (e *ResourceNotFoundError) Error() string { return errorString(e.Err, CodeNotFound) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *ResourceNotFoundError) Unwrap() error { return unwrapBase(e.Err) }

// ValidationError reports bad input: rejected by the server (HTTP 400, 413,
// 422) or caught by the SDK before any request was sent. Fields names the
// offending fields.
type ValidationError struct {
	Err    *Error
	Fields []FieldError
}

// Error formats the error; it never panics, even on a zero value.
func (e *ValidationError) Error() string { return errorString(e.Err, CodeValidation) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *ValidationError) Unwrap() error { return unwrapBase(e.Err) }

// QuotaExceededError reports an exhausted upload, usage or storage quota, at
// whatever status the server used. PartialResults holds what completed before
// the quota was hit (for batch uploads, a *BatchUploadResults).
type QuotaExceededError struct {
	Err            *Error
	Available      int
	Limit          int
	PartialResults any
}

// Error formats the error; it never panics, even on a zero value.
func (e *QuotaExceededError) Error() string { return errorString(e.Err, CodeQuotaExceeded) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *QuotaExceededError) Unwrap() error { return unwrapBase(e.Err) }

// PaymentRequiredError reports a subscription whose payment is past due (HTTP 402).
type PaymentRequiredError struct{ Err *Error }

// Error formats the error; it never panics, even on a zero value.
func (e *PaymentRequiredError) Error() string { return errorString(e.Err, CodePaymentRequired) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *PaymentRequiredError) Unwrap() error { return unwrapBase(e.Err) }

// RateLimitError reports HTTP 429 that is not a quota. RetryAfter is the
// server's Retry-After; Limit, Remaining and Reset come from X-RateLimit-*.
type RateLimitError struct {
	Err        *Error
	RetryAfter time.Duration
	Limit      int
	Remaining  int
	Reset      time.Time
}

// Error formats the error; it never panics, even on a zero value.
func (e *RateLimitError) Error() string { return errorString(e.Err, CodeRateLimit) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *RateLimitError) Unwrap() error { return unwrapBase(e.Err) }

// TimeoutError reports HTTP 408, an attempt that ran out of time, the
// caller's deadline, or a Wait method's deadline. LastResult is the last
// status a Wait method saw.
type TimeoutError struct {
	Err        *Error
	LastResult any
}

// Error formats the error; it never panics, even on a zero value.
func (e *TimeoutError) Error() string { return errorString(e.Err, CodeTimeout) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *TimeoutError) Unwrap() error { return unwrapBase(e.Err) }

// ServerError reports HTTP 5xx.
type ServerError struct{ Err *Error }

// Error formats the error; it never panics, even on a zero value.
func (e *ServerError) Error() string { return errorString(e.Err, CodeServer) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *ServerError) Unwrap() error { return unwrapBase(e.Err) }

// ConnectionError reports a failure before any response: DNS, dial, reset,
// TLS, or EOF before the status line.
type ConnectionError struct{ Err *Error }

// Error formats the error; it never panics, even on a zero value.
func (e *ConnectionError) Error() string { return errorString(e.Err, CodeConnection) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *ConnectionError) Unwrap() error { return unwrapBase(e.Err) }

// CircuitBreakerError reports that the breaker for Endpoint is open (or
// half-open and busy), so no request was sent. RetryAfter says when it will
// let a trial request through.
type CircuitBreakerError struct {
	Err        *Error
	Endpoint   string
	RetryAfter time.Duration
}

// Error formats the error; it never panics, even on a zero value.
func (e *CircuitBreakerError) Error() string { return errorString(e.Err, CodeCircuitOpen) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *CircuitBreakerError) Unwrap() error { return unwrapBase(e.Err) }

// UploadError reports a failed upload step. Stage is the step ("initiate",
// "upload", "complete", "batch", ...); PartialResults holds what a batch
// completed before failing. Err.Cause is the HTTP error underneath.
type UploadError struct {
	Err            *Error
	Filename       string
	Stage          string
	SessionID      string
	PartialResults *BatchUploadResults
}

// Error formats the error; it never panics, even on a zero value.
func (e *UploadError) Error() string { return errorString(e.Err, CodeUpload) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *UploadError) Unwrap() error { return unwrapBase(e.Err) }

// DescriptionError reports that the AI description of a file failed.
type DescriptionError struct {
	Err     *Error
	ImageID string
	Status  string
}

// Error formats the error; it never panics, even on a zero value.
func (e *DescriptionError) Error() string { return errorString(e.Err, CodeDescription) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *DescriptionError) Unwrap() error { return unwrapBase(e.Err) }

// ChatError reports a chat failure, including an error or auth_error event
// inside a stream. Err.Code is CHAT_ERROR or the server's error code.
type ChatError struct {
	Err       *Error
	SessionID string
}

// Error formats the error; it never panics, even on a zero value.
func (e *ChatError) Error() string { return errorString(e.Err, CodeChat) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *ChatError) Unwrap() error { return unwrapBase(e.Err) }

// DocumentProcessingError reports failed text extraction of a document.
type DocumentProcessingError struct {
	Err        *Error
	DocumentID string
	Status     string
}

// Error formats the error; it never panics, even on a zero value.
func (e *DocumentProcessingError) Error() string { return errorString(e.Err, CodeDocumentProcessing) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *DocumentProcessingError) Unwrap() error { return unwrapBase(e.Err) }

// CloudStorageError reports a cloud import or export job that failed or was cancelled.
type CloudStorageError struct {
	Err       *Error
	JobID     string
	JobStatus string
}

// Error formats the error; it never panics, even on a zero value.
func (e *CloudStorageError) Error() string { return errorString(e.Err, CodeCloudStorage) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *CloudStorageError) Unwrap() error { return unwrapBase(e.Err) }

// S3ConnectorError reports an S3 import job that failed or was cancelled.
type S3ConnectorError struct {
	Err       *Error
	JobID     string
	JobStatus string
}

// Error formats the error; it never panics, even on a zero value.
func (e *S3ConnectorError) Error() string { return errorString(e.Err, CodeS3Connector) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *S3ConnectorError) Unwrap() error { return unwrapBase(e.Err) }

// BatchError reports a batch describe or verify job that failed or was
// cancelled (the predecessor SDK's BatchError).
type BatchError struct {
	Err     *Error
	BatchID string
	Status  string
}

// Error formats the error; it never panics, even on a zero value.
func (e *BatchError) Error() string { return errorString(e.Err, CodeBatch) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *BatchError) Unwrap() error { return unwrapBase(e.Err) }

// VideoUploadError reports a failed video upload. Stage is "initiate",
// "chunk_upload", "confirm" or "complete"; PartialChunks counts the chunks
// the server had confirmed when it failed.
type VideoUploadError struct {
	Err           *Error
	MediaID       string
	Stage         string
	PartialChunks int
}

// Error formats the error; it never panics, even on a zero value.
func (e *VideoUploadError) Error() string { return errorString(e.Err, CodeVideoUpload) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *VideoUploadError) Unwrap() error { return unwrapBase(e.Err) }

// VideoAnalysisError reports a video analysis job that failed or was cancelled.
type VideoAnalysisError struct {
	Err           *Error
	MediaID       string
	AnalysisJobID string
	Status        string
}

// Error formats the error; it never panics, even on a zero value.
func (e *VideoAnalysisError) Error() string { return errorString(e.Err, CodeVideoAnalysis) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *VideoAnalysisError) Unwrap() error { return unwrapBase(e.Err) }

// SSEStreamError reports a stream lost for good: after every reconnect
// attempt, or before any event id made resuming safe.
type SSEStreamError struct {
	Err               *Error
	LastEventID       string
	EventsReceived    int
	ReconnectAttempts int
}

// Error formats the error; it never panics, even on a zero value.
func (e *SSEStreamError) Error() string { return errorString(e.Err, CodeSSEStream) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *SSEStreamError) Unwrap() error { return unwrapBase(e.Err) }

// FolderMoveError reports a folder move that was refused because the
// folder would end up inside itself or its own subfolders, or nested deeper
// than 10 levels: caught before sending for a move into itself, else the
// server's HTTP 422. Err.Cause is the *ValidationError that refused it, so
// errors.As finds both.
type FolderMoveError struct {
	Err         *Error
	FolderID    string
	NewParentID string // "" (RootFolder) for the root level
}

// Error formats the error; it never panics, even on a zero value.
func (e *FolderMoveError) Error() string { return errorString(e.Err, CodeFolderMove) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *FolderMoveError) Unwrap() error { return unwrapBase(e.Err) }

// PlanConflictError reports that a chat plan could not be approved or
// cancelled because another request is processing it (HTTP 409). Err.Code
// is CONFLICT; Err.Cause is nil. Wait for the plan's outcome instead of
// repeating the action.
type PlanConflictError struct {
	Err       *Error
	SessionID string
	PlanID    string
}

// Error formats the error; it never panics, even on a zero value.
func (e *PlanConflictError) Error() string { return errorString(e.Err, CodeConflict) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *PlanConflictError) Unwrap() error { return unwrapBase(e.Err) }

// LinkCrawlError reports a saved link whose crawl failed, as
// Links.WaitForCrawl saw it. CrawlError is the server's reason.
type LinkCrawlError struct {
	Err         *Error
	LinkID      string
	CrawlStatus string
	CrawlError  string
}

// Error formats the error; it never panics, even on a zero value.
func (e *LinkCrawlError) Error() string { return errorString(e.Err, CodeLinkCrawl) }

// Unwrap returns the *Error underneath, for errors.As and errors.Is.
func (e *LinkCrawlError) Unwrap() error { return unwrapBase(e.Err) }

// unwrapBase keeps a nil *Error from becoming a non-nil error interface.
func unwrapBase(e *Error) error {
	if e == nil {
		return nil
	}
	return e
}

// IsRetryable reports whether err is one the client retries by itself:
// connection failures, attempt timeouts, HTTP 408, 429 (not quota) and
// 500/502/503/504. Context cancellation, the caller's deadline, an open
// circuit breaker, a refused insecure redirect, an error a Middleware
// returned on its own and every other error are not.
func IsRetryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, ErrInsecureRedirect) {
		return false
	}
	var quota *QuotaExceededError
	if errors.As(err, &quota) {
		return false
	}
	var breaker *CircuitBreakerError
	if errors.As(err, &breaker) {
		return false
	}
	var base *Error
	if !errors.As(err, &base) {
		return false
	}
	if fromMiddleware, _ := base.Details["middleware"].(bool); fromMiddleware {
		return false
	}
	switch base.Code {
	case CodeConnection, CodeTimeout, CodeRateLimit:
		return true
	case CodeServer:
		return retryableStatus(base.StatusCode)
	}
	return false
}

// retryableStatus lists the HTTP statuses the transport retries.
func retryableStatus(status int) bool {
	switch status {
	case 408, 429, 500, 502, 503, 504:
		return true
	}
	return false
}

// badResponseField reports a server answer whose field cannot be used (a
// size or count that does not fit the file): a BAD_RESPONSE naming it.
func badResponseField(field, msg string) *Error {
	e := newError(CodeResponseUnreadable, field+": "+msg, nil)
	e.Details["field"] = field
	return e
}

// validationError reports bad input caught before sending; field names it.
func validationError(field, msg string) *ValidationError {
	e := newError(CodeValidation, field+": "+msg, nil)
	e.Details["field"] = field
	return &ValidationError{Err: e, Fields: []FieldError{{Loc: []string{field}, Msg: msg, Type: "value_error"}}}
}

// maxErrorBody bounds how much of an error response is read.
const maxErrorBody = 1 << 20

// quotaServerCodes are the server codes that mean a quota, whatever the
// status: documented (predecessor api/README.md: USAGE_LIMIT_EXCEEDED,
// STORAGE_QUOTA_EXCEEDED; Scopix, spec chat-sse-config-errors.md §2.1:
// QUOTA_EXCEEDED).
var quotaServerCodes = map[string]bool{
	"QUOTA_EXCEEDED":         true,
	"USAGE_LIMIT_EXCEEDED":   true,
	"STORAGE_QUOTA_EXCEEDED": true,
}

// CheckResponse returns nil for a 2xx response and otherwise the typed error
// the response stands for. It reads at most 1 MiB of the body and puts what
// it read back into resp.Body, so the caller can read it again.
func CheckResponse(resp *http.Response) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	var data []byte
	if resp.Body != nil {
		data, _ = io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(data))
	}
	return errorFromResponse(resp.StatusCode, resp.Header, data)
}

// parsedBody is what the four error-body shapes have in common.
type parsedBody struct {
	serverCode string
	message    string
	requestID  string
	details    map[string]any
	fields     []FieldError
}

// parseErrorBody reads any of the documented error-body shapes, plain text
// or nothing. It never fails: what it cannot read it leaves empty. Where
// shapes overlap, the nested "error" object (the envelope the reference
// documents as the universal format) wins over the top level, which wins
// over "detail": for the message, the server code and each key of the
// details alike. Each reader only fills what an earlier one left empty.
func parseErrorBody(data []byte) parsedBody {
	p := parsedBody{details: map[string]any{}}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return p
	}
	var m map[string]any
	if trimmed[0] != '{' || json.Unmarshal(trimmed, &m) != nil {
		p.message = shorten(string(trimmed))
		return p
	}
	errorType := p.readErrorMember(m["error"])
	if p.serverCode == "" {
		p.serverCode = firstNonEmpty(stringField(m, "error_code"), stringField(m, "code"))
	}
	if p.message == "" {
		p.message = stringField(m, "message")
	}
	mergeDetails(p.details, m["details"])
	p.readDetail(m["detail"])
	p.readErrorType(errorType)
	if p.requestID == "" {
		p.requestID = stringField(m, "request_id")
	}
	p.keepTopLevel(m)
	return p
}

// readErrorMember reads "error": an object {"code","message","details",
// "request_id"}, or a string naming the error type, which it returns.
func (p *parsedBody) readErrorMember(v any) (errorType string) {
	switch v := v.(type) {
	case map[string]any:
		p.serverCode = stringField(v, "code")
		p.message = stringField(v, "message")
		mergeDetails(p.details, v["details"])
		p.requestID = stringField(v, "request_id")
	case string:
		return v
	}
	return ""
}

// readDetail reads FastAPI's "detail": a message, a list of field errors
// (422), or an object with the fields of a nested error.
func (p *parsedBody) readDetail(v any) {
	switch d := v.(type) {
	case string:
		if p.message == "" {
			p.message = d
		} else if d != "" {
			fillDetail(p.details, "detail", d)
		}
	case []any:
		p.fields = fieldErrors(d)
		if p.message == "" {
			p.message = fieldsMessage(p.fields)
		}
	case map[string]any:
		mergeDetails(p.details, d)
		if p.message == "" {
			p.message = stringField(d, "message")
		}
		if p.serverCode == "" {
			p.serverCode = firstNonEmpty(stringField(d, "error_code"), stringField(d, "code"))
		}
	}
}

// readErrorType uses an "error" string as the message when there is none,
// and otherwise keeps it in the details and as the server code.
func (p *parsedBody) readErrorType(errorType string) {
	if errorType == "" {
		return
	}
	if p.message == "" {
		p.message = errorType
		return
	}
	p.details["error_type"] = errorType
	if p.serverCode == "" {
		p.serverCode = errorType
	}
}

// keepTopLevel copies the top-level fields callers act on into the
// details, unless a nested shape set them already. "suggestion" is
// documented (Scopix, spec files.md §2: an oversize streaming upload is
// answered with suggestion.endpoint naming the presigned flow).
func (p *parsedBody) keepTopLevel(m map[string]any) {
	for _, k := range []string{"available", "limit", "resource_type", "resource_id", "suggestion"} {
		if v, ok := m[k]; ok {
			fillDetail(p.details, k, v)
		}
	}
}

// errorFromResponse maps a non-2xx status and its body to a typed error.
// Quota codes win over the status.
func errorFromResponse(status int, header http.Header, data []byte) error {
	p := parseErrorBody(data)
	base := &Error{
		Message:    p.message,
		Details:    p.details,
		StatusCode: status,
		RequestID:  firstNonEmpty(p.requestID, header.Get("X-Request-ID")),
	}
	if p.serverCode != "" {
		base.Details[detailServerCode] = p.serverCode
	}
	if quotaServerCodes[strings.ToUpper(p.serverCode)] {
		return newQuotaError(base)
	}
	switch {
	case status == 400 || status == 413 || status == 422:
		base.Code = CodeValidation
		if len(p.fields) > 0 {
			base.Details["fields"] = p.fields
		}
		return &ValidationError{Err: withDefaultMessage(base, "Invalid request"), Fields: p.fields}
	case status == 401:
		base.Code = CodeAuth
		return &AuthenticationError{Err: withDefaultMessage(base, "Authentication failed")}
	case status == 402:
		base.Code = CodePaymentRequired
		return &PaymentRequiredError{Err: withDefaultMessage(base, "Payment required")}
	case status == 403:
		base.Code = CodePermissionDenied
		return &PermissionError{Err: withDefaultMessage(base, "Permission denied")}
	case status == 404:
		base.Code = CodeNotFound
		e := &ResourceNotFoundError{Err: withDefaultMessage(base, "Resource not found"),
			ResourceType: stringField(p.details, "resource_type"), ResourceID: stringField(p.details, "resource_id")}
		return e
	case status == 408:
		base.Code = CodeTimeout
		return &TimeoutError{Err: withDefaultMessage(base, "Request timed out")}
	case status == 409:
		base.Code = CodeConflict
		return withDefaultMessage(base, "Conflict")
	case status == 429:
		return newRateLimitError(base, header)
	case status >= 500 && status <= 599:
		base.Code = CodeServer
		return &ServerError{Err: withDefaultMessage(base, "Server error")}
	}
	base.Code = CodeAPI
	return withDefaultMessage(base, fmt.Sprintf("unexpected HTTP status %d", status))
}

func newQuotaError(base *Error) *QuotaExceededError {
	base.Code = CodeQuotaExceeded
	e := &QuotaExceededError{Err: withDefaultMessage(base, "Quota exceeded"),
		Available: intField(base.Details, "available"), Limit: intField(base.Details, "limit")}
	base.Details["available"] = e.Available
	base.Details["limit"] = e.Limit
	return e
}

func newRateLimitError(base *Error, header http.Header) *RateLimitError {
	base.Code = CodeRateLimit
	e := &RateLimitError{Err: withDefaultMessage(base, "Rate limit exceeded")}
	e.RetryAfter, _ = parseRetryAfter(header.Get("Retry-After"), time.Now())
	rl := parseRateLimit(header)
	e.Limit, e.Remaining, e.Reset = rl.Limit, rl.Remaining, rl.Reset
	base.Details["retry_after"] = e.RetryAfter.Seconds()
	base.Details["limit"] = e.Limit
	base.Details["remaining"] = e.Remaining
	if !e.Reset.IsZero() {
		base.Details["reset"] = e.Reset.Unix()
	}
	return e
}

// maxRetryAfter stands for a Retry-After too long to represent: longer
// than any MaxRetryWait, so the typed error returns at once.
const maxRetryAfter = time.Duration(math.MaxInt64)

// parseRetryAfter reads Retry-After as seconds (decimals allowed) or as an
// HTTP-date. ok is false when the header is absent or unreadable (negative,
// NaN, neither a number nor a date): the caller then uses its own backoff.
// A wait too long to represent, +Inf included, is maxRetryAfter.
func parseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		switch {
		case math.IsNaN(secs) || secs < 0:
			return 0, false
		case secs >= float64(maxRetryAfter)/float64(time.Second):
			return maxRetryAfter, true
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

func withDefaultMessage(e *Error, msg string) *Error {
	if e.Message == "" {
		e.Message = msg
	}
	return e
}

func fieldErrors(items []any) []FieldError {
	fields := make([]FieldError, 0, len(items))
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			continue
		}
		f := FieldError{Msg: stringField(m, "msg"), Type: stringField(m, "type")}
		if loc, ok := m["loc"].([]any); ok {
			for _, l := range loc {
				f.Loc = append(f.Loc, fmt.Sprint(l))
			}
		}
		fields = append(fields, f)
	}
	return fields
}

func fieldsMessage(fields []FieldError) string {
	parts := make([]string, 0, len(fields))
	for _, f := range fields {
		if len(f.Loc) > 0 {
			parts = append(parts, strings.Join(f.Loc, ".")+": "+f.Msg)
		} else {
			parts = append(parts, f.Msg)
		}
	}
	return strings.Join(parts, "; ")
}

// mergeDetails copies the keys of a JSON object src into dst, keeping any
// dst already holds: the shape read first wins (see parseErrorBody).
func mergeDetails(dst map[string]any, src any) {
	if m, ok := src.(map[string]any); ok {
		for k, v := range m {
			fillDetail(dst, k, v)
		}
	}
}

// fillDetail sets dst[k] unless it is set already.
func fillDetail(dst map[string]any, k string, v any) {
	if _, taken := dst[k]; !taken {
		dst[k] = v
	}
}

func stringField(m map[string]any, key string) string {
	switch v := m[key].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

func intField(m map[string]any, key string) int {
	switch v := m[key].(type) {
	case float64:
		return int(v)
	case int:
		return v
	case string:
		n, _ := strconv.Atoi(v)
		return n
	}
	return 0
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// shorten keeps a plain-text body from turning into a huge error message.
func shorten(s string) string {
	const limit = 512
	if len(s) <= limit {
		return s
	}
	return strings.ToValidUTF8(s[:limit], "") + "…"
}
