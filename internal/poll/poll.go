// Package poll is the one polling loop behind every Wait method of the SDK.
package poll

import (
	"context"
	"errors"
	"time"
)

// ErrTimeout is returned when Config.Timeout passes before the work is done.
var ErrTimeout = errors.New("poll: timed out")

// Config says how often and how long to poll.
type Config struct {
	Interval    time.Duration // first wait between polls
	Timeout     time.Duration // overall bound (0: only the context bounds it)
	Multiplier  float64       // growth of the interval per poll (≤1: fixed)
	MaxInterval time.Duration // cap of the grown interval (0: none)
}

// Intervals returns the first n waits Config produces, for documentation and tests.
func (c Config) Intervals(n int) []time.Duration {
	out := make([]time.Duration, 0, n)
	d := c.Interval
	for range n {
		out = append(out, d)
		d = c.next(d)
	}
	return out
}

func (c Config) next(d time.Duration) time.Duration {
	if c.Multiplier > 1 {
		d = time.Duration(float64(d) * c.Multiplier)
	}
	if c.MaxInterval > 0 && d > c.MaxInterval {
		d = c.MaxInterval
	}
	return d
}

// Until calls fetch until done reports true, fetch fails, ctx ends or the
// timeout passes, waiting between polls as cfg says. progress (if non-nil)
// sees every fetched value. It returns the last value fetched with:
//   - the error done returned, when done reported true with one;
//   - fetch's error, when the caller's ctx did not end;
//   - ErrTimeout, when cfg.Timeout passed first;
//   - ctx.Err(), when the caller's ctx ended first.
func Until[T any](ctx context.Context, cfg Config, fetch func(context.Context) (T, error),
	done func(T) (bool, error), progress func(T)) (T, error) {
	pctx := ctx
	if cfg.Timeout > 0 {
		var cancel context.CancelFunc
		pctx, cancel = context.WithTimeout(ctx, cfg.Timeout)
		defer cancel()
	}
	var last T
	wait := cfg.Interval
	for {
		v, err := fetch(pctx)
		if err != nil {
			return last, ended(ctx, pctx, err)
		}
		last = v
		if progress != nil {
			progress(v)
		}
		if finished, err := done(v); finished {
			return last, err
		}
		timer := time.NewTimer(wait)
		select {
		case <-pctx.Done():
			timer.Stop()
			return last, ended(ctx, pctx, pctx.Err())
		case <-timer.C:
		}
		wait = cfg.next(wait)
	}
}

// ended tells the caller's end from the poll timeout.
func ended(ctx, pctx context.Context, err error) error {
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case pctx.Err() != nil:
		return ErrTimeout
	}
	return err
}
