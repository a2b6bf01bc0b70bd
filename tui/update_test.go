package tui

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/config"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
	"github.com/xaatools/xaa/inspect/inspecttest"
)

// cmdMsg runs a command and returns its message, unwrapping batches into
// the first message of the wanted type.
func cmdMsg[T tea.Msg](t testing.TB, cmd tea.Cmd) (T, bool) {
	t.Helper()
	var zero T
	if cmd == nil {
		return zero, false
	}
	switch msg := cmd().(type) {
	case T:
		return msg, true
	case tea.BatchMsg:
		for _, c := range msg {
			if c == nil {
				continue
			}
			if m, ok := cmdMsg[T](t, c); ok {
				return m, true
			}
		}
	}
	return zero, false
}

func TestQuitAndInterrupt(t *testing.T) {
	tests := []struct {
		name   string
		screen string
		keys   []string
		want   tea.Msg // nil: the program keeps running
	}{
		{"q quits the flow screen", "", []string{"q"}, tea.QuitMsg{}},
		{"ctrl+c interrupts", "", []string{"ctrl+c"}, tea.InterruptMsg{}},
		{"ctrl+c interrupts while typing", "decoder", []string{"ctrl+c"}, tea.InterruptMsg{}},
		{"q is typed into the decoder", "decoder", []string{"q"}, nil},
		{"esc then q quits from the decoder", "decoder", []string{"esc", "q"}, tea.QuitMsg{}},
		{"q closes the help first", "", []string{"?", "q"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTestModel(t, Options{Config: testConfig(), Screen: tt.screen}, 80, 24)
			var cmd tea.Cmd
			for _, k := range tt.keys {
				m, cmd = sendCmd(t, m, keyMsg(k))
			}
			var got tea.Msg
			if cmd != nil {
				got = cmd()
			}
			switch tt.want.(type) {
			case nil:
				if _, quit := got.(tea.QuitMsg); quit {
					t.Errorf("keys %v quit the program; want it to keep running", tt.keys)
				}
			case tea.QuitMsg:
				if _, ok := got.(tea.QuitMsg); !ok {
					t.Errorf("keys %v gave %T, want tea.QuitMsg", tt.keys, got)
				}
			case tea.InterruptMsg:
				if _, ok := got.(tea.InterruptMsg); !ok {
					t.Errorf("keys %v gave %T, want tea.InterruptMsg", tt.keys, got)
				}
			}
		})
	}
	t.Run("typed q lands in the token field", func(t *testing.T) {
		m := newTestModel(t, Options{Config: testConfig(), Screen: "decoder"}, 80, 24)
		m = press(t, m, "q")
		if got := m.decoder.token.Value(); got != "q" {
			t.Errorf("token field = %q, want %q", got, "q")
		}
	})
}

func TestRunAllAdvancesStepByStep(t *testing.T) {
	pass := passingSteps(t)
	m := newTestModel(t, Options{Config: testConfig()}, 80, 24)
	m, cmd := sendCmd(t, m, keyMsg("a"))
	if cmd == nil || m.flow.running != 0 || !m.flow.runAll {
		t.Fatalf("after a: running %d, runAll %v, cmd %v; want discovery running in a run-all", m.flow.running, m.flow.runAll, cmd != nil)
	}
	for i := 0; i < stepCount; i++ {
		if m.flow.running != i {
			t.Fatalf("step %d: running = %d", i, m.flow.running)
		}
		stale := stepDoneMsg{seq: m.flow.seq - 1, step: pass[i]}
		m = send(t, m, stale)
		if m.flow.steps[i] != nil {
			t.Fatalf("a result of an earlier run was recorded for step %d", i)
		}
		m = send(t, m, stepDoneMsg{seq: m.flow.seq, step: pass[i]})
		if m.flow.steps[i] != pass[i] {
			t.Fatalf("step %d not recorded", i)
		}
	}
	if m.flow.running != -1 || m.flow.runAll {
		t.Errorf("after the last step: running %d, runAll %v; want idle", m.flow.running, m.flow.runAll)
	}
	if !strings.Contains(ansi.Strip(m.View()), "flow complete") {
		t.Errorf("view after a complete run does not say so:\n%s", ansi.Strip(m.View()))
	}
}

func TestFailedStepStopsAndExplains(t *testing.T) {
	pass := passingSteps(t)
	m := newTestModel(t, Options{Config: testConfig()}, 80, 24)
	m = withSteps(m, pass[0], pass[1])
	m.flow.runAll = true
	m, _ = sendCmd(t, m, keyMsg("enter"))
	m.flow.runAll = true
	m, cmd := sendCmd(t, m, stepDoneMsg{seq: m.flow.seq, step: refusedTokenExchange(t)})
	if m.flow.running != -1 || cmd != nil {
		t.Errorf("after a failure: running %d, command %v; want the run to stop", m.flow.running, cmd != nil)
	}
	if m.flow.tab != tabExplain {
		t.Errorf("tab after a failure = %s, want Explain", tabNames[m.flow.tab])
	}
	view := ansi.Strip(m.View())
	for _, want := range []string{"invalid_target", "How to fix it", "Send the resource AS metadata issuer"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	m, cmd = sendCmd(t, m, keyMsg("n"))
	if cmd != nil || !strings.Contains(m.c.flash, "did not pass") {
		t.Errorf("next after a failure: flash %q, command %v; want a refusal naming the failed step", m.c.flash, cmd != nil)
	}
	m, cmd = sendCmd(t, m, keyMsg("r"))
	if cmd == nil || m.flow.running != int(flow.StepTokenExchange) {
		t.Errorf("r on the failed step: running %d; want the token exchange retried", m.flow.running)
	}
}

func TestEditAndResend(t *testing.T) {
	pass := passingSteps(t)
	m := newTestModel(t, Options{Config: testConfig()}, 100, 30)
	m = withSteps(m, pass[:]...)
	m = press(t, m, "down", "down", "e")
	if !m.flow.editing {
		t.Fatal("e did not open the edit form")
	}
	if got := m.flow.edit.values()["audience"]; got != inspecttest.ASIssuer {
		t.Errorf("audience prefilled with %q, want what was sent, %q", got, inspecttest.ASIssuer)
	}
	m = paste(t, m, "/")
	m = press(t, m, "tab", "tab", "tab", "tab", "right", "right")
	m, cmd := sendCmd(t, m, keyMsg("enter"))
	if cmd == nil || m.flow.running != int(flow.StepTokenExchange) || !m.flow.resend {
		t.Fatalf("enter on the last field: running %d, resend %v; want the token exchange resent", m.flow.running, m.flow.resend)
	}
	if got, want := m.flow.overrides[flow.StepTokenExchange]["audience"], inspecttest.ASIssuer+"/"; got != want {
		t.Errorf("audience override = %q, want %q", got, want)
	}
	if _, ok := m.flow.overrides[flow.StepTokenExchange]["scope"]; ok {
		t.Errorf("unchanged scope became an override: %v", m.flow.overrides[flow.StepTokenExchange])
	}
	if got := m.flow.authMethods[flow.StepTokenExchange]; got != config.AuthClientSecretPost {
		t.Errorf("client auth = %q, want %q", got, config.AuthClientSecretPost)
	}
	if got := m.flow.stepConfig(int(flow.StepTokenExchange)).IdP.AuthMethod; got != config.AuthClientSecretPost {
		t.Errorf("the resend's config authenticates with %q, want %q", got, config.AuthClientSecretPost)
	}
	if m.flow.cfg.IdP.AuthMethod != "" {
		t.Errorf("the edit changed the configuration itself: %q", m.flow.cfg.IdP.AuthMethod)
	}
	m = send(t, m, stepDoneMsg{seq: m.flow.seq, step: refusedTokenExchange(t), resend: true})
	if !m.flow.compare || m.flow.previous[flow.StepTokenExchange] != pass[2] {
		t.Errorf("after the resend: compare %v, previous kept %v; want the two side by side", m.flow.compare, m.flow.previous[flow.StepTokenExchange] == pass[2])
	}
	if m.flow.steps[flow.StepJWTBearer] != nil {
		t.Error("the steps after a resent one still show results from the old token")
	}
	view := ansi.Strip(m.View())
	for _, want := range []string{"Before", "After", "200 OK", "400 Bad Request"} {
		if !strings.Contains(view, want) {
			t.Errorf("side-by-side view lacks %q:\n%s", want, view)
		}
	}
	m = press(t, m, "esc")
	if m.flow.compare {
		t.Error("esc did not leave the side-by-side view")
	}
}

func TestEditOffersNothingForDiscovery(t *testing.T) {
	m := newTestModel(t, Options{Config: testConfig()}, 80, 24)
	m = press(t, m, "e")
	if m.flow.editing || !strings.Contains(m.c.flash, "no inputs to edit") {
		t.Errorf("e on discovery: editing %v, flash %q", m.flow.editing, m.c.flash)
	}
}

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

func TestOSC52Clipboard(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"plain terminal", nil, []string{"\x1b]52;c;ZXlKaGJH\x07"}},
		{"tmux: plain and passthrough", map[string]string{"TMUX": "/tmp/tmux-0/default,1,0"}, []string{"\x1b]52;c;ZXlKaGJH\x07", "\x1bPtmux;\x1b\x1b]52;c;ZXlKaGJH\x07\x1b\\"}},
		{"screen", map[string]string{"TERM": "screen-256color"}, []string{"\x1bP\x1b]52;c;ZXlKaGJH\x07\x1b\\"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := OSC52Clipboard(&out, func(k string) string { return tt.env[k] })("eyJhbG")
			if err != nil {
				t.Fatal(err)
			}
			if got, want := out.String(), strings.Join(tt.want, ""); got != want {
				t.Errorf("wrote %q, want %q", got, want)
			}
		})
	}
}

func TestRevealToggle(t *testing.T) {
	pass := passingSteps(t)
	m := newTestModel(t, Options{Config: testConfig()}, 120, 40)
	m = withSteps(m, pass[:]...)
	m = press(t, m, "down", "down", "3")
	raw := pass[2].Tokens[0].Token.Raw
	if strings.Contains(m.flow.pane.content, raw) {
		t.Fatal("the token is shown in full before reveal")
	}
	m = press(t, m, "v")
	if !strings.Contains(m.flow.pane.content, raw) {
		t.Error("v did not reveal the token")
	}
	if !strings.Contains(ansi.Strip(m.View()), "TOKENS REVEALED") {
		t.Error("the top bar does not warn that tokens are revealed")
	}
	m = press(t, m, "v")
	if strings.Contains(m.flow.pane.content, raw) {
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
	if m.flow.pane.vp.YOffset == 0 {
		t.Error("the wheel did not scroll the pane")
	}
	m = send(t, m, tea.MouseMsg{Button: tea.MouseButtonWheelUp, Action: tea.MouseActionPress})
	if m.flow.pane.vp.YOffset != 0 {
		t.Errorf("the wheel up left offset %d, want 0", m.flow.pane.vp.YOffset)
	}
}

// TestLayoutFits checks every screen at several sizes: exactly as many
// lines as the terminal has, none wider than it.
func TestLayoutFits(t *testing.T) {
	pass := passingSteps(t)
	screens := map[string]func(t *testing.T, m Model) Model{
		"setup":   func(t *testing.T, m Model) Model { m.screen = screenSetup; return m },
		"form":    func(t *testing.T, m Model) Model { m.screen = screenSetup; return press(t, m, "o") },
		"tokens":  func(t *testing.T, m Model) Model { return press(t, withSteps(m, pass[:]...), "down", "down", "3") },
		"request": func(t *testing.T, m Model) Model { return press(t, withSteps(m, pass[:]...), "down", "down", "1") },
		"chain":   func(t *testing.T, m Model) Model { return press(t, withSteps(m, pass[:]...), "up") },
		"edit":    func(t *testing.T, m Model) Model { return press(t, withSteps(m, pass[:]...), "down", "down", "e") },
		"help":    func(t *testing.T, m Model) Model { return press(t, m, "?") },
		"decoder": func(t *testing.T, m Model) Model { return paste(t, press(t, m, "d"), pass[2].Tokens[0].Token.Raw) },
	}
	for _, size := range [][2]int{{80, 24}, {100, 30}, {132, 43}, {200, 60}} {
		for name, build := range screens {
			t.Run(name+"/"+itoa(size[0])+"x"+itoa(size[1]), func(t *testing.T) {
				m := newTestModel(t, Options{Config: testConfig()}, size[0], size[1])
				lines := strings.Split(ansi.Strip(build(t, m).View()), "\n")
				if len(lines) != size[1] {
					t.Errorf("view has %d lines, want %d", len(lines), size[1])
				}
				for i, l := range lines {
					if w := ansi.StringWidth(l); w > size[0] {
						t.Errorf("line %d is %d cells wide, more than %d: %q", i+1, w, size[0], l)
					}
				}
			})
		}
	}
}

func TestResizeRewraps(t *testing.T) {
	pass := passingSteps(t)
	m := newTestModel(t, Options{Config: testConfig()}, 80, 24)
	m = withSteps(m, pass[:]...)
	m = press(t, m, "down", "down", "3")
	narrow := m.flow.pane.vp.TotalLineCount()
	m = send(t, m, tea.WindowSizeMsg{Width: 160, Height: 50})
	if m.flow.pane.width <= 80 || m.flow.pane.vp.TotalLineCount() >= narrow {
		t.Errorf("after widening: pane width %d, %d lines (were %d); want wider and fewer lines", m.flow.pane.width, m.flow.pane.vp.TotalLineCount(), narrow)
	}
}

func TestNoColor(t *testing.T) {
	pass := passingSteps(t)
	for _, colour := range []bool{false, true} {
		r := lipgloss.NewRenderer(&bytes.Buffer{})
		r.SetColorProfile(termenv.ANSI256)
		m := newTestModel(t, Options{Config: testConfig(), Renderer: r, Colour: colour}, 100, 30)
		m = withSteps(m, pass[:]...)
		m = press(t, m, "down", "down", "3")
		hasEscapes := strings.Contains(m.View(), "\x1b[")
		if hasEscapes != colour {
			t.Errorf("colour %v: view has escape sequences = %v", colour, hasEscapes)
		}
	}
}

func TestDecoderVerifies(t *testing.T) {
	k := inspecttest.Fixed("kid-1")
	jwks := inspecttest.JWKS(t, k)
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			json.NewEncoder(w).Encode(map[string]string{"issuer": srv.URL, "jwks_uri": srv.URL + "/keys"})
		case "/keys":
			w.Write(jwks)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	tok := k.Mint(t, inspect.TypIDJAG, inspecttest.Claims(inspecttest.Override(inspecttest.IDJAGClaims(testNow), "iss", srv.URL)...), nil)
	keyFile := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(keyFile, jwks, 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		keys       string
		wantSource string
		wantErr    string
	}{
		{"discovered from iss", "", srv.URL + "/keys", ""},
		{"JWKS URL", srv.URL + "/keys", srv.URL + "/keys", ""},
		{"key file", keyFile, keyFile, ""},
		{"JWKS typed in", string(jwks), "keys typed in", ""},
		{"missing file", filepath.Join(t.TempDir(), "nope.json"), "", "no such file"},
		{"URL answering 404", srv.URL + "/missing", "", "404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTestModel(t, Options{Screen: "decoder", Context: context.Background()}, 100, 40)
			m = paste(t, m, tok)
			if !strings.Contains(ansi.Strip(m.View()), "NOT VERIFIED") {
				t.Fatal("an unverified token is not flagged as such")
			}
			if tt.keys != "" {
				m = press(t, m, "tab")
				m = paste(t, m, tt.keys)
			}
			m, cmd := sendCmd(t, m, keyMsg("enter"))
			if !m.decoder.loading {
				t.Fatal("enter did not start loading keys")
			}
			msg, ok := cmdMsg[keysLoadedMsg](t, cmd)
			if !ok {
				t.Fatal("enter returned no key-loading command")
			}
			m = send(t, m, msg)
			view := ansi.Strip(m.View())
			if tt.wantErr != "" {
				if m.decoder.keyErr == nil || !strings.Contains(m.decoder.keyErr.Error(), tt.wantErr) {
					t.Errorf("key error = %v, want one mentioning %q", m.decoder.keyErr, tt.wantErr)
				}
				if !strings.Contains(view, "NOT VERIFIED") {
					t.Error("after a key failure the view no longer says NOT VERIFIED")
				}
				return
			}
			if m.decoder.keyErr != nil {
				t.Fatalf("keys: %v", m.decoder.keyErr)
			}
			if got := m.decoder.analysis(0).Signature.KeySource; got != tt.wantSource {
				t.Errorf("key source = %q, want %q", got, tt.wantSource)
			}
			if tt.keys == "" {
				// Keys found through the token's own iss: self-consistency, not trust.
				if !strings.Contains(view, "SELF-CONSISTENT ONLY") || strings.Contains(view, "✓ VERIFIED") {
					t.Errorf("view after discovering keys from iss does not give the caveat:\n%s", view)
				}
				return
			}
			if !strings.Contains(view, "✓ VERIFIED") || strings.Contains(view, "NOT VERIFIED") {
				t.Errorf("view after loading keys does not say VERIFIED:\n%s", view)
			}
		})
	}
	t.Run("a second paste from another issuer does not reuse the first's keys", func(t *testing.T) {
		m := newTestModel(t, Options{Screen: "decoder", Context: context.Background()}, 100, 40)
		m = paste(t, m, tok)
		m, cmd := sendCmd(t, m, keyMsg("enter"))
		msg, _ := cmdMsg[keysLoadedMsg](t, cmd)
		m = send(t, m, msg)
		other := k.Mint(t, inspect.TypIDJAG, inspecttest.Claims(inspecttest.Override(inspecttest.IDJAGClaims(testNow), "iss", "https://other.example")...), nil)
		m.decoder.setToken(other)
		if a := m.decoder.analysis(0); a.Signature.Verified() || !strings.Contains(a.Signature.Reason, "enter discovers the keys of https://other.example") {
			t.Errorf("the other issuer's token: %s, want no keys until its own are discovered", a.Signature.Verdict())
		}
	})
	t.Run("a JWKS pasted as the token points to the Keys field", func(t *testing.T) {
		m := newTestModel(t, Options{Screen: "decoder"}, 100, 40)
		m = paste(t, m, string(jwks))
		if view := ansi.Strip(m.View()); !strings.Contains(view, "paste it into the Keys field") || strings.Contains(view, "--jwks") {
			t.Errorf("a JWKS in the Token field is not pointed to the Keys field:\n%s", view)
		}
	})
	t.Run("stale answers are dropped", func(t *testing.T) {
		m := newTestModel(t, Options{Screen: "decoder"}, 100, 40)
		m = paste(t, m, tok)
		m, _ = sendCmd(t, m, keyMsg("enter"))
		m, _ = sendCmd(t, m, keyMsg("enter"))
		m = send(t, m, keysLoadedMsg{seq: m.decoder.seq - 1, err: errTest})
		if m.decoder.keyErr != nil || !m.decoder.loading {
			t.Errorf("an answer to an older request was applied: err %v, loading %v", m.decoder.keyErr, m.decoder.loading)
		}
	})
}

func TestSetupSavesConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "xaa", "config.yaml")
	m := newTestModel(t, Options{SavePath: path}, 80, 30)
	m = press(t, m, "down", "enter")
	values := []string{"https://dev-123.okta.com", "0oa1b2c3d4e5f6g7h8i9", "s3cret:+/=", "", "https://auth.example.com", "agent-at-todo", "as-s3cret", "https://api.example.com/mcp"}
	for i, v := range values {
		if v != "" {
			m = paste(t, m, v)
		}
		if i < len(values)-1 {
			m = press(t, m, "tab")
		}
	}
	m, cmd := sendCmd(t, m, keyMsg("enter"))
	saved, ok := cmdMsg[configSavedMsg](t, cmd)
	if !ok {
		t.Fatalf("enter on the last field did not save; view:\n%s", ansi.Strip(m.View()))
	}
	if saved.err != nil {
		t.Fatal(saved.err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("config mode = %v, want 0600", fi.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	cfg, err := config.Parse(data, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Errorf("the saved config does not validate: %v", err)
	}
	if cfg.IdP.ClientSecret.Reveal() != "s3cret:+/=" || cfg.ResourceAS.ClientSecret.Reveal() != "as-s3cret" {
		t.Error("the secrets did not reach the file")
	}
	if cfg.Resource.MCPURL != "https://api.example.com/mcp" || cfg.Resource.APIURL != "" {
		t.Errorf("resource URL saved as api_url %q, mcp_url %q; want the MCP URL", cfg.Resource.APIURL, cfg.Resource.MCPURL)
	}
	m = send(t, m, saved)
	if m.screen != screenFlow || !m.hasFlow || m.flow.cfg.IdP.Issuer != "https://dev-123.okta.com" {
		t.Errorf("after saving: screen %d; want the flow on the new config", m.screen)
	}
	if err := writeConfig(path, cfg); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("saving over an existing config: %v; want a refusal", err)
	}
}

func TestSetupValidatesInline(t *testing.T) {
	m := newTestModel(t, Options{}, 80, 30)
	m = press(t, m, "o")
	m = paste(t, m, "http://dev-123.okta.com")
	view := ansi.Strip(m.View())
	if strings.Contains(view, "must use https") {
		t.Error("a problem shows before the field was left")
	}
	m = press(t, m, "tab")
	if view = ansi.Strip(m.View()); !strings.Contains(view, "must use https") {
		t.Errorf("leaving the field did not show its problem:\n%s", view)
	}
	m, cmd := sendCmd(t, m, keyMsg("ctrl+s"))
	if _, ok := cmdMsg[configSavedMsg](t, cmd); ok {
		t.Error("an invalid form was saved")
	}
	if view = ansi.Strip(m.View()); !strings.Contains(view, "required") {
		t.Errorf("a save attempt did not show every problem:\n%s", view)
	}
}

func TestSetupWarnsAboutTheAdminConsoleURL(t *testing.T) {
	m := newTestModel(t, Options{}, 100, 30)
	m = press(t, m, "o")
	m = paste(t, m, "https://dev-123-admin.okta.com")
	m = press(t, m, "tab")
	if view := ansi.Strip(m.View()); !strings.Contains(view, "! \"https://dev-123-admin.okta.com\" is the Okta Admin Console's address") || !strings.Contains(view, "use https://dev-123.okta.com") {
		t.Errorf("the admin URL is not flagged with its fix:\n%s", view)
	}
}

func TestPlaygroundChosenBeforeReady(t *testing.T) {
	m := newTestModel(t, Options{}, 80, 24)
	m = press(t, m, "enter")
	if m.screen != screenSetup || !m.wantPG {
		t.Fatalf("choosing the playground before it started: screen %d, wantPG %v", m.screen, m.wantPG)
	}
	if !strings.Contains(ansi.Strip(m.View()), "the flow opens when it is up") {
		t.Error("the setup screen does not say the playground is on its way")
	}
	m = send(t, m, playgroundMsg{err: errTest})
	if m.screen != screenSetup || !strings.Contains(ansi.Strip(m.View()), "could not start") {
		t.Errorf("a failed start is not reported on the setup screen:\n%s", ansi.Strip(m.View()))
	}
	_, cmd := sendCmd(t, m, keyMsg("enter"))
	if cmd == nil {
		t.Error("enter after a failed start does not try again")
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
	if m.flow.inFlight == nil {
		t.Error("a tick while rendering lost track of the rendering in flight")
	}
	stale := msg
	stale.key.width++
	stale.content = "stale"
	if m = send(t, m, stale); strings.Contains(m.flow.pane.content, "stale") {
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

func TestResourceSkippedWithoutURL(t *testing.T) {
	pass := passingSteps(t)
	cfg := testConfig()
	cfg.Resource.APIURL, cfg.Resource.MCPURL = "", ""
	m := newTestModel(t, Options{Config: cfg}, 80, 24)
	m = withSteps(m, pass[0], pass[1], pass[2], pass[3])
	m, cmd := sendCmd(t, m, keyMsg("enter"))
	st := m.flow.steps[flow.StepResource]
	if cmd != nil || st == nil || st.Status != inspect.StatusSkip {
		t.Fatalf("resource without a URL: record %+v, command %v; want it skipped at once", st, cmd != nil)
	}
	if view := ansi.Strip(m.View()); !strings.Contains(view, "resource.mcp_url is configured") {
		t.Errorf("the view does not say why the step was skipped:\n%s", view)
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

func TestPlaygroundUserSwitch(t *testing.T) {
	ctx := context.Background()
	uri, err := playground.FreeRedirectURI()
	if err != nil {
		t.Fatal(err)
	}
	m := newTestModel(t, Options{Context: ctx, Playground: playground.Options{RedirectURIs: []string{uri}}}, 80, 24)
	msg, ok := cmdMsg[playgroundMsg](t, m.Init())
	if !ok || msg.err != nil {
		t.Fatalf("the playground did not start: %+v", msg)
	}
	defer msg.pg.Close()
	m = send(t, m, msg)
	m = press(t, m, "enter")
	if m.screen != screenFlow || m.flow.user != "alice" {
		t.Fatalf("screen %d, user %q; want the flow as alice", m.screen, m.flow.user)
	}
	pass := passingSteps(t)
	m = withSteps(m, pass[0], pass[1])
	m = press(t, m, "u")
	if m.flow.user != "bob" || !strings.Contains(m.c.flash, "not assigned to the resource app") {
		t.Errorf("after u: user %q, flash %q; want bob and what happens to him", m.flow.user, m.c.flash)
	}
	if m.flow.steps[flow.StepLogin] != nil || m.flow.steps[flow.StepDiscovery] == nil {
		t.Error("switching the user must clear the login and what followed, and keep discovery")
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

func TestStepListMatchesFlow(t *testing.T) {
	if got := len(flow.Steps()); got != stepCount {
		t.Fatalf("flow has %d steps, the screen lists %d", got, stepCount)
	}
	for i, id := range flow.Steps() {
		if int(id) != i {
			t.Errorf("flow.Steps()[%d] = %v; the screen indexes steps by their StepID", i, id)
		}
	}
}
