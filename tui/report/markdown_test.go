package report_test

import (
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/flowtest"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/tui/report"
)

// TestMarkdown checks the Markdown transcript of a run whose jwt-bearer
// grant was refused: the verdict, the step, the explanation, the curl
// command, and secrets redacted.
func TestMarkdown(t *testing.T) {
	e := flowtest.Start(t, playground.Options{Faults: []string{playground.FaultIDJAGExpired}}, "alice")
	run := e.Run(t)
	md := string(report.Markdown(run, false))
	for _, want := range []string{"# xaa run — a step failed", "## 3. JWT bearer grant", "> **What it means:**", "> **Fix:**", "```sh\ncurl -sS", "[REDACTED]"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
}
