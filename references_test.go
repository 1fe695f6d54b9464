package scopix_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

// citationMetadata is metadata in the shape the API sends (decoded JSON).
func citationMetadata(t testing.TB, doc string) map[string]any {
	t.Helper()
	var md map[string]any
	require.NoError(t, json.Unmarshal([]byte(doc), &md))
	return md
}

const searchRefs = `{"result_refs": {
	"search_1": {"count": 15, "ids": ["550e8400-e29b-41d4-a716-446655440000"], "image_ids": ["550e8400-e29b-41d4-a716-446655440000"], "id_type": "image", "label": "images"},
	"search_2": {"count": 2, "ids": ["d1", "d2"], "image_ids": [], "id_type": "document", "label": "documents"},
	"ref:0": {"count": 4, "ids": ["v1"], "image_ids": [], "id_type": "video", "label": "videos"}
}}`

func TestResolveContent_ReplacesEachMarkerAsThePythonSDKDoes(t *testing.T) {
	t.Parallel()
	md := citationMetadata(t, searchRefs)
	tests := []struct {
		name, in, want string
		md             map[string]any
	}{
		{"ref is the count", "Found [[ref:search_1]] images", "Found 15 images", md},
		{"two refs", "[[ref:search_1]] chunks in [[ref:search_2]] documents", "15 chunks in 2 documents", md},
		{"ref keyed ref:KEY in result_refs", "Found [[ref:0]] videos", "Found 4 videos", md},
		{"ref without result_refs resolves to nothing", "Found [[ref:search_9]] images", "Found  images", md},
		{"ref with nil metadata", "Found [[ref:search_1]] images", "Found  images", nil},
		{"image is its filename", "See [[img:550e8400|pole_damage_01.jpg]].", "See pole_damage_01.jpg.", nil},
		{"document is its filename", "[[doc:ab12|safety.pdf]] says so", "safety.pdf says so", nil},
		{"document page", "[[doc:ab12|safety.pdf|p:5]]", "safety.pdf (p.5)", nil},
		{"document page range", "[[doc:ab12|safety.pdf|pp:3-7]]", "safety.pdf (pp.3-7)", nil},
		{"document name keeps a bar that is no page", "[[doc:ab12|a|b.pdf]]", "a|b.pdf", nil},
		{"link is its title, bars included", "Read [[link:77aa|Pole care | Utility Weekly]]", "Read Pole care | Utility Weekly", nil},
		{"plain text is untouched", "No citations here [[ or ]] here", "No citations here [[ or ]] here", nil},
		{"image without a name is left", "[[img:ab12]]", "[[img:ab12]]", nil},
		{"empty ref key is left", "[[ref:]]", "[[ref:]]", nil},
		{"empty id is left", "[[img:|x.jpg]]", "[[img:|x.jpg]]", nil},
		{"unknown kind is left", "[[video:ab|x]]", "[[video:ab|x]]", nil},
		{"innermost opening bracket wins", "[[[img:ab|x.jpg]]", "[x.jpg", nil},
		{"markers side by side", "[[img:a|1.jpg]][[img:b|2.jpg]]", "1.jpg2.jpg", nil},
		{"multibyte names", "[[img:ab|Brücke–Süd.jpg]] ✓", "Brücke–Süd.jpg ✓", nil},
		{"typed result refs", "[[ref:k]]", "7", map[string]any{"result_refs": map[string]scopix.ResultRef{"k": {Count: 7}}}},
		{"malformed count is skipped", "[[ref:k]]", "", map[string]any{"result_refs": map[string]any{"k": map[string]any{"count": "many"}}}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, scopix.ResolveContent(tt.in, tt.md), tt.name)
	}
}

func TestParseReferences_FindsFullIDsInTheMetadata(t *testing.T) {
	t.Parallel()
	md := citationMetadata(t, `{
		"result_refs": {"search_1": {"count": 2, "ids": ["img-1", "img-2"], "image_ids": ["img-1", "img-2"], "id_type": "image", "label": "images"}},
		"image_context": [{"image_id": "ab12cd34-0000-4000-8000-000000000001", "filename": "north.jpg"}],
		"tool_document_data": {"0f0e0d0c-1111-4111-8111-111111111111": {"filename": "spec.pdf"}},
		"tool_link_data": [{"link_id": "77aa0000-2222-4222-8222-222222222222", "source_url": "https://example.org/poles", "domain": "example.org"}]
	}`)
	content := "Found [[ref:search_1]] images: [[img:AB12CD34|north.jpg]] and [[img:ffff|south.jpg]]. " +
		"See [[doc:0f0e0d0c|spec.pdf|p:5]], [[doc:0f0e0d0c|spec.pdf|pp:3-7]] and [[link:77aa|Pole care]]. " +
		"Again [[img:AB12CD34|north.jpg]] and [[ref:missing]]."

	refs := scopix.ParseReferences(content, md)
	assert.True(t, refs.HasReferences())
	assert.Equal(t, []scopix.ImageRef{
		{IDPrefix: "AB12CD34", Filename: "north.jpg", FullID: "ab12cd34-0000-4000-8000-000000000001"},
		{IDPrefix: "ffff", Filename: "south.jpg"},
	}, refs.Images, "one entry per distinct marker; prefixes match ignoring case; unknown ids stay empty")
	assert.Equal(t, []scopix.DocumentRef{
		{IDPrefix: "0f0e0d0c", Filename: "spec.pdf", FullID: "0f0e0d0c-1111-4111-8111-111111111111", Page: 5},
		{IDPrefix: "0f0e0d0c", Filename: "spec.pdf", FullID: "0f0e0d0c-1111-4111-8111-111111111111", PageStart: 3, PageEnd: 7},
	}, refs.Documents)
	assert.Equal(t, []scopix.LinkRef{{IDPrefix: "77aa", Title: "Pole care", FullID: "77aa0000-2222-4222-8222-222222222222",
		SourceURL: "https://example.org/poles", Domain: "example.org"}}, refs.Links)
	assert.Equal(t, map[string]scopix.ResultRef{"search_1": {Count: 2, IDs: []string{"img-1", "img-2"},
		ImageIDs: []string{"img-1", "img-2"}, IDType: "image", Label: "images"}}, refs.Counts)

	none := scopix.ParseReferences("no markup", md)
	assert.False(t, none.HasReferences())
	assert.Empty(t, scopix.ParseReferences(content, nil).Images[0].FullID, "nil metadata: no full ids")
}

// FuzzResolveContent checks that the parser never panics on any text, that
// text without markup passes unchanged, and that well-formed markers never
// survive resolution.
func FuzzResolveContent(f *testing.F) {
	f.Add("Found [[ref:search_1]] images [[img:ab|x.jpg]]", "search_1", "ab12", "pole 1.jpg")
	f.Add("[[[doc:ab|a|p:1]]]]", "0", "x", "a|b")
	f.Add("]][[", "k", "i", "n")
	f.Add("[[link:|]][[ref:]]", " ", "\x00", "é")
	md := map[string]any{"result_refs": map[string]any{"search_1": map[string]any{"count": 3}}}
	f.Fuzz(func(t *testing.T, raw, key, id, name string) {
		out := scopix.ResolveContent(raw, md)
		_ = scopix.ParseReferences(raw, md)
		if !strings.Contains(raw, "[[") {
			require.Equal(t, raw, out)
		}

		clean := strings.NewReplacer("[", "", "]", "", "|", "")
		key, id, name = clean.Replace(key), clean.Replace(id), clean.Replace(name)
		text := clean.Replace(raw)
		if strings.TrimSpace(key) == "" || strings.TrimSpace(id) == "" || name == "" {
			return
		}
		content := text + "[[ref:" + key + "]] [[img:" + id + "|" + name + "]] [[doc:" + id + "|" + name + "|p:3]] " +
			"[[doc:" + id + "|" + name + "|pp:1-2]] [[link:" + id + "|" + name + "]]" + text
		got := scopix.ResolveContent(content, md)
		for _, marker := range []string{"[[ref:", "[[img:", "[[doc:", "[[link:"} {
			require.NotContains(t, got, marker)
		}
		require.Contains(t, got, name+" (p.3)")
		require.Contains(t, got, name+" (pp.1-2)")
		refs := scopix.ParseReferences(content, md)
		require.Len(t, refs.Images, 1)
		require.Len(t, refs.Documents, 2)
		require.Len(t, refs.Links, 1)
	})
}

// ResolveContent turns an answer's citation markup into text a person can
// read; ParseReferences lists what it cites, for links in a user interface.
func ExampleResolveContent() {
	content := "Found [[ref:search_1]] damaged poles, e.g. [[img:550e8400|pole_07.jpg]] " +
		"(see [[doc:9a8b7c6d|inspection.pdf|pp:3-4]])."
	metadata := map[string]any{
		"result_refs":   map[string]any{"search_1": map[string]any{"count": 15, "id_type": "image", "label": "images"}},
		"image_context": []any{map[string]any{"image_id": "550e8400-e29b-41d4-a716-446655440000"}},
	}
	fmt.Println(scopix.ResolveContent(content, metadata))
	refs := scopix.ParseReferences(content, metadata)
	fmt.Println(refs.Images[0].FullID, refs.Documents[0].PageStart, refs.Documents[0].PageEnd)
	// Output:
	// Found 15 damaged poles, e.g. pole_07.jpg (see inspection.pdf (pp.3-4)).
	// 550e8400-e29b-41d4-a716-446655440000 3 4
}
