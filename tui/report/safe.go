package report

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/xaatools/xaa/flow/wire"
)

// Text from outside — token claims and headers, metadata, error texts,
// response bodies, MCP results, callback parameters — reaches a terminal
// only through Safe or SafeBlock. A string from a server or a pasted token
// can carry escape sequences that set the clipboard (OSC 52), retitle the
// window (OSC 0), plant links (OSC 8), wipe the screen (CSI 2J) or reorder
// what is shown (bidirectional overrides); these functions make every such
// character visible (\x1b, \u202e) instead of emitting it.

// Safe returns s with every control character made visible: C0 controls
// (newline and tab included), DEL, C1 controls (U+0080–U+009F, the one-byte
// CSI among them), bidirectional overrides and isolates, and bytes that are
// not UTF-8. Use it for text on one line.
func Safe(s string) string { return visible(s, false) }

// SafeBlock is Safe for text that is laid out in lines: newlines and tabs
// are kept, a carriage return before a newline is dropped, and every other
// control character is made visible.
func SafeBlock(s string) string { return visible(s, true) }

func visible(s string, block bool) string {
	if isPlain(s) {
		return s
	}
	return escape(s, func(r rune, rest string) (keep, drop bool) {
		switch {
		case block && (r == '\n' || r == '\t'):
			return true, false
		case block && r == '\r' && strings.HasPrefix(rest, "\n"):
			return false, true // CRLF line ends: the newline alone is enough
		}
		return false, false
	})
}

// escape writes s with every control character, bidirectional control and
// byte that is not UTF-8 made visible (\x1b, \u202e), but those exempt
// says to keep as they are or to drop; rest is the text after the rune.
func escape(s string, exempt func(r rune, rest string) (keep, drop bool)) string {
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		keep, drop := exempt(r, s[i+size:])
		switch {
		case drop:
		case keep:
			b.WriteRune(r)
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r <= 0x9f, isBidiControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isPlain reports, quickly, that s needs no change: printable ASCII only.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// isBidiControl reports the characters that reorder text: the embeddings
// and overrides U+202A–U+202E, the isolates U+2066–U+2069, and the marks
// U+200E, U+200F and U+061C.
func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}

// SafeWriter returns a writer that passes what it is given through
// SafeBlock: for output that carries no escape sequence of its own (plain
// reports, messages on stderr), every control character from outside is
// made visible whichever path it took. A rune split across writes is held
// until it is whole.
func SafeWriter(w io.Writer) io.Writer { return &safeWriter{w: w} }

type safeWriter struct {
	w       io.Writer
	pending []byte
}

// Write writes p made safe; it reports len(p) when the write went through.
func (s *safeWriter) Write(p []byte) (int, error) {
	buf := append(s.pending, p...)
	cut := len(buf)
	// Hold back an incomplete UTF-8 sequence at the end (at most 3 bytes).
	for i := len(buf) - 1; i >= 0 && i >= len(buf)-3; i-- {
		if utf8.RuneStart(buf[i]) {
			if !utf8.FullRune(buf[i:]) {
				cut = i
			}
			break
		}
	}
	s.pending = append([]byte(nil), buf[cut:]...)
	if _, err := io.WriteString(s.w, SafeBlock(string(buf[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// SafeExchange returns a copy of a recorded exchange fit for a terminal:
// its label, URL, headers, bodies and error with every control character
// made visible (bodies keep their lines). Take it of what ForDisplay
// returns, just before rendering.
func SafeExchange(x *wire.Exchange) *wire.Exchange {
	c := *x
	c.Label, c.Party = Safe(x.Label), Safe(x.Party)
	c.Request.Method, c.Request.URL, c.Request.BasicUser = Safe(x.Request.Method), Safe(x.Request.URL), Safe(x.Request.BasicUser)
	c.Request.Header = safeHeader(x.Request.Header)
	c.Request.Body = []byte(SafeBlock(string(x.Request.Body)))
	if x.Response != nil {
		r := *x.Response
		r.Proto, r.StatusText = Safe(r.Proto), Safe(r.StatusText)
		r.Header = safeHeader(r.Header)
		r.Body = []byte(SafeBlock(string(r.Body)))
		c.Response = &r
	}
	if x.Err != nil {
		c.Err = errors.New(Safe(x.Err.Error()))
	}
	return &c
}

func safeHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		for _, v := range vs {
			out[Safe(k)] = append(out[Safe(k)], Safe(v))
		}
	}
	return out
}

// SafeStyled is the last pass over a whole screen of styled text: our own
// styling is SGR sequences (ESC [ … m) and newlines, so every other control
// character — C0 but ESC and newline, DEL, C1, bidirectional controls — can
// only have come from outside and is made visible. It cannot tell an
// outside ESC from ours: text from outside goes through Safe before it is
// styled; this pass catches what a field might have missed.
func SafeStyled(s string) string {
	if isPlain(strings.ReplaceAll(strings.ReplaceAll(s, "\x1b", ""), "\n", "")) {
		return s
	}
	return escape(s, func(r rune, _ string) (keep, drop bool) { return r == '\x1b' || r == '\n', false })
}
