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

// The detail of one conformance case: what was sent, and the answer.

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
