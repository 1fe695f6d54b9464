package fakeapi

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Semantic search across documents, answered as the reference
// (predecessor api/documents.md, POST /documents/search) shows. A chunk's
// similarity is the share of the query's words it contains, so tests can
// steer results with the words of a .txt or .md document.

// documentsRoutes are the routes documents.go serves.
func (s *Server) documentsRoutes() []route {
	return []route{{"POST /documents/search", s.handleDocumentSearch}}
}

// chunkSimilarity is the share of query words found in content.
func chunkSimilarity(query, content string) float64 {
	words := strings.Fields(strings.ToLower(query))
	if len(words) == 0 {
		return 0
	}
	text := strings.ToLower(content)
	found := 0
	for _, w := range words {
		if strings.Contains(text, w) {
			found++
		}
	}
	return float64(found) / float64(len(words))
}

func (s *Server) handleDocumentSearch(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	var body struct {
		Query               string   `json:"query"`
		Limit               *int     `json:"limit"`
		SimilarityThreshold *float64 `json:"similarity_threshold"`
		DocumentIDs         []string `json:"document_ids"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	limit, threshold := 20, 0.3
	if body.Limit != nil {
		limit = *body.Limit
	}
	if body.SimilarityThreshold != nil {
		threshold = *body.SimilarityThreshold
	}
	if n := utf8.RuneCountInString(body.Query); n < 1 || n > 1000 || limit < 1 || limit > 100 || threshold < 0 || threshold > 1 {
		writeDetail(w, http.StatusUnprocessableEntity, []string{"body"}, "query 1-1000 characters, limit 1-100, similarity_threshold 0-1", "value_error")
		return
	}
	now := time.Now()
	s.Lock()
	defer s.Unlock()
	var results []map[string]any
	for _, id := range s.state.files.order {
		f := s.state.files.byID[id]
		if f.Deleted || f.textStatus(now) != "completed" || (body.DocumentIDs != nil && !slices.Contains(body.DocumentIDs, id)) {
			continue
		}
		for i, c := range chunksOf(f) {
			if score := chunkSimilarity(body.Query, c); score >= threshold && score > 0 {
				results = append(results, map[string]any{"chunk_id": fmt.Sprintf("%s_c%d", f.ID, i), "document_id": f.ID,
					"document_filename": f.Filename, "chunk_index": i, "content": c, "page_numbers": []int{1},
					"heading_hierarchy": []string{}, "similarity_score": score})
			}
		}
	}
	sort.SliceStable(results, func(i, j int) bool {
		return results[i]["similarity_score"].(float64) > results[j]["similarity_score"].(float64)
	})
	total := len(results)
	results = results[:min(limit, total)]
	if results == nil {
		results = []map[string]any{}
	}
	WriteJSON(w, http.StatusOK, map[string]any{"query": body.Query, "results": results, "total_count": total,
		"search_time_ms": time.Since(start).Milliseconds()})
}
