package tui

import (
	"context"
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/conform"
	"github.com/xaatools/xaa/flow/playground"
)

// The conformance screen's two scorecards, its tabs.
const (
	boardAS  = iota // the resource AS, with xaa's IdPs (xaa conform)
	boardIdP        // the IdP (xaa conform --idp)
	boardCount
)

var boardNames = [boardCount]string{"Resource AS", "IdP"}

// conformBoard is one scorecard of the conformance screen: its cases, the
// run under way and the results. The resource AS's starts xaa's IdPs when
// the screen opens; the IdP's logs in when enter asks it to, as the login
// may open a browser.
type conformBoard struct {
	cases   []conform.Case
	conf    *conform.Scorecard
	results []*conform.CaseResult // by case index; nil = not run
	err     error                 // why the run cannot start (the config is unusable, the IdPs did not start)
	// runCase runs one case of a prepared scorecard (the runner's RunCase).
	runCase func(context.Context, *conform.Scorecard, conform.Case) *conform.CaseResult
	idps    *conform.IdPs // the resource AS's: the IdPs it started

	starting bool
	// runWhenReady runs every case once the preparation is back (the IdP's
	// enter: log in, then run).
	runWhenReady bool
	login        *loginNote // the IdP's: the login URL while it logs in
	running      int        // the case running, or -1
	stopping     bool
	seq          int // run number; results of cancelled runs are dropped
	// runCtx is the context of the run (or the login) under way; esc ends it.
	runCtx   context.Context
	cancel   context.CancelFunc
	selected int // 0: the scorecard; i+1: case i
}

func newBoard(cases []conform.Case) conformBoard {
	return conformBoard{cases: cases, running: -1, results: make([]*conform.CaseResult, len(cases))}
}

// conformReadyMsg brings a board's prepared run: the started IdPs and the
// runner for the resource AS, the login's scorecard for the IdP.
type conformReadyMsg struct {
	board   int
	idps    *conform.IdPs
	runCase func(context.Context, *conform.Scorecard, conform.Case) *conform.CaseResult
	conf    *conform.Scorecard
	err     error
}

// conformCaseMsg brings the result of one case.
type conformCaseMsg struct {
	board, seq, index int
	result            *conform.CaseResult
}

// loginNote keeps the latest login URL the IdP board's login reported
// (progress comes from the command's goroutine); the view reads it on
// each spinner tick.
type loginNote struct {
	mu       sync.Mutex
	url, msg string
}

func (n *loginNote) progress(p flow.Progress) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if p.URL != "" {
		n.url = p.URL
	}
	if p.Message != "" {
		n.msg = p.Message
	}
}

func (n *loginNote) get() (url, msg string) {
	if n == nil {
		return "", ""
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.url, n.msg
}

// startAS starts xaa's IdPs and prepares the resource AS's run, unless
// that is done or under way.
func (s *conformScreen) startAS() tea.Cmd {
	b := &s.boards[boardAS]
	if b.idps != nil || b.starting || b.err != nil {
		return nil
	}
	b.starting = true
	ctx, env, cfg, pg := s.c.ctx, s.c.env, s.cfg, s.pg
	o := playground.Options{Listen: s.listen, KeyDir: s.keyDir}
	return tea.Batch(s.spin.Tick, func() tea.Msg {
		var idps *conform.IdPs
		var err error
		if pg != nil {
			idps, err = conform.IdPsFor(ctx, pg)
		} else {
			idps, err = conform.StartIdPs(ctx, o)
		}
		if err != nil {
			return conformReadyMsg{board: boardAS, err: err}
		}
		c := &conform.Runner{Config: cfg, Env: env, IdPs: idps}
		return conformReadyMsg{board: boardAS, idps: idps, runCase: c.RunCase, conf: c.Prepare(ctx)}
	})
}

// startIdP discovers the IdP and logs in, then runs every case: on the
// playground its scripted browser logs the flow's demo user in (and the
// unassigned user for user_not_assigned), else the login opens the
// browser, or shows its URL with --no-browser. esc cancels the login.
func (s *conformScreen) startIdP() tea.Cmd {
	b := &s.boards[boardIdP]
	if b.starting || b.err != nil {
		return nil
	}
	b.starting, b.runWhenReady, b.login = true, true, &loginNote{}
	b.conf, b.results = nil, make([]*conform.CaseResult, len(b.cases))
	b.runCtx, b.cancel = context.WithCancel(s.c.ctx)
	ctx, env, cfg := b.runCtx, s.c.env, s.cfg
	env.Progress = b.login.progress
	fr := &flow.Runner{Config: cfg, Env: env, NoBrowser: s.c.noBrowser}
	r := &conform.IdPRunner{Config: cfg, Env: env, Flow: fr}
	if s.pg != nil {
		fr.NoBrowser, fr.Env.OpenBrowser = false, s.pg.LoginBrowser(s.user)
		r.BrowserAs = s.pg.LoginBrowser
	}
	return tea.Batch(s.spin.Tick, func() tea.Msg {
		return conformReadyMsg{board: boardIdP, runCase: r.RunCase, conf: r.Prepare(ctx)}
	})
}

// ready takes a board's prepared run; the IdP's runs at once.
func (s conformScreen) ready(msg conformReadyMsg) (conformScreen, tea.Cmd) {
	b := &s.boards[msg.board]
	b.starting = false
	b.idps, b.runCase, b.conf, b.err = msg.idps, msg.runCase, msg.conf, msg.err
	if b.runWhenReady && b.conf != nil && b.conf.Target.Err == nil {
		b.runWhenReady = false
		return s.runAll(msg.board)
	}
	b.runWhenReady = false
	s.show(false)
	return s, nil
}

// runCaseCmd runs case i of a board's run under way in a command.
func (s *conformScreen) runCaseCmd(board, i int) tea.Cmd {
	b := &s.boards[board]
	ctx, run, conf, cc, seq := b.runCtx, b.runCase, b.conf, b.cases[i], b.seq
	return func() tea.Msg {
		return conformCaseMsg{board: board, seq: seq, index: i, result: run(ctx, conf, cc)}
	}
}

// runAll starts a fresh run of every case of a board, the baseline first.
func (s conformScreen) runAll(board int) (conformScreen, tea.Cmd) {
	b := &s.boards[board]
	b.seq++
	b.runCtx, b.cancel = context.WithCancel(s.c.ctx)
	b.results = make([]*conform.CaseResult, len(b.cases))
	b.conf.Results, b.conf.Duration = nil, 0
	b.running, b.stopping = 0, false
	s.show(false)
	return s, tea.Batch(s.runCaseCmd(board, 0), s.spin.Tick)
}

// caseDone records a result and runs the board's next case.
func (s conformScreen) caseDone(msg conformCaseMsg) (conformScreen, tea.Cmd) {
	b := &s.boards[msg.board]
	if msg.seq != b.seq {
		return s, nil
	}
	// A case cut short by esc proves nothing: it is left as not run.
	cut := b.stopping && b.runCtx.Err() != nil && msg.result.Verdict == conform.VerdictInconclusive
	if !cut {
		b.results[msg.index] = msg.result
		b.conf.Results = append(b.conf.Results, msg.result)
		b.conf.Duration += msg.result.Duration
	}
	next := msg.index + 1
	if next >= len(b.cases) || b.stopping {
		b.running, b.stopping = -1, false
		if b.cancel != nil {
			b.cancel()
		}
		s.show(true)
		return s, nil
	}
	b.running = next
	s.show(true)
	return s, s.runCaseCmd(msg.board, next)
}

// busy says whether a board runs or prepares: the spinner turns.
func (b *conformBoard) busy() bool { return b.running >= 0 || b.starting }

// stoppable says whether esc stops something: a run, or the IdP's login
// (starting the resource AS's IdPs takes a moment and is not stopped).
func (b *conformBoard) stoppable() bool { return b.running >= 0 || (b.starting && b.login != nil) }

// stop ends the board's run or login (esc).
func (s *conformScreen) stop() {
	b := s.board()
	if b.running >= 0 {
		b.stopping = true
		s.c.setFlash("stopped: "+b.cases[b.running].ID+" and the cases after it did not run", false)
	} else {
		b.runWhenReady = false
		s.c.setFlash("stopped the login: enter tries again", false)
	}
	if b.cancel != nil {
		b.cancel()
	}
}
