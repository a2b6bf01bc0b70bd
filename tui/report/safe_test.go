package report_test

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/tui/report"
)

func TestSafe(t *testing.T) {
	cases := []struct {
		name, in, line, block string
	}{
		{"plain", "https://idp.example/x?a=b", "https://idp.example/x?a=b", "https://idp.example/x?a=b"},
		{"OSC 52", "a\x1b]52;c;eA==\x07b", `a\x1b]52;c;eA==\x07b`, `a\x1b]52;c;eA==\x07b`},
		{"CSI 2J", "\x1b[2J", `\x1b[2J`, `\x1b[2J`},
		{"one-byte CSI", "a\u009b2Jb", `a\u009b2Jb`, `a\u009b2Jb`},
		{"bidi override", "evil\u202egnp.exe", `evil\u202egnp.exe`, `evil\u202egnp.exe`},
		{"isolate", "a\u2066b", `a\u2066b`, `a\u2066b`},
		{"DEL and NUL", "a\x7fb\x00c", `a\x7fb\x00c`, `a\x7fb\x00c`},
		{"newline and tab", "a\nb\tc", `a\x0ab\x09c`, "a\nb\tc"},
		{"CRLF and a bare CR", "a\r\nb\rc", `a\x0d\x0ab\x0dc`, "a\nb\\x0dc"},
		{"invalid UTF-8", "a\xffb", `a\xffb`, `a\xffb`},
		{"non-ASCII text is kept", "Café — ✓ 日本", "Café — ✓ 日本", "Café — ✓ 日本"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := report.Safe(c.in); got != c.line {
				t.Errorf("Safe(%q) = %q, want %q", c.in, got, c.line)
			}
			if got := report.SafeBlock(c.in); got != c.block {
				t.Errorf("SafeBlock(%q) = %q, want %q", c.in, got, c.block)
			}
		})
	}
}

// TestSafeWriterHoldsSplitRunes: a rune split across two writes comes out
// whole, not as two escaped bytes.
func TestSafeWriterHoldsSplitRunes(t *testing.T) {
	var b bytes.Buffer
	w := report.SafeWriter(&b)
	s := "✓ ok\x1b[2J"
	w.Write([]byte(s[:1]))
	w.Write([]byte(s[1:]))
	if got, want := b.String(), `✓ ok\x1b[2J`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// FuzzSafe: whatever comes in, what comes out is valid UTF-8 with no
// control character, no C1 control and no bidirectional control (newlines
// and tabs only in the block form), and plain text is left as it is.
func FuzzSafe(f *testing.F) {
	for _, s := range []string{"", "plain", "a\x1b]52;c;eA==\x07", "\u009b2J", "\u202e\u2066x", "a\r\nb\tc", "\xff\xfe", "Café"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, block := range []bool{false, true} {
			out := report.Safe(s)
			if block {
				out = report.SafeBlock(s)
			}
			if !utf8.ValidString(out) {
				t.Fatalf("output of %q is not UTF-8: %q", s, out)
			}
			for _, r := range out {
				bad := r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
				if block && (r == '\n' || r == '\t') {
					bad = false
				}
				if bad {
					t.Fatalf("output of %q carries %U: %q", s, r, out)
				}
			}
			if plainASCII(s) && out != s {
				t.Fatalf("plain %q changed to %q", s, out)
			}
		}
	})
}

func plainASCII(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r >= 0x7f })
}

// FuzzTokenReport: whatever is pasted, the plain token report holds no
// control character but newlines: every string of the token reaches the
// terminal made visible.
func FuzzTokenReport(f *testing.F) {
	f.Add(`{"access_token":"x\u001b]52;c;eA==\u0007","token_type":"\u202e"}`)
	f.Add("eyJhbGciOiJSUzI1NiIsImtpZCI6Ilx1MDAxYlsySiJ9.eyJpc3MiOiJcdTAwOWIySiJ9.c2ln")
	f.Add("Bearer opaque\u009btoken")
	styles := report.NewStyles(lipgloss.NewRenderer(io.Discard), false, false)
	f.Fuzz(func(t *testing.T, input string) {
		toks, err := inspect.DecodeAll(input)
		if err != nil {
			return
		}
		for _, tok := range toks {
			a := inspect.Analyze(tok, inspect.Options{Expect: inspect.Expect{Now: time.Unix(1800000000, 0)}})
			out := report.Token(styles, a, report.TokenOptions{Reveal: true, Width: 80})
			for _, r := range out {
				if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
					t.Fatalf("the report of %q carries %U:\n%q", input, r, out)
				}
			}
		}
	})
}
