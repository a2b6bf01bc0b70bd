package tui

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/conform"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/xaatools/xaa/flow/playground"
)

// TestJourneyConformance: on the built-in playground, with its resource AS
// skipping the aud check, C opens the conformance screen, enter runs every
// case, and the scorecard names three aud cases vulnerable and the
// trailing slash lenient, a strictness finding; esc goes back to the flow.
func TestJourneyConformance(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m := New(Options{Context: ctx, Now: time.Now(), SavePath: t.TempDir() + "/config.yaml",
		Playground: playground.Options{Faults: []string{playground.FaultASSkipAud}}})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))

	waitFor(t, tm, "Playground:", "ready")
	tm.Send(keyMsg("enter"))
	waitFor(t, tm, "0 Discovery")
	tm.Send(keyMsg("C"))
	waitFor(t, tm, "Conformance", "enter runs the 29 cases", "never trust")
	tm.Send(keyMsg("enter"))
	waitFor(t, tm, "✗ vulnerable: 3 broken ID-JAGs accepted", "✗ wrong_aud", "! aud_trailing_slash", "1 of 1 lenient (strictness)", "enter runs again")
	tm.Send(keyMsg("esc"))
	waitFor(t, tm, "Flow", "enter runs Discovery")

	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	defer final.Playground().Close()
	defer final.conform.close()
	got := map[string]string{}
	for _, r := range final.conform.boards[boardAS].conf.Results {
		got[r.Case.ID] = r.Verdict.String()
	}
	if len(got) != len(conform.Cases()) {
		t.Fatalf("got %d results, want %d", len(got), len(conform.Cases()))
	}
	for _, id := range []string{"wrong_aud", "aud_token_endpoint", "aud_two_values"} {
		if got[id] != "vulnerable" {
			t.Errorf("%s: %s, want vulnerable", id, got[id])
		}
	}
	if got["aud_trailing_slash"] != "lenient" {
		t.Errorf("aud_trailing_slash: %s, want lenient (strictness, not vulnerable)", got["aud_trailing_slash"])
	}
	if got["baseline"] != "accepted" || got["alg_none"] != "rejected" {
		t.Errorf("baseline %s, alg_none %s; want accepted, rejected", got["baseline"], got["alg_none"])
	}
}

// openConformOn starts the conformance IdPs and a playground whose
// resource AS trusts the trusted one, opens a model on that AS's config,
// hands the screen the started IdPs (as its start command would) and
// opens it with C.
func openConformOn(t *testing.T, width, height int) Model {
	t.Helper()
	ctx := context.Background()
	idps, err := conform.StartIdPs(ctx, playground.Options{Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idps.Close() })
	p, err := playground.Start(ctx, playground.Options{Listen: "127.0.0.1:0", TrustIssuers: []string{idps.Trusted.IdPURL()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	cfg := p.Config()
	m := newTestModel(t, Options{Config: cfg, Now: time.Now()}, width, height)
	m.conform = newConformScreen(m.c, cfg, nil, nil)
	m.layout()
	c := &conform.Runner{Config: cfg, IdPs: idps}
	m = send(t, m, conformReadyMsg{board: boardAS, idps: idps, runCase: c.RunCase, conf: c.Prepare(ctx)})
	m, cmd := sendCmd(t, m, keyMsg("C"))
	if m.screen != screenConform || cmd != nil {
		t.Fatalf("C: screen %d, command %v; want the conformance screen and no second start", m.screen, cmd != nil)
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
	m := openConformOn(t, 100, 30)
	view := ansi.Strip(m.View())
	for _, want := range []string{"Conformance", "issuer  ", m.conform.boards[boardAS].conf.Setup.Issuer, "enter runs the 29 cases", "▸  Scorecard", "· baseline"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	fits(t, m.View(), 100, 30)

	m, cmd := sendCmd(t, m, keyMsg("enter"))
	if m.conform.boards[boardAS].running != 0 {
		t.Fatalf("enter: running %d, want the baseline (0)", m.conform.boards[boardAS].running)
	}
	fits(t, m.View(), 100, 30)
	m = runCases(t, m, cmd, -1)
	if m.conform.boards[boardAS].running != -1 || len(m.conform.boards[boardAS].conf.Results) != len(conform.Cases()) {
		t.Fatalf("after the run: running %d, %d results", m.conform.boards[boardAS].running, len(m.conform.boards[boardAS].conf.Results))
	}
	view = ansi.Strip(m.View())
	if !strings.Contains(view, "✓ every broken ID-JAG rejected (25 strict rules)") || !strings.Contains(view, "25 of 25 strict handled") || !strings.Contains(view, "0 of 1 lenient (strictness)") {
		t.Errorf("view after the run:\n%s", view)
	}
	m = press(t, m, "down", "down", "down", "down", "down", "down") // scorecard, baseline, repeated_assertion, id_token, wrong_typ, missing_typ, alg_none
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
	m := openConformOn(t, 100, 30)
	m, cmd := sendCmd(t, m, keyMsg("enter"))
	m = runCases(t, m, cmd, 3)
	if m.conform.boards[boardAS].running != -1 || m.screen != screenConform {
		t.Fatalf("after esc: running %d, screen %d; want stopped on the conformance screen", m.conform.boards[boardAS].running, m.screen)
	}
	if n := len(m.conform.boards[boardAS].conf.Results); n != 3 || m.conform.boards[boardAS].results[3] != nil {
		t.Errorf("%d results after stopping during the fourth case (its result %v), want 3 and the fourth not run", n, m.conform.boards[boardAS].results[3])
	}
	if s := m.conform.boards[boardAS].conf.Score(); s.Inconclusive != 0 {
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

// TestConformScreenStartsIdPs: with a config, the screen's start command
// starts both IdPs (the trusted one where the screen was told, keys in its
// key directory) and prepares the run; a second start does nothing.
func TestConformScreenStartsIdPs(t *testing.T) {
	cfg := testConfig()
	cfg.ResourceAS.Issuer = "http://127.0.0.1:1" // nothing listens: discovery fails at once, on loopback
	m := newTestModel(t, Options{Config: cfg, Now: time.Now()}, 100, 30)
	s := newConformScreen(m.c, cfg, nil, func(k string) string { return map[string]string{"XDG_CONFIG_HOME": "/cfg"}[k] })
	if s.listen != conform.DefaultListen || s.keyDir != "/cfg/xaa/conform" {
		t.Errorf("defaults: listen %q, key dir %q", s.listen, s.keyDir)
	}
	s.listen, s.keyDir = "127.0.0.1:0", t.TempDir()
	ready, ok := cmdMsg[conformReadyMsg](t, s.startAS())
	if !ok || ready.err != nil || ready.idps == nil {
		t.Fatalf("start: %+v", ready)
	}
	defer ready.idps.Close()
	if s.startAS() != nil {
		t.Error("a second start while the first is under way started again")
	}
	if got := ready.conf.Setup.Issuer; got != ready.idps.Trusted.IdPURL() || ready.conf.Setup.JWKSURI == "" {
		t.Errorf("setup %+v: want the trusted IdP and its JWKS", ready.conf.Setup)
	}
	if ready.conf.Target.Err == nil {
		t.Error("discovery of an AS that does not answer did not fail")
	}
	if entries, _ := os.ReadDir(s.keyDir); len(entries) == 0 {
		t.Error("no keys kept in the key directory")
	}
}
