package main

import (
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/conform"
	"github.com/xaatools/xaa/inspect"
)

// TestConformCasesBreakListedRules: the rule a conformance case breaks is
// a check docs/rules.md lists, or a rule of the request itself
// (request.…), so the cases' Rule column points somewhere.
func TestConformCasesBreakListedRules(t *testing.T) {
	for _, c := range conform.Cases() {
		if _, ok := inspect.RuleFor(c.Rule); !ok && c.Rule != "" && !strings.HasPrefix(c.Rule, "request.") {
			t.Errorf("case %s breaks %q, which no rule of inspect's is", c.ID, c.Rule)
		}
	}
}
