package tui

import (
	"strings"
	"time"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/tui/report"
)

// The pane of a step without a record: one that has not run, one running,
// and the login waiting for the browser.

// pendingView says what a step will do, what it lacks (the session's plan
// names each input and where it comes from) and how to run it.
func (f flowScreen) pendingView(id flow.StepID, width int) string {
	s := f.c.styles
	var b strings.Builder
	subject := f.config().IdP.Subject
	b.WriteString(s.bold.Render(stepTitle(id, subject)) + "  " + s.faint.Render(report.GlyphOf(inspect.StatusSkip)+" not run yet") + "\n\n")
	b.WriteString(stepPurpose(id, subject) + "\n\n")
	plan := f.session.Plan(id)
	if !plan.Runnable() {
		b.WriteString(s.bold.Render("It lacks") + "\n")
		b.WriteString(missingView(s, plan.Missing, width) + "\n")
	}
	next, ok := f.session.Next()
	switch {
	case ok && next == id && plan.Runnable():
		b.WriteString(s.focused.Render("enter") + " runs this step · " + s.focused.Render("a") + " runs every step from here")
	case ok && next == id:
		b.WriteString(s.focused.Render("enter") + " records it as skipped, naming what it lacks · " + s.focused.Render("a") + " runs every step from here")
	case plan.Runnable():
		b.WriteString(s.focused.Render("r") + " runs this step now: its inputs are known")
	}
	if f.pg != nil && id == flow.StepLogin {
		b.WriteString("\n\n" + s.faint.Render("On the playground a scripted browser logs in as "+f.user+"; u switches the demo user."))
	}
	return b.String()
}

// missingView lists inputs a step lacks, each with where it comes from.
func missingView(s styles, ms []flow.Input, width int) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(wrapIndented("• "+m.What+s.faint.Render(" — from "+m.From), "  ", width))
	}
	return b.String()
}

// runningView is the pane while the selected step runs.
func (f flowScreen) runningView(width int) string {
	if f.run.id == flow.StepLogin {
		return f.loginView(width)
	}
	s := f.c.styles
	var b strings.Builder
	b.WriteString(s.bold.Render(stepTitle(f.run.id, f.config().IdP.Subject)) + "  " + f.spin.View() + " running " + s.faint.Render(inspect.HumanDuration(f.c.now.Sub(f.run.started))) + "\n\n")
	if f.run.note != "" {
		b.WriteString(report.Safe(f.run.note) + "\n\n")
	}
	b.WriteString(s.faint.Render("esc cancels"))
	return b.String()
}

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
	left := max(f.loginTimeout()-f.c.now.Sub(f.run.started), 0)
	b.WriteString(s.bold.Render(stepTitle(flow.StepLogin, "")) + "\n\n")
	b.WriteString(f.spin.View() + " waiting for the login  " + s.report.Warn.Render(inspect.HumanDuration(left)+" left") + "\n\n")
	if f.pg != nil {
		b.WriteString(wrapIndented("The playground's scripted browser logs in as "+s.bold.Render(f.user)+": it opens the URL below, submits the login form and follows the redirect to xaa's loopback callback.", "", width))
	} else if f.session.Runner.NoBrowser {
		b.WriteString(wrapIndented("Open the URL below in a browser (y copies it). The IdP redirects back to xaa's loopback listener, so the browser must run on this machine — over SSH, forward the callback's port first (ssh -L PORT:127.0.0.1:PORT).", "", width))
	} else {
		b.WriteString(wrapIndented("Your browser was asked to open the IdP's login page. If it did not open, copy the URL below (y) into a browser on this machine: the IdP redirects back to xaa's loopback listener.", "", width))
	}
	b.WriteString("\n")
	if f.run.loginURL != "" {
		b.WriteString(s.report.Heading.Render("Authorization URL") + s.faint.Render("  y copies it · < > scroll it") + "\n")
		b.WriteString(report.Safe(f.run.loginURL) + "\n\n") // one line: what is copied is what the IdP gets
	}
	if f.run.note != "" {
		b.WriteString(wrapIndented(s.faint.Render(report.Safe(f.run.note)), "", width) + "\n")
	}
	b.WriteString(s.faint.Render("esc cancels the login"))
	return b.String()
}
