// Package mp4 reads what the SDK needs from ISO base media files (MP4, MOV,
// M4V) without decoding them: only box headers are touched.
package mp4

import (
	"encoding/binary"
	"io"
)

// Duration reads the duration from the movie header of an MP4,
// MOV or M4V file (the mvhd box inside moov), touching only box headers.
func Duration(r io.ReaderAt, size int64) (float64, bool) {
	moovStart, moovEnd, ok := findBox(r, 0, size, "moov")
	if !ok {
		return 0, false
	}
	start, end, ok := findBox(r, moovStart, moovEnd, "mvhd")
	if !ok || end-start < 20 {
		return 0, false
	}
	var h [32]byte
	n, _ := r.ReadAt(h[:min(int64(len(h)), end-start)], start)
	var timescale, duration uint64
	switch {
	case h[0] == 1 && n >= 32:
		timescale, duration = uint64(binary.BigEndian.Uint32(h[20:24])), binary.BigEndian.Uint64(h[24:32])
	case h[0] == 0 && n >= 20:
		timescale, duration = uint64(binary.BigEndian.Uint32(h[12:16])), uint64(binary.BigEndian.Uint32(h[16:20]))
	default:
		return 0, false
	}
	// An all-ones duration means "unknown" in the container format.
	if timescale == 0 || duration == 0 || duration == 0xFFFFFFFF || duration == ^uint64(0) {
		return 0, false
	}
	return float64(duration) / float64(timescale), true
}

// findBox finds the first ISO-BMFF box of type typ between start and
// end and returns the range of its payload.
func findBox(r io.ReaderAt, start, end int64, typ string) (int64, int64, bool) {
	var h [16]byte
	for off, boxes := start, 0; off+8 <= end && boxes < 4096; boxes++ {
		if _, err := r.ReadAt(h[:8], off); err != nil {
			return 0, 0, false
		}
		size, headerLen := int64(binary.BigEndian.Uint32(h[:4])), int64(8)
		switch size {
		case 0:
			size = end - off
		case 1:
			if _, err := r.ReadAt(h[8:16], off+8); err != nil {
				return 0, 0, false
			}
			size, headerLen = int64(binary.BigEndian.Uint64(h[8:16])), 16
		}
		if size < headerLen || size > end-off {
			return 0, 0, false
		}
		if string(h[4:8]) == typ {
			return off + headerLen, off + size, true
		}
		off += size
	}
	return 0, 0, false
}
