package main

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/conform"
	"github.com/xaatools/xaa/inspect"
)

// rulesDoc is the file `xaa decode --list-checks` prints.
const rulesDoc = "../../docs/rules.md"

// TestRulesDoc keeps docs/rules.md what `xaa decode --list-checks` prints,
// so the list cannot drift from the registries; -update (the golden
// files' flag) rewrites it.
func TestRulesDoc(t *testing.T) {
	r := runXAA(t, "", nil, "decode", "--list-checks")
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("decode --list-checks = %d, stderr %q", r.code, r.stderr)
	}
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.WriteFile(rulesDoc, []byte(r.stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(rulesDoc)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(string(want), r.stdout); d != "" {
		t.Errorf("docs/rules.md is not what `xaa decode --list-checks` prints (go test ./cmd/xaa -run TestRulesDoc -update rewrites it); -file +printed:\n%s", d)
	}
}

// TestListChecksListsEveryRule: the list names every registered rule and
// every conformance case, each in a row of its own.
func TestListChecksListsEveryRule(t *testing.T) {
	out := runXAA(t, "", nil, "decode", "--list-checks").stdout
	var ids []string
	for _, r := range append(inspect.Rules(), flow.Rules()...) {
		ids = append(ids, r.ID)
	}
	for _, c := range conform.Cases() {
		ids = append(ids, c.ID)
	}
	for _, id := range ids {
		if !strings.Contains(out, "\n| `"+id+"` |") {
			t.Errorf("--list-checks has no row for %s", id)
		}
	}
	if r := runXAA(t, "", nil, "decode", "--list-checks", "eyJ.x.y"); r.code != exitUsage {
		t.Errorf("--list-checks with a token = %d, want usage error", r.code)
	}
}

// TestConformCasesBreakListedRules: a conformance case's rule is a check
// in the list, or a rule of the request itself (request.…), so the table's
// Rule column points somewhere.
func TestConformCasesBreakListedRules(t *testing.T) {
	for _, c := range conform.Cases() {
		if _, ok := inspect.RuleFor(c.Rule); !ok && c.Rule != "" && !strings.HasPrefix(c.Rule, "request.") {
			t.Errorf("case %s breaks %q, which no rule of inspect's is", c.ID, c.Rule)
		}
	}
}
