package scopix_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// exampleDir writes a few sample files for the examples.
func exampleDir(names ...string) string {
	dir, err := os.MkdirTemp("", "scopix-example")
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("\xff\xd8 sample "+n), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	return dir
}

func ExampleFilesService_Upload() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	dir := exampleDir("kitchen.jpg")
	defer os.RemoveAll(dir)
	ctx := context.Background()

	res, err := client.Files.Upload(ctx, filepath.Join(dir, "kitchen.jpg"), &scopix.UploadParams{
		Title: "Kitchen", Tags: []string{"listing-42"},
	})
	if err != nil {
		log.Fatal(err)
	}
	details, err := client.Files.WaitForDescription(ctx, res.ImageID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Filename, res.MediaType)
	fmt.Println(details.Title, details.DescriptionStatus)
	fmt.Println(details.UploadDescription)
	// Output:
	// kitchen.jpg image
	// Kitchen completed
	// A fake description of kitchen.jpg
}

func ExampleFilesService_UploadBatch() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	dir := exampleDir("a.jpg", "b.jpg", "c.png", ".hidden.jpg", "notes.exe")
	defer os.RemoveAll(dir)
	srv.FailDescriptionsFor("b.jpg")

	// The directory expands to its supported files; hidden files are skipped.
	// The batch returns once every description is final.
	res, err := client.Files.UploadBatch(context.Background(), []string{dir}, &scopix.UploadParams{
		BatchSize: 2, WaitForDescriptions: true,
	})
	var quota *scopix.QuotaExceededError
	if errors.As(err, &quota) {
		res = quota.PartialResults.(*scopix.BatchUploadResults) // what was uploaded before the quota
	} else if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Summary())
	fmt.Println("sessions:", len(res.SessionIDs))
	var failed *scopix.DescriptionError
	if errors.As(res.Err(), &failed) {
		fmt.Println("first failure:", res.Failed()[0].Filename)
	}
	// Output:
	// 3 files: 2 succeeded, 1 failed (1 retryable), 0 pending, 0 rejected
	// sessions: 2
	// first failure: b.jpg
}

func ExampleFilesService_ListAll() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	dir := exampleDir("1.jpg", "2.jpg", "3.jpg")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	for _, n := range []string{"1.jpg", "2.jpg", "3.jpg"} {
		if _, err := client.Files.Upload(ctx, filepath.Join(dir, n), &scopix.UploadParams{Tags: []string{"site-a"}}); err != nil {
			log.Fatal(err)
		}
	}

	params := &scopix.FileListParams{Tags: []string{"site-a"}, SortOrder: scopix.SortAsc, Limit: 2}
	for f, err := range client.Files.ListAll(ctx, params) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(f.Filename, f.DescriptionStatus)
	}
	// Output:
	// 1.jpg completed
	// 2.jpg completed
	// 3.jpg completed
}

func ExampleFilesService_WaitForDescription() {
	srv := scopixtest.Start(scopixtest.WithDescriptionDelay(50 * time.Millisecond))
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	dir := exampleDir("roof.jpg")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	res, err := client.Files.Upload(ctx, filepath.Join(dir, "roof.jpg"), nil)
	if err != nil {
		log.Fatal(err)
	}
	srv.FailDescription(res.ImageID)

	_, err = client.Files.WaitForDescription(ctx, res.ImageID, &scopix.WaitDescriptionOptions{Timeout: 5 * time.Second})
	var failed *scopix.DescriptionError
	if errors.As(err, &failed) {
		fmt.Println("description failed:", failed.ImageID == res.ImageID, failed.Status)
	}
	// Output:
	// description failed: true failed
}

// The quota check says whether files fit before anything is sent, and
// gives the plan's limits; UploadBatch makes it on its own.
func ExampleFilesService_CheckQuota() {
	srv := scopixtest.Start(scopixtest.WithPlan(scopixtest.PlanStarter))
	defer srv.Close()
	client := srv.Client()
	defer client.Close()

	quota, err := client.Files.CheckQuota(context.Background(), 20000)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("can proceed:", quota.CanProceed)
	fmt.Println("available:", quota.Available, "of", quota.MonthlyLimit)
	fmt.Println("files per batch request:", quota.MaxBatchSize)
	// Output:
	// can proceed: false
	// available: 10000 of 10000
	// files per batch request: 50
}

// A batch of more than five files reports its ids through its upload
// session; SessionResults reads them, page by page.
func ExampleFilesService_SessionResults() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	dir := exampleDir("1.jpg", "2.jpg", "3.jpg", "4.jpg", "5.jpg", "6.jpg")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	batch, err := client.Files.UploadBatch(ctx, []string{dir}, nil)
	if err != nil {
		log.Fatal(err)
	}

	page, err := client.Files.SessionResults(ctx, batch.SessionIDs[0], &scopix.SessionResultsParams{Limit: 4})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(page.Results), "of", page.TotalCount, "more:", page.HasMore)
	fmt.Println(page.Summary.Completed, "completed,", page.Summary.Failed, "failed")
	// Output:
	// 4 of 6 more: true
	// 6 completed, 0 failed
}

// Sessions lists every upload session, newest first.
func ExampleFilesService_Sessions() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	dir := exampleDir("a.jpg", "b.jpg")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	if _, err := client.Files.UploadBatch(ctx, []string{dir}, nil); err != nil {
		log.Fatal(err)
	}

	for s, err := range client.Files.Sessions(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(s.Status, s.TotalFiles, s.UploadMethod)
	}
	// Output:
	// completed 2 streaming
}

func ExampleFilesService_Sync() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	dir := exampleDir("kitchen.jpg", "hall.jpg", "roof.jpg")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	// The account already holds one of the three.
	if _, err := client.Files.Upload(ctx, filepath.Join(dir, "roof.jpg"), nil); err != nil {
		log.Fatal(err)
	}

	var last scopix.SyncProgress
	res, err := client.Files.Sync(ctx, dir, &scopix.SyncParams{
		OnProgress: func(p scopix.SyncProgress) { last = p }, // one call at a time: drive a progress bar
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range res.Files {
		fmt.Println(filepath.Base(f.Path), f.State)
	}
	fmt.Printf("hashed %d, checked %d, sent %d of %d\n", last.Hashed, last.Checked, last.Sent, last.ToSend)
	fmt.Println("bytes saved:", res.BytesSaved)

	// Run again (after a crash, say): nothing is missing, nothing is sent.
	again, err := client.Files.Sync(ctx, dir, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("second run:", again.Count(scopix.SyncPresent), "present,", again.BytesSent, "bytes sent")
	// Output:
	// hall.jpg uploaded
	// kitchen.jpg uploaded
	// roof.jpg present
	// hashed 3, checked 3, sent 2 of 2
	// bytes saved: 18
	// second run: 3 present, 0 bytes sent
}
