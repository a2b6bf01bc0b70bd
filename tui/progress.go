package tui

import (
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/xaatools/xaa/flow"
)

// progressFeed carries a running step's progress events (the login URL, the
// callback being waited for) to the screen. The step may report from its
// own goroutines, even after it returned: such late events are dropped
// rather than sent on a closed channel, and a screen that is behind loses
// an event rather than holding the step up.
type progressFeed struct {
	mu     sync.Mutex
	ch     chan flow.Progress
	closed bool
}

func newProgressFeed() *progressFeed { return &progressFeed{ch: make(chan flow.Progress, 16)} }

// send delivers an event unless the feed is closed or full.
func (p *progressFeed) send(ev flow.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	select {
	case p.ch <- ev:
	default:
	}
}

// close ends the feed; waitProgress then reports that it ended.
func (p *progressFeed) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.closed = true
		close(p.ch)
	}
}

// waitProgress waits for the next progress event of a running step.
func waitProgress(seq int, p *progressFeed) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-p.ch
		return progressMsg{seq: seq, p: ev, ok: ok}
	}
}
