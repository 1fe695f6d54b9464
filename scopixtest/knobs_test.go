package scopixtest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// The fake's failure knobs are what tests of a caller's error handling stand
// on: each must make the SDK report exactly the failure it names.
func TestServer_RejectFilenamesRefusesOnlyThoseFiles(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	srv.RejectFilenames("unsupported camera format", "raw.jpg")
	paths := []string{writeTemp(t, "ok.jpg", []byte("\xff\xd8ok")), writeTemp(t, "raw.jpg", []byte("\xff\xd8raw"))}

	res, err := srv.Client().Files.UploadBatch(context.Background(), paths, nil)

	require.NoError(t, err)
	require.Len(t, res.Rejections, 1)
	assert.Equal(t, "raw.jpg", res.Rejections[0].Filename)
	assert.Equal(t, "unsupported camera format", res.Rejections[0].Reason)
	require.Len(t, res.Results, 1)
	assert.Equal(t, "ok.jpg", res.Results[0].Filename)
}

func TestServer_WithFailingDescriptionsFailsEveryDescription(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t, scopixtest.WithFailingDescriptions())
	c := srv.Client()
	ctx := context.Background()
	up, err := c.Files.Upload(ctx, writeTemp(t, "pole.jpg", []byte("\xff\xd8pole")), nil)
	require.NoError(t, err)

	_, err = c.Files.WaitForDescription(ctx, up.ImageID, nil)

	var de *scopix.DescriptionError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, up.ImageID, de.ImageID)
}
