// Command video uploads a video in parallel chunks with a progress line,
// waits for its scene analysis and prints the scenes.
//
//	go run ./examples/video [video.mp4]
//
// Without SCOPIX_API_KEY it runs against the built-in fake Scopix API and
// uploads a small generated MP4-shaped file (the fake does not decode
// video). With it, it uploads the file named on the command line.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/examples/internal/exampleenv"
	"github.com/scopix/scopix-go/scopixtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, args []string) error {
	env, err := exampleenv.Open(&exampleenv.Setup{
		Fake:       []scopixtest.ServerOption{scopixtest.WithVideoChunkSize(1 << 20), scopixtest.WithJobStepDelay(400 * time.Millisecond)},
		FakeClient: []scopix.Option{scopix.WithPollingInterval(200 * time.Millisecond)},
	})
	if err != nil {
		return err
	}
	defer env.Close()
	client := env.Client
	path := ""
	switch {
	case env.Fake != nil:
		dir, err := os.MkdirTemp("", "scopix-video-example")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "offsite.mp4")
		if err := os.WriteFile(path, scopixtest.MP4(6<<20+12345, 95*time.Second), 0o600); err != nil {
			return err
		}
	case len(args) == 1:
		path = args[0]
	default:
		return errors.New("usage: video <file.mp4|.mov|.m4v|.webm|.avi>")
	}
	mediaID, err := uploadAndAnalyse(ctx, client, path)
	if err != nil {
		return err
	}
	return printScenes(ctx, client, mediaID)
}

// uploadAndAnalyse uploads the video in parallel chunks with a progress
// line, then waits for its analysis with another.
func uploadAndAnalyse(ctx context.Context, client *scopix.Client, path string) (string, error) {
	res, err := client.Video.Upload(ctx, path, &scopix.VideoUploadParams{
		Title: filepath.Base(path),
		OnStart: func(s scopix.VideoUploadStart) {
			fmt.Printf("Uploading %s in %d chunks (media %s)\n", s.Filename, s.TotalChunks, s.MediaID)
		},
		OnProgress: func(p scopix.VideoChunkProgress) {
			fmt.Printf("\r  %5.1f%%  %d/%d chunks  %.1f/%.1f MB", p.Percent(), p.ChunksCompleted, p.TotalChunks,
				float64(p.BytesUploaded)/1e6, float64(p.TotalBytes)/1e6)
		},
		WaitForAnalysis: true,
		AnalysisWait: &scopix.WaitAnalysisOptions{
			Timeout: 15 * time.Minute,
			OnProgress: func(j *scopix.VideoAnalysisJob) {
				fmt.Printf("\r  analysis: %-12s %3.0f%%  %-24s", j.Status, j.ProgressPercent, j.CurrentStep)
			},
		},
	})
	fmt.Println()
	var uploadErr *scopix.VideoUploadError
	if errors.As(err, &uploadErr) {
		return "", fmt.Errorf("upload failed at %s after %d chunks (media %q): %w",
			uploadErr.Stage, uploadErr.PartialChunks, uploadErr.MediaID, err)
	}
	if err != nil {
		return "", err
	}
	fmt.Printf("Video %s analysed.\n", res.MediaID)
	return res.MediaID, nil
}

// printScenes lists the scenes the analysis found.
func printScenes(ctx context.Context, client *scopix.Client, mediaID string) error {
	scenes, err := client.Video.Scenes(ctx, mediaID)
	if err != nil {
		return err
	}
	fmt.Printf("%d scenes:\n", scenes.Count)
	for _, s := range scenes.Scenes {
		fmt.Printf("  #%d %-11s %s\n", s.SceneIndex+1, s.TimeRangeFormatted, s.Description)
	}
	return nil
}
