// Package flowtest is test support for the packages built on flow (like
// net/http/httptest): it starts the embedded playground in-process on free
// loopback ports, writes and loads its config the way cmd/xaa loads a
// user's, and returns a runner whose scripted browser logs a demo user in.
package flowtest

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/config"
	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

// Env is a running playground and a runner configured for it.
type Env struct {
	Playground *playground.Playground
	// Config is the config the playground wrote, loaded and validated.
	Config *config.Config
	Runner *flow.Runner
	// ConfigPath is the YAML file the playground wrote.
	ConfigPath string
}

// FreeRedirectURI returns a loopback redirect URI on a port that was free a
// moment ago, so parallel tests do not share the callback port.
func FreeRedirectURI(t testing.TB) string {
	t.Helper()
	uri, err := playground.FreeRedirectURI()
	if err != nil {
		t.Fatal(err)
	}
	return uri
}

// Start starts a playground with o, writes its config, loads it with
// config.Load and returns a runner that logs in as user. The playground
// stops when the test ends.
func Start(t testing.TB, o playground.Options, user string) *Env {
	t.Helper()
	if len(o.RedirectURIs) == 0 {
		o.RedirectURIs = []string{FreeRedirectURI(t)}
	}
	p, err := playground.Start(context.Background(), o)
	if err != nil {
		t.Fatalf("playground.Start: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	path := filepath.Join(t.TempDir(), "xaa.yaml")
	if err := p.WriteConfig(path); err != nil {
		t.Fatalf("WriteConfig: %v", err)
	}
	cfg := LoadConfig(t, path)
	return &Env{Playground: p, Config: cfg, ConfigPath: path, Runner: &flow.Runner{
		Config: cfg,
		Env:    flow.Env{OpenBrowser: p.LoginBrowser(user)},
	}}
}

// LoadConfig reads and validates a config file the way cmd/xaa does.
func LoadConfig(t testing.TB, path string) *config.Config {
	t.Helper()
	cfg, err := config.Load(path, nil)
	if err != nil {
		t.Fatalf("config.Load: %v", err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	return cfg
}

// Run runs the whole flow from the start.
func (e *Env) Run(t testing.TB) *flow.Run {
	t.Helper()
	run, err := e.Runner.Run(context.Background(), flow.StepDiscovery, "")
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return run
}

// Summary renders each step's status, error and explanation and the checks
// that did not pass, for failure messages.
func Summary(run *flow.Run) string {
	var b strings.Builder
	for _, s := range run.Steps {
		fmt.Fprintf(&b, "\n  %s: %s", s.ID, s.Status)
		if s.Err != nil {
			fmt.Fprintf(&b, " — %v", s.Err)
		}
		if s.Explanation != nil {
			fmt.Fprintf(&b, " [%s]", s.Explanation.ID)
		}
		for _, c := range s.Checks {
			if c.Status == inspect.StatusFail || c.Status == inspect.StatusWarn {
				fmt.Fprintf(&b, "\n    %s %s: %s (expected %s, got %s)", c.Status, c.ID, c.Title, c.Expected, c.Actual)
			}
		}
		for _, a := range s.Tokens {
			for _, c := range a.Checks {
				if c.Status == inspect.StatusFail || c.Status == inspect.StatusWarn {
					fmt.Fprintf(&b, "\n    %s %s %s: %s (expected %s, got %s)", c.Status, a.Token.Kind, c.ID, c.Title, c.Expected, c.Actual)
				}
			}
		}
	}
	return b.String()
}
