package report_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/inspect/inspecttest"
	"github.com/xaatools/xaa/tui/report"
)

var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// badAudAnalysis is an ID-JAG whose aud has a trailing slash, checked
// against the fixed key.
func badAudAnalysis(t *testing.T) inspect.Analysis {
	t.Helper()
	k := inspecttest.Fixed("idp-key-1")
	claims := inspecttest.Override(inspecttest.IDJAGClaims(now), "aud", inspecttest.ASIssuer+"/")
	tok, err := inspect.Decode(k.Mint(t, "oauth-id-jag+jwt", inspecttest.Claims(claims...), nil))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := inspect.ParseJWKS(inspecttest.JWKS(t, k))
	if err != nil {
		t.Fatal(err)
	}
	return inspect.Analyze(tok, inspect.Options{Want: inspect.KindIDJAG, Keys: keys, KeySource: "keys.json",
		Expect: inspect.Expect{Now: now, Audience: inspecttest.ASIssuer}})
}

func styles(colour bool) report.Styles {
	r := lipgloss.NewRenderer(&bytes.Buffer{})
	if colour {
		r.SetColorProfile(termenv.ANSI)
	}
	return report.NewStyles(r, colour, false)
}

func TestTokenPlainAndColour(t *testing.T) {
	a := badAudAnalysis(t)
	plain := report.Token(styles(false), a, report.TokenOptions{})
	if strings.Contains(plain, "\x1b[") {
		t.Errorf("plain report has escape codes")
	}
	for _, want := range []string{"ID-JAG", "✓ signature verified", "✗ aud is the resource AS issuer", "expected  https://as.example.com", "trailing slash", "Keys tried (keys.json)", "(expires in 4m)"} {
		if !strings.Contains(plain, want) {
			t.Errorf("plain report lacks %q", want)
		}
	}
	if strings.Contains(plain, a.Token.Raw) {
		t.Errorf("report shows the raw token without Reveal")
	}
	if !strings.Contains(report.Token(styles(false), a, report.TokenOptions{Reveal: true}), a.Token.Raw) {
		t.Errorf("Reveal does not show the raw token")
	}
	coloured := report.Token(styles(true), a, report.TokenOptions{})
	if !strings.Contains(coloured, "\x1b[") {
		t.Errorf("colour report has no escape codes")
	}
}

func TestTokenWraps(t *testing.T) {
	out := report.Token(styles(false), badAudAnalysis(t), report.TokenOptions{Width: 60})
	for _, line := range strings.Split(out, "\n") {
		if w := lipgloss.Width(line); w > 60 && !strings.HasPrefix(line, "token ") {
			t.Errorf("line is %d cells wide, want ≤ 60: %q", w, line)
		}
	}
	if !strings.Contains(out, "    fix       it has a trailing slash") {
		t.Errorf("wrapped hint lost its label:\n%s", out)
	}
}

func TestSummary(t *testing.T) {
	r := inspect.Report{{Status: inspect.StatusPass}, {Status: inspect.StatusWarn}, {Status: inspect.StatusFail}, {Status: inspect.StatusFail}, {Status: inspect.StatusSkip}}
	if got := report.Summary(styles(false), r); got != "1 passed · 1 warning · 2 failed · 1 skipped" {
		t.Errorf("Summary = %q", got)
	}
}
