package scopix

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Wire details of the colors API: paths and fields documented by the
// predecessor reference (api/colors.md, openapi ColorSearchRequestDTO);
// Scopix documents the same get/extract/search methods and settings on its
// colors page (sdk/analysis/colors).
const (
	pathColorImages       = "colors/images"        // documented (predecessor api/colors.md): GET colors/images/{id}
	colorExtractSuffix    = "extract"              // documented (predecessor api/colors.md): POST colors/images/{id}/extract?force=&n_colors=
	pathColorBatchExtract = "colors/batch/extract" // documented (predecessor api/colors.md)
	pathColorSearch       = "colors/search"        // documented (predecessor api/colors.md)
	pathColorFamilies     = "colors/families"      // documented (predecessor api/colors.md): a bare JSON array
	minExtractColors      = 3                      // documented (Scopix sdk/analysis/colors): 3–16
	maxExtractColors      = 16
	maxColorSearchLimit   = 200 // documented (predecessor api/colors.md): 1–200
	defaultColorPageSize  = 50  // documented (predecessor sdk colors.py): search_all page_size
	maxColorPercent       = 100.0
)

// ColorsService reads the dominant colours extracted from images and finds
// images by colour, under /colors.
//
// Colours are extracted on upload; Get reads them. Extract and
// BatchExtract only re-run the extraction with other settings.
type ColorsService service

// Get returns an image's colour analysis (GET /colors/images/{id}).
// Analysis is nil until Status is completed.
//
// Errors: *ValidationError (empty id), *ResourceNotFoundError, and the
// transport errors of every call.
func (s *ColorsService) Get(ctx context.Context, imageID string) (*ColorExtraction, error) {
	seg, err := idSegment("image_id", imageID)
	if err != nil {
		return nil, err
	}
	return getJSON[ColorExtraction](ctx, s.client, pathColorImages+"/"+seg, nil)
}

// Extract queues a new colour extraction for an image and returns at once,
// usually with Status queued (POST /colors/images/{id}/extract?force=&n_colors=);
// poll Get for the result. Without p.Force the existing result is kept.
//
// Errors: *ValidationError (empty id, NColors outside 3–16 — before
// sending), *ResourceNotFoundError, and the transport errors of every call.
func (s *ColorsService) Extract(ctx context.Context, imageID string, p *ColorExtractParams) (*ColorExtraction, error) {
	seg, err := idSegment("image_id", imageID)
	if err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	req, err := s.client.newRequest(http.MethodPost, pathColorImages+"/"+seg+"/"+colorExtractSuffix, nil)
	if err != nil {
		return nil, err
	}
	req.query = p.query()
	// Queuing the same extraction again replaces the queued one.
	req.idempotent()
	return doJSON[ColorExtraction](ctx, s.client, req)
}

// BatchExtract queues a new colour extraction for several images
// (POST /colors/batch/extract) and reports how many were queued; poll Get
// per image for the results.
//
// Errors: *ValidationError (no ids, an empty or repeated id, NColors
// outside 3–16 — before sending), and the transport errors of every call.
func (s *ColorsService) BatchExtract(ctx context.Context, imageIDs []string, p *ColorExtractParams) (*BatchColorExtraction, error) {
	if err := checkIDList("image_ids", imageIDs, 0); err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	if p == nil {
		p = &ColorExtractParams{}
	}
	body := struct {
		ImageIDs []string `json:"image_ids"`
		Force    bool     `json:"force,omitempty"`
		NColors  int      `json:"n_colors,omitempty"`
	}{imageIDs, p.Force, p.NColors}
	req, err := s.client.newRequest(http.MethodPost, pathColorBatchExtract, body)
	if err != nil {
		return nil, err
	}
	req.idempotent()
	return doJSON[BatchColorExtraction](ctx, s.client, req)
}

// Search returns one page of images holding a colour (POST /colors/search):
// near p.Hex (within p.DeltaEThreshold), named p.Name, or of p.Family — at
// least one of them; several narrow the search.
//
// Errors: *ValidationError (no criterion, a hex code that is not #RRGGBB,
// a threshold or percentage outside 0–100, limit outside 1–200, negative
// offset — before sending), and the transport errors of every call.
func (s *ColorsService) Search(ctx context.Context, p *ColorSearchParams) (*ColorSearchResults, error) {
	body, err := p.body()
	if err != nil {
		return nil, err
	}
	req, err := s.client.newRequest(http.MethodPost, pathColorSearch, body)
	if err != nil {
		return nil, err
	}
	// A search changes nothing on the server.
	req.idempotent()
	var out ColorSearchResults
	if err := s.client.do(ctx, req, &out); err != nil {
		return nil, err
	}
	if out.Results == nil {
		out.Results = []ColorMatch{}
	}
	return &out, nil
}

// SearchAll iterates over every image Search finds for p, in pages of
// p.Limit (default 50) from p.Offset on. p is copied, never changed.
// Iteration stops after yielding an error; breaking out of the loop stops
// fetching.
func (s *ColorsService) SearchAll(ctx context.Context, p *ColorSearchParams) iter.Seq2[ColorMatch, error] {
	params := ColorSearchParams{}
	if p != nil {
		params = *p
	}
	if params.Limit == 0 {
		params.Limit = defaultColorPageSize
	}
	return pages(params.Offset, func(offset int) ([]ColorMatch, bool, error) {
		params.Offset = offset
		page, err := s.Search(ctx, &params)
		if err != nil {
			return nil, false, err
		}
		return page.Results, page.HasMore(), nil
	})
}

// Families lists the colour families Search accepts as Family, with
// descriptions and example colours (GET /colors/families).
//
// Errors: the transport errors of every call.
func (s *ColorsService) Families(ctx context.Context) ([]ColorFamilyInfo, error) {
	out, err := getJSON[[]ColorFamilyInfo](ctx, s.client, pathColorFamilies, nil)
	if err != nil {
		return nil, err
	}
	if *out == nil {
		return []ColorFamilyInfo{}, nil
	}
	return *out, nil
}

// ColorExtractParams are the options of Extract and BatchExtract.
type ColorExtractParams struct {
	Force   bool // re-extract even when a result exists
	NColors int  // colours to extract, 3–16 (0: the server's 16)
}

func (p *ColorExtractParams) validate() error {
	if p != nil && p.NColors != 0 && (p.NColors < minExtractColors || p.NColors > maxExtractColors) {
		return validationError("n_colors", fmt.Sprintf("want %d to %d, got %d", minExtractColors, maxExtractColors, p.NColors))
	}
	return nil
}

func (p *ColorExtractParams) query() url.Values {
	q := url.Values{}
	if p == nil {
		return q
	}
	if p.Force {
		q.Set("force", "true")
	}
	if p.NColors != 0 {
		q.Set("n_colors", strconv.Itoa(p.NColors))
	}
	return q
}

// ColorSearchParams say which colour Search looks for; give at least one
// of Hex, Name and Family.
type ColorSearchParams struct {
	Hex             string      // "#C4A87C" or "C4A87C" (six hex digits); sent as "#C4A87C"
	Name            string      // a colour name, e.g. "walnut", "navy blue"
	Family          ColorFamily // e.g. ColorFamilyEarthTone; see Families
	DeltaEThreshold *float64    // tolerance around Hex, 0–100 (nil: the server's 15; lower is stricter)
	MinPercentage   *float64    // least share of the image the colour covers, 0–100 (nil: the server's 5)
	Limit           int         // 1–200 (0: the server's 50; SearchAll: 50 per page)
	Offset          int         // ≥ 0
}

// colorSearchRequest is the documented body of POST /colors/search.
type colorSearchRequest struct {
	HexCode         string   `json:"hex_code,omitempty"`
	ColorName       string   `json:"color_name,omitempty"`
	ColorFamily     string   `json:"color_family,omitempty"`
	DeltaEThreshold *float64 `json:"delta_e_threshold,omitempty"`
	MinPercentage   *float64 `json:"min_percentage,omitempty"`
	Limit           int      `json:"limit,omitempty"`
	Offset          int      `json:"offset,omitempty"`
}

func (p *ColorSearchParams) body() (*colorSearchRequest, error) {
	if p == nil || (p.Hex == "" && strings.TrimSpace(p.Name) == "" && p.Family == "") {
		return nil, validationError("params", "give a hex code, a colour name or a colour family")
	}
	hex, err := normalizeHex(p.Hex)
	if err != nil {
		return nil, err
	}
	for _, pct := range []struct {
		field string
		v     *float64
	}{{"delta_e_threshold", p.DeltaEThreshold}, {"min_percentage", p.MinPercentage}} {
		if pct.v != nil && !(*pct.v >= 0 && *pct.v <= maxColorPercent) {
			return nil, validationError(pct.field, fmt.Sprintf("want 0 to %v, got %v", maxColorPercent, *pct.v))
		}
	}
	switch {
	case p.Limit < 0 || p.Limit > maxColorSearchLimit:
		return nil, validationError("limit", fmt.Sprintf("want 1 to %d", maxColorSearchLimit))
	case p.Offset < 0:
		return nil, validationError("offset", "must not be negative")
	}
	return &colorSearchRequest{HexCode: hex, ColorName: strings.TrimSpace(p.Name), ColorFamily: string(p.Family),
		DeltaEThreshold: p.DeltaEThreshold, MinPercentage: p.MinPercentage, Limit: p.Limit, Offset: p.Offset}, nil
}

// normalizeHex accepts "#RRGGBB" or "RRGGBB" and returns "#RRGGBB" as the
// caller wrote the digits; "" stays "".
func normalizeHex(hex string) (string, error) {
	if hex == "" {
		return "", nil
	}
	digits := strings.TrimPrefix(hex, "#")
	if len(digits) != 6 || strings.Trim(digits, "0123456789abcdefABCDEF") != "" {
		return "", validationError("hex_code", fmt.Sprintf("want #RRGGBB (six hex digits), got %q", hex))
	}
	return "#" + digits, nil
}

// ColorFamily is a colour family name as Families lists it. Unknown names
// are kept as the server sends them.
type ColorFamily string

// Colour families (documented, predecessor api/colors.md).
const (
	ColorFamilyNeutral   ColorFamily = "neutral"
	ColorFamilyEarthTone ColorFamily = "earth_tone"
	ColorFamilyWarm      ColorFamily = "warm"
	ColorFamilyCool      ColorFamily = "cool"
	ColorFamilyMetallic  ColorFamily = "metallic"
	ColorFamilyPastel    ColorFamily = "pastel"
	ColorFamilyVibrant   ColorFamily = "vibrant"
)

// ColorExtractionStatus is the state of an image's colour extraction.
type ColorExtractionStatus string

// Extraction states (documented, predecessor api/colors.md and sdk types).
const (
	ColorExtractionPending    ColorExtractionStatus = "pending"
	ColorExtractionQueued     ColorExtractionStatus = "queued"
	ColorExtractionProcessing ColorExtractionStatus = "processing"
	ColorExtractionCompleted  ColorExtractionStatus = "completed"
	ColorExtractionFailed     ColorExtractionStatus = "failed"
)

// IsTerminal reports whether the extraction has ended: completed or failed.
func (s ColorExtractionStatus) IsTerminal() bool {
	return s == ColorExtractionCompleted || s == ColorExtractionFailed
}

// ColorExtraction is what Get and Extract return.
type ColorExtraction struct {
	ImageID     string                `json:"image_id"`
	Status      ColorExtractionStatus `json:"status"`
	Analysis    *ColorAnalysis        `json:"color_analysis"` // nil until completed
	ExtractedAt Time                  `json:"extracted_at"`
}

// ColorAnalysis is the colour analysis of an image.
type ColorAnalysis struct {
	Version        string          `json:"version"`
	DominantColors []DominantColor `json:"dominant_colors"` // most dominant first
	Analytics      *ColorAnalytics `json:"analytics"`
	ExtractedAt    Time            `json:"extracted_at"`
}

// DominantColor is one extracted colour, in several colour spaces.
type DominantColor struct {
	Rank       int         `json:"rank"`       // 1 is the most dominant
	Percentage float64     `json:"percentage"` // share of the image, 0–100
	Hex        string      `json:"hex"`        // "#RRGGBB"
	Name       string      `json:"name"`       // e.g. "Walnut"
	Family     ColorFamily `json:"family"`
	RGB        *RGB        `json:"rgb"` // nil in search results, which carry only hex and name
	HSL        *HSL        `json:"hsl"`
	LAB        *LAB        `json:"lab"`
}

// RGB is a colour's red, green and blue channels, 0–255.
type RGB struct {
	R int `json:"r"`
	G int `json:"g"`
	B int `json:"b"`
}

// HSL is a colour's hue (0–360), saturation and lightness (0–100).
type HSL struct {
	H float64 `json:"h"`
	S float64 `json:"s"`
	L float64 `json:"l"`
}

// LAB is a colour in the perceptual CIE LAB space.
type LAB struct {
	L float64 `json:"l"`
	A float64 `json:"a"`
	B float64 `json:"b"`
}

// ColorAnalytics sum up an image's colours.
type ColorAnalytics struct {
	Temperature ColorTemperature `json:"temperature"`
	Brightness  ColorLevel       `json:"brightness"`
	Saturation  ColorLevel       `json:"saturation"`
}

// ColorTemperature is whether an image reads warm, cool or neutral.
type ColorTemperature struct {
	Value string  `json:"value"` // warm, cool, neutral
	Score float64 `json:"score"` // 0–1
}

// ColorLevel is an average (0–100) and its category, for brightness
// (dark, medium, light) and saturation (muted, medium, vivid).
type ColorLevel struct {
	Average  float64 `json:"average"`
	Category string  `json:"category"`
}

// BatchColorExtraction is what BatchExtract returns.
type BatchColorExtraction struct {
	QueuedCount int    `json:"queued_count"`
	Message     string `json:"message"`
}

// ColorSearchResults is one page of Search.
type ColorSearchResults struct {
	Results    []ColorMatch `json:"results"`
	TotalCount int          `json:"total_count"`
	Limit      int          `json:"limit"`
	Offset     int          `json:"offset"`
}

// HasMore reports whether images follow this page.
func (r *ColorSearchResults) HasMore() bool {
	return r != nil && len(r.Results) > 0 && r.Offset+len(r.Results) < r.TotalCount
}

// ColorMatch is one image Search found.
type ColorMatch struct {
	ImageID           string         `json:"image_id"`
	ThumbnailURL      string         `json:"thumbnail_url"`
	Analysis          *ColorAnalysis `json:"color_analysis"`
	MatchScore        float64        `json:"match_score"` // 0–1, higher is closer
	MatchedHex        string         `json:"matched_hex"`
	MatchedPercentage *float64       `json:"matched_percentage"`
}

// ColorFamilyInfo describes one colour family.
type ColorFamilyInfo struct {
	Name          ColorFamily `json:"name"`
	DisplayName   string      `json:"display_name"`
	Description   string      `json:"description"`
	ExampleColors []string    `json:"example_colors"`
}
