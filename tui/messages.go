package tui

import (
	"time"

	"github.com/xaatools/xaa/inspect"
)

// The messages commands send back to Update. Each carries everything Update
// needs, so Update never has to look anything up outside the model.

// tickMsg is the clock, once a second: countdowns and flash messages use it.
type tickMsg time.Time

// keysLoadedMsg brings the keys the decoder asked for: discovered from an
// issuer, fetched from a JWKS URL, read from a file, or parsed from JSON.
type keysLoadedMsg struct {
	seq    int // the decoder's request number; stale answers are dropped
	keys   *inspect.KeySet
	source string // where the keys came from, for the verdict line
	err    error
	// issuer is the issuer the keys were discovered from; "" when they
	// came from the Keys field.
	issuer string
}

// copiedMsg reports an OSC 52 copy.
type copiedMsg struct {
	what string
	err  error
}

// savedMsg reports a file written (a report, a config).
type savedMsg struct {
	what, path string
	err        error
}
