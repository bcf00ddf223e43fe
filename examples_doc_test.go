package partnerkit_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEveryExampleIsNamedInItsPackageDoc keeps the "# Examples" section
// of each package's doc, which go doc shows, in step with the runnable
// examples go test runs.
func TestEveryExampleIsNamedInItsPackageDoc(t *testing.T) {
	t.Parallel()
	example := regexp.MustCompile(`(?m)^func (Example\w*)\(\)`)
	for _, dir := range []string{".", "cohost", "chekin", "etelecom", "alohub", "coliving"} {
		doc, err := os.ReadFile(filepath.Join(dir, "doc.go"))
		require.NoError(t, err)
		tests, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
		require.NoError(t, err)
		var names []string
		for _, f := range tests {
			src, err := os.ReadFile(f)
			require.NoError(t, err)
			for _, m := range example.FindAllSubmatch(src, -1) {
				names = append(names, string(m[1]))
			}
		}
		require.NotEmpty(t, names, dir)
		for _, name := range names {
			require.Regexp(t, `\b`+name+`\b`, string(doc), "%s/doc.go does not name %s in its # Examples section", dir, name)
		}
	}
}
