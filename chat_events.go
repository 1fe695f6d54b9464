package scopix

import (
	"encoding/json"
	"errors"
)

// ChatEventType is the type of a chat stream event. The server may send
// types not listed here; they are passed through as they are.
type ChatEventType string

// Chat stream event types, in the order a typical answer sends them.
const (
	ChatEventConnection          ChatEventType = "connection"            // first event: MessageID, Status
	ChatEventThinking            ChatEventType = "thinking"              // Status
	ChatEventThinkingStep        ChatEventType = "thinking_step"         // Phase, AgentName, Message, Reasoning (DebugReasoning)
	ChatEventStatus              ChatEventType = "status"                // Phase, Message, AgentName
	ChatEventToolInvocation      ChatEventType = "tool_invocation"       // ToolName, AgentName
	ChatEventToolResult          ChatEventType = "tool_result"           // ToolName, ResultCount
	ChatEventImageResults        ChatEventType = "image_results"         // Images, Count
	ChatEventToken               ChatEventType = "token"                 // Content (delta), Accumulated, TokenIndex; ID set
	ChatEventComplete            ChatEventType = "complete"              // Content, ResolvedContent, MessageID, AgentsUsed, HasResults, ResultCount, ImageContext, ProcessingTimeMS
	ChatEventClose               ChatEventType = "close"                 // MessageID; the stream ends
	ChatEventPing                ChatEventType = "ping"                  // keep-alive
	ChatEventError               ChatEventType = "error"                 // Message, Code; ends the stream with *ChatError
	ChatEventAuthError           ChatEventType = "auth_error"            // Message; ends the stream with *ChatError
	ChatEventPlanPendingApproval ChatEventType = "plan_pending_approval" // PlanID; the plan waits for approval
	ChatEventReconnecting        ChatEventType = "reconnecting"          // made by the SDK, never sent: Attempt, ID
)

// ChatEvent is one event of a chat stream. Type, ID (the SSE id: a running
// counter on token events), Content and Data (the whole JSON payload) are
// set on every event; the other fields are filled from the payload when the
// event type carries them.
type ChatEvent struct {
	Type    ChatEventType
	ID      string
	Content string          // token: the new text; complete: the whole answer
	Data    json.RawMessage // the event's payload as sent

	Accumulated      string           // token: the answer so far
	TokenIndex       int              // token: 0-based position
	MessageID        string           // connection, complete, close
	ResolvedContent  string           // complete: Content with citation markup resolved (see ResolveContent)
	Metadata         map[string]any   // complete: citation data (result_refs, image_context, ...)
	Status           string           // connection, thinking
	Phase            string           // thinking_step, status
	AgentName        string           // thinking_step, status, tool_invocation
	Message          string           // status, thinking_step, error, auth_error, reconnecting
	Reasoning        string           // thinking_step with DebugReasoning
	ToolName         string           // tool_invocation, tool_result
	ResultCount      int              // tool_result, complete
	Count            int              // image_results
	Images           []ImageReference // image_results
	ImageContext     []ImageReference // complete: the images the answer refers to
	AgentsUsed       []string         // complete
	HasResults       bool             // complete
	ProcessingTimeMS int              // complete
	PlanID           string           // plan_pending_approval
	Code             string           // error: the server's code, e.g. USAGE_LIMIT_EXCEEDED
	Attempt          int              // reconnecting: 1 for the first attempt
}

// chatEventPayload is the union of the payload fields of every event type.
type chatEventPayload struct {
	Type             string           `json:"type"`
	Content          string           `json:"content"`
	Accumulated      string           `json:"accumulated"`
	TokenIndex       *int             `json:"token_index"`
	MessageID        string           `json:"message_id"`
	ResolvedContent  string           `json:"resolved_content"`
	Status           string           `json:"status"`
	Phase            string           `json:"phase"`
	AgentName        string           `json:"agent_name"`
	Message          string           `json:"message"`
	Reasoning        string           `json:"reasoning"`
	ToolName         string           `json:"tool_name"`
	ResultCount      int              `json:"result_count"`
	Count            int              `json:"count"`
	Images           []ImageReference `json:"images"`
	ImageContext     []ImageReference `json:"image_context"`
	AgentsUsed       []string         `json:"agents_used"`
	HasResults       bool             `json:"has_results"`
	ProcessingTimeMS int              `json:"processing_time_ms"`
	PlanID           string           `json:"plan_id"`
	Code             string           `json:"code"`
	Error            json.RawMessage  `json:"error"`
	Metadata         map[string]any   `json:"metadata"`
	ResultRefs       map[string]any   `json:"result_refs"`
}

// completeMetadata gathers a complete event's citation data: its metadata
// object, plus result_refs and image_context sent beside it (documented
// (Scopix chat-sse-config-errors.md §3.5)).
func completeMetadata(p *chatEventPayload) map[string]any {
	md := make(map[string]any, len(p.Metadata)+2)
	for k, v := range p.Metadata {
		md[k] = v
	}
	if _, ok := md[metaResultRefs]; !ok && p.ResultRefs != nil {
		md[metaResultRefs] = p.ResultRefs
	}
	if len(md) == 0 && len(p.ImageContext) == 0 {
		return nil
	}
	return withImageContext(md, p.ImageContext)
}

// decodeChatEvent types an SSE event. The SSE event name wins over the
// payload's "type"; data that is not JSON is kept as Content and Data. It
// also returns the token index, or -1 when there is none.
func decodeChatEvent(sse SSEEvent) (ChatEvent, int) {
	ev := ChatEvent{Type: ChatEventType(sse.Type), ID: sse.ID, Data: json.RawMessage(append([]byte(nil), sse.Data...))}
	var p chatEventPayload
	if err := json.Unmarshal(ev.Data, &p); err != nil {
		var typeErr *json.UnmarshalTypeError
		if !errors.As(err, &typeErr) {
			ev.Content = string(sse.Data)
			if !json.Valid(ev.Data) {
				ev.Data = nil
			}
			return ev, -1
		}
	}
	if (sse.Type == "" || sse.Type == "message") && p.Type != "" {
		ev.Type = ChatEventType(p.Type)
	}
	ev.Content = p.Content
	ev.Accumulated = p.Accumulated
	ev.MessageID = p.MessageID
	ev.ResolvedContent = p.ResolvedContent
	ev.Status = p.Status
	ev.Phase = p.Phase
	ev.AgentName = p.AgentName
	ev.Message = p.Message
	ev.Reasoning = p.Reasoning
	ev.ToolName = p.ToolName
	ev.ResultCount = p.ResultCount
	ev.Count = p.Count
	ev.Images = p.Images
	ev.ImageContext = p.ImageContext
	ev.AgentsUsed = p.AgentsUsed
	ev.HasResults = p.HasResults
	ev.ProcessingTimeMS = p.ProcessingTimeMS
	ev.PlanID = p.PlanID
	ev.Code = p.Code
	if ev.Type == ChatEventComplete {
		ev.Metadata = completeMetadata(&p)
		ev.ResolvedContent = resolvedText(p.Content, p.ResolvedContent, ev.Metadata)
	}
	if len(p.Error) > 0 {
		var text string
		if json.Unmarshal(p.Error, &text) == nil && ev.Message == "" {
			ev.Message = text
		}
	}
	index := -1
	if p.TokenIndex != nil {
		index = *p.TokenIndex
		ev.TokenIndex = index
	}
	return ev, index
}
