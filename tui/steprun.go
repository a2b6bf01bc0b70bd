package tui

import (
	"context"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/xaatools/xaa/flow"
)

// Running a step: the session plans it, a command executes the plan
// (runStep), and its record comes back in a stepDoneMsg to be kept in the
// session; progress events come back one by one through a feed.

// stepRun is the step in flight, when active.
type stepRun struct {
	active  bool
	id      flow.StepID
	started time.Time
	resend  bool // compare with the record it replaces when it is back
	all     bool // run every remaining step after this one
	seq     int  // run number; results of cancelled runs are dropped
	cancel  context.CancelFunc
	feed    *progressFeed
	// loginURL and note are the latest progress of the step.
	loginURL, note string
}

// stepDoneMsg brings a step's record back.
type stepDoneMsg struct {
	seq    int
	step   *flow.Step
	resend bool
}

// progressMsg is one progress event of the running step; ok is false once
// the step's progress channel closed.
type progressMsg struct {
	seq int
	p   flow.Progress
	ok  bool
}

// start runs the session's plan for a step in a command; all goes on with
// every remaining step when it is back. A plan lacking inputs runs too: it
// comes back as a skipped step that names them.
func (f flowScreen) start(id flow.StepID, resend, all bool) (flowScreen, tea.Cmd) {
	if f.run.active {
		f.c.setFlash("a step is running: wait, or esc to cancel it", true)
		return f, nil
	}
	ctx, cancel := context.WithCancel(f.c.ctx)
	f.run = stepRun{active: true, id: id, started: f.c.now, resend: resend, all: all,
		seq: f.run.seq + 1, cancel: cancel, feed: newProgressFeed()}
	// The command runs a copy of the runner with its own environment:
	// progress goes to this run's feed; on the playground the scripted
	// browser logs the chosen demo user in.
	r := *f.session.Runner
	r.Env.Progress = f.run.feed.send
	if f.pg != nil {
		r.Env.OpenBrowser = f.pg.LoginBrowser(f.user)
	}
	f.list.selectStep(id)
	f.tabs.reset()
	f.show(false)
	cmd := runStep(ctx, &r, f.session.Plan(id), f.run.seq, resend, f.run.feed)
	return f, tea.Batch(cmd, waitProgress(f.run.seq, f.run.feed), f.spin.Tick)
}

// finish keeps a step's record in the session (which forgets the steps
// after it) and, in a run of every step, starts the next one whatever
// this one's status: a failed check never stops the walk.
func (f flowScreen) finish(msg stepDoneMsg) (flowScreen, tea.Cmd) {
	if msg.seq != f.run.seq || !f.run.active {
		return f, nil
	}
	f.run.cancel()
	all := f.run.all
	f.run.active, f.run.all = false, false
	id := msg.step.ID
	f.session.Keep(msg.step, msg.resend)
	if sel, ok := f.list.step(); ok && sel == id {
		f.tabs.showResult(msg.step, msg.resend && f.session.Previous(id) != nil)
	}
	f.show(false)
	if next, ok := f.session.Next(); all && ok {
		return f.start(next, false, true)
	}
	return f, nil
}

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
