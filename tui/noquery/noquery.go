// Package noquery keeps Bubble Tea v1 from asking the terminal for its
// background colour when the program starts.
//
// Bubble Tea v1 calls lipgloss.HasDarkBackground in its package init
// (tea_init.go). On a terminal that answers, that costs one round trip —
// over SSH, the link's latency before the first frame; on a pseudo-terminal
// that never answers, termenv waits its 5-second OSC timeout. xaa never
// needs the answer: its colours are the terminal's ANSI palette.
//
// Importing this package for its side effect hides the terminal from that
// query: its init, which runs before termenv's and Bubble Tea's (it imports
// only the standard library, and Go initializes a package as soon as its
// imports are, in import-path order), points os.Stdout at the null device
// while termenv captures its default output. Restore, called from an init
// of package main (which runs after every imported package's), puts the
// real standard output back before main runs. Every invocation is
// covered, the text commands too: they colour their reports with the ANSI
// palette and never need the answer either.
package noquery

import "os"

// saved is the real standard output while the null device stands in.
var saved *os.File

func init() {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return
	}
	saved, os.Stdout = os.Stdout, null
}

// Restore puts the real standard output back. It is safe to call more than
// once and when nothing was hidden.
func Restore() {
	if saved == nil {
		return
	}
	null := os.Stdout
	os.Stdout, saved = saved, nil
	null.Close()
}
