package scopix_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

// Every Interval and Timeout parameter is checked alike: a negative value
// is a *ValidationError naming the field, before anything is sent, also by
// the ...AndWait methods that would otherwise start a job first.
func TestDurations_NegativeIsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	srv := newWire(t)
	srv.Mux.Handle("/", script(ok200))
	c := srv.Client
	img := filepath.Join(t.TempDir(), "a.jpg")
	require.NoError(t, os.WriteFile(img, []byte("\xff\xd8\xff\xe0 jpeg"), 0o600))
	const neg = -1
	files := []scopix.CloudFile{{ID: "f1", Name: "a.jpg"}}

	tests := []struct {
		name, field string
		call        func(ctx context.Context) error
	}{
		{"Files.WaitForDescription interval", "interval", func(ctx context.Context) error {
			return firstErr(c.Files.WaitForDescription(ctx, "f1", &scopix.WaitDescriptionOptions{Interval: neg}))
		}},
		{"Files.WaitForDescription timeout", "timeout", func(ctx context.Context) error {
			return firstErr(c.Files.WaitForDescription(ctx, "f1", &scopix.WaitDescriptionOptions{Timeout: neg}))
		}},
		{"Files.WaitForProcessing", "timeout", func(ctx context.Context) error {
			return firstErr(c.Files.WaitForProcessing(ctx, "f1", &scopix.WaitProcessingOptions{Timeout: neg}))
		}},
		{"Files.WaitForSession", "interval", func(ctx context.Context) error {
			return firstErr(c.Files.WaitForSession(ctx, "s1", &scopix.WaitSessionOptions{Interval: neg}))
		}},
		{"VideoAnalysis.WaitForCompletion", "interval", func(ctx context.Context) error {
			return firstErr(c.VideoAnalysis.WaitForCompletion(ctx, "j1", &scopix.WaitAnalysisOptions{Interval: neg}))
		}},
		{"Batch.WaitForCompletion", "timeout", func(ctx context.Context) error {
			return firstErr(c.Batch.WaitForCompletion(ctx, "b1", &scopix.WaitBatchOptions{Timeout: neg}))
		}},
		{"Links.WaitForCrawl", "interval", func(ctx context.Context) error {
			return firstErr(c.Links.WaitForCrawl(ctx, "l1", &scopix.WaitCrawlOptions{Interval: neg}))
		}},
		{"Links.CreateAndWait", "timeout", func(ctx context.Context) error {
			return firstErr(c.Links.CreateAndWait(ctx, "https://example.com", nil, &scopix.WaitCrawlOptions{Timeout: neg}))
		}},
		{"CloudStorage.WaitForJob", "interval", func(ctx context.Context) error {
			return firstErr(c.CloudStorage.WaitForJob(ctx, "j1", &scopix.WaitJobOptions{Interval: neg}))
		}},
		{"CloudStorage.ImportAndWait", "interval", func(ctx context.Context) error {
			return firstErr(c.CloudStorage.ImportAndWait(ctx, "conn-1", files, nil, &scopix.WaitJobOptions{Interval: neg}))
		}},
		{"CloudStorage.ExportAndWait", "timeout", func(ctx context.Context) error {
			return firstErr(c.CloudStorage.ExportAndWait(ctx, "conn-1", []string{"img-1"}, nil, &scopix.WaitJobOptions{Timeout: neg}))
		}},
		{"S3Connector.WaitForJob", "timeout", func(ctx context.Context) error {
			return firstErr(c.S3Connector.WaitForJob(ctx, "j1", &scopix.WaitS3JobOptions{Timeout: neg}))
		}},
		{"S3Connector.ImportAndWait", "interval", func(ctx context.Context) error {
			return firstErr(c.S3Connector.ImportAndWait(ctx, &scopix.S3ImportParams{Bucket: "my-bucket"}, &scopix.WaitS3JobOptions{Interval: neg}))
		}},
		{"Files.UploadBatch description timeout", "description_timeout", func(ctx context.Context) error {
			return firstErr(c.Files.UploadBatch(ctx, []string{img}, &scopix.UploadParams{DescriptionTimeout: neg}))
		}},
		{"Files.Analyze timeout", "timeout", func(ctx context.Context) error {
			return firstErr(c.Files.Analyze(ctx, img, &scopix.AnalyzeParams{Timeout: neg}))
		}},
		{"Files.AnalyzeURL timeout", "timeout", func(ctx context.Context) error {
			return firstErr(c.Files.AnalyzeURL(ctx, "https://example.com/a.jpg", &scopix.AnalyzeParams{Timeout: neg}))
		}},
		{"Chat.Send idle timeout", "idle_timeout", func(ctx context.Context) error {
			return firstErr(c.Chat.Send(ctx, "s1", "hi", &scopix.SendParams{IdleTimeout: neg}))
		}},
	}
	for _, tc := range tests {
		err := tc.call(context.Background())
		var v *scopix.ValidationError
		require.ErrorAs(t, err, &v, tc.name)
		assert.Equal(t, tc.field, v.Fields[0].Loc[0], tc.name)
		assert.Contains(t, v.Error(), "must not be negative", tc.name)
	}
	assert.Empty(t, srv.Requests(), "nothing is sent for a negative duration")
}

// The client options with durations are refused the same way.
func TestDurations_NegativeOptionIsRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		field string
		opt   scopix.Option
	}{
		{"timeout", scopix.WithTimeout(-1)},
		{"retry_delay", scopix.WithRetryDelay(-1)},
		{"max_retry_wait", scopix.WithMaxRetryWait(-1)},
		{"polling_interval", scopix.WithPollingInterval(-1)},
		{"polling_timeout", scopix.WithPollingTimeout(-1)},
	} {
		_, err := scopix.New("key", tc.opt)
		var v *scopix.ValidationError
		require.ErrorAs(t, err, &v, tc.field)
		assert.Equal(t, tc.field, v.Fields[0].Loc[0])
		assert.Contains(t, v.Error(), "must not be negative")
	}
}
