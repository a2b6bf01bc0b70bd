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
	// wide says a line runs past the edge (a URL, a token): < and >
	// scroll sideways.
	wide bool
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
		p.wide = widest(wrapped) > p.width
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
	wrapped := wrapText(p.content, p.width)
	p.wide = widest(wrapped) > p.width
	p.vp.SetContent(wrapped)
}

// widest is the width of the widest line.
func widest(s string) int {
	w := 0
	for l := range strings.SplitSeq(s, "\n") {
		w = max(w, ansi.StringWidth(l))
	}
	return w
}

// wrapText wraps every line to width cells at spaces only. A word longer
// than a line — a URL, a token, a curl argument — is never broken: it runs
// past the edge, where the pane scrolls sideways (< and >), so that what is
// copied from the screen is what was sent. Escape sequences are kept intact.
func wrapText(s string, width int) string {
	if width <= 0 {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if ansi.StringWidth(l) <= width {
			continue
		}
		// ansi.Wordwrap always breaks after a hyphen (.well-⏎known): hide
		// the hyphens from it behind a one-cell placeholder.
		l = strings.ReplaceAll(l, "-", hyphenStandIn)
		lines[i] = strings.ReplaceAll(ansi.Wordwrap(l, width, ""), hyphenStandIn, "-")
	}
	return strings.Join(lines, "\n")
}

// hyphenStandIn stands in for '-' while wrapping: a private-use rune, one
// cell wide, that no text xaa shows means anything by.
const hyphenStandIn = "\ue000"

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
		case key.Matches(msg, k.ScrollLeft):
			p.vp.ScrollLeft(max(p.width/2, 1))
		case key.Matches(msg, k.ScrollRight):
			p.vp.ScrollRight(max(p.width/2, 1))
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

// scrollHint says where the view is in a long text ("↓ more", "↕ 42%")
// and that lines run past the edge ("< > wide"), in at most room cells:
// the short forms ("↓", "<>") when the long ones do not fit, "" when none do.
func (p pane) scrollHint(room int) string {
	var long, short []string
	if p.vp.TotalLineCount() > p.vp.Height {
		switch {
		case p.vp.AtTop():
			long, short = append(long, "↓ more"), append(short, "↓")
		case p.vp.AtBottom():
			long, short = append(long, "↑ end"), append(short, "↑")
		default:
			pc := percent(p.vp.ScrollPercent())
			long, short = append(long, "↕ "+pc), append(short, "↕"+pc)
		}
	}
	if p.wide {
		long, short = append(long, "< > wide"), append(short, "<>")
	}
	for _, h := range []string{strings.Join(long, " "), strings.Join(short, " ")} {
		if ansi.StringWidth(h) <= room {
			return h
		}
	}
	return ""
}

func percent(f float64) string { return fmt.Sprintf("%d%%", int(f*100+0.5)) }
