package main

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"
)

// TestRulesDocumented: docs/rules.md is what xaa decode --list-checks
// prints (go test ./cmd/xaa -run TestRulesDocumented -update rewrites it).
func TestRulesDocumented(t *testing.T) {
	r := runXAA(t, "", nil, "decode", "--list-checks")
	if r.code != exitOK || !strings.Contains(r.stdout, "`id_jag.aud`") || !strings.Contains(r.stdout, "`resource.mcp_aud`") || !strings.Contains(r.stdout, "`alg_none`") {
		t.Fatalf("decode --list-checks = %d, %q", r.code, r.stdout)
	}
	const path = "../../docs/rules.md"
	if u := flag.Lookup("update"); u != nil && u.Value.String() == "true" {
		if err := os.WriteFile(path, []byte(r.stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc, []byte(r.stdout)) {
		t.Errorf("docs/rules.md is not what xaa decode --list-checks prints: run go test ./cmd/xaa -run TestRulesDocumented -update")
	}
}
