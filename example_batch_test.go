package scopix_test

import (
	"context"
	"fmt"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// Describe images by URL as one background job, wait for it, and read
// every item's result; a failed item does not fail the job.
func ExampleBatchService_SubmitDescribe() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()

	sub, err := client.Batch.SubmitDescribe(ctx, []scopix.BatchImage{
		{URL: "https://example.com/pole-17.jpg"},
		{URL: "https://example.com/fail-unreachable.jpg"},
	}, &scopix.BatchDescribeParams{Prompt: "note any damage"})
	if err != nil {
		fmt.Println(err)
		return
	}
	job, err := client.Batch.WaitForCompletion(ctx, sub.BatchID, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("status:", job.Status, "succeeded:", job.SuccessfulItems, "failed:", job.FailedItems)
	for item, err := range client.Batch.AllResults(ctx, sub.BatchID, nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if item.Status == scopix.BatchItemSuccess {
			fmt.Println(item.ItemIndex, item.Description())
		} else {
			fmt.Println(item.ItemIndex, "failed:", item.ErrorMessage)
		}
	}
	// Output:
	// status: partially_completed succeeded: 1 failed: 1
	// 0 A red sports car parked on a street
	// 1 failed: Image could not be downloaded
}
