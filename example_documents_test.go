package scopix_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// Upload a document, then find the passages about a subject by meaning.
func ExampleDocumentsService_Search() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()

	text := "Ladders are inspected every spring.\n\nFire extinguishers are checked monthly."
	if _, err := client.Files.UploadReader(ctx, "safety.txt", strings.NewReader(text), int64(len(text)), nil); err != nil {
		log.Fatal(err)
	}
	res, err := client.Documents.Search(ctx, "extinguishers checked",
		&scopix.DocumentSearchParams{SimilarityThreshold: scopix.Ptr(0.5)})
	if err != nil {
		log.Fatal(err)
	}
	for _, chunk := range res.Results {
		fmt.Printf("%s p%v (%.2f): %s\n", chunk.DocumentFilename, chunk.PageNumbers, *chunk.SimilarityScore, chunk.Content)
	}
	// Output: safety.txt p[1] (1.00): Fire extinguishers are checked monthly.
}
