package report_test

import (
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/xaatools/xaa/tui/report"
)

func TestLightBackground(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		theme string
		env   map[string]string
		want  bool
	}{
		{"light", nil, true},
		{"dark", map[string]string{"COLORFGBG": "0;15"}, false},
		{"auto", map[string]string{"XAA_THEME": "light"}, true},
		{"", map[string]string{"COLORFGBG": "0;15"}, true},
		{"auto", map[string]string{"COLORFGBG": "15;0"}, false},
		{"auto", map[string]string{"COLORFGBG": "0;default;7"}, true},
		{"auto", nil, false},
	}
	for _, c := range cases {
		if got := report.LightBackground(c.theme, env(c.env)); got != c.want {
			t.Errorf("LightBackground(%q, %v) = %t, want %t", c.theme, c.env, got, c.want)
		}
	}
}

// TestLightStylesHaveNoYellow: on a light background nothing is drawn in
// yellow or cyan, which do not read on white.
func TestLightStylesHaveNoYellow(t *testing.T) {
	s := report.NewStyles(lipgloss.NewRenderer(io.Discard), true, true)
	for _, st := range []lipgloss.Style{s.Warn, s.Key, s.Pass, s.Fail, s.Title} {
		out := st.Render("x")
		if strings.Contains(out, "33m") || strings.Contains(out, "36m") || strings.Contains(out, ";33") || strings.Contains(out, ";36") {
			t.Errorf("a light style renders %q: yellow or cyan", out)
		}
	}
	if dark := report.NewStyles(lipgloss.NewRenderer(io.Discard), true, false).Warn.Render("x"); !strings.Contains(dark, "33") {
		t.Errorf("the dark warn style renders %q, want yellow", dark)
	}
}
