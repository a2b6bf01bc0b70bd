package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestWrapNeverBreaksInsideAWord: prose wraps at spaces, and a URL or a
// curl argument is never cut at its hyphens or anywhere else.
func TestWrapNeverBreaksInsideAWord(t *testing.T) {
	url := "https://idp.example.com/.well-known/openid-configuration?x=id-jag-abc"
	got := wrapText("fetch "+url+" then --data-urlencode requested_token_type=urn:ietf:params:oauth:token-type:id-jag", 30)
	for _, want := range []string{url, "--data-urlencode", "requested_token_type=urn:ietf:params:oauth:token-type:id-jag"} {
		if !strings.Contains(got, want) {
			t.Errorf("wrapped text breaks %q:\n%s", want, got)
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if ansi.StringWidth(l) > 30 && strings.Contains(l, " ") {
			t.Errorf("a line wider than 30 holds more than one word: %q", l)
		}
	}
	if strings.Contains(got, hyphenStandIn) {
		t.Error("the hyphen stand-in leaked into the text")
	}
}

// TestPaneScrollsSideways: a line wider than the pane is cut at the edge,
// the pane says so, and > shows the rest.
func TestPaneScrollsSideways(t *testing.T) {
	p := newPane()
	p.setSize(20, 3)
	p.setContent("https://idp.example.com/authorize?client_id=agent&state=xyz", false)
	if !strings.Contains(p.scrollHint(20), "wide") || p.scrollHint(3) != "<>" || p.scrollHint(1) != "" {
		t.Errorf("scroll hints %q, %q, %q: want the long form, the short one, none", p.scrollHint(20), p.scrollHint(3), p.scrollHint(1))
	}
	if v := ansi.Strip(p.view()); !strings.Contains(v, "https://idp.example") || strings.Contains(v, "state=xyz") {
		t.Fatalf("before scrolling the view shows %q", v)
	}
	k := defaultKeys()
	for range 5 {
		p.update(keyMsg(">"), k, false)
	}
	if v := ansi.Strip(p.view()); !strings.Contains(v, "state=xyz") {
		t.Errorf("after > the view shows %q, want the end of the URL", v)
	}
}
