package scopix_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

func newAgentsServer(t *testing.T) (*scopixtest.Server, *scopix.Client) {
	t.Helper()
	srv := scopixtest.NewServer(t)
	return srv, srv.Client()
}

func TestAgentsSearchImages_ResultsIDsAndAResolvedSummary(t *testing.T) {
	t.Parallel()
	_, c := newAgentsServer(t)
	ctx := context.Background()
	ids := uploadCited(t, c, "pole-north.jpg", "bridge.jpg", "pole-south.jpg")

	res, err := c.Agents.SearchImages(ctx, "pole", nil)
	require.NoError(t, err)
	assert.True(t, res.Success)
	assert.Equal(t, []string{ids[0], ids[2]}, res.ResultIDs)
	assert.Equal(t, 2, res.Count)
	require.Len(t, res.Results, 2)
	assert.Equal(t, "pole-north.jpg", res.Results[0].Filename)
	assert.Positive(t, res.Results[0].Score)
	assert.NotEmpty(t, res.Results[0].Features)
	assert.Equal(t, `Found 2 images matching "pole"`, res.Summary)
	assert.Contains(t, res.SummaryRaw, "[[ref:search_1]]")
	assert.Equal(t, scopix.ResultRef{Count: 2, IDs: res.ResultIDs, ImageIDs: res.ResultIDs, IDType: "image", Label: "images"},
		res.ResultRefs["search_1"])
	require.NotNil(t, res.TokenUsage)
	assert.Equal(t, 600, res.TokenUsage.TotalTokens)
	assert.Equal(t, 1, res.Iterations)

	within, err := c.Agents.SearchImages(ctx, "pole", &scopix.AgentImageSearchParams{ImageIDs: ids[2:], Limit: 5})
	require.NoError(t, err)
	assert.Equal(t, ids[2:], within.ResultIDs, "ImageIDs restricts the search")
}

func TestAgentsSearchDocumentsAndVideos_ResolveTheirSummaries(t *testing.T) {
	t.Parallel()
	_, c := newAgentsServer(t)
	ctx := context.Background()
	docs := uploadCited(t, c, "safety-manual.pdf", "menu.pdf")
	videos := uploadCited(t, c, "safety-drill.mp4", "party.mp4")

	d, err := c.Agents.SearchDocuments(ctx, "safety", &scopix.AgentDocumentSearchParams{DocumentTypes: []string{"pdf"}})
	require.NoError(t, err)
	assert.Equal(t, docs[:1], d.DocumentIDs)
	require.Len(t, d.Results, 1)
	assert.Equal(t, "safety-manual.pdf", d.Results[0].DocumentFilename)
	assert.Equal(t, []int{1, 2}, d.Results[0].PageNumbers)
	assert.Equal(t, "Found 1 relevant sections across 1 documents", d.Summary)
	assert.Equal(t, "hybrid", d.SearchMode)
	assert.Equal(t, "chunk", d.ResultRefs["search_1"].IDType)

	v, err := c.Agents.SearchVideos(ctx, "safety", nil)
	require.NoError(t, err)
	assert.Equal(t, videos[:1], v.VideoIDs)
	require.Len(t, v.Results, 1)
	require.Len(t, v.Results[0].MatchedScenes, 1)
	assert.Equal(t, 12.5, v.Results[0].MatchedScenes[0].EndTime)
	assert.Equal(t, "Found 1 videos of safety", v.Summary)
	assert.Equal(t, "Found 1 videos of safety", scopix.ResolveContent(v.SummaryRaw, map[string]any{"result_refs": v.ResultRefs}),
		`the documented "ref:0" key resolves [[ref:0]]`)
}

func TestAgentsOperations_OnScopixtest(t *testing.T) {
	t.Parallel()
	_, c := newAgentsServer(t)
	ctx := context.Background()
	images := uploadCited(t, c, "crack.jpg")
	docs := uploadCited(t, c, "contract-a.pdf", "contract-b.pdf")

	syn, err := c.Agents.Synthesize(ctx, "Summarise the inspection", &scopix.SynthesizeParams{ImageIDs: images, DocumentIDs: docs, AutoSave: true})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(syn.Report, "# Summarise the inspection"))
	assert.Equal(t, 1, syn.ImageCount)
	assert.Equal(t, 2, syn.DocumentCount)
	require.NotEmpty(t, syn.SavedDocumentID)
	saved, err := c.Files.Get(ctx, syn.SavedDocumentID)
	require.NoError(t, err, "AutoSave stores the report as a document")
	assert.Equal(t, syn.SavedDocumentID, saved.ID)

	an, err := c.Agents.AnalyzeDocuments(ctx, "Compare the contracts", docs)
	require.NoError(t, err)
	assert.Equal(t, 2, an.DocumentCount)
	require.Len(t, an.ChunkReferences, 2)
	assert.Equal(t, "contract-b.pdf", an.ChunkReferences[1].DocumentFilename)

	org, err := c.Agents.Organize(ctx, "Sort by project", &scopix.OrganizeParams{ImageIDs: images, DocumentIDs: docs})
	require.NoError(t, err)
	assert.Equal(t, 3, org.FilesMoved)
	assert.Equal(t, 1, org.FoldersCreated)
	require.Len(t, org.Actions, 1)
	assert.Equal(t, "create_and_move_files", org.Actions[0].Action)
}

func TestAgentsRunPipeline_WavesFollowTheDependencies(t *testing.T) {
	t.Parallel()
	_, c := newAgentsServer(t)
	ctx := context.Background()
	uploadCited(t, c, "pole-1.jpg", "pole-2.jpg")

	linear, err := c.Agents.RunPipeline(ctx, &scopix.PipelineParams{Steps: []scopix.PipelineStep{
		{Agent: scopix.AgentImageSearch, Intent: "pole"},
		{Agent: scopix.AgentFolder, Intent: "sort by damage severity"},
	}})
	require.NoError(t, err)
	assert.Equal(t, 2, linear.TotalWaves, "the folder step takes the search's images")
	require.Len(t, linear.Nodes, 2)
	assert.Equal(t, float64(2), linear.Nodes[0].Outputs["count"])
	assert.Equal(t, scopix.AgentFolder, linear.Final().Agent)
	assert.Equal(t, "completed", linear.Final().Status)

	dag, err := c.Agents.RunPipeline(ctx, &scopix.PipelineParams{Steps: []scopix.PipelineStep{
		{Agent: scopix.AgentImageSearch, Intent: "utility poles"},
		{Agent: scopix.AgentDocumentSearch, Intent: "inspection reports"},
		{Agent: scopix.AgentAssistant, Intent: "Cross-reference findings", DependsOn: []int{0, 1}},
	}})
	require.NoError(t, err)
	assert.Equal(t, 2, dag.TotalWaves, "both searches run in the first wave")
	assert.Len(t, dag.Nodes, 3)
	assert.Nil(t, (&scopix.PipelineResult{}).Final())
}

func TestAgents_RejectBadArgumentsBeforeSending(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 2001)
	step := scopix.PipelineStep{Agent: scopix.AgentImageSearch, Intent: "poles"}
	runArgCases(t, []argCase{
		{"empty query", "query", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Agents.SearchImages(ctx, " ", nil)
			return err
		}},
		{"long query", "query", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Agents.SearchDocuments(ctx, long, nil)
			return err
		}},
		{"limit above 500", "limit", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Agents.SearchVideos(ctx, "x", &scopix.AgentVideoSearchParams{Limit: 501})
			return err
		}},
		{"empty image id", "image_ids[1]", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Agents.SearchImages(ctx, "x", &scopix.AgentImageSearchParams{ImageIDs: []string{"a", ""}})
			return err
		}},
		{"empty intent", "intent", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Agents.Synthesize(ctx, "", nil)
			return err
		}},
		{"no document to analyse", "document_ids", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Agents.AnalyzeDocuments(ctx, "compare", nil)
			return err
		}},
		{"empty video id", "video_ids[0]", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Agents.Organize(ctx, "sort", &scopix.OrganizeParams{VideoIDs: []string{""}})
			return err
		}},
		{"no steps", "steps", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Agents.RunPipeline(ctx, nil)
			return err
		}},
		{"eleven steps", "steps", func(ctx context.Context, c *scopix.Client) error {
			steps := make([]scopix.PipelineStep, 11)
			for i := range steps {
				steps[i] = step
			}
			_, err := c.Agents.RunPipeline(ctx, &scopix.PipelineParams{Steps: steps})
			return err
		}},
		{"step without agent", "steps[0].agent", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Agents.RunPipeline(ctx, &scopix.PipelineParams{Steps: []scopix.PipelineStep{{Intent: "x"}}})
			return err
		}},
		{"step without intent", "steps[1].intent", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Agents.RunPipeline(ctx, &scopix.PipelineParams{Steps: []scopix.PipelineStep{step, {Agent: scopix.AgentFolder}}})
			return err
		}},
		{"depends on itself", "steps[1].depends_on", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Agents.RunPipeline(ctx, &scopix.PipelineParams{Steps: []scopix.PipelineStep{step, {Agent: scopix.AgentFolder, Intent: "x", DependsOn: []int{1}}}})
			return err
		}},
	})
}

func TestAgents_HTTPErrorsAreTyped(t *testing.T) {
	t.Parallel()
	calls := map[string]func(context.Context, *scopix.Client) error{
		"search images": func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Agents.SearchImages(ctx, "poles", nil)
			return err
		},
		"search documents": func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Agents.SearchDocuments(ctx, "poles", nil)
			return err
		},
		"search videos": func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Agents.SearchVideos(ctx, "poles", nil)
			return err
		},
		"synthesize": func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Agents.Synthesize(ctx, "report", nil)
			return err
		},
		"analyze": func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Agents.AnalyzeDocuments(ctx, "compare", []string{"d1"})
			return err
		},
		"organize": func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Agents.Organize(ctx, "sort", nil)
			return err
		},
		"pipeline": func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Agents.RunPipeline(ctx, &scopix.PipelineParams{Steps: []scopix.PipelineStep{{Agent: "nonsense", Intent: "x"}}})
			return err
		},
	}
	var cases []statusCase
	for name, call := range calls {
		cases = append(cases,
			statusCase{name + " 422", 422, `{"detail": [{"loc": ["body", "query"], "msg": "field required", "type": "value_error.missing"}]}`, call, isValidation},
			statusCase{name + " 429 usage limit", 429, `{"error": {"code": "USAGE_LIMIT_EXCEEDED", "message": "Monthly agent limit reached"}}`, call,
				func(t *testing.T, err error) {
					var q *scopix.QuotaExceededError
					assert.ErrorAs(t, err, &q)
				}},
			statusCase{name + " 500", 500, `{"detail": "agent crashed"}`, call, func(t *testing.T, err error) {
				var se *scopix.ServerError
				assert.ErrorAs(t, err, &se)
			}},
		)
	}
	runStatusCases(t, cases)
}

func TestAgents_ACallThatMayHaveRunIsNotRetried(t *testing.T) {
	t.Parallel()
	s := newWire(t)
	s.Mux.Handle("/", script(reply{status: 502, body: `{"detail": "bad gateway"}`}, reply{status: 200, body: `{"success": true}`}))
	_, err := s.Client.Agents.SearchImages(context.Background(), "poles", nil)
	var se *scopix.ServerError
	require.ErrorAs(t, err, &se)
	assert.Len(t, s.Requests(), 1, "agents are billed per run: a 502 is not repeated")
}

// The answers are the reference's documented examples (predecessor
// api/agents.md), some with the summary left out to show it is resolved
// from summary_raw.
func TestAgents_DocumentedAnswersDecode(t *testing.T) {
	t.Parallel()
	s := newWire(t)
	s.Mux.Handle("/", script(
		reply{status: 200, body: `{"success": true, "results": [{"image_id": "550e8400-e29b-41d4-a716-446655440000", "score": 0.92, "filename": "pole_damage_01.jpg", "title": "Utility Pole Assessment", "description": "Damaged wooden utility pole with visible crack...", "thumbnail_url": "https://cdn.aionvision.tech/thumbs/...", "features": [{"name": "utility_pole", "items": [{"count": 1, "confidence": 0.95}]}]}], "count": 15, "result_ids": ["550e8400-e29b-41d4-a716-446655440000"], "summary_raw": "Found [[ref:search_1]] images of damaged utility poles", "result_refs": {"search_1": {"count": 15, "ids": ["550e8400-..."], "image_ids": ["550e8400-..."], "id_type": "image", "label": "images"}}, "search_strategy": {"mode": "semantic"}, "execution_time_ms": 1250, "iterations": 2, "token_usage": {"input_tokens": 450, "output_tokens": 280, "total_tokens": 730, "cache_read_input_tokens": 0, "cache_creation_input_tokens": 0, "call_count": 2}}`},
		reply{status: 200, body: `{"success": true, "nodes": [{"node_id": "a1b2c3d4", "agent": "image_search", "status": "completed", "summary": "Found 23 images of damaged utility poles", "outputs": {"image_ids": ["550e8400-..."], "count": 23}, "error": null, "execution_time_ms": 1450}, {"node_id": "e5f6g7h8", "agent": "folder", "status": "failed", "summary": null, "outputs": {}, "error": "folder limit reached", "execution_time_ms": 2100}], "execution_time_ms": 3680, "total_waves": 2, "errors": ["folder limit reached"], "token_usage": null}`},
	))
	c := s.Client
	img, err := c.Agents.SearchImages(context.Background(), "damaged utility poles", &scopix.AgentImageSearchParams{Limit: 20, FolderID: "f1"})
	require.NoError(t, err)
	assert.Equal(t, "Found 15 images of damaged utility poles", img.Summary, "resolved from summary_raw when summary is absent")
	assert.Equal(t, 730, img.TokenUsage.TotalTokens)
	assert.Equal(t, 2, img.TokenUsage.CallCount)
	assert.Equal(t, "semantic", img.SearchStrategy["mode"])
	assert.Equal(t, "Utility Pole Assessment", img.Results[0].Title)

	pipe, err := c.Agents.RunPipeline(context.Background(), &scopix.PipelineParams{Steps: []scopix.PipelineStep{
		{Agent: scopix.AgentImageSearch, Intent: "find damaged utility poles"},
		{Agent: scopix.AgentFolder, Intent: "sort by damage severity"},
	}})
	require.NoError(t, err, "a failed step is in the result, not an error")
	assert.Equal(t, "failed", pipe.Final().Status)
	assert.Equal(t, "folder limit reached", pipe.Final().Error)
	assert.Nil(t, pipe.TokenUsage)

	reqs := s.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, http.MethodPost, reqs[0].Method)
	assert.Equal(t, "/api/v2/agents/search/images", reqs[0].Path)
	assert.JSONEq(t, `{"query": "damaged utility poles", "limit": 20, "folder_id": "f1"}`, string(reqs[0].Body))
	assert.Equal(t, "/api/v2/agents/pipeline", reqs[1].Path)
	assert.JSONEq(t, `{"steps": [{"agent": "image_search", "intent": "find damaged utility poles"}, {"agent": "folder", "intent": "sort by damage severity"}]}`, string(reqs[1].Body))
}
