package scopix

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Wire details of the tenant and audit APIs: documented (predecessor
// api/settings.md, openapi /tenant/*).
const (
	pathTenantSettings   = "tenant/settings"       // documented (predecessor api/settings.md): GET, PATCH
	pathTenantLimits     = "tenant/limits"         // documented (predecessor api/settings.md)
	pathTenantMembers    = "tenant/members"        // documented (predecessor api/settings.md): a bare JSON array
	pathTenantInvite     = "tenant/members/invite" // documented (predecessor api/settings.md)
	tenantMemberRoleTail = "role"                  // documented (predecessor api/settings.md): PATCH tenant/members/{id}/role
	pathAuditLogs        = "tenant/audit-logs"     // documented (predecessor api/settings.md): GET, GET /{id}
	maxAuditLimit        = 100                     // documented (predecessor openapi): limit 1–100
	maxTenantName        = 255                     // documented (predecessor openapi TenantSettingsUpdate)
	maxWebhookURL        = 2083                    // documented (predecessor openapi TenantSettingsUpdate)
)

// TenantService administers the workspace (tenant): its settings, limits
// and members, under /tenant. Reading needs the VIEW permission, changing
// the ADMIN role; the API answers *PermissionError otherwise.
type TenantService service

// Settings returns the tenant's configuration, subscription and usage
// (GET /tenant/settings).
//
// Errors: *PermissionError, and the transport errors of every call.
func (s *TenantService) Settings(ctx context.Context) (*TenantSettings, error) {
	return getJSON[TenantSettings](ctx, s.client, pathTenantSettings, nil)
}

// UpdateSettings changes the fields set in p and returns the new settings
// (PATCH /tenant/settings, ADMIN). The monthly credits and rate limit are
// set by billing and cannot be changed here.
//
// Errors: *ValidationError (nil or empty p, a name outside 1–255
// characters, a webhook URL that is not an absolute http(s) URL of at most
// 2083 characters — before sending), *PermissionError, and the transport
// errors of every call.
func (s *TenantService) UpdateSettings(ctx context.Context, p *TenantSettingsUpdate) (*TenantSettings, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	return sendJSON[TenantSettings](ctx, s.client, http.MethodPatch, pathTenantSettings, p)
}

// Limits returns the tenant's limits, current usage and what remains
// (GET /tenant/limits).
//
// Errors: *PermissionError, and the transport errors of every call.
func (s *TenantService) Limits(ctx context.Context) (*TenantLimits, error) {
	return getJSON[TenantLimits](ctx, s.client, pathTenantLimits, nil)
}

// Members returns every member of the tenant (GET /tenant/members).
//
// Errors: *PermissionError, and the transport errors of every call.
func (s *TenantService) Members(ctx context.Context) ([]TenantMember, error) {
	out, err := getJSON[[]TenantMember](ctx, s.client, pathTenantMembers, nil)
	if err != nil {
		return nil, err
	}
	return *out, nil
}

// InviteMember invites email with role (MemberRoleViewer when empty) and
// returns the new member; the API creates the user when the email is
// unknown (POST /tenant/members/invite, ADMIN).
//
// Errors: *ValidationError (an email without "@", a role other than
// viewer, editor or admin — before sending; an existing member, from the
// server), *PermissionError, and the transport errors of every call.
func (s *TenantService) InviteMember(ctx context.Context, email string, role MemberRole) (*TenantMember, error) {
	if i := strings.IndexByte(email, '@'); i <= 0 || i == len(email)-1 {
		return nil, validationError("email", "must be an email address")
	}
	if role == "" {
		role = MemberRoleViewer
	}
	if err := role.assignable(); err != nil {
		return nil, err
	}
	body := struct {
		Email string     `json:"email"`
		Role  MemberRole `json:"role"`
	}{email, role}
	return sendJSON[TenantMember](ctx, s.client, http.MethodPost, pathTenantInvite, body)
}

// UpdateMemberRole gives a member another role and returns the member
// (PATCH /tenant/members/{user_id}/role, ADMIN). The owner's role cannot be
// changed.
//
// Errors: *ValidationError (empty id, a role other than viewer, editor or
// admin — before sending; the owner, from the server),
// *ResourceNotFoundError, *PermissionError, and the transport errors of
// every call.
func (s *TenantService) UpdateMemberRole(ctx context.Context, userID string, role MemberRole) (*TenantMember, error) {
	seg, err := idSegment("user_id", userID)
	if err != nil {
		return nil, err
	}
	if err := role.assignable(); err != nil {
		return nil, err
	}
	body := struct {
		Role MemberRole `json:"role"`
	}{role}
	return sendJSON[TenantMember](ctx, s.client, http.MethodPatch, pathTenantMembers+"/"+seg+"/"+tenantMemberRoleTail, body)
}

// RemoveMember removes a member from the tenant (DELETE
// /tenant/members/{user_id}, ADMIN). Neither the owner nor the caller can
// be removed.
//
// Errors: *ValidationError (empty id before sending; the owner or
// yourself, from the server), *ResourceNotFoundError, *PermissionError,
// and the transport errors of every call.
func (s *TenantService) RemoveMember(ctx context.Context, userID string) (*MemberRemoval, error) {
	seg, err := idSegment("user_id", userID)
	if err != nil {
		return nil, err
	}
	return sendJSON[MemberRemoval](ctx, s.client, http.MethodDelete, pathTenantMembers+"/"+seg, nil)
}

// AuditService reads the tenant's audit log of admin and security events
// (ADMIN role), under /tenant/audit-logs.
type AuditService service

// List returns one page of audit events matching p, newest first
// (GET /tenant/audit-logs). A nil p is the first 50 events.
//
// Errors: *ValidationError (Limit outside 0–100, Offset < 0, DateFrom
// after DateTo — before sending), *PermissionError, and the transport
// errors of every call.
func (s *AuditService) List(ctx context.Context, p *AuditListParams) (*AuditLogList, error) {
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	return getJSON[AuditLogList](ctx, s.client, pathAuditLogs, q)
}

// ListAll yields every audit event matching p, fetching pages with List as
// the loop goes on; p is copied, never changed. It stops after yielding the
// first error.
func (s *AuditService) ListAll(ctx context.Context, p *AuditListParams) iter.Seq2[AuditLogEntry, error] {
	var params AuditListParams
	if p != nil {
		params = *p
	}
	return pages(params.Offset, func(offset int) ([]AuditLogEntry, bool, error) {
		page := params
		page.Offset = offset
		got, err := s.List(ctx, &page)
		if err != nil {
			return nil, false, err
		}
		return got.Entries, got.HasMore, nil
	})
}

// Get returns one audit event (GET /tenant/audit-logs/{log_id}).
//
// Errors: *ValidationError (empty id, before sending),
// *ResourceNotFoundError, *PermissionError, and the transport errors of
// every call.
func (s *AuditService) Get(ctx context.Context, logID string) (*AuditLogEntry, error) {
	seg, err := idSegment("log_id", logID)
	if err != nil {
		return nil, err
	}
	return getJSON[AuditLogEntry](ctx, s.client, pathAuditLogs+"/"+seg, nil)
}

func (p *TenantSettingsUpdate) validate() error {
	if p == nil || (p.Name == nil && p.WebhookURL == nil && p.AllowedVLMProviders == nil &&
		p.AllowedDomains == nil && p.CustomConfig == nil) {
		return validationError("settings", "set at least one field")
	}
	if p.Name != nil && (len(*p.Name) == 0 || len(*p.Name) > maxTenantName) {
		return validationError("name", fmt.Sprintf("must be 1 to %d characters", maxTenantName))
	}
	if p.WebhookURL != nil {
		u, err := url.Parse(*p.WebhookURL)
		if err != nil || len(*p.WebhookURL) > maxWebhookURL || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return validationError("webhook_url", fmt.Sprintf("must be an absolute http(s) URL of at most %d characters", maxWebhookURL))
		}
	}
	return nil
}

func (r MemberRole) assignable() error {
	switch r {
	case MemberRoleViewer, MemberRoleEditor, MemberRoleAdmin:
		return nil
	}
	return validationError("role", "must be viewer, editor or admin (the owner role cannot be given)")
}

func (p *AuditListParams) query() (url.Values, error) {
	q := url.Values{}
	if p == nil {
		return q, nil
	}
	if p.Limit < 0 || p.Limit > maxAuditLimit {
		return nil, validationError("limit", fmt.Sprintf("must be from 1 to %d (0: the server's default of 50)", maxAuditLimit))
	}
	if p.Offset < 0 {
		return nil, validationError("offset", "must not be negative")
	}
	if !p.DateFrom.IsZero() && !p.DateTo.IsZero() && p.DateFrom.After(p.DateTo) {
		return nil, validationError("date_from", "must not be after date_to")
	}
	setIf(q, "event_type", string(p.EventType))
	setIf(q, "severity", string(p.Severity))
	setIf(q, "user_id", p.UserID)
	setIf(q, "result", string(p.Result))
	if !p.DateFrom.IsZero() {
		q.Set("date_from", p.DateFrom.UTC().Format(time.RFC3339))
	}
	if !p.DateTo.IsZero() {
		q.Set("date_to", p.DateTo.UTC().Format(time.RFC3339))
	}
	setInt(q, "limit", p.Limit)
	setInt(q, "offset", p.Offset)
	return q, nil
}

// TenantSettings is the tenant's configuration, subscription and usage.
type TenantSettings struct {
	ID                    string         `json:"id"`
	Name                  string         `json:"name"`
	OwnerUserID           string         `json:"owner_user_id"`
	CreatedAt             Time           `json:"created_at"`
	UpdatedAt             Time           `json:"updated_at"`
	IsActive              bool           `json:"is_active"`
	WebhookURL            string         `json:"webhook_url"`
	AllowedVLMProviders   []string       `json:"allowed_vlm_providers"`
	AllowedDomains        []string       `json:"allowed_domains"`
	MaxMonthlyCredits     int            `json:"max_monthly_credits"`
	MaxRequestsPerMinute  int            `json:"max_requests_per_minute"`
	CustomConfig          map[string]any `json:"custom_config"`
	SubscriptionTier      string         `json:"subscription_tier"`
	SubscriptionExpiresAt Time           `json:"subscription_expires_at"`
	CurrentMonthCredits   int            `json:"current_month_credits"`
	CurrentMonthCost      float64        `json:"current_month_cost"`
	TotalCredits          int            `json:"total_credits"`
	TotalCost             float64        `json:"total_cost"`
}

// TenantSettingsUpdate holds the settings UpdateSettings changes; nil
// fields are left as they are. An empty non-nil slice clears a list.
type TenantSettingsUpdate struct {
	Name                *string
	WebhookURL          *string
	AllowedVLMProviders []string // openai, anthropic, google, azure, aws
	AllowedDomains      []string // for CORS
	CustomConfig        map[string]any
}

// MarshalJSON sends only the fields that are set, so that an empty list
// is sent (and clears the setting) while a nil one is left out.
func (p TenantSettingsUpdate) MarshalJSON() ([]byte, error) {
	body := map[string]any{}
	if p.Name != nil {
		body["name"] = *p.Name
	}
	if p.WebhookURL != nil {
		body["webhook_url"] = *p.WebhookURL
	}
	if p.AllowedVLMProviders != nil {
		body["allowed_vlm_providers"] = p.AllowedVLMProviders
	}
	if p.AllowedDomains != nil {
		body["allowed_domains"] = p.AllowedDomains
	}
	if p.CustomConfig != nil {
		body["custom_config"] = p.CustomConfig
	}
	return json.Marshal(body)
}

// TenantLimits are the tenant's limits, usage and remaining quota, keyed by
// limit name ("monthly_uploads", "api_calls_per_minute", …).
type TenantLimits struct {
	Limits           map[string]int `json:"limits"`
	Usage            map[string]int `json:"usage"`
	Remaining        map[string]int `json:"remaining"`
	SubscriptionTier string         `json:"subscription_tier"`
}

// MemberRole is a member's role in the tenant.
type MemberRole string

// Member roles (documented (predecessor api/settings.md)); the owner role
// cannot be given.
const (
	MemberRoleOwner  MemberRole = "owner"
	MemberRoleAdmin  MemberRole = "admin"
	MemberRoleEditor MemberRole = "editor"
	MemberRoleViewer MemberRole = "viewer"
)

// Earlier names of the MemberRole values, kept so existing code compiles.
const (
	// Deprecated: use MemberRoleOwner.
	RoleOwner = MemberRoleOwner
	// Deprecated: use MemberRoleAdmin.
	RoleAdmin = MemberRoleAdmin
	// Deprecated: use MemberRoleEditor.
	RoleEditor = MemberRoleEditor
	// Deprecated: use MemberRoleViewer.
	RoleViewer = MemberRoleViewer
)

// TenantMember is a user with access to the tenant. LastActiveAt is zero
// when the member was never active.
type TenantMember struct {
	ID           string     `json:"id"`
	Email        string     `json:"email"`
	Name         string     `json:"name"`
	Role         MemberRole `json:"role"`
	JoinedAt     Time       `json:"joined_at"`
	LastActiveAt Time       `json:"last_active_at"`
}

// MemberRemoval is the answer of RemoveMember.
type MemberRemoval struct {
	Detail string `json:"detail"`
}

// AuditSeverity is an audit event's severity.
type AuditSeverity string

// Severities (documented (predecessor sdk types/audit.py)).
const (
	SeverityInfo     AuditSeverity = "info"
	SeverityWarning  AuditSeverity = "warning"
	SeverityError    AuditSeverity = "error"
	SeverityCritical AuditSeverity = "critical"
)

// AuditResult is the outcome of an audited action.
type AuditResult string

// Results (documented (predecessor sdk types/audit.py)).
const (
	AuditSuccess AuditResult = "success"
	AuditFailure AuditResult = "failure"
	AuditDenied  AuditResult = "denied"
)

// AuditEventType names an audited event, e.g. "auth.login",
// "api_key.created", "tenant.member_added" (the predecessor SDK lists 27).
type AuditEventType string

// AuditListParams filters and pages List. Zero values are omitted.
type AuditListParams struct {
	EventType        AuditEventType
	Severity         AuditSeverity
	UserID           string
	DateFrom, DateTo time.Time // both inclusive
	Result           AuditResult
	Limit            int // 1–100; 0 is the server's 50
	Offset           int
}

// AuditLogList is one page of audit events.
type AuditLogList struct {
	Entries    []AuditLogEntry `json:"entries"`
	TotalCount int             `json:"total_count"`
	HasMore    bool            `json:"has_more"`
}

// AuditLogEntry is one audited event.
type AuditLogEntry struct {
	ID             string         `json:"id"`
	EventType      AuditEventType `json:"event_type"`
	EventTimestamp Time           `json:"event_timestamp"`
	Severity       AuditSeverity  `json:"severity"`
	UserID         string         `json:"user_id"`
	APIKeyID       string         `json:"api_key_id"`
	Action         string         `json:"action"`
	Result         AuditResult    `json:"result"`
	IPAddress      string         `json:"ip_address"`
	ResourceType   string         `json:"resource_type"`
	ResourceID     string         `json:"resource_id"`
	ErrorMessage   string         `json:"error_message"`
	Metadata       map[string]any `json:"metadata"`
}
