package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/conform"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/tui/report"
)

// conformScreen scores the parties of the config with `xaa conform`'s
// cases, one tab each: the resource AS with deliberately broken ID-JAGs
// (flow's conformance cases), the IdP with bad token exchanges (`xaa
// conform --idp`). The cases on the left, the scorecard or the selected
// case on the right. The preparation, and each case, runs in a command;
// results come back one by one.
type conformScreen struct {
	c *shared
	// cfg is the config under test; pg, when set, is the built-in
	// playground, borrowed as the trusted IdP (its own AS trusts it) and,
	// on the IdP tab, as the IdP under test (its scripted browser logs
	// user in).
	cfg            *config.Config
	pg             *playground.Playground
	user           string
	listen, keyDir string

	boards    [boardCount]conformBoard
	tab       int // the board shown
	spin      spinner.Model
	listWidth int
	height    int
	pane      pane
}

func newConformScreen(c *shared, cfg *config.Config, pg *playground.Playground, getenv func(string) string) conformScreen {
	s := conformScreen{c: c, cfg: cfg, pg: pg, pane: newPane(), spin: newSpinner(c),
		listen: conform.DefaultListen}
	if getenv != nil {
		s.keyDir = conform.DefaultKeyDir(getenv)
	}
	s.boards[boardAS], s.boards[boardIdP] = newBoard(conform.Cases()), newBoard(conform.IdPCases())
	if pg == nil {
		s.boards[boardAS].err = cfg.ValidateWithout("idp")
		s.boards[boardIdP].err = cfg.ValidateWithout("resource")
	}
	return s
}

// board is the board shown.
func (s *conformScreen) board() *conformBoard { return &s.boards[s.tab] }

func (s conformScreen) update(msg tea.Msg) (conformScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case conformReadyMsg:
		return s.ready(msg)
	case conformCaseMsg:
		return s.caseDone(msg)
	case spinner.TickMsg:
		if !s.boards[boardAS].busy() && !s.boards[boardIdP].busy() {
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

// key handles the screen's keys; esc with nothing running on the tab shown
// is the root's.
func (s conformScreen) key(msg tea.KeyMsg) (conformScreen, tea.Cmd) {
	k := s.c.keys
	b := s.board()
	n := len(b.cases) + 1
	switch {
	case b.stoppable() && key.Matches(msg, k.Cancel):
		s.stop()
		s.show(true)
	case key.Matches(msg, k.NextTab) || key.Matches(msg, k.PrevTab):
		s.tab = (s.tab + 1) % boardCount // two tabs: next and previous are the other
		s.show(false)
		if s.tab == boardAS {
			return s, s.startAS()
		}
	case key.Matches(msg, k.Up):
		b.selected = (b.selected + n - 1) % n
		s.show(false)
	case key.Matches(msg, k.Down):
		b.selected = (b.selected + 1) % n
		s.show(false)
	case !b.busy() && b.err == nil && (key.Matches(msg, k.Next) || key.Matches(msg, k.RunAll)):
		switch {
		case s.tab == boardIdP && (b.conf == nil || b.conf.Target.Err != nil || b.conf.LoginExpired(s.c.env.Time())):
			// No login yet, a failed one, or an ID token that has expired
			// since: log in (again) before the cases.
			cmd := s.startIdP()
			s.show(false)
			return s, cmd
		case b.conf != nil:
			return s.runAll(s.tab)
		}
	default:
		s.pane.update(msg, k, false)
	}
	return s, nil
}

// resize lays the list and the pane out.
func (s *conformScreen) resize(width, height int) {
	s.listWidth = min(max(width/3, 26), 32)
	s.height = height
	s.pane.setSize(max(width-s.listWidth-1, 10), max(height-2, 1))
	s.show(true)
}

// show renders the selected row of the tab shown into the pane.
func (s *conformScreen) show(keepOffset bool) {
	if s.c == nil {
		return
	}
	o := report.ConformOptions{Reveal: s.c.reveal, Width: s.pane.width, KeyDir: s.keyDir, NoCaseList: true}
	rs := s.c.styles.report
	b := s.board()
	setup := func() string {
		if s.tab == boardIdP {
			return report.ConformIdPSetup(rs, b.conf, o)
		}
		return report.ConformSetup(rs, b.conf, o)
	}
	var content string
	switch {
	case b.err != nil:
		what := "The conformance run tests the config's resource_as: its issuer, client and credentials."
		if s.tab == boardIdP {
			what = "The IdP scorecard tests the config's idp: its issuer, client and credentials, with a login."
		}
		content = rs.Fail.Render(report.GlyphOf(inspect.StatusFail)+" "+report.Safe(b.err.Error())) + "\n\n" + what
	case s.tab == boardIdP && b.conf == nil:
		content = s.idpIntro()
	case b.conf == nil:
		content = s.c.styles.faint.Render("starting the IdPs …")
	case b.selected == 0 && len(b.conf.Results) > 0:
		content = report.Conformance(rs, b.conf, o) + "\n" + setup()
	case b.selected == 0 && s.tab == boardIdP && b.conf.Target.Err != nil:
		content = setup() + "\n" + "enter logs in again."
	case b.selected == 0:
		content = setup() + "\n" + fmt.Sprintf("enter runs the %d cases, the valid baseline first.", len(b.cases))
	case b.results[b.selected-1] != nil:
		content = report.CaseReport(rs, b.results[b.selected-1], o)
	default:
		content = s.describe(b.cases[b.selected-1])
	}
	s.pane.setContent(content, keepOffset)
}

// idpIntro says what the IdP tab does before it logged in, or the login
// under way with its URL.
func (s *conformScreen) idpIntro() string {
	st := s.c.styles
	b := s.board()
	if b.starting {
		lines := []string{"discovering the IdP and logging in …"}
		if url, msg := b.login.get(); url != "" {
			lines = append(lines, "", report.Safe(msg), "", "  "+report.Safe(url))
		}
		return strings.Join(append(lines, "", st.faint.Render("esc stops the login")), "\n")
	}
	how := "your browser opens for the login"
	switch {
	case s.pg != nil:
		how = "the playground's scripted browser logs " + s.user + " in"
	case s.c.noBrowser:
		how = "the login URL shows here, to open in a browser"
	}
	return st.bold.Render("IdP conformance") + st.faint.Render(" — xaa conform --idp") + "\n\n" +
		"Bad token exchanges the IdP must refuse, and checks of the ID-JAG it issues for a good one.\n\n" +
		st.faint.Render("issuer  ") + report.Safe(s.cfg.IdP.Issuer) + "\n" +
		st.faint.Render("client  ") + report.Safe(s.cfg.IdP.ClientID) + "\n\n" +
		fmt.Sprintf("enter logs in (%s), then runs the %d cases, the valid token exchange first.", how, len(b.cases))
}

// describe says what a case sends and why, before it ran.
func (s conformScreen) describe(cc conform.Case) string {
	st := s.c.styles
	lines := []string{st.bold.Render(cc.ID) + st.faint.Render(" — "+cc.Title), "",
		st.faint.Render("kind      ") + cc.Kind.String()}
	if cc.Rule != "" {
		lines = append(lines, st.faint.Render("rule      ")+cc.Rule)
	}
	if cc.Spec != "" {
		lines = append(lines, st.faint.Render("spec      ")+cc.Spec)
	}
	if cc.Risk != "" {
		lines = append(lines, st.faint.Render("risk      ")+cc.Risk)
	}
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
	b := s.board()
	title, issuer := "Conformance", ""
	if s.tab == boardIdP {
		title, issuer = "IdP conformance", s.cfg.IdP.Issuer
	}
	if b.conf != nil {
		issuer = b.conf.Target.Issuer
	}
	switch {
	case b.err != nil:
		return st.report.Fail.Render(report.GlyphOf(inspect.StatusFail) + " cannot run")
	case b.starting && s.tab == boardIdP:
		return s.spin.View() + " logging in at the IdP"
	case b.conf == nil && s.tab == boardAS:
		return s.spin.View() + " starting the IdPs"
	case b.running >= 0:
		return s.spin.View() + fmt.Sprintf(" case %d of %d: %s", b.running+1, len(b.cases), b.cases[b.running].ID)
	case b.conf != nil && b.conf.Target.Err != nil && s.tab == boardIdP:
		return st.report.Fail.Render(report.GlyphOf(inspect.StatusFail)+" not logged in") + st.faint.Render("  "+report.Safe(issuer))
	case b.conf == nil || len(b.conf.Results) == 0:
		return st.bold.Render(title) + st.faint.Render("  "+report.Safe(issuer)+" · not run")
	}
	return report.ConformVerdict(st.report, b.conf.Score())
}

// list renders the tab bar, the scorecard row and the cases, scrolled so
// the selected row shows, with a footer.
func (s conformScreen) list(height int) string {
	st := s.c.styles
	b := s.board()
	w := s.listWidth - 1
	rows := []string{s.row(0, " ", "Scorecard")}
	for i, cc := range b.cases {
		glyph := st.faint.Render(report.GlyphOf(inspect.StatusSkip))
		switch r := b.results[i]; {
		case b.running == i:
			glyph = s.spin.View()
		case r != nil:
			glyph = st.report.Glyph(r.Status())
		}
		rows = append(rows, s.row(i+1, glyph, cc.ID))
	}
	footer := s.footer(w)
	// The tab bar, a blank line and the footer take the rest.
	room := max(height-2-(strings.Count(footer, "\n")+1), 3)
	first := min(max(b.selected-room/2, 0), max(len(rows)-room, 0))
	shown := rows[first:min(first+room, len(rows))]
	return s.tabBar() + "\n" + strings.Join(shown, "\n") + "\n\n" + footer
}

// tabBar names the two scorecards, the one shown in brackets (so it shows
// without colour too); a busy one that is not shown has a spinner.
func (s conformScreen) tabBar() string {
	st := s.c.styles
	parts := make([]string, boardCount)
	for i, name := range boardNames {
		switch {
		case i == s.tab:
			parts[i] = st.tabActive.Render("[" + name + "]")
		case s.boards[i].busy():
			parts[i] = st.tab.Render(name+" ") + s.spin.View()
		default:
			parts[i] = st.tab.Render(name)
		}
	}
	return truncateLine(" "+strings.Join(parts, " "), s.listWidth)
}

// row renders one list row; the selected one is marked with ▸ as well as
// reversed, so it shows without colour too.
func (s conformScreen) row(i int, glyph, text string) string {
	text = truncateLine(" "+text, s.listWidth-3)
	text += strings.Repeat(" ", max(s.listWidth-3-lipgloss.Width(text), 0))
	if i == s.board().selected {
		return s.c.styles.focused.Render("▸") + glyph + s.c.styles.selected.Render(text)
	}
	return " " + glyph + text
}

// footer says what to do next under the list.
func (s conformScreen) footer(w int) string {
	st := s.c.styles
	b := s.board()
	var lines []string
	switch {
	case b.err != nil:
		lines = append(lines, st.faint.Render("esc goes back"))
	case b.running >= 0:
		lines = append(lines, st.faint.Render("esc stops the run"))
	case b.starting && s.tab == boardIdP:
		lines = append(lines, st.faint.Render("esc stops the login"))
	case b.conf != nil && len(b.conf.Results) > 0:
		sc := b.conf.Score()
		lines = append(lines, fmt.Sprintf("%d of %d strict handled", sc.Passed, sc.Strict))
		if sc.Strictness > 0 {
			lines = append(lines, fmt.Sprintf("%d of %d lenient (strictness)", sc.Lenient, sc.Strictness))
		}
		if sc.Answers > 0 {
			lines = append(lines, fmt.Sprintf("%d of %d answer checks wrong", sc.Wrong, sc.Answers))
		}
		lines = append(lines, st.faint.Render("enter runs again"))
	case s.tab == boardIdP && (b.conf == nil || b.conf.Target.Err != nil):
		lines = append(lines, st.faint.Render("enter logs in and runs"))
	case b.conf != nil:
		lines = append(lines, st.faint.Render("enter runs every case"))
	}
	return strings.TrimRight(wrapIndented(strings.Join(lines, "\n"), " ", w), "\n")
}

// bindings are the screen's keys for the help bar.
func (s conformScreen) bindings() bindingSet {
	k := s.c.keys
	run := k.Next
	run.SetHelp("enter", "run all")
	tab := k.NextTab
	tab.SetHelp("tab", "resource AS / IdP")
	if s.board().stoppable() {
		stop := k.Cancel
		stop.SetHelp("esc", "stop")
		return bindingSet{short: []key.Binding{stop, tab, k.UpDown, k.PageDown, k.Help, k.Quit},
			full: [][]key.Binding{{stop, tab, k.Up, k.Down}, {k.PageUp, k.PageDown, k.Top, k.Bottom, k.ScrollLeft}, {k.Reveal, k.Help, k.Quit, k.Interrupt}}}
	}
	return bindingSet{short: []key.Binding{run, tab, k.UpDown, k.PageDown, k.Back, k.Help, k.Quit},
		full: [][]key.Binding{{run, tab, k.Up, k.Down, k.Back}, {k.PageUp, k.PageDown, k.Top, k.Bottom, k.ScrollLeft}, {k.Reveal, k.Decoder, k.Help, k.Quit, k.Interrupt}}}
}

// close stops the runs and the IdPs the screen started.
func (s conformScreen) close() {
	for _, b := range s.boards {
		if b.cancel != nil {
			b.cancel()
		}
	}
	if idps := s.boards[boardAS].idps; idps != nil {
		idps.Close()
	}
}

// openConform switches to the conformance screen for the config the flow
// walks (the config's, or the built-in playground's own), starting the
// resource AS's IdPs the first time.
func (m Model) openConform() (tea.Model, tea.Cmd) {
	if m.conform.c == nil {
		m.conform = newConformScreen(m.c, m.flow.config(), m.flow.pg, m.opts.Getenv)
		m.layout()
	}
	m.conform.user = m.flow.user
	m.screen = screenConform
	var cmd tea.Cmd
	if m.conform.boards[boardAS].busy() || m.conform.boards[boardIdP].busy() {
		cmd = m.conform.spin.Tick // the spinner stopped while the screen was away
	}
	if m.conform.tab == boardAS {
		cmd = tea.Batch(cmd, m.conform.startAS())
	}
	return m, cmd
}

// refresh re-renders the pane (tokens revealed or hidden).
func (s *conformScreen) refresh() { s.show(true) }
