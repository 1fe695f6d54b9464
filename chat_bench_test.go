package scopix_test

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/scopix/scopix-go"
)

// recordedTokenStream is a chat answer of n token events as the server
// frames them (event, id and one-line JSON data), ending in complete and
// close. The accumulated text is kept to the last 64 bytes so the recording
// stays linear in n.
func recordedTokenStream(n int) []byte {
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

// BenchmarkSSEParse parses a recorded stream of 100,000 token events from
// memory with SSEReader and reports throughput and allocations per event.
func BenchmarkSSEParse(b *testing.B) {
	const tokens = 100_000
	stream := recordedTokenStream(tokens)
	events := tokens + 3
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		r := scopix.NewSSEReader(bytes.NewReader(stream))
		n := 0
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != events {
			b.Fatalf("parsed %d events, want %d", n, events)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	total := float64(events) * float64(b.N)
	b.ReportMetric(total/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/total, "allocs/event")
}

// BenchmarkChatStreamDecode is BenchmarkSSEParse plus turning each event
// into a typed ChatEvent, as Chat.Stream does.
func BenchmarkChatStreamDecode(b *testing.B) {
	const tokens = 10_000
	stream := recordedTokenStream(tokens)
	events := tokens + 3
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range scopix.DecodeChatStream(bytes.NewReader(stream)) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != events {
			b.Fatalf("decoded %d events, want %d", n, events)
		}
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
