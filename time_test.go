package scopix_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	scopix "github.com/scopix/scopix-go"
)

func TestTime_DecodesWhatFastAPISends(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want time.Time
	}{
		{"naive seconds are UTC", `"2025-01-15T10:40:00"`, time.Date(2025, 1, 15, 10, 40, 0, 0, time.UTC)},
		{"naive microseconds", `"2025-01-15T10:40:00.123456"`, time.Date(2025, 1, 15, 10, 40, 0, 123456000, time.UTC)},
		{"naive one digit", `"2025-01-15T10:40:00.5"`, time.Date(2025, 1, 15, 10, 40, 0, 500000000, time.UTC)},
		{"naive nanoseconds", `"2025-01-15T10:40:00.123456789"`, time.Date(2025, 1, 15, 10, 40, 0, 123456789, time.UTC)},
		{"space separator", `"2025-01-15 10:40:00.25"`, time.Date(2025, 1, 15, 10, 40, 0, 250000000, time.UTC)},
		{"zulu", `"2025-01-15T10:40:00Z"`, time.Date(2025, 1, 15, 10, 40, 0, 0, time.UTC)},
		{"offset", `"2025-01-15T12:40:00.1+02:00"`, time.Date(2025, 1, 15, 10, 40, 0, 100000000, time.UTC)},
		{"null", `null`, time.Time{}},
		{"empty string", `""`, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got scopix.Time
			require.NoError(t, json.Unmarshal([]byte(tt.in), &got))
			assert.True(t, tt.want.Equal(got.Time), "got %v, want %v", got.Time, tt.want)
			assert.Equal(t, tt.want.IsZero(), got.IsZero())
		})
	}
}

func TestTime_MalformedValueNamesTheField(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`"yesterday"`, `12345`, `"2025-13-01T00:00:00"`, `true`,
		// Valid RFC 3339 whose UTC year RFC 3339 cannot write (found by FuzzParseTime).
		`"9999-12-31T23:59:59-23:59"`, `"0000-01-01T00:00:00+01:00"`,
	} {
		var v struct {
			CreatedAt scopix.Time `json:"created_at"`
		}
		err := json.Unmarshal([]byte(`{"created_at":`+in+`}`), &v)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), "created_at", in)
	}
}

func TestTime_EncodesRFC3339UTC(t *testing.T) {
	t.Parallel()
	loc := time.FixedZone("X", 2*3600)
	out, err := json.Marshal(struct {
		A scopix.Time `json:"a"`
		B scopix.Time `json:"b"`
	}{A: scopix.Time{Time: time.Date(2025, 1, 15, 12, 40, 0, 5000, loc)}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"a":"2025-01-15T10:40:00.000005Z","b":null}`, string(out))
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2025-01-15T10:40:00", "2025-01-15T10:40:00.123456", "2025-01-15T10:40:00Z", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := scopix.ParseTime(s)
		if err != nil {
			return
		}
		// Whatever parses survives its own encoding unchanged.
		data, err := json.Marshal(got)
		require.NoError(t, err)
		var back scopix.Time
		require.NoError(t, json.Unmarshal(data, &back))
		assert.True(t, got.Equal(back.Time))
	})
}
