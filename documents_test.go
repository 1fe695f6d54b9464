package scopix_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// documentSearchAnswer is the documented answer (predecessor api/documents.md).
const documentSearchAnswer = `{"query":"safety inspection requirements","results":[{"chunk_id":"chunk_001",
	"document_id":"550e8400-e29b-41d4-a716-446655440000","document_filename":"safety_manual.pdf","chunk_index":5,
	"content":"Safety inspections must be conducted quarterly...","page_numbers":[12,13],
	"heading_hierarchy":["Chapter 3","Inspections","Schedule"],"similarity_score":0.87}],"total_count":15,"search_time_ms":45}`

func TestDocuments_SearchSendsTheDocumentedRequest(t *testing.T) {
	t.Parallel()
	runTransferWireCases(t, []transferWireCase{
		{name: "with every filter", method: "POST", path: "/documents/search", responses: documentSearchAnswer,
			body: `{"query":"safety inspection requirements","limit":20,"similarity_threshold":0.3,
				"document_ids":["550e8400-e29b-41d4-a716-446655440000"]}`,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Documents.Search(ctx, "safety inspection requirements", &scopix.DocumentSearchParams{Limit: 20,
					SimilarityThreshold: scopix.Ptr(0.3), DocumentIDs: []string{"550e8400-e29b-41d4-a716-446655440000"}})
				return err
			}},
		{name: "with defaults", method: "POST", path: "/documents/search", responses: documentSearchAnswer,
			body: `{"query":"safety inspection requirements"}`,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Documents.Search(ctx, "safety inspection requirements", nil)
				return err
			}},
		{name: "a zero threshold is sent", method: "POST", path: "/documents/search", responses: documentSearchAnswer,
			body: `{"query":"q","similarity_threshold":0}`,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Documents.Search(ctx, "q", &scopix.DocumentSearchParams{SimilarityThreshold: scopix.Ptr(0.0)})
				return err
			}},
	})
}

func TestDocuments_SearchDecodesTheDocumentedAnswer(t *testing.T) {
	t.Parallel()
	_, c := newAnswering(t, 200, documentSearchAnswer)
	got, err := c.Documents.Search(context.Background(), "safety inspection requirements", nil)
	require.NoError(t, err)
	assert.Equal(t, "safety inspection requirements", got.Query)
	assert.Equal(t, 15, got.TotalCount)
	assert.Equal(t, 45, got.SearchTimeMS)
	require.Len(t, got.Results, 1)
	assert.Equal(t, scopix.DocumentChunk{ChunkID: "chunk_001", DocumentID: "550e8400-e29b-41d4-a716-446655440000",
		DocumentFilename: "safety_manual.pdf", ChunkIndex: 5, Content: "Safety inspections must be conducted quarterly...",
		PageNumbers: []int{12, 13}, HeadingHierarchy: []string{"Chapter 3", "Inspections", "Schedule"},
		SimilarityScore: scopix.Ptr(0.87)}, got.Results[0])
}

func TestDocuments_SearchOnTheFakeServer(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	upload := func(name, text string) string {
		res, err := c.Files.UploadReader(ctx, name, strings.NewReader(text), int64(len(text)), nil)
		require.NoError(t, err)
		return res.ImageID
	}
	manual := upload("manual.txt", "Safety inspections are quarterly.\n\nLadders need a yearly check.")
	notes := upload("notes.md", "Inspections of ladders happen in spring.")

	got, err := c.Documents.Search(ctx, "ladders inspections", nil)
	require.NoError(t, err)
	require.Len(t, got.Results, 3)
	assert.Equal(t, notes, got.Results[0].DocumentID, "the chunk holding both words ranks first")
	assert.Equal(t, 1.0, *got.Results[0].SimilarityScore)

	only, err := c.Documents.Search(ctx, "ladders inspections", &scopix.DocumentSearchParams{DocumentIDs: []string{manual},
		SimilarityThreshold: scopix.Ptr(0.5), Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, 2, only.TotalCount)
	require.Len(t, only.Results, 1)
	assert.Equal(t, manual, only.Results[0].DocumentID)
	assert.Equal(t, "manual.txt", only.Results[0].DocumentFilename)

	none, err := c.Documents.Search(ctx, "helicopters", nil)
	require.NoError(t, err)
	assert.Empty(t, none.Results)
	assert.NotNil(t, none.Results)
}

func TestDocuments_SearchErrorsAreTyped(t *testing.T) {
	t.Parallel()
	runStatusCases(t, []statusCase{
		{name: "422", status: 422, body: `{"detail":[{"loc":["body","query"],"msg":"too long","type":"value_error"}]}`, check: isValidation,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Documents.Search(ctx, "q", nil)
				return err
			}},
		{name: "429", status: 429, body: `{"error":{"code":"RATE_LIMIT_ERROR","message":"slow down"}}`, check: isRateLimited,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Documents.Search(ctx, "q", nil)
				return err
			}},
		{name: "quota at 403", status: 403, body: `{"error":{"code":"USAGE_LIMIT_EXCEEDED","message":"monthly limit"}}`,
			check: func(t *testing.T, err error) {
				var qe *scopix.QuotaExceededError
				assert.ErrorAs(t, err, &qe)
			},
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Documents.Search(ctx, "q", nil)
				return err
			}},
	})
}

func TestDocuments_InvalidSearchesFailBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	search := func(q string, p *scopix.DocumentSearchParams) func(context.Context, *scopix.Client) error {
		return func(ctx context.Context, c *scopix.Client) error { _, err := c.Documents.Search(ctx, q, p); return err }
	}
	runArgCases(t, []argCase{
		{"empty query", "query", search("", nil)},
		{"blank query", "query", search(" \t", nil)},
		{"query over 1000 characters", "query", search(strings.Repeat("é", 1001), nil)},
		{"limit 101", "limit", search("q", &scopix.DocumentSearchParams{Limit: 101})},
		{"negative limit", "limit", search("q", &scopix.DocumentSearchParams{Limit: -1})},
		{"threshold above 1", "similarity_threshold", search("q", &scopix.DocumentSearchParams{SimilarityThreshold: scopix.Ptr(1.5)})},
		{"empty id list", "document_ids", search("q", &scopix.DocumentSearchParams{DocumentIDs: []string{}})},
		{"empty id", "document_ids[1]", search("q", &scopix.DocumentSearchParams{DocumentIDs: []string{"a", ""}})},
		{"repeated id", "document_ids[1]", search("q", &scopix.DocumentSearchParams{DocumentIDs: []string{"a", "a"}})},
	})
}
