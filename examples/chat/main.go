// Command chat uploads images, opens a chat session over them and prints
// the streamed answer to a question as it arrives.
//
//	go run ./examples/chat [-q "question"] [image ...]
//
// Without SCOPIX_API_KEY it runs against the built-in fake API and uploads
// two small generated images. With it, it uploads the images named on the
// command line (or, with none, chats over all of the account's images).
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"os"
	"os/signal"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/examples/internal/exampleenv"
	"github.com/scopix/scopix-go/scopixtest"
)

func main() {
	question := flag.String("q", "What do these images show, and what do they have in common?", "the question to ask")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *question, flag.Args()); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, question string, paths []string) error {
	env, err := exampleenv.Open(&exampleenv.Setup{Fake: []scopixtest.ServerOption{scopixtest.WithStreamPings(5)}})
	if err != nil {
		return err
	}
	defer env.Close()
	client, fake := env.Client, env.Fake

	imageIDs, err := upload(ctx, client, paths, fake != nil)
	if err != nil {
		return err
	}
	session, err := client.Chat.CreateSession(ctx, &scopix.CreateSessionParams{Title: "Example chat", ImageIDs: imageIDs})
	if err != nil {
		return err
	}
	defer func() {
		// Closing keeps the transcript but stops the session taking messages.
		if _, err := client.Chat.CloseSession(context.WithoutCancel(ctx), session.ID); err != nil {
			log.Printf("closing session: %v", err)
		}
	}()
	fmt.Printf("Session %s over %d images\n\nQ: %s\nA: ", session.ID, len(imageIDs), question)
	return stream(ctx, client, session.ID, question)
}

// upload sends the images and returns their ids. On the fake, with no
// paths, it uploads two generated images.
func upload(ctx context.Context, client *scopix.Client, paths []string, onFake bool) ([]string, error) {
	var ids []string
	if len(paths) == 0 && onFake {
		for i, c := range []color.RGBA{{200, 60, 40, 255}, {40, 90, 200, 255}} {
			data := solidPNG(c)
			name := fmt.Sprintf("facade-%d.png", i+1)
			res, err := client.Files.UploadReader(ctx, name, bytes.NewReader(data), int64(len(data)), nil)
			if err != nil {
				return nil, err
			}
			ids = append(ids, res.ImageID)
		}
		return ids, nil
	}
	for _, p := range paths {
		res, err := client.Files.Upload(ctx, p, nil)
		if err != nil {
			return nil, err
		}
		ids = append(ids, res.ImageID)
	}
	return ids, nil
}

// stream prints the answer token by token, notes reconnects, and lists the
// images the answer refers to.
func stream(ctx context.Context, client *scopix.Client, sessionID, question string) error {
	for ev, err := range client.Chat.Stream(ctx, sessionID, question, nil) {
		if err != nil {
			fmt.Println()
			return err
		}
		switch ev.Type {
		case scopix.ChatEventToken:
			fmt.Print(ev.Content)
		case scopix.ChatEventReconnecting:
			fmt.Printf(" [%s] ", ev.Message)
		case scopix.ChatEventComplete:
			if ev.ResolvedContent != ev.Content {
				// The tokens carried citation markup; show the text a person reads.
				fmt.Printf("\n\nWith citations resolved:\n%s", ev.ResolvedContent)
			}
			fmt.Printf("\n\n(%d ms, agents: %v)\n", ev.ProcessingTimeMS, ev.AgentsUsed)
			for _, img := range ev.ImageContext {
				fmt.Printf("  refers to %s (%s)\n", img.Filename, img.ImageID)
			}
		}
	}
	return nil
}

func solidPNG(c color.RGBA) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for y := range 16 {
		for x := range 16 {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}
