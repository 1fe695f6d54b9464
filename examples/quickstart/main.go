// Command quickstart walks the whole Scopix flow end to end, printing each
// step: upload an image and wait for its description, upload a directory as
// a batch, list files, upload a video and wait for its analysis, stream a
// chat answer token by token, import from a cloud drive, and handle an error.
//
// Without SCOPIX_API_KEY it starts the built-in fake API in-process
// (scopixtest), so it needs no network and no key:
//
//	go run ./examples/quickstart
//
// With SCOPIX_API_KEY set it runs against the real API. Steps that need data
// this program cannot make are skipped and say so: the video step needs a
// real video (QUICKSTART_VIDEO=path/to/clip.mp4), the cloud step a connected
// drive and the file ids to import (CLOUD_FILES="driveFileID:name.jpg,..."),
// and the rate-limit demonstration an injected fault, which only the fake can do.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/examples/internal/exampleenv"
	"github.com/scopix/scopix-go/scopixtest"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := run(ctx); err != nil {
		log.Fatal(err)
	}
}

// session is what the steps share.
type session struct {
	client *scopix.Client
	fake   *scopixtest.Server // nil against the real API
	dir    string             // scratch directory for generated files
	images []string           // ids of uploaded images, for chat
}

func run(ctx context.Context) error {
	env, err := exampleenv.Open(&exampleenv.Setup{
		Fake: []scopixtest.ServerOption{
			scopixtest.WithDescriptionDelay(300 * time.Millisecond),
			scopixtest.WithJobStepDelay(100 * time.Millisecond),
			scopixtest.WithVideoChunkSize(1 << 20),
		},
		FakeClient: []scopix.Option{scopix.WithPollingInterval(100 * time.Millisecond)},
	})
	if err != nil {
		return err
	}
	defer env.Close()
	s := &session{client: env.Client, fake: env.Fake}

	dir, err := os.MkdirTemp("", "scopix-quickstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	s.dir = dir

	steps := []struct {
		title string
		run   func(context.Context) error
	}{
		{"Upload an image and wait for its description", s.uploadImage},
		{"Upload a directory as a batch", s.uploadBatch},
		{"List files", s.listFiles},
		{"Upload a video and wait for its analysis", s.uploadVideo},
		{"Stream a chat answer", s.streamChat},
		{"Import from a cloud drive", s.cloudImport},
		{"Handle an error", s.handleError},
	}
	start := time.Now()
	for i, step := range steps {
		fmt.Printf("\n%d. %s\n", i+1, step.title)
		if err := step.run(ctx); err != nil {
			return fmt.Errorf("%s: %w", step.title, err)
		}
	}
	fmt.Printf("\nDone in %s.\n", time.Since(start).Round(time.Millisecond))
	return nil
}

func (s *session) uploadImage(ctx context.Context) error {
	path := filepath.Join(s.dir, "harbour.png")
	if err := os.WriteFile(path, gradientPNG(640, 480, color.RGBA{20, 90, 160, 255}), 0o600); err != nil {
		return err
	}
	res, err := s.client.Files.Upload(ctx, path, &scopix.UploadParams{Title: "Harbour", Tags: []string{"quickstart"}})
	if err != nil {
		return err
	}
	fmt.Printf("   uploaded %s as %s (description %s)\n", res.Filename, res.ImageID, res.DescriptionStatus)
	s.images = append(s.images, res.ImageID)

	details, err := s.client.Files.WaitForDescription(ctx, res.ImageID, &scopix.WaitDescriptionOptions{
		OnProgress: func(d *scopix.FileDetails) { fmt.Printf("   description: %s\n", d.DescriptionStatus) },
	})
	var failed *scopix.DescriptionError
	if errors.As(err, &failed) {
		fmt.Printf("   the description failed (%s); the file is still stored\n", failed.Status)
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Printf("   %q, tags %v\n", shorten(details.UploadDescription, 100), details.Tags)
	return nil
}

func (s *session) uploadBatch(ctx context.Context) error {
	batchDir := filepath.Join(s.dir, "site-visit")
	if err := os.Mkdir(batchDir, 0o700); err != nil {
		return err
	}
	for i := range 12 {
		img := gradientPNG(320, 240, color.RGBA{uint8(20 * i), 120, uint8(200 - 10*i), 255})
		if err := os.WriteFile(filepath.Join(batchDir, fmt.Sprintf("photo-%02d.png", i+1)), img, 0o600); err != nil {
			return err
		}
	}
	if s.fake != nil {
		s.fake.FailDescriptionsFor("photo-07.png") // to show how a failed description is reported
	}
	// The batch asks for the quota first, sends as many files per request as
	// the plan allows, reads the ids of requests over five files from their
	// upload session, and returns once every description is final.
	progress := newProgressLine()
	var described []scopix.UploadResult
	results, err := s.client.Files.UploadBatch(ctx, []string{batchDir}, &scopix.UploadParams{
		Tags:                []string{"quickstart", "site-visit"},
		WaitForDescriptions: true,
		OnProgress:          func(p scopix.UploadProgress) { progress.add(p.Filename, p.SentBytes, p.TotalBytes) },
		OnFileComplete:      func(r scopix.UploadResult) { described = append(described, r) },
	})
	progress.done()
	var quota *scopix.QuotaExceededError
	if errors.As(err, &quota) {
		fmt.Printf("   not enough quota: %s\n", quota.Err.Message)
		return nil
	}
	if err != nil {
		return err
	}
	for _, r := range described {
		fmt.Printf("   %-13s %-18s %s\n", r.Filename, r.ImageID, batchFileLine(r))
	}
	fmt.Printf("   %s\n", batchSummary(results))
	for _, r := range results.Succeeded() {
		s.images = append(s.images, r.ImageID)
	}
	return nil
}

// batchFileLine says what became of one file of the batch.
func batchFileLine(r scopix.UploadResult) string {
	switch {
	case r.DescriptionStatus == scopix.DescriptionFailed:
		return "stored, description failed: " + shorten(r.DescriptionError, 60)
	case r.IsFailed():
		return "failed: " + r.Error
	case r.IsPending():
		return "stored, description still running"
	}
	return fmt.Sprintf("described: %q", shorten(r.Description, 50))
}

// batchSummary counts the batch the way a person asks about it: how many
// files are stored, how many described, how many failed.
func batchSummary(b *scopix.BatchUploadResults) string {
	stored, describedCount := 0, 0
	for _, r := range b.Results {
		if r.ImageID != "" {
			stored++
		}
		if r.DescriptionStatus == scopix.DescriptionCompleted {
			describedCount++
		}
	}
	line := fmt.Sprintf("%d of %d files stored, %d described, %d failed", stored,
		len(b.Results)+len(b.Rejections), describedCount, len(b.Failed()))
	if n := len(b.Rejections); n > 0 {
		line += fmt.Sprintf(", %d refused", n)
	}
	if n := len(b.Pending()); n > 0 {
		line += fmt.Sprintf(", %d still pending", n)
	}
	return line
}

func (s *session) listFiles(ctx context.Context) error {
	page, err := s.client.Files.List(ctx, &scopix.FileListParams{Tags: []string{"quickstart"}, Limit: 5})
	if err != nil {
		return err
	}
	fmt.Printf("   %d files tagged quickstart; the first %d:\n", page.TotalCount, len(page.Items))
	for _, f := range page.Items {
		fmt.Printf("   - %-16s %-8s %s\n", f.Filename, f.MediaType, f.DescriptionStatus)
	}
	return nil
}

func (s *session) uploadVideo(ctx context.Context) error {
	path := os.Getenv("QUICKSTART_VIDEO")
	if path == "" {
		if s.fake == nil {
			fmt.Println("   skipped: set QUICKSTART_VIDEO to a real video file to upload it to the real API")
			return nil
		}
		path = filepath.Join(s.dir, "walkthrough.mp4")
		if err := os.WriteFile(path, scopixtest.MP4(3<<20+123, 42*time.Second), 0o600); err != nil {
			return err
		}
	}
	res, err := s.client.Video.Upload(ctx, path, &scopix.VideoUploadParams{
		Title:           "Walkthrough",
		Tags:            []string{"quickstart"},
		WaitForAnalysis: true,
		OnProgress: func(p scopix.VideoChunkProgress) {
			fmt.Printf("   chunk %d/%d uploaded (%d/%d bytes)\n", p.ChunksCompleted, p.TotalChunks, p.BytesUploaded, p.TotalBytes)
		},
		AnalysisWait: &scopix.WaitAnalysisOptions{OnProgress: func(j *scopix.VideoAnalysisJob) {
			fmt.Printf("   analysis %s %.0f%% %s\n", j.Status, j.ProgressPercent, j.CurrentStep)
		}},
	})
	var analysisFailed *scopix.VideoAnalysisError
	if errors.As(err, &analysisFailed) {
		fmt.Printf("   analysis of %s ended %s; the video is stored\n", analysisFailed.MediaID, analysisFailed.Status)
		return nil
	}
	if err != nil {
		return err
	}
	scenes, err := s.client.Video.Scenes(ctx, res.MediaID)
	if err != nil {
		return err
	}
	fmt.Printf("   video %s: %d scenes\n", res.MediaID, len(scenes.Scenes))
	for _, sc := range scenes.Scenes {
		fmt.Printf("   - %s %s\n", sc.TimeRangeFormatted, shorten(sc.Description, 70))
	}
	return nil
}

func (s *session) streamChat(ctx context.Context) error {
	sess, err := s.client.Chat.CreateSession(ctx, &scopix.CreateSessionParams{Title: "Quickstart", ImageIDs: s.images})
	if err != nil {
		return err
	}
	// Tokens carry the answer's citation markup as the server writes it
	// ([[img:…|name]]); the complete event carries the text a person reads.
	tokens := 0
	for ev, err := range s.client.Chat.Stream(ctx, sess.ID, "What do these photos show?", nil) {
		if err != nil {
			return err
		}
		switch ev.Type {
		case scopix.ChatEventToken:
			tokens++
		case scopix.ChatEventReconnecting:
			fmt.Println("   [reconnecting]")
		case scopix.ChatEventComplete:
			fmt.Printf("   answer (%d tokens streamed): %s\n", tokens, ev.ResolvedContent)
			fmt.Printf("   (%d images referenced)\n", len(ev.ImageContext))
		}
	}
	_, err = s.client.Chat.CloseSession(ctx, sess.ID)
	return err
}

func (s *session) cloudImport(ctx context.Context) error {
	conns, err := s.client.CloudStorage.ListConnections(ctx, nil)
	if err != nil {
		return err
	}
	var connectionID string
	if len(conns.Connections) > 0 {
		connectionID = conns.Connections[0].ID
	}
	var files []scopix.CloudFile
	if s.fake != nil {
		// On the fake, connect a drive through its OAuth flow; any code works.
		auth, err := s.client.CloudStorage.InitiateAuth(ctx, scopix.CloudProviderGoogleDrive, nil)
		if err != nil {
			return err
		}
		done, err := s.client.CloudStorage.CompleteAuth(ctx, scopix.CloudProviderGoogleDrive, "quickstart-code", auth.State, nil)
		if err != nil {
			return err
		}
		connectionID = done.Connection.ID
		files = []scopix.CloudFile{{ID: "drive-1", Name: "floorplan.png", MimeType: "image/png"},
			{ID: "drive-2", Name: "inspection.pdf", MimeType: "application/pdf"}}
	} else {
		files = cloudFilesFromEnv()
		if connectionID == "" || len(files) == 0 {
			fmt.Println("   skipped: needs a connected drive and CLOUD_FILES=\"driveFileID:name.jpg,...\"")
			return nil
		}
	}
	job, err := s.client.CloudStorage.ImportAndWait(ctx, connectionID, files, &scopix.ImportParams{Tags: []string{"quickstart"}},
		&scopix.WaitJobOptions{OnProgress: func(j *scopix.CloudStorageJob) {
			fmt.Printf("   import %-11s %d/%d\n", j.Status, j.CompletedFiles, j.TotalFiles)
		}})
	if err != nil {
		return err
	}
	fmt.Printf("   imported %d files (%d failed)\n", job.CompletedFiles, job.FailedFiles)
	return nil
}

func (s *session) handleError(ctx context.Context) error {
	if s.fake == nil {
		_, err := s.client.Files.Get(ctx, "00000000-0000-0000-0000-000000000000")
		var notFound *scopix.ResourceNotFoundError
		if errors.As(err, &notFound) {
			fmt.Printf("   handled: %v\n", err)
			return nil
		}
		return err
	}
	// More 429s than the client retries: the SDK gives up with the typed error.
	before := s.fake.RequestCount(http.MethodGet, "/files")
	s.fake.FailNext(4, http.StatusTooManyRequests, map[string]string{"Retry-After": "0.05", "X-RateLimit-Limit": "30"})
	_, err := s.client.Files.List(ctx, nil)
	attempts := s.fake.RequestCount(http.MethodGet, "/files") - before
	var rl *scopix.RateLimitError
	if !errors.As(err, &rl) {
		return fmt.Errorf("expected a rate limit, got %v", err)
	}
	fmt.Printf("   rate limited after %d attempts: wait %s (limit %d/min)\n", attempts, rl.RetryAfter, rl.Limit)
	time.Sleep(rl.RetryAfter)
	page, err := s.client.Files.List(ctx, &scopix.FileListParams{Limit: 1})
	if err != nil {
		return err
	}
	fmt.Printf("   after waiting, the call works again: %d files in the account\n", page.TotalCount)
	return nil
}

// progressLine prints one line per file as its bytes go out, and a total.
type progressLine struct {
	files map[string]bool
	bytes int64
}

func newProgressLine() *progressLine { return &progressLine{files: map[string]bool{}} }

func (p *progressLine) add(name string, sent, total int64) {
	if sent == total && !p.files[name] {
		p.files[name] = true
		p.bytes += total
		fmt.Printf("\r   sent %2d files, %6d KiB", len(p.files), p.bytes>>10)
	}
}

func (p *progressLine) done() { fmt.Println() }

func cloudFilesFromEnv() []scopix.CloudFile {
	var files []scopix.CloudFile
	for _, item := range strings.Split(os.Getenv("CLOUD_FILES"), ",") {
		if id, name, ok := strings.Cut(strings.TrimSpace(item), ":"); ok {
			files = append(files, scopix.CloudFile{ID: id, Name: name})
		}
	}
	return files
}

// gradientPNG draws a small picture so every upload has distinct bytes.
func gradientPNG(w, h int, base color.RGBA) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{base.R + uint8(x/8), base.G + uint8(y/8), base.B, 255})
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
