package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	xaaconfig "github.com/xaatools/xaa/flow/config"

	"github.com/xaatools/xaa/flow/playground"
)

// syncBuffer is a bytes.Buffer safe for a command writing while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func testIO(out, errOut *syncBuffer) stdio {
	return stdio{in: strings.NewReader(""), out: out, err: errOut, getenv: func(string) string { return "" }, now: time.Now}
}

// TestPlaygroundCommandUsage covers the refusals and --list-faults.
func TestPlaygroundCommandUsage(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		code    int
		out     string
		errText string
	}{
		{"list faults", []string{"--list-faults"}, exitOK, "okta-wrong-secret", ""},
		{"unknown fault", []string{"--listen", "127.0.0.1:0", "--fault", "nope"}, exitUsage, "", `unknown fault "nope"; the faults are: idjag-wrong-aud`},
		{"okta fault without the profile", []string{"--listen", "127.0.0.1:0", "--fault", "okta-wrong-secret"}, exitUsage, "", "needs --profile okta"},
		{"unknown profile", []string{"--listen", "127.0.0.1:0", "--profile", "auth0"}, exitUsage, "", `unknown profile "auth0"`},
		{"argument", []string{"now"}, exitUsage, "", `playground takes no arguments, got "now"`},
		{"unknown flag", []string{"--port", "1"}, exitUsage, "", "flag provided but not defined: -port"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut syncBuffer
			code := runPlayground(context.Background(), c.args, testIO(&out, &errOut))
			if code != c.code || !strings.Contains(out.String(), c.out) || !strings.Contains(errOut.String(), c.errText) {
				t.Errorf("got exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q", code, out.String(), errOut.String(), c.code, c.out, c.errText)
			}
		})
	}
	t.Run("every fault listed", func(t *testing.T) {
		var out, errOut syncBuffer
		runPlayground(context.Background(), []string{"--list-faults"}, testIO(&out, &errOut))
		for _, f := range playground.Faults() {
			if !strings.Contains(out.String(), f.Name) {
				t.Errorf("--list-faults lacks %s", f.Name)
			}
		}
	})
}

// TestPlaygroundCommand runs `xaa playground` until cancelled: it prints the
// URLs, client ids and demo users but no secret, writes the config (0600),
// serves, and exits 0 on interrupt.
func TestPlaygroundCommand(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "xaa.yaml")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- runPlayground(ctx, []string{"--listen", "127.0.0.1:0", "--write-config", config, "--key-dir", filepath.Join(dir, "keys"),
			"--fault", "idjag-wrong-aud", "--redirect-uri", "http://127.0.0.1:7777/cb"}, testIO(&out, &errOut))
	}()
	for !strings.Contains(out.String(), "Try: xaa run") {
		select {
		case code := <-done:
			t.Fatalf("exited %d early: %s %s", code, out.String(), errOut.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	printed := out.String()
	cfg, err := xaaconfig.Load(config, nil)
	if err != nil {
		t.Fatalf("the written config does not load: %v", err)
	}
	for _, secret := range []string{cfg.IdP.ClientSecret.Reveal(), cfg.ResourceAS.ClientSecret.Reveal()} {
		if secret == "" || strings.Contains(printed, secret) || strings.Contains(errOut.String(), secret) {
			t.Errorf("a client secret is empty or printed")
		}
	}
	for _, want := range []string{cfg.IdP.Issuer, cfg.ResourceAS.Issuer, cfg.Resource.MCPURL, playground.IdPClientID, playground.ASClientID,
		"alice", "bob", "carol", "dave", "idjag-wrong-aud", "http://127.0.0.1:7777/cb", "in " + config + " (mode 0600)"} {
		if !strings.Contains(printed, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if cfg.IdP.RedirectURI != "http://127.0.0.1:7777/cb" || cfg.Resource.ID != "" || strings.TrimSuffix(cfg.Resource.APIURL, "/todos") != strings.TrimSuffix(cfg.Resource.MCPURL, "/mcp") {
		t.Errorf("config %+v: wrong redirect URI or API URL", cfg)
	}
	for _, f := range []string{config, playground.ConfigFilesFor(config).PrivateKeyJWTConfig, playground.ConfigFilesFor(config).ClientKey} {
		if info, err := os.Stat(f); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, mode %v; want mode 0600", f, err, info.Mode().Perm())
		}
	}
	discovery := regexp.MustCompile(`discovery\s+(\S+)`).FindStringSubmatch(printed)
	if discovery == nil {
		t.Fatalf("no discovery URL in %s", printed)
	}
	resp, err := http.Get(discovery[1])
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %v %v", discovery[1], err, resp)
	} else {
		resp.Body.Close()
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("exit code after interrupt = %d, want 0; stderr %s", code, errOut.String())
	}
	if _, err := http.Get(discovery[1]); err == nil {
		t.Errorf("the IdP still answers after the command returned")
	}
}

// TestPlaygroundCommandKeptKeys: without --key-dir, xaa playground keeps
// its keys in $XDG_STATE_HOME/xaa/playground and reuses them; --rotate-keys
// makes new signing keys.
func TestPlaygroundCommandKeptKeys(t *testing.T) {
	state := t.TempDir()
	keyFile := filepath.Join(state, "xaa", "playground", "idp-rs256.pem")
	serve := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var out, errOut syncBuffer
		io := testIO(&out, &errOut)
		io.getenv = func(k string) string { return map[string]string{"XDG_STATE_HOME": state}[k] }
		done := make(chan int, 1)
		go func() { done <- runPlayground(ctx, append([]string{"--listen", "127.0.0.1:0"}, args...), io) }()
		for !strings.Contains(out.String(), "xaa playground is running") {
			select {
			case code := <-done:
				t.Fatalf("exited %d early: %s %s", code, out.String(), errOut.String())
			case <-time.After(20 * time.Millisecond):
			}
		}
		cancel()
		if code := <-done; code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		b, err := os.ReadFile(keyFile)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	first := serve()
	if again := serve(); again != first {
		t.Errorf("the second start did not reuse the kept IdP key")
	}
	if rotated := serve("--rotate-keys"); rotated == first {
		t.Errorf("--rotate-keys kept the IdP key")
	}
}
