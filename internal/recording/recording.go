// Package recording makes recorded Scopix streams for benchmarks and tests,
// so every parser is measured on the same bytes.
package recording

import (
	"bytes"
	"fmt"
	"strings"
)

// ChatTokenStream is a chat answer of n token events framed as the Scopix
// stream frames them: "event: token", a numeric "id", and one line of JSON
// data with the token, the accumulated text and the token index. It opens
// with a connection event and ends with complete and close, so it has n+3
// events. The accumulated text is kept to its last 64 bytes: a real
// answer's grows without bound, which would make the recording quadratic in
// n and measure copying rather than parsing. Events average 167 bytes;
// 100,000 tokens make 16.7 MB.
func ChatTokenStream(n int) []byte {
	var b bytes.Buffer
	b.WriteString("event: connection\ndata: {\"type\":\"connection\",\"message_id\":\"msg_1\",\"status\":\"connected\"}\n\n")
	words := strings.Fields("the north facade shows cracking near the third floor window frames and along the parapet")
	var acc string
	for i := range n {
		w := words[i%len(words)] + " "
		acc += w
		if len(acc) > 64 {
			acc = acc[len(acc)-64:]
		}
		fmt.Fprintf(&b, "event: token\nid: %d\ndata: {\"type\":\"token\",\"content\":%q,\"accumulated\":%q,\"token_index\":%d}\n\n", i+1, w, acc, i)
	}
	b.WriteString("event: complete\ndata: {\"type\":\"complete\",\"content\":\"...\",\"message_id\":\"msg_1\"}\n\n")
	b.WriteString("event: close\ndata: {\"type\":\"close\",\"message_id\":\"msg_1\"}\n\n")
	return b.Bytes()
}
