package scopix_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/internal/fakeapi"
	"github.com/scopix/scopix-go/scopixtest"
)

const chatQuestion = "Which photos show the north facade?"

// newChatSession starts a fake server, a client and a session.
func newChatSession(t *testing.T, opts ...scopixtest.ServerOption) (*scopixtest.Server, *scopix.Client, string) {
	t.Helper()
	srv := scopixtest.NewServer(t, opts...)
	c := srv.Client()
	sess, err := c.Chat.CreateSession(context.Background(), &scopix.CreateSessionParams{Title: "Facade survey"})
	require.NoError(t, err)
	require.NotEmpty(t, sess.ID)
	return srv, c, sess.ID
}

// bubbleChatSession is newChatSession on a synctest bubble's fake.
func bubbleChatSession(t *testing.T, b *bubble, opts ...scopix.Option) (*scopix.Client, string) {
	t.Helper()
	c := b.Client(opts...)
	sess, err := c.Chat.CreateSession(context.Background(), &scopix.CreateSessionParams{Title: "Facade survey"})
	require.NoError(t, err)
	require.NotEmpty(t, sess.ID)
	return c, sess.ID
}

// drain collects every pair of a stream.
func drain(seq func(func(scopix.ChatEvent, error) bool)) ([]scopix.ChatEvent, error) {
	var events []scopix.ChatEvent
	for ev, err := range seq {
		if err != nil {
			return events, err
		}
		events = append(events, ev)
	}
	return events, nil
}

func types(events []scopix.ChatEvent, skip ...scopix.ChatEventType) []scopix.ChatEventType {
	var out []scopix.ChatEventType
next:
	for _, ev := range events {
		for _, s := range skip {
			if ev.Type == s {
				continue next
			}
		}
		out = append(out, ev.Type)
	}
	return out
}

func tokenText(events []scopix.ChatEvent) string {
	var b strings.Builder
	for _, ev := range events {
		if ev.Type == scopix.ChatEventToken {
			b.WriteString(ev.Content)
		}
	}
	return b.String()
}

func countType(events []scopix.ChatEvent, typ scopix.ChatEventType) int {
	n := 0
	for _, ev := range events {
		if ev.Type == typ {
			n++
		}
	}
	return n
}

// undisturbed runs the question once without faults and returns its
// events and the number of events before the first token.
func undisturbed(t *testing.T, c *scopix.Client) ([]scopix.ChatEvent, int) {
	t.Helper()
	sess, err := c.Chat.CreateSession(context.Background(), &scopix.CreateSessionParams{Title: "baseline"})
	require.NoError(t, err)
	events, err := drain(c.Chat.Stream(context.Background(), sess.ID, chatQuestion, nil))
	require.NoError(t, err)
	for i, ev := range events {
		if ev.Type == scopix.ChatEventToken {
			return events, i
		}
	}
	t.Fatal("no token in the undisturbed stream")
	return nil, 0
}

func streamPath(sessionID string) string { return "/chat/sessions/" + sessionID + "/messages/stream" }

func TestChatStream_SendsEventsInTheSpecOrder(t *testing.T) {
	t.Parallel()
	srv, c, id := newChatSession(t, scopixtest.WithStreamPings(4))
	events, err := drain(c.Chat.Stream(context.Background(), id, chatQuestion, &scopix.SendParams{DebugReasoning: true}))
	require.NoError(t, err)

	got := types(events, scopix.ChatEventPing)
	head := []scopix.ChatEventType{scopix.ChatEventConnection, scopix.ChatEventThinking, scopix.ChatEventThinkingStep,
		scopix.ChatEventStatus, scopix.ChatEventToolInvocation, scopix.ChatEventToolResult}
	require.Greater(t, len(got), len(head)+2)
	assert.Equal(t, head, got[:len(head)])
	tail := got[len(head):]
	assert.Equal(t, []scopix.ChatEventType{scopix.ChatEventComplete, scopix.ChatEventClose}, tail[len(tail)-2:])
	for _, typ := range tail[:len(tail)-2] {
		assert.Equal(t, scopix.ChatEventToken, typ)
	}
	assert.Positive(t, countType(events, scopix.ChatEventPing), "pings are passed through")

	index := 0
	var complete scopix.ChatEvent
	for _, ev := range events {
		switch ev.Type {
		case scopix.ChatEventToken:
			assert.Equal(t, strconv.Itoa(index+1), ev.ID, "token ids are a running counter")
			assert.Equal(t, index, ev.TokenIndex)
			index++
		case scopix.ChatEventComplete:
			complete = ev
		case scopix.ChatEventThinkingStep:
			assert.NotEmpty(t, ev.Reasoning, "debug_reasoning adds reasoning")
		case scopix.ChatEventConnection:
			assert.NotEmpty(t, ev.MessageID)
		}
		assert.NotEmpty(t, ev.Data)
	}
	assert.Equal(t, tokenText(events), complete.Content)
	assert.Equal(t, complete.Content, complete.ResolvedContent)
	var lastToken scopix.ChatEvent
	for _, ev := range events {
		if ev.Type == scopix.ChatEventToken {
			lastToken = ev
		}
	}
	assert.Equal(t, complete.Content, lastToken.Accumulated)

	reqs := srv.Requests()
	post := reqs[len(reqs)-1]
	assert.Equal(t, "text/event-stream", post.Header.Get("Accept"))
	assert.Equal(t, "debug_reasoning=true", post.Query)
	assert.Empty(t, post.Header.Get("Last-Event-ID"))
}

func TestChatStream_ResumesAfterADropWithLastEventID(t *testing.T) {
	t.Parallel()
	srv, c, id := newChatSession(t)
	baseline, beforeTokens := undisturbed(t, c)
	srv.DropStreamAfter(beforeTokens + 3) // right after the 3rd token
	srv.DropStreamConnections(1)

	events, err := drain(c.Chat.Stream(context.Background(), id, chatQuestion, nil))
	require.NoError(t, err)

	assert.Equal(t, 1, countType(events, scopix.ChatEventReconnecting))
	assert.Equal(t, tokenText(baseline), tokenText(events), "the resumed answer equals an undisturbed one")
	seen := map[int]bool{}
	for _, ev := range events {
		if ev.Type == scopix.ChatEventToken {
			assert.False(t, seen[ev.TokenIndex], "token %d yielded twice", ev.TokenIndex)
			seen[ev.TokenIndex] = true
		}
	}
	assert.Equal(t, countType(baseline, scopix.ChatEventToken), len(seen))
	assert.Equal(t, scopix.ChatEventClose, events[len(events)-1].Type)

	var posts []scopixtest.Request
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, streamPath(id)) {
			posts = append(posts, r)
		}
	}
	require.Len(t, posts, 2)
	assert.Empty(t, posts[0].Header.Get("Last-Event-ID"))
	assert.Equal(t, "3", posts[1].Header.Get("Last-Event-ID"))
	assert.Equal(t, posts[0].Header.Get("X-Request-ID"), posts[1].Header.Get("X-Request-ID"), "a resume is the same logical call")
	assert.Equal(t, 1, srv.ChatStreamStats().Resumed)

	msgs, err := c.Chat.Messages(context.Background(), id, 0)
	require.NoError(t, err)
	assert.Len(t, msgs, 2, "resuming did not post the question again")
}

func TestChatStream_DropsTokensTheServerSendsAgain(t *testing.T) {
	t.Parallel()
	// A server that ignores Last-Event-ID and replays the answer from the
	// start: the client must still yield each token once.
	var posts atomic.Int32
	wire := newWire(t)
	wire.Mux.HandleFunc("POST "+streamPath("s1"), func(w http.ResponseWriter, r *http.Request) {
		post := posts.Add(1)
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "event: connection\ndata: {\"type\":\"connection\",\"message_id\":\"m1\"}\n\n")
		for i, word := range []string{"one ", "two ", "three"} {
			fmt.Fprintf(w, "event: token\nid: %d\ndata: {\"type\":\"token\",\"content\":%q,\"token_index\":%d}\n\n", i+1, word, i)
			if post == 1 && i == 1 {
				w.(http.Flusher).Flush()
				panic(http.ErrAbortHandler)
			}
		}
		fmt.Fprint(w, "event: complete\ndata: {\"type\":\"complete\",\"content\":\"one two three\"}\n\nevent: close\ndata: {}\n\n")
	})
	c := wire.Client

	res, err := scopix.CollectStream(c.Chat.Stream(context.Background(), "s1", "hi", nil), nil)
	require.NoError(t, err)
	assert.Equal(t, "one two three", res.Content)
	assert.Equal(t, int32(2), posts.Load())

	events, err := drain(c.Chat.Stream(context.Background(), "s1", "hi", nil))
	require.NoError(t, err)
	assert.Equal(t, "one two three", tokenText(events))
}

func TestChatStream_DropBeforeAnyIDIsNotSentAgain(t *testing.T) {
	t.Parallel()
	srv, c, id := newChatSession(t)
	srv.DropStreamAfter(2)

	events, err := drain(c.Chat.Stream(context.Background(), id, chatQuestion, nil))
	var lost *scopix.SSEStreamError
	require.ErrorAs(t, err, &lost)
	assert.Empty(t, lost.LastEventID)
	assert.Equal(t, 2, lost.EventsReceived)
	assert.Zero(t, lost.ReconnectAttempts)
	assert.Len(t, events, 2)
	assert.Zero(t, countType(events, scopix.ChatEventReconnecting))
	assert.Equal(t, 1, srv.RequestCount(http.MethodPost, streamPath(id)), "exactly one POST")
}

func TestChatStream_GivesUpAfterThreeReconnects(t *testing.T) {
	t.Parallel()
	srv, c, id := newChatSession(t)
	_, beforeTokens := undisturbed(t, c)
	perConnection := beforeTokens + 3
	srv.DropStreamAfter(perConnection) // every connection drops

	events, err := drain(c.Chat.Stream(context.Background(), id, chatQuestion, nil))
	var lost *scopix.SSEStreamError
	require.ErrorAs(t, err, &lost)
	assert.Equal(t, 3, lost.ReconnectAttempts)
	assert.Equal(t, 4*perConnection, lost.EventsReceived)
	assert.Equal(t, len(events)-3, lost.EventsReceived, "every event but the reconnecting ones came from the wire")
	assert.Equal(t, 3, countType(events, scopix.ChatEventReconnecting))
	var lastToken scopix.ChatEvent
	for _, ev := range events {
		if ev.Type == scopix.ChatEventToken {
			lastToken = ev
		}
	}
	assert.Equal(t, lastToken.ID, lost.LastEventID)
	assert.Equal(t, scopix.CodeSSEStream, lost.Err.Code)
	assert.Equal(t, 3, lost.Err.Details["reconnect_attempts"])
	assert.Equal(t, 4, srv.RequestCount(http.MethodPost, streamPath(id)))
}

func TestChatStream_NoReconnectEndsAtTheFirstDrop(t *testing.T) {
	t.Parallel()
	srv, c, id := newChatSession(t)
	_, beforeTokens := undisturbed(t, c)
	srv.DropStreamAfter(beforeTokens + 3)

	_, err := drain(c.Chat.Stream(context.Background(), id, chatQuestion, &scopix.SendParams{NoReconnect: true}))
	var lost *scopix.SSEStreamError
	require.ErrorAs(t, err, &lost)
	assert.Equal(t, "3", lost.LastEventID)
	assert.Zero(t, lost.ReconnectAttempts)
	assert.Equal(t, 1, srv.RequestCount(http.MethodPost, streamPath(id)))
}

// The idle timeouts run on a synctest clock: on a loaded machine a real
// 300ms could pass between two healthy events too.
func TestChatStream_SilentStreamIsDetectedAndResumed(t *testing.T) {
	t.Parallel()
	inBubble(t, fakeapi.Options{}, func(t *testing.T, b *bubble) {
		c, id := bubbleChatSession(t, b)
		baseline, beforeTokens := undisturbed(t, c)
		b.StallStream(beforeTokens+2, time.Minute)

		events, err := drain(c.Chat.Stream(context.Background(), id, chatQuestion,
			&scopix.SendParams{IdleTimeout: 300 * time.Millisecond}))
		require.NoError(t, err)
		assert.Equal(t, 1, countType(events, scopix.ChatEventReconnecting))
		assert.Equal(t, tokenText(baseline), tokenText(events))
		synctest.Wait()
		assert.Equal(t, 1, b.ChatStreamStats().ClientGone, "the stalled connection was closed by the client")
	})
}

func TestChatStream_SilentStreamWithoutReconnectIsAnIdleError(t *testing.T) {
	t.Parallel()
	inBubble(t, fakeapi.Options{}, func(t *testing.T, b *bubble) {
		c, id := bubbleChatSession(t, b)
		_, beforeTokens := undisturbed(t, c)
		b.StallStream(beforeTokens+1, time.Minute)

		_, err := drain(c.Chat.Stream(context.Background(), id, chatQuestion,
			&scopix.SendParams{IdleTimeout: 300 * time.Millisecond, NoReconnect: true}))
		var lost *scopix.SSEStreamError
		require.ErrorAs(t, err, &lost)
		assert.ErrorIs(t, err, scopix.ErrStreamIdle)
		assert.Equal(t, "1", lost.LastEventID)
	})
}

func TestChatStream_ErrorEventsBecomeChatErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		eventType, code, message string
		wantCode                 string
	}{
		{"error", "USAGE_LIMIT_EXCEEDED", "Monthly chat limit reached (200/200).", "USAGE_LIMIT_EXCEEDED"},
		{"error", "", "agent crashed", scopix.CodeChat},
		{"auth_error", "", "Session not found", scopix.CodeAuth},
	}
	for _, tt := range tests {
		t.Run(tt.eventType+"/"+tt.wantCode, func(t *testing.T) {
			t.Parallel()
			srv, c, id := newChatSession(t)
			srv.FailStream(tt.eventType, tt.code, tt.message)

			var last scopix.ChatEvent
			var pairs int
			var err error
			for ev, e := range c.Chat.Stream(context.Background(), id, chatQuestion, nil) {
				pairs++
				last, err = ev, e
			}
			var chatErr *scopix.ChatError
			require.ErrorAs(t, err, &chatErr)
			assert.Equal(t, id, chatErr.SessionID)
			assert.Equal(t, tt.wantCode, chatErr.Err.Code)
			assert.Contains(t, chatErr.Error(), tt.message)
			assert.Equal(t, scopix.ChatEventType(tt.eventType), last.Type)
			assert.Equal(t, 3, pairs, "connection, thinking, then the error ends the stream")
		})
	}
}

func TestChatStream_UnauthorizedBeforeTheStreamIsTheOnlyPair(t *testing.T) {
	t.Parallel()
	srv, _, id := newChatSession(t)
	c, err := scopix.New("scopix_wrong_key", scopix.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	defer c.Close()

	pairs := 0
	var got error
	for ev, err := range c.Chat.Stream(context.Background(), id, chatQuestion, nil) {
		pairs++
		got = err
		assert.Equal(t, scopix.ChatEvent{}, ev)
	}
	assert.Equal(t, 1, pairs)
	var auth *scopix.AuthenticationError
	assert.ErrorAs(t, got, &auth)
}

func TestChatStream_UnknownSessionIsNotFound(t *testing.T) {
	t.Parallel()
	_, c, _ := newChatSession(t)
	_, err := drain(c.Chat.Stream(context.Background(), "missing", chatQuestion, nil))
	var nf *scopix.ResourceNotFoundError
	assert.ErrorAs(t, err, &nf)
}

func TestChatStream_BreakClosesTheConnection(t *testing.T) {
	t.Parallel()
	inBubble(t, fakeapi.Options{}, func(t *testing.T, b *bubble) {
		c, id := bubbleChatSession(t, b)
		_, beforeTokens := undisturbed(t, c)
		b.StallStream(beforeTokens+1, time.Minute) // the server holds the connection open

		for ev, err := range c.Chat.Stream(context.Background(), id, chatQuestion, nil) {
			require.NoError(t, err)
			if ev.Type == scopix.ChatEventToken {
				break
			}
		}
		synctest.Wait() // long before the stall's minute is up
		assert.Equal(t, 1, b.ChatStreamStats().ClientGone, "the server sees the disconnect")
	})
}

func TestChatStream_CancelledContextEndsTheStream(t *testing.T) {
	t.Parallel()
	srv, c, id := newChatSession(t)
	_, beforeTokens := undisturbed(t, c)
	srv.StallStream(beforeTokens+1, time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var err error
	for ev, e := range c.Chat.Stream(ctx, id, chatQuestion, nil) {
		if ev.Type == scopix.ChatEventToken {
			cancel()
		}
		err = e
	}
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, srv.RequestCount(http.MethodPost, streamPath(id)))
}

func TestChatStream_InvalidArgumentsSendNothing(t *testing.T) {
	t.Parallel()
	srv, c, id := newChatSession(t)
	tests := []struct {
		name, session, message, field string
		p                             *scopix.SendParams
	}{
		{"empty session", "", "hi", "session_id", nil},
		{"empty message", id, "  ", "message", nil},
		{"message too long", id, strings.Repeat("a", 10001), "message", nil},
		{"too many expected images", id, "hi", "expected_image_ids", &scopix.SendParams{ExpectedImageIDs: make([]string, 1001)}},
		{"empty expected image", id, "hi", "expected_image_ids[0]", &scopix.SendParams{ExpectedImageIDs: []string{""}}},
	}
	before := srv.Stats().Requests
	for _, tt := range tests {
		_, err := drain(c.Chat.Stream(context.Background(), tt.session, tt.message, tt.p))
		var v *scopix.ValidationError
		require.ErrorAs(t, err, &v, tt.name)
		assert.Equal(t, tt.field, v.Err.Details["field"], tt.name)
		_, err = c.Chat.Send(context.Background(), tt.session, tt.message, tt.p)
		assert.ErrorAs(t, err, &v, tt.name)
	}
	assert.Equal(t, before, srv.Stats().Requests)
}

func TestCollectStream_MatchesSend(t *testing.T) {
	t.Parallel()
	_, c, id := newChatSession(t)
	var progress int
	streamed, err := scopix.CollectStream(c.Chat.Stream(context.Background(), id, chatQuestion, nil),
		func(scopix.ChatEvent) { progress++ })
	require.NoError(t, err)
	assert.Positive(t, progress)
	assert.NotEmpty(t, streamed.MessageID)
	assert.Equal(t, []string{"orchestrator", "image_search"}, streamed.AgentsUsed)

	other, err := c.Chat.CreateSession(context.Background(), nil)
	require.NoError(t, err)
	sent, err := c.Chat.Send(context.Background(), other.ID, chatQuestion, nil)
	require.NoError(t, err)
	assert.Equal(t, sent.Content, streamed.Content)
	assert.Equal(t, streamed.Content, streamed.ResolvedContent)
	assert.Equal(t, other.ID, sent.SessionID)
	assert.Positive(t, sent.TokenCount)
}

func TestChatSend_IsNotRetriedAfterTheServerMayHaveActed(t *testing.T) {
	t.Parallel()
	srv, c, id := newChatSession(t)
	srv.FailNextOn(http.MethodPost, "/chat/sessions/"+id+"/messages", 1, http.StatusInternalServerError, nil)
	_, err := c.Chat.Send(context.Background(), id, "hi", nil)
	var se *scopix.ServerError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 1, srv.RequestCount(http.MethodPost, "/chat/sessions/"+id+"/messages"))

	srv.FailNextOn(http.MethodPost, "/chat/sessions", 1, http.StatusServiceUnavailable, nil)
	sess, err := c.Chat.CreateSession(context.Background(), nil)
	require.NoError(t, err, "503 means the server did not act: retried")
	assert.NotEmpty(t, sess.ID)
}

func TestChatSessions_LifecycleOnTheWire(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c, id := newChatSession(t)

	_, err := c.Chat.Send(ctx, id, "first question", nil)
	require.NoError(t, err)

	renamed, err := c.Chat.RenameSession(ctx, id, "North facade")
	require.NoError(t, err)
	assert.Equal(t, "North facade", renamed.Title)
	assert.False(t, renamed.UpdatedAt.IsZero())

	imgs, err := c.Chat.SetImages(ctx, id, []string{"img_1", "img_2"})
	require.NoError(t, err)
	assert.Equal(t, []string{"img_1", "img_2"}, imgs.SelectedImageIDs)
	docs, err := c.Chat.SetDocuments(ctx, id, []string{"doc_1"})
	require.NoError(t, err)
	assert.Equal(t, 1, docs.DocumentCount)
	vids, err := c.Chat.SetVideos(ctx, id, []string{"vid_1", "vid_2", "vid_3"})
	require.NoError(t, err)
	assert.Equal(t, 3, vids.VideoCount)
	mode, err := c.Chat.SetMode(ctx, id, false)
	require.NoError(t, err)
	assert.False(t, mode.UseAllImages)
	assert.Equal(t, 2, mode.SelectedImageCount)

	detail, err := c.Chat.GetSession(ctx, id, nil)
	require.NoError(t, err)
	assert.Equal(t, id, detail.Session.ID)
	assert.Equal(t, "North facade", detail.Session.Title)
	assert.Equal(t, 2, detail.Session.TotalMessages)
	assert.False(t, detail.Session.UseAllImages)
	assert.Equal(t, []string{"img_1", "img_2"}, detail.SelectedImageIDs)
	assert.Equal(t, []string{"vid_1", "vid_2", "vid_3"}, detail.SelectedVideoIDs)
	require.Len(t, detail.Messages, 2)
	assert.Equal(t, scopix.MessageRoleUser, detail.Messages[0].Role)
	assert.Equal(t, "first question", detail.Messages[0].Content)
	assert.Equal(t, scopix.MessageRoleAssistant, detail.Messages[1].Role)

	without, err := c.Chat.GetSession(ctx, id, &scopix.GetSessionParams{IncludeMessages: scopix.Ptr(false)})
	require.NoError(t, err)
	assert.Empty(t, without.Messages)
	last, err := c.Chat.Messages(ctx, id, 1)
	require.NoError(t, err)
	require.Len(t, last, 1)
	assert.Equal(t, scopix.MessageRoleAssistant, last[0].Role)

	for format, check := range map[scopix.ExportFormat]func(string){
		"":                    func(s string) { assert.Contains(t, s, "# North facade") },
		scopix.ExportText:     func(s string) { assert.Contains(t, s, "user: first question") },
		scopix.ExportJSON:     func(s string) { assert.True(t, json.Valid([]byte(s))) },
		scopix.ExportMarkdown: func(s string) { assert.Contains(t, s, "**assistant**") },
	} {
		rc, err := c.Chat.Export(ctx, id, format)
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		require.NoError(t, rc.Close())
		require.NoError(t, err)
		check(string(data))
	}

	closed, err := c.Chat.CloseSession(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, 2, closed.TotalMessages)
	assert.False(t, closed.ClosedAt.IsZero())
	_, err = c.Chat.Send(ctx, id, "again?", nil)
	var v *scopix.ValidationError
	assert.ErrorAs(t, err, &v, "a closed session takes no messages")

	var paths []string
	for _, r := range srv.Requests() {
		paths = append(paths, r.Method+" "+strings.TrimPrefix(r.Path, "/api/v2"))
	}
	for _, want := range []string{
		"POST /chat/sessions", "POST /chat/sessions/" + id + "/messages", "PATCH /chat/sessions/" + id + "/title",
		"PUT /chat/sessions/" + id + "/images", "PUT /chat/sessions/" + id + "/documents",
		"PUT /chat/sessions/" + id + "/videos", "PATCH /chat/sessions/" + id + "/mode",
		"GET /chat/sessions/" + id, "GET /chat/sessions/" + id + "/export", "DELETE /chat/sessions/" + id,
	} {
		assert.Contains(t, paths, want)
	}
}

func TestChatSessions_ListAndListAll(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, key := range []string{"items", "sessions"} {
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			srv := scopixtest.NewServer(t)
			srv.SetChatListKey(key)
			c := srv.Client()
			want := map[string]bool{}
			for i := range 5 {
				s, err := c.Chat.CreateSession(ctx, &scopix.CreateSessionParams{Title: fmt.Sprintf("survey %d", i)})
				require.NoError(t, err)
				want[s.ID] = true
			}
			page, err := c.Chat.ListSessions(ctx, &scopix.ChatSessionListParams{Limit: 2})
			require.NoError(t, err)
			assert.Len(t, page.Items, 2)
			assert.Equal(t, 5, page.TotalCount)
			assert.True(t, page.HasMore)

			params := &scopix.ChatSessionListParams{Limit: 2}
			got := map[string]bool{}
			for s, err := range c.Chat.ListAllSessions(ctx, params) {
				require.NoError(t, err)
				assert.True(t, s.IsActive)
				got[s.ID] = true
			}
			assert.Equal(t, want, got)
			assert.Equal(t, 2, params.Limit)
			assert.Zero(t, params.Offset, "the caller's params are not modified")

			before := srv.RequestCount(http.MethodGet, "/chat/sessions")
			for range c.Chat.ListAllSessions(ctx, params) {
				break
			}
			assert.Equal(t, before+1, srv.RequestCount(http.MethodGet, "/chat/sessions"), "no page fetched after break")

			found, err := c.Chat.ListSessions(ctx, &scopix.ChatSessionListParams{Search: "survey 3"})
			require.NoError(t, err)
			require.Len(t, found.Items, 1)
			assert.Equal(t, "survey 3", found.Items[0].Title)
		})
	}
}

func TestChatSessions_ListAllStopsAfterAnError(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client(scopix.WithMaxRetries(0))
	srv.FailNextOn(http.MethodGet, "/chat/sessions", 1, http.StatusForbidden, nil)
	pairs := 0
	for _, err := range c.Chat.ListAllSessions(context.Background(), nil) {
		pairs++
		var perm *scopix.PermissionError
		assert.ErrorAs(t, err, &perm)
	}
	assert.Equal(t, 1, pairs)
}

func TestChatSessions_InvalidArgumentsSendNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c, id := newChatSession(t)
	before := srv.Stats().Requests
	calls := map[string]func() error{
		"title": func() error {
			_, err := c.Chat.CreateSession(ctx, &scopix.CreateSessionParams{Title: strings.Repeat("t", 256)})
			return err
		},
		"image_ids": func() error {
			_, err := c.Chat.CreateSession(ctx, &scopix.CreateSessionParams{ImageIDs: make([]string, 1001)})
			return err
		},
		"search": func() error {
			_, err := c.Chat.ListSessions(ctx, &scopix.ChatSessionListParams{Search: strings.Repeat("s", 201)})
			return err
		},
		"limit": func() error {
			_, err := c.Chat.ListSessions(ctx, &scopix.ChatSessionListParams{Limit: 101})
			return err
		},
		"session_id": func() error { _, err := c.Chat.GetSession(ctx, " ", nil); return err },
		"message_limit": func() error {
			_, err := c.Chat.Messages(ctx, id, 1001)
			return err
		},
		"title ":      func() error { _, err := c.Chat.RenameSession(ctx, id, ""); return err },
		"session_id ": func() error { _, err := c.Chat.CloseSession(ctx, ""); return err },
		"document_ids": func() error {
			_, err := c.Chat.SetDocuments(ctx, id, make([]string, 101))
			return err
		},
		"video_ids": func() error {
			_, err := c.Chat.SetVideos(ctx, id, make([]string, 101))
			return err
		},
		"image_ids[1]": func() error {
			_, err := c.Chat.SetImages(ctx, id, []string{"img_1", ""})
			return err
		},
		"session_id  ": func() error { _, err := c.Chat.SetMode(ctx, "", true); return err },
		"format":       func() error { _, err := c.Chat.Export(ctx, id, "pdf"); return err },
	}
	for field, call := range calls {
		err := call()
		var v *scopix.ValidationError
		require.ErrorAs(t, err, &v, field)
		assert.Equal(t, strings.TrimSpace(field), v.Err.Details["field"])
	}
	assert.Equal(t, before, srv.Stats().Requests)
}

func TestChatSession_AcceptsIDOrSessionID(t *testing.T) {
	t.Parallel()
	var a, b scopix.ChatSession
	require.NoError(t, json.Unmarshal([]byte(`{"session_id":"s1","title":"x","created_at":null}`), &a))
	require.NoError(t, json.Unmarshal([]byte(`{"id":"s2","title":"y","last_message_at":"2025-01-02T03:04:05Z"}`), &b))
	assert.Equal(t, "s1", a.ID)
	assert.True(t, a.CreatedAt.IsZero())
	assert.Equal(t, "s2", b.ID)
	assert.Equal(t, 2025, b.LastMessageAt.Year())

	var list scopix.ChatSessionList
	require.NoError(t, json.Unmarshal([]byte(`{"sessions":[{"id":"a"}],"total":7,"has_more":true}`), &list))
	assert.Equal(t, 7, list.TotalCount)
	assert.Equal(t, "a", list.Items[0].ID)
}

func TestChatStream_UnknownEventTypesPassThrough(t *testing.T) {
	t.Parallel()
	wire := newWire(t)
	wire.Mux.HandleFunc("POST "+streamPath("s1"), func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "event: citation_update\ndata: {\"type\":\"citation_update\",\"refs\":[1]}\n\n")
		fmt.Fprint(w, "data: {\"type\":\"plan_pending_approval\",\"plan_id\":\"p1\"}\n\n")
		fmt.Fprint(w, "event: status\ndata: not json\n\n")
		fmt.Fprint(w, "retry: 10\nevent: close\ndata: {\"type\":\"close\"}\n\n")
	})

	events, err := drain(wire.Client.Chat.Stream(context.Background(), "s1", "hi", nil))
	require.NoError(t, err)
	require.Len(t, events, 4)
	assert.Equal(t, scopix.ChatEventType("citation_update"), events[0].Type)
	assert.JSONEq(t, `{"type":"citation_update","refs":[1]}`, string(events[0].Data))
	assert.Equal(t, scopix.ChatEventPlanPendingApproval, events[1].Type, "the payload type names an unnamed event")
	assert.Equal(t, "p1", events[1].PlanID)
	assert.Equal(t, "not json", events[2].Content)
	assert.Equal(t, scopix.ChatEventClose, events[3].Type)
}

func TestChatStream_ServerRetryIsHonouredWhenResuming(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// The client's own backoff starts at an hour; on the bubble's clock
		// the resume must come after the server's retry of 1ms, not later.
		wire := newBubbleWire(t, scopix.WithRetryDelay(time.Hour))
		var posts atomic.Int32
		wire.Mux.HandleFunc("POST "+streamPath("s1"), func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			if posts.Add(1) == 1 {
				fmt.Fprint(w, "retry: 1\nevent: token\nid: 1\ndata: {\"type\":\"token\",\"content\":\"a\",\"token_index\":0}\n\n")
				w.(http.Flusher).Flush()
				panic(http.ErrAbortHandler)
			}
			fmt.Fprint(w, "event: token\nid: 2\ndata: {\"type\":\"token\",\"content\":\"b\",\"token_index\":1}\n\nevent: close\ndata: {}\n\n")
		})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		start := time.Now()

		events, err := drain(wire.Client.Chat.Stream(ctx, "s1", "hi", nil))
		require.NoError(t, err)
		assert.Equal(t, "ab", tokenText(events))
		var lastIDs []string
		for _, r := range wire.Requests() {
			lastIDs = append(lastIDs, r.Header.Get("Last-Event-ID"))
		}
		assert.Equal(t, []string{"", "1"}, lastIDs)
		assert.Less(t, time.Since(start), 100*time.Millisecond, "resumed after the server's 1ms, not the client's backoff")
	})
}

// On a synctest clock: on a loaded machine a real 150ms attempt timeout
// could cut the session's creation before the stream is even opened.
func TestChatStream_AttemptTimeoutNeverCutsAHealthyStream(t *testing.T) {
	t.Parallel()
	inBubble(t, fakeapi.Options{}, func(t *testing.T, b *bubble) {
		c, id := bubbleChatSession(t, b, scopix.WithTimeout(150*time.Millisecond))
		// The stream pauses for longer than an attempt may take, but less than
		// its idle timeout: it must run to the end on one connection.
		b.StallStream(4, 400*time.Millisecond)
		events, err := drain(c.Chat.Stream(context.Background(), id, chatQuestion, &scopix.SendParams{IdleTimeout: 5 * time.Second}))
		require.NoError(t, err)
		assert.Zero(t, countType(events, scopix.ChatEventReconnecting))
		assert.Equal(t, 1, countType(events, scopix.ChatEventComplete))
		assert.Equal(t, 1, b.CountRequests(http.MethodPost, streamPath(id)))
	})
}
