package scopix_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// apacheTermsSHA256 is the SHA-256 of the terms and conditions of the Apache
// License 2.0 (from "TERMS AND CONDITIONS FOR USE" to "END OF TERMS AND
// CONDITIONS", whitespace runs collapsed to one space), as published at
// https://www.apache.org/licenses/LICENSE-2.0.txt.
const apacheTermsSHA256 = "b316b715c7f48af32f6265b3de80b9656fdbddc57f5854215c8a4c6e0ad42c05"

// TestLicense_IsTheStandardApache2Text guards what lets anyone adopt the
// module: pkg.go.dev shows no documentation for a module whose license it
// cannot recognise, and legal reviews reject a dependency without one. A
// missing LICENSE, edited terms, or an appendix still holding its
// placeholders all fail here; reflowing whitespace does not.
func TestLicense_IsTheStandardApache2Text(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("LICENSE")
	require.NoError(t, err, "the repository must carry a LICENSE file")
	text := strings.Join(strings.Fields(string(raw)), " ")

	assert.True(t, strings.HasPrefix(text, "Apache License Version 2.0, January 2004"),
		"LICENSE starts with the title of the Apache License 2.0")
	const first, last = "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION", "END OF TERMS AND CONDITIONS"
	start, end := strings.Index(text, first), strings.Index(text, last)
	require.True(t, start >= 0 && end > start, "LICENSE must contain the Apache-2.0 terms section")
	sum := sha256.Sum256([]byte(text[start : end+len(last)]))
	assert.Equal(t, apacheTermsSHA256, hex.EncodeToString(sum[:]),
		"the terms of LICENSE differ from the standard Apache License 2.0")

	appendix := text[end:]
	assert.Regexp(t, regexp.MustCompile(`Copyright 20\d\d [A-Za-z]`), appendix,
		"the appendix names the year and the copyright owner")
	assert.NotContains(t, appendix, "[yyyy]", "the appendix placeholders are filled in")
	assert.Contains(t, appendix, `Licensed under the Apache License, Version 2.0 (the "License");`)
}
