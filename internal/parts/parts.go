// Package parts uploads a file in parts, in parallel and bounded, with each
// part read from its own io.SectionReader so nothing is copied or buffered:
// memory in flight is bounded by the transport's buffers per concurrent part,
// whatever the file size. Files' direct uploads and video chunk uploads both
// use it.
package parts

import (
	"context"
	"io"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// Part is one byte range of a file, numbered from 1.
type Part struct {
	Number int
	Offset int64
	Size   int64
}

// Split cuts total bytes into parts of partSize (the last may be shorter).
func Split(total, partSize int64) []Part {
	if partSize <= 0 || total <= 0 {
		return []Part{{Number: 1, Offset: 0, Size: max(total, 0)}}
	}
	n := (total + partSize - 1) / partSize
	out := make([]Part, 0, n)
	for i := int64(0); i < n; i++ {
		off := i * partSize
		out = append(out, Part{Number: int(i + 1), Offset: off, Size: min(partSize, total-off)})
	}
	return out
}

// Reader returns a fresh reader over the part's bytes of src; call it once
// per attempt so a retry replays the part from its start.
func (p Part) Reader(src io.ReaderAt) *io.SectionReader {
	return io.NewSectionReader(src, p.Offset, p.Size)
}

// Run calls upload for every part with at most concurrency parts in flight
// and returns the results in the order of parts. The first failure cancels
// the context of the parts still running and is returned; results of the
// parts that finished are kept (zero values for the others).
func Run[R any](ctx context.Context, list []Part, concurrency int,
	upload func(ctx context.Context, p Part) (R, error)) (results []R, err error) {
	results = make([]R, len(list))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(concurrency, 1))
	for i, p := range list {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			r, err := upload(gctx, p)
			if err != nil {
				return err
			}
			results[i] = r
			return nil
		})
	}
	err = g.Wait()
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	return results, err
}

// Counter adds the bytes read through it to a shared total and calls
// report with the total, so progress is seen while bytes go out. Report
// is called one call at a time, with the total read under the same lock:
// readers count from several goroutines, and a total taken before the
// lock could reach report after a larger one. So the totals report sees
// go back only when Rewind takes bytes back.
type Counter struct {
	mu     sync.Mutex // serialises report
	total  atomic.Int64
	report func(sent int64)
}

// NewCounter returns a counter calling report (which may be nil).
func NewCounter(report func(sent int64)) *Counter { return &Counter{report: report} }

// Wrap counts the bytes read from r. Bytes of a failed attempt are taken
// back with Rewind.
func (c *Counter) Wrap(r io.Reader) *CountingReader { return &CountingReader{r: r, c: c} }

// Sent returns the bytes counted so far.
func (c *Counter) Sent() int64 { return c.total.Load() }

func (c *Counter) reportTotal() {
	if c.report == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.report(c.total.Load())
}

// CountingReader is a reader whose bytes are counted.
type CountingReader struct {
	r    io.Reader
	c    *Counter
	read int64
}

// Read reads from the wrapped reader and counts what it got.
func (cr *CountingReader) Read(p []byte) (int, error) {
	n, err := cr.r.Read(p)
	if n > 0 {
		cr.read += int64(n)
		cr.c.total.Add(int64(n))
		cr.c.reportTotal()
	}
	return n, err
}

// Rewind takes back the bytes this reader counted, when its attempt failed
// and the part will be sent again.
func (cr *CountingReader) Rewind() {
	if cr.read > 0 {
		cr.c.total.Add(-cr.read)
		cr.read = 0
	}
}
