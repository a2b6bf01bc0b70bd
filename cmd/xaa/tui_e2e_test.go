package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// tmuxSession drives the real xaa binary in a tmux session of its own (own
// server socket, no user config), as a person at a terminal would.
type tmuxSession struct {
	t    *testing.T
	sock string
	dir  string // the working directory and $HOME of xaa
}

// buildXAA builds the binary once per test binary run.
func buildXAA(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "xaa")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startTmux starts xaa in a 120×40 tmux session. env adds variables; the
// exit status lands in dir/exit.
func startTmux(t *testing.T, bin string, env ...string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	dir := t.TempDir()
	s := &tmuxSession{t: t, sock: filepath.Join(dir, "tmux.sock"), dir: dir}
	vars := append([]string{"HOME=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(dir, ".config"), "XDG_STATE_HOME=" + filepath.Join(dir, ".local", "state"), "TERM=xterm-256color"}, env...)
	script := fmt.Sprintf("cd %q && env %s %q; echo $? > %q; sleep 30", dir, strings.Join(quoteAll(vars), " "), bin, filepath.Join(dir, "exit"))
	s.tmux("-f", "/dev/null", "new-session", "-d", "-s", "xaa", "-x", "120", "-y", "40", script)
	s.tmux("set-option", "-g", "set-clipboard", "on")
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", s.sock, "kill-server").Run() })
	return s
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", s.sock}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// screen returns what the pane shows; escapes keeps the colour codes.
func (s *tmuxSession) screen(escapes bool) string {
	args := []string{"capture-pane", "-p", "-t", "xaa"}
	if escapes {
		args = append(args, "-e")
	}
	return s.tmux(args...)
}

// send presses keys (tmux key names: Enter, Up, Escape, C-c, or text).
func (s *tmuxSession) send(keys ...string) {
	s.tmux(append([]string{"send-keys", "-t", "xaa"}, keys...)...)
}

// waitFor waits until the screen shows every text. The limit is generous
// for a loaded machine; nothing here measures speed.
func (s *tmuxSession) waitFor(texts ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var screen string
	for time.Now().Before(deadline) {
		screen = s.screen(false)
		found := true
		for _, text := range texts {
			found = found && strings.Contains(screen, text)
		}
		if found {
			return screen
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("the screen never showed %q; it shows:\n%s", texts, screen)
	return ""
}

// exitStatus waits for xaa to exit and returns its status.
func (s *tmuxSession) exitStatus() string {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(filepath.Join(s.dir, "exit")); err == nil && len(b) > 0 {
			return strings.TrimSpace(string(b))
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("xaa did not exit; the screen shows:\n%s", s.screen(false))
	return ""
}

// TestTUIEndToEnd runs the real binary in tmux: first run without a config,
// the playground, every step, the ID-JAG's claims, copying the token over
// OSC 52 into tmux's buffer, pasting it into the decoder and verifying it
// with keys discovered from its iss, then quitting with status 0.
func TestTUIEndToEnd(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	bin := buildXAA(t)
	s := startTmux(t, bin)

	s.waitFor("Walk through the built-in playground", "Playground: ✓ ready")
	s.send("Enter")
	s.waitFor("enter runs Discovery")
	s.send("a")
	s.waitFor("flow complete")
	for _, n := range []string{"0", "1", "2", "3", "4"} {
		if !regexp.MustCompile(`✓ ` + n + ` [A-Z]`).MatchString(s.screen(false)) {
			t.Errorf("step %s does not show ✓:\n%s", n, s.screen(false))
		}
	}
	s.send("Up", "Up", "3")
	s.waitFor("2 · Token exchange", "typ  oauth-id-jag+jwt", "client_id", "✓ VERIFIED")

	s.send("y")
	s.waitFor("ID-JAG copied to the clipboard")
	buf := s.tmux("show-buffer")
	if !regexp.MustCompile(`^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$`).MatchString(strings.TrimSpace(buf)) {
		t.Fatalf("tmux's buffer after y holds %q, want the ID-JAG", buf)
	}

	s.send("d")
	s.waitFor("Decoder", "Paste a token")
	s.tmux("paste-buffer", "-p", "-t", "xaa")
	s.waitFor("NOT VERIFIED", "ID-JAG")
	s.send("Enter")
	// Keys found through the token's own iss: verified, self-consistency only.
	s.waitFor("SELF-CONSISTENT ONLY", "found by kid")

	s.send("Escape")
	s.waitFor("Token chain")
	s.send("q")
	if got := s.exitStatus(); got != "0" {
		t.Errorf("exit status after q = %s, want 0", got)
	}
}

// TestTUIInterrupt checks that ctrl+c ends xaa with status 130, and that
// NO_COLOR leaves the screen without colours.
func TestTUIInterrupt(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	bin := buildXAA(t)
	s := startTmux(t, bin, "NO_COLOR=1")
	s.waitFor("Walk through the built-in playground")
	if colour := regexp.MustCompile(`\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;)`); colour.MatchString(s.screen(true)) {
		t.Errorf("with NO_COLOR the screen has colour codes:\n%q", s.screen(true))
	}
	s.send("C-c")
	if got := s.exitStatus(); got != "130" {
		t.Errorf("exit status after ctrl+c = %s, want 130", got)
	}
}

// TestTUINoTerminalQuery runs xaa on a pseudo-terminal that never answers
// escape-sequence queries (util-linux script, output to a pipe). Bubble Tea
// v1 would ask it for its background colour at start-up and wait seconds
// for an answer that never comes; xaa must not ask (see tui/noquery), and
// must draw its first frame.
func TestTUINoTerminalQuery(t *testing.T) {
	if _, err := exec.LookPath("script"); err != nil {
		t.Skip("util-linux script is not installed")
	}
	bin := buildXAA(t)
	dir := t.TempDir()
	cmd := exec.Command("script", "-qfc", "stty cols 100 rows 30; exec "+bin, "/dev/null")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_STATE_HOME="+dir, "TERM=xterm-256color")
	var out syncBuffer
	cmd.Stdout = &out
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "Walk through the built-in playground") {
		if time.Now().After(deadline) {
			t.Fatalf("no first frame; output so far: %q", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	stdin.Write([]byte("q"))
	cmd.Wait()
	for _, query := range []string{"\x1b]11;?", "\x1b]10;?"} {
		if strings.Contains(out.String(), query) {
			t.Errorf("xaa asked the terminal for its colours (%q): a terminal that does not answer stalls the start", query)
		}
	}

	// A text command on the same terminal must not ask either.
	var sub syncBuffer
	decode := exec.Command("script", "-qfc", bin+" decode --offline not-a-jwt-but-opaque", "/dev/null")
	decode.Dir, decode.Env, decode.Stdout = dir, cmd.Env, &sub
	start := time.Now()
	if err := decode.Run(); err != nil {
		t.Fatalf("xaa decode on a pty: %v\n%s", err, sub.String())
	}
	if d := time.Since(start); strings.Contains(sub.String(), "\x1b]11;?") || !strings.Contains(sub.String(), "opaque token") {
		t.Errorf("xaa decode on a pty (%v) asked the terminal or printed no report: %q", d, sub.String())
	}
}

// BenchmarkTUIFirstFrame measures, for the real binary on a pseudo-terminal
// (util-linux script), the time from starting it to its first frame
// (ms/first-frame) and to the built-in playground shown as ready
// (ms/playground-ready), and what script and stty alone take to print a
// line (ms/pty-baseline), which both include.
func BenchmarkTUIFirstFrame(b *testing.B) {
	if _, err := exec.LookPath("script"); err != nil {
		b.Skip("util-linux script is not installed")
	}
	bin := filepath.Join(b.TempDir(), "xaa")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	dir := b.TempDir()
	until := func(command string, marks ...string) []time.Duration {
		cmd := exec.Command("script", "-qfc", "stty cols 120 rows 40; "+command, "/dev/null")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_STATE_HOME="+dir, "TERM=xterm-256color")
		out, _ := cmd.StdoutPipe()
		stdin, _ := cmd.StdinPipe()
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		var seen []time.Duration
		var buf bytes.Buffer
		chunk := make([]byte, 4096)
		for len(seen) < len(marks) {
			n, err := out.Read(chunk)
			buf.Write(chunk[:n])
			for len(seen) < len(marks) && bytes.Contains(buf.Bytes(), []byte(marks[len(seen)])) {
				seen = append(seen, time.Since(start))
			}
			if err != nil {
				b.Fatalf("output ended before %q: %q", marks[len(seen)], buf.String())
			}
		}
		stdin.Write([]byte("q"))
		cmd.Process.Kill()
		cmd.Wait()
		return seen
	}
	var first, ready, baseline time.Duration
	for i := 0; i < b.N; i++ {
		t := until("exec "+bin, "Walk through the built-in playground", "✓ ready")
		first, ready = first+t[0], ready+t[1]
		baseline += until("echo pty-baseline", "pty-baseline")[0]
	}
	per := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
	b.ReportMetric(per(first), "ms/first-frame")
	b.ReportMetric(per(ready), "ms/playground-ready")
	b.ReportMetric(per(baseline), "ms/pty-baseline")
}
