package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/tui/report"
)

// The window: the top bar, the screen in front, and the help bar (or a
// flash message); "?" puts the full help of the keys in the screen's place.

// View composes the top bar, the screen and the help bar.
func (m Model) View() string {
	if m.c.width < minWidth || m.c.height < minHeight {
		// Wrapped to the width it complains about: every word must show.
		msg := "The terminal is too small for xaa (" + itoa(m.c.width) + "×" + itoa(m.c.height) +
			"): make it at least " + itoa(minWidth) + "×" + itoa(minHeight) + "; 80×24 or more is best."
		return m.c.styles.report.Warn.Render(wrapText(msg, max(m.c.width, 10)))
	}
	body := m.body()
	if m.showHelp {
		body = m.fullHelp()
	}
	body = lipgloss.NewStyle().Height(m.bodyHeight()).MaxHeight(m.bodyHeight()).Render(body)
	return report.SafeStyled(m.topBar() + "\n" + body + "\n" + m.bottomBar())
}

// body renders the screen in front.
func (m Model) body() string {
	switch m.screen {
	case screenDecoder:
		return m.decoder.view()
	case screenDoctor:
		return m.doctor.view()
	case screenConform:
		return m.conform.view()
	case screenFlow:
		if m.hasFlow {
			return m.flow.view()
		}
	}
	return m.setup.view(m.c.width, m.playgroundStatus())
}

// topBar names the program, the screen and what is being walked.
func (m Model) topBar() string {
	s := m.c.styles
	left := s.appTitle.Render(" xaa ") + " " + s.bold.Render(m.screenTitle())
	var right []string
	if m.hasFlow && m.screen == screenFlow {
		right = append(right, m.flow.source)
		if m.flow.pg != nil {
			right = append(right, "user "+m.flow.user)
		}
	}
	if m.c.reveal {
		right = append(right, s.report.Warn.Render("TOKENS REVEALED"))
	}
	r := s.barText.Render(strings.Join(right, " · "))
	gap := m.c.width - lipgloss.Width(left) - lipgloss.Width(r) - 1
	if gap < 1 {
		return truncateLine(left, m.c.width)
	}
	return left + strings.Repeat(" ", gap) + r
}

func (m Model) screenTitle() string {
	switch m.screen {
	case screenDecoder:
		return "Decoder"
	case screenDoctor:
		return "Doctor"
	case screenConform:
		return "Conformance"
	case screenFlow:
		return "Flow"
	}
	return "Setup"
}

// bottomBar is the flash message when there is one, else the short help.
func (m Model) bottomBar() string {
	s := m.c.styles
	if m.c.flash != "" {
		st := s.report.Pass
		if m.c.flashErr {
			st = s.report.Fail
		}
		return truncateLine(st.Render(m.c.flash), m.c.width)
	}
	if m.showHelp {
		return s.faint.Render("? or esc closes the help")
	}
	return truncateLine(m.help.View(m.bindings()), m.c.width)
}

// bindings returns the keys of the screen in front, for the help bar.
func (m Model) bindings() bindingSet {
	k := m.c.keys
	global := []key.Binding{k.Help, k.Quit}
	switch m.screen {
	case screenDecoder:
		focus := key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field"))
		verify := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "verify"))
		back := k.Back
		short := []key.Binding{focus, verify, back, k.Interrupt}
		full := [][]key.Binding{{focus, verify, k.NextToken, k.CopyToken}, {k.PageUp, k.PageDown, k.Top, k.Bottom, k.ScrollLeft}, {back, k.Reveal, k.Help, k.Interrupt}}
		if !m.decoder.inputFocused() {
			short = []key.Binding{focus, k.NextToken, k.CopyToken, k.PageDown, back, k.Help, k.Quit}
		}
		return bindingSet{short: short, full: full}
	case screenSetup:
		return m.setup.bindings()
	case screenFlow:
		if m.hasFlow {
			b := m.flow.bindings()
			b.full = append(b.full, []key.Binding{k.Doctor, k.Conform})
			return b
		}
	case screenDoctor:
		return m.doctor.bindings()
	case screenConform:
		return m.conform.bindings()
	}
	return bindingSet{short: global, full: [][]key.Binding{global}}
}

// fullHelp lays the key groups of the screen out in rows that fit the
// width, then the legend of the status glyphs.
func (m Model) fullHelp() string {
	s := m.c.styles
	h := m.help
	h.Width = 0
	var rows, row []string
	used := 0
	for _, g := range m.bindings().full {
		col := h.FullHelpView([][]key.Binding{g})
		w := lipgloss.Width(col) + 4
		if used+w > m.c.width && len(row) > 0 {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, used = nil, 0
		}
		row = append(row, col, "    ")
		used += w
	}
	if len(row) > 0 {
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	}
	legend := s.report.Glyph(inspect.StatusPass) + " pass   " + s.report.Glyph(inspect.StatusWarn) + " warning   " +
		s.report.Glyph(inspect.StatusFail) + " fail   " + s.report.Glyph(inspect.StatusSkip) + " not run / skipped"
	return s.bold.Render("Keys") + "\n\n" + strings.Join(rows, "\n\n") + "\n\n" + s.bold.Render("Glyphs") + "\n\n" + legend
}
