package report

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/xaatools/xaa/flow/conform"

	"github.com/xaatools/xaa/inspect"
)

// ConformOptions tune the conformance reports.
type ConformOptions struct {
	// Reveal shows tokens in full instead of shortened.
	Reveal bool
	// Verbose details every case (its token decoded in full, its request
	// and a curl command); otherwise only the cases that need attention.
	Verbose bool
	// Width wraps long lines; 0 leaves them.
	Width int
	// KeyDir is where the trusted IdP keeps its keys, shown in the setup.
	KeyDir string
	// NoCaseList leaves the one-line-per-case list out of the scorecard,
	// for a view that shows the cases beside it.
	NoCaseList bool
}

// ConformSetup renders what the owner of the resource AS must configure
// for `xaa conform`, and the AS as discovery found it.
func ConformSetup(s Styles, conf *conform.Scorecard, o ConformOptions) string {
	var b strings.Builder
	w := &writer{b: &b, s: s, width: o.Width}
	st := conf.Setup
	w.line(s.Title.Render("Configure the resource AS under test to trust this IdP"))
	w.wrapped("  ", s.Faint.Render("once: the address and the keys stay the same from run to run"))
	rows := [][2]string{
		{"issuer", Safe(st.Issuer)},
		{"JWKS", cmp.Or(st.JWKSURI, "(not found — the IdP's metadata did not answer)")},
		{"algorithms", strings.Join(st.Algorithms, ", ") + " only (never none, never HS*)"},
		{"client_id", Safe(st.ClientID) + s.Faint.Render("  the ID-JAG's client_id: the client xaa authenticates as")},
		{"aud", Safe(st.Audience) + s.Faint.Render("  your issuer, byte for byte")},
		{"user", "sub " + st.Subject + " (email " + st.Email + ") — provision it; leave " + st.UnknownSubject + " unprovisioned"},
	}
	if st.Resource != "" {
		rows = append(rows, [2]string{"resource", Safe(st.Resource)})
	}
	if len(st.Scopes) > 0 {
		rows = append(rows, [2]string{"scopes", Safe(strings.Join(st.Scopes, " "))})
	}
	rows = append(rows, [2]string{"never trust", st.UntrustedIssuer + s.Faint.Render("  a second IdP, the cases' untrusted issuer")})
	if o.KeyDir != "" {
		rows = append(rows, [2]string{"keys kept in", o.KeyDir})
	}
	table(w, rows)
	w.blank()
	t := conf.Target
	w.line(s.Title.Render("Resource AS under test"))
	table(w, [][2]string{
		{"issuer", Safe(t.Issuer)},
		{"token endpoint", cmp.Or(Safe(t.TokenEndpoint), "(unknown)")},
		{"client", Safe(t.ClientID + " (" + t.AuthMethod + ")")},
	})
	for _, n := range t.Notes {
		w.wrapped("  "+s.Glyph(inspect.StatusWarn)+" ", Safe(n))
	}
	if t.Err != nil {
		w.wrapped("  "+s.Glyph(inspect.StatusFail)+" ", s.Fail.Render(Safe(t.Err.Error())))
		if ex := t.Explanation; ex != nil {
			w.wrapped("    "+s.Faint.Render("fix  "), Safe(ex.Fix))
		}
	}
	return b.String()
}

// Conformance renders the scorecard of `xaa conform`: the verdict, one
// line per case (strict rules, then policy probes), then the details of
// every case that needs attention — or of every case when verbose.
func Conformance(s Styles, conf *conform.Scorecard, o ConformOptions) string {
	var b strings.Builder
	w := &writer{b: &b, s: s, width: o.Width}
	score := conf.Score()
	w.wrapped(s.Title.Render("xaa conform")+"  ", ConformVerdict(s, score)+s.Faint.Render("  "+millis(conf.Duration.Seconds()*1000)))
	if conf.Party == conform.PartyIdP {
		w.wrapped(s.Faint.Render("IdP  "), Safe(conf.Target.Issuer)+s.Faint.Render("  client "+Safe(conf.Target.ClientID)))
	} else {
		w.wrapped(s.Faint.Render("resource AS  "), Safe(conf.Target.Issuer)+s.Faint.Render("  trusted IdP "+Safe(conf.Setup.Issuer)))
	}
	w.blank()
	width := 0
	for _, r := range conf.Results {
		width = max(width, len(r.Case.ID))
	}
	sections := []struct {
		kind        conform.CaseKind
		title, note string
	}{
		{conform.CaseStrict, "Strict rules", strictSummary(s, score)},
		{conform.CaseStrictness, "Strictness", strictnessSummary(s, score)},
		{conform.CasePolicy, "Policy probes", s.Faint.Render("the draft leaves these to the resource app")},
		{conform.CaseAnswer, "The good answer", answerSummary(s, score)},
	}
	if conf.Party == conform.PartyIdP {
		sections[2].note = s.Faint.Render("the IdP's policy decides: refuse, or narrow and say so")
	}
	if o.NoCaseList {
		sections[2].note = fmt.Sprintf("%d of %d accepted", score.PolicyAccepted, score.Policy) + s.Faint.Render(" · ") + sections[2].note
	}
	for _, sec := range sections {
		if (sec.kind == conform.CaseStrictness && score.Strictness == 0) || (sec.kind == conform.CaseAnswer && score.Answers == 0) ||
			(sec.kind == conform.CasePolicy && score.Policy == 0) {
			continue
		}
		w.wrapped(s.Heading.Render(sec.title)+"  ", sec.note)
		if o.NoCaseList {
			continue
		}
		var in []*conform.CaseResult
		for _, r := range conf.Results {
			if r.Case.Kind == sec.kind || (sec.kind == conform.CaseStrict && r.Case.Kind == conform.CaseBaseline) {
				in = append(in, r)
			}
		}
		for _, g := range sameAnswers(in) {
			w.wrapped("  "+CaseLine(s, g[0], width)+"  ", caseSummary(s, g[0]))
			if len(g) > 1 {
				w.wrapped("  "+s.Faint.Render(fmt.Sprintf("… and %d more with the same answer: ", len(g)-1)), caseIDs(g[1:]))
			}
		}
		w.blank()
	}
	if o.NoCaseList {
		w.blank()
	}
	var shown []*conform.CaseResult
	for _, r := range conf.Results {
		if o.Verbose || needsAttention(r) {
			shown = append(shown, r)
		}
	}
	if len(shown) > 0 {
		title := "Needs attention"
		if o.Verbose {
			title = "Every case"
		}
		w.line(s.Heading.Render(title))
		for _, g := range sameAnswers(shown) {
			caseDetail(w, g[0], o)
			if len(g) > 1 {
				w.wrapped(s.Faint.Render(fmt.Sprintf("  the same for %d more: ", len(g)-1)), caseIDs(g[1:]))
			}
			w.blank()
		}
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// sameAnswers groups consecutive cases that could not be judged for the
// same reason (an AS that is down answers 56 cases alike): one line says it
// once, with the other cases' ids. Every other case stands alone.
func sameAnswers(rs []*conform.CaseResult) [][]*conform.CaseResult {
	var groups [][]*conform.CaseResult
	for _, r := range rs {
		if n := len(groups); n > 0 && r.Verdict == conform.VerdictInconclusive {
			if last := groups[n-1][0]; last.Verdict == conform.VerdictInconclusive && last.Summary == r.Summary {
				groups[n-1] = append(groups[n-1], r)
				continue
			}
		}
		groups = append(groups, []*conform.CaseResult{r})
	}
	return groups
}

func caseIDs(rs []*conform.CaseResult) string {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.Case.ID
	}
	return strings.Join(ids, ", ")
}

// ConformVerdict is the one-line verdict of a run, with its glyph.
func ConformVerdict(s Styles, score conform.Score) string {
	if score.Party == conform.PartyIdP {
		return idpVerdict(s, score)
	}
	switch score.Verdict {
	case "pass":
		v := s.Pass.Render(fmt.Sprintf("✓ every broken ID-JAG rejected (%d strict rules), the valid one accepted", score.Strict))
		if score.Lenient > 0 {
			v += s.Faint.Render(" · ") + s.Warn.Render(fmt.Sprintf("%d lenient (strictness)", score.Lenient))
		}
		return v
	case "vulnerable":
		return s.Fail.Render(fmt.Sprintf("✗ vulnerable: %s accepted", plural(score.Vulnerable, "broken ID-JAG")))
	}
	if score.Baseline != conform.VerdictAccepted {
		return s.Warn.Render("! cannot judge: the valid ID-JAG was not accepted")
	}
	return s.Warn.Render(fmt.Sprintf("! cannot judge %s: no usable answer", plural(score.Inconclusive, "case")))
}

// CaseLine is a case's glyph and ID, the ID padded to width: the start of
// its scorecard line, and the TUI's list entry.
func CaseLine(s Styles, r *conform.CaseResult, width int) string {
	return s.Glyph(r.Status()) + " " + Pad(r.Case.ID, width)
}

// ConformProgress is the line printed as each case finishes.
func ConformProgress(s Styles, r *conform.CaseResult) string {
	return s.Glyph(r.Status()) + " " + r.Case.ID + ": " + r.Summary
}

// CaseReport renders one case in full, for the TUI's detail pane.
func CaseReport(s Styles, r *conform.CaseResult, o ConformOptions) string {
	var b strings.Builder
	o.Verbose = true
	caseDetail(&writer{b: &b, s: s, width: o.Width}, r, o)
	return b.String()
}

func strictSummary(s Styles, score conform.Score) string {
	parts := []string{s.Pass.Render(fmt.Sprintf("%d of %d handled", score.Passed, score.Strict))}
	if score.Vulnerable > 0 {
		parts = append(parts, s.Fail.Render(fmt.Sprintf("%d vulnerable", score.Vulnerable)))
	}
	if score.Inconclusive > 0 {
		parts = append(parts, s.Warn.Render(fmt.Sprintf("%d inconclusive", score.Inconclusive)))
	}
	if score.UnexpectedErrors > 0 {
		parts = append(parts, s.Warn.Render(plural(score.UnexpectedErrors, "unexpected error code")))
	}
	if score.Skipped > 0 {
		parts = append(parts, s.Skip.Render(fmt.Sprintf("%d skipped", score.Skipped)))
	}
	return strings.Join(parts, s.Faint.Render(" · "))
}

// strictnessSummary tallies the strictness cases apart from the security
// score: how many of those run the AS accepted (lenient). It claims
// nothing of the others, which may be inconclusive.
func strictnessSummary(s Styles, score conform.Score) string {
	tally := fmt.Sprintf("%d of %d lenient", score.Lenient, score.Strictness)
	if score.Lenient > 0 {
		tally = s.Warn.Render(tally)
	}
	return tally + s.Faint.Render(" · the RFCs' exact rules that common implementations relax; not part of the security score")
}

// caseSummary is a case's title and verdict, coloured by its status.
func caseSummary(s Styles, r *conform.CaseResult) string {
	summary := Safe(r.Summary)
	if r.Status() != inspect.StatusPass {
		summary = s.Status(r.Status()).Render(summary)
	}
	return s.Faint.Render(r.Case.Title+" — ") + summary
}

// needsAttention: vulnerable, refused, inconclusive, or an unexpected error.
func needsAttention(r *conform.CaseResult) bool {
	st := r.Status()
	return st == inspect.StatusFail || st == inspect.StatusWarn
}
