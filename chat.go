package scopix

// ChatService runs agentic chat sessions under /chat.
type ChatService service
