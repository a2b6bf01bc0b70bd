package tui

import (
	"fmt"
	"strings"

	"github.com/xaatools/xaa/flow/doctor"
	"github.com/xaatools/xaa/inspect"

	"github.com/xaatools/xaa/flow/config"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/tui/report"
)

// doctorScreen runs the doctor (flow.Doctor, `xaa doctor`) on the
// configuration being walked — with the ID token of the flow's login when
// there was one, so the checks of what the org issues for a user run too —
// and shows the checklist grouped by party on the left and the selected
// check on the right: the values compared, the fix, the Admin Console
// screen and the HTTP exchanges behind it.
type doctorScreen struct {
	c       *shared
	cfg     *config.Config
	idToken string

	running  bool
	seq      int // run number; results of earlier runs are dropped
	diag     *doctor.Diagnosis
	selected int // index into diag.Checks

	listWidth, height int
	pane              pane
	spin              spinner.Model
}

// doctorDoneMsg brings the diagnosis back.
type doctorDoneMsg struct {
	seq  int
	diag *doctor.Diagnosis
}

func newDoctorScreen(c *shared, cfg *config.Config, idToken string) doctorScreen {
	return doctorScreen{c: c, cfg: cfg, idToken: idToken, pane: newPane(), spin: newSpinner(c)}
}

// start runs the doctor in a command.
func (d *doctorScreen) start() tea.Cmd {
	d.seq++
	d.running, d.diag, d.selected = true, nil, 0
	d.refresh()
	ctx, cfg, token, seq := d.c.ctx, d.cfg, d.idToken, d.seq
	env := d.c.env
	env.Progress = nil
	return tea.Batch(d.spin.Tick, func() tea.Msg {
		return doctorDoneMsg{seq: seq, diag: doctor.Run(ctx, doctor.Options{Config: cfg, Env: env, IDToken: token})}
	})
}

func (d doctorScreen) update(msg tea.Msg) (doctorScreen, tea.Cmd) {
	k := d.c.keys
	switch msg := msg.(type) {
	case doctorDoneMsg:
		if msg.seq != d.seq {
			return d, nil
		}
		d.running, d.diag = false, msg.diag
		d.selected = d.firstTrouble()
		d.refresh()
	case spinner.TickMsg:
		if d.running {
			var cmd tea.Cmd
			d.spin, cmd = d.spin.Update(msg)
			return d, cmd
		}
	case tea.MouseMsg:
		d.pane.update(msg, k, false)
	case tea.KeyMsg:
		n := d.count()
		switch {
		case key.Matches(msg, k.Up) && n > 0:
			d.selected = (d.selected + n - 1) % n
			d.refresh()
		case key.Matches(msg, k.Down) && n > 0:
			d.selected = (d.selected + 1) % n
			d.refresh()
		case key.Matches(msg, k.Retry) && !d.running:
			return d, d.start()
		case key.Matches(msg, k.CopyCurl) && n > 0:
			c := d.diag.Checks[d.selected]
			if len(c.Evidence) == 0 {
				d.c.setFlash("this check sent no request to copy", false)
				return d, nil
			}
			return d, copyText(d.c.clipboard, "curl command", c.Evidence[len(c.Evidence)-1].Curl(d.c.reveal))
		case key.Matches(msg, k.CopyToken) && n > 0:
			e := d.diag.Checks[d.selected].Email
			if e == nil {
				d.c.setFlash("y copies the email the doctor writes where the fix is someone else's; c copies this check's curl", false)
				return d, nil
			}
			return d, copyText(d.c.clipboard, "email", "To: "+e.To+"\nSubject: "+e.Subject+"\n\n"+e.Body)
		default:
			d.pane.update(msg, k, false)
		}
	}
	return d, nil
}

func (d doctorScreen) count() int {
	if d.diag == nil {
		return 0
	}
	return len(d.diag.Checks)
}

// firstTrouble is the first failed check, else the first warning, else the
// first check.
func (d doctorScreen) firstTrouble() int {
	for _, st := range []inspect.Status{inspect.StatusFail, inspect.StatusWarn} {
		for i, c := range d.diag.Checks {
			if c.Status == st {
				return i
			}
		}
	}
	return 0
}

// resize lays the screen out in width × height cells.
func (d *doctorScreen) resize(width, height int) {
	d.listWidth = min(max(width*2/5, 30), 56)
	d.height = height
	d.pane.setSize(max(width-d.listWidth-1, 10), max(height-2, 1))
	d.refresh()
}

// refresh renders the selected check into the pane.
func (d *doctorScreen) refresh() {
	if d.c == nil {
		return // never opened
	}
	s := d.c.styles
	switch {
	case d.running:
		d.pane.setContent(s.faint.Render("Checking the org, the apps, the resource AS and the resource — read-only probes …"), false)
	case d.count() == 0:
		d.pane.setContent(s.faint.Render("No checks ran."), false)
	default:
		c := d.diag.Checks[d.selected]
		d.pane.setContent(report.DoctorCheck(s.report, d.diag, c, report.DoctorOptions{Reveal: d.c.reveal, Width: d.pane.width}), false)
	}
}

// view renders the checklist beside the selected check.
func (d doctorScreen) view() string {
	s := d.c.styles
	height := d.pane.height + 2
	left := lipgloss.NewStyle().Width(d.listWidth).Height(height).MaxHeight(height).Render(d.checklist(height))
	sep := s.rule.Render(strings.TrimSuffix(strings.Repeat("│\n", height), "\n"))
	title := " Check"
	if n := d.count(); n > 0 {
		title = fmt.Sprintf(" Check %d of %d", d.selected+1, n)
	}
	if hint := d.pane.scrollHint(d.pane.width - lipgloss.Width(title) - 2); hint != "" {
		title += s.faint.Render("  " + hint)
	}
	right := s.bold.Render(title) + "\n" + s.rule.Render(strings.Repeat("─", d.pane.width)) + "\n" + d.pane.view()
	return lipgloss.JoinHorizontal(lipgloss.Top, left, sep, right)
}

// checklist renders the verdict and the checks by party, scrolled so the
// selected one shows.
func (d doctorScreen) checklist(height int) string {
	s := d.c.styles
	w := d.listWidth - 1
	head := []string{s.bold.Render(" Doctor")}
	switch {
	case d.running:
		head = append(head, " "+d.spin.View()+s.faint.Render(" running the checks …"))
	case d.diag != nil:
		head = append(head, truncateLine(" "+report.DoctorVerdict(s.report, d.diag), w))
		if !d.diag.SignedIn {
			head = append(head, s.faint.Render(truncateLine(" not signed in: run the login first", w)))
		}
	}
	if d.diag == nil {
		return strings.Join(head, "\n")
	}
	var rows []string
	at := 0
	for _, p := range doctor.Parties() {
		checks := d.diag.ByParty(p)
		if len(checks) == 0 {
			continue
		}
		rows = append(rows, s.bold.Render(truncateLine(" "+d.diag.PartyTitle(p), w)))
		for _, c := range checks {
			if c.ID == d.diag.Checks[d.selected].ID {
				at = len(rows)
			}
			rows = append(rows, d.row(c, c.ID == d.diag.Checks[d.selected].ID, w))
		}
	}
	room := max(height-len(head)-1, 1)
	top := min(max(at-room/2, 0), max(len(rows)-room, 0))
	rows = rows[top:min(top+room, len(rows))]
	return strings.Join(head, "\n") + "\n\n" + strings.Join(rows, "\n")
}

// row renders one check of the list; the selected one is marked with ▸
// as well as reversed, so it shows without colour too.
func (d doctorScreen) row(c doctor.Check, selected bool, w int) string {
	s := d.c.styles
	glyph := s.report.Glyph(c.Status)
	title := " " + c.Title
	if c.FromOrg {
		// The report's title suffix would be cut off in a narrow list:
		// the mark goes in front.
		title = " org· " + strings.TrimSuffix(c.Title, " (read from the org)")
	}
	text := truncateLine(title, max(w-2, 1))
	text += strings.Repeat(" ", max(w-2-lipgloss.Width(text), 0))
	if selected {
		return s.focused.Render("▸") + glyph + s.selected.Render(text)
	}
	return " " + glyph + text
}

// bindings are the doctor screen's keys, for the help bar.
func (d doctorScreen) bindings() bindingSet {
	k := d.c.keys
	rerun := key.NewBinding(key.WithKeys(k.Retry.Keys()...), key.WithHelp(k.Retry.Help().Key, "run again"))
	copyCurl := key.NewBinding(key.WithKeys(k.CopyCurl.Keys()...), key.WithHelp(k.CopyCurl.Help().Key, "copy the check's curl"))
	copyEmail := key.NewBinding(key.WithKeys(k.CopyToken.Keys()...), key.WithHelp(k.CopyToken.Help().Key, "copy the email to send"))
	return bindingSet{
		short: []key.Binding{k.UpDown, k.PageDown, rerun, k.Back, k.Help, k.Quit},
		full:  [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.ScrollLeft}, {rerun, copyCurl, copyEmail, k.Reveal, k.Back}, {k.Help, k.Quit, k.Interrupt}},
	}
}

// openDoctor switches to the doctor screen and runs the doctor on the
// flow's configuration, with the ID token of its login.
func (m Model) openDoctor() (tea.Model, tea.Cmd) {
	m.doctor = newDoctorScreen(m.c, m.flow.config(), m.flow.loginIDToken())
	m.screen = screenDoctor
	m.layout()
	return m, m.doctor.start()
}

// loginIDToken is the ID token of the flow screen's login, or "".
func (f flowScreen) loginIDToken() string {
	if st := f.session.Record(flow.StepLogin); st != nil {
		return st.Out.IDToken
	}
	return ""
}
