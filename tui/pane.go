package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// largeContent is the size from which a pane's text is rendered and wrapped
// by a command rather than in Update: a 1 MB response takes longer than a
// frame to prepare.
const largeContent = 64 << 10

// pane is a scrollable block of text. It wraps its content to its width
// once, when the content or the width changes, and the viewport renders only
// the lines in view, so a 1 MB response scrolls as fast as a short one.
type pane struct {
	vp      viewport.Model
	content string // as given, unwrapped
	width   int
	height  int
}

// newPane returns an empty pane that scrolls with the mouse wheel.
func newPane() pane {
	vp := viewport.New(0, 0)
	vp.MouseWheelEnabled = true
	vp.MouseWheelDelta = 3
	// The pane's keys are the program's keyMap; the viewport's own map is
	// switched off so that no key is bound twice.
	vp.KeyMap = viewport.KeyMap{}
	return pane{vp: vp}
}

// setSize resizes the pane, rewrapping the content when the width changed.
func (p *pane) setSize(width, height int) {
	width, height = max(width, 1), max(height, 1)
	rewrap := width != p.width
	p.width, p.height = width, height
	p.vp.Width, p.vp.Height = width, height
	if rewrap && len(p.content) < largeContent {
		// Large content is rewrapped by its owner, off the event loop.
		p.apply()
	}
	p.vp.SetYOffset(p.vp.YOffset)
}

// setContent replaces the text. The scroll position is kept when the new
// text is a refresh of the old one (a countdown ticking) and reset otherwise.
func (p *pane) setContent(s string, keepOffset bool) {
	if s == p.content {
		return
	}
	p.content = s
	offset := p.vp.YOffset
	p.apply()
	if keepOffset {
		p.vp.SetYOffset(offset)
	} else {
		p.vp.GotoTop()
	}
}

// setRendered shows content that a command already wrapped to width.
func (p *pane) setRendered(content, wrapped string, width int) {
	p.content = content
	if width != p.width {
		p.apply()
	} else {
		p.vp.SetContent(wrapped)
	}
	p.vp.GotoTop()
}

// apply wraps the content to the width and hands it to the viewport.
func (p *pane) apply() {
	if p.width <= 0 {
		p.vp.SetContent(p.content)
		return
	}
	p.vp.SetContent(wrapText(p.content, p.width))
}

// wrapText wraps every line to width cells, breaking words only when they
// are longer than a line (tokens, URLs). Escape sequences are kept intact.
func wrapText(s string, width int) string {
	if width <= 0 {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if ansi.StringWidth(l) <= width {
			continue
		}
		if longWord(l, width) {
			// A token, a URL: word wrapping would break it at its hyphens
			// into ragged pieces. Cut it into full lines instead.
			lines[i] = ansi.Hardwrap(l, width, true)
		} else {
			lines[i] = ansi.Wrap(l, width, "")
		}
	}
	return strings.Join(lines, "\n")
}

// longWord reports whether a line holds a word longer than n cells: one
// that has to be cut anyway.
func longWord(line string, n int) bool {
	for _, w := range strings.Fields(ansi.Strip(line)) {
		if len(w) > n {
			return true
		}
	}
	return false
}

// update scrolls the pane for the scrolling keys and the mouse wheel. lines
// says whether up/down scroll by a line (when no list owns them).
func (p *pane) update(msg tea.Msg, k keyMap, lines bool) bool {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.PageDown):
			p.vp.HalfPageDown()
		case key.Matches(msg, k.PageUp):
			p.vp.HalfPageUp()
		case key.Matches(msg, k.Top):
			p.vp.GotoTop()
		case key.Matches(msg, k.Bottom):
			p.vp.GotoBottom()
		case lines && key.Matches(msg, k.Down):
			p.vp.ScrollDown(1)
		case lines && key.Matches(msg, k.Up):
			p.vp.ScrollUp(1)
		default:
			return false
		}
		return true
	case tea.MouseMsg:
		var cmd tea.Cmd
		p.vp, cmd = p.vp.Update(msg)
		_ = cmd // the viewport returns commands only in its deprecated high-performance mode
		return true
	}
	return false
}

// view renders the visible lines, padded to the pane's size.
func (p pane) view() string { return p.vp.View() }

// scrollHint says where the view is in a long text ("42%"), or "".
func (p pane) scrollHint() string {
	if p.vp.TotalLineCount() <= p.vp.Height {
		return ""
	}
	switch {
	case p.vp.AtTop():
		return "↓ more"
	case p.vp.AtBottom():
		return "↑ end"
	}
	return "↕ " + percent(p.vp.ScrollPercent())
}

func percent(f float64) string { return fmt.Sprintf("%d%%", int(f*100+0.5)) }
