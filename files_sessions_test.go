package scopix_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// cleanBatch writes n small images the server accepts.
func cleanBatch(t *testing.T, n int) []string {
	dir := t.TempDir()
	paths := make([]string, n)
	for i := range paths {
		paths[i] = writeFile(t, dir, fmt.Sprintf("photo_%04d.jpg", i), []byte(fmt.Sprintf("\xff\xd8\xff-%d", i)))
	}
	return paths
}

func TestCheckQuota_ReportsThePlan(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t, scopixtest.WithPlan(scopixtest.PlanStarter))
	c := srv.Client()
	_, err := c.Files.Upload(context.Background(), cleanBatch(t, 1)[0], nil)
	require.NoError(t, err)

	tests := []struct {
		name  string
		count int
		can   bool
	}{
		{"fits", 10, true},
		{"all that is left", 9999, true},
		{"over", 10000, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := c.Files.CheckQuota(context.Background(), tt.count)
			require.NoError(t, err)
			assert.Equal(t, tt.can, q.CanProceed)
			assert.Equal(t, tt.count, q.Requested)
			assert.Equal(t, 9999, q.Available)
			assert.Equal(t, 10000, q.MonthlyLimit)
			assert.Equal(t, 1, q.CurrentUsage)
			assert.Equal(t, 50, q.MaxBatchSize)
			assert.Equal(t, 20, q.MaxConcurrentUploads)
			assert.Equal(t, !tt.can, q.Message != "", "a refusal says why")
		})
	}
	_, err = c.Files.CheckQuota(context.Background(), 0)
	var ve *scopix.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"file_count"}, ve.Fields[0].Loc)
}

func TestSessionResults_PagesAndIncludesFailures(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	paths := cleanBatch(t, 7)
	srv.FailDescriptionsFor("photo_0003.jpg")
	res, err := c.Files.UploadBatch(context.Background(), paths, nil)
	require.NoError(t, err)
	id := res.SessionIDs[0]

	first, err := c.Files.SessionResults(context.Background(), id, &scopix.SessionResultsParams{Limit: 5})
	require.NoError(t, err)
	assert.Equal(t, id, first.SessionID)
	assert.Len(t, first.Results, 5)
	assert.True(t, first.HasMore)
	assert.Equal(t, 7, first.TotalCount)
	assert.Equal(t, scopix.SessionResultsSummary{TotalFiles: 7, Completed: 6, Failed: 1}, first.Summary)
	rest, err := c.Files.SessionResults(context.Background(), id, &scopix.SessionResultsParams{Limit: 5, Offset: 5})
	require.NoError(t, err)
	assert.Len(t, rest.Results, 2)
	assert.False(t, rest.HasMore)

	byName := map[string]scopix.UploadResult{}
	for _, r := range append(first.Results, rest.Results...) {
		byName[r.Filename] = r
		assert.Equal(t, id, r.SessionID)
		assert.False(t, r.CreatedAt.IsZero(), "naive timestamps decode")
	}
	assert.Equal(t, "failed", byName["photo_0003.jpg"].Status)
	assert.NotEmpty(t, byName["photo_0003.jpg"].Error, "error_message lands in Error")
	assert.Equal(t, scopix.DescriptionCompleted, byName["photo_0000.jpg"].DescriptionStatus)

	onlyOK, err := c.Files.SessionResults(context.Background(), id, &scopix.SessionResultsParams{IncludeFailed: scopix.Ptr(false)})
	require.NoError(t, err)
	assert.Len(t, onlyOK.Results, 6)
}

func TestSessionResults_RefusesBadArgumentsBeforeSending(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	tests := []struct {
		name, id string
		p        *scopix.SessionResultsParams
		field    string
	}{
		{"empty id", "", nil, "session_id"},
		{"dot id", "..", nil, "session_id"},
		{"limit over 500", "s", &scopix.SessionResultsParams{Limit: 501}, "limit"},
		{"negative offset", "s", &scopix.SessionResultsParams{Offset: -1}, "offset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Files.SessionResults(context.Background(), tt.id, tt.p)
			var ve *scopix.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, []string{tt.field}, ve.Fields[0].Loc)
		})
	}
	assert.Zero(t, srv.Stats().Requests)
}

func TestCancelSession_StopsARunningSession(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t, scopixtest.WithDescriptionDelay(time.Hour))
	c := srv.Client()
	res, err := c.Files.UploadBatch(context.Background(), cleanBatch(t, 3), nil)
	require.NoError(t, err)

	sess, err := c.Files.CancelSession(context.Background(), res.SessionIDs[0])
	require.NoError(t, err)
	assert.Equal(t, scopix.SessionCancelled, sess.Status)
	assert.Equal(t, res.SessionIDs[0], sess.SessionID)
	_, err = c.Files.WaitForSession(context.Background(), res.SessionIDs[0], nil)
	var ue *scopix.UploadError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, scopix.UploadStageSession, ue.Stage)

	_, err = c.Files.CancelSession(context.Background(), "missing")
	var nf *scopix.ResourceNotFoundError
	assert.ErrorAs(t, err, &nf)
}

func TestSessions_IteratesEveryPageNewestFirst(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	var want []string
	for range 5 {
		res, err := c.Files.UploadBatch(context.Background(), cleanBatch(t, 2), nil)
		require.NoError(t, err)
		want = append([]string{res.SessionIDs[0]}, want...)
	}
	before := srv.RequestCount(http.MethodGet, "/uploads/sessions")

	var got []string
	for s, err := range c.Files.Sessions(context.Background(), &scopix.SessionListParams{Limit: 2}) {
		require.NoError(t, err)
		assert.Equal(t, "streaming", s.UploadMethod)
		assert.Equal(t, 2, s.TotalFiles)
		assert.False(t, s.CreatedAt.IsZero())
		got = append(got, s.SessionID)
	}
	assert.Equal(t, want, got)
	assert.Equal(t, 3, srv.RequestCount(http.MethodGet, "/uploads/sessions")-before, "pages of 2, 2 and 1")

	for _, err := range c.Files.Sessions(context.Background(), &scopix.SessionListParams{Limit: 101}) {
		var ve *scopix.ValidationError
		assert.ErrorAs(t, err, &ve)
	}
	n := 0
	for _, err := range c.Files.Sessions(context.Background(), &scopix.SessionListParams{Status: scopix.SessionCancelled}) {
		require.NoError(t, err)
		n++
	}
	assert.Zero(t, n, "the status filter reaches the server")
}
