package scopix

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scopix/scopix-go/internal/parts"
)

// FuzzRedirectPolicy checks the redirect rules against any pair of URLs a
// server could send: never from https to plain http off loopback, and the
// credentials only back to the scheme and host the chain began at.
func FuzzRedirectPolicy(f *testing.F) {
	f.Add("https://api.scopix.ai/api/v2/files", "http://api.scopix.ai/api/v2/files/")
	f.Add("https://api.scopix.ai/api/v2/files", "https://storage.example/obj?sig=1")
	f.Add("https://api.scopix.ai/x", "http://127.0.0.1:9/x")
	f.Add("http://localhost:1/x", "https://LOCALHOST:1/x")
	f.Add("https://a/x", "HTTP://a/x")
	f.Fuzz(func(t *testing.T, first, next string) {
		fu, err1 := url.Parse(first)
		nu, err2 := url.Parse(next)
		if err1 != nil || err2 != nil {
			return
		}
		keep, err := redirectPolicy(fu, fu, nu)
		if err == nil && fu.Scheme == "https" && nu.Scheme != "https" && !isLoopback(nu.Hostname()) {
			t.Fatalf("followed %q -> %q", first, next)
		}
		if keep && (fu.Host != nu.Host || fu.Scheme != nu.Scheme) {
			t.Fatalf("kept credentials from %q to %q", first, next)
		}
		if err != nil && keep {
			t.Fatal("refused and kept credentials")
		}
	})
}

// Guards issue item 13 at the type: every way of printing a credential,
// directly or inside a struct, redacts.
func TestCredential_EveryFormattingRedacts(t *testing.T) {
	t.Parallel()
	cred := newCredential("scopix_live_topsecret")
	holder := struct {
		Exported credential
		hidden   credential
	}{cred, cred}
	var out []string
	for _, v := range []any{cred, &cred, holder, &holder} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
			out = append(out, fmt.Sprintf(verb, v))
		}
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", "cred", cred, "holder", holder)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("m", "cred", cred, "holder", holder)
	out = append(out, buf.String(), cred.String(), cred.GoString(), cred.LogValue().String())
	for _, s := range out {
		if strings.Contains(s, "topsecret") {
			t.Fatalf("credential printed: %s", s)
		}
	}
	if got := cred()[0]; got != "Bearer scopix_live_topsecret" {
		t.Fatalf("header = %q", got)
	}
}

// FuzzParseRetryAfter checks the Retry-After decoder against anything a
// server could send: never a negative wait, nothing when unreadable, and
// a readable number of seconds taken as it is.
func FuzzParseRetryAfter(f *testing.F) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for _, seed := range []string{"", "0", "1.5", "120", "1e10", "NaN", "+Inf", "-Inf", "-1", "1e400", "0x10",
		"Wed, 21 Oct 2015 07:28:00 GMT", "Tue, 01 Dec 2026 12:00:30 GMT", " 7 ", "soon"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := parseRetryAfter(v, now)
		if d < 0 {
			t.Fatalf("negative wait %v for %q", d, v)
		}
		if !ok && d != 0 {
			t.Fatalf("unreadable %q gave %v", v, d)
		}
		if secs, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && secs >= 0 && secs < 1e9 {
			if !ok || math.Abs(d.Seconds()-secs) > 1e-6*max(secs, 1) {
				t.Fatalf("%q: got %v, %v", v, d, ok)
			}
		}
	})
}

func TestParseRetryAfter_Table(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"2", 2 * time.Second, true},
		{"0.25", 250 * time.Millisecond, true},
		{"1e10", maxRetryAfter, true},
		{"+Inf", maxRetryAfter, true},
		{"1e400", maxRetryAfter, true},
		{"NaN", 0, false},
		{"-3", 0, false},
		{"-Inf", 0, false},
		{"Tue, 01 Dec 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Tue, 01 Dec 2026 11:00:00 GMT", 0, true},
		{"later", 0, false},
	}
	for _, tt := range tests {
		d, ok := parseRetryAfter(tt.in, now)
		if d != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, d, ok, tt.want, tt.ok)
		}
	}
}

// FuzzVideoPlans feeds the chunk plans any sizes and counts a server could
// send: a plan is refused or covers the file exactly in at most
// maxVideoChunks chunks, and nothing is allocated beyond that.
func FuzzVideoPlans(f *testing.F) {
	f.Add(int64(4<<30), int64(1), 1, 1, 0, int64(0))
	f.Add(int64(100), int64(10), 10, 10, 3, int64(30))
	f.Add(int64(100), int64(0), 0, 7, 2, int64(29))
	f.Add(int64(1), int64(1<<62), 1, 1, 0, int64(0))
	f.Fuzz(func(t *testing.T, size, chunkSize int64, listed, total, completed int, uploaded int64) {
		if size <= 0 || size > MaxVideoUploadBytes || listed < 0 || listed > 20000 {
			return
		}
		sess := &videoUploadSession{ChunkSizeBytes: chunkSize, TotalChunks: total, Chunks: make([]videoChunk, listed)}
		for i := range sess.Chunks {
			sess.Chunks[i] = videoChunk{ChunkNumber: i + 1, UploadURL: "u"}
		}
		if list, _, err := videoPlan(sess, size); err == nil {
			checkCover(t, list, size)
		}
		prog := &VideoUploadProgress{TotalChunks: total, ChunkSizeBytes: chunkSize, ChunksCompleted: completed,
			BytesUploaded: uploaded, TotalBytes: size}
		if send, skipped, err := videoResumePlan(prog, size); err == nil {
			checkCover(t, append(send, skipped...), size)
		}
	})
}

func checkCover(t *testing.T, list []parts.Part, size int64) {
	if len(list) > maxVideoChunks {
		t.Fatalf("%d chunks", len(list))
	}
	var sum int64
	for _, p := range list {
		sum += p.Size
	}
	if sum != size {
		t.Fatalf("chunks cover %d of %d bytes", sum, size)
	}
}

// Guards issue item 12: WithProxyURL (or SCOPIX_PROXY_URL) was silently
// dropped when WithHTTPClient was given; the default transport honours the
// proxy environment (HTTPS_PROXY, NO_PROXY), as the README says.
func TestProxy_CombinationWithHTTPClientIsRefused(t *testing.T) {
	_, err := New(key, WithHTTPClient(&http.Client{}), WithProxyURL("http://proxy.internal:3128"))
	var v *ValidationError
	if !errors.As(err, &v) || v.Fields[0].Loc[0] != "proxy_url" {
		t.Fatalf("got %v, want a *ValidationError naming proxy_url", err)
	}
	t.Setenv("SCOPIX_API_KEY", key)
	t.Setenv("SCOPIX_PROXY_URL", "http://proxy.internal:3128")
	if _, err := NewFromEnv(WithHTTPClient(&http.Client{})); !errors.As(err, &v) {
		t.Fatalf("SCOPIX_PROXY_URL with WithHTTPClient: got %v", err)
	}
	t.Setenv("SCOPIX_PROXY_URL", "")
	c, err := New(key)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.transports[0].Proxy == nil {
		t.Fatal("the default transport ignores HTTPS_PROXY/NO_PROXY")
	}
}

// Guards issue item 10: WithPollingInterval(0) busy-polled (thousands of
// polls a second). Zero means the default, as WithTimeout(0) does; the same
// for SCOPIX_POLLING_INTERVAL=0 and for every Wait option's Interval.
func TestPolling_ZeroMeansTheDefault(t *testing.T) {
	t.Parallel()
	c, err := New(key, WithPollingInterval(0), WithPollingTimeout(0))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.cfg.pollingInterval != DefaultPollingInterval || c.cfg.pollingTimeout != DefaultPollingTimeout {
		t.Fatalf("interval %v, timeout %v", c.cfg.pollingInterval, c.cfg.pollingTimeout)
	}
	if cfg := c.pollConfig(0, 0); cfg.Interval != DefaultPollingInterval || cfg.Timeout != DefaultPollingTimeout {
		t.Fatalf("a zero Wait option gave %+v", cfg)
	}
	var env config = defaultConfig()
	if err := env.fromEnv(lookupIn(map[string]string{"SCOPIX_POLLING_INTERVAL": "0"})); err != nil {
		t.Fatal(err)
	}
	envClient, err := newClient(key, env)
	if err != nil {
		t.Fatal(err)
	}
	defer envClient.Close()
	if envClient.cfg.pollingInterval != DefaultPollingInterval {
		t.Fatalf("SCOPIX_POLLING_INTERVAL=0 gave %v", envClient.cfg.pollingInterval)
	}
}
