package report

import (
	"fmt"
	"strings"

	"github.com/xaatools/xaa/flow/doctor"
	"github.com/xaatools/xaa/inspect"

	"github.com/charmbracelet/lipgloss"
)

// DoctorOptions tune the doctor's reports.
type DoctorOptions struct {
	// Reveal shows tokens in full instead of shortened.
	Reveal bool
	// Verbose details every check, with its evidence; otherwise only the
	// checks that did not pass are expanded.
	Verbose bool
	// Width wraps long lines; 0 leaves them.
	Width int
}

// Doctor renders the checklist of `xaa doctor`: the verdict, then each
// party's checks — a line each, and under every check that did not pass
// the values compared, the fix, the Admin Console screen, the email to
// send and the HTTP exchanges behind it.
func Doctor(s Styles, d *doctor.Diagnosis, o DoctorOptions) string {
	var b strings.Builder
	w := &writer{b: &b, s: s, width: o.Width}
	w.wrapped(s.Title.Render("xaa doctor")+"  ", DoctorVerdict(s, d)+s.Faint.Render("  "+millis(d.Duration.Seconds()*1000)))
	org, label := Safe(d.Parties.IdPIssuer), "IdP  "
	if d.Okta {
		org, label = org+s.Faint.Render("  (an Okta org)"), "org  "
	}
	w.wrapped(s.Faint.Render(label), org)
	if !d.SignedIn {
		w.wrapped(s.Faint.Render("     "), s.Faint.Render("not signed in: the checks of what the org issues for a user are unknown — run with --token <ID token>"))
	}
	said := map[string]bool{}
	for _, p := range doctor.Parties() {
		checks := d.ByParty(p)
		if len(checks) == 0 {
			continue
		}
		w.blank()
		w.line(s.Heading.Render(d.PartyTitle(p)))
		for _, c := range checks {
			if c.Status == inspect.StatusUnknown && !c.Checklist && !o.Verbose {
				// Many checks are unknown for one reason: say it once.
				if said[c.Hint] {
					c.Hint = "(the same reason as above)"
				}
				said[c.Hint] = true
			}
			doctorCheck(w, c, o)
		}
	}
	return b.String()
}

// DoctorVerdict is the one-line outcome: "✗ 1 failed · 2 warnings · 30
// passed · 10 unknown".
func DoctorVerdict(s Styles, d *doctor.Diagnosis) string {
	head := s.Glyph(inspect.StatusPass) + " " + s.Pass.Render("no check failed")
	if !d.OK() {
		head = s.Glyph(inspect.StatusFail) + " " + s.Fail.Render(fmt.Sprintf("%d failed", d.Count(inspect.StatusFail)))
	}
	parts := []string{head}
	if n := d.Count(inspect.StatusWarn); n > 0 {
		parts = append(parts, s.Warn.Render(plural(n, "warning")))
	}
	parts = append(parts, s.Pass.Render(fmt.Sprintf("%d passed", d.Count(inspect.StatusPass))))
	if n := d.Count(inspect.StatusUnknown); n > 0 {
		parts = append(parts, s.Skip.Render(fmt.Sprintf("%d unknown", n)))
	}
	return strings.Join(parts, s.Faint.Render(" · "))
}

// DoctorCheck renders one check of d in full: the values compared, the fix, the
// console screen, the email and every exchange of its evidence with its
// response body and a curl command. The terminal UI shows it beside the
// checklist.
func DoctorCheck(s Styles, d *doctor.Diagnosis, c doctor.Check, o DoctorOptions) string {
	var b strings.Builder
	w := &writer{b: &b, s: s, width: o.Width}
	o.Verbose = true
	w.wrapped(s.Glyph(c.Status)+" ", s.Status(c.Status).Render(Safe(c.Title)))
	where := d.PartyTitle(c.Party) + " · " + c.Status.String()
	if c.FromOrg {
		where += " · read from the org's admin API"
	}
	w.wrapped(s.Faint.Render("  "), s.Faint.Render(where))
	details(w, c, o, "  ")
	return b.String()
}

// doctorCheck writes a check's line, and its details unless it passed.
func doctorCheck(w *writer, c doctor.Check, o DoctorOptions) {
	s := w.s
	line := "  " + s.Glyph(c.Status) + " "
	switch c.Status {
	case inspect.StatusPass:
		titled(w, line+Safe(c.Title), s.Faint.Render(text(c.Actual, o.Reveal)))
		if o.Verbose {
			details(w, c, o, "      ")
		}
	case inspect.StatusUnknown:
		if c.Checklist && !o.Verbose {
			// What to look for, and where: the admin checks it by hand.
			titled(w, line+s.Skip.Render(Safe(c.Title)), s.Faint.Render(text(c.Actual, o.Reveal)))
			w.wrapped("      "+s.Faint.Render("look for  "), text(c.Expected, o.Reveal))
			w.wrapped("      "+s.Faint.Render("console   "), c.Console)
			return
		}
		titled(w, line+s.Skip.Render(Safe(c.Title)), s.Faint.Render(text(c.Hint, o.Reveal)))
		if o.Verbose {
			details(w, c, o, "      ")
		}
	case inspect.StatusSkip:
		// A check that does not apply here: its reason on one line.
		titled(w, line+s.Skip.Render(Safe(c.Title)), s.Faint.Render(text(c.Hint, o.Reveal)))
		if o.Verbose {
			details(w, c, o, "      ")
		}
	default:
		w.wrapped(line, s.Status(c.Status).Render(Safe(c.Title)))
		details(w, c, o, "      ")
	}
}

// titled writes a title and a remark after it, or under it when the title
// leaves too little room on the line.
func titled(w *writer, title, remark string) {
	if w.width > 0 && w.width-lipgloss.Width(title)-2 < 20 {
		w.wrapped("", title)
		w.wrapped("      ", remark)
		return
	}
	w.wrapped(title+"  ", remark)
}

// details writes the values, fix, console, email and evidence of a check.
func details(w *writer, c doctor.Check, o DoctorOptions, indent string) {
	s := w.s
	label := func(l string) string { return indent + s.Faint.Render(fmt.Sprintf("%-9s ", l)) }
	if c.Expected != "" {
		name := "expected"
		if c.Checklist {
			name = "look for"
		}
		w.wrapped(label(name), text(c.Expected, o.Reveal))
	}
	if c.Actual != "" && (c.Status != inspect.StatusUnknown || c.Actual != "not known") {
		w.wrapped(label("actual"), text(c.Actual, o.Reveal))
	}
	if c.Hint != "" {
		name := "fix"
		if c.Status == inspect.StatusUnknown || c.Status == inspect.StatusSkip {
			name = "why"
		}
		w.wrapped(label(name), s.Title.Render(text(c.Hint, o.Reveal)))
	}
	if c.Console != "" {
		w.wrapped(label("console"), c.Console)
	}
	if c.Spec != "" {
		w.wrapped(label("spec"), s.Faint.Render(c.Spec))
	}
	w.wrapped(label("check"), s.Faint.Render(c.ID))
	if e := c.Email; e != nil {
		w.line(label("email") + "To: " + Safe(e.To))
		w.wrapped(label(""), "Subject: "+Safe(e.Subject))
		for _, l := range strings.Split(strings.TrimRight(SafeBlock(e.Body), "\n"), "\n") {
			w.line(strings.TrimRight(label("")+"  "+l, " "))
		}
	}
	if len(c.Evidence) > 0 && (c.Status != inspect.StatusPass || o.Verbose) {
		w.line(strings.TrimRight(label("evidence"), " "))
		// The exchanges as `xaa run` shows them, two spaces under the label;
		// the one a refusal came in with its body and a curl command.
		extra := strings.Repeat(" ", max(len(indent)-2, 0))
		var b strings.Builder
		sub := &writer{b: &b, s: s}
		if w.width > 0 {
			sub.width = max(w.width-len(extra), 20)
		}
		for _, x := range c.Evidence {
			exchange(sub, x, RunOptions{Reveal: o.Reveal, Verbose: o.Verbose}, c.Status != inspect.StatusPass && (x.Response == nil || x.Response.Status >= 400))
		}
		indentBy(w, b.String(), extra)
	}
}
