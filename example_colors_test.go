package scopix_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// Read an image's dominant colours, then find the images that hold a
// colour close to one of them.
func ExampleColorsService_Search() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()

	up, err := client.Files.UploadReader(ctx, "sofa.jpg", strings.NewReader("sofa"), 4, nil)
	if err != nil {
		log.Fatal(err)
	}
	colors, err := client.Colors.Get(ctx, up.ImageID)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range colors.Analysis.DominantColors {
		fmt.Printf("%d. %s %s (%s) %.1f%%\n", c.Rank, c.Name, c.Hex, c.Family, c.Percentage)
	}

	for match, err := range client.Colors.SearchAll(ctx, &scopix.ColorSearchParams{
		Hex: "#C4A87C", DeltaEThreshold: scopix.Ptr(10.0)}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("same image: %t, matched %s, score %.2f\n", match.ImageID == up.ImageID, match.MatchedHex, match.MatchScore)
	}
	// Output:
	// 1. Walnut #C4A87C (earth_tone) 35.2%
	// 2. Dark Tan #8B7355 (earth_tone) 22.8%
	// same image: true, matched #C4A87C, score 1.00
}
