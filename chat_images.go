package scopix

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits of the chat image endpoints (documented (predecessor api/chat.md)).
const (
	maxChatImagesPage    = 5000
	maxChatSearchResults = 100
	maxChatSearchChars   = 500
)

// ListImages returns one page of the ids of every image that can be put in
// a session's context (GET /chat/images/all, documented (predecessor
// api/chat.md)): all of the tenant's images, not only a session's. Errors:
// *ValidationError (limit above 5,000, negative offset),
// *AuthenticationError and the other HTTP errors.
func (s *ChatService) ListImages(ctx context.Context, p *ChatImageListParams) (*ChatImageList, error) {
	if p == nil {
		p = &ChatImageListParams{}
	}
	switch {
	case p.Limit < 0 || p.Limit > maxChatImagesPage:
		return nil, validationError("limit", fmt.Sprintf("must be between 1 and %d (0: server default)", maxChatImagesPage))
	case p.Offset < 0:
		return nil, validationError("offset", "must not be negative")
	}
	q := url.Values{}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Offset > 0 {
		q.Set("offset", strconv.Itoa(p.Offset))
	}
	return getJSON[ChatImageList](ctx, s.client, "chat/images/all", q) // documented (predecessor api/chat.md)
}

// ListAllImages iterates over the ids of every image available to chat,
// fetching pages of p.Limit (default 1,000) as the loop advances; feed
// them to CreateSession or SetImages. p is copied, never modified. The
// iteration stops after yielding an error. Errors as ListImages.
func (s *ChatService) ListAllImages(ctx context.Context, p *ChatImageListParams) iter.Seq2[string, error] {
	var page ChatImageListParams
	if p != nil {
		page = *p
	}
	if page.Limit == 0 {
		page.Limit = 1000
	}
	return pages(page.Offset, func(offset int) ([]string, bool, error) {
		params := page
		params.Offset = offset
		list, err := s.ListImages(ctx, &params)
		if err != nil {
			return nil, false, err
		}
		return list.ImageIDs, list.HasMore, nil
	})
}

// SearchImages finds images by a natural-language query, ranked by
// semantic similarity (POST /chat/images/search, documented (predecessor
// api/chat.md)); use the ids for a session's context. The search changes
// nothing, so it is retried like a GET. Errors: *ValidationError (query
// empty or over 500 characters, limit above 100, negative offset),
// *AuthenticationError and the other HTTP errors.
func (s *ChatService) SearchImages(ctx context.Context, query string, p *ChatImageSearchParams) (*ChatImageSearchResult, error) {
	if p == nil {
		p = &ChatImageSearchParams{}
	}
	switch n := utf8.RuneCountInString(query); {
	case strings.TrimSpace(query) == "" || n > maxChatSearchChars:
		return nil, validationError("query", fmt.Sprintf("must be 1 to %d characters", maxChatSearchChars))
	case p.Limit < 0 || p.Limit > maxChatSearchResults:
		return nil, validationError("limit", fmt.Sprintf("must be between 1 and %d (0: server default 50)", maxChatSearchResults))
	case p.Offset < 0:
		return nil, validationError("offset", "must not be negative")
	}
	body := struct {
		Query  string `json:"query"`
		Limit  int    `json:"limit,omitempty"`
		Offset int    `json:"offset,omitempty"`
	}{query, p.Limit, p.Offset}
	req, err := s.client.newRequest(http.MethodPost, "chat/images/search", body) // documented (predecessor api/chat.md)
	if err != nil {
		return nil, err
	}
	return doJSON[ChatImageSearchResult](ctx, s.client, req.idempotent())
}

// ChatImageListParams page ListImages.
type ChatImageListParams struct {
	Limit  int // 1–5,000 (0: server default 5,000; ListAllImages: 1,000)
	Offset int
}

// ChatImageList is one page of image ids available to chat.
type ChatImageList struct {
	ImageIDs   []string `json:"image_ids"`
	TotalCount int      `json:"total_count"`
	HasMore    bool     `json:"has_more"`
}

// UnmarshalJSON implements json.Unmarshaler with the tolerant list rules:
// the ids under "image_ids" (documented) or "items".
func (l *ChatImageList) UnmarshalJSON(data []byte) error {
	page, err := decodeListPage[string](data, listKeyImageIDs, listKeyItems)
	if err != nil {
		return err
	}
	*l = ChatImageList{ImageIDs: page.Items, TotalCount: page.TotalCount, HasMore: page.HasMore}
	return nil
}

// ChatImageSearchParams page SearchImages.
type ChatImageSearchParams struct {
	Limit  int // 1–100 (0: server default 50)
	Offset int
}

// ChatImageSearchResult is the answer to SearchImages.
type ChatImageSearchResult struct {
	Results             []ChatImageMatch `json:"results"`
	TotalCount          int              `json:"total_count"`
	QueryInterpretation map[string]any   `json:"query_interpretation"` // e.g. normalized_query
}

// IDs returns the image ids of the results, in rank order.
func (r *ChatImageSearchResult) IDs() []string {
	ids := make([]string, len(r.Results))
	for i, m := range r.Results {
		ids[i] = m.ImageID
	}
	return ids
}

// ChatImageMatch is one image found by SearchImages.
type ChatImageMatch struct {
	ImageID        string  `json:"image_id"`
	Description    string  `json:"description"`
	Confidence     float64 `json:"confidence"`      // of the description
	RelevanceScore float64 `json:"relevance_score"` // of the match
	ThumbnailURL   string  `json:"thumbnail_url"`
	MediumURL      string  `json:"medium_url"`
	FullURL        string  `json:"full_url"`
	CreatedAt      Time    `json:"created_at"`
}
