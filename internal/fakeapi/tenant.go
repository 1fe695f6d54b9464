package fakeapi

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Tenant settings, limits, members and the audit log, answered as the
// reference (predecessor api/settings.md, openapi /tenant/*) shows. The
// state starts as the reference's examples: the Acme Corp settings, an
// owner and an editor, and an audit log of AuditEntryCount events cycling
// through the documented event types, severities and results.

// TenantOwnerID is the id of the owner member the fake starts with; the
// caller of the fake's API is taken to be the owner.
const TenantOwnerID = "550e8400-e29b-41d4-a716-446655440000"

// AuditEntryCount is how many audit events the fake starts with.
const AuditEntryCount = 24

type tenantState struct {
	settings map[string]any
	members  []map[string]any
	audit    []map[string]any
}

func (t *tenantState) init() {
	t.settings = map[string]any{
		"id": "550e8400-e29b-41d4-a716-446655440000", "name": "Acme Corp", "owner_user_id": TenantOwnerID,
		"created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-06-15T08:22:00Z", "is_active": true,
		"webhook_url": nil, "allowed_vlm_providers": []any{"openai", "anthropic", "google"}, "allowed_domains": []any{},
		"max_monthly_credits": 10000, "max_requests_per_minute": 100, "custom_config": map[string]any{},
		"subscription_tier": "professional", "subscription_expires_at": "2026-01-01T00:00:00Z",
		"current_month_credits": 2500, "current_month_cost": 45.00, "total_credits": 15000, "total_cost": 270.00,
	}
	t.members = []map[string]any{
		{"id": TenantOwnerID, "email": "owner@example.com", "name": "Jane Owner", "role": "owner",
			"joined_at": "2025-01-01T00:00:00Z", "last_active_at": "2025-06-15T14:22:00Z"},
		{"id": "660e8400-e29b-41d4-a716-446655440000", "email": "editor@example.com", "name": "John Editor", "role": "editor",
			"joined_at": "2025-03-10T09:00:00Z", "last_active_at": nil},
	}
	types := []string{"api_key.created", "auth.login", "tenant.member_added", "permission.denied"}
	severities := []string{"info", "info", "info", "warning"}
	results := []string{"success", "success", "success", "denied"}
	base := time.Date(2025, 6, 10, 14, 22, 0, 0, time.UTC)
	for i := range AuditEntryCount {
		k := i % len(types)
		t.audit = append(t.audit, map[string]any{
			"id": fmt.Sprintf("log_%03d", i), "event_type": types[k],
			"event_timestamp": base.Add(-time.Duration(i) * time.Hour).Format(time.RFC3339),
			"severity":        severities[k], "user_id": TenantOwnerID, "api_key_id": nil, "action": "create",
			"result": results[k], "ip_address": "192.168.1.1", "resource_type": "api_key",
			"resource_id": "key_xyz789", "error_message": nil, "metadata": map[string]any{"key_name": "Production API Key"},
		})
	}
}

// tenantRoutes are the routes tenant.go serves.
func (s *Server) tenantRoutes() []route {
	return []route{
		{"GET /tenant/settings", s.handleTenantSettings},
		{"PATCH /tenant/settings", s.handleUpdateTenantSettings},
		{"GET /tenant/limits", s.handleTenantLimits},
		{"GET /tenant/members", s.handleTenantMembers},
		{"POST /tenant/members/invite", s.handleInviteMember},
		{"PATCH /tenant/members/{user_id}/role", s.handleMemberRole},
		{"DELETE /tenant/members/{user_id}", s.handleRemoveMember},
		{"GET /tenant/audit-logs", s.handleAuditLogs},
		{"GET /tenant/audit-logs/{log_id}", s.handleAuditLog},
	}
}

func (s *Server) handleTenantSettings(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	WriteJSON(w, http.StatusOK, s.state.tenant.settings)
}

// settingsFields are the fields PATCH /tenant/settings accepts (openapi
// TenantSettingsUpdate); billing-controlled ones are refused.
var settingsFields = map[string]bool{"name": true, "webhook_url": true, "allowed_vlm_providers": true,
	"allowed_domains": true, "custom_config": true}

func (s *Server) handleUpdateTenantSettings(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if !ReadJSON(w, r, &body) {
		return
	}
	for k := range body {
		if !settingsFields[k] {
			fastAPIError(w, "body", k, "cannot be set here")
			return
		}
	}
	if name, ok := body["name"].(string); ok && (name == "" || len(name) > 255) {
		fastAPIError(w, "body", "name", "must be 1 to 255 characters")
		return
	}
	s.Lock()
	defer s.Unlock()
	for k, v := range body {
		s.state.tenant.settings[k] = v
	}
	s.state.tenant.settings["updated_at"] = time.Now().UTC().Format(time.RFC3339)
	WriteJSON(w, http.StatusOK, s.state.tenant.settings)
}

func (s *Server) handleTenantLimits(w http.ResponseWriter, r *http.Request) {
	WriteJSON(w, http.StatusOK, map[string]any{
		"limits":            map[string]any{"monthly_uploads": 1000, "api_calls_per_minute": 100},
		"usage":             map[string]any{"monthly_uploads": 250, "api_calls_per_minute": 45},
		"remaining":         map[string]any{"monthly_uploads": 750, "api_calls_per_minute": 55},
		"subscription_tier": "professional",
	})
}

func (s *Server) handleTenantMembers(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	WriteJSON(w, http.StatusOK, s.state.tenant.members)
}

// assignableRole is the documented role pattern of invites and role changes.
func assignableRole(role string) bool { return role == "viewer" || role == "editor" || role == "admin" }

func (s *Server) handleInviteMember(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Email string `json:"email"`
		Role  string `json:"role"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	if body.Role == "" {
		body.Role = "viewer"
	}
	if !strings.Contains(body.Email, "@") || !assignableRole(body.Role) {
		fastAPIError(w, "body", "role", "email must be an address and role one of viewer, editor, admin")
		return
	}
	s.Lock()
	defer s.Unlock()
	for _, m := range s.state.tenant.members {
		if m["email"] == body.Email {
			WriteError(w, http.StatusBadRequest, "VALIDATION_ERROR", "User is already a member of this tenant")
			return
		}
	}
	m := map[string]any{"id": s.NewID("usr"), "email": body.Email, "name": body.Email, "role": body.Role,
		"joined_at": time.Now().UTC().Format(time.RFC3339)}
	s.state.tenant.members = append(s.state.tenant.members, m)
	WriteJSON(w, http.StatusOK, m)
}

// memberLocked finds a member, answering 404 when there is none.
func (s *Server) memberLocked(w http.ResponseWriter, id string) (int, bool) {
	for i, m := range s.state.tenant.members {
		if m["id"] == id {
			return i, true
		}
	}
	WriteError(w, http.StatusNotFound, "NOT_FOUND", "Member not found")
	return 0, false
}

func (s *Server) handleMemberRole(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Role string `json:"role"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	if !assignableRole(body.Role) {
		fastAPIError(w, "body", "role", "must be one of viewer, editor, admin")
		return
	}
	s.Lock()
	defer s.Unlock()
	i, ok := s.memberLocked(w, r.PathValue("user_id"))
	if !ok {
		return
	}
	if s.state.tenant.members[i]["role"] == "owner" {
		WriteError(w, http.StatusBadRequest, "VALIDATION_ERROR", "Cannot change the owner's role")
		return
	}
	s.state.tenant.members[i]["role"] = body.Role
	WriteJSON(w, http.StatusOK, s.state.tenant.members[i])
}

func (s *Server) handleRemoveMember(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	i, ok := s.memberLocked(w, r.PathValue("user_id"))
	if !ok {
		return
	}
	if s.state.tenant.members[i]["role"] == "owner" {
		WriteError(w, http.StatusBadRequest, "VALIDATION_ERROR", "Cannot remove the owner or yourself")
		return
	}
	s.state.tenant.members = append(s.state.tenant.members[:i], s.state.tenant.members[i+1:]...)
	WriteJSON(w, http.StatusOK, map[string]any{"detail": "Member removed successfully"})
}

func (s *Server) handleAuditLogs(w http.ResponseWriter, r *http.Request) {
	limit, offset, ok := pageParams(w, r, 50)
	if !ok || !queryDates(w, r, "date_from", "date_to") {
		return
	}
	q := r.URL.Query()
	from, _ := time.Parse(time.RFC3339, q.Get("date_from"))
	to, _ := time.Parse(time.RFC3339, q.Get("date_to"))
	s.Lock()
	defer s.Unlock()
	var match []map[string]any
	for _, e := range s.state.tenant.audit {
		at, _ := time.Parse(time.RFC3339, e["event_timestamp"].(string))
		if !matches(q.Get("event_type"), e["event_type"]) || !matches(q.Get("severity"), e["severity"]) ||
			!matches(q.Get("user_id"), e["user_id"]) || !matches(q.Get("result"), e["result"]) ||
			(!from.IsZero() && at.Before(from)) || (!to.IsZero() && at.After(to)) {
			continue
		}
		match = append(match, e)
	}
	WriteJSON(w, http.StatusOK, map[string]any{"entries": pageOf(match, offset, limit),
		"total_count": len(match), "has_more": offset+limit < len(match)})
}

// matches reports whether a filter (empty: none) accepts v.
func matches(filter string, v any) bool { return filter == "" || v == filter }

func (s *Server) handleAuditLog(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	for _, e := range s.state.tenant.audit {
		if e["id"] == r.PathValue("log_id") {
			WriteJSON(w, http.StatusOK, e)
			return
		}
	}
	WriteError(w, http.StatusNotFound, "NOT_FOUND", "Audit log entry not found")
}
