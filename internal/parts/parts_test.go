package parts

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestSplit_CoversTheFileExactly(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		total, size int64
		want        []Part
	}{
		{10, 4, []Part{{1, 0, 4}, {2, 4, 4}, {3, 8, 2}}},
		{8, 4, []Part{{1, 0, 4}, {2, 4, 4}}},
		{3, 10, []Part{{1, 0, 3}}},
		{0, 10, []Part{{1, 0, 0}}},
		{5, 0, []Part{{1, 0, 5}}},
	} {
		assert.Equal(t, tc.want, Split(tc.total, tc.size), "Split(%d, %d)", tc.total, tc.size)
	}
}

func TestPartReader_ReplaysItsRangeEveryTime(t *testing.T) {
	t.Parallel()
	src := bytes.NewReader([]byte("0123456789"))
	p := Part{Number: 2, Offset: 4, Size: 3}
	for range 2 {
		got, err := io.ReadAll(p.Reader(src))
		require.NoError(t, err)
		assert.Equal(t, "456", string(got))
	}
}

// The parts sleep on a synctest clock: every worker is busy before any
// sleep ends, however loaded the machine.
func TestRun_ResultsInPartOrderWithBoundedConcurrency(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		list := Split(100, 10)
		var cur, peak atomic.Int64
		res, err := Run(context.Background(), list, 3, func(ctx context.Context, p Part) (int, error) {
			n := cur.Add(1)
			defer cur.Add(-1)
			for m := peak.Load(); n > m && !peak.CompareAndSwap(m, n); m = peak.Load() {
			}
			time.Sleep(time.Duration(10-p.Number) * time.Millisecond) // later parts finish first
			return p.Number * 10, nil
		})
		require.NoError(t, err)
		for i, r := range res {
			assert.Equal(t, (i+1)*10, r)
		}
		assert.LessOrEqual(t, peak.Load(), int64(3))
		assert.Greater(t, peak.Load(), int64(1))
	})
}

func TestRun_FirstFailureCancelsTheRest(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		boom := errors.New("boom")
		var started atomic.Int64
		res, err := Run(context.Background(), Split(100, 10), 2, func(ctx context.Context, p Part) (int, error) {
			started.Add(1)
			if p.Number == 1 {
				return 0, boom
			}
			select {
			case <-ctx.Done():
				return 0, ctx.Err()
			case <-time.After(time.Second):
				return 1, nil
			}
		})
		assert.ErrorIs(t, err, boom)
		assert.Len(t, res, 10, "a place for every part's result")
		assert.Less(t, started.Load(), int64(10), "no new part starts after a failure")
	})
}

func TestRun_CallerCancellation(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, Split(10, 5), 2, func(ctx context.Context, p Part) (int, error) { return 1, nil })
	assert.ErrorIs(t, err, context.Canceled)
}

func TestCounter_CountsWhileReadingAndRewindsFailedAttempts(t *testing.T) {
	t.Parallel()
	var reports []int64
	c := NewCounter(func(sent int64) { reports = append(reports, sent) })
	r := c.Wrap(io.LimitReader(bytes.NewReader(make([]byte, 100)), 100))
	buf := make([]byte, 30)
	for {
		if _, err := r.Read(buf); err == io.EOF {
			break
		}
	}
	assert.Equal(t, []int64{30, 60, 90, 100}, reports)
	assert.Equal(t, int64(100), c.Sent())

	r.Rewind()
	assert.Equal(t, int64(0), c.Sent(), "a failed attempt's bytes no longer count")
	r.Rewind()
	assert.Equal(t, int64(0), c.Sent(), "rewinding twice takes nothing more")
}

// Parts count from several goroutines. A part whose report is held up
// while another part counts more bytes still cannot report after it: the
// totals report sees never go back.
func TestCounter_ReportsNeverGoBackAcrossReaders(t *testing.T) {
	t.Parallel()
	var c *Counter
	var mu sync.Mutex
	var reports []int64
	var calls atomic.Int64
	held, secondDone := make(chan struct{}), make(chan struct{})
	c = NewCounter(func(sent int64) {
		if calls.Add(1) == 1 {
			close(held)
			// The other part counts its bytes while this report runs, and
			// reports them unless it has to wait for this report to end.
			for c.Sent() < 150 {
				runtime.Gosched()
			}
			select {
			case <-secondDone:
			case <-time.After(50 * time.Millisecond):
			}
		}
		mu.Lock()
		defer mu.Unlock()
		reports = append(reports, sent)
	})
	first := c.Wrap(bytes.NewReader(make([]byte, 100)))
	second := c.Wrap(bytes.NewReader(make([]byte, 50)))
	var wg sync.WaitGroup
	wg.Go(func() { _, _ = first.Read(make([]byte, 100)) })
	<-held
	wg.Go(func() {
		defer close(secondDone)
		_, _ = second.Read(make([]byte, 50))
	})
	wg.Wait()

	assert.True(t, slices.IsSorted(reports), "reports %v never go back", reports)
	assert.Equal(t, int64(150), reports[len(reports)-1])
}
