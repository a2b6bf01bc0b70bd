package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testNow is the clock of command tests, so reports are reproducible.
var testNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// result is what one in-process command run printed and returned.
type result struct {
	code   int
	stdout string
	stderr string
}

// runXAA runs the xaa command line in-process with the given standard
// input and environment, as a pipe (not a terminal) unless env sets
// "TERMINAL=1".
func runXAA(t *testing.T, stdin string, env map[string]string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, stdio{
		in:            strings.NewReader(stdin),
		out:           &out,
		err:           &errOut,
		outIsTerminal: env["TERMINAL"] == "1",
		getenv:        func(k string) string { return env[k] },
		now:           func() time.Time { return testNow },
	})
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// writeFile writes a file in a fresh temporary directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestUnknownCommand(t *testing.T) {
	r := runXAA(t, "", nil, "frobnicate")
	if r.code != exitUsage || !strings.Contains(r.stderr, `unknown command "frobnicate"`) || !strings.Contains(r.stderr, "decode") {
		t.Errorf("xaa frobnicate = %d, stderr %q; want usage error listing the commands", r.code, r.stderr)
	}
}

// TestBadPlaygroundFlagsExitEarly: a demo user or fault that does not exist
// is a usage error before anything starts, listing what exists.
func TestBadPlaygroundFlagsExitEarly(t *testing.T) {
	for _, args := range [][]string{
		{"run", "--playground", "--user", "eve"},
		{"--user", "eve"},
		{"--fault", "no-such-fault"},
		{"--fault", "okta-no-connection"},
	} {
		r := runXAA(t, "", map[string]string{"TERMINAL": "1"}, args...)
		if r.code != exitUsage {
			t.Errorf("xaa %v = %d, want %d:\n%s", args, r.code, exitUsage, r.stderr)
		}
		if !strings.Contains(r.stderr, "alice, bob, carol, dave") && !strings.Contains(r.stderr, "the faults are") && !strings.Contains(r.stderr, "needs --profile okta") {
			t.Errorf("xaa %v does not list what exists:\n%s", args, r.stderr)
		}
	}
}
