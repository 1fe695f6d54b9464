package scopix_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/internal/fakeapi"
	"github.com/scopix/scopix-go/scopixtest"
)

// Documented answers (predecessor api/files.md, "Website Links", and the
// link fields of GET /user-files/{file_id}).
const (
	linkCreateAnswer = `{"id":"550e8400-e29b-41d4-a716-446655440000","source_url":"https://github.com/example/repo",
		"domain":"github.com","title":"My Favorite Repo","crawl_status":"queued","is_duplicate":false,
		"created_at":"2025-01-15T10:30:00Z"}`
	linkRecrawlAnswer = `{"status":"queued","link_id":"550e8400-e29b-41d4-a716-446655440000"}`
	linkGetAnswer     = `{"id":"550e8400-e29b-41d4-a716-446655440000","title":"My Favorite Repo","tags":["development"],
		"media_type":"link","source_url":"https://github.com/example/repo","domain":"github.com",
		"og_metadata":{"title":"example/repo","description":"An example","image_url":"https://github.com/og.png",
		"site_name":"GitHub","type":"object","locale":null},"favicon_url":"https://github.com/favicon.ico",
		"page_title":"GitHub - example/repo","crawl_status":"completed","crawl_error":null,
		"crawled_at":"2025-01-15T10:31:00Z","extracted_images":[{"url":"https://github.com/a.png"}],"extracted_images_count":1,
		"created_at":"2025-01-15T10:30:00Z","updated_at":"2025-01-15T10:31:00Z"}`
	linkListAnswer       = `{"files":[` + linkGetAnswer + `],"total_count":1,"has_more":false}`
	triggerVariantsReply = `{"success":true,"message":"Variant generation queued","task_id":"550e8400-e29b-41d4-a716-446655440000",
		"current_status":"processing","image_id":"660f9500-f39c-52e5-b827-557766550111"}`
)

func TestLinks_EveryMethodSendsTheDocumentedRequest(t *testing.T) {
	t.Parallel()
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	runTransferWireCases(t, []transferWireCase{
		{name: "Create", method: "POST", path: "/files/links", responses: linkCreateAnswer,
			body: `{"url":"https://github.com/example/repo","title":"My Favorite Repo","tags":["development","reference"],
				"folder_id":"550e8400-e29b-41d4-a716-446655440000","auto_crawl":true}`,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Links.Create(ctx, "https://github.com/example/repo", &scopix.LinkCreateParams{Title: "My Favorite Repo",
					Tags: []string{"development", "reference"}, FolderID: "550e8400-e29b-41d4-a716-446655440000", AutoCrawl: scopix.Ptr(true)})
				return err
			}},
		{name: "Create with defaults", method: "POST", path: "/files/links", body: `{"url":"http://example.com"}`, responses: linkCreateAnswer,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Links.Create(ctx, "http://example.com", nil)
				return err
			}},
		{name: "Recrawl", method: "POST", path: "/files/l%2F1/recrawl", responses: linkRecrawlAnswer,
			call: func(ctx context.Context, c *scopix.Client) error { _, err := c.Links.Recrawl(ctx, "l/1"); return err }},
		{name: "Get", method: "GET", path: "/files/l1", responses: linkGetAnswer,
			call: func(ctx context.Context, c *scopix.Client) error { _, err := c.Links.Get(ctx, "l1"); return err }},
		{name: "List", method: "GET", path: "/files", query: "media_types=link", responses: linkListAnswer,
			call: func(ctx context.Context, c *scopix.Client) error { _, err := c.Links.List(ctx, nil); return err }},
		{name: "List with filters", method: "GET", path: "/files", responses: linkListAnswer,
			query: "crawl_status=failed&date_from=2025-01-01T00%3A00%3A00Z&folder_id=f1&limit=10&media_types=link&offset=5" +
				"&search=python&sort_by=title&sort_order=asc&tags=a&tags=b",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Links.List(ctx, &scopix.LinkListParams{Search: "python", Tags: []string{"a", "b"}, FolderID: "f1",
					CrawlStatus: scopix.CrawlFailed, DateFrom: from, Limit: 10, Offset: 5, SortBy: scopix.SortByTitle, SortOrder: scopix.SortAsc})
				return err
			}},
		{name: "Update", method: "PATCH", path: "/files/l1", body: `{"title":"My Article"}`,
			responses: `{"id":"l1","title":"My Article","tags":[],"updated_at":"2025-01-15T11:00:00Z"}`,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Links.Update(ctx, "l1", &scopix.FileUpdateParams{Title: scopix.Ptr("My Article")})
				return err
			}},
		{name: "Delete", method: "DELETE", path: "/files/l1", responses: `{"id":"l1","deleted_at":"2025-01-15T11:00:00Z","message":"ok"}`,
			call: func(ctx context.Context, c *scopix.Client) error { _, err := c.Links.Delete(ctx, "l1"); return err }},
		{name: "BatchDelete", method: "POST", path: "/files/batch-delete", body: `{"file_ids":["l1","l2"]}`,
			responses: `{"deleted":[],"skipped":[],"failed":[],"summary":{"total":2,"deleted":0,"skipped":0,"failed":0}}`,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Links.BatchDelete(ctx, []string{"l1", "l2"})
				return err
			}},
		{name: "Files.TriggerVariants", method: "POST", path: "/files/img1/trigger-variants", responses: triggerVariantsReply,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Files.TriggerVariants(ctx, "img1")
				return err
			}},
	})
}

func TestLinks_DecodeTheDocumentedAnswers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, c := newAnswering(t, 201, linkCreateAnswer)
	created, err := c.Links.Create(ctx, "https://github.com/example/repo", nil)
	require.NoError(t, err)
	assert.Equal(t, "https://github.com/example/repo", created.URL)
	assert.Equal(t, "github.com", created.Domain)
	assert.Equal(t, scopix.CrawlQueued, created.CrawlStatus)
	assert.False(t, created.IsDuplicate)
	assert.Equal(t, time.Date(2025, 1, 15, 10, 30, 0, 0, time.UTC), created.CreatedAt.Time)

	_, c = newAnswering(t, 200, linkRecrawlAnswer)
	re, err := c.Links.Recrawl(ctx, "550e8400-e29b-41d4-a716-446655440000")
	require.NoError(t, err)
	assert.Equal(t, scopix.LinkRecrawlResult{LinkID: "550e8400-e29b-41d4-a716-446655440000", Status: scopix.CrawlQueued}, *re)

	_, c = newAnswering(t, 200, linkListAnswer)
	list, err := c.Links.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, list.Links, 1)
	l := list.Links[0]
	assert.Equal(t, scopix.LinkOGMetadata{Title: "example/repo", Description: "An example", ImageURL: "https://github.com/og.png",
		SiteName: "GitHub", Type: "object"}, *l.OGMetadata)
	assert.Equal(t, scopix.CrawlCompleted, l.CrawlStatus)
	assert.Equal(t, "GitHub - example/repo", l.PageTitle)
	assert.Equal(t, 1, l.ExtractedImagesCount)
	assert.Equal(t, []map[string]any{{"url": "https://github.com/a.png"}}, l.ExtractedImages)
	assert.Equal(t, scopix.MediaTypeLink, l.MediaType)
	assert.False(t, l.CrawledAt.IsZero())

	_, c = newAnswering(t, 200, triggerVariantsReply)
	v, err := c.Files.TriggerVariants(ctx, "660f9500-f39c-52e5-b827-557766550111")
	require.NoError(t, err)
	assert.Equal(t, scopix.VariantGeneration{Success: true, Message: "Variant generation queued",
		TaskID: "550e8400-e29b-41d4-a716-446655440000", CurrentStatus: "processing", ImageID: "660f9500-f39c-52e5-b827-557766550111"}, *v)
}

func TestLinks_WorkOnTheFakeServer(t *testing.T) {
	t.Parallel()
	inBubble(t, fakeapi.Options{JobStepDelay: 20 * time.Millisecond}, func(t *testing.T, srv *bubble) {
		c := srv.Client()
		ctx := context.Background()

		var seen []scopix.CrawlStatus
		link, err := c.Links.CreateAndWait(ctx, "https://www.example.com/article", &scopix.LinkCreateParams{Tags: []string{"research"}},
			&scopix.WaitCrawlOptions{Interval: 5 * time.Millisecond, OnProgress: func(l *scopix.Link) { seen = append(seen, l.CrawlStatus) }})
		require.NoError(t, err)
		assert.Equal(t, scopix.CrawlCompleted, link.CrawlStatus)
		assert.Equal(t, "example.com", link.Domain)
		require.NotNil(t, link.OGMetadata)
		assert.Equal(t, link.OGMetadata.Title, link.Title, "without a title the page's own is used")
		require.NotEmpty(t, seen, "OnProgress sees every poll")
		assert.Contains(t, seen, scopix.CrawlQueued, "the wait polled through the crawl")
		assert.Equal(t, scopix.CrawlCompleted, seen[len(seen)-1])

		quiet, err := c.Links.Create(ctx, "https://example.org/", &scopix.LinkCreateParams{Title: "Later", AutoCrawl: scopix.Ptr(false)})
		require.NoError(t, err)
		assert.Equal(t, scopix.CrawlPending, quiet.CrawlStatus)
		dup, err := c.Links.Create(ctx, "https://www.example.com/article", nil)
		require.NoError(t, err)
		assert.True(t, dup.IsDuplicate)

		// Links are files: the files list shows them and the links list shows only them.
		_, err = c.Files.UploadReader(ctx, "a.png", strings.NewReader("png"), 3, nil)
		require.NoError(t, err)
		var ids []string
		for l, err := range c.Links.ListAll(ctx, &scopix.LinkListParams{Limit: 2}) {
			require.NoError(t, err)
			ids = append(ids, l.ID)
		}
		assert.ElementsMatch(t, []string{link.ID, quiet.ID, dup.ID}, ids)
		pending, err := c.Links.List(ctx, &scopix.LinkListParams{CrawlStatus: scopix.CrawlPending})
		require.NoError(t, err)
		require.Len(t, pending.Links, 1)
		assert.Equal(t, quiet.ID, pending.Links[0].ID)

		// A recrawl is allowed once an hour.
		re, err := c.Links.Recrawl(ctx, quiet.ID)
		require.NoError(t, err)
		assert.Equal(t, scopix.CrawlQueued, re.Status)
		_, err = c.Links.WaitForCrawl(ctx, quiet.ID, &scopix.WaitCrawlOptions{Interval: 5 * time.Millisecond})
		require.NoError(t, err)
		_, err = c.Links.Recrawl(ctx, quiet.ID)
		var rl *scopix.RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.Equal(t, time.Hour, rl.RetryAfter)

		updated, err := c.Links.Update(ctx, quiet.ID, &scopix.FileUpdateParams{Tags: []string{"read-later"}})
		require.NoError(t, err)
		assert.Equal(t, []string{"read-later"}, updated.Tags)
		_, err = c.Links.Delete(ctx, quiet.ID)
		require.NoError(t, err)
		batch, err := c.Links.BatchDelete(ctx, []string{link.ID, dup.ID})
		require.NoError(t, err)
		assert.Equal(t, 2, batch.Summary.Deleted)
		_, err = c.Links.Get(ctx, link.ID)
		isNotFound(t, err)
	})
}

func TestLinks_AFailedCrawlIsALinkCrawlError(t *testing.T) {
	t.Parallel()
	inBubble(t, fakeapi.Options{JobStepDelay: 10 * time.Millisecond}, func(t *testing.T, srv *bubble) {
		c := srv.Client()
		ctx := context.Background()
		res, err := c.Links.Create(ctx, "https://unreachable.example/", nil)
		require.NoError(t, err)
		srv.FailLinkCrawl(res.ID, "DNS lookup failed")

		link, err := c.Links.WaitForCrawl(ctx, res.ID, &scopix.WaitCrawlOptions{Interval: 5 * time.Millisecond})
		var lce *scopix.LinkCrawlError
		require.ErrorAs(t, err, &lce)
		assert.Equal(t, res.ID, lce.LinkID)
		assert.Equal(t, "failed", lce.CrawlStatus)
		assert.Equal(t, "DNS lookup failed", lce.CrawlError)
		assert.Equal(t, scopix.CodeLinkCrawl, lce.Err.Code)
		require.NotNil(t, link, "the failed link is returned with the error")
		assert.Equal(t, scopix.CrawlFailed, link.CrawlStatus)
	})
}

func TestLinks_WaitForCrawlTimesOutWithTheLastLink(t *testing.T) {
	t.Parallel()
	inBubble(t, fakeapi.Options{JobStepDelay: time.Hour}, func(t *testing.T, b *bubble) {
		c := b.Client()
		res, err := c.Links.Create(context.Background(), "https://slow.example/", nil)
		require.NoError(t, err)
		_, err = c.Links.WaitForCrawl(context.Background(), res.ID, &scopix.WaitCrawlOptions{Timeout: 30 * time.Millisecond, Interval: 5 * time.Millisecond})
		var te *scopix.TimeoutError
		require.ErrorAs(t, err, &te)
		last, ok := te.LastResult.(*scopix.Link)
		require.True(t, ok, "LastResult is the last *Link, got %T", te.LastResult)
		assert.Equal(t, scopix.CrawlQueued, last.CrawlStatus)
	})
}

func TestFiles_TriggerVariantsOnTheFakeServer(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ids := uploadN(t, c, 1)
	v, err := c.Files.TriggerVariants(context.Background(), ids[0])
	require.NoError(t, err)
	assert.True(t, v.Success)
	assert.Equal(t, ids[0], v.ImageID)
	assert.NotEmpty(t, v.TaskID)
}

func TestLinks_ServerErrorsAreTyped(t *testing.T) {
	t.Parallel()
	notFound := `{"error":{"code":"NOT_FOUND","message":"Link not found"}}`
	runStatusCases(t, []statusCase{
		{name: "Create 400", status: 400, body: `{"error":"Invalid URL","error_code":"INVALID_URL"}`, check: isValidation,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Links.Create(ctx, "https://example.com", nil)
				return err
			}},
		{name: "Recrawl 400", status: 400, body: `{"error":"Not a link"}`, check: isValidation,
			call: func(ctx context.Context, c *scopix.Client) error { _, err := c.Links.Recrawl(ctx, "l1"); return err }},
		{name: "Recrawl 404", status: 404, body: notFound, check: isNotFound,
			call: func(ctx context.Context, c *scopix.Client) error { _, err := c.Links.Recrawl(ctx, "l1"); return err }},
		{name: "Recrawl 429", status: 429, body: `{"error":"Recrawl too frequent"}`, check: isRateLimited,
			call: func(ctx context.Context, c *scopix.Client) error { _, err := c.Links.Recrawl(ctx, "l1"); return err }},
		{name: "Get 404", status: 404, body: notFound, check: isNotFound,
			call: func(ctx context.Context, c *scopix.Client) error { _, err := c.Links.Get(ctx, "l1"); return err }},
		{name: "List 422", status: 422, body: `{"detail":[{"loc":["query","limit"],"msg":"bad","type":"value_error"}]}`, check: isValidation,
			call: func(ctx context.Context, c *scopix.Client) error { _, err := c.Links.List(ctx, nil); return err }},
		{name: "ListAll yields the error", status: 500, body: `{"detail":"boom"}`,
			check: func(t *testing.T, err error) {
				var se *scopix.ServerError
				assert.ErrorAs(t, err, &se)
			},
			call: func(ctx context.Context, c *scopix.Client) error {
				for _, err := range c.Links.ListAll(ctx, nil) {
					return err
				}
				return nil
			}},
		{name: "Update 404", status: 404, body: notFound, check: isNotFound,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Links.Update(ctx, "l1", &scopix.FileUpdateParams{Title: scopix.Ptr("t")})
				return err
			}},
		{name: "Delete 404", status: 404, body: notFound, check: isNotFound,
			call: func(ctx context.Context, c *scopix.Client) error { _, err := c.Links.Delete(ctx, "l1"); return err }},
		{name: "BatchDelete 400", status: 400, body: `{"detail":"too many"}`, check: isValidation,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Links.BatchDelete(ctx, []string{"l1"})
				return err
			}},
		{name: "WaitForCrawl 404", status: 404, body: notFound, check: isNotFound,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Links.WaitForCrawl(ctx, "l1", nil)
				return err
			}},
		{name: "TriggerVariants 403", status: 403, body: `{"detail":"File does not belong to the requesting user"}`, check: isPermission,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Files.TriggerVariants(ctx, "i1")
				return err
			}},
		{name: "TriggerVariants 404", status: 404, body: notFound, check: isNotFound,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Files.TriggerVariants(ctx, "i1")
				return err
			}},
		{name: "TriggerVariants 500", status: 500, body: `{"detail":"Task queue service unavailable"}`,
			check: func(t *testing.T, err error) {
				var se *scopix.ServerError
				assert.ErrorAs(t, err, &se)
			},
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Files.TriggerVariants(ctx, "i1")
				return err
			}},
	})
}

func TestLinks_InvalidArgumentsFailBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	create := func(u string, p *scopix.LinkCreateParams) func(context.Context, *scopix.Client) error {
		return func(ctx context.Context, c *scopix.Client) error { _, err := c.Links.Create(ctx, u, p); return err }
	}
	manyTags := make([]string, 41)
	for i := range manyTags {
		manyTags[i] = "t"
	}
	runArgCases(t, []argCase{
		{"Create without URL", "url", create("", nil)},
		{"Create with a relative URL", "url", create("/docs", nil)},
		{"Create with an ftp URL", "url", create("ftp://example.com/x", nil)},
		{"Create without a host", "url", create("https://", nil)},
		{"Create with a long URL", "url", create("https://example.com/"+strings.Repeat("a", 2048), nil)},
		{"Create with a long title", "title", create("https://example.com", &scopix.LinkCreateParams{Title: strings.Repeat("t", 501)})},
		{"Create with 41 tags", "tags", create("https://example.com", &scopix.LinkCreateParams{Tags: manyTags})},
		{"Create with an empty tag", "tags[0]", create("https://example.com", &scopix.LinkCreateParams{Tags: []string{""}})},
		{"CreateAndWait without crawl", "auto_crawl", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Links.CreateAndWait(ctx, "https://example.com", &scopix.LinkCreateParams{AutoCrawl: scopix.Ptr(false)}, nil)
			return err
		}},
		{"Recrawl without id", "link_id", func(ctx context.Context, c *scopix.Client) error { _, err := c.Links.Recrawl(ctx, ".."); return err }},
		{"Get without id", "link_id", func(ctx context.Context, c *scopix.Client) error { _, err := c.Links.Get(ctx, ""); return err }},
		{"WaitForCrawl without id", "link_id", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Links.WaitForCrawl(ctx, "", nil)
			return err
		}},
		{"List with limit 101", "limit", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Links.List(ctx, &scopix.LinkListParams{Limit: 101})
			return err
		}},
		{"Update with nothing", "params", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Links.Update(ctx, "l1", &scopix.FileUpdateParams{})
			return err
		}},
		{"Delete without id", "id", func(ctx context.Context, c *scopix.Client) error { _, err := c.Links.Delete(ctx, ""); return err }},
		{"BatchDelete without ids", "file_ids", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Links.BatchDelete(ctx, nil)
			return err
		}},
		{"TriggerVariants without id", "id", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Files.TriggerVariants(ctx, ".")
			return err
		}},
	})
}
