package scopix_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// Stream yields the answer's events as they arrive: print tokens as they
// come and watch the agents at work.
func ExampleChatService_Stream() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()

	session, err := client.Chat.CreateSession(ctx, &scopix.CreateSessionParams{Title: "Site visit"})
	if err != nil {
		fmt.Println(err)
		return
	}
	var answer strings.Builder
	for ev, err := range client.Chat.Stream(ctx, session.ID, "Any cracks?", nil) {
		if err != nil {
			fmt.Println("stream failed:", err)
			return
		}
		switch ev.Type {
		case scopix.ChatEventToken:
			answer.WriteString(ev.Content) // print it here for a live answer
		case scopix.ChatEventToolInvocation:
			fmt.Println("tool:", ev.ToolName)
		case scopix.ChatEventComplete:
			fmt.Println("agents:", ev.AgentsUsed)
		}
	}
	fmt.Println(strings.SplitAfter(answer.String(), ". ")[0])
	// Output:
	// tool: search_images
	// agents: [orchestrator image_search]
	// Here is what I found for "Any cracks?".
}

// CollectStream gives one result while still showing progress.
func ExampleCollectStream() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()

	session, err := client.Chat.CreateSession(ctx, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	tokens := 0
	res, err := scopix.CollectStream(client.Chat.Stream(ctx, session.ID, "Summarise the survey", nil),
		func(ev scopix.ChatEvent) {
			if ev.Type == scopix.ChatEventToken {
				tokens++
			}
		})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tokens > 0, strings.HasSuffix(res.Content, "narrow it down."))
	// Output: true true
}

// A dropped stream is resumed where it stopped: the answer is complete and
// no token arrives twice.
func ExampleChatService_Stream_resume() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()

	srv.DropStreamAfter(10) // the first connection drops after 10 events
	srv.DropStreamConnections(1)
	session, err := client.Chat.CreateSession(ctx, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for ev, err := range client.Chat.Stream(ctx, session.ID, "Any cracks?", nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if ev.Type == scopix.ChatEventReconnecting {
			fmt.Println("reconnecting after event", ev.ID)
		}
		if ev.Type == scopix.ChatEventClose {
			fmt.Println("done")
		}
	}
	// Output:
	// reconnecting after event 4
	// done
}

// Sessions keep their messages and context.
func ExampleChatService_CreateSession() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()

	session, err := client.Chat.CreateSession(ctx, &scopix.CreateSessionParams{
		Title:    "North facade",
		ImageIDs: []string{"img_1", "img_2"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := client.Chat.Send(ctx, session.ID, "What changed since last year?", nil); err != nil {
		fmt.Println(err)
		return
	}
	detail, err := client.Chat.GetSession(ctx, session.ID, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(detail.Session.Title, detail.Session.TotalMessages, detail.SelectedImageIDs)
	for _, m := range detail.Messages {
		fmt.Println(m.Role)
	}
	// Output:
	// North facade 2 [img_1 img_2]
	// user
	// assistant
}

// A deferred CloseSession is Go's counterpart of the Python SDK's session
// context manager: the session is closed however the function returns.
func ExampleChatService_CloseSession() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()

	session, err := client.Chat.CreateSession(ctx, &scopix.CreateSessionParams{Title: "Inspection"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() {
		closed, err := client.Chat.CloseSession(context.WithoutCancel(ctx), session.ID)
		fmt.Println("closed:", err == nil && !closed.ClosedAt.IsZero())
	}()
	res, err := client.Chat.Send(ctx, session.ID, "Any rust?", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.TrimSpace(strings.SplitAfter(res.ResolvedContent, ". ")[1]))
	// Output:
	// The session covers 0 images, 0 documents and 0 videos.
	// closed: true
}

// A stream may propose a plan (plan_pending_approval); ApprovePlan runs it.
func ExampleChatService_ApprovePlan() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()

	session, err := client.Chat.CreateSession(ctx, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	var planID string
	for ev, err := range client.Chat.Stream(ctx, session.ID, "Organise my photos by site", nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if ev.Type == scopix.ChatEventPlanPendingApproval {
			planID = ev.PlanID
		}
	}
	res, err := client.Chat.ApprovePlan(ctx, session.ID, planID)
	var conflict *scopix.PlanConflictError
	switch {
	case errors.As(err, &conflict):
		fmt.Println("someone else is running it")
	case err != nil:
		fmt.Println(err)
	case res.Running:
		fmt.Println("running in the background")
	default:
		fmt.Println(res.Message, len(res.AgentResults), "agents")
	}
	// Output: Plan completed 2 agents
}

// SearchImages finds images by meaning; the ids make a session's context.
func ExampleChatService_SearchImages() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()

	for _, name := range []string{"pole-corroded.jpg", "bridge.jpg", "pole-new.jpg"} {
		if _, err := client.Files.UploadReader(ctx, name, strings.NewReader("image bytes"), 11, nil); err != nil {
			fmt.Println(err)
			return
		}
	}
	found, err := client.Chat.SearchImages(ctx, "pole", &scopix.ChatImageSearchParams{Limit: 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	session, err := client.Chat.CreateSession(ctx, &scopix.CreateSessionParams{ImageIDs: found.IDs()})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Chat.CloseSession(context.WithoutCancel(ctx), session.ID)
	fmt.Println(found.TotalCount, "images found")
	// Output: 2 images found
}
