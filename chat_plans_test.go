package scopix_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

// proposePlan asks the fake to organise the session's images and returns
// the plan id of the stream's plan_pending_approval event.
func proposePlan(t *testing.T, c *scopix.Client, sessionID string) string {
	t.Helper()
	var planID string
	for ev, err := range c.Chat.Stream(context.Background(), sessionID, "Please organise these photos", nil) {
		require.NoError(t, err)
		if ev.Type == scopix.ChatEventPlanPendingApproval {
			planID = ev.PlanID
		}
	}
	require.NotEmpty(t, planID, "the stream proposes a plan")
	return planID
}

func TestChatApprovePlan_FinishedAtOnceCarriesResults(t *testing.T) {
	t.Parallel()
	_, c, id := newChatSession(t)
	planID := proposePlan(t, c, id)

	res, err := c.Chat.ApprovePlan(context.Background(), id, planID)
	require.NoError(t, err)
	assert.True(t, res.Success)
	assert.False(t, res.Running)
	assert.Equal(t, planID, res.PlanID)
	assert.Equal(t, "approve", res.ActionTaken)
	assert.Contains(t, res.Results, "folders_created")
	assert.Len(t, res.AgentResults, 2)

	_, err = c.Chat.ApprovePlan(context.Background(), id, planID)
	var nf *scopix.ResourceNotFoundError
	assert.ErrorAs(t, err, &nf, "a finished plan is gone")
}

func TestChatApprovePlan_RunningInTheBackgroundRefusesASecondAction(t *testing.T) {
	t.Parallel()
	srv, c, id := newChatSession(t)
	srv.RunPlansInBackground(true)
	planID := proposePlan(t, c, id)

	res, err := c.Chat.ApprovePlan(context.Background(), id, planID)
	require.NoError(t, err)
	assert.True(t, res.Running, "202: the plan runs in the background")
	assert.Equal(t, "accepted", res.Status)
	assert.Nil(t, res.Results)

	for _, action := range []func(context.Context, string, string) (*scopix.PlanActionResult, error){c.Chat.ApprovePlan, c.Chat.CancelPlan} {
		_, err = action(context.Background(), id, planID)
		var conflict *scopix.PlanConflictError
		require.ErrorAs(t, err, &conflict)
		assert.Equal(t, planID, conflict.PlanID)
		assert.Equal(t, id, conflict.SessionID)
		assert.Equal(t, http.StatusConflict, conflict.Err.StatusCode)
		assert.Equal(t, scopix.CodeConflict, conflict.Err.Code)
		assert.Equal(t, "PLAN_IN_PROGRESS", conflict.Err.Details["server_code"])
		assert.False(t, scopix.IsRetryable(err))
	}
}

func TestChatCancelPlan_DropsThePendingPlan(t *testing.T) {
	t.Parallel()
	srv, c, id := newChatSession(t)
	planID := proposePlan(t, c, id)
	res, err := c.Chat.CancelPlan(context.Background(), id, planID)
	require.NoError(t, err)
	assert.Equal(t, "cancel", res.ActionTaken)
	assert.True(t, res.Success)
	_, err = c.Chat.ApprovePlan(context.Background(), id, planID)
	var nf *scopix.ResourceNotFoundError
	assert.ErrorAs(t, err, &nf)
	assert.Equal(t, 2, srv.RequestCount(http.MethodPost, "/chat/sessions/"+id+"/plans/"+planID+"/action"))
}

func TestChatPlanActions_RejectBadIDsBeforeSending(t *testing.T) {
	t.Parallel()
	srv, c, id := newChatSession(t)
	before := srv.Stats().Requests
	for _, tt := range []struct{ session, plan, field string }{
		{"", "p1", "session_id"}, {"..", "p1", "session_id"}, {id, "", "plan_id"}, {id, ".", "plan_id"},
	} {
		_, err := c.Chat.ApprovePlan(context.Background(), tt.session, tt.plan)
		var v *scopix.ValidationError
		require.ErrorAs(t, err, &v)
		assert.Equal(t, tt.field, v.Err.Details["field"])
		_, err = c.Chat.CancelPlan(context.Background(), tt.session, tt.plan)
		assert.ErrorAs(t, err, &v)
	}
	assert.Equal(t, before, srv.Stats().Requests)
}

func TestChatPlanActions_OnTheDocumentedWire(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		reply   reply
		running bool
		check   func(t *testing.T, err error)
	}{
		{"200 with results", reply{status: 200, body: `{"success": true, "plan_id": "plan-1", "message": "done", "action_taken": "approve", "results": {"files_moved": 3}, "agent_results": [{"agent": "folder"}], "pending_actions": []}`}, false, nil},
		{"202 without a body", reply{status: 202}, true, nil},
		{"202 with the accepted status", reply{status: 202, body: `{"success": true, "plan_id": "plan-1", "message": "started", "action_taken": "approve", "status": "accepted"}`}, true, nil},
		{"409 without a body", reply{status: 409}, false, func(t *testing.T, err error) {
			var conflict *scopix.PlanConflictError
			require.ErrorAs(t, err, &conflict)
			assert.Contains(t, err.Error(), "plan is being processed")
			assert.Equal(t, "plan-1", conflict.Err.Details["plan_id"])
		}},
		{"404 in the chat error shape", reply{status: 404, body: `{"error": "Plan not found", "error_code": "PLAN_NOT_FOUND", "detail": null, "timestamp": "2025-01-15T10:30:00"}`}, false, func(t *testing.T, err error) {
			var nf *scopix.ResourceNotFoundError
			require.ErrorAs(t, err, &nf)
			assert.Contains(t, err.Error(), "Plan not found")
		}},
		{"500 is not retried: the plan may have started", reply{status: 500, body: `{"error": "boom", "error_code": "INTERNAL"}`}, false, func(t *testing.T, err error) {
			var se *scopix.ServerError
			require.ErrorAs(t, err, &se)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newWire(t)
			s.Mux.Handle("/", script(tt.reply))
			res, err := s.Client.Chat.ApprovePlan(context.Background(), "sess/1", "plan-1")
			reqs := s.Requests()
			require.Len(t, reqs, 1, "sent once, never retried")
			assert.Equal(t, http.MethodPost, reqs[0].Method)
			assert.Equal(t, "/api/v2/chat/sessions/sess%2F1/plans/plan-1/action", reqs[0].Path)
			assert.JSONEq(t, `{"action": "approve"}`, string(reqs[0].Body))
			if tt.check != nil {
				tt.check(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.running, res.Running)
			assert.Equal(t, "plan-1", res.PlanID)
			assert.Equal(t, "approve", res.ActionTaken)
		})
	}
	var base *scopix.Error
	assert.True(t, errors.As(&scopix.PlanConflictError{Err: &scopix.Error{Code: scopix.CodeConflict}}, &base))
	assert.NotPanics(t, func() { _ = (&scopix.PlanConflictError{}).Error() })
}
