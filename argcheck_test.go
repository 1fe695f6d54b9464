package scopix_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// argCase is a call with a bad argument and the field its
// *ValidationError must name.
type argCase struct {
	name  string
	field string
	call  func(context.Context, *scopix.Client) error
}

// runArgCases checks that every call fails with a *ValidationError naming
// its field and that none of them sends a request.
func runArgCases(t *testing.T, cases []argCase) {
	t.Helper()
	srv := scopixtest.NewServer(t)
	c := srv.Client()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(context.Background(), c)
			var ve *scopix.ValidationError
			require.ErrorAs(t, err, &ve)
			require.NotEmpty(t, ve.Fields)
			assert.Equal(t, []string{tc.field}, ve.Fields[0].Loc)
		})
	}
	assert.Zero(t, srv.Stats().Requests, "no request may be sent for invalid arguments")
}

// statusCase is a call answered with an HTTP error and a check of the
// typed error the caller gets.
type statusCase struct {
	name   string
	status int
	body   string
	call   func(context.Context, *scopix.Client) error
	check  func(t *testing.T, err error)
}

// runStatusCases answers each call with its status and body from a
// loopback server (no retries) and runs its check on the error.
func runStatusCases(t *testing.T, cases []statusCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w, c := newAnswering(t, tc.status, tc.body)
			err := tc.call(context.Background(), c)
			require.Error(t, err)
			var base *scopix.Error
			require.ErrorAs(t, err, &base, "every error wraps *scopix.Error")
			assert.Equal(t, 1, len(w.Requests()), "sent once, not retried")
			tc.check(t, err)
		})
	}
}

// isNotFound, isConflict, isValidation and isServer are the usual checks.
func isNotFound(t *testing.T, err error) {
	var nf *scopix.ResourceNotFoundError
	assert.ErrorAs(t, err, &nf)
}

func isConflict(t *testing.T, err error) {
	var base *scopix.Error
	if assert.ErrorAs(t, err, &base) {
		assert.Equal(t, scopix.CodeConflict, base.Code)
		assert.Equal(t, 409, base.StatusCode)
	}
}

func isValidation(t *testing.T, err error) {
	var ve *scopix.ValidationError
	assert.ErrorAs(t, err, &ve)
}

func isRateLimited(t *testing.T, err error) {
	var rl *scopix.RateLimitError
	assert.ErrorAs(t, err, &rl)
}

func isPermission(t *testing.T, err error) {
	var pe *scopix.PermissionError
	assert.True(t, errors.As(err, &pe), "got %v", err)
}
