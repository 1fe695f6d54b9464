package scopix_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// An agent search finds the images; a chat session over exactly those
// images answers follow-up questions about them.
func ExampleAgentsService_SearchImages() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()

	for _, name := range []string{"pole-leaning.jpg", "substation.jpg", "pole-cracked.jpg"} {
		if _, err := client.Files.UploadReader(ctx, name, strings.NewReader("image bytes"), 11, nil); err != nil {
			fmt.Println(err)
			return
		}
	}
	found, err := client.Agents.SearchImages(ctx, "damaged pole", &scopix.AgentImageSearchParams{Limit: 20})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(found.Summary)
	for _, hit := range found.Results {
		fmt.Println("-", hit.Filename)
	}

	session, err := client.Chat.CreateSession(ctx, &scopix.CreateSessionParams{
		Title:    "Damaged poles",
		ImageIDs: found.ResultIDs,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Chat.CloseSession(context.WithoutCancel(ctx), session.ID)
	answer, err := client.Chat.Send(ctx, session.ID, "Which pole needs attention first?", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.TrimSpace(strings.SplitAfter(answer.ResolvedContent, ". ")[2]))
	// Output:
	// Found 2 images matching "damaged pole"
	// - pole-leaning.jpg
	// - pole-cracked.jpg
	// I found 2 matching images.
}

// A pipeline chains agents in one call: here a search whose images a
// folder step sorts.
func ExampleAgentsService_RunPipeline() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()

	res, err := client.Agents.RunPipeline(ctx, &scopix.PipelineParams{Steps: []scopix.PipelineStep{
		{Agent: scopix.AgentImageSearch, Intent: "damaged utility poles"},
		{Agent: scopix.AgentFolder, Intent: "sort by damage severity"},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, node := range res.Nodes {
		fmt.Println(node.Agent, node.Status)
	}
	fmt.Println("waves:", res.TotalWaves, "errors:", len(res.Errors))
	// Output:
	// image_search completed
	// folder completed
	// waves: 2 errors: 0
}
