package scopix

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A call's copy of the retry loop carries every setting of the client's:
// a field added to one and not copied would silently not apply.
func TestStartRetriesCopiesEverySetting(t *testing.T) {
	t.Parallel()
	c, err := New("k", WithMaxRetries(7))
	require.NoError(t, err)
	defer c.Close()
	var ci callInfo
	got := reflect.ValueOf(ci.startRetries(c.http)).Elem()
	want := reflect.ValueOf(c.http).Elem()
	for i := range want.NumField() {
		f := want.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		w, g := want.Field(i), got.Field(i)
		if f.Type.Kind() == reflect.Func {
			assert.Equal(t, w.Pointer(), g.Pointer(), f.Name)
			continue
		}
		assert.Equal(t, w.Interface(), g.Interface(), f.Name)
	}
}
