package scopix_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	scopix "github.com/scopix/scopix-go"
)

// The conformance table decodes the REST reference's own response examples
// (testdata/conformance, one file per example, copied verbatim) into the
// types the SDK decodes those answers into. Every key of every object, at
// any depth, must land in a field — directly by its json tag, or through
// one of the aliases the type's UnmarshalJSON accepts — or be listed in
// notModelled with the reason. A documented field the SDK drops by
// accident therefore fails here, as does an alias its decoder forgets.

// conformanceCase is one documented response example.
type conformanceCase struct {
	file   string       // under testdata/conformance
	source string       // the reference file and section it was copied from
	into   reflect.Type // the type the SDK decodes this answer into
}

// as names the type a fixture decodes into.
func as[T any]() reflect.Type { return reflect.TypeFor[T]() }

var conformanceCases = []conformanceCase{
	{"files_list.json", "predecessor api/files.md, GET /user-files (Scopix GET files)", as[scopix.FileList]()},
	{"files_get.json", "predecessor api/files.md, GET /user-files/{file_id} (Scopix GET files/{id})", as[scopix.FileDetails]()},
	{"files_update.json", "predecessor api/files.md, PATCH /user-files/{file_id}", as[scopix.FileUpdateResult]()},
	{"files_delete.json", "predecessor api/files.md, DELETE /user-files/{file_id}", as[scopix.FileDeleteResult]()},
	{"files_batch_delete.json", "predecessor api/files.md, POST /user-files/batch-delete", as[scopix.BatchDeleteResult]()},
	{"files_upload.json", "predecessor api/uploads.md, POST /user-files/upload/stream (Scopix POST files/upload)", as[scopix.UploadResult]()},
	{"files_upload_batch.json", "predecessor api/uploads.md, POST /user-files/upload/stream-batch (Scopix POST files/upload/batch)", as[scopix.BatchUploadResponseWire]()},
	{"files_status_document.json", "predecessor api/documents.md, GET /document-uploads/{document_id}/status (Scopix GET files/{id}/status, inferred)", as[scopix.ProcessingStatus]()},
	{"files_status_unified.json", "predecessor api/uploads.md, GET /uploads/stuck-uploads, images[0] (UnifiedImageStatusResponse; Scopix GET files/{id}/status, inferred)", as[scopix.ProcessingStatus]()},
	{"files_chunks.json", "predecessor api/documents.md, GET /documents/{document_id}/chunks (Scopix GET files/{id}/chunks)", as[scopix.DocumentChunks]()},
	{"documents_search.json", "predecessor api/documents.md, POST /documents/search", as[scopix.DocumentSearchResults]()},
	{"uploads_check_duplicates.json", "predecessor api/uploads.md, POST /uploads/check-duplicates", as[scopix.DuplicateCheck]()},
	{"uploads_quota_check.json", "predecessor api/uploads.md, GET /uploads/quota-check", as[scopix.QuotaInfo]()},
	{"uploads_session_status.json", "predecessor api/uploads.md, GET /uploads/sessions/{session_id}/status", as[scopix.UploadSession]()},
	{"uploads_session_results.json", "predecessor api/uploads.md, GET /uploads/sessions/{session_id}/results", as[scopix.SessionResultsPage]()},

	{"video_initiate.json", "predecessor api/videos.md, POST /video-uploads/initiate", as[scopix.VideoUploadSessionWire]()},
	{"video_chunk_retry.json", "predecessor api/videos.md, POST /video-uploads/chunks/retry", as[scopix.VideoChunkRetryWire]()},
	{"video_complete.json", "predecessor api/videos.md, POST /video-uploads/complete", as[scopix.VideoUploadResult]()},
	{"video_progress.json", "predecessor api/videos.md, GET /video-uploads/progress/{media_id}", as[scopix.VideoUploadProgress]()},
	{"video_abort.json", "predecessor api/videos.md, POST /video-uploads/abort", as[scopix.VideoAbortResult]()},
	{"video_analysis_job.json", "predecessor api/videos.md, GET /video-analysis/jobs/{analysis_job_id}", as[scopix.VideoAnalysisJob]()},
	{"video_analysis_retry.json", "predecessor api/videos.md, POST /video-analysis/jobs/{analysis_job_id}/retry", as[scopix.RetryAnalysisResult]()},
	{"video_analysis_queue.json", "predecessor api/videos.md, POST /video-analysis/queue", as[scopix.QueueAnalysisResult]()},
	{"video_scenes.json", "predecessor api/videos.md, GET /videos/{video_id}/scenes", as[scopix.VideoSceneList]()},

	{"chat_session_create.json", "predecessor api/chat.md, POST /chat/sessions", as[scopix.ChatSession]()},
	{"chat_sessions_list.json", "predecessor api/chat.md, GET /chat/sessions", as[scopix.ChatSessionList]()},
	{"chat_send.json", "predecessor api/chat.md, POST /chat/sessions/{id}/messages", as[scopix.ChatResponse]()},
	{"chat_session_get.json", "predecessor api/chat.md, GET /chat/sessions/{id}", as[scopix.ChatSessionDetail]()},
	{"chat_set_images.json", "predecessor api/chat.md, PUT /chat/sessions/{id}/images", as[scopix.SessionImagesResult]()},
	{"chat_set_documents.json", "predecessor api/chat.md, PUT /chat/sessions/{id}/documents", as[scopix.SessionDocumentsResult]()},
	{"chat_set_videos.json", "predecessor api/chat.md, PUT /chat/sessions/{id}/videos", as[scopix.SessionVideosResult]()},
	{"chat_rename.json", "predecessor api/chat.md, PATCH /chat/sessions/{id}/title", as[scopix.SessionRenameResult]()},
	{"chat_images_all.json", "predecessor api/chat.md, GET /chat/images/all", as[scopix.ChatImageList]()},
	{"chat_images_search.json", "predecessor api/chat.md, POST /chat/images/search", as[scopix.ChatImageSearchResult]()},

	{"agents_search_images.json", "predecessor api/agents.md, POST /agents/search/images", as[scopix.AgentImageSearchResult]()},
	{"agents_search_documents.json", "predecessor api/agents.md, POST /agents/search/documents", as[scopix.AgentDocumentSearchResult]()},
	{"agents_search_videos.json", "predecessor api/agents.md, POST /agents/search/videos", as[scopix.AgentVideoSearchResult]()},
	{"agents_synthesize.json", "predecessor api/agents.md, POST /agents/synthesize", as[scopix.SynthesizeResult]()},
	{"agents_analyze_documents.json", "predecessor api/agents.md, POST /agents/analyze/documents", as[scopix.DocumentAnalysisResult]()},
	{"agents_organize.json", "predecessor api/agents.md, POST /agents/organize", as[scopix.OrganizeResult]()},
	{"agents_pipeline.json", "predecessor api/agents.md, POST /agents/pipeline", as[scopix.PipelineResult]()},

	{"cloud_auth.json", "predecessor api/cloud-storage.md, POST /cloud-storage/auth/{provider}", as[scopix.InitiateAuthResult]()},
	{"cloud_callback.json", "predecessor api/cloud-storage.md, POST /cloud-storage/auth/{provider}/callback", as[scopix.CompleteAuthResult]()},
	{"cloud_connections.json", "predecessor api/cloud-storage.md, GET /cloud-storage/connections", as[scopix.ConnectionList]()},
	{"cloud_disconnect.json", "predecessor api/cloud-storage.md, DELETE /cloud-storage/connections/{connection_id}", as[scopix.DisconnectResult]()},
	{"cloud_import.json", "predecessor api/cloud-storage.md, POST /cloud-storage/import", as[scopix.ImportResult]()},
	{"cloud_export.json", "predecessor api/cloud-storage.md, POST /cloud-storage/export", as[scopix.ExportResult]()},
	{"cloud_job.json", "predecessor api/cloud-storage.md, GET /cloud-storage/jobs/{job_id}", as[cloudJobEnvelope]()},

	{"s3_config_configure.json", "predecessor api/settings.md, POST /tenant/s3-config", as[scopix.S3ConfigStatus]()},
	{"s3_config_status.json", "predecessor api/settings.md, GET /tenant/s3-config", as[scopix.S3ConfigStatus]()},
	{"s3_config_validate.json", "predecessor api/settings.md, POST /tenant/s3-config/validate", as[scopix.S3ValidationResult]()},
	{"s3_config_remove.json", "predecessor api/settings.md, DELETE /tenant/s3-config", as[scopix.S3RemoveResult]()},

	{"folders_list.json", "predecessor api/folders.md, GET /folders", as[scopix.FolderList]()},
	{"folders_get.json", "predecessor api/folders.md, GET /folders/{folder_id}", as[scopix.FolderContents]()},
	{"folders_create.json", "predecessor api/folders.md, POST /folders", as[scopix.Folder]()},
	{"folders_delete.json", "predecessor api/folders.md, DELETE /folders/{folder_id}", as[scopix.FolderDeleteResult]()},
	{"folders_move_files.json", "predecessor api/folders.md, POST /folders/move-files", as[scopix.MoveFilesResult]()},
	{"folders_breadcrumbs.json", "predecessor api/folders.md, GET /folders/{folder_id}/breadcrumbs", as[scopix.FolderBreadcrumbs]()},

	{"colors_get.json", "predecessor api/colors.md, GET /colors/images/{image_id}", as[scopix.ColorExtraction]()},
	{"colors_extract.json", "predecessor api/colors.md, POST /colors/images/{image_id}/extract", as[scopix.ColorExtraction]()},
	{"colors_batch_extract.json", "predecessor api/colors.md, POST /colors/batch/extract", as[scopix.BatchColorExtraction]()},
	{"colors_search.json", "predecessor api/colors.md, POST /colors/search", as[scopix.ColorSearchResults]()},
	{"colors_families.json", "predecessor api/colors.md, GET /colors/families", as[[]scopix.ColorFamilyInfo]()},

	{"links_create.json", "predecessor api/files.md, POST /user-files/links (Scopix POST files/links)", as[scopix.LinkCreateResult]()},
	{"links_recrawl.json", "predecessor api/files.md, POST /user-files/{link_id}/recrawl", as[scopix.LinkRecrawlResult]()},
	{"files_trigger_variants.json", "predecessor api/files.md, POST /user-files/{file_id}/trigger-variants", as[scopix.VariantGeneration]()},

	{"usage_summary.json", "predecessor api/usage.md, GET /usage/summary", as[scopix.UsageSummary]()},
	{"usage_by_period.json", "predecessor api/usage.md, GET /usage/by-period", as[scopix.UsageTimeSeries]()},
	{"usage_details.json", "predecessor api/usage.md, GET /usage/details", as[scopix.UsageDetailsPage]()},
	{"usage_check.json", "predecessor api/usage.md, POST /usage/check", as[scopix.UsageCheck]()},
	{"usage_breakdown.json", "predecessor api/usage.md, GET /usage/breakdown", as[scopix.UsageBreakdown]()},
	{"usage_plan.json", "predecessor api/usage.md, GET /usage/plan (abbreviated example)", as[scopix.PlanUsage]()},
	{"usage_tokens_monthly.json", "predecessor api/usage.md, GET /usage/tokens/monthly", as[scopix.MonthlyTokenUsage]()},
	{"usage_tokens_files.json", "predecessor api/usage.md, GET /usage/tokens/files", as[scopix.FileTokenUsagePage]()},
	{"usage_tokens_conversations.json", "predecessor api/usage.md, GET /usage/tokens/conversations", as[scopix.ConversationTokenUsagePage]()},
	{"usage_dashboard.json", "predecessor api/usage.md, GET /usage/dashboard-analytics", as[scopix.DashboardAnalytics]()},

	{"tenant_settings.json", "predecessor api/settings.md, GET /tenant/settings", as[scopix.TenantSettings]()},
	{"tenant_limits.json", "predecessor api/settings.md, GET /tenant/limits", as[scopix.TenantLimits]()},
	{"tenant_members.json", "predecessor api/settings.md, GET /tenant/members", as[[]scopix.TenantMember]()},
	{"tenant_invite.json", "predecessor api/settings.md, POST /tenant/members/invite", as[scopix.TenantMember]()},
	{"tenant_audit_logs.json", "predecessor api/settings.md, GET /tenant/audit-logs", as[scopix.AuditLogList]()},
}

// cloudJobEnvelope is the documented {"job": {...}} wrapper GetJob unwraps.
type cloudJobEnvelope struct {
	Job scopix.CloudStorageJob `json:"job"`
}

// aliases lists, per type, the JSON keys its UnmarshalJSON accepts besides
// the json tags, and the Go field each one fills.
var aliases = map[reflect.Type]map[string]string{
	as[scopix.FileList]():         {"files": "Items"},
	as[scopix.ChatSessionList]():  {"sessions": "Items"},
	as[scopix.ChatSession]():      {"session_id": "ID"},
	as[scopix.ProcessingStatus](): {"image_id": "FileID"},
}

// notModelled lists, per type, the documented fields the SDK deliberately
// does not decode, and why.
var notModelled = map[reflect.Type]map[string]string{
	as[scopix.BatchUploadResponseWire](): {
		"status_url":        "the SDK builds the session path itself (uploads/sessions/{id}/status)",
		"websocket_channel": "the SDK polls; it has no WebSocket client",
	},
	as[scopix.VideoUploadSessionWire](): {
		"storage_path": "where the server will store the video; nothing a caller can act on",
		"expires_at":   "a chunk whose URL expired fails its PUT and gets a fresh URL from chunks/retry",
	},
	as[scopix.VideoChunkURLWire](): {
		"upload_method": "always PUT (documented); the SDK does not support another method",
		"expires_at":    "an expired URL fails its PUT, which then asks chunks/retry for a fresh one",
	},
	as[scopix.VideoChunkRetryWire](): {
		"chunk_number": "the SDK asked for this chunk; it knows the number",
		"expires_at":   "the fresh URL is used at once",
	},
}

func TestConformance_ReferenceExamplesDecodeWithoutLoss(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, tc := range conformanceCases {
		t.Run(strings.TrimSuffix(tc.file, ".json"), func(t *testing.T) {
			t.Parallel()
			require.NotEmpty(t, tc.source, "every fixture records where it came from")
			data, err := os.ReadFile(filepath.Join("testdata", "conformance", tc.file))
			require.NoError(t, err)
			var doc any
			require.NoError(t, json.Unmarshal(data, &doc), "the fixture is JSON")

			w := &conformanceWalker{}
			pruned := w.walk(tc.into, doc, tc.into.String())
			assert.Empty(t, w.unknown, "documented fields the SDK does not model (add them, or list them in notModelled with the reason)")

			// The answer, without the fields deliberately not modelled,
			// decodes with unknown fields disallowed.
			stripped, err := json.Marshal(pruned)
			require.NoError(t, err)
			dec := json.NewDecoder(bytes.NewReader(stripped))
			dec.DisallowUnknownFields()
			out := reflect.New(tc.into)
			require.NoError(t, dec.Decode(out.Interface()), "the SDK decodes the documented answer")

			// Every documented value that is not zero reaches its field.
			w.missing = nil
			w.populated(out.Elem(), pruned, tc.into.String())
			assert.Empty(t, w.missing, "documented values the decoder drops")
		})
		seen[tc.file] = true
	}
	files, err := filepath.Glob(filepath.Join("testdata", "conformance", "*.json"))
	require.NoError(t, err)
	for _, f := range files {
		assert.True(t, seen[filepath.Base(f)], "fixture %s has no row in the conformance table", f)
	}
}

// conformanceWalker walks a decoded JSON document along a Go type.
type conformanceWalker struct {
	unknown []string // JSON paths with no field, alias or reason
	missing []string // JSON paths whose non-zero value did not arrive
}

var (
	timeType = reflect.TypeFor[scopix.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
)

// opaque reports whether t keeps its JSON as it is (free-form maps, any,
// raw messages, timestamps), so there is nothing below it to check.
func opaque(t reflect.Type) bool {
	return t == timeType || t == rawType || t.Kind() == reflect.Interface ||
		t.Kind() == reflect.Map && t.Elem().Kind() == reflect.Interface
}

// walk records every key of v that t cannot hold and returns v without the
// keys listed in notModelled.
func (w *conformanceWalker) walk(t reflect.Type, v any, path string) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil || opaque(t) {
		return v
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(obj))
		for _, key := range sortedKeys(obj) {
			if reason, skip := notModelled[t][key]; skip && reason != "" {
				continue
			}
			f, ok := fieldFor(t, key)
			if !ok {
				w.unknown = append(w.unknown, path+"."+key)
				continue
			}
			out[key] = w.walk(f.Type, obj[key], path+"."+key)
		}
		return out
	case reflect.Slice, reflect.Array:
		list, ok := v.([]any)
		if !ok {
			return v
		}
		out := make([]any, len(list))
		for i, item := range list {
			out[i] = w.walk(t.Elem(), item, fmt.Sprintf("%s[%d]", path, i))
		}
		return out
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(obj))
		for k, item := range obj {
			out[k] = w.walk(t.Elem(), item, path+"."+k)
		}
		return out
	}
	return v
}

// populated records every non-zero JSON value in v whose field in rv stayed zero.
func (w *conformanceWalker) populated(rv reflect.Value, v any, path string) {
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			if !zeroJSON(v) {
				w.missing = append(w.missing, path)
			}
			return
		}
		rv = rv.Elem()
	}
	if zeroJSON(v) {
		return
	}
	if rv.IsZero() {
		w.missing = append(w.missing, path)
		return
	}
	if opaque(rv.Type()) {
		return
	}
	switch rv.Kind() {
	case reflect.Struct:
		obj, _ := v.(map[string]any)
		for key, item := range obj {
			if f, ok := fieldFor(rv.Type(), key); ok {
				w.populated(rv.FieldByIndex(f.Index), item, path+"."+key)
			}
		}
	case reflect.Slice, reflect.Array:
		list, _ := v.([]any)
		if rv.Len() != len(list) {
			w.missing = append(w.missing, fmt.Sprintf("%s (%d items decoded of %d)", path, rv.Len(), len(list)))
			return
		}
		for i, item := range list {
			w.populated(rv.Index(i), item, fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		obj, _ := v.(map[string]any)
		for k, item := range obj {
			if mv := rv.MapIndex(reflect.ValueOf(k)); mv.IsValid() {
				w.populated(mv, item, path+"."+k)
			} else {
				w.missing = append(w.missing, path+"."+k)
			}
		}
	}
}

// fieldFor finds the field of t that the JSON key fills: by json tag (also
// in embedded structs, as encoding/json does) or by an alias of t.
func fieldFor(t reflect.Type, key string) (reflect.StructField, bool) {
	if name, ok := aliases[t][key]; ok {
		return t.FieldByName(name)
	}
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous && f.Type.Kind() == reflect.Struct && f.Tag.Get("json") == "" {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if name == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// zeroJSON reports whether a decoded JSON value is null, false, 0, "" or empty.
func zeroJSON(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case float64:
		return x == 0
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// lossyPage decodes its items but forgets its total: the kind of custom
// decoder the population check exists for.
type lossyPage struct {
	Items []struct {
		ID string `json:"id"`
	} `json:"items"`
	Total int `json:"total"`
}

func (p *lossyPage) UnmarshalJSON(data []byte) error {
	var aux struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	err := json.Unmarshal(data, &aux)
	p.Items = aux.Items
	return err
}

func TestConformance_WalkerFindsWhatIsLost(t *testing.T) {
	t.Parallel()
	type nested struct {
		B int `json:"b"`
	}
	type outer struct {
		A      int      `json:"a"`
		Nested []nested `json:"nested"`
	}
	var doc any
	require.NoError(t, json.Unmarshal([]byte(`{"a":1,"nested":[{"b":2,"c":3}],"d":null}`), &doc))
	w := &conformanceWalker{}
	w.walk(as[outer](), doc, "outer")
	assert.Equal(t, []string{"outer.d", "outer.nested[0].c"}, w.unknown, "unknown keys are found at any depth")

	require.NoError(t, json.Unmarshal([]byte(`{"items":[{"id":"x"}],"total":4}`), &doc))
	var page lossyPage
	require.NoError(t, json.Unmarshal([]byte(`{"items":[{"id":"x"}],"total":4}`), &page))
	w = &conformanceWalker{}
	w.walk(as[lossyPage](), doc, "page")
	assert.Empty(t, w.unknown)
	w.populated(reflect.ValueOf(page), doc, "page")
	assert.Equal(t, []string{"page.total"}, w.missing, "a value a custom decoder drops is found")
}
