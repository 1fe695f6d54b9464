package fakeapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Chat sessions keep real state: messages, selected images, documents and
// videos, a mode and an open/closed flag. A streamed answer is remembered
// per session so a re-POST carrying Last-Event-ID resumes it after that id
// instead of posting the message again. Answers are deterministic: the same
// message in the same session context gives the same text, so a resumed
// stream can be compared with an undisturbed one.

const (
	chatTokenBudget   = 100000
	chatMessageBudget = 200
)

type chatState struct {
	sessions map[string]*chatSession
	order    []string
	listKey  string // "items" (default) or "sessions"

	dropConnections int // stream connections that may still drop; 0: every one
	dropLimited     bool
	stall           *streamStall
	failure         *streamFailure
	stats           ChatStreamStats

	plans             map[string]*chatPlan
	plansInBackground bool
}

func (st *chatState) init() {
	st.sessions = map[string]*chatSession{}
	st.plans = map[string]*chatPlan{}
	st.listKey = "items"
}

type chatSession struct {
	id, title, domain, projectID string
	useAllImages                 bool
	imageIDs, documentIDs        []string
	videoIDs                     []string
	messages                     []chatMessage
	totalTokens                  int
	createdAt, updatedAt         time.Time
	closedAt                     time.Time
	lastAnswer                   *chatAnswer // the most recent streamed answer, for resuming
}

type chatMessage struct {
	id, role, content string
	tokenCount        int
	createdAt         time.Time
	imageContext      []map[string]any
	metadata          map[string]any
}

// chatAnswer is an assistant answer: its text with citation markup cut
// into tokens, the same text resolved, and the context the events report.
type chatAnswer struct {
	messageID  string
	content    string
	resolved   string
	tokens     []string
	images     []map[string]any
	resultRefs map[string]any
	metadata   map[string]any
	plan       *chatPlan // proposed, waiting for approval
	debug      bool
}

// citedText writes an answer twice: with the citation markup the API puts
// in content ([[ref:KEY]], [[img:ID|name]], [[doc:ID|name|p:N]]), and as
// the plain text the API sends as resolved_content (api/chat.md).
type citedText struct{ raw, plain strings.Builder }

func (c *citedText) text(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	c.raw.WriteString(s)
	c.plain.WriteString(s)
}

func (c *citedText) cite(marker, plain string) {
	c.raw.WriteString(marker)
	c.plain.WriteString(plain)
}

// shortID is the id prefix the API writes in citation markup.
func shortID(id string) string { return id[:min(len(id), 12)] }

// streamStall makes one stream connection go silent.
type streamStall struct {
	after int
	d     time.Duration
}

// streamFailure makes one stream end with an error event.
type streamFailure struct {
	eventType, code, message string
}

// ChatStreamStats count what the chat streaming endpoint did.
type ChatStreamStats struct {
	Opened     int // stream connections answered with 200
	Resumed    int // of those, connections that resumed after a Last-Event-ID
	Completed  int // connections that sent close
	Dropped    int // connections the server dropped on purpose (DropStreamAfter)
	Stalled    int // connections that went silent on purpose (StallStream)
	Failed     int // connections that sent an injected error event (FailStream)
	ClientGone int // connections the client closed before the server finished
}

// DropStreamConnections limits DropStreamAfter to the next n stream
// connections; later connections run to the end. n <= 0 makes every
// connection drop (the default).
func (s *Server) DropStreamConnections(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.chat.dropConnections = n
	s.state.chat.dropLimited = n > 0
}

// StallStream makes the next chat stream connection send nothing at all,
// pings included, for d after its first afterEvents events, then go on.
func (s *Server) StallStream(afterEvents int, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.chat.stall = &streamStall{after: afterEvents, d: d}
}

// FailStream makes the next new chat stream send connection and thinking,
// then an event of eventType ("error" or "auth_error") with code and
// message, and end.
func (s *Server) FailStream(eventType, code, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.chat.failure = &streamFailure{eventType: eventType, code: code, message: message}
}

// SetChatListKey sets the key under which GET /chat/sessions lists
// sessions: "items" (the default) or "sessions".
func (s *Server) SetChatListKey(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.chat.listKey = key
}

// ChatStreamStats returns the chat streaming counters.
func (s *Server) ChatStreamStats() ChatStreamStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state.chat.stats
}

// chatRoutes are the routes chat.go serves.
func (s *Server) chatRoutes() []route {
	return []route{
		{"POST /chat/sessions", s.handleCreateSession},
		{"GET /chat/sessions", s.handleListSessions},
		{"GET /chat/sessions/{id}", s.handleGetSession},
		{"PATCH /chat/sessions/{id}/title", s.handleRenameSession},
		{"DELETE /chat/sessions/{id}", s.handleCloseSession},
		{"PATCH /chat/sessions/{id}/mode", s.handleSessionMode},
		{"PUT /chat/sessions/{id}/images", s.handleSessionIDs("image_ids", 1000)},
		{"PUT /chat/sessions/{id}/documents", s.handleSessionIDs("document_ids", 100)},
		{"PUT /chat/sessions/{id}/videos", s.handleSessionIDs("video_ids", 100)},
		{"GET /chat/sessions/{id}/export", s.handleExportSession},
		{"POST /chat/sessions/{id}/messages", s.handleSendMessage},
		{"POST /chat/sessions/{id}/messages/stream", s.handleStreamMessage},
	}
}

// validationDetail answers 422 in FastAPI's shape for a body field.
func validationDetail(w http.ResponseWriter, field, msg string) { fastAPIError(w, "body", field, msg) }

// queryError answers 422 in FastAPI's shape for a query parameter.
func queryError(w http.ResponseWriter, param, msg string) { fastAPIError(w, "query", param, msg) }

// queryEnum reads query parameter name, def when absent; a value outside
// allowed is answered with FastAPI's 422 and reported false.
func queryEnum(w http.ResponseWriter, r *http.Request, name, def string, allowed ...string) (string, bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, true
	}
	if !slices.Contains(allowed, v) {
		queryError(w, name, "must be "+strings.Join(allowed[:len(allowed)-1], ", ")+" or "+allowed[len(allowed)-1])
		return "", false
	}
	return v, true
}

func fastAPIError(w http.ResponseWriter, where, name, msg string) {
	writeDetail(w, http.StatusUnprocessableEntity, []string{where, name}, msg, "value_error")
}

// sessionLocked finds a session or answers 404; the caller holds the lock.
func (s *Server) sessionLocked(w http.ResponseWriter, r *http.Request) *chatSession {
	sess := s.state.chat.sessions[r.PathValue("id")]
	if sess == nil {
		WriteErrorDetails(w, http.StatusNotFound, "NOT_FOUND", "Chat session not found",
			map[string]any{"resource_type": "chat_session", "resource_id": r.PathValue("id")})
	}
	return sess
}

func (s *Server) handleCreateSession(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Title           string   `json:"title"`
		InitialImageIDs []string `json:"initial_image_ids"`
		UseAllImages    *bool    `json:"use_all_images"`
		Domain          string   `json:"domain"`
		ProjectID       string   `json:"project_id"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	useAll := body.UseAllImages == nil || *body.UseAllImages
	switch {
	case utf8.RuneCountInString(body.Title) > 255:
		validationDetail(w, "title", "ensure this value has at most 255 characters")
		return
	case !useAll && len(body.InitialImageIDs) > 1000:
		validationDetail(w, "initial_image_ids", "ensure this list has at most 1000 items")
		return
	}
	if body.Domain == "" {
		body.Domain = "general"
	}
	now := time.Now().UTC()
	sess := &chatSession{id: s.NewID("chat"), title: body.Title, domain: body.Domain, projectID: body.ProjectID,
		useAllImages: useAll, imageIDs: append([]string(nil), body.InitialImageIDs...), createdAt: now, updatedAt: now}
	if sess.title == "" {
		sess.title = "New chat"
	}
	s.Lock()
	s.state.chat.sessions[sess.id] = sess
	s.state.chat.order = append(s.state.chat.order, sess.id)
	s.Unlock()
	WriteJSON(w, http.StatusCreated, map[string]any{"session_id": sess.id, "title": sess.title,
		"domain": sess.domain, "project_id": nullable(sess.projectID), "created_at": sess.createdAt})
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (sess *chatSession) summary() map[string]any {
	m := map[string]any{
		"id": sess.id, "title": sess.title, "domain": sess.domain, "project_id": nullable(sess.projectID),
		"total_messages": len(sess.messages), "total_tokens": sess.totalTokens,
		"remaining_tokens":     max(chatTokenBudget-sess.totalTokens, 0),
		"remaining_messages":   max(chatMessageBudget-len(sess.messages), 0),
		"is_active":            sess.closedAt.IsZero(),
		"use_all_images":       sess.useAllImages,
		"selected_image_count": len(sess.imageIDs),
		"created_at":           sess.createdAt, "updated_at": sess.updatedAt,
		"last_message_at": nil, "last_message_preview": nil, "last_user_message": nil,
	}
	if n := len(sess.messages); n > 0 {
		last := sess.messages[n-1]
		m["last_message_at"] = NaiveTime(last.createdAt) // FastAPI's naive form
		m["last_message_preview"] = preview(last.content)
		for i := n - 1; i >= 0; i-- {
			if sess.messages[i].role == "user" {
				m["last_user_message"] = preview(sess.messages[i].content)
				break
			}
		}
	}
	return m
}

func preview(s string) string {
	if utf8.RuneCountInString(s) <= 100 {
		return s
	}
	return string([]rune(s)[:100]) + "…"
}

func (m chatMessage) wire() map[string]any {
	md := m.metadata
	if md == nil {
		md = map[string]any{}
	}
	out := map[string]any{"id": m.id, "role": m.role, "content": m.content, "token_count": m.tokenCount,
		"created_at": NaiveTime(m.createdAt), "metadata": md} // FastAPI's naive form
	if m.role == "assistant" {
		out["provider"] = "fake"
		out["model"] = "fake-chat-1"
		out["image_context"] = m.imageContext
	}
	return out
}

func (sess *chatSession) matches(search string) bool {
	if search == "" {
		return true
	}
	search = strings.ToLower(search)
	if strings.Contains(strings.ToLower(sess.title), search) {
		return true
	}
	for _, m := range sess.messages {
		if strings.Contains(strings.ToLower(m.content), search) {
			return true
		}
	}
	return false
}

func (s *Server) handleListSessions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, offset, minMessages := 20, 0, 0
	for _, p := range []struct {
		name string
		dst  *int
		min  int
		max  int
	}{{"limit", &limit, 1, 100}, {"offset", &offset, 0, 1 << 30}, {"min_messages", &minMessages, 0, 1 << 30}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < p.min || n > p.max {
				queryError(w, p.name, "out of range")
				return
			}
			*p.dst = n
		}
	}
	search := q.Get("search")
	active := q.Get("is_active")
	s.Lock()
	var matched []map[string]any
	for i := len(s.state.chat.order) - 1; i >= 0; i-- {
		sess := s.state.chat.sessions[s.state.chat.order[i]]
		if !sess.matches(search) || len(sess.messages) < minMessages {
			continue
		}
		if active != "" && strconv.FormatBool(sess.closedAt.IsZero()) != active {
			continue
		}
		matched = append(matched, sess.summary())
	}
	key := s.state.chat.listKey
	s.Unlock()
	total := len(matched)
	page := matched[min(offset, total):min(offset+limit, total)]
	if page == nil {
		page = []map[string]any{}
	}
	WriteJSON(w, http.StatusOK, map[string]any{key: page, "total_count": total, "has_more": offset+len(page) < total})
}

func (s *Server) handleGetSession(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 0
	if v := q.Get("message_limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			queryError(w, "message_limit", "out of range")
			return
		}
		limit = n
	}
	s.Lock()
	defer s.Unlock()
	sess := s.sessionLocked(w, r)
	if sess == nil {
		return
	}
	summary := sess.summary()
	contextSummary := fmt.Sprintf("%d images, %d documents, %d videos", len(sess.imageIDs), len(sess.documentIDs), len(sess.videoIDs))
	summary["context_summary"] = contextSummary
	messages := []map[string]any{}
	if q.Get("include_messages") != "false" {
		list := sess.messages
		if limit > 0 && len(list) > limit {
			list = list[len(list)-limit:]
		}
		for _, m := range list {
			messages = append(messages, m.wire())
		}
	}
	WriteJSON(w, http.StatusOK, map[string]any{"session": summary, "messages": messages,
		"selected_image_ids": nonNilIDs(sess.imageIDs), "selected_video_ids": nonNilIDs(sess.videoIDs),
		"selected_document_ids": nonNilIDs(sess.documentIDs), "context_summary": contextSummary})
}

func nonNilIDs(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}

func (s *Server) handleRenameSession(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Title string `json:"title"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	if n := utf8.RuneCountInString(body.Title); n < 1 || n > 255 {
		validationDetail(w, "title", "ensure this value has 1 to 255 characters")
		return
	}
	s.Lock()
	defer s.Unlock()
	sess := s.sessionLocked(w, r)
	if sess == nil {
		return
	}
	sess.title = body.Title
	sess.updatedAt = time.Now().UTC()
	WriteJSON(w, http.StatusOK, map[string]any{"session_id": sess.id, "title": sess.title, "updated_at": sess.updatedAt})
}

func (s *Server) handleCloseSession(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	sess := s.sessionLocked(w, r)
	if sess == nil {
		return
	}
	if sess.closedAt.IsZero() {
		sess.closedAt = time.Now().UTC()
	}
	WriteJSON(w, http.StatusOK, map[string]any{"session_id": sess.id, "closed_at": sess.closedAt,
		"total_messages": len(sess.messages), "total_tokens": sess.totalTokens})
}

func (s *Server) handleSessionMode(w http.ResponseWriter, r *http.Request) {
	var body struct {
		UseAllImages *bool `json:"use_all_images"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	if body.UseAllImages == nil {
		validationDetail(w, "use_all_images", "field required")
		return
	}
	s.Lock()
	defer s.Unlock()
	sess := s.sessionLocked(w, r)
	if sess == nil {
		return
	}
	sess.useAllImages = *body.UseAllImages
	sess.updatedAt = time.Now().UTC()
	WriteJSON(w, http.StatusOK, map[string]any{"session_id": sess.id, "use_all_images": sess.useAllImages,
		"selected_image_count": len(sess.imageIDs), "updated_at": sess.updatedAt})
}

// handleSessionIDs serves PUT images, documents and videos: the body
// {field: [...]} replaces the session's selection.
func (s *Server) handleSessionIDs(field string, limit int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body map[string][]string
		if !ReadJSON(w, r, &body) {
			return
		}
		ids, ok := body[field]
		if !ok {
			validationDetail(w, field, "field required")
			return
		}
		if len(ids) > limit {
			if field == "video_ids" {
				WriteError(w, http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("at most %d videos", limit))
				return
			}
			validationDetail(w, field, fmt.Sprintf("ensure this list has at most %d items", limit))
			return
		}
		s.Lock()
		defer s.Unlock()
		sess := s.sessionLocked(w, r)
		if sess == nil {
			return
		}
		ids = append([]string{}, ids...)
		sess.updatedAt = time.Now().UTC()
		out := map[string]any{"session_id": sess.id}
		switch field {
		case "image_ids":
			sess.imageIDs = ids
			out["selected_image_ids"] = ids
			out["context_summary"] = fmt.Sprintf("%d images selected", len(ids))
			out["estimated_tokens"] = 850 * len(ids)
		case "document_ids":
			sess.documentIDs = ids
			out["selected_document_ids"] = ids
			out["document_count"] = len(ids)
		case "video_ids":
			sess.videoIDs = ids
			out["selected_video_ids"] = ids
			out["video_count"] = len(ids)
		}
		WriteJSON(w, http.StatusOK, out)
	}
}

func (s *Server) handleExportSession(w http.ResponseWriter, r *http.Request) {
	format, ok := queryEnum(w, r, "format", "markdown", "json", "markdown", "text")
	if !ok {
		return
	}
	ext := map[string]string{"markdown": "md", "json": "json", "text": "txt"}[format]
	s.Lock()
	sess := s.sessionLocked(w, r)
	if sess == nil {
		s.Unlock()
		return
	}
	var buf bytes.Buffer
	switch format {
	case "json":
		msgs := []map[string]any{}
		for _, m := range sess.messages {
			msgs = append(msgs, m.wire())
		}
		_ = json.NewEncoder(&buf).Encode(map[string]any{"session": sess.summary(), "messages": msgs})
	case "markdown":
		fmt.Fprintf(&buf, "# %s\n", sess.title)
		for _, m := range sess.messages {
			fmt.Fprintf(&buf, "\n**%s**: %s\n", m.role, m.content)
		}
	default:
		fmt.Fprintf(&buf, "%s\n", sess.title)
		for _, m := range sess.messages {
			fmt.Fprintf(&buf, "\n%s: %s\n", m.role, m.content)
		}
	}
	id := sess.id
	s.Unlock()
	w.Header().Set("Content-Type", map[string]string{"markdown": "text/markdown", "json": "application/json", "text": "text/plain"}[format]+"; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", "chat-"+id+"."+ext))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}

type chatSendRequest struct {
	Message               string   `json:"message"`
	ForceDetailedAnalysis bool     `json:"force_detailed_analysis"`
	ExpectedImageIDs      []string `json:"expected_image_ids"`
}

// readSend decodes and checks a message body, and finds an open session
// (the caller holds the lock after it returns true).
func (s *Server) readSend(w http.ResponseWriter, r *http.Request) (*chatSession, chatSendRequest, bool) {
	var body chatSendRequest
	if !ReadJSON(w, r, &body) {
		return nil, body, false
	}
	if n := utf8.RuneCountInString(body.Message); strings.TrimSpace(body.Message) == "" || n > 10000 {
		validationDetail(w, "message", "ensure this value has 1 to 10000 characters")
		return nil, body, false
	}
	s.Lock()
	sess := s.sessionLocked(w, r)
	if sess == nil {
		s.Unlock()
		return nil, body, false
	}
	if !sess.closedAt.IsZero() {
		s.Unlock()
		WriteError(w, http.StatusBadRequest, "SESSION_CLOSED", "Chat session is closed")
		return nil, body, false
	}
	if len(sess.messages)+2 > chatMessageBudget {
		s.Unlock()
		WriteError(w, http.StatusTooManyRequests, "TOKEN_LIMIT_EXCEEDED", "Session message limit reached")
		return nil, body, false
	}
	return sess, body, true
}

// answerLocked makes the assistant's answer to message and records both
// messages in the session (the caller holds the lock).
func (s *Server) answerLocked(sess *chatSession, body chatSendRequest) *chatAnswer {
	if len(body.ExpectedImageIDs) > 0 && !sess.useAllImages {
		sess.imageIDs = append([]string(nil), body.ExpectedImageIDs...)
	}
	images := s.sessionImagesLocked(sess)
	var text citedText
	text.text("Here is what I found for %q. ", body.Message)
	text.text("The session covers %d images, %d documents and %d videos. ", len(images), len(sess.documentIDs), len(sess.videoIDs))
	ans := &chatAnswer{messageID: s.NewID("msg"), images: images}
	ans.resultRefs, ans.metadata = s.citeLocked(&text, sess, images)
	if ans.plan = s.proposePlanLocked(sess, body.Message, len(images)); ans.plan != nil {
		text.text("I prepared a plan in %d steps: find the images, then sort them into folders. Approve it to run it. ", len(ans.plan.steps))
	}
	text.text("The strongest matches show the subject clearly, with good light and little occlusion. " +
		"Two of them were taken from a similar angle, which makes a comparison easy. " +
		"Nothing in the set contradicts the rest, so the answer holds across it. ")
	if body.ForceDetailedAnalysis {
		text.text("A detailed high resolution pass confirmed this. ")
	}
	text.text("Ask a follow-up question to narrow it down.")
	ans.content, ans.resolved = text.raw.String(), text.plain.String()
	ans.tokens = strings.SplitAfter(ans.content, " ")
	now := time.Now().UTC()
	sess.messages = append(sess.messages,
		chatMessage{id: s.NewID("msg"), role: "user", content: body.Message, tokenCount: len(strings.Fields(body.Message)), createdAt: now},
		chatMessage{id: ans.messageID, role: "assistant", content: ans.content, tokenCount: len(ans.tokens), createdAt: now,
			imageContext: images, metadata: ans.metadata})
	sess.totalTokens += len(ans.tokens) + len(strings.Fields(body.Message))
	sess.updatedAt = now
	return ans
}

// citeLocked writes the answer's citations: the number of images found as
// [[ref:search_1]], each image as [[img:ID|filename]], and the first two
// selected documents with a page and a page range. It returns the
// result_refs and the message metadata that resolve them (the caller holds
// the lock).
func (s *Server) citeLocked(text *citedText, sess *chatSession, images []map[string]any) (map[string]any, map[string]any) {
	metadata := map[string]any{"vision_used": len(images) > 0}
	if len(images) == 0 && len(sess.documentIDs) == 0 {
		return map[string]any{}, metadata
	}
	ids := []string{}
	for _, img := range images {
		ids = append(ids, img["image_id"].(string))
	}
	refs := map[string]any{"search_1": map[string]any{"count": len(ids), "ids": ids, "image_ids": ids, "id_type": "image", "label": "images"}}
	text.text("I found ")
	text.cite("[[ref:search_1]]", strconv.Itoa(len(ids)))
	text.text(" matching images. ")
	for _, img := range images {
		name := fmt.Sprint(img["filename"])
		text.cite("[[img:"+shortID(img["image_id"].(string))+"|"+name+"]]", name)
		text.text(" is relevant. ")
	}
	docs := []map[string]any{}
	for i, id := range sess.documentIDs[:min(len(sess.documentIDs), 2)] {
		name := id
		if f := s.state.files.byID[id]; f != nil {
			name = f.Filename
		}
		docs = append(docs, map[string]any{"document_id": id, "filename": name})
		pages, plain := "|p:2", " (p.2)"
		if i == 1 {
			pages, plain = "|pp:3-7", " (pp.3-7)"
		}
		text.cite("[[doc:"+shortID(id)+"|"+name+pages+"]]", name+plain)
		text.text(" backs this up. ")
	}
	metadata["result_refs"] = refs
	metadata["tool_document_data"] = docs // shape inferred: the reference names the key only
	return refs, metadata
}

// sessionImagesLocked returns references to the first three images the
// session looks at.
func (s *Server) sessionImagesLocked(sess *chatSession) []map[string]any {
	ids := sess.imageIDs
	if sess.useAllImages {
		ids = nil
		for _, id := range s.state.files.order {
			if f := s.state.files.byID[id]; f != nil && !f.Deleted && f.MediaType == "image" {
				ids = append(ids, id)
			}
		}
	}
	refs := []map[string]any{}
	for _, id := range ids {
		if len(refs) == 3 {
			break
		}
		ref := map[string]any{"image_id": id, "filename": id, "confidence": 0.9 - 0.1*float64(len(refs)),
			"thumbnail_url": s.StorageURL("thumbnails/" + id)}
		if f := s.state.files.byID[id]; f != nil {
			ref["filename"] = f.Filename
			ref["title"] = f.Title
			ref["description"] = f.Description
		}
		refs = append(refs, ref)
	}
	return refs
}

func (s *Server) handleSendMessage(w http.ResponseWriter, r *http.Request) {
	sess, body, ok := s.readSend(w, r)
	if !ok {
		return
	}
	ans := s.answerLocked(sess, body)
	remainingTokens := max(chatTokenBudget-sess.totalTokens, 0)
	remainingMessages := max(chatMessageBudget-len(sess.messages), 0)
	sessionID := sess.id
	s.Unlock()
	WriteJSON(w, http.StatusOK, map[string]any{"message_id": ans.messageID, "session_id": sessionID,
		"content": ans.content, "token_count": len(ans.tokens), "provider": "fake", "model": "fake-chat-1",
		"processing_time_ms": 12, "remaining_tokens": remainingTokens, "remaining_messages": remainingMessages,
		"images": ans.images, "metadata": ans.metadata})
}

// sseEvent is one event the streaming endpoint writes.
type sseEvent struct {
	name string
	id   string
	data map[string]any
}

// events returns the answer's events. A resumed stream (afterToken >= 0)
// repeats connection, then sends the tokens after afterToken.
func (a *chatAnswer) events(afterToken int) []sseEvent {
	ev := func(name string, data map[string]any) sseEvent {
		data["type"] = name
		return sseEvent{name: name, data: data}
	}
	var out []sseEvent
	if afterToken < 0 {
		step := map[string]any{"phase": "planning", "agent_name": "orchestrator", "message": "Planning the answer"}
		if a.debug {
			step["reasoning"] = "The question needs an image search, then a summary."
		}
		out = append(out,
			ev("connection", map[string]any{"message_id": a.messageID, "status": "connected"}),
			ev("thinking", map[string]any{"status": "processing"}),
			ev("thinking_step", step),
			ev("status", map[string]any{"phase": "searching", "message": "Searching your images", "agent_name": "image_search"}),
			ev("tool_invocation", map[string]any{"tool_name": "search_images", "agent_name": "image_search"}),
			ev("tool_result", map[string]any{"tool_name": "search_images", "result_count": len(a.images)}))
		if len(a.images) > 0 {
			out = append(out, ev("image_results", map[string]any{"images": a.images, "count": len(a.images)}))
		}
		if a.plan != nil {
			// Payload beyond plan_id inferred: the reference names the event only.
			out = append(out, ev("plan_pending_approval", map[string]any{"plan_id": a.plan.id,
				"message": "This plan needs your approval", "steps": a.plan.steps}))
		}
	} else {
		out = append(out, ev("connection", map[string]any{"message_id": a.messageID, "status": "resumed"}))
	}
	var acc strings.Builder
	for i, tok := range a.tokens {
		acc.WriteString(tok)
		if i <= afterToken {
			continue
		}
		e := ev("token", map[string]any{"content": tok, "accumulated": acc.String(), "token_index": i})
		e.id = strconv.Itoa(i + 1)
		out = append(out, e)
	}
	agents := []string{"orchestrator", "image_search"}
	out = append(out,
		ev("complete", map[string]any{"content": a.content, "resolved_content": a.resolved, "message_id": a.messageID,
			"agents_used": agents, "has_results": len(a.images) > 0, "result_count": len(a.images),
			"image_context": a.images, "result_refs": a.resultRefs, "processing_time_ms": 12}),
		ev("close", map[string]any{"message_id": a.messageID}))
	return out
}

// streamPlan is what one stream connection will do, decided under the lock.
type streamPlan struct {
	events    []sseEvent
	dropAfter int
	stall     *streamStall
	failure   *streamFailure
	resumed   bool
}

func (s *Server) handleStreamMessage(w http.ResponseWriter, r *http.Request) {
	sess, body, ok := s.readSend(w, r)
	if !ok {
		return
	}
	plan := s.planStreamLocked(sess, body, r)
	s.Unlock()

	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	ended := s.writeStream(w, r, rc, plan)
	s.Lock()
	switch ended {
	case streamClosed:
		s.state.chat.stats.Completed++
	case streamDropped:
		s.state.chat.stats.Dropped++
	case streamClientGone:
		s.state.chat.stats.ClientGone++
	}
	s.Unlock()
}

// planStreamLocked picks the events of this connection: a resume of the
// session's last answer after Last-Event-ID, or a new answer; and applies
// the drop, stall and failure knobs (the caller holds the lock).
func (s *Server) planStreamLocked(sess *chatSession, body chatSendRequest, r *http.Request) streamPlan {
	st := &s.state.chat
	st.stats.Opened++
	var plan streamPlan
	lastID := r.Header.Get("Last-Event-ID")
	if n, err := strconv.Atoi(lastID); err == nil && n >= 0 && sess.lastAnswer != nil {
		plan.events = sess.lastAnswer.events(n - 1)
		plan.resumed = true
		st.stats.Resumed++
	} else {
		ans := s.answerLocked(sess, body)
		ans.debug = r.URL.Query().Get("debug_reasoning") == "true"
		sess.lastAnswer = ans
		plan.events = ans.events(-1)
		if st.failure != nil {
			plan.failure, st.failure = st.failure, nil
			st.stats.Failed++
		}
	}
	if n := s.StreamDropAfter(); n > 0 && (!st.dropLimited || st.dropConnections > 0) {
		plan.dropAfter = n
		if st.dropLimited {
			st.dropConnections--
		}
	}
	if st.stall != nil {
		plan.stall, st.stall = st.stall, nil
		st.stats.Stalled++
	}
	return plan
}

type streamEnding int

const (
	streamClosed streamEnding = iota
	streamDropped
	streamClientGone
	streamFailed
)

func (s *Server) writeStream(w http.ResponseWriter, r *http.Request, rc *http.ResponseController, plan streamPlan) streamEnding {
	pingEvery := s.opts.StreamPingEvery
	events := plan.events
	if plan.failure != nil {
		events = append(events[:2:2], sseEvent{name: plan.failure.eventType, data: map[string]any{
			"type": plan.failure.eventType, "message": plan.failure.message, "code": plan.failure.code,
			"error": plan.failure.message}})
	}
	for i, ev := range events {
		if err := writeSSE(w, rc, ev); err != nil {
			return streamClientGone
		}
		sent := i + 1
		if plan.dropAfter > 0 && sent == plan.dropAfter && sent < len(events) {
			dropStream(w)
			return streamDropped
		}
		if plan.stall != nil && sent == plan.stall.after {
			if !Sleep(r.Context(), plan.stall.d) {
				return streamClientGone
			}
		}
		if pingEvery > 0 && sent%pingEvery == 0 && sent < len(events) {
			if err := writeSSE(w, rc, sseEvent{name: "ping", data: map[string]any{"type": "ping"}}); err != nil {
				return streamClientGone
			}
		}
		// Once the last event is written the client may close at once; that
		// stream was still delivered whole, so it counts as completed.
		if sent < len(events) && r.Context().Err() != nil {
			return streamClientGone
		}
	}
	if plan.failure != nil {
		return streamFailed
	}
	return streamClosed
}

func writeSSE(w http.ResponseWriter, rc *http.ResponseController, ev sseEvent) error {
	data, err := json.Marshal(ev.data)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteString("event: ")
	b.WriteString(ev.name)
	b.WriteByte('\n')
	if ev.id != "" {
		b.WriteString("id: ")
		b.WriteString(ev.id)
		b.WriteByte('\n')
	}
	b.WriteString("data: ")
	b.Write(data)
	b.WriteString("\n\n")
	if _, err := w.Write(b.Bytes()); err != nil {
		return err
	}
	return rc.Flush()
}

// dropStream ends a stream mid-response: everything written so far reaches
// the client, then the connection closes without the chunked terminator,
// so the client sees an unexpected end of the body.
func dropStream(w http.ResponseWriter) {
	conn, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = brw.Flush()
	conn.Close()
}
