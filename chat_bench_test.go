package scopix_test

import (
	"bytes"
	"io"
	"runtime"
	"testing"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/internal/recording"
)

// BenchmarkSSEParse parses a recorded stream of 100,000 token events from
// memory with SSEReader and reports throughput and allocations per event.
func BenchmarkSSEParse(b *testing.B) {
	const tokens = 100_000
	stream := recording.ChatTokenStream(tokens)
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
	stream := recording.ChatTokenStream(tokens)
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
