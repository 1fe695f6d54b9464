package scopix

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Wire sources: the chat/sessions paths and bodies are documented
// (predecessor api/chat.md; Scopix, spec chat-sse-config-errors.md §3.2).

// ChatService runs agentic chat sessions under /chat.
type ChatService service

// Limits the API enforces, checked before anything is sent: documented
// (predecessor api/chat.md; the message length: Scopix, spec
// chat-sse-config-errors.md §3.2).
const (
	maxSessionTitleChars  = 255
	maxChatMessageChars   = 10000
	maxSessionImageIDs    = 1000
	maxSessionDocumentIDs = 100
	maxSessionVideoIDs    = 100
	maxSessionSearchChars = 200
	maxSessionPageSize    = 100
	maxMessageLimit       = 1000
)

// sessionPath is the path of session id, or the *ValidationError that
// refuses the id.
func sessionPath(id string) (string, error) {
	seg, err := idSegment("session_id", id)
	return "chat/sessions/" + seg, err
}

// CreateSession starts a chat session (POST /chat/sessions). With no image
// ids the session sees all of the tenant's images; with ImageIDs it sees
// only those (unless UseAllImages says otherwise). The request is not
// retried once the server may have acted on it, so a session is never
// created twice.
//
// Go's counterpart of the Python SDK's session context manager (async with
// client.chat_session()) is a deferred CloseSession:
//
//	sess, err := client.Chat.CreateSession(ctx, nil)
//	if err != nil {
//		return err
//	}
//	defer client.Chat.CloseSession(context.WithoutCancel(ctx), sess.ID)
//
// Errors: *ValidationError (title over 255 characters, more than 1,000
// image ids, an empty id), *AuthenticationError, *RateLimitError, and the
// other HTTP errors.
func (s *ChatService) CreateSession(ctx context.Context, p *CreateSessionParams) (*ChatSession, error) {
	if p == nil {
		p = &CreateSessionParams{}
	}
	if utf8.RuneCountInString(p.Title) > maxSessionTitleChars {
		return nil, validationError("title", fmt.Sprintf("must be at most %d characters", maxSessionTitleChars))
	}
	if err := checkChatIDs("image_ids", p.ImageIDs, maxSessionImageIDs); err != nil {
		return nil, err
	}
	useAll := len(p.ImageIDs) == 0
	if p.UseAllImages != nil {
		useAll = *p.UseAllImages
	}
	body := struct {
		Title           string   `json:"title,omitempty"`
		InitialImageIDs []string `json:"initial_image_ids,omitempty"`
		UseAllImages    bool     `json:"use_all_images"`
		Domain          string   `json:"domain,omitempty"`
		ProjectID       string   `json:"project_id,omitempty"`
	}{p.Title, p.ImageIDs, useAll, string(p.Domain), p.ProjectID}
	return sendJSON[ChatSession](ctx, s.client, http.MethodPost, "chat/sessions", body)
}

// ListSessions returns one page of chat sessions (GET /chat/sessions).
// Errors: *ValidationError (search over 200 characters, limit above 100,
// negative offset or minimum), *AuthenticationError and the other HTTP errors.
func (s *ChatService) ListSessions(ctx context.Context, p *ChatSessionListParams) (*ChatSessionList, error) {
	if p == nil {
		p = &ChatSessionListParams{}
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	return getJSON[ChatSessionList](ctx, s.client, "chat/sessions", p.query())
}

// ListAllSessions iterates over every session matching p, fetching pages
// of p.Limit (default 100) as the loop advances. p is copied, never
// modified. The iteration stops after yielding an error, and no further
// page is fetched once the loop breaks. Errors as ListSessions.
func (s *ChatService) ListAllSessions(ctx context.Context, p *ChatSessionListParams) iter.Seq2[ChatSession, error] {
	var page ChatSessionListParams
	if p != nil {
		page = *p
	}
	if page.Limit == 0 {
		page.Limit = maxSessionPageSize
	}
	return pages(page.Offset, func(offset int) ([]ChatSession, bool, error) {
		params := page
		params.Offset = offset
		list, err := s.ListSessions(ctx, &params)
		if err != nil {
			return nil, false, err
		}
		return list.Items, list.HasMore, nil
	})
}

// GetSession returns a session with its messages and context (GET
// /chat/sessions/{id}). Errors: *ValidationError (empty id, message limit
// outside 1–1000), *ResourceNotFoundError, and the other HTTP errors.
func (s *ChatService) GetSession(ctx context.Context, id string, p *GetSessionParams) (*ChatSessionDetail, error) {
	path, err := sessionPath(id)
	if err != nil {
		return nil, err
	}
	if p == nil {
		p = &GetSessionParams{}
	}
	if p.MessageLimit < 0 || p.MessageLimit > maxMessageLimit {
		return nil, validationError("message_limit", fmt.Sprintf("must be between 1 and %d (0: server default)", maxMessageLimit))
	}
	q := url.Values{}
	if p.IncludeMessages != nil {
		q.Set("include_messages", strconv.FormatBool(*p.IncludeMessages))
	}
	if p.MessageLimit > 0 {
		q.Set("message_limit", strconv.Itoa(p.MessageLimit))
	}
	out, err := getJSON[ChatSessionDetail](ctx, s.client, path, q)
	if err != nil {
		return nil, err
	}
	for i := range out.Messages {
		m := &out.Messages[i]
		m.ResolvedContent = resolvedText(m.Content, m.ResolvedContent, m.Metadata)
	}
	return out, nil
}

// Messages returns the messages of a session, oldest first, at most limit
// of them (0: the server's default) (GET /chat/sessions/{id}). Each
// message's ResolvedContent is its text with the citation markup resolved
// (see ResolveContent). Errors as GetSession.
func (s *ChatService) Messages(ctx context.Context, id string, limit int) ([]ChatMessage, error) {
	detail, err := s.GetSession(ctx, id, &GetSessionParams{IncludeMessages: Ptr(true), MessageLimit: limit})
	if err != nil {
		return nil, err
	}
	return detail.Messages, nil
}

// RenameSession sets a session's title (PATCH /chat/sessions/{id}/title).
// Errors: *ValidationError (empty id, title empty or over 255 characters),
// *ResourceNotFoundError, and the other HTTP errors.
func (s *ChatService) RenameSession(ctx context.Context, id, title string) (*SessionRenameResult, error) {
	path, err := sessionPath(id)
	if err != nil {
		return nil, err
	}
	if n := utf8.RuneCountInString(title); n == 0 || n > maxSessionTitleChars {
		return nil, validationError("title", fmt.Sprintf("must be 1 to %d characters", maxSessionTitleChars))
	}
	return sendJSON[SessionRenameResult](ctx, s.client, http.MethodPatch, path+"/title", map[string]string{"title": title})
}

// CloseSession closes a session (DELETE /chat/sessions/{id}). The session
// and its messages are kept; it no longer takes messages. Deferred right
// after CreateSession, it is the equivalent of the Python SDK's session
// context manager (see CreateSession). Errors:
// *ValidationError (empty id), *ResourceNotFoundError, and the other HTTP errors.
func (s *ChatService) CloseSession(ctx context.Context, id string) (*SessionCloseResult, error) {
	path, err := sessionPath(id)
	if err != nil {
		return nil, err
	}
	return sendJSON[SessionCloseResult](ctx, s.client, http.MethodDelete, path, nil)
}

// SetImages replaces the images a session looks at (PUT
// /chat/sessions/{id}/images). Errors: *ValidationError (empty id, more than
// 1,000 ids), *ResourceNotFoundError, and the other HTTP errors.
func (s *ChatService) SetImages(ctx context.Context, id string, imageIDs []string) (*SessionImagesResult, error) {
	return setSelection[SessionImagesResult](ctx, s, id, "images", "image_ids", imageIDs, maxSessionImageIDs)
}

// SetDocuments replaces the documents a session looks at (PUT
// /chat/sessions/{id}/documents). Documents are also found through search
// without being set here. Errors: *ValidationError (empty id, more than 100
// ids), *ResourceNotFoundError, and the other HTTP errors.
func (s *ChatService) SetDocuments(ctx context.Context, id string, documentIDs []string) (*SessionDocumentsResult, error) {
	return setSelection[SessionDocumentsResult](ctx, s, id, "documents", "document_ids", documentIDs, maxSessionDocumentIDs)
}

// SetVideos replaces the videos a session looks at (PUT
// /chat/sessions/{id}/videos). Errors: *ValidationError (empty id, more than
// 100 ids), *ResourceNotFoundError, and the other HTTP errors.
func (s *ChatService) SetVideos(ctx context.Context, id string, videoIDs []string) (*SessionVideosResult, error) {
	return setSelection[SessionVideosResult](ctx, s, id, "videos", "video_ids", videoIDs, maxSessionVideoIDs)
}

// SetMode switches a session between all of the tenant's images
// (useAllImages true) and only its selected images (PATCH
// /chat/sessions/{id}/mode). Errors: *ValidationError (empty id),
// *ResourceNotFoundError, and the other HTTP errors.
func (s *ChatService) SetMode(ctx context.Context, id string, useAllImages bool) (*SessionModeResult, error) {
	path, err := sessionPath(id)
	if err != nil {
		return nil, err
	}
	return sendJSON[SessionModeResult](ctx, s.client, http.MethodPatch, path+"/mode", map[string]bool{"use_all_images": useAllImages})
}

// Export returns a session's transcript as a stream (GET
// /chat/sessions/{id}/export?format=); format "" means markdown. The body
// is not buffered: read it and Close it; a body silent for longer than the
// attempt timeout ends the read with a *TimeoutError. Errors: *ValidationError (empty id,
// unknown format), *ResourceNotFoundError, and the other HTTP errors.
func (s *ChatService) Export(ctx context.Context, id string, format ExportFormat) (io.ReadCloser, error) {
	path, err := sessionPath(id)
	if err != nil {
		return nil, err
	}
	switch format {
	case "":
		format = ExportMarkdown
	case ExportMarkdown, ExportJSON, ExportText:
	default:
		return nil, validationError("format", "must be markdown, json or text")
	}
	req, err := s.client.newRequest(http.MethodGet, path+"/export", nil)
	if err != nil {
		return nil, err
	}
	req.query = url.Values{"format": {string(format)}}
	return s.client.stream(ctx, req)
}

// Send sends a message and waits for the whole answer (POST
// /chat/sessions/{id}/messages). The answer's ResolvedContent is its text
// with the citation markup resolved (see ResolveContent); References lists
// the citations. It is not retried once the server may have
// acted on it, so a message is never sent twice. Errors: *ValidationError
// (empty session id, message empty or over 10,000 characters, more than
// 1,000 expected image ids), *ResourceNotFoundError, *RateLimitError (also
// the session's token limit), *QuotaExceededError, and the other HTTP errors.
func (s *ChatService) Send(ctx context.Context, sessionID, message string, p *SendParams) (*ChatResponse, error) {
	if p == nil {
		p = &SendParams{}
	}
	path, err := sessionPath(sessionID)
	if err != nil {
		return nil, err
	}
	if err := checkChatSend(message, p); err != nil {
		return nil, err
	}
	out, err := sendJSON[ChatResponse](ctx, s.client, http.MethodPost, path+"/messages", newChatSendBody(message, p))
	if err != nil {
		return nil, err
	}
	if out.SessionID == "" {
		out.SessionID = sessionID
	}
	out.ResolvedContent = resolvedText(out.Content, out.ResolvedContent, out.Metadata)
	return out, nil
}

// setSelection replaces one of a session's id lists (PUT
// /chat/sessions/{id}/{kind} with {field: ids}).
func setSelection[T any](ctx context.Context, s *ChatService, id, kind, field string, ids []string, limit int) (*T, error) {
	path, err := sessionPath(id)
	if err != nil {
		return nil, err
	}
	if err := checkChatIDs(field, ids, limit); err != nil {
		return nil, err
	}
	return sendJSON[T](ctx, s.client, http.MethodPut, path+"/"+kind, map[string][]string{field: chatIDList(ids)})
}

func chatIDList(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}

// checkChatIDs rejects more than limit ids and empty ids.
func checkChatIDs(field string, ids []string, limit int) error {
	if len(ids) > limit {
		return validationError(field, fmt.Sprintf("at most %d ids, got %d", limit, len(ids)))
	}
	return checkIDs(field, ids)
}

func checkChatSend(message string, p *SendParams) error {
	if strings.TrimSpace(message) == "" {
		return validationError("message", "must not be empty")
	}
	if utf8.RuneCountInString(message) > maxChatMessageChars {
		return validationError("message", fmt.Sprintf("must be at most %d characters", maxChatMessageChars))
	}
	if err := checkDuration("idle_timeout", p.IdleTimeout); err != nil {
		return err
	}
	return checkChatIDs("expected_image_ids", p.ExpectedImageIDs, maxSessionImageIDs)
}

type chatSendBody struct {
	Message               string   `json:"message"`
	ForceDetailedAnalysis bool     `json:"force_detailed_analysis"`
	ExpectedImageIDs      []string `json:"expected_image_ids,omitempty"`
}

func newChatSendBody(message string, p *SendParams) chatSendBody {
	return chatSendBody{Message: message, ForceDetailedAnalysis: p.ForceDetailedAnalysis, ExpectedImageIDs: p.ExpectedImageIDs}
}

func (p *ChatSessionListParams) validate() error {
	switch {
	case utf8.RuneCountInString(p.Search) > maxSessionSearchChars:
		return validationError("search", fmt.Sprintf("must be at most %d characters", maxSessionSearchChars))
	case p.Limit < 0 || p.Limit > maxSessionPageSize:
		return validationError("limit", fmt.Sprintf("must be between 1 and %d (0: server default)", maxSessionPageSize))
	case p.Offset < 0:
		return validationError("offset", "must not be negative")
	case p.MinMessages < 0:
		return validationError("min_messages", "must not be negative")
	}
	return nil
}

func (p *ChatSessionListParams) query() url.Values {
	q := url.Values{}
	if p.Search != "" {
		q.Set("search", p.Search)
	}
	if p.IsActive != nil {
		q.Set("is_active", strconv.FormatBool(*p.IsActive))
	}
	if p.MinMessages > 0 {
		q.Set("min_messages", strconv.Itoa(p.MinMessages))
	}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Offset > 0 {
		q.Set("offset", strconv.Itoa(p.Offset))
	}
	return q
}

// ---- streaming ----

// CreateSessionParams are the options of CreateSession.
type CreateSessionParams struct {
	Title    string   // at most 255 characters
	ImageIDs []string // the images the session looks at (at most 1,000)
	// UseAllImages makes the session see every image of the tenant. Default:
	// true when ImageIDs is empty, false otherwise.
	UseAllImages *bool
	Domain       ChatDomain // tailors agent behaviour (default general)
	ProjectID    string     // scopes file queries to a project
}

// ChatDomain tailors agent behaviour to a field of work.
type ChatDomain string

// Chat domains.
const (
	ChatDomainGeneral            ChatDomain = "general"
	ChatDomainCivilEngineering   ChatDomain = "civil_engineering"
	ChatDomainMaps               ChatDomain = "maps"
	ChatDomainMining             ChatDomain = "mining"
	ChatDomainConstruction       ChatDomain = "construction"
	ChatDomainFacilityAssessment ChatDomain = "facility_assessment"
)

// Earlier names of the ChatDomain values, kept so existing code compiles.
const (
	// Deprecated: use ChatDomainGeneral.
	DomainGeneral = ChatDomainGeneral
	// Deprecated: use ChatDomainCivilEngineering.
	DomainCivilEngineering = ChatDomainCivilEngineering
	// Deprecated: use ChatDomainMaps.
	DomainMaps = ChatDomainMaps
	// Deprecated: use ChatDomainMining.
	DomainMining = ChatDomainMining
	// Deprecated: use ChatDomainConstruction.
	DomainConstruction = ChatDomainConstruction
	// Deprecated: use ChatDomainFacilityAssessment.
	DomainFacilityAssessment = ChatDomainFacilityAssessment
)

// ChatSession is a chat session's summary. The API names its id
// "session_id" in some answers and "id" in others; both land in ID.
type ChatSession struct {
	ID                 string     `json:"id"`
	Title              string     `json:"title"`
	Domain             ChatDomain `json:"domain"`
	ProjectID          string     `json:"project_id"`
	TotalMessages      int        `json:"total_messages"`
	TotalTokens        int        `json:"total_tokens"`
	RemainingTokens    int        `json:"remaining_tokens"`
	RemainingMessages  int        `json:"remaining_messages"`
	IsActive           bool       `json:"is_active"`
	UseAllImages       bool       `json:"use_all_images"`
	SelectedImageCount int        `json:"selected_image_count"`
	CreatedAt          Time       `json:"created_at"`
	UpdatedAt          Time       `json:"updated_at"`
	LastMessageAt      Time       `json:"last_message_at"`      // zero when there are no messages
	LastMessagePreview string     `json:"last_message_preview"` // empty when there are no messages
	LastUserMessage    string     `json:"last_user_message"`    // empty when there are no messages
	// ContextSummary is the server's summary of what the session can see
	// (GetSession); null when there is none. Kept as sent: its shape is
	// not documented beyond null and text.
	ContextSummary json.RawMessage `json:"context_summary"`
}

// UnmarshalJSON accepts the id as "id" or "session_id".
func (s *ChatSession) UnmarshalJSON(data []byte) error {
	type plain ChatSession
	var aux struct {
		plain
		SessionID string `json:"session_id"`
	}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	*s = ChatSession(aux.plain)
	if s.ID == "" {
		s.ID = aux.SessionID
	}
	return nil
}

// ChatSessionListParams filter and page ListSessions.
type ChatSessionListParams struct {
	Search      string // matches titles and message text (at most 200 characters)
	IsActive    *bool  // only open (true) or closed (false) sessions
	MinMessages int    // only sessions with at least this many messages
	Limit       int    // page size, 1–100 (0: server default 20; ListAllSessions: 100)
	Offset      int
}

// ChatSessionList is one page of sessions.
type ChatSessionList struct {
	Items      []ChatSession `json:"items"`
	TotalCount int           `json:"total_count"`
	HasMore    bool          `json:"has_more"`
}

// UnmarshalJSON accepts the list under "sessions" (documented) or "items",
// and the total as "total_count" or "total".
func (l *ChatSessionList) UnmarshalJSON(data []byte) error {
	page, err := decodeListPage[ChatSession](data, listKeySessions, listKeyItems)
	if err != nil {
		return err
	}
	*l = ChatSessionList(page)
	return nil
}

// GetSessionParams are the options of GetSession.
type GetSessionParams struct {
	IncludeMessages *bool // default true
	MessageLimit    int   // 1–1000 (0: server default)
}

// ChatSessionDetail is a session with its messages and context.
type ChatSessionDetail struct {
	Session                ChatSession     `json:"session"`
	Messages               []ChatMessage   `json:"messages"`
	SelectedImageIDs       []string        `json:"selected_image_ids"`
	SelectedVideoIDs       []string        `json:"selected_video_ids"`
	SelectedDocumentIDs    []string        `json:"selected_document_ids"`
	CurrentSearchResultIDs []string        `json:"current_search_result_ids"`
	ContextSummary         json.RawMessage `json:"context_summary"`
}

// MessageRole says who wrote a message.
type MessageRole string

// Message roles.
const (
	MessageRoleUser      MessageRole = "user"
	MessageRoleAssistant MessageRole = "assistant"
	MessageRoleSystem    MessageRole = "system"
)

// Earlier names of the MessageRole values, kept so existing code compiles.
const (
	// Deprecated: use MessageRoleUser.
	RoleUser = MessageRoleUser
	// Deprecated: use MessageRoleAssistant.
	RoleAssistant = MessageRoleAssistant
	// Deprecated: use MessageRoleSystem.
	RoleSystem = MessageRoleSystem
)

// ChatMessage is one message of a session.
type ChatMessage struct {
	ID               string           `json:"id"`
	Role             MessageRole      `json:"role"`
	Content          string           `json:"content"`
	TokenCount       int              `json:"token_count"`
	ProcessingTimeMS int              `json:"processing_time_ms"`
	CreatedAt        Time             `json:"created_at"`
	Provider         string           `json:"provider"`
	Model            string           `json:"model"`
	ImageContext     []ImageReference `json:"image_context"`
	Metadata         map[string]any   `json:"metadata"` // flags and citation data (result_refs, ...)
	// ResolvedContent is Content with its citation markup resolved (see
	// ResolveContent); set by GetSession and Messages.
	ResolvedContent string `json:"resolved_content"`
}

// References lists the citations of the message, with full ids found in
// its metadata and image context (see ParseReferences).
func (m *ChatMessage) References() References {
	return ParseReferences(m.Content, withImageContext(m.Metadata, m.ImageContext))
}

// ResultRefs returns the result sets its [[ref:KEY]] markers stand for,
// from the metadata's result_refs.
func (m *ChatMessage) ResultRefs() map[string]ResultRef { return resultRefsOf(m.Metadata) }

// ImageReference is an image an answer or a search refers to.
type ImageReference struct {
	ImageID      string  `json:"image_id"`
	Filename     string  `json:"filename"`
	Title        string  `json:"title"`
	Description  string  `json:"description"`
	Confidence   float64 `json:"confidence"`
	ThumbnailURL string  `json:"thumbnail_url"`
	StoredURL    string  `json:"stored_url"`
}

// SendParams are the options of Send and Stream.
type SendParams struct {
	ForceDetailedAnalysis bool     // high-resolution visual analysis
	ExpectedImageIDs      []string // lets the server repair a drifted image selection
	DebugReasoning        bool     // Stream: add agent reasoning to thinking_step events
	NoReconnect           bool     // Stream: end with *SSEStreamError instead of resuming a dropped stream
	// IdleTimeout is how long Stream waits for a byte before treating the
	// stream as dropped (default DefaultStreamIdleTimeout).
	IdleTimeout time.Duration
}

// ChatResponse is a whole answer: from Send, or from CollectStream.
type ChatResponse struct {
	MessageID         string           `json:"message_id"`
	SessionID         string           `json:"session_id"`
	Content           string           `json:"content"`
	ResolvedContent   string           `json:"resolved_content"` // Content with citation markup resolved
	TokenCount        int              `json:"token_count"`
	Provider          string           `json:"provider"`
	Model             string           `json:"model"`
	ProcessingTimeMS  int              `json:"processing_time_ms"`
	RemainingTokens   int              `json:"remaining_tokens"`
	RemainingMessages int              `json:"remaining_messages"`
	Images            []ImageReference `json:"images"`
	AgentsUsed        []string         `json:"agents_used"`
	Metadata          map[string]any   `json:"metadata"` // flags and citation data (result_refs, ...)
}

// References lists the citations of the answer, with full ids found in its
// metadata and images (see ParseReferences).
func (r *ChatResponse) References() References {
	return ParseReferences(r.Content, withImageContext(r.Metadata, r.Images))
}

// ResultRefs returns the result sets its [[ref:KEY]] markers stand for,
// from the metadata's result_refs.
func (r *ChatResponse) ResultRefs() map[string]ResultRef { return resultRefsOf(r.Metadata) }

// SessionRenameResult is the answer to RenameSession.
type SessionRenameResult struct {
	SessionID string `json:"session_id"`
	Title     string `json:"title"`
	UpdatedAt Time   `json:"updated_at"`
}

// SessionCloseResult is the answer to CloseSession.
type SessionCloseResult struct {
	SessionID     string `json:"session_id"`
	ClosedAt      Time   `json:"closed_at"`
	TotalMessages int    `json:"total_messages"`
	TotalTokens   int    `json:"total_tokens"`
}

// SessionImagesResult is the answer to SetImages.
type SessionImagesResult struct {
	SessionID        string          `json:"session_id"`
	SelectedImageIDs []string        `json:"selected_image_ids"`
	ContextSummary   json.RawMessage `json:"context_summary"`
	EstimatedTokens  int             `json:"estimated_tokens"`
}

// SessionDocumentsResult is the answer to SetDocuments.
type SessionDocumentsResult struct {
	SessionID           string   `json:"session_id"`
	SelectedDocumentIDs []string `json:"selected_document_ids"`
	DocumentCount       int      `json:"document_count"`
}

// SessionVideosResult is the answer to SetVideos.
type SessionVideosResult struct {
	SessionID        string   `json:"session_id"`
	SelectedVideoIDs []string `json:"selected_video_ids"`
	VideoCount       int      `json:"video_count"`
}

// SessionModeResult is the answer to SetMode.
type SessionModeResult struct {
	SessionID          string `json:"session_id"`
	UseAllImages       bool   `json:"use_all_images"`
	SelectedImageCount int    `json:"selected_image_count"`
	UpdatedAt          Time   `json:"updated_at"`
}

// ExportFormat is the format of an exported transcript.
type ExportFormat string

// Export formats.
const (
	ExportMarkdown ExportFormat = "markdown"
	ExportJSON     ExportFormat = "json"
	ExportText     ExportFormat = "text"
)
