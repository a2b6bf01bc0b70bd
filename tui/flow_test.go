package tui

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/flowtest"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/flow/tokenstore"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/inspect/inspecttest"
)

// runUntilIdle presses a key, then carries out the flow screen's commands
// as the program would — each step's record back into Update — until no
// step runs.
func runUntilIdle(t *testing.T, m Model, k string) Model {
	t.Helper()
	m, cmd := sendCmd(t, m, keyMsg(k))
	for m.flow.run.active {
		msg, ok := cmdMsg[stepDoneMsg](t, cmd)
		if !ok {
			t.Fatalf("%s is running, but no command brings its record back", m.flow.run.id)
		}
		m, cmd = sendCmd(t, m, msg)
	}
	return m
}

func TestRunAllAdvancesStepByStep(t *testing.T) {
	pass := passingSteps(t)
	m := newTestModel(t, Options{Config: testConfig()}, 80, 24)
	m, cmd := sendCmd(t, m, keyMsg("a"))
	if cmd == nil || !m.flow.run.active || m.flow.run.id != flow.StepDiscovery || !m.flow.run.all {
		t.Fatalf("after a: run %+v, command %v; want discovery running in a run of every step", m.flow.run, cmd != nil)
	}
	for _, id := range flow.Steps() {
		if !m.flow.run.active || m.flow.run.id != id {
			t.Fatalf("%s: run %+v", id, m.flow.run)
		}
		m = send(t, m, stepDoneMsg{seq: m.flow.run.seq - 1, step: pass[id]})
		if m.flow.session.Record(id) != nil {
			t.Fatalf("a result of an earlier run was recorded for %s", id)
		}
		m = send(t, m, stepDoneMsg{seq: m.flow.run.seq, step: pass[id]})
		if m.flow.session.Record(id) != pass[id] {
			t.Fatalf("%s not recorded", id)
		}
	}
	if m.flow.run.active || m.flow.run.all {
		t.Errorf("after the last step: run %+v; want idle", m.flow.run)
	}
	if !strings.Contains(ansi.Strip(m.View()), "flow complete") {
		t.Errorf("view after a complete run does not say so:\n%s", ansi.Strip(m.View()))
	}
}

// TestRunAllGoesOnAfterAFailure: checks never gate. A refused token
// exchange does not stop a run of every step; the jwt-bearer grant, which
// lacks the ID-JAG, is recorded as skipped and names it.
func TestRunAllGoesOnAfterAFailure(t *testing.T) {
	pass := passingSteps(t)
	m := newTestModel(t, Options{Config: testConfig()}, 100, 30)
	m = withSteps(m, pass[0], pass[1])
	m = press(t, m, "a")
	m, cmd := sendCmd(t, m, stepDoneMsg{seq: m.flow.run.seq, step: refusedTokenExchange(t)})
	if !m.flow.run.active || m.flow.run.id != flow.StepJWTBearer || cmd == nil {
		t.Fatalf("after the refused token exchange: run %+v; want the jwt-bearer grant running", m.flow.run)
	}
	for m.flow.run.active {
		msg, ok := cmdMsg[stepDoneMsg](t, cmd)
		if !ok {
			t.Fatalf("%s has no command bringing its record back", m.flow.run.id)
		}
		m, cmd = sendCmd(t, m, msg)
	}
	jb := m.flow.session.Record(flow.StepJWTBearer)
	if jb == nil || jb.Status != inspect.StatusSkip {
		t.Fatalf("jwt_bearer record: %+v; want it skipped", jb)
	}
	if diff := cmp.Diff([]string{"an ID-JAG"}, whats(jb.Missing)); diff != "" {
		t.Errorf("jwt_bearer lacks (-want +got):\n%s", diff)
	}
	if st := m.flow.session.Record(flow.StepResource); st == nil || st.Status != inspect.StatusSkip {
		t.Errorf("resource record: %+v; want it skipped for want of an access token", st)
	}
	m = press(t, m, "up")
	if view := ansi.Strip(m.View()); !strings.Contains(view, "it lacks an ID-JAG") || !strings.Contains(view, "2 Token exchange failed") {
		t.Errorf("the jwt-bearer pane does not name the ID-JAG it lacked, or the list the failure:\n%s", view)
	}
	m = press(t, m, "up")
	if view := ansi.Strip(m.View()); !strings.Contains(view, "How to fix it") || !strings.Contains(view, "Send the resource AS metadata issuer") {
		t.Errorf("the token exchange does not explain its failure:\n%s", view)
	}
	m, cmd = sendCmd(t, m, keyMsg("n"))
	if cmd != nil || !strings.Contains(m.c.flash, "every step has run") {
		t.Errorf("n after every step: flash %q, command %v", m.c.flash, cmd != nil)
	}
	if m, cmd = sendCmd(t, m, keyMsg("r")); cmd == nil || m.flow.run.id != flow.StepTokenExchange || !m.flow.run.resend {
		t.Errorf("r on the failed step: run %+v; want the token exchange sent again", m.flow.run)
	}
}

// whats lists what each input is.
func whats(ms []flow.Input) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.What)
	}
	return out
}

func TestPendingStepSaysWhatItLacks(t *testing.T) {
	pass := passingSteps(t)
	m := newTestModel(t, Options{Config: testConfig()}, 100, 30)
	m = withSteps(m, pass[0], pass[1], refusedTokenExchange(t))
	m = press(t, m, "down", "down", "down")
	view := ansi.Strip(m.View())
	for _, want := range []string{"next: JWT bearer", "it lacks an ID-JAG", "enter records it as skipped", "It lacks", "an ID-JAG — from the token exchange step"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, "runs after") {
		t.Errorf("the view still gates the step on the one before:\n%s", view)
	}
	m, _ = sendCmd(t, m, keyMsg("r"))
	if m.flow.run.active || !strings.Contains(m.c.flash, "lacks an ID-JAG") {
		t.Errorf("r on a step lacking an input: run %+v, flash %q", m.flow.run, m.c.flash)
	}
}

// TestJWTBearerRunsOnConfiguredTokenEndpoint: the resource AS's discovery
// is broken, but resource_as.token_endpoint names its token endpoint, so
// the jwt-bearer grant runs anyway.
func TestJWTBearerRunsOnConfiguredTokenEndpoint(t *testing.T) {
	e := flowtest.Start(t, playground.Options{}, "alice")
	cfg := *e.Config
	cfg.ResourceAS.TokenEndpoint = e.Playground.ASURL() + "/token"
	env := flow.Env{
		OpenBrowser: e.Playground.LoginBrowser("alice"),
		HTTPClient:  &http.Client{Transport: noMetadata{host: strings.TrimPrefix(e.Playground.ASURL(), "http://")}},
	}
	m := newTestModel(t, Options{Config: &cfg, Env: env}, 100, 30)
	m = runUntilIdle(t, m, "a")
	if st := m.flow.session.Record(flow.StepDiscovery); st == nil || st.Status != inspect.StatusFail {
		t.Fatalf("discovery with the AS's metadata missing: %+v; want it failed", st)
	}
	jb := m.flow.session.Record(flow.StepJWTBearer)
	if jb == nil || jb.Status == inspect.StatusSkip || len(jb.Exchanges) == 0 {
		t.Fatalf("jwt_bearer record: %+v; want it run", jb)
	}
	if got := jb.Exchanges[0].Request.URL; got != cfg.ResourceAS.TokenEndpoint {
		t.Errorf("jwt_bearer sent to %q, want the configured %q", got, cfg.ResourceAS.TokenEndpoint)
	}
	if _, ok := jb.Token(inspect.KindAccessToken); !ok {
		t.Errorf("jwt_bearer received no access token: %v", jb.Err)
	}
}

// noMetadata is a transport on which one host publishes no metadata: every
// well-known URL there answers 404.
type noMetadata struct{ host string }

func (n noMetadata) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host == n.host && strings.HasPrefix(r.URL.Path, "/.well-known/") {
		return &http.Response{StatusCode: http.StatusNotFound, Status: "404 Not Found", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestEditAndResend(t *testing.T) {
	pass := passingSteps(t)
	m := newTestModel(t, Options{Config: testConfig()}, 100, 30)
	m = withSteps(m, pass...)
	m = press(t, m, "down", "down", "e")
	if !m.flow.edit.open {
		t.Fatal("e did not open the edit form")
	}
	m = paste(t, m, "/")
	m = press(t, m, "tab", "tab", "tab", "tab", "right", "right")
	m, cmd := sendCmd(t, m, keyMsg("enter"))
	if cmd == nil || m.flow.run.id != flow.StepTokenExchange || !m.flow.run.resend {
		t.Fatalf("enter on the last field: run %+v; want the token exchange resent", m.flow.run)
	}
	sess := &m.flow.session
	if diff := cmp.Diff(flow.Overrides{"audience": inspecttest.ASIssuer + "/"}, sess.Edits(flow.StepTokenExchange)); diff != "" {
		t.Errorf("edits (-want +got): only the changed audience\n%s", diff)
	}
	if got := sess.AuthMethod(flow.StepTokenExchange); got != config.AuthClientSecretPost {
		t.Errorf("client auth = %q, want %q", got, config.AuthClientSecretPost)
	}
	if got := sess.Plan(flow.StepTokenExchange).Config.IdP.AuthMethod; got != config.AuthClientSecretPost {
		t.Errorf("the resend's plan authenticates with %q, want %q", got, config.AuthClientSecretPost)
	}
	if m.flow.config().IdP.AuthMethod != "" {
		t.Errorf("the edit changed the configuration itself: %q", m.flow.config().IdP.AuthMethod)
	}
	resent := refusedTokenExchange(t)
	resent.AuthMethod = config.AuthClientSecretPost // what flow records for the switched plan
	m = send(t, m, stepDoneMsg{seq: m.flow.run.seq, step: resent, resend: true})
	if !m.flow.tabs.compare || m.flow.session.Previous(flow.StepTokenExchange) != pass[2] {
		t.Errorf("after the resend: compare %v, previous kept %v; want the two side by side", m.flow.tabs.compare, m.flow.session.Previous(flow.StepTokenExchange) == pass[2])
	}
	if m.flow.session.Record(flow.StepJWTBearer) != nil {
		t.Error("the steps after a resent one still show results from the old token")
	}
	view := ansi.Strip(m.View())
	for _, want := range []string{"Before", "After", "200 OK", "400 Bad Request"} {
		if !strings.Contains(view, want) {
			t.Errorf("side-by-side view lacks %q:\n%s", want, view)
		}
	}
	// Wide enough not to wrap: each side says how its client authenticated.
	wide := ansi.Strip(compareView(m.flow.c.styles, pass[2], resent, false, 240))
	for _, want := range []string{"sent client auth=client_secret_basic", "client auth=client_secret_post"} {
		if !strings.Contains(wide, want) {
			t.Errorf("side-by-side view lacks %q:\n%s", want, wide)
		}
	}
	if m = press(t, m, "esc"); m.flow.tabs.compare {
		t.Error("esc did not leave the side-by-side view")
	}
}

// TestEditFormStartsFromThePlan: the form is filled with what the step
// will send (Plan.Params), edits included, whether it has run or not.
func TestEditFormStartsFromThePlan(t *testing.T) {
	pass := passingSteps(t)
	cfg := testConfig()
	cfg.ResourceAS.Scopes = config.Scopes{"todos.read", "todos.write"}
	m := newTestModel(t, Options{Config: cfg}, 100, 30)
	m = withSteps(m, pass[0], pass[1], pass[2])
	m.flow.session.SetEdits(flow.StepJWTBearer, flow.Overrides{"resource": "https://api.example.com/other"})
	for _, id := range []flow.StepID{flow.StepLogin, flow.StepTokenExchange, flow.StepJWTBearer} {
		t.Run(id.String(), func(t *testing.T) {
			m := m
			m.flow.list.selectStep(id)
			m = press(t, m, "e")
			if !m.flow.edit.open {
				t.Fatal("e did not open the edit form")
			}
			got := m.flow.edit.form.values()
			delete(got, authField)
			want := map[string]string{}
			params := m.flow.session.Plan(id).Params()
			for _, p := range flow.Params(id) {
				if p.Edit {
					want[p.Name] = params[p.Name]
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("form values (-plan +form):\n%s", diff)
			}
		})
	}
	m.flow.list.selectStep(flow.StepJWTBearer)
	if got := press(t, m, "e").flow.edit.form.values(); got["scope"] != "todos.read todos.write" || got["resource"] != "https://api.example.com/other" {
		t.Errorf("jwt_bearer form = %v; want the configured scopes and the edited resource", got)
	}
}

func TestEditOffersNothingForDiscovery(t *testing.T) {
	m := newTestModel(t, Options{Config: testConfig()}, 80, 24)
	m = press(t, m, "e")
	if m.flow.edit.open || !strings.Contains(m.c.flash, "no inputs to edit") {
		t.Errorf("e on discovery: editing %v, flash %q", m.flow.edit.open, m.c.flash)
	}
}

func TestResourceSkippedWithoutURL(t *testing.T) {
	pass := passingSteps(t)
	cfg := testConfig()
	cfg.Resource.APIURL, cfg.Resource.MCPURL = "", ""
	m := newTestModel(t, Options{Config: cfg}, 80, 24)
	m = withSteps(m, pass[0], pass[1], pass[2], pass[3])
	m = runUntilIdle(t, m, "enter")
	st := m.flow.session.Record(flow.StepResource)
	if st == nil || st.Status != inspect.StatusSkip {
		t.Fatalf("resource without a URL: record %+v; want it skipped", st)
	}
	if view := ansi.Strip(m.View()); !strings.Contains(view, "resource.api_url") || !strings.Contains(view, "resource.mcp_url") || !strings.Contains(view, "flow complete") {
		t.Errorf("the view does not say why the step was skipped:\n%s", view)
	}
}

// TestPlaygroundUserSwitch: u switches the demo user the scripted browser
// logs in as; the session forgets the login and every step after it, and
// the next login is the new user's. Bob is not assigned to the resource
// app: his token exchange is refused, and the run goes on past it.
func TestPlaygroundUserSwitch(t *testing.T) {
	uri, err := playground.FreeRedirectURI()
	if err != nil {
		t.Fatal(err)
	}
	msg := startPlayground(context.Background(), playground.Options{RedirectURIs: []string{uri}})().(playgroundMsg)
	if msg.err != nil {
		t.Fatalf("the playground did not start: %v", msg.err)
	}
	pg := msg.pg
	defer pg.Close()
	m := newTestModel(t, Options{}, 80, 24)
	m = send(t, m, playgroundMsg{pg: pg})
	m = press(t, m, "enter")
	if m.screen != screenFlow || m.flow.user != "alice" {
		t.Fatalf("screen %d, user %q; want the flow as alice", m.screen, m.flow.user)
	}
	m = runUntilIdle(t, m, "a")
	if got := subject(m); got != "usr_alice" {
		t.Fatalf("logged in as %q, want usr_alice", got)
	}
	m = press(t, m, "u")
	if m.flow.user != "bob" || !strings.Contains(m.c.flash, "not assigned to the resource app") {
		t.Errorf("after u: user %q, flash %q; want bob and what happens to him", m.flow.user, m.c.flash)
	}
	for _, id := range flow.Steps() {
		if kept := m.flow.session.Record(id) != nil; kept != (id == flow.StepDiscovery) {
			t.Errorf("after switching the user, %s kept %v; want only discovery kept", id, kept)
		}
	}
	m = runUntilIdle(t, m, "a")
	if got := subject(m); got != "usr_bob" {
		t.Errorf("logged in as %q, want usr_bob", got)
	}
	if st := m.flow.session.Record(flow.StepTokenExchange); st == nil || st.Status != inspect.StatusFail {
		t.Errorf("bob's token exchange: %+v; want it refused", st)
	}
	if st := m.flow.session.Record(flow.StepJWTBearer); st == nil || st.Status != inspect.StatusSkip || !strings.Contains(strings.Join(st.Notes, "\n"), "an ID-JAG") {
		t.Errorf("bob's jwt-bearer grant: %+v; want it skipped, naming the ID-JAG it lacks", st)
	}
}

// subject is the sub of the flow's ID token.
func subject(m Model) string {
	if st := m.flow.session.Record(flow.StepLogin); st != nil {
		if a, ok := st.Token(inspect.KindIDToken); ok {
			sub, _ := a.Token.Claims.String("sub")
			return sub
		}
	}
	return ""
}

// TestKeptRefreshTokenStandsInForTheLogin: with idp.subject refresh_token
// and a kept refresh token, the flow screen opens with the login skipped,
// saying why, and the token exchange plans to send the kept token.
func TestKeptRefreshTokenStandsInForTheLogin(t *testing.T) {
	cfg := testConfig()
	cfg.IdP.Subject = config.SubjectRefreshToken
	store := &tokenstore.Store{File: filepath.Join(t.TempDir(), "refresh-tokens.json"), NoKeyring: true}
	if err := store.Save(cfg.IdP.Issuer, cfg.IdP.ClientID, "rt_kept_0123456789"); err != nil {
		t.Fatal(err)
	}
	m := newTestModel(t, Options{Config: cfg, Kept: store}, 100, 30)
	login := m.flow.session.Record(flow.StepLogin)
	if login == nil || login.Status != inspect.StatusSkip {
		t.Fatalf("login record %+v; want it skipped for the kept token", login)
	}
	if next, _ := m.flow.session.Next(); next != flow.StepDiscovery {
		t.Errorf("next step = %s, want discovery", next)
	}
	if in := m.flow.session.Input(flow.StepTokenExchange); in.RefreshToken != "rt_kept_0123456789" {
		t.Errorf("the token exchange starts from refresh token %q, want the kept one", in.RefreshToken)
	}
	m = press(t, m, "down")
	if view := ansi.Strip(m.View()); !strings.Contains(view, "kept from an earlier login") {
		t.Errorf("the login's pane does not say the kept token stands in for it:\n%s", view)
	}
	// The token exchange's pane names the subject the config sends.
	m = press(t, m, "down")
	if view := ansi.Strip(m.View()); !strings.Contains(view, "Token exchange (refresh token → ID-JAG)") || !strings.Contains(view, "Exchanges the IdP refresh token") {
		t.Errorf("the token exchange's pane does not say it sends the refresh token:\n%s", view)
	}
}

// TestEditsCanBeUndone: an edited step is marked in the list; ctrl+r puts
// the configured inputs back, and sending them (or typing the configured
// value back) leaves no edit.
func TestEditsCanBeUndone(t *testing.T) {
	pass := passingSteps(t)
	m := newTestModel(t, Options{Config: testConfig()}, 100, 30)
	m = withSteps(m, pass...)
	m = press(t, m, "down", "down", "e")
	m = paste(t, m, "/")
	m, _ = sendCmd(t, m, keyMsg("ctrl+s"))
	if !m.flow.session.Edited(flow.StepTokenExchange) || !strings.Contains(ansi.Strip(m.View()), "2 Token exchange ✎") {
		t.Fatalf("after an edit: edited %t; the list does not mark it:\n%s", m.flow.session.Edited(flow.StepTokenExchange), ansi.Strip(m.View()))
	}
	m = send(t, m, stepDoneMsg{seq: m.flow.run.seq, step: refusedTokenExchange(t), resend: true})
	m = press(t, m, "esc", "e")
	if got := m.flow.edit.form.values()["audience"]; got != inspecttest.ASIssuer+"/" {
		t.Fatalf("the form reopens with audience %q, want the edited one", got)
	}
	m = press(t, m, "ctrl+r")
	if got := m.flow.edit.form.values()["audience"]; got != inspecttest.ASIssuer {
		t.Errorf("ctrl+r: audience %q, want the configured %q", got, inspecttest.ASIssuer)
	}
	m, _ = sendCmd(t, m, keyMsg("ctrl+s"))
	if m.flow.session.Edited(flow.StepTokenExchange) || len(m.flow.session.Edits(flow.StepTokenExchange)) != 0 {
		t.Errorf("after sending the configured inputs: edits %v, want none", m.flow.session.Edits(flow.StepTokenExchange))
	}
}
