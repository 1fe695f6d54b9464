package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// The example runs on the fake: every attempt is a span under the parent,
// the retried 503 is a span of its own, and every request the server saw
// carried the parent's trace id in traceparent.
func TestRun_TracesEveryAttemptAndPropagatesTraceparent(t *testing.T) {
	t.Setenv("SCOPIX_API_KEY", "")
	exporter := tracetest.NewInMemoryExporter()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out, keepSpans{exporter}); err != nil {
		t.Fatal(err)
	}

	spans := exporter.GetSpans()
	var root tracetest.SpanStub
	for _, s := range spans {
		if s.Name == "describe-one-image" {
			root = s
		}
	}
	traceID := root.SpanContext.TraceID().String()
	if !root.SpanContext.IsValid() {
		t.Fatalf("no parent span among %d spans", len(spans))
	}
	statuses := map[string]int{}
	for _, s := range spans {
		if s.Name == root.Name {
			continue
		}
		if s.SpanContext.TraceID() != root.SpanContext.TraceID() || s.Parent.SpanID() != root.SpanContext.SpanID() {
			t.Errorf("span %q is not a child of the parent span", s.Name)
		}
		for _, a := range s.Attributes {
			if a.Key == "http.response.status_code" {
				statuses[s.Name+" "+a.Value.String()]++
			}
		}
	}
	if statuses["GET /files 503"] != 1 || statuses["GET /files 200"] != 1 {
		t.Errorf("want the retried list as two spans, got %v", statuses)
	}
	if statuses["POST /files/upload 201"]+statuses["POST /files/upload 200"] != 1 {
		t.Errorf("want one upload span, got %v", statuses)
	}

	lines := 0
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "  ") {
			lines++
			if !strings.Contains(line, "00-"+traceID+"-") {
				t.Errorf("request without the parent's traceparent: %q", line)
			}
		}
	}
	if lines < 4 {
		t.Errorf("want at least four requests, got %d:\n%s", lines, out.String())
	}
}

// keepSpans keeps the recorded spans past the provider's shutdown.
type keepSpans struct{ *tracetest.InMemoryExporter }

func (keepSpans) Shutdown(context.Context) error { return nil }
