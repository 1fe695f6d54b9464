package scopix_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// Build a small folder tree and print it. The server lists folders flat;
// Tree nests them by parent.
func ExampleFoldersService_Tree() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()

	projects, err := client.Folders.Create(ctx, "Projects", nil)
	if err != nil {
		log.Fatal(err)
	}
	fy, _ := client.Folders.Create(ctx, "2024", &scopix.FolderCreateParams{ParentID: projects.ID})
	_, _ = client.Folders.Create(ctx, "Site A", &scopix.FolderCreateParams{ParentID: fy.ID})
	_, _ = client.Folders.Create(ctx, "Archive", nil)

	tree, err := client.Folders.Tree(ctx)
	if err != nil {
		log.Fatal(err)
	}
	var show func(nodes []*scopix.FolderNode)
	show = func(nodes []*scopix.FolderNode) {
		for _, n := range nodes {
			fmt.Printf("%s%s\n", strings.Repeat("  ", n.Depth), n.Name)
			show(n.Children)
		}
	}
	show(tree)
	// Output:
	// Projects
	//   2024
	//     Site A
	// Archive
}

// Moving a folder into its own subtree is refused with a *FolderMoveError;
// moving it to the root level takes RootFolder.
func ExampleFoldersService_Move() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()

	top, _ := client.Folders.Create(ctx, "Top", nil)
	child, _ := client.Folders.Create(ctx, "Child", &scopix.FolderCreateParams{ParentID: top.ID})

	_, err := client.Folders.Move(ctx, top.ID, child.ID)
	var refused *scopix.FolderMoveError
	fmt.Println("refused:", errors.As(err, &refused))

	moved, err := client.Folders.Move(ctx, child.ID, scopix.RootFolder)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s is at depth %d\n", moved.Name, moved.Depth)
	// Output:
	// refused: true
	// Child is at depth 0
}
