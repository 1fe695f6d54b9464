package scopix_test

import (
	"context"
	"encoding/json"
	"io"
	"iter"
	"testing"
	"time"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// TestContract_NamesAndSignatures pins the public contract that code outside
// this repository compiles against: if a name or signature changes, this
// file stops compiling.
func TestContract_NamesAndSignatures(t *testing.T) {
	t.Parallel()
	type ctx = context.Context
	var (
		_ func(string, ...scopix.Option) (*scopix.Client, error)    = scopix.New
		_ func(...scopix.Option) (*scopix.Client, error)            = scopix.NewFromEnv
		_ func(*scopix.Client) error                                = (*scopix.Client).Close
		_ func(*scopix.Client, ctx, string, string, any, any) error = (*scopix.Client).Do
		_ func(error) bool                                          = scopix.IsRetryable
		_ *int                                                      = scopix.Ptr(1)
		_                                                           = scopix.Version

		_ = []scopix.Option{scopix.WithBaseURL(""), scopix.WithHTTPClient(nil), scopix.WithTimeout(0), scopix.WithMaxRetries(0),
			scopix.WithRetryDelay(0), scopix.WithPollingInterval(0), scopix.WithPollingTimeout(0), scopix.WithTenantID(""),
			scopix.WithProxyURL(""), scopix.WithLogger(nil), scopix.WithUserAgent(""), scopix.WithHeader("", ""),
			scopix.WithMaxRetryWait(0), scopix.WithCircuitBreaker(scopix.CircuitBreakerSettings{FailureThreshold: 1, SuccessThreshold: 1, OpenTimeout: time.Second}),
			scopix.WithoutCircuitBreaker()}

		// Files
		_ func(*scopix.FilesService, ctx, string, *scopix.UploadParams) (*scopix.UploadResult, error)                   = (*scopix.FilesService).Upload
		_ func(*scopix.FilesService, ctx, string, io.Reader, int64, *scopix.UploadParams) (*scopix.UploadResult, error) = (*scopix.FilesService).UploadReader
		_ func(*scopix.FilesService, ctx, []string, *scopix.UploadParams) (*scopix.BatchUploadResults, error)           = (*scopix.FilesService).UploadBatch
		_ func(*scopix.FilesService, ctx, string, *scopix.AnalyzeParams) (*scopix.AnalyzeResult, error)                 = (*scopix.FilesService).Analyze
		_ func(*scopix.FilesService, ctx, string, *scopix.AnalyzeParams) (*scopix.AnalyzeResult, error)                 = (*scopix.FilesService).AnalyzeURL
		_ func(*scopix.FilesService, ctx, *scopix.FileListParams) (*scopix.FileList, error)                             = (*scopix.FilesService).List
		_ func(*scopix.FilesService, ctx, *scopix.FileListParams) iter.Seq2[scopix.FileSummary, error]                  = (*scopix.FilesService).ListAll
		_ func(*scopix.FilesService, ctx, string) (*scopix.FileDetails, error)                                          = (*scopix.FilesService).Get
		_ func(*scopix.FilesService, ctx, string, *scopix.FileUpdateParams) (*scopix.FileUpdateResult, error)           = (*scopix.FilesService).Update
		_ func(*scopix.FilesService, ctx, string) (*scopix.FileDeleteResult, error)                                     = (*scopix.FilesService).Delete
		_ func(*scopix.FilesService, ctx, []string) (*scopix.BatchDeleteResult, error)                                  = (*scopix.FilesService).BatchDelete
		_ func(*scopix.FilesService, ctx, string) (*scopix.ProcessingStatus, error)                                     = (*scopix.FilesService).ProcessingStatus
		_ func(*scopix.FilesService, ctx, string, *scopix.WaitDescriptionOptions) (*scopix.FileDetails, error)          = (*scopix.FilesService).WaitForDescription
		_ func(*scopix.FilesService, ctx, string, *scopix.WaitProcessingOptions) (*scopix.ProcessingStatus, error)      = (*scopix.FilesService).WaitForProcessing
		_ func(*scopix.FilesService, ctx, string, *scopix.WaitSessionOptions) (*scopix.UploadSession, error)            = (*scopix.FilesService).WaitForSession
		_ func(*scopix.FilesService, ctx, string, scopix.Variant) (string, error)                                       = (*scopix.FilesService).VariantURL
		_ func(*scopix.FilesService, ctx, string) (io.ReadCloser, error)                                                = (*scopix.FilesService).Download
		_ func(*scopix.FilesService, ctx, string) (*scopix.DocumentText, error)                                         = (*scopix.FilesService).Text

		// Upload sessions and quota (API.md §11)
		_ func(*scopix.FilesService, ctx, int) (*scopix.QuotaInfo, error)                                           = (*scopix.FilesService).CheckQuota
		_ func(*scopix.FilesService, ctx, string, *scopix.SessionResultsParams) (*scopix.SessionResultsPage, error) = (*scopix.FilesService).SessionResults
		_ func(*scopix.FilesService, ctx, string) (*scopix.UploadSession, error)                                    = (*scopix.FilesService).CancelSession
		_ func(*scopix.FilesService, ctx, *scopix.SessionListParams) iter.Seq2[scopix.UploadSession, error]         = (*scopix.FilesService).Sessions

		// Video
		_ func(*scopix.VideoService, ctx, string, *scopix.VideoUploadParams) (*scopix.VideoUploadResult, error)                 = (*scopix.VideoService).Upload
		_ func(*scopix.VideoService, ctx, string, string, string, *scopix.VideoUploadParams) (*scopix.VideoUploadResult, error) = (*scopix.VideoService).Resume
		_ func(*scopix.VideoService, ctx, string) (*scopix.VideoUploadProgress, error)                                          = (*scopix.VideoService).Progress
		_ func(*scopix.VideoService, ctx, string, string, string) (*scopix.VideoAbortResult, error)                             = (*scopix.VideoService).Abort
		_ func(*scopix.VideoService, ctx, string) (*scopix.VideoSceneList, error)                                               = (*scopix.VideoService).Scenes
		_ func(*scopix.VideoService, ctx, string) (io.ReadCloser, error)                                                        = (*scopix.VideoService).SceneThumbnail
		_ func(*scopix.VideoAnalysisService, ctx, string) (*scopix.VideoAnalysisJob, error)                                     = (*scopix.VideoAnalysisService).Status
		_ func(*scopix.VideoAnalysisService, ctx, string) (*scopix.VideoAnalysisJob, error)                                     = (*scopix.VideoAnalysisService).StatusByMedia
		_ func(*scopix.VideoAnalysisService, ctx, string, *scopix.QueueAnalysisParams) (*scopix.QueueAnalysisResult, error)     = (*scopix.VideoAnalysisService).Queue
		_ func(*scopix.VideoAnalysisService, ctx, string, string, string) (*scopix.RetryAnalysisResult, error)                  = (*scopix.VideoAnalysisService).Retry
		_ func(*scopix.VideoAnalysisService, ctx, string, *scopix.WaitAnalysisOptions) (*scopix.VideoAnalysisJob, error)        = (*scopix.VideoAnalysisService).WaitForCompletion

		// Chat
		_ func(*scopix.ChatService, ctx, *scopix.CreateSessionParams) (*scopix.ChatSession, error)              = (*scopix.ChatService).CreateSession
		_ func(*scopix.ChatService, ctx, string, *scopix.GetSessionParams) (*scopix.ChatSessionDetail, error)   = (*scopix.ChatService).GetSession
		_ func(*scopix.ChatService, ctx, string, int) ([]scopix.ChatMessage, error)                             = (*scopix.ChatService).Messages
		_ func(*scopix.ChatService, ctx, string, string, *scopix.SendParams) (*scopix.ChatResponse, error)      = (*scopix.ChatService).Send
		_ func(*scopix.ChatService, ctx, string, string, *scopix.SendParams) iter.Seq2[scopix.ChatEvent, error] = (*scopix.ChatService).Stream

		// Cloud storage and S3
		_ func(*scopix.CloudStorageService, ctx, string, []scopix.CloudFile, *scopix.ImportParams) (*scopix.ImportResult, error)                            = (*scopix.CloudStorageService).StartImport
		_ func(*scopix.CloudStorageService, ctx, string) (*scopix.CloudStorageJob, error)                                                                   = (*scopix.CloudStorageService).GetJob
		_ func(*scopix.CloudStorageService, ctx, string, *scopix.WaitJobOptions) (*scopix.CloudStorageJob, error)                                           = (*scopix.CloudStorageService).WaitForJob
		_ func(*scopix.CloudStorageService, ctx, string, []scopix.CloudFile, *scopix.ImportParams, *scopix.WaitJobOptions) (*scopix.CloudStorageJob, error) = (*scopix.CloudStorageService).ImportAndWait
		_ func(*scopix.S3ConnectorService, ctx, scopix.S3Config) (*scopix.S3ConfigStatus, error)                                                            = (*scopix.S3ConnectorService).Configure
		_ func(*scopix.S3ConnectorService, ctx, *scopix.S3ImportParams) (*scopix.S3Job, error)                                                              = (*scopix.S3ConnectorService).StartImport
		_ func(*scopix.S3ConnectorService, ctx, string) (*scopix.S3Job, error)                                                                              = (*scopix.S3ConnectorService).GetJob
		_ func(*scopix.S3ConnectorService, ctx, string, *scopix.WaitS3JobOptions) (*scopix.S3Job, error)                                                    = (*scopix.S3ConnectorService).WaitForJob
		_ func(*scopix.S3ConnectorService, ctx, *scopix.S3ImportParams, *scopix.WaitS3JobOptions) (*scopix.S3Job, error)                                    = (*scopix.S3ConnectorService).ImportAndWait

		// scopixtest
		_ func(testing.TB, ...scopixtest.ServerOption) *scopixtest.Server = scopixtest.NewServer
		_ func(*scopixtest.Server) string                                 = (*scopixtest.Server).URL
		_ func(*scopixtest.Server, ...scopix.Option) *scopix.Client       = (*scopixtest.Server).Client
		_ func(*scopixtest.Server, int, int, map[string]string)           = (*scopixtest.Server).FailNext
		_ func(*scopixtest.Server, int)                                   = (*scopixtest.Server).DropStreamAfter
		_ func(*scopixtest.Server, time.Duration)                         = (*scopixtest.Server).SetLatency
	)
	// Field names (API.md §10).
	_ = scopix.UploadParams{Title: "", Tags: nil, AutoDescribe: scopix.Ptr(true), SkipDuplicates: true, FolderID: "", ContentCategory: "",
		OnProgress: func(scopix.UploadProgress) {}}
	_ = scopix.UploadResult{ImageID: "", Filename: "", Description: "", Tags: nil, VisibleText: "", DescriptionStatus: "", Skipped: true,
		SkippedExistingImageID: "", MediaType: "", Status: ""}
	_ = scopix.BatchUploadResults{Results: nil, SessionIDs: nil, Rejections: nil}
	_ = scopix.FileListParams{Search: "", SearchMode: "", Tags: nil, MediaTypes: nil, HasDescription: nil, Limit: 0, Offset: 0, SortBy: "", SortOrder: ""}
	_ = scopix.FileList{Items: nil, TotalCount: 0, HasMore: false}
	_ = scopix.FileSummary{ID: "", Title: "", Filename: "", MediaType: "", DescriptionStatus: ""}
	_ = scopix.FileDetails{ID: "", Title: "", Tags: nil, UploadDescription: "", DescriptionStatus: ""}
	_ = scopix.FileUpdateParams{Title: scopix.Ptr(""), Tags: nil}
	_ = scopix.WaitDescriptionOptions{Timeout: 0, Interval: 0, OnProgress: func(*scopix.FileDetails) {}}
	_ = scopix.VideoUploadParams{Title: "", Tags: nil, Concurrency: 0, KeepOnFailure: true, WaitForAnalysis: true}
	_ = scopix.VideoUploadResult{MediaID: "", Status: "", AnalysisJobID: ""}
	_ = scopix.VideoAnalysisJob{AnalysisJobID: "", MediaID: "", Status: "", ProgressPercent: 0, CurrentStep: "", ErrorMessage: ""}
	_ = scopix.WaitAnalysisOptions{Timeout: 0, Interval: 0, OnProgress: func(*scopix.VideoAnalysisJob) {}}
	_ = scopix.CreateSessionParams{Title: "", ImageIDs: nil, UseAllImages: nil}
	_ = scopix.ChatSession{ID: "", Title: ""}
	_ = scopix.SendParams{ForceDetailedAnalysis: true, ExpectedImageIDs: nil, DebugReasoning: true, NoReconnect: true}
	_ = scopix.ChatResponse{MessageID: "", Content: ""}
	_ = scopix.ChatEvent{Type: "", ID: "", Content: "", Data: json.RawMessage(nil)}
	_ = scopix.CloudFile{ID: "", Name: "", MimeType: "", SizeBytes: 0}
	_ = scopix.CloudStorageJob{JobID: "", Type: "", Status: "", TotalFiles: 0, CompletedFiles: 0, FailedFiles: 0}
	_ = scopix.WaitJobOptions{Timeout: 0, Interval: 0, OnProgress: func(*scopix.CloudStorageJob) {}}
	_ = scopix.S3ImportParams{Bucket: "", Prefix: "", Region: "", Tags: nil, AutoDescribe: nil}
	_ = scopix.S3Job{JobID: "", Status: "", TotalFiles: 0, CompletedFiles: 0, FailedFiles: 0}
	_ = scopix.WaitS3JobOptions{Timeout: 0, Interval: 0, OnProgress: func(*scopix.S3Job) {}}
	_ = scopix.Error{Code: "", Message: "", Details: nil, StatusCode: 0, RequestID: "", Cause: nil}
	_ = scopix.RateLimitError{Err: nil, RetryAfter: 0, Limit: 0, Remaining: 0, Reset: time.Time{}}
	_ = scopix.QuotaExceededError{Available: 0, Limit: 0, PartialResults: nil}
	_ = scopix.UploadError{Filename: "", Stage: "", SessionID: "", PartialResults: (*scopix.BatchUploadResults)(nil)}
	_ = scopix.VideoUploadError{MediaID: "", Stage: "", PartialChunks: 0}
	_ = scopix.SSEStreamError{LastEventID: "", EventsReceived: 0, ReconnectAttempts: 0}
	_ = scopix.CircuitBreakerError{Endpoint: "", RetryAfter: 0}

	// Upload sessions and quota (API.md §11).
	_ = scopix.QuotaInfo{CanProceed: true, Requested: 0, Available: 0, MonthlyLimit: 0, CurrentUsage: 0, PrepaidCredits: 0,
		MaxBatchSize: 0, MaxConcurrentUploads: 0, Message: ""}
	_ = scopix.SessionResultsParams{IncludeFailed: scopix.Ptr(true), Limit: 0, Offset: 0}
	_ = scopix.SessionResultsPage{SessionID: "", Results: []scopix.UploadResult(nil), TotalCount: 0, HasMore: false}
	_ = scopix.UploadParams{WaitForDescriptions: true, DescriptionTimeout: time.Duration(0), OnFileComplete: func(scopix.UploadResult) {}}
	_ = scopix.UploadError{Stage: scopix.UploadStageSessionResults}

	// Citations (API.md §11).
	var (
		_ func(string, map[string]any) string            = scopix.ResolveContent
		_ func(string, map[string]any) scopix.References = scopix.ParseReferences
	)
	_ = scopix.References{Images: []scopix.ImageRef(nil), Documents: []scopix.DocumentRef(nil), Links: []scopix.LinkRef(nil),
		Counts: map[string]scopix.ResultRef(nil)}
	_ = scopix.ImageRef{IDPrefix: "", Filename: "", FullID: ""}
	_ = scopix.DocumentRef{IDPrefix: "", Filename: "", FullID: "", Page: 0, PageStart: 0, PageEnd: 0}
	_ = scopix.LinkRef{IDPrefix: "", Title: "", FullID: "", SourceURL: "", Domain: ""}
	_ = scopix.ResultRef{Count: 0, IDs: nil, ImageIDs: nil, IDType: "", Label: ""}
	_ = scopix.ChatResponse{ResolvedContent: ""}
	_ = scopix.ChatMessage{ResolvedContent: ""}
}
