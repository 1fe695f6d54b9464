package scopix

import (
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sony/gobreaker/v2"
)

var errServerStatus = errors.New("server error status")

// excludedError marks a failure caused by the caller's cancellation, which
// must not count against the breaker.
type excludedError struct{ err error }

func (e excludedError) Error() string { return e.err.Error() }

func (e excludedError) Unwrap() error { return e.err }

// breakerOpenError is returned by the transport when a breaker refuses.
type breakerOpenError struct {
	endpoint   string
	retryAfter time.Duration
}

func (e *breakerOpenError) Error() string { return "circuit breaker open for " + e.endpoint }

// breakerSet holds one breaker per endpoint key, made on first use.
type breakerSet struct {
	settings CircuitBreakerSettings
	off      bool
	logger   *slog.Logger
	mu       sync.Mutex
	breakers map[string]*trackedBreaker
}

type trackedBreaker struct {
	cb       *gobreaker.CircuitBreaker[*http.Response]
	openedAt atomic.Int64 // unix nanos of the last transition to open
}

// newBreakerSet returns breakers tuned by s that log their state changes.
func newBreakerSet(s CircuitBreakerSettings, logger *slog.Logger) *breakerSet {
	return &breakerSet{settings: s.withDefaults(), logger: logger, breakers: map[string]*trackedBreaker{}}
}

// disabledBreakerSet passes every call through (WithoutCircuitBreaker).
func disabledBreakerSet() *breakerSet { return &breakerSet{off: true} }

func (bs *breakerSet) get(key string) *trackedBreaker {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	if tb, ok := bs.breakers[key]; ok {
		return tb
	}
	tb := &trackedBreaker{}
	s := bs.settings
	tb.cb = gobreaker.NewCircuitBreaker[*http.Response](gobreaker.Settings{
		Name:        key,
		MaxRequests: uint32(s.SuccessThreshold),
		Timeout:     s.OpenTimeout,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= uint32(s.FailureThreshold) },
		OnStateChange: func(name string, from, to gobreaker.State) {
			if to == gobreaker.StateOpen {
				tb.openedAt.Store(time.Now().UnixNano())
			}
			bs.logger.Debug("scopix circuit breaker", slog.String("endpoint", name),
				slog.String("from", from.String()), slog.String("to", to.String()))
		},
		IsExcluded: func(err error) bool {
			_, excluded := err.(excludedError)
			return excluded
		},
	})
	bs.breakers[key] = tb
	return tb
}

func (bs *breakerSet) execute(key string, fn func() (*http.Response, error)) (*http.Response, error) {
	if bs.off {
		return fn()
	}
	tb := bs.get(key)
	resp, err := tb.cb.Execute(fn)
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		wait := bs.settings.OpenTimeout - time.Since(time.Unix(0, tb.openedAt.Load()))
		return nil, &breakerOpenError{endpoint: key, retryAfter: max(wait, 0)}
	}
	return resp, err
}
