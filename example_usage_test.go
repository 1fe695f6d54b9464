package scopix_test

import (
	"context"
	"fmt"

	"github.com/scopix/scopix-go/scopixtest"
)

// Summary shows what the plan has used; Check asks before a big job whether
// the credits suffice, without spending any.
func ExampleUsageService_Summary() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()

	sum, err := client.Usage.Summary(ctx, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s plan: %d of %d requests used (%.2f%%)\n",
		sum.Plan.Name, sum.Limits.UsedThisMonth, sum.Limits.MonthlyLimit, sum.Limits.PercentageUsed)

	check, err := client.Usage.Check(ctx, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("can proceed:", check.CanProceed, "credits needed:", check.RequiredCredits)

	n := 0
	for _, err := range client.Usage.AllDetails(ctx, nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		n++
	}
	fmt.Println("usage events:", n)
	// Output:
	// Professional plan: 3665 of 100000 requests used (3.67%)
	// can proceed: true credits needed: 2
	// usage events: 120
}
