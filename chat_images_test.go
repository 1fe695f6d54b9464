package scopix_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

func TestChatImages_ListsEveryImageAvailableToChat(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	images := uploadCited(t, c, "pole-1.jpg", "pole-2.jpg", "bridge.png")
	uploadCited(t, c, "report.pdf")

	page, err := c.Chat.ListImages(ctx, &scopix.ChatImageListParams{Limit: 2})
	require.NoError(t, err)
	assert.Equal(t, images[:2], page.ImageIDs)
	assert.Equal(t, 3, page.TotalCount, "documents are not images")
	assert.True(t, page.HasMore)

	before := srv.RequestCount(http.MethodGet, "/chat/images/all")
	var all []string
	for id, err := range c.Chat.ListAllImages(ctx, &scopix.ChatImageListParams{Limit: 2}) {
		require.NoError(t, err)
		all = append(all, id)
	}
	assert.Equal(t, images, all)
	assert.Equal(t, 2, srv.RequestCount(http.MethodGet, "/chat/images/all")-before)
}

func TestChatSearchImages_FindsImagesForASession(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	images := uploadCited(t, c, "pole-north.jpg", "bridge.png", "pole-south.jpg")

	found, err := c.Chat.SearchImages(ctx, "Pole", nil)
	require.NoError(t, err)
	assert.Equal(t, []string{images[0], images[2]}, found.IDs())
	assert.Equal(t, 2, found.TotalCount)
	assert.Equal(t, "pole", found.QueryInterpretation["normalized_query"])
	for _, m := range found.Results {
		assert.NotEmpty(t, m.Description)
		assert.Positive(t, m.RelevanceScore)
		assert.NotEmpty(t, m.ThumbnailURL)
		assert.False(t, m.CreatedAt.IsZero(), "naive timestamps decode")
	}

	next, err := c.Chat.SearchImages(ctx, "pole", &scopix.ChatImageSearchParams{Limit: 1, Offset: 1})
	require.NoError(t, err)
	assert.Equal(t, []string{images[2]}, next.IDs())

	sess, err := c.Chat.CreateSession(ctx, &scopix.CreateSessionParams{ImageIDs: found.IDs()})
	require.NoError(t, err)
	detail, err := c.Chat.GetSession(ctx, sess.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, found.IDs(), detail.SelectedImageIDs)
}

func TestChatImages_RejectBadParamsBeforeSending(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	long := make([]rune, 501)
	for i := range long {
		long[i] = 'x'
	}
	tests := []struct {
		name, field string
		call        func() error
	}{
		{"list limit", "limit", func() error { _, err := c.Chat.ListImages(ctx, &scopix.ChatImageListParams{Limit: 5001}); return err }},
		{"list offset", "offset", func() error { _, err := c.Chat.ListImages(ctx, &scopix.ChatImageListParams{Offset: -1}); return err }},
		{"empty query", "query", func() error { _, err := c.Chat.SearchImages(ctx, "  ", nil); return err }},
		{"long query", "query", func() error { _, err := c.Chat.SearchImages(ctx, string(long), nil); return err }},
		{"search limit", "limit", func() error {
			_, err := c.Chat.SearchImages(ctx, "x", &scopix.ChatImageSearchParams{Limit: 101})
			return err
		}},
		{"search offset", "offset", func() error {
			_, err := c.Chat.SearchImages(ctx, "x", &scopix.ChatImageSearchParams{Offset: -1})
			return err
		}},
	}
	before := srv.Stats().Requests
	for _, tt := range tests {
		var v *scopix.ValidationError
		require.ErrorAs(t, tt.call(), &v, tt.name)
		assert.Equal(t, tt.field, v.Err.Details["field"], tt.name)
	}
	assert.Equal(t, before, srv.Stats().Requests)
}

// The answers are the reference's documented examples (predecessor
// api/chat.md, GET /chat/images/all and POST /chat/images/search).
func TestChatImages_OnTheDocumentedWire(t *testing.T) {
	t.Parallel()
	s := newWire(t)
	s.Mux.Handle("/", script(
		reply{status: 200, body: `{"image_ids": ["550e8400-e29b-41d4-a716-446655440000"], "total_count": 1250, "has_more": false}`},
		reply{status: 503, body: `{"error": "busy", "error_code": "UNAVAILABLE"}`},
		reply{status: 200, body: `{"results": [{"image_id": "550e8400-e29b-41d4-a716-446655440000", "description": "Steel beam showing advanced corrosion...", "confidence": 0.92, "relevance_score": 0.87, "thumbnail_url": "https://cdn.aionvision.tech/thumbs/...", "medium_url": "https://cdn.aionvision.tech/medium/...", "full_url": "https://cdn.aionvision.tech/large/...", "created_at": "2025-01-15T10:30:00Z"}], "total_count": 12, "query_interpretation": {"normalized_query": "damaged steel beam corrosion"}}`},
		reply{status: 422, body: `{"detail": [{"loc": ["body", "query"], "msg": "ensure this value has at most 500 characters", "type": "value_error"}]}`},
	))
	c := s.Client
	ctx := context.Background()

	list, err := c.Chat.ListImages(ctx, &scopix.ChatImageListParams{Limit: 10, Offset: 20})
	require.NoError(t, err)
	assert.Equal(t, scopix.ChatImageList{ImageIDs: []string{"550e8400-e29b-41d4-a716-446655440000"}, TotalCount: 1250}, *list)

	found, err := c.Chat.SearchImages(ctx, "damaged steel beam with corrosion", &scopix.ChatImageSearchParams{Limit: 50})
	require.NoError(t, err, "a search changes nothing, so a 503 is retried")
	require.Len(t, found.Results, 1)
	assert.Equal(t, scopix.ChatImageMatch{ImageID: "550e8400-e29b-41d4-a716-446655440000",
		Description: "Steel beam showing advanced corrosion...", Confidence: 0.92, RelevanceScore: 0.87,
		ThumbnailURL: "https://cdn.aionvision.tech/thumbs/...", MediumURL: "https://cdn.aionvision.tech/medium/...",
		FullURL: "https://cdn.aionvision.tech/large/...", CreatedAt: scopix.Time{Time: time.Date(2025, 1, 15, 10, 30, 0, 0, time.UTC)}},
		found.Results[0])
	assert.Equal(t, 12, found.TotalCount)

	_, err = c.Chat.SearchImages(ctx, "x", nil)
	var v *scopix.ValidationError
	require.ErrorAs(t, err, &v)
	assert.Equal(t, []string{"body", "query"}, v.Fields[0].Loc)

	reqs := s.Requests()
	require.Len(t, reqs, 4)
	assert.Equal(t, "/api/v2/chat/images/all", reqs[0].Path)
	assert.Equal(t, "/api/v2/chat/images/search", reqs[2].Path)
	assert.JSONEq(t, `{"query": "damaged steel beam with corrosion", "limit": 50}`, string(reqs[2].Body))
	assert.JSONEq(t, `{"query": "x"}`, string(reqs[3].Body))
}

func TestChatImages_HTTPErrorsAreTyped(t *testing.T) {
	t.Parallel()
	list := func(ctx context.Context, c *scopix.Client) error {
		_, err := c.Chat.ListImages(ctx, nil)
		return err
	}
	listAll := func(ctx context.Context, c *scopix.Client) error {
		n := 0
		var last error
		for _, err := range c.Chat.ListAllImages(ctx, nil) {
			n++
			last = err
		}
		if n != 1 {
			return fmt.Errorf("ListAllImages yielded %d pairs, want the error alone", n)
		}
		return last
	}
	search := func(ctx context.Context, c *scopix.Client) error {
		_, err := c.Chat.SearchImages(ctx, "poles", nil)
		return err
	}
	isAuth := func(t *testing.T, err error) {
		var ae *scopix.AuthenticationError
		assert.ErrorAs(t, err, &ae)
	}
	chatErr := `{"error": "Search failed", "error_code": "SEARCH_ERROR", "detail": null, "timestamp": "2025-01-15T10:30:00"}`
	runStatusCases(t, []statusCase{
		{"list 401", 401, `{"error": {"code": "INVALID_API_KEY", "message": "Invalid API key"}}`, list, isAuth},
		{"list all 422", 422, `{"detail": [{"loc": ["query", "limit"], "msg": "out of range", "type": "value_error"}]}`, listAll, isValidation},
		{"search 400 in the chat error shape", 400, chatErr, search, func(t *testing.T, err error) {
			isValidation(t, err)
			assert.Contains(t, err.Error(), "Search failed")
		}},
		{"search 429", 429, `{"error": {"code": "RATE_LIMIT_ERROR", "message": "slow down"}}`, search, isRateLimited},
	})
}
