package scopix_test

import (
	"context"
	"fmt"
	"log"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// Point uploads at your own bucket, then import the objects under a prefix
// of it and wait for the job.
func ExampleS3ConnectorService_ImportAndWait() {
	srv := scopixtest.Start()
	defer srv.Close()
	srv.PutS3Object("acme-media", "catalog/shoe.jpg", []byte("..."))
	srv.PutS3Object("acme-media", "catalog/bag.jpg", []byte("..."))
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()

	status, err := client.S3Connector.Configure(ctx, scopix.S3Config{
		AccessKeyID:     "AKIAEXAMPLEKEY123456",
		SecretAccessKey: "example-secret-access-key-0000",
		BucketName:      "acme-media",
		Region:          "eu-west-1",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("configured:", status.BucketName, status.IsValidated)

	job, err := client.S3Connector.ImportAndWait(ctx, &scopix.S3ImportParams{
		Bucket: "acme-media",
		Prefix: "catalog/",
		Tags:   []string{"catalog"},
	}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("import %s: %d of %d files\n", job.Status, job.CompletedFiles, job.TotalFiles)
	// Output:
	// configured: acme-media true
	// import completed: 2 of 2 files
}

// S3Config never prints its secret, so it is safe to log.
func ExampleS3Config() {
	cfg := scopix.S3Config{
		AccessKeyID:     "AKIAEXAMPLEKEY123456",
		SecretAccessKey: "example-secret-access-key-0000",
		BucketName:      "acme-media",
		Region:          "eu-west-1",
	}
	fmt.Printf("%+v\n", cfg)
	// Output: {AccessKeyID:[REDACTED]3456 SecretAccessKey:[REDACTED] BucketName:acme-media Region:eu-west-1}
}
