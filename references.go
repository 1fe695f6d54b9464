package scopix

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Chat answers and agent summaries cite what they found with markup inside
// the text (documented (predecessor sdk/python/aion/_references.py and
// api/chat.md)):
//
//	[[ref:KEY]]                 → the count of result_refs[KEY]
//	[[img:ID|filename]]         → filename
//	[[doc:ID|filename]]         → filename
//	[[doc:ID|filename|p:5]]     → filename (p.5)
//	[[doc:ID|filename|pp:3-7]]  → filename (pp.3-7)
//	[[link:ID|title]]           → title
//
// ID is a short prefix of the file's id. The metadata keys below carry what
// the markup refers to; the shapes of tool_document_data and tool_link_data
// are not documented and are read tolerantly (inferred).
const (
	metaResultRefs   = "result_refs"        // documented (predecessor api/agents.md, _references.py)
	metaImageContext = "image_context"      // documented (predecessor api/chat.md, _references.py)
	metaDocumentData = "tool_document_data" // documented name (predecessor _references.py); shape inferred
	metaLinkData     = "tool_link_data"     // documented name (predecessor _references.py); shape inferred
)

// ResolveContent returns content with every citation marker replaced by
// plain text, as the Python SDK's resolve_content does: [[ref:KEY]] by the
// count of metadata["result_refs"][KEY] (a key the metadata does not hold
// resolves to nothing), [[img:ID|name]] by name, [[doc:ID|name]] by name,
// with "|p:5" as "name (p.5)" and "|pp:3-7" as "name (pp.3-7)", and
// [[link:ID|title]] by title. Text that is not a well-formed marker is left
// as it is. metadata may be nil; only its "result_refs" entry is used, in
// the JSON shape the API sends or as map[string]ResultRef.
func ResolveContent(content string, metadata map[string]any) string {
	if !strings.Contains(content, "[[") {
		return content
	}
	refs := resultRefsOf(metadata)
	return scanCitations(content, func(c citation) string { return c.plain(refs) })
}

// ParseReferences lists the citations of content in the order they appear,
// one entry per distinct marker, as the Python SDK's parse_references does.
// Full ids are found by id prefix in metadata: images in "image_context",
// documents in "tool_document_data", links in "tool_link_data" (with their
// source URL and domain). Counts holds the result_refs entry of every
// [[ref:KEY]] the metadata resolves, keyed by KEY. metadata may be nil.
func ParseReferences(content string, metadata map[string]any) References {
	var out References
	if !strings.Contains(content, "[[") {
		return out
	}
	refs := resultRefsOf(metadata)
	var images, docs, links []map[string]any
	seen := map[string]bool{}
	scanCitations(content, func(c citation) string {
		if seen[c.raw] {
			return ""
		}
		seen[c.raw] = true
		switch c.kind {
		case "ref":
			if r, ok := lookupResultRef(refs, c.id); ok {
				if out.Counts == nil {
					out.Counts = map[string]ResultRef{}
				}
				out.Counts[c.id] = r
			}
		case "img":
			images = objectsOnce(images, metadata, metaImageContext)
			out.Images = append(out.Images, ImageRef{IDPrefix: c.id, Filename: c.name,
				FullID: fullID(images, c.id, "image_id", "id")})
		case "doc":
			docs = objectsOnce(docs, metadata, metaDocumentData)
			out.Documents = append(out.Documents, c.documentRef(docs))
		case "link":
			links = objectsOnce(links, metadata, metaLinkData)
			out.Links = append(out.Links, c.linkRef(links))
		}
		return ""
	})
	return out
}

// References are the citations of a chat answer or agent summary.
type References struct {
	Images    []ImageRef           // [[img:…]] markers
	Documents []DocumentRef        // [[doc:…]] markers
	Links     []LinkRef            // [[link:…]] markers
	Counts    map[string]ResultRef // [[ref:KEY]] markers the metadata resolves, by KEY
}

// HasReferences reports whether any citation was found.
func (r References) HasReferences() bool {
	return len(r.Images)+len(r.Documents)+len(r.Links)+len(r.Counts) > 0
}

// ImageRef is an [[img:ID|filename]] citation.
type ImageRef struct {
	IDPrefix string // the short id in the markup
	Filename string
	FullID   string // from the metadata's image_context; empty when not found
}

// DocumentRef is a [[doc:ID|filename]] citation, optionally with a page or
// a page range.
type DocumentRef struct {
	IDPrefix  string
	Filename  string
	FullID    string // from the metadata's tool_document_data; empty when not found
	Page      int    // "p:N"; 0 when none
	PageStart int    // "pp:N-M"; 0 when none
	PageEnd   int
}

// LinkRef is a [[link:ID|title]] citation of a saved website link.
type LinkRef struct {
	IDPrefix  string
	Title     string
	FullID    string // from the metadata's tool_link_data; empty when not found
	SourceURL string
	Domain    string
}

// ResultRef is what a [[ref:KEY]] marker stands for: a set of results an
// agent found (documented (predecessor openapi ResultRefData)).
type ResultRef struct {
	Count    int      `json:"count"`
	IDs      []string `json:"ids"`
	ImageIDs []string `json:"image_ids"` // the ids again when IDType is image, else empty
	IDType   string   `json:"id_type"`   // image, document, chunk, video or link
	Label    string   `json:"label"`     // e.g. "images"
}

// citation is one well-formed marker.
type citation struct {
	raw        string // the marker as written, brackets included
	kind       string // ref, img, doc or link
	id         string // the id prefix, or the ref key
	name       string // filename or title
	pageSuffix string // " (p.5)", " (pp.3-7)" or ""
	page       int
	pageStart  int
	pageEnd    int
}

// scanCitations copies content, replacing each well-formed marker with
// what replace returns. A marker is the text between "[[" and the next
// "]]"; when several "[[" precede that "]]", the innermost one opens it.
func scanCitations(content string, replace func(citation) string) string {
	var b strings.Builder
	b.Grow(len(content))
	rest := content
	for {
		end := strings.Index(rest, "]]")
		if end < 0 {
			break
		}
		start := strings.LastIndex(rest[:end], "[[")
		if start < 0 {
			b.WriteString(rest[:end+2])
			rest = rest[end+2:]
			continue
		}
		c, ok := parseCitation(rest[start+2 : end])
		if !ok {
			b.WriteString(rest[:end+2])
			rest = rest[end+2:]
			continue
		}
		c.raw = rest[start : end+2]
		b.WriteString(rest[:start])
		b.WriteString(replace(c))
		rest = rest[end+2:]
	}
	b.WriteString(rest)
	return b.String()
}

// parseCitation reads the inside of a marker, e.g. "doc:ab12|spec.pdf|p:5".
func parseCitation(inner string) (citation, bool) {
	kind, rest, ok := strings.Cut(inner, ":")
	if !ok {
		return citation{}, false
	}
	c := citation{kind: kind}
	switch kind {
	case "ref":
		c.id = rest
		return c, strings.TrimSpace(rest) != ""
	case "img", "link":
		c.id, c.name, ok = strings.Cut(rest, "|")
	case "doc":
		c.id, c.name, ok = strings.Cut(rest, "|")
		if ok {
			c.splitPages()
		}
	default:
		return citation{}, false
	}
	return c, ok && strings.TrimSpace(c.id) != "" && c.name != ""
}

// splitPages takes a trailing "|p:N" or "|pp:N-M" off a document's name.
func (c *citation) splitPages() {
	i := strings.LastIndexByte(c.name, '|')
	if i < 0 {
		return
	}
	suffix := c.name[i+1:]
	if n, ok := strings.CutPrefix(suffix, "p:"); ok && isDigits(n) {
		c.page, _ = strconv.Atoi(n)
		c.pageSuffix = " (p." + n + ")"
	} else if r, ok := strings.CutPrefix(suffix, "pp:"); ok {
		from, to, dash := strings.Cut(r, "-")
		if !dash || !isDigits(from) || !isDigits(to) {
			return
		}
		c.pageStart, _ = strconv.Atoi(from)
		c.pageEnd, _ = strconv.Atoi(to)
		c.pageSuffix = " (pp." + from + "-" + to + ")"
	} else {
		return
	}
	c.name = c.name[:i]
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// plain is the marker's text for a reader.
func (c citation) plain(refs map[string]ResultRef) string {
	if c.kind == "ref" {
		if r, ok := lookupResultRef(refs, c.id); ok {
			return strconv.Itoa(r.Count)
		}
		return ""
	}
	return c.name + c.pageSuffix
}

func (c citation) documentRef(docs []map[string]any) DocumentRef {
	d := DocumentRef{IDPrefix: c.id, Filename: c.name, Page: c.page, PageStart: c.pageStart, PageEnd: c.pageEnd}
	if obj := findByPrefix(docs, c.id, "document_id", "id"); obj != nil {
		d.FullID = firstString(obj, "document_id", "id")
	}
	return d
}

func (c citation) linkRef(links []map[string]any) LinkRef {
	l := LinkRef{IDPrefix: c.id, Title: c.name}
	if obj := findByPrefix(links, c.id, "link_id", "id"); obj != nil {
		l.FullID = firstString(obj, "link_id", "id")
		l.SourceURL = firstString(obj, "source_url", "url")
		l.Domain = firstString(obj, "domain")
	}
	return l
}

// lookupResultRef finds KEY, or "ref:KEY": the video search example keys
// its result_refs "ref:0" for the marker [[ref:0]] (documented
// (predecessor api/agents.md)).
func lookupResultRef(refs map[string]ResultRef, key string) (ResultRef, bool) {
	if r, ok := refs[key]; ok {
		return r, true
	}
	r, ok := refs["ref:"+key]
	return r, ok
}

// resultRefsOf reads metadata["result_refs"], whether it holds decoded
// JSON or ResultRef values. Entries that are not result refs are skipped.
func resultRefsOf(metadata map[string]any) map[string]ResultRef {
	switch v := metadata[metaResultRefs].(type) {
	case nil:
		return nil
	case map[string]ResultRef:
		return v
	case map[string]*ResultRef:
		out := make(map[string]ResultRef, len(v))
		for k, r := range v {
			if r != nil {
				out[k] = *r
			}
		}
		return out
	case map[string]any:
		out := make(map[string]ResultRef, len(v))
		for k, raw := range v {
			var r ResultRef
			if reJSON(raw, &r) {
				out[k] = r
			}
		}
		return out
	default:
		var out map[string]ResultRef
		reJSON(v, &out)
		return out
	}
}

// objectsOnce reads metadata[key] into objects the first time it is needed.
func objectsOnce(cached []map[string]any, metadata map[string]any, key string) []map[string]any {
	if cached != nil {
		return cached
	}
	objs := objectsOf(metadata[key])
	if objs == nil {
		objs = []map[string]any{}
	}
	return objs
}

// objectsOf reads a list of objects, or an object of objects keyed by id
// (the key becomes "id" when the object has none).
func objectsOf(v any) []map[string]any {
	if v == nil {
		return nil
	}
	var list []map[string]any
	if reJSON(v, &list) {
		return list
	}
	var byID map[string]map[string]any
	if !reJSON(v, &byID) {
		return nil
	}
	for id, obj := range byID {
		if obj == nil {
			continue
		}
		if _, ok := obj["id"]; !ok {
			obj["id"] = id
		}
		list = append(list, obj)
	}
	return list
}

// findByPrefix returns the first object whose id (under one of keys)
// starts with prefix, ignoring case.
func findByPrefix(objs []map[string]any, prefix string, keys ...string) map[string]any {
	prefix = strings.ToLower(strings.TrimSpace(prefix))
	for _, obj := range objs {
		if id := firstString(obj, keys...); id != "" && strings.HasPrefix(strings.ToLower(id), prefix) {
			return obj
		}
	}
	return nil
}

func fullID(objs []map[string]any, prefix string, keys ...string) string {
	if obj := findByPrefix(objs, prefix, keys...); obj != nil {
		return firstString(obj, keys...)
	}
	return ""
}

func firstString(obj map[string]any, keys ...string) string {
	for _, k := range keys {
		if s, ok := obj[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

// reJSON converts v (decoded JSON or Go values) into out through JSON.
func reJSON(v, out any) bool {
	data, err := json.Marshal(v)
	if err != nil {
		return false
	}
	return json.Unmarshal(data, out) == nil
}

// resolvedText is the text a reader sees: the server's resolved text when
// it sent one, else content, with any marker left in it resolved.
func resolvedText(content, serverResolved string, metadata map[string]any) string {
	if serverResolved != "" {
		return ResolveContent(serverResolved, metadata)
	}
	return ResolveContent(content, metadata)
}

// withImageContext adds images as metadata["image_context"] when metadata
// has none, without changing metadata itself.
func withImageContext(metadata map[string]any, images []ImageReference) map[string]any {
	if len(images) == 0 {
		return metadata
	}
	if _, ok := metadata[metaImageContext]; ok {
		return metadata
	}
	out := make(map[string]any, len(metadata)+1)
	for k, v := range metadata {
		out[k] = v
	}
	out[metaImageContext] = images
	return out
}
