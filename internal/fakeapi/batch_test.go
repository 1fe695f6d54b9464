package fakeapi

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCanonicalUUID(t *testing.T) {
	t.Parallel()
	const want = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f0"
	cases := []struct {
		in string
		ok bool
	}{
		{want, true},
		{strings.ToUpper(want), true},
		{strings.ReplaceAll(want, "-", ""), true},
		{"{" + want + "}", true},
		{"urn:uuid:" + want, true},
		{"", false},
		{"batch_1abc", false},
		{want + "0", false},
		{"0f1e2d3c-4b5a-4978-8695a-4b3c2d1e0f0", false},
		{"0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0fg", false},
		{"0f1e2d3c4b5a-4978-8695-a4b3c2d1e0f0-", false},
	}
	for _, tc := range cases {
		got, ok := canonicalUUID(tc.in)
		assert.Equal(t, tc.ok, ok, tc.in)
		if tc.ok {
			assert.Equal(t, want, got, tc.in)
		}
	}
	minted := newUUID()
	got, ok := canonicalUUID(minted)
	assert.True(t, ok)
	assert.Equal(t, minted, got, "minted ids are canonical")
	assert.Equal(t, byte('4'), minted[14], "version 4")
}

// FuzzCanonicalUUID checks that whatever is accepted comes back canonical:
// 36 characters that read back as themselves.
func FuzzCanonicalUUID(f *testing.F) {
	f.Add("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f0")
	f.Add("{0F1E2D3C4B5A49788695A4B3C2D1E0F0}")
	f.Add("urn:uuid:x")
	f.Fuzz(func(t *testing.T, in string) {
		got, ok := canonicalUUID(in)
		if !ok {
			return
		}
		assert.Len(t, got, 36)
		again, ok := canonicalUUID(got)
		assert.True(t, ok)
		assert.Equal(t, got, again)
		assert.Equal(t, strings.ToLower(got), got)
	})
}
