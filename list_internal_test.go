package scopix

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type listItem struct {
	ID string `json:"id"`
}

func TestDecodeListPage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        string
		wantIDs   []string
		wantTotal int
		wantMore  bool
		wantErr   string
	}{
		{"documented key", `{"files":[{"id":"a"},{"id":"b"}],"total_count":9,"has_more":true}`, []string{"a", "b"}, 9, true, ""},
		{"generic key", `{"items":[{"id":"a"}],"total_count":1,"has_more":false}`, []string{"a"}, 1, false, ""},
		{"documented key wins", `{"items":[{"id":"x"}],"files":[{"id":"a"}]}`, []string{"a"}, 1, false, ""},
		{"null list falls through", `{"files":null,"items":[{"id":"a"}]}`, []string{"a"}, 1, false, ""},
		{"total as total", `{"files":[],"total":4}`, []string{}, 4, false, ""},
		{"total as count", `{"files":[{"id":"a"}],"count":3}`, []string{"a"}, 3, false, ""},
		{"no total: the items", `{"files":[{"id":"a"}]}`, []string{"a"}, 1, false, ""},
		{"no list: empty, not nil", `{"total_count":0}`, []string{}, 0, false, ""},
		{"unknown fields ignored", `{"files":[{"id":"a","new":1}],"cursor":"z"}`, []string{"a"}, 1, false, ""},
		{"a bad item names the key", `{"files":[{"id":5}]}`, nil, 0, false, `"files"`},
		{"a bad total names the key", `{"files":[],"total_count":"many"}`, nil, 0, false, `"total_count"`},
		{"not an object", `[1,2]`, nil, 0, false, "cannot unmarshal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			page, err := decodeListPage[listItem]([]byte(tt.in), listKeyFiles, listKeyItems)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			ids := []string{}
			for _, it := range page.Items {
				ids = append(ids, it.ID)
			}
			assert.Equal(t, tt.wantIDs, ids)
			assert.NotNil(t, page.Items)
			assert.Equal(t, tt.wantTotal, page.TotalCount)
			assert.Equal(t, tt.wantMore, page.HasMore)
		})
	}
}

func FuzzDecodeListPage(f *testing.F) {
	for _, s := range []string{`{"files":[{"id":"a"}],"total_count":1,"has_more":true}`, `{"items":null}`, `{}`, `[]`, `null`, `{"count":1e3}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		page, err := decodeListPage[listItem]([]byte(in), listKeyFiles, listKeyItems)
		if err != nil {
			return
		}
		// Whatever decodes yields a usable page: a list, never nil.
		require.NotNil(t, page.Items)
		assert.True(t, json.Valid([]byte(in)), "only valid JSON decodes")
	})
}

// A session results page decodes in one pass by the rules of
// decodeListPage: the same results, total and has_more.
func TestSessionResultsPage_DecodesLikeDecodeListPage(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{"results":[{"image_id":"a"},{"image_id":"b"}],"total_count":9,"has_more":true}`,
		`{"items":[{"image_id":"a"}],"total_count":1}`,
		`{"items":[{"image_id":"x"}],"results":[{"image_id":"a"}]}`,
		`{"results":null,"items":[{"image_id":"a"}]}`,
		`{"results":[],"total":4}`,
		`{"results":[{"image_id":"a"}],"count":3}`,
		`{"results":[{"image_id":"a"}],"total_count":null,"total":2}`,
		`{"results":[{"image_id":"a"}]}`,
		`{"total_count":0}`,
		`{"session_id":"s","results":[{"image_id":"a","new":1}],"offset":5,"limit":1,"cursor":"z"}`,
	} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			want, err := decodeListPage[UploadResult]([]byte(in), listKeyResults, listKeyItems)
			require.NoError(t, err)
			var got SessionResultsPage
			require.NoError(t, json.Unmarshal([]byte(in), &got))
			assert.Equal(t, want.Items, got.Results)
			assert.NotNil(t, got.Results)
			assert.Equal(t, want.TotalCount, got.TotalCount)
			assert.Equal(t, want.HasMore, got.HasMore)
		})
	}
	var got SessionResultsPage
	require.NoError(t, json.Unmarshal([]byte(`{"session_id":"s","offset":5,"limit":1,"summary":{"completed":1}}`), &got))
	assert.Equal(t, "s", got.SessionID)
	assert.Equal(t, 5, got.Offset)
	assert.Equal(t, 1, got.Limit)
	assert.Equal(t, 1, got.Summary.Completed)
}

func FuzzSessionResultsPage(f *testing.F) {
	for _, s := range []string{`{"results":[{"image_id":"a"}],"total_count":1,"has_more":true}`, `{"items":null}`, `{"results":null,"count":2}`, `{}`, `[]`, `null`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var got SessionResultsPage
		if err := json.Unmarshal([]byte(in), &got); err != nil {
			return
		}
		// Whatever decodes yields a usable page, as decodeListPage's does.
		require.NotNil(t, got.Results)
		assert.True(t, json.Valid([]byte(in)), "only valid JSON decodes")
		// Struct fields match keys case-insensitively (and by Unicode
		// folding), decodeListPage's map exactly: compare lower-case ASCII.
		lowerASCII := !strings.ContainsFunc(in, func(r rune) bool { return r >= utf8.RuneSelf || unicode.IsUpper(r) })
		if want, err := decodeListPage[UploadResult]([]byte(in), listKeyResults, listKeyItems); err == nil && lowerASCII {
			assert.Equal(t, len(want.Items), len(got.Results))
			assert.Equal(t, want.TotalCount, got.TotalCount)
		}
	})
}

// Every list type reads its documented key and "items" alike.
func TestListTypes_ReadTheDocumentedKeyAndItems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		key    string
		item   string
		decode func(data []byte) (items, total int, err error)
	}{
		{"FileList", "files", `{}`, func(d []byte) (int, int, error) {
			var l FileList
			err := json.Unmarshal(d, &l)
			return len(l.Items), l.TotalCount, err
		}},
		{"ChatSessionList", "sessions", `{}`, func(d []byte) (int, int, error) {
			var l ChatSessionList
			err := json.Unmarshal(d, &l)
			return len(l.Items), l.TotalCount, err
		}},
		{"ConnectionList", "connections", `{}`, func(d []byte) (int, int, error) {
			var l ConnectionList
			err := json.Unmarshal(d, &l)
			return len(l.Connections), l.TotalCount, err
		}},
		{"S3JobList", "jobs", `{}`, func(d []byte) (int, int, error) {
			var l S3JobList
			err := json.Unmarshal(d, &l)
			return len(l.Jobs), l.TotalCount, err
		}},
		{"VideoSceneList", "scenes", `{}`, func(d []byte) (int, int, error) {
			var l VideoSceneList
			err := json.Unmarshal(d, &l)
			return len(l.Scenes), l.Count, err
		}},
		{"SessionResultsPage", "results", `{}`, func(d []byte) (int, int, error) {
			var l SessionResultsPage
			err := json.Unmarshal(d, &l)
			return len(l.Results), l.TotalCount, err
		}},
		{"uploadSessionList", "sessions", `{}`, func(d []byte) (int, int, error) {
			var l uploadSessionList
			err := json.Unmarshal(d, &l)
			return len(l.Sessions), l.TotalCount, err
		}},
		{"ChatImageList", "image_ids", `"x"`, func(d []byte) (int, int, error) {
			var l ChatImageList
			err := json.Unmarshal(d, &l)
			return len(l.ImageIDs), l.TotalCount, err
		}},
	}
	for _, tt := range tests {
		for _, key := range []string{tt.key, "items"} {
			t.Run(tt.name+"/"+key, func(t *testing.T) {
				t.Parallel()
				items, total, err := tt.decode([]byte(`{"` + key + `":[` + tt.item + `,` + tt.item + `],"total_count":7}`))
				require.NoError(t, err)
				assert.Equal(t, 2, items, "a page never looks empty because of its key")
				assert.Equal(t, 7, total)
			})
		}
	}
}
