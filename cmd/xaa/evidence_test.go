package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// fullJWT matches a token that was not shortened.
var fullJWT = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}`)

// TestEvidence: xaa run --evidence and xaa conform --evidence write one
// document with both sections, no secret and no full token in it; a file
// xaa did not write is never overwritten.
func TestEvidence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "evidence.md")
	e := startRunPlayground(t, "alice")
	r := runXAA(t, "", nil, "run", "--config", e.config, "--evidence", path, "--reveal")
	if r.code != exitOK {
		t.Fatalf("xaa run --evidence = %d:\n%s", r.code, r.stderr)
	}
	as := startASUnderTest(t)
	c := runConformCmd(t, context.Background(), nil, "--config", as.config, "--listen", as.listen, "--key-dir", t.TempDir(), "--evidence", path)
	if c.code != exitOK {
		t.Fatalf("xaa conform --evidence = %d:\n%s", c.code, c.stderr)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	run := strings.Index(doc, "# The flow, step by step — every step passed")
	conf := strings.Index(doc, "# Resource authorization server conformance — pass")
	if !strings.HasPrefix(doc, "# Cross App Access test evidence") || run < 0 || conf < run {
		t.Fatalf("the document lacks its title, or the run and then the conformance section:\n%s", doc)
	}
	for _, want := range []string{"Made with xaa ", "| IdP | " + e.p.IdPURL(), "Metadata and keys read:", "| `alg_none` | strict |", "0 of 1 strictness cases lenient", "| `aud_trailing_slash` | strictness |"} {
		if !strings.Contains(doc, want) {
			t.Errorf("the document lacks %q", want)
		}
	}
	for _, secret := range append(e.secrets, as.secret) {
		if strings.Contains(doc, secret) {
			t.Errorf("a secret is in the evidence: %q", secret)
		}
	}
	if m := fullJWT.FindString(doc); m != "" {
		t.Errorf("a full token is in the evidence (--reveal does not reach it): %.40s…", m)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("evidence file mode %v, want 0600", fi.Mode().Perm())
	}

	// A second run rewrites its own section and keeps the scorecard.
	if r := runXAA(t, "", nil, "run", "--config", e.config, "--evidence", path); r.code != exitOK {
		t.Fatalf("second xaa run --evidence = %d:\n%s", r.code, r.stderr)
	}
	again, _ := os.ReadFile(path)
	if strings.Count(string(again), "# The flow, step by step") != 1 || !strings.Contains(string(again), "# Resource authorization server conformance") {
		t.Errorf("the second run did not replace its section and keep the other:\n%s", again)
	}
}

func TestEvidenceRefusesOtherFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.md")
	if err := os.WriteFile(path, []byte("my own notes\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e := startRunPlayground(t, "alice")
	r := runXAA(t, "", nil, "run", "--config", e.config, "--evidence", path)
	if r.code != exitUsage || !strings.Contains(r.stderr, "is not an xaa evidence document") {
		t.Errorf("--evidence over another file = %d, %q; want a refusal", r.code, r.stderr)
	}
	if data, _ := os.ReadFile(path); string(data) != "my own notes\n" {
		t.Errorf("the file was changed: %q", data)
	}
}
