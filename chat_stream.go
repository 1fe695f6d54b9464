package scopix

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Wire details of chat that the Scopix docs leave open (inferred); each is
// kept here and nowhere else.
const (
	// chatLastEventIDHeader carries the id of the last event received when a
	// dropped stream is re-POSTed; the server is expected to resume after it.
	chatLastEventIDHeader = "Last-Event-ID"
)

// Stream resumption.
const (
	// DefaultStreamIdleTimeout is how long a chat stream may stay silent (no
	// byte, pings included) before it is treated as dropped and resumed.
	DefaultStreamIdleTimeout = 60 * time.Second
	// MaxStreamReconnects is how often a dropped chat stream is resumed
	// before Stream gives up with *SSEStreamError.
	MaxStreamReconnects = 3
)

// ErrStreamIdle is the cause of a stream drop detected by the idle timeout;
// it is found with errors.Is under the *SSEStreamError of a stream that
// stayed silent on every attempt.
var ErrStreamIdle = errors.New("chat stream silent for longer than the idle timeout")

// Stream sends a message and yields the answer's events as they arrive
// (POST /chat/sessions/{id}/messages/stream, Accept: text/event-stream).
//
// An HTTP error before the stream opens is the first and only pair, with
// the usual typed error (*AuthenticationError, *ResourceNotFoundError,
// *RateLimitError, ...). An error or auth_error event ends the stream with
// that event and a *ChatError carrying the server's code and the session
// id. The stream ends after complete and close, or after close.
//
// A stream that drops, or stays silent for p.IdleTimeout (default 60s;
// pings count as traffic), is resumed with the same POST carrying
// Last-Event-ID, up to MaxStreamReconnects times, waiting the server's
// "retry:" time or the client's backoff first. Each attempt yields a
// ChatEventReconnecting event; tokens whose token_index was already seen
// are not yielded again. A stream that drops before any event carried an id
// is not re-sent, since that could post the message twice. When resuming is
// impossible, off (p.NoReconnect) or exhausted, the last pair carries an
// *SSEStreamError.
//
// The per-attempt timeout of WithTimeout applies only until the response
// headers arrive. Breaking out of the loop closes the connection at once.
func (s *ChatService) Stream(ctx context.Context, sessionID, message string, p *SendParams) iter.Seq2[ChatEvent, error] {
	if p == nil {
		p = &SendParams{}
	}
	params := *p
	return func(yield func(ChatEvent, error) bool) {
		path, err := sessionPath(sessionID)
		if err == nil {
			err = checkChatSend(message, &params)
		}
		if err != nil {
			yield(ChatEvent{}, err)
			return
		}
		if ctx == nil {
			yield(ChatEvent{}, validationError("ctx", "must not be nil"))
			return
		}
		st := &chatStream{
			chat:          s,
			sessionID:     sessionID,
			path:          path,
			body:          newChatSendBody(message, &params),
			idle:          params.IdleTimeout,
			noReconnect:   params.NoReconnect,
			maxTokenIndex: -1,
		}
		if st.idle <= 0 {
			st.idle = DefaultStreamIdleTimeout
		}
		if params.DebugReasoning {
			st.query = url.Values{"debug_reasoning": {"true"}}
		}
		st.run(ctx, yield)
	}
}

// CollectStream drains a Stream into the final answer: the text of the
// complete event (or of the tokens, if the stream closed without one), its
// resolved text (citation markup replaced, see ResolveContent), its
// citation metadata, the images it refers to, and the agents used. onEvent, if
// not nil, sees every event first, for progress. The first error ends the
// collection and is returned.
func CollectStream(seq iter.Seq2[ChatEvent, error], onEvent func(ChatEvent)) (*ChatResponse, error) {
	var text strings.Builder
	out := &ChatResponse{}
	completed := false
	for ev, err := range seq {
		if err != nil {
			return nil, err
		}
		if onEvent != nil {
			onEvent(ev)
		}
		if ev.MessageID != "" && out.MessageID == "" {
			out.MessageID = ev.MessageID
		}
		switch ev.Type {
		case ChatEventToken:
			text.WriteString(ev.Content)
		case ChatEventImageResults:
			out.Images = append(out.Images, ev.Images...)
		case ChatEventComplete:
			completed = true
			if ev.MessageID != "" {
				out.MessageID = ev.MessageID
			}
			out.Content = ev.Content
			out.ResolvedContent = ev.ResolvedContent
			out.Metadata = ev.Metadata
			if len(ev.ImageContext) > 0 {
				out.Images = ev.ImageContext
			}
			out.AgentsUsed = ev.AgentsUsed
			out.ProcessingTimeMS = ev.ProcessingTimeMS
		}
	}
	if !completed || out.Content == "" {
		out.Content = text.String()
	}
	if out.ResolvedContent == "" {
		out.ResolvedContent = ResolveContent(out.Content, out.Metadata)
	}
	return out, nil
}

// DecodeChatStream types the events of a chat event stream read from r (a
// recording, a proxy, a test fixture), as Stream does for a live one but
// without a connection to resume: it yields every event (a token whose
// token_index was already seen is skipped, as in Stream), ends after close
// or at the end of r, ends an error or auth_error event with a *ChatError,
// and yields a read failure (including an end of r before complete or
// close) as an *SSEStreamError.
func DecodeChatStream(r io.Reader) iter.Seq2[ChatEvent, error] {
	return func(yield func(ChatEvent, error) bool) {
		st := &chatStream{maxTokenIndex: -1}
		err := st.readEvents(NewSSEReader(r), yield)
		if err == nil || (st.completed && errors.Is(err, io.EOF)) {
			return
		}
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		yield(ChatEvent{}, st.lostError("chat event stream ended before close", err))
	}
}

// chatStream is one Stream call: its connections and what they received.
type chatStream struct {
	chat        *ChatService
	sessionID   string
	path        string // the session's, checked
	body        chatSendBody
	query       url.Values
	idle        time.Duration
	noReconnect bool

	connections    int
	requestID      string
	lastID         string
	eventsReceived int
	reconnects     int
	maxTokenIndex  int
	completed      bool
	serverRetry    time.Duration
}

// run connects, and reconnects while the stream is lost and resuming is
// allowed.
func (st *chatStream) run(ctx context.Context, yield func(ChatEvent, error) bool) {
	for {
		lost, cause := st.connect(ctx, yield)
		if !lost {
			return
		}
		if ctx.Err() != nil {
			yield(ChatEvent{}, contextError(ctx, cause, "", st.chat.client.cfg.timeout))
			return
		}
		switch {
		case st.noReconnect:
			yield(ChatEvent{}, st.lostError("chat stream lost; reconnecting is off", cause))
			return
		case st.lastID == "":
			yield(ChatEvent{}, st.lostError("chat stream lost before any event id; not re-sent, which could post the message twice", cause))
			return
		case st.reconnects >= MaxStreamReconnects:
			yield(ChatEvent{}, st.lostError(fmt.Sprintf("chat stream lost after %d reconnect attempts", st.reconnects), cause))
			return
		}
		st.reconnects++
		if !yield(st.reconnectingEvent(), nil) {
			return
		}
		if !st.backoff(ctx) {
			yield(ChatEvent{}, contextError(ctx, ctx.Err(), "", st.chat.client.cfg.timeout))
			return
		}
	}
}

// connect runs one connection. lost reports a stream that ended before
// close (or complete) and may be resumed; cause says why. Every other
// ending, including errors, has already been yielded.
func (st *chatStream) connect(ctx context.Context, yield func(ChatEvent, error) bool) (lost bool, cause error) {
	connCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	req, err := st.chat.client.newRequest(http.MethodPost, st.path+"/messages/stream", st.body)
	if err != nil {
		yield(ChatEvent{}, err)
		return false, nil
	}
	req.query = st.query
	req.setHeader("Accept", "text/event-stream")
	req.setHeader("Cache-Control", "no-cache")
	if st.lastID != "" {
		req.setHeader(chatLastEventIDHeader, st.lastID)
	}
	if st.requestID != "" {
		// A resume continues the same logical call, so it keeps its request id.
		req.setHeader("X-Request-ID", st.requestID)
	}
	st.connections++
	body, requestID, err := st.chat.client.openEvents(connCtx, req)
	if err != nil {
		switch {
		case st.connections == 1:
			yield(ChatEvent{}, err)
			return false, nil
		case IsRetryable(err) && ctx.Err() == nil:
			return true, err
		}
		yield(ChatEvent{}, st.lostError("chat stream could not be resumed", err))
		return false, nil
	}
	defer body.Close()
	if st.requestID == "" {
		st.requestID = requestID
	}
	idle := newStreamIdleReader(body, st.idle, func() { cancel(ErrStreamIdle) })
	defer idle.stop()
	return st.read(ctx, connCtx, NewSSEReader(idle), yield)
}

// read reads one connection's events. lost reports a stream that ended
// before close (or complete) and may be resumed; cause says why.
func (st *chatStream) read(ctx, connCtx context.Context, r *SSEReader, yield func(ChatEvent, error) bool) (lost bool, cause error) {
	err := st.readEvents(r, yield)
	switch {
	case err == nil || st.completed:
		return false, nil
	case errors.Is(err, ErrEventTooLarge):
		yield(ChatEvent{}, st.lostError("chat stream sent an event larger than MaxEventBytes", err))
		return false, nil
	case ctx.Err() == nil && errors.Is(context.Cause(connCtx), ErrStreamIdle):
		err = fmt.Errorf("%w (%s)", ErrStreamIdle, st.idle)
	case errors.Is(err, io.EOF):
		err = io.ErrUnexpectedEOF
	}
	return true, err
}

// readEvents is the read loop of Stream and DecodeChatStream: it types and
// yields the events of r until close, an error event or the consumer
// stops, which return nil, or until r fails, whose error it returns (io.EOF
// at the end of r). It records what resuming needs: the last event id, the
// server's retry time, the highest token index and whether complete came.
func (st *chatStream) readEvents(r *SSEReader, yield func(ChatEvent, error) bool) error {
	for {
		sse, err := r.Next()
		if d := r.Retry(); d > 0 {
			st.serverRetry = d
		}
		if err != nil {
			return err
		}
		st.eventsReceived++
		if id := r.LastEventID(); id != "" {
			st.lastID = id
		}
		ev, tokenIndex := decodeChatEvent(sse)
		switch ev.Type {
		case ChatEventToken:
			if tokenIndex >= 0 {
				if tokenIndex <= st.maxTokenIndex {
					continue
				}
				st.maxTokenIndex = tokenIndex
			}
		case ChatEventError, ChatEventAuthError:
			yield(ev, st.chatError(ev))
			return nil
		case ChatEventComplete:
			st.completed = true
		case ChatEventClose:
			yield(ev, nil)
			return nil
		}
		if !yield(ev, nil) {
			return nil
		}
	}
}

// backoff waits before a reconnect: the server's retry time when it sent
// one, else the client's backoff; never longer than WithMaxRetryWait.
func (st *chatStream) backoff(ctx context.Context) bool {
	d := st.serverRetry
	if d <= 0 {
		d = st.chat.client.backoffDelay(st.reconnects)
	}
	d = min(d, st.chat.client.cfg.maxRetryWait)
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (st *chatStream) reconnectingEvent() ChatEvent {
	msg := fmt.Sprintf("connection lost; reconnecting (attempt %d of %d)", st.reconnects, MaxStreamReconnects)
	data, _ := json.Marshal(map[string]any{"type": ChatEventReconnecting, "attempt": st.reconnects,
		"last_event_id": st.lastID, "message": msg})
	return ChatEvent{Type: ChatEventReconnecting, ID: st.lastID, Data: data, Message: msg, Attempt: st.reconnects}
}

func (st *chatStream) lostError(msg string, cause error) error {
	e := newError(CodeSSEStream, msg, cause)
	e.Details["last_event_id"] = st.lastID
	e.Details["events_received"] = st.eventsReceived
	e.Details["reconnect_attempts"] = st.reconnects
	e.Details["session_id"] = st.sessionID
	return &SSEStreamError{Err: e, LastEventID: st.lastID, EventsReceived: st.eventsReceived, ReconnectAttempts: st.reconnects}
}

// chatError turns an error or auth_error event into a *ChatError whose code
// is the server's when it gave one.
func (st *chatStream) chatError(ev ChatEvent) error {
	code := ev.Code
	if code == "" {
		code = CodeChat
		if ev.Type == ChatEventAuthError {
			code = CodeAuth
		}
	}
	msg := ev.Message
	if msg == "" {
		msg = "chat stream reported " + string(ev.Type)
	}
	e := newError(code, msg, nil)
	e.Details["session_id"] = st.sessionID
	e.Details["event_type"] = string(ev.Type)
	if ev.Code != "" {
		e.Details[detailServerCode] = ev.Code
	}
	return &ChatError{Err: e, SessionID: st.sessionID}
}

// streamIdleReader cancels the connection when one Read waits longer than d. The
// timer runs only while a Read is blocked, so the time the caller spends
// between events does not count.
type streamIdleReader struct {
	r io.Reader
	d time.Duration
	t *time.Timer
}

func newStreamIdleReader(r io.Reader, d time.Duration, onIdle func()) *streamIdleReader {
	t := time.AfterFunc(d, onIdle)
	t.Stop()
	return &streamIdleReader{r: r, d: d, t: t}
}

func (ir *streamIdleReader) Read(p []byte) (int, error) {
	ir.t.Reset(ir.d)
	n, err := ir.r.Read(p)
	ir.t.Stop()
	return n, err
}

func (ir *streamIdleReader) stop() { ir.t.Stop() }
