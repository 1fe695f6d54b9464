package fakeapi

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"
)

// The standalone agents (predecessor api/agents.md): searches rank the
// stored files by the words of the query found in their name, title, tags
// and description; summaries carry [[ref:KEY]] markup beside their resolved
// text; synthesis, analysis, organisation and pipelines answer in the
// documented shapes from what is stored.

// agentsRoutes are the routes agents.go serves.
func (s *Server) agentsRoutes() []route {
	return []route{
		{"POST /agents/search/images", s.handleAgentSearchImages},
		{"POST /agents/search/documents", s.handleAgentSearchDocuments},
		{"POST /agents/search/videos", s.handleAgentSearchVideos},
		{"POST /agents/synthesize", s.handleAgentSynthesize},
		{"POST /agents/analyze/documents", s.handleAgentAnalyze},
		{"POST /agents/organize", s.handleAgentOrganize},
		{"POST /agents/pipeline", s.handleAgentPipeline},
	}
}

type agentSearchRequest struct {
	Query         string   `json:"query"`
	Limit         *int     `json:"limit"`
	FolderID      string   `json:"folder_id"`
	ImageIDs      []string `json:"image_ids"`
	DocumentIDs   []string `json:"document_ids"`
	DocumentTypes []string `json:"document_types"`
	VideoIDs      []string `json:"video_ids"`
}

// readAgentSearch decodes and checks a search body (422 as FastAPI).
func readAgentSearch(w http.ResponseWriter, r *http.Request) (agentSearchRequest, int, bool) {
	var body agentSearchRequest
	if !ReadJSON(w, r, &body) {
		return body, 0, false
	}
	limit := 50
	if body.Limit != nil {
		limit = *body.Limit
	}
	switch n := utf8.RuneCountInString(body.Query); {
	case n < 1 || n > 2000:
		validationDetail(w, "query", "ensure this value has 1 to 2000 characters")
		return body, 0, false
	case limit < 1 || limit > 500:
		validationDetail(w, "limit", "ensure this value is between 1 and 500")
		return body, 0, false
	}
	return body, limit, true
}

// agentTokenUsage is the usage every agent answer reports.
func agentTokenUsage(calls int) map[string]any {
	return map[string]any{"input_tokens": 400 * calls, "output_tokens": 200 * calls, "total_tokens": 600 * calls,
		"cache_read_input_tokens": 0, "cache_creation_input_tokens": 0, "call_count": calls}
}

// searchFilesLocked ranks the live files of mediaType matching the query,
// limited to ids (when given) and folder (when given), best first.
func (s *Server) searchFilesLocked(mediaType, query, folder string, ids []string, limit int) ([]*File, []float64) {
	allowed := map[string]bool{}
	for _, id := range ids {
		allowed[id] = true
	}
	words := strings.Fields(strings.ToLower(query))
	type hit struct {
		f     *File
		score float64
	}
	var hits []hit
	for _, id := range s.state.files.order {
		f := s.state.files.byID[id]
		if f == nil || f.Deleted || f.MediaType != mediaType || len(ids) > 0 && !allowed[id] || folder != "" && f.FolderID != folder {
			continue
		}
		if score := matchScore(f, words); score > 0 {
			hits = append(hits, hit{f, score})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].score > hits[j].score })
	hits = hits[:min(len(hits), limit)]
	files, scores := make([]*File, len(hits)), make([]float64, len(hits))
	for i, h := range hits {
		files[i], scores[i] = h.f, h.score
	}
	return files, scores
}

func fileIDs(files []*File) []string {
	ids := []string{}
	for _, f := range files {
		ids = append(ids, f.ID)
	}
	return ids
}

// resultRef is one result_refs entry (predecessor openapi ResultRefData).
func resultRef(ids []string, idType, label string) map[string]any {
	imageIDs := []string{}
	if idType == "image" {
		imageIDs = ids
	}
	return map[string]any{"count": len(ids), "ids": ids, "image_ids": imageIDs, "id_type": idType, "label": label}
}

func (s *Server) handleAgentSearchImages(w http.ResponseWriter, r *http.Request) {
	body, limit, ok := readAgentSearch(w, r)
	if !ok {
		return
	}
	s.Lock()
	files, scores := s.searchFilesLocked("image", body.Query, body.FolderID, body.ImageIDs, limit)
	results := []map[string]any{}
	for i, f := range files {
		results = append(results, map[string]any{"image_id": f.ID, "score": scores[i], "filename": f.Filename,
			"title": nilIfEmpty(f.Title), "description": describe(f), "folder_id": nilIfEmpty(f.FolderID),
			"thumbnail_url": s.StorageURL("thumbnails/" + f.ID),
			"features":      []map[string]any{{"name": "object", "items": []map[string]any{{"count": 1, "confidence": 0.9}}}}})
	}
	s.Unlock()
	ids := fileIDs(files)
	WriteJSON(w, http.StatusOK, map[string]any{"success": true, "results": results, "count": len(ids), "result_ids": ids,
		"summary":         fmt.Sprintf("Found %d images matching %q", len(ids), body.Query),
		"summary_raw":     fmt.Sprintf("Found [[ref:search_1]] images matching %q", body.Query),
		"result_refs":     map[string]any{"search_1": resultRef(ids, "image", "images")},
		"search_strategy": map[string]any{"mode": "semantic"}, "execution_time_ms": 15, "iterations": 1,
		"token_usage": agentTokenUsage(1)})
}

func (s *Server) handleAgentSearchDocuments(w http.ResponseWriter, r *http.Request) {
	body, limit, ok := readAgentSearch(w, r)
	if !ok {
		return
	}
	s.Lock()
	files, scores := s.searchFilesLocked("document", body.Query, "", body.DocumentIDs, limit)
	s.Unlock()
	results, chunkIDs := []map[string]any{}, []string{}
	for i, f := range files {
		chunkID := "chunk_" + f.ID
		chunkIDs = append(chunkIDs, chunkID)
		results = append(results, map[string]any{"chunk_id": chunkID, "document_id": f.ID, "document_filename": f.Filename,
			"text": "A passage of " + f.Filename + " about " + body.Query + ".", "score": scores[i],
			"page_numbers": []int{1, 2}, "chunk_index": 0})
	}
	docIDs := fileIDs(files)
	WriteJSON(w, http.StatusOK, map[string]any{"success": true, "results": results, "count": len(results),
		"chunk_ids": chunkIDs, "document_ids": docIDs,
		"summary":     fmt.Sprintf("Found %d relevant sections across %d documents", len(chunkIDs), len(docIDs)),
		"summary_raw": "Found [[ref:search_1]] relevant sections across [[ref:search_2]] documents",
		"result_refs": map[string]any{"search_1": resultRef(chunkIDs, "chunk", "chunks"),
			"search_2": resultRef(docIDs, "document", "documents")},
		"search_mode": "hybrid", "search_strategy": map[string]any{"query_expansion": true},
		"execution_time_ms": 12, "iterations": 1, "token_usage": agentTokenUsage(1)})
}

func (s *Server) handleAgentSearchVideos(w http.ResponseWriter, r *http.Request) {
	body, limit, ok := readAgentSearch(w, r)
	if !ok {
		return
	}
	s.Lock()
	files, scores := s.searchFilesLocked("video", body.Query, body.FolderID, body.VideoIDs, limit)
	s.Unlock()
	results := []map[string]any{}
	for i, f := range files {
		scene := map[string]any{"scene_id": "scene_" + f.ID, "scene_index": 0, "start_time": 0.0, "end_time": 12.5,
			"time_range_formatted": "0:00–0:12", "description": "A scene of " + f.Filename, "tags": []string{"scene"},
			"score": scores[i], "thumbnail_url": s.StorageURL("scene-thumbs/" + f.ID)}
		results = append(results, map[string]any{"video_id": f.ID, "video_filename": f.Filename,
			"video_description": describe(f), "duration_seconds": 12.5, "resolution": "1920x1080",
			"thumbnail_url": s.StorageURL("thumbnails/" + f.ID), "score": scores[i], "matched_scenes": []any{scene}})
	}
	ids := fileIDs(files)
	// The documented example keys this entry "ref:0" for the marker [[ref:0]].
	WriteJSON(w, http.StatusOK, map[string]any{"success": true, "results": results, "count": len(ids), "video_ids": ids,
		"summary":     fmt.Sprintf("Found %d videos of %s", len(ids), body.Query),
		"summary_raw": "Found [[ref:0]] videos of " + body.Query,
		"result_refs": map[string]any{"ref:0": resultRef(ids, "video", "videos")},
		"search_mode": "hybrid", "search_strategy": nil, "execution_time_ms": 14, "iterations": 1,
		"token_usage": agentTokenUsage(1)})
}

type agentIntentRequest struct {
	Intent         string   `json:"intent"`
	ImageIDs       []string `json:"image_ids"`
	DocumentIDs    []string `json:"document_ids"`
	VideoIDs       []string `json:"video_ids"`
	AutoSave       bool     `json:"auto_save"`
	ParentFolderID string   `json:"parent_folder_id"`
}

func readAgentIntent(w http.ResponseWriter, r *http.Request) (agentIntentRequest, bool) {
	var body agentIntentRequest
	if !ReadJSON(w, r, &body) {
		return body, false
	}
	if n := utf8.RuneCountInString(body.Intent); n < 1 || n > 2000 {
		validationDetail(w, "intent", "ensure this value has 1 to 2000 characters")
		return body, false
	}
	return body, true
}

func (s *Server) handleAgentSynthesize(w http.ResponseWriter, r *http.Request) {
	body, ok := readAgentIntent(w, r)
	if !ok {
		return
	}
	report := fmt.Sprintf("# %s\n\n## Overview\n\nBased on %d images and %d documents.\n", body.Intent, len(body.ImageIDs), len(body.DocumentIDs))
	var saved any
	if body.AutoSave {
		s.Lock()
		f := s.addFileLocked(&File{ID: s.NewID("doc"), Filename: "report.md", Title: body.Intent, MediaType: "document",
			ContentType: "text/markdown", Data: []byte(report), Size: int64(len(report))})
		s.Unlock()
		saved = f.ID
	}
	WriteJSON(w, http.StatusOK, map[string]any{"success": true, "report": report,
		"summary": "A report on " + body.Intent, "image_count": len(body.ImageIDs), "document_count": len(body.DocumentIDs),
		"saved_document_id": saved, "execution_time_ms": 42, "iterations": 3, "token_usage": agentTokenUsage(3)})
}

func (s *Server) handleAgentAnalyze(w http.ResponseWriter, r *http.Request) {
	body, ok := readAgentIntent(w, r)
	if !ok {
		return
	}
	if len(body.DocumentIDs) == 0 {
		validationDetail(w, "document_ids", "ensure this value has at least 1 item")
		return
	}
	refs := []map[string]any{}
	s.Lock()
	for _, id := range body.DocumentIDs {
		name := any(nil)
		if f := s.state.files.byID[id]; f != nil {
			name = f.Filename
		}
		refs = append(refs, map[string]any{"chunk_id": "chunk_" + id, "document_id": id, "document_filename": name,
			"page_numbers": []int{1}})
	}
	s.Unlock()
	WriteJSON(w, http.StatusOK, map[string]any{"success": true,
		"analysis": "# Analysis\n\n" + body.Intent + "\n", "summary": fmt.Sprintf("Analysed %d documents", len(body.DocumentIDs)),
		"document_count": len(body.DocumentIDs), "categorization": nil, "chunk_references": refs,
		"execution_time_ms": 38, "iterations": 3, "token_usage": agentTokenUsage(2)})
}

func (s *Server) handleAgentOrganize(w http.ResponseWriter, r *http.Request) {
	body, ok := readAgentIntent(w, r)
	if !ok {
		return
	}
	moved := len(body.ImageIDs) + len(body.DocumentIDs) + len(body.VideoIDs)
	actions := []map[string]any{}
	created := 0
	if moved > 0 {
		created = 1
		actions = append(actions, map[string]any{"action": "create_and_move_files", "folder_name": "Organised",
			"folder_id": s.NewID("folder"), "file_count": moved})
	}
	WriteJSON(w, http.StatusOK, map[string]any{"success": true,
		"summary": fmt.Sprintf("Created %d folders and organized %d files", created, moved), "actions": actions,
		"folders_created": created, "files_moved": moved, "execution_time_ms": 21, "iterations": 2,
		"token_usage": agentTokenUsage(3)})
}

// pipelineAgents are the agents a pipeline step may name; the search
// agents take no input, so without depends_on they start in the first wave.
var pipelineAgents = map[string]bool{"image_search": true, "document_search": true, "link_search": true,
	"analysis": false, "document_analysis": false, "link_analysis": false, "assistant": false, "folder": false,
	"cross_reference": false, "analytics": false, "chat": false}

type pipelineStep struct {
	Agent     string `json:"agent"`
	Intent    string `json:"intent"`
	DependsOn []int  `json:"depends_on"`
}

func (s *Server) handleAgentPipeline(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Steps       []pipelineStep `json:"steps"`
		ImageIDs    []string       `json:"image_ids"`
		DocumentIDs []string       `json:"document_ids"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	if len(body.Steps) < 1 || len(body.Steps) > 10 {
		validationDetail(w, "steps", "ensure this list has 1 to 10 items")
		return
	}
	waves := make([]int, len(body.Steps))
	for i, st := range body.Steps {
		search, known := pipelineAgents[st.Agent]
		if !known || st.Intent == "" {
			validationDetail(w, "steps", fmt.Sprintf("step %d: unknown agent %q or empty intent", i, st.Agent))
			return
		}
		waves[i] = 1
		deps := st.DependsOn
		if deps == nil && !search && i > 0 {
			deps = []int{i - 1} // auto-wired: a consumer takes the previous step's output
		}
		for _, d := range deps {
			if d < 0 || d >= i {
				validationDetail(w, "steps", fmt.Sprintf("step %d: depends_on may name earlier steps only", i))
				return
			}
			waves[i] = max(waves[i], waves[d]+1)
		}
	}
	nodes := []map[string]any{}
	total := 0
	s.Lock()
	for i, st := range body.Steps {
		total = max(total, waves[i])
		nodes = append(nodes, map[string]any{"node_id": fmt.Sprintf("node%04d", i), "agent": st.Agent, "status": "completed",
			"summary": fmt.Sprintf("%s: %s", st.Agent, st.Intent), "outputs": s.pipelineOutputsLocked(st, len(body.ImageIDs)),
			"error": nil, "execution_time_ms": 10})
	}
	s.Unlock()
	WriteJSON(w, http.StatusOK, map[string]any{"success": true, "nodes": nodes, "execution_time_ms": 10 * len(nodes),
		"total_waves": total, "errors": []string{}, "token_usage": agentTokenUsage(len(nodes))})
}

// pipelineOutputsLocked is what a step hands on: the ids a search found,
// the folders a folder step made, or the text of the others.
func (s *Server) pipelineOutputsLocked(st pipelineStep, seeded int) map[string]any {
	switch st.Agent {
	case "image_search":
		files, _ := s.searchFilesLocked("image", st.Intent, "", nil, 500)
		return map[string]any{"image_ids": fileIDs(files), "count": len(files)}
	case "document_search":
		files, _ := s.searchFilesLocked("document", st.Intent, "", nil, 500)
		return map[string]any{"document_ids": fileIDs(files), "count": len(files)}
	case "folder":
		return map[string]any{"folders_created": 1, "files_moved": seeded}
	}
	return map[string]any{"text": st.Intent}
}
