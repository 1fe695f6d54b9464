package scopix

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Wire details of the folders API, all documented (predecessor
// api/folders.md; Scopix kept the /folders paths, which no rename in the
// Scopix files sheet touches).
const (
	pathFolders          = "folders"            // documented (predecessor api/folders.md): GET, POST
	pathFolderMoveFiles  = "folders/move-files" // documented (predecessor api/folders.md): POST
	folderMoveSuffix     = "move"               // documented (predecessor api/folders.md): POST folders/{id}/move
	folderCrumbsSuffix   = "breadcrumbs"        // documented (predecessor api/folders.md): GET folders/{id}/breadcrumbs
	maxFolderNameLength  = 255                  // documented (predecessor sdk folders.py)
	maxFolderListLimit   = 100                  // documented (predecessor sdk folders.py): files per Get page
	maxMoveFilesIDs      = 100                  // documented (predecessor api/folders.md)
	folderForbiddenChars = "/\\\x00"            // documented (predecessor sdk folders.py)
)

// RootFolder names the top of the folder tree where a folder id is
// expected: Move(ctx, id, RootFolder) and MoveFiles(ctx, ids, RootFolder)
// move to the root level (sent as JSON null).
const RootFolder = ""

// FoldersService organises files into a tree of folders under /folders.
//
// The server lists folders flat; Tree (or BuildFolderTree on a List you
// already have) nests them. Files are listed per folder with
// Files.List(ctx, &FileListParams{FolderID: id}).
type FoldersService service

// List returns every folder of the account as a flat list, each with its
// ParentID and Depth (GET /folders). Tree nests the same list.
//
// Errors: the transport errors of every call.
func (s *FoldersService) List(ctx context.Context) (*FolderList, error) {
	out, err := getJSON[FolderList](ctx, s.client, pathFolders, nil)
	if err != nil {
		return nil, err
	}
	if out.Folders == nil {
		out.Folders = []Folder{}
	}
	return out, nil
}

// Tree returns the folder tree: List nested by BuildFolderTree, roots first.
//
// Errors: as List.
func (s *FoldersService) Tree(ctx context.Context) ([]*FolderNode, error) {
	list, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	return BuildFolderTree(list.Folders), nil
}

// Get returns a folder with its breadcrumbs, direct subfolders and file
// count (GET /folders/{id}?limit=&offset=); nil p takes the server's page
// of 50 files.
//
// Errors: *ValidationError (empty id, limit outside 1–100, negative offset —
// before sending), *ResourceNotFoundError, and the transport errors of
// every call.
func (s *FoldersService) Get(ctx context.Context, folderID string, p *FolderGetParams) (*FolderContents, error) {
	seg, err := idSegment("folder_id", folderID)
	if err != nil {
		return nil, err
	}
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	out, err := getJSON[FolderContents](ctx, s.client, pathFolders+"/"+seg, q)
	if err != nil {
		return nil, err
	}
	if out.Breadcrumbs == nil {
		out.Breadcrumbs = []FolderBreadcrumb{}
	}
	if out.Subfolders == nil {
		out.Subfolders = []Folder{}
	}
	return out, nil
}

// Breadcrumbs returns the chain of folders from the root down to folderID,
// itself included (GET /folders/{id}/breadcrumbs).
//
// Errors: *ValidationError (empty id), *ResourceNotFoundError, and the
// transport errors of every call.
func (s *FoldersService) Breadcrumbs(ctx context.Context, folderID string) (*FolderBreadcrumbs, error) {
	seg, err := idSegment("folder_id", folderID)
	if err != nil {
		return nil, err
	}
	out, err := getJSON[FolderBreadcrumbs](ctx, s.client, pathFolders+"/"+seg+"/"+folderCrumbsSuffix, nil)
	if err != nil {
		return nil, err
	}
	if out.Breadcrumbs == nil {
		out.Breadcrumbs = []FolderBreadcrumb{}
	}
	return out, nil
}

// Create makes a folder named name under p.ParentID, or at the root level
// when p is nil or p.ParentID is RootFolder (POST /folders, 201).
//
// Errors: *ValidationError (a name that is empty, blank, longer than 255
// characters or holds '/', '\' or a NUL byte — before sending; or refused
// by the server), an *Error with Code CONFLICT (HTTP 409: a folder of
// that name already exists at that level), *ResourceNotFoundError (no
// such parent), and the transport errors of every call.
func (s *FoldersService) Create(ctx context.Context, name string, p *FolderCreateParams) (*Folder, error) {
	if err := checkFolderName(name); err != nil {
		return nil, err
	}
	if p == nil {
		p = &FolderCreateParams{}
	}
	body := struct {
		Name     string `json:"name"`
		ParentID string `json:"parent_id,omitempty"`
	}{name, p.ParentID}
	return sendJSON[Folder](ctx, s.client, http.MethodPost, pathFolders, body)
}

// Rename gives a folder a new name (PATCH /folders/{id}).
//
// Errors: *ValidationError (empty id, or a name Create would refuse —
// before sending), an *Error with Code CONFLICT (HTTP 409: the name is
// taken at that level), *ResourceNotFoundError, and the transport errors of
// every call.
func (s *FoldersService) Rename(ctx context.Context, folderID, name string) (*Folder, error) {
	seg, err := idSegment("folder_id", folderID)
	if err != nil {
		return nil, err
	}
	if err := checkFolderName(name); err != nil {
		return nil, err
	}
	body := struct {
		Name string `json:"name"`
	}{name}
	return sendJSON[Folder](ctx, s.client, http.MethodPatch, pathFolders+"/"+seg, body)
}

// Move puts a folder, with everything in it, under newParentID, or at the
// root level when newParentID is RootFolder (POST /folders/{id}/move). The
// answer carries the folder's new ParentID and Depth.
//
// A folder cannot move into itself or into one of its own subfolders, nor
// so that its subtree would nest deeper than 10 levels: that is a
// *FolderMoveError, raised before sending for a move into itself and from
// the server's HTTP 422 otherwise. It wraps a *ValidationError, so
// errors.As finds either.
//
// Other errors: *ValidationError (empty folder id), an *Error with Code
// CONFLICT (HTTP 409: the name is taken at the destination),
// *ResourceNotFoundError (no such folder or parent), and the transport
// errors of every call.
func (s *FoldersService) Move(ctx context.Context, folderID, newParentID string) (*Folder, error) {
	seg, err := idSegment("folder_id", folderID)
	if err != nil {
		return nil, err
	}
	if newParentID == folderID {
		cause := validationError("new_parent_id", "a folder cannot move into itself")
		return nil, newFolderMoveError(folderID, newParentID, cause)
	}
	body := struct {
		NewParentID *string `json:"new_parent_id"` // null moves to the root level
	}{nullIfRoot(newParentID)}
	f, err := sendJSON[Folder](ctx, s.client, http.MethodPost, pathFolders+"/"+seg+"/"+folderMoveSuffix, body)
	var refused *ValidationError
	if errors.As(err, &refused) && refused.Err != nil && refused.Err.StatusCode == http.StatusUnprocessableEntity {
		return nil, newFolderMoveError(folderID, newParentID, refused)
	}
	return f, err
}

// Delete removes a folder (DELETE /folders/{id}?mode=). With nil p or
// FolderDeleteMoveToParent its files and subfolders move up to its parent;
// with FolderDeleteAll they are deleted with it and cannot be recovered
// through the API.
//
// Errors: *ValidationError (empty id or unknown mode — before sending),
// *ResourceNotFoundError, and the transport errors of every call.
func (s *FoldersService) Delete(ctx context.Context, folderID string, p *FolderDeleteParams) (*FolderDeleteResult, error) {
	seg, err := idSegment("folder_id", folderID)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	if p != nil && p.Mode != "" {
		if p.Mode != FolderDeleteMoveToParent && p.Mode != FolderDeleteAll {
			return nil, validationError("mode", fmt.Sprintf("want %q or %q, got %q", FolderDeleteMoveToParent, FolderDeleteAll, p.Mode))
		}
		q.Set("mode", string(p.Mode))
	}
	req, err := s.client.newRequest(http.MethodDelete, pathFolders+"/"+seg, nil)
	if err != nil {
		return nil, err
	}
	req.query = q
	return doJSON[FolderDeleteResult](ctx, s.client, req)
}

// MoveFiles moves up to 100 files into folderID, or to the root level when
// folderID is RootFolder (POST /folders/move-files). Moved counts the files
// the server moved; compare it with TotalRequested.
//
// Errors: *ValidationError (no ids, more than 100, an empty or repeated id
// — before sending), *ResourceNotFoundError (no such folder), and the
// transport errors of every call.
func (s *FoldersService) MoveFiles(ctx context.Context, fileIDs []string, folderID string) (*MoveFilesResult, error) {
	if err := checkIDList("file_ids", fileIDs, maxMoveFilesIDs); err != nil {
		return nil, err
	}
	body := struct {
		FileIDs  []string `json:"file_ids"`
		FolderID *string  `json:"folder_id"` // null moves to the root level
	}{fileIDs, nullIfRoot(folderID)}
	req, err := s.client.newRequest(http.MethodPost, pathFolderMoveFiles, body)
	if err != nil {
		return nil, err
	}
	// Moving the same files to the same folder twice leaves them there.
	req.idempotent()
	return doJSON[MoveFilesResult](ctx, s.client, req)
}

// BuildFolderTree nests a flat folder list (as List returns it) by
// ParentID. Folders keep the order of the list among their siblings. A
// folder whose parent is not in the list, or that sits in a parent cycle
// the list should never contain, becomes a root: every folder of the list
// appears in the tree exactly once.
func BuildFolderTree(folders []Folder) []*FolderNode {
	nodes := make(map[string]*FolderNode, len(folders))
	order := make([]*FolderNode, 0, len(folders))
	for _, f := range folders {
		if _, dup := nodes[f.ID]; dup {
			continue
		}
		n := &FolderNode{Folder: f}
		nodes[f.ID] = n
		order = append(order, n)
	}
	var roots []*FolderNode
	parentOf := make(map[*FolderNode]*FolderNode, len(order))
	for _, n := range order {
		if p := nodes[n.ParentID]; p != nil && !closesCycle(parentOf, p, n) {
			p.Children = append(p.Children, n)
			parentOf[n] = p
			continue
		}
		roots = append(roots, n)
	}
	return roots
}

// closesCycle reports whether attaching child below parent would close a
// cycle: whether child is parent itself or one of its attached ancestors.
// The last link of a cycle is the one refused, so the others stay nested.
func closesCycle(parentOf map[*FolderNode]*FolderNode, parent, child *FolderNode) bool {
	for n := parent; n != nil; n = parentOf[n] {
		if n == child {
			return true
		}
	}
	return false
}

// checkFolderName applies the folder name rules before anything is sent.
func checkFolderName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return validationError("name", "must not be empty or blank")
	case utf8.RuneCountInString(name) > maxFolderNameLength:
		return validationError("name", fmt.Sprintf("at most %d characters", maxFolderNameLength))
	case strings.ContainsAny(name, folderForbiddenChars):
		return validationError("name", `must not contain '/', '\' or a NUL byte`)
	}
	return nil
}

// checkIDList refuses an empty list, more than max ids (max 0: no cap),
// and empty or repeated ids, naming field[i].
func checkIDList(field string, ids []string, max int) error {
	switch {
	case len(ids) == 0:
		return validationError(field, "must hold at least one id")
	case max > 0 && len(ids) > max:
		return validationError(field, fmt.Sprintf("want 1 to %d ids, got %d", max, len(ids)))
	}
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		at := field + "[" + strconv.Itoa(i) + "]"
		if err := checkID(at, id); err != nil {
			return err
		}
		if seen[id] {
			return validationError(at, "repeats "+strconv.Quote(id))
		}
		seen[id] = true
	}
	return nil
}

// nullIfRoot turns RootFolder into JSON null.
func nullIfRoot(id string) *string {
	if id == RootFolder {
		return nil
	}
	return &id
}

// newFolderMoveError builds the error of a refused move around the
// validation error that refused it.
func newFolderMoveError(folderID, newParentID string, cause *ValidationError) *FolderMoveError {
	target := "the root level"
	if newParentID != RootFolder {
		target = "folder " + newParentID
	}
	msg := fmt.Sprintf("folder %s cannot move into %s: a folder cannot go inside itself or its own subfolders, "+
		"nor nest deeper than 10 levels", folderID, target)
	e := newError(CodeFolderMove, msg, cause)
	if cause.Err != nil {
		e.StatusCode, e.RequestID = cause.Err.StatusCode, cause.Err.RequestID
		if reason := cause.Err.Message; reason != "" {
			e.Message += " (" + reason + ")"
		}
	}
	e.Details["folder_id"] = folderID
	e.Details["new_parent_id"] = newParentID
	return &FolderMoveError{Err: e, FolderID: folderID, NewParentID: newParentID}
}

// FolderGetParams page the files of Get.
type FolderGetParams struct {
	Limit  int // files per page, 1–100 (0: the server's 50)
	Offset int // ≥ 0
}

func (p *FolderGetParams) query() (url.Values, error) {
	q := url.Values{}
	if p == nil {
		return q, nil
	}
	switch {
	case p.Limit < 0 || p.Limit > maxFolderListLimit:
		return nil, validationError("limit", fmt.Sprintf("want 1 to %d", maxFolderListLimit))
	case p.Offset < 0:
		return nil, validationError("offset", "must not be negative")
	}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Offset > 0 {
		q.Set("offset", strconv.Itoa(p.Offset))
	}
	return q, nil
}

// FolderCreateParams are the options of Create.
type FolderCreateParams struct {
	ParentID string // the parent folder; RootFolder ("") for the root level
}

// FolderDeleteMode says what Delete does with a folder's contents.
type FolderDeleteMode string

// Delete modes (documented, predecessor api/folders.md).
const (
	FolderDeleteMoveToParent FolderDeleteMode = "move_to_parent" // contents move up to the parent (the default)
	FolderDeleteAll          FolderDeleteMode = "delete_all"     // contents are deleted with the folder
)

// FolderDeleteParams are the options of Delete.
type FolderDeleteParams struct {
	Mode FolderDeleteMode // default FolderDeleteMoveToParent
}

// Folder is one folder. ParentID is empty for a root-level folder.
type Folder struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	ParentID       string `json:"parent_id"`
	Depth          int    `json:"depth"`           // 0 at the root level
	FileCount      int    `json:"file_count"`      // files directly in it
	SubfolderCount int    `json:"subfolder_count"` // direct subfolders
	CreatedAt      Time   `json:"created_at"`
	UpdatedAt      Time   `json:"updated_at"`
}

// FolderList is what List returns: every folder, flat.
type FolderList struct {
	Folders []Folder `json:"folders"`
}

// FolderNode is a folder with its subfolders, as Tree and BuildFolderTree
// nest them.
type FolderNode struct {
	Folder
	Children []*FolderNode
}

// FolderBreadcrumb is one step of a folder's path from the root.
type FolderBreadcrumb struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Depth int    `json:"depth"`
}

// FolderBreadcrumbs is the path from the root to a folder, root first.
type FolderBreadcrumbs struct {
	Breadcrumbs []FolderBreadcrumb `json:"breadcrumbs"`
}

// FolderContents is what Get returns.
type FolderContents struct {
	Folder       *Folder            `json:"folder"` // nil for the root
	Breadcrumbs  []FolderBreadcrumb `json:"breadcrumbs"`
	Subfolders   []Folder           `json:"subfolders"`
	TotalFiles   int                `json:"total_files"`
	HasMoreFiles bool               `json:"has_more_files"`
}

// FolderDeleteResult is what Delete returns.
type FolderDeleteResult struct {
	ID                 string           `json:"id"`
	FilesAffected      int              `json:"files_affected"`
	SubfoldersAffected int              `json:"subfolders_affected"`
	Mode               FolderDeleteMode `json:"mode"`
}

// MoveFilesResult is what MoveFiles returns.
type MoveFilesResult struct {
	Moved          int `json:"moved"`
	TotalRequested int `json:"total_requested"`
}
