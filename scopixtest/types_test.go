package scopixtest_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every exported type is declared here with documented fields: an alias of
// an internal type would show up empty in go doc.
func TestExportedTypesAreNotAliases(t *testing.T) {
	t.Parallel()
	names, err := filepath.Glob("*.go")
	require.NoError(t, err)
	types := 0
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ParseComments)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			spec, ok := n.(*ast.TypeSpec)
			if !ok || !spec.Name.IsExported() {
				return true
			}
			types++
			assert.False(t, spec.Assign.IsValid(), "%s is an alias", spec.Name)
			if st, ok := spec.Type.(*ast.StructType); ok {
				for _, field := range st.Fields.List {
					if len(field.Names) == 0 || !field.Names[0].IsExported() {
						continue
					}
					assert.True(t, field.Comment != nil || field.Doc != nil, "%s.%s has no comment", spec.Name, field.Names)
				}
			}
			return true
		})
	}
	assert.Positive(t, types)
}
