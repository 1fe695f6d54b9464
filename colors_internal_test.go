package scopix

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

var wireHex = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)

// FuzzNormalizeHex checks that a hex code is either refused with a
// *ValidationError or sent as "#" and the six digits the caller wrote.
func FuzzNormalizeHex(f *testing.F) {
	for _, seed := range []string{"#C4A87C", "c4a87c", "#FFF", "", "##123456", "#12345G", "#1234567", "é12345"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := normalizeHex(in)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Fields[0].Loc[0] != "hex_code" {
				t.Fatalf("normalizeHex(%q): %v is not a ValidationError naming hex_code", in, err)
			}
			return
		}
		if in == "" {
			if out != "" {
				t.Fatalf("empty hex became %q", out)
			}
			return
		}
		if !wireHex.MatchString(out) || out[1:] != strings.TrimPrefix(in, "#") {
			t.Fatalf("normalizeHex(%q) = %q", in, out)
		}
	})
}
