// Package report renders xaa's results as text: coloured on a terminal,
// plain when piped or when NO_COLOR is set. `xaa decode`, `xaa run` and
// the other non-interactive commands print these reports, and the terminal
// UI shows the same renderings inside its panes, so a token looks the same
// everywhere.
//
// Every status colour is paired with a glyph (✓ ! ✗ ·) so meaning survives
// without colour, in golden files and in screen readers.
package report

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/xaatools/xaa/inspect"
)

// Styles are the few text styles a report uses. The colours are the
// terminal's own ANSI palette, so they suit light and dark themes alike
// without querying the terminal for its background.
type Styles struct {
	Title   lipgloss.Style // a token's kind, a step's name
	Heading lipgloss.Style // section headings: Header, Claims, Checks
	Key     lipgloss.Style // claim and header names
	Faint   lipgloss.Style // secondary text: reasons, specs, hints' labels
	Pass    lipgloss.Style
	Warn    lipgloss.Style
	Fail    lipgloss.Style
	Skip    lipgloss.Style
}

// NewStyles returns styles drawn with r: the ANSI palette when colour is
// true (the caller has decided it writes to a terminal, so nothing needs to
// be probed), plain text otherwise. Light picks the colours that read on a
// light background: no yellow or cyan on white.
func NewStyles(r *lipgloss.Renderer, colour, light bool) Styles {
	if colour {
		r.SetColorProfile(termenv.ANSI)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	// Never ask the terminal for its background: the answer can take
	// seconds in tmux or over SSH, and ANSI colours do not need it.
	r.SetHasDarkBackground(true)
	key, warn := lipgloss.Color("6"), lipgloss.Color("3") // cyan, yellow
	if light {
		key, warn = lipgloss.Color("4"), lipgloss.Color("5") // blue, magenta
	}
	return Styles{
		Title:   r.NewStyle().Bold(true),
		Heading: r.NewStyle().Bold(true).Underline(true),
		Key:     r.NewStyle().Foreground(key),
		Faint:   r.NewStyle().Faint(true),
		Pass:    r.NewStyle().Foreground(lipgloss.Color("2")),
		Warn:    r.NewStyle().Foreground(warn),
		Fail:    r.NewStyle().Foreground(lipgloss.Color("1")).Bold(true),
		Skip:    r.NewStyle().Faint(true),
	}
}

// Status returns the style of a check status.
func (s Styles) Status(st inspect.Status) lipgloss.Style {
	switch st {
	case inspect.StatusPass:
		return s.Pass
	case inspect.StatusWarn:
		return s.Warn
	case inspect.StatusFail:
		return s.Fail
	default:
		return s.Skip
	}
}

// Glyph renders a status glyph in its colour.
func (s Styles) Glyph(st inspect.Status) string { return s.Status(st).Render(GlyphOf(st)) }

// GlyphOf returns the symbol of a status, so meaning survives without
// colour: ✓ pass, ! warn, ✗ fail, ? unknown (could not be decided), and ·
// skipped (not compared, or not run).
func GlyphOf(st inspect.Status) string {
	switch st {
	case inspect.StatusPass:
		return "✓"
	case inspect.StatusWarn:
		return "!"
	case inspect.StatusFail:
		return "✗"
	case inspect.StatusUnknown:
		return "?"
	default:
		return "·"
	}
}

// LightBackground decides the theme: "light" or "dark" as given (--theme,
// else $XAA_THEME), otherwise what $COLORFGBG says of the background (set
// by rxvt, Konsole and others: "15;0" is white on black). The terminal is
// never asked: its answer can take seconds in tmux or over SSH.
func LightBackground(theme string, getenv func(string) string) bool {
	if theme == "" || theme == "auto" {
		theme = getenv("XAA_THEME")
	}
	switch theme {
	case "light":
		return true
	case "dark":
		return false
	}
	fgbg := getenv("COLORFGBG")
	bg := fgbg[strings.LastIndex(fgbg, ";")+1:]
	return bg == "7" || bg == "15"
}
