package tui

import (
	"context"
	"fmt"
	"strings"

	"github.com/xaatools/xaa/flow/conform"

	"github.com/xaatools/xaa/flow/config"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/tui/report"
)

// conformScreen scores a resource AS with deliberately broken ID-JAGs
// (flow's conformance cases, `xaa conform`): the cases on the left, the
// scorecard or the selected case on the right. The IdPs start, and each
// case runs, in a command; results come back one by one.
type conformScreen struct {
	c *shared
	// cfg is the AS under test (resource_as); pg, when set, is the built-in
	// playground, borrowed as the trusted IdP (its own AS trusts it).
	cfg            *config.Config
	pg             *playground.Playground
	listen, keyDir string

	cases     []conform.Case
	idps      *conform.IdPs
	conformer *conform.Runner
	conf      *conform.Scorecard
	results   []*conform.CaseResult // by case index; nil = not run
	err       error                 // why the IdPs did not start, or the config is unusable

	starting bool
	running  int // the case running, or -1
	stopping bool
	seq      int // run number; results of cancelled runs are dropped
	// runCtx is the context of the run under way; cancel (esc) ends it.
	runCtx    context.Context
	cancel    context.CancelFunc
	spin      spinner.Model
	selected  int // 0: the scorecard; i+1: case i
	listWidth int
	height    int
	pane      pane
}

// conformReadyMsg brings the started IdPs and the prepared run.
type conformReadyMsg struct {
	idps      *conform.IdPs
	conformer *conform.Runner
	conf      *conform.Scorecard
	err       error
}

// conformCaseMsg brings the result of one case.
type conformCaseMsg struct {
	seq, index int
	result     *conform.CaseResult
}

func newConformScreen(c *shared, cfg *config.Config, pg *playground.Playground, getenv func(string) string) conformScreen {
	s := conformScreen{c: c, cfg: cfg, pg: pg, running: -1, cases: conform.Cases(), pane: newPane(), spin: newSpinner(c),
		listen: conform.DefaultListen}
	if getenv != nil {
		s.keyDir = conform.DefaultKeyDir(getenv)
	}
	s.results = make([]*conform.CaseResult, len(s.cases))
	if pg == nil {
		s.err = cfg.ValidateWithout("idp")
	}
	return s
}

// start starts the IdPs and prepares the run, unless that is done or under
// way.
func (s *conformScreen) start() tea.Cmd {
	if s.idps != nil || s.starting || s.err != nil {
		return nil
	}
	s.starting = true
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
			return conformReadyMsg{err: err}
		}
		c := &conform.Runner{Config: cfg, Env: env, IdPs: idps}
		return conformReadyMsg{idps: idps, conformer: c, conf: c.Prepare(ctx)}
	})
}

// runCase runs case i of the run under way in a command.
func (s *conformScreen) runCase(i int) tea.Cmd {
	ctx, c, conf, cc, seq := s.runCtx, s.conformer, s.conf, s.cases[i], s.seq
	return func() tea.Msg {
		return conformCaseMsg{seq: seq, index: i, result: c.RunCase(ctx, conf, cc)}
	}
}

func (s conformScreen) update(msg tea.Msg) (conformScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case conformReadyMsg:
		s.starting = false
		s.idps, s.conformer, s.conf, s.err = msg.idps, msg.conformer, msg.conf, msg.err
		s.show(false)
		return s, nil
	case conformCaseMsg:
		return s.caseDone(msg)
	case spinner.TickMsg:
		if s.running < 0 && !s.starting {
			return s, nil
		}
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		s.show(true)
		return s, cmd
	case tea.MouseMsg:
		s.pane.update(msg, s.c.keys, false)
		return s, nil
	case tea.KeyMsg:
		return s.key(msg)
	}
	return s, nil
}

// key handles the screen's keys; esc with nothing running is the root's.
func (s conformScreen) key(msg tea.KeyMsg) (conformScreen, tea.Cmd) {
	k := s.c.keys
	switch {
	case s.running >= 0 && key.Matches(msg, k.Cancel):
		s.stopping = true
		if s.cancel != nil {
			s.cancel()
		}
		s.c.setFlash("stopped: "+s.cases[s.running].ID+" and the cases after it did not run", false)
	case key.Matches(msg, k.Up):
		s.selected = (s.selected + len(s.cases)) % (len(s.cases) + 1)
		s.show(false)
	case key.Matches(msg, k.Down):
		s.selected = (s.selected + 1) % (len(s.cases) + 1)
		s.show(false)
	case s.running < 0 && s.conf != nil && (key.Matches(msg, k.Next) || key.Matches(msg, k.RunAll)):
		return s.runAll()
	default:
		s.pane.update(msg, k, false)
	}
	return s, nil
}

// runAll starts a fresh run of every case, the baseline first.
func (s conformScreen) runAll() (conformScreen, tea.Cmd) {
	s.seq++
	s.runCtx, s.cancel = context.WithCancel(s.c.ctx)
	s.results = make([]*conform.CaseResult, len(s.cases))
	s.conf.Results, s.conf.Duration = nil, 0
	s.running, s.stopping = 0, false
	s.show(false)
	return s, tea.Batch(s.runCase(0), s.spin.Tick)
}

// caseDone records a result and runs the next case.
func (s conformScreen) caseDone(msg conformCaseMsg) (conformScreen, tea.Cmd) {
	if msg.seq != s.seq {
		return s, nil
	}
	// A case cut short by esc proves nothing: it is left as not run.
	cut := s.stopping && s.runCtx.Err() != nil && msg.result.Verdict == conform.VerdictInconclusive
	if !cut {
		s.results[msg.index] = msg.result
		s.conf.Results = append(s.conf.Results, msg.result)
		s.conf.Duration += msg.result.Duration
	}
	next := msg.index + 1
	if next >= len(s.cases) || s.stopping {
		s.running, s.stopping = -1, false
		if s.cancel != nil {
			s.cancel()
		}
		s.show(true)
		return s, nil
	}
	s.running = next
	s.show(true)
	return s, s.runCase(next)
}

// resize lays the list and the pane out.
func (s *conformScreen) resize(width, height int) {
	s.listWidth = min(max(width/3, 26), 32)
	s.height = height
	s.pane.setSize(max(width-s.listWidth-1, 10), max(height-2, 1))
	s.show(true)
}

// show renders the selected row into the pane.
func (s *conformScreen) show(keepOffset bool) {
	if s.c == nil {
		return
	}
	o := report.ConformOptions{Reveal: s.c.reveal, Width: s.pane.width, KeyDir: s.keyDir, NoCaseList: true}
	rs := s.c.styles.report
	var content string
	switch {
	case s.err != nil:
		content = rs.Fail.Render(report.GlyphOf(inspect.StatusFail)+" "+report.Safe(s.err.Error())) + "\n\n" +
			"The conformance run tests the config's resource_as: its issuer, client and credentials."
	case s.conf == nil:
		content = s.c.styles.faint.Render("starting the IdPs …")
	case s.selected == 0 && len(s.conf.Results) > 0:
		content = report.Conformance(rs, s.conf, o) + "\n" + report.ConformSetup(rs, s.conf, o)
	case s.selected == 0:
		content = report.ConformSetup(rs, s.conf, o) + "\n" + fmt.Sprintf("enter runs the %d cases, the valid baseline first.", len(s.cases))
	case s.results[s.selected-1] != nil:
		content = report.CaseReport(rs, s.results[s.selected-1], o)
	default:
		content = s.describe(s.cases[s.selected-1])
	}
	s.pane.setContent(content, keepOffset)
}

// describe says what a case sends and why, before it ran.
func (s conformScreen) describe(cc conform.Case) string {
	st := s.c.styles
	lines := []string{st.bold.Render(cc.ID) + st.faint.Render(" — "+cc.Title), "",
		st.faint.Render("kind      ") + cc.Kind.String()}
	if cc.Rule != "" {
		lines = append(lines, st.faint.Render("rule      ")+cc.Rule, st.faint.Render("spec      ")+cc.Spec)
	}
	lines = append(lines, st.faint.Render("risk      ")+cc.Risk)
	if len(cc.ExpectedErrors) > 0 {
		lines = append(lines, st.faint.Render("expected  ")+strings.Join(cc.ExpectedErrors, " or "))
	}
	return strings.Join(append(lines, "", st.faint.Render("not run yet: enter runs every case")), "\n")
}

// view renders the case list beside the pane.
func (s conformScreen) view() string {
	st := s.c.styles
	height := s.pane.height + 2
	left := lipgloss.NewStyle().Width(s.listWidth).Height(height).MaxHeight(height).Render(s.list(height))
	sep := st.rule.Render(strings.TrimSuffix(strings.Repeat("│\n", height), "\n"))
	right := truncateLine(s.headline(), s.pane.width) + "\n" + st.rule.Render(strings.Repeat("─", s.pane.width)) + "\n" + s.pane.view()
	return lipgloss.JoinHorizontal(lipgloss.Top, left, sep, right)
}

// headline is the verdict, or what is happening.
func (s conformScreen) headline() string {
	st := s.c.styles
	switch {
	case s.err != nil:
		return st.report.Fail.Render(report.GlyphOf(inspect.StatusFail) + " cannot run")
	case s.conf == nil:
		return s.spin.View() + " starting the IdPs"
	case s.running >= 0:
		return s.spin.View() + fmt.Sprintf(" case %d of %d: %s", s.running+1, len(s.cases), s.cases[s.running].ID)
	case len(s.conf.Results) == 0:
		return st.bold.Render("Conformance") + st.faint.Render("  "+report.Safe(s.conf.Target.Issuer)+" · not run")
	}
	return report.ConformVerdict(st.report, s.conf.Score())
}

// list renders the scorecard row and the cases, scrolled so the selected
// row shows, with a footer.
func (s conformScreen) list(height int) string {
	st := s.c.styles
	w := s.listWidth - 1
	rows := []string{s.row(0, " ", "Scorecard")}
	for i, cc := range s.cases {
		glyph := st.faint.Render(report.GlyphOf(inspect.StatusSkip))
		switch r := s.results[i]; {
		case s.running == i:
			glyph = s.spin.View()
		case r != nil:
			glyph = st.report.Glyph(r.Status())
		}
		rows = append(rows, s.row(i+1, glyph, cc.ID))
	}
	footer := s.footer(w)
	room := max(height-1-strings.Count(footer, "\n")-1, 3)
	first := min(max(s.selected-room/2, 0), max(len(rows)-room, 0))
	shown := rows[first:min(first+room, len(rows))]
	return st.bold.Render(" Cases") + "\n" + strings.Join(shown, "\n") + "\n\n" + footer
}

// row renders one list row; the selected one is marked with ▸ as well as
// reversed, so it shows without colour too.
func (s conformScreen) row(i int, glyph, text string) string {
	text = truncateLine(" "+text, s.listWidth-3)
	text += strings.Repeat(" ", max(s.listWidth-3-lipgloss.Width(text), 0))
	if i == s.selected {
		return s.c.styles.focused.Render("▸") + glyph + s.c.styles.selected.Render(text)
	}
	return " " + glyph + text
}

// footer says what to do next under the list.
func (s conformScreen) footer(w int) string {
	st := s.c.styles
	var lines []string
	switch {
	case s.err != nil:
		lines = append(lines, st.faint.Render("esc goes back"))
	case s.running >= 0:
		lines = append(lines, st.faint.Render("esc stops the run"))
	case s.conf != nil && len(s.conf.Results) > 0:
		sc := s.conf.Score()
		lines = append(lines, fmt.Sprintf("%d of %d strict handled", sc.Passed, sc.Strict))
		if sc.Strictness > 0 {
			lines = append(lines, fmt.Sprintf("%d of %d lenient (strictness)", sc.Lenient, sc.Strictness))
		}
		lines = append(lines, st.faint.Render("enter runs again"))
	case s.conf != nil:
		lines = append(lines, st.faint.Render("enter runs every case"))
	}
	return strings.TrimRight(wrapIndented(strings.Join(lines, "\n"), " ", w), "\n")
}

// bindings are the screen's keys for the help bar.
func (s conformScreen) bindings() bindingSet {
	k := s.c.keys
	run := k.Next
	run.SetHelp("enter", "run all")
	if s.running >= 0 {
		stop := k.Cancel
		stop.SetHelp("esc", "stop")
		return bindingSet{short: []key.Binding{stop, k.UpDown, k.PageDown, k.Help, k.Quit},
			full: [][]key.Binding{{stop, k.Up, k.Down}, {k.PageUp, k.PageDown, k.Top, k.Bottom, k.ScrollLeft}, {k.Reveal, k.Help, k.Quit, k.Interrupt}}}
	}
	return bindingSet{short: []key.Binding{run, k.UpDown, k.PageDown, k.Back, k.Help, k.Quit},
		full: [][]key.Binding{{run, k.Up, k.Down, k.Back}, {k.PageUp, k.PageDown, k.Top, k.Bottom, k.ScrollLeft}, {k.Reveal, k.Decoder, k.Help, k.Quit, k.Interrupt}}}
}

// close stops the IdPs the screen started.
func (s conformScreen) close() {
	if s.cancel != nil {
		s.cancel()
	}
	if s.idps != nil {
		s.idps.Close()
	}
}

// openConform switches to the conformance screen for the resource AS the
// flow walks (the config's, or the built-in playground's own), starting its
// IdPs the first time.
func (m Model) openConform() (tea.Model, tea.Cmd) {
	if m.conform.c == nil {
		m.conform = newConformScreen(m.c, m.flow.config(), m.flow.pg, m.opts.Getenv)
		m.layout()
	}
	m.screen = screenConform
	if m.conform.running >= 0 {
		return m, m.conform.spin.Tick // the spinner stopped while the screen was away
	}
	return m, m.conform.start()
}

// refresh re-renders the pane (tokens revealed or hidden).
func (s *conformScreen) refresh() { s.show(true) }
