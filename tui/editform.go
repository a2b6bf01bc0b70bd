package tui

import (
	"cmp"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/config"
)

// authField is the edit form's field for the client authentication method.
const authField = "client auth"

// asConfigured is the client-auth choice that keeps the config's method.
const asConfigured = "as configured"

// authChoices are the client authentication methods offered.
var authChoices = []string{asConfigured, config.AuthClientSecretBasic, config.AuthClientSecretPost, config.AuthPrivateKeyJWT, config.AuthNone}

// authHint says what the client-auth field is for.
const authHint = "←/→ chooses how the client authenticates at the token endpoint (RFC 6749 §2.3, RFC 7523 §2.2)"

// editForm changes the inputs of a step and sends it again: the
// parameters flow.Params offers for editing, filled with what the step
// will send (Plan.Params), and — for the token requests of the token
// exchange and the jwt-bearer grant — the client authentication.
type editForm struct {
	keys editKeys
	open bool
	id   flow.StepID
	// title names the step as the config runs it.
	title string
	// configured is what the step sends without edits: the baseline an
	// edit differs from, and what ctrl+r puts back.
	configured map[string]string
	form       form
}

// editKeys move between the fields, submit, and close the form.
type editKeys struct{ NextField, PrevField, Submit, Back, Reset key.Binding }

// editResult is what a submitted form changes: the step's edits and its
// client authentication ("" for the configured one).
type editResult struct {
	edits flow.Overrides
	auth  string
}

// openEditForm opens the form on a plan; ok is false for a step with no
// inputs to edit.
func openEditForm(c *shared, plan, configured flow.Plan, auth string) (_ editForm, _ tea.Cmd, ok bool) {
	sends := plan.Params()
	section := "Inputs of " + plan.ID.Name()
	var fields []field
	for _, p := range flow.Params(plan.ID) {
		if p.Edit {
			fields = append(fields, textField(c, p.Name, section, p.Name, sends[p.Name], "", p.Hint))
		}
	}
	if len(fields) == 0 {
		return editForm{}, nil, false
	}
	if plan.ID == flow.StepTokenExchange || plan.ID == flow.StepJWTBearer {
		fields = append(fields, choiceField(c, authField, section, authField, authChoices, cmp.Or(auth, asConfigured), authHint))
	}
	k := c.keys
	e := editForm{
		keys: editKeys{NextField: k.NextField, PrevField: k.PrevField, Submit: k.Submit, Back: k.Back, Reset: k.ResetEdits},
		open: true, id: plan.ID, title: stepTitle(plan.ID, plan.Config.IdP.Subject), configured: configured.Params(), form: newForm(c, fields),
	}
	return e, e.form.fields[0].input.Focus(), true
}

// update handles a key: esc closes the form, enter on the last field (or
// ctrl+s) submits it. A submitted form's edits are the step's edits with
// every field whose value differs from what the step would send.
func (e editForm) update(msg tea.KeyMsg) (editForm, tea.Cmd, *editResult) {
	switch {
	case key.Matches(msg, e.keys.Back):
		e.open = false
		return e, nil, nil
	case key.Matches(msg, e.keys.Reset):
		// Every field back to what the config sends; enter then sends it.
		for i := range e.form.fields {
			fd := &e.form.fields[i]
			if fd.choices != nil {
				fd.choice = 0 // asConfigured
			} else {
				fd.input.SetValue(e.configured[fd.key])
			}
		}
		return e, nil, nil
	}
	var cmd tea.Cmd
	var submit bool
	e.form, cmd, submit = e.form.update(msg)
	if !submit {
		return e, cmd, nil
	}
	// An edit is a field that differs from what the config sends: typing
	// the configured value back is no edit.
	done := &editResult{}
	for k, v := range e.form.values() {
		switch {
		case k == authField:
			if v != asConfigured {
				done.auth = v
			}
		case v != e.configured[k]:
			if done.edits == nil {
				done.edits = flow.Overrides{}
			}
			done.edits[k] = v
		}
	}
	return e, cmd, done
}

// view renders the form for the pane.
func (e editForm) view(width int) string {
	s := e.form.c.styles
	var b strings.Builder
	b.WriteString(s.bold.Render("Edit and resend "+e.title) + "\n")
	b.WriteString(wrapIndented(s.faint.Render("Change an input and send it (ctrl+s, or enter on the last field): the step runs again with it, and the two responses show side by side. ctrl+r puts back what the config sends."), "", width))
	b.WriteString("\n" + e.form.view(width))
	return b.String()
}

// bindings are the form's keys, for the help bar.
func (e editForm) bindings() bindingSet {
	k := e.keys
	return bindingSet{
		short: []key.Binding{k.NextField, k.PrevField, k.Submit, k.Reset, k.Back},
		full:  [][]key.Binding{{k.NextField, k.PrevField, k.Submit, k.Reset, k.Back}},
	}
}
