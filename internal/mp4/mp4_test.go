package mp4

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
)

func box(typ string, payload ...[]byte) []byte {
	body := bytes.Join(payload, nil)
	out := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
	return append(append(out, typ...), body...)
}

func mvhd(version byte, timescale uint32, duration uint64) []byte {
	if version == 1 {
		p := make([]byte, 32)
		p[0] = 1
		binary.BigEndian.PutUint32(p[20:], timescale)
		binary.BigEndian.PutUint64(p[24:], duration)
		return box("mvhd", p)
	}
	p := make([]byte, 20)
	binary.BigEndian.PutUint32(p[12:], timescale)
	binary.BigEndian.PutUint32(p[16:], uint32(duration))
	return box("mvhd", p)
}

func TestDuration(t *testing.T) {
	t.Parallel()
	ftyp := box("ftyp", []byte("isom0000"))
	tests := []struct {
		name   string
		file   []byte
		want   float64
		wantOK bool
	}{
		{"version 0 header", append(ftyp, box("moov", mvhd(0, 1000, 42500))...), 42.5, true},
		{"version 1 header", append(ftyp, box("moov", box("trak"), mvhd(1, 600, 6000))...), 10, true},
		{"no moov", ftyp, 0, false},
		{"moov without mvhd", append(ftyp, box("moov", box("trak"))...), 0, false},
		{"unknown duration", append(ftyp, box("moov", mvhd(0, 1000, 0xFFFFFFFF))...), 0, false},
		{"zero timescale", append(ftyp, box("moov", mvhd(0, 0, 10))...), 0, false},
		{"box larger than the file", append(ftyp, 0, 0, 1, 0, 'm', 'o', 'o', 'v'), 0, false},
		{"empty", nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := Duration(bytes.NewReader(tt.file), int64(len(tt.file)))
			assert.Equal(t, tt.wantOK, ok)
			assert.InDelta(t, tt.want, got, 1e-9)
		})
	}
}

// FuzzDuration: any file, however malformed, gives an answer without
// panicking, and a positive duration whenever it says it found one.
func FuzzDuration(f *testing.F) {
	f.Add(append(box("ftyp", []byte("isom")), box("moov", mvhd(0, 1000, 5000))...))
	f.Add(box("moov", mvhd(1, 600, 1)))
	f.Add([]byte{0, 0, 0, 1, 'm', 'o', 'o', 'v', 0, 0, 0, 0, 0, 0, 0, 8})
	f.Fuzz(func(t *testing.T, data []byte) {
		d, ok := Duration(bytes.NewReader(data), int64(len(data)))
		if ok && !(d > 0) {
			t.Fatalf("found a duration of %v", d)
		}
	})
}
