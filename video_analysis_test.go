package scopix_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/internal/fakeapi"
)

// analysisBubble runs fn in a synctest bubble with a client on a fake whose
// analysis steps last stepDelay, and a queued job for a seeded video.
func analysisBubble(t *testing.T, stepDelay time.Duration, fn func(t *testing.T, c *scopix.Client, fake *fakeapi.Server, job *scopix.QueueAnalysisResult)) {
	inBubble(t, fakeapi.Options{JobStepDelay: stepDelay}, func(t *testing.T, b *bubble) {
		c := b.Client(scopix.WithPollingInterval(time.Second), scopix.WithPollingTimeout(time.Hour))
		mediaID := b.AddVideo("seeded.mp4", 1000, 30)
		job, err := c.VideoAnalysis.Queue(context.Background(), mediaID, nil)
		require.NoError(t, err)
		fn(t, c, b.Server, job)
	})
}

type poll struct {
	at       time.Duration
	status   scopix.VideoAnalysisStatus
	progress float64
}

func TestWaitForCompletion_ReportsEachPollUntilCompleted(t *testing.T) {
	t.Parallel()
	analysisBubble(t, time.Second, func(t *testing.T, c *scopix.Client, _ *fakeapi.Server, queued *scopix.QueueAnalysisResult) {
		start := time.Now()
		var polls []poll
		job, err := c.VideoAnalysis.WaitForCompletion(context.Background(), queued.AnalysisJobID, &scopix.WaitAnalysisOptions{
			OnProgress: func(j *scopix.VideoAnalysisJob) {
				polls = append(polls, poll{time.Since(start), j.Status, j.ProgressPercent})
			},
		})
		require.NoError(t, err)
		assert.Equal(t, scopix.VideoAnalysisCompleted, job.Status)
		assert.Equal(t, queued.AnalysisJobID, job.AnalysisJobID)
		assert.False(t, job.CompletedAt.IsZero())
		// Polls at 0, 1s, 2.5s and 4.75s see steps 0, 1, 2 and 4 of a job
		// whose steps last 1s.
		assert.Equal(t, []poll{
			{0, scopix.VideoAnalysisPending, 0},
			{time.Second, scopix.VideoAnalysisProcessing, 25},
			{2500 * time.Millisecond, scopix.VideoAnalysisProcessing, 50},
			{4750 * time.Millisecond, scopix.VideoAnalysisCompleted, 100},
		}, polls)
	})
}

func TestWaitForCompletion_BacksOffByHalfAgainUpTo15s(t *testing.T) {
	t.Parallel()
	analysisBubble(t, time.Hour, func(t *testing.T, c *scopix.Client, _ *fakeapi.Server, queued *scopix.QueueAnalysisResult) {
		var at []time.Time
		_, err := c.VideoAnalysis.WaitForCompletion(context.Background(), queued.AnalysisJobID, &scopix.WaitAnalysisOptions{
			Interval:   2 * time.Second,
			Timeout:    90 * time.Second,
			OnProgress: func(*scopix.VideoAnalysisJob) { at = append(at, time.Now()) },
		})
		var timeout *scopix.TimeoutError
		require.ErrorAs(t, err, &timeout)
		var gaps []time.Duration
		for i := 1; i < len(at); i++ {
			gaps = append(gaps, at[i].Sub(at[i-1]))
		}
		assert.Equal(t, []time.Duration{
			2 * time.Second, 3 * time.Second, 4500 * time.Millisecond, 6750 * time.Millisecond,
			10125 * time.Millisecond, 15 * time.Second, 15 * time.Second, 15 * time.Second, 15 * time.Second,
		}, gaps)
	})
}

func TestWaitForCompletion_FailedAndCancelledJobs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status scopix.VideoAnalysisStatus
		end    func(f *fakeapi.Server, jobID string) bool
	}{
		{scopix.VideoAnalysisFailed, func(f *fakeapi.Server, id string) bool { return f.FailVideoAnalysis(id, "model overloaded") }},
		{scopix.VideoAnalysisCancelled, func(f *fakeapi.Server, id string) bool { return f.CancelVideoAnalysis(id) }},
	}
	for _, tt := range tests {
		t.Run(string(tt.status), func(t *testing.T) {
			t.Parallel()
			analysisBubble(t, time.Second, func(t *testing.T, c *scopix.Client, fake *fakeapi.Server, queued *scopix.QueueAnalysisResult) {
				var seen []scopix.VideoAnalysisStatus
				_, err := c.VideoAnalysis.WaitForCompletion(context.Background(), queued.AnalysisJobID, &scopix.WaitAnalysisOptions{
					OnProgress: func(j *scopix.VideoAnalysisJob) {
						seen = append(seen, j.Status)
						if j.Status == scopix.VideoAnalysisProcessing {
							require.True(t, tt.end(fake, j.AnalysisJobID))
						}
					},
				})
				var failed *scopix.VideoAnalysisError
				require.ErrorAs(t, err, &failed)
				assert.Equal(t, queued.MediaID, failed.MediaID)
				assert.Equal(t, queued.AnalysisJobID, failed.AnalysisJobID)
				assert.Equal(t, string(tt.status), failed.Status)
				assert.Equal(t, scopix.CodeVideoAnalysis, failed.Err.Code)
				assert.Equal(t, string(tt.status), failed.Err.Details["status"])
				assert.Equal(t, queued.MediaID, failed.Err.Details["media_id"])
				assert.Equal(t, []scopix.VideoAnalysisStatus{scopix.VideoAnalysisPending, scopix.VideoAnalysisProcessing, tt.status}, seen)
			})
		})
	}
}

func TestWaitForCompletion_TimeoutCarriesTheLastStatus(t *testing.T) {
	t.Parallel()
	analysisBubble(t, 10*time.Second, func(t *testing.T, c *scopix.Client, _ *fakeapi.Server, queued *scopix.QueueAnalysisResult) {
		start := time.Now()
		_, err := c.VideoAnalysis.WaitForCompletion(context.Background(), queued.AnalysisJobID, &scopix.WaitAnalysisOptions{Timeout: 12 * time.Second})
		var timeout *scopix.TimeoutError
		require.ErrorAs(t, err, &timeout)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		last, ok := timeout.LastResult.(*scopix.VideoAnalysisJob)
		require.True(t, ok, "LastResult is the last job seen")
		// Polls at 0, 1, 2.5, 4.75 and 8.125s all come before the first step ends at 10s.
		assert.Equal(t, scopix.VideoAnalysisPending, last.Status)
		assert.Equal(t, 12*time.Second, time.Since(start))
	})
}

func TestWaitForCompletion_ContextCancelStopsPolling(t *testing.T) {
	t.Parallel()
	analysisBubble(t, time.Hour, func(t *testing.T, c *scopix.Client, _ *fakeapi.Server, queued *scopix.QueueAnalysisResult) {
		ctx, cancel := context.WithCancel(context.Background())
		polls := 0
		_, err := c.VideoAnalysis.WaitForCompletion(ctx, queued.AnalysisJobID, &scopix.WaitAnalysisOptions{
			OnProgress: func(*scopix.VideoAnalysisJob) {
				polls++
				if polls == 2 {
					cancel()
				}
			},
		})
		require.ErrorIs(t, err, context.Canceled)
		var timeout *scopix.TimeoutError
		assert.False(t, errors.As(err, &timeout))
		assert.Equal(t, 2, polls)
	})
}

func TestWaitForCompletion_DeadlineIsATimeout(t *testing.T) {
	t.Parallel()
	analysisBubble(t, time.Hour, func(t *testing.T, c *scopix.Client, _ *fakeapi.Server, queued *scopix.QueueAnalysisResult) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := c.VideoAnalysis.WaitForCompletion(ctx, queued.AnalysisJobID, nil)
		var timeout *scopix.TimeoutError
		require.ErrorAs(t, err, &timeout)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	})
}

func TestWaitForCompletion_RejectsBadArguments(t *testing.T) {
	t.Parallel()
	c, err := scopix.New("scopix_key", scopix.WithBaseURL("http://127.0.0.1:1/api/v2"))
	require.NoError(t, err)
	defer c.Close()
	tests := []struct {
		name  string
		id    string
		o     *scopix.WaitAnalysisOptions
		field string
	}{
		{"empty id", "", nil, "analysis_job_id"},
		{"negative timeout", "job", &scopix.WaitAnalysisOptions{Timeout: -1}, "timeout"},
		{"negative interval", "job", &scopix.WaitAnalysisOptions{Interval: -1}, "interval"},
	}
	for _, tt := range tests {
		_, err := c.VideoAnalysis.WaitForCompletion(context.Background(), tt.id, tt.o)
		var v *scopix.ValidationError
		require.ErrorAs(t, err, &v, tt.name)
		assert.Equal(t, tt.field, v.Err.Details["field"], tt.name)
	}
}
