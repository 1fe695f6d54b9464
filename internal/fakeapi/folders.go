package fakeapi

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Folders, answered as the reference (predecessor api/folders.md) shows:
// a flat list with parent ids and depths, folder contents with
// breadcrumbs, 409 for a name taken at a level, 422 for a move into the
// folder's own subtree or beyond 10 levels. File counts come from the file
// store's folder ids.

// maxFolderDepth is the number of levels a tree may have (depths 0–9).
const maxFolderDepth = 10

type foldersState struct {
	byID  map[string]*folder
	order []string // ids in creation order
}

func (st *foldersState) init() { st.byID = map[string]*folder{} }

type folder struct {
	id, name, parentID   string
	createdAt, updatedAt time.Time
}

// foldersRoutes are the routes folders.go serves.
func (s *Server) foldersRoutes() []route {
	return []route{
		{"GET /folders", s.handleListFolders},
		{"POST /folders", s.handleCreateFolder},
		{"GET /folders/{id}", s.handleGetFolder},
		{"PATCH /folders/{id}", s.handleRenameFolder},
		{"DELETE /folders/{id}", s.handleDeleteFolder},
		{"GET /folders/{id}/breadcrumbs", s.handleFolderBreadcrumbs},
		{"POST /folders/{id}/move", s.handleMoveFolder},
		{"POST /folders/move-files", s.handleMoveFiles},
	}
}

// liveFoldersLocked returns the folders in creation order.
func (s *Server) liveFoldersLocked() []*folder {
	out := make([]*folder, 0, len(s.state.folders.order))
	for _, id := range s.state.folders.order {
		if f := s.state.folders.byID[id]; f != nil {
			out = append(out, f)
		}
	}
	return out
}

func (s *Server) folderDepthLocked(f *folder) int {
	d := 0
	for p := s.state.folders.byID[f.parentID]; p != nil; p = s.state.folders.byID[p.parentID] {
		d++
	}
	return d
}

// subtreeHeightLocked is the number of levels below f (0 for a leaf).
func (s *Server) subtreeHeightLocked(f *folder) int {
	h := 0
	for _, c := range s.liveFoldersLocked() {
		if c.parentID == f.id {
			h = max(h, 1+s.subtreeHeightLocked(c))
		}
	}
	return h
}

func (s *Server) folderFileIDsLocked(id string) []string {
	var ids []string
	for _, fid := range s.state.files.order {
		if f := s.state.files.byID[fid]; f != nil && !f.Deleted && f.FolderID == id {
			ids = append(ids, fid)
		}
	}
	return ids
}

func (s *Server) folderJSON(f *folder) map[string]any {
	subfolders := 0
	for _, c := range s.liveFoldersLocked() {
		if c.parentID == f.id {
			subfolders++
		}
	}
	return map[string]any{"id": f.id, "name": f.name, "parent_id": nilIfEmpty(f.parentID),
		"depth": s.folderDepthLocked(f), "file_count": len(s.folderFileIDsLocked(f.id)), "subfolder_count": subfolders,
		"created_at": f.createdAt.UTC().Format(time.RFC3339Nano), "updated_at": f.updatedAt.UTC().Format(time.RFC3339Nano)}
}

func (s *Server) breadcrumbsJSON(f *folder) []any {
	var chain []*folder
	for p := f; p != nil; p = s.state.folders.byID[p.parentID] {
		chain = append(chain, p)
	}
	slices.Reverse(chain)
	out := make([]any, 0, len(chain))
	for i, p := range chain {
		out = append(out, map[string]any{"id": p.id, "name": p.name, "depth": i})
	}
	return out
}

// folderLocked finds a folder or answers 404.
func (s *Server) folderLocked(w http.ResponseWriter, id string) *folder {
	f := s.state.folders.byID[id]
	if f == nil {
		WriteErrorDetails(w, http.StatusNotFound, "NOT_FOUND", "Folder not found",
			map[string]any{"resource_type": "folder", "resource_id": id})
	}
	return f
}

// optionalFolderLocked resolves a folder id that may be null (the root
// level, ""), answering 404 for an unknown one.
func (s *Server) optionalFolderLocked(w http.ResponseWriter, id *string) (string, bool) {
	if id == nil {
		return "", true
	}
	if s.folderLocked(w, *id) == nil {
		return "", false
	}
	return *id, true
}

// badFolderName answers 400 for a name the server refuses.
func badFolderName(w http.ResponseWriter, name string) bool {
	n := len([]rune(name))
	if strings.TrimSpace(name) == "" || n > 255 || strings.ContainsAny(name, "/\\\x00") {
		writeDetail(w, http.StatusBadRequest, []string{"body", "name"}, "name must be 1-255 characters without '/', '\\' or NUL", "value_error")
		return true
	}
	return false
}

// nameTakenLocked answers 409 when another folder under parentID has name.
func (s *Server) nameTakenLocked(w http.ResponseWriter, parentID, name, except string) bool {
	for _, f := range s.liveFoldersLocked() {
		if f.parentID == parentID && f.id != except && strings.EqualFold(f.name, name) {
			WriteError(w, http.StatusConflict, "FOLDER_NAME_EXISTS", "A folder named "+strconv.Quote(name)+" already exists at this level")
			return true
		}
	}
	return false
}

func (s *Server) handleListFolders(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	out := []any{}
	for _, f := range s.liveFoldersLocked() {
		out = append(out, s.folderJSON(f))
	}
	WriteJSON(w, http.StatusOK, map[string]any{"folders": out})
}

func (s *Server) handleCreateFolder(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name     string  `json:"name"`
		ParentID *string `json:"parent_id"`
	}
	if !ReadJSON(w, r, &body) || badFolderName(w, body.Name) {
		return
	}
	s.Lock()
	defer s.Unlock()
	parent, ok := s.optionalFolderLocked(w, body.ParentID)
	if !ok || s.nameTakenLocked(w, parent, body.Name, "") {
		return
	}
	now := time.Now()
	f := &folder{id: s.NewID("fld"), name: body.Name, parentID: parent, createdAt: now, updatedAt: now}
	s.state.folders.byID[f.id] = f
	s.state.folders.order = append(s.state.folders.order, f.id)
	WriteJSON(w, http.StatusCreated, s.folderJSON(f))
}

func (s *Server) handleGetFolder(w http.ResponseWriter, r *http.Request) {
	limit, offset, ok := pageParams(w, r, 50)
	if !ok {
		return
	}
	s.Lock()
	defer s.Unlock()
	f := s.folderLocked(w, r.PathValue("id"))
	if f == nil {
		return
	}
	subfolders := []any{}
	for _, c := range s.liveFoldersLocked() {
		if c.parentID == f.id {
			subfolders = append(subfolders, s.folderJSON(c))
		}
	}
	files := len(s.folderFileIDsLocked(f.id))
	WriteJSON(w, http.StatusOK, map[string]any{"folder": s.folderJSON(f), "breadcrumbs": s.breadcrumbsJSON(f),
		"subfolders": subfolders, "total_files": files, "has_more_files": offset+limit < files})
}

func (s *Server) handleFolderBreadcrumbs(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	if f := s.folderLocked(w, r.PathValue("id")); f != nil {
		WriteJSON(w, http.StatusOK, map[string]any{"breadcrumbs": s.breadcrumbsJSON(f)})
	}
}

func (s *Server) handleRenameFolder(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name string `json:"name"`
	}
	if !ReadJSON(w, r, &body) || badFolderName(w, body.Name) {
		return
	}
	s.Lock()
	defer s.Unlock()
	f := s.folderLocked(w, r.PathValue("id"))
	if f == nil || s.nameTakenLocked(w, f.parentID, body.Name, f.id) {
		return
	}
	f.name, f.updatedAt = body.Name, time.Now()
	WriteJSON(w, http.StatusOK, s.folderJSON(f))
}

func (s *Server) handleMoveFolder(w http.ResponseWriter, r *http.Request) {
	var body struct {
		NewParentID *string `json:"new_parent_id"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	s.Lock()
	defer s.Unlock()
	f := s.folderLocked(w, r.PathValue("id"))
	if f == nil {
		return
	}
	parent, depth := "", 0
	if body.NewParentID != nil {
		p := s.folderLocked(w, *body.NewParentID)
		if p == nil {
			return
		}
		for a := p; a != nil; a = s.state.folders.byID[a.parentID] {
			if a.id == f.id {
				WriteJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": "Cannot move a folder into itself or one of its descendants"})
				return
			}
		}
		parent, depth = p.id, s.folderDepthLocked(p)+1
	}
	if depth+s.subtreeHeightLocked(f) >= maxFolderDepth {
		WriteJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": "Move would exceed the maximum folder depth of 10"})
		return
	}
	if s.nameTakenLocked(w, parent, f.name, f.id) {
		return
	}
	f.parentID, f.updatedAt = parent, time.Now()
	WriteJSON(w, http.StatusOK, s.folderJSON(f))
}

func (s *Server) handleDeleteFolder(w http.ResponseWriter, r *http.Request) {
	mode := r.URL.Query().Get("mode")
	if mode == "" {
		mode = "move_to_parent"
	}
	if mode != "move_to_parent" && mode != "delete_all" {
		queryError(w, "mode", "mode must be move_to_parent or delete_all")
		return
	}
	s.Lock()
	defer s.Unlock()
	f := s.folderLocked(w, r.PathValue("id"))
	if f == nil {
		return
	}
	files, subfolders := 0, 0
	if mode == "move_to_parent" {
		files, subfolders = s.emptyIntoParentLocked(f)
	} else {
		files, subfolders = s.deleteSubtreeLocked(f)
	}
	delete(s.state.folders.byID, f.id)
	WriteJSON(w, http.StatusOK, map[string]any{"id": f.id, "files_affected": files, "subfolders_affected": subfolders, "mode": mode})
}

// emptyIntoParentLocked moves f's files and direct subfolders to f's parent.
func (s *Server) emptyIntoParentLocked(f *folder) (files, subfolders int) {
	for _, id := range s.folderFileIDsLocked(f.id) {
		s.state.files.byID[id].FolderID = f.parentID
		files++
	}
	for _, c := range s.liveFoldersLocked() {
		if c.parentID == f.id {
			c.parentID = f.parentID
			subfolders++
		}
	}
	return files, subfolders
}

// deleteSubtreeLocked deletes every folder below f and every file in f or below.
func (s *Server) deleteSubtreeLocked(f *folder) (files, subfolders int) {
	for _, id := range s.folderFileIDsLocked(f.id) {
		s.deleteLocked(s.state.files.byID[id])
		files++
	}
	for _, c := range s.liveFoldersLocked() {
		if c.parentID == f.id {
			cf, cs := s.deleteSubtreeLocked(c)
			delete(s.state.folders.byID, c.id)
			files, subfolders = files+cf, subfolders+cs+1
		}
	}
	return files, subfolders
}

func (s *Server) handleMoveFiles(w http.ResponseWriter, r *http.Request) {
	var body struct {
		FileIDs  []string `json:"file_ids"`
		FolderID *string  `json:"folder_id"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	if len(body.FileIDs) == 0 || len(body.FileIDs) > 100 {
		WriteError(w, http.StatusBadRequest, "VALIDATION_ERROR", "file_ids must hold 1-100 ids")
		return
	}
	s.Lock()
	defer s.Unlock()
	target, ok := s.optionalFolderLocked(w, body.FolderID)
	if !ok {
		return
	}
	moved := 0
	for _, id := range body.FileIDs {
		if f := s.state.files.byID[id]; f != nil && !f.Deleted {
			f.FolderID = target
			moved++
		}
	}
	WriteJSON(w, http.StatusOK, map[string]any{"moved": moved, "total_requested": len(body.FileIDs)})
}
