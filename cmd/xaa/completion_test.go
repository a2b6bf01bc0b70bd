package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow"
)

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		r := runXAA(t, "", nil, args...)
		if r.code != exitOK || !strings.HasPrefix(r.stdout, "xaa "+flow.Version()+" (go") {
			t.Errorf("xaa %v = %d %q, want the version", args, r.code, r.stdout)
		}
	}
}

// TestComplete: the candidates come from the commands' own flag sets and
// from what xaa knows of flag values.
func TestComplete(t *testing.T) {
	cases := []struct {
		words []string
		want  string
	}{
		{[]string{"de"}, "decode"},
		{[]string{"--no"}, "--no-browser"},
		{[]string{"run", "--fa"}, "--fault"},
		{[]string{"run", "--fault", "okta-no"}, "okta-no-connection"},
		{[]string{"run", "--from", "tok"}, "token_exchange"},
		{[]string{"--user", "c"}, "carol"},
		{[]string{"conform", "--case", "alg_n"}, "alg_none"},
		{[]string{"decode", "--jw"}, "--jwks"},
	}
	for _, c := range cases {
		r := runXAA(t, "", nil, append([]string{"__complete"}, c.words...)...)
		if got := strings.Fields(r.stdout); r.code != exitOK || len(got) == 0 || got[0] != c.want {
			t.Errorf("__complete %v = %d %q, want %s first", c.words, r.code, got, c.want)
		}
	}
}

// TestCompletionInBash sources the bash script in a real bash and
// completes as a user pressing tab would.
func TestCompletionInBash(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	bin := buildXAA(t)
	script := runXAA(t, "", nil, "completion", "bash").stdout
	path := filepath.Join(t.TempDir(), "xaa.bash")
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bash, "-c", `source "$1"; COMP_WORDS=(xaa run --fault okta-todo); COMP_CWORD=3; _xaa; printf '%s\n' "${COMPREPLY[@]}"`, "bash", path)
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "okta-todo0-audience" {
		t.Errorf("bash completion of 'xaa run --fault okta-todo' = %q (%v), want okta-todo0-audience", out, err)
	}
	for _, sh := range []string{"zsh", "fish"} {
		if r := runXAA(t, "", nil, "completion", sh); r.code != exitOK || !strings.Contains(r.stdout, "xaa __complete") {
			t.Errorf("xaa completion %s = %d %q", sh, r.code, r.stdout)
		}
	}
	if r := runXAA(t, "", nil, "completion", "powershell"); r.code != exitUsage {
		t.Errorf("xaa completion powershell = %d, want a usage error", r.code)
	}
}
