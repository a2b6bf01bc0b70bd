package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/xaatools/xaa/flow/config"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// The tabs of a step, in order.
const (
	tabRequest = iota
	tabResponse
	tabTokens
	tabChecks
	tabExplain
	tabCurl
	tabCount
)

var tabNames = [tabCount]string{"Request", "Response", "Tokens", "Checks", "Explain", "curl"}

// stepCount is the number of steps; the row after them is the token chain.
const stepCount = 5

// rowChain is the list row of the chain view.
const rowChain = stepCount

// flowScreen walks the flow: the step list on the left, the selected step's
// tabs on the right. Steps run in commands; their records come back in
// stepDoneMsg.
type flowScreen struct {
	c      *shared
	cfg    *config.Config
	source string // what is walked, for the top bar
	pg     *playground.Playground
	user   string // the playground's demo user

	steps    [stepCount]*flow.Step // the latest record of each step; nil = not run
	previous [stepCount]*flow.Step // the record before the last resend
	// overrides are the inputs changed with the edit form, per step.
	overrides [stepCount]flow.Overrides
	// authMethods are client authentication methods changed with the edit
	// form, per step ("" = as configured).
	authMethods [stepCount]string

	running  int // the step running, or -1
	started  time.Time
	runAll   bool
	resend   bool // the running step is a resend: compare when it is back
	cancel   context.CancelFunc
	seq      int // run number; results of cancelled runs are dropped
	progress *progressFeed
	loginURL string
	lastNote string

	selected int // a step, or rowChain
	tab      int
	tokenIdx int
	compare  bool // show the two responses of the last resend side by side
	editing  bool
	edit     form

	listWidth int
	pane      pane
	spin      spinner.Model

	// A large Request, Response or curl tab is rendered by a command, off
	// the event loop: want is the view the pane should show, inFlight the
	// one being rendered, rendered the last one that came back.
	want, inFlight *renderKey
	rendered       *renderedMsg
}

// newFlowScreen returns the flow screen for cfg; pg is the playground it
// runs against, or nil.
func newFlowScreen(c *shared, cfg *config.Config, source string, pg *playground.Playground) flowScreen {
	return flowScreen{c: c, cfg: cfg, source: source, pg: pg, running: -1, pane: newPane(), spin: newSpinner(c)}
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
func (f flowScreen) inputFocused() bool { return f.editing }

// nextStep returns the step "next" runs: the first one not yet run, or -1
// when every step has run or the one before it has not passed.
func (f flowScreen) nextStep() int {
	for i, st := range f.steps {
		if st != nil {
			continue
		}
		if i > 0 && !usable(f.steps[i-1]) {
			return -1
		}
		return i
	}
	return -1
}

// usable says whether a step handed on what the next one needs.
func usable(st *flow.Step) bool {
	return st != nil && (st.Status == inspect.StatusPass || st.Status == inspect.StatusWarn)
}

// input returns the state a step starts from: what the step before it
// handed on.
func (f flowScreen) input(i int) flow.State {
	if i == 0 || f.steps[i-1] == nil {
		return flow.State{}
	}
	return f.steps[i-1].Out
}

// stepEnv is the environment of one run: the program's, with progress
// reported to feed and, on the playground, its scripted browser.
func (f flowScreen) stepEnv(feed *progressFeed) flow.Env {
	env := f.c.env
	env.Progress = feed.send
	if f.pg != nil {
		env.OpenBrowser = f.pg.LoginBrowser(f.user)
	}
	return env
}

// stepConfig returns the config one step runs with: the edit form may have
// changed the client authentication method.
func (f flowScreen) stepConfig(i int) *config.Config {
	m := f.authMethods[i]
	if m == "" {
		return f.cfg
	}
	cfg := *f.cfg
	switch flow.StepID(i) {
	case flow.StepLogin, flow.StepTokenExchange:
		cfg.IdP.AuthMethod = m
	case flow.StepJWTBearer:
		cfg.ResourceAS.AuthMethod = m
	}
	return &cfg
}

// start runs step i in a command. Steps after it are cleared: they ran from
// what this step handed on before.
func (f flowScreen) start(i int, resend bool) (flowScreen, tea.Cmd) {
	if f.running >= 0 {
		f.c.setFlash("a step is running: wait, or esc to cancel it", true)
		return f, nil
	}
	if i > 0 && !usable(f.steps[i-1]) {
		f.c.setFlash(fmt.Sprintf("run %s first: step %d needs what it hands on", flow.StepID(i-1).Title(), i+1), true)
		f.runAll = false
		return f, nil
	}
	if flow.StepID(i) == flow.StepResource && f.cfg.Resource.APIURL == "" && f.cfg.Resource.MCPURL == "" {
		// Nothing to call: record the step as skipped, as `xaa run` does.
		in := f.input(i)
		f.steps[i] = &flow.Step{ID: flow.StepResource, Status: inspect.StatusSkip, Started: f.c.now, In: in, Out: in,
			Notes: []string{"skipped: neither resource.api_url nor resource.mcp_url is configured, so there is nothing to call with the access token"}}
		f.runAll = false
		f.selected, f.tab = i, tabExplain
		f.show(false)
		return f, nil
	}
	f.seq++
	f.running, f.started, f.resend = i, f.c.now, resend
	f.loginURL, f.lastNote = "", ""
	f.compare = false
	ctx, cancel := context.WithCancel(f.c.ctx)
	f.cancel = cancel
	feed := newProgressFeed()
	f.progress = feed
	f.selected = i
	f.show(false)
	cmd := runStep(ctx, f.stepEnv(feed), f.stepConfig(i), flow.StepID(i), f.input(i), f.overrides[i], f.seq, resend, feed)
	return f, tea.Batch(cmd, waitProgress(f.seq, feed), f.spin.Tick)
}

// finish records a step's result.
func (f flowScreen) finish(msg stepDoneMsg) (flowScreen, tea.Cmd) {
	if msg.seq != f.seq || f.running < 0 {
		return f, nil
	}
	i := int(msg.step.ID)
	if f.cancel != nil {
		f.cancel()
		f.cancel = nil
	}
	f.running = -1
	if msg.resend && f.steps[i] != nil {
		f.previous[i] = f.steps[i]
		f.compare = true
	}
	f.steps[i] = msg.step
	for j := i + 1; j < stepCount; j++ {
		f.steps[j], f.previous[j] = nil, nil
	}
	f.tokenIdx = 0
	if f.selected == i {
		// Show what matters most about the result: the explanation of a
		// failure, the tokens received, or else the response.
		switch {
		case msg.step.Status == inspect.StatusFail:
			f.tab = tabExplain
		case len(msg.step.Tokens) > 0:
			f.tab = tabTokens
		default:
			f.tab = tabResponse
		}
	}
	f.show(false)
	if f.runAll && usable(msg.step) && i+1 < stepCount {
		return f.start(i+1, false)
	}
	f.runAll = false
	return f, nil
}

// update handles a message, then starts rendering a large view if one is
// wanted.
func (f flowScreen) update(msg tea.Msg) (flowScreen, tea.Cmd) {
	f, cmd := f.handle(msg)
	return f, tea.Batch(cmd, f.takeRender())
}

func (f flowScreen) handle(msg tea.Msg) (flowScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case renderedMsg:
		f.inFlight = nil
		if f.want != nil && *f.want == msg.key {
			f.want, f.rendered = nil, &msg
			f.pane.setRendered(msg.content, msg.wrapped, msg.key.width)
		}
		return f, nil
	case stepDoneMsg:
		return f.finish(msg)
	case progressMsg:
		if msg.seq != f.seq || !msg.ok {
			return f, nil
		}
		if msg.p.URL != "" {
			f.loginURL = msg.p.URL
		}
		if msg.p.Message != "" {
			f.lastNote = msg.p.Message
		}
		f.show(true)
		return f, waitProgress(f.seq, f.progress)
	case spinner.TickMsg:
		if f.running < 0 {
			return f, nil
		}
		var cmd tea.Cmd
		f.spin, cmd = f.spin.Update(msg)
		return f, cmd
	case savedMsg:
		if msg.err != nil {
			f.c.setFlash("could not save the "+msg.what+": "+msg.err.Error(), true)
		} else {
			f.c.setFlash(msg.what+" saved to "+msg.path, false)
		}
		return f, nil
	case tea.MouseMsg:
		f.pane.update(msg, f.c.keys, false)
		return f, nil
	case tea.KeyMsg:
		if f.editing {
			return f.editKey(msg)
		}
		return f.key(msg)
	}
	return f, nil
}

// key handles the flow screen's keys.
func (f flowScreen) key(msg tea.KeyMsg) (flowScreen, tea.Cmd) {
	k := f.c.keys
	switch {
	case f.running >= 0 && key.Matches(msg, k.Cancel):
		if f.cancel != nil {
			f.cancel()
		}
		f.runAll = false
		f.c.setFlash("cancelling "+flow.StepID(f.running).Title()+" …", false)
		return f, nil
	case f.compare && key.Matches(msg, k.Back):
		f.compare = false
		f.show(false)
		return f, nil
	case key.Matches(msg, k.Up):
		f.selected = (f.selected + rowChain) % (rowChain + 1)
		f.tokenIdx, f.compare = 0, false
		f.show(false)
	case key.Matches(msg, k.Down):
		f.selected = (f.selected + 1) % (rowChain + 1)
		f.tokenIdx, f.compare = 0, false
		f.show(false)
	case key.Matches(msg, k.NextTab):
		f.tab = (f.tab + 1) % tabCount
		f.compare = false
		f.show(false)
	case key.Matches(msg, k.PrevTab):
		f.tab = (f.tab + tabCount - 1) % tabCount
		f.compare = false
		f.show(false)
	case key.Matches(msg, k.TabN):
		f.tab = int(msg.Runes[0] - '1')
		f.compare = false
		f.show(false)
	case key.Matches(msg, k.Next):
		i := f.nextStep()
		if i < 0 {
			f.c.setFlash(f.nothingNext(), false)
			return f, nil
		}
		return f.start(i, false)
	case key.Matches(msg, k.RunAll):
		i := f.nextStep()
		if i < 0 {
			f.c.setFlash(f.nothingNext(), false)
			return f, nil
		}
		f.runAll = true
		return f.start(i, false)
	case key.Matches(msg, k.Retry):
		if f.selected == rowChain {
			return f, nil
		}
		return f.start(f.selected, f.steps[f.selected] != nil)
	case key.Matches(msg, k.Edit):
		return f.openEdit()
	case key.Matches(msg, k.Compare):
		if f.selected < stepCount && f.previous[f.selected] != nil {
			f.compare = !f.compare
			f.show(false)
		} else {
			f.c.setFlash("nothing to compare: edit a step's inputs (e) and resend it first", false)
		}
	case key.Matches(msg, k.NextToken):
		if st := f.selectedStep(); st != nil && len(st.Tokens) > 0 {
			f.tokenIdx = (f.tokenIdx + 1) % len(st.Tokens)
			f.tab = tabTokens
			f.show(false)
		}
	case key.Matches(msg, k.CopyToken):
		return f, f.copyToken()
	case key.Matches(msg, k.CopyCurl):
		return f, f.copyCurl()
	case key.Matches(msg, k.Save):
		return f, saveReport(f.steps[:], f.cfg)
	case key.Matches(msg, k.User):
		return f.nextUser()
	default:
		f.pane.update(msg, f.c.keys, false)
	}
	return f, nil
}

// nothingNext says why "next" has nothing to run.
func (f flowScreen) nothingNext() string {
	for i, st := range f.steps {
		if st == nil {
			return fmt.Sprintf("%s did not pass: retry it (r) or edit its inputs (e)", flow.StepID(i-1).Title())
		}
	}
	return "every step has run: r retries the selected step, e edits and resends it"
}

// selectedStep returns the record of the selected step, or nil.
func (f flowScreen) selectedStep() *flow.Step {
	if f.selected >= stepCount {
		return nil
	}
	return f.steps[f.selected]
}

// copyToken copies the token on show (the step's first one by default).
func (f flowScreen) copyToken() tea.Cmd {
	st := f.selectedStep()
	if st == nil || len(st.Tokens) == 0 {
		f.c.setFlash("this step has no token to copy", true)
		return nil
	}
	t := st.Tokens[min(f.tokenIdx, len(st.Tokens)-1)].Token
	return copyText(f.c.clipboard, t.Kind.Title(), t.Raw)
}

// copyCurl copies the curl command of the step's last request.
func (f flowScreen) copyCurl() tea.Cmd {
	st := f.selectedStep()
	if st == nil || len(st.Exchanges) == 0 {
		f.c.setFlash("this step sent no request to copy", true)
		return nil
	}
	x := st.Exchanges[len(st.Exchanges)-1]
	return copyText(f.c.clipboard, "curl command", curlFor(x, f.c.reveal))
}

// nextUser switches the playground's demo user; the flow starts over from
// the login, since the user is who logs in.
func (f flowScreen) nextUser() (flowScreen, tea.Cmd) {
	if f.pg == nil {
		f.c.setFlash("the demo users belong to the built-in playground", false)
		return f, nil
	}
	if f.running >= 0 {
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
	for j := int(flow.StepLogin); j < stepCount; j++ {
		f.steps[j], f.previous[j] = nil, nil
	}
	f.show(false)
	return f, nil
}

// resize lays the screen out in width × height cells.
func (f *flowScreen) resize(width, height int) {
	f.listWidth = min(max(width/3, 24), 34)
	f.pane.setSize(max(width-f.listWidth-1, 10), max(height-2, 1))
	f.refresh()
}

// showsTime says whether the pane shows something that changes with the
// clock: a running step, a token's countdown, the chain's expiries.
func (f flowScreen) showsTime() bool {
	return f.running >= 0 || f.selected == rowChain || (f.tab == tabTokens && !f.editing && !f.compare)
}

// refresh re-renders the pane after the clock or a switch changed.
func (f *flowScreen) refresh() { f.show(true) }

// stepDuration says how long a step took, or has been running.
func (f flowScreen) stepDuration(i int) string {
	if f.running == i {
		return inspect.HumanDuration(f.c.now.Sub(f.started))
	}
	if st := f.steps[i]; st != nil && st.Status != inspect.StatusSkip {
		return shortDuration(st.Duration)
	}
	return ""
}

// shortDuration renders a step's duration: "12ms", "1.4s", "2m3s".
func shortDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return "<1ms"
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < 10*time.Second:
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return inspect.HumanDuration(d)
}

// shortTitle is a step's name in the step list.
func shortTitle(id flow.StepID) string {
	switch id {
	case flow.StepDiscovery:
		return "Discovery"
	case flow.StepLogin:
		return "Login"
	case flow.StepTokenExchange:
		return "Token exchange"
	case flow.StepJWTBearer:
		return "JWT bearer"
	case flow.StepResource:
		return "Resource"
	}
	return id.String()
}

// bindings returns the keys the flow screen offers now.
func (f flowScreen) bindings() bindingSet {
	k := f.c.keys
	if f.editing {
		return bindingSet{
			short: []key.Binding{k.NextField, k.PrevField, k.Submit, k.Back},
			full:  [][]key.Binding{{k.NextField, k.PrevField, k.Submit, k.Back}},
		}
	}
	if f.running >= 0 {
		return bindingSet{
			short: []key.Binding{k.Cancel, k.UpDown, k.NextTab, k.Help, k.Quit},
			full:  [][]key.Binding{{k.Cancel, k.Up, k.Down, k.NextTab, k.PrevTab}, {k.PageUp, k.PageDown, k.Help, k.Quit, k.Interrupt}},
		}
	}
	user := k.User
	user.SetEnabled(f.pg != nil)
	// The help bar has room for few words: the full help says more.
	tabs, edit := k.NextTab, k.Edit
	tabs.SetHelp("tab", "tabs")
	edit.SetHelp("e", "edit")
	short := []key.Binding{k.Next, k.RunAll, k.UpDown, tabs, edit, k.Help, k.Quit, k.Retry, k.Decoder}
	return bindingSet{
		short: short,
		full: [][]key.Binding{
			{k.Next, k.RunAll, k.Retry, k.Edit, k.Compare, user},
			{k.Up, k.Down, k.NextTab, k.PrevTab, k.TabN, k.NextToken},
			{k.PageUp, k.PageDown, k.Top, k.Bottom},
			{k.CopyToken, k.CopyCurl, k.Reveal, k.Save, k.Decoder},
			{k.Help, k.Back, k.Quit, k.Interrupt},
		},
	}
}

// stepTitle is the heading of the selected step in the pane.
func stepTitle(i int) string {
	return fmt.Sprintf("%d · %s", i+1, flow.StepID(i).Title())
}

// overridesLine lists the inputs a run changed, for headings.
func overridesLine(o flow.Overrides, auth string) string {
	var parts []string
	for _, k := range sortedKeys(o) {
		v := o[k]
		if v == "" {
			v = "(removed)"
		}
		parts = append(parts, k+"="+v)
	}
	if auth != "" {
		parts = append(parts, "client auth="+auth)
	}
	return strings.Join(parts, " ")
}
