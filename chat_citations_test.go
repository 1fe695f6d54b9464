package scopix_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// The answers below are the reference's documented examples (api/chat.md:
// send message, get session, the stream's complete event) with the
// citation markup and metadata its chat types describe.
const (
	documentedSendAnswer = `{
  "message_id": "550e8400-e29b-41d4-a716-446655440000",
  "content": "Found [[ref:search_1]] damaged poles. The worst is [[img:660f9500|pole_damage_01.jpg]], see [[doc:770a0600|inspection.pdf|p:5]].",
  "token_count": 450,
  "processing_time_ms": 2500,
  "remaining_tokens": 94550,
  "remaining_messages": 97,
  "metadata": {"vision_used": true, "result_refs": {"search_1": {"count": 15, "ids": ["660f9500-f39c-52e5-b827-557766550111"], "image_ids": ["660f9500-f39c-52e5-b827-557766550111"], "id_type": "image", "label": "images"}}}
}`
	documentedSendResolved = "Found 15 damaged poles. The worst is pole_damage_01.jpg, see inspection.pdf (p.5)."

	documentedSessionAnswer = `{
  "session": {"id": "550e8400-e29b-41d4-a716-446655440000", "title": "Equipment Analysis", "total_messages": 2,
    "remaining_tokens": 94000, "remaining_messages": 96, "is_active": true, "use_all_images": false,
    "selected_image_count": 1, "context_summary": null},
  "messages": [
    {"id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890", "role": "user", "content": "What damage do you see?",
     "token_count": 12, "created_at": "2025-01-15T10:31:00Z"},
    {"id": "b2c3d4e5-f6a7-8901-bcde-f12345678901", "role": "assistant",
     "content": "I see corrosion on [[img:550e8400|beam.jpg]] in [[ref:search_1]] images ([[link:88bb|Corrosion guide | NACE]]).",
     "token_count": 450, "processing_time_ms": 1250,
     "image_context": [{"image_id": "550e8400-e29b-41d4-a716-446655440000", "description": "Steel beam with rust", "confidence": 0.95}],
     "metadata": {"vision_used": true, "offers_detailed_analysis": false,
       "result_refs": {"search_1": {"count": 3, "ids": ["550e8400-e29b-41d4-a716-446655440000"], "image_ids": [], "id_type": "image", "label": "images"}}}}
  ],
  "selected_image_ids": ["550e8400-e29b-41d4-a716-446655440000"],
  "selected_video_ids": []
}`
)

// Failure 4 of the fidelity issue: Send copied the raw content, markup and
// all, into ResolvedContent.
func TestChatSend_ResolvesCitationsOnTheDocumentedWire(t *testing.T) {
	t.Parallel()
	w := newWire(t)
	w.Mux.Handle("/", script(reply{status: 200, body: documentedSendAnswer}))
	c := w.Client
	res, err := c.Chat.Send(context.Background(), "550e8400-e29b-41d4-a716-446655440000", "Find damaged poles", nil)
	require.NoError(t, err)
	assert.Contains(t, res.Content, "[[ref:search_1]]", "Content stays as sent")
	assert.Equal(t, documentedSendResolved, res.ResolvedContent)

	refs := res.References()
	require.Len(t, refs.Images, 1)
	assert.Equal(t, "pole_damage_01.jpg", refs.Images[0].Filename)
	require.Len(t, refs.Documents, 1)
	assert.Equal(t, 5, refs.Documents[0].Page)
	assert.Equal(t, 15, res.ResultRefs()["search_1"].Count)
}

func TestChatMessages_ResolveCitationsOnTheDocumentedWire(t *testing.T) {
	t.Parallel()
	w := newWire(t)
	w.Mux.Handle("/", script(reply{status: 200, body: documentedSessionAnswer}))
	c := w.Client
	msgs, err := c.Chat.Messages(context.Background(), "550e8400-e29b-41d4-a716-446655440000", 0)
	require.NoError(t, err)
	require.Len(t, msgs, 2)
	assert.Equal(t, "What damage do you see?", msgs[0].ResolvedContent, "text without markup resolves to itself")
	assert.Equal(t, "I see corrosion on beam.jpg in 3 images (Corrosion guide | NACE).", msgs[1].ResolvedContent)
	refs := msgs[1].References()
	require.Len(t, refs.Images, 1)
	assert.Equal(t, "550e8400-e29b-41d4-a716-446655440000", refs.Images[0].FullID, "full id from the message's image_context")
	assert.Equal(t, 3, msgs[1].ResultRefs()["search_1"].Count)
}

func TestChatStream_FinalAnswerIsResolvedWhateverTheServerSent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, complete string
	}{
		{"no resolved_content, result_refs beside content",
			`{"type":"complete","content":"Found [[ref:r1]] poles: [[img:ab12|p.jpg]]","message_id":"m1","result_refs":{"r1":{"count":2,"ids":["a","b"],"image_ids":["a","b"],"id_type":"image","label":"images"}}}`},
		{"resolved_content copied raw, result_refs in metadata",
			`{"type":"complete","content":"Found [[ref:r1]] poles: [[img:ab12|p.jpg]]","resolved_content":"Found [[ref:r1]] poles: [[img:ab12|p.jpg]]","message_id":"m1","metadata":{"result_refs":{"r1":{"count":2,"ids":["a","b"],"image_ids":[],"id_type":"image","label":"images"}}}}`},
		{"resolved by the server",
			`{"type":"complete","content":"Found [[ref:r1]] poles: [[img:ab12|p.jpg]]","resolved_content":"Found 2 poles: p.jpg","message_id":"m1"}`},
	}
	for _, tt := range tests {
		stream := "event: token\nid: 1\ndata: {\"type\":\"token\",\"content\":\"Found \",\"token_index\":0}\n\n" +
			"event: complete\ndata: " + tt.complete + "\n\nevent: close\ndata: {\"type\":\"close\"}\n\n"
		res, err := scopix.CollectStream(scopix.DecodeChatStream(strings.NewReader(stream)), nil)
		require.NoError(t, err, tt.name)
		assert.Equal(t, "Found 2 poles: p.jpg", res.ResolvedContent, tt.name)
	}
}

// uploadCited stores images and documents on the fake and returns their ids.
func uploadCited(t *testing.T, c *scopix.Client, names ...string) []string {
	t.Helper()
	var ids []string
	for _, name := range names {
		data := []byte("fake bytes of " + name)
		res, err := c.Files.UploadReader(context.Background(), name, bytes.NewReader(data), int64(len(data)), nil)
		require.NoError(t, err)
		ids = append(ids, res.ImageID)
	}
	return ids
}

func TestChat_CitationsResolvedOnScopixtest(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	images := uploadCited(t, c, "north facade.jpg", "south.jpg")
	docs := uploadCited(t, c, "survey.pdf", "appendix.pdf")
	sess, err := c.Chat.CreateSession(ctx, &scopix.CreateSessionParams{ImageIDs: images})
	require.NoError(t, err)
	_, err = c.Chat.SetDocuments(ctx, sess.ID, docs)
	require.NoError(t, err)

	sent, err := c.Chat.Send(ctx, sess.ID, "Show the cracks", nil)
	require.NoError(t, err)
	require.Contains(t, sent.Content, "[[img:", "the fake answers with citation markup")
	assert.NotContains(t, sent.ResolvedContent, "[[")
	assert.Contains(t, sent.ResolvedContent, "I found 2 matching images. north facade.jpg is relevant. south.jpg is relevant.")
	assert.Contains(t, sent.ResolvedContent, "survey.pdf (p.2) backs this up. appendix.pdf (pp.3-7) backs this up.")
	refs := sent.References()
	require.Len(t, refs.Images, 2)
	assert.Equal(t, images, []string{refs.Images[0].FullID, refs.Images[1].FullID})
	require.Len(t, refs.Documents, 2)
	assert.Equal(t, docs, []string{refs.Documents[0].FullID, refs.Documents[1].FullID})
	assert.Equal(t, 2, refs.Counts["search_1"].Count)

	streamed, err := scopix.CollectStream(c.Chat.Stream(ctx, sess.ID, "Show the cracks", nil), nil)
	require.NoError(t, err)
	assert.Equal(t, sent.ResolvedContent, streamed.ResolvedContent, "the stream's final answer reads as Send's")
	assert.Equal(t, 2, streamed.ResultRefs()["search_1"].Count)

	msgs, err := c.Chat.Messages(ctx, sess.ID, 0)
	require.NoError(t, err)
	require.Len(t, msgs, 4)
	assert.Equal(t, sent.ResolvedContent, msgs[1].ResolvedContent)
	assert.Equal(t, images[0], msgs[1].References().Images[0].FullID)
}
