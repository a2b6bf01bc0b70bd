package tui

import "github.com/charmbracelet/bubbles/key"

// keyMap is every binding of the program, in one place. Screens enable the
// ones that apply; the help bar shows exactly the enabled ones.
type keyMap struct {
	// Everywhere.
	Quit      key.Binding
	Interrupt key.Binding
	Help      key.Binding
	Back      key.Binding
	Decoder   key.Binding
	Doctor    key.Binding
	Conform   key.Binding

	// Lists and panes.
	Up          key.Binding
	Down        key.Binding
	UpDown      key.Binding // help only: one entry for the pair
	NextTab     key.Binding
	PrevTab     key.Binding
	ScrollLeft  key.Binding
	ScrollRight key.Binding
	TabN        key.Binding // 1–6 jump to a tab
	PageUp      key.Binding
	PageDown    key.Binding
	Top         key.Binding
	Bottom      key.Binding

	// The flow screen.
	Next      key.Binding
	RunAll    key.Binding
	Retry     key.Binding
	Edit      key.Binding
	NextToken key.Binding
	CopyToken key.Binding
	CopyCurl  key.Binding
	Reveal    key.Binding
	Mouse     key.Binding
	Save      key.Binding
	Evidence  key.Binding
	User      key.Binding
	Compare   key.Binding
	Cancel    key.Binding

	// Forms and the decoder.
	Select     key.Binding
	NextField  key.Binding
	PrevField  key.Binding
	Submit     key.Binding
	ResetEdits key.Binding
}

// defaultKeys returns the bindings with their help texts.
func defaultKeys() keyMap {
	b := func(help string, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return keyMap{
		Quit:      b("q", "quit", "q"),
		Interrupt: b("ctrl+c", "interrupt", "ctrl+c"),
		Help:      b("?", "help", "?"),
		Back:      b("esc", "back", "esc"),
		Decoder:   b("d", "decoder", "d"),
		Doctor:    b("D", "doctor", "D"),
		Conform:   b("C", "conformance", "C"),

		Up:          b("↑/k", "up", "up", "k"),
		Down:        b("↓/j", "down", "down", "j"),
		UpDown:      b("↑/↓", "step", "up", "down"),
		NextTab:     b("tab/→", "next tab", "right", "l", "tab"),
		PrevTab:     b("shift+tab/←", "previous tab", "left", "h", "shift+tab"),
		ScrollLeft:  b("</>", "scroll sideways", "<", "shift+left"),
		ScrollRight: b(">", "scroll right", ">", "shift+right"),
		TabN:        b("1–6", "tab by number", "1", "2", "3", "4", "5", "6"),
		PageUp:      b("pgup/ctrl+u", "scroll up", "pgup", "ctrl+u", "b"),
		PageDown:    b("pgdn/space", "scroll", "pgdown", "ctrl+d", " "),
		Top:         b("g/home", "top", "g", "home"),
		Bottom:      b("G/end", "bottom", "G", "end"),

		Next:      b("enter", "run next", "n", "enter"),
		RunAll:    b("a", "run all", "a"),
		Retry:     b("r", "retry step", "r"),
		Edit:      b("e", "edit & resend", "e"),
		NextToken: b("t", "next token", "t"),
		CopyToken: b("y", "copy token", "y"),
		CopyCurl:  b("c", "copy curl", "c"),
		Reveal:    b("v", "reveal/hide tokens", "v"),
		Mouse:     b("m", "mouse: wheel scrolls / selects text", "m"),
		Save:      b("w", "save report", "w"),
		Evidence:  b("W", "save evidence", "W"),
		User:      b("u", "playground user", "u"),
		Compare:   b("s", "side by side", "s"),
		Cancel:    b("esc", "cancel", "esc"),

		Select:     b("enter", "choose", "enter"),
		NextField:  b("tab/↓", "next", "tab", "down"),
		PrevField:  b("shift+tab/↑", "previous", "shift+tab", "up"),
		Submit:     b("ctrl+s", "send (enter on the last field too)", "ctrl+s"),
		ResetEdits: b("ctrl+r", "reset to configured", "ctrl+r"),
	}
}

// bindingSet is the help.KeyMap of one screen: the short line and the full
// help columns.
type bindingSet struct {
	short []key.Binding
	full  [][]key.Binding
}

// ShortHelp returns the bindings shown in the help bar.
func (b bindingSet) ShortHelp() []key.Binding { return b.short }

// FullHelp returns the columns shown by "?".
func (b bindingSet) FullHelp() [][]key.Binding { return b.full }
