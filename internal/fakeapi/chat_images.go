package fakeapi

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The images chat can use: every image id (GET /chat/images/all) and a
// search over filenames, titles, tags and descriptions (POST
// /chat/images/search), in the shapes of predecessor api/chat.md.

// chatImagesRoutes are the routes chat_images.go serves.
func (s *Server) chatImagesRoutes() []route {
	return []route{
		{"GET /chat/images/all", s.handleChatImages},
		{"POST /chat/images/search", s.handleChatImageSearch},
	}
}

// liveImagesLocked returns the stored images, oldest first (the caller
// holds the lock).
func (s *Server) liveImagesLocked() []*File {
	var out []*File
	for _, id := range s.state.files.order {
		if f := s.state.files.byID[id]; f != nil && !f.Deleted && f.MediaType == "image" {
			out = append(out, f)
		}
	}
	return out
}

func (s *Server) handleChatImages(w http.ResponseWriter, r *http.Request) {
	limit, offset := 5000, 0
	for _, p := range []struct {
		name     string
		dst      *int
		min, max int
	}{{"limit", &limit, 1, 5000}, {"offset", &offset, 0, 1 << 30}} {
		if v := r.URL.Query().Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < p.min || n > p.max {
				queryError(w, p.name, "out of range")
				return
			}
			*p.dst = n
		}
	}
	s.Lock()
	ids := []string{}
	for _, f := range s.liveImagesLocked() {
		ids = append(ids, f.ID)
	}
	s.Unlock()
	total := len(ids)
	page := ids[min(offset, total):min(offset+limit, total)]
	WriteJSON(w, http.StatusOK, map[string]any{"image_ids": page, "total_count": total, "has_more": offset+len(page) < total})
}

func (s *Server) handleChatImageSearch(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Query  string `json:"query"`
		Limit  *int   `json:"limit"`
		Offset int    `json:"offset"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	limit := 50
	if body.Limit != nil {
		limit = *body.Limit
	}
	switch n := utf8.RuneCountInString(body.Query); {
	case n < 1 || n > 500:
		validationDetail(w, "query", "ensure this value has 1 to 500 characters")
		return
	case limit < 1 || limit > 100:
		validationDetail(w, "limit", "ensure this value is between 1 and 100")
		return
	case body.Offset < 0:
		validationDetail(w, "offset", "ensure this value is greater than or equal to 0")
		return
	}
	words := strings.Fields(strings.ToLower(body.Query))
	s.Lock()
	results := []map[string]any{}
	for _, f := range s.liveImagesLocked() {
		if score := matchScore(f, words); score > 0 {
			results = append(results, map[string]any{"image_id": f.ID, "description": describe(f), "confidence": 0.9,
				"relevance_score": score, "thumbnail_url": s.StorageURL("thumbnails/" + f.ID),
				"medium_url": s.StorageURL("medium/" + f.ID), "full_url": s.StorageURL("large/" + f.ID),
				"created_at": NaiveTime(f.CreatedAt)})
		}
	}
	s.Unlock()
	total := len(results)
	page := results[min(body.Offset, total):min(body.Offset+limit, total)]
	WriteJSON(w, http.StatusOK, map[string]any{"results": page, "total_count": total,
		"query_interpretation": map[string]any{"normalized_query": strings.Join(words, " ")}})
}

// matchScore is the share of the query's words found in the file's
// filename, title, tags or description.
func matchScore(f *File, words []string) float64 {
	text := strings.ToLower(strings.Join(append([]string{f.Filename, f.Title, describe(f)}, f.Tags...), " "))
	found := 0
	for _, w := range words {
		if strings.Contains(text, w) {
			found++
		}
	}
	if len(words) == 0 {
		return 0
	}
	return float64(found) / float64(len(words))
}
