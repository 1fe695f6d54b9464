package scopix_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// Documented answers (predecessor api/colors.md).
const (
	colorGetAnswer = `{"image_id":"550e8400-e29b-41d4-a716-446655440000","status":"completed","color_analysis":{
		"version":"1.0","dominant_colors":[
		{"rank":1,"percentage":35.2,"hex":"#C4A87C","name":"Walnut","family":"earth_tone",
		 "rgb":{"r":196,"g":168,"b":124},"hsl":{"h":37,"s":38,"l":63},"lab":{"l":70.1,"a":3.2,"b":25.8}},
		{"rank":2,"percentage":22.8,"hex":"#8B7355","name":"Dark Tan","family":"earth_tone",
		 "rgb":{"r":139,"g":115,"b":85},"hsl":{"h":33,"s":24,"l":44},"lab":{"l":49.5,"a":5.1,"b":19.3}}],
		"analytics":{"temperature":{"value":"warm","score":0.82},"brightness":{"average":58,"category":"medium"},
		"saturation":{"average":31,"category":"medium"}},"extracted_at":"2025-01-15T14:22:00Z"}}`
	colorQueuedAnswer = `{"image_id":"550e8400-e29b-41d4-a716-446655440000","status":"queued","color_analysis":null}`
	colorBatchAnswer  = `{"queued_count":2,"message":"2 images queued for color extraction"}`
	colorSearchAnswer = `{"results":[{"image_id":"550e8400-e29b-41d4-a716-446655440000",
		"thumbnail_url":"https://cdn.aionvision.tech/thumbnails/550e8400.jpg","color_analysis":{"dominant_colors":[
		{"rank":1,"percentage":35.2,"hex":"#C4A87C","name":"Walnut","family":"earth_tone"}]},"match_score":0.58}],
		"total_count":128,"limit":50,"offset":0}`
	colorFamiliesAnswer = `[{"name":"neutral","display_name":"Neutrals","description":"Blacks, whites, grays - versatile foundation colors",
		"example_colors":["#FFFFFF","#808080","#000000","#F5F5DC"]},
		{"name":"earth_tone","display_name":"Earth Tones","description":"Warm, natural colors inspired by earth and nature",
		"example_colors":["#C4A87C","#8B4513","#D2691E","#A0522D"]}]`
)

func TestColors_EveryMethodSendsTheDocumentedRequest(t *testing.T) {
	t.Parallel()
	runTransferWireCases(t, []transferWireCase{
		{name: "Get", method: "GET", path: "/colors/images/img%2F1", responses: colorGetAnswer,
			call: func(ctx context.Context, c *scopix.Client) error { _, err := c.Colors.Get(ctx, "img/1"); return err }},
		{name: "Extract with defaults", method: "POST", path: "/colors/images/img1/extract", responses: colorQueuedAnswer,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Colors.Extract(ctx, "img1", nil)
				return err
			}},
		{name: "Extract with settings", method: "POST", path: "/colors/images/img1/extract", query: "force=true&n_colors=8",
			responses: colorQueuedAnswer,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Colors.Extract(ctx, "img1", &scopix.ColorExtractParams{Force: true, NColors: 8})
				return err
			}},
		{name: "BatchExtract", method: "POST", path: "/colors/batch/extract", body: `{"image_ids":["a","b"],"force":true,"n_colors":6}`,
			responses: colorBatchAnswer,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Colors.BatchExtract(ctx, []string{"a", "b"}, &scopix.ColorExtractParams{Force: true, NColors: 6})
				return err
			}},
		{name: "BatchExtract with defaults", method: "POST", path: "/colors/batch/extract", body: `{"image_ids":["a"]}`,
			responses: colorBatchAnswer,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Colors.BatchExtract(ctx, []string{"a"}, nil)
				return err
			}},
		{name: "Search by everything", method: "POST", path: "/colors/search", responses: colorSearchAnswer,
			body: `{"hex_code":"#C4A87C","color_name":"walnut","color_family":"earth_tone","delta_e_threshold":0,
				"min_percentage":10,"limit":20,"offset":40}`,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Colors.Search(ctx, &scopix.ColorSearchParams{Hex: "#C4A87C", Name: "walnut",
					Family: scopix.ColorFamilyEarthTone, DeltaEThreshold: scopix.Ptr(0.0), MinPercentage: scopix.Ptr(10.0),
					Limit: 20, Offset: 40})
				return err
			}},
		{name: "Search by hex without #", method: "POST", path: "/colors/search", body: `{"hex_code":"#8b4513"}`,
			responses: colorSearchAnswer,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Colors.Search(ctx, &scopix.ColorSearchParams{Hex: "8b4513"})
				return err
			}},
		{name: "Families", method: "GET", path: "/colors/families", responses: colorFamiliesAnswer,
			call: func(ctx context.Context, c *scopix.Client) error { _, err := c.Colors.Families(ctx); return err }},
	})
}

func TestColors_DecodeTheDocumentedAnswers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, c := newAnswering(t, 200, colorGetAnswer)
	got, err := c.Colors.Get(ctx, "550e8400-e29b-41d4-a716-446655440000")
	require.NoError(t, err)
	assert.Equal(t, scopix.ColorExtractionCompleted, got.Status)
	require.NotNil(t, got.Analysis)
	assert.Equal(t, "1.0", got.Analysis.Version)
	assert.Equal(t, time.Date(2025, 1, 15, 14, 22, 0, 0, time.UTC), got.Analysis.ExtractedAt.Time)
	require.Len(t, got.Analysis.DominantColors, 2)
	assert.Equal(t, scopix.DominantColor{Rank: 1, Percentage: 35.2, Hex: "#C4A87C", Name: "Walnut", Family: scopix.ColorFamilyEarthTone,
		RGB: &scopix.RGB{R: 196, G: 168, B: 124}, HSL: &scopix.HSL{H: 37, S: 38, L: 63}, LAB: &scopix.LAB{L: 70.1, A: 3.2, B: 25.8}},
		got.Analysis.DominantColors[0])
	assert.Equal(t, scopix.ColorAnalytics{Temperature: scopix.ColorTemperature{Value: "warm", Score: 0.82},
		Brightness: scopix.ColorLevel{Average: 58, Category: "medium"}, Saturation: scopix.ColorLevel{Average: 31, Category: "medium"}},
		*got.Analysis.Analytics)

	_, c = newAnswering(t, 200, colorQueuedAnswer)
	queued, err := c.Colors.Extract(ctx, "550e8400-e29b-41d4-a716-446655440000", nil)
	require.NoError(t, err)
	assert.Equal(t, scopix.ColorExtractionQueued, queued.Status)
	assert.Nil(t, queued.Analysis)

	_, c = newAnswering(t, 200, colorSearchAnswer)
	page, err := c.Colors.Search(ctx, &scopix.ColorSearchParams{Hex: "#C4A87C"})
	require.NoError(t, err)
	assert.Equal(t, 128, page.TotalCount)
	assert.True(t, page.HasMore())
	require.Len(t, page.Results, 1)
	assert.Equal(t, 0.58, page.Results[0].MatchScore)
	assert.Equal(t, "Walnut", page.Results[0].Analysis.DominantColors[0].Name)
	assert.Nil(t, page.Results[0].Analysis.DominantColors[0].RGB, "search results carry hex and name only")

	_, c = newAnswering(t, 200, colorFamiliesAnswer)
	families, err := c.Colors.Families(ctx)
	require.NoError(t, err)
	require.Len(t, families, 2)
	assert.Equal(t, scopix.ColorFamilyInfo{Name: scopix.ColorFamilyEarthTone, DisplayName: "Earth Tones",
		Description:   "Warm, natural colors inspired by earth and nature",
		ExampleColors: []string{"#C4A87C", "#8B4513", "#D2691E", "#A0522D"}}, families[1])
}

func TestColors_WorkOnTheFakeServer(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	ids := uploadN(t, c, 3)
	srv.SetImageColors(ids[1], scopixtest.ImageColor{Hex: "#1E3A8A", Name: "Navy", Family: "cool", Percentage: 60},
		scopixtest.ImageColor{Hex: "#FFFFFF", Name: "White", Family: "neutral", Percentage: 30})
	srv.SetImageColors(ids[2], scopixtest.ImageColor{Hex: "#C0A080", Name: "Sand", Family: "earth_tone", Percentage: 3})

	got, err := c.Colors.Get(ctx, ids[0])
	require.NoError(t, err)
	require.Equal(t, scopix.ColorExtractionCompleted, got.Status)
	require.Len(t, got.Analysis.DominantColors, 2)
	walnut := got.Analysis.DominantColors[0]
	assert.Equal(t, "Walnut", walnut.Name)
	assert.Equal(t, scopix.RGB{R: 196, G: 168, B: 124}, *walnut.RGB)
	assert.False(t, got.ExtractedAt.IsZero())

	queued, err := c.Colors.Extract(ctx, ids[1], &scopix.ColorExtractParams{Force: true, NColors: 3})
	require.NoError(t, err)
	assert.Equal(t, scopix.ColorExtractionQueued, queued.Status)
	batch, err := c.Colors.BatchExtract(ctx, ids, &scopix.ColorExtractParams{Force: true})
	require.NoError(t, err)
	assert.Equal(t, 3, batch.QueuedCount)

	search := func(p scopix.ColorSearchParams) []string {
		t.Helper()
		var found []string
		for m, err := range c.Colors.SearchAll(ctx, &p) {
			require.NoError(t, err)
			found = append(found, m.ImageID)
		}
		return found
	}
	assert.Equal(t, []string{ids[0]}, search(scopix.ColorSearchParams{Hex: "#C4A87C", DeltaEThreshold: scopix.Ptr(1.0)}),
		"an exact hex finds the walnut image only; the 3% sand is below the minimum share")
	assert.ElementsMatch(t, []string{ids[0], ids[2]}, search(scopix.ColorSearchParams{Hex: "#C4A87C", MinPercentage: scopix.Ptr(0.0)}))
	assert.Equal(t, []string{ids[1]}, search(scopix.ColorSearchParams{Name: "navy"}))
	assert.Equal(t, []string{ids[1]}, search(scopix.ColorSearchParams{Family: scopix.ColorFamilyCool}))

	page, err := c.Colors.Search(ctx, &scopix.ColorSearchParams{Family: scopix.ColorFamilyEarthTone, MinPercentage: scopix.Ptr(0.0), Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, 2, page.TotalCount)
	assert.True(t, page.HasMore())
	require.Len(t, page.Results, 1)
	assert.NotEmpty(t, page.Results[0].MatchedHex)

	families, err := c.Colors.Families(ctx)
	require.NoError(t, err)
	assert.Len(t, families, 7)
}

func TestColors_SearchAllWalksEveryPage(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ids := uploadN(t, c, 5)
	var found []string
	for m, err := range c.Colors.SearchAll(context.Background(), &scopix.ColorSearchParams{Family: scopix.ColorFamilyEarthTone, Limit: 2}) {
		require.NoError(t, err)
		found = append(found, m.ImageID)
	}
	assert.ElementsMatch(t, ids, found)
	assert.Equal(t, 3, srv.RequestCount("POST", "/colors/search"), "pages of 2, 2 and 1")
}

func TestColors_ServerErrorsAreTyped(t *testing.T) {
	t.Parallel()
	notFound := `{"error":{"code":"NOT_FOUND","message":"Image not found","details":{"resource_type":"image","resource_id":"i1"}}}`
	invalid := `{"detail":[{"loc":["body","limit"],"msg":"ensure this value is less than or equal to 200","type":"value_error"}]}`
	runStatusCases(t, []statusCase{
		{name: "Get 404", status: 404, body: notFound, check: func(t *testing.T, err error) {
			var nf *scopix.ResourceNotFoundError
			require.ErrorAs(t, err, &nf)
			assert.Equal(t, "image", nf.ResourceType)
			assert.Equal(t, "i1", nf.ResourceID)
		}, call: func(ctx context.Context, c *scopix.Client) error { _, err := c.Colors.Get(ctx, "i1"); return err }},
		{name: "Extract 404", status: 404, body: notFound, check: isNotFound,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Colors.Extract(ctx, "i1", nil)
				return err
			}},
		{name: "Extract 422", status: 422, body: invalid, check: isValidation,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Colors.Extract(ctx, "i1", nil)
				return err
			}},
		{name: "BatchExtract 422", status: 422, body: invalid, check: isValidation,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Colors.BatchExtract(ctx, []string{"i1"}, nil)
				return err
			}},
		{name: "Search 422", status: 422, body: invalid, check: isValidation,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Colors.Search(ctx, &scopix.ColorSearchParams{Name: "walnut"})
				return err
			}},
		{name: "SearchAll yields the error and stops", status: 429, body: `{"error":"rate limited","error_code":"RATE_LIMIT_ERROR"}`,
			check: isRateLimited,
			call: func(ctx context.Context, c *scopix.Client) error {
				n := 0
				var last error
				for _, err := range c.Colors.SearchAll(ctx, &scopix.ColorSearchParams{Name: "walnut"}) {
					n++
					last = err
				}
				if n != 1 {
					return fmt.Errorf("want one yield, got %d", n)
				}
				return last
			}},
		{name: "Families 403", status: 403, body: `{"detail":"Not allowed"}`, check: isPermission,
			call: func(ctx context.Context, c *scopix.Client) error { _, err := c.Colors.Families(ctx); return err }},
	})
}

func TestColors_InvalidArgumentsFailBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	search := func(p *scopix.ColorSearchParams) func(context.Context, *scopix.Client) error {
		return func(ctx context.Context, c *scopix.Client) error { _, err := c.Colors.Search(ctx, p); return err }
	}
	runArgCases(t, []argCase{
		{"Get without id", "image_id", func(ctx context.Context, c *scopix.Client) error { _, err := c.Colors.Get(ctx, ""); return err }},
		{"Extract with 2 colours", "n_colors", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Colors.Extract(ctx, "i", &scopix.ColorExtractParams{NColors: 2})
			return err
		}},
		{"Extract with 17 colours", "n_colors", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Colors.Extract(ctx, "i", &scopix.ColorExtractParams{NColors: 17})
			return err
		}},
		{"BatchExtract without ids", "image_ids", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Colors.BatchExtract(ctx, nil, nil)
			return err
		}},
		{"BatchExtract with an empty id", "image_ids[0]", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Colors.BatchExtract(ctx, []string{""}, nil)
			return err
		}},
		{"BatchExtract with 20 colours", "n_colors", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Colors.BatchExtract(ctx, []string{"a"}, &scopix.ColorExtractParams{NColors: 20})
			return err
		}},
		{"Search without params", "params", search(nil)},
		{"Search without a criterion", "params", search(&scopix.ColorSearchParams{Limit: 10})},
		{"Search with a blank name", "params", search(&scopix.ColorSearchParams{Name: "  "})},
		{"Search with a short hex", "hex_code", search(&scopix.ColorSearchParams{Hex: "#FFF"})},
		{"Search with a non-hex digit", "hex_code", search(&scopix.ColorSearchParams{Hex: "#GGGGGG"})},
		{"Search with two #", "hex_code", search(&scopix.ColorSearchParams{Hex: "##C4A87C"})},
		{"Search with a threshold above 100", "delta_e_threshold", search(&scopix.ColorSearchParams{Name: "x", DeltaEThreshold: scopix.Ptr(101.0)})},
		{"Search with a negative share", "min_percentage", search(&scopix.ColorSearchParams{Name: "x", MinPercentage: scopix.Ptr(-1.0)})},
		{"Search with limit 201", "limit", search(&scopix.ColorSearchParams{Name: "x", Limit: 201})},
		{"Search with a negative offset", "offset", search(&scopix.ColorSearchParams{Name: "x", Offset: -1})},
	})
}
