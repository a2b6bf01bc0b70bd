package tui

import (
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/inspect/inspecttest"
)

func TestCopyToken(t *testing.T) {
	pass := passingSteps(t)
	var copied []string
	clip := func(s string) error { copied = append(copied, s); return nil }
	m := newTestModel(t, Options{Config: testConfig(), Clipboard: clip}, 80, 24)
	m = withSteps(m, pass[:]...)
	m = press(t, m, "down", "down")
	m, cmd := sendCmd(t, m, keyMsg("y"))
	msg, ok := cmdMsg[copiedMsg](t, cmd)
	if !ok {
		t.Fatal("y returned no copy command")
	}
	m = send(t, m, msg)
	if len(copied) != 1 || copied[0] != pass[2].Tokens[0].Token.Raw {
		t.Errorf("copied %d texts; want the ID-JAG in full", len(copied))
	}
	if !strings.Contains(m.c.flash, "ID-JAG copied") {
		t.Errorf("flash = %q, want it to confirm the copy", m.c.flash)
	}
	_, cmd = sendCmd(t, m, keyMsg("c"))
	if _, ok := cmdMsg[copiedMsg](t, cmd); !ok || len(copied) != 2 || !strings.HasPrefix(copied[1], "curl ") {
		t.Errorf("c copied %q, want a curl command", copied[len(copied)-1])
	}
	if strings.Contains(copied[1], "idp-secret-value") {
		t.Error("the curl command carries the client secret")
	}
}

func TestRevealToggle(t *testing.T) {
	pass := passingSteps(t)
	m := newTestModel(t, Options{Config: testConfig()}, 120, 40)
	m = withSteps(m, pass[:]...)
	m = press(t, m, "down", "down", "3")
	raw := pass[2].Tokens[0].Token.Raw
	if strings.Contains(m.flow.tabs.pane.content, raw) {
		t.Fatal("the token is shown in full before reveal")
	}
	m = press(t, m, "v")
	if !strings.Contains(m.flow.tabs.pane.content, raw) {
		t.Error("v did not reveal the token")
	}
	if !strings.Contains(ansi.Strip(m.View()), "TOKENS REVEALED") {
		t.Error("the top bar does not warn that tokens are revealed")
	}
	m = press(t, m, "v")
	if strings.Contains(m.flow.tabs.pane.content, raw) {
		t.Error("a second v did not hide the token again")
	}
}

func TestCountdownTicks(t *testing.T) {
	pass := passingSteps(t)
	m := newTestModel(t, Options{Config: testConfig()}, 100, 40)
	m = withSteps(m, pass[:]...)
	m = press(t, m, "down", "down", "3")
	if !strings.Contains(ansi.Strip(m.View()), "expires in 4m") {
		t.Fatalf("no countdown at the start:\n%s", ansi.Strip(m.View()))
	}
	m, cmd := sendCmd(t, m, tickMsg(testNow.Add(90*time.Second)))
	if cmd == nil {
		t.Error("a tick did not schedule the next one")
	}
	if view := ansi.Strip(m.View()); !strings.Contains(view, "expires in 2m30s") {
		t.Errorf("90 s later the countdown does not say 2m30s:\n%s", view)
	}
	m = send(t, m, tickMsg(testNow.Add(5*time.Minute)))
	if view := ansi.Strip(m.View()); !strings.Contains(view, "expired 1m ago") {
		t.Errorf("after exp the view does not say it expired:\n%s", view)
	}
}

func TestMouseWheelScrolls(t *testing.T) {
	pass := passingSteps(t)
	m := newTestModel(t, Options{Config: testConfig()}, 80, 24)
	m = withSteps(m, pass[:]...)
	m = press(t, m, "down", "down", "3")
	m = send(t, m, tea.MouseMsg{Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if m.flow.tabs.pane.vp.YOffset == 0 {
		t.Error("the wheel did not scroll the pane")
	}
	m = send(t, m, tea.MouseMsg{Button: tea.MouseButtonWheelUp, Action: tea.MouseActionPress})
	if m.flow.tabs.pane.vp.YOffset != 0 {
		t.Errorf("the wheel up left offset %d, want 0", m.flow.tabs.pane.vp.YOffset)
	}
}

// TestLargeResponseRendersOffTheLoop checks that a 1 MB response is
// prepared by a command: the key press only asks for it, the pane says it
// is coming, and the result replaces the notice when it arrives.
func TestLargeResponseRendersOffTheLoop(t *testing.T) {
	m := largeFlow()
	m, cmd := sendCmd(t, m, keyMsg("2"))
	if view := ansi.Strip(m.View()); !strings.Contains(view, "rendering 1.0 MiB") {
		t.Fatalf("while rendering the pane does not say so:\n%s", view)
	}
	msg, ok := cmdMsg[renderedMsg](t, cmd)
	if !ok {
		t.Fatal("opening the tab started no rendering command")
	}
	m = send(t, m, tickMsg(testNow.Add(time.Second)))
	if m.flow.tabs.inFlight == nil {
		t.Error("a tick while rendering lost track of the rendering in flight")
	}
	stale := msg
	stale.key.width++
	stale.content = "stale"
	if m = send(t, m, stale); strings.Contains(m.flow.tabs.pane.content, "stale") {
		t.Error("a rendering for another width was shown")
	}
	m = send(t, m, msg)
	view := ansi.Strip(m.View())
	if !strings.Contains(view, "200 OK") || !strings.Contains(view, `"title": "todo number 0`) {
		t.Errorf("the rendered response is not shown:\n%s", view)
	}
	m = press(t, m, "1", "2")
	if strings.Contains(ansi.Strip(m.View()), "rendering") {
		t.Error("coming back to the tab rendered it again instead of using the last rendering")
	}
}

func TestSaveReport(t *testing.T) {
	pass := passingSteps(t)
	t.Chdir(t.TempDir())
	m := newTestModel(t, Options{Config: testConfig()}, 80, 24)
	m = withSteps(m, pass[:]...)
	m, cmd := sendCmd(t, m, keyMsg("w"))
	msg, ok := cmdMsg[savedMsg](t, cmd)
	if !ok || msg.err != nil {
		t.Fatalf("w: %+v", msg)
	}
	m = send(t, m, msg)
	if !strings.Contains(m.c.flash, "saved to xaa-report-") {
		t.Errorf("flash = %q, want where the report went", m.c.flash)
	}
	fi, err := os.Stat(msg.path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("report mode = %v, want 0600", fi.Mode().Perm())
	}
	b, _ := os.ReadFile(msg.path)
	report := string(b)
	for _, secret := range []string{"idp-secret-value", "as-secret-value", pass[2].Tokens[0].Token.Raw} {
		if strings.Contains(report, secret) {
			t.Errorf("the report holds %.20q…, which must be redacted or shortened", secret)
		}
	}
	if !strings.Contains(report, "token_exchange") || !strings.Contains(report, inspecttest.ASIssuer) {
		t.Errorf("the report lacks the steps or parties:\n%s", report)
	}
}

// TestRunningLayoutFits checks the rows of a running step, whose spinner
// must take one cell like a status glyph.
func TestRunningLayoutFits(t *testing.T) {
	m := newTestModel(t, Options{Config: testConfig()}, 80, 24)
	m = press(t, m, "enter")
	for i := 0; i < 10; i++ {
		m = send(t, m, m.flow.spin.Tick())
		lines := strings.Split(ansi.Strip(m.View()), "\n")
		col := func(l string) int { return ansi.StringWidth(l[:strings.Index(l, "│")]) }
		if got, want := col(lines[2]), col(lines[3]); got != want {
			t.Fatalf("frame %d: the running row's separator is at %d, the next row's at %d:\n%s\n%s", i, got, want, lines[2], lines[3])
		}
	}
}

func TestProgressFeedAfterClose(t *testing.T) {
	p := newProgressFeed()
	p.send(flow.Progress{Message: "one"})
	p.close()
	p.send(flow.Progress{Message: "late"}) // must not panic on the closed channel
	p.close()
	if msg := waitProgress(1, p)().(progressMsg); !msg.ok || msg.p.Message != "one" {
		t.Errorf("first event = %+v, want the one sent before close", msg)
	}
	if msg := waitProgress(1, p)().(progressMsg); msg.ok {
		t.Errorf("after close: %+v, want the end of the feed", msg)
	}
}

// TestSaveEvidence: W writes the run's section of xaa-evidence.md, shortened
// even while tokens are revealed on screen.
func TestSaveEvidence(t *testing.T) {
	pass := passingSteps(t)
	t.Chdir(t.TempDir())
	m := newTestModel(t, Options{Config: testConfig()}, 80, 24)
	m = withSteps(m, pass[:]...)
	m = press(t, m, "v") // reveal on screen
	m, cmd := sendCmd(t, m, keyMsg("W"))
	msg, ok := cmdMsg[savedMsg](t, cmd)
	if !ok || msg.err != nil || msg.path != "xaa-evidence.md" {
		t.Fatalf("W: %+v", msg)
	}
	b, err := os.ReadFile(msg.path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	if !strings.Contains(doc, "# Cross App Access test evidence") || !strings.Contains(doc, "# The flow, step by step") {
		t.Errorf("the evidence lacks its title or the run:\n%s", doc)
	}
	if strings.Contains(doc, pass[2].Tokens[0].Token.Raw) {
		t.Error("the evidence holds a full token")
	}
}

// TestLoginWithoutABrowser: with --no-browser the login opens nothing, the
// login view says to open the URL, and y copies the whole URL.
func TestLoginWithoutABrowser(t *testing.T) {
	pass := passingSteps(t)
	var copied string
	m := newTestModel(t, Options{Config: testConfig(), NoBrowser: true, Clipboard: func(s string) error { copied = s; return nil }}, 80, 24)
	if !m.flow.session.Runner.NoBrowser {
		t.Fatal("--no-browser did not reach the runner")
	}
	m = withSteps(m, pass[0])
	m = press(t, m, "enter")
	url := inspecttest.IdPIssuer + "/authorize?response_type=code&client_id=agent-at-idp&state=st4te&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
	m = send(t, m, progressMsg{seq: m.flow.run.seq, ok: true, p: flow.Progress{Step: flow.StepLogin, Message: "waiting", URL: url}})
	if view := ansi.Strip(m.View()); !strings.Contains(view, "Open the URL below in a browser") {
		t.Errorf("the login view does not ask to open the URL:\n%s", view)
	}
	_, cmd := sendCmd(t, m, keyMsg("y"))
	if msg, ok := cmdMsg[copiedMsg](t, cmd); !ok || msg.err != nil || copied != url {
		t.Errorf("y copied %q (%+v), want the whole authorization URL", copied, msg)
	}
}

// TestChecksCountDown: the Checks tab's expiry times follow the clock, as
// the claims in the Tokens tab do.
func TestChecksCountDown(t *testing.T) {
	pass := passingSteps(t)
	m := newTestModel(t, Options{Config: testConfig()}, 120, 40)
	m = withSteps(m, pass[:]...)
	m = press(t, m, "down", "down", "4")
	before := ansi.Strip(m.View())
	m = send(t, m, tickMsg(testNow.Add(90*time.Second)))
	after := ansi.Strip(m.View())
	if !strings.Contains(before, "expires in 4m") || !strings.Contains(after, "expires in 2m") {
		t.Errorf("the exp check does not count down:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// TestKeysThatCannotActSayWhy: t on a step without a second token and e
// on a step without inputs say why they do nothing.
func TestKeysThatCannotActSayWhy(t *testing.T) {
	pass := passingSteps(t)
	m := newTestModel(t, Options{Config: testConfig()}, 100, 30)
	m = withSteps(m, pass[:]...)
	m = press(t, m, "t") // discovery is selected: no token
	if !strings.Contains(m.c.flash, "received no token") {
		t.Errorf("t without a token: flash %q", m.c.flash)
	}
	m = press(t, m, "down", "down", "3", "t") // the token exchange: one ID-JAG
	if !strings.Contains(m.c.flash, "one token") {
		t.Errorf("t with one token: flash %q", m.c.flash)
	}
	m = press(t, m, "up", "up", "e") // discovery has no inputs
	if m.flow.edit.open || !strings.Contains(m.c.flash, "no inputs to edit") {
		t.Errorf("e on discovery: edit open %t, flash %q", m.flow.edit.open, m.c.flash)
	}
}
