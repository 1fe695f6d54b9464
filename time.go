package scopix

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"time"
)

// Time is a timestamp as the Scopix API sends it. It embeds time.Time, so
// every time.Time method works on it directly (t.IsZero(), t.Before(u.Time)).
//
// Decoding is tolerant of what FastAPI servers send: RFC 3339 with or without
// a zone offset (no zone means UTC) and with 0 to 9 fractional digits, so
// "2025-01-15T10:40:00", "2025-01-15T10:40:00.123456" and
// "2025-01-15T10:40:00Z" all decode. JSON null and "" leave the zero value.
// Anything else fails the answer with a BAD_RESPONSE error that names the
// field. Time encodes as RFC 3339 in UTC, and the zero value as null.
type Time struct {
	time.Time
}

// naiveLayout matches a timestamp without a zone; time.Parse accepts any
// number of fractional digits after the seconds when the layout has none.
const naiveLayout = "2006-01-02T15:04:05"

// ParseTime parses a timestamp with the rules Time uses when it decodes JSON.
// A time whose UTC year falls outside 0–9999 is an error: RFC 3339 cannot
// write it, so it could not be encoded and read back.
func ParseTime(s string) (Time, error) {
	t, err := parseTime(s)
	if err != nil {
		return Time{}, err
	}
	if y := t.UTC().Year(); y < 0 || y > 9999 {
		return Time{}, fmt.Errorf("parsing time %q: year %d in UTC is outside 0-9999", s, y)
	}
	return t, nil
}

func parseTime(s string) (Time, error) {
	if s == "" {
		return Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return Time{t}, nil
	}
	// FastAPI sometimes separates date and time with a space.
	naive := s
	if len(naive) > 10 && naive[10] == ' ' {
		naive = naive[:10] + "T" + naive[11:]
		if t, err := time.Parse(time.RFC3339Nano, naive); err == nil {
			return Time{t}, nil
		}
	}
	t, err := time.Parse(naiveLayout, naive)
	if err != nil {
		return Time{}, err
	}
	return Time{t.UTC()}, nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Time) UnmarshalJSON(data []byte) error {
	if bytes.Equal(data, []byte("null")) {
		*t = Time{}
		return nil
	}
	s, err := strconv.Unquote(string(data))
	if err == nil {
		var parsed Time
		if parsed, err = ParseTime(s); err == nil {
			*t = parsed
			return nil
		}
	}
	// An UnmarshalTypeError lets encoding/json add the struct and field name,
	// so the BAD_RESPONSE error says which field was malformed.
	return &json.UnmarshalTypeError{Value: "timestamp " + truncateForError(data), Type: timeType}
}

// MarshalJSON implements json.Marshaler: RFC 3339 in UTC, or null when zero.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(strconv.Quote(t.UTC().Format(time.RFC3339Nano))), nil
}

// String formats the time as RFC 3339 in UTC, or "" when zero.
func (t Time) String() string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

var timeType = reflect.TypeFor[Time]()

// truncateForError keeps a malformed value short enough to quote in an error.
func truncateForError(data []byte) string {
	const limit = 64
	if len(data) > limit {
		return string(data[:limit]) + "…"
	}
	return string(data)
}
