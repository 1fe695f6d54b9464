package scopix

import (
	"encoding/json"
	"net/http"
	"testing"
)

// FuzzParseRateLimit: any header values give a window without panicking,
// and readable ones are read exactly.
func FuzzParseRateLimit(f *testing.F) {
	f.Add("100", "41", "1767225600")
	f.Add("", "", "")
	f.Add("-1", "x", "99999999999999999999")
	f.Fuzz(func(t *testing.T, limit, remaining, reset string) {
		h := http.Header{}
		h.Set("X-RateLimit-Limit", limit)
		h.Set("X-RateLimit-Remaining", remaining)
		h.Set("X-RateLimit-Reset", reset)
		rl := parseRateLimit(h)
		if limit == "100" && rl.Limit != 100 {
			t.Fatalf("limit %q read as %d", limit, rl.Limit)
		}
	})
}

// FuzzDecodeListUnder: any answer decodes to rows or to none, never a
// panic; a bare array and the same array under each accepted key give the
// same rows.
func FuzzDecodeListUnder(f *testing.F) {
	f.Add(`[{"endpoint":"/a","request_count":3}]`)
	f.Add(`{"endpoints":[{"endpoint":"/a","request_count":3}]}`)
	f.Add(`{"items":[],"endpoints":"nope"}`)
	f.Add(`null`)
	f.Fuzz(func(t *testing.T, raw string) {
		rows := decodeListUnder[EndpointUsage](json.RawMessage(raw), topEndpointsListKeys)
		var array []json.RawMessage
		if json.Unmarshal([]byte(raw), &array) != nil {
			return
		}
		for _, key := range topEndpointsListKeys {
			wrapped, err := json.Marshal(map[string]json.RawMessage{key: json.RawMessage(raw)})
			if err != nil || rows == nil {
				continue
			}
			if again := decodeListUnder[EndpointUsage](wrapped, topEndpointsListKeys); len(again) != len(rows) {
				t.Fatalf("%s: %d rows, bare: %d", key, len(again), len(rows))
			}
		}
	})
}
