package tui

import (
	"strings"
	"time"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/inspect"
)

// loginTimeout is how long the login step waits for the callback.
func (f flowScreen) loginTimeout() time.Duration {
	if f.c.env.LoginTimeout > 0 {
		return f.c.env.LoginTimeout
	}
	return flow.DefaultLoginTimeout
}

// loginView is the pane while the login runs: the URL to open, a spinner
// and the time left, and how to cancel.
func (f flowScreen) loginView(width int) string {
	s := f.c.styles
	var b strings.Builder
	left := max(f.loginTimeout()-f.c.now.Sub(f.started), 0)
	b.WriteString(s.bold.Render(stepTitle(int(flow.StepLogin))) + "\n\n")
	b.WriteString(f.spin.View() + " waiting for the login  " + s.report.Warn.Render(inspect.HumanDuration(left)+" left") + "\n\n")
	if f.pg != nil {
		b.WriteString(wrapIndented("The playground's scripted browser logs in as "+s.bold.Render(f.user)+": it opens the URL below, submits the login form and follows the redirect to xaa's loopback callback.", "", width))
		b.WriteString("\n")
	} else {
		b.WriteString(wrapIndented("Your browser was asked to open the IdP's login page. If it did not open, copy the URL below into a browser on this machine: the IdP redirects back to xaa's loopback listener.", "", width))
		b.WriteString("\n")
	}
	if f.loginURL != "" {
		b.WriteString(s.report.Heading.Render("Authorization URL") + "\n")
		b.WriteString(wrapText(f.loginURL, width) + "\n\n")
	}
	if f.lastNote != "" {
		b.WriteString(wrapIndented(s.faint.Render(f.lastNote), "", width) + "\n")
	}
	b.WriteString(s.faint.Render("esc cancels the login"))
	return b.String()
}
