package tui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/tui/report"
)

// Focus targets of the decoder.
const (
	decoderFocusToken = iota
	decoderFocusKeys
	decoderFocusReport
)

// decoder is the paste-a-token screen. It decodes on every change (inspect
// is pure and fast), and verifies on request with keys found by a command.
type decoder struct {
	c         *shared
	token     textinput.Model
	keysInput textinput.Model
	focus     int
	spin      spinner.Model

	raw      string // the input last decoded
	tokens   []*inspect.Token
	inputErr error
	selected int

	// pinned are the keys from the Keys field: they verify every token.
	// discovered are keys found through each token's own iss, by issuer:
	// a second paste from another issuer never reuses the first's keys, and
	// they prove a token self-consistent only.
	pinned     *decoderKeys
	discovered map[string]decoderKeys
	keyErr     error
	loading    bool
	seq        int

	pane pane
}

func newDecoder(c *shared) decoder {
	d := decoder{c: c, pane: newPane(), spin: newSpinner(c)}
	d.token = newInput(c, "Paste a token, \"Bearer …\", a token response or a form body")
	d.token.CharLimit = inspect.MaxInputBytes
	d.keysInput = newInput(c, "enter: discover keys from iss · or a JWKS URL, a key file, JWKS JSON")
	d.keysInput.CharLimit = 1 << 16
	d.token.Focus()
	return d
}

// newInput returns a one-line text field styled by the program's styles (the
// component's defaults would ask the terminal for its background).
func newInput(c *shared, placeholder string) textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.PlaceholderStyle = c.styles.faint
	in.TextStyle = lipgloss.Style{}
	in.Cursor.Style = c.styles.selected
	in.Cursor.SetMode(0) // blink: the cursor's own commands keep it alive
	in.KeyMap.Paste.SetEnabled(false)
	return in
}

// newSpinner returns the program's spinner: the braille dots, one cell wide
// (bubbles' frames carry a trailing space), in the spinner style.
func newSpinner(c *shared) spinner.Model {
	frames := make([]string, len(spinner.Dot.Frames))
	for i, f := range spinner.Dot.Frames {
		frames[i] = strings.TrimSpace(f)
	}
	return spinner.New(spinner.WithSpinner(spinner.Spinner{Frames: frames, FPS: spinner.Dot.FPS}), spinner.WithStyle(c.styles.spinner))
}

// setToken puts text into the token field and decodes it.
func (d *decoder) setToken(s string) {
	d.token.SetValue(s)
	d.decode()
	d.pane.setContent(d.content(d.pane.width), false)
}

// decoderKeys are keys the decoder loaded, and where from.
type decoderKeys struct {
	keys   *inspect.KeySet
	source string
}

// decode decodes the token field when it changed, and says whether it did.
func (d *decoder) decode() bool {
	raw := d.token.Value()
	if raw == d.raw {
		return false
	}
	d.raw = raw
	d.selected = 0
	d.tokens, d.inputErr = nil, nil
	if strings.TrimSpace(raw) != "" {
		d.tokens, d.inputErr = inspect.DecodeAll(raw)
	}
	if errors.Is(d.inputErr, inspect.ErrKeySet) {
		d.inputErr = fmt.Errorf("%w — paste it into the Keys field (tab) instead", d.inputErr)
	}
	return true
}

// analysis verifies and checks a decoded token with the keys for it: the
// pinned ones, else those discovered from its own iss (self-consistency
// only), else none yet.
func (d decoder) analysis(i int) inspect.Analysis {
	o := inspect.Options{Expect: inspect.Expect{Now: d.c.now}}
	iss := issuerOf(d.tokens[i])
	switch k, found := d.discovered[iss]; {
	case d.pinned != nil:
		o.Keys, o.KeySource = d.pinned.keys, d.pinned.source
	case found:
		o.Keys, o.KeySource, o.KeysSelfAsserted = k.keys, k.source, true
	case iss != "":
		o.KeyProblem = "no keys yet: enter discovers the keys of " + iss + ", or give keys in the Keys field"
	default:
		o.KeyProblem = "no keys yet, and no iss to discover them from: give keys in the Keys field"
	}
	return inspect.Analyze(d.tokens[i], o)
}

func issuerOf(t *inspect.Token) string {
	iss, _ := t.Claims.String("iss")
	return iss
}

// issuer returns the iss of the selected token, for key discovery.
func (d decoder) issuer() string {
	if len(d.tokens) == 0 {
		return ""
	}
	return issuerOf(d.tokens[d.selected])
}

func (d decoder) update(msg tea.Msg) (decoder, tea.Cmd) {
	k := d.c.keys
	switch msg := msg.(type) {
	case keysLoadedMsg:
		if msg.seq != d.seq {
			return d, nil
		}
		d.loading = false
		d.keyErr = msg.err
		switch {
		case msg.err != nil:
		case msg.issuer != "":
			if d.discovered == nil {
				d.discovered = map[string]decoderKeys{}
			}
			d.discovered[msg.issuer] = decoderKeys{msg.keys, msg.source}
		default:
			d.pinned = &decoderKeys{msg.keys, msg.source}
		}
		d.refresh()
		return d, nil
	case spinner.TickMsg:
		if !d.loading {
			return d, nil
		}
		var cmd tea.Cmd
		d.spin, cmd = d.spin.Update(msg)
		return d, cmd
	case tea.MouseMsg:
		d.pane.update(msg, k, false)
		return d, nil
	case tea.KeyMsg:
		switch {
		case msg.Type == tea.KeyTab:
			return d, d.setFocus((d.focus + 1) % 3)
		case msg.Type == tea.KeyShiftTab:
			return d, d.setFocus((d.focus + 2) % 3)
		case msg.Type == tea.KeyEnter && d.focus != decoderFocusReport:
			return d.verify()
		case d.focus == decoderFocusReport && key.Matches(msg, k.NextToken):
			if len(d.tokens) > 0 {
				d.selected = (d.selected + 1) % len(d.tokens)
				d.pane.setContent(d.content(d.pane.width), false)
			}
			return d, nil
		case d.focus == decoderFocusReport && key.Matches(msg, k.CopyToken):
			if len(d.tokens) == 0 {
				return d, nil
			}
			t := d.tokens[d.selected]
			return d, copyText(d.c.clipboard, t.Kind.Title(), t.Raw)
		case d.focus == decoderFocusReport:
			d.pane.update(msg, k, true)
			return d, nil
		}
		var cmd tea.Cmd
		if d.focus == decoderFocusToken {
			d.token, cmd = d.token.Update(msg)
			if d.decode() {
				d.pane.setContent(d.content(d.pane.width), false)
			}
		} else {
			d.keysInput, cmd = d.keysInput.Update(msg)
		}
		return d, cmd
	}
	return d, nil
}

// setFocus moves the focus and returns the cursor's command.
func (d *decoder) setFocus(f int) tea.Cmd {
	d.focus = f
	d.token.Blur()
	d.keysInput.Blur()
	switch f {
	case decoderFocusToken:
		return d.token.Focus()
	case decoderFocusKeys:
		return d.keysInput.Focus()
	}
	return nil
}

// verify starts finding keys for the token.
func (d decoder) verify() (decoder, tea.Cmd) {
	spec := strings.TrimSpace(d.keysInput.Value())
	if spec == "" && len(d.tokens) == 0 {
		d.keyErr = errors.New("paste a token first")
		return d, nil
	}
	if spec == "" {
		d.pinned = nil // an emptied Keys field discovers again
	}
	d.seq++
	d.loading = true
	d.keyErr = nil
	return d, tea.Batch(loadKeys(d.c.ctx, d.c.env, d.seq, spec, d.issuer()), d.spin.Tick)
}

// inputFocused says whether typing goes into a field, so that letter keys
// must not act as commands.
func (d decoder) inputFocused() bool { return d.focus != decoderFocusReport }

// statusLine says what the decoder is doing or found, in one line.
func (d decoder) statusLine() string {
	s := d.c.styles
	switch {
	case d.loading:
		what := "discovering keys from " + report.Safe(d.issuer())
		if v := strings.TrimSpace(d.keysInput.Value()); v != "" {
			what = "loading keys from " + report.Safe(v)
		}
		return d.spin.View() + " " + what + " …"
	case d.keyErr != nil:
		return s.report.Fail.Render(report.GlyphOf(inspect.StatusFail) + " keys: " + report.Safe(d.keyErr.Error()))
	case d.inputErr != nil:
		return s.report.Fail.Render(report.GlyphOf(inspect.StatusFail) + " " + report.Safe(d.inputErr.Error()))
	}
	var parts []string
	if len(d.tokens) > 1 {
		next := "t: next"
		if d.focus != decoderFocusReport {
			next = "tab to the report, then t: next"
		}
		parts = append(parts, fmt.Sprintf("token %d of %d (%s) · %s", d.selected+1, len(d.tokens), report.Safe(orField(d.tokens[d.selected].Name)), next))
	}
	k, found := d.discovered[d.issuer()]
	switch {
	case d.pinned != nil:
		parts = append(parts, report.Safe("keys: "+d.pinned.keys.Summary()+" from "+d.pinned.source))
	case found:
		parts = append(parts, report.Safe("keys of "+d.issuer()+" (the token's own iss: self-consistency only): "+k.keys.Summary()))
	case len(d.tokens) > 0:
		parts = append(parts, "no keys yet: enter verifies (empty Keys field = discover from iss)")
	}
	return s.faint.Render(strings.Join(parts, " · "))
}

func orField(name string) string {
	if name == "" {
		return "pasted"
	}
	return name
}

// decoderHeaderLines is how many lines sit above the report pane.
const decoderHeaderLines = 4

// resize lays the decoder out in width × height cells.
func (d *decoder) resize(width, height int) {
	const labelWidth = 7
	d.token.Width = max(width-labelWidth-1, 1)
	d.keysInput.Width = max(width-labelWidth-1, 1)
	d.pane.setSize(width, max(height-decoderHeaderLines, 1))
	d.refresh()
}

// refresh re-renders the report after the state or the clock changed.
func (d *decoder) refresh() { d.pane.setContent(d.content(d.pane.width), true) }

// view renders the decoder; resize set its size.
func (d decoder) view() string {
	s := d.c.styles
	width := d.pane.width
	label := func(text string, focused bool) string {
		if focused {
			return s.focused.Render(text)
		}
		return s.faint.Render(text)
	}
	lines := []string{
		label("Token  ", d.focus == decoderFocusToken) + d.token.View(),
		label("Keys   ", d.focus == decoderFocusKeys) + d.keysInput.View(),
		truncateLine(d.statusLine(), width),
		s.rule.Render(strings.Repeat("─", width)),
	}
	return strings.Join(lines, "\n") + "\n" + d.pane.view()
}

// content is the report of the selected token, or guidance when there is none.
func (d decoder) content(width int) string {
	s := d.c.styles
	if len(d.tokens) == 0 {
		if d.inputErr != nil {
			return s.report.Fail.Render(report.Safe(d.inputErr.Error()))
		}
		return s.faint.Render(strings.Join([]string{
			"Paste a token into the Token field with your terminal's paste (ctrl+shift+v, cmd+v). It decodes as you type: an ID token, an ID-JAG, an access token, \"Bearer …\", a whole token response or a form body.",
			"To verify the signature press enter: the keys are discovered from the token's iss. Or type a JWKS URL, a key file (JWKS, JWK or PEM) or JWKS JSON into the Keys field first.",
			"tab moves between the fields and the report; in the report t shows the next token, y copies it and the arrows scroll.",
		}, "\n\n"))
	}
	return renderToken(s, d.analysis(d.selected), d.c.now, d.c.reveal, width)
}

// truncateLine cuts a line to width cells.
func truncateLine(s string, width int) string {
	if lipgloss.Width(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}
