package fakeapi

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Saved website links, answered as the reference (predecessor
// api/files.md, "Website Links") shows: a link is a file of media type
// "link" in the file store, so the files routes list, get, update and
// delete it; creating and recrawling have their own routes. A crawl is
// queued for one JobStepDelay, processing for another, then completes
// (or fails, after FailLinkCrawl). Recrawls are limited to one per hour.

type linksState struct {
	byID map[string]*linkInfo
}

func (st *linksState) init() { st.byID = map[string]*linkInfo{} }

type linkInfo struct {
	url, domain string
	crawlStart  time.Time // zero: never crawled (auto_crawl false)
	lastRecrawl time.Time
	failReason  string
}

// FailLinkCrawl makes the crawls of a saved link fail with reason.
func (s *Server) FailLinkCrawl(linkID, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l := s.state.links.byID[linkID]; l != nil {
		l.failReason = reason
	}
}

// linksRoutes are the routes links.go serves.
func (s *Server) linksRoutes() []route {
	return []route{
		{"POST /files/links", s.handleCreateLink},
		{"POST /files/{id}/recrawl", s.handleRecrawlLink},
	}
}

// crawlStatus is the crawl state of a link now.
func (s *Server) crawlStatus(l *linkInfo, now time.Time) string {
	step := s.opts.JobStepDelay
	switch {
	case l.crawlStart.IsZero():
		return "pending"
	case step > 0 && now.Sub(l.crawlStart) < step:
		return "queued"
	case step > 0 && now.Sub(l.crawlStart) < 2*step:
		return "processing"
	case l.failReason != "":
		return "failed"
	}
	return "completed"
}

// linkFieldsLocked adds a link's own fields to its file JSON.
func (s *Server) linkFieldsLocked(f *File, m map[string]any, now time.Time) {
	l := s.state.links.byID[f.ID]
	if l == nil {
		return
	}
	status := s.crawlStatus(l, now)
	m["source_url"], m["domain"], m["crawl_status"] = l.url, l.domain, status
	m["og_metadata"], m["favicon_url"], m["page_title"], m["crawl_error"], m["crawled_at"] = nil, nil, nil, nil, nil
	m["extracted_images"], m["extracted_images_count"] = []any{}, 0
	switch status {
	case "completed":
		og := map[string]any{"title": "Page at " + l.domain, "description": "The page saved from " + l.url,
			"image_url": "https://" + l.domain + "/og.png", "site_name": l.domain, "type": "website", "locale": "en_US"}
		m["og_metadata"], m["favicon_url"], m["page_title"] = og, "https://"+l.domain+"/favicon.ico", og["title"]
		m["crawled_at"] = NaiveTime(l.crawlStart.Add(2 * s.opts.JobStepDelay))
		if f.Title == "" {
			m["title"] = og["title"]
		}
	case "failed":
		m["crawl_error"] = l.failReason
	}
}

// crawlStatusMatchesLocked filters the files list by ?crawl_status=.
func (s *Server) crawlStatusMatchesLocked(f *File, want string, now time.Time) bool {
	if want == "" {
		return true
	}
	l := s.state.links.byID[f.ID]
	return l != nil && s.crawlStatus(l, now) == want
}

func (s *Server) handleCreateLink(w http.ResponseWriter, r *http.Request) {
	var body struct {
		URL       string   `json:"url"`
		Title     *string  `json:"title"`
		Tags      []string `json:"tags"`
		FolderID  *string  `json:"folder_id"`
		AutoCrawl *bool    `json:"auto_crawl"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	u, err := url.Parse(body.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(body.URL) > 2048 {
		WriteError(w, http.StatusBadRequest, "INVALID_URL", "url must be an absolute http(s) URL of at most 2048 characters")
		return
	}
	now := time.Now()
	s.Lock()
	defer s.Unlock()
	duplicate := false
	for _, l := range s.state.links.byID {
		duplicate = duplicate || l.url == body.URL
	}
	f := &File{ID: s.NewID("lnk"), Filename: body.URL, MediaType: "link", Tags: body.Tags, CreatedAt: now}
	if body.Title != nil {
		f.Title = *body.Title
	}
	if body.FolderID != nil {
		f.FolderID = *body.FolderID
	}
	s.addFileLocked(f)
	l := &linkInfo{url: body.URL, domain: strings.TrimPrefix(u.Hostname(), "www.")}
	if body.AutoCrawl == nil || *body.AutoCrawl {
		l.crawlStart = now
	}
	s.state.links.byID[f.ID] = l
	status := s.crawlStatus(l, now)
	if status != "pending" {
		status = "queued" // the answer is written as the crawl is handed to the queue
	}
	WriteJSON(w, http.StatusCreated, map[string]any{"id": f.ID, "source_url": l.url, "domain": l.domain,
		"title": nilIfEmpty(f.Title), "crawl_status": status, "is_duplicate": duplicate, "created_at": NaiveTime(now)})
}

func (s *Server) handleRecrawlLink(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	s.Lock()
	defer s.Unlock()
	f := s.liveFileLocked(w, r.PathValue("id"))
	if f == nil {
		return
	}
	l := s.state.links.byID[f.ID]
	switch {
	case l == nil:
		WriteError(w, http.StatusBadRequest, "NOT_A_LINK", "The file is not a link")
		return
	case s.crawlStatus(l, now) == "queued" || s.crawlStatus(l, now) == "processing":
		WriteError(w, http.StatusBadRequest, "CRAWL_IN_PROGRESS", "The link is currently being processed")
		return
	case !l.lastRecrawl.IsZero() && now.Sub(l.lastRecrawl) < time.Hour:
		w.Header().Set("Retry-After", "3600")
		WriteError(w, http.StatusTooManyRequests, "RECRAWL_RATE_LIMITED", "A link can be recrawled once per hour")
		return
	}
	l.crawlStart, l.lastRecrawl = now, now
	WriteJSON(w, http.StatusOK, map[string]any{"status": "queued", "link_id": f.ID})
}
