package scopix_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	scopix "github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// These tests run the SDK against answers written by the REST reference,
// not by our fake: a wire answers with the reference's example
// (testdata/conformance) verbatim, and the same behaviour is checked on
// scopixtest, which must tell the same documented truth.

// fixture returns a reference example from testdata/conformance.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "conformance", name))
	require.NoError(t, err)
	return data
}

// referenceClient returns a client (no retries, no breaker) of a wire
// that answers every request under /api/v2 with answer(r), so a path the
// SDK builds wrongly cannot match.
func referenceClient(t *testing.T, answer func(r *http.Request) []byte) *scopix.Client {
	t.Helper()
	return answeringClient(t, http.StatusOK, answer)
}

// answeringClient is referenceClient answering with status.
func answeringClient(t *testing.T, status int, answer func(r *http.Request) []byte) *scopix.Client {
	t.Helper()
	w := newWire(t, scopix.WithMaxRetries(0), scopix.WithoutCircuitBreaker())
	w.Mux.HandleFunc("/", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(status)
		_, _ = rw.Write(answer(r))
	})
	return w.Client
}

func TestReference_ListReadsTheDocumentedFilesKey(t *testing.T) {
	t.Parallel()
	c := referenceClient(t, func(*http.Request) []byte { return fixture(t, "files_list.json") })
	page, err := c.Files.List(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 1, "the documented answer lists its files under \"files\"")
	f := page.Items[0]
	assert.Equal(t, "550e8400-e29b-41d4-a716-446655440000", f.ID)
	assert.Equal(t, "site_photo.jpg", f.Filename)
	assert.Equal(t, scopix.MediaType("image"), f.MediaType)
	assert.Equal(t, 150, page.TotalCount)
	assert.True(t, page.HasMore)
	assert.True(t, time.Date(2025, 1, 15, 10, 30, 0, 0, time.UTC).Equal(f.CreatedAt.Time))
}

func TestReference_ListAllFollowsDocumentedPages(t *testing.T) {
	t.Parallel()
	last := strings.Replace(string(fixture(t, "files_list.json")), `"has_more": true`, `"has_more": false`, 1)
	var offsets []string
	c := referenceClient(t, func(r *http.Request) []byte {
		offsets = append(offsets, r.URL.Query().Get("offset"))
		if len(offsets) == 1 {
			return fixture(t, "files_list.json")
		}
		return []byte(last)
	})
	var ids []string
	for f, err := range c.Files.ListAll(context.Background(), nil) {
		require.NoError(t, err)
		ids = append(ids, f.ID)
	}
	assert.Len(t, ids, 2, "ListAll reads both pages of the documented shape")
	assert.Equal(t, []string{"", "1"}, offsets, "the second page starts after the first")
}

// naiveTimestamps rewrites every "…Z" timestamp of a reference example into
// the zone-less microsecond form FastAPI sends by default
// ("2025-01-15T10:30:00.123456"), the form of the reference's own
// documents.md example.
func naiveTimestamps(data []byte) []byte {
	return []byte(strings.ReplaceAll(string(data), `:00Z"`, `:00.123456"`))
}

func TestReference_NaiveTimestampsDecode(t *testing.T) {
	t.Parallel()
	want := time.Date(2025, 1, 15, 10, 30, 0, 123456000, time.UTC)
	c := referenceClient(t, func(r *http.Request) []byte {
		if strings.HasSuffix(r.URL.Path, "/files") {
			return naiveTimestamps(fixture(t, "files_list.json"))
		}
		return naiveTimestamps(fixture(t, "files_get.json"))
	})
	page, err := c.Files.List(context.Background(), nil)
	require.NoError(t, err, "a naive timestamp must not fail the answer")
	require.Len(t, page.Items, 1)
	assert.True(t, want.Equal(page.Items[0].CreatedAt.Time), "naive means UTC: %v", page.Items[0].CreatedAt)

	f, err := c.Files.Get(context.Background(), "550e8400-e29b-41d4-a716-446655440000")
	require.NoError(t, err)
	assert.True(t, want.Equal(f.CreatedAt.Time))
	require.Len(t, f.FullDescriptions, 1)
	assert.False(t, f.FullDescriptions[0].CreatedAt.IsZero(), "nested timestamps decode too")
}

func TestReference_MalformedTimestampIsBadResponseNamingTheField(t *testing.T) {
	t.Parallel()
	c := referenceClient(t, func(*http.Request) []byte {
		return []byte(strings.Replace(string(fixture(t, "files_list.json")),
			`"created_at": "2025-01-15T10:30:00Z"`, `"created_at": "last tuesday"`, 1))
	})
	_, err := c.Files.List(context.Background(), nil)
	var base *scopix.Error
	require.ErrorAs(t, err, &base)
	assert.Equal(t, scopix.CodeResponseUnreadable, base.Code)
	assert.Contains(t, err.Error(), "created_at", "the error says which field was malformed")
}

func TestScopixtest_ListsUnderTheDocumentedKeyWithNaiveTimestamps(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	dir := t.TempDir()
	for _, name := range []string{"a.jpg", "b.jpg", "c.jpg"} {
		_, err := c.Files.Upload(ctx, writeFile(t, dir, name, []byte("\xff\xd8"+name)), nil)
		require.NoError(t, err)
	}

	var raw map[string]json.RawMessage
	require.NoError(t, c.Do(ctx, http.MethodGet, "/files?limit=2", nil, &raw))
	assert.Contains(t, raw, "files", "the fake answers with the documented list key")
	var items []struct {
		CreatedAt string `json:"created_at"`
	}
	require.NoError(t, json.Unmarshal(raw["files"], &items))
	require.NotEmpty(t, items)
	assert.NotContains(t, items[0].CreatedAt, "Z", "the fake sends FastAPI's naive timestamps")

	page, err := c.Files.List(ctx, &scopix.FileListParams{Limit: 2})
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)
	assert.Equal(t, 3, page.TotalCount)
	assert.True(t, page.HasMore)
	assert.False(t, page.Items[0].CreatedAt.IsZero())

	var n int
	for f, err := range c.Files.ListAll(ctx, &scopix.FileListParams{Limit: 2}) {
		require.NoError(t, err)
		assert.False(t, f.CreatedAt.IsZero())
		n++
	}
	assert.Equal(t, 3, n, "ListAll crosses pages of the documented shape")

	got, err := c.Files.Get(ctx, page.Items[0].ID)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now(), got.CreatedAt.Time, time.Hour, "naive timestamps are read as UTC")
}

func TestReference_ProcessingStatusReadsBothDocumentedShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture        string
		wantID         string
		wantDesc       scopix.DescriptionStatus
		wantVariant    string
		wantExtraction string
	}{
		{"files_status_unified.json", "550e8400-e29b-41d4-a716-446655440000", scopix.DescriptionPending, "processing", ""},
		{"files_status_document.json", "550e8400-e29b-41d4-a716-446655440000", "", "", "completed"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			c := referenceClient(t, func(*http.Request) []byte { return fixture(t, tt.fixture) })
			st, err := c.Files.ProcessingStatus(context.Background(), "550e8400")
			require.NoError(t, err)
			assert.Equal(t, tt.wantID, st.FileID, "image_id or document_id names the file")
			assert.Equal(t, tt.wantDesc, st.DescriptionStatus, "the nested description status is lifted")
			assert.Equal(t, tt.wantVariant, st.VariantStatus)
			assert.Equal(t, tt.wantExtraction, st.TextExtractionStatus)
		})
	}
}

func TestScopixtest_ProcessingStatusOfAnImageIsTheNestedShape(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t, scopixtest.WithDescriptionDelay(20*time.Millisecond))
	c := srv.Client()
	ctx := context.Background()
	res, err := c.Files.Upload(ctx, writeFile(t, t.TempDir(), "a.jpg", []byte("\xff\xd8a")), nil)
	require.NoError(t, err)

	var raw map[string]any
	require.NoError(t, c.Do(ctx, http.MethodGet, "/files/"+res.ImageID+"/status", nil, &raw))
	assert.Contains(t, raw, "component_statuses", "the fake answers with the documented unified shape")
	assert.NotContains(t, raw, "description_status")

	st, err := c.Files.WaitForProcessing(ctx, res.ImageID, &scopix.WaitProcessingOptions{Interval: 5 * time.Millisecond})
	require.NoError(t, err)
	assert.Equal(t, scopix.DescriptionCompleted, st.DescriptionStatus)
	assert.Equal(t, "completed", st.UnifiedStatus)
	assert.Equal(t, res.ImageID, st.FileID)
}

func TestScopixtest_ChatTimestampsAreNaiveAndDecode(t *testing.T) {
	t.Parallel()
	_, c, id := newChatSession(t)
	ctx := context.Background()
	_, err := c.Chat.Send(ctx, id, chatQuestion, nil)
	require.NoError(t, err)

	var raw struct {
		Messages []struct {
			CreatedAt string `json:"created_at"`
		} `json:"messages"`
	}
	require.NoError(t, c.Do(ctx, http.MethodGet, "/chat/sessions/"+id, nil, &raw))
	require.NotEmpty(t, raw.Messages)
	assert.NotContains(t, raw.Messages[0].CreatedAt, "Z", "the fake sends FastAPI's naive timestamps")

	msgs, err := c.Chat.Messages(ctx, id, 10)
	require.NoError(t, err)
	require.NotEmpty(t, msgs)
	assert.WithinDuration(t, time.Now(), msgs[0].CreatedAt.Time, time.Hour, "naive timestamps are read as UTC")

	list, err := c.Chat.ListSessions(ctx, nil)
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	assert.False(t, list.Items[0].LastMessageAt.IsZero())
}
