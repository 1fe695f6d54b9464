package poll

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// script returns a fetch that yields values in order and records when it ran.
func script(values []string, at *[]time.Duration, start time.Time) func(context.Context) (string, error) {
	i := 0
	return func(context.Context) (string, error) {
		*at = append(*at, time.Since(start))
		v := values[min(i, len(values)-1)]
		i++
		return v, nil
	}
}

func doneOn(final string) func(string) (bool, error) {
	return func(v string) (bool, error) { return v == final, nil }
}

func TestUntil_BackoffIntervals(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want []time.Duration // time of each poll since start
	}{
		{"fixed", Config{Interval: 2 * time.Second, Timeout: time.Hour},
			[]time.Duration{0, 2 * time.Second, 4 * time.Second, 6 * time.Second}},
		{"x1.5 capped at 15s", Config{Interval: 2 * time.Second, Timeout: time.Hour, Multiplier: 1.5, MaxInterval: 15 * time.Second},
			[]time.Duration{0, 2 * time.Second, 5 * time.Second, 9500 * time.Millisecond, 16250 * time.Millisecond,
				26375 * time.Millisecond, 41375 * time.Millisecond, 56375 * time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				values := make([]string, len(tt.want))
				for i := range values {
					values[i] = "running"
				}
				values[len(values)-1] = "done"
				var at []time.Duration
				var seen []string
				got, err := Until(context.Background(), tt.cfg, script(values, &at, time.Now()), doneOn("done"),
					func(v string) { seen = append(seen, v) })
				require.NoError(t, err)
				assert.Equal(t, "done", got)
				assert.Equal(t, tt.want, at)
				assert.Equal(t, values, seen, "progress sees every poll")
			})
		})
	}
}

func TestUntil_Endings(t *testing.T) {
	failed := errors.New("job failed")
	fetchErr := errors.New("network down")
	synctest.Test(t, func(t *testing.T) {
		var at []time.Duration
		last, err := Until(context.Background(), Config{Interval: time.Second, Timeout: 3500 * time.Millisecond},
			script([]string{"a", "b", "c", "d", "e"}, &at, time.Now()), doneOn("never"), nil)
		assert.ErrorIs(t, err, ErrTimeout)
		assert.Equal(t, "d", last, "the last value seen comes back with the timeout")

		last, err = Until(context.Background(), Config{Interval: time.Second},
			script([]string{"a", "failed"}, &at, time.Now()),
			func(v string) (bool, error) {
				if v == "failed" {
					return true, failed
				}
				return false, nil
			}, nil)
		assert.ErrorIs(t, err, failed)
		assert.Equal(t, "failed", last)

		calls := 0
		last, err = Until(context.Background(), Config{Interval: time.Second},
			func(context.Context) (string, error) {
				calls++
				if calls == 2 {
					return "", fetchErr
				}
				return "a", nil
			}, doneOn("never"), nil)
		assert.ErrorIs(t, err, fetchErr)
		assert.Equal(t, "a", last)

		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(1500*time.Millisecond, cancel)
		_, err = Until(ctx, Config{Interval: time.Second, Timeout: time.Hour},
			script([]string{"a"}, &at, time.Now()), doneOn("never"), nil)
		assert.ErrorIs(t, err, context.Canceled)

		ctx, cancel = context.WithTimeout(context.Background(), 1500*time.Millisecond)
		defer cancel()
		_, err = Until(ctx, Config{Interval: time.Second, Timeout: time.Hour},
			script([]string{"a"}, &at, time.Now()), doneOn("never"), nil)
		assert.ErrorIs(t, err, context.DeadlineExceeded, "the caller's deadline is not the poll timeout")
		assert.NotErrorIs(t, err, ErrTimeout)
	})
}

func TestConfig_Intervals(t *testing.T) {
	t.Parallel()
	c := Config{Interval: 2 * time.Second, Multiplier: 1.5, MaxInterval: 15 * time.Second}
	assert.Equal(t, []time.Duration{2 * time.Second, 3 * time.Second, 4500 * time.Millisecond, 6750 * time.Millisecond,
		10125 * time.Millisecond, 15 * time.Second, 15 * time.Second}, c.Intervals(7))
}
