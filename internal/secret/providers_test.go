package secret_test

import (
	"bufio"
	"bytes"
	"go/importer"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/partnerkit/partnerkit-go"

// providers are the packages whose exported types the test reads.
var providers = []string{"cohost", "chekin", "etelecom", "alohub", "coliving"}

// TestEveryTypeThatHoldsASecretKeepsItOutOfPrints reads the exported types of the
// five provider packages with go/types and fails for a type that holds a
// partnerkit.Secret, at any depth (exported fields, pointers, slices,
// arrays, maps), without a LogValue method on its value (slog's JSON
// handler encodes such a value as JSON, which writes the Secret itself) or
// without a Format method (fmt's %s of a pointer to it, held in a slice or
// a map, prints its fields without calling the Secret's Format).
func TestEveryTypeThatHoldsASecretKeepsItOutOfPrints(t *testing.T) {
	t.Parallel()
	pkgs := loadProviders(t)
	var holders, missing, unformatted, unprintable []string
	for _, pkg := range pkgs {
		for _, name := range pkg.Scope().Names() {
			obj, ok := pkg.Scope().Lookup(name).(*types.TypeName)
			if !ok || !obj.Exported() || obj.IsAlias() {
				continue
			}
			named, ok := obj.Type().(*types.Named)
			if !ok || named.TypeParams().Len() > 0 {
				continue
			}
			for _, e := range pointees(named.Underlying(), map[types.Type]bool{}) {
				if holdsSecret(e.Underlying(), map[types.Type]bool{}) && !hasFormat(e) {
					unformatted = append(unformatted, pkg.Name()+"."+name+" → *"+e.Obj().Name())
				}
			}
			if !holdsSecret(named.Underlying(), map[types.Type]bool{}) {
				continue
			}
			full := pkg.Name() + "." + name
			holders = append(holders, full)
			if !hasLogValue(named) {
				missing = append(missing, full)
			}
			if !hasFormat(named) {
				unformatted = append(unformatted, full)
			}
			if !plainFields(named) {
				unprintable = append(unprintable, full)
			}
		}
	}
	require.Empty(t, unprintable, "secret.Format prints a struct of exported, not embedded fields only: these types have others")
	sort.Strings(missing)
	require.Empty(t, missing, "these types hold a partnerkit.Secret: give each a LogValue (func (p T) LogValue() slog.Value { return secret.LogValue(p) })")
	sort.Strings(unformatted)
	require.Empty(t, unformatted, "these types hold a partnerkit.Secret, or a pointer to a type that holds one, which fmt's %s would print without the Secret's Format when the value sits behind a pointer in a slice or a map: give the type a Format (see secret.Format)")
	// The walk finds what it must: a Secret as a field, and one three
	// levels down (ReservationCreateParams → HousingCreateParams →
	// PoliceAccount).
	for _, want := range []string{"cohost.CustomerRegisterParams", "chekin.RegisterParams", "chekin.PoliceAccount", "chekin.ReservationCreateParams", "etelecom.AccountUserCreateParams"} {
		require.Contains(t, holders, want)
	}
	require.NotContains(t, holders, "chekin.Guest")
	require.Contains(t, pointees(lookup(t, pkgs, "chekin", "ReservationCreateParams"), map[types.Type]bool{}),
		lookup(t, pkgs, "chekin", "PoliceAccount"), "a pointer two levels down is found")
}

// lookup returns the named type pkg.name.
func lookup(t *testing.T, pkgs []*types.Package, pkg, name string) *types.Named {
	t.Helper()
	for _, p := range pkgs {
		if p.Name() == pkg {
			return p.Scope().Lookup(name).Type().(*types.Named)
		}
	}
	t.Fatalf("no package %s", pkg)
	return nil
}

// loadProviders type-checks the provider packages from the export data
// the go command builds.
func loadProviders(t *testing.T) []*types.Package {
	t.Helper()
	paths := make([]string, len(providers))
	for i, p := range providers {
		paths[i] = module + "/" + p
	}
	cmd := exec.Command("go", append([]string{"list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}"}, paths...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, stderr.String())
	exports := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if path, file, ok := strings.Cut(sc.Text(), "\t"); ok && file != "" {
			exports[path] = file
		}
	}
	imp := importer.ForCompiler(token.NewFileSet(), "gc", func(path string) (io.ReadCloser, error) {
		return os.Open(exports[path])
	})
	pkgs := make([]*types.Package, 0, len(paths))
	for _, path := range paths {
		pkg, err := imp.Import(path)
		require.NoError(t, err, path)
		pkgs = append(pkgs, pkg)
	}
	return pkgs
}

// holdsSecret reports whether a value of type t holds a partnerkit.Secret
// that encoding/json would write: t is Secret, or reaches it through
// exported fields, pointers, slices, arrays or maps.
func holdsSecret(t types.Type, seen map[types.Type]bool) bool {
	if n, ok := t.(*types.Named); ok {
		if obj := n.Obj(); obj.Pkg() != nil && obj.Pkg().Path() == module && obj.Name() == "Secret" {
			return true
		}
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return holdsSecret(u.Elem(), seen)
	case *types.Slice:
		return holdsSecret(u.Elem(), seen)
	case *types.Array:
		return holdsSecret(u.Elem(), seen)
	case *types.Map:
		return holdsSecret(u.Key(), seen) || holdsSecret(u.Elem(), seen)
	case *types.Struct:
		for i := range u.NumFields() {
			if f := u.Field(i); f.Exported() && holdsSecret(f.Type(), seen) {
				return true
			}
		}
	}
	return false
}

// pointees returns the named types that t reaches through a pointer,
// following exported fields, pointers, slices, arrays and maps.
func pointees(t types.Type, seen map[types.Type]bool) []*types.Named {
	if seen[t] {
		return nil
	}
	seen[t] = true
	var out []*types.Named
	switch u := t.(type) {
	case *types.Named:
		return pointees(u.Underlying(), seen)
	case *types.Pointer:
		if n, ok := u.Elem().(*types.Named); ok {
			out = append(out, n)
		}
		out = append(out, pointees(u.Elem(), seen)...)
	case *types.Slice:
		out = pointees(u.Elem(), seen)
	case *types.Array:
		out = pointees(u.Elem(), seen)
	case *types.Map:
		out = append(pointees(u.Key(), seen), pointees(u.Elem(), seen)...)
	case *types.Struct:
		for i := range u.NumFields() {
			if f := u.Field(i); f.Exported() {
				out = append(out, pointees(f.Type(), seen)...)
			}
		}
	}
	return out
}

// hasFormat reports whether T (not only *T) is a fmt.Formatter.
func hasFormat(t *types.Named) bool {
	sel := types.NewMethodSet(t).Lookup(nil, "Format")
	return sel != nil && sel.Obj().Type().(*types.Signature).Params().Len() == 2
}

// plainFields reports whether t is a struct whose fields are all exported
// and none embedded, as secret.Format needs.
func plainFields(t *types.Named) bool {
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for i := range st.NumFields() {
		if f := st.Field(i); !f.Exported() || f.Embedded() {
			return false
		}
	}
	return true
}

// hasLogValue reports whether T (not only *T) has LogValue() slog.Value.
func hasLogValue(t *types.Named) bool {
	sel := types.NewMethodSet(t).Lookup(nil, "LogValue")
	if sel == nil {
		return false
	}
	sig := sel.Obj().Type().(*types.Signature)
	if sig.Params().Len() != 0 || sig.Results().Len() != 1 {
		return false
	}
	res, ok := sig.Results().At(0).Type().(*types.Named)
	return ok && res.Obj().Pkg().Path() == "log/slog" && res.Obj().Name() == "Value"
}
