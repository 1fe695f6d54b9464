package scopix

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkJoinURL holds joinURL to what parsing the joined string gives, for
// every request it takes.
func checkJoinURL(t *testing.T, base, path, rawQuery string) (joined bool) {
	t.Helper()
	c := &Client{baseURL: base, joinBase: joinableBase(base)}
	req := &request{path: path}
	if q, err := url.ParseQuery(rawQuery); err == nil && len(q) > 0 {
		req.query = q
	}
	if !c.joinable(req) {
		return false
	}
	want, err := url.Parse(c.target(req))
	require.NoError(t, err, "a joinable path parses")
	var got url.URL
	c.joinURL(&got, req)
	assert.Equal(t, *want, got)
	assert.Equal(t, want.String(), got.String())
	return true
}

// Requests whose path is plain are joined to the base URL without parsing
// it again, and come out as parsing would make them; the others are parsed.
func TestJoinURL_IsWhatParsingGives(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, base, path, query string
		joined                  bool
	}{
		{"a route", "https://api.scopix.ai/api/v2", "files/img_123", "", true},
		{"a query", "https://api.scopix.ai/api/v2", "files", "limit=10&offset=20&tag=a+b", true},
		{"sub-delimiters", "http://127.0.0.1:8080/api/v2", "a/b:c@d;e=f,g+h$i&j~k", "", true},
		{"a base without a path", "http://localhost:9000", "files", "", true},
		{"an escaped id", "https://api.scopix.ai/api/v2", "files/a%2Fb", "", false},
		{"a space", "https://api.scopix.ai/api/v2", "files/a b", "", false},
		{"an escaped space in the base path", "https://api.scopix.ai/a%20b", "files", "", true},
		{"an escaped slash in the base path", "https://api.scopix.ai/a%2Fb", "files", "", false},
		{"a base with an empty port", "http://localhost:/api", "files", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.joined, checkJoinURL(t, tt.base, tt.path, tt.query))
		})
	}
}

func FuzzJoinURL(f *testing.F) {
	f.Add("https://api.scopix.ai/api/v2", "files/img_123", "limit=5")
	f.Add("http://127.0.0.1:8080/api/v2", "a/b:c@d;e=f,g+h$i&j~k", "")
	f.Add("http://[::1]:8080", "x//y/./z", "a=%20&b")
	f.Fuzz(func(t *testing.T, base, path, query string) {
		if _, err := checkBaseURL(base); err != nil {
			return
		}
		checkJoinURL(t, base, path, query)
	})
}
