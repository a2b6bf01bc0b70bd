package tui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/config"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

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
	narrow := m.flow.tabs.pane.vp.TotalLineCount()
	m = send(t, m, tea.WindowSizeMsg{Width: 160, Height: 50})
	if m.flow.tabs.pane.width <= 80 || m.flow.tabs.pane.vp.TotalLineCount() >= narrow {
		t.Errorf("after widening: pane width %d, %d lines (were %d); want wider and fewer lines", m.flow.tabs.pane.width, m.flow.tabs.pane.vp.TotalLineCount(), narrow)
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
	values := []string{"https://dev-123.okta.com", "0oa1b2c3d4e5f6g7h8i9", "s3cret:+/=", "", "→", "https://auth.example.com", "agent-at-todo", "as-s3cret", "https://api.example.com/mcp"}
	for i, v := range values {
		switch v {
		case "":
		case "→": // the next choice: the refresh token as the subject
			m = press(t, m, "right")
		default:
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
	if cfg.IdP.Subject != config.SubjectRefreshToken {
		t.Errorf("idp.subject saved as %q, want %q", cfg.IdP.Subject, config.SubjectRefreshToken)
	}
	if cfg.Resource.MCPURL != "https://api.example.com/mcp" || cfg.Resource.APIURL != "" {
		t.Errorf("resource URL saved as api_url %q, mcp_url %q; want the MCP URL", cfg.Resource.APIURL, cfg.Resource.MCPURL)
	}
	m = send(t, m, saved)
	if m.screen != screenFlow || !m.hasFlow || m.flow.config().IdP.Issuer != "https://dev-123.okta.com" {
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

// TestTooSmallSaysItAll: the too-small message wraps to the terminal it
// complains about, down to the sizes just below the minimum.
func TestTooSmallSaysItAll(t *testing.T) {
	for _, size := range [][2]int{{59, 30}, {40, 10}, {100, 15}} {
		m := newTestModel(t, Options{}, size[0], size[1])
		view := ansi.Strip(m.View())
		for _, l := range strings.Split(view, "\n") {
			if ansi.StringWidth(l) > size[0] {
				t.Errorf("at %d×%d a line is %d wide: %q", size[0], size[1], ansi.StringWidth(l), l)
			}
		}
		if !strings.Contains(strings.Join(strings.Fields(view), " "), "80×24 or more is best.") {
			t.Errorf("at %d×%d the message is cut:\n%s", size[0], size[1], view)
		}
	}
}

// TestMouseIsLent: the terminal keeps the mouse (selecting text copies
// it) until m lends it to xaa for the wheel, and m gives it back.
func TestMouseIsLent(t *testing.T) {
	m := newTestModel(t, Options{Config: testConfig()}, 100, 30)
	if m.c.mouse {
		t.Fatal("xaa takes the mouse at start")
	}
	m, cmd := sendCmd(t, m, keyMsg("m"))
	if !m.c.mouse || cmd == nil || fmt.Sprint(cmd()) != fmt.Sprint(tea.EnableMouseCellMotion()) {
		t.Errorf("m: mouse %t, command %v; want the wheel enabled", m.c.mouse, cmd)
	}
	m, cmd = sendCmd(t, m, keyMsg("m"))
	if m.c.mouse || cmd == nil || fmt.Sprint(cmd()) != fmt.Sprint(tea.DisableMouse()) {
		t.Errorf("m again: mouse %t; want it given back", m.c.mouse)
	}
}
