package report

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/xaatools/xaa/inspect"
)

// TokenOptions tune Token.
type TokenOptions struct {
	// Reveal shows the raw token instead of a shortened form.
	Reveal bool
	// Width wraps long lines (hints, values) to this many cells; 0 leaves
	// lines as they are, which suits piped output.
	Width int
}

// Token renders everything known about one token: what it is, the one-line
// signature verdict, header, claims with human times, the keys tried and
// every check with the values it compared.
func Token(s Styles, a inspect.Analysis, o TokenOptions) string {
	var b strings.Builder
	t := a.Token
	// The header and claims are most of the report: size it once, not by
	// doubling (a token can be a megabyte).
	size := 4096
	for _, obj := range []inspect.Object{t.Header, t.Claims, t.Envelope} {
		for _, m := range obj {
			size += len(m.Name) + len(m.Raw) + 8
		}
	}
	if o.Reveal {
		size += len(t.Raw)
	}
	b.Grow(size)
	w := &writer{b: &b, s: s, width: o.Width}

	title := s.Title.Render(t.Kind.Title())
	if t.Name != "" {
		title += s.Faint.Render(" from the " + Safe(t.Name) + " field")
	}
	w.line(title + s.Faint.Render(" — "+Safe(t.KindReason)))
	raw := inspect.ShortenToken(t.Raw)
	if o.Reveal {
		raw = t.Raw
	}
	w.line(s.Faint.Render("token  ") + Safe(raw))
	for _, n := range t.Notes {
		w.line(s.Faint.Render("· " + Safe(n)))
	}
	for _, p := range t.Problems {
		w.wrapped(s.Glyph(p.Status)+" ", Safe(p.Message))
	}
	w.blank()

	glyph, verdict := signatureParts(s, a.Signature)
	w.wrapped(glyph+" ", verdict)
	for _, warn := range a.Signature.Warnings {
		w.wrapped("  "+s.Glyph(inspect.StatusWarn)+" ", Safe(warn))
	}

	if len(t.Header) > 0 {
		w.blank()
		w.line(s.Heading.Render("Header"))
		w.members(t.Header, nil)
	}
	if len(t.Claims) > 0 {
		w.blank()
		w.line(s.Heading.Render("Claims"))
		w.members(t.Claims, a.Times)
	}
	if len(t.Envelope) > 0 {
		w.blank()
		w.line(s.Heading.Render("Response fields"))
		w.members(t.Envelope, nil)
	}
	if len(a.Signature.Tried) > 0 {
		w.blank()
		heading := s.Heading.Render("Keys tried")
		if a.Signature.KeySource != "" {
			heading += s.Faint.Render(" (" + Safe(a.Signature.KeySource) + ")")
		}
		w.line(heading)
		w.keyTable(a.Signature.Tried)
	}
	if len(a.Checks) > 0 {
		w.blank()
		w.line(s.Heading.Render("Checks") + "  " + Summary(s, a.Checks))
		w.checks(a.Checks)
	}
	return b.String()
}

// SignatureLine is the prominent verdict every token view shows.
func SignatureLine(s Styles, sig inspect.Signature) string {
	glyph, verdict := signatureParts(s, sig)
	return glyph + " " + verdict
}

func signatureParts(s Styles, sig inspect.Signature) (glyph, verdict string) {
	st := inspect.StatusWarn
	switch {
	case sig.Status == inspect.SignatureVerified && !sig.SelfAsserted:
		st = inspect.StatusPass
	case sig.Status == inspect.SignatureVerified:
		st = inspect.StatusWarn
	case sig.Status == inspect.SignatureInvalid:
		st = inspect.StatusFail
	case sig.NoKeys:
		st = inspect.StatusUnknown
	}
	return s.Glyph(st), s.Status(st).Render("signature " + Safe(sig.Verdict()))
}

// Summary counts checks by status: "12 passed · 1 warning · 1 failed".
func Summary(s Styles, r inspect.Report) string {
	parts := []string{s.Pass.Render(fmt.Sprintf("%d passed", r.Count(inspect.StatusPass)))}
	if n := r.Count(inspect.StatusWarn); n > 0 {
		parts = append(parts, s.Warn.Render(plural(n, "warning")))
	}
	if n := r.Count(inspect.StatusFail); n > 0 {
		parts = append(parts, s.Fail.Render(fmt.Sprintf("%d failed", n)))
	}
	if n := r.Count(inspect.StatusUnknown); n > 0 {
		parts = append(parts, s.Skip.Render(fmt.Sprintf("%d unknown", n)))
	}
	notCompared := 0
	for _, c := range r {
		if c.Status == inspect.StatusSkip && c.Needs != "" {
			notCompared++
		}
	}
	if notCompared > 0 {
		parts = append(parts, s.Skip.Render(fmt.Sprintf("%d not compared", notCompared)))
	}
	if n := r.Count(inspect.StatusSkip) - notCompared; n > 0 {
		parts = append(parts, s.Skip.Render(fmt.Sprintf("%d skipped", n)))
	}
	return strings.Join(parts, s.Faint.Render(" · "))
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// Checks renders checks one per line; checks that did not pass get their
// expected and actual values, hint and spec underneath. Width wraps long
// lines; 0 leaves them.
func Checks(s Styles, r inspect.Report, width int) string {
	var b strings.Builder
	(&writer{b: &b, s: s, width: width}).checks(r)
	return b.String()
}

func (w *writer) checks(r inspect.Report) {
	for _, c := range r {
		line := w.s.Glyph(c.Status) + " " + Safe(c.Title)
		if c.Status == inspect.StatusPass || c.Status == inspect.StatusSkip {
			if c.Actual == "" {
				w.line(line)
			} else {
				w.wrapped(line+"  ", w.s.Faint.Render(Safe(c.Actual)))
			}
			if c.Status == inspect.StatusSkip && c.Hint != "" {
				// Say why nothing was compared, under what the token holds.
				w.wrapped("    ", w.s.Faint.Render(Safe(c.Hint)))
			}
			continue
		}
		w.line(w.s.Status(c.Status).Render(line))
		if c.Expected != "" {
			w.wrapped("    "+w.s.Faint.Render("expected  "), Safe(c.Expected))
		}
		if c.Actual != "" {
			w.wrapped("    "+w.s.Faint.Render("actual    "), Safe(c.Actual))
		}
		if c.Hint != "" {
			w.wrapped("    "+w.s.Faint.Render("fix       "), Safe(c.Hint))
		}
		if c.Spec != "" {
			w.wrapped("    "+w.s.Faint.Render("spec      "), w.s.Faint.Render(c.Spec))
		}
	}
}

func (w *writer) keyTable(tried []inspect.KeyAttempt) {
	rows := make([][]string, len(tried))
	for i, k := range tried {
		rows[i] = []string{OrDash(Safe(k.KID)), OrDash(Safe(k.KTY)), OrDash(Safe(k.Alg)), OrDash(Safe(k.Use)), Safe(inspect.ShortThumbprint(k.Thumbprint))}
	}
	widths := columnWidths(rows)
	for i, k := range tried {
		st := inspect.StatusFail
		switch {
		case k.Verified:
			st = inspect.StatusPass
		case k.NotTried:
			st = inspect.StatusSkip // passed over, not failed
		}
		cells := make([]string, len(rows[i]))
		for j, c := range rows[i] {
			cells[j] = Pad(c, widths[j])
		}
		w.wrapped(w.s.Glyph(st)+" "+strings.Join(cells, "  ")+"  ", w.s.Faint.Render(Safe(k.Note)))
	}
}

// writer accumulates report lines, wrapping when a width is set.
type writer struct {
	b     *strings.Builder
	s     Styles
	width int
}

func (w *writer) line(s string) { w.b.WriteString(s); w.b.WriteByte('\n') }
func (w *writer) blank()        { w.b.WriteByte('\n') }

// wrapped writes prefix then text, wrapping text under itself.
func (w *writer) wrapped(prefix, text string) {
	indent := lipgloss.Width(prefix)
	if w.width > 0 && indent+lipgloss.Width(text) > w.width && w.width-indent < 20 && indent > 4 && w.width >= 24 {
		// Too little room beside the prefix: the text goes underneath.
		w.line(strings.TrimRight(prefix, " "))
		w.wrapped("    ", text)
		return
	}
	if w.width <= 0 || indent+lipgloss.Width(text) <= w.width || w.width-indent < 20 {
		w.b.WriteString(prefix) // not prefix + text: text can be a megabyte claim
		w.line(text)
		return
	}
	body := lipgloss.NewStyle().Width(w.width - indent).Render(text)
	for i, l := range strings.Split(body, "\n") {
		if i == 0 {
			w.line(prefix + strings.TrimRight(l, " "))
		} else {
			w.line(strings.Repeat(" ", indent) + strings.TrimRight(l, " "))
		}
	}
}

// members renders an object as aligned name/value lines; time claims also
// get their UTC and relative forms.
func (w *writer) members(o inspect.Object, times []inspect.TimeClaim) {
	width := 0
	for _, m := range o {
		width = max(width, lipgloss.Width(Safe(m.Name)))
	}
	for _, m := range o {
		v, ok := o.String(m.Name)
		if !ok {
			v = string(m.Raw)
		}
		v = Safe(v)
		for _, tc := range times {
			if tc.Claim == m.Name {
				v += w.s.Faint.Render("  "+inspect.FormatTime(tc.Time)) + " (" + tc.Relative + ")"
			}
		}
		w.wrapped("  "+w.s.Key.Render(Pad(Safe(m.Name), width))+"  ", v)
	}
}

func columnWidths(rows [][]string) []int {
	var widths []int
	for _, r := range rows {
		for j, c := range r {
			if j >= len(widths) {
				widths = append(widths, 0)
			}
			widths[j] = max(widths[j], lipgloss.Width(c))
		}
	}
	return widths
}

// Pad right-pads s with spaces to width cells.
func Pad(s string, width int) string {
	if n := width - lipgloss.Width(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

// OrDash returns s, or "-" when it is empty.
func OrDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
