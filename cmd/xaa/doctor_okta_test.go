package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDoctorOktaToken: --okta-token @FILE wins over okta.token of the
// playground's config; a token the org refuses makes the org checks
// unknown (never a stop, never exit 2), and the token is printed nowhere.
func TestDoctorOktaToken(t *testing.T) {
	e := startDoctorPlayground(t, false)
	file := filepath.Join(t.TempDir(), "okta-token")
	const bad = "00wrong-okta-admin-token-value"
	if err := os.WriteFile(file, []byte(bad+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runDoctorCommand(t, "", "--config", e.config, "--okta-token", "@"+file, "-v")
	if r.code == exitUsage {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "? The org's admin API can be read (read-only)") || !strings.Contains(r.stdout, "E0000011") {
		t.Errorf("the refused read is not an unknown check naming Okta's error:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout+r.stderr, bad) {
		t.Error("the --okta-token value is in the output")
	}
	e.secrets = append(e.secrets, bad)
	assertNoSecrets(t, e, r)
}
