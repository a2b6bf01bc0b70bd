package tui

import (
	"errors"
	"strings"

	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/tui/report"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/xaatools/xaa/inspect"
)

// The choices of the setup screen, in the order shown.
const (
	setupPlayground = iota
	setupOkta
	setupDecoder
)

// setupIntent is what the setup screen asks the root model to do.
type setupIntent int

const (
	intentNone setupIntent = iota
	intentPlayground
	intentDecoder
	intentSave // the form is valid: save it and walk it
)

// defaultRedirectURI is offered in the Okta form; the playground registers
// the same one.
const defaultRedirectURI = "http://127.0.0.1:8976/callback"

// setup is the first screen when no configuration was found: walk the
// built-in playground (the default, one key), fill in an Okta org, or open
// the decoder.
type setup struct {
	c *shared
	// looked lists where a config was looked for, to say so.
	looked   []string
	savePath string
	choice   int
	editing  bool // the Okta form is open
	form     form
	saving   bool
	saveErr  error
	// others are problems Validate found that no field of the form owns.
	others []string
}

func newSetup(c *shared, looked []string, savePath string) setup {
	return setup{c: c, looked: looked, savePath: savePath}
}

// oktaForm returns the form for an Okta org as the IdP.
func oktaForm(c *shared) form {
	const idp, as, res = "Okta org (the IdP: login and token exchange)", "Resource authorization server (redeems the ID-JAG)", "Resource"
	return newForm(c, []field{
		textField(c, "idp.issuer", idp, "Org URL", "", "e.g. https://dev-123456.okta.com",
			"the org authorization server, https://{yourOktaDomain} — not …/oauth2/default: only the org AS issues ID-JAGs"),
		textField(c, "idp.client_id", idp, "Client ID", "", "e.g. 0oa1b2c3d4e5f6g7h8i9",
			"Admin Console → Applications → your requesting app (or AI agent) → General → Client ID"),
		secretField(c, "idp.client_secret", idp, "Client secret",
			"", "same screen, Client secrets; stored in the config file (mode 0600), or leave empty and set XAA_IDP_CLIENT_SECRET"),
		textField(c, "idp.redirect_uri", idp, "Redirect URI", defaultRedirectURI, "",
			"register it byte for byte under Sign-in redirect URIs; xaa listens on it for the login callback"),
		choiceField(c, "idp.subject", idp, "Exchange", []string{config.SubjectIDToken, config.SubjectRefreshToken}, config.SubjectIDToken,
			"←/→ what the token exchange sends: the ID token, or the refresh token of a login with offline_access, kept between runs (needs the Refresh Token grant)"),
		textField(c, "resource_as.issuer", as, "Issuer", "", "e.g. https://auth.example.com",
			"the issuer in the resource AS metadata, verbatim: the IdP writes it into the ID-JAG's aud"),
		textField(c, "resource_as.client_id", as, "Client ID", "", "",
			"your client at the resource AS (often {client}-at-{resource}); not the Okta client id"),
		secretField(c, "resource_as.client_secret", as, "Client secret",
			"", "stored in the config file (mode 0600), or leave empty and set XAA_AS_CLIENT_SECRET"),
		textField(c, "resource.url", res, "Resource URL", "", "e.g. https://api.example.com/todos",
			"a REST URL to GET with the access token, or an MCP endpoint (…/mcp); optional"),
	})
}

// config builds a Config from the form.
func (s setup) config() *config.Config {
	v := s.form.values()
	cfg := &config.Config{Source: s.savePath}
	cfg.IdP.Issuer = v["idp.issuer"]
	cfg.IdP.ClientID = v["idp.client_id"]
	cfg.IdP.ClientSecret = config.Secret(v["idp.client_secret"])
	cfg.IdP.RedirectURI = v["idp.redirect_uri"]
	if v["idp.subject"] == config.SubjectRefreshToken {
		cfg.IdP.Subject = config.SubjectRefreshToken
	}
	cfg.ResourceAS.Issuer = v["resource_as.issuer"]
	cfg.ResourceAS.ClientID = v["resource_as.client_id"]
	cfg.ResourceAS.ClientSecret = config.Secret(v["resource_as.client_secret"])
	if u := v["resource.url"]; strings.HasSuffix(strings.TrimRight(u, "/"), "/mcp") {
		cfg.Resource.MCPURL = u
	} else {
		cfg.Resource.APIURL = u
	}
	return cfg
}

// validate runs flow's validation over the form and puts each problem next
// to its field.
func (s *setup) validate(getenv func(string) string) {
	cfg := s.config()
	if getenv != nil {
		cfg.ApplyEnv(getenv)
	}
	problems := map[string]string{}
	s.others = nil
	var ce *config.Error
	if err := cfg.Validate(); errors.As(err, &ce) {
		for _, p := range ce.Problems {
			k := p.Key
			if strings.HasPrefix(k, "resource.") {
				k = "resource.url"
			}
			if s.hasField(k) {
				if problems[k] == "" {
					problems[k] = p.Message
				}
			} else {
				s.others = append(s.others, p.String())
			}
		}
	}
	s.form.setErrors(problems)
	warnings := map[string]string{}
	for _, w := range cfg.Warnings() {
		if s.hasField(w.Key) && warnings[w.Key] == "" {
			warnings[w.Key] = w.Message
		}
	}
	s.form.setWarnings(warnings)
}

func (s setup) hasField(k string) bool {
	for _, f := range s.form.fields {
		if f.key == k {
			return true
		}
	}
	return false
}

// update handles the setup screen's keys and returns what the root should do.
func (s setup) update(msg tea.Msg, getenv func(string) string) (setup, tea.Cmd, setupIntent) {
	k := s.c.keys
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return s, nil, intentNone
	}
	if s.editing {
		if key.Matches(km, k.Back) {
			s.editing = false
			return s, nil, intentNone
		}
		var cmd tea.Cmd
		var submit bool
		s.form, cmd, submit = s.form.update(km)
		s.validate(getenv)
		if submit && s.form.valid() && len(s.others) == 0 && !s.saving {
			s.saving = true
			s.saveErr = nil
			return s, cmd, intentSave
		}
		return s, cmd, intentNone
	}
	switch {
	case key.Matches(km, k.Up):
		s.choice = (s.choice + 2) % 3
	case key.Matches(km, k.Down):
		s.choice = (s.choice + 1) % 3
	case key.Matches(km, k.Select):
		switch s.choice {
		case setupPlayground:
			return s, nil, intentPlayground
		case setupOkta:
			s.editing = true
			s.form = oktaForm(s.c)
			s.validate(getenv)
			return s, s.form.fields[0].input.Focus(), intentNone
		case setupDecoder:
			return s, nil, intentDecoder
		}
	case km.String() == "p":
		return s, nil, intentPlayground
	case km.String() == "o":
		s.choice = setupOkta
		s.editing = true
		s.form = oktaForm(s.c)
		s.validate(getenv)
		return s, s.form.fields[0].input.Focus(), intentNone
	}
	return s, nil, intentNone
}

// inputFocused says whether typed letters go into a field.
func (s setup) inputFocused() bool { return s.editing }

// bindings are the setup screen's keys, for the help bar.
func (s setup) bindings() bindingSet {
	k := s.c.keys
	if s.editing {
		save := key.NewBinding(key.WithKeys(k.Submit.Keys()...), key.WithHelp(k.Submit.Help().Key, "save (enter on the last field too)"))
		return bindingSet{
			short: []key.Binding{k.NextField, k.PrevField, save, k.Back, k.Interrupt},
			full:  [][]key.Binding{{k.NextField, k.PrevField, save}, {k.Back, k.Interrupt}},
		}
	}
	return bindingSet{
		short: []key.Binding{k.Up, k.Down, k.Select, k.Decoder, k.Help, k.Quit},
		full:  [][]key.Binding{{k.Up, k.Down, k.Select}, {k.Decoder, k.Help, k.Quit, k.Interrupt}},
	}
}

// view renders the setup screen; playground says how the built-in
// playground is doing ("starting…", "ready", or why it failed).
func (s setup) view(width int, playground string) string {
	st := s.c.styles
	var b strings.Builder
	if s.editing {
		b.WriteString(st.bold.Render("Set up an Okta org") + st.faint.Render("  → saved to "+s.savePath+" (mode 0600)") + "\n\n")
		b.WriteString(s.form.view(width))
		for _, o := range s.others {
			b.WriteString(wrapIndented(st.report.Fail.Render(report.GlyphOf(inspect.StatusFail)+" "+o), "", width))
		}
		b.WriteString("\n")
		switch {
		case s.saving:
			b.WriteString(st.faint.Render("saving …"))
		case s.saveErr != nil:
			b.WriteString(wrapIndented(st.report.Fail.Render(report.GlyphOf(inspect.StatusFail)+" "+report.Safe(s.saveErr.Error())), "", width))
		case s.form.valid() && len(s.others) == 0:
			b.WriteString(st.report.Pass.Render(report.GlyphOf(inspect.StatusPass)+" ready") + st.faint.Render(" — enter on the last field or ctrl+s saves and starts the flow"))
		default:
			b.WriteString(st.faint.Render("fill in the fields; problems show as you leave each one"))
		}
		return b.String()
	}
	b.WriteString(st.bold.Render("Welcome to xaa") + st.faint.Render(" — a flow inspector and debugger for Cross App Access (ID-JAG)") + "\n\n")
	if len(s.looked) > 0 {
		b.WriteString(wrapIndented(st.faint.Render("No configuration found (looked for "+strings.Join(s.looked, ", ")+")."), "", width))
		b.WriteString("\n")
	}
	items := []struct{ title, desc string }{
		{"Walk through the built-in playground", "an IdP, a resource AS and an API on 127.0.0.1 — works offline, nothing to set up"},
		{"Set up my Okta org", "a short form, saved to " + s.savePath},
		{"Decode a token", "paste a JWT or a whole token response and verify it"},
	}
	for i, it := range items {
		marker, title := "  ", it.title
		if i == s.choice {
			marker, title = st.focused.Render("▸ "), st.selected.Render(" "+title+" ")
		} else {
			title = " " + title + " "
		}
		b.WriteString(marker + title + "\n")
		b.WriteString(wrapIndented(st.faint.Render(it.desc), "    ", width))
	}
	b.WriteString("\n")
	b.WriteString(wrapIndented(st.faint.Render("Playground: ")+playground, "", width))
	return b.String()
}

// setupIntent carries out what the setup screen asked for.
func (m Model) setupIntent(intent setupIntent, cmd tea.Cmd) (tea.Model, tea.Cmd) {
	switch intent {
	case intentPlayground:
		if m.pg == nil {
			m.wantPG = true
			if m.pgErr != nil {
				// Try again: the error may have been a port in use.
				m.pgErr = nil
				return m, tea.Batch(cmd, startPlayground(m.opts.Context, m.opts.Playground))
			}
			return m, cmd
		}
		return m.openPlayground(cmd)
	case intentDecoder:
		m.back, m.screen = screenSetup, screenDecoder
		return m, tea.Batch(cmd, m.decoder.setFocus(m.decoder.focus))
	case intentSave:
		return m, tea.Batch(cmd, saveConfig(m.opts.SavePath, m.setup.config()))
	}
	return m, cmd
}

// playgroundStarted records the playground; when the user already chose it,
// the flow opens on it.
func (m Model) playgroundStarted(msg playgroundMsg) (tea.Model, tea.Cmd) {
	m.pgStarted = true
	if msg.err != nil {
		m.pgErr = msg.err
		m.wantPG = false
		return m, nil
	}
	m.pg = msg.pg
	if m.wantPG {
		return m.openPlayground(nil)
	}
	return m, nil
}

// openPlayground switches to the flow screen on the playground.
func (m Model) openPlayground(cmd tea.Cmd) (tea.Model, tea.Cmd) {
	m.wantPG = false
	m.flow = newFlowScreen(m.c, m.pg.Config(), "built-in playground", m.pg)
	m.flow.user = m.opts.PlaygroundUser
	m.hasFlow = true
	m.screen = screenFlow
	m.layout()
	return m, cmd
}

// configSaved opens the flow on the config the setup form saved.
func (m Model) configSaved(msg configSavedMsg) (tea.Model, tea.Cmd) {
	m.setup.saving = false
	if msg.err != nil {
		m.setup.saveErr = msg.err
		return m, nil
	}
	m.flow = newFlowScreen(m.c, msg.cfg, msg.path, nil)
	m.hasFlow = true
	m.screen = screenFlow
	m.c.setFlash("saved "+msg.path+" (mode 0600)", false)
	m.layout()
	return m, nil
}

// playgroundStatus says how the playground start went.
func (m Model) playgroundStatus() string {
	s := m.c.styles
	switch {
	case m.pgErr != nil:
		return s.report.Fail.Render(report.GlyphOf(inspect.StatusFail)+" could not start: "+report.Safe(m.pgErr.Error())) + s.faint.Render(" — enter retries")
	case m.pg != nil:
		return s.report.Pass.Render(report.GlyphOf(inspect.StatusPass)+" ready") + s.faint.Render(" — IdP "+m.pg.IdPURL()+", resource AS "+m.pg.ASURL()+", API "+m.pg.ResourceURL())
	case m.wantPG:
		return s.faint.Render("starting … the flow opens when it is up")
	}
	return s.faint.Render("starting on loopback …")
}
