package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/tui/report"
)

// stepList is the flow screen's left column: a row per step with its
// status, spinner and duration, the token-chain row, and under them what
// enter does next — or what the next step lacks.
type stepList struct {
	keys     listKeys
	selected int // an index into flow.Steps(), or the chain row after them
	width    int
}

// listKeys move the selection.
type listKeys struct{ Up, Down key.Binding }

func newStepList(k keyMap) stepList { return stepList{keys: listKeys{Up: k.Up, Down: k.Down}} }

// update moves the selection; moved reports that the key was the list's.
func (l stepList) update(msg tea.KeyMsg) (_ stepList, moved bool) {
	rows := len(flow.Steps()) + 1
	switch {
	case key.Matches(msg, l.keys.Up):
		l.selected = (l.selected + rows - 1) % rows
	case key.Matches(msg, l.keys.Down):
		l.selected = (l.selected + 1) % rows
	default:
		return l, false
	}
	return l, true
}

// step returns the selected step; false when the chain row is selected.
func (l stepList) step() (flow.StepID, bool) {
	steps := flow.Steps()
	if l.selected >= len(steps) {
		return 0, false
	}
	return steps[l.selected], true
}

// selectStep moves the selection to a step.
func (l *stepList) selectStep(id flow.StepID) { l.selected = slices.Index(flow.Steps(), id) }

// view renders the rows and the footer.
func (l stepList) view(c *shared, sess *flow.Session, run stepRun, spin string) string {
	s := c.styles
	w := l.width - 1
	var b strings.Builder
	b.WriteString(s.bold.Render(" Steps") + "\n")
	for i, id := range flow.Steps() {
		glyph := s.faint.Render(report.GlyphOf(inspect.StatusSkip))
		dur := ""
		switch st := sess.Record(id); {
		case run.active && run.id == id:
			glyph, dur = spin, inspect.HumanDuration(c.now.Sub(run.started))
		case st != nil:
			glyph = s.report.Status(st.Status).Render(report.GlyphOf(st.Status))
			if st.Status != inspect.StatusSkip {
				dur = shortDuration(st.Duration)
			}
		}
		name := fmt.Sprintf("%d %s", id.Number(), id.Name())
		if sess.Edited(id) {
			name += " ✎" // its inputs differ from the config's until reset
		}
		gap := max(w-3-lipgloss.Width(name)-len(dur), 1)
		b.WriteString(l.row(s, i == l.selected, glyph, " "+name+strings.Repeat(" ", gap)+dur) + "\n")
	}
	b.WriteString(s.rule.Render(" "+strings.Repeat("─", w-1)) + "\n")
	b.WriteString(l.row(s, l.selected == len(flow.Steps()), " ", " Token chain"+strings.Repeat(" ", max(w-14, 0))) + "\n\n")
	b.WriteString(wrapIndented(strings.Join(footer(s, sess, run), "\n"), " ", w))
	return b.String()
}

// footer says what is going on, what failed, and what enter does next:
// the next step runs whatever failed before it, and when it lacks an
// input the footer names it.
func footer(s styles, sess *flow.Session, run stepRun) []string {
	if run.active {
		return []string{s.faint.Render("running " + run.id.Name() + " …"), s.faint.Render("esc cancels")}
	}
	var lines []string
	failed := false
	for _, id := range flow.Steps() {
		if st := sess.Record(id); st != nil && st.Status == inspect.StatusFail {
			lines = append(lines, s.report.Fail.Render(fmt.Sprintf("%s %d %s failed", report.GlyphOf(inspect.StatusFail), id.Number(), id.Name())),
				s.faint.Render("Explain tab: what it means and the fix · r retry · e edit & resend"))
			failed = true
			break
		}
	}
	next, ok := sess.Next()
	switch {
	case !ok && !failed:
		return append(lines, s.report.Pass.Render(report.GlyphOf(inspect.StatusPass)+" flow complete"), s.faint.Render("Token chain: every token"))
	case !ok:
		return lines
	}
	if failed {
		lines = append(lines, "")
	}
	if p := sess.Plan(next); !p.Runnable() {
		return append(lines, "next: "+next.Name(), "it lacks "+lacking(p.Missing),
			s.faint.Render("enter records it as skipped · a runs every step"))
	}
	return append(lines, s.faint.Render("enter runs "+next.Name()), s.faint.Render("a runs every step"))
}

// lacking joins what a step lacks for a sentence: "an ID-JAG and …".
func lacking(ms []flow.Input) string {
	whats := make([]string, len(ms))
	for i, m := range ms {
		whats[i] = m.What
	}
	return strings.Join(whats, " and ")
}

// row renders a row of the list; the selected one is marked with ▸ as well
// as reversed, so it shows without colour too.
func (l stepList) row(s styles, selected bool, glyph, text string) string {
	if selected {
		return s.focused.Render("▸") + glyph + s.selected.Render(text)
	}
	return " " + glyph + text
}
