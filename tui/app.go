package tui

import (
	"context"
	"errors"
	"time"

	"github.com/xaatools/xaa/flow/config"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
)

// screen is what fills the body of the window.
type screen int

const (
	screenSetup screen = iota
	screenFlow
	screenDecoder
	screenDoctor
	screenConform
)

// Minimum usable size; smaller terminals get a message instead of a mess.
const (
	minWidth  = 60
	minHeight = 16
)

// Options configure the program. cmd/xaa fills them from flags, the
// environment and files; tests fill them by hand.
type Options struct {
	// Context bounds every request the program makes; cancelling it stops
	// running steps. Nil means context.Background.
	Context context.Context
	// Config is the configuration to walk. Nil opens the setup screen,
	// which offers the built-in playground.
	Config *config.Config
	// ConfigLooked lists where a configuration was looked for, shown by the
	// setup screen.
	ConfigLooked []string
	// SavePath is where the setup form writes a configuration
	// ($XDG_CONFIG_HOME/xaa/config.yaml).
	SavePath string
	// Getenv supplies secrets from the environment (XAA_IDP_CLIENT_SECRET,
	// XAA_AS_CLIENT_SECRET) when a config is made in the setup form.
	Getenv func(string) string
	// Env is how flows talk to the world (HTTP client, clock, randomness,
	// browser). Its Progress is replaced by the program's own.
	Env flow.Env
	// Now is the clock at start; a tick advances it every second.
	Now time.Time
	// Renderer draws the styles; nil renders to nowhere (plain text).
	Renderer *lipgloss.Renderer
	// Colour turns colours on; NO_COLOR and TERM=dumb turn them off.
	Colour bool
	// Light picks colours that read on a light background.
	Light bool
	// Clipboard copies text to the terminal's clipboard (OSC 52); nil
	// means copying is unavailable.
	Clipboard func(string) error
	// Playground configures the built-in playground started when there is
	// no config; its Listen defaults to free loopback ports.
	Playground playground.Options
	// PlaygroundUser is the demo user the playground's scripted browser
	// logs in as ("alice", for whom every step works, by default).
	PlaygroundUser string
	// Screen opens the program on a screen other than the default:
	// "decoder".
	Screen string
	// Token is put into the decoder when it opens.
	Token string
	// NoBrowser shows the login URL without opening a browser.
	NoBrowser bool
	// Kept keeps the IdP refresh token between runs when a config's
	// idp.subject is refresh_token (never for the built-in playground).
	Kept flow.RefreshTokens
}

// Model is the root of the program: it owns the screens, the size, the
// clock and the help bar, routes messages, and composes the window.
type Model struct {
	c        *shared
	opts     Options
	screen   screen
	back     screen // where esc from the decoder returns
	setup    setup
	decoder  decoder
	flow     flowScreen
	hasFlow  bool
	doctor   doctorScreen
	conform  conformScreen
	help     help.Model
	showHelp bool

	pg        *playground.Playground
	pgErr     error
	pgStarted bool
	wantPG    bool // the user chose the playground before it was ready
}

// New returns the program's model.
func New(o Options) Model {
	if o.Context == nil {
		o.Context = context.Background()
	}
	r := o.Renderer
	if r == nil {
		r = lipgloss.NewRenderer(nil)
		o.Colour = false
	}
	if o.PlaygroundUser == "" {
		o.PlaygroundUser = "alice"
	}
	if o.Now.IsZero() {
		o.Now = time.Now() // read once here: Update only ever sees ticks
	}
	c := &shared{
		ctx:       o.Context,
		styles:    newStyles(r, o.Colour, o.Light),
		keys:      defaultKeys(),
		env:       o.Env,
		kept:      o.Kept,
		noBrowser: o.NoBrowser,
		now:       o.Now,
		clipboard: o.Clipboard,
		width:     80,
		height:    24,
	}
	h := help.New()
	h.Styles = c.styles.help
	h.ShortSeparator = " · "
	m := Model{c: c, opts: o, help: h}
	m.setup = newSetup(c, o.ConfigLooked, o.SavePath)
	m.decoder = newDecoder(c)
	if o.Token != "" {
		m.decoder.setToken(o.Token)
	}
	switch {
	case o.Config != nil:
		m.flow = newFlowScreen(c, o.Config, flowSource(o.Config), nil)
		m.hasFlow = true
		m.screen = screenFlow
	default:
		m.screen = screenSetup
	}
	if o.Screen == "decoder" {
		m.back, m.screen = m.screen, screenDecoder
	}
	m.layout()
	return m
}

// flowSource names a config for the top bar.
func flowSource(cfg *config.Config) string {
	if cfg.Source != "" {
		return cfg.Source
	}
	return cfg.IdP.Issuer
}

// Init starts the clock and, when there is no config, the playground.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tick(), m.decoder.token.Focus()}
	if m.opts.Config == nil {
		cmds = append(cmds, startPlayground(m.opts.Context, m.opts.Playground))
	}
	return tea.Batch(cmds...)
}

// Update routes a message: the size, the clock and the keys first, then
// the results of commands to the screens that asked for them, the rest to
// the screen in front.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return m.resize(msg)
	case tickMsg:
		return m.tick(msg)
	case tea.KeyMsg:
		return m.key(msg)
	case playgroundMsg:
		return m.playgroundStarted(msg)
	case configSavedMsg:
		return m.configSaved(msg)
	case copiedMsg:
		m.c.copied(msg)
		return m, nil
	}
	return m.forward(msg)
}

// resize gives every screen its share of the new size.
func (m Model) resize(msg tea.WindowSizeMsg) (tea.Model, tea.Cmd) {
	if msg.Width <= 0 || msg.Height <= 0 {
		return m, nil // a pseudo-terminal without a size: keep 80×24
	}
	m.c.width, m.c.height = msg.Width, msg.Height
	m.help.Width = msg.Width
	m.layout()
	return m, m.flowRender()
}

// tick advances the clock, ends a flash message whose time is up, and
// redraws what is on screen and shows times (a countdown).
func (m Model) tick(msg tickMsg) (tea.Model, tea.Cmd) {
	m.c.now = time.Time(msg)
	if !m.c.flashUntil.IsZero() && !m.c.now.Before(m.c.flashUntil) {
		m.c.flash, m.c.flashUntil = "", time.Time{}
	}
	switch {
	case m.screen == screenDecoder && len(m.decoder.tokens) > 0:
		m.decoder.refresh()
	case m.screen == screenFlow && m.hasFlow && m.flow.showsTime():
		m.flow.refresh()
	}
	return m, tea.Batch(tick(), m.flowRender())
}

// key handles the keys that work everywhere, then hands the key to the
// screen in front.
func (m Model) key(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.c.keys
	typing := m.typing()
	switch {
	case key.Matches(msg, k.Interrupt):
		return m, tea.Interrupt
	case m.showHelp && (key.Matches(msg, k.Help) || key.Matches(msg, k.Back) || key.Matches(msg, k.Quit)):
		m.showHelp = false
		return m, nil
	case m.showHelp:
		return m, nil
	case !typing && key.Matches(msg, k.Quit):
		return m, tea.Quit
	case !typing && key.Matches(msg, k.Help):
		m.showHelp = true
		return m, nil
	case m.screen == screenDecoder && key.Matches(msg, k.Back):
		m.screen = m.back
		return m, nil
	case m.screen == screenDoctor && key.Matches(msg, k.Back):
		m.screen = screenFlow
		return m, nil
	case !typing && m.hasFlow && m.screen == screenFlow && key.Matches(msg, k.Doctor):
		return m.openDoctor()
	case m.screen == screenConform && !m.conform.board().stoppable() && key.Matches(msg, k.Back):
		m.screen = screenFlow
		return m, nil
	case !typing && m.hasFlow && m.screen == screenFlow && key.Matches(msg, k.Conform):
		return m.openConform()
	case !typing && m.screen != screenDecoder && key.Matches(msg, k.Decoder):
		m.back, m.screen = m.screen, screenDecoder
		m.decoder.refresh()
		return m, m.decoder.setFocus(m.decoder.focus)
	case !typing && key.Matches(msg, k.Mouse):
		// The terminal keeps the mouse unless asked: selecting text with it
		// copies what is on screen; m lends it to xaa for the wheel.
		if m.c.mouse = !m.c.mouse; m.c.mouse {
			m.c.setFlash("the wheel scrolls; m gives the mouse back to the terminal to select text", false)
			return m, tea.EnableMouseCellMotion
		}
		m.c.setFlash("the mouse selects text again; m makes the wheel scroll", false)
		return m, tea.DisableMouse
	case !typing && key.Matches(msg, k.Reveal):
		m.c.reveal = !m.c.reveal
		m.decoder.refresh()
		m.doctor.refresh()
		m.conform.refresh()
		if m.hasFlow {
			m.flow.refresh()
		}
		if m.c.reveal {
			m.c.setFlash("tokens revealed in full — client secrets stay hidden", false)
		} else {
			m.c.setFlash("tokens shortened", false)
		}
		return m, m.flowRender()
	}
	return m.forward(msg)
}

// typing says whether the screen in front has a text field focused, so that
// letter keys are text and not commands.
func (m Model) typing() bool {
	switch m.screen {
	case screenDecoder:
		return m.decoder.inputFocused()
	case screenSetup:
		return m.setup.inputFocused()
	case screenFlow:
		return m.flow.inputFocused()
	}
	return false
}

// forward hands the result of a command to the screen that asked for it
// (flow results to the flow screen wherever it is), anything else to the
// screen in front.
func (m Model) forward(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg.(type) {
	case keysLoadedMsg:
		m.decoder, cmd = m.decoder.update(msg)
		return m, cmd
	case doctorDoneMsg:
		m.doctor, cmd = m.doctor.update(msg)
		return m, cmd
	case conformReadyMsg, conformCaseMsg:
		m.conform, cmd = m.conform.update(msg)
		return m, cmd
	}
	if m.hasFlow && isFlowMsg(msg) {
		m.flow, cmd = m.flow.update(msg)
		return m, cmd
	}
	switch m.screen {
	case screenDecoder:
		m.decoder, cmd = m.decoder.update(msg)
	case screenSetup:
		var intent setupIntent
		m.setup, cmd, intent = m.setup.update(msg, m.opts.Getenv)
		return m.setupIntent(intent, cmd)
	case screenFlow:
		if m.hasFlow {
			m.flow, cmd = m.flow.update(msg)
		}
	case screenDoctor:
		m.doctor, cmd = m.doctor.update(msg)
	case screenConform:
		m.conform, cmd = m.conform.update(msg)
	}
	return m, cmd
}

// flowRender starts rendering a large view of the flow screen, if one is
// wanted after a resize or a switch.
func (m *Model) flowRender() tea.Cmd {
	if !m.hasFlow {
		return nil
	}
	return m.flow.takeRender()
}

// Playground returns the playground the program started, or nil, so the
// caller can close it after the program ends.
func (m Model) Playground() *playground.Playground { return m.pg }

// bodyHeight is the height between the top bar and the help bar.
func (m Model) bodyHeight() int { return max(m.c.height-2, 1) }

// layout gives every screen its size.
func (m *Model) layout() {
	w, h := m.c.width, m.bodyHeight()
	m.decoder.resize(w, h)
	m.doctor.resize(w, h)
	m.conform.resize(w, h)
	if m.hasFlow {
		m.flow.resize(w, h)
	}
}

// Run runs the program on the terminal until the user quits. It returns
// tea.ErrInterrupted when the user pressed ctrl+c (exit status 130), and
// closes the playground it started.
func Run(o Options, extra ...tea.ProgramOption) error {
	opts := append([]tea.ProgramOption{tea.WithAltScreen()}, extra...)
	if o.Context != nil {
		opts = append(opts, tea.WithContext(o.Context))
	}
	final, err := tea.NewProgram(New(o), opts...).Run()
	if fm, ok := final.(Model); ok {
		fm.conform.close()
	}
	if fm, ok := final.(Model); ok && fm.pg != nil {
		_ = fm.pg.Close()
	}
	if errors.Is(err, tea.ErrProgramKilled) && o.Context != nil && o.Context.Err() != nil {
		return tea.ErrInterrupted
	}
	return err
}
