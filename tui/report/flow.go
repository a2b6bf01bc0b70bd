package report

import (
	"fmt"
	"strings"

	"github.com/xaatools/xaa/flow/explain"

	"github.com/xaatools/xaa/flow/wire"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/inspect"
)

// RunOptions tune Run.
type RunOptions struct {
	// Reveal shows tokens in full instead of shortened.
	Reveal bool
	// Verbose shows every check, every token in full and a curl command for
	// every exchange; otherwise only what did not pass is expanded.
	Verbose bool
	// Width wraps long lines; 0 leaves them.
	Width int
}

// Run renders the human report of `xaa run`: a verdict line, then each step
// with its status and time, what went wrong with the explanation and fix,
// the checks that did not pass, the tokens' verdicts and the exchanges.
func Run(s Styles, run *flow.Run, o RunOptions) string {
	var b strings.Builder
	w := &writer{b: &b, s: s, width: o.Width}
	status, words := run.Verdict()
	verdict := s.Status(status).Render(GlyphOf(status) + " " + words)
	var chips []string
	for _, st := range run.Steps {
		chips = append(chips, s.Glyph(st.Status)+" "+st.ID.String())
	}
	w.line(s.Title.Render("xaa run") + "  " + verdict + s.Faint.Render(fmt.Sprintf("  %s", millis(run.Duration.Seconds()*1000))))
	w.line(strings.Join(chips, s.Faint.Render(" · ")))
	for _, st := range run.Steps {
		w.blank()
		step(w, st, o)
	}
	return b.String()
}

// step writes one step's section.
func step(w *writer, st *flow.Step, o RunOptions) {
	s := w.s
	head := fmt.Sprintf("%s %d %s", s.Glyph(st.Status), st.ID.Number(), st.Title())
	switch st.Status {
	case inspect.StatusFail:
		head = s.Fail.Render(head)
	case inspect.StatusSkip:
		head = s.Skip.Render(head)
	default:
		head = s.Title.Render(head)
	}
	if st.Status != inspect.StatusSkip {
		head += s.Faint.Render("  " + millis(st.Duration.Seconds()*1000))
	}
	w.line(head)
	for _, n := range st.Notes {
		w.wrapped("  "+s.Faint.Render("· "), text(n, o.Reveal))
	}
	if st.Status == inspect.StatusSkip {
		return
	}
	if st.Err != nil {
		stepError(w, st, o)
	}
	if len(st.Checks) > 0 {
		shown := st.Checks
		if !o.Verbose {
			shown = notPassed(st.Checks)
		}
		w.line("  " + s.Heading.Render("Checks") + "  " + Summary(s, st.Checks))
		indent(w, Checks(s, shown, innerWidth(o.Width)))
		explainChecks(w, st, shown)
	}
	for _, a := range st.Tokens {
		a.Reveal = o.Reveal
		if o.Verbose {
			w.line("  " + s.Heading.Render("Token"))
			indent(w, Token(s, a, TokenOptions{Reveal: o.Reveal, Width: innerWidth(o.Width)}))
			continue
		}
		raw := inspect.ShortenToken(a.Token.Raw)
		if o.Reveal {
			raw = a.Token.Raw
		}
		title := a.Token.Kind.Title()
		if a.For != "" {
			title += " for " + a.For // one of two: "for the MCP server"
		}
		w.line("  " + s.Heading.Render(Safe(title)) + s.Faint.Render("  "+Safe(raw)))
		w.line("    " + SignatureLine(s, a.Signature))
		w.line("    " + s.Faint.Render("checks  ") + Summary(s, a.Checks))
		bad := notPassed(a.Checks)
		indent2(w, Checks(s, bad, innerWidth(o.Width)-2))
		explainChecks(w, st, bad)
	}
	if st.Resource != nil {
		resource(w, st.Resource, o)
	}
	if len(st.Exchanges) > 0 {
		w.line("  " + s.Heading.Render("HTTP"))
		for _, x := range st.Exchanges {
			exchange(w, x, o, failedExchange(st, x))
		}
	}
}

// stepError writes the error and its explanation.
func stepError(w *writer, st *flow.Step, o RunOptions) {
	s := w.s
	w.wrapped("  "+s.Fail.Render("✗ "), s.Fail.Render(text(st.Err.Error(), o.Reveal)))
	ex := st.Explanation
	if ex == nil {
		return
	}
	// A check's explanation carries its title and hint, which may quote
	// what a party sent.
	w.wrapped("    "+s.Faint.Render("means   "), Safe(ex.Meaning))
	for i, c := range ex.Causes {
		label := "        "
		if i == 0 {
			label = "causes  "
		}
		w.wrapped("    "+s.Faint.Render(label)+"- ", Safe(c))
	}
	w.wrapped("    "+s.Faint.Render("fix     "), s.Title.Render(Safe(ex.Fix)))
	if ex.Spec != "" {
		w.wrapped("    "+s.Faint.Render("spec    "), s.Faint.Render(ex.Spec))
	}
}

// explainChecks adds the catalogue's explanation under checks that did not
// pass, when it has more to say than the check's own hint.
func explainChecks(w *writer, st *flow.Step, checks inspect.Report) {
	seen := map[string]bool{}
	for _, c := range checks {
		ex := explain.CheckGiven(st.ID, c, st.Facts)
		if ex == nil || strings.HasPrefix(ex.ID, "check.") || seen[ex.ID] || sameError(st, ex) {
			continue
		}
		seen[ex.ID] = true
		w.wrapped("    "+w.s.Faint.Render("why     "), Safe(c.ID)+": "+ex.Meaning+" "+w.s.Title.Render(ex.Fix))
	}
}

func sameError(st *flow.Step, ex *explain.Explanation) bool {
	return st.Explanation != nil && st.Explanation.ID == ex.ID
}

// exchange writes one round trip on a line; the failed one gets its
// response body and a curl command, and so does every one when verbose.
func exchange(w *writer, x *wire.Exchange, o RunOptions, failed bool) {
	s := w.s
	d := x.ForDisplay(o.Reveal)
	status := s.Fail.Render("no response")
	if d.Response != nil {
		st := inspect.StatusPass
		if d.Response.Status >= 400 {
			st = inspect.StatusFail
		}
		status = s.Status(st).Render(fmt.Sprint(d.Response.Status))
	}
	w.wrapped("    "+s.Faint.Render(Safe(d.Label)+"  "), Safe(d.Request.Method+" "+d.Request.URL)+" → "+status+s.Faint.Render("  "+millis(d.Duration.Seconds()*1000)))
	if !failed && !o.Verbose {
		return
	}
	if d.Response != nil && len(d.Response.Body) > 0 && (failed || o.Verbose) {
		body, label := string(d.Response.Body), "body  "
		if page := wire.PageText(d.Response.Header.Get("Content-Type"), d.Response.Body); page != "" {
			// An error page: what it says, not its markup (curl fetches it).
			body, label = page, "page  "
		}
		if len(body) > 2000 && !o.Verbose {
			body = body[:2000] + "…"
		}
		w.wrapped("      "+s.Faint.Render(label), SafeBlock(strings.TrimSpace(body)))
	}
	w.wrapped("      "+s.Faint.Render("curl  "), Safe(x.Curl(o.Reveal)))
}

// failedExchange reports whether x is the exchange the step failed on: the
// last one, when the step failed and it got an error status or none.
func failedExchange(st *flow.Step, x *wire.Exchange) bool {
	if st.Status != inspect.StatusFail || len(st.Exchanges) == 0 || st.Exchanges[len(st.Exchanges)-1] != x {
		return false
	}
	return x.Response == nil || x.Response.Status >= 400
}

func resource(w *writer, r *flow.ResourceResult, o RunOptions) {
	s := w.s
	if r.API != nil {
		w.line(fmt.Sprintf("  %s  %s → %d %s", s.Heading.Render("API"), Safe(r.API.URL), r.API.Status, s.Faint.Render(fmt.Sprintf("(%s, %d bytes)", Safe(r.API.ContentType), r.API.Size))))
	}
	if m := r.MCP; m != nil {
		name := Safe(strings.TrimSpace(m.ServerName + " " + m.ServerVersion))
		w.line(fmt.Sprintf("  %s  %s %s", s.Heading.Render("MCP"), Safe(m.URL), s.Faint.Render("("+OrDash(name)+", protocol "+OrDash(Safe(m.ProtocolVersion))+")")))
		for _, t := range m.Tools {
			w.wrapped("    "+s.Key.Render(Safe(t.Name))+"  ", s.Faint.Render(Safe(t.Description)))
		}
		if m.Call != nil {
			st := inspect.StatusPass
			if m.Call.IsError {
				st = inspect.StatusFail
			}
			w.line("    " + s.Glyph(st) + " tools/call " + Safe(m.Call.Name))
			w.wrapped("      ", textBlock(m.Call.Text, o.Reveal))
		}
	}
}

func notPassed(r inspect.Report) inspect.Report {
	var out inspect.Report
	for _, c := range r {
		if c.Status == inspect.StatusWarn || c.Status == inspect.StatusFail {
			out = append(out, c)
		}
	}
	return out
}

// indent writes rendered lines two spaces in.
func indent(w *writer, rendered string) { indentBy(w, rendered, "  ") }

func indent2(w *writer, rendered string) { indentBy(w, rendered, "    ") }

func indentBy(w *writer, rendered, prefix string) {
	for _, l := range strings.Split(strings.TrimRight(rendered, "\n"), "\n") {
		if l != "" {
			w.line(prefix + l)
		}
	}
}

func innerWidth(width int) int {
	if width <= 0 {
		return 0
	}
	return max(width-4, 20)
}

// text is outside text on one line: tokens shortened unless revealed,
// control characters made visible.
func text(s string, reveal bool) string { return Safe(wire.DisplayText(s, reveal)) }

// textBlock is text for several lines, likewise.
func textBlock(s string, reveal bool) string { return SafeBlock(wire.DisplayText(s, reveal)) }

func millis(v float64) string {
	if v >= 1000 {
		return fmt.Sprintf("%.2f s", v/1000)
	}
	return fmt.Sprintf("%.1f ms", v)
}
