package scopix_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	scopix "github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// notFoundClient answers every request with 404 and body.
func notFoundClient(t *testing.T, body string) *scopix.Client {
	t.Helper()
	return answeringClient(t, http.StatusNotFound, func(*http.Request) []byte { return []byte(body) })
}

func TestNotFound_NamesWhatTheCallAskedFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		call     func(ctx context.Context, c *scopix.Client) error
		wantType string
		wantID   string
	}{
		{"file", func(ctx context.Context, c *scopix.Client) error { _, err := c.Files.Get(ctx, "f 1"); return err }, "file", "f 1"},
		{"file status", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Files.ProcessingStatus(ctx, "f2")
			return err
		}, "file", "f2"},
		{"chat session", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Chat.GetSession(ctx, "s1", nil)
			return err
		}, "chat_session", "s1"},
		{"analysis job", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.VideoAnalysis.Status(ctx, "j1")
			return err
		}, "video_analysis_job", "j1"},
		{"video by media id in the body", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Video.Abort(ctx, "m1", "u1", "")
			return err
		}, "video_upload", "m1"},
		{"cloud job", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.CloudStorage.GetJob(ctx, "cj1")
			return err
		}, "cloud_storage_job", "cj1"},
		{"s3 job", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.S3Connector.GetJob(ctx, "sj1")
			return err
		}, "s3_job", "sj1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := notFoundClient(t, `{"detail":"Not found"}`)
			err := tt.call(context.Background(), c)
			var nf *scopix.ResourceNotFoundError
			require.ErrorAs(t, err, &nf)
			assert.Equal(t, tt.wantType, nf.ResourceType)
			assert.Equal(t, tt.wantID, nf.ResourceID)
			assert.Equal(t, tt.wantType, nf.Err.Details["resource_type"])
			assert.Equal(t, tt.wantID, nf.Err.Details["resource_id"])
		})
	}
}

func TestNotFound_TheServersOwnNamesWin(t *testing.T) {
	t.Parallel()
	c := notFoundClient(t, `{"error":{"code":"NOT_FOUND","message":"gone","details":{"resource_type":"image","resource_id":"abc"}}}`)
	_, err := c.Files.Get(context.Background(), "f1")
	var nf *scopix.ResourceNotFoundError
	require.ErrorAs(t, err, &nf)
	assert.Equal(t, "image", nf.ResourceType)
	assert.Equal(t, "abc", nf.ResourceID)
}

func TestErrorBody_TopLevelSuggestionIsKept(t *testing.T) {
	t.Parallel()
	resp := &http.Response{StatusCode: http.StatusRequestEntityTooLarge, Header: http.Header{},
		Body: io.NopCloser(strings.NewReader(`{"error":"File too large","message":"Use the presigned flow",` +
			`"suggestion":{"endpoint":"/api/v2/files/direct-uploads"}}`))}
	err := scopix.CheckResponse(resp)
	var base *scopix.Error
	require.ErrorAs(t, err, &base)
	assert.Equal(t, map[string]any{"endpoint": "/api/v2/files/direct-uploads"}, base.Details["suggestion"])
}

func TestError_RequestIDPrintedOnce(t *testing.T) {
	t.Parallel()
	inner := &scopix.Error{Code: scopix.CodeServer, Message: "boom", StatusCode: 503, RequestID: "req-1", Details: map[string]any{}}
	outer := &scopix.Error{Code: scopix.CodeUpload, StatusCode: 503, RequestID: "req-1", Cause: inner, Details: map[string]any{}}
	assert.Equal(t, 1, strings.Count(outer.Error(), "request_id=req-1"), outer.Error())

	srv := scopixtest.NewServer(t)
	c := srv.Client(scopix.WithMaxRetries(0))
	ctx := context.Background()
	dir := t.TempDir()
	tests := []struct {
		name string
		call func() error
	}{
		{"direct upload", func() error {
			srv.FailNextOn(http.MethodPost, "/files/direct-uploads", 1, http.StatusBadRequest, nil)
			_, err := c.Files.Upload(ctx, writeFile(t, dir, "a.jpg", []byte("\xff\xd8a")), &scopix.UploadParams{ForceDirect: true})
			return err
		}},
		{"video upload", func() error {
			srv.FailNextOn(http.MethodPost, "/video-uploads/initiate", 1, http.StatusBadRequest, nil)
			_, err := c.Video.Upload(ctx, writeFile(t, dir, "v.mp4", scopixtest.MP4(2048, 10*time.Second)), nil)
			return err
		}},
	}
	for _, tt := range tests {
		err := tt.call()
		require.Error(t, err, tt.name)
		var base *scopix.Error
		require.True(t, errors.As(err, &base), tt.name)
		require.NotEmpty(t, base.RequestID, tt.name)
		assert.Equal(t, 1, strings.Count(err.Error(), "request_id="), "%s: %s", tt.name, err)
		assert.Equal(t, 1, strings.Count(err.Error(), "scopix: "), "%s: %s", tt.name, err)
	}
}

func TestUpdate_EmptyTagsClearAndNilTagsKeep(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		params   *scopix.FileUpdateParams
		wantBody string
	}{
		{"empty tags clear", &scopix.FileUpdateParams{Tags: []string{}}, `{"tags":[]}`},
		{"nil tags stay", &scopix.FileUpdateParams{Title: scopix.Ptr("T")}, `{"title":"T"}`},
		{"both", &scopix.FileUpdateParams{Title: scopix.Ptr("T"), Tags: []string{"a"}}, `{"title":"T","tags":["a"]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var body string
			c := referenceClient(t, func(r *http.Request) []byte {
				data, _ := io.ReadAll(r.Body)
				body = string(data)
				return fixture(t, "files_update.json")
			})
			_, err := c.Files.Update(context.Background(), "f1", tt.params)
			require.NoError(t, err)
			assert.JSONEq(t, tt.wantBody, body)
		})
	}

	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	res, err := c.Files.Upload(ctx, writeFile(t, t.TempDir(), "a.jpg", []byte("\xff\xd8a")),
		&scopix.UploadParams{Tags: []string{"one", "two"}})
	require.NoError(t, err)
	_, err = c.Files.Update(ctx, res.ImageID, &scopix.FileUpdateParams{Title: scopix.Ptr("Renamed")})
	require.NoError(t, err)
	got, err := c.Files.Get(ctx, res.ImageID)
	require.NoError(t, err)
	assert.Equal(t, []string{"one", "two"}, got.Tags, "nil Tags leaves the tags")

	_, err = c.Files.Update(ctx, res.ImageID, &scopix.FileUpdateParams{Tags: []string{}})
	require.NoError(t, err)
	got, err = c.Files.Get(ctx, res.ImageID)
	require.NoError(t, err)
	assert.Empty(t, got.Tags, "an empty Tags clears them")
	assert.Equal(t, "Renamed", got.Title)
}
