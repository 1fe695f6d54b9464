package scopix_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// Documented answers (predecessor api/folders.md).
const (
	folderAnswer = `{"id":"770a0600-a40d-63f6-c938-668877660222","name":"New Folder",
		"parent_id":"550e8400-e29b-41d4-a716-446655440000","depth":1,"file_count":0,"subfolder_count":0,
		"created_at":"2025-01-15T10:30:00Z","updated_at":"2025-01-15T10:30:00Z"}`
	folderListAnswer = `{"folders":[
		{"id":"550e8400-e29b-41d4-a716-446655440000","name":"Project Photos","parent_id":null,"depth":0,
		 "file_count":25,"subfolder_count":3,"created_at":"2025-01-15T10:00:00Z","updated_at":"2025-01-15T10:30:00Z"},
		{"id":"660f9500-f39c-52e5-b827-557766550111","name":"Site Inspections",
		 "parent_id":"550e8400-e29b-41d4-a716-446655440000","depth":1,"file_count":10,"subfolder_count":0,
		 "created_at":"2025-01-15T10:05:00Z","updated_at":"2025-01-15T10:30:00Z"}]}`
	folderContentsAnswer = `{"folder":{"id":"550e8400-e29b-41d4-a716-446655440000","name":"Project Photos","parent_id":null,
		"depth":0,"file_count":25,"subfolder_count":3,"created_at":"2025-01-15T10:00:00Z","updated_at":"2025-01-15T10:30:00Z"},
		"breadcrumbs":[{"id":"550e8400-e29b-41d4-a716-446655440000","name":"Project Photos","depth":0}],
		"subfolders":[{"id":"660f9500-f39c-52e5-b827-557766550111","name":"Site Inspections",
		"parent_id":"550e8400-e29b-41d4-a716-446655440000","depth":1,"file_count":10,"subfolder_count":0,
		"created_at":"2025-01-15T10:05:00Z","updated_at":"2025-01-15T10:30:00Z"}],"total_files":25,"has_more_files":false}`
	folderCrumbsAnswer = `{"breadcrumbs":[{"id":"a1b2c3d4-e5f6-7890-abcd-ef1234567890","name":"Projects","depth":0},
		{"id":"b2c3d4e5-f6a7-8901-bcde-f12345678901","name":"2024","depth":1},
		{"id":"c3d4e5f6-a7b8-9012-cdef-123456789012","name":"Site A","depth":2}]}`
	folderDeleteAnswer = `{"id":"550e8400-e29b-41d4-a716-446655440000","files_affected":25,"subfolders_affected":3,"mode":"move_to_parent"}`
	moveFilesAnswer    = `{"moved":2,"total_requested":2}`
)

func TestFolders_EveryMethodSendsTheDocumentedRequest(t *testing.T) {
	t.Parallel()
	runTransferWireCases(t, []transferWireCase{
		{name: "List", method: "GET", path: "/folders", responses: folderListAnswer,
			call: func(ctx context.Context, c *scopix.Client) error { _, err := c.Folders.List(ctx); return err }},
		{name: "Tree", method: "GET", path: "/folders", responses: folderListAnswer,
			call: func(ctx context.Context, c *scopix.Client) error { _, err := c.Folders.Tree(ctx); return err }},
		{name: "Get with a page", method: "GET", path: "/folders/f%2F1", query: "limit=10&offset=20", responses: folderContentsAnswer,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Folders.Get(ctx, "f/1", &scopix.FolderGetParams{Limit: 10, Offset: 20})
				return err
			}},
		{name: "Get", method: "GET", path: "/folders/f1", responses: folderContentsAnswer,
			call: func(ctx context.Context, c *scopix.Client) error { _, err := c.Folders.Get(ctx, "f1", nil); return err }},
		{name: "Breadcrumbs", method: "GET", path: "/folders/f1/breadcrumbs", responses: folderCrumbsAnswer,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Folders.Breadcrumbs(ctx, "f1")
				return err
			}},
		{name: "Create at the root", method: "POST", path: "/folders", body: `{"name":"Site Inspections"}`, responses: folderAnswer,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Folders.Create(ctx, "Site Inspections", nil)
				return err
			}},
		{name: "Create under a parent", method: "POST", path: "/folders", body: `{"name":"2024","parent_id":"p1"}`, responses: folderAnswer,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Folders.Create(ctx, "2024", &scopix.FolderCreateParams{ParentID: "p1"})
				return err
			}},
		{name: "Rename", method: "PATCH", path: "/folders/f1", body: `{"name":"Renamed Folder"}`, responses: folderAnswer,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Folders.Rename(ctx, "f1", "Renamed Folder")
				return err
			}},
		{name: "Move under a folder", method: "POST", path: "/folders/f1/move", body: `{"new_parent_id":"p2"}`, responses: folderAnswer,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Folders.Move(ctx, "f1", "p2")
				return err
			}},
		{name: "Move to the root sends null", method: "POST", path: "/folders/f1/move", body: `{"new_parent_id":null}`, responses: folderAnswer,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Folders.Move(ctx, "f1", scopix.RootFolder)
				return err
			}},
		{name: "Delete", method: "DELETE", path: "/folders/f1", responses: folderDeleteAnswer,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Folders.Delete(ctx, "f1", nil)
				return err
			}},
		{name: "Delete all", method: "DELETE", path: "/folders/f1", query: "mode=delete_all", responses: folderDeleteAnswer,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Folders.Delete(ctx, "f1", &scopix.FolderDeleteParams{Mode: scopix.FolderDeleteAll})
				return err
			}},
		{name: "MoveFiles", method: "POST", path: "/folders/move-files", body: `{"file_ids":["a","b"],"folder_id":"f1"}`,
			responses: moveFilesAnswer,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Folders.MoveFiles(ctx, []string{"a", "b"}, "f1")
				return err
			}},
		{name: "MoveFiles to the root sends null", method: "POST", path: "/folders/move-files",
			body: `{"file_ids":["a"],"folder_id":null}`, responses: moveFilesAnswer,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Folders.MoveFiles(ctx, []string{"a"}, scopix.RootFolder)
				return err
			}},
	})
}

func TestFolders_DecodeTheDocumentedAnswers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }

	_, c := newAnswering(t, 200, folderListAnswer)
	list, err := c.Folders.List(ctx)
	require.NoError(t, err)
	require.Len(t, list.Folders, 2)
	root := list.Folders[0]
	assert.Equal(t, scopix.Folder{ID: "550e8400-e29b-41d4-a716-446655440000", Name: "Project Photos", Depth: 0,
		FileCount: 25, SubfolderCount: 3, CreatedAt: scopix.Time{Time: at("2025-01-15T10:00:00Z")},
		UpdatedAt: scopix.Time{Time: at("2025-01-15T10:30:00Z")}}, root)
	assert.Equal(t, root.ID, list.Folders[1].ParentID)

	_, c = newAnswering(t, 200, folderContentsAnswer)
	got, err := c.Folders.Get(ctx, "550e8400-e29b-41d4-a716-446655440000", nil)
	require.NoError(t, err)
	require.NotNil(t, got.Folder)
	assert.Equal(t, "Project Photos", got.Folder.Name)
	assert.Equal(t, []scopix.FolderBreadcrumb{{ID: root.ID, Name: "Project Photos"}}, got.Breadcrumbs)
	require.Len(t, got.Subfolders, 1)
	assert.Equal(t, 1, got.Subfolders[0].Depth)
	assert.Equal(t, 25, got.TotalFiles)
	assert.False(t, got.HasMoreFiles)

	_, c = newAnswering(t, 200, folderCrumbsAnswer)
	crumbs, err := c.Folders.Breadcrumbs(ctx, "c3d4e5f6")
	require.NoError(t, err)
	names := []string{}
	for _, b := range crumbs.Breadcrumbs {
		names = append(names, fmt.Sprintf("%s@%d", b.Name, b.Depth))
	}
	assert.Equal(t, []string{"Projects@0", "2024@1", "Site A@2"}, names)

	_, c = newAnswering(t, 200, folderDeleteAnswer)
	del, err := c.Folders.Delete(ctx, root.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, scopix.FolderDeleteResult{ID: root.ID, FilesAffected: 25, SubfoldersAffected: 3,
		Mode: scopix.FolderDeleteMoveToParent}, *del)

	_, c = newAnswering(t, 200, moveFilesAnswer)
	moved, err := c.Folders.MoveFiles(ctx, []string{"a", "b"}, "f1")
	require.NoError(t, err)
	assert.Equal(t, scopix.MoveFilesResult{Moved: 2, TotalRequested: 2}, *moved)
}

func TestFolders_WorkOnTheFakeServer(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()

	projects, err := c.Folders.Create(ctx, "Projects", nil)
	require.NoError(t, err)
	assert.Empty(t, projects.ParentID)
	assert.False(t, projects.CreatedAt.IsZero())
	y2024, err := c.Folders.Create(ctx, "2024", &scopix.FolderCreateParams{ParentID: projects.ID})
	require.NoError(t, err)
	siteA, err := c.Folders.Create(ctx, "Site A", &scopix.FolderCreateParams{ParentID: y2024.ID})
	require.NoError(t, err)
	assert.Equal(t, 2, siteA.Depth)
	archive, err := c.Folders.Create(ctx, "Archive", nil)
	require.NoError(t, err)

	tree, err := c.Folders.Tree(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"Projects", "  2024", "    Site A", "Archive"}, outline(tree, 0))

	crumbs, err := c.Folders.Breadcrumbs(ctx, siteA.ID)
	require.NoError(t, err)
	assert.Equal(t, []scopix.FolderBreadcrumb{{ID: projects.ID, Name: "Projects"}, {ID: y2024.ID, Name: "2024", Depth: 1},
		{ID: siteA.ID, Name: "Site A", Depth: 2}}, crumbs.Breadcrumbs)

	_, err = c.Folders.Create(ctx, "2024", &scopix.FolderCreateParams{ParentID: projects.ID})
	isConflict(t, err)

	renamed, err := c.Folders.Rename(ctx, y2024.ID, "FY2024")
	require.NoError(t, err)
	assert.Equal(t, "FY2024", renamed.Name)

	// Files go into a folder and show in its count and in the files list.
	ids := uploadN(t, c, 3)
	moved, err := c.Folders.MoveFiles(ctx, ids[:2], siteA.ID)
	require.NoError(t, err)
	assert.Equal(t, scopix.MoveFilesResult{Moved: 2, TotalRequested: 2}, *moved)
	contents, err := c.Folders.Get(ctx, siteA.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, contents.TotalFiles)
	assert.Equal(t, 2, contents.Folder.FileCount)
	inFolder, err := c.Files.List(ctx, &scopix.FileListParams{FolderID: siteA.ID})
	require.NoError(t, err)
	assert.Len(t, inFolder.Items, 2)

	// A subtree moves whole; the depths follow.
	movedFolder, err := c.Folders.Move(ctx, y2024.ID, archive.ID)
	require.NoError(t, err)
	assert.Equal(t, archive.ID, movedFolder.ParentID)
	deep, err := c.Folders.Get(ctx, siteA.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, deep.Folder.Depth)
	assert.Equal(t, []string{"Archive", "FY2024", "Site A"}, crumbNames(deep.Breadcrumbs))

	// Deleting with the default mode hands the contents to the parent.
	del, err := c.Folders.Delete(ctx, siteA.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, del.FilesAffected)
	parent, err := c.Folders.Get(ctx, y2024.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, parent.TotalFiles)

	// delete_all takes the files with it.
	del, err = c.Folders.Delete(ctx, archive.ID, &scopix.FolderDeleteParams{Mode: scopix.FolderDeleteAll})
	require.NoError(t, err)
	assert.Equal(t, scopix.FolderDeleteResult{ID: archive.ID, FilesAffected: 2, SubfoldersAffected: 1, Mode: scopix.FolderDeleteAll}, *del)
	left, err := c.Files.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, left.Items, 1)
	_, err = c.Folders.Get(ctx, y2024.ID, nil)
	isNotFound(t, err)
}

func TestFolders_MovingAFolderIntoItsOwnSubtreeIsAFolderMoveError(t *testing.T) {
	t.Parallel()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	top, err := c.Folders.Create(ctx, "Top", nil)
	require.NoError(t, err)
	child, err := c.Folders.Create(ctx, "Child", &scopix.FolderCreateParams{ParentID: top.ID})
	require.NoError(t, err)

	t.Run("into a subfolder: the server refuses", func(t *testing.T) {
		_, err := c.Folders.Move(ctx, top.ID, child.ID)
		var fm *scopix.FolderMoveError
		require.ErrorAs(t, err, &fm)
		assert.Equal(t, top.ID, fm.FolderID)
		assert.Equal(t, child.ID, fm.NewParentID)
		assert.Equal(t, scopix.CodeFolderMove, fm.Err.Code)
		assert.Equal(t, 422, fm.Err.StatusCode)
		assert.Contains(t, err.Error(), "cannot move into folder "+child.ID)
		var ve *scopix.ValidationError
		require.ErrorAs(t, err, &ve, "the server's validation error is underneath")
		assert.Equal(t, 422, ve.Err.StatusCode)
	})
	t.Run("into itself: refused before sending", func(t *testing.T) {
		before := srv.RequestCount("", "")
		_, err := c.Folders.Move(ctx, top.ID, top.ID)
		var fm *scopix.FolderMoveError
		require.ErrorAs(t, err, &fm)
		var ve *scopix.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, []string{"new_parent_id"}, ve.Fields[0].Loc)
		assert.Equal(t, before, srv.RequestCount("", ""))
	})
	t.Run("deeper than 10 levels", func(t *testing.T) {
		parent := ""
		var chain []*scopix.Folder
		for i := range 10 {
			f, err := c.Folders.Create(ctx, fmt.Sprintf("L%d", i), &scopix.FolderCreateParams{ParentID: parent})
			require.NoError(t, err)
			chain, parent = append(chain, f), f.ID
		}
		_, err := c.Folders.Move(ctx, chain[1].ID, child.ID) // nine levels under depth 1
		var fm *scopix.FolderMoveError
		require.ErrorAs(t, err, &fm)
	})
	t.Run("the tree is unchanged", func(t *testing.T) {
		got, err := c.Folders.Get(ctx, child.ID, nil)
		require.NoError(t, err)
		assert.Equal(t, top.ID, got.Folder.ParentID)
	})
}

func TestFolders_ServerErrorsAreTyped(t *testing.T) {
	t.Parallel()
	notFound := `{"error":{"code":"NOT_FOUND","message":"Folder not found","details":{"resource_type":"folder","resource_id":"f1"}}}`
	conflict := `{"error":{"code":"FOLDER_NAME_EXISTS","message":"A folder with that name already exists at this level"}}`
	runStatusCases(t, []statusCase{
		{name: "List 500", status: 500, body: `{"detail":"boom"}`,
			call: func(ctx context.Context, c *scopix.Client) error { _, err := c.Folders.List(ctx); return err },
			check: func(t *testing.T, err error) {
				var se *scopix.ServerError
				assert.ErrorAs(t, err, &se)
			}},
		{name: "Get 404", status: 404, body: notFound, check: isNotFound,
			call: func(ctx context.Context, c *scopix.Client) error { _, err := c.Folders.Get(ctx, "f1", nil); return err }},
		{name: "Breadcrumbs 404", status: 404, body: notFound, check: isNotFound,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Folders.Breadcrumbs(ctx, "f1")
				return err
			}},
		{name: "Create 409", status: 409, body: conflict, check: isConflict,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Folders.Create(ctx, "x", nil)
				return err
			}},
		{name: "Create 400", status: 400, body: `{"detail":[{"loc":["body","name"],"msg":"bad name","type":"value_error"}]}`,
			check: func(t *testing.T, err error) {
				var ve *scopix.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, []string{"body", "name"}, ve.Fields[0].Loc)
			},
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Folders.Create(ctx, "x", nil)
				return err
			}},
		{name: "Rename 409", status: 409, body: conflict, check: isConflict,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Folders.Rename(ctx, "f1", "x")
				return err
			}},
		{name: "Rename 404", status: 404, body: notFound, check: isNotFound,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Folders.Rename(ctx, "f1", "x")
				return err
			}},
		{name: "Move 422", status: 422, body: `{"detail":"Cannot move folder into its own subtree"}`,
			check: func(t *testing.T, err error) {
				var fm *scopix.FolderMoveError
				require.ErrorAs(t, err, &fm)
				assert.Contains(t, err.Error(), "Cannot move folder into its own subtree")
				isValidation(t, err)
			},
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Folders.Move(ctx, "f1", "f2")
				return err
			}},
		{name: "Move 409 is a conflict, not a refused move", status: 409, body: conflict,
			check: func(t *testing.T, err error) {
				isConflict(t, err)
				var fm *scopix.FolderMoveError
				assert.False(t, errors.As(err, &fm))
			},
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Folders.Move(ctx, "f1", "f2")
				return err
			}},
		{name: "Move 404", status: 404, body: notFound, check: isNotFound,
			call: func(ctx context.Context, c *scopix.Client) error { _, err := c.Folders.Move(ctx, "f1", ""); return err }},
		{name: "Delete 404", status: 404, body: notFound, check: isNotFound,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Folders.Delete(ctx, "f1", nil)
				return err
			}},
		{name: "MoveFiles 404", status: 404, body: notFound, check: isNotFound,
			call: func(ctx context.Context, c *scopix.Client) error {
				_, err := c.Folders.MoveFiles(ctx, []string{"a"}, "f1")
				return err
			}},
	})
}

func TestFolders_InvalidArgumentsFailBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	tooMany := make([]string, 101)
	for i := range tooMany {
		tooMany[i] = fmt.Sprint("id", i)
	}
	runArgCases(t, []argCase{
		{"Get without id", "folder_id", func(ctx context.Context, c *scopix.Client) error { _, err := c.Folders.Get(ctx, "", nil); return err }},
		{"Get with a dot id", "folder_id", func(ctx context.Context, c *scopix.Client) error { _, err := c.Folders.Get(ctx, "..", nil); return err }},
		{"Get with limit 101", "limit", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Folders.Get(ctx, "f", &scopix.FolderGetParams{Limit: 101})
			return err
		}},
		{"Get with a negative offset", "offset", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Folders.Get(ctx, "f", &scopix.FolderGetParams{Offset: -1})
			return err
		}},
		{"Breadcrumbs without id", "folder_id", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Folders.Breadcrumbs(ctx, "")
			return err
		}},
		{"Create without name", "name", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Folders.Create(ctx, "", nil)
			return err
		}},
		{"Create with a blank name", "name", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Folders.Create(ctx, "  ", nil)
			return err
		}},
		{"Create with a slash", "name", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Folders.Create(ctx, "a/b", nil)
			return err
		}},
		{"Create with a backslash", "name", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Folders.Create(ctx, `a\b`, nil)
			return err
		}},
		{"Create with a NUL", "name", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Folders.Create(ctx, "a\x00", nil)
			return err
		}},
		{"Create with 256 characters", "name", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Folders.Create(ctx, strings.Repeat("é", 256), nil)
			return err
		}},
		{"Rename without id", "folder_id", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Folders.Rename(ctx, "", "x")
			return err
		}},
		{"Rename to a bad name", "name", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Folders.Rename(ctx, "f", "a/b")
			return err
		}},
		{"Move without id", "folder_id", func(ctx context.Context, c *scopix.Client) error { _, err := c.Folders.Move(ctx, "", "p"); return err }},
		{"Move into itself", "new_parent_id", func(ctx context.Context, c *scopix.Client) error { _, err := c.Folders.Move(ctx, "f", "f"); return err }},
		{"Delete without id", "folder_id", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Folders.Delete(ctx, "", nil)
			return err
		}},
		{"Delete with an unknown mode", "mode", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Folders.Delete(ctx, "f", &scopix.FolderDeleteParams{Mode: "shred"})
			return err
		}},
		{"MoveFiles without ids", "file_ids", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Folders.MoveFiles(ctx, nil, "f")
			return err
		}},
		{"MoveFiles with 101 ids", "file_ids", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Folders.MoveFiles(ctx, tooMany, "f")
			return err
		}},
		{"MoveFiles with an empty id", "file_ids[1]", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Folders.MoveFiles(ctx, []string{"a", ""}, "f")
			return err
		}},
		{"MoveFiles with a repeated id", "file_ids[2]", func(ctx context.Context, c *scopix.Client) error {
			_, err := c.Folders.MoveFiles(ctx, []string{"a", "b", "a"}, "f")
			return err
		}},
	})
}

func TestBuildFolderTree(t *testing.T) {
	t.Parallel()
	f := func(id, parent string) scopix.Folder { return scopix.Folder{ID: id, Name: id, ParentID: parent} }
	tests := []struct {
		name    string
		folders []scopix.Folder
		want    []string
	}{
		{"empty", nil, nil},
		{"nested, siblings in list order", []scopix.Folder{f("a", ""), f("b", "a"), f("c", ""), f("d", "a"), f("e", "b")},
			[]string{"a", "  b", "    e", "  d", "c"}},
		{"child listed before its parent", []scopix.Folder{f("b", "a"), f("a", "")}, []string{"a", "  b"}},
		{"a missing parent makes a root", []scopix.Folder{f("a", "gone"), f("b", "a")}, []string{"a", "  b"}},
		{"a parent cycle is broken once", []scopix.Folder{f("a", "b"), f("b", "a"), f("c", "a")}, []string{"b", "  a", "    c"}},
		{"a folder that is its own parent", []scopix.Folder{f("a", "a")}, []string{"a"}},
		{"a repeated id appears once", []scopix.Folder{f("a", ""), f("a", "")}, []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, outline(scopix.BuildFolderTree(tt.folders), 0))
		})
	}
}

// FuzzBuildFolderTree checks that any parent structure, however broken,
// gives a tree holding every distinct folder exactly once.
func FuzzBuildFolderTree(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3})
	f.Add([]byte{1, 0})
	f.Add([]byte{5, 5, 5, 0, 9})
	f.Fuzz(func(t *testing.T, parents []byte) {
		if len(parents) > 64 {
			parents = parents[:64]
		}
		folders := make([]scopix.Folder, len(parents))
		distinct := map[string]bool{}
		for i, p := range parents {
			id := fmt.Sprint("f", i%48) // some ids repeat
			parent := fmt.Sprint("f", int(p)%60)
			if p%7 == 0 {
				parent = ""
			}
			folders[i] = scopix.Folder{ID: id, ParentID: parent}
			distinct[id] = true
		}
		seen := map[string]int{}
		var walk func([]*scopix.FolderNode)
		walk = func(nodes []*scopix.FolderNode) {
			for _, n := range nodes {
				seen[n.ID]++
				walk(n.Children)
			}
		}
		walk(scopix.BuildFolderTree(folders))
		require.Len(t, seen, len(distinct))
		for id, n := range seen {
			require.Equal(t, 1, n, id)
		}
	})
}

// outline renders a tree as indented names, depth-first.
func outline(nodes []*scopix.FolderNode, depth int) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, strings.Repeat("  ", depth)+n.Name)
		out = append(out, outline(n.Children, depth+1)...)
	}
	return out
}

func crumbNames(crumbs []scopix.FolderBreadcrumb) []string {
	return slices.Collect(func(yield func(string) bool) {
		for _, b := range crumbs {
			if !yield(b.Name) {
				return
			}
		}
	})
}
