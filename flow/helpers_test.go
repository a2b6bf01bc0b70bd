package flow_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/config"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
)

// env is a running playground and a runner configured for it, logging in
// with the playground's scripted browser.
type env struct {
	p      *playground.Playground
	cfg    *config.Config
	runner *flow.Runner
	// configPath is the YAML the playground wrote.
	configPath string
}

// freeRedirectURI returns a loopback redirect URI on a port that was free a
// moment ago, so parallel tests do not share the callback port.
func freeRedirectURI(t testing.TB) string {
	t.Helper()
	uri, err := playground.FreeRedirectURI()
	if err != nil {
		t.Fatal(err)
	}
	return uri
}

// start starts a playground with o, writes its config, loads it with
// Parse and returns a runner that logs in as user.
func start(t *testing.T, o playground.Options, user string) *env {
	t.Helper()
	if len(o.RedirectURIs) == 0 {
		o.RedirectURIs = []string{freeRedirectURI(t)}
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
	cfg := loadConfig(t, path)
	return &env{p: p, cfg: cfg, configPath: path, runner: &flow.Runner{
		Config: cfg,
		Env:    flow.Env{OpenBrowser: p.LoginBrowser(user)},
	}}
}

// loadConfig reads and validates a config file the way cmd/xaa does.
func loadConfig(t testing.TB, path string) *config.Config {
	t.Helper()
	cfg, err := config.Load(path, nil)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	return cfg
}

// run runs the whole flow from the start.
func (e *env) run(t *testing.T) *flow.Run {
	t.Helper()
	run, err := e.runner.Run(context.Background(), flow.StepDiscovery, "")
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return run
}

// summary renders each step's status, error and explanation, for failure
// messages.
func summary(run *flow.Run) string {
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
			if c.Status.String() == "fail" || c.Status.String() == "warn" {
				fmt.Fprintf(&b, "\n    %s %s: %s (expected %s, got %s)", c.Status.Glyph(), c.ID, c.Title, c.Expected, c.Actual)
			}
		}
		for _, a := range s.Tokens {
			for _, c := range a.Checks {
				if c.Status.String() == "fail" || c.Status.String() == "warn" {
					fmt.Fprintf(&b, "\n    %s %s %s: %s (expected %s, got %s)", c.Status.Glyph(), a.Token.Kind, c.ID, c.Title, c.Expected, c.Actual)
				}
			}
		}
	}
	return b.String()
}
