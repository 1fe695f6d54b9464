package fakeapi

import (
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Colors, answered as the reference (predecessor api/colors.md) shows.
// Every image has the palette of the reference's example (Walnut, Dark
// Tan) unless SetImageColors gave it another; extraction completes once
// the description delay has passed, and a re-extraction after one
// JobStepDelay. Search matches by CIE76 Delta-E, name or family.

// ImageColor is one dominant colour the fake reports for an image.
type ImageColor struct {
	Hex        string // "#RRGGBB"
	Name       string
	Family     string
	Percentage float64
}

// defaultImageColors is the palette of the reference's example.
var defaultImageColors = []ImageColor{
	{Hex: "#C4A87C", Name: "Walnut", Family: "earth_tone", Percentage: 35.2},
	{Hex: "#8B7355", Name: "Dark Tan", Family: "earth_tone", Percentage: 22.8},
}

// colorFamilies is the reference's list of families.
var colorFamilies = []map[string]any{
	{"name": "neutral", "display_name": "Neutrals", "description": "Blacks, whites, grays - versatile foundation colors",
		"example_colors": []string{"#FFFFFF", "#808080", "#000000", "#F5F5DC"}},
	{"name": "earth_tone", "display_name": "Earth Tones", "description": "Warm, natural colors inspired by earth and nature",
		"example_colors": []string{"#C4A87C", "#8B4513", "#D2691E", "#A0522D"}},
	{"name": "warm", "display_name": "Warm Colors", "description": "Reds, oranges, yellows - energizing and inviting",
		"example_colors": []string{"#FF6347", "#FFA500", "#FFD700", "#DC143C"}},
	{"name": "cool", "display_name": "Cool Colors", "description": "Blues, greens, purples - calming and sophisticated",
		"example_colors": []string{"#4169E1", "#008080", "#2E8B57", "#9370DB"}},
	{"name": "metallic", "display_name": "Metallic Tones", "description": "Metallic and shimmer colors — gold, silver, bronze, copper",
		"example_colors": []string{"#FFD700", "#B87333", "#C0C0C0", "#B5A642"}},
	{"name": "pastel", "display_name": "Pastels", "description": "Soft, muted colors with white undertones",
		"example_colors": []string{"#FFB6C1", "#ADD8E6", "#98FB98", "#FFDAB9"}},
	{"name": "vibrant", "display_name": "Vibrant Colors", "description": "Bold, highly saturated colors",
		"example_colors": []string{"#FF1493", "#00FF00", "#FF4500", "#8A2BE2"}},
}

type colorsState struct {
	palettes  map[string][]ImageColor    // image id → colours set by a knob
	extracted map[string]colorExtraction // image id → last requested re-extraction
}

type colorExtraction struct {
	at      time.Time
	nColors int
}

func (st *colorsState) init() {
	st.palettes = map[string][]ImageColor{}
	st.extracted = map[string]colorExtraction{}
}

// SetImageColors gives an image these dominant colours (most dominant first).
func (s *Server) SetImageColors(imageID string, colors ...ImageColor) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.colors.palettes[imageID] = append([]ImageColor(nil), colors...)
}

// colorsRoutes are the routes colors.go serves.
func (s *Server) colorsRoutes() []route {
	return []route{
		{"GET /colors/images/{id}", s.handleGetColors},
		{"POST /colors/images/{id}/extract", s.handleExtractColors},
		{"POST /colors/batch/extract", s.handleBatchExtractColors},
		{"POST /colors/search", s.handleColorSearch},
		{"GET /colors/families", s.handleColorFamilies},
	}
}

func (s *Server) paletteLocked(id string) []ImageColor {
	if p, ok := s.state.colors.palettes[id]; ok {
		return p
	}
	return defaultImageColors
}

// colorStatusLocked is the extraction state of a file now, with the number
// of colours the last extraction asked for.
func (s *Server) colorStatusLocked(f *File, now time.Time) (status string, nColors int) {
	nColors = 16
	ready := f.CreatedAt.Add(f.DescriptionDelay)
	if x, ok := s.state.colors.extracted[f.ID]; ok {
		ready, nColors = x.at.Add(s.opts.JobStepDelay), x.nColors
	}
	if now.Before(ready) {
		return "processing", nColors
	}
	return "completed", nColors
}

func (s *Server) colorAnalysisJSON(f *File, nColors int, at time.Time) map[string]any {
	var colors []any
	for i, c := range s.paletteLocked(f.ID) {
		if i >= nColors {
			break
		}
		colors = append(colors, fullColorJSON(i+1, c))
	}
	return map[string]any{"version": "1.0", "dominant_colors": colors,
		"analytics": map[string]any{"temperature": map[string]any{"value": "warm", "score": 0.82},
			"brightness": map[string]any{"average": 58, "category": "medium"},
			"saturation": map[string]any{"average": 31, "category": "medium"}},
		"extracted_at": at.UTC().Format(time.RFC3339Nano)}
}

func fullColorJSON(rank int, c ImageColor) map[string]any {
	r, g, b := hexRGB(c.Hex)
	h, sat, l := rgbHSL(r, g, b)
	L, A, B := rgbLAB(r, g, b)
	return map[string]any{"rank": rank, "percentage": c.Percentage, "hex": c.Hex, "name": c.Name, "family": c.Family,
		"rgb": map[string]any{"r": r, "g": g, "b": b}, "hsl": map[string]any{"h": h, "s": sat, "l": l},
		"lab": map[string]any{"l": round1(L), "a": round1(A), "b": round1(B)}}
}

// liveImageLocked finds a live image, answering 404 otherwise.
func (s *Server) liveImageLocked(w http.ResponseWriter, id string) *File {
	f := s.state.files.byID[id]
	if f == nil || f.Deleted || f.MediaType != "image" {
		WriteErrorDetails(w, http.StatusNotFound, "NOT_FOUND", "Image not found",
			map[string]any{"resource_type": "image", "resource_id": id})
		return nil
	}
	return f
}

func (s *Server) colorResultJSON(f *File, now time.Time) map[string]any {
	status, n := s.colorStatusLocked(f, now)
	m := map[string]any{"image_id": f.ID, "status": status, "color_analysis": nil, "extracted_at": nil}
	if status == "completed" {
		at := f.CreatedAt.Add(f.DescriptionDelay)
		if x, ok := s.state.colors.extracted[f.ID]; ok {
			at = x.at.Add(s.opts.JobStepDelay)
		}
		m["color_analysis"] = s.colorAnalysisJSON(f, n, at)
		m["extracted_at"] = at.UTC().Format(time.RFC3339Nano)
	}
	return m
}

func (s *Server) handleGetColors(w http.ResponseWriter, r *http.Request) {
	s.Lock()
	defer s.Unlock()
	if f := s.liveImageLocked(w, r.PathValue("id")); f != nil {
		WriteJSON(w, http.StatusOK, s.colorResultJSON(f, time.Now()))
	}
}

// extractParams checks n_colors (3–16), answering 422 when bad.
func extractParams(w http.ResponseWriter, nColors int) bool {
	if nColors < 3 || nColors > 16 {
		writeDetail(w, http.StatusUnprocessableEntity, []string{"n_colors"}, "ensure this value is between 3 and 16", "value_error")
		return false
	}
	return true
}

func (s *Server) handleExtractColors(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	force := q.Get("force") == "true"
	nColors := 16
	if v := q.Get("n_colors"); v != "" {
		nColors, _ = strconv.Atoi(v)
	}
	if !extractParams(w, nColors) {
		return
	}
	now := time.Now()
	s.Lock()
	defer s.Unlock()
	f := s.liveImageLocked(w, r.PathValue("id"))
	if f == nil {
		return
	}
	if status, _ := s.colorStatusLocked(f, now); status == "completed" && !force {
		WriteJSON(w, http.StatusOK, s.colorResultJSON(f, now))
		return
	}
	s.state.colors.extracted[f.ID] = colorExtraction{at: now, nColors: nColors}
	WriteJSON(w, http.StatusOK, map[string]any{"image_id": f.ID, "status": "queued", "color_analysis": nil})
}

func (s *Server) handleBatchExtractColors(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ImageIDs []string `json:"image_ids"`
		Force    bool     `json:"force"`
		NColors  *int     `json:"n_colors"`
	}
	if !ReadJSON(w, r, &body) {
		return
	}
	nColors := 16
	if body.NColors != nil {
		nColors = *body.NColors
	}
	if !extractParams(w, nColors) {
		return
	}
	now := time.Now()
	s.Lock()
	defer s.Unlock()
	queued := 0
	for _, id := range body.ImageIDs {
		f := s.state.files.byID[id]
		if f == nil || f.Deleted || f.MediaType != "image" {
			continue
		}
		if status, _ := s.colorStatusLocked(f, now); status == "completed" && !body.Force {
			continue
		}
		s.state.colors.extracted[id] = colorExtraction{at: now, nColors: nColors}
		queued++
	}
	WriteJSON(w, http.StatusOK, map[string]any{"queued_count": queued,
		"message": fmt.Sprintf("%d images queued for color extraction", queued)})
}

type colorSearchBody struct {
	HexCode     *string  `json:"hex_code"`
	ColorName   *string  `json:"color_name"`
	ColorFamily *string  `json:"color_family"`
	DeltaE      *float64 `json:"delta_e_threshold"`
	MinPercent  *float64 `json:"min_percentage"`
	Limit       *int     `json:"limit"`
	Offset      int      `json:"offset"`
}

// colorMatch scores one colour against the search: ok and a 0–1 score.
func (b *colorSearchBody) colorMatch(c ImageColor, deltaE float64) (bool, float64) {
	score := 1.0
	if b.HexCode != nil {
		r1, g1, b1 := hexRGB(*b.HexCode)
		r2, g2, b2 := hexRGB(c.Hex)
		l1, a1, bb1 := rgbLAB(r1, g1, b1)
		l2, a2, bb2 := rgbLAB(r2, g2, b2)
		d := math.Sqrt((l1-l2)*(l1-l2) + (a1-a2)*(a1-a2) + (bb1-bb2)*(bb1-bb2))
		if d > deltaE {
			return false, 0
		}
		score = math.Max(0, 1-d/math.Max(deltaE, 1e-9))
	}
	if b.ColorName != nil && !strings.EqualFold(*b.ColorName, c.Name) {
		return false, 0
	}
	if b.ColorFamily != nil && *b.ColorFamily != c.Family {
		return false, 0
	}
	return true, score
}

func (s *Server) handleColorSearch(w http.ResponseWriter, r *http.Request) {
	var body colorSearchBody
	if !ReadJSON(w, r, &body) {
		return
	}
	limit, deltaE, minPct := 50, 15.0, 5.0
	if body.Limit != nil {
		limit = *body.Limit
	}
	if body.DeltaE != nil {
		deltaE = *body.DeltaE
	}
	if body.MinPercent != nil {
		minPct = *body.MinPercent
	}
	if (body.HexCode == nil && body.ColorName == nil && body.ColorFamily == nil) || limit < 1 || limit > 200 || body.Offset < 0 {
		WriteError(w, http.StatusUnprocessableEntity, "VALIDATION_ERROR", "give hex_code, color_name or color_family; limit 1-200")
		return
	}
	s.Lock()
	defer s.Unlock()
	type hit struct {
		f     *File
		c     ImageColor
		score float64
	}
	var hits []hit
	for _, id := range s.state.files.order {
		f := s.state.files.byID[id]
		if f.Deleted || f.MediaType != "image" {
			continue
		}
		best := hit{score: -1}
		for _, c := range s.paletteLocked(id) {
			if ok, score := body.colorMatch(c, deltaE); ok && c.Percentage >= minPct && score > best.score {
				best = hit{f, c, score}
			}
		}
		if best.f != nil {
			hits = append(hits, best)
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].score > hits[j].score })
	results := []any{}
	for i := body.Offset; i < len(hits) && i < body.Offset+limit; i++ {
		h := hits[i]
		var colors []any
		for rank, c := range s.paletteLocked(h.f.ID) {
			colors = append(colors, map[string]any{"rank": rank + 1, "percentage": c.Percentage, "hex": c.Hex, "name": c.Name, "family": c.Family})
		}
		results = append(results, map[string]any{"image_id": h.f.ID, "thumbnail_url": s.StorageURL("files/" + h.f.ID + "/tiny_64"),
			"color_analysis": map[string]any{"dominant_colors": colors}, "match_score": math.Round(h.score*100) / 100,
			"matched_hex": h.c.Hex, "matched_percentage": h.c.Percentage})
	}
	WriteJSON(w, http.StatusOK, map[string]any{"results": results, "total_count": len(hits), "limit": limit, "offset": body.Offset})
}

func (s *Server) handleColorFamilies(w http.ResponseWriter, r *http.Request) {
	WriteJSON(w, http.StatusOK, colorFamilies)
}

// ---- colour arithmetic ----

func hexRGB(hex string) (r, g, b int) {
	v, _ := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)
}

func rgbHSL(r, g, b int) (h, s, l float64) {
	rf, gf, bf := float64(r)/255, float64(g)/255, float64(b)/255
	mx, mn := math.Max(rf, math.Max(gf, bf)), math.Min(rf, math.Min(gf, bf))
	l = (mx + mn) / 2
	if d := mx - mn; d > 0 {
		s = d / (1 - math.Abs(2*l-1))
		switch mx {
		case rf:
			h = math.Mod((gf-bf)/d, 6)
		case gf:
			h = (bf-rf)/d + 2
		default:
			h = (rf-gf)/d + 4
		}
		h = math.Mod(h*60+360, 360)
	}
	return math.Round(h), math.Round(s * 100), math.Round(l * 100)
}

// rgbLAB converts sRGB (D65) to CIE LAB.
func rgbLAB(r, g, b int) (L, A, B float64) {
	lin := func(c int) float64 {
		v := float64(c) / 255
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	rl, gl, bl := lin(r), lin(g), lin(b)
	x := (rl*0.4124 + gl*0.3576 + bl*0.1805) / 0.95047
	y := rl*0.2126 + gl*0.7152 + bl*0.0722
	z := (rl*0.0193 + gl*0.1192 + bl*0.9505) / 1.08883
	f := func(t float64) float64 {
		if t > 0.008856 {
			return math.Cbrt(t)
		}
		return 7.787*t + 16.0/116
	}
	fx, fy, fz := f(x), f(y), f(z)
	return 116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
