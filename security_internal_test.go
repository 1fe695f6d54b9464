package scopix

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
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
