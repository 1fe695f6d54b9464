package fakeapi

import (
	"net/http"
	"strings"
	"time"
)

// Plans: a message that asks to organise files gets a plan proposed in a
// plan_pending_approval stream event; POST …/plans/{plan_id}/action
// approves or cancels it (predecessor api/chat.md "Plan Approval"). An
// approved plan finishes at once (200 with results) unless plans run in the
// background (202, and the plan stays running: a second action is 409).

// chatPlan is a plan waiting for approval, or running.
type chatPlan struct {
	id, sessionID string
	steps         []map[string]any
	running       bool
	files         int
}

// RunPlansInBackground makes approved plans answer 202 and keep running
// (true) instead of finishing at once with 200 (false, the default).
func (s *Server) RunPlansInBackground(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.chat.plansInBackground = on
}

// chatPlansRoutes are the routes chat_plans.go serves.
func (s *Server) chatPlansRoutes() []route {
	return []route{{"POST /chat/sessions/{id}/plans/{plan_id}/action", s.handlePlanAction}}
}

// proposePlanLocked registers a plan when message asks to organise files
// and returns it, or nil (the caller holds the lock).
func (s *Server) proposePlanLocked(sess *chatSession, message string, images int) *chatPlan {
	if !strings.Contains(strings.ToLower(message), "organi") {
		return nil
	}
	p := &chatPlan{id: s.NewID("plan"), sessionID: sess.id, files: images, steps: []map[string]any{
		{"agent": "image_search", "intent": "find the images to organise"},
		{"agent": "folder", "intent": "sort them into folders"},
	}}
	s.state.chat.plans[p.id] = p
	return p
}

// writeChatError answers in the chat endpoints' documented error shape
// (predecessor openapi ChatErrorResponse).
func writeChatError(w http.ResponseWriter, status int, code, message string) {
	WriteJSON(w, status, map[string]any{"error": message, "error_code": code, "detail": nil,
		"timestamp": time.Now().UTC()})
}

func (s *Server) handlePlanAction(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Action string `json:"action"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	if body.Action != "approve" && body.Action != "cancel" {
		validationDetail(w, "action", "string does not match regex \"^(approve|cancel)$\"")
		return
	}
	s.Lock()
	defer s.Unlock()
	sess := s.sessionLocked(w, r)
	if sess == nil {
		return
	}
	p := s.state.chat.plans[r.PathValue("plan_id")]
	switch {
	case p == nil || p.sessionID != sess.id:
		writeChatError(w, http.StatusNotFound, "PLAN_NOT_FOUND", "Plan not found or expired")
		return
	case p.running:
		writeChatError(w, http.StatusConflict, "PLAN_IN_PROGRESS", "Plan is currently being processed")
		return
	}
	answer := map[string]any{"success": true, "plan_id": p.id, "action_taken": body.Action}
	switch {
	case body.Action == "cancel":
		delete(s.state.chat.plans, p.id)
		answer["message"] = "Plan cancelled"
		WriteJSON(w, http.StatusOK, answer)
	case s.state.chat.plansInBackground:
		p.running = true
		answer["message"] = "Plan execution started"
		answer["status"] = "accepted"
		WriteJSON(w, http.StatusAccepted, answer)
	default:
		delete(s.state.chat.plans, p.id)
		answer["message"] = "Plan completed"
		answer["results"] = map[string]any{"folders_created": 1, "files_moved": p.files}
		answer["agent_results"] = []map[string]any{
			{"agent": "image_search", "status": "completed", "summary": "Found the images to organise"},
			{"agent": "folder", "status": "completed", "summary": "Created 1 folder"},
		}
		answer["pending_actions"] = []map[string]any{}
		WriteJSON(w, http.StatusOK, answer)
	}
}
