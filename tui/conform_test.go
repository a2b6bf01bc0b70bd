package tui

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
)

// TestJourneyConformance: on the built-in playground, with its resource AS
// skipping the aud check, C opens the conformance screen, enter runs every
// case, and the scorecard names the four aud cases vulnerable; esc goes
// back to the flow.
func TestJourneyConformance(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m := New(Options{Context: ctx, Now: time.Now(), SavePath: t.TempDir() + "/config.yaml",
		Playground: playground.Options{Faults: []string{playground.FaultASSkipAud}}})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))

	waitFor(t, tm, "Playground:", "ready")
	tm.Send(keyMsg("enter"))
	waitFor(t, tm, "1 Discovery")
	tm.Send(keyMsg("C"))
	waitFor(t, tm, "Conformance", "enter runs the 28 cases", "never trust")
	tm.Send(keyMsg("enter"))
	waitFor(t, tm, "✗ vulnerable: 4 broken ID-JAGs accepted", "✗ wrong_aud", "enter runs again")
	tm.Send(keyMsg("esc"))
	waitFor(t, tm, "Flow", "enter runs Discovery")

	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	defer final.Playground().Close()
	defer final.conform.close()
	got := map[string]string{}
	for _, r := range final.conform.conf.Results {
		got[r.Case.ID] = r.Verdict.String()
	}
	if len(got) != len(flow.ConformCases()) {
		t.Fatalf("got %d results, want %d", len(got), len(flow.ConformCases()))
	}
	for _, id := range []string{"wrong_aud", "aud_token_endpoint", "aud_two_values", "aud_trailing_slash"} {
		if got[id] != "vulnerable" {
			t.Errorf("%s: %s, want vulnerable", id, got[id])
		}
	}
	if got["baseline"] != "accepted" || got["alg_none"] != "rejected" {
		t.Errorf("baseline %s, alg_none %s; want accepted, rejected", got["baseline"], got["alg_none"])
	}
}

// conformTarget is a playground whose resource AS trusts a conformance IdP
// on listen, and its config.
func conformTarget(t *testing.T) (cfg *flow.Config, listen string) {
	t.Helper()
	listen = freeTriple(t)
	p, err := playground.Start(context.Background(), playground.Options{Listen: "127.0.0.1:0", TrustIssuers: []string{"http://" + listen}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	path := filepath.Join(t.TempDir(), "as.yaml")
	if err := p.WriteConfig(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err = flow.ParseConfig(data, path); err != nil {
		t.Fatal(err)
	}
	return cfg, listen
}

// freeTriple returns a loopback address whose port and the next two were
// free a moment ago.
func freeTriple(t *testing.T) string {
	t.Helper()
	for range 50 {
		var ls []net.Listener
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		port := l.Addr().(*net.TCPAddr).Port
		for i := 1; i <= 2; i++ {
			if m, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port+i)); err == nil {
				ls = append(ls, m)
			}
		}
		for _, l := range ls {
			l.Close()
		}
		if len(ls) == 3 {
			return fmt.Sprintf("127.0.0.1:%d", port)
		}
	}
	t.Fatal("no three free consecutive ports")
	return ""
}

// openConformOn opens the conformance screen of a model walking cfg, with
// the IdP on listen and its keys in a temporary directory, and waits for
// the IdPs.
func openConformOn(t *testing.T, cfg *flow.Config, listen string, width, height int) Model {
	t.Helper()
	m := newTestModel(t, Options{Config: cfg, Now: time.Now()}, width, height)
	m.conform = newConformScreen(m.c, cfg, nil, nil)
	m.conform.listen, m.conform.keyDir = listen, t.TempDir()
	m.layout()
	m, cmd := sendCmd(t, m, keyMsg("C"))
	if m.screen != screenConform {
		t.Fatalf("C opened screen %d, want the conformance screen", m.screen)
	}
	ready, ok := cmdMsg[conformReadyMsg](t, cmd)
	if !ok {
		t.Fatal("C did not start the IdPs")
	}
	t.Cleanup(func() { m.conform.close() })
	m = send(t, m, ready)
	if ready.err != nil {
		t.Fatalf("starting the IdPs: %v", ready.err)
	}
	return m
}

// runCases sends the results of the cases the model runs until it is idle
// or stopAfter cases have come back (then esc stops the run).
func runCases(t *testing.T, m Model, cmd tea.Cmd, stopAfter int) Model {
	t.Helper()
	for n := 0; ; n++ {
		if n == stopAfter {
			m = press(t, m, "esc")
		}
		msg, ok := cmdMsg[conformCaseMsg](t, cmd)
		if !ok {
			return m
		}
		m, cmd = sendCmd(t, m, msg)
	}
}

// fits checks that a view has exactly height lines of at most width cells.
func fits(t *testing.T, view string, width, height int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != height {
		t.Errorf("view has %d lines, want %d", len(lines), height)
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w > width {
			t.Errorf("line %d is %d cells wide (> %d): %q", i+1, w, width, ansi.Strip(l))
		}
	}
}

// TestConformScreenConfig: with a config, the screen tests its resource AS:
// the setup names the IdP to trust, enter runs every case, the scorecard
// passes, a case's detail shows what was sent and what came back; the
// layout fits; esc goes back to the flow.
func TestConformScreenConfig(t *testing.T) {
	cfg, listen := conformTarget(t)
	m := openConformOn(t, cfg, listen, 100, 30)
	view := ansi.Strip(m.View())
	for _, want := range []string{"Conformance", "issuer  ", "http://" + listen, "enter runs the 28 cases", "▸  Scorecard", "· baseline"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	fits(t, m.View(), 100, 30)

	m, cmd := sendCmd(t, m, keyMsg("enter"))
	if m.conform.running != 0 {
		t.Fatalf("enter: running %d, want the baseline (0)", m.conform.running)
	}
	fits(t, m.View(), 100, 30)
	m = runCases(t, m, cmd, -1)
	if m.conform.running != -1 || len(m.conform.conf.Results) != len(flow.ConformCases()) {
		t.Fatalf("after the run: running %d, %d results", m.conform.running, len(m.conform.conf.Results))
	}
	view = ansi.Strip(m.View())
	if !strings.Contains(view, "✓ every broken ID-JAG rejected (25 strict rules)") || !strings.Contains(view, "25 of 25 strict handled") {
		t.Errorf("view after the run:\n%s", view)
	}
	m = press(t, m, "down", "down", "down", "down", "down") // scorecard, baseline, id_token, wrong_typ, missing_typ, alg_none
	view = ansi.Strip(m.View())
	for _, want := range []string{"▸✓ alg_none", "verdict  rejected as it should: invalid_grant", "rule     id_jag.alg"} {
		if !strings.Contains(view, want) {
			t.Errorf("the view of alg_none lacks %q:\n%s", want, view)
		}
	}
	// Further down the pane: the token sent, decoded, and the request.
	for _, want := range []string{"Claims", "✗ alg is an allowed asymmetric algorithm", "http     POST http://", "curl "} {
		if !strings.Contains(ansi.Strip(m.conform.pane.content), want) {
			t.Errorf("alg_none's detail lacks %q", want)
		}
	}
	for _, size := range [][2]int{{80, 24}, {140, 45}} {
		m = send(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		fits(t, m.View(), size[0], size[1])
	}
	m = press(t, m, "esc")
	if m.screen != screenFlow {
		t.Errorf("esc went to screen %d, want the flow", m.screen)
	}
}

// TestConformScreenStop: esc while cases run stops at once; the case cut
// short is left as not run, not recorded as inconclusive; a second esc
// goes back.
func TestConformScreenStop(t *testing.T) {
	cfg, listen := conformTarget(t)
	m := openConformOn(t, cfg, listen, 100, 30)
	m, cmd := sendCmd(t, m, keyMsg("enter"))
	m = runCases(t, m, cmd, 3)
	if m.conform.running != -1 || m.screen != screenConform {
		t.Fatalf("after esc: running %d, screen %d; want stopped on the conformance screen", m.conform.running, m.screen)
	}
	if n := len(m.conform.conf.Results); n != 3 || m.conform.results[3] != nil {
		t.Errorf("%d results after stopping during the fourth case (its result %v), want 3 and the fourth not run", n, m.conform.results[3])
	}
	if s := m.conform.conf.Score(); s.Inconclusive != 0 {
		t.Errorf("score after stopping %+v: the cut case counts as inconclusive", s)
	}
	if m = press(t, m, "esc"); m.screen != screenFlow {
		t.Errorf("esc after stopping went to screen %d, want the flow", m.screen)
	}
}

// TestConformScreenBadConfig: a config without the resource AS client's
// secret cannot run: the screen says why and starts nothing.
func TestConformScreenBadConfig(t *testing.T) {
	cfg := testConfig()
	cfg.ResourceAS.ClientSecret = ""
	m := newTestModel(t, Options{Config: cfg}, 100, 30)
	m, cmd := sendCmd(t, m, keyMsg("C"))
	if cmd != nil {
		t.Errorf("C started something for a config that cannot run")
	}
	view := ansi.Strip(m.View())
	for _, want := range []string{"✗ cannot run", "resource_as.client_secret: required"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	if m = press(t, m, "enter", "esc"); m.screen != screenFlow {
		t.Errorf("esc went to screen %d, want the flow", m.screen)
	}
}
