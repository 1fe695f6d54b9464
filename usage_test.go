package scopix_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

func TestUsage_SummaryOnTheWire(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	got, err := srv.Client().Usage.Summary(context.Background(), &scopix.UsageSummaryParams{
		StartDate: start, EndDate: start.AddDate(0, 1, 0), Period: scopix.UsageMonth, APIKeyID: "key_1"})
	require.NoError(t, err)

	assert.Equal(t, 3500, got.Usage.TotalRequests)
	assert.Equal(t, 60, got.Usage.FailedRequests)
	assert.InDelta(t, 245.5, got.Performance.AvgResponseTimeMS, 1e-9)
	assert.Equal(t, 96335, got.Limits.Remaining)
	assert.Equal(t, "Professional", got.Plan.Name)
	assert.Equal(t, time.Date(2025, 1, 31, 23, 59, 59, 0, time.UTC), got.Plan.RenewalDate.Time)
	assert.Equal(t, start, got.Period.Start.Time)
	assert.Equal(t, 4200, got.TotalCredits)
	q := lastQuery(t, srv)
	assert.Equal(t, "2025-01-01T00:00:00Z", q.Get("start_date"))
	assert.Equal(t, "2025-02-01T00:00:00Z", q.Get("end_date"))
	assert.Equal(t, "month", q.Get("period"))
	assert.Equal(t, "key_1", q.Get("api_key_id"))
}

// lastQuery is the query of the last request the fake saw.
func lastQuery(t *testing.T, srv *scopixtest.Server) url.Values {
	t.Helper()
	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	q, err := url.ParseQuery(reqs[len(reqs)-1].Query)
	require.NoError(t, err)
	return q
}

func TestUsage_DetailsPagesAndAllDetailsWalksEveryPage(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	page, err := c.Usage.Details(context.Background(), &scopix.UsageDetailsParams{Page: 2, PageSize: 50, OperationType: "chat"})
	require.NoError(t, err)
	require.Len(t, page.Events, 50)
	assert.Equal(t, "evt_0050", page.Events[0].ID)
	assert.Equal(t, 3, page.Pagination.TotalPages)
	assert.Equal(t, 312, page.Events[0].ResponseTimeMS)
	assert.Equal(t, "POST", page.Events[0].Method)
	assert.Equal(t, time.Date(2025, 1, 15, 15, 20, 0, 0, time.UTC), page.Events[0].Timestamp.Time)
	assert.Equal(t, "chat", lastQuery(t, srv).Get("operation_type"))

	var ids []string
	for ev, err := range c.Usage.AllDetails(context.Background(), &scopix.UsageDetailsParams{PageSize: 40}) {
		require.NoError(t, err)
		ids = append(ids, ev.ID)
	}
	assert.Len(t, ids, 120)
	assert.Equal(t, "evt_0119", ids[119])
	assert.Equal(t, 1+3, srv.RequestCount(http.MethodGet, "/usage/details"), "three pages of 40")
}

func TestUsage_ByPeriodTopEndpointsBreakdownPlan(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()

	series, err := c.Usage.ByPeriod(ctx, &scopix.UsageByPeriodParams{PeriodType: scopix.PeriodDay})
	require.NoError(t, err)
	require.Len(t, series.Data, 2)
	assert.Equal(t, 143.0, series.Data[1].Value)
	assert.Equal(t, "2025-01-02", series.Data[1].Label)
	assert.Equal(t, scopix.PeriodDay, series.PeriodType)

	top, err := c.Usage.TopEndpoints(ctx, &scopix.TopEndpointsParams{Limit: 1})
	require.NoError(t, err)
	require.Len(t, top.Endpoints, 1)
	assert.Equal(t, 2100, top.Endpoints[0].RequestCount)
	assert.Contains(t, string(top.Raw), "request_count", "the raw answer is kept")
	assert.Equal(t, "1", lastQuery(t, srv).Get("limit"))

	br, err := c.Usage.Breakdown(ctx)
	require.NoError(t, err)
	assert.Equal(t, 95800, br.RemainingCredits)
	assert.Equal(t, time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), br.ResetDate.UTC())

	plan, err := c.Usage.Plan(ctx, &scopix.PlanUsageParams{IncludeProjections: scopix.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, "Professional", plan.PlanDetails.PlanName)
	assert.True(t, plan.PlanDetails.Features["batch_processing"])
	assert.Equal(t, "stable", plan.Projections.Trending)
	assert.Equal(t, 16, plan.BillingPeriod.DaysRemaining)
}

func TestUsage_CheckAnswersWithoutErrorWhenRefused(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ok, err := c.Usage.Check(context.Background(), nil)
	require.NoError(t, err)
	assert.True(t, ok.CanProceed)
	assert.Equal(t, 2, ok.RequiredCredits)
	assert.Equal(t, "2025-02-01", ok.ResetDate)

	no, err := c.Usage.Check(context.Background(), &scopix.UsageCheckParams{ItemCount: 60000, ContentCategory: "general"})
	require.NoError(t, err)
	assert.False(t, no.CanProceed)
	assert.Contains(t, no.Message, "requires 120000 credits")
}

func TestUsage_TokensMonthlyFilesConversationsDashboard(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()

	m, err := c.Usage.MonthlyTokens(ctx, 2025, 3)
	require.NoError(t, err)
	assert.Equal(t, 305000, m.TotalTokens)
	assert.Equal(t, 3, m.Month)

	files, err := c.Usage.FileTokens(ctx, &scopix.TokenUsageParams{Limit: 5})
	require.NoError(t, err)
	assert.Len(t, files.Files, 5)
	assert.Equal(t, 7, files.TotalCount)
	assert.Equal(t, 1650, files.Files[0].TotalTokens)
	n := 0
	for f, err := range c.Usage.AllFileTokens(ctx, &scopix.TokenUsageParams{Limit: 3}) {
		require.NoError(t, err)
		assert.NotEmpty(t, f.ImageID)
		n++
	}
	assert.Equal(t, 7, n)

	var sessions []string
	for conv, err := range c.Usage.AllConversationTokens(ctx, &scopix.TokenUsageParams{Limit: 2}) {
		require.NoError(t, err)
		sessions = append(sessions, conv.SessionID)
		assert.Equal(t, 12, conv.MessageCount)
	}
	assert.Len(t, sessions, 5)

	dash, err := c.Usage.DashboardAnalytics(ctx, scopix.DashboardWeek)
	require.NoError(t, err)
	assert.Equal(t, "week", dash.Period)
	assert.Len(t, dash.DailyActivity, 2)
	assert.Equal(t, 350, dash.TotalFilesUploaded)
	assert.InDelta(t, 98.5, dash.SuccessRate, 1e-9)
}

func TestUsage_BadArgumentsAreRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	now := time.Now()
	assertRefusedBeforeSending(t, srv, []refusal{
		{"summary range", "start_date", func() error {
			_, err := c.Usage.Summary(ctx, &scopix.UsageSummaryParams{StartDate: now, EndDate: now.Add(-time.Hour)})
			return err
		}},
		{"details page size", "page_size", func() error {
			_, err := c.Usage.Details(ctx, &scopix.UsageDetailsParams{PageSize: 101})
			return err
		}},
		{"details page", "page", func() error { _, err := c.Usage.Details(ctx, &scopix.UsageDetailsParams{Page: -1}); return err }},
		{"top limit", "limit", func() error { _, err := c.Usage.TopEndpoints(ctx, &scopix.TopEndpointsParams{Limit: 51}); return err }},
		{"check count", "item_count", func() error { _, err := c.Usage.Check(ctx, &scopix.UsageCheckParams{ItemCount: -1}); return err }},
		{"month", "month", func() error { _, err := c.Usage.MonthlyTokens(ctx, 2025, 13); return err }},
		{"year", "year", func() error { _, err := c.Usage.MonthlyTokens(ctx, -1, 1); return err }},
		{"token limit", "limit", func() error { _, err := c.Usage.FileTokens(ctx, &scopix.TokenUsageParams{Limit: 500}); return err }},
		{"token offset", "offset", func() error {
			_, err := c.Usage.ConversationTokens(ctx, &scopix.TokenUsageParams{Offset: -5})
			return err
		}},
		{"dashboard period", "period", func() error { _, err := c.Usage.DashboardAnalytics(ctx, "decade"); return err }},
	})
}

// refusal is a call that must fail with a *ValidationError naming field.
type refusal struct {
	name, field string
	call        func() error
}

// assertRefusedBeforeSending runs each call and checks that it was refused
// with a *ValidationError naming its field and that nothing reached srv.
func assertRefusedBeforeSending(t *testing.T, srv *scopixtest.Server, cases []refusal) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			var ve *scopix.ValidationError
			require.True(t, errors.As(tt.call(), &ve))
			assert.Equal(t, []string{tt.field}, ve.Fields[0].Loc)
		})
	}
	assert.Zero(t, srv.Stats().Requests)
}

func TestUsage_ServerErrorsAreTyped(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status int
		body   string
		check  func(error) bool
	}{
		{403, `{"detail":"Requires VIEW permission"}`, func(err error) bool { return isType[*scopix.PermissionError](err) }},
		{401, `{"error":{"code":"INVALID_API_KEY","message":"bad key"}}`, func(err error) bool { return isType[*scopix.AuthenticationError](err) }},
		{429, `{"error":"RATE_LIMIT_ERROR"}`, func(err error) bool { return isType[*scopix.RateLimitError](err) }},
		{200, `{"usage":`, func(err error) bool {
			var base *scopix.Error
			return errors.As(err, &base) && base.Code == "BAD_RESPONSE"
		}},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			t.Parallel()
			srv := newWire(t, scopix.WithMaxRetries(0))
			srv.Mux.Handle("/", script(reply{status: tt.status, body: tt.body, header: map[string]string{"Retry-After": "100"}}))
			c := srv.Client
			_, err := c.Usage.Summary(context.Background(), nil)
			assert.True(t, tt.check(err), "got %T %v", err, err)
			_, err = c.Usage.Check(context.Background(), nil)
			assert.True(t, tt.check(err), "check: got %T %v", err, err)
		})
	}
}
