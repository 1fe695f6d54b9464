// Command upload uploads one file, then a directory as a batch while
// printing a progress line, syncs the directory (sending only what the
// account lacks) with a progress bar, then lists the uploaded files and waits for
// their AI descriptions.
//
// Usage:
//
//	upload [file] [directory]
//
// Without SCOPIX_API_KEY it runs against the built-in fake API and makes
// its own sample files, so it needs no network. With it, it uses the real
// API (NewFromEnv) and the file and directory given on the command line.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/examples/internal/exampleenv"
	"github.com/scopix/scopix-go/scopixtest"
)

const exampleTag = "upload-example"

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, args []string) error {
	env, err := exampleenv.Open(&exampleenv.Setup{
		Fake:       []scopixtest.ServerOption{scopixtest.WithDescriptionDelay(300 * time.Millisecond)},
		FakeClient: []scopix.Option{scopix.WithPollingInterval(100 * time.Millisecond)},
	})
	if err != nil {
		return err
	}
	defer env.Close()
	if env.Fake != nil && len(args) < 2 {
		dir, err := os.MkdirTemp("", "scopix-upload-example")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if args, err = sampleFiles(dir); err != nil {
			return err
		}
	}
	if len(args) < 2 {
		return errors.New("usage: upload <file> <directory>")
	}
	client := env.Client
	for _, step := range []func() error{
		func() error { return uploadOne(ctx, client, args[0]) },
		func() error { return uploadDirectory(ctx, client, args[1]) },
		func() error { return syncDirectory(ctx, client, args[1]) },
		func() error { return listAndDescribe(ctx, client) },
	} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// uploadOne uploads one file: small files go in one request, large ones in
// parallel parts.
func uploadOne(ctx context.Context, client *scopix.Client, path string) error {
	one, err := client.Files.Upload(ctx, path, &scopix.UploadParams{
		Title: "Example upload", Tags: []string{exampleTag}, SkipDuplicates: true,
	})
	if err != nil {
		return err
	}
	fmt.Printf("Uploaded %s as %s (skipped as duplicate: %t)\n", one.Filename, one.ImageID, one.Skipped)
	return nil
}

// uploadDirectory sends a directory as a batch, with one progress line
// rewritten in place. A quota hit is reported with what was stored before it.
func uploadDirectory(ctx context.Context, client *scopix.Client, dir string) error {
	batch, err := client.Files.UploadBatch(ctx, []string{dir}, &scopix.UploadParams{
		Tags: []string{exampleTag}, SkipDuplicates: true, OnProgress: progressLine(),
	})
	fmt.Println()
	var quota *scopix.QuotaExceededError
	switch {
	case errors.As(err, &quota):
		stored := 0
		if partial, ok := quota.PartialResults.(*scopix.BatchUploadResults); ok {
			stored = len(partial.Results)
		}
		fmt.Printf("Quota reached (limit %d); %d files were uploaded before it.\n", quota.Limit, stored)
		return nil
	case err != nil:
		return err
	}
	fmt.Println("Batch:", batch.Summary())
	for _, r := range batch.Rejections {
		fmt.Printf("  rejected %s: %s\n", r.Filename, r.Reason)
	}
	return nil
}

// syncDirectory sends only the files the account does not hold, so running
// it again after a crash sends only what is missing. One callback drives a
// progress bar.
func syncDirectory(ctx context.Context, client *scopix.Client, dir string) error {
	synced, err := client.Files.Sync(ctx, dir, &scopix.SyncParams{
		Upload:     &scopix.UploadParams{Tags: []string{exampleTag}},
		OnProgress: syncBar,
	})
	fmt.Println()
	if err != nil {
		return err
	}
	fmt.Printf("Sync: %d uploaded, %d already present, %d bytes sent, %d bytes saved\n",
		synced.Count(scopix.SyncUploaded), synced.Count(scopix.SyncPresent), synced.BytesSent, synced.BytesSaved)
	return nil
}

// listAndDescribe lists what was uploaded, newest first, and waits for each
// description.
func listAndDescribe(ctx context.Context, client *scopix.Client) error {
	page, err := client.Files.List(ctx, &scopix.FileListParams{Tags: []string{exampleTag}, Limit: 20})
	if err != nil {
		return err
	}
	fmt.Printf("%d files carry the tag %q:\n", page.TotalCount, exampleTag)
	for _, f := range page.Items {
		d, err := client.Files.WaitForDescription(ctx, f.ID, &scopix.WaitDescriptionOptions{Timeout: time.Minute})
		var failed *scopix.DescriptionError
		switch {
		case errors.As(err, &failed):
			fmt.Printf("  %-12s description failed: %s\n", f.Filename, failed.Err.Message)
		case err != nil:
			return err
		default:
			fmt.Printf("  %-12s %s\n", f.Filename, d.UploadDescription)
		}
	}
	return nil
}

// progressLine prints the bytes sent so far over the whole batch.
func progressLine() func(scopix.UploadProgress) {
	var mu sync.Mutex
	sent := map[int]int64{}
	return func(p scopix.UploadProgress) {
		mu.Lock()
		defer mu.Unlock()
		sent[p.FileIndex] = p.SentBytes
		var total int64
		for _, n := range sent {
			total += n
		}
		fmt.Printf("\rUploading: %d files started, %d bytes sent", len(sent), total)
	}
}

// syncBar redraws one progress line: hashing, checking, then sending.
func syncBar(p scopix.SyncProgress) {
	const width = 20
	done := p.Hashed + p.Checked + p.Sent
	total := 2*p.Files + p.ToSend
	filled := width * done / max(total, 1)
	fmt.Printf("\rSyncing [%s%s] hashed %d/%d, checked %d, sent %d/%d",
		strings.Repeat("#", filled), strings.Repeat(".", width-filled), p.Hashed, p.Files, p.Checked, p.Sent, p.ToSend)
}

// sampleFiles writes a single image and a directory of images and notes.
func sampleFiles(dir string) ([]string, error) {
	single := filepath.Join(dir, "cover.png")
	if err := os.WriteFile(single, []byte("\x89PNG cover"), 0o644); err != nil {
		return nil, err
	}
	batchDir := filepath.Join(dir, "site-visit")
	if err := os.MkdirAll(batchDir, 0o755); err != nil {
		return nil, err
	}
	for i := 1; i <= 5; i++ {
		name := filepath.Join(batchDir, fmt.Sprintf("photo-%d.jpg", i))
		if err := os.WriteFile(name, []byte(strings.Repeat(fmt.Sprintf("\xff\xd8 photo %d ", i), 200)), 0o644); err != nil {
			return nil, err
		}
	}
	if err := os.WriteFile(filepath.Join(batchDir, "notes.md"), []byte("# Site visit\n\nRoof needs repair."), 0o644); err != nil {
		return nil, err
	}
	return []string{single, batchDir}, nil
}
