package scopix_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// Save a website link and wait for its crawl; the page's Open Graph
// metadata comes back with it. A failed crawl is a *LinkCrawlError.
func ExampleLinksService_CreateAndWait() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()

	link, err := client.Links.CreateAndWait(ctx, "https://www.example.com/article",
		&scopix.LinkCreateParams{Tags: []string{"research"}}, nil)
	var failed *scopix.LinkCrawlError
	if errors.As(err, &failed) {
		log.Fatalf("crawl failed: %s", failed.CrawlError)
	} else if err != nil {
		log.Fatal(err)
	}
	fmt.Println(link.CrawlStatus, link.Domain)
	fmt.Println(link.OGMetadata.SiteName, link.Tags)
	// Output:
	// completed example.com
	// example.com [research]
}
