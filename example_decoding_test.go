package scopix_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	scopix "github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// FastAPI servers send timestamps without a zone; Time reads them as UTC.
func ExampleParseTime() {
	for _, s := range []string{"2025-01-15T10:40:00.123456", "2025-01-15T12:40:00+02:00", ""} {
		t, err := scopix.ParseTime(s)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%q zero=%v\n", t.String(), t.IsZero())
	}
	var v struct {
		CreatedAt scopix.Time `json:"created_at"`
	}
	err := json.Unmarshal([]byte(`{"created_at":"last tuesday"}`), &v)
	fmt.Println(err != nil)
	// Output:
	// "2025-01-15T10:40:00.123456Z" zero=false
	// "2025-01-15T10:40:00Z" zero=false
	// "" zero=true
	// true
}

// A list page reads its items under the key the endpoint documents: the
// fake answers GET files, as documented, with {"files": [...],
// "total_count", "has_more"} and FastAPI's zone-less timestamps.
func ExampleFilesService_List_documentedAnswer() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	dir := exampleDir("1.jpg", "2.jpg")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	for _, n := range []string{"1.jpg", "2.jpg"} {
		if _, err := client.Files.Upload(ctx, filepath.Join(dir, n), nil); err != nil {
			log.Fatal(err)
		}
	}

	var raw map[string]json.RawMessage
	if err := client.Do(ctx, http.MethodGet, "/files?limit=1", nil, &raw); err != nil {
		log.Fatal(err)
	}
	_, documented := raw["files"]
	page, err := client.Files.List(ctx, &scopix.FileListParams{Limit: 1})
	if err != nil {
		log.Fatal(err)
	}
	created := page.Items[0].CreatedAt
	fmt.Println("listed under \"files\":", documented)
	fmt.Println(len(page.Items), page.TotalCount, page.HasMore, created.Location() == time.UTC)
	// Output:
	// listed under "files": true
	// 1 2 true true
}
