package flow_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/inspect"
)

// TestStepRulesRegistry: every step rule is registered once, names a test
// of this package that exists (a renamed check: inspect's rule, whose
// test is inspect's), and can give a verdict the table shows.
func TestStepRulesRegistry(t *testing.T) {
	tests := testFuncs(t)
	seen := map[string]bool{}
	for _, r := range inspect.Rules() {
		seen[r.ID] = true
	}
	for _, r := range flow.Rules() {
		if seen[r.ID] {
			t.Errorf("%s is registered twice (or is inspect's)", r.ID)
		}
		seen[r.ID] = true
		if !slices.Contains([]inspect.Status{inspect.StatusFail, inspect.StatusWarn, inspect.StatusUnknown}, r.Worst) {
			t.Errorf("%s: worst verdict %s", r.ID, r.Worst)
		}
		if r.Compares == "" || r.Source == "" {
			t.Errorf("%s: says neither what it compares nor its source: %+v", r.ID, r)
		}
		if r.Renames != "" {
			if _, name, _ := strings.Cut(r.Renames, "."); !strings.HasSuffix(r.ID, "."+name) {
				t.Errorf("%s renames %s: the name after the prefix must stay", r.ID, r.Renames)
			}
			continue
		}
		if !tests[r.Test] {
			t.Errorf("%s: its test %q is no Test function in flow's _test.go files", r.ID, r.Test)
		}
	}
}

// testFuncs returns the names of the Test functions in this package's
// _test.go files.
func testFuncs(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("*_test.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	out := map[string]bool{}
	fs := token.NewFileSet()
	for _, f := range files {
		af, err := parser.ParseFile(fs, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range af.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && strings.HasPrefix(fd.Name.Name, "Test") {
				out[fd.Name.Name] = true
			}
		}
	}
	return out
}

// TestStepRulesMatchTheChecks runs the scenarios — the playground as it
// is, with faults, behind proxies that change its answers, beside fake
// servers with poor metadata — and holds both registries to what the steps
// emit: every step check and token check has a rule and cites its source;
// every step rule, and every source it lists, is emitted; the worst
// verdict emitted is the rule's Worst.
func TestStepRulesMatchTheChecks(t *testing.T) {
	rules := map[string]inspect.Rule{}
	for _, r := range inspect.Rules() {
		rules[r.ID] = r
	}
	own := map[string]bool{}
	for _, r := range flow.Rules() {
		rules[r.ID], own[r.ID] = r, true
	}
	worst := map[string]inspect.Status{}
	cited := map[string]bool{}
	judge := func(c inspect.Check, where string) {
		r, ok := rules[c.ID]
		switch {
		case !ok && !cited[c.ID]:
			t.Errorf("%s: check %s (%q) has no rule in flow.Rules or inspect.Rules", where, c.ID, c.Title)
		case ok && !slices.Contains(r.Sources(), c.Spec) && !cited[c.ID+" "+c.Spec]:
			t.Errorf("%s: check %s cites %q; its rule lists %q", where, c.ID, c.Spec, r.Sources())
		}
		cited[c.ID], cited[c.ID+" "+c.Spec] = true, true // each finding once
		if _, seen := worst[c.ID]; ok && (!seen || c.Status != inspect.StatusPass && c.Status != inspect.StatusSkip) {
			worst[c.ID] = max(worst[c.ID], c.Status)
		}
	}
	scenarios := stepScenarios(t)
	for _, name := range slices.Sorted(maps.Keys(scenarios)) {
		for _, st := range scenarios[name] {
			for _, c := range st.Checks {
				judge(c, name+" "+st.ID.String())
			}
			for _, a := range st.Tokens {
				for _, c := range a.Checks {
					judge(c, name+" "+st.ID.String()+" "+a.Token.Name)
				}
			}
		}
	}
	for _, r := range flow.Rules() {
		got, ok := worst[r.ID]
		switch {
		case !ok:
			t.Errorf("rule %s: no scenario emits it", r.ID)
			continue
		case got != r.Worst:
			t.Errorf("rule %s: the worst verdict the scenarios emit is %s, registered %s", r.ID, got, r.Worst)
		}
		for _, s := range r.Sources() {
			if !cited[r.ID+" "+s] {
				t.Errorf("rule %s: no scenario's check cites %q", r.ID, s)
			}
		}
	}
}

// TestStepRuleVerdicts makes each step rule whose Test this is give its
// worst verdict in its scenario.
func TestStepRuleVerdicts(t *testing.T) {
	scenarios := stepScenarios(t)
	for _, r := range flow.Rules() {
		name, ok := verdictScenario[r.ID]
		if r.Test != "TestStepRuleVerdicts" {
			if ok {
				t.Errorf("%s has a scenario here but names %s as its test", r.ID, r.Test)
			}
			continue
		}
		t.Run(r.ID, func(t *testing.T) {
			if !ok {
				t.Fatalf("no scenario makes %s give %s", r.ID, r.Worst)
			}
			for _, st := range scenarios[name] {
				if c, found := st.Checks.Find(r.ID); found && c.Status == r.Worst {
					return
				}
			}
			t.Errorf("scenario %q: no %s check gives %s", name, r.ID, r.Worst)
		})
	}
}
