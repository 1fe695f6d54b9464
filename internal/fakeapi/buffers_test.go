package fakeapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.uber.org/goleak"
)

// The fake serves from goroutines; its tests leave none behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Storage reads bodies through buffers it lends and takes back: a buffer
// given back is lent again, and at most keptBodyBuffers idle ones are
// kept, so reading many bodies costs no allocation after the first and
// holds no more memory than that.
func TestBodyBuffers_ReusesAndKeepsAFew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts Options
		size int
	}{
		{"lean storage", Options{LeanStorage: true}, 1 << 20},
		{"regular storage", Options{}, 64 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := newBodyBuffers(storageBufferSize(tt.opts))
			first := b.get()
			assert.Len(t, first, tt.size)
			b.put(first)
			assert.Same(t, &first[0], &b.get()[0], "a buffer given back is lent again")

			lent := make([][]byte, keptBodyBuffers+3)
			for i := range lent {
				lent[i] = b.get()
			}
			for _, buf := range lent {
				b.put(buf)
			}
			assert.Len(t, b.free, keptBodyBuffers, "only a few idle buffers are kept")
		})
	}
}
