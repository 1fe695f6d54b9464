package scopixtest

import "time"

// ChatStreamStats count what the fake's chat streaming endpoint did:
// connections opened and resumed, completed, dropped, stalled or failed on
// purpose, and those the client closed early.
type ChatStreamStats struct {
	Opened     int // stream connections answered with 200
	Resumed    int // of those, connections that resumed after a Last-Event-ID
	Completed  int // connections that sent close
	Dropped    int // connections the server dropped on purpose (DropStreamAfter)
	Stalled    int // connections that went silent on purpose (StallStream)
	Failed     int // connections that sent an injected error event (FailStream)
	ClientGone int // connections the client closed before the server finished
}

// DropStreamConnections limits DropStreamAfter to the next n stream
// connections, so a resumed stream can run to its end. n <= 0 makes every
// connection drop (the default), which exhausts the client's reconnects.
func (s *Server) DropStreamConnections(n int) { s.fake.DropStreamConnections(n) }

// StallStream makes the next chat stream connection go silent (no byte,
// pings included) for d after its first afterEvents events.
func (s *Server) StallStream(afterEvents int, d time.Duration) { s.fake.StallStream(afterEvents, d) }

// FailStream makes the next new chat stream send an event of eventType
// ("error" or "auth_error") with the server code and message after its
// thinking event, and end there.
func (s *Server) FailStream(eventType, code, message string) {
	s.fake.FailStream(eventType, code, message)
}

// SetChatListKey sets the key under which the session list is sent:
// "items" (the default) or "sessions", the two shapes the API uses.
func (s *Server) SetChatListKey(key string) { s.fake.SetChatListKey(key) }

// ChatStreamStats returns the chat streaming counters.
func (s *Server) ChatStreamStats() ChatStreamStats { return ChatStreamStats(s.fake.ChatStreamStats()) }

// RunPlansInBackground makes approved chat plans answer 202 and keep
// running, so a second action on them is refused with 409 (true), instead
// of finishing at once with their results (false, the default). The fake
// proposes a plan, in a plan_pending_approval stream event, for every
// message that asks to organise ("organise", "organize").
func (s *Server) RunPlansInBackground(on bool) { s.fake.RunPlansInBackground(on) }
