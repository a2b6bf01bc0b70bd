package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/tui/report"
)

// field is one labelled input of a form: free text, a secret (echoed as
// dots), or a choice among fixed values (cycled with ←/→).
type field struct {
	// key identifies the field: a config key ("idp.issuer") or a step input
	// ("audience"). Validation problems are matched to fields by it.
	key     string
	section string // heading shown above the first field of a section
	label   string
	hint    string // faint text after the field
	input   textinput.Model
	choices []string
	choice  int
	err     string // inline validation message: blocks saving
	warn    string // inline warning: probably wrong, but allowed
	touched bool   // the user has left the field once: show its problem
}

// value returns what the field holds.
func (f field) value() string {
	if f.choices != nil {
		return f.choices[f.choice]
	}
	return strings.TrimSpace(f.input.Value())
}

// form is a vertical list of fields with inline validation. The owner
// validates and sets each field's err; the form shows it once the field was
// touched or a submit was attempted.
type form struct {
	c         *shared
	fields    []field
	focus     int
	attempted bool // a submit was tried: show every problem
}

// textField returns a free-text field.
func textField(c *shared, key, section, label, value, placeholder, hint string) field {
	in := newInput(c, placeholder)
	in.SetValue(value)
	in.CharLimit = 2048
	return field{key: key, section: section, label: label, hint: hint, input: in}
}

// secretField returns a field whose value is echoed as dots.
func secretField(c *shared, key, section, label, value, hint string) field {
	f := textField(c, key, section, label, value, "", hint)
	f.input.EchoMode = textinput.EchoPassword
	f.input.EchoCharacter = '•'
	return f
}

// choiceField returns a field cycling through fixed values.
func choiceField(c *shared, key, section, label string, choices []string, value, hint string) field {
	f := field{key: key, section: section, label: label, hint: hint, choices: choices}
	for i, ch := range choices {
		if ch == value {
			f.choice = i
		}
	}
	return f
}

// newForm returns a form with the first field focused.
func newForm(c *shared, fields []field) form {
	f := form{c: c, fields: fields}
	f.setFocus(0)
	return f
}

// values returns the fields' values by key.
func (f form) values() map[string]string {
	out := make(map[string]string, len(f.fields))
	for _, fd := range f.fields {
		out[fd.key] = fd.value()
	}
	return out
}

// setWarnings sets each field's warning from a key → message map.
func (f *form) setWarnings(warnings map[string]string) {
	for i := range f.fields {
		f.fields[i].warn = warnings[f.fields[i].key]
	}
}

// setErrors sets each field's problem from a key → message map.
func (f *form) setErrors(problems map[string]string) {
	for i := range f.fields {
		f.fields[i].err = problems[f.fields[i].key]
	}
}

// valid reports whether no field has a problem.
func (f form) valid() bool {
	for _, fd := range f.fields {
		if fd.err != "" {
			return false
		}
	}
	return true
}

func (f *form) setFocus(i int) tea.Cmd {
	if i < 0 || i >= len(f.fields) {
		return nil
	}
	if i != f.focus {
		f.fields[f.focus].touched = true
	}
	f.focus = i
	var cmd tea.Cmd
	for j := range f.fields {
		if j == i && f.fields[j].choices == nil {
			cmd = f.fields[j].input.Focus()
		} else {
			f.fields[j].input.Blur()
		}
	}
	return cmd
}

// update handles a key; submit is true when enter was pressed on the last
// field (or ctrl+s anywhere).
func (f form) update(msg tea.Msg) (form, tea.Cmd, bool) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return f, nil, false
	}
	k := f.c.keys
	cur := &f.fields[f.focus]
	switch {
	case km.String() == "ctrl+s":
		f.attempted = true
		return f, nil, true
	case km.Type == tea.KeyEnter:
		if f.focus == len(f.fields)-1 {
			f.attempted = true
			f.fields[f.focus].touched = true
			return f, nil, true
		}
		return f, f.setFocus(f.focus + 1), false
	case key.Matches(km, k.NextField):
		return f, f.setFocus((f.focus + 1) % len(f.fields)), false
	case key.Matches(km, k.PrevField):
		return f, f.setFocus((f.focus + len(f.fields) - 1) % len(f.fields)), false
	case cur.choices != nil && (km.Type == tea.KeyRight || km.Type == tea.KeySpace):
		cur.choice = (cur.choice + 1) % len(cur.choices)
		return f, nil, false
	case cur.choices != nil && km.Type == tea.KeyLeft:
		cur.choice = (cur.choice + len(cur.choices) - 1) % len(cur.choices)
		return f, nil, false
	case cur.choices != nil:
		return f, nil, false
	}
	var cmd tea.Cmd
	cur.input, cmd = cur.input.Update(km)
	return f, cmd, false
}

// view renders the form in width cells.
func (f form) view(width int) string {
	s := f.c.styles
	labelWidth := 0
	for _, fd := range f.fields {
		labelWidth = max(labelWidth, lipgloss.Width(fd.label))
	}
	inputWidth := max(width-labelWidth-6, 10)
	var b strings.Builder
	section := ""
	for i, fd := range f.fields {
		if fd.section != section {
			section = fd.section
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(s.bold.Render(section) + "\n")
		}
		marker := "  "
		label := s.faint.Render(report.Pad(fd.label, labelWidth))
		if i == f.focus {
			marker = s.focused.Render("▸ ")
			label = s.focused.Render(report.Pad(fd.label, labelWidth))
		}
		var value string
		if fd.choices != nil {
			value = "‹ " + fd.value() + " ›"
			if i != f.focus {
				value = "  " + fd.value()
			}
		} else {
			in := fd.input
			in.Width = inputWidth
			value = in.View()
		}
		line := marker + label + "  " + value
		b.WriteString(truncateLine(line, width) + "\n")
		showErr := fd.err != "" && (fd.touched || f.attempted)
		indent := strings.Repeat(" ", labelWidth+4)
		switch {
		case showErr:
			b.WriteString(wrapIndented(s.report.Fail.Render(report.GlyphOf(inspect.StatusFail)+" "+fd.err), indent, width))
		case fd.warn != "" && (fd.touched || f.attempted):
			b.WriteString(wrapIndented(s.report.Warn.Render(report.GlyphOf(inspect.StatusWarn)+" "+fd.warn), indent, width))
		case i == f.focus && fd.hint != "":
			b.WriteString(wrapIndented(s.faint.Render(fd.hint), indent, width))
		}
	}
	return b.String()
}

// wrapIndented wraps text to width under an indent, ending with a newline.
func wrapIndented(text, indent string, width int) string {
	w := max(width-lipgloss.Width(indent), 10)
	var b strings.Builder
	for _, l := range strings.Split(wrapText(text, w), "\n") {
		b.WriteString(indent + l + "\n")
	}
	return b.String()
}
