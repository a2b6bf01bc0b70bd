package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/conform"
	"github.com/xaatools/xaa/flow/playground"
)

// TestJourneyConformanceIdP: on the built-in playground, with its IdP
// brokering to any audience, C opens the conformance screen, tab turns to
// the IdP, enter logs the demo user in with the scripted browser and runs
// every IdP case: exactly audience_unknown is vulnerable. tab goes back
// to the resource AS's scorecard, esc to the flow.
func TestJourneyConformanceIdP(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m := New(Options{Context: ctx, Now: time.Now(), SavePath: t.TempDir() + "/config.yaml",
		Playground: playground.Options{Faults: []string{playground.FaultIdPSkipAudience}}})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))

	waitFor(t, tm, "Playground:", "ready")
	tm.Send(keyMsg("enter"))
	waitFor(t, tm, "0 Discovery")
	tm.Send(keyMsg("C"))
	waitFor(t, tm, "[Resource AS] IdP", "enter runs the 29 cases")
	tm.Send(keyMsg("tab"))
	waitFor(t, tm, "Resource AS [IdP]", "IdP conformance", "scripted browser logs alice in", "enter logs in and runs")
	tm.Send(keyMsg("enter"))
	waitFor(t, tm, "✗ vulnerable: 1 bad token exchange accepted", "✗ audience_unknown", "0 of 10 answer checks wrong", "enter runs again")
	tm.Send(keyMsg("shift+tab"))
	waitFor(t, tm, "[Resource AS] IdP", "enter runs the 29 cases")
	tm.Send(keyMsg("esc"))
	waitFor(t, tm, "Flow", "enter runs Discovery")

	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	defer final.Playground().Close()
	defer final.conform.close()
	conf := final.conform.boards[boardIdP].conf
	if len(conf.Results) != len(conform.IdPCases()) {
		t.Fatalf("got %d IdP results, want %d", len(conf.Results), len(conform.IdPCases()))
	}
	// The playground's config has a client secret and no expired ID token:
	// the cases that need a private_key_jwt client or one are skipped.
	var failed, skipped []string
	for _, r := range conf.Results {
		if r.Verdict == conform.VerdictSkipped {
			skipped = append(skipped, r.Case.ID)
			continue
		}
		if r.Status().String() != "pass" {
			failed = append(failed, r.Case.ID+" "+r.Verdict.String())
		}
	}
	if len(failed) != 1 || failed[0] != "audience_unknown vulnerable" {
		t.Errorf("not as required: %v; want audience_unknown vulnerable alone", failed)
	}
	if strings.Join(skipped, " ") != "assertion_wrong_aud assertion_reused_jti subject_expired" {
		t.Errorf("skipped %v; want the private_key_jwt and expired-token cases alone", skipped)
	}
	if n := len(final.conform.boards[boardAS].conf.Results); n != 0 {
		t.Errorf("the resource AS's scorecard has %d results: the IdP's run ran it too", n)
	}
}

// idpFixture is an IdP scorecard prepared on the fixture config, and a
// runner that answers each case from a table (no network: the golden
// files stay the same from run to run). audience_unknown is accepted.
func idpFixture(m Model) (*conform.Scorecard, func(context.Context, *conform.Scorecard, conform.Case) *conform.CaseResult) {
	cfg := m.conform.cfg
	conf := &conform.Scorecard{Party: conform.PartyIdP, Started: testNow, Target: conform.Target{
		Issuer: cfg.IdP.Issuer, TokenEndpoint: cfg.IdP.Issuer + "/token", ClientID: cfg.IdP.ClientID, AuthMethod: "client_secret_basic",
		Notes: []string{"logged in: an ID token and a refresh token"}}}
	run := func(_ context.Context, _ *conform.Scorecard, cc conform.Case) *conform.CaseResult {
		r := &conform.CaseResult{Case: cc, Started: testNow, Duration: 3 * time.Millisecond}
		switch {
		case cc.ID == "audience_unknown":
			r.Verdict, r.Summary = conform.VerdictVulnerable, "accepted: vulnerable — the IdP issued a token for it"
		case cc.Kind == conform.CaseStrict || cc.Kind == conform.CasePolicy:
			r.Verdict, r.Summary = conform.VerdictRejected, "rejected as it should: invalid_request (HTTP 400)"
		default:
			r.Verdict, r.Summary = conform.VerdictAccepted, "as required"
		}
		return r
	}
	return conf, run
}

// openIdPTab opens the conformance screen on the fixture config and turns
// to the IdP tab.
func openIdPTab(t *testing.T, width, height int) Model {
	t.Helper()
	m := newTestModel(t, Options{Config: testConfig()}, width, height)
	m, _ = sendCmd(t, m, keyMsg("C"))
	m, cmd := sendCmd(t, m, keyMsg("tab"))
	if m.conform.tab != boardIdP || cmd != nil {
		t.Fatalf("tab: tab %d, command %v; want the IdP tab and nothing started (the login waits for enter)", m.conform.tab, cmd != nil)
	}
	return m
}

// TestConformIdPTab: the IdP tab says what enter does before logging in;
// once the login is back (here a fixture), the cases run one by one, the
// verdict names the bad exchange accepted, the case's detail shows it;
// tab switches back and forth keeping each scorecard; the layout fits.
func TestConformIdPTab(t *testing.T) {
	m := openIdPTab(t, 100, 30)
	view := ansi.Strip(m.View())
	// The resource AS's tab starts its IdPs meanwhile: a spinner beside it.
	for _, want := range []string{"Resource AS ⣾ [IdP]", "IdP conformance", "issuer  " + m.conform.cfg.IdP.Issuer, "your browser opens for the login", "enter logs in and runs", "· baseline"} {
		if !strings.Contains(view, want) {
			t.Errorf("the IdP tab lacks %q:\n%s", want, view)
		}
	}
	fits(t, m.View(), 100, 30)
	t.Run("intro", func(t *testing.T) { goldenView(t, m.View()) })

	// The login under way: esc stops it (and leaves the screen open).
	m.conform.boards[boardIdP].starting = true
	m.conform.boards[boardIdP].login = &loginNote{}
	m.conform.boards[boardIdP].login.progress(flow.Progress{URL: "https://idp.example/authorize?client_id=x", Message: "open this URL to log in:"})
	m.conform.refresh()
	view = ansi.Strip(m.View())
	for _, want := range []string{"logging in at the IdP", "open this URL to log in:", "https://idp.example/authorize?client_id=x", "esc stops the login"} {
		if !strings.Contains(view, want) {
			t.Errorf("the login under way lacks %q:\n%s", want, view)
		}
	}
	t.Run("login", func(t *testing.T) { goldenView(t, m.View()) })
	m = press(t, m, "esc")
	if m.screen != screenConform || m.conform.boards[boardIdP].runWhenReady {
		t.Errorf("esc during the login: screen %d, run when ready %v; want the login stopped on the conformance screen", m.screen, m.conform.boards[boardIdP].runWhenReady)
	}

	conf, run := idpFixture(m)
	m, cmd := sendCmd(t, m, conformReadyMsg{board: boardIdP, conf: conf, runCase: run})
	if cmd != nil || !strings.Contains(ansi.Strip(m.View()), "enter runs the 30 cases") {
		t.Errorf("after a stopped login came back: command %v, view:\n%s", cmd != nil, ansi.Strip(m.View()))
	}
	m, cmd = sendCmd(t, m, keyMsg("enter"))
	if m.conform.boards[boardIdP].running != 0 {
		t.Fatalf("enter: running %d, want the baseline (0)", m.conform.boards[boardIdP].running)
	}
	m = runCases(t, m, cmd, -1)
	b := m.conform.boards[boardIdP]
	if b.running != -1 || len(b.conf.Results) != len(conform.IdPCases()) {
		t.Fatalf("after the run: running %d, %d results", b.running, len(b.conf.Results))
	}
	view = ansi.Strip(m.View())
	for _, want := range []string{"✗ vulnerable: 1 bad token exchange accepted", "✗ audience_unknown", "0 of 10 answer checks wrong", "The good answer"} {
		if !strings.Contains(view, want) {
			t.Errorf("the IdP scorecard lacks %q:\n%s", want, view)
		}
	}
	t.Run("scorecard", func(t *testing.T) { goldenView(t, m.View()) })
	i := indexOfCase(conform.IdPCases(), "audience_unknown")
	for range i + 1 {
		m = press(t, m, "down")
	}
	view = ansi.Strip(m.View())
	if !strings.Contains(view, "▸✗ audience_unknown") || !strings.Contains(view, "verdict  accepted: vulnerable") {
		t.Errorf("the view of audience_unknown:\n%s", view)
	}
	t.Run("case", func(t *testing.T) { goldenView(t, m.View()) })
	t.Run("help", func(t *testing.T) { goldenView(t, press(t, m, "?").View()) })

	// The other tab keeps its own selection and state; back again keeps this one.
	m = press(t, m, "tab")
	if m.conform.tab != boardAS || !strings.Contains(ansi.Strip(m.View()), "[Resource AS] IdP") {
		t.Errorf("tab from the IdP: tab %d:\n%s", m.conform.tab, ansi.Strip(m.View()))
	}
	m = press(t, m, "right")
	if m.conform.tab != boardIdP || !strings.Contains(ansi.Strip(m.View()), "▸✗ audience_unknown") {
		t.Errorf("back on the IdP tab the selection was lost:\n%s", ansi.Strip(m.View()))
	}
	for _, size := range [][2]int{{80, 24}, {140, 45}} {
		m = send(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		fits(t, m.View(), size[0], size[1])
	}
	if m = press(t, m, "esc"); m.screen != screenFlow {
		t.Errorf("esc went to screen %d, want the flow", m.screen)
	}
}

// TestConformIdPTabBadConfig: a config the IdP scorecard cannot use says
// why on the IdP tab and starts nothing; the resource AS's tab is apart.
func TestConformIdPTabBadConfig(t *testing.T) {
	cfg := testConfig()
	cfg.IdP.ClientID = ""
	m := newTestModel(t, Options{Config: cfg}, 100, 30)
	m, _ = sendCmd(t, m, keyMsg("C"))
	m = press(t, m, "tab")
	m, cmd := sendCmd(t, m, keyMsg("enter"))
	if cmd != nil {
		t.Error("enter started something for a config that cannot run")
	}
	view := ansi.Strip(m.View())
	for _, want := range []string{"✗ cannot run", "idp.client_id: required", "tests the config's idp"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
}

func indexOfCase(cases []conform.Case, id string) int {
	for i, c := range cases {
		if c.ID == id {
			return i
		}
	}
	return -1
}
