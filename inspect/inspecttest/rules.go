package inspecttest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xaatools/xaa/inspect"
)

// TestFuncs maps each Test function in the _test.go files of dir to its
// source, for tests that hold a rule list to the tests it names.
func TestFuncs(t testing.TB, dir string) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	out := map[string]string{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		af, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range af.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && strings.HasPrefix(fd.Name.Name, "Test") {
				out[fd.Name.Name] = string(src[fset.Position(fd.Pos()).Offset:fset.Position(fd.End()).Offset])
			}
		}
	}
	return out
}

// CheckRuleTests reports each rule whose Test is not a test in dir, or
// does not mention the rule's check ID (or, for the tests in also, its
// last part), or — when worst is set — does not expect the
// rule's worst verdict by name (StatusFail, StatusWarn).
func CheckRuleTests(t *testing.T, dir string, rules []inspect.Rule, worst bool, also ...string) {
	t.Helper()
	bodies := TestFuncs(t, dir)
	for _, r := range rules {
		body, ok := bodies[r.Test]
		verdict := map[inspect.Status]string{inspect.StatusFail: "StatusFail", inspect.StatusWarn: "StatusWarn"}[r.Worst]
		mentions := strings.Contains(body, `"`+r.ID+`"`)
		if i := strings.LastIndex(r.ID, "."); i > 0 && slices.Contains(also, r.Test) {
			// A test that builds IDs from a prefix names the last part.
			last := r.ID[i+1:]
			mentions = mentions || strings.Contains(body, `"`+last+`"`) || strings.Contains(body, `".`+last+`"`)
		}
		switch {
		case verdict == "":
			t.Errorf("rule %s: worst verdict %s, want fail or warn", r.ID, r.Worst)
		case !ok:
			t.Errorf("rule %s names %s, which is not a test in %s", r.ID, r.Test, dir)
		case !mentions:
			t.Errorf("rule %s names %s, which does not mention it", r.ID, r.Test)
		case worst && !strings.Contains(body, verdict) && !strings.Contains(body, "r.Worst"):
			t.Errorf("rule %s names %s, which expects no %s", r.ID, r.Test, verdict)
		}
	}
}
