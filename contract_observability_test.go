package scopix_test

import (
	"context"
	"iter"
	"net/http"
	"testing"
	"time"

	"github.com/scopix/scopix-go"
)

// TestContract_Observability pins the names of API.md §11 "Middleware" and
// of the response metadata and correlation id helpers, and the main
// methods of the usage, tenant, audit and batch services.
func TestContract_Observability(t *testing.T) {
	t.Parallel()
	var (
		_ func(...scopix.Middleware) scopix.Option                           = scopix.WithMiddleware
		_ func(*http.Request, scopix.MiddlewareNext) (*http.Response, error) = scopix.Middleware(nil)
		_ func(*http.Request) (*http.Response, error)                        = scopix.MiddlewareNext(nil)
		_ func(context.Context, *scopix.ResponseInfo) context.Context        = scopix.WithResponseInfo
		_ func(context.Context, string) context.Context                      = scopix.WithCorrelationID
		_ func(context.Context) string                                       = scopix.CorrelationID
	)
	type ctx = context.Context
	var (
		_ func(*scopix.UsageService, ctx, *scopix.UsageSummaryParams) (*scopix.UsageSummary, error)                          = (*scopix.UsageService).Summary
		_ func(*scopix.UsageService, ctx, *scopix.UsageDetailsParams) iter.Seq2[scopix.UsageEvent, error]                    = (*scopix.UsageService).AllDetails
		_ func(*scopix.UsageService, ctx, *scopix.UsageCheckParams) (*scopix.UsageCheck, error)                              = (*scopix.UsageService).Check
		_ func(*scopix.TenantService, ctx) (*scopix.TenantSettings, error)                                                   = (*scopix.TenantService).Settings
		_ func(*scopix.TenantService, ctx, string, scopix.MemberRole) (*scopix.TenantMember, error)                          = (*scopix.TenantService).InviteMember
		_ func(*scopix.AuditService, ctx, *scopix.AuditListParams) iter.Seq2[scopix.AuditLogEntry, error]                    = (*scopix.AuditService).ListAll
		_ func(*scopix.AuditService, ctx, string) (*scopix.AuditLogEntry, error)                                             = (*scopix.AuditService).Get
		_ func(*scopix.BatchService, ctx, []scopix.BatchImage, *scopix.BatchDescribeParams) (*scopix.BatchSubmission, error) = (*scopix.BatchService).SubmitDescribe
		_ func(*scopix.BatchService, ctx, string, *scopix.BatchResultsParams) iter.Seq2[scopix.BatchItemResult, error]       = (*scopix.BatchService).AllResults
		_ func(*scopix.BatchService, ctx, string, *scopix.WaitBatchOptions) (*scopix.BatchJob, error)                        = (*scopix.BatchService).WaitForCompletion
	)
	_ = scopix.BatchError{Err: nil, BatchID: "", Status: ""}
	_ = scopix.ResponseInfo{StatusCode: 0, RequestID: "", Attempts: 0, Header: nil,
		RateLimit: scopix.RateLimit{Limit: 0, Remaining: 0, Reset: time.Time{}}}
}
