package scopix

import (
	"context"
	"errors"
	"net/http"
)

// Plan actions (documented (predecessor api/chat.md "Plan Approval")):
// POST chat/sessions/{id}/plans/{plan_id}/action with {"action": …}.
const (
	planActionApprove = "approve"
	planActionCancel  = "cancel"
	planStatusRunning = "accepted" // documented (predecessor sdk types/chat.py): status of a 202 answer
)

// ApprovePlan approves the plan a stream proposed in its
// plan_pending_approval event (ChatEvent.PlanID) and starts it (POST
// /chat/sessions/{id}/plans/{plan_id}/action, action "approve"). A plan the
// server finishes at once comes back with its Results (HTTP 200); a longer
// one keeps running in the background (HTTP 202) and comes back with
// Running set — its progress is not reported over this API. The request is
// not retried once the server may have acted on it. Errors:
// *ValidationError (empty or dot ids), *PlanConflictError (another request
// is processing the plan), *ResourceNotFoundError (no such session or
// plan), and the other HTTP errors.
func (s *ChatService) ApprovePlan(ctx context.Context, sessionID, planID string) (*PlanActionResult, error) {
	return s.planAction(ctx, sessionID, planID, planActionApprove)
}

// CancelPlan cancels a plan that waits for approval (POST
// /chat/sessions/{id}/plans/{plan_id}/action, action "cancel"). Errors as
// ApprovePlan; a plan that is already running gives *PlanConflictError.
func (s *ChatService) CancelPlan(ctx context.Context, sessionID, planID string) (*PlanActionResult, error) {
	return s.planAction(ctx, sessionID, planID, planActionCancel)
}

func (s *ChatService) planAction(ctx context.Context, sessionID, planID, action string) (*PlanActionResult, error) {
	sessionSeg, err := idSegment("session_id", sessionID)
	if err != nil {
		return nil, err
	}
	planSeg, err := idSegment("plan_id", planID)
	if err != nil {
		return nil, err
	}
	path := "chat/sessions/" + sessionSeg + "/plans/" + planSeg + "/action" // documented (predecessor api/chat.md)
	req, err := s.client.newRequest(http.MethodPost, path, map[string]string{"action": action})
	if err != nil {
		return nil, err
	}
	out := PlanActionResult{PlanID: planID, ActionTaken: action}
	status, err := s.client.doStatus(ctx, req, &out)
	if err != nil {
		return nil, planError(err, sessionID, planID)
	}
	if status == http.StatusAccepted {
		out.Running = true
		if out.Status == "" {
			out.Status = planStatusRunning
		}
	}
	return &out, nil
}

// planError turns a 409 into a *PlanConflictError; other errors pass.
func planError(err error, sessionID, planID string) error {
	var base *Error
	if !errors.As(err, &base) || base.StatusCode != http.StatusConflict {
		return err
	}
	if base.Message == "" || base.Message == "Conflict" {
		base.Message = "plan is being processed by another request"
	}
	base.Details["session_id"] = sessionID
	base.Details["plan_id"] = planID
	return &PlanConflictError{Err: base, SessionID: sessionID, PlanID: planID}
}

// PlanActionResult is the answer to ApprovePlan and CancelPlan
// (documented (predecessor openapi PlanActionResponse)).
type PlanActionResult struct {
	Success        bool             `json:"success"`
	PlanID         string           `json:"plan_id"`
	Message        string           `json:"message"`
	ActionTaken    string           `json:"action_taken"`    // "approve" or "cancel"
	Results        map[string]any   `json:"results"`         // a plan finished at once: its results
	AgentResults   []map[string]any `json:"agent_results"`   // the result of each agent run
	PendingActions []map[string]any `json:"pending_actions"` // actions that need a further confirmation
	Status         string           `json:"status"`          // "accepted" when the plan runs in the background
	// Running is true when the server accepted the plan and runs it in the
	// background (HTTP 202): Results are not in this answer.
	Running bool `json:"-"`
}
