package scopix_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

// idCall is one SDK method called with a caller-supplied id placed in a path.
type idCall struct {
	name, field string
	call        func(ctx context.Context, c *scopix.Client, id string) error
}

func firstErr[T any](_ T, err error) error { return err }

func idCalls() []idCall {
	return []idCall{
		{"Files.Get", "id", func(ctx context.Context, c *scopix.Client, id string) error { return firstErr(c.Files.Get(ctx, id)) }},
		{"Files.Update", "id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Files.Update(ctx, id, &scopix.FileUpdateParams{Title: scopix.Ptr("t")}))
		}},
		{"Files.Delete", "id", func(ctx context.Context, c *scopix.Client, id string) error { return firstErr(c.Files.Delete(ctx, id)) }},
		{"Files.ProcessingStatus", "id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Files.ProcessingStatus(ctx, id))
		}},
		{"Files.WaitForDescription", "id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Files.WaitForDescription(ctx, id, nil))
		}},
		{"Files.WaitForProcessing", "id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Files.WaitForProcessing(ctx, id, nil))
		}},
		{"Files.Session", "session_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Files.Session(ctx, id))
		}},
		{"Files.WaitForSession", "session_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Files.WaitForSession(ctx, id, nil))
		}},
		{"Files.SessionResults", "session_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Files.SessionResults(ctx, id, nil))
		}},
		{"Files.CancelSession", "session_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Files.CancelSession(ctx, id))
		}},
		{"Files.VariantURL", "id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Files.VariantURL(ctx, id, scopix.VariantMedium))
		}},
		{"Files.VariantURL variant", "variant", func(ctx context.Context, c *scopix.Client, id string) error {
			if id == "" {
				return firstErr(c.Files.VariantURL(ctx, "f1", " "))
			}
			return firstErr(c.Files.VariantURL(ctx, "f1", scopix.Variant(id)))
		}},
		{"Files.Download", "id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Files.Download(ctx, id))
		}},
		{"Files.Text", "id", func(ctx context.Context, c *scopix.Client, id string) error { return firstErr(c.Files.Text(ctx, id)) }},
		{"Files.Chunks", "id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Files.Chunks(ctx, id, nil))
		}},
		{"Chat.GetSession", "session_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Chat.GetSession(ctx, id, nil))
		}},
		{"Chat.Messages", "session_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Chat.Messages(ctx, id, 0))
		}},
		{"Chat.RenameSession", "session_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Chat.RenameSession(ctx, id, "t"))
		}},
		{"Chat.CloseSession", "session_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Chat.CloseSession(ctx, id))
		}},
		{"Chat.SetImages", "session_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Chat.SetImages(ctx, id, []string{"i1"}))
		}},
		{"Chat.SetDocuments", "session_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Chat.SetDocuments(ctx, id, []string{"d1"}))
		}},
		{"Chat.SetVideos", "session_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Chat.SetVideos(ctx, id, []string{"v1"}))
		}},
		{"Chat.SetMode", "session_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Chat.SetMode(ctx, id, true))
		}},
		{"Chat.Export", "session_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Chat.Export(ctx, id, ""))
		}},
		{"Chat.Send", "session_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Chat.Send(ctx, id, "hi", nil))
		}},
		{"Chat.Stream", "session_id", func(ctx context.Context, c *scopix.Client, id string) error {
			for _, err := range c.Chat.Stream(ctx, id, "hi", nil) {
				if err != nil {
					return err
				}
			}
			return nil
		}},
		{"CloudStorage.InitiateAuth", "provider", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.CloudStorage.InitiateAuth(ctx, scopix.CloudProvider(id), nil))
		}},
		{"CloudStorage.CompleteAuth", "provider", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.CloudStorage.CompleteAuth(ctx, scopix.CloudProvider(id), "code", "state", nil))
		}},
		{"CloudStorage.Disconnect", "connection_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.CloudStorage.Disconnect(ctx, id))
		}},
		{"CloudStorage.GetJob", "job_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.CloudStorage.GetJob(ctx, id))
		}},
		{"CloudStorage.WaitForJob", "job_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.CloudStorage.WaitForJob(ctx, id, nil))
		}},
		{"S3Connector.GetJob", "job_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.S3Connector.GetJob(ctx, id))
		}},
		{"S3Connector.WaitForJob", "job_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.S3Connector.WaitForJob(ctx, id, nil))
		}},
		{"Video.Progress", "media_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Video.Progress(ctx, id))
		}},
		{"Video.Scenes", "video_id", func(ctx context.Context, c *scopix.Client, id string) error { return firstErr(c.Video.Scenes(ctx, id)) }},
		{"Video.SceneThumbnail", "scene_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Video.SceneThumbnail(ctx, id))
		}},
		{"VideoAnalysis.Status", "analysis_job_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.VideoAnalysis.Status(ctx, id))
		}},
		{"VideoAnalysis.StatusByMedia", "media_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.VideoAnalysis.StatusByMedia(ctx, id))
		}},
		{"VideoAnalysis.Retry", "analysis_job_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.VideoAnalysis.Retry(ctx, id, "m1", ""))
		}},
		{"Folders.Get", "folder_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Folders.Get(ctx, id, nil))
		}},
		{"Folders.Breadcrumbs", "folder_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Folders.Breadcrumbs(ctx, id))
		}},
		{"Folders.Rename", "folder_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Folders.Rename(ctx, id, "n"))
		}},
		{"Folders.Move", "folder_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Folders.Move(ctx, id, "p"))
		}},
		{"Folders.Delete", "folder_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Folders.Delete(ctx, id, nil))
		}},
		{"Colors.Get", "image_id", func(ctx context.Context, c *scopix.Client, id string) error { return firstErr(c.Colors.Get(ctx, id)) }},
		{"Colors.Extract", "image_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Colors.Extract(ctx, id, nil))
		}},
		{"Links.Recrawl", "link_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Links.Recrawl(ctx, id))
		}},
		{"Links.Get", "link_id", func(ctx context.Context, c *scopix.Client, id string) error { return firstErr(c.Links.Get(ctx, id)) }},
		{"Links.WaitForCrawl", "link_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Links.WaitForCrawl(ctx, id, nil))
		}},
		{"Files.TriggerVariants", "id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.Files.TriggerVariants(ctx, id))
		}},
		{"VideoAnalysis.WaitForCompletion", "analysis_job_id", func(ctx context.Context, c *scopix.Client, id string) error {
			return firstErr(c.VideoAnalysis.WaitForCompletion(ctx, id, nil))
		}},
	}
}

// Guards issue item 2: url.PathEscape leaves "." and "..", so
// Files.Delete(ctx, "..") went to DELETE /files/.., which servers and
// proxies normalise into another route. Every method refuses such an id.
func TestIDs_DotSegmentsAndEmptyAreRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	srv := newWire(t)
	srv.Mux.Handle("/", script(ok200))
	c := srv.Client
	for _, tc := range idCalls() {
		for _, id := range []string{"", "  ", ".", ".."} {
			err := tc.call(context.Background(), c, id)
			var v *scopix.ValidationError
			require.ErrorAs(t, err, &v, "%s(%q)", tc.name, id)
			assert.Equal(t, tc.field, v.Fields[0].Loc[0], "%s(%q)", tc.name, id)
		}
	}
	assert.Empty(t, srv.Requests(), "nothing is sent for a refused id")
}

// Guards issue item 2: an id that merely contains dots or slashes stays
// one escaped segment.
func TestIDs_DotsInsideAnIDStayInOneSegment(t *testing.T) {
	t.Parallel()
	srv := newWire(t)
	srv.Mux.Handle("/", script(reply{status: 200, body: `{"id":"x"}`}))
	c := srv.Client
	for _, id := range []string{"...", "../admin", "a/../b", ".hidden"} {
		_, _ = c.Files.Get(context.Background(), id)
	}
	var paths []string
	for _, r := range srv.Requests() {
		paths = append(paths, r.Path)
	}
	assert.Equal(t, []string{"/api/v2/files/...", "/api/v2/files/..%2Fadmin", "/api/v2/files/a%2F..%2Fb", "/api/v2/files/.hidden"}, paths)
}

// Guards issue item 2 for the escape hatch: a dot segment in a Do path is
// refused as well, since it too would reach another route.
func TestDo_DotSegmentsInThePathAreRefused(t *testing.T) {
	t.Parallel()
	srv := newWire(t)
	srv.Mux.Handle("/", script(ok200))
	c := srv.Client
	for _, p := range []string{"/files/..", "/files/../admin", "/./files", "/files/./x?y=1"} {
		err := c.Do(context.Background(), "GET", p, nil, nil)
		var v *scopix.ValidationError
		require.ErrorAs(t, err, &v, p)
		assert.Equal(t, "path", v.Fields[0].Loc[0])
	}
	assert.Empty(t, srv.Requests())
}
