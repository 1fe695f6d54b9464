package scopix

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPages_StopRules(t *testing.T) {
	t.Parallel()
	errBoom := errors.New("boom")
	type page struct {
		items []int
		more  bool
		err   error
	}
	tests := []struct {
		name    string
		pages   []page
		breakAt int // stop ranging after this many items (0: never)
		want    []int
		wantErr bool
		fetches int
	}{
		{"single page", []page{{items: []int{1, 2}}}, 0, []int{1, 2}, false, 1},
		{"follows has_more", []page{{items: []int{1}, more: true}, {items: []int{2}}}, 0, []int{1, 2}, false, 2},
		{"empty page with has_more stops", []page{{items: []int{1}, more: true}, {more: true}, {items: []int{9}}}, 0, []int{1}, false, 2},
		{"error is yielded last", []page{{items: []int{1}, more: true}, {err: errBoom}}, 0, []int{1}, true, 2},
		{"break fetches nothing more", []page{{items: []int{1, 2}, more: true}, {items: []int{3}}}, 1, []int{1}, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var offsets []int
			fetch := func(offset int) ([]int, bool, error) {
				p := tt.pages[len(offsets)]
				offsets = append(offsets, offset)
				return p.items, p.more, p.err
			}
			var got []int
			var gotErr error
			for v, err := range pages(5, fetch) {
				if err != nil {
					gotErr = err
					break
				}
				got = append(got, v)
				if tt.breakAt > 0 && len(got) == tt.breakAt {
					break
				}
			}
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.wantErr, gotErr != nil)
			assert.Len(t, offsets, tt.fetches)
			assert.Equal(t, 5, offsets[0], "the first page starts at the given offset")
			if len(offsets) > 1 {
				assert.Equal(t, 5+len(tt.pages[0].items), offsets[1], "the next page starts after the items seen")
			}
		})
	}
}
