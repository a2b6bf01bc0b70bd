package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/tui/report"
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

// stepTabs is the flow screen's right side: the tabs of a step's record
// (Request, Response, Tokens, Checks, Explain, curl), the two responses of
// a resend side by side, or whatever else the flow screen puts in its
// pane — the chain, the edit form, a step that has not run. A large
// Request, Response or curl tab is rendered by a command, off the event
// loop.
type stepTabs struct {
	c       *shared
	keys    tabKeys
	tab     int
	token   int  // the token shown on the Tokens tab
	compare bool // show the two responses of the last resend side by side
	pane    pane

	// want is the large view the pane should show, inFlight the one being
	// rendered, last the last one that came back.
	want, inFlight *renderKey
	last           *renderedMsg
}

// tabKeys switch tabs and tokens and the side-by-side view; the scrolling
// keys are the pane's.
type tabKeys struct {
	Next, Prev, ByNumber, NextToken, Compare, Back key.Binding
}

func newStepTabs(c *shared) stepTabs {
	k := c.keys
	return stepTabs{c: c, pane: newPane(), keys: tabKeys{
		Next: k.NextTab, Prev: k.PrevTab, ByNumber: k.TabN, NextToken: k.NextToken, Compare: k.Compare, Back: k.Back,
	}}
}

// update handles the tabs' keys and the mouse for a step's record (nil
// when none is shown) and the record its resend replaced; changed says
// the pane must be shown again.
func (t stepTabs) update(msg tea.Msg, rec, prev *flow.Step) (_ stepTabs, changed bool) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		t.pane.update(msg, t.c.keys, false)
		return t, false
	}
	k := t.keys
	switch {
	case t.compare && key.Matches(km, k.Back):
		t.compare = false
	case key.Matches(km, k.Next):
		t.tab, t.compare = (t.tab+1)%tabCount, false
	case key.Matches(km, k.Prev):
		t.tab, t.compare = (t.tab+tabCount-1)%tabCount, false
	case key.Matches(km, k.ByNumber):
		t.tab, t.compare = int(km.Runes[0]-'1'), false
	case key.Matches(km, k.Compare):
		if rec == nil || prev == nil {
			t.c.setFlash("nothing to compare: edit a step's inputs (e) and resend it first", false)
			return t, false
		}
		t.compare = !t.compare
	case key.Matches(km, k.NextToken):
		switch {
		case rec == nil || len(rec.Tokens) == 0:
			t.c.setFlash("this step received no token: t goes through a step's tokens", false)
			return t, false
		case len(rec.Tokens) == 1 && t.tab == tabTokens:
			t.c.setFlash("this step received one token, shown here: t goes through a step's tokens", false)
			return t, false
		}
		t.token, t.tab = (t.token+1)%len(rec.Tokens), tabTokens
	default:
		t.pane.update(km, t.c.keys, false)
		return t, false
	}
	return t, true
}

// reset forgets the token and side-by-side choice of the last selection.
func (t *stepTabs) reset() { t.token, t.compare = 0, false }

// showResult turns to what matters most about a step that came back: the
// explanation of a failure or a skip, the tokens received, or else the
// response — or, after a resend, the two responses side by side.
func (t *stepTabs) showResult(st *flow.Step, compare bool) {
	t.token, t.compare = 0, compare
	switch {
	case st.Status == inspect.StatusFail || st.Status == inspect.StatusSkip:
		t.tab = tabExplain
	case len(st.Tokens) > 0:
		t.tab = tabTokens
	default:
		t.tab = tabResponse
	}
}

// setSize resizes the pane.
func (t *stepTabs) setSize(width, height int) { t.pane.setSize(width, height) }

// showText puts text into the pane.
func (t *stepTabs) showText(s string, keepOffset bool) {
	t.want = nil
	t.pane.setContent(s, keepOffset)
}

// showStep puts a record's tab into the pane (or the side-by-side view of
// prev and rec). A large Request, Response or curl tab is rendered by a
// command (see takeRender) while the pane says so.
func (t *stepTabs) showStep(rec, prev *flow.Step, auth string, keepOffset bool) {
	s, w := t.c.styles, t.pane.width
	switch {
	case t.compare && prev != nil:
		t.showText(compareView(s, prev, rec, t.c.reveal, w), keepOffset)
		return
	case t.tab == tabTokens:
		t.showText(stepHead(s, rec, auth)+"\n\n"+t.tokensView(rec, w), keepOffset)
		return
	case t.tab == tabChecks:
		t.showText(stepTabView(s, withLiveTimes(rec, t.c.now), t.tab, t.c.reveal, w, auth), keepOffset)
		return
	}
	key, size := renderKey{step: rec, tab: t.tab, reveal: t.c.reveal, width: w, auth: auth}, exchangeSize(rec, t.tab)
	if size < largeContent {
		t.showText(stepTabView(s, rec, t.tab, t.c.reveal, w, auth), keepOffset)
		return
	}
	if r := t.last; r != nil && r.key == key {
		t.want = nil
		if t.pane.content != r.content {
			t.pane.setRendered(r.content, r.wrapped, r.key.width)
		}
		return
	}
	t.want = &key
	t.pane.setContent(s.faint.Render(fmt.Sprintf("%s  rendering %s of exchanges …", stepTitle(rec.ID, rec.Subject), byteCount(size))), false)
}

// exchangeSize is how much a Request, Response or curl tab has to show;
// 0 for the other tabs.
func exchangeSize(st *flow.Step, tab int) int64 {
	var size int64
	for _, x := range st.Exchanges {
		switch {
		case tab == tabRequest || tab == tabCurl:
			size += int64(len(x.Request.Body))
		case tab == tabResponse && x.Response != nil:
			size += int64(len(x.Response.Body))
		}
	}
	return size
}

// renderKey names one rendering of a step's tab: the same key, the same text.
type renderKey struct {
	step   *flow.Step
	tab    int
	reveal bool
	width  int
	auth   string
}

// renderedMsg brings a large tab rendered and wrapped by a command.
type renderedMsg struct {
	key              renderKey
	content, wrapped string
}

// takeRender returns the command rendering the wanted large view, unless it
// is already being rendered.
func (t *stepTabs) takeRender() tea.Cmd {
	if t.want == nil || (t.inFlight != nil && *t.inFlight == *t.want) {
		return nil
	}
	key := *t.want
	t.inFlight = &key
	s := t.c.styles
	return func() tea.Msg {
		content := stepTabView(s, key.step, key.tab, key.reveal, key.width, key.auth)
		return renderedMsg{key: key, content: content, wrapped: wrapText(content, key.width)}
	}
}

// rendered shows a large tab that came back, if it is still wanted.
func (t *stepTabs) rendered(msg renderedMsg) {
	t.inFlight = nil
	if t.want != nil && *t.want == msg.key {
		t.want, t.last = nil, &msg
		t.pane.setRendered(msg.content, msg.wrapped, msg.key.width)
	}
}

// view renders the tab bar (or the chain's title) over the pane.
func (t stepTabs) view(chain bool) string {
	s := t.c.styles
	return t.bar(chain) + "\n" + s.rule.Render(strings.Repeat("─", t.pane.width)) + "\n" + t.pane.view()
}

// bar renders the tabs, numbered when there is room.
func (t stepTabs) bar(chain bool) string {
	s := t.c.styles
	if chain {
		return truncateLine(s.tabActive.Render("Token chain")+s.faint.Render("  iss · aud · sub · client_id · resource · exp, hop to hop"), t.pane.width)
	}
	numbered := t.pane.width >= 64
	var parts []string
	for i, name := range tabNames {
		label := name
		if numbered {
			label = fmt.Sprintf("%d %s", i+1, name)
		}
		if i == t.tab && !t.compare {
			parts = append(parts, s.tabActive.Render("["+label+"]"))
		} else {
			parts = append(parts, s.tab.Render(label))
		}
	}
	if t.compare {
		parts = append(parts, s.tabActive.Render("[side by side]"))
	}
	bar := strings.Join(parts, " ")
	if hint := t.pane.scrollHint(t.pane.width - lipgloss.Width(bar) - 2); hint != "" {
		bar += s.faint.Render("  " + hint)
	}
	return truncateLine(bar, t.pane.width)
}

// tokensView renders the token on show of a step, with its countdown.
func (t stepTabs) tokensView(st *flow.Step, width int) string {
	s := t.c.styles
	if len(st.Tokens) == 0 {
		return s.faint.Render("This step received no token.")
	}
	i := min(t.token, len(st.Tokens)-1)
	a := st.Tokens[i]
	var b strings.Builder
	label := a.Token.Kind.Title()
	if a.For != "" {
		label += " for " + report.Safe(a.For)
	}
	if a.Token.Name != "" {
		label += " (" + a.Token.Name + ")"
	}
	if len(st.Tokens) > 1 {
		b.WriteString(s.faint.Render(fmt.Sprintf("token %d of %d: ", i+1, len(st.Tokens))) + s.bold.Render(label) + s.faint.Render(" · t next · y copy") + "\n\n")
	} else {
		b.WriteString(s.faint.Render("y copies the token") + "\n\n")
	}
	a = withWholeKeySet(a, st.Out.IdPKeys, st.Out.ASKeys, st.In.IdPKeys, st.In.ASKeys)
	b.WriteString(renderToken(s, a, t.c.now, t.c.reveal, width))
	return b.String()
}

// withLiveTimes is the step with its token checks' times (exp, iat, nbf)
// told relative to now, so the Checks tab counts down with the claims.
func withLiveTimes(st *flow.Step, now time.Time) *flow.Step {
	live := *st
	live.Tokens = slices.Clone(st.Tokens)
	for i, a := range live.Tokens {
		checks := slices.Clone(a.Checks)
		for j, c := range checks {
			_, claim, _ := strings.Cut(c.ID, ".")
			if claim != "exp" && claim != "iat" && claim != "nbf" {
				continue
			}
			if at, ok := a.Token.Claims.Time(claim); ok && strings.HasPrefix(c.Actual, inspect.FormatTime(at)+" (") {
				checks[j].Actual = inspect.FormatTime(at) + " (" + inspect.DescribeTime(claim, at, now) + ")"
			}
		}
		live.Tokens[i].Checks = checks
	}
	return &live
}
