package main

import (
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/inspect"
)

// TestRefreshTokenKeptAndLogout: with idp.subject refresh_token the first
// run logs in and keeps the refresh token, the second starts at the token
// exchange without a browser, and xaa logout forgets the token.
func TestRefreshTokenKeptAndLogout(t *testing.T) {
	e := startRunPlayground(t, "alice")
	env := map[string]string{"XDG_STATE_HOME": t.TempDir(), "XAA_NO_KEYRING": "1"}
	runArgs := []string{"run", "--config", e.config, "--set", "idp.subject=refresh_token", "--json"}

	first := runXAA(t, "", env, runArgs...)
	if notes := strings.Join(stepOf(decodeRun(t, first.stdout), flow.StepLogin).Notes, "\n"); first.code != exitOK || !strings.Contains(notes, "kept the refresh token") {
		t.Fatalf("first run = %d, want 0 and the token kept; login notes:\n%s", first.code, notes)
	}
	second := runXAA(t, "", env, runArgs...)
	j := decodeRun(t, second.stdout)
	if second.code != exitOK || stepOf(j, flow.StepLogin).Status != inspect.StatusSkip || stepOf(j, flow.StepTokenExchange).Status != inspect.StatusPass {
		t.Fatalf("second run = %d, steps %v; want the login skipped and the exchange passing:\n%s", second.code, j.Steps, second.stderr)
	}
	for _, out := range []string{first.stdout, first.stderr, second.stdout, second.stderr} {
		if strings.Contains(out, "rt_") && !strings.Contains(out, "…") {
			t.Errorf("a refresh token is shown in full:\n%s", out)
		}
	}

	logout := runXAA(t, "", env, "logout", "--config", e.config)
	if logout.code != exitOK || !strings.Contains(logout.stdout, "forgot the refresh token kept for") {
		t.Errorf("xaa logout = %d, %q; want the token forgotten", logout.code, logout.stdout)
	}
	again := runXAA(t, "", env, "logout", "--config", e.config)
	if again.code != exitOK || !strings.Contains(again.stdout, "no refresh token was kept") {
		t.Errorf("second xaa logout = %d, %q; want none kept", again.code, again.stdout)
	}
	third := runXAA(t, "", env, runArgs...)
	if j := decodeRun(t, third.stdout); third.code != exitOK || stepOf(j, flow.StepLogin).Status != inspect.StatusPass {
		t.Errorf("after logout the run logs in again: %d, %v", third.code, j.Steps)
	}
}
