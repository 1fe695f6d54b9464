package scopix

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/scopix/scopix-go/internal/poll"
)

// pollConfig resolves a Wait method's Timeout and Interval against the
// client's polling defaults: zero means the default. A negative value is
// kept, for waitFor to refuse.
func (c *Client) pollConfig(timeout, interval time.Duration) poll.Config {
	if timeout == 0 {
		timeout = c.cfg.pollingTimeout
	}
	if interval == 0 {
		interval = c.cfg.pollingInterval
	}
	return poll.Config{Interval: interval, Timeout: timeout}
}

// checkWait refuses a negative Interval or Timeout of a Wait method's
// options; a negative interval would poll without pause. An ...AndWait
// method checks its options with it before it starts anything.
func checkWait(timeout, interval time.Duration) error {
	if err := checkDuration("interval", interval); err != nil {
		return err
	}
	return checkDuration("timeout", timeout)
}

// waitFor runs the shared polling loop and turns its endings into SDK
// errors: the poll timeout and the caller's deadline become a *TimeoutError
// carrying the last value seen, a cancellation an error that
// errors.Is(err, context.Canceled). done reports true when polling should
// stop, with the typed error of a failed operation if any. what names the
// operation in messages ("description of img_1").
func waitFor[T any](ctx context.Context, cfg poll.Config, what string,
	fetch func(context.Context) (T, error), done func(T) (bool, error), progress func(T)) (T, error) {
	var zero T
	if ctx == nil {
		return zero, validationError("ctx", "must not be nil")
	}
	if err := checkWait(cfg.Timeout, cfg.Interval); err != nil {
		return zero, err
	}
	// lastSeen stays nil until a poll succeeds, so a timeout before the first
	// answer does not report a typed nil as the last result.
	var lastSeen any
	observe := func(v T) {
		lastSeen = v
		if progress != nil {
			progress(v)
		}
	}
	last, err := poll.Until(ctx, cfg, fetch, done, observe)
	switch {
	case err == nil:
		return last, nil
	case errors.Is(err, poll.ErrTimeout):
		e := newError(CodeTimeout, fmt.Sprintf("timed out after %s waiting for %s", cfg.Timeout, what), context.DeadlineExceeded)
		return last, &TimeoutError{Err: e, LastResult: lastSeen}
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		return last, newError(CodeCanceled, "canceled while waiting for "+what, context.Canceled)
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil:
		e := newError(CodeTimeout, "deadline exceeded while waiting for "+what, context.DeadlineExceeded)
		return last, &TimeoutError{Err: e, LastResult: lastSeen}
	}
	return last, err
}

// endingJob is what a wait reads of the job it polls (a transfer job, a
// batch, a link's crawl, a video analysis): whether it has ended, and the
// typed error of one that ended without success.
type endingJob interface {
	IsTerminal() bool
	// failure is the typed error of a job that ended failed or cancelled,
	// nil for one that succeeded.
	failure(id string) error
}

// untilEnded is waitFor's done check for job id: polling stops once the
// job has ended, with its failure.
func untilEnded[J endingJob](id string) func(J) (bool, error) {
	return func(j J) (bool, error) {
		if !j.IsTerminal() {
			return false, nil
		}
		return true, j.failure(id)
	}
}

// waitJob is every wait on a job that ends (a transfer job, a batch, a
// link's crawl, a video analysis): it polls get until job id has ended,
// and a failed or cancelled job comes back with its typed error. what names
// the job in messages ("S3 import job …"), idField the id in the
// *ValidationError of an unusable one.
func waitJob[J endingJob](ctx context.Context, cfg poll.Config, what, idField, id string,
	get func(context.Context, string) (J, error), onProgress func(J)) (J, error) {
	if err := checkID(idField, id); err != nil {
		var zero J
		return zero, err
	}
	fetch := func(ctx context.Context) (J, error) { return get(ctx, id) }
	return waitFor(ctx, cfg, what, fetch, untilEnded[J](id), onProgress)
}

// newTransferJobError is the base error of a failed or cancelled job.
func newTransferJobError(code, kind, jobID string, status JobStatus, reason string, failedFiles int) *Error {
	msg := fmt.Sprintf("%s job %s %s", kind, jobID, status)
	if reason != "" {
		msg += ": " + reason
	}
	e := newError(code, msg, nil)
	e.Details["job_id"] = jobID
	e.Details["job_status"] = string(status)
	e.Details["failed_files"] = failedFiles
	return e
}
