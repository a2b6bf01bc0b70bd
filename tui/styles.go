package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"

	"github.com/xaatools/xaa/tui/report"
)

// styles is the one place the TUI chooses colours. Everything is drawn in the
// terminal's own ANSI palette, so it suits light and dark themes without
// asking the terminal for its background (that query can stall for seconds
// in tmux or over SSH). Every status colour comes with a glyph, so meaning
// survives NO_COLOR.
type styles struct {
	report report.Styles // token, check and key renderings shared with the CLI

	appTitle  lipgloss.Style // "xaa" in the top bar
	barText   lipgloss.Style // the rest of the top bar
	faint     lipgloss.Style // secondary text
	bold      lipgloss.Style
	tab       lipgloss.Style // an inactive tab
	tabActive lipgloss.Style // the tab being shown
	selected  lipgloss.Style // the selected row of a list
	focused   lipgloss.Style // the label of the focused field
	rule      lipgloss.Style // separators
	banner    lipgloss.Style // the loud "NOT VERIFIED" line
	okBanner  lipgloss.Style // the "verified" line
	errTitle  lipgloss.Style // headline of an explained error
	shift     lipgloss.Style // an audience that changed hop to hop
	mismatch  lipgloss.Style // a value that does not line up
	spinner   lipgloss.Style
	help      help.Styles
}

// newStyles builds the styles with r. When colour is false every style
// renders plain text (NO_COLOR, TERM=dumb, golden files).
func newStyles(r *lipgloss.Renderer, colour, light bool) styles {
	rs := report.NewStyles(r, colour, light)                 // also pins the background to dark: no terminal query
	shift, focus := lipgloss.Color("3"), lipgloss.Color("6") // yellow, cyan
	if light {
		shift, focus = lipgloss.Color("5"), lipgloss.Color("4") // magenta, blue: readable on white
	}
	ns := r.NewStyle
	s := styles{
		report:    rs,
		appTitle:  ns().Bold(true).Foreground(lipgloss.Color("5")),
		barText:   ns().Faint(true),
		faint:     ns().Faint(true),
		bold:      ns().Bold(true),
		tab:       ns().Faint(true),
		tabActive: ns().Bold(true).Underline(true),
		selected:  ns().Reverse(true),
		focused:   ns().Bold(true).Foreground(focus),
		rule:      ns().Faint(true),
		banner:    ns().Bold(true).Reverse(true).Foreground(lipgloss.Color("1")),
		okBanner:  ns().Bold(true).Foreground(lipgloss.Color("2")),
		errTitle:  ns().Bold(true).Foreground(lipgloss.Color("1")),
		shift:     ns().Bold(true).Foreground(shift),
		mismatch:  ns().Bold(true).Foreground(lipgloss.Color("1")),
		spinner:   ns().Foreground(focus),
	}
	key := ns().Bold(true)
	desc := ns().Faint(true)
	sep := ns().Faint(true)
	s.help = help.Styles{
		Ellipsis:       sep,
		ShortKey:       key,
		ShortDesc:      desc,
		ShortSeparator: sep,
		FullKey:        key,
		FullDesc:       desc,
		FullSeparator:  sep,
	}
	return s
}
