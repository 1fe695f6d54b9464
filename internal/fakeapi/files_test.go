package fakeapi

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// POST /images/analyze with a JSON body takes a url or a base64 image and
// a timeout (Scopix files.md §7); base64 that does not decode is FastAPI's
// 422 naming the field.
func TestAnalyzeJSON_URLOrBase64(t *testing.T) {
	t.Parallel()
	srv := New(Options{})
	t.Cleanup(srv.Close)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 32)...)
	cases := []struct {
		name       string
		body       string
		wantStatus int
		wantLoc    []any // of the first 422 detail
		wantType   string
	}{
		{"url", `{"url":"https://example.com/a.jpg","timeout":10}`, http.StatusOK, nil, ""},
		{"base64", `{"base64":"` + base64.StdEncoding.EncodeToString(png) + `","timeout":60}`, http.StatusOK, nil, "image/png"},
		{"bad base64", `{"base64":"not base64!"}`, http.StatusUnprocessableEntity, []any{"body", "base64"}, ""},
		{"both", `{"url":"https://example.com/a.jpg","base64":"AAAA"}`, http.StatusUnprocessableEntity, []any{"body", "base64"}, ""},
		{"timeout not an int", `{"url":"https://example.com/a.jpg","timeout":"soon"}`, http.StatusUnprocessableEntity, []any{"body"}, ""},
		{"neither", `{"timeout":10}`, http.StatusBadRequest, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequest(http.MethodPost, srv.URL()+"/images/analyze", strings.NewReader(tc.body))
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+srv.APIKey())
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tc.wantStatus, resp.StatusCode)
			var got map[string]any
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
			if tc.wantLoc != nil {
				detail, _ := got["detail"].([]any)
				require.NotEmpty(t, detail, "FastAPI's validation body: %v", got)
				assert.Equal(t, tc.wantLoc, detail[0].(map[string]any)["loc"])
			}
			if tc.wantStatus == http.StatusOK {
				assert.Equal(t, "completed", got["description_status"])
				id, _ := got["image_id"].(string)
				require.NotEmpty(t, id)
				srv.Lock()
				f := srv.state.files.byID[id]
				srv.Unlock()
				require.NotNil(t, f)
				if tc.wantType != "" {
					assert.Equal(t, tc.wantType, f.ContentType)
					assert.Equal(t, png, f.Data, "the decoded image is stored")
				}
			}
		})
	}
}
