package scopix_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/internal/fakeapi"
	"github.com/scopix/scopix-go/scopixtest"
)

// testS3Config is a config whose key id and secret are easy to look for.
var testS3Config = scopix.S3Config{
	AccessKeyID:     "AKIAFAKEKEYID12345678",
	SecretAccessKey: "wJalrXUtnFEMI-K7MDENG-bPxRfiCYSECRET",
	BucketName:      "acme-media",
	Region:          "eu-west-1",
}

const s3JobAnswer = `{"job":{"job_id":"s3/1","status":"completed","bucket":"acme-media","total_files":2,"completed_files":2}}`

func TestS3Connector_EveryMethodSendsTheExpectedRequest(t *testing.T) {
	t.Parallel()
	runTransferWireCases(t, []transferWireCase{
		{
			name: "Configure",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.S3Connector.Configure(ctx, testS3Config)
				return err
			},
			method: "POST", path: "/tenant/s3-config",
			body: `{"access_key_id":"AKIAFAKEKEYID12345678","secret_access_key":"wJalrXUtnFEMI-K7MDENG-bPxRfiCYSECRET",
				"bucket_name":"acme-media","region":"eu-west-1"}`,
			responses: `{"configured":true,"bucket_name":"acme-media","region":"eu-west-1","is_validated":true}`,
		},
		{
			name: "Status",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.S3Connector.Status(ctx)
				return err
			},
			method: "GET", path: "/tenant/s3-config", responses: `{"configured":false}`,
		},
		{
			name: "Validate",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.S3Connector.Validate(ctx)
				return err
			},
			method: "POST", path: "/tenant/s3-config/validate", responses: `{"valid":true}`,
		},
		{
			name: "Remove",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.S3Connector.Remove(ctx)
				return err
			},
			method: "DELETE", path: "/tenant/s3-config", responses: `{"removed":true,"message":"gone"}`,
		},
		{
			name: "StartImport",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.S3Connector.StartImport(ctx, &scopix.S3ImportParams{Bucket: "acme-media", Prefix: "2025/", Region: "eu-west-1",
					Tags: []string{"s3"}, AutoDescribe: scopix.Ptr(false), FolderID: "fold1", ContentCategory: "product"})
				return err
			},
			method: "POST", path: "/s3-connector/imports",
			body: `{"bucket":"acme-media","prefix":"2025/","region":"eu-west-1","auto_describe":false,"tags":["s3"],
				"folder_id":"fold1","content_category":"product"}`,
			responses: s3JobAnswer,
		},
		{
			name: "StartImport with only a bucket",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.S3Connector.StartImport(ctx, &scopix.S3ImportParams{Bucket: "acme-media"})
				return err
			},
			method: "POST", path: "/s3-connector/imports", body: `{"bucket":"acme-media"}`, responses: s3JobAnswer,
		},
		{
			name: "GetJob escapes the id",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.S3Connector.GetJob(ctx, "s3/1")
				return err
			},
			method: "GET", path: "/s3-connector/jobs/s3%2F1", responses: s3JobAnswer,
		},
		{
			name: "ListJobs with filters",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.S3Connector.ListJobs(ctx, &scopix.S3JobListParams{Status: scopix.JobStatusFailed, Limit: 10, Offset: 20})
				return err
			},
			method: "GET", path: "/s3-connector/jobs", query: "limit=10&offset=20&status=failed",
			responses: `{"jobs":[],"total_count":0,"has_more":false}`,
		},
		{
			name: "ListJobs with defaults",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.S3Connector.ListJobs(ctx, nil)
				return err
			},
			method: "GET", path: "/s3-connector/jobs", responses: `{"jobs":[],"total_count":0}`,
		},
		{
			name: "ImportAndWait ends polling the job",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.S3Connector.ImportAndWait(ctx, &scopix.S3ImportParams{Bucket: "acme-media"}, nil)
				return err
			},
			method: "GET", path: "/s3-connector/jobs/s3%2F1", responses: s3JobAnswer,
		},
	})
}

func TestS3Connector_DecodesAnswersAndNulls(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("status not configured", func(t *testing.T) {
		t.Parallel()
		_, c := newAnswering(t, 200, `{"configured":false,"bucket_name":null,"region":null,"configured_at":null,"is_validated":null,"error":null}`)
		st, err := c.S3Connector.Status(ctx)
		require.NoError(t, err)
		assert.Equal(t, &scopix.S3ConfigStatus{}, st)
	})

	t.Run("status configured", func(t *testing.T) {
		t.Parallel()
		_, c := newAnswering(t, 200, `{"configured":true,"bucket_name":"b1","region":"us-east-1","configured_at":"2025-03-04T05:06:07Z",
			"is_validated":false,"error":"AccessDenied"}`)
		st, err := c.S3Connector.Status(ctx)
		require.NoError(t, err)
		assert.Equal(t, &scopix.S3ConfigStatus{Configured: true, BucketName: "b1", Region: "us-east-1",
			ConfiguredAt: scopix.Time{Time: time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)}, Error: "AccessDenied"}, st)
	})

	t.Run("validation and removal", func(t *testing.T) {
		t.Parallel()
		_, c := newAnswering(t, 200, `{"valid":false,"bucket_name":"b1","region":null,"error":"NoSuchBucket","removed":false,"message":"nothing"}`)
		v, err := c.S3Connector.Validate(ctx)
		require.NoError(t, err)
		assert.Equal(t, &scopix.S3ValidationResult{BucketName: "b1", Error: "NoSuchBucket"}, v)
		r, err := c.S3Connector.Remove(ctx)
		require.NoError(t, err)
		assert.Equal(t, &scopix.S3RemoveResult{Message: "nothing"}, r)
	})

	t.Run("job with nulls", func(t *testing.T) {
		t.Parallel()
		_, c := newAnswering(t, 200, `{"job":{"job_id":"s1","status":"pending","bucket":"b1","prefix":null,"region":null,
			"total_files":null,"completed_files":null,"failed_files":null,"error":null,"created_at":"2025-01-01T00:00:00Z","completed_at":null}}`)
		job, err := c.S3Connector.GetJob(ctx, "s1")
		require.NoError(t, err)
		assert.Equal(t, &scopix.S3Job{JobID: "s1", Status: scopix.JobStatusPending, Bucket: "b1",
			CreatedAt: scopix.Time{Time: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}}, job)
		assert.InDelta(t, 0, job.ProgressPercent(), 0.001)
	})

	t.Run("job list under items", func(t *testing.T) {
		t.Parallel()
		_, c := newAnswering(t, 200, `{"items":[{"job_id":"s1","status":"partial","total_files":4,"completed_files":3,"failed_files":1}],"total_count":1}`)
		list, err := c.S3Connector.ListJobs(ctx, nil)
		require.NoError(t, err)
		require.Len(t, list.Jobs, 1)
		assert.Equal(t, scopix.S3Job{JobID: "s1", Status: scopix.JobStatusPartial, TotalFiles: 4, CompletedFiles: 3, FailedFiles: 1}, list.Jobs[0])
		assert.True(t, list.Jobs[0].IsSuccessful())
		assert.Equal(t, 1, list.TotalCount)
	})

	t.Run("null job list is empty", func(t *testing.T) {
		t.Parallel()
		_, c := newAnswering(t, 200, `{"jobs":null,"total_count":0,"has_more":false}`)
		list, err := c.S3Connector.ListJobs(ctx, nil)
		require.NoError(t, err)
		assert.NotNil(t, list.Jobs)
		assert.Empty(t, list.Jobs)
	})
}

func TestS3Connector_InvalidArgumentsFailBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	with := func(change func(*scopix.S3Config)) scopix.S3Config {
		cfg := testS3Config
		change(&cfg)
		return cfg
	}
	configure := func(cfg scopix.S3Config) func() error {
		return func() error { _, err := c.S3Connector.Configure(ctx, cfg); return err }
	}
	cases := []struct {
		name  string
		field string
		call  func() error
	}{
		{"empty access key id", "access_key_id", configure(with(func(c *scopix.S3Config) { c.AccessKeyID = "" }))},
		{"access key id of 15 characters", "access_key_id", configure(with(func(c *scopix.S3Config) { c.AccessKeyID = strings.Repeat("A", 15) }))},
		{"access key id of 129 characters", "access_key_id", configure(with(func(c *scopix.S3Config) { c.AccessKeyID = strings.Repeat("A", 129) }))},
		{"empty secret", "secret_access_key", configure(with(func(c *scopix.S3Config) { c.SecretAccessKey = "" }))},
		{"secret of 19 characters", "secret_access_key", configure(with(func(c *scopix.S3Config) { c.SecretAccessKey = strings.Repeat("s", 19) }))},
		{"secret of 129 characters", "secret_access_key", configure(with(func(c *scopix.S3Config) { c.SecretAccessKey = strings.Repeat("s", 129) }))},
		{"bucket of 2 characters", "bucket_name", configure(with(func(c *scopix.S3Config) { c.BucketName = "ab" }))},
		{"bucket of 64 characters", "bucket_name", configure(with(func(c *scopix.S3Config) { c.BucketName = strings.Repeat("b", 64) }))},
		{"empty region", "region", configure(with(func(c *scopix.S3Config) { c.Region = "" }))},
		{"import without params", "bucket", func() error { _, err := c.S3Connector.StartImport(ctx, nil); return err }},
		{"import without bucket", "bucket", func() error {
			_, err := c.S3Connector.StartImport(ctx, &scopix.S3ImportParams{Prefix: "x/"})
			return err
		}},
		{"ImportAndWait with a short bucket", "bucket", func() error {
			_, err := c.S3Connector.ImportAndWait(ctx, &scopix.S3ImportParams{Bucket: "b"}, nil)
			return err
		}},
		{"GetJob without id", "job_id", func() error { _, err := c.S3Connector.GetJob(ctx, ""); return err }},
		{"WaitForJob without id", "job_id", func() error { _, err := c.S3Connector.WaitForJob(ctx, "", nil); return err }},
		{"ListJobs with a negative limit", "limit", func() error {
			_, err := c.S3Connector.ListJobs(ctx, &scopix.S3JobListParams{Limit: -1})
			return err
		}},
		{"ListJobs with a negative offset", "offset", func() error {
			_, err := c.S3Connector.ListJobs(ctx, &scopix.S3JobListParams{Offset: -1})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var ve *scopix.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Len(t, ve.Fields, 1)
			assert.Equal(t, []string{tc.field}, ve.Fields[0].Loc)
			assert.NotContains(t, err.Error(), testS3Config.SecretAccessKey)
		})
	}
	// Boundaries are allowed.
	ok := with(func(c *scopix.S3Config) {
		c.AccessKeyID, c.SecretAccessKey, c.BucketName = strings.Repeat("A", 16), strings.Repeat("s", 128), "abc"
	})
	assert.Zero(t, srv.Stats().Requests, "no request may be sent for invalid arguments")
	_, err := c.S3Connector.Configure(ctx, ok)
	require.NoError(t, err)
}

func TestS3Config_PrintsWithoutSecrets(t *testing.T) {
	t.Parallel()
	cfg := testS3Config
	outputs := map[string]string{
		"%v":        fmt.Sprintf("%v", cfg),
		"%+v":       fmt.Sprintf("%+v", cfg),
		"%#v":       fmt.Sprintf("%#v", cfg),
		"%s":        fmt.Sprintf("%s", cfg),
		"%q":        fmt.Sprintf("%q", cfg),
		"pointer":   fmt.Sprintf("%+v", &cfg),
		"String":    cfg.String(),
		"GoString":  cfg.GoString(),
		"in struct": fmt.Sprintf("%+v", struct{ Config scopix.S3Config }{cfg}),
		"in slice":  fmt.Sprintf("%v", []scopix.S3Config{cfg}),
	}
	for name, out := range outputs {
		assert.NotContains(t, out, cfg.SecretAccessKey, name)
		assert.NotContains(t, out, "SECRET", name)
		assert.NotContains(t, out, cfg.AccessKeyID, name, "only the end of the key id is shown")
		assert.Contains(t, out, "[REDACTED]", name)
		assert.Contains(t, out, "acme-media", name, "the bucket stays visible")
	}
	assert.Equal(t, `{AccessKeyID:[REDACTED]5678 SecretAccessKey:[REDACTED] BucketName:acme-media Region:eu-west-1}`, outputs["%+v"])

	for _, h := range []func(*bytes.Buffer) slog.Handler{
		func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		var buf bytes.Buffer
		slog.New(h(&buf)).Info("configuring", "config", cfg)
		assert.NotContains(t, buf.String(), cfg.SecretAccessKey)
		assert.Contains(t, buf.String(), "acme-media")
	}
}

func TestS3Connector_SecretsNeverReachTheDebugLog(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := srv.Client(scopix.WithLogger(logger), scopix.WithMaxRetries(1))
	ctx := context.Background()

	srv.FailNextOn(http.MethodPost, "/tenant/s3-config", 1, http.StatusServiceUnavailable, nil)
	_, err := c.S3Connector.Configure(ctx, testS3Config)
	require.NoError(t, err)
	assert.Equal(t, testS3Config.SecretAccessKey, srv.S3ConfigSecret(), "the secret reached the server intact")
	_, err = c.S3Connector.Status(ctx)
	require.NoError(t, err)
	_, err = c.S3Connector.ImportAndWait(ctx, &scopix.S3ImportParams{Bucket: "acme-media"}, nil)
	require.NoError(t, err)

	out := logs.String()
	assert.Contains(t, out, "tenant/s3-config", "the calls were logged")
	assert.Contains(t, out, "status=503", "the retried attempt was logged")
	assert.NotContains(t, out, testS3Config.SecretAccessKey)
	assert.NotContains(t, out, testS3Config.AccessKeyID)
	assert.NotContains(t, out, scopixtest.APIKey, "the API key is never logged")
}

func TestS3Connector_SettingsLifecycleOnTheFake(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()

	st, err := c.S3Connector.Status(ctx)
	require.NoError(t, err)
	assert.False(t, st.Configured)
	v, err := c.S3Connector.Validate(ctx)
	require.NoError(t, err)
	assert.False(t, v.Valid)

	st, err = c.S3Connector.Configure(ctx, testS3Config)
	require.NoError(t, err)
	assert.True(t, st.Configured)
	assert.True(t, st.IsValidated)
	assert.Equal(t, "acme-media", st.BucketName)
	assert.False(t, st.ConfiguredAt.IsZero())

	srv.SetS3BucketError("AccessDenied on HeadBucket")
	v, err = c.S3Connector.Validate(ctx)
	require.NoError(t, err)
	assert.False(t, v.Valid)
	assert.Equal(t, "AccessDenied on HeadBucket", v.Error)
	_, err = c.S3Connector.Configure(ctx, testS3Config)
	var ve *scopix.ValidationError
	require.ErrorAs(t, err, &ve, "a bucket that refuses the credentials is rejected")
	assert.NotContains(t, err.Error(), testS3Config.SecretAccessKey)
	srv.SetS3BucketError("")

	removed, err := c.S3Connector.Remove(ctx)
	require.NoError(t, err)
	assert.True(t, removed.Removed)
	removed, err = c.S3Connector.Remove(ctx)
	require.NoError(t, err)
	assert.False(t, removed.Removed, "nothing left to remove")
}

func TestS3Connector_ImportCopiesTheBucketIntoFiles(t *testing.T) {
	t.Parallel()
	inBubble(t, fakeapi.Options{JobStepDelay: 3 * time.Millisecond}, func(t *testing.T, srv *bubble) {
		c := srv.Client()
		ctx := context.Background()
		srv.PutS3Object("acme-media", "2025/a.jpg", []byte("jpeg bytes"))
		srv.PutS3Object("acme-media", "2025/b.png", []byte("png bytes"))
		srv.PutS3Object("acme-media", "2024/old.jpg", []byte("old"))

		_, err := c.S3Connector.StartImport(ctx, &scopix.S3ImportParams{Bucket: "acme-media"})
		var ve *scopix.ValidationError
		require.ErrorAs(t, err, &ve, "importing needs configured credentials")

		_, err = c.S3Connector.Configure(ctx, testS3Config)
		require.NoError(t, err)
		var last float64
		job, err := c.S3Connector.ImportAndWait(ctx, &scopix.S3ImportParams{Bucket: "acme-media", Prefix: "2025/", Tags: []string{"s3"}},
			&scopix.WaitS3JobOptions{Interval: time.Millisecond, OnProgress: func(j *scopix.S3Job) {
				assert.GreaterOrEqual(t, j.ProgressPercent(), last, "progress never goes back")
				last = j.ProgressPercent()
			}})
		require.NoError(t, err)
		assert.Equal(t, scopix.JobStatusCompleted, job.Status)
		assert.Equal(t, 2, job.TotalFiles)
		assert.Equal(t, 2, job.CompletedFiles)
		assert.Equal(t, "eu-west-1", job.Region, "the configured region is the default")
		assert.InDelta(t, 100, last, 0.001)

		assert.ElementsMatch(t, []string{"a.jpg", "b.png"}, listedFilenames(t, c))
	})
}

func TestS3Connector_WaitForJobEndsAsTheJobDoes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status  scopix.JobStatus
		message string
		wantErr bool
	}{
		{scopix.JobStatusCompleted, "", false},
		{scopix.JobStatusPartial, "1 object unreadable", false},
		{scopix.JobStatusFailed, "AccessDenied on ListObjectsV2", true},
		{scopix.JobStatusCancelled, "cancelled by admin", true},
	}
	for _, tc := range cases {
		t.Run(string(tc.status), func(t *testing.T) {
			t.Parallel()
			inBubble(t, fakeapi.Options{JobStepDelay: 2 * time.Millisecond}, func(t *testing.T, srv *bubble) {
				c := srv.Client()
				ctx := context.Background()
				_, err := c.S3Connector.Configure(ctx, testS3Config)
				require.NoError(t, err)
				srv.EndNextS3Job(string(tc.status), tc.message)
				var statuses []scopix.JobStatus
				job, err := c.S3Connector.ImportAndWait(ctx, &scopix.S3ImportParams{Bucket: "samples"},
					&scopix.WaitS3JobOptions{Interval: time.Millisecond, OnProgress: func(j *scopix.S3Job) { statuses = append(statuses, j.Status) }})
				require.NotNil(t, job)
				assert.Equal(t, tc.status, job.Status)
				assert.Equal(t, tc.status, statuses[len(statuses)-1], "the callback saw the final state")
				assert.Equal(t, tc.message, job.Error)
				if !tc.wantErr {
					require.NoError(t, err)
					return
				}
				var s3e *scopix.S3ConnectorError
				require.ErrorAs(t, err, &s3e)
				assert.Equal(t, job.JobID, s3e.JobID)
				assert.Equal(t, string(tc.status), s3e.JobStatus)
				assert.Equal(t, scopix.CodeS3Connector, s3e.Err.Code)
				assert.Contains(t, err.Error(), tc.message)
			})
		})
	}
}

func TestS3Connector_WaitForJobTimesOutAndStopsOnCancel(t *testing.T) {
	t.Parallel()
	inBubble(t, fakeapi.Options{JobStepDelay: time.Hour}, func(t *testing.T, b *bubble) {
		c := b.Client()
		ctx := context.Background()
		_, err := c.S3Connector.Configure(ctx, testS3Config)
		require.NoError(t, err)
		job, err := c.S3Connector.StartImport(ctx, &scopix.S3ImportParams{Bucket: "samples"})
		require.NoError(t, err)
		assert.Equal(t, scopix.JobStatusPending, job.Status)

		_, err = c.S3Connector.WaitForJob(ctx, job.JobID, &scopix.WaitS3JobOptions{Timeout: 150 * time.Millisecond, Interval: 10 * time.Millisecond})
		var te *scopix.TimeoutError
		require.ErrorAs(t, err, &te)
		last, ok := te.LastResult.(*scopix.S3Job)
		require.True(t, ok, "LastResult is the last job seen, got %T", te.LastResult)
		require.NotNil(t, last)
		assert.Equal(t, job.JobID, last.JobID)

		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		_, err = c.S3Connector.WaitForJob(cctx, job.JobID, &scopix.WaitS3JobOptions{Interval: time.Millisecond,
			OnProgress: func(*scopix.S3Job) { cancel() }})
		assert.ErrorIs(t, err, context.Canceled)

		assert.True(t, b.EndS3Job(job.JobID, string(scopix.JobStatusFailed), "bucket deleted"))
		assert.False(t, b.EndS3Job("no-such-job", string(scopix.JobStatusFailed), ""))
	})
}

func TestS3Connector_ListAllJobsPagesThroughEveryJob(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	_, err := c.S3Connector.Configure(ctx, testS3Config)
	require.NoError(t, err)
	var started []string
	for i := range 5 {
		if i == 2 {
			srv.EndNextS3Job(scopix.JobStatusFailed, "")
		}
		job, err := c.S3Connector.StartImport(ctx, &scopix.S3ImportParams{Bucket: fmt.Sprintf("bucket-%d", i)})
		require.NoError(t, err)
		started = append([]string{job.JobID}, started...) // newest first
	}

	params := &scopix.S3JobListParams{Limit: 2}
	var got []string
	for job, err := range c.S3Connector.ListAllJobs(ctx, params) {
		require.NoError(t, err)
		got = append(got, job.JobID)
	}
	assert.Equal(t, started, got)
	assert.Equal(t, &scopix.S3JobListParams{Limit: 2}, params, "the caller's params are not changed")
	assert.Equal(t, 3, srv.RequestCount(http.MethodGet, "/s3-connector/jobs"))

	failed, err := c.S3Connector.ListJobs(ctx, &scopix.S3JobListParams{Status: scopix.JobStatusFailed})
	require.NoError(t, err)
	require.Len(t, failed.Jobs, 1)
	assert.Equal(t, "bucket-2", failed.Jobs[0].Bucket)

	t.Run("breaking out fetches no more pages", func(t *testing.T) {
		before := srv.RequestCount(http.MethodGet, "/s3-connector/jobs")
		for range c.S3Connector.ListAllJobs(ctx, params) {
			break
		}
		assert.Equal(t, before+1, srv.RequestCount(http.MethodGet, "/s3-connector/jobs"))
	})

	t.Run("an error ends the iteration", func(t *testing.T) {
		errClient := srv.Client(scopix.WithMaxRetries(0))
		srv.FailNextOn(http.MethodGet, "/s3-connector/jobs", 1, http.StatusForbidden, nil)
		var errs []error
		n := 0
		for _, err := range errClient.S3Connector.ListAllJobs(ctx, params) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			n++
		}
		require.Len(t, errs, 1)
		var pe *scopix.PermissionError
		assert.ErrorAs(t, errs[0], &pe)
		assert.Zero(t, n)
	})
}
