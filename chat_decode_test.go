package scopix_test

import (
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

func TestDecodeChatStream_EndsAsStreamDoes(t *testing.T) {
	t.Parallel()
	const (
		connection = "event: connection\ndata: {\"message_id\":\"m1\"}\n\n"
		token0     = "event: token\nid: 1\ndata: {\"content\":\"Hel\",\"token_index\":0}\n\n"
		token1     = "event: token\nid: 2\ndata: {\"content\":\"lo\",\"token_index\":1}\n\n"
		complete   = "event: complete\nid: 3\ndata: {\"content\":\"Hello\"}\n\n"
		closeEv    = "event: close\ndata: {}\n\n"
	)
	tests := []struct {
		name     string
		stream   string
		want     []scopix.ChatEventType
		wantErr  any    // nil, *scopix.ChatError or *scopix.SSEStreamError
		wantCode string // of a *ChatError
	}{
		{name: "close ends the stream", stream: connection + token0 + token1 + complete + closeEv + token1,
			want: []scopix.ChatEventType{"connection", "token", "token", "complete", "close"}},
		{name: "the end of r after complete is an end", stream: connection + token0 + complete,
			want: []scopix.ChatEventType{"connection", "token", "complete"}},
		{name: "a token index seen before is skipped", stream: token0 + token0 + token1 + closeEv,
			want: []scopix.ChatEventType{"token", "token", "close"}},
		{name: "the end of r before complete is a lost stream", stream: connection + token0,
			want: []scopix.ChatEventType{"connection", "token"}, wantErr: &scopix.SSEStreamError{}},
		{name: "an error event ends with a ChatError", stream: token0 + "event: error\ndata: {\"message\":\"quota\",\"code\":\"USAGE_LIMIT_EXCEEDED\"}\n\n" + token1,
			want: []scopix.ChatEventType{"token", "error"}, wantErr: &scopix.ChatError{}, wantCode: "USAGE_LIMIT_EXCEEDED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []scopix.ChatEventType
			var last error
			for ev, err := range scopix.DecodeChatStream(strings.NewReader(tt.stream)) {
				require.NoError(t, last, "a pair after an error")
				if ev.Type != "" {
					got = append(got, ev.Type)
				}
				last = err
			}
			assert.Equal(t, tt.want, got)
			switch want := tt.wantErr.(type) {
			case nil:
				assert.NoError(t, last)
			case *scopix.ChatError:
				require.ErrorAs(t, last, &want)
				assert.Equal(t, tt.wantCode, want.Err.Code)
			case *scopix.SSEStreamError:
				require.ErrorAs(t, last, &want)
				assert.ErrorIs(t, last, io.ErrUnexpectedEOF)
				assert.Equal(t, "1", want.LastEventID)
			}
		})
	}
}
