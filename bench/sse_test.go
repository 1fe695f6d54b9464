package bench

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	r3sse "github.com/r3labs/sse/v2"
	gosse "github.com/tmaxmax/go-sse"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/internal/recording"
)

// sseTokens is the number of token events in the recorded stream.
const sseTokens = 100_000

// parsed is what every contender reports for one pass over the stream, so
// the benchmarks can check they all did the same job.
type parsed struct {
	events    int
	dataBytes int
	lastID    string
}

// sseEvent is one event as the agreement test compares them.
type sseEvent struct{ typ, id, data string }

// parser is one contender: it parses stream completely and calls each for
// every event (each may be nil).
type parser struct {
	name string
	run  func(stream []byte, each func(typ, id string, data []byte)) (parsed, error)
	// framingOnly marks a contender that splits events but does not parse
	// their fields; it reports raw event blocks, not data.
	framingOnly bool
}

var parsers = []parser{
	{name: "scopix", run: parseScopix},
	{name: "scopix-owned", run: parseScopixOwned},
	{name: "go-sse", run: parseGoSSE},
	{name: "r3labs-client", run: parseR3Client},
	{name: "r3labs-framing", run: parseR3Framing, framingOnly: true},
}

// parseScopix reads with the SDK's reader. Data is a view valid until the
// next event, as in Chat.Stream, which decodes it at once.
func parseScopix(stream []byte, each func(string, string, []byte)) (parsed, error) {
	var p parsed
	r := scopix.NewSSEReader(bytes.NewReader(stream))
	for {
		ev, err := r.Next()
		if err == io.EOF {
			return p, nil
		}
		if err != nil {
			return p, err
		}
		p.events++
		p.dataBytes += len(ev.Data)
		p.lastID = ev.ID
		if each != nil {
			each(ev.Type, ev.ID, ev.Data)
		}
	}
}

// sink keeps owned copies reachable so the compiler cannot drop them.
var sink string

// parseScopixOwned is parseScopix plus copying each event's data into a
// string the caller owns, which is what go-sse hands out.
func parseScopixOwned(stream []byte, each func(string, string, []byte)) (parsed, error) {
	return parseScopix(stream, func(typ, id string, data []byte) {
		sink = string(data)
		if each != nil {
			each(typ, id, data)
		}
	})
}

// parseGoSSE reads with github.com/tmaxmax/go-sse's Read iterator. It
// leaves Type empty for unnamed events; none are in the recording.
func parseGoSSE(stream []byte, each func(string, string, []byte)) (parsed, error) {
	var p parsed
	for ev, err := range gosse.Read(bytes.NewReader(stream), nil) {
		if err != nil {
			return p, err
		}
		p.events++
		p.dataBytes += len(ev.Data)
		p.lastID = ev.LastEventID
		if each != nil {
			each(ev.Type, ev.LastEventID, []byte(ev.Data))
		}
	}
	return p, nil
}

// replayTransport answers every request with the recorded stream.
type replayTransport struct{ stream []byte }

func (t replayTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"text/event-stream"}},
		Body:          io.NopCloser(bytes.NewReader(t.stream)),
		ContentLength: -1, Request: req,
	}, nil
}

// noReconnect is a backoff.BackOff that never retries (backoff.Stop is -1),
// so the r3labs client returns at the end of the recording.
type noReconnect struct{}

func (noReconnect) NextBackOff() time.Duration { return -1 }
func (noReconnect) Reset()                     {}

// parseR3Client runs github.com/r3labs/sse/v2's Client end to end: its
// public parser only frames events, and its field parsing lives inside the
// client, behind an HTTP request (served from memory here) and a goroutine
// that hands each event to the caller over a channel.
func parseR3Client(stream []byte, each func(string, string, []byte)) (parsed, error) {
	var p parsed
	c := r3sse.NewClient("http://recorded.invalid/chat/stream")
	c.Connection = &http.Client{Transport: replayTransport{stream}}
	c.ReconnectStrategy = noReconnect{}
	err := c.SubscribeRawWithContext(context.Background(), func(ev *r3sse.Event) {
		p.events++
		p.dataBytes += len(ev.Data)
		p.lastID = string(ev.ID)
		if each != nil {
			each(string(ev.Event), string(ev.ID), ev.Data)
		}
	})
	return p, err
}

// parseR3Framing uses r3labs' public EventStreamReader: it splits the
// stream into raw event blocks and parses no field, so it does less work
// than every other contender; dataBytes counts whole blocks.
func parseR3Framing(stream []byte, each func(string, string, []byte)) (parsed, error) {
	var p parsed
	r := r3sse.NewEventStreamReader(bytes.NewReader(stream), 1<<16)
	for {
		block, err := r.ReadEvent()
		if errors.Is(err, io.EOF) {
			return p, nil
		}
		if err != nil {
			return p, err
		}
		p.events++
		p.dataBytes += len(block)
		if each != nil {
			each("", "", block)
		}
	}
}

// checkPass fails the benchmark when a contender did not see every event.
func checkPass(b *testing.B, name string, p parsed, err error) {
	if err != nil {
		b.Fatalf("%s: %v", name, err)
	}
	if p.events != sseTokens+3 {
		b.Fatalf("%s: %d events, want %d", name, p.events, sseTokens+3)
	}
}

// BenchmarkSSE parses the same recorded 100,000-token chat stream from
// memory with each contender, one sub-benchmark each.
func BenchmarkSSE(b *testing.B) {
	stream := recording.ChatTokenStream(sseTokens)
	events := float64(sseTokens + 3)
	for _, ps := range parsers {
		b.Run(ps.name, func(b *testing.B) {
			b.SetBytes(int64(len(stream)))
			b.ReportAllocs()
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for b.Loop() {
				p, err := ps.run(stream, nil)
				checkPass(b, ps.name, p, err)
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/events/float64(b.N), "allocs/event")
		})
	}
}

// BenchmarkSSEInterleaved parses the stream once with every contender per
// iteration, rotating the order, so all of them meet the same machine load.
// It reports each one's MB/s and allocs/event and how many times longer
// each peer takes than the SDK's reader (x-<peer>, above 1 means the SDK
// is faster).
func BenchmarkSSEInterleaved(b *testing.B) {
	stream := recording.ChatTokenStream(sseTokens)
	events := float64(sseTokens + 3)
	elapsed := make([]time.Duration, len(parsers))
	allocs := make([]uint64, len(parsers))
	var ms runtime.MemStats
	n := 0
	for b.Loop() {
		for k := range parsers {
			i := (n + k) % len(parsers)
			runtime.ReadMemStats(&ms)
			before := ms.Mallocs
			start := time.Now()
			p, err := parsers[i].run(stream, nil)
			elapsed[i] += time.Since(start)
			runtime.ReadMemStats(&ms)
			allocs[i] += ms.Mallocs - before
			checkPass(b, parsers[i].name, p, err)
		}
		n++
	}
	for i, ps := range parsers {
		b.ReportMetric(mbPerSec(int64(len(stream))*int64(n), elapsed[i].Seconds()), ps.name+"-MB/s")
		b.ReportMetric(float64(allocs[i])/events/float64(n), ps.name+"-allocs/event")
		if i > 0 {
			b.ReportMetric(float64(elapsed[i])/float64(elapsed[0]), "x-"+ps.name)
		}
	}
}

// TestParsersAgree checks on a short recording that every full parser
// yields the same events, so the benchmarks compare equal work, and that
// r3labs' framing sees the same number of blocks.
func TestParsersAgree(t *testing.T) {
	stream := recording.ChatTokenStream(1000)
	var want []sseEvent
	_, err := parseScopix(stream, func(typ, id string, data []byte) {
		want = append(want, sseEvent{typ, id, string(data)})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 1003 || want[1].typ != "token" || want[1].id != "1" || !strings.Contains(want[1].data, `"token_index":0`) {
		t.Fatalf("scopix reader: unexpected events: %d, first token %+v", len(want), want[1])
	}
	for _, ps := range parsers[1:] {
		var got []sseEvent
		_, err := ps.run(stream, func(typ, id string, data []byte) {
			got = append(got, sseEvent{typ, id, string(data)})
		})
		if err != nil {
			t.Fatalf("%s: %v", ps.name, err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d events, want %d", ps.name, len(got), len(want))
		}
		if ps.framingOnly {
			continue
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s: event %d = %+v, want %+v", ps.name, i, got[i], want[i])
			}
		}
	}
}
