package scopix

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// pacer gives the concurrent requests of one operation (a batch upload, a
// sync, a video upload) one shared pace. While the server says the rate
// limit is spent — a 429, or X-RateLimit-Remaining: 0 with a reset time —
// the operation is paused: a rate.Limiter lets one request through at the
// reset and one per window after it, and every other worker waits for its
// turn before sending instead of discovering the 429 itself. The first
// request that succeeds after the reset lifts the pause.
//
// Between pauses the pacer spends the budget the answers report
// (X-RateLimit-Remaining until X-RateLimit-Reset) less the requests still
// in flight, so workers released together do not overrun it: a worker that
// finds it spent waits for the reset instead of drawing a 429 that would
// cost it one of its retries.
type pacer struct {
	mu    sync.Mutex
	lim   *rate.Limiter      // nil: not paused
	until time.Time          // end of the current pause
	gen   context.Context    // ended when the pause changes or is lifted
	wake  context.CancelFunc // ends gen

	inflight    int       // requests let through and not yet answered
	budget      int       // requests the server still allows before budgetReset
	budgetReset time.Time // zero: no budget known
}

type pacerKey struct{}

// withPacer gives ctx a pacer for one operation, unless an enclosing
// operation (Sync running the batch machinery) already gave it one.
func withPacer(ctx context.Context) context.Context {
	if pacerFrom(ctx) != nil {
		return ctx
	}
	return context.WithValue(ctx, pacerKey{}, &pacer{})
}

func pacerFrom(ctx context.Context) *pacer {
	p, _ := ctx.Value(pacerKey{}).(*pacer)
	return p
}

// pacedOutError reports a pause that would outlast the caller's deadline:
// the request is not sent.
type pacedOutError struct{ until time.Time }

func (e *pacedOutError) Error() string {
	return "rate limit spent until " + e.until.UTC().Format(time.RFC3339) + "; the context's deadline comes first"
}

// wait blocks until the operation may send its next request; once it
// returns nil, the caller calls done when the request is answered or failed.
func (p *pacer) wait(ctx context.Context) error {
	for {
		p.mu.Lock()
		if p.lim == nil && p.spendBudget(time.Now()) {
			p.inflight++
			p.mu.Unlock()
			return nil
		}
		// Paused: before this call, or by spendBudget finding the budget spent.
		lim, gen, until := p.lim, p.gen, p.until
		p.mu.Unlock()
		wctx, cancel := context.WithCancel(ctx)
		stop := context.AfterFunc(gen, cancel)
		err := lim.Wait(wctx)
		stop()
		cancel()
		switch {
		case err == nil:
			p.mu.Lock()
			p.inflight++
			p.mu.Unlock()
			return nil
		case ctx.Err() != nil:
			return ctx.Err()
		case gen.Err() == nil:
			// Wait refused up front: the turn comes after ctx's deadline.
			return &pacedOutError{until: until}
		}
		// The pause was lifted or moved: take a turn under the new one.
	}
}

// spendBudget takes one request from the known budget and reports whether
// it may go; when the budget is spent it pauses the operation until the
// reset and reports false. p.mu is held.
func (p *pacer) spendBudget(now time.Time) bool {
	if p.budgetReset.IsZero() || !now.Before(p.budgetReset) {
		p.budgetReset = time.Time{}
		return true
	}
	if p.budget > 0 {
		p.budget--
		return true
	}
	p.pauseLocked(now, p.budgetReset)
	return false
}

// done ends a request that wait let through.
func (p *pacer) done() {
	p.mu.Lock()
	p.inflight--
	p.mu.Unlock()
}

// observe takes what one API answer says about the rate limit: a 429, or a
// spent budget, pauses the operation until the reset; a success after the
// pause lifts it. Any answer with the rate-limit headers sets the budget:
// what the server has left, less the other requests still in flight, which
// it may not have counted yet.
func (p *pacer) observe(resp *http.Response, now time.Time) {
	if until, spent := rateLimitSpent(resp, now); spent {
		p.pause(now, until)
		return
	}
	if rl := parseRateLimit(resp.Header); rl.Limit > 0 && resp.Header.Get("X-RateLimit-Remaining") != "" && rl.Reset.After(now) {
		p.mu.Lock()
		p.budget, p.budgetReset = max(rl.Remaining-(p.inflight-1), 0), rl.Reset
		p.mu.Unlock()
	}
	if resp.StatusCode < 400 {
		p.resume(now)
	}
}

// rateLimitSpent reports whether resp says no request may be sent before
// until: a 429 that is not a quota (until: Retry-After, else
// X-RateLimit-Reset, else one second from now — inferred), or a success
// whose X-RateLimit-Remaining is 0 with a reset still ahead (documented
// (Scopix rate-limits page): X-RateLimit-Reset is a unix time).
func rateLimitSpent(resp *http.Response, now time.Time) (until time.Time, spent bool) {
	rl := parseRateLimit(resp.Header)
	if resp.StatusCode == http.StatusTooManyRequests {
		var quota *QuotaExceededError
		if errors.As(CheckResponse(resp), &quota) {
			return time.Time{}, false
		}
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
			return now.Add(d), true
		}
		if rl.Reset.After(now) {
			return rl.Reset, true
		}
		return now.Add(time.Second), true
	}
	if resp.StatusCode < 400 && rl.Limit > 0 && resp.Header.Get("X-RateLimit-Remaining") != "" &&
		rl.Remaining == 0 && rl.Reset.After(now) {
		return rl.Reset, true
	}
	return time.Time{}, false
}

// pause holds every request of the operation until until, then lets them
// through one per window until one succeeds. A pause ending earlier than
// the current one changes nothing.
func (p *pacer) pause(now, until time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pauseLocked(now, until)
}

// pauseLocked is pause with p.mu held.
func (p *pacer) pauseLocked(now, until time.Time) {
	if p.lim != nil && !until.After(p.until) {
		return
	}
	window := max(until.Sub(now), time.Millisecond)
	lim := rate.NewLimiter(rate.Every(window), 1)
	// A new limiter starts with its one token: taking it makes the first
	// turn fall on the reset.
	lim.ReserveN(now, 1)
	p.lim, p.until = lim, until
	p.restart()
}

// resume lifts a pause whose reset has passed.
func (p *pacer) resume(now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.lim == nil || now.Before(p.until) {
		// An answer to a request sent before the pause says nothing new.
		return
	}
	p.lim = nil
	p.restart()
}

// restart ends the waits under the old pause, so waiting workers take a
// turn under the new one (or none); p.mu is held.
func (p *pacer) restart() {
	if p.wake != nil {
		p.wake()
	}
	p.gen, p.wake = context.WithCancel(context.Background())
}
