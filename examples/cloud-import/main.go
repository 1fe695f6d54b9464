// Command cloud-import imports files from a connected Google Drive into
// Scopix, waits for the import job while printing its progress, and lists
// the imported files.
//
// Without SCOPIX_API_KEY it runs against the built-in fake API, where a
// drive is connected through the fake OAuth flow. With it, it uses the
// account's first connected drive and the files named in CLOUD_FILES
// ("driveFileID:name.jpg,driveFileID:name.pdf"); connect a drive in the
// Scopix web app first.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/examples/internal/exampleenv"
	"github.com/scopix/scopix-go/scopixtest"
)

const importTag = "cloud-import-example"

func main() {
	if err := run(context.Background()); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context) error {
	env, err := exampleenv.Open(&exampleenv.Setup{
		Fake:       []scopixtest.ServerOption{scopixtest.WithJobStepDelay(150 * time.Millisecond)},
		FakeClient: []scopix.Option{scopix.WithPollingInterval(50 * time.Millisecond)},
	})
	if err != nil {
		return err
	}
	defer env.Close()
	client, fake := env.Client, env.Fake

	conn, err := connection(ctx, client, fake != nil)
	if err != nil {
		return err
	}
	fmt.Printf("Using %s connection %s (%s)\n", conn.Provider, conn.ID, conn.ProviderEmail)

	files, err := filesToImport(fake != nil)
	if err != nil {
		return err
	}
	var last string
	job, err := client.CloudStorage.ImportAndWait(ctx, conn.ID, files,
		&scopix.ImportParams{Tags: []string{importTag}},
		&scopix.WaitJobOptions{
			Timeout: 10 * time.Minute,
			OnProgress: func(j *scopix.CloudStorageJob) {
				line := fmt.Sprintf("import %-11s %d/%d files (%3.0f%%)", j.Status, j.CompletedFiles+j.FailedFiles, j.TotalFiles, j.ProgressPercent())
				if line != last {
					fmt.Println(line)
					last = line
				}
			},
		})
	var failed *scopix.CloudStorageError
	if errors.As(err, &failed) {
		return fmt.Errorf("import job %s ended %s: %w", failed.JobID, failed.JobStatus, err)
	}
	if err != nil {
		return err
	}
	if job.FailedFiles > 0 {
		fmt.Printf("%d files could not be imported: %s\n", job.FailedFiles, job.Error)
	}

	list, err := client.Files.List(ctx, &scopix.FileListParams{Tags: []string{importTag}, Limit: 20})
	if err != nil {
		return err
	}
	fmt.Printf("Imported files (%d):\n", list.TotalCount)
	for _, f := range list.Items {
		fmt.Printf("  %s  %s\n", f.ID, f.Filename)
	}
	return nil
}

// connection returns the first active connection, connecting a drive
// through the OAuth flow first when running on the fake.
func connection(ctx context.Context, client *scopix.Client, onFake bool) (*scopix.CloudConnection, error) {
	list, err := client.CloudStorage.ListConnections(ctx, nil)
	if err != nil {
		return nil, err
	}
	fmt.Printf("Connected drives: %d\n", list.TotalCount)
	if len(list.Connections) > 0 {
		return &list.Connections[0], nil
	}
	if !onFake {
		return nil, errors.New("no cloud drive connected: connect one in the Scopix web app first")
	}
	// A browser would open auth.AuthorizationURL and the provider would send
	// a code to the redirect page; the fake accepts any code for its state.
	auth, err := client.CloudStorage.InitiateAuth(ctx, scopix.CloudProviderGoogleDrive, nil)
	if err != nil {
		return nil, err
	}
	done, err := client.CloudStorage.CompleteAuth(ctx, scopix.CloudProviderGoogleDrive, "code-from-redirect", auth.State, nil)
	if err != nil {
		return nil, err
	}
	fmt.Println("Connected a drive through the fake OAuth flow.")
	return &done.Connection, nil
}

// filesToImport reads CLOUD_FILES, or names two sample files on the fake.
func filesToImport(onFake bool) ([]scopix.CloudFile, error) {
	spec := os.Getenv("CLOUD_FILES")
	if spec == "" {
		if !onFake {
			return nil, errors.New(`set CLOUD_FILES="driveFileID:name.jpg,driveFileID:name.pdf"`)
		}
		return []scopix.CloudFile{
			{ID: "1a2b3c", Name: "team-offsite.jpg", MimeType: "image/jpeg"},
			{ID: "4d5e6f", Name: "quarterly-report.pdf", MimeType: "application/pdf"},
		}, nil
	}
	var files []scopix.CloudFile
	for _, item := range strings.Split(spec, ",") {
		id, name, ok := strings.Cut(strings.TrimSpace(item), ":")
		if !ok || id == "" || name == "" {
			return nil, fmt.Errorf("CLOUD_FILES: want id:name, got %q", item)
		}
		files = append(files, scopix.CloudFile{ID: id, Name: name})
	}
	return files, nil
}
