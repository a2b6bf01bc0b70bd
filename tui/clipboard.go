package tui

import (
	"io"
	"strings"

	"github.com/aymanbagabas/go-osc52/v2"
)

// OSC52Clipboard returns a clipboard that writes text to w as an OSC 52
// escape sequence, which the terminal turns into a clipboard copy — also
// over SSH, where no local clipboard tool could reach the user's machine.
//
// Inside tmux the sequence is written twice: plain, which tmux takes when
// its set-clipboard option is on, and wrapped for tmux's passthrough, which
// reaches the outer terminal when allow-passthrough is on. GNU screen gets
// its own wrapping. Each sequence is one Write, so it cannot interleave
// with a frame the renderer writes.
func OSC52Clipboard(w io.Writer, getenv func(string) string) func(string) error {
	return func(text string) error {
		seq := osc52.New(text)
		var seqs []osc52.Sequence
		switch {
		case getenv("TMUX") != "":
			seqs = []osc52.Sequence{seq, seq.Tmux()}
		case strings.HasPrefix(getenv("TERM"), "screen"):
			seqs = []osc52.Sequence{seq.Screen()}
		default:
			seqs = []osc52.Sequence{seq}
		}
		for _, s := range seqs {
			if _, err := io.WriteString(w, s.String()); err != nil {
				return err
			}
		}
		return nil
	}
}
