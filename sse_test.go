package scopix_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

type wantEvent struct {
	Type, ID, Data string
}

// readAll parses input fully and returns its events and the final error.
func readAll(r io.Reader) ([]wantEvent, *scopix.SSEReader, error) {
	sr := scopix.NewSSEReader(r)
	var out []wantEvent
	for {
		ev, err := sr.Next()
		if err != nil {
			return out, sr, err
		}
		out = append(out, wantEvent{ev.Type, ev.ID, string(ev.Data)})
	}
}

// chunkings feed the same bytes whole, one byte at a time, in halves and
// in reads that each end at a CR, so a line end or BOM split across reads
// is covered by every case.
var chunkings = map[string]func(io.Reader) io.Reader{
	"whole":          func(r io.Reader) io.Reader { return r },
	"one-byte":       iotest.OneByteReader,
	"half":           iotest.HalfReader,
	"cut-at-each-cr": func(r io.Reader) io.Reader { return &crCutReader{r: r} },
}

// crCutReader ends a read after every CR, so the LF of a CRLF always
// arrives in the next read.
type crCutReader struct {
	r   io.Reader
	buf []byte
}

func (c *crCutReader) Read(p []byte) (int, error) {
	if len(c.buf) == 0 {
		b, err := io.ReadAll(c.r)
		if err != nil {
			return 0, err
		}
		if len(b) == 0 {
			return 0, io.EOF
		}
		c.buf = b
	}
	n := len(c.buf)
	if i := bytes.IndexByte(c.buf, '\r'); i >= 0 {
		n = i + 1
	}
	n = copy(p, c.buf[:n])
	c.buf = c.buf[n:]
	return n, nil
}

func TestSSEReader_FollowsWHATWGRules(t *testing.T) {
	t.Parallel()
	bigLine := strings.Repeat("a", 4<<20)
	tests := []struct {
		name      string
		input     string
		want      []wantEvent
		lastID    string
		retry     time.Duration
		skipSlice bool // too large to feed one byte at a time
	}{
		{name: "data lines are joined with LF", input: "data: a\ndata: b\n\n",
			want: []wantEvent{{"message", "", "a\nb"}}},
		{name: "event sets the type for one event only", input: "event: token\ndata: x\n\ndata: y\n\n",
			want: []wantEvent{{"token", "", "x"}, {"message", "", "y"}}},
		{name: "id persists across events", input: "id: 7\ndata: x\n\ndata: y\n\n",
			want: []wantEvent{{"message", "7", "x"}, {"message", "7", "y"}}, lastID: "7"},
		{name: "empty id resets the last id", input: "id: 7\ndata: x\n\nid\ndata: y\n\n",
			want: []wantEvent{{"message", "7", "x"}, {"message", "", "y"}}, lastID: ""},
		{name: "id containing NUL is ignored", input: "id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n",
			want: []wantEvent{{"message", "1", "a"}, {"message", "1", "b"}}, lastID: "1"},
		{name: "id without data updates the last id but dispatches nothing", input: "id: 5\n\n",
			lastID: "5"},
		{name: "retry with digits sets the reconnection time", input: "retry: 2500\ndata: x\n\n",
			want: []wantEvent{{"message", "", "x"}}, retry: 2500 * time.Millisecond},
		{name: "retry that is not all digits is ignored", input: "retry: 2.5\nretry: -1\nretry:\ndata: x\n\n",
			want: []wantEvent{{"message", "", "x"}}},
		{name: "comments are ignored", input: ": ping\ndata: x\n: another\n\n",
			want: []wantEvent{{"message", "", "x"}}},
		{name: "a comment block alone dispatches nothing", input: ": keep-alive\n\n"},
		{name: "CR-only line ends", input: "data: a\rdata: b\r\revent: e\rdata: c\r\r",
			want: []wantEvent{{"message", "", "a\nb"}, {"e", "", "c"}}},
		{name: "CRLF line ends", input: "data: a\r\ndata: b\r\n\r\n",
			want: []wantEvent{{"message", "", "a\nb"}}},
		{name: "mixed line ends", input: "data: a\rdata: b\r\ndata: c\n\r\n",
			want: []wantEvent{{"message", "", "a\nb\nc"}}},
		{name: "LF CR is two line ends", input: "data: a\n\r",
			want: []wantEvent{{"message", "", "a"}}},
		{name: "leading BOM is skipped", input: "\xEF\xBB\xBFdata: x\n\n",
			want: []wantEvent{{"message", "", "x"}}},
		{name: "only one BOM is skipped", input: "\xEF\xBB\xBF\xEF\xBB\xBFdata: x\n\n"},
		{name: "field without colon has an empty value", input: "data\ndata\n\n",
			want: []wantEvent{{"message", "", "\n"}}},
		{name: "event without colon resets the type", input: "event\ndata: x\n\n",
			want: []wantEvent{{"message", "", "x"}}},
		{name: "exactly one space after the colon is removed", input: "data:  two\ndata:none\n\n",
			want: []wantEvent{{"message", "", " two\nnone"}}},
		{name: "colon inside the value is kept", input: "data: a: b\n\n",
			want: []wantEvent{{"message", "", "a: b"}}},
		{name: "empty data dispatches an empty event", input: "data:\n\n",
			want: []wantEvent{{"message", "", ""}}},
		{name: "event without data is not dispatched", input: "event: x\n\ndata: y\n\n",
			want: []wantEvent{{"message", "", "y"}}},
		{name: "unknown fields are ignored", input: "foo: bar\nData: no\ndata: x\n\n",
			want: []wantEvent{{"message", "", "x"}}},
		{name: "unterminated event at EOF is discarded", input: "data: a\n\ndata: b\n",
			want: []wantEvent{{"message", "", "a"}}},
		{name: "unterminated line at EOF is discarded", input: "data: a\n\nid: 9\ndata: b",
			want: []wantEvent{{"message", "", "a"}}, lastID: "9"},
		{name: "4 MiB data line", input: "data: " + bigLine + "\n\n",
			want: []wantEvent{{"message", "", bigLine}}, skipSlice: true},
		{name: "4 MiB data line with CR line ends", input: "data: " + bigLine + "\rdata: z\r\r",
			want: []wantEvent{{"message", "", bigLine + "\nz"}}, skipSlice: true},
	}
	for _, tt := range tests {
		for chunking, wrap := range chunkings {
			if tt.skipSlice && chunking != "whole" {
				continue
			}
			t.Run(tt.name+"/"+chunking, func(t *testing.T) {
				got, r, err := readAll(wrap(strings.NewReader(tt.input)))
				require.ErrorIs(t, err, io.EOF)
				assert.Equal(t, tt.want, got)
				assert.Equal(t, tt.lastID, r.LastEventID())
				assert.Equal(t, tt.retry, r.Retry())
			})
		}
	}
}

func TestSSEReader_EventLargerThanMaxIsATypedError(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"one line":   "data: " + strings.Repeat("x", scopix.MaxEventBytes) + "\n\n",
		"many lines": strings.Repeat("data: "+strings.Repeat("y", 1<<20)+"\n", 17) + "\n",
		"comment":    ":" + strings.Repeat("z", scopix.MaxEventBytes+100) + "\n",
	}
	for name, input := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, _, err := readAll(strings.NewReader(input))
			require.ErrorIs(t, err, scopix.ErrEventTooLarge)
			var base *scopix.Error
			require.ErrorAs(t, err, &base)
			assert.Equal(t, scopix.CodeSSEStream, base.Code)
		})
	}
}

func TestSSEReader_EventJustBelowMaxIsAccepted(t *testing.T) {
	t.Parallel()
	payload := strings.Repeat("x", scopix.MaxEventBytes-1) // plus the joining LF: exactly the limit
	got, _, err := readAll(strings.NewReader("data: " + payload + "\n\n"))
	require.ErrorIs(t, err, io.EOF)
	require.Len(t, got, 1)
	assert.Len(t, got[0].Data, len(payload))
}

func TestSSEReader_ReturnsTheReadErrorAsItIs(t *testing.T) {
	t.Parallel()
	boom := errors.New("connection reset")
	r := scopix.NewSSEReader(io.MultiReader(strings.NewReader("data: a\n\ndata: b\n"), iotest.ErrReader(boom)))
	ev, err := r.Next()
	require.NoError(t, err)
	assert.Equal(t, "a", string(ev.Data))
	_, err = r.Next()
	assert.ErrorIs(t, err, boom)
}

func TestSSEReader_DispatchesWithoutReadingPastTheEvent(t *testing.T) {
	t.Parallel()
	// A live stream sends nothing after an event until the next one, so any
	// read past the blank line would hold the event back.
	tests := map[string][]string{
		"LF":                       {"data: x\n\n"},
		"CR":                       {"data: x\r\r"},
		"CRLF ending on CR":        {"data: x\r\n\r"},
		"BOM":                      {"\xEF\xBB\xBFdata: x\n\n"},
		"CRLF after an event":      {"data: w\r\n\r\ndata: x\r\n\r"},
		"comment before the event": {": ping\r\n\r\ndata: x\r\r"},
		"CRLF split across reads":  {"data: x\r", "\n\r"},
	}
	for name, reads := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var rs []io.Reader
			for _, s := range reads {
				rs = append(rs, strings.NewReader(s))
			}
			rs = append(rs, iotest.ErrReader(errors.New("read past the event")))
			r := scopix.NewSSEReader(io.MultiReader(rs...))
			var last scopix.SSEEvent
			for string(last.Data) != "x" {
				ev, err := r.Next()
				require.NoError(t, err)
				last = ev
			}
		})
	}
}

func TestSSEReader_DataIsReusedUntilNext(t *testing.T) {
	t.Parallel()
	r := scopix.NewSSEReader(strings.NewReader("event: token\ndata: first\n\nevent: token\ndata: second\n\n"))
	first, err := r.Next()
	require.NoError(t, err)
	kept := string(first.Data)
	second, err := r.Next()
	require.NoError(t, err)
	assert.Equal(t, "first", kept)
	assert.Equal(t, "second", string(second.Data))
	assert.Equal(t, "token", second.Type)
}

// referenceParse is a plain transcription of the WHATWG algorithm, used as
// the oracle of the fuzz test: it only dispatches on a blank line.
func referenceParse(input []byte) ([]wantEvent, string) {
	s := string(bytes.TrimPrefix(input, []byte("\xEF\xBB\xBF")))
	var lines []string
	for {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			break // an unterminated line is not a line
		}
		lines = append(lines, s[:i])
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i++
		}
		s = s[i+1:]
	}
	var out []wantEvent
	var data strings.Builder
	eventType, lastID := "", ""
	for _, line := range lines {
		if line == "" {
			if data.Len() == 0 {
				eventType = ""
				continue
			}
			typ := eventType
			if typ == "" {
				typ = "message"
			}
			d := data.String()
			out = append(out, wantEvent{typ, lastID, d[:len(d)-1]})
			data.Reset()
			eventType = ""
			continue
		}
		if line[0] == ':' {
			continue
		}
		field, value, found := strings.Cut(line, ":")
		if found {
			value = strings.TrimPrefix(value, " ")
		}
		switch field {
		case "data":
			data.WriteString(value)
			data.WriteByte('\n')
		case "event":
			eventType = value
		case "id":
			if !strings.Contains(value, "\x00") {
				lastID = value
			}
		}
	}
	return out, lastID
}

func FuzzSSEReader(f *testing.F) {
	seeds := []string{
		"data: a\ndata: b\n\n", "event: token\nid: 1\ndata: {\"type\":\"token\"}\n\n", "id: 7\ndata: x\n\ndata: y\n\n",
		"id: 2\x003\ndata: b\n\n", "retry: 2500\ndata: x\n\n", ": ping\n\n", "data: a\rdata: b\r\r",
		"data: a\r\ndata: b\r\n\r\n", "\xEF\xBB\xBFdata: x\n\n", "data\n\n", "data:  two\n\n", "data: a\n\ndata: b\n",
		"data: b", "\r\n\r\n", "\n\r\n\r", "data: x\r", "data: x\r\r\n", "\xEF\xBB", "event: e\ndata\r\n\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, input []byte) {
		want, wantID := referenceParse(input)
		for chunking, wrap := range chunkings {
			got, r, err := readAll(wrap(bytes.NewReader(input)))
			if !errors.Is(err, io.EOF) {
				t.Fatalf("%s: unexpected error %v", chunking, err)
			}
			if len(got) != len(want) {
				t.Fatalf("%s: got %d events %q, the reference dispatched %d %q", chunking, len(got), got, len(want), want)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("%s: event %d = %q, want %q", chunking, i, got[i], want[i])
				}
			}
			if r.LastEventID() != wantID {
				t.Fatalf("%s: last event id %q, the reference has %q", chunking, r.LastEventID(), wantID)
			}
		}
	})
}
