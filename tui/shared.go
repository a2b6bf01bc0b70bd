package tui

import (
	"context"
	"time"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/tui/report"
)

// shared is the state every screen reads: the styles, the keys, the clock as
// last ticked, the terminal size and the reveal switch. The root model owns
// it; screens hold a pointer, as glow's sub-models share a common model.
type shared struct {
	ctx    context.Context
	styles styles
	keys   keyMap
	env    flow.Env
	// kept keeps IdP refresh tokens between runs of a real config; nil
	// keeps nothing.
	kept flow.RefreshTokens
	// noBrowser shows the login URL without opening a browser.
	noBrowser bool
	// now is the time of the last tick; Update never reads the clock.
	now time.Time
	// width and height are the terminal's size.
	width, height int
	// reveal shows tokens in full instead of shortened.
	reveal bool
	// mouse says xaa has the mouse (the wheel scrolls); otherwise the
	// terminal keeps it for selecting text.
	mouse bool
	// clipboard copies text (OSC 52); called only from commands.
	clipboard func(string) error
	// flash is a short message in the status line, shown until flashUntil.
	flash      string
	flashErr   bool
	flashUntil time.Time
}

// setFlash shows a message in the status line for a few seconds.
func (c *shared) setFlash(msg string, isErr bool) {
	c.flash, c.flashErr = msg, isErr
	c.flashUntil = c.now.Add(4 * time.Second)
}

// copied reports an OSC 52 copy in the status line.
func (c *shared) copied(msg copiedMsg) {
	if msg.err != nil {
		c.setFlash("copy failed: "+report.Safe(msg.err.Error()), true)
	} else {
		c.setFlash(msg.what+" copied to the clipboard (OSC 52)", false)
	}
}
