package scopix

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Wire details of document search. Scopix folded the predecessor's
// documents resource into /files (upload, list, text, chunks, delete);
// semantic search across documents has no /files counterpart, so it keeps
// its documented predecessor path.
const (
	pathDocumentSearch     = "documents/search" // documented (predecessor api/documents.md): POST
	maxDocumentQueryLength = 1000               // documented (predecessor api/documents.md): 1–1000 characters
	maxDocumentSearchLimit = 100                // documented (predecessor api/documents.md): 1–100 results
	maxSimilarityThreshold = 1.0                // documented (predecessor openapi DocumentSearchRequestAPI): 0–1
)

// DocumentsService searches the text of your documents by meaning. Every
// other document operation (upload, list, text, chunks, delete) is on
// Files, as Scopix serves documents as files.
type DocumentsService service

// Search returns the document chunks closest in meaning to query, best
// first (POST /documents/search). p narrows the search to some documents,
// raises the similarity a chunk needs, or changes the number of results;
// nil p takes the server's defaults (20 results, similarity 0.3, every
// document).
//
// Errors: *ValidationError (a query that is blank or over 1000 characters,
// a limit outside 1–100, a threshold outside 0–1, an empty or repeated
// document id — before sending), and the transport errors of every call.
func (s *DocumentsService) Search(ctx context.Context, query string, p *DocumentSearchParams) (*DocumentSearchResults, error) {
	body, err := p.body(query)
	if err != nil {
		return nil, err
	}
	req, err := s.client.newRequest(http.MethodPost, pathDocumentSearch, body)
	if err != nil {
		return nil, err
	}
	// A search changes nothing on the server.
	req.idempotent()
	var out DocumentSearchResults
	if err := s.client.do(ctx, req, &out); err != nil {
		return nil, err
	}
	if out.Results == nil {
		out.Results = []DocumentChunk{}
	}
	return &out, nil
}

// DocumentSearchParams are the options of Search.
type DocumentSearchParams struct {
	Limit               int      // results, 1–100 (0: the server's 20)
	SimilarityThreshold *float64 // least similarity a chunk needs, 0–1 (nil: the server's 0.3)
	DocumentIDs         []string // search only these documents (nil: every document)
}

// documentSearchRequest is the documented body of POST /documents/search.
type documentSearchRequest struct {
	Query               string   `json:"query"`
	Limit               int      `json:"limit,omitempty"`
	SimilarityThreshold *float64 `json:"similarity_threshold,omitempty"`
	DocumentIDs         []string `json:"document_ids,omitempty"`
}

func (p *DocumentSearchParams) body(query string) (*documentSearchRequest, error) {
	switch {
	case strings.TrimSpace(query) == "":
		return nil, validationError("query", "must not be empty or blank")
	case utf8.RuneCountInString(query) > maxDocumentQueryLength:
		return nil, validationError("query", fmt.Sprintf("at most %d characters", maxDocumentQueryLength))
	}
	out := &documentSearchRequest{Query: query}
	if p == nil {
		return out, nil
	}
	if p.Limit < 0 || p.Limit > maxDocumentSearchLimit {
		return nil, validationError("limit", fmt.Sprintf("want 1 to %d", maxDocumentSearchLimit))
	}
	if t := p.SimilarityThreshold; t != nil && !(*t >= 0 && *t <= maxSimilarityThreshold) {
		return nil, validationError("similarity_threshold", fmt.Sprintf("want 0 to 1, got %v", *t))
	}
	if p.DocumentIDs != nil {
		if err := checkIDList("document_ids", p.DocumentIDs, 0); err != nil {
			return nil, err
		}
	}
	out.Limit, out.SimilarityThreshold, out.DocumentIDs = p.Limit, p.SimilarityThreshold, p.DocumentIDs
	return out, nil
}

// DocumentSearchResults is what Search returns. Each result is a
// DocumentChunk with its SimilarityScore set.
type DocumentSearchResults struct {
	Query        string          `json:"query"`
	Results      []DocumentChunk `json:"results"`
	TotalCount   int             `json:"total_count"`
	SearchTimeMS int             `json:"search_time_ms"`
}
