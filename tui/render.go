package tui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/xaatools/xaa/flow"
)

// renderKey names one rendering of a step's tab: the same key, the same text.
type renderKey struct {
	step   *flow.Step
	tab    int
	reveal bool
	width  int
}

// renderedMsg brings a large tab rendered and wrapped by a command.
type renderedMsg struct {
	key              renderKey
	content, wrapped string
}

// show puts the selection's view into the pane. A large Request, Response
// or curl tab is rendered by a command (see takeRender) while the pane says
// so; everything else is rendered at once.
func (f *flowScreen) show(keepOffset bool) {
	key, size, ok := f.largeView()
	if !ok {
		f.want = nil
		f.pane.setContent(f.content(), keepOffset)
		return
	}
	if r := f.rendered; r != nil && r.key == key {
		f.want = nil
		if f.pane.content != r.content {
			f.pane.setRendered(r.content, r.wrapped, r.key.width)
		}
		return
	}
	f.want = &key
	f.pane.setContent(f.c.styles.faint.Render(fmt.Sprintf("%s  rendering %s of exchanges …", stepTitle(int(key.step.ID)), byteCount(size))), false)
}

// largeView says whether the pane should show a tab too large to render in
// Update, and which.
func (f flowScreen) largeView() (renderKey, int64, bool) {
	if f.selected >= stepCount || f.editing || f.compare || f.running == f.selected {
		return renderKey{}, 0, false
	}
	st := f.steps[f.selected]
	if st == nil || (f.tab != tabRequest && f.tab != tabResponse && f.tab != tabCurl) {
		return renderKey{}, 0, false
	}
	var size int64
	for _, x := range st.Exchanges {
		switch {
		case f.tab != tabResponse:
			size += int64(len(x.Request.Body))
		case x.Response != nil:
			size += int64(len(x.Response.Body))
		}
	}
	if size < largeContent {
		return renderKey{}, 0, false
	}
	return renderKey{step: st, tab: f.tab, reveal: f.c.reveal, width: f.pane.width}, size, true
}

// takeRender returns the command rendering the wanted large view, unless it
// is already being rendered.
func (f *flowScreen) takeRender() tea.Cmd {
	if f.want == nil || (f.inFlight != nil && *f.inFlight == *f.want) {
		return nil
	}
	key := *f.want
	f.inFlight = &key
	s, auth := f.c.styles, f.authMethods[key.step.ID]
	return func() tea.Msg {
		content := stepTabView(s, key.step, key.tab, key.reveal, key.width, auth)
		return renderedMsg{key: key, content: content, wrapped: wrapText(content, key.width)}
	}
}
