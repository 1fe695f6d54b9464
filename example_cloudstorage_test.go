package scopix_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// Connect a Google Drive through OAuth, import two files from it and wait
// for the import job. On the fake server any code completes the OAuth flow.
func ExampleCloudStorageService_ImportAndWait() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()

	// Open auth.AuthorizationURL in a browser; the provider sends a code to
	// your redirect page, which hands it to CompleteAuth with the state.
	auth, err := client.CloudStorage.InitiateAuth(ctx, scopix.CloudProviderGoogleDrive, nil)
	if err != nil {
		log.Fatal(err)
	}
	conn, err := client.CloudStorage.CompleteAuth(ctx, scopix.CloudProviderGoogleDrive, "code-from-redirect", auth.State, nil)
	if err != nil {
		log.Fatal(err)
	}

	files := []scopix.CloudFile{
		{ID: "1AbC", Name: "beach.jpg", MimeType: "image/jpeg"},
		{ID: "2DeF", Name: "menu.pdf", MimeType: "application/pdf"},
	}
	job, err := client.CloudStorage.ImportAndWait(ctx, conn.Connection.ID, files,
		&scopix.ImportParams{Tags: []string{"drive"}}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s job %s: %d of %d files (%.0f%%)\n", job.Type, job.Status, job.CompletedFiles, job.TotalFiles, job.ProgressPercent())
	// Output: import job completed: 2 of 2 files (100%)
}

// A failed or cancelled job is a *CloudStorageError; a partial one is
// returned without error, with FailedFiles set.
func ExampleCloudStorageService_WaitForJob() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()

	auth, _ := client.CloudStorage.InitiateAuth(ctx, scopix.CloudProviderGoogleDrive, nil)
	conn, _ := client.CloudStorage.CompleteAuth(ctx, scopix.CloudProviderGoogleDrive, "code", auth.State, nil)

	srv.EndNextCloudJob(scopix.JobStatusFailed, "drive access revoked")
	res, err := client.CloudStorage.StartImport(ctx, conn.Connection.ID, []scopix.CloudFile{{ID: "1AbC", Name: "beach.jpg"}}, nil)
	if err != nil {
		log.Fatal(err)
	}
	job, err := client.CloudStorage.WaitForJob(ctx, res.JobID, &scopix.WaitJobOptions{
		OnProgress: func(j *scopix.CloudStorageJob) { fmt.Println("status:", j.Status) },
	})
	var cse *scopix.CloudStorageError
	if errors.As(err, &cse) {
		fmt.Printf("job %s: %s\n", cse.JobStatus, job.Error)
	}
	// Output:
	// status: failed
	// job failed: drive access revoked
}
