package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/tui/report"
)

// view renders the step list beside the selected step's tabs.
func (f flowScreen) view() string {
	s := f.c.styles
	height := f.pane.height + 2
	left := lipgloss.NewStyle().Width(f.listWidth).Height(height).MaxHeight(height).Render(f.stepList())
	sep := s.rule.Render(strings.TrimSuffix(strings.Repeat("│\n", height), "\n"))
	right := f.tabBar() + "\n" + s.rule.Render(strings.Repeat("─", f.pane.width)) + "\n" + f.pane.view()
	return lipgloss.JoinHorizontal(lipgloss.Top, left, sep, right)
}

// stepList renders the steps with their status, the chain row, and what
// the selected step's trouble is.
func (f flowScreen) stepList() string {
	s := f.c.styles
	w := f.listWidth - 1
	var b strings.Builder
	b.WriteString(s.bold.Render(" Steps") + "\n")
	for i := 0; i < stepCount; i++ {
		glyph := s.faint.Render(report.GlyphOf(inspect.StatusSkip))
		if f.running == i {
			glyph = f.spin.View()
		} else if st := f.steps[i]; st != nil {
			glyph = s.report.Status(st.Status).Render(report.GlyphOf(st.Status))
		}
		name := fmt.Sprintf("%d %s", i+1, shortTitle(flow.StepID(i)))
		dur := f.stepDuration(i)
		gap := max(w-3-lipgloss.Width(name)-len(dur), 1)
		row := " " + name + strings.Repeat(" ", gap) + dur
		b.WriteString(f.listRow(i == f.selected, glyph, row) + "\n")
	}
	b.WriteString(s.rule.Render(" "+strings.Repeat("─", w-1)) + "\n")
	b.WriteString(f.listRow(f.selected == rowChain, " ", " Token chain"+strings.Repeat(" ", max(w-14, 0))) + "\n\n")
	b.WriteString(f.listFooter(w))
	return b.String()
}

// listFooter says what to do next, or what went wrong, under the list.
func (f flowScreen) listFooter(w int) string {
	s := f.c.styles
	var lines []string
	switch {
	case f.running >= 0:
		lines = append(lines, s.faint.Render("running "+shortTitle(flow.StepID(f.running))+" …"), s.faint.Render("esc cancels"))
	case f.failed() >= 0:
		i := f.failed()
		lines = append(lines, s.report.Fail.Render(fmt.Sprintf("%s %d %s failed", report.GlyphOf(inspect.StatusFail), i+1, shortTitle(flow.StepID(i)))))
		lines = append(lines, s.faint.Render("Explain tab: what it means and the fix · r retry · e edit & resend"))
	case f.nextStep() >= 0:
		lines = append(lines, s.faint.Render("enter runs "+shortTitle(flow.StepID(f.nextStep()))), s.faint.Render("a runs every step"))
	default:
		lines = append(lines, s.report.Pass.Render(report.GlyphOf(inspect.StatusPass)+" flow complete"), s.faint.Render("Token chain: every token"))
	}
	return wrapIndented(strings.Join(lines, "\n"), " ", w)
}

// listRow renders a row of the step list; the selected one is marked with
// ▸ as well as reversed, so it shows without colour too.
func (f flowScreen) listRow(selected bool, glyph, row string) string {
	if selected {
		return f.c.styles.focused.Render("▸") + glyph + f.c.styles.selected.Render(row)
	}
	return " " + glyph + row
}

// statusWords says how a step went, for people.
func statusWords(s inspect.Status) string {
	switch s {
	case inspect.StatusPass:
		return "the step passed"
	case inspect.StatusWarn:
		return "the step passed with warnings (see Checks)"
	case inspect.StatusSkip:
		return "the step was skipped (see Notes)"
	}
	return "the step failed"
}

// failed returns the first failed step, or -1.
func (f flowScreen) failed() int {
	for i, st := range f.steps {
		if st != nil && st.Status == inspect.StatusFail {
			return i
		}
	}
	return -1
}

// tabBar renders the tabs of the selected step (or the chain's title).
func (f flowScreen) tabBar() string {
	s := f.c.styles
	if f.selected == rowChain {
		return truncateLine(s.tabActive.Render("Token chain")+s.faint.Render("  iss · aud · sub · client_id · resource · exp, hop to hop"), f.pane.width)
	}
	numbered := f.pane.width >= 64
	var parts []string
	for i, name := range tabNames {
		label := name
		if numbered {
			label = fmt.Sprintf("%d %s", i+1, name)
		}
		if i == f.tab && !f.compare {
			parts = append(parts, s.tabActive.Render("["+label+"]"))
		} else {
			parts = append(parts, s.tab.Render(label))
		}
	}
	if f.compare {
		parts = append(parts, s.tabActive.Render("[side by side]"))
	}
	bar := strings.Join(parts, " ")
	if hint := f.pane.scrollHint(); hint != "" {
		bar += s.faint.Render("  " + hint)
	}
	return truncateLine(bar, f.pane.width)
}

// content renders what the pane shows for the selection.
func (f flowScreen) content() string {
	w := f.pane.width
	if f.selected == rowChain {
		return f.chainView(w)
	}
	i := f.selected
	if f.editing {
		return f.editView(w)
	}
	if f.running == i && flow.StepID(i) == flow.StepLogin {
		return f.loginView(w)
	}
	if f.running == i {
		return f.runningView()
	}
	st := f.steps[i]
	if st == nil {
		return f.pendingView(i)
	}
	if f.compare && f.previous[i] != nil {
		return f.compareView(f.previous[i], st, w)
	}
	if f.tab == tabTokens {
		return stepHead(f.c.styles, st, f.authMethods[i]) + "\n\n" + f.tokensView(st, w)
	}
	return stepTabView(f.c.styles, st, f.tab, f.c.reveal, w, f.authMethods[i])
}

// stepHead is the heading of a step's tabs: its name, status, duration and
// the inputs it ran with when they were edited.
func stepHead(s styles, st *flow.Step, auth string) string {
	head := s.bold.Render(stepTitle(int(st.ID))) + "  " + s.report.Status(st.Status).Render(report.GlyphOf(st.Status)+" "+st.Status.String())
	if st.Duration > 0 {
		head += s.faint.Render("  " + shortDuration(st.Duration))
	}
	if o := overridesLine(st.Overrides, auth); o != "" {
		head += "\n" + s.shift.Render("edited: "+o)
	}
	return head
}

// stepTabView renders a tab of a step other than Tokens (which counts down
// with the clock). It reads nothing but its arguments, so a command can run
// it off the event loop for a large response.
func stepTabView(s styles, st *flow.Step, tab int, reveal bool, width int, auth string) string {
	var body string
	switch tab {
	case tabRequest:
		body = requestsView(s, st.Exchanges, reveal)
	case tabResponse:
		body = responsesView(s, st.Exchanges, reveal)
	case tabChecks:
		body = checksView(s, st, width)
	case tabExplain:
		body = explainView(s, st, width)
	case tabCurl:
		body = curlView(s, st.Exchanges, reveal)
	}
	return stepHead(s, st, auth) + "\n\n" + body
}

// pendingView says what a step will do and how to run it.
func (f flowScreen) pendingView(i int) string {
	s := f.c.styles
	var b strings.Builder
	b.WriteString(s.bold.Render(stepTitle(i)) + "  " + s.faint.Render(report.GlyphOf(inspect.StatusSkip)+" not run yet") + "\n\n")
	b.WriteString(stepPurpose(flow.StepID(i)) + "\n\n")
	switch {
	case f.nextStep() == i:
		b.WriteString(s.focused.Render("enter") + " runs this step · " + s.focused.Render("a") + " runs every step from here")
	case i > 0 && !usable(f.steps[i-1]):
		b.WriteString(s.faint.Render(fmt.Sprintf("runs after %s passes", flow.StepID(i-1).Title())))
	}
	if f.pg != nil && flow.StepID(i) == flow.StepLogin {
		b.WriteString("\n\n" + s.faint.Render("On the playground a scripted browser logs in as "+f.user+"; u switches the demo user."))
	}
	return b.String()
}

// stepPurpose says in a sentence or two what a step does on the wire.
func stepPurpose(id flow.StepID) string {
	switch id {
	case flow.StepDiscovery:
		return "Fetches the IdP's and the resource authorization server's metadata (OIDC Discovery §4, RFC 8414), the protected resource metadata (RFC 9728) and both servers' JWKS, and checks that every issuer matches exactly."
	case flow.StepLogin:
		return "Signs the user in at the IdP with the authorization code flow and PKCE S256 (RFC 7636), receives the code on a loopback redirect URI (RFC 8252 §7.3), redeems it for an ID token and verifies the ID token (OIDC Core §3.1.3.7)."
	case flow.StepTokenExchange:
		return "Exchanges the ID token for an ID-JAG at the IdP's token endpoint: RFC 8693 token exchange with requested_token_type urn:ietf:params:oauth:token-type:id-jag and the resource AS issuer as audience (draft §4.3)."
	case flow.StepJWTBearer:
		return "Presents the ID-JAG to the resource authorization server with the RFC 7523 jwt-bearer grant, authenticated as the client registered there, for an access token (draft §4.4)."
	case flow.StepResource:
		return "Calls the resource with the access token: a REST GET (RFC 6750) and/or an MCP session over Streamable HTTP that lists the tools."
	}
	return ""
}

// runningView is the pane while a step other than the login runs.
func (f flowScreen) runningView() string {
	s := f.c.styles
	i := f.running
	var b strings.Builder
	b.WriteString(s.bold.Render(stepTitle(i)) + "  " + f.spin.View() + " running " + s.faint.Render(inspect.HumanDuration(f.c.now.Sub(f.started))) + "\n\n")
	if f.lastNote != "" {
		b.WriteString(f.lastNote + "\n\n")
	}
	b.WriteString(s.faint.Render("esc cancels"))
	return b.String()
}

// tokensView renders the selected token of a step.
func (f flowScreen) tokensView(st *flow.Step, width int) string {
	s := f.c.styles
	if len(st.Tokens) == 0 {
		return s.faint.Render("This step received no token.")
	}
	i := min(f.tokenIdx, len(st.Tokens)-1)
	a := st.Tokens[i]
	var b strings.Builder
	label := a.Token.Kind.Title()
	if a.Token.Name != "" {
		label += " (" + a.Token.Name + ")"
	}
	if len(st.Tokens) > 1 {
		b.WriteString(s.faint.Render(fmt.Sprintf("token %d of %d: ", i+1, len(st.Tokens))) + s.bold.Render(label) + s.faint.Render(" · t next · y copy") + "\n\n")
	} else {
		b.WriteString(s.faint.Render("y copies the token") + "\n\n")
	}
	a = withWholeKeySet(a, st.Out.IdPKeys, st.Out.ASKeys, st.In.IdPKeys, st.In.ASKeys)
	b.WriteString(renderToken(s, a, f.c.now, f.c.reveal, width))
	return b.String()
}

// checksView renders the step's own checks, then each token's.
func checksView(s styles, st *flow.Step, width int) string {
	var b strings.Builder
	if len(st.Checks) > 0 {
		b.WriteString(s.report.Heading.Render("Step checks") + "  " + report.Summary(s.report, st.Checks) + "\n")
		b.WriteString(report.Checks(s.report, st.Checks, width))
	}
	for _, a := range st.Tokens {
		if len(a.Checks) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(s.report.Heading.Render(a.Token.Kind.Title()+" checks") + "  " + report.Summary(s.report, a.Checks) + "\n")
		b.WriteString(report.SignatureLine(s.report, a.Signature) + "\n")
		b.WriteString(report.Checks(s.report, a.Checks, width))
	}
	if b.Len() == 0 {
		return s.faint.Render("This step ran no checks.")
	}
	return b.String()
}

// explainView says what went wrong, what it means and how to fix it, then
// the step's notes.
func explainView(s styles, st *flow.Step, width int) string {
	var b strings.Builder
	if st.Err == nil {
		b.WriteString(s.report.Status(st.Status).Render(report.GlyphOf(st.Status)+" nothing went wrong: "+statusWords(st.Status)) + "\n")
	} else {
		b.WriteString(s.errTitle.Render(report.GlyphOf(inspect.StatusFail)+" What happened") + "\n")
		if errors.Is(st.Err, context.Canceled) {
			b.WriteString(wrapIndented("You cancelled the step before it finished.", "  ", width))
		} else {
			b.WriteString(wrapIndented(st.Err.Error(), "  ", width))
		}
		if e := st.Explanation; e != nil {
			b.WriteString("\n" + s.errTitle.Render("What it means") + "\n")
			b.WriteString(wrapIndented(e.Meaning, "  ", width))
			if len(e.Causes) > 0 {
				b.WriteString("\n" + s.errTitle.Render("Likely causes") + "\n")
				for _, c := range e.Causes {
					b.WriteString(wrapIndented("• "+c, "  ", width))
				}
			}
			if e.Fix != "" {
				b.WriteString("\n" + s.okBanner.Render("How to fix it") + "\n")
				b.WriteString(wrapIndented(e.Fix, "  ", width))
			}
			if e.Spec != "" {
				b.WriteString("\n" + wrapIndented(s.faint.Render("spec: "+e.Spec), "  ", width))
			}
		}
		b.WriteString("\n" + s.faint.Render("r retries the step · e edits its inputs and resends it") + "\n")
	}
	if len(st.Notes) > 0 {
		b.WriteString("\n" + s.report.Heading.Render("Notes") + "\n")
		for _, n := range st.Notes {
			b.WriteString(wrapIndented("· "+n, "  ", width))
		}
	}
	return b.String()
}
