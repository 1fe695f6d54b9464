// Package scopixtest runs an in-process fake of the Scopix API so you can
// test code that uses the SDK without a network or an API key.
//
// The fake keeps real state in memory: uploads create files whose
// descriptions complete after a delay, videos get analysis jobs that
// progress, chat streams real server-sent events, and import jobs progress.
// Faults can be injected to test your error handling:
//
//	srv := scopixtest.NewServer(t)
//	client := srv.Client()
//	srv.FailNext(1, http.StatusTooManyRequests, map[string]string{"Retry-After": "1"})
package scopixtest

import (
	"net/http"
	"testing"
	"time"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/internal/fakeapi"
)

// APIKey is the key the fake accepts by default.
const APIKey = fakeapi.DefaultAPIKey

// Server is a running fake Scopix API.
type Server struct {
	fake *fakeapi.Server
	tb   testing.TB // set by NewServer: clients are closed when the test ends
}

// ServerOption configures a fake server.
type ServerOption func(*fakeapi.Options)

// WithAPIKey makes the server accept key instead of APIKey.
func WithAPIKey(key string) ServerOption { return func(o *fakeapi.Options) { o.APIKey = key } }

// WithDescriptionDelay sets how long after upload a description completes (default: at once).
func WithDescriptionDelay(d time.Duration) ServerOption {
	return func(o *fakeapi.Options) { o.DescriptionDelay = d }
}

// WithFailingDescriptions makes every description fail.
func WithFailingDescriptions() ServerOption {
	return func(o *fakeapi.Options) { o.FailDescriptions = true }
}

// WithUploadQuota allows n file uploads; the next one fails with a quota error.
func WithUploadQuota(n int) ServerOption { return func(o *fakeapi.Options) { o.UploadQuota = n } }

// Plan is a subscription plan's upload limits: files per batch request
// (a larger batch is refused with HTTP 413), the concurrent uploads the
// quota check reports, and the uploads allowed in all (0: unlimited).
type Plan struct {
	MaxBatchSize         int // files per batch request (0: 100)
	MaxConcurrentUploads int // reported by the quota check (0: 30)
	MonthlyUploads       int // uploads allowed in all (0: unlimited); WithUploadQuota wins when set
}

// The documented plans (predecessor api/README.md and the Scopix
// rate-limits page). Without WithPlan the fake reports PlanProfessional's
// limits with unlimited uploads.
var (
	PlanFree         = Plan{MaxBatchSize: 10, MaxConcurrentUploads: 10, MonthlyUploads: 1000}
	PlanStarter      = Plan{MaxBatchSize: 50, MaxConcurrentUploads: 20, MonthlyUploads: 10000}
	PlanProfessional = Plan{MaxBatchSize: 100, MaxConcurrentUploads: 30, MonthlyUploads: 50000}
	PlanEnterprise   = Plan{MaxBatchSize: 200, MaxConcurrentUploads: 50}
)

// WithPlan sets the plan's limits: GET /uploads/quota-check reports them,
// and batch uploads over MaxBatchSize files are refused whole (413).
func WithPlan(p Plan) ServerOption { return func(o *fakeapi.Options) { o.Plan = fakeapi.Plan(p) } }

// WithRateLimit makes the server enforce a fixed window of requests API
// requests per window (whole seconds; 0 means a minute): once they are
// spent it answers 429 RATE_LIMIT_ERROR with Retry-After (seconds until the
// window resets). Every API answer carries X-RateLimit-Limit, -Remaining
// and -Reset (a unix time), as documented; Stats().RateLimited counts the
// 429s. Without it the server reports a window no test exhausts.
func WithRateLimit(requests int, window time.Duration) ServerOption {
	return func(o *fakeapi.Options) { o.RateLimit = fakeapi.RateLimit{Requests: requests, Window: window} }
}

// WithJobStepDelay sets how long each step of a job (video analysis, cloud
// and S3 imports) takes (default: at once).
func WithJobStepDelay(d time.Duration) ServerOption {
	return func(o *fakeapi.Options) { o.JobStepDelay = d }
}

// WithDirectUploadPartSize sets the part size the fake hands out for direct uploads.
func WithDirectUploadPartSize(n int64) ServerOption {
	return func(o *fakeapi.Options) { o.DirectUploadPartSize = n }
}

// WithVideoChunkSize sets the chunk size the fake hands out for video uploads.
func WithVideoChunkSize(n int64) ServerOption {
	return func(o *fakeapi.Options) { o.VideoChunkSize = n }
}

// WithLeanStorage makes the fake's presigned storage (the parts of direct
// uploads and the chunks of video uploads) checksum each body with CRC-32C
// instead of SHA-256. Everything is still checked: a body must match its
// Content-Length and planned size, its ETag is derived from its bytes, and
// confirm and complete refuse an ETag that does not match. Only the cost
// changes: CRC-32C takes a small fraction of SHA-256's CPU per byte, and
// bodies are read in blocks of 1 MiB (about 30 times fewer system calls),
// so a throughput benchmark whose client and fake share the machine
// measures the client. VideoChunk.CRC32C then holds each chunk's checksum and
// VideoChunk.SHA256 is empty.
func WithLeanStorage() ServerOption { return func(o *fakeapi.Options) { o.LeanStorage = true } }

// WithStreamPings adds a ping event after every n chat stream events.
func WithStreamPings(n int) ServerOption { return func(o *fakeapi.Options) { o.StreamPingEvery = n } }

// NewServer starts a fake server and stops it when the test ends.
func NewServer(t testing.TB, opts ...ServerOption) *Server {
	t.Helper()
	s := Start(opts...)
	s.tb = t
	t.Cleanup(s.Close)
	return s
}

// Start starts a fake server outside a test (examples, tools). Call Close
// when done.
func Start(opts ...ServerOption) *Server {
	var o fakeapi.Options
	for _, opt := range opts {
		opt(&o)
	}
	return &Server{fake: fakeapi.New(o)}
}

// Close stops the server and ends open connections.
func (s *Server) Close() { s.fake.Close() }

// URL is the API base URL, for scopix.WithBaseURL.
func (s *Server) URL() string { return s.fake.URL() }

// Client returns a client for this server: its URL, its key, short retry
// delays and polling intervals so tests run fast. opts are applied last and
// win. Under NewServer the client is closed when the test ends; under
// Start, Close it yourself.
func (s *Server) Client(opts ...scopix.Option) *scopix.Client {
	base := []scopix.Option{
		scopix.WithBaseURL(s.URL()),
		scopix.WithRetryDelay(5 * time.Millisecond),
		scopix.WithPollingInterval(10 * time.Millisecond),
	}
	c, err := scopix.New(s.fake.APIKey(), append(base, opts...)...)
	if err != nil {
		panic("scopixtest: " + err.Error())
	}
	if s.tb != nil {
		s.tb.Cleanup(func() { c.Close() })
	}
	return c
}

// FailNext makes the next n requests answer status with a Scopix error body
// and the given headers (e.g. "Retry-After"). Status 0 drops the connection
// without a response instead.
func (s *Server) FailNext(n int, status int, headers map[string]string) {
	s.fake.FailNext(n, status, headers)
}

// FailNextOn is FailNext for requests with this method (empty: any) whose
// path below the API root starts with pathPrefix (e.g. "/files/upload"), or
// "/storage/" for presigned storage URLs.
func (s *Server) FailNextOn(method, pathPrefix string, n, status int, headers map[string]string) {
	s.fake.FailNextOn(method, pathPrefix, n, status, headers)
}

// DropStreamAfter makes chat streams drop their connection after n events
// (0 turns it off).
func (s *Server) DropStreamAfter(events int) { s.fake.DropStreamAfter(events) }

// SetLatency delays every request by d.
func (s *Server) SetLatency(d time.Duration) { s.fake.SetLatency(d) }

// Request is one request the server saw.
type Request struct {
	Method  string      // the HTTP method
	Path    string      // unescaped path, e.g. /api/v2/files/abc
	RawPath string      // escaped path as sent
	Query   string      // the raw query, without "?"
	Header  http.Header // the request headers
	Time    time.Time   // when the server received it
}

// Requests returns every request the server saw, in order.
func (s *Server) Requests() []Request {
	return convertAll(s.fake.Requests(), func(r fakeapi.Request) Request { return Request(r) })
}

// RequestCount counts requests with method (empty: any) whose path below
// the API root starts with pathPrefix (empty: any).
func (s *Server) RequestCount(method, pathPrefix string) int {
	return s.fake.CountRequests(method, pathPrefix)
}

// Stats are the server's counters.
type Stats struct {
	Requests       int64 // every request received
	FaultsInjected int64 // requests answered by an injected fault (FailNext, FailNextOn, ...)
	AuthViolations int64 // storage requests that carried an Authorization header
	RateLimited    int64 // 429s answered by the enforced rate limit (WithRateLimit)
}

// Stats returns the request, fault and violation counters.
func (s *Server) Stats() Stats { return Stats(s.fake.Stats()) }

// convertAll converts each element of in; the types of this package mirror
// the fake's field for field, so each conversion is a plain type conversion.
func convertAll[From, To any](in []From, convert func(From) To) []To {
	if in == nil {
		return nil
	}
	out := make([]To, len(in))
	for i, v := range in {
		out[i] = convert(v)
	}
	return out
}
