package scopix

import (
	"context"
	"sync"
	"time"
)

// backgroundTasks runs best-effort cleanups (the abort of a failed upload)
// that must not hold up a caller whose context ended. Each is bounded by
// its own timeout; Client.Close waits for those still running, so the
// cleanup is done and nothing outlives the client.
type backgroundTasks struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

func newBackgroundTasks() *backgroundTasks { return &backgroundTasks{} }

// run starts fn with a context that keeps parent's values but not its
// cancellation and ends after timeout. The returned channel is closed when
// fn returns. After close, fn is not run.
func (b *backgroundTasks) run(parent context.Context, timeout time.Duration, fn func(ctx context.Context)) <-chan struct{} {
	done := make(chan struct{})
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		close(done)
		return done
	}
	b.wg.Add(1)
	b.mu.Unlock()
	go func() {
		defer b.wg.Done()
		defer close(done)
		ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), timeout)
		defer cancel()
		fn(ctx)
	}()
	return done
}

// cleanup runs fn in the background and waits for it while ctx lasts. It
// reports whether fn finished; false means the caller's context ended
// first and fn goes on alone, still bounded by timeout.
func (b *backgroundTasks) cleanup(ctx context.Context, timeout time.Duration, fn func(ctx context.Context)) bool {
	done := b.run(ctx, timeout, fn)
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}

// close refuses new tasks and waits for the running ones (each bounded by
// its timeout).
func (b *backgroundTasks) close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.wg.Wait()
}
