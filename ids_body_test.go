package scopix_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

// Ids sent in a request body get the same check as ids placed in a path:
// blank or a dot segment is a *ValidationError naming the field, and
// nothing is sent.
func TestIDs_BodyIDsAreCheckedLikePathIDs(t *testing.T) {
	t.Parallel()
	srv := newWire(t)
	srv.Mux.Handle("/", script(ok200))
	c := srv.Client
	calls := []struct {
		name, field string
		call        func(ctx context.Context, id string) error
	}{
		{"VideoAnalysis.Queue", "media_id", func(ctx context.Context, id string) error {
			return firstErr(c.VideoAnalysis.Queue(ctx, id, nil))
		}},
		{"VideoAnalysis.Retry", "media_id", func(ctx context.Context, id string) error {
			return firstErr(c.VideoAnalysis.Retry(ctx, "job-1", id, ""))
		}},
		{"Video.Abort media", "media_id", func(ctx context.Context, id string) error {
			return firstErr(c.Video.Abort(ctx, id, "up-1", ""))
		}},
		{"Video.Abort upload", "upload_id", func(ctx context.Context, id string) error {
			return firstErr(c.Video.Abort(ctx, "media-1", id, ""))
		}},
		{"CloudStorage.StartImport connection", "connection_id", func(ctx context.Context, id string) error {
			return firstErr(c.CloudStorage.StartImport(ctx, id, []scopix.CloudFile{{ID: "f1", Name: "a.jpg"}}, nil))
		}},
		{"CloudStorage.StartImport file", "files[1].id", func(ctx context.Context, id string) error {
			return firstErr(c.CloudStorage.StartImport(ctx, "conn-1", []scopix.CloudFile{{ID: "f1", Name: "a.jpg"}, {ID: id, Name: "b.jpg"}}, nil))
		}},
		{"CloudStorage.StartExport", "image_ids[0]", func(ctx context.Context, id string) error {
			return firstErr(c.CloudStorage.StartExport(ctx, "conn-1", []string{id}, nil))
		}},
		{"Agents.AnalyzeDocuments", "document_ids[0]", func(ctx context.Context, id string) error {
			return firstErr(c.Agents.AnalyzeDocuments(ctx, "summarise", []string{id}))
		}},
	}
	for _, tc := range calls {
		for _, id := range []string{"", "  ", ".", ".."} {
			err := tc.call(context.Background(), id)
			var v *scopix.ValidationError
			require.ErrorAs(t, err, &v, "%s(%q)", tc.name, id)
			assert.Equal(t, tc.field, v.Fields[0].Loc[0], "%s(%q)", tc.name, id)
		}
	}
	assert.Empty(t, srv.Requests(), "nothing is sent for a refused id")
}
