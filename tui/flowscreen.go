package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/tui/report"
)

// flowScreen walks the flow one step at a time. The flow's rules — which
// step is next, what it starts from, what it lacks, what it will send, the
// chain of tokens — are flow.Session's; the screen keeps the session,
// runs the session's plans in commands (Runner.Execute), and composes
// three components: the step list, the step tabs and the edit form.
type flowScreen struct {
	c       *shared
	source  string // what is walked, for the top bar
	pg      *playground.Playground
	user    string // the playground's demo user
	session flow.Session
	run     stepRun

	list stepList
	tabs stepTabs
	edit editForm
	spin spinner.Model
}

// newFlowScreen returns the flow screen for cfg; pg is the playground it
// runs against, or nil.
// With idp.subject refresh_token and a refresh token kept from an earlier
// login, the login stands skipped and the walk starts from the kept token.
func newFlowScreen(c *shared, cfg *config.Config, source string, pg *playground.Playground) flowScreen {
	runner := &flow.Runner{Config: cfg, Env: c.env}
	if pg == nil { // the playground's refresh tokens die with it; its browser is scripted
		runner.Kept, runner.NoBrowser = c.kept, c.noBrowser
	}
	session, err := runner.Resume()
	if err != nil {
		c.setFlash("the kept refresh token could not be read: "+report.Safe(err.Error()), true)
	}
	return flowScreen{
		c: c, source: source, pg: pg,
		session: session,
		list:    newStepList(c.keys),
		tabs:    newStepTabs(c),
		spin:    newSpinner(c),
	}
}

// config is the configuration walked.
func (f flowScreen) config() *config.Config { return f.session.Runner.Config }

// isFlowMsg says whether a message belongs to the flow screen wherever the
// user is looking.
func isFlowMsg(msg tea.Msg) bool {
	switch msg.(type) {
	case stepDoneMsg, progressMsg, savedMsg, renderedMsg:
		return true
	}
	return false
}

// inputFocused says whether typed letters go into a field.
func (f flowScreen) inputFocused() bool { return f.edit.open }

// update handles a message, then starts rendering a large view if one is
// wanted.
func (f flowScreen) update(msg tea.Msg) (flowScreen, tea.Cmd) {
	f, cmd := f.handle(msg)
	return f, tea.Batch(cmd, f.tabs.takeRender())
}

func (f flowScreen) handle(msg tea.Msg) (flowScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case renderedMsg:
		f.tabs.rendered(msg)
	case stepDoneMsg:
		return f.finish(msg)
	case progressMsg:
		if msg.seq != f.run.seq || !msg.ok || !f.run.active {
			return f, nil
		}
		if msg.p.URL != "" {
			f.run.loginURL = msg.p.URL
		}
		if msg.p.Message != "" {
			f.run.note = msg.p.Message
		}
		f.show(true)
		return f, waitProgress(f.run.seq, f.run.feed)
	case spinner.TickMsg:
		if !f.run.active {
			return f, nil
		}
		var cmd tea.Cmd
		f.spin, cmd = f.spin.Update(msg)
		return f, cmd
	case savedMsg:
		if msg.err != nil {
			f.c.setFlash("could not save the "+msg.what+": "+report.Safe(msg.err.Error()), true)
		} else {
			f.c.setFlash(msg.what+" saved to "+msg.path, false)
		}
	case tea.MouseMsg:
		f.tabs, _ = f.tabs.update(msg, nil, nil)
	case tea.KeyMsg:
		if f.edit.open {
			return f.editKey(msg)
		}
		return f.key(msg)
	}
	return f, nil
}

// key handles the flow screen's own keys, then the list's and the tabs'.
func (f flowScreen) key(msg tea.KeyMsg) (flowScreen, tea.Cmd) {
	k := f.c.keys
	id, onStep := f.list.step()
	switch {
	case f.run.active && key.Matches(msg, k.Cancel):
		f.run.cancel()
		f.run.all = false
		f.c.setFlash("cancelling "+f.run.id.Title()+" …", false)
	case key.Matches(msg, k.Next, k.RunAll):
		next, ok := f.session.Next()
		if !ok {
			f.c.setFlash("every step has run: r retries the selected step, e edits and resends it", false)
			return f, nil
		}
		return f.start(next, false, key.Matches(msg, k.RunAll))
	case key.Matches(msg, k.Retry) && onStep:
		if p := f.session.Plan(id); !p.Runnable() {
			f.c.setFlash(id.Name()+" lacks "+lacking(p.Missing)+": see its pane", true)
			return f, nil
		}
		return f.start(id, f.session.Record(id) != nil, false)
	case key.Matches(msg, k.Edit) && onStep:
		return f.openEdit(id)
	case key.Matches(msg, k.CopyToken):
		return f, f.copyToken()
	case key.Matches(msg, k.CopyCurl):
		return f, f.copyCurl()
	case key.Matches(msg, k.Save):
		return f, saveReport(f.session.Run())
	case key.Matches(msg, k.Evidence):
		return f, saveEvidence(f.session.Run(), f.c.now)
	case key.Matches(msg, k.User):
		return f.nextUser()
	default:
		var moved, changed bool
		if f.list, moved = f.list.update(msg); moved {
			f.tabs.reset()
			f.show(false)
			return f, nil
		}
		rec, prev := f.selectedRecords()
		if f.tabs, changed = f.tabs.update(msg, rec, prev); changed {
			f.show(false)
		}
	}
	return f, nil
}

// selectedRecords returns the selected step's record and the one its last
// resend replaced; nil for the chain row or a step that has not run.
func (f flowScreen) selectedRecords() (rec, prev *flow.Step) {
	if id, ok := f.list.step(); ok && !(f.run.active && f.run.id == id) {
		return f.session.Record(id), f.session.Previous(id)
	}
	return nil, nil
}

// openEdit opens the edit form on a step, filled with what it will send.
func (f flowScreen) openEdit(id flow.StepID) (flowScreen, tea.Cmd) {
	if f.run.active {
		f.c.setFlash("a step is running: wait for it first", true)
		return f, nil
	}
	e, cmd, ok := openEditForm(f.c, f.session.Plan(id), f.session.ConfiguredPlan(id), f.session.AuthMethod(id))
	if !ok {
		f.c.setFlash(id.Name()+" has no inputs to edit: its requests follow from the config and the metadata", false)
		return f, nil
	}
	f.edit = e
	f.show(false)
	return f, cmd
}

// editKey hands a key to the edit form; a submitted form becomes the
// step's edits, and the step is sent again with them.
func (f flowScreen) editKey(msg tea.KeyMsg) (flowScreen, tea.Cmd) {
	var cmd tea.Cmd
	var done *editResult
	f.edit, cmd, done = f.edit.update(msg)
	if done == nil {
		f.show(f.edit.open)
		return f, cmd
	}
	id := f.edit.id
	f.edit.open = false
	f.session.SetEdits(id, done.edits)
	f.session.SetAuthMethod(id, done.auth)
	if p := f.session.Plan(id); !p.Runnable() {
		f.c.setFlash("edits kept; "+id.Name()+" lacks "+lacking(p.Missing)+": see its pane", true)
		f.show(false)
		return f, cmd
	}
	return f.start(id, f.session.Record(id) != nil, false)
}

// copyToken copies the token on show (the step's first one by default).
func (f flowScreen) copyToken() tea.Cmd {
	if f.run.active && f.run.id == flow.StepLogin && f.run.loginURL != "" {
		return copyText(f.c.clipboard, "authorization URL", f.run.loginURL)
	}
	st, _ := f.selectedRecords()
	if st == nil || len(st.Tokens) == 0 {
		f.c.setFlash("this step has no token to copy", true)
		return nil
	}
	t := st.Tokens[min(f.tabs.token, len(st.Tokens)-1)].Token
	return copyText(f.c.clipboard, t.Kind.Title(), t.Raw)
}

// copyCurl copies the curl command of the step's last request.
func (f flowScreen) copyCurl() tea.Cmd {
	st, _ := f.selectedRecords()
	if st == nil || len(st.Exchanges) == 0 {
		f.c.setFlash("this step sent no request to copy", true)
		return nil
	}
	return copyText(f.c.clipboard, "curl command", curlFor(st.Exchanges[len(st.Exchanges)-1], f.c.reveal))
}

// nextUser switches the playground's demo user. The session forgets the
// login and what followed: the user is who logs in.
func (f flowScreen) nextUser() (flowScreen, tea.Cmd) {
	if f.pg == nil {
		f.c.setFlash("the demo users belong to the built-in playground", false)
		return f, nil
	}
	if f.run.active {
		f.c.setFlash("a step is running: wait for it first", true)
		return f, nil
	}
	users := f.pg.Users()
	for i, u := range users {
		if u.Username == f.user {
			next := users[(i+1)%len(users)]
			f.user = next.Username
			f.c.setFlash("playground user "+next.Username+": "+next.Outcome, false)
			break
		}
	}
	f.session.Forget(flow.StepLogin)
	f.show(false)
	return f, nil
}

// resize lays the screen out in width × height cells.
func (f *flowScreen) resize(width, height int) {
	f.list.width = min(max(width/3, 24), 34)
	f.tabs.setSize(max(width-f.list.width-1, 10), max(height-2, 1))
	f.refresh()
}

// showsTime says whether the pane shows something that changes with the
// clock: a running step, a token's countdown, the chain's expiries.
func (f flowScreen) showsTime() bool {
	_, onStep := f.list.step()
	return f.run.active || !onStep || ((f.tabs.tab == tabTokens || f.tabs.tab == tabChecks) && !f.edit.open && !f.tabs.compare)
}

// refresh re-renders the pane after the clock or a switch changed.
func (f *flowScreen) refresh() { f.show(true) }

// show puts what the selection calls for into the pane: the chain, the
// edit form, the running step, what a step that has not run needs, or the
// record's tabs.
func (f *flowScreen) show(keepOffset bool) {
	w := f.tabs.pane.width
	id, onStep := f.list.step()
	switch {
	case !onStep:
		f.tabs.showText(chainView(f.c, f.session.Chain(), w), keepOffset)
	case f.edit.open:
		f.tabs.showText(f.edit.view(w), keepOffset)
	case f.run.active && f.run.id == id:
		f.tabs.showText(f.runningView(w), keepOffset)
	case f.session.Record(id) == nil:
		f.tabs.showText(f.pendingView(id, w), keepOffset)
	default:
		rec := f.session.Record(id)
		auth := ""
		if rec.AuthMethod != flow.AuthMethod(id, f.session.Runner.Config) {
			auth = rec.AuthMethod // the record ran with a switched client authentication
		}
		f.tabs.showStep(rec, f.session.Previous(id), auth, keepOffset)
	}
}

// takeRender starts rendering a large tab, if one is wanted.
func (f *flowScreen) takeRender() tea.Cmd { return f.tabs.takeRender() }

// view renders the step list beside the selected step's tabs.
func (f flowScreen) view() string {
	s := f.c.styles
	height := f.tabs.pane.height + 2
	list := f.list.view(f.c, &f.session, f.run, f.spin.View())
	left := lipgloss.NewStyle().Width(f.list.width).Height(height).MaxHeight(height).Render(list)
	sep := s.rule.Render(strings.TrimSuffix(strings.Repeat("│\n", height), "\n"))
	_, onStep := f.list.step()
	return lipgloss.JoinHorizontal(lipgloss.Top, left, sep, f.tabs.view(!onStep))
}

// bindings returns the keys the flow screen offers now.
func (f flowScreen) bindings() bindingSet {
	k := f.c.keys
	if f.edit.open {
		return f.edit.bindings()
	}
	list, tabs := f.list.keys, f.tabs.keys
	if f.run.active {
		return bindingSet{
			short: []key.Binding{k.Cancel, k.UpDown, tabs.Next, k.Help, k.Quit},
			full:  [][]key.Binding{{k.Cancel, list.Up, list.Down, tabs.Next, tabs.Prev}, {k.PageUp, k.PageDown, k.ScrollLeft, k.CopyToken, k.Help, k.Quit, k.Interrupt}},
		}
	}
	user := k.User
	user.SetEnabled(f.pg != nil)
	// The help bar has room for few words: the full help says more.
	next, edit := tabs.Next, k.Edit
	next.SetHelp("tab", "tabs")
	edit.SetHelp("e", "edit")
	return bindingSet{
		short: []key.Binding{k.Next, k.RunAll, k.UpDown, next, edit, k.Help, k.Quit, k.Retry, k.Decoder},
		full: [][]key.Binding{
			{k.Next, k.RunAll, k.Retry, k.Edit, tabs.Compare, user},
			{list.Up, list.Down, tabs.Next, tabs.Prev, tabs.ByNumber, tabs.NextToken},
			{k.PageUp, k.PageDown, k.Top, k.Bottom, k.ScrollLeft},
			{k.CopyToken, k.CopyCurl, k.Reveal, k.Save, k.Evidence, k.Decoder, k.Mouse},
			{k.Help, k.Back, k.Quit, k.Interrupt},
		},
	}
}
