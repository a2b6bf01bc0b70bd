package report

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/xaatools/xaa/flow/conform"
	"github.com/xaatools/xaa/inspect"
)

// ConformIdPSetup renders the IdP under test for `xaa conform --idp`: its
// issuer, token endpoint, client, and how the run logged in.
func ConformIdPSetup(s Styles, conf *conform.Scorecard, o ConformOptions) string {
	var b strings.Builder
	w := &writer{b: &b, s: s, width: o.Width}
	t := conf.Target
	w.line(s.Title.Render("IdP under test"))
	table(w, [][2]string{
		{"issuer", Safe(t.Issuer)},
		{"token endpoint", cmp.Or(Safe(t.TokenEndpoint), "(unknown)")},
		{"client", Safe(t.ClientID + " (" + t.AuthMethod + ")")},
	})
	for _, n := range t.Notes {
		w.wrapped("  "+s.Faint.Render("· ")+" ", Safe(n))
	}
	if t.Err != nil {
		w.wrapped("  "+s.Glyph(inspect.StatusFail)+" ", s.Fail.Render(Safe(t.Err.Error())))
		if ex := t.Explanation; ex != nil {
			w.wrapped("    "+s.Faint.Render("fix  "), Safe(ex.Fix))
		}
	}
	return b.String()
}

// idpVerdict is the one-line verdict of an IdP scorecard.
func idpVerdict(s Styles, score conform.Score) string {
	switch score.Verdict {
	case "pass":
		v := s.Pass.Render("✓ no bad token exchange accepted, no check of the good answer wrong")
		if score.Skipped > 0 {
			v += s.Faint.Render(" · ") + s.Skip.Render(fmt.Sprintf("%d skipped (not judged)", score.Skipped))
		}
		return v
	case "vulnerable":
		return s.Fail.Render(fmt.Sprintf("✗ vulnerable: %s accepted", plural(score.Vulnerable, "bad token exchange")))
	case "wrong":
		return s.Fail.Render(fmt.Sprintf("✗ %s of the good answer failed", plural(score.Wrong, "check")))
	}
	if score.Baseline != conform.VerdictAccepted {
		return s.Warn.Render("! cannot judge: the valid token exchange was refused")
	}
	return s.Warn.Render(fmt.Sprintf("! cannot judge %s: no usable answer", plural(score.Inconclusive, "case")))
}

// answerSummary tallies the checks of the good answer.
func answerSummary(s Styles, score conform.Score) string {
	if score.Wrong > 0 {
		return s.Fail.Render(fmt.Sprintf("%d of %d wrong", score.Wrong, score.Answers)) + s.Faint.Render(" · judged with xaa's ID-JAG checks")
	}
	return s.Faint.Render(fmt.Sprintf("%d checks · judged with xaa's ID-JAG checks", score.Answers))
}
