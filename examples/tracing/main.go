// Command tracing traces every Scopix API call with OpenTelemetry through
// scopix.WithMiddleware, and propagates the W3C trace context (traceparent)
// to the server, so the API's own spans join yours.
//
// Each attempt of a request becomes a client span, the child of whatever
// span is in the context you pass to the SDK; a retried request shows up as
// two spans. The spans are printed to stdout by the stdout exporter; in
// production, use an OTLP exporter instead.
//
// Without SCOPIX_API_KEY it runs against the built-in fake API (scopixtest),
// so it needs no network and no key:
//
//	cd examples/tracing && go run .
//
// The SDK itself has no OpenTelemetry dependency: this program is its own
// module, and the middleware below is all the glue there is.
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/examples/internal/exampleenv"
	"github.com/scopix/scopix-go/scopixtest"
)

func main() {
	exporter, err := stdouttrace.New()
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, exporter); err != nil {
		log.Fatal(err)
	}
}

// Tracing returns a middleware that wraps every attempt in a client span
// named after the method and the route, records the status and the request
// and correlation ids, and injects the span's context into the request
// headers with the global propagator (W3C traceparent and tracestate).
func Tracing(tracer trace.Tracer) scopix.Middleware {
	return func(req *http.Request, next scopix.MiddlewareNext) (*http.Response, error) {
		ctx, span := tracer.Start(req.Context(), req.Method+" "+route(req.URL.Path),
			trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(
				attribute.String("http.request.method", req.Method),
				attribute.String("url.path", req.URL.Path),
				attribute.String("server.address", req.URL.Hostname()),
				attribute.String("scopix.request_id", req.Header.Get("X-Request-ID")),
			))
		defer span.End()
		if id := scopix.CorrelationID(ctx); id != "" {
			span.SetAttributes(attribute.String("scopix.correlation_id", id))
		}
		req = req.WithContext(ctx)
		otel.GetTextMapPropagator().Inject(ctx, propagation.HeaderCarrier(req.Header))

		resp, err := next(req)
		if err != nil {
			span.RecordError(err)
			span.SetStatus(codes.Error, err.Error())
			return nil, err
		}
		span.SetAttributes(attribute.Int("http.response.status_code", resp.StatusCode))
		if resp.StatusCode >= 400 {
			span.SetStatus(codes.Error, resp.Status)
		}
		return resp, nil
	}
}

// route keeps span names few: the API path with ids replaced by {id}.
func route(path string) string {
	parts := strings.Split(strings.TrimPrefix(path, "/api/v2"), "/")
	for i, p := range parts {
		if strings.ContainsAny(p, "0123456789") && strings.ContainsAny(p, "_-") {
			parts[i] = "{id}"
		}
	}
	return strings.Join(parts, "/")
}

// run uploads an image, waits for its description and lists the files,
// all under one parent span, and prints what the server saw.
func run(ctx context.Context, out io.Writer, exporter sdktrace.SpanExporter) error {
	provider := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exporter))
	defer provider.Shutdown(context.Background())
	otel.SetTracerProvider(provider)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	tracer := provider.Tracer("github.com/scopix/scopix-go/examples/tracing")

	env, err := exampleenv.Open(&exampleenv.Setup{
		Out:    out,
		Fake:   []scopixtest.ServerOption{scopixtest.WithDescriptionDelay(50 * time.Millisecond)},
		Client: []scopix.Option{scopix.WithMiddleware(Tracing(tracer))},
	})
	if err != nil {
		return err
	}
	defer env.Close()
	client, fake := env.Client, env.Fake

	ctx, root := tracer.Start(ctx, "describe-one-image")
	ctx = scopix.WithCorrelationID(ctx, "tracing-example")
	if err := work(ctx, client, fake); err != nil {
		root.End()
		return err
	}
	root.End()

	if fake != nil {
		fmt.Fprintln(out, "traceparent headers the server received:")
		for _, r := range fake.Requests() {
			fmt.Fprintf(out, "  %-6s %-28s %s\n", r.Method, route(r.Path), r.Header.Get("traceparent"))
		}
		fmt.Fprintln(out, "trace id of the parent span:", root.SpanContext().TraceID())
	}
	return nil
}

// work is the application's own code: it knows nothing about tracing.
func work(ctx context.Context, client *scopix.Client, fake *scopixtest.Server) error {
	png := []byte("\x89PNG\r\n\x1a\n")
	res, err := client.Files.UploadReader(ctx, "label.png", bytes.NewReader(png), int64(len(png)), nil)
	if err != nil {
		return err
	}
	if _, err := client.Files.WaitForDescription(ctx, res.ImageID, nil); err != nil {
		return err
	}
	if fake != nil {
		// One 503 that the client retries: two spans for one call.
		fake.FailNextOn(http.MethodGet, "/files", 1, http.StatusServiceUnavailable, nil)
	}
	_, err = client.Files.List(ctx, nil)
	return err
}
