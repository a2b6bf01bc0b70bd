package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/doctor"
	"github.com/xaatools/xaa/inspect"

	"github.com/xaatools/xaa/flow/wire"

	"github.com/xaatools/xaa/flow/config"

	"github.com/charmbracelet/x/ansi"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
)

// doctorPlayground starts an Okta-profile playground with faults, loads the
// config it writes, and logs its demo user in through the flow's login step.
func doctorPlayground(t *testing.T, faults ...string) (*config.Config, *flow.Step) {
	t.Helper()
	redirect, err := playground.FreeRedirectURI()
	if err != nil {
		t.Fatal(err)
	}
	p, err := playground.Start(context.Background(), playground.Options{Profile: playground.ProfileOkta, Faults: faults, RedirectURIs: []string{redirect}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	cfg := p.Config()
	runner := &flow.Runner{Config: cfg, Env: flow.Env{OpenBrowser: p.LoginBrowser("alice")}}
	d := runner.RunStep(context.Background(), flow.StepDiscovery, flow.State{}, nil)
	login := runner.RunStep(context.Background(), flow.StepLogin, d.Out, nil)
	if login.Out.IDToken == "" {
		t.Fatalf("login: %v", login.Err)
	}
	return cfg, login
}

// TestDoctorScreen opens the doctor from the flow screen after a login: it
// runs against the playground with the login's ID token, selects the
// failed check and shows its fix, console path and evidence; r runs it
// again, a stale result is dropped, esc goes back to the flow.
func TestDoctorScreen(t *testing.T) {
	cfg, login := doctorPlayground(t, playground.FaultOktaNoConnection)
	m := newTestModel(t, Options{Config: cfg, Now: time.Now()}, 100, 30)
	m = withSteps(m, login)
	m, cmd := sendCmd(t, m, keyMsg("D"))
	if m.screen != screenDoctor || !m.doctor.running || cmd == nil {
		t.Fatalf("after D: screen %d, running %v; want the doctor running", m.screen, m.doctor.running)
	}
	if m.doctor.idToken != login.Out.IDToken {
		t.Error("the doctor did not get the login's ID token")
	}
	if view := ansi.Strip(m.View()); !strings.Contains(view, "running the checks") {
		t.Errorf("a running doctor does not say so:\n%s", view)
	}
	done, ok := cmdMsg[doctorDoneMsg](t, cmd)
	if !ok {
		t.Fatal("the doctor's command brought no diagnosis")
	}
	m = send(t, m, done)
	sel := m.doctor.diag.Checks[m.doctor.selected]
	if sel.ID != "requesting_app.connection" || sel.Status != inspect.StatusFail {
		t.Fatalf("selected %s (%s), want the failed requesting_app.connection", sel.ID, sel.Status)
	}
	view := ansi.Strip(m.View())
	for _, want := range []string{" xaa  Doctor", "✗ 1 failed", "Requesting app", "▸✗ A managed connection", "Manage Connections", "esc back"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	// The pane scrolls: its whole text holds the refusal and its exchange.
	detail := strings.Join(strings.Fields(ansi.Strip(m.doctor.pane.content)), " ")
	for _, want := range []string{"Token Exchange requests must include a valid audience", "→ 400", "curl"} {
		if !strings.Contains(detail, want) {
			t.Errorf("the check's detail lacks %q:\n%s", want, detail)
		}
	}
	if strings.Contains(view, login.Out.IDToken) {
		t.Error("the doctor shows the whole ID token unrevealed")
	}
	for _, secret := range cfg.Secrets() {
		if strings.Contains(view, secret) {
			t.Error("the doctor shows a client secret")
		}
	}

	m = press(t, m, "down")
	if got := m.doctor.diag.Checks[m.doctor.selected].ID; got == sel.ID {
		t.Error("down did not move the selection")
	}
	m, cmd = sendCmd(t, m, keyMsg("r"))
	if !m.doctor.running || cmd == nil {
		t.Fatal("r did not run the doctor again")
	}
	m = send(t, m, done) // the first run's result: stale now
	if m.doctor.diag != nil || !m.doctor.running {
		t.Error("a stale diagnosis was shown")
	}
	m = press(t, m, "esc")
	if m.screen != screenFlow {
		t.Errorf("esc: screen %d, want the flow", m.screen)
	}
}

// TestDoctorScreenLayout: the screen fits the terminal at several sizes,
// with and without a diagnosis, and in the golden file at 100×30.
func TestDoctorScreenLayout(t *testing.T) {
	d := doctorFixture()
	for _, size := range [][2]int{{80, 24}, {100, 30}, {160, 50}} {
		m := newTestModel(t, Options{Config: testConfig()}, size[0], size[1])
		m, _ = sendCmd(t, m, keyMsg("D"))
		for _, stage := range []string{"running", "done"} {
			if stage == "done" {
				m = send(t, m, doctorDoneMsg{seq: m.doctor.seq, diag: d})
			}
			lines := strings.Split(ansi.Strip(m.View()), "\n")
			if len(lines) != size[1] {
				t.Errorf("%dx%d %s: %d lines", size[0], size[1], stage, len(lines))
			}
			for _, l := range lines {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Errorf("%dx%d %s: a line of %d cells: %q", size[0], size[1], stage, w, l)
				}
			}
		}
		if size[0] == 100 {
			t.Run("checklist", func(t *testing.T) { goldenView(t, m.View()) })
			t.Run("help", func(t *testing.T) { goldenView(t, press(t, m, "?").View()) })
		}
	}
}

// doctorFixture is a small diagnosis: a pass, a fail with evidence, an
// unknown.
func doctorFixture() *doctor.Diagnosis {
	x := exchange("token exchange", "idp", "POST", "https://dev-1.okta.com/oauth2/v1/token", "application/x-www-form-urlencoded",
		"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange", 400,
		`{"error":"invalid_target","error_description":"Token Exchange requests must include a valid audience of the authorization server."}`)
	return &doctor.Diagnosis{Started: testNow, Duration: 420 * time.Millisecond, Okta: true, SignedIn: true,
		Parties: config.Parties{IdPIssuer: "https://dev-1.okta.com"},
		Checks: []doctor.Check{
			{ID: "org.metadata", Party: doctor.Org, Status: inspect.StatusPass, Title: "The org publishes its metadata", Actual: "https://dev-1.okta.com/.well-known/openid-configuration"},
			{ID: "requesting_app.connection", Party: doctor.RequestingApp, Status: inspect.StatusFail, Title: "A managed connection links the requesting app to the resource app",
				Expected: "a connection from 0oa1 to audience https://as.example.com", Actual: "invalid_target (HTTP 400)", Hint: "connect the requesting app to the resource app (Manage Connections)",
				Console: "Okta Admin Console › Applications › Applications › (requesting app, e.g. Agent0) › Manage Connections", Spec: "draft §4.3.3",
				Evidence: []*wire.Exchange{x}},
			{ID: "requesting_app.org.connection", Party: doctor.RequestingApp, Status: inspect.StatusFail, FromOrg: true,
				Title:    "An ACTIVE Cross App Access connection leads from the requesting app to a resource app (read from the org)",
				Expected: "an ACTIVE connection from 0oa1", Actual: "no connection from 0oa1", Hint: "connect the requesting app to the resource app"},
			{ID: "resource_app.audience", Party: doctor.ResourceApp, Status: inspect.StatusUnknown, Title: "The ID-JAG's audience is the resource AS issuer", Actual: "not known",
				Hint: "not known: the org refused the exchange at \"a managed connection links the requesting app to the resource app\""},
		}}
}

// TestDoctorScreenCopies: c copies the selected check's curl command, y the
// email the doctor wrote (the Todo0 placeholder's), and each says when
// there is nothing to copy.
func TestDoctorScreenCopies(t *testing.T) {
	cfg, login := doctorPlayground(t, playground.FaultOktaTodo0Audience)
	var copied string
	m := newTestModel(t, Options{Config: cfg, Now: time.Now(), Clipboard: func(s string) error { copied = s; return nil }}, 100, 30)
	m = withSteps(m, login)
	m, cmd := sendCmd(t, m, keyMsg("D"))
	done, _ := cmdMsg[doctorDoneMsg](t, cmd)
	m = send(t, m, done)
	withEmail, withCurl := -1, -1
	for i, c := range m.doctor.diag.Checks {
		if c.Email != nil && withEmail < 0 {
			withEmail = i
		}
		if len(c.Evidence) > 0 && withCurl < 0 {
			withCurl = i
		}
	}
	if withEmail < 0 || withCurl < 0 {
		t.Fatalf("no check with an email (%d) or evidence (%d)", withEmail, withCurl)
	}
	m.doctor.selected = withEmail
	m, cmd = sendCmd(t, m, keyMsg("y"))
	if msg, ok := cmdMsg[copiedMsg](t, cmd); !ok || msg.err != nil || !strings.HasPrefix(copied, "To: ") {
		t.Errorf("y copied %q, want the email", copied)
	}
	m.doctor.selected = withCurl
	m, cmd = sendCmd(t, m, keyMsg("c"))
	if msg, ok := cmdMsg[copiedMsg](t, cmd); !ok || msg.err != nil || !strings.HasPrefix(copied, "curl ") {
		t.Errorf("c copied %q, want a curl command", copied)
	}
	for i, c := range m.doctor.diag.Checks {
		if c.Email == nil {
			m.doctor.selected = i
			break
		}
	}
	m = press(t, m, "y")
	if !strings.Contains(m.c.flash, "y copies the email") {
		t.Errorf("y without an email: flash %q", m.c.flash)
	}
}
