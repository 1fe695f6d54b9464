package fakeapi

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Usage, answered as the reference (predecessor api/usage.md) shows: every
// answer is the reference's example; the lists (usage events, per-file and
// per-conversation tokens) repeat the example's row with numbered ids so
// that paging can be exercised. Query values are checked against the
// documented ranges (422 otherwise). The top-endpoints answer is not
// documented: its shape here is inferred.

// Sizes of the fake's usage lists.
const (
	UsageEventCount        = 120
	UsageFileTokenCount    = 7
	UsageConversationCount = 5
)

// usageRoutes are the routes usage.go serves.
func (s *Server) usageRoutes() []route {
	return []route{
		{"GET /usage/summary", s.handleUsageSummary},
		{"GET /usage/details", s.handleUsageDetails},
		{"GET /usage/by-period", s.handleUsageByPeriod},
		{"GET /usage/top-endpoints", s.handleUsageTopEndpoints},
		{"POST /usage/check", s.handleUsageCheck},
		{"GET /usage/breakdown", s.handleUsageBreakdown},
		{"GET /usage/plan", s.handleUsagePlan},
		{"GET /usage/tokens/monthly", s.handleTokensMonthly},
		{"GET /usage/tokens/files", s.handleTokensFiles},
		{"GET /usage/tokens/conversations", s.handleTokensConversations},
		{"GET /usage/dashboard-analytics", s.handleDashboardAnalytics},
	}
}

func (s *Server) handleUsageSummary(w http.ResponseWriter, r *http.Request) {
	if !queryDates(w, r, "start_date", "end_date") {
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{
		"period":      map[string]any{"start": "2025-01-01T00:00:00Z", "end": "2025-01-31T23:59:59Z"},
		"usage":       map[string]any{"describe_count": 3500, "total_requests": 3500, "successful_requests": 3440, "failed_requests": 60},
		"performance": map[string]any{"avg_response_time_ms": 245.5},
		"limits":      map[string]any{"monthly_limit": 100000, "used_this_month": 3665, "remaining": 96335, "percentage_used": 3.67},
		"plan": map[string]any{"name": "Professional", "requests_limit": 100000, "requests_used": 3665,
			"requests_remaining": 96335, "usage_percentage": 3.67, "renewal_date": "2025-01-31T23:59:59Z"},
		"total_credits":    4200,
		"supports_overage": false, // deprecated, always false (documented)
	})
}

func (s *Server) handleUsageDetails(w http.ResponseWriter, r *http.Request) {
	page, ok := queryIntIn(w, r, "page", 1, 1, 1<<31-1)
	if !ok {
		return
	}
	size, ok := queryIntIn(w, r, "page_size", 50, 1, 100)
	if !ok || !queryDates(w, r, "start_date", "end_date") {
		return
	}
	start := (page - 1) * size
	events := []any{}
	base := time.Date(2025, 1, 15, 14, 30, 0, 0, time.UTC)
	for i := start; i < min(start+size, UsageEventCount); i++ {
		events = append(events, map[string]any{
			"id": fmt.Sprintf("evt_%04d", i), "timestamp": base.Add(time.Duration(i) * time.Minute).Format(time.RFC3339),
			"operation_type": "chat", "endpoint": "/api/v2/chat/sessions/{id}/messages", "method": "POST",
			"status_code": 200, "response_time_ms": 312, "error_code": nil, "api_key_id": "key_xyz789"})
	}
	WriteJSON(w, http.StatusOK, map[string]any{"events": events, "pagination": map[string]any{
		"page": page, "page_size": size, "total_count": UsageEventCount, "total_pages": (UsageEventCount + size - 1) / size}})
}

func (s *Server) handleUsageByPeriod(w http.ResponseWriter, r *http.Request) {
	periodType, ok := queryEnum(w, r, "period_type", "day", "hour", "day", "month")
	if !ok {
		return
	}
	if !queryDates(w, r, "start_date", "end_date") {
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{
		"period_type": periodType, "start_date": "2025-01-01T00:00:00Z", "end_date": "2025-01-31T23:59:59Z",
		"data": []any{
			map[string]any{"timestamp": "2025-01-01T00:00:00Z", "value": 125, "label": "2025-01-01"},
			map[string]any{"timestamp": "2025-01-02T00:00:00Z", "value": 143, "label": "2025-01-02"},
		}})
}

// handleUsageTopEndpoints answers with an inferred shape: the reference
// documents the endpoint and its query (limit 1–50), not its answer.
func (s *Server) handleUsageTopEndpoints(w http.ResponseWriter, r *http.Request) {
	limit, ok := queryIntIn(w, r, "limit", 10, 1, 50)
	if !ok || !queryDates(w, r, "start_date", "end_date") {
		return
	}
	rows := []any{
		map[string]any{"endpoint": "/api/v2/chat/sessions/{id}/messages", "method": "POST", "request_count": 2100,
			"error_count": 12, "avg_response_time_ms": 312.0},
		map[string]any{"endpoint": "/api/v2/files/upload", "method": "POST", "request_count": 1400,
			"error_count": 48, "avg_response_time_ms": 180.5},
	}
	WriteJSON(w, http.StatusOK, map[string]any{"endpoints": rows[:min(limit, len(rows))]})
}

func (s *Server) handleUsageCheck(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ItemCount *int `json:"item_count"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	items := 1
	if body.ItemCount != nil {
		items = *body.ItemCount
	}
	const limit, used = 100000, 3665
	required := 2 * items // two credits an item, as in the reference's example
	out := map[string]any{"can_proceed": true, "current_usage": used, "monthly_limit": limit,
		"required_credits": required, "available_credits": limit - used, "reset_date": "2025-02-01",
		"message": nil, "prepaid_credits": 0}
	if required > limit-used {
		out["can_proceed"] = false
		out["message"] = fmt.Sprintf("Operation requires %d credits, but only %d available", required, limit-used)
	}
	WriteJSON(w, http.StatusOK, out)
}

func (s *Server) handleUsageBreakdown(w http.ResponseWriter, r *http.Request) {
	WriteJSON(w, http.StatusOK, map[string]any{"current_month": "2025-01", "total_credits_used": 4200,
		"monthly_limit": 100000, "remaining_credits": 95800, "usage_percentage": 4.2, "reset_date": "2025-02-01T00:00:00+00:00"})
}

func (s *Server) handleUsagePlan(w http.ResponseWriter, r *http.Request) {
	out := map[string]any{
		"billing_period": map[string]any{"start_date": "2025-01-01T00:00:00Z", "end_date": "2025-01-31T23:59:59Z",
			"days_remaining": 16, "renewal_date": "2025-02-01T00:00:00Z"},
		"plan_details": map[string]any{"plan_name": "Professional", "monthly_requests_limit": 100000, "requests_used": 3665,
			"requests_remaining": 96335, "usage_percentage": 3.67, "features": map[string]any{"batch_processing": true}},
	}
	if r.URL.Query().Get("include_projections") != "false" {
		out["projections"] = map[string]any{"projected_monthly_requests": 7500, "will_exceed_limit": false, "trending": "stable"}
		out["optimization_recommendations"] = map[string]any{"suggestions": []any{}}
	}
	WriteJSON(w, http.StatusOK, out)
}

func (s *Server) handleTokensMonthly(w http.ResponseWriter, r *http.Request) {
	year, ok := queryIntIn(w, r, "year", 2025, 0, 9999)
	if !ok {
		return
	}
	month, ok := queryIntIn(w, r, "month", 1, 1, 12)
	if !ok {
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"year": year, "month": month,
		"total_input_tokens": 222000, "total_output_tokens": 83000, "total_tokens": 305000})
}

func (s *Server) handleTokensFiles(w http.ResponseWriter, r *http.Request) {
	limit, offset, ok := limitOffset(w, r)
	if !ok {
		return
	}
	files := []any{}
	for i := offset; i < min(offset+limit, UsageFileTokenCount); i++ {
		files = append(files, map[string]any{"image_id": fmt.Sprintf("img_abc%03d", i), "filename": "product-photo.jpg",
			"input_tokens": 1200, "output_tokens": 450, "total_tokens": 1650, "created_at": "2025-01-15T14:30:00Z"})
	}
	WriteJSON(w, http.StatusOK, map[string]any{"files": files, "total_count": UsageFileTokenCount,
		"total_input_tokens": 1200 * UsageFileTokenCount, "total_output_tokens": 450 * UsageFileTokenCount})
}

func (s *Server) handleTokensConversations(w http.ResponseWriter, r *http.Request) {
	limit, offset, ok := limitOffset(w, r)
	if !ok {
		return
	}
	convs := []any{}
	for i := offset; i < min(offset+limit, UsageConversationCount); i++ {
		convs = append(convs, map[string]any{"session_id": fmt.Sprintf("sess_abc%03d", i), "title": "Product Analysis Discussion",
			"input_tokens": 5200, "output_tokens": 3100, "total_tokens": 8300, "message_count": 12, "created_at": "2025-01-15T10:00:00Z"})
	}
	WriteJSON(w, http.StatusOK, map[string]any{"conversations": convs, "total_count": UsageConversationCount,
		"total_input_tokens": 5200 * UsageConversationCount, "total_output_tokens": 3100 * UsageConversationCount})
}

func (s *Server) handleDashboardAnalytics(w http.ResponseWriter, r *http.Request) {
	period, ok := queryEnum(w, r, "period", "month", "week", "month", "year")
	if !ok {
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{
		"period": period, "start_date": "2025-01-01", "end_date": "2025-01-31",
		"daily_activity": []any{
			map[string]any{"date": "2025-01-01", "files_uploaded": 12, "chat_messages": 8},
			map[string]any{"date": "2025-01-02", "files_uploaded": 5, "chat_messages": 15},
		},
		"total_chat_messages": 420, "total_files_uploaded": 350, "total_chat_sessions": 28,
		"avg_processing_time_ms": 1250.5, "success_rate": 98.5, "processing_tokens": 125000, "chat_tokens": 85000,
		"total_tokens": 210000, "current_month_chat_tokens": 85000, "max_monthly_chat_tokens": 75000,
	})
}

// limitOffset reads the documented limit (1–100, default 50) and offset.
func limitOffset(w http.ResponseWriter, r *http.Request) (limit, offset int, ok bool) {
	return pageParams(w, r, 50)
}

// queryIntIn reads an integer query value within [lo, hi] (def when
// absent), answering 422 when it is not.
func queryIntIn(w http.ResponseWriter, r *http.Request, name string, def, lo, hi int) (int, bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		queryError(w, name, fmt.Sprintf("must be an integer from %d to %d", lo, hi))
		return 0, false
	}
	return n, true
}

// queryDates checks that the named query values, when present, are
// date-times, answering 422 when one is not.
func queryDates(w http.ResponseWriter, r *http.Request, names ...string) bool {
	for _, name := range names {
		v := r.URL.Query().Get(name)
		if v == "" {
			continue
		}
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			queryError(w, name, "must be an ISO 8601 date-time")
			return false
		}
	}
	return true
}
