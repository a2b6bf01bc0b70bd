package report

import (
	"cmp"
	"errors"
	"fmt"
	"strings"

	"github.com/xaatools/xaa/flow/conform"

	"github.com/xaatools/xaa/flow/wire"

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

// caseDetail writes what a case sent, what came back and what it means.
func caseDetail(w *writer, r *conform.CaseResult, o ConformOptions) {
	s := w.s
	w.wrapped(s.Glyph(r.Status())+" "+s.Title.Render(r.Case.ID)+" ", s.Faint.Render("— "+r.Case.Title))
	field := func(label, text string) { w.wrapped("    "+s.Faint.Render(Pad(label, 9)), text) }
	field("verdict", s.Status(r.Status()).Render(text(r.Summary, o.Reveal)))
	if r.Case.Rule != "" {
		field("rule", r.Case.Rule+s.Faint.Render("  "+r.Case.Spec))
	} else if r.Case.Spec != "" {
		field("spec", s.Faint.Render(r.Case.Spec))
	}
	if r.Case.Risk != "" && r.Case.Kind != conform.CaseBaseline {
		field("risk", r.Case.Risk)
	}
	if r.Case.Kind != conform.CaseBaseline && r.Verdict != conform.VerdictSkipped {
		field("expected", strings.Join(r.Case.ExpectedErrors, " or "))
	}
	if r.Sent != nil {
		sent(w, r, o, field)
	}
	answer(w, r, o, field)
	for _, n := range r.Notes {
		field("note", text(n, o.Reveal))
	}
	for _, x := range r.Exchanges {
		caseExchange(w, x, o, field)
	}
}

// caseExchange writes one request of a case on a line; verbose adds the
// response body and a curl command.
func caseExchange(w *writer, x *wire.Exchange, o ConformOptions, field func(string, string)) {
	s := w.s
	d := x.ForDisplay(o.Reveal)
	status := s.Fail.Render("no response")
	if d.Response != nil {
		st := inspect.StatusPass
		if d.Response.Status >= 400 {
			st = inspect.StatusWarn
		}
		status = s.Status(st).Render(fmt.Sprint(d.Response.Status))
	}
	field("http", Safe(d.Request.Method+" "+d.Request.URL)+" → "+status+s.Faint.Render("  "+millis(d.Duration.Seconds()*1000)))
	if !o.Verbose {
		return
	}
	if d.Response != nil && len(d.Response.Body) > 0 {
		w.wrapped("      "+s.Faint.Render("body  "), SafeBlock(strings.TrimSpace(string(d.Response.Body))))
	}
	w.wrapped("      "+s.Faint.Render("curl  "), Safe(x.Curl(o.Reveal)))
}

// sent writes the token sent: shortened, its header, and the checks it
// fails as inspect sees it (every check and the claims when verbose).
func sent(w *writer, r *conform.CaseResult, o ConformOptions, field func(string, string)) {
	s := w.s
	a := *r.Sent
	a.Reveal = o.Reveal
	raw := inspect.ShortenToken(a.Token.Raw)
	if o.Reveal {
		raw = a.Token.Raw
	}
	line := a.Token.Kind.Title() + "  " + s.Faint.Render(Safe(raw))
	if r.Scope != "" {
		line += s.Faint.Render("  scope requested: ") + Safe(r.Scope)
	}
	field("sent", line)
	if o.Verbose {
		indentBy(w, Token(s, a, TokenOptions{Reveal: o.Reveal, Width: max(innerWidth(o.Width)-4, 0)}), "      ")
		return
	}
	w.wrapped("      "+s.Faint.Render("header  "), Safe(compact(a.Token.Header)))
	bad := notPassed(a.Checks)
	if len(bad) == 0 {
		w.line("      " + s.Glyph(inspect.StatusPass) + " a valid ID-JAG: every check passes")
		return
	}
	for _, c := range bad {
		w.wrapped("      "+s.Glyph(c.Status)+" ", Safe(c.ID+": "+c.Title)+s.Faint.Render(" — expected ")+cmp.Or(Safe(c.Expected), "-")+s.Faint.Render(", got ")+cmp.Or(Safe(c.Actual), "-"))
	}
}

// answer writes what the AS answered: its error, or the token it issued.
func answer(w *writer, r *conform.CaseResult, o ConformOptions, field func(string, string)) {
	s := w.s
	var oe *wire.OAuthError
	switch {
	case r.AccessToken != nil:
		at := r.AccessToken.Token
		raw := inspect.ShortenToken(at.Raw)
		if o.Reveal {
			raw = at.Raw
		}
		what := "an access token "
		if r.Case.Party == conform.PartyIdP {
			what = "an ID-JAG "
		}
		got := what + s.Faint.Render(Safe(raw))
		for _, name := range []string{"sub", "aud", "client_id"} {
			if v, ok := at.Claims.String(name); ok {
				got += s.Faint.Render("  "+name+" ") + Safe(v)
			}
		}
		if r.GrantedScope != "" {
			got += s.Faint.Render("  scope ") + Safe(r.GrantedScope)
		}
		field("got", got)
	case errors.As(r.Err, &oe):
		field("got", fmt.Sprintf("%s (HTTP %d)", cmp.Or(Safe(oe.Code), "no error code"), oe.Status)+s.Faint.Render("  "+text(oe.Description, o.Reveal)))
	case r.Err != nil:
		field("got", text(r.Err.Error(), o.Reveal))
	}
	if ex := r.Explanation; ex != nil && (r.Verdict == conform.VerdictInconclusive || r.Verdict == conform.VerdictRefused) {
		field("means", ex.Meaning)
		field("fix", s.Title.Render(Safe(ex.Fix)))
	}
}

// table writes label/value rows with the labels aligned.
func table(w *writer, rows [][2]string) {
	width := 0
	for _, r := range rows {
		width = max(width, len(r[0]))
	}
	for _, r := range rows {
		w.wrapped("  "+w.s.Faint.Render(Pad(r[0], width))+"  ", r[1])
	}
}

// compact renders an object on one line, members in their order.
func compact(o inspect.Object) string {
	parts := make([]string, len(o))
	for i, m := range o {
		parts[i] = m.Name + " " + string(m.Raw)
	}
	return strings.Join(parts, " · ")
}
