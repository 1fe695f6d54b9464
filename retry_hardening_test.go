package scopix_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

// Guards issue item 8: a Retry-After over ~1e9 s was treated as absent
// (the SDK retried on its own backoff) and NaN gave a negative wait. Any
// wait longer than MaxRetryWait returns at once with the *RateLimitError;
// an unreadable value falls back to the backoff.
func TestRetryAfter_EdgeValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		value    string
		atOnce   bool // the typed error returns after one request
		wantWait bool // RateLimitError.RetryAfter is above MaxRetryWait
	}{
		{"1e10", true, true},
		{"99999999999999999999", true, true},
		{"1e400", true, true},
		{"+Inf", true, true},
		{"Infinity", true, true},
		{"NaN", false, false},
		{"-5", false, false},
		{"soon", false, false},
		{"-Inf", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			t.Parallel()
			srv := newWire(t, scopix.WithMaxRetries(2))
			srv.Mux.Handle("/", script(reply{status: 429, header: map[string]string{"Retry-After": tt.value}}))
			c := srv.Client
			err := c.Do(context.Background(), http.MethodGet, "/x", nil, nil)
			var rl *scopix.RateLimitError
			require.ErrorAs(t, err, &rl)
			assert.GreaterOrEqual(t, rl.RetryAfter, 0*rl.RetryAfter, "never a negative wait")
			if tt.atOnce {
				assert.Len(t, srv.Requests(), 1, "a wait beyond MaxRetryWait is not taken")
			} else {
				assert.Len(t, srv.Requests(), 3, "an unreadable value falls back to the backoff")
			}
			assert.Equal(t, tt.wantWait, rl.RetryAfter > scopix.DefaultMaxRetryWait)
		})
	}
}

// oneShot is a reader that can be read once: no Seek, no ReadAt.
type oneShot struct{ r io.Reader }

func (o *oneShot) Read(p []byte) (int, error) { return o.r.Read(p) }

// Guards issue item 9: a one-shot reader answered by 503 was reported as a
// retryable *ConnectionError wrapping "cannot replay", and the server's
// answer was lost.
func TestUploadReader_OneShotReaderReportsTheServersAnswer(t *testing.T) {
	t.Parallel()
	srv := newWire(t)
	srv.Mux.Handle("/", script(reply{status: 503, body: `{"error":{"code":"SERVICE_UNAVAILABLE","message":"busy, try later"}}`}))
	c := srv.Client
	_, err := c.Files.UploadReader(context.Background(), "a.jpg", &oneShot{strings.NewReader("jpegdata")}, 8, nil)

	var se *scopix.ServerError
	require.ErrorAs(t, err, &se, "got %v", err)
	assert.Equal(t, 503, se.Err.StatusCode)
	assert.Contains(t, se.Err.Message, "busy, try later", "the server's answer is kept")
	assert.Contains(t, se.Err.Message, "cannot be replayed", "the replay limit is named")
	assert.True(t, scopix.IsRetryable(err), "a caller retrying with a fresh reader can succeed after a 503")
	assert.False(t, isType[*scopix.ConnectionError](err))
	assert.Len(t, srv.Requests(), 1)
}

// seekOnly hides bytes.Reader's ReadAt, so the upload replays it by seeking.
type seekOnly struct{ r *bytes.Reader }

func (s *seekOnly) Read(p []byte) (int, error)                { return s.r.Read(p) }
func (s *seekOnly) Seek(off int64, whence int) (int64, error) { return s.r.Seek(off, whence) }

// Guards issue item 5 (run with -race): a retry sought the caller's reader
// (and rewound the progress counter) while net/http's write loop could
// still read the previous attempt's body, because the server answered 503
// before reading it. The retried body must arrive whole.
func TestUploadReader_RetryWaitsForThePreviousBody(t *testing.T) {
	t.Parallel()
	payload := bytes.Repeat([]byte("0123456789abcdef"), 1<<18) // 4 MiB
	var mu sync.Mutex
	attempts := 0
	var got []byte
	// A 1ns backoff starts the retry while the first body may still be
	// on its way.
	wire := newWire(t, scopix.WithRetryDelay(1))
	wire.Mux.HandleFunc("POST /files/upload", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		attempts++
		n := attempts
		mu.Unlock()
		if n == 1 {
			// Answer before reading: the client is still writing the body.
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		require.NoError(t, r.ParseMultipartForm(1<<20))
		f, _, err := r.FormFile("file")
		require.NoError(t, err)
		data, _ := io.ReadAll(f)
		mu.Lock()
		got = data
		mu.Unlock()
		io.WriteString(w, `{"image_id":"img1","filename":"a.jpg","status":"completed"}`)
	})
	var progress []int64
	res, err := wire.Client.Files.UploadReader(context.Background(), "a.jpg", &seekOnly{bytes.NewReader(payload)}, int64(len(payload)),
		&scopix.UploadParams{OnProgress: func(p scopix.UploadProgress) { progress = append(progress, p.SentBytes) }})
	require.NoError(t, err)
	assert.Equal(t, "img1", res.ImageID)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, 2, attempts)
	assert.True(t, bytes.Equal(payload, got), "the retried body is the whole file, in order")
	require.NotEmpty(t, progress)
	assert.Equal(t, int64(len(payload)), progress[len(progress)-1])
}

// Guards issue item 10: a negative Interval in a Wait option polled
// without pause; it is a *ValidationError, nothing sent.
func TestWait_NegativeIntervalIsRefused(t *testing.T) {
	t.Parallel()
	srv := newWire(t)
	srv.Mux.Handle("/", script(ok200))
	c := srv.Client
	ctx := context.Background()
	calls := map[string]func() error{
		"Files.WaitForDescription": func() error {
			_, err := c.Files.WaitForDescription(ctx, "f1", &scopix.WaitDescriptionOptions{Interval: -1})
			return err
		},
		"CloudStorage.WaitForJob": func() error {
			_, err := c.CloudStorage.WaitForJob(ctx, "j1", &scopix.WaitJobOptions{Interval: -1})
			return err
		},
		"VideoAnalysis.WaitForCompletion": func() error {
			_, err := c.VideoAnalysis.WaitForCompletion(ctx, "j1", &scopix.WaitAnalysisOptions{Interval: -1})
			return err
		},
	}
	for name, call := range calls {
		var v *scopix.ValidationError
		require.ErrorAs(t, call(), &v, name)
		assert.Equal(t, "interval", v.Fields[0].Loc[0], name)
	}
	assert.Empty(t, srv.Requests())
}
