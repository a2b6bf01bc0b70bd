package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/conform"
	"github.com/xaatools/xaa/inspect"
)

// rulesIntro opens docs/rules.md, which `xaa decode --list-checks` prints.
const rulesIntro = `# The rules xaa checks

Every check xaa makes, generated from the rule registries in the code by ` + "`xaa decode --list-checks`" + `.
Tests keep it in step: a check the code emits that is not listed here, or that cites another section, or
that gives a worse verdict than listed, fails them, and so does this file differing from the command's
output (` + "`go test ./cmd/xaa -run TestRulesDoc -update`" + ` rewrites it).

- **Check** is the stable ID in reports and in ` + "`--json`" + ` output.
- **Source** is the section the check cites; *also* lists sections some of its verdicts cite instead.
- **Worst** is the worst verdict the check can give. From the token exchange on, ` + "`xaa run`" + ` reports a failed
  token or chain check as a warning: the server that consumes the token gives the verdict in the next step.
- **Test** is the Go test that makes the check give its worst verdict.
`

// writeRules writes the rules as Markdown: the token checks, the step
// checks and the conformance cases.
func writeRules(w io.Writer) error {
	var b strings.Builder
	b.WriteString(rulesIntro)
	b.WriteString("\n## Token, chain, key set and metadata checks\n\n")
	b.WriteString("What `xaa decode` checks, and every step of `xaa run` for the tokens it receives. Tests in `inspect/`.\n\n")
	ruleTable(&b, inspect.Rules())
	b.WriteString("\n## Step checks\n\n")
	b.WriteString("What the steps of `xaa run` check besides their tokens. Tests in `flow/`; a check that renames one\n")
	b.WriteString("of the checks above is that check, judged in a step, with its test.\n\n")
	ruleTable(&b, flow.Rules())
	b.WriteString("\n## Conformance cases\n\n")
	b.WriteString("What `xaa conform` sends the resource AS under test: a valid ID-JAG it must accept, and ID-JAGs that\n")
	b.WriteString("each break one rule, which it must reject (strict), may decide either way (policy), or may relax as\n")
	b.WriteString("widely used implementations do (strictness, scored apart). **Rule** is the check above that the case\n")
	b.WriteString("breaks, or a rule of the request itself (`request.…`).\n\n")
	b.WriteString("| Case | Kind | What is sent | Rule | Source |\n|---|---|---|---|---|\n")
	for _, c := range conform.Cases() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", c.ID, c.Kind, cell(c.Title), code(c.Rule), cell(c.Spec))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ruleTable writes one table row per rule.
func ruleTable(b *strings.Builder, rules []inspect.Rule) {
	b.WriteString("| Check | Compares | Source | Worst | Test |\n|---|---|---|---|---|\n")
	for _, r := range rules {
		source := cell(r.Source)
		if len(r.Also) > 0 {
			source += "; *also* " + cell(strings.Join(r.Also, "; "))
		}
		test := code(r.Test)
		if r.Renames != "" {
			test += " (as `" + r.Renames + "`)"
		}
		fmt.Fprintf(b, "| `%s` | %s | %s | %s | %s |\n", r.ID, cell(r.Compares), source, r.Worst, test)
	}
}

// cell escapes a table cell's pipes.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// code renders s as code, or nothing when empty.
func code(s string) string {
	if s == "" {
		return ""
	}
	return "`" + s + "`"
}
