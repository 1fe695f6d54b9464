package scopix

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// AgentsService runs the standalone AI agents under /agents, without a chat
// session: searches over images, documents and videos, report synthesis,
// document analysis, file organisation and multi-step pipelines. A search
// costs fewer tokens than the same question in a chat session; its ids
// feed straight into Chat.CreateSession.
//
// Every call runs AI agents that are billed per token, so a call is not
// retried once the server may have acted on it.
type AgentsService service

// Paths and limits of the agents API (documented (predecessor
// api/agents.md and openapi.json); the Scopix docs list the search paths).
const (
	agentsSearchImagesPath    = "agents/search/images"     // documented (Scopix agents page, predecessor api/agents.md)
	agentsSearchDocumentsPath = "agents/search/documents"  // documented (predecessor api/agents.md)
	agentsSearchVideosPath    = "agents/search/videos"     // documented (predecessor api/agents.md, openapi)
	agentsSynthesizePath      = "agents/synthesize"        // documented (predecessor api/agents.md)
	agentsAnalyzeDocsPath     = "agents/analyze/documents" // documented (predecessor api/agents.md)
	agentsOrganizePath        = "agents/organize"          // documented (predecessor api/agents.md)
	agentsPipelinePath        = "agents/pipeline"          // documented (predecessor api/agents.md)

	maxAgentTextChars     = 2000 // query and intent
	maxAgentSearchResults = 500
	maxPipelineSteps      = 10
)

// SearchImages finds images by a natural-language query (POST
// /agents/search/images). The result's Summary is plain text; SummaryRaw
// keeps the [[ref:KEY]] markup that ResultRefs resolves. Errors:
// *ValidationError (query empty or over 2,000 characters, limit above 500,
// an empty id), *AuthenticationError, *QuotaExceededError,
// *RateLimitError, and the other HTTP errors.
func (s *AgentsService) SearchImages(ctx context.Context, query string, p *AgentImageSearchParams) (*AgentImageSearchResult, error) {
	if p == nil {
		p = &AgentImageSearchParams{}
	}
	if err := checkAgentSearch(query, p.Limit, "image_ids", p.ImageIDs); err != nil {
		return nil, err
	}
	body := struct {
		Query    string   `json:"query"`
		Limit    int      `json:"limit,omitempty"`
		FolderID string   `json:"folder_id,omitempty"`
		ImageIDs []string `json:"image_ids,omitempty"`
	}{query, p.Limit, p.FolderID, p.ImageIDs}
	return agentSearch[AgentImageSearchResult](ctx, s, agentsSearchImagesPath, body)
}

// SearchDocuments finds passages of documents by a natural-language query
// (POST /agents/search/documents). Errors as SearchImages.
func (s *AgentsService) SearchDocuments(ctx context.Context, query string, p *AgentDocumentSearchParams) (*AgentDocumentSearchResult, error) {
	if p == nil {
		p = &AgentDocumentSearchParams{}
	}
	if err := checkAgentSearch(query, p.Limit, "document_ids", p.DocumentIDs); err != nil {
		return nil, err
	}
	body := struct {
		Query         string   `json:"query"`
		Limit         int      `json:"limit,omitempty"`
		DocumentTypes []string `json:"document_types,omitempty"`
		DocumentIDs   []string `json:"document_ids,omitempty"`
	}{query, p.Limit, p.DocumentTypes, p.DocumentIDs}
	return agentSearch[AgentDocumentSearchResult](ctx, s, agentsSearchDocumentsPath, body)
}

// SearchVideos finds videos, and the scenes in them that match, by a
// natural-language query (POST /agents/search/videos). Errors as
// SearchImages.
func (s *AgentsService) SearchVideos(ctx context.Context, query string, p *AgentVideoSearchParams) (*AgentVideoSearchResult, error) {
	if p == nil {
		p = &AgentVideoSearchParams{}
	}
	if err := checkAgentSearch(query, p.Limit, "video_ids", p.VideoIDs); err != nil {
		return nil, err
	}
	body := struct {
		Query    string   `json:"query"`
		Limit    int      `json:"limit,omitempty"`
		FolderID string   `json:"folder_id,omitempty"`
		VideoIDs []string `json:"video_ids,omitempty"`
	}{query, p.Limit, p.FolderID, p.VideoIDs}
	return agentSearch[AgentVideoSearchResult](ctx, s, agentsSearchVideosPath, body)
}

// Synthesize writes a report (Markdown) from images and documents, as
// intent asks (POST /agents/synthesize); with p.AutoSave the report is
// also stored as a new document (SavedDocumentID). Errors:
// *ValidationError (intent empty or over 2,000 characters, an empty id),
// and the HTTP errors of SearchImages.
func (s *AgentsService) Synthesize(ctx context.Context, intent string, p *SynthesizeParams) (*SynthesizeResult, error) {
	if p == nil {
		p = &SynthesizeParams{}
	}
	if err := checkAgentIntent(intent, map[string][]string{"image_ids": p.ImageIDs, "document_ids": p.DocumentIDs}); err != nil {
		return nil, err
	}
	body := struct {
		Intent      string   `json:"intent"`
		ImageIDs    []string `json:"image_ids,omitempty"`
		DocumentIDs []string `json:"document_ids,omitempty"`
		AutoSave    bool     `json:"auto_save"`
	}{intent, p.ImageIDs, p.DocumentIDs, p.AutoSave}
	return sendJSON[SynthesizeResult](ctx, s.client, http.MethodPost, agentsSynthesizePath, body)
}

// AnalyzeDocuments summarises, compares or categorises documents as intent
// asks (POST /agents/analyze/documents). Errors: *ValidationError (intent
// empty or over 2,000 characters, no document id, an empty id), and the
// HTTP errors of SearchImages.
func (s *AgentsService) AnalyzeDocuments(ctx context.Context, intent string, documentIDs []string) (*DocumentAnalysisResult, error) {
	if len(documentIDs) == 0 {
		return nil, validationError("document_ids", "at least one document id is required")
	}
	if err := checkAgentIntent(intent, map[string][]string{"document_ids": documentIDs}); err != nil {
		return nil, err
	}
	body := struct {
		Intent      string   `json:"intent"`
		DocumentIDs []string `json:"document_ids"`
	}{intent, documentIDs}
	return sendJSON[DocumentAnalysisResult](ctx, s.client, http.MethodPost, agentsAnalyzeDocsPath, body)
}

// Organize sorts files into folders as intent asks, creating folders under
// p.ParentFolderID (the root when empty) (POST /agents/organize). It moves
// files: check Actions for what it did. Errors as Synthesize.
func (s *AgentsService) Organize(ctx context.Context, intent string, p *OrganizeParams) (*OrganizeResult, error) {
	if p == nil {
		p = &OrganizeParams{}
	}
	ids := map[string][]string{"image_ids": p.ImageIDs, "document_ids": p.DocumentIDs, "video_ids": p.VideoIDs}
	if err := checkAgentIntent(intent, ids); err != nil {
		return nil, err
	}
	body := struct {
		Intent         string   `json:"intent"`
		ImageIDs       []string `json:"image_ids,omitempty"`
		DocumentIDs    []string `json:"document_ids,omitempty"`
		VideoIDs       []string `json:"video_ids,omitempty"`
		ParentFolderID string   `json:"parent_folder_id,omitempty"`
	}{intent, p.ImageIDs, p.DocumentIDs, p.VideoIDs, p.ParentFolderID}
	return sendJSON[OrganizeResult](ctx, s.client, http.MethodPost, agentsOrganizePath, body)
}

// RunPipeline runs up to 10 agent steps in one server-side execution (POST
// /agents/pipeline). Steps without DependsOn are wired by the data they
// pass on, in order; steps with DependsOn wait for those steps, and steps
// that do not depend on each other run in parallel waves. A step that
// fails is reported in its node and in Errors, not as an error of the
// call. Errors: *ValidationError (no step or more than 10, a step without
// an agent or intent, DependsOn naming this step or a later one, an empty
// id), and the HTTP errors of SearchImages.
func (s *AgentsService) RunPipeline(ctx context.Context, p *PipelineParams) (*PipelineResult, error) {
	if p == nil {
		p = &PipelineParams{}
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	body := struct {
		Steps       []PipelineStep `json:"steps"`
		ImageIDs    []string       `json:"image_ids,omitempty"`
		DocumentIDs []string       `json:"document_ids,omitempty"`
	}{p.Steps, p.ImageIDs, p.DocumentIDs}
	return sendJSON[PipelineResult](ctx, s.client, http.MethodPost, agentsPipelinePath, body)
}

// agentSearch POSTs a search and resolves its summary, whose summary it resolves.
func agentSearch[T any, PT interface {
	*T
	resolveSummary()
}](ctx context.Context, s *AgentsService, path string, body any) (*T, error) {
	out, err := sendJSON[T](ctx, s.client, http.MethodPost, path, body)
	if err != nil {
		return nil, err
	}
	PT(out).resolveSummary()
	return out, nil
}

// resolveSummary makes Summary plain text: the server's, or SummaryRaw
// resolved with the result refs when it sent none, never with markup left.
func (a *AgentSearch) resolveSummary() {
	a.Summary = resolvedText(a.SummaryRaw, a.Summary, map[string]any{metaResultRefs: a.ResultRefs})
}

func checkAgentText(field, text string) error {
	if strings.TrimSpace(text) == "" || utf8.RuneCountInString(text) > maxAgentTextChars {
		return validationError(field, fmt.Sprintf("must be 1 to %d characters", maxAgentTextChars))
	}
	return nil
}

func checkAgentSearch(query string, limit int, idsField string, ids []string) error {
	if err := checkAgentText("query", query); err != nil {
		return err
	}
	if limit < 0 || limit > maxAgentSearchResults {
		return validationError("limit", fmt.Sprintf("must be between 1 and %d (0: server default 50)", maxAgentSearchResults))
	}
	return checkIDs(idsField, ids)
}

func checkAgentIntent(intent string, ids map[string][]string) error {
	if err := checkAgentText("intent", intent); err != nil {
		return err
	}
	for _, field := range []string{"image_ids", "document_ids", "video_ids"} {
		if err := checkIDs(field, ids[field]); err != nil {
			return err
		}
	}
	return nil
}

func (p *PipelineParams) validate() error {
	if len(p.Steps) == 0 || len(p.Steps) > maxPipelineSteps {
		return validationError("steps", fmt.Sprintf("must hold 1 to %d steps", maxPipelineSteps))
	}
	for i, step := range p.Steps {
		if strings.TrimSpace(string(step.Agent)) == "" {
			return validationError(fmt.Sprintf("steps[%d].agent", i), "must not be empty")
		}
		if err := checkAgentText(fmt.Sprintf("steps[%d].intent", i), step.Intent); err != nil {
			return err
		}
		for _, dep := range step.DependsOn {
			if dep < 0 || dep >= i {
				return validationError(fmt.Sprintf("steps[%d].depends_on", i), "may name earlier steps only (0-based)")
			}
		}
	}
	if err := checkIDs("image_ids", p.ImageIDs); err != nil {
		return err
	}
	return checkIDs("document_ids", p.DocumentIDs)
}

// ---- types ----

// AgentImageSearchParams are the options of SearchImages.
type AgentImageSearchParams struct {
	Limit    int      // advisory maximum of results, 1–500 (0: server default 50)
	FolderID string   // only images in this folder
	ImageIDs []string // only among these images
}

// AgentDocumentSearchParams are the options of SearchDocuments.
type AgentDocumentSearchParams struct {
	Limit         int      // advisory maximum of results, 1–500 (0: server default 50)
	DocumentTypes []string // only these types: "pdf", "docx", "txt"
	DocumentIDs   []string // only among these documents
}

// AgentVideoSearchParams are the options of SearchVideos.
type AgentVideoSearchParams struct {
	Limit    int      // advisory maximum of videos, 1–500 (0: server default 50)
	FolderID string   // only videos in this folder
	VideoIDs []string // only among these videos
}

// TokenUsage is what an agent call consumed, for billing.
type TokenUsage struct {
	InputTokens              int `json:"input_tokens"`
	OutputTokens             int `json:"output_tokens"`
	TotalTokens              int `json:"total_tokens"`
	CacheReadInputTokens     int `json:"cache_read_input_tokens"`
	CacheCreationInputTokens int `json:"cache_creation_input_tokens"`
	CallCount                int `json:"call_count"`
}

// AgentRun is what every agent answer reports about the run itself.
type AgentRun struct {
	Success         bool        `json:"success"`
	ExecutionTimeMS int         `json:"execution_time_ms"`
	Iterations      int         `json:"iterations"`  // reasoning rounds of the agent
	TokenUsage      *TokenUsage `json:"token_usage"` // nil when not reported
}

// AgentSearch is what every agent search reports besides its results.
type AgentSearch struct {
	AgentRun
	Count int `json:"count"` // results found
	// Summary is a plain-text summary: the server's, resolved again, or
	// SummaryRaw resolved with ResultRefs (see ResolveContent).
	Summary        string               `json:"summary"`
	SummaryRaw     string               `json:"summary_raw"` // the summary with [[ref:KEY]] markup
	ResultRefs     map[string]ResultRef `json:"result_refs"` // what each [[ref:KEY]] stands for
	SearchStrategy map[string]any       `json:"search_strategy"`
}

// AgentImageSearchResult is the answer to SearchImages.
type AgentImageSearchResult struct {
	AgentSearch
	Results   []AgentImageHit `json:"results"`
	ResultIDs []string        `json:"result_ids"` // the image ids, in rank order
}

// AgentImageHit is one image SearchImages found.
type AgentImageHit struct {
	ImageID      string           `json:"image_id"`
	Score        float64          `json:"score"` // relevance, 0–1
	Filename     string           `json:"filename"`
	Title        string           `json:"title"`
	Description  string           `json:"description"`
	FolderID     string           `json:"folder_id"`
	ThumbnailURL string           `json:"thumbnail_url"`
	Features     []map[string]any `json:"features"` // detected objects, e.g. {"name": "utility_pole", "items": [...]}
}

// AgentDocumentSearchResult is the answer to SearchDocuments.
type AgentDocumentSearchResult struct {
	AgentSearch
	Results     []AgentDocumentChunk `json:"results"`
	ChunkIDs    []string             `json:"chunk_ids"`
	DocumentIDs []string             `json:"document_ids"` // the documents the chunks come from
	SearchMode  string               `json:"search_mode"`  // text, vector, hybrid or browse
}

// AgentDocumentChunk is one passage SearchDocuments found.
type AgentDocumentChunk struct {
	ChunkID          string  `json:"chunk_id"`
	DocumentID       string  `json:"document_id"`
	DocumentFilename string  `json:"document_filename"`
	Text             string  `json:"text"`
	Score            float64 `json:"score"` // relevance, 0–1
	PageNumbers      []int   `json:"page_numbers"`
	ChunkIndex       int     `json:"chunk_index"`
}

// AgentVideoSearchResult is the answer to SearchVideos.
type AgentVideoSearchResult struct {
	AgentSearch
	Results    []AgentVideoHit `json:"results"`
	VideoIDs   []string        `json:"video_ids"`
	SearchMode string          `json:"search_mode"` // text, vector, hybrid or browse
}

// AgentVideoHit is one video SearchVideos found, with its matching scenes.
type AgentVideoHit struct {
	VideoID          string       `json:"video_id"`
	VideoFilename    string       `json:"video_filename"`
	VideoDescription string       `json:"video_description"`
	DurationSeconds  float64      `json:"duration_seconds"`
	Resolution       string       `json:"resolution"` // e.g. "1920x1080"
	ThumbnailURL     string       `json:"thumbnail_url"`
	Score            float64      `json:"score"`
	MatchedScenes    []AgentScene `json:"matched_scenes"`
}

// AgentScene is a scene of a video that matched a video search.
type AgentScene struct {
	SceneID            string   `json:"scene_id"`
	SceneIndex         int      `json:"scene_index"`
	StartTime          float64  `json:"start_time"` // seconds
	EndTime            float64  `json:"end_time"`   // seconds
	TimeRangeFormatted string   `json:"time_range_formatted"`
	Description        string   `json:"description"`
	Tags               []string `json:"tags"`
	Score              float64  `json:"score"`
	ThumbnailURL       string   `json:"thumbnail_url"`
}

// SynthesizeParams are the options of Synthesize.
type SynthesizeParams struct {
	ImageIDs    []string // images to draw on
	DocumentIDs []string // documents to draw on
	AutoSave    bool     // also store the report as a new document
}

// SynthesizeResult is the answer to Synthesize.
type SynthesizeResult struct {
	AgentRun
	Report          string `json:"report"` // Markdown
	Summary         string `json:"summary"`
	ImageCount      int    `json:"image_count"`
	DocumentCount   int    `json:"document_count"`
	SavedDocumentID string `json:"saved_document_id"` // set with AutoSave
}

// DocumentAnalysisResult is the answer to AnalyzeDocuments.
type DocumentAnalysisResult struct {
	AgentRun
	Analysis        string                `json:"analysis"` // Markdown
	Summary         string                `json:"summary"`
	DocumentCount   int                   `json:"document_count"`
	Categorization  map[string]any        `json:"categorization"` // when the intent asked for categories
	ChunkReferences []AgentChunkReference `json:"chunk_references"`
}

// AgentChunkReference is a passage an analysis cites.
type AgentChunkReference struct {
	ChunkID          string `json:"chunk_id"`
	DocumentID       string `json:"document_id"`
	DocumentFilename string `json:"document_filename"`
	PageNumbers      []int  `json:"page_numbers"`
}

// OrganizeParams are the options of Organize.
type OrganizeParams struct {
	ImageIDs       []string
	DocumentIDs    []string
	VideoIDs       []string
	ParentFolderID string // where new folders go (empty: the root)
}

// OrganizeResult is the answer to Organize.
type OrganizeResult struct {
	AgentRun
	Summary        string         `json:"summary"`
	Actions        []FolderAction `json:"actions"`
	FoldersCreated int            `json:"folders_created"`
	FilesMoved     int            `json:"files_moved"`
}

// FolderAction is one folder operation Organize performed.
type FolderAction struct {
	Action     string `json:"action"` // e.g. create, move_files, create_and_move_files
	FolderID   string `json:"folder_id"`
	FolderName string `json:"folder_name"`
	FileCount  int    `json:"file_count"`
}

// PipelineAgent names the agent of a pipeline step.
type PipelineAgent string

// Pipeline agents (documented (predecessor api/agents.md)); the server may
// know more.
const (
	AgentImageSearch      PipelineAgent = "image_search"
	AgentDocumentSearch   PipelineAgent = "document_search"
	AgentLinkSearch       PipelineAgent = "link_search"
	AgentAnalysis         PipelineAgent = "analysis"
	AgentDocumentAnalysis PipelineAgent = "document_analysis"
	AgentLinkAnalysis     PipelineAgent = "link_analysis"
	AgentAssistant        PipelineAgent = "assistant"
	AgentFolder           PipelineAgent = "folder"
	AgentCrossReference   PipelineAgent = "cross_reference"
	AgentAnalytics        PipelineAgent = "analytics"
	AgentChat             PipelineAgent = "chat"
)

// PipelineParams describe a pipeline for RunPipeline.
type PipelineParams struct {
	Steps       []PipelineStep // 1 to 10, in order
	ImageIDs    []string       // seed images, instead of a search step
	DocumentIDs []string       // seed documents, instead of a search step
}

// PipelineStep is one step of a pipeline.
type PipelineStep struct {
	Agent  PipelineAgent `json:"agent"`
	Intent string        `json:"intent"` // what the step should do, 1–2,000 characters
	// DependsOn lists the 0-based indexes of earlier steps this one waits
	// for; empty lets the server wire it by data type.
	DependsOn []int `json:"depends_on,omitempty"`
}

// PipelineResult is the answer to RunPipeline.
type PipelineResult struct {
	Success         bool           `json:"success"`
	Nodes           []PipelineNode `json:"nodes"` // one per step, in execution order
	ExecutionTimeMS int            `json:"execution_time_ms"`
	TotalWaves      int            `json:"total_waves"` // rounds of steps run in parallel
	Errors          []string       `json:"errors"`
	TokenUsage      *TokenUsage    `json:"token_usage"`
}

// Final returns the last node, the pipeline's outcome, or nil when there
// is none.
func (r *PipelineResult) Final() *PipelineNode {
	if len(r.Nodes) == 0 {
		return nil
	}
	return &r.Nodes[len(r.Nodes)-1]
}

// PipelineNode is the result of one step of a pipeline.
type PipelineNode struct {
	NodeID          string         `json:"node_id"`
	Agent           PipelineAgent  `json:"agent"`
	Status          string         `json:"status"` // pending, completed, failed or skipped
	Summary         string         `json:"summary"`
	Outputs         map[string]any `json:"outputs"` // e.g. image_ids, count, folders_created
	Error           string         `json:"error"`
	ExecutionTimeMS int            `json:"execution_time_ms"`
}
