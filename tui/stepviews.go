package tui

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/tui/report"
)

// The renderings of a step's record. They read nothing but their
// arguments, so a command can run them off the event loop for a large
// response.

// stepTitle is the heading of a step in the pane: "3 · Token exchange (…)";
// subject is what the token exchange sends (idp.subject).
func stepTitle(id flow.StepID, subject string) string {
	return fmt.Sprintf("%d · %s", id.Number(), id.TitleFor(subject))
}

// stepHead is the heading of a step's tabs: its name, status, duration and
// the inputs it ran with when they were edited.
func stepHead(s styles, st *flow.Step, auth string) string {
	head := s.bold.Render(stepTitle(st.ID, st.Subject)) + "  " + s.report.Status(st.Status).Render(report.GlyphOf(st.Status)+" "+st.Status.String())
	if st.Duration > 0 {
		head += s.faint.Render("  " + shortDuration(st.Duration))
	}
	if o := overridesLine(st.Overrides, auth); o != "" {
		head += "\n" + s.shift.Render("edited: "+o)
	}
	if st.Status == inspect.StatusSkip && len(st.Missing) == 0 {
		// Skipped for a reason of its own (a kept token stands in for it):
		// every tab says which.
		for _, n := range st.Notes {
			head += "\n" + s.faint.Render(report.Safe(n))
		}
	}
	return head
}

// stepTabView renders a tab of a step other than Tokens (which counts down
// with the clock).
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

// explainView says what went wrong, what it means and how to fix it — or
// which inputs a skipped step lacked — then the step's notes.
func explainView(s styles, st *flow.Step, width int) string {
	var b strings.Builder
	switch {
	case st.Err != nil:
		b.WriteString(errorView(s, st, width))
	case len(st.Missing) > 0:
		// The notes say the same with command-line flags; here each input
		// is named with the step or config key that supplies it.
		b.WriteString(wrapIndented(s.report.Status(st.Status).Render(report.GlyphOf(st.Status)+" the step was skipped: it lacks "+lacking(st.Missing)), "", width))
		b.WriteString(missingView(s, st.Missing, width))
		b.WriteString(wrapIndented(s.faint.Render("r runs the step once they are known"), "", width))
		return b.String()
	default:
		b.WriteString(s.report.Status(st.Status).Render(report.GlyphOf(st.Status)+" nothing went wrong: "+statusWords(st.Status)) + "\n")
	}
	if len(st.Notes) > 0 {
		b.WriteString("\n" + s.report.Heading.Render("Notes") + "\n")
		for _, n := range st.Notes {
			b.WriteString(wrapIndented("· "+report.Safe(n), "  ", width))
		}
	}
	return b.String()
}

// errorView explains a step's error.
func errorView(s styles, st *flow.Step, width int) string {
	var b strings.Builder
	b.WriteString(s.errTitle.Render(report.GlyphOf(inspect.StatusFail)+" What happened") + "\n")
	if errors.Is(st.Err, context.Canceled) {
		b.WriteString(wrapIndented("You cancelled the step before it finished.", "  ", width))
	} else {
		b.WriteString(wrapIndented(report.Safe(st.Err.Error()), "  ", width))
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
	return b.String()
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

// stepPurpose says in a sentence or two what a step does on the wire, for
// a config whose token exchange sends subject (idp.subject).
func stepPurpose(id flow.StepID, subject string) string {
	if id == flow.StepTokenExchange && subject == config.SubjectRefreshToken {
		return "Exchanges the IdP refresh token of the login (idp.subject refresh_token: subject_token_type urn:ietf:params:oauth:token-type:refresh_token) for an ID-JAG at the IdP's token endpoint: RFC 8693 token exchange with requested_token_type urn:ietf:params:oauth:token-type:id-jag and the resource AS issuer as audience (draft §4.3)."
	}
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

// overridesLine lists the inputs a run changed, for headings.
func overridesLine(o flow.Overrides, auth string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(o)) {
		v := o[k]
		if v == "" {
			v = "(removed)"
		}
		parts = append(parts, k+"="+v)
	}
	if auth != "" {
		parts = append(parts, "client auth="+auth)
	}
	return strings.Join(parts, " ")
}

// shortDuration renders a step's duration: "12ms", "1.4s", "2m3s".
func shortDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return "<1ms"
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < 10*time.Second:
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return inspect.HumanDuration(d)
}
