package scopix_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

const ownerID = "550e8400-e29b-41d4-a716-446655440000"
const editorID = "660e8400-e29b-41d4-a716-446655440000"

func TestTenant_SettingsAndUpdateOnTheWire(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()

	got, err := c.Tenant.Settings(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Acme Corp", got.Name)
	assert.Equal(t, ownerID, got.OwnerUserID)
	assert.Equal(t, []string{"openai", "anthropic", "google"}, got.AllowedVLMProviders)
	assert.Equal(t, "professional", got.SubscriptionTier)
	assert.Equal(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), got.SubscriptionExpiresAt.Time)
	assert.InDelta(t, 270.0, got.TotalCost, 1e-9)
	assert.Empty(t, got.WebhookURL, "null webhook")

	updated, err := c.Tenant.UpdateSettings(ctx, &scopix.TenantSettingsUpdate{
		Name: scopix.Ptr("Acme Corporation"), AllowedVLMProviders: []string{"openai", "anthropic"},
		AllowedDomains: []string{}, CustomConfig: map[string]any{"default_model": "gpt-4o"}})
	require.NoError(t, err)
	assert.Equal(t, "Acme Corporation", updated.Name)
	assert.Equal(t, []string{"openai", "anthropic"}, updated.AllowedVLMProviders)
	assert.Equal(t, "gpt-4o", updated.CustomConfig["default_model"])
	assert.True(t, updated.UpdatedAt.After(got.UpdatedAt.Time))
}

func TestTenantSettingsUpdate_SendsOnlyWhatIsSet(t *testing.T) {
	t.Parallel()
	data, err := json.Marshal(scopix.TenantSettingsUpdate{WebhookURL: scopix.Ptr("https://hooks.example.com/x"), AllowedDomains: []string{}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"webhook_url":"https://hooks.example.com/x","allowed_domains":[]}`, string(data),
		"an empty list is sent to clear it; nil fields are left out")
}

func TestTenant_LimitsAndMembers(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()

	limits, err := c.Tenant.Limits(ctx)
	require.NoError(t, err)
	assert.Equal(t, 750, limits.Remaining["monthly_uploads"])
	assert.Equal(t, 100, limits.Limits["api_calls_per_minute"])

	members, err := c.Tenant.Members(ctx)
	require.NoError(t, err)
	require.Len(t, members, 2)
	assert.Equal(t, scopix.MemberRoleOwner, members[0].Role)
	assert.True(t, members[1].LastActiveAt.IsZero(), "null last_active_at")

	invited, err := c.Tenant.InviteMember(ctx, "new@example.com", "")
	require.NoError(t, err)
	assert.Equal(t, scopix.MemberRoleViewer, invited.Role, "viewer by default")
	assert.Equal(t, "new@example.com", invited.Email)

	promoted, err := c.Tenant.UpdateMemberRole(ctx, invited.ID, scopix.MemberRoleAdmin)
	require.NoError(t, err)
	assert.Equal(t, scopix.MemberRoleAdmin, promoted.Role)

	removed, err := c.Tenant.RemoveMember(ctx, editorID)
	require.NoError(t, err)
	assert.Equal(t, "Member removed successfully", removed.Detail)
	members, err = c.Tenant.Members(ctx)
	require.NoError(t, err)
	assert.Len(t, members, 2, "owner and the invited admin")
}

func TestTenant_ServerRefusalsAreTyped(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()

	_, err := c.Tenant.UpdateMemberRole(ctx, ownerID, scopix.MemberRoleViewer)
	assert.True(t, isType[*scopix.ValidationError](err), "the owner's role: got %v", err)
	_, err = c.Tenant.RemoveMember(ctx, ownerID)
	assert.True(t, isType[*scopix.ValidationError](err), "the owner: got %v", err)
	_, err = c.Tenant.InviteMember(ctx, "editor@example.com", scopix.MemberRoleEditor)
	assert.True(t, isType[*scopix.ValidationError](err), "already a member: got %v", err)
	_, err = c.Tenant.RemoveMember(ctx, "no-such-user")
	assert.True(t, isType[*scopix.ResourceNotFoundError](err), "got %v", err)
}

func TestTenant_BadArgumentsAreRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	assertRefusedBeforeSending(t, srv, []refusal{
		{"empty update", "settings", func() error { _, err := c.Tenant.UpdateSettings(ctx, &scopix.TenantSettingsUpdate{}); return err }},
		{"nil update", "settings", func() error { _, err := c.Tenant.UpdateSettings(ctx, nil); return err }},
		{"empty name", "name", func() error {
			_, err := c.Tenant.UpdateSettings(ctx, &scopix.TenantSettingsUpdate{Name: scopix.Ptr("")})
			return err
		}},
		{"webhook", "webhook_url", func() error {
			_, err := c.Tenant.UpdateSettings(ctx, &scopix.TenantSettingsUpdate{WebhookURL: scopix.Ptr("ftp://x")})
			return err
		}},
		{"email", "email", func() error { _, err := c.Tenant.InviteMember(ctx, "nobody", scopix.MemberRoleEditor); return err }},
		{"owner invite", "role", func() error { _, err := c.Tenant.InviteMember(ctx, "a@b.c", scopix.MemberRoleOwner); return err }},
		{"role", "role", func() error { _, err := c.Tenant.UpdateMemberRole(ctx, editorID, "boss"); return err }},
		{"user id", "user_id", func() error { _, err := c.Tenant.RemoveMember(ctx, ".."); return err }},
		{"role user id", "user_id", func() error { _, err := c.Tenant.UpdateMemberRole(ctx, "", scopix.MemberRoleAdmin); return err }},
		{"audit limit", "limit", func() error { _, err := c.Audit.List(ctx, &scopix.AuditListParams{Limit: 101}); return err }},
		{"audit offset", "offset", func() error { _, err := c.Audit.List(ctx, &scopix.AuditListParams{Offset: -1}); return err }},
		{"audit dates", "date_from", func() error {
			_, err := c.Audit.List(ctx, &scopix.AuditListParams{DateFrom: time.Now(), DateTo: time.Now().Add(-time.Hour)})
			return err
		}},
		{"audit id", "log_id", func() error { _, err := c.Audit.Get(ctx, ""); return err }},
	})
}

func TestAudit_ListFiltersPagesAndGet(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()

	page, err := c.Audit.List(ctx, &scopix.AuditListParams{Limit: 10})
	require.NoError(t, err)
	assert.Len(t, page.Entries, 10)
	assert.Equal(t, 24, page.TotalCount)
	assert.True(t, page.HasMore)
	first := page.Entries[0]
	assert.Equal(t, scopix.AuditEventType("api_key.created"), first.EventType)
	assert.Equal(t, "Production API Key", first.Metadata["key_name"])
	assert.Equal(t, time.Date(2025, 6, 10, 14, 22, 0, 0, time.UTC), first.EventTimestamp.Time)

	denied, err := c.Audit.List(ctx, &scopix.AuditListParams{Result: scopix.AuditDenied, Severity: scopix.SeverityWarning,
		EventType: "permission.denied", UserID: ownerID,
		DateFrom: time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC), DateTo: time.Date(2025, 6, 11, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	require.NotEmpty(t, denied.Entries)
	for _, e := range denied.Entries {
		assert.Equal(t, scopix.AuditDenied, e.Result)
	}
	q := lastQuery(t, srv)
	assert.Equal(t, "2025-06-10T00:00:00Z", q.Get("date_from"))
	assert.Equal(t, "warning", q.Get("severity"))

	var ids []string
	for e, err := range c.Audit.ListAll(ctx, &scopix.AuditListParams{Limit: 7}) {
		require.NoError(t, err)
		ids = append(ids, e.ID)
	}
	assert.Len(t, ids, 24)
	assert.Equal(t, "log_023", ids[23])

	one, err := c.Audit.Get(ctx, "log_005")
	require.NoError(t, err)
	assert.Equal(t, "log_005", one.ID)
	_, err = c.Audit.Get(ctx, "log_999")
	assert.True(t, isType[*scopix.ResourceNotFoundError](err))
}

func TestTenantAndAudit_PermissionErrorsAreTyped(t *testing.T) {
	t.Parallel()
	srv := newWire(t)
	srv.Mux.Handle("/", script(reply{status: http.StatusForbidden, body: `{"detail":"Requires ADMIN role"}`}))
	c := srv.Client
	ctx := context.Background()
	_, err := c.Tenant.UpdateSettings(ctx, &scopix.TenantSettingsUpdate{Name: scopix.Ptr("x")})
	assert.True(t, isType[*scopix.PermissionError](err), "got %v", err)
	_, err = c.Tenant.Members(ctx)
	assert.True(t, isType[*scopix.PermissionError](err))
	_, err = c.Audit.List(ctx, nil)
	assert.True(t, isType[*scopix.PermissionError](err))
	for _, err := range c.Audit.ListAll(ctx, nil) {
		assert.True(t, isType[*scopix.PermissionError](err), "the iterator yields the error")
	}
	assert.Len(t, srv.Requests(), 4, "not retried")
}
