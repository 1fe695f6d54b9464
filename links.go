package scopix

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// Wire details of saved website links. Links are files (media_type
// "link", Scopix files sheet §1: one /files resource for every media
// type), so reading, updating and deleting them uses the files endpoints.
// Creating and recrawling them had their own predecessor paths
// (/user-files/links, /user-files/{id}/recrawl), placed here under
// Scopix's /files the way every other /user-files path moved.
const (
	pathLinks           = "files/links" // inferred: predecessor POST /user-files/links (api/files.md) under Scopix /files
	linkRecrawlSuffix   = "recrawl"     // inferred: predecessor POST /user-files/{id}/recrawl (api/files.md) under Scopix /files
	queryCrawlStatus    = "crawl_status"
	maxLinkURLLength    = 2048 // documented (predecessor openapi CreateLinkRequest)
	maxLinkTitleLength  = 500  // documented (predecessor openapi CreateLinkRequest)
	defaultLinkPageSize = 50   // documented (predecessor sdk links.py): list_all page_size
)

// LinksService saves website links and follows their crawl. A saved link
// is crawled for its Open Graph metadata, favicon and page text, and is
// then found by search and chat like any file (media type "link").
type LinksService service

// Create saves a link to rawURL (POST /files/links, 201) and, unless
// p.AutoCrawl is false, queues its crawl; WaitForCrawl follows it.
// IsDuplicate reports that the account already had the URL (the link is
// saved anyway).
//
// Errors: *ValidationError (a URL that is not absolute http(s) or longer
// than 2048 characters, a title over 500 characters, more than 40 tags or
// a tag over 50 characters — before sending; or refused by the server),
// and the transport errors of every call.
func (s *LinksService) Create(ctx context.Context, rawURL string, p *LinkCreateParams) (*LinkCreateResult, error) {
	if p == nil {
		p = &LinkCreateParams{}
	}
	if err := p.validate(rawURL); err != nil {
		return nil, err
	}
	body := struct {
		URL       string   `json:"url"`
		Title     string   `json:"title,omitempty"`
		Tags      []string `json:"tags,omitempty"`
		FolderID  string   `json:"folder_id,omitempty"`
		AutoCrawl *bool    `json:"auto_crawl,omitempty"`
	}{rawURL, p.Title, p.Tags, p.FolderID, p.AutoCrawl}
	return sendJSON[LinkCreateResult](ctx, s.client, http.MethodPost, pathLinks, body)
}

// Recrawl queues a new crawl of a link to refresh its metadata and text
// (POST /files/{id}/recrawl). The server allows one recrawl per link per
// hour.
//
// Errors: *ValidationError (empty id; or HTTP 400: not a link, or a crawl
// is running), *RateLimitError (HTTP 429: recrawled within the hour; its
// RetryAfter says when to try again), *ResourceNotFoundError, and the
// transport errors of every call.
func (s *LinksService) Recrawl(ctx context.Context, linkID string) (*LinkRecrawlResult, error) {
	seg, err := idSegment("link_id", linkID)
	if err != nil {
		return nil, err
	}
	req, err := s.client.newRequest(http.MethodPost, pathFiles+"/"+seg+"/"+linkRecrawlSuffix, nil)
	if err != nil {
		return nil, err
	}
	var out LinkRecrawlResult
	if err := s.client.do(ctx, req, &out); err != nil {
		return nil, err
	}
	if out.LinkID == "" {
		out.LinkID = linkID
	}
	return &out, nil
}

// Get returns a link with its crawl state and metadata (GET /files/{id}).
//
// Errors: *ValidationError (empty id), *ResourceNotFoundError, and the
// transport errors of every call.
func (s *LinksService) Get(ctx context.Context, linkID string) (*Link, error) {
	seg, err := idSegment("link_id", linkID)
	if err != nil {
		return nil, err
	}
	return getJSON[Link](ctx, s.client, pathFiles+"/"+seg, nil)
}

// List returns one page of links (GET /files?media_types=link&…); nil p
// lists the newest 20.
//
// Errors: *ValidationError (bad params, before sending) and the transport
// errors of every call.
func (s *LinksService) List(ctx context.Context, p *LinkListParams) (*LinkList, error) {
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	return getJSON[LinkList](ctx, s.client, pathFiles, q)
}

// ListAll iterates over every link matching p, in pages of p.Limit
// (default 50) from p.Offset on. p is copied, never changed. Iteration
// stops after yielding an error; breaking out of the loop stops fetching.
func (s *LinksService) ListAll(ctx context.Context, p *LinkListParams) iter.Seq2[Link, error] {
	params := LinkListParams{}
	if p != nil {
		params = *p
		params.Tags = slices.Clone(p.Tags)
	}
	if params.Limit == 0 {
		params.Limit = defaultLinkPageSize
	}
	return pages(params.Offset, func(offset int) ([]Link, bool, error) {
		params.Offset = offset
		page, err := s.List(ctx, &params)
		if err != nil {
			return nil, false, err
		}
		return page.Links, page.HasMore, nil
	})
}

// Update changes a link's title and/or tags; it is Files.Update (PATCH
// /files/{id}), with its rules and errors (titles up to 255 characters
// there, although Create takes 500).
func (s *LinksService) Update(ctx context.Context, linkID string, p *FileUpdateParams) (*FileUpdateResult, error) {
	return (*FilesService)(s).Update(ctx, linkID, p)
}

// Delete soft-deletes a link; it is Files.Delete (DELETE /files/{id}).
func (s *LinksService) Delete(ctx context.Context, linkID string) (*FileDeleteResult, error) {
	return (*FilesService)(s).Delete(ctx, linkID)
}

// BatchDelete soft-deletes up to 100 links and reports each one's outcome;
// it is Files.BatchDelete (POST /files/batch-delete).
func (s *LinksService) BatchDelete(ctx context.Context, linkIDs []string) (*BatchDeleteResult, error) {
	return (*FilesService)(s).BatchDelete(ctx, linkIDs)
}

// WaitForCrawl polls Get until the link's crawl has completed and returns
// the link then; o.OnProgress sees every poll.
//
// Errors: *LinkCrawlError{LinkID, CrawlStatus, CrawlError} when the crawl
// failed (the link is returned with it); *TimeoutError{LastResult: the
// last *Link} when o.Timeout (default: the polling timeout) or ctx's
// deadline passes; an error matching context.Canceled when ctx is
// cancelled; Get's errors.
func (s *LinksService) WaitForCrawl(ctx context.Context, linkID string, o *WaitCrawlOptions) (*Link, error) {
	if o == nil {
		o = &WaitCrawlOptions{}
	}
	return waitJob(ctx, s.client.pollConfig(o.Timeout, o.Interval), "crawl of link "+linkID, "link_id", linkID, s.Get, o.OnProgress)
}

// CreateAndWait is Create followed by WaitForCrawl on the new link, with
// the errors of both. p.AutoCrawl must not be false: nothing would be
// crawled.
func (s *LinksService) CreateAndWait(ctx context.Context, rawURL string, p *LinkCreateParams, o *WaitCrawlOptions) (*Link, error) {
	if p != nil && p.AutoCrawl != nil && !*p.AutoCrawl {
		return nil, validationError("auto_crawl", "CreateAndWait waits for the crawl; leave AutoCrawl nil or true")
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	res, err := s.Create(ctx, rawURL, p)
	if err != nil {
		return nil, err
	}
	return s.WaitForCrawl(ctx, res.ID, o)
}

// IsTerminal reports whether the link's crawl has ended (completed or failed).
func (l *Link) IsTerminal() bool { return l.CrawlStatus.IsTerminal() }

// failure is the *LinkCrawlError of a failed crawl, nil otherwise.
func (l *Link) failure(linkID string) error {
	if l.CrawlStatus == CrawlFailed {
		return newLinkCrawlError(linkID, l)
	}
	return nil
}

func newLinkCrawlError(linkID string, l *Link) *LinkCrawlError {
	msg := "crawl of link " + linkID + " failed"
	if l.CrawlError != "" {
		msg += ": " + l.CrawlError
	}
	e := newError(CodeLinkCrawl, msg, nil)
	e.Details["link_id"] = linkID
	e.Details["crawl_status"] = string(l.CrawlStatus)
	e.Details["crawl_error"] = l.CrawlError
	return &LinkCrawlError{Err: e, LinkID: linkID, CrawlStatus: string(l.CrawlStatus), CrawlError: l.CrawlError}
}

// LinkCreateParams are the options of Create.
type LinkCreateParams struct {
	Title     string   // at most 500 characters; default: the page's own title
	Tags      []string // at most 40, each 1–50 characters
	FolderID  string   // the folder to save it in
	AutoCrawl *bool    // crawl it now (default true)
}

func (p *LinkCreateParams) validate(rawURL string) error {
	u, err := url.Parse(rawURL)
	switch {
	case rawURL == "":
		return validationError("url", "must not be empty")
	case utf8.RuneCountInString(rawURL) > maxLinkURLLength:
		return validationError("url", fmt.Sprintf("at most %d characters", maxLinkURLLength))
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return validationError("url", "must be an absolute http:// or https:// URL")
	case utf8.RuneCountInString(p.Title) > maxLinkTitleLength:
		return validationError("title", fmt.Sprintf("at most %d characters", maxLinkTitleLength))
	}
	return checkTags(p.Tags)
}

// checkTags applies the tag limits shared by files and links.
func checkTags(tags []string) error {
	if len(tags) > maxTags {
		return validationError("tags", fmt.Sprintf("at most %d tags", maxTags))
	}
	for i, t := range tags {
		if t == "" || utf8.RuneCountInString(t) > maxTagLength {
			return validationError("tags["+strconv.Itoa(i)+"]", fmt.Sprintf("want 1 to %d characters", maxTagLength))
		}
	}
	return nil
}

// LinkListParams filter, sort and page List and ListAll.
type LinkListParams struct {
	Search      string      // over titles and URLs
	Tags        []string    // links having all of them
	FolderID    string      // links directly in this folder
	CrawlStatus CrawlStatus // only links in this crawl state
	DateFrom    time.Time   // created at or after (zero: no bound)
	DateTo      time.Time   // created at or before (zero: no bound)
	Limit       int         // 1–100 (0: the server's 20; ListAll: 50 per page)
	Offset      int         // ≥ 0
	SortBy      SortBy      // SortByCreatedAt (default) or SortByTitle
	SortOrder   SortOrder   // default desc
}

func (p *LinkListParams) query() (url.Values, error) {
	files := FileListParams{MediaTypes: []MediaType{MediaTypeLink}}
	if p != nil {
		files = FileListParams{Search: p.Search, Tags: p.Tags, MediaTypes: files.MediaTypes, FolderID: p.FolderID,
			DateFrom: p.DateFrom, DateTo: p.DateTo, Limit: p.Limit, Offset: p.Offset, SortBy: p.SortBy, SortOrder: p.SortOrder}
	}
	q, err := files.query()
	if err != nil {
		return nil, err
	}
	if p != nil && p.CrawlStatus != "" {
		// inferred: the predecessor links list filtered by crawl status; the
		// files list documents no such parameter.
		q.Set(queryCrawlStatus, string(p.CrawlStatus))
	}
	return q, nil
}

// WaitCrawlOptions are the options of WaitForCrawl and CreateAndWait.
type WaitCrawlOptions struct {
	Timeout    time.Duration // default: the client's polling timeout
	Interval   time.Duration // default: the client's polling interval
	OnProgress func(*Link)   // called after every poll
}

func (o *WaitCrawlOptions) validate() error {
	if o == nil {
		return nil
	}
	return checkWait(o.Timeout, o.Interval)
}

// CrawlStatus is the state of a link's crawl. Unknown values are kept as
// the server sends them.
type CrawlStatus string

// Crawl states (documented, predecessor api/files.md).
const (
	CrawlPending    CrawlStatus = "pending"
	CrawlQueued     CrawlStatus = "queued"
	CrawlProcessing CrawlStatus = "processing"
	CrawlCompleted  CrawlStatus = "completed"
	CrawlFailed     CrawlStatus = "failed"
)

// IsTerminal reports whether the crawl has ended: completed or failed.
func (s CrawlStatus) IsTerminal() bool { return s == CrawlCompleted || s == CrawlFailed }

// Link is a saved website link: as listed (lighter) or as Get returns it.
// Fields the server sent as null are zero.
type Link struct {
	ID                   string           `json:"id"`
	URL                  string           `json:"source_url"`
	Domain               string           `json:"domain"`
	Title                string           `json:"title"`
	Tags                 []string         `json:"tags"`
	FolderID             string           `json:"folder_id"`
	CrawlStatus          CrawlStatus      `json:"crawl_status"`
	CrawlError           string           `json:"crawl_error"`
	CrawledAt            Time             `json:"crawled_at"`
	PageTitle            string           `json:"page_title"`
	OGMetadata           *LinkOGMetadata  `json:"og_metadata"`
	FaviconURL           string           `json:"favicon_url"`
	ExtractedImages      []map[string]any `json:"extracted_images"`
	ExtractedImagesCount int              `json:"extracted_images_count"`
	MediaType            MediaType        `json:"media_type"`
	CreatedAt            Time             `json:"created_at"`
	UpdatedAt            Time             `json:"updated_at"`
}

// LinkOGMetadata is the Open Graph metadata a crawl found.
type LinkOGMetadata struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	ImageURL    string `json:"image_url"`
	SiteName    string `json:"site_name"`
	Type        string `json:"type"`
	Locale      string `json:"locale"`
}

// LinkCreateResult is what Create returns.
type LinkCreateResult struct {
	Link
	IsDuplicate bool `json:"is_duplicate"` // the account already had this URL
}

// LinkRecrawlResult is what Recrawl returns.
type LinkRecrawlResult struct {
	LinkID             string          `json:"link_id"`
	Status             CrawlStatus     `json:"status"` // queued, completed or failed
	Message            string          `json:"message"`
	OGMetadata         *LinkOGMetadata `json:"og_metadata"`
	NextAllowedRecrawl Time            `json:"next_allowed_recrawl"`
}

// UnmarshalJSON also accepts the link id as "id".
func (r *LinkRecrawlResult) UnmarshalJSON(data []byte) error {
	type plain LinkRecrawlResult
	var v struct {
		plain
		ID string `json:"id"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*r = LinkRecrawlResult(v.plain)
	if r.LinkID == "" {
		r.LinkID = v.ID
	}
	return nil
}

// LinkList is one page of List. It decodes the page whether the server
// lists the links under "files" (the documented files list), "items" or
// "links".
type LinkList struct {
	Links      []Link
	TotalCount int
	HasMore    bool
}

// UnmarshalJSON implements json.Unmarshaler with the tolerant list rules.
func (l *LinkList) UnmarshalJSON(data []byte) error {
	page, err := decodeListPage[Link](data, listKeyFiles, listKeyItems, listKeyLinks)
	if err != nil {
		return err
	}
	l.Links, l.TotalCount, l.HasMore = page.Items, page.TotalCount, page.HasMore
	return nil
}
