package flow_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/inspect"
)

// TestStepRulesMatchTheScenarios runs the scenarios — the playground as it
// is, with faults, behind proxies that change its token responses, beside
// fake servers with poor metadata — and holds the rules to what the steps
// emit: every check emitted is a rule citing one of its sources; every
// step rule, and every source it lists, is emitted; the worst verdict emitted is the rule's
// Worst; and a check a step takes from inspect never gives worse than
// inspect's rule says.
func TestStepRulesMatchTheScenarios(t *testing.T) {
	own := map[string]inspect.Rule{}
	for _, r := range flow.Rules() {
		if _, twice := own[r.ID]; twice {
			t.Errorf("rule %s is registered twice", r.ID)
		}
		own[r.ID] = r
	}
	worst := map[string]inspect.Status{}
	cited := map[string]bool{}
	judge := func(c inspect.Check, where string) {
		r, ok := flow.RuleFor(c.ID)
		switch {
		case !ok && !cited[c.ID]:
			t.Errorf("%s: check %s (%q) has no rule in flow.Rules or inspect.Rules", where, c.ID, c.Title)
		case ok && !slices.Contains(r.Sources, c.Spec) && !cited[c.ID+" "+c.Spec]:
			t.Errorf("%s: check %s cites %q; its rule lists %q", where, c.ID, c.Spec, r.Sources)
		}
		cited[c.ID], cited[c.ID+" "+c.Spec] = true, true // each finding once
		if !ok {
			return
		}
		if _, seen := worst[c.ID]; !seen || c.Status != inspect.StatusPass && c.Status != inspect.StatusSkip {
			worst[c.ID] = max(worst[c.ID], c.Status)
		}
		if _, mine := own[c.ID]; !mine && c.Status > r.Worst && c.Status != inspect.StatusSkip {
			t.Errorf("%s: check %s gives %s, worse than its rule %s (%s)", where, c.ID, c.Status, r.ID, r.Worst)
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
		for _, s := range r.Sources {
			if !cited[r.ID+" "+s] {
				t.Errorf("rule %s: no scenario's check cites %q", r.ID, s)
			}
		}
	}
}
