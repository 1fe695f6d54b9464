package scopix_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/internal/fakeapi"
	"github.com/scopix/scopix-go/scopixtest"
)

// transferWireCase is one method call and the request it must send.
type transferWireCase struct {
	name      string
	call      func(context.Context, *scopix.Client) error
	method    string
	path      string
	query     string // raw query, sorted by key as url.Values encodes it
	body      string // JSON, "" for no body
	responses string
}

func runTransferWireCases(t *testing.T, cases []transferWireCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w, c := newAnswering(t, http.StatusOK, tc.responses)
			require.NoError(t, tc.call(context.Background(), c))
			got := w.Last()
			assert.Equal(t, tc.method, got.Method)
			assert.Equal(t, wireAPIBase+tc.path, got.Path)
			assert.Equal(t, tc.query, got.RawQuery)
			if tc.body == "" {
				assert.Empty(t, got.Body)
			} else {
				assert.JSONEq(t, tc.body, string(got.Body))
			}
		})
	}
}

const cloudJobAnswer = `{"job":{"job_id":"job/1","type":"import","status":"completed","total_files":1,"completed_files":1,"failed_files":0}}`

func TestCloudStorage_EveryMethodSendsTheDocumentedRequest(t *testing.T) {
	t.Parallel()
	files := []scopix.CloudFile{{ID: "drv1", Name: "a.jpg", MimeType: "image/jpeg", SizeBytes: 42}, {ID: "drv2", Name: "b.pdf"}}
	runTransferWireCases(t, []transferWireCase{
		{
			name: "InitiateAuth",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.CloudStorage.InitiateAuth(ctx, scopix.CloudProviderGoogleDrive, &scopix.InitiateAuthParams{RedirectURI: "https://app.example/cb"})
				return err
			},
			method: "POST", path: "/cloud-storage/auth/google_drive",
			body:      `{"provider":"google_drive","redirect_uri":"https://app.example/cb"}`,
			responses: `{"authorization_url":"https://accounts.example/auth","state":"st","provider":"google_drive"}`,
		},
		{
			name: "InitiateAuth without params",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.CloudStorage.InitiateAuth(ctx, "google_drive", nil)
				return err
			},
			method: "POST", path: "/cloud-storage/auth/google_drive", body: `{"provider":"google_drive"}`,
			responses: `{"authorization_url":"u","state":"st","provider":"google_drive"}`,
		},
		{
			name: "CompleteAuth",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.CloudStorage.CompleteAuth(ctx, "google_drive", "the-code", "the-state", nil)
				return err
			},
			method: "POST", path: "/cloud-storage/auth/google_drive/callback",
			body:      `{"code":"the-code","state":"the-state"}`,
			responses: `{"connection":{"id":"conn1","provider":"google_drive","is_active":true},"is_new":true}`,
		},
		{
			name: "ListConnections with filters",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.CloudStorage.ListConnections(ctx, &scopix.ListConnectionsParams{Provider: "google_drive", ActiveOnly: scopix.Ptr(false)})
				return err
			},
			method: "GET", path: "/cloud-storage/connections", query: "active_only=false&provider=google_drive",
			responses: `{"connections":[],"total_count":0}`,
		},
		{
			name: "ListConnections with defaults",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.CloudStorage.ListConnections(ctx, nil)
				return err
			},
			method: "GET", path: "/cloud-storage/connections", responses: `{"connections":[],"total_count":0}`,
		},
		{
			name: "Disconnect escapes the id",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.CloudStorage.Disconnect(ctx, "conn/../x")
				return err
			},
			method: "DELETE", path: "/cloud-storage/connections/conn%2F..%2Fx", responses: `{"success":true,"message":"ok"}`,
		},
		{
			name: "StartImport",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.CloudStorage.StartImport(ctx, "conn1", files, &scopix.ImportParams{
					AutoDescribe: scopix.Ptr(false), Tags: []string{"drive"}, CollectionID: "col1"})
				return err
			},
			method: "POST", path: "/cloud-storage/import",
			body: `{"connection_id":"conn1","files":[{"id":"drv1","name":"a.jpg","mime_type":"image/jpeg","size_bytes":42},{"id":"drv2","name":"b.pdf"}],
				"auto_describe":false,"tags":["drive"],"collection_id":"col1"}`,
			responses: `{"image_ids":["i1","i2"],"job_id":"job1","status":"pending","total_files":2,"is_async":true,"message":"started"}`,
		},
		{
			name: "StartImport leaves defaults to the server",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.CloudStorage.StartImport(ctx, "conn1", files[1:], nil)
				return err
			},
			method: "POST", path: "/cloud-storage/import", body: `{"connection_id":"conn1","files":[{"id":"drv2","name":"b.pdf"}]}`,
			responses: `{"job_id":"job1","is_async":true}`,
		},
		{
			name: "StartExport",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.CloudStorage.StartExport(ctx, "conn1", []string{"i1", "i2"}, &scopix.ExportParams{FolderName: "Scopix"})
				return err
			},
			method: "POST", path: "/cloud-storage/export",
			body:      `{"connection_id":"conn1","image_ids":["i1","i2"],"folder_name":"Scopix"}`,
			responses: `{"cloud_file_ids":null,"job_id":"job2","job_status":"pending","is_async":true,"message":"started"}`,
		},
		{
			name: "GetJob",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.CloudStorage.GetJob(ctx, "job/1")
				return err
			},
			method: "GET", path: "/cloud-storage/jobs/job%2F1", responses: cloudJobAnswer,
		},
		{
			name: "WaitForJob polls GetJob",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.CloudStorage.WaitForJob(ctx, "job/1", nil)
				return err
			},
			method: "GET", path: "/cloud-storage/jobs/job%2F1", responses: cloudJobAnswer,
		},
		{
			name: "ImportAndWait ends polling the job",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.CloudStorage.ImportAndWait(ctx, "conn1", files, nil, nil)
				return err
			},
			method: "GET", path: "/cloud-storage/jobs/job%2F1",
			responses: `{"job_id":"job/1","is_async":true,"job":{"job_id":"job/1","status":"completed"}}`,
		},
		{
			name: "ExportAndWait ends polling the job",
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.CloudStorage.ExportAndWait(ctx, "conn1", []string{"i1"}, nil, nil)
				return err
			},
			method: "GET", path: "/cloud-storage/jobs/job%2F1",
			responses: `{"job_id":"job/1","is_async":true,"job":{"job_id":"job/1","status":"completed"}}`,
		},
	})
}

func TestCloudStorage_DecodesAnswersAndNulls(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("job with every field", func(t *testing.T) {
		t.Parallel()
		_, c := newAnswering(t, 200, `{"job":{"job_id":"j1","type":"export","status":"partial","connection_id":"c1",
			"provider":"google_drive","total_files":4,"completed_files":3,"failed_files":1,"error":"1 file failed",
			"created_at":"2025-01-02T03:04:05Z","updated_at":"2025-01-02T03:05:05Z","completed_at":"2025-01-02T03:06:05Z"}}`)
		job, err := c.CloudStorage.GetJob(ctx, "j1")
		require.NoError(t, err)
		assert.Equal(t, scopix.CloudStorageJob{JobID: "j1", Type: scopix.JobTypeExport, Status: scopix.JobStatusPartial,
			ConnectionID: "c1", Provider: scopix.CloudProviderGoogleDrive, TotalFiles: 4, CompletedFiles: 3, FailedFiles: 1,
			Error:       "1 file failed",
			CreatedAt:   scopix.Time{Time: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)},
			UpdatedAt:   scopix.Time{Time: time.Date(2025, 1, 2, 3, 5, 5, 0, time.UTC)},
			CompletedAt: scopix.Time{Time: time.Date(2025, 1, 2, 3, 6, 5, 0, time.UTC)}}, *job)
		assert.True(t, job.IsTerminal())
		assert.True(t, job.IsSuccessful())
		assert.InDelta(t, 100, job.ProgressPercent(), 0.001)
	})

	t.Run("job with nulls", func(t *testing.T) {
		t.Parallel()
		_, c := newAnswering(t, 200, `{"job":{"job_id":"j1","type":"import","status":"in_progress","connection_id":null,
			"provider":null,"total_files":4,"completed_files":1,"failed_files":null,"error":null,"created_at":null,
			"updated_at":null,"completed_at":null,"unknown_field":{"a":1}}}`)
		job, err := c.CloudStorage.GetJob(ctx, "j1")
		require.NoError(t, err)
		assert.Equal(t, scopix.CloudStorageJob{JobID: "j1", Type: scopix.JobTypeImport, Status: scopix.JobStatusInProgress,
			TotalFiles: 4, CompletedFiles: 1}, *job)
		assert.False(t, job.IsTerminal())
		assert.InDelta(t, 25, job.ProgressPercent(), 0.001)
	})

	t.Run("job without the wrapper", func(t *testing.T) {
		t.Parallel()
		_, c := newAnswering(t, 200, `{"job_id":"j1","status":"someday"}`)
		job, err := c.CloudStorage.GetJob(ctx, "j1")
		require.NoError(t, err)
		assert.Equal(t, "j1", job.JobID)
		assert.Equal(t, scopix.JobStatus("someday"), job.Status, "unknown statuses are kept")
		assert.False(t, job.IsTerminal())
	})

	t.Run("connections with nulls and the alternative names", func(t *testing.T) {
		t.Parallel()
		_, c := newAnswering(t, 200, `{"connections":[
			{"id":"c1","provider":"google_drive","provider_email":null,"provider_display_name":null,"is_active":true,"created_at":null,"last_used_at":null},
			{"id":"c2","provider":"dropbox","display_name":"Ann","connected_at":"2025-05-06T07:08:09Z","is_active":false}],"total_count":2}`)
		list, err := c.CloudStorage.ListConnections(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, &scopix.ConnectionList{TotalCount: 2, Connections: []scopix.CloudConnection{
			{ID: "c1", Provider: scopix.CloudProviderGoogleDrive, IsActive: true},
			{ID: "c2", Provider: "dropbox", ProviderDisplayName: "Ann", CreatedAt: scopix.Time{Time: time.Date(2025, 5, 6, 7, 8, 9, 0, time.UTC)}},
		}}, list)
	})

	t.Run("null connection list is empty", func(t *testing.T) {
		t.Parallel()
		_, c := newAnswering(t, 200, `{"connections":null,"total_count":0}`)
		list, err := c.CloudStorage.ListConnections(ctx, nil)
		require.NoError(t, err)
		assert.NotNil(t, list.Connections)
		assert.Empty(t, list.Connections)
	})

	t.Run("import and export answers", func(t *testing.T) {
		t.Parallel()
		_, c := newAnswering(t, 200, `{"image_ids":null,"job_id":"j9","status":"pending","total_files":2,"is_async":true,"message":"queued",
			"cloud_file_ids":["g1"],"job_status":"pending"}`)
		imp, err := c.CloudStorage.StartImport(ctx, "c1", []scopix.CloudFile{{ID: "x", Name: "x.jpg"}}, nil)
		require.NoError(t, err)
		assert.Equal(t, &scopix.ImportResult{JobID: "j9", Status: scopix.JobStatusPending, TotalFiles: 2, IsAsync: true, Message: "queued"}, imp)
		exp, err := c.CloudStorage.StartExport(ctx, "c1", []string{"i1"}, nil)
		require.NoError(t, err)
		assert.Equal(t, &scopix.ExportResult{CloudFileIDs: []string{"g1"}, JobID: "j9", JobStatus: scopix.JobStatusPending, IsAsync: true, Message: "queued"}, exp)
	})

	t.Run("auth answers", func(t *testing.T) {
		t.Parallel()
		_, c := newAnswering(t, 200, `{"authorization_url":"https://accounts.example/o","state":"s1","provider":"google_drive",
			"connection":{"id":"c1","provider":"google_drive","provider_email":"a@example.com","is_active":true,"created_at":"2025-01-01T00:00:00Z"},"is_new":false}`)
		auth, err := c.CloudStorage.InitiateAuth(ctx, "google_drive", nil)
		require.NoError(t, err)
		assert.Equal(t, &scopix.InitiateAuthResult{AuthorizationURL: "https://accounts.example/o", State: "s1", Provider: "google_drive"}, auth)
		done, err := c.CloudStorage.CompleteAuth(ctx, "google_drive", "code", "s1", nil)
		require.NoError(t, err)
		assert.False(t, done.IsNew)
		assert.Equal(t, scopix.CloudConnection{ID: "c1", Provider: "google_drive", ProviderEmail: "a@example.com", IsActive: true,
			CreatedAt: scopix.Time{Time: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}}, done.Connection)
	})

	t.Run("a body that is not JSON is an error", func(t *testing.T) {
		t.Parallel()
		_, c := newAnswering(t, 200, `<html>`)
		_, err := c.CloudStorage.GetJob(ctx, "j1")
		var base *scopix.Error
		require.ErrorAs(t, err, &base)
		assert.Equal(t, scopix.CodeResponseUnreadable, base.Code)
	})
}

func TestCloudStorage_InvalidArgumentsFailBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	good := []scopix.CloudFile{{ID: "f1", Name: "a.jpg"}}
	cases := []struct {
		name  string
		field string
		call  func() error
	}{
		{"InitiateAuth without provider", "provider", func() error { _, err := c.CloudStorage.InitiateAuth(ctx, "", nil); return err }},
		{"CompleteAuth without provider", "provider", func() error { _, err := c.CloudStorage.CompleteAuth(ctx, "", "c", "s", nil); return err }},
		{"CompleteAuth without code", "code", func() error {
			_, err := c.CloudStorage.CompleteAuth(ctx, "google_drive", "", "s", nil)
			return err
		}},
		{"CompleteAuth without state", "state", func() error {
			_, err := c.CloudStorage.CompleteAuth(ctx, "google_drive", "c", "", nil)
			return err
		}},
		{"Disconnect without id", "connection_id", func() error { _, err := c.CloudStorage.Disconnect(ctx, ""); return err }},
		{"StartImport without connection", "connection_id", func() error { _, err := c.CloudStorage.StartImport(ctx, "", good, nil); return err }},
		{"StartImport without files", "files", func() error { _, err := c.CloudStorage.StartImport(ctx, "c1", nil, nil); return err }},
		{"StartImport with a file without id", "files[1].id", func() error {
			_, err := c.CloudStorage.StartImport(ctx, "c1", []scopix.CloudFile{good[0], {Name: "b.jpg"}}, nil)
			return err
		}},
		{"StartImport with a file without name", "files[0].name", func() error {
			_, err := c.CloudStorage.StartImport(ctx, "c1", []scopix.CloudFile{{ID: "f1"}}, nil)
			return err
		}},
		{"ImportAndWait without files", "files", func() error {
			_, err := c.CloudStorage.ImportAndWait(ctx, "c1", []scopix.CloudFile{}, nil, nil)
			return err
		}},
		{"StartExport without connection", "connection_id", func() error {
			_, err := c.CloudStorage.StartExport(ctx, "", []string{"i1"}, nil)
			return err
		}},
		{"StartExport without ids", "image_ids", func() error { _, err := c.CloudStorage.StartExport(ctx, "c1", nil, nil); return err }},
		{"StartExport with an empty id", "image_ids[1]", func() error {
			_, err := c.CloudStorage.StartExport(ctx, "c1", []string{"i1", ""}, nil)
			return err
		}},
		{"ExportAndWait without ids", "image_ids", func() error {
			_, err := c.CloudStorage.ExportAndWait(ctx, "c1", []string{}, nil, nil)
			return err
		}},
		{"GetJob without id", "job_id", func() error { _, err := c.CloudStorage.GetJob(ctx, ""); return err }},
		{"WaitForJob without id", "job_id", func() error { _, err := c.CloudStorage.WaitForJob(ctx, "", nil); return err }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var ve *scopix.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Len(t, ve.Fields, 1)
			assert.Equal(t, []string{tc.field}, ve.Fields[0].Loc)
			assert.Equal(t, tc.field, ve.Err.Details["field"])
		})
	}
	assert.Zero(t, srv.Stats().Requests, "no request may be sent for invalid arguments")
}

// scriptedCloudJob is a wrapped cloud job answer with a status and counters.
func scriptedCloudJob(status string, completed, failed int, errText string) string {
	e := "null"
	if errText != "" {
		e = `"` + errText + `"`
	}
	return `{"job":{"job_id":"job1","type":"import","status":"` + status + `","total_files":4,"completed_files":` +
		strconv.Itoa(completed) + `,"failed_files":` + strconv.Itoa(failed) + `,"error":` + e + `}}`
}

func TestCloudStorage_WaitForJobFollowsTheJobToItsEnd(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name         string
		answers      []string
		wantStatuses []scopix.JobStatus
		wantPercent  []float64
		wantErr      bool
		wantMessage  string
	}{
		{
			name: "pending, in progress, completed",
			answers: []string{scriptedCloudJob("pending", 0, 0, ""), scriptedCloudJob("in_progress", 1, 0, ""),
				scriptedCloudJob("in_progress", 3, 0, ""), scriptedCloudJob("completed", 4, 0, "")},
			wantStatuses: []scopix.JobStatus{"pending", "in_progress", "in_progress", "completed"},
			wantPercent:  []float64{0, 25, 75, 100},
		},
		{
			name:         "partial is returned without error",
			answers:      []string{scriptedCloudJob("in_progress", 2, 0, ""), scriptedCloudJob("partial", 3, 1, "1 file failed")},
			wantStatuses: []scopix.JobStatus{"in_progress", "partial"},
			wantPercent:  []float64{50, 100},
		},
		{
			name:         "failed is a CloudStorageError",
			answers:      []string{scriptedCloudJob("pending", 0, 0, ""), scriptedCloudJob("failed", 0, 4, "drive quota exceeded")},
			wantStatuses: []scopix.JobStatus{"pending", "failed"},
			wantPercent:  []float64{0, 100},
			wantErr:      true, wantMessage: "drive quota exceeded",
		},
		{
			name:         "cancelled is a CloudStorageError",
			answers:      []string{scriptedCloudJob("in_progress", 1, 0, ""), scriptedCloudJob("cancelled", 2, 0, "cancelled by user")},
			wantStatuses: []scopix.JobStatus{"in_progress", "cancelled"},
			wantPercent:  []float64{25, 50},
			wantErr:      true, wantMessage: "cancelled by user",
		},
		{
			name:         "unknown statuses keep it polling",
			answers:      []string{scriptedCloudJob("queued_upstream", 0, 0, ""), scriptedCloudJob("completed", 4, 0, "")},
			wantStatuses: []scopix.JobStatus{"queued_upstream", "completed"},
			wantPercent:  []float64{0, 100},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w, c := newAnswering(t, 200, tc.answers...)
			var statuses []scopix.JobStatus
			var percents []float64
			job, err := c.CloudStorage.WaitForJob(context.Background(), "job1", &scopix.WaitJobOptions{
				Interval: time.Millisecond,
				OnProgress: func(j *scopix.CloudStorageJob) {
					statuses = append(statuses, j.Status)
					percents = append(percents, j.ProgressPercent())
				},
			})
			assert.Equal(t, tc.wantStatuses, statuses)
			assert.InDeltaSlice(t, tc.wantPercent, percents, 0.001)
			assert.Equal(t, len(tc.answers), len(w.Requests()), "one GET per poll, none after the end")
			require.NotNil(t, job)
			assert.Equal(t, tc.wantStatuses[len(tc.wantStatuses)-1], job.Status)
			if !tc.wantErr {
				require.NoError(t, err)
				return
			}
			var cse *scopix.CloudStorageError
			require.ErrorAs(t, err, &cse)
			assert.Equal(t, "job1", cse.JobID)
			assert.Equal(t, string(job.Status), cse.JobStatus)
			assert.Contains(t, err.Error(), tc.wantMessage)
			assert.Equal(t, scopix.CodeCloudStorage, cse.Err.Code)
			assert.Equal(t, "job1", cse.Err.Details["job_id"])
			assert.Equal(t, string(job.Status), cse.Err.Details["job_status"])
			var base *scopix.Error
			assert.ErrorAs(t, err, &base)
		})
	}
}

func TestCloudStorage_WaitForJobTimesOutWithTheLastJob(t *testing.T) {
	t.Parallel()
	inBubble(t, fakeapi.Options{JobStepDelay: time.Hour}, func(t *testing.T, b *bubble) {
		c := b.Client()
		ctx := context.Background()
		conn := connectDrive(t, c)
		_, err := c.CloudStorage.ImportAndWait(ctx, conn.ID, []scopix.CloudFile{{ID: "d1", Name: "a.jpg"}}, nil,
			&scopix.WaitJobOptions{Timeout: 150 * time.Millisecond, Interval: 10 * time.Millisecond})
		var te *scopix.TimeoutError
		require.ErrorAs(t, err, &te)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		last, ok := te.LastResult.(*scopix.CloudStorageJob)
		require.True(t, ok, "LastResult is the last job seen, got %T", te.LastResult)
		require.NotNil(t, last)
		assert.Equal(t, scopix.JobStatusPending, last.Status)
		assert.Equal(t, 1, last.TotalFiles)
	})
}

func TestCloudStorage_WaitForJobStopsWhenTheContextIsCancelled(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t, scopixtest.WithJobStepDelay(time.Hour))
	c := srv.Client()
	conn := connectDrive(t, c)
	res, err := c.CloudStorage.StartImport(context.Background(), conn.ID, []scopix.CloudFile{{ID: "d1", Name: "a.jpg"}}, nil)
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	polls := 0
	_, err = c.CloudStorage.WaitForJob(ctx, res.JobID, &scopix.WaitJobOptions{
		Interval:   time.Millisecond,
		OnProgress: func(*scopix.CloudStorageJob) { polls++; cancel() },
	})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, polls, "no poll after the cancellation")
}

func TestCloudStorage_WaitForJobReturnsTheCallersDeadlineAsTimeout(t *testing.T) {
	t.Parallel()
	inBubble(t, fakeapi.Options{JobStepDelay: time.Hour}, func(t *testing.T, b *bubble) {
		c := b.Client()
		conn := connectDrive(t, c)
		ids := importTwoDriveFiles(t, c, conn.ID)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := c.CloudStorage.ExportAndWait(ctx, conn.ID, ids, nil, &scopix.WaitJobOptions{Interval: 5 * time.Millisecond})
		var te *scopix.TimeoutError
		require.ErrorAs(t, err, &te)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	})
}

// listedFilenames returns the names of the files Files.List shows.
func listedFilenames(t *testing.T, c *scopix.Client) []string {
	t.Helper()
	list, err := c.Files.List(context.Background(), nil)
	require.NoError(t, err)
	var names []string
	for _, f := range list.Items {
		names = append(names, f.Filename)
	}
	return names
}

// connectDrive connects a drive through the fake's OAuth flow.
func connectDrive(t *testing.T, c *scopix.Client) scopix.CloudConnection {
	t.Helper()
	ctx := context.Background()
	auth, err := c.CloudStorage.InitiateAuth(ctx, scopix.CloudProviderGoogleDrive, nil)
	require.NoError(t, err)
	require.NotEmpty(t, auth.AuthorizationURL)
	done, err := c.CloudStorage.CompleteAuth(ctx, scopix.CloudProviderGoogleDrive, "any-code", auth.State, nil)
	require.NoError(t, err)
	return done.Connection
}

// importTwoDriveFiles starts an import of two files and returns their ids.
func importTwoDriveFiles(t *testing.T, c *scopix.Client, connectionID string) []string {
	t.Helper()
	res, err := c.CloudStorage.StartImport(context.Background(), connectionID,
		[]scopix.CloudFile{{ID: "d1", Name: "a.jpg"}, {ID: "d2", Name: "b.png"}}, nil)
	require.NoError(t, err)
	require.Len(t, res.ImageIDs, 2)
	return res.ImageIDs
}

func TestCloudStorage_OAuthFlowCreatesAConnection(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()

	before, err := c.CloudStorage.ListConnections(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, before.Connections)

	auth, err := c.CloudStorage.InitiateAuth(ctx, scopix.CloudProviderGoogleDrive, nil)
	require.NoError(t, err)
	done, err := c.CloudStorage.CompleteAuth(ctx, scopix.CloudProviderGoogleDrive, "code-from-redirect", auth.State, nil)
	require.NoError(t, err)
	assert.True(t, done.IsNew)
	assert.True(t, done.Connection.IsActive)
	assert.False(t, done.Connection.CreatedAt.IsZero())

	_, err = c.CloudStorage.CompleteAuth(ctx, scopix.CloudProviderGoogleDrive, "again", auth.State, nil)
	var ve *scopix.ValidationError
	assert.ErrorAs(t, err, &ve, "a state works once")

	list, err := c.CloudStorage.ListConnections(ctx, &scopix.ListConnectionsParams{Provider: scopix.CloudProviderGoogleDrive})
	require.NoError(t, err)
	require.Len(t, list.Connections, 1)
	assert.Equal(t, done.Connection.ID, list.Connections[0].ID)

	res, err := c.CloudStorage.Disconnect(ctx, done.Connection.ID)
	require.NoError(t, err)
	assert.True(t, res.Success)
	active, err := c.CloudStorage.ListConnections(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, active.Connections)
	all, err := c.CloudStorage.ListConnections(ctx, &scopix.ListConnectionsParams{ActiveOnly: scopix.Ptr(false)})
	require.NoError(t, err)
	require.Len(t, all.Connections, 1)
	assert.False(t, all.Connections[0].IsActive)

	_, err = c.CloudStorage.StartImport(ctx, done.Connection.ID, []scopix.CloudFile{{ID: "d", Name: "d.jpg"}}, nil)
	var nf *scopix.ResourceNotFoundError
	assert.ErrorAs(t, err, &nf, "a disconnected drive cannot import")
	_, err = c.CloudStorage.Disconnect(ctx, "no-such-connection")
	assert.ErrorAs(t, err, &nf)
}

func TestCloudStorage_ImportCreatesFilesThatTheFileListShows(t *testing.T) {
	t.Parallel()
	inBubble(t, fakeapi.Options{JobStepDelay: 5 * time.Millisecond}, func(t *testing.T, srv *bubble) {
		c := srv.Client()
		ctx := context.Background()
		conn := connectDrive(t, c)

		var seen []scopix.JobStatus
		job, err := c.CloudStorage.ImportAndWait(ctx, conn.ID,
			[]scopix.CloudFile{{ID: "d1", Name: "beach.jpg", MimeType: "image/jpeg"}, {ID: "d2", Name: "notes.pdf"}},
			&scopix.ImportParams{Tags: []string{"from-drive"}},
			&scopix.WaitJobOptions{Interval: 2 * time.Millisecond, OnProgress: func(j *scopix.CloudStorageJob) { seen = append(seen, j.Status) }})
		require.NoError(t, err)
		assert.Equal(t, scopix.JobStatusCompleted, job.Status)
		assert.Equal(t, scopix.JobTypeImport, job.Type)
		assert.Equal(t, conn.ID, job.ConnectionID)
		assert.Equal(t, 2, job.CompletedFiles)
		assert.False(t, job.CompletedAt.IsZero())
		require.NotEmpty(t, seen)
		assert.Equal(t, scopix.JobStatusCompleted, seen[len(seen)-1])

		assert.ElementsMatch(t, []string{"beach.jpg", "notes.pdf"}, listedFilenames(t, c))
	})
}

func TestCloudStorage_FakeJobsEndAsTheKnobsSay(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status      scopix.JobStatus
		wantErr     bool
		wantFiles   int
		wantMessage string
	}{
		{scopix.JobStatusCompleted, false, 3, ""},
		{scopix.JobStatusPartial, false, 2, "one file was too large"},
		{scopix.JobStatusFailed, true, 0, "drive token revoked"},
		{scopix.JobStatusCancelled, true, 1, "cancelled by user"},
	}
	for _, tc := range cases {
		t.Run(string(tc.status), func(t *testing.T) {
			t.Parallel()
			srv := scopixtest.NewServer(t)
			c := srv.Client()
			conn := connectDrive(t, c)
			srv.EndNextCloudJob(tc.status, tc.wantMessage)
			job, err := c.CloudStorage.ImportAndWait(context.Background(), conn.ID,
				[]scopix.CloudFile{{ID: "1", Name: "1.jpg"}, {ID: "2", Name: "2.jpg"}, {ID: "3", Name: "3.jpg"}}, nil, nil)
			require.NotNil(t, job)
			assert.Equal(t, tc.status, job.Status)
			assert.Equal(t, tc.wantFiles, job.CompletedFiles)
			assert.Equal(t, tc.wantMessage, job.Error)
			assert.Len(t, listedFilenames(t, c), tc.wantFiles, "only the files that made it are listed")
			if tc.wantErr {
				var cse *scopix.CloudStorageError
				require.ErrorAs(t, err, &cse)
				assert.Equal(t, job.JobID, cse.JobID)
				assert.Equal(t, string(tc.status), cse.JobStatus)
				assert.Contains(t, err.Error(), tc.wantMessage)
			} else {
				require.NoError(t, err)
			}
		})
	}
}

func TestCloudStorage_ExportRunsAsAJob(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	conn := connectDrive(t, c)
	ids := importTwoDriveFiles(t, c, conn.ID)

	job, err := c.CloudStorage.ExportAndWait(ctx, conn.ID, ids, &scopix.ExportParams{FolderName: "Scopix export"}, nil)
	require.NoError(t, err)
	assert.Equal(t, scopix.JobTypeExport, job.Type)
	assert.Equal(t, scopix.JobStatusCompleted, job.Status)
	assert.Equal(t, 2, job.TotalFiles)

	_, err = c.CloudStorage.StartExport(ctx, conn.ID, []string{"no-such-file"}, nil)
	var nf *scopix.ResourceNotFoundError
	assert.ErrorAs(t, err, &nf)
	_, err = c.CloudStorage.GetJob(ctx, "no-such-job")
	assert.ErrorAs(t, err, &nf)
}

func TestCloudStorage_StartingAJobIsNotRepeatedAfterTheServerActed(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client(scopix.WithMaxRetries(3))
	conn := connectDrive(t, c)
	srv.FailNextOn(http.MethodPost, "/cloud-storage/import", 1, http.StatusInternalServerError, nil)
	_, err := c.CloudStorage.StartImport(context.Background(), conn.ID, []scopix.CloudFile{{ID: "d", Name: "d.jpg"}}, nil)
	var se *scopix.ServerError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 1, srv.RequestCount(http.MethodPost, "/cloud-storage/import"), "a 500 may have started the job: no retry")

	srv.FailNextOn(http.MethodPost, "/cloud-storage/import", 1, http.StatusServiceUnavailable, nil)
	_, err = c.CloudStorage.StartImport(context.Background(), conn.ID, []scopix.CloudFile{{ID: "d", Name: "d.jpg"}}, nil)
	require.NoError(t, err, "a 503 means the server did not act: retried")
}

func TestJobStatus_TerminalAndSuccessfulStates(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status               scopix.JobStatus
		terminal, successful bool
	}{
		{scopix.JobStatusPending, false, false},
		{scopix.JobStatusInProgress, false, false},
		{scopix.JobStatusCompleted, true, true},
		{scopix.JobStatusPartial, true, true},
		{scopix.JobStatusFailed, true, false},
		{scopix.JobStatusCancelled, true, false},
		{"processing", false, false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.terminal, tc.status.IsTerminal(), tc.status)
		assert.Equal(t, tc.successful, tc.status.IsSuccessful(), tc.status)
		j := scopix.S3Job{Status: tc.status}
		assert.Equal(t, tc.terminal, j.IsTerminal(), tc.status)
	}
	empty := scopix.CloudStorageJob{Status: scopix.JobStatusCompleted}
	assert.InDelta(t, 100, empty.ProgressPercent(), 0.001, "a finished job without files is done")
	assert.InDelta(t, 0, (&scopix.CloudStorageJob{Status: "pending"}).ProgressPercent(), 0.001)
}

// On a synctest clock: with real 2ms steps a loaded machine could finish
// the job before the test ends it.
func TestCloudStorage_FakeJobCanBeEndedAfterItStarted(t *testing.T) {
	t.Parallel()
	inBubble(t, fakeapi.Options{JobStepDelay: 2 * time.Millisecond}, func(t *testing.T, b *bubble) {
		c := b.Client()
		conn := connectDrive(t, c)
		ids := importTwoDriveFiles(t, c, conn.ID)
		assert.Len(t, listedFilenames(t, c), 2, "placeholders are listed at once")

		assert.False(t, b.EndCloudJob("no-such-job", string(scopix.JobStatusFailed), ""))

		res, err := c.CloudStorage.StartImport(context.Background(), conn.ID, []scopix.CloudFile{{ID: "x", Name: "x.jpg"}, {ID: "y", Name: "y.jpg"}}, nil)
		require.NoError(t, err)
		require.True(t, b.EndCloudJob(res.JobID, string(scopix.JobStatusPartial), "y.jpg is corrupt"))
		job, err := c.CloudStorage.WaitForJob(context.Background(), res.JobID, nil)
		require.NoError(t, err, "partial is not an error")
		assert.Equal(t, scopix.JobStatusPartial, job.Status)
		assert.Equal(t, 1, job.FailedFiles)
		assert.Equal(t, "y.jpg is corrupt", job.Error)
		assert.Len(t, listedFilenames(t, c), len(ids)+1, "the failed placeholder is gone")
	})
}
