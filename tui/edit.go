package tui

import (
	"net/url"
	"sort"
	"strings"

	"github.com/xaatools/xaa/flow/config"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/tui/report"
)

// authField is the edit form's field for the client authentication method.
const authField = "client auth"

// asConfigured is the client-auth choice that keeps the config's method.
const asConfigured = "as configured"

// editParams are the inputs the edit form offers per step: the parameters
// people change when a step is refused (draft §4.3, §4.4; protocol
// reference §8), plus the client authentication method.
var editParams = map[flow.StepID][]string{
	flow.StepLogin:         {"scope", "prompt", "login_hint"},
	flow.StepTokenExchange: {"audience", "resource", "scope", "subject_token_type", authField},
	flow.StepJWTBearer:     {"scope", "resource", authField},
}

// editHints say what each parameter is for.
var editHints = map[string]string{
	"audience":           "the resource AS issuer, byte for byte: the IdP writes it into the ID-JAG's aud (draft §4.3); empty removes the parameter",
	"resource":           "the RFC 8707 resource indicator: the API or MCP server the access token is for; empty removes it",
	"scope":              "space-separated scopes; at the resource AS they must be within the ID-JAG's; empty removes the parameter",
	"subject_token_type": "urn:ietf:params:oauth:token-type:id_token for an ID token, …:refresh_token for an IdP refresh token (RFC 8693 §3)",
	"prompt":             "login forces a fresh login (how to satisfy a step-up demand)",
	"login_hint":         "the user to pre-fill on the IdP's login page",
	authField:            "←/→ chooses how the client authenticates at the token endpoint (RFC 6749 §2.3, RFC 7523 §2.2)",
}

// authMethods are the client authentication methods offered.
var authChoices = []string{asConfigured, config.AuthClientSecretBasic, config.AuthClientSecretPost, config.AuthPrivateKeyJWT, config.AuthNone}

// openEdit opens the edit form for the selected step, filled with what the
// step sent last (or will send).
func (f flowScreen) openEdit() (flowScreen, tea.Cmd) {
	if f.selected >= stepCount {
		return f, nil
	}
	id := flow.StepID(f.selected)
	params := editParams[id]
	if len(params) == 0 {
		f.c.setFlash(shortTitle(id)+" has no inputs to edit: its requests follow from the config and the metadata", false)
		return f, nil
	}
	if f.running >= 0 {
		f.c.setFlash("a step is running: wait for it first", true)
		return f, nil
	}
	sent := f.sentParams(f.selected)
	var fields []field
	for _, p := range params {
		if p == authField {
			fields = append(fields, choiceField(f.c, authField, "Inputs of "+shortTitle(id), "client auth", authChoices, orText(f.authMethods[f.selected], asConfigured), editHints[p]))
			continue
		}
		fields = append(fields, textField(f.c, p, "Inputs of "+shortTitle(id), p, sent[p], "", editHints[p]))
	}
	f.edit = newForm(f.c, fields)
	f.editing = true
	f.show(false)
	return f, f.edit.fields[0].input.Focus()
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// sentParams returns the parameters step i sent the last time it ran, with
// the current overrides on top. A step that has not run starts from its
// overrides only.
func (f flowScreen) sentParams(i int) map[string]string {
	out := map[string]string{}
	if st := f.steps[i]; st != nil {
		for _, x := range st.Exchanges {
			if x.Request.Method != "POST" && !strings.Contains(x.Request.URL, "?") {
				continue
			}
			var vals url.Values
			if x.Request.Method == "POST" {
				vals, _ = url.ParseQuery(string(x.Request.Body))
			} else if u, err := url.Parse(x.Request.URL); err == nil {
				vals = u.Query()
			}
			for _, p := range editParams[flow.StepID(i)] {
				if v := vals.Get(p); v != "" {
					out[p] = v
				}
			}
		}
	}
	for k, v := range f.configParams(flow.StepID(i)) {
		if _, ok := out[k]; !ok {
			out[k] = v
		}
	}
	for k, v := range f.overrides[i] {
		out[k] = v
	}
	return out
}

// configParams are the parameters the config implies for a step, used until
// the step has run and its real request can be read back.
func (f flowScreen) configParams(id flow.StepID) map[string]string {
	c := f.cfg
	out := map[string]string{}
	set := func(k, v string) {
		if v != "" {
			out[k] = v
		}
	}
	switch id {
	case flow.StepLogin:
		set("scope", c.IdP.Scopes.String())
	case flow.StepTokenExchange:
		set("audience", c.ResourceAS.Issuer)
		set("resource", c.Resource.ID)
		set("scope", c.ResourceAS.Scopes.String())
		set("subject_token_type", inspect.TokenTypeIDToken)
	case flow.StepJWTBearer:
		set("scope", c.ResourceAS.Scopes.String())
	}
	return out
}

// editKey handles keys while the edit form is open; enter on the last field
// resends the step with the changed inputs.
func (f flowScreen) editKey(msg tea.KeyMsg) (flowScreen, tea.Cmd) {
	if key.Matches(msg, f.c.keys.Back) {
		f.editing = false
		f.show(false)
		return f, nil
	}
	var cmd tea.Cmd
	var submit bool
	f.edit, cmd, submit = f.edit.update(msg)
	if !submit {
		f.show(true)
		return f, cmd
	}
	i := f.selected
	sent := f.sentParams(i)
	o := flow.Overrides{}
	for k, v := range f.overrides[i] {
		o[k] = v
	}
	for k, v := range f.edit.values() {
		if k == authField {
			if v == asConfigured {
				v = ""
			}
			f.authMethods[i] = v
			continue
		}
		if v != sent[k] || f.overrides[i][k] != "" {
			o[k] = v
		}
	}
	if len(o) == 0 {
		o = nil
	}
	f.overrides[i] = o
	f.editing = false
	return f.start(i, f.steps[i] != nil)
}

// editView is the pane while the edit form is open.
func (f flowScreen) editView(width int) string {
	s := f.c.styles
	var b strings.Builder
	b.WriteString(s.bold.Render("Edit and resend "+stepTitle(f.selected)) + "\n")
	b.WriteString(wrapIndented(s.faint.Render("Change an input and press enter on the last field: the step runs again with it, and the two responses show side by side."), "", width))
	b.WriteString("\n" + f.edit.view(width))
	return b.String()
}

// compareView shows the responses of a step before and after a resend side
// by side, with what was changed and how each run was judged.
func (f flowScreen) compareView(before, after *flow.Step, width int) string {
	s := f.c.styles
	col := max((width-3)/2, 10)
	render := func(title string, st *flow.Step) string {
		var b strings.Builder
		b.WriteString(s.bold.Render(title) + "  " + s.report.Status(st.Status).Render(report.GlyphOf(st.Status)+" "+st.Status.String()) + "\n")
		if o := overridesLine(st.Overrides, ""); o != "" {
			b.WriteString(s.shift.Render("sent "+o) + "\n")
		} else {
			b.WriteString(s.faint.Render("sent as configured") + "\n")
		}
		b.WriteString("\n")
		if n := len(st.Exchanges); n > 0 {
			b.WriteString(responseBlock(s, st.Exchanges[n-1].ForDisplay(f.c.reveal), false))
		} else {
			b.WriteString(s.faint.Render("no request was sent") + "\n")
		}
		if st.Err != nil {
			b.WriteString("\n" + s.report.Fail.Render(report.GlyphOf(inspect.StatusFail)+" "+st.Err.Error()) + "\n")
		}
		for _, a := range st.Tokens {
			b.WriteString("\n" + s.bold.Render(a.Token.Kind.Title()) + "  " + report.Summary(s.report, a.Checks) + "\n")
			for _, c := range []string{"aud", "resource", "scope", "client_id"} {
				if v, _, ok := a.Token.Claims.Strings(c); ok {
					b.WriteString("  " + s.report.Key.Render(pad(c, 10)) + strings.Join(v, ", ") + "\n")
				}
			}
		}
		return wrapText(b.String(), col)
	}
	left := lipgloss.NewStyle().Width(col).Render(render("Before", before))
	right := lipgloss.NewStyle().Width(col).Render(render("After", after))
	sep := s.rule.Render(strings.TrimSuffix(strings.Repeat(" │ \n", max(lipgloss.Height(left), lipgloss.Height(right))), "\n"))
	return s.faint.Render("s or esc returns to the tabs") + "\n\n" + lipgloss.JoinHorizontal(lipgloss.Top, left, sep, right)
}

// sortedKeys returns a map's keys in order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
