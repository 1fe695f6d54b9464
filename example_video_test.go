package scopix_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// exampleVideo writes a small stand-in video file (the fake does not decode
// video) and returns its path and a cleanup function.
func exampleVideo(size int) (string, func()) {
	dir, err := os.MkdirTemp("", "scopix-example")
	if err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(dir, "clip.mp4")
	if err := os.WriteFile(path, make([]byte, size), 0o600); err != nil {
		log.Fatal(err)
	}
	return path, func() { os.RemoveAll(dir) }
}

func ExampleVideoService_Upload() {
	srv := scopixtest.Start(scopixtest.WithVideoChunkSize(1024))
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	path, cleanup := exampleVideo(3000)
	defer cleanup()

	ctx := context.Background()
	res, err := client.Video.Upload(ctx, path, &scopix.VideoUploadParams{
		Title:           "Team offsite",
		WaitForAnalysis: true,
		OnProgress: func(p scopix.VideoChunkProgress) {
			// Chunks finish in any order; the counts only go up.
			fmt.Printf("chunks uploaded: %d/%d\n", p.ChunksCompleted, p.TotalChunks)
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("analysis:", res.Analysis.Status)

	scenes, err := client.Video.Scenes(ctx, res.MediaID)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range scenes.Scenes {
		fmt.Printf("scene %d: %s\n", s.SceneIndex, s.TimeRangeFormatted)
	}
	// Output:
	// chunks uploaded: 1/3
	// chunks uploaded: 2/3
	// chunks uploaded: 3/3
	// analysis: completed
	// scene 0: 0:00-0:20
	// scene 1: 0:20-0:40
	// scene 2: 0:40-1:00
}

func ExampleVideoService_Resume() {
	srv := scopixtest.Start(scopixtest.WithVideoChunkSize(1024))
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	path, cleanup := exampleVideo(3000)
	defer cleanup()
	ctx := context.Background()

	// The second chunk fails for good; KeepOnFailure keeps the upload so it
	// can be resumed (by this process or, with the saved ids, another one).
	srv.FailVideoChunk(2, 4, http.StatusForbidden)
	var start scopix.VideoUploadStart
	_, err := client.Video.Upload(ctx, path, &scopix.VideoUploadParams{
		Concurrency:   1,
		KeepOnFailure: true,
		OnStart:       func(s scopix.VideoUploadStart) { start = s },
	})
	var failed *scopix.VideoUploadError
	if errors.As(err, &failed) {
		fmt.Printf("failed at %s after %d chunks\n", failed.Stage, failed.PartialChunks)
	}

	res, err := client.Video.Resume(ctx, path, start.MediaID, start.UploadID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("resumed:", res.MediaID == start.MediaID, res.Status)
	// Output:
	// failed at chunk_upload after 1 chunks
	// resumed: true completed
}

func ExampleVideoAnalysisService_WaitForCompletion() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()
	mediaID := srv.AddVideo("lecture.mp4", 1<<20, 90)

	queued, err := client.VideoAnalysis.Queue(ctx, mediaID, nil)
	if err != nil {
		log.Fatal(err)
	}
	job, err := client.VideoAnalysis.WaitForCompletion(ctx, queued.AnalysisJobID, nil)
	var failed *scopix.VideoAnalysisError
	switch {
	case errors.As(err, &failed):
		fmt.Println("analysis", failed.Status)
	case err != nil:
		log.Fatal(err)
	default:
		fmt.Println(job.Status, job.ProgressPercent)
	}
	// Output:
	// completed 100
}
