package scopix_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

func response(status int, header http.Header, body string) *http.Response {
	if header == nil {
		header = http.Header{}
	}
	return &http.Response{StatusCode: status, Header: header, Body: io.NopCloser(strings.NewReader(body))}
}

// bodyShapes are the four documented error-body shapes plus plain text and
// an empty body; each carries message "boom" and, where the shape has one,
// server code "SOME_CODE" and request id "req-body".
var bodyShapes = []struct {
	name          string
	body          string
	wantMessage   string
	wantCode      string
	wantRequestID string
}{
	{"envelope", `{"error":{"code":"SOME_CODE","message":"boom","details":{"k":"v"}},"request_id":"req-body"}`, "boom", "SOME_CODE", "req-body"},
	{"chat", `{"error":"boom","error_code":"SOME_CODE","detail":null,"timestamp":"2026-01-01T00:00:00Z"}`, "boom", "SOME_CODE", ""},
	{"files", `{"error":"SOME_CODE","message":"boom","details":{"k":"v"}}`, "boom", "SOME_CODE", ""},
	{"fastapi string", `{"detail":"boom"}`, "boom", "", ""},
	{"plain text", `boom`, "boom", "", ""},
	{"empty", ``, "", "", ""},
}

var statusTypes = []struct {
	status int
	code   string
	typed  func(error) bool
}{
	{400, scopix.CodeValidation, isType[*scopix.ValidationError]},
	{401, scopix.CodeAuth, isType[*scopix.AuthenticationError]},
	{402, scopix.CodePaymentRequired, isType[*scopix.PaymentRequiredError]},
	{403, scopix.CodePermissionDenied, isType[*scopix.PermissionError]},
	{404, scopix.CodeNotFound, isType[*scopix.ResourceNotFoundError]},
	{408, scopix.CodeTimeout, isType[*scopix.TimeoutError]},
	{409, scopix.CodeConflict, isType[*scopix.Error]},
	{413, scopix.CodeValidation, isType[*scopix.ValidationError]},
	{422, scopix.CodeValidation, isType[*scopix.ValidationError]},
	{429, scopix.CodeRateLimit, isType[*scopix.RateLimitError]},
	{500, scopix.CodeServer, isType[*scopix.ServerError]},
	{502, scopix.CodeServer, isType[*scopix.ServerError]},
	{503, scopix.CodeServer, isType[*scopix.ServerError]},
	{504, scopix.CodeServer, isType[*scopix.ServerError]},
	{507, scopix.CodeServer, isType[*scopix.ServerError]},
}

func isType[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}

func TestCheckResponse_EveryStatusAndBodyShape(t *testing.T) {
	t.Parallel()
	for _, st := range statusTypes {
		for _, shape := range bodyShapes {
			t.Run(fmt.Sprintf("%d/%s", st.status, shape.name), func(t *testing.T) {
				t.Parallel()
				h := http.Header{"X-Request-Id": {"req-header"}}
				err := scopix.CheckResponse(response(st.status, h, shape.body))
				require.Error(t, err)
				assert.True(t, st.typed(err), "want typed error for %d, got %T", st.status, err)

				var base *scopix.Error
				require.True(t, errors.As(err, &base), "every error wraps *scopix.Error")
				assert.Equal(t, st.code, base.Code)
				assert.Equal(t, st.status, base.StatusCode)
				assert.NotNil(t, base.Details)
				if shape.wantMessage != "" {
					assert.Equal(t, shape.wantMessage, base.Message)
				} else {
					assert.NotEmpty(t, base.Message, "an empty body still gets a default message")
				}
				wantID := shape.wantRequestID
				if wantID == "" {
					wantID = "req-header"
				}
				assert.Equal(t, wantID, base.RequestID)
				if shape.wantCode != "" {
					assert.Equal(t, shape.wantCode, base.Details["server_code"])
				} else {
					assert.NotContains(t, base.Details, "server_code")
				}
			})
		}
	}
}

func TestCheckResponse_SuccessIsNil(t *testing.T) {
	t.Parallel()
	for _, status := range []int{200, 201, 202, 204} {
		assert.NoError(t, scopix.CheckResponse(response(status, nil, `{}`)))
	}
}

func TestCheckResponse_QuotaCodesWinOverStatus(t *testing.T) {
	t.Parallel()
	for _, status := range []int{403, 413, 429, 507} {
		for _, code := range []string{"QUOTA_EXCEEDED", "USAGE_LIMIT_EXCEEDED", "STORAGE_QUOTA_EXCEEDED"} {
			t.Run(fmt.Sprintf("%d/%s", status, code), func(t *testing.T) {
				t.Parallel()
				body := fmt.Sprintf(`{"error":{"code":%q,"message":"Monthly limit reached","details":{"available":3,"limit":500}}}`, code)
				err := scopix.CheckResponse(response(status, nil, body))
				var quota *scopix.QuotaExceededError
				require.True(t, errors.As(err, &quota), "got %T", err)
				assert.Equal(t, 3, quota.Available)
				assert.Equal(t, 500, quota.Limit)
				assert.Equal(t, scopix.CodeQuotaExceeded, quota.Err.Code)
				assert.Equal(t, code, quota.Err.Details["server_code"])
				assert.Equal(t, 3, quota.Err.Details["available"])
				assert.False(t, scopix.IsRetryable(err), "a quota is never retried")
			})
		}
	}
}

func TestCheckResponse_ServerCodeKeptBesideSDKCode(t *testing.T) {
	t.Parallel()
	err := scopix.CheckResponse(response(401, nil, `{"error":{"code":"INVALID_API_KEY","message":"Invalid API key"}}`))
	var auth *scopix.AuthenticationError
	require.True(t, errors.As(err, &auth))
	assert.Equal(t, "AUTH_ERROR", auth.Err.Code)
	assert.Equal(t, "INVALID_API_KEY", auth.Err.Details["server_code"])
	assert.Equal(t, "Invalid API key", auth.Err.Message)
}

func TestCheckResponse_RateLimitHeaders(t *testing.T) {
	t.Parallel()
	reset := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name       string
		retryAfter func() string // evaluated when the subtest runs, not when it is queued
		want       time.Duration
		tolerance  time.Duration
	}{
		{"seconds", constant("7"), 7 * time.Second, 0},
		{"decimal seconds", constant("1.5"), 1500 * time.Millisecond, 0},
		{"http date", httpDateIn(30 * time.Second), 30 * time.Second, 2 * time.Second},
		{"date in the past", httpDateIn(-time.Hour), 0, 0},
		{"absent", constant(""), 0, 0},
		{"garbage", constant("soon"), 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			if v := tt.retryAfter(); v != "" {
				h.Set("Retry-After", v)
			}
			h.Set("X-RateLimit-Limit", "100")
			h.Set("X-RateLimit-Remaining", "0")
			h.Set("X-RateLimit-Reset", fmt.Sprint(reset.Unix()))
			err := scopix.CheckResponse(response(429, h, `{"error":{"code":"RATE_LIMIT_ERROR","message":"slow down"}}`))
			var rl *scopix.RateLimitError
			require.True(t, errors.As(err, &rl))
			assert.InDelta(t, float64(tt.want), float64(rl.RetryAfter), float64(tt.tolerance))
			assert.Equal(t, 100, rl.Limit)
			assert.Equal(t, 0, rl.Remaining)
			assert.True(t, reset.Equal(rl.Reset))
			assert.Equal(t, 100, rl.Err.Details["limit"])
			assert.True(t, scopix.IsRetryable(err))
		})
	}
}

func constant(v string) func() string { return func() string { return v } }

func httpDateIn(d time.Duration) func() string {
	return func() string { return time.Now().Add(d).UTC().Format(http.TimeFormat) }
}

func TestCheckResponse_FastAPIDetailListBecomesFields(t *testing.T) {
	t.Parallel()
	body := `{"detail":[{"loc":["body","title"],"msg":"ensure this value has at most 255 characters","type":"value_error.any_str.max_length"},
	{"loc":["query","limit",0],"msg":"must be positive","type":"value_error"}]}`
	err := scopix.CheckResponse(response(422, nil, body))
	var v *scopix.ValidationError
	require.True(t, errors.As(err, &v))
	require.Len(t, v.Fields, 2)
	assert.Equal(t, []string{"body", "title"}, v.Fields[0].Loc)
	assert.Equal(t, "value_error.any_str.max_length", v.Fields[0].Type)
	assert.Equal(t, []string{"query", "limit", "0"}, v.Fields[1].Loc)
	assert.Contains(t, v.Err.Message, "body.title: ensure this value has at most 255 characters")
}

// Where the shapes overlap, the documented universal envelope (its nested
// "error" object) wins over the top level, which wins over FastAPI's
// "detail": for the message, the server code and each key of Details.
func TestCheckResponse_OverlappingShapesPrecedence(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		body        string
		wantK       string
		wantMessage string
		wantCode    string
	}{
		{"error, top level and detail", `{"error":{"code":"E","message":"from error","details":{"k":"error"}},
			"code":"T","message":"from top","details":{"k":"top"},"detail":{"k":"detail","code":"D","message":"from detail"}}`,
			"error", "from error", "E"},
		{"top level and detail", `{"code":"T","message":"from top","details":{"k":"top"},
			"detail":{"k":"detail","code":"D","message":"from detail"}}`, "top", "from top", "T"},
		{"error and detail", `{"error":{"code":"E","message":"from error","details":{"k":"error"}},
			"detail":{"k":"detail","code":"D","message":"from detail"}}`, "error", "from error", "E"},
		{"detail only", `{"detail":{"k":"detail","code":"D","message":"from detail"}}`, "detail", "from detail", "D"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var base *scopix.Error
			require.ErrorAs(t, scopix.CheckResponse(response(409, nil, tt.body)), &base)
			assert.Equal(t, tt.wantK, base.Details["k"])
			assert.Equal(t, tt.wantMessage, base.Message)
			assert.Equal(t, tt.wantCode, base.Details["server_code"])
		})
	}
}

func TestCheckResponse_NotFoundNamesTheResource(t *testing.T) {
	t.Parallel()
	err := scopix.CheckResponse(response(404, nil,
		`{"error":{"code":"NOT_FOUND","message":"File not found","details":{"resource_type":"file","resource_id":"img_1"}}}`))
	var nf *scopix.ResourceNotFoundError
	require.True(t, errors.As(err, &nf))
	assert.Equal(t, "file", nf.ResourceType)
	assert.Equal(t, "img_1", nf.ResourceID)
}

// countingReader counts the bytes taken from it.
type countingReader struct {
	r    io.Reader
	read int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += n
	return n, err
}

func TestCheckResponse_HugeBodyIsNotReadWhole(t *testing.T) {
	t.Parallel()
	huge := &countingReader{r: bytes.NewReader(bytes.Repeat([]byte("x"), 2<<20))}
	resp := &http.Response{StatusCode: 500, Header: http.Header{}, Body: io.NopCloser(huge)}
	err := scopix.CheckResponse(resp)
	var se *scopix.ServerError
	require.True(t, errors.As(err, &se))
	assert.LessOrEqual(t, huge.read, 1<<20, "at most 1 MiB of an error body is read")
	assert.LessOrEqual(t, len(se.Error()), 1024, "a plain-text body is shortened in the message")
	restored, _ := io.ReadAll(resp.Body)
	assert.Len(t, restored, 1<<20, "what was read is put back for the caller")
}

func TestErrorTypes_ZeroValuesDoNotPanic(t *testing.T) {
	t.Parallel()
	zeros := []error{
		&scopix.Error{}, &scopix.AuthenticationError{}, &scopix.PermissionError{}, &scopix.ResourceNotFoundError{},
		&scopix.ValidationError{}, &scopix.QuotaExceededError{}, &scopix.PaymentRequiredError{}, &scopix.RateLimitError{},
		&scopix.TimeoutError{}, &scopix.ServerError{}, &scopix.ConnectionError{}, &scopix.CircuitBreakerError{},
		&scopix.UploadError{}, &scopix.DescriptionError{}, &scopix.ChatError{}, &scopix.DocumentProcessingError{},
		&scopix.CloudStorageError{}, &scopix.S3ConnectorError{}, &scopix.VideoUploadError{}, &scopix.VideoAnalysisError{},
		&scopix.SSEStreamError{},
	}
	require.Len(t, zeros, 21, "the base error and all 20 typed errors")
	for _, e := range zeros {
		assert.NotPanics(t, func() {
			assert.True(t, strings.HasPrefix(e.Error(), "scopix: "), "%T: %q", e, e.Error())
			_ = errors.Unwrap(e)
		}, "%T", e)
	}
	var nilErr *scopix.Error
	assert.NotPanics(t, func() { _ = nilErr.Error() })
}

func TestErrorTypes_AsFindsTypedAndBase(t *testing.T) {
	t.Parallel()
	cause := scopix.CheckResponse(response(429, http.Header{"Retry-After": {"3"}}, `{"error":{"code":"RATE_LIMIT_ERROR","message":"slow"}}`))
	upload := &scopix.UploadError{Err: &scopix.Error{Code: scopix.CodeUpload, Message: "upload failed", Cause: cause}, Stage: "upload"}
	var wrapped error = fmt.Errorf("my app: %w", upload)

	var ue *scopix.UploadError
	var rl *scopix.RateLimitError
	var base *scopix.Error
	require.True(t, errors.As(wrapped, &ue))
	require.True(t, errors.As(wrapped, &rl), "the HTTP error under an operation error is reachable")
	require.True(t, errors.As(wrapped, &base))
	assert.Equal(t, scopix.CodeUpload, base.Code, "the nearest *Error is the operation's")
	assert.Equal(t, 3*time.Second, rl.RetryAfter)
}

func TestIsRetryable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status int
		want   bool
	}{
		{400, false}, {401, false}, {403, false}, {404, false}, {408, true}, {409, false}, {422, false},
		{429, true}, {500, true}, {501, false}, {502, true}, {503, true}, {504, true}, {507, false},
	}
	for _, tt := range tests {
		err := scopix.CheckResponse(response(tt.status, nil, `{}`))
		assert.Equal(t, tt.want, scopix.IsRetryable(err), "status %d", tt.status)
	}
	assert.False(t, scopix.IsRetryable(nil))
	assert.False(t, scopix.IsRetryable(errors.New("plain")))
	assert.False(t, scopix.IsRetryable(&scopix.CircuitBreakerError{Err: &scopix.Error{Code: scopix.CodeCircuitOpen}}))
}

// FuzzCheckResponse feeds arbitrary bodies and statuses to the decoder: it
// must never panic, always return a typed error wrapping *scopix.Error with
// non-nil Details, and keep its message bounded.
func FuzzCheckResponse(f *testing.F) {
	for _, shape := range bodyShapes {
		f.Add(400, shape.body)
		f.Add(429, shape.body)
	}
	f.Add(422, `{"detail":[{"loc":[1,{"a":2}],"msg":5,"type":null}, 7, "x"]}`)
	f.Add(403, `{"error":{"code":"QUOTA_EXCEEDED","details":{"available":"3","limit":1e309}}}`)
	f.Add(500, `{"error":null,"detail":{"message":"m","code":"C"},"details":[1,2]}`)
	f.Add(404, "\xef\xbb\xbf{\"error\":")
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 300 || status > 999 {
			status = 300 + (status%700+700)%700
		}
		err := scopix.CheckResponse(response(status, http.Header{"Retry-After": {body}}, body))
		var base *scopix.Error
		if !errors.As(err, &base) {
			t.Fatalf("status %d: %T does not wrap *scopix.Error", status, err)
		}
		if base.Details == nil {
			t.Fatal("nil Details")
		}
		if base.Code == "" || base.StatusCode != status {
			t.Fatalf("code %q status %d", base.Code, base.StatusCode)
		}
		_ = err.Error()
	})
}
