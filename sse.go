package scopix

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"
)

// MaxEventBytes is the largest server-sent event an SSEReader accepts: an
// event whose data, or a line whose value, is larger is an error.
const MaxEventBytes = 16 << 20

// sseMaxLine bounds one line: a value of MaxEventBytes plus its field name.
const sseMaxLine = MaxEventBytes + 64

// ErrEventTooLarge is the cause of the *Error an SSEReader returns when an
// event or a line exceeds MaxEventBytes; test for it with errors.Is.
var ErrEventTooLarge = errors.New("server-sent event exceeds MaxEventBytes")

// sseReadBufferSize is the initial buffer of a reader; it grows up to
// sseMaxLine for a longer line.
const sseReadBufferSize = 64 << 10

// SSEEvent is one event dispatched by an SSEReader.
type SSEEvent struct {
	// Type is the event's "event:" field, or "message" when it had none.
	Type string
	// ID is the last event ID at dispatch: the most recent "id:" field seen
	// on the stream, in this event or an earlier one.
	ID string
	// Data is the event's "data:" lines joined with "\n". It is only valid
	// until the next call to Next; copy it to keep it.
	Data []byte
}

// SSEReader reads server-sent events from a byte stream following the
// WHATWG HTML "event stream interpretation" rules: "data:" lines are joined
// with "\n"; "id:" sets the last event ID (ignored when it contains NUL);
// "event:" sets the type; "retry:" with only ASCII digits sets the
// reconnection time; lines starting with ":" are comments; lines end with CR,
// LF or CRLF; a leading byte order mark is skipped; a line without a colon is
// a field with an empty value; one space after the colon is removed; an
// event is dispatched by a blank line, and one left unterminated at the end
// of the stream is discarded. Unknown fields are ignored.
//
// The reader knows nothing about what the events mean. It reuses its
// buffers, so parsing costs no allocation per event beyond the ID string
// when the ID changes. It is not safe for concurrent use.
type SSEReader struct {
	sc        *bufio.Scanner
	data      []byte // the data buffer of the event being built
	eventType []byte
	hasType   bool
	lastID    string
	retry     time.Duration
	afterCR   bool // the previous line ended in CR; an LF right after it belongs to it
	started   bool // the leading BOM has been dealt with
	types     map[string]string
}

// NewSSEReader returns a reader of the event stream r.
func NewSSEReader(r io.Reader) *SSEReader {
	sr := &SSEReader{sc: bufio.NewScanner(r), types: map[string]string{}}
	sr.sc.Buffer(make([]byte, sseReadBufferSize), sseMaxLine)
	sr.sc.Split(sr.splitLine)
	return sr
}

// LastEventID returns the last event ID the stream set: the value to send
// as Last-Event-ID when reconnecting.
func (r *SSEReader) LastEventID() string { return r.lastID }

// Retry returns the reconnection time the server asked for with "retry:",
// or 0 when it never did.
func (r *SSEReader) Retry() time.Duration { return r.retry }

// Next returns the next event. At the end of the stream it returns io.EOF
// (an unterminated last event is discarded); a read error is returned as
// it is; an event or line larger than MaxEventBytes gives an *Error with
// Code SSE_STREAM_ERROR whose cause is ErrEventTooLarge.
func (r *SSEReader) Next() (SSEEvent, error) {
	for {
		line, err := r.readLine()
		if err != nil {
			r.resetEvent()
			return SSEEvent{}, err
		}
		if len(line) == 0 {
			if ev, ok := r.dispatch(); ok {
				return ev, nil
			}
			continue
		}
		if err := r.processLine(line); err != nil {
			r.resetEvent()
			return SSEEvent{}, err
		}
	}
}

// dispatch ends the current event. An event without data is not
// dispatched; its type is forgotten (the id it set is kept).
func (r *SSEReader) dispatch() (SSEEvent, bool) {
	if len(r.data) == 0 {
		r.resetEvent()
		return SSEEvent{}, false
	}
	ev := SSEEvent{Type: "message", ID: r.lastID, Data: r.data[:len(r.data)-1]}
	if r.hasType && len(r.eventType) > 0 {
		ev.Type = r.internType(r.eventType)
	}
	r.resetEvent()
	return ev, true
}

func (r *SSEReader) resetEvent() {
	r.data = r.data[:0]
	r.eventType = r.eventType[:0]
	r.hasType = false
}

// internType returns a string for an event type without allocating for
// types seen before; a stream has only a handful of them.
func (r *SSEReader) internType(b []byte) string {
	if s, ok := r.types[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(r.types) < 256 {
		r.types[s] = s
	}
	return s
}

var (
	sseFieldData  = []byte("data")
	sseFieldEvent = []byte("event")
	sseFieldID    = []byte("id")
	sseFieldRetry = []byte("retry")
)

func (r *SSEReader) processLine(line []byte) error {
	if line[0] == ':' {
		return nil
	}
	field, value := line, []byte(nil)
	if i := bytes.IndexByte(line, ':'); i >= 0 {
		field, value = line[:i], line[i+1:]
		if len(value) > 0 && value[0] == ' ' {
			value = value[1:]
		}
	}
	switch {
	case bytes.Equal(field, sseFieldData):
		if len(r.data)+len(value)+1 > MaxEventBytes {
			return sseEventTooLarge()
		}
		r.data = append(r.data, value...)
		r.data = append(r.data, '\n')
	case bytes.Equal(field, sseFieldEvent):
		r.eventType = append(r.eventType[:0], value...)
		r.hasType = true
	case bytes.Equal(field, sseFieldID):
		if bytes.IndexByte(value, 0) < 0 && string(value) != r.lastID {
			r.lastID = string(value)
		}
	case bytes.Equal(field, sseFieldRetry):
		if ms, ok := sseParseDigits(value); ok {
			r.retry = time.Duration(ms) * time.Millisecond
		}
	}
	return nil
}

// sseParseDigits reads a non-empty run of ASCII digits; anything else, or a
// value too large to be a sane wait, is rejected.
func sseParseDigits(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 12 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

func sseEventTooLarge() error {
	e := newError(CodeSSEStream, fmt.Sprintf("server-sent event larger than %d bytes", MaxEventBytes), ErrEventTooLarge)
	e.Details["max_event_bytes"] = MaxEventBytes
	return e
}

var sseBOM = []byte{0xEF, 0xBB, 0xBF}

// readLine returns the next line without its terminator. The slice is
// valid until the next read. A line still unterminated at the end of the
// stream is not a line: io.EOF is returned instead.
func (r *SSEReader) readLine() ([]byte, error) {
	if r.sc.Scan() {
		return r.sc.Bytes(), nil
	}
	switch err := r.sc.Err(); {
	case err == nil:
		return nil, io.EOF
	case errors.Is(err, bufio.ErrTooLong):
		return nil, sseEventTooLarge()
	default:
		return nil, err
	}
}

// splitLine is the bufio.SplitFunc of the WHATWG end-of-line rules: a line
// ends at CRLF, CR or LF, and a leading byte order mark is dropped. A CR
// ends its line at once, even as the last byte read so far, so a live
// stream is never held waiting for the next byte; an LF right after it is
// skipped with the next line. The skipped bytes go with a line because a
// Scanner given no token reads again before splitting what it holds.
func (r *SSEReader) splitLine(data []byte, atEOF bool) (int, []byte, error) {
	skip := 0
	switch {
	case !r.started && bytes.HasPrefix(data, sseBOM):
		skip = len(sseBOM)
	case !r.started && !atEOF && bytes.HasPrefix(sseBOM, data):
		return 0, nil, nil // perhaps a BOM cut short by the read
	case r.afterCR && len(data) > 0 && data[0] == '\n':
		skip = 1
	}
	i := sseIndexLineEnd(data[skip:])
	if i < 0 {
		// Unterminated: wait for more; at the end of the stream it is dropped.
		return 0, nil, nil
	}
	r.started, r.afterCR = true, data[skip+i] == '\r'
	return skip + i + 1, data[skip : skip+i], nil
}

// sseIndexLineEnd returns the index of the first CR or LF in b, or -1.
func sseIndexLineEnd(b []byte) int {
	lf := bytes.IndexByte(b, '\n')
	search := b
	if lf >= 0 {
		search = b[:lf]
	}
	if cr := bytes.IndexByte(search, '\r'); cr >= 0 {
		return cr
	}
	return lf
}
