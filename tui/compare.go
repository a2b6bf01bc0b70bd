package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/tui/report"
)

// compareView shows the responses of a step before and after a resend side
// by side, with what was changed and how each run was judged.
func compareView(s styles, before, after *flow.Step, reveal bool, width int) string {
	col := max((width-3)/2, 10)
	render := func(title string, st *flow.Step) string {
		var b strings.Builder
		b.WriteString(s.bold.Render(title) + "  " + s.report.Status(st.Status).Render(report.GlyphOf(st.Status)+" "+st.Status.String()) + "\n")
		auth := ""
		if before.AuthMethod != after.AuthMethod {
			auth = st.AuthMethod
		}
		if o := overridesLine(st.Overrides, auth); o != "" {
			b.WriteString(s.shift.Render("sent "+o) + "\n")
		} else {
			b.WriteString(s.faint.Render("sent as configured") + "\n")
		}
		b.WriteString("\n")
		if n := len(st.Exchanges); n > 0 {
			b.WriteString(responseBlock(s, report.SafeExchange(st.Exchanges[n-1].ForDisplay(reveal)), false))
		} else {
			b.WriteString(s.faint.Render("no request was sent") + "\n")
		}
		if st.Err != nil {
			b.WriteString("\n" + s.report.Fail.Render(report.GlyphOf(inspect.StatusFail)+" "+report.Safe(st.Err.Error())) + "\n")
		}
		for _, a := range st.Tokens {
			b.WriteString("\n" + s.bold.Render(a.Token.Kind.Title()) + "  " + report.Summary(s.report, a.Checks) + "\n")
			for _, c := range []string{"aud", "resource", "scope", "client_id"} {
				if v, _, ok := a.Token.Claims.Strings(c); ok {
					v = []string{report.Safe(strings.Join(v, ", "))}
					b.WriteString("  " + s.report.Key.Render(report.Pad(c, 10)) + strings.Join(v, ", ") + "\n")
				}
			}
		}
		return wrapText(b.String(), col)
	}
	left := lipgloss.NewStyle().Width(col).Render(render("Before", before))
	right := lipgloss.NewStyle().Width(col).Render(render("After", after))
	sep := s.rule.Render(strings.TrimSuffix(strings.Repeat(" │ \n", max(lipgloss.Height(left), lipgloss.Height(right))), "\n"))
	return s.faint.Render("s or esc returns to the tabs") + "\n\n" + lipgloss.JoinHorizontal(lipgloss.Top, left, sep, right)
}
