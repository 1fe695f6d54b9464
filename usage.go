package scopix

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Wire details of the usage API. Paths, query names and answers are
// documented (predecessor api/usage.md, openapi /usage/*) unless marked.
const (
	pathUsageSummary       = "usage/summary"              // documented (predecessor api/usage.md)
	pathUsageDetails       = "usage/details"              // documented (predecessor api/usage.md): page/page_size paging
	pathUsageByPeriod      = "usage/by-period"            // documented (predecessor api/usage.md)
	pathUsageTopEndpoints  = "usage/top-endpoints"        // documented path (predecessor api/usage.md); answer inferred, see topEndpointsListKeys
	pathUsageCheck         = "usage/check"                // documented (predecessor api/usage.md): POST {item_count}
	pathUsageBreakdown     = "usage/breakdown"            // documented (predecessor api/usage.md)
	pathUsagePlan          = "usage/plan"                 // documented (predecessor api/usage.md): answer shown abbreviated
	pathUsageTokensMonthly = "usage/tokens/monthly"       // documented (predecessor api/usage.md)
	pathUsageTokensFiles   = "usage/tokens/files"         // documented (predecessor api/usage.md): limit/offset paging
	pathUsageTokensConvs   = "usage/tokens/conversations" // documented (predecessor api/usage.md): limit/offset paging
	pathUsageDashboard     = "usage/dashboard-analytics"  // documented (predecessor api/usage.md)
	maxUsagePageSize       = 100                          // documented (predecessor openapi): page_size 1–100
	maxTopEndpoints        = 50                           // documented (predecessor openapi): limit 1–50
	maxTokenUsageLimit     = 100                          // documented (predecessor openapi): limit 1–100
	defaultUsagePageSize   = 50                           // documented (predecessor openapi): page_size and limit default 50
	usageDateLayout        = time.RFC3339                 // documented (predecessor openapi): date-time query values
	usageCheckAnalysisKey  = "analysis_level"             // inferred: Scopix's usage.check(analysis_level, …) names no wire key
	usageCheckCategoryKey  = "content_category"           // inferred, likewise
)

// topEndpointsListKeys are the keys the top-endpoints answer may list its
// rows under. Neither the reference nor openapi shows that answer: the keys
// and the row fields of EndpointUsage are inferred; Raw keeps the whole
// answer so nothing is lost if the guess is wrong.
var topEndpointsListKeys = []string{"endpoints", "top_endpoints", "items"}

// UsageService reports API usage, credits and tokens, under /usage. The API
// allows 30 requests a minute here (60 for Check).
type UsageService service

// Summary returns aggregated request counts, performance and plan limits
// for a period (GET /usage/summary). A nil p is the current month.
//
// Errors: *ValidationError (StartDate after EndDate, before sending),
// *PermissionError, and the transport errors of every call.
func (s *UsageService) Summary(ctx context.Context, p *UsageSummaryParams) (*UsageSummary, error) {
	if p == nil {
		p = &UsageSummaryParams{}
	}
	q, err := dateRange(p.StartDate, p.EndDate)
	if err != nil {
		return nil, err
	}
	setIf(q, "period", string(p.Period))
	setIf(q, "api_key_id", p.APIKeyID)
	return getJSON[UsageSummary](ctx, s.client, pathUsageSummary, q)
}

// Details returns one page of individual usage events (GET /usage/details,
// paged by page number). A nil p is the first page of 50.
//
// Errors: *ValidationError (Page < 0, PageSize outside 0–100, StartDate
// after EndDate — before sending), *PermissionError, and the transport
// errors of every call.
func (s *UsageService) Details(ctx context.Context, p *UsageDetailsParams) (*UsageDetailsPage, error) {
	if p == nil {
		p = &UsageDetailsParams{}
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	q, _ := dateRange(p.StartDate, p.EndDate)
	setIf(q, "api_key_id", p.APIKeyID)
	setIf(q, "operation_type", p.OperationType)
	setInt(q, "page", p.Page)
	setInt(q, "page_size", p.PageSize)
	return getJSON[UsageDetailsPage](ctx, s.client, pathUsageDetails, q)
}

// AllDetails yields every usage event matching p, from p.Page on, fetching
// pages with Details as the loop goes on; p is copied, never changed. It
// stops after yielding the first error.
func (s *UsageService) AllDetails(ctx context.Context, p *UsageDetailsParams) iter.Seq2[UsageEvent, error] {
	var params UsageDetailsParams
	if p != nil {
		params = *p
	}
	size := params.PageSize
	if size == 0 {
		size = defaultUsagePageSize
	}
	first := max(params.Page, 1)
	return pages((first-1)*size, func(offset int) ([]UsageEvent, bool, error) {
		page := params
		page.Page, page.PageSize = offset/size+1, size
		got, err := s.Details(ctx, &page)
		if err != nil {
			return nil, false, err
		}
		return got.Events, got.Pagination.Page < got.Pagination.TotalPages, nil
	})
}

// ByPeriod returns usage as a time series for charts (GET /usage/by-period).
// A nil p is daily points for the default range.
//
// Errors: *ValidationError (StartDate after EndDate, before sending), and
// the transport errors of every call.
func (s *UsageService) ByPeriod(ctx context.Context, p *UsageByPeriodParams) (*UsageTimeSeries, error) {
	if p == nil {
		p = &UsageByPeriodParams{}
	}
	q, err := dateRange(p.StartDate, p.EndDate)
	if err != nil {
		return nil, err
	}
	setIf(q, "period_type", string(p.PeriodType))
	setIf(q, "api_key_id", p.APIKeyID)
	return getJSON[UsageTimeSeries](ctx, s.client, pathUsageByPeriod, q)
}

// TopEndpoints returns the most-used endpoints ranked by request count
// (GET /usage/top-endpoints). The answer's shape is not documented: the
// rows are decoded as inferred (see EndpointUsage) and Raw keeps the whole
// answer.
//
// Errors: *ValidationError (Limit outside 0–50, StartDate after EndDate —
// before sending), and the transport errors of every call.
func (s *UsageService) TopEndpoints(ctx context.Context, p *TopEndpointsParams) (*TopEndpoints, error) {
	if p == nil {
		p = &TopEndpointsParams{}
	}
	if p.Limit < 0 || p.Limit > maxTopEndpoints {
		return nil, validationError("limit", fmt.Sprintf("must be from 1 to %d (0: the server's default of 10)", maxTopEndpoints))
	}
	q, err := dateRange(p.StartDate, p.EndDate)
	if err != nil {
		return nil, err
	}
	setInt(q, "limit", p.Limit)
	raw, err := getJSON[json.RawMessage](ctx, s.client, pathUsageTopEndpoints, q)
	if err != nil {
		return nil, err
	}
	out := &TopEndpoints{Raw: *raw}
	out.Endpoints = decodeListUnder[EndpointUsage](*raw, topEndpointsListKeys)
	return out, nil
}

// Check asks whether an operation on p.ItemCount items can proceed within
// the plan's credits, without doing it (POST /usage/check). A refusal is
// CanProceed false with a Message, not an error. A nil p checks one item.
//
// Errors: *ValidationError (ItemCount < 0, before sending), and the
// transport errors of every call.
func (s *UsageService) Check(ctx context.Context, p *UsageCheckParams) (*UsageCheck, error) {
	if p == nil {
		p = &UsageCheckParams{}
	}
	if p.ItemCount < 0 {
		return nil, validationError("item_count", "must not be negative")
	}
	body := map[string]any{"item_count": max(p.ItemCount, 1)}
	if p.AnalysisLevel != "" {
		body[usageCheckAnalysisKey] = p.AnalysisLevel
	}
	if p.ContentCategory != "" {
		body[usageCheckCategoryKey] = p.ContentCategory
	}
	req, err := s.client.newRequest(http.MethodPost, pathUsageCheck, body)
	if err != nil {
		return nil, err
	}
	// A read-only question: asking twice changes nothing.
	req.idempotent()
	return doJSON[UsageCheck](ctx, s.client, req)
}

// Breakdown returns the credits used in the current billing month, the
// limit and the next reset (GET /usage/breakdown).
//
// Errors: the transport errors of every call.
func (s *UsageService) Breakdown(ctx context.Context) (*UsageBreakdown, error) {
	return getJSON[UsageBreakdown](ctx, s.client, pathUsageBreakdown, nil)
}

// Plan returns the plan's utilisation, projections and recommendations
// (GET /usage/plan?period=&include_projections=). A nil p is the month,
// with projections.
//
// Errors: the transport errors of every call.
func (s *UsageService) Plan(ctx context.Context, p *PlanUsageParams) (*PlanUsage, error) {
	q := url.Values{}
	if p != nil {
		setIf(q, "period", p.Period)
		if p.IncludeProjections != nil {
			q.Set("include_projections", strconv.FormatBool(*p.IncludeProjections))
		}
	}
	return getJSON[PlanUsage](ctx, s.client, pathUsagePlan, q)
}

// MonthlyTokens returns the input, output and total tokens of a month
// (GET /usage/tokens/monthly?year=&month=). Zero Year or Month mean the
// current one.
//
// Errors: *ValidationError (Month outside 0–12, Year < 0 — before sending),
// and the transport errors of every call.
func (s *UsageService) MonthlyTokens(ctx context.Context, year, month int) (*MonthlyTokenUsage, error) {
	if month < 0 || month > 12 {
		return nil, validationError("month", "must be from 1 to 12 (0: the current month)")
	}
	if year < 0 {
		return nil, validationError("year", "must not be negative")
	}
	q := url.Values{}
	setInt(q, "year", year)
	setInt(q, "month", month)
	return getJSON[MonthlyTokenUsage](ctx, s.client, pathUsageTokensMonthly, q)
}

// FileTokens returns one page of per-file token usage
// (GET /usage/tokens/files?limit=&offset=).
//
// Errors: *ValidationError (Limit outside 0–100, Offset < 0 — before
// sending), and the transport errors of every call.
func (s *UsageService) FileTokens(ctx context.Context, p *TokenUsageParams) (*FileTokenUsagePage, error) {
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	return getJSON[FileTokenUsagePage](ctx, s.client, pathUsageTokensFiles, q)
}

// AllFileTokens yields the token usage of every file, fetching pages with
// FileTokens as the loop goes on. It stops after yielding the first error.
func (s *UsageService) AllFileTokens(ctx context.Context, p *TokenUsageParams) iter.Seq2[FileTokenUsage, error] {
	return tokenPages(p, func(page *TokenUsageParams) ([]FileTokenUsage, int, error) {
		got, err := s.FileTokens(ctx, page)
		if err != nil {
			return nil, 0, err
		}
		return got.Files, got.TotalCount, nil
	})
}

// ConversationTokens returns one page of per-chat-session token usage
// (GET /usage/tokens/conversations?limit=&offset=).
//
// Errors: *ValidationError (Limit outside 0–100, Offset < 0 — before
// sending), and the transport errors of every call.
func (s *UsageService) ConversationTokens(ctx context.Context, p *TokenUsageParams) (*ConversationTokenUsagePage, error) {
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	return getJSON[ConversationTokenUsagePage](ctx, s.client, pathUsageTokensConvs, q)
}

// AllConversationTokens yields the token usage of every chat session,
// fetching pages with ConversationTokens as the loop goes on. It stops
// after yielding the first error.
func (s *UsageService) AllConversationTokens(ctx context.Context, p *TokenUsageParams) iter.Seq2[ConversationTokenUsage, error] {
	return tokenPages(p, func(page *TokenUsageParams) ([]ConversationTokenUsage, int, error) {
		got, err := s.ConversationTokens(ctx, page)
		if err != nil {
			return nil, 0, err
		}
		return got.Conversations, got.TotalCount, nil
	})
}

// DashboardAnalytics returns the activity overview of the dashboard: daily
// uploads and chat messages, totals, tokens and performance
// (GET /usage/dashboard-analytics?period=). An empty period is the month.
//
// Errors: *ValidationError (a period other than week, month or year,
// before sending), and the transport errors of every call.
func (s *UsageService) DashboardAnalytics(ctx context.Context, period DashboardPeriod) (*DashboardAnalytics, error) {
	switch period {
	case "", DashboardWeek, DashboardMonth, DashboardYear:
	default:
		return nil, validationError("period", "must be week, month or year")
	}
	q := url.Values{}
	setIf(q, "period", string(period))
	return getJSON[DashboardAnalytics](ctx, s.client, pathUsageDashboard, q)
}

// tokenPages is the offset paginator of the two token lists, which report
// a total_count but no has_more.
func tokenPages[T any](p *TokenUsageParams, fetch func(*TokenUsageParams) ([]T, int, error)) iter.Seq2[T, error] {
	var params TokenUsageParams
	if p != nil {
		params = *p
	}
	return pages(params.Offset, func(offset int) ([]T, bool, error) {
		page := params
		page.Offset = offset
		items, total, err := fetch(&page)
		if err != nil {
			return nil, false, err
		}
		return items, offset+len(items) < total, nil
	})
}

// dateRange starts a query with start_date and end_date (omitted when zero).
func dateRange(start, end time.Time) (url.Values, error) {
	if !start.IsZero() && !end.IsZero() && start.After(end) {
		return nil, validationError("start_date", "must not be after end_date")
	}
	q := url.Values{}
	if !start.IsZero() {
		q.Set("start_date", start.UTC().Format(usageDateLayout))
	}
	if !end.IsZero() {
		q.Set("end_date", end.UTC().Format(usageDateLayout))
	}
	return q, nil
}

func setIf(q url.Values, key, v string) {
	if v != "" {
		q.Set(key, v)
	}
}

func setInt(q url.Values, key string, v int) {
	if v != 0 {
		q.Set(key, strconv.Itoa(v))
	}
}

// decodeListUnder decodes the rows of an answer that is a bare array or an
// object listing them under one of keys; what it cannot read is skipped
// (the caller keeps the raw answer).
func decodeListUnder[T any](raw json.RawMessage, keys []string) []T {
	var rows []T
	if json.Unmarshal(raw, &rows) == nil {
		return rows
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return nil
	}
	for _, k := range keys {
		if v, ok := obj[k]; ok && json.Unmarshal(v, &rows) == nil {
			return rows
		}
	}
	return nil
}

func (p *UsageDetailsParams) validate() error {
	if p.Page < 0 {
		return validationError("page", "must not be negative")
	}
	if p.PageSize < 0 || p.PageSize > maxUsagePageSize {
		return validationError("page_size", fmt.Sprintf("must be from 1 to %d (0: the server's default of 50)", maxUsagePageSize))
	}
	_, err := dateRange(p.StartDate, p.EndDate)
	return err
}

func (p *TokenUsageParams) query() (url.Values, error) {
	q := url.Values{}
	if p == nil {
		return q, nil
	}
	if p.Limit < 0 || p.Limit > maxTokenUsageLimit {
		return nil, validationError("limit", fmt.Sprintf("must be from 1 to %d (0: the server's default of 50)", maxTokenUsageLimit))
	}
	if p.Offset < 0 {
		return nil, validationError("offset", "must not be negative")
	}
	setInt(q, "limit", p.Limit)
	setInt(q, "offset", p.Offset)
	return q, nil
}

// UsagePeriod is a predefined period of Summary.
type UsagePeriod string

// Periods of Summary (documented (predecessor api/usage.md)).
const (
	UsageDay   UsagePeriod = "day"
	UsageWeek  UsagePeriod = "week"
	UsageMonth UsagePeriod = "month"
)

// UsageSummaryParams selects the period of Summary. Zero values are omitted.
type UsageSummaryParams struct {
	StartDate, EndDate time.Time
	Period             UsagePeriod // default month
	APIKeyID           string      // only this API key's usage
}

// UsageSummary is the answer of Summary.
type UsageSummary struct {
	Period struct {
		Start Time `json:"start"`
		End   Time `json:"end"`
	} `json:"period"`
	Usage struct {
		DescribeCount      int `json:"describe_count"`
		TotalRequests      int `json:"total_requests"`
		SuccessfulRequests int `json:"successful_requests"`
		FailedRequests     int `json:"failed_requests"`
	} `json:"usage"`
	Performance struct {
		AvgResponseTimeMS float64 `json:"avg_response_time_ms"`
	} `json:"performance"`
	Limits struct {
		MonthlyLimit   int     `json:"monthly_limit"`
		UsedThisMonth  int     `json:"used_this_month"`
		Remaining      int     `json:"remaining"`
		PercentageUsed float64 `json:"percentage_used"`
	} `json:"limits"`
	Plan struct {
		Name              string  `json:"name"`
		RequestsLimit     int     `json:"requests_limit"`
		RequestsUsed      int     `json:"requests_used"`
		RequestsRemaining int     `json:"requests_remaining"`
		UsagePercentage   float64 `json:"usage_percentage"`
		RenewalDate       Time    `json:"renewal_date"`
	} `json:"plan"`
	TotalCredits int `json:"total_credits"`
}

// UsageDetailsParams filters and pages Details. Zero values are omitted.
type UsageDetailsParams struct {
	StartDate, EndDate time.Time
	APIKeyID           string
	OperationType      string // e.g. "describe", "upload", "chat"
	Page               int    // from 1; 0 is the first
	PageSize           int    // 1–100; 0 is the server's 50
}

// UsageDetailsPage is one page of usage events.
type UsageDetailsPage struct {
	Events     []UsageEvent `json:"events"`
	Pagination struct {
		Page       int `json:"page"`
		PageSize   int `json:"page_size"`
		TotalCount int `json:"total_count"`
		TotalPages int `json:"total_pages"`
	} `json:"pagination"`
}

// UsageEvent is one recorded API request.
type UsageEvent struct {
	ID             string `json:"id"`
	Timestamp      Time   `json:"timestamp"`
	OperationType  string `json:"operation_type"`
	Endpoint       string `json:"endpoint"`
	Method         string `json:"method"`
	StatusCode     int    `json:"status_code"`
	ResponseTimeMS int    `json:"response_time_ms"`
	ErrorCode      string `json:"error_code"`
	APIKeyID       string `json:"api_key_id"`
}

// UsagePeriodType is the spacing of ByPeriod's points.
type UsagePeriodType string

// Period types of ByPeriod (documented (predecessor api/usage.md)).
const (
	PeriodHour  UsagePeriodType = "hour"
	PeriodDay   UsagePeriodType = "day"
	PeriodMonth UsagePeriodType = "month"
)

// UsageByPeriodParams selects ByPeriod's series. Zero values are omitted.
type UsageByPeriodParams struct {
	PeriodType         UsagePeriodType // default day
	StartDate, EndDate time.Time
	APIKeyID           string
}

// UsageTimeSeries is the answer of ByPeriod.
type UsageTimeSeries struct {
	PeriodType UsagePeriodType `json:"period_type"`
	StartDate  Time            `json:"start_date"`
	EndDate    Time            `json:"end_date"`
	Data       []UsagePoint    `json:"data"`
}

// UsagePoint is one point of a usage time series.
type UsagePoint struct {
	Timestamp Time    `json:"timestamp"`
	Value     float64 `json:"value"`
	Label     string  `json:"label"`
}

// TopEndpointsParams selects TopEndpoints. Zero values are omitted.
type TopEndpointsParams struct {
	Limit              int // 1–50; 0 is the server's 10
	StartDate, EndDate time.Time
}

// TopEndpoints is the answer of TopEndpoints: the rows as inferred, and
// the raw answer.
type TopEndpoints struct {
	Endpoints []EndpointUsage
	Raw       json.RawMessage
}

// EndpointUsage is one ranked endpoint. Its fields are inferred from the
// usage event fields (the answer is not documented).
type EndpointUsage struct {
	Endpoint          string  `json:"endpoint"`
	Method            string  `json:"method"`
	RequestCount      int     `json:"request_count"`
	ErrorCount        int     `json:"error_count"`
	AvgResponseTimeMS float64 `json:"avg_response_time_ms"`
}

// UsageCheckParams describes the operation Check asks about.
type UsageCheckParams struct {
	ItemCount int // items to process; 0 is 1
	// AnalysisLevel and ContentCategory are named by Scopix's SDK
	// (usage.check); their wire keys are inferred. Empty: omitted.
	AnalysisLevel   string
	ContentCategory string
}

// UsageCheck is the answer of Check. ResetDate is a date ("2025-02-01").
type UsageCheck struct {
	CanProceed       bool   `json:"can_proceed"`
	CurrentUsage     int    `json:"current_usage"`
	MonthlyLimit     int    `json:"monthly_limit"`
	RequiredCredits  int    `json:"required_credits"`
	AvailableCredits int    `json:"available_credits"`
	PrepaidCredits   int    `json:"prepaid_credits"`
	ResetDate        string `json:"reset_date"`
	Message          string `json:"message"`
}

// UsageBreakdown is the answer of Breakdown. CurrentMonth is "2025-01".
type UsageBreakdown struct {
	CurrentMonth     string  `json:"current_month"`
	TotalCreditsUsed int     `json:"total_credits_used"`
	MonthlyLimit     int     `json:"monthly_limit"`
	RemainingCredits int     `json:"remaining_credits"`
	UsagePercentage  float64 `json:"usage_percentage"`
	ResetDate        Time    `json:"reset_date"`
}

// PlanUsageParams selects Plan. Zero values are omitted.
type PlanUsageParams struct {
	Period             string // month (default), quarter or year
	IncludeProjections *bool  // default true
}

// PlanUsage is the answer of Plan. The reference shows it abbreviated:
// the fields below are the ones it shows; Features and the suggestions are
// kept as sent.
type PlanUsage struct {
	BillingPeriod struct {
		StartDate     Time `json:"start_date"`
		EndDate       Time `json:"end_date"`
		DaysRemaining int  `json:"days_remaining"`
		RenewalDate   Time `json:"renewal_date"`
	} `json:"billing_period"`
	PlanDetails struct {
		PlanName             string          `json:"plan_name"`
		MonthlyRequestsLimit int             `json:"monthly_requests_limit"`
		RequestsUsed         int             `json:"requests_used"`
		RequestsRemaining    int             `json:"requests_remaining"`
		UsagePercentage      float64         `json:"usage_percentage"`
		Features             map[string]bool `json:"features"`
	} `json:"plan_details"`
	Projections struct {
		ProjectedMonthlyRequests int    `json:"projected_monthly_requests"`
		WillExceedLimit          bool   `json:"will_exceed_limit"`
		Trending                 string `json:"trending"`
	} `json:"projections"`
	OptimizationRecommendations struct {
		Suggestions []json.RawMessage `json:"suggestions"`
	} `json:"optimization_recommendations"`
}

// MonthlyTokenUsage is the answer of MonthlyTokens.
type MonthlyTokenUsage struct {
	Year              int `json:"year"`
	Month             int `json:"month"`
	TotalInputTokens  int `json:"total_input_tokens"`
	TotalOutputTokens int `json:"total_output_tokens"`
	TotalTokens       int `json:"total_tokens"`
}

// TokenUsageParams pages FileTokens and ConversationTokens.
type TokenUsageParams struct {
	Limit  int // 1–100; 0 is the server's 50
	Offset int
}

// FileTokenUsagePage is one page of FileTokens.
type FileTokenUsagePage struct {
	Files             []FileTokenUsage `json:"files"`
	TotalCount        int              `json:"total_count"`
	TotalInputTokens  int              `json:"total_input_tokens"`
	TotalOutputTokens int              `json:"total_output_tokens"`
}

// FileTokenUsage is the token usage of one processed file.
type FileTokenUsage struct {
	ImageID      string `json:"image_id"`
	Filename     string `json:"filename"`
	InputTokens  int    `json:"input_tokens"`
	OutputTokens int    `json:"output_tokens"`
	TotalTokens  int    `json:"total_tokens"`
	CreatedAt    Time   `json:"created_at"`
}

// ConversationTokenUsagePage is one page of ConversationTokens.
type ConversationTokenUsagePage struct {
	Conversations     []ConversationTokenUsage `json:"conversations"`
	TotalCount        int                      `json:"total_count"`
	TotalInputTokens  int                      `json:"total_input_tokens"`
	TotalOutputTokens int                      `json:"total_output_tokens"`
}

// ConversationTokenUsage is the token usage of one chat session.
type ConversationTokenUsage struct {
	SessionID    string `json:"session_id"`
	Title        string `json:"title"`
	InputTokens  int    `json:"input_tokens"`
	OutputTokens int    `json:"output_tokens"`
	TotalTokens  int    `json:"total_tokens"`
	MessageCount int    `json:"message_count"`
	CreatedAt    Time   `json:"created_at"`
}

// DashboardPeriod is the period of DashboardAnalytics.
type DashboardPeriod string

// Periods of DashboardAnalytics (documented (predecessor openapi enum)).
const (
	DashboardWeek  DashboardPeriod = "week"
	DashboardMonth DashboardPeriod = "month"
	DashboardYear  DashboardPeriod = "year"
)

// DashboardAnalytics is the answer of DashboardAnalytics. Dates are
// "2025-01-31"; AvgProcessingTimeMS and SuccessRate (a percentage) are
// zero when the server sends null.
type DashboardAnalytics struct {
	Period                 string          `json:"period"`
	StartDate              string          `json:"start_date"`
	EndDate                string          `json:"end_date"`
	DailyActivity          []DailyActivity `json:"daily_activity"`
	TotalChatMessages      int             `json:"total_chat_messages"`
	TotalFilesUploaded     int             `json:"total_files_uploaded"`
	TotalChatSessions      int             `json:"total_chat_sessions"`
	AvgProcessingTimeMS    float64         `json:"avg_processing_time_ms"`
	SuccessRate            float64         `json:"success_rate"`
	ProcessingTokens       int             `json:"processing_tokens"`
	ChatTokens             int             `json:"chat_tokens"`
	TotalTokens            int             `json:"total_tokens"`
	CurrentMonthChatTokens int             `json:"current_month_chat_tokens"`
	MaxMonthlyChatTokens   int             `json:"max_monthly_chat_tokens"`
}

// DailyActivity is one day of DashboardAnalytics.
type DailyActivity struct {
	Date          string `json:"date"`
	FilesUploaded int    `json:"files_uploaded"`
	ChatMessages  int    `json:"chat_messages"`
}
