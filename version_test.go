package scopix_test

import (
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
)

// releaseHeading matches a released version's heading in CHANGELOG.md:
// "## [1.2.3] - 2006-01-02".
var releaseHeading = regexp.MustCompile(`(?m)^## \[(\d+)\.(\d+)\.(\d+)\] - \d{4}-\d{2}-\d{2}$`)

// TestVersion_MatchesNewestChangelogRelease keeps the version sent in the
// User-Agent in step with the changelog: cutting a release renames the
// Unreleased section and sets Version in the same commit, so a user reading
// the changelog for the version in their logs finds what they run.
func TestVersion_MatchesNewestChangelogRelease(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("CHANGELOG.md")
	require.NoError(t, err)
	text := string(raw)
	assert.Regexp(t, `(?m)^## \[Unreleased\]$`, text, "CHANGELOG.md keeps an Unreleased section for the next release")

	releases := releaseHeading.FindAllStringSubmatch(text, -1)
	require.NotEmpty(t, releases, `CHANGELOG.md has at least one "## [x.y.z] - yyyy-mm-dd" heading`)
	newest := releases[0][1] + "." + releases[0][2] + "." + releases[0][3]
	assert.Equal(t, newest, scopix.Version, "scopix.Version is the newest release in CHANGELOG.md")

	for i := 1; i < len(releases); i++ {
		assert.True(t, semverLess(releases[i], releases[i-1]),
			"CHANGELOG.md lists releases newest first: %s after %s", releases[i][0], releases[i-1][0])
	}
}

// semverLess compares two releaseHeading matches by major, minor and patch.
func semverLess(a, b []string) bool {
	for i := 1; i <= 3; i++ {
		x, _ := strconv.Atoi(a[i])
		y, _ := strconv.Atoi(b[i])
		if x != y {
			return x < y
		}
	}
	return false
}
