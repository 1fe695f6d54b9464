package scopix_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

// Every attempt of a call belongs to it, the one after a redirect too and
// under a caller's http.Client with a Timeout of its own (net/http then
// derives the request's context): each debug line names the call's request
// id, and the attempts are counted per call.
func TestEveryAttemptBelongsToItsCall(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(&lockedWriter{w: &logs, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := newWire(t)
	c := srv.NewClient(scopix.WithLogger(logger), scopix.WithHTTPClient(&http.Client{Timeout: time.Minute}))
	storage := srv.Storage()
	storage.Mux.Handle("/", script(reply{body: `{"stored":true}`}))
	srv.Mux.Handle("/", script(reply{status: 302, header: map[string]string{"Location": storage.URL + "/obj?sig=x"}}))

	var out struct{ Stored bool }
	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/files/f1/download", nil, &out))
	assert.True(t, out.Stored)

	id := srv.Last().Header.Get("X-Request-Id")
	require.NotEmpty(t, id)
	mu.Lock()
	lines := bytes.Split(bytes.TrimSpace(logs.Bytes()), []byte("\n"))
	mu.Unlock()
	require.Len(t, lines, 2, "one line per attempt: the API's redirect, then storage")
	for i, line := range lines {
		var entry struct {
			Attempt   int    `json:"attempt"`
			RequestID string `json:"request_id"`
		}
		require.NoError(t, json.Unmarshal(line, &entry))
		assert.Equal(t, id, entry.RequestID, "attempt %d", i+1)
		assert.Equal(t, i+1, entry.Attempt)
	}
}
