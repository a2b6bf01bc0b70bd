package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/inspect"

	"github.com/xaatools/xaa/flow/explain"

	"github.com/xaatools/xaa/flow/wire"

	xaaconfig "github.com/xaatools/xaa/flow/config"

	"go.yaml.in/yaml/v3"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
)

// runPlaygroundEnv is a playground and the config file it wrote; logins go
// through its scripted browser as user.
type runPlaygroundEnv struct {
	p      *playground.Playground
	config string
	// secrets are every secret the config and the demo users hold.
	secrets []string
}

// startRunPlayground starts a playground on the test clock and makes
// `xaa run` log in with its scripted browser.
func startRunPlayground(t *testing.T, user string, faults ...string) *runPlaygroundEnv {
	t.Helper()
	e := startPlaygroundForRun(t, faults...)
	saved := newBrowserOpener
	newBrowserOpener = func(stdio) func(string) error { return e.p.LoginBrowser(user) }
	t.Cleanup(func() { newBrowserOpener = saved })
	return e
}

// startPlaygroundForRun starts a playground on the test clock and writes
// its config; logins use the browser xaa run would use.
func startPlaygroundForRun(t *testing.T, faults ...string) *runPlaygroundEnv {
	t.Helper()
	p, err := playground.Start(context.Background(), playground.Options{
		Faults: faults, RedirectURIs: []string{freeRedirectURI(t)}, Now: func() time.Time { return testNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	path := filepath.Join(t.TempDir(), "xaa.yaml")
	if err := p.WriteConfig(path); err != nil {
		t.Fatal(err)
	}
	c := p.Config()
	e := &runPlaygroundEnv{p: p, config: path, secrets: []string{c.IdP.ClientSecret.Reveal(), c.ResourceAS.ClientSecret.Reveal()}}
	for _, u := range p.Users() {
		e.secrets = append(e.secrets, u.Password)
	}
	key, err := os.ReadFile(playground.ConfigFilesFor(path).ClientKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(key), "\n") {
		if len(line) > 20 && !strings.HasPrefix(line, "-----") {
			e.secrets = append(e.secrets, line)
		}
	}
	return e
}

// runJSON is the JSON of xaa run --json as a script reads it.
type runJSON struct {
	OK      bool       `json:"ok"`
	Verdict string     `json:"verdict"`
	Steps   []stepJSON `json:"steps"`
}

type stepJSON struct {
	ID        flow.StepID         `json:"id"`
	Status    inspect.Status      `json:"status"`
	Exchanges []wire.ExchangeJSON `json:"exchanges"`
	Tokens    []struct {
		Kind  string `json:"kind"`
		Token string `json:"token"`
	} `json:"tokens"`
	Error *explain.ErrorJSON `json:"error"`
	Notes []string           `json:"notes"`
}

// freeRedirectURI returns a loopback redirect URI on a port that was free a
// moment ago, so tests do not share xaa's callback port.
func freeRedirectURI(t testing.TB) string {
	t.Helper()
	uri, err := playground.FreeRedirectURI()
	if err != nil {
		t.Fatal(err)
	}
	return uri
}

// decodeRun parses the JSON output of xaa run --json.
func decodeRun(t *testing.T, out string) runJSON {
	t.Helper()
	var j runJSON
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatalf("xaa run --json printed no JSON: %v\n%s", err, out)
	}
	return j
}

func TestRunCommand(t *testing.T) {
	e := startRunPlayground(t, "alice")

	t.Run("json", func(t *testing.T) {
		r := runXAA(t, "", nil, "run", "--config", e.config, "--json")
		j := decodeRun(t, r.stdout)
		if r.code != exitOK || !j.OK {
			t.Fatalf("xaa run --json = %d (ok %t), want 0 and ok\nstderr: %s", r.code, j.OK, r.stderr)
		}
		var ids []string
		for _, s := range j.Steps {
			ids = append(ids, s.ID.String()+":"+s.Status.String())
		}
		if got, want := strings.Join(ids, " "), "discovery:pass login:pass token_exchange:pass jwt_bearer:pass resource:pass"; got != want {
			t.Errorf("steps = %s, want %s", got, want)
		}
		if !strings.Contains(r.stderr, "open this URL") && !strings.Contains(r.stderr, "opening the browser") {
			t.Errorf("stderr has no login URL progress:\n%s", r.stderr)
		}
	})

	t.Run("human", func(t *testing.T) {
		r := runXAA(t, "", nil, "run", "--config", e.config)
		if r.code != exitOK {
			t.Fatalf("xaa run = %d, want 0\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		for _, want := range []string{"✓ every step passed", "✓ 2 Token exchange", "MCP", "list_todos"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("report lacks %q:\n%s", want, r.stdout)
			}
		}
		if strings.Contains(r.stdout, "\x1b[") {
			t.Errorf("piped report has ANSI escapes:\n%q", r.stdout)
		}
	})

	t.Run("colour on a terminal, none with NO_COLOR", func(t *testing.T) {
		r := runXAA(t, "", map[string]string{"TERMINAL": "1"}, "run", "--config", e.config)
		if !strings.Contains(r.stdout, "\x1b[") {
			t.Errorf("terminal report has no colour")
		}
		r = runXAA(t, "", map[string]string{"TERMINAL": "1", "NO_COLOR": "1"}, "run", "--config", e.config)
		if strings.Contains(r.stdout, "\x1b[") {
			t.Errorf("NO_COLOR report has ANSI escapes")
		}
	})

	t.Run("from jwt_bearer with a given ID-JAG and a changed scope", func(t *testing.T) {
		// A fresh ID-JAG: the resource AS redeems each one once.
		tmpl, err := e.p.IDJAGTemplate("alice")
		if err != nil {
			t.Fatal(err)
		}
		jag, err := e.p.Mint(tmpl)
		if err != nil {
			t.Fatal(err)
		}
		r := runXAA(t, jag, nil, "run", "--config", e.config, "--json", "--from", "jwt_bearer", "--token", "-", "--set", "jwt_bearer.scope=todos.read")
		j := decodeRun(t, r.stdout)
		if r.code != exitOK || !j.OK {
			t.Fatalf("run --from jwt_bearer = %d:\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		if got := stepOf(j, flow.StepLogin).Status; got != inspect.StatusSkip {
			t.Errorf("login = %s, want skipped", got)
		}
		bearer := stepOf(j, flow.StepJWTBearer)
		if len(bearer.Exchanges) != 1 || !strings.Contains(bearer.Exchanges[0].Request.Body, "scope=todos.read&") {
			t.Errorf("jwt-bearer request = %+v, want scope=todos.read", bearer.Exchanges)
		}
	})
}

func stepOf(j runJSON, id flow.StepID) stepJSON {
	for _, s := range j.Steps {
		if s.ID == id {
			return s
		}
	}
	return stepJSON{}
}

func TestRunCommandExitCodes(t *testing.T) {
	e := startRunPlayground(t, "bob") // bob is not assigned to the resource app
	cases := []struct {
		name string
		args []string
		env  map[string]string
		code int
		want string
	}{
		{"a step fails", []string{"run", "--config", e.config}, nil, exitFailed, "✗ 2 Token exchange"},
		{"unknown flag", []string{"run", "--frob"}, nil, exitUsage, "flag provided but not defined"},
		{"missing config", []string{"run", "--config", filepath.Join(t.TempDir(), "none.yaml")}, nil, exitUsage, "no such file"},
		{"no config anywhere", []string{"run"}, map[string]string{"HOME": t.TempDir()}, exitUsage, "no config found"},
		{"from without token", []string{"run", "--config", e.config, "--from", "resource"}, nil, exitUsage, "--from resource needs --token"},
		{"bad step", []string{"run", "--config", e.config, "--from", "exchange"}, nil, exitUsage, "unknown step"},
		{"bad --set", []string{"run", "--config", e.config, "--set", "audiance=x"}, nil, exitUsage, "did you mean audience?"},
		// A bare resource is the request parameter, not the resource section.
		{"--set resource", []string{"run", "--config", e.config, "--set", "resource=https://api.other.example"}, nil, exitFailed, `resource "https://api.other.example" is not allowed`},
		{"secret on the command line", []string{"run", "--config", e.config, "--set", "idp.client_secret=x"}, nil, exitUsage, "XAA_IDP_CLIENT_SECRET"},
		{"config key made invalid", []string{"run", "--config", e.config, "--set", "idp.redirect_uri=https://example.com/cb"}, nil, exitUsage, "idp.redirect_uri"},
		{"args without tool", []string{"run", "--config", e.config, "--args", "{}"}, nil, exitUsage, "--args needs --tool"},
		{"args not an object", []string{"run", "--config", e.config, "--tool", "x", "--args", "[1]"}, nil, exitUsage, "JSON object"},
		{"fault without the playground", []string{"run", "--config", e.config, "--fault", "idp-500"}, nil, exitUsage, "--fault needs --playground"},
		{"playground and a config", []string{"run", "--playground", "--config", e.config}, nil, exitUsage, "drop --config"},
		{"unknown fault", []string{"run", "--playground", "--fault", "nope"}, nil, exitUsage, `unknown fault "nope"`},
		{"rotate-keys without the playground", []string{"run", "--config", e.config, "--rotate-keys"}, nil, exitUsage, "--rotate-keys needs --playground"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runXAA(t, "", c.env, c.args...)
			if r.code != c.code || !strings.Contains(r.stdout+r.stderr, c.want) {
				t.Errorf("xaa %s = %d, output lacks %q; want %d\nstdout: %s\nstderr: %s", strings.Join(c.args, " "), r.code, c.want, c.code, r.stdout, r.stderr)
			}
		})
	}
}

// jwtInFull matches a JWT with all three segments long enough to be usable.
var jwtInFull = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}`)

// TestRunRedaction greps every output of xaa run — the human report, the
// JSON, the Markdown report, the HAR file and the progress log — for the
// configured secrets, the demo passwords and the client's private key, and
// for tokens in full.
func TestRunRedaction(t *testing.T) {
	for _, variant := range []string{"client secrets", "private_key_jwt"} {
		t.Run(variant, func(t *testing.T) {
			e := startRunPlayground(t, "alice")
			config := e.config
			if variant == "private_key_jwt" {
				config = playground.ConfigFilesFor(e.config).PrivateKeyJWTConfig
			}
			dir := t.TempDir()
			md, har := filepath.Join(dir, "run.md"), filepath.Join(dir, "run.har")
			// The secrets also come from the environment, as users set them.
			env := map[string]string{xaaconfig.EnvASClientSecret: e.secrets[1]}
			human := runXAA(t, "", env, "run", "--config", config, "--report", md, "--har", har, "-v", "--tool", "list_todos")
			jsonOut := runXAA(t, "", env, "run", "--config", config, "--json")
			if human.code != exitOK || jsonOut.code != exitOK {
				t.Fatalf("runs = %d, %d; want 0\n%s\n%s", human.code, jsonOut.code, human.stdout, jsonOut.stdout)
			}
			outputs := map[string]string{
				"human report": human.stdout, "progress log": human.stderr + jsonOut.stderr,
				"JSON": jsonOut.stdout, "Markdown": readFile(t, md), "HAR": readFile(t, har),
			}
			for name, out := range outputs {
				for _, secret := range e.secrets {
					if secret != "" && strings.Contains(out, secret) {
						t.Errorf("%s contains the secret %q", name, secret[:4]+"…")
					}
				}
				if m := jwtInFull.FindString(out); m != "" {
					t.Errorf("%s contains a token in full: %s…", name, m[:24])
				}
			}
			var harDoc map[string]any
			if err := json.Unmarshal([]byte(outputs["HAR"]), &harDoc); err != nil {
				t.Errorf("HAR is not JSON: %v", err)
			}
			if !strings.Contains(outputs["Markdown"], "[REDACTED]") {
				t.Errorf("Markdown report shows no redaction marker")
			}
		})
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRunConfigYAML checks that the config the playground writes is the
// config shape of docs/formats.md, secrets included.
func TestRunConfigYAML(t *testing.T) {
	e := startRunPlayground(t, "alice")
	var doc map[string]map[string]any
	if err := yaml.Unmarshal([]byte(readFile(t, e.config)), &doc); err != nil {
		t.Fatal(err)
	}
	for _, section := range []string{"idp", "resource_as", "resource"} {
		if doc[section] == nil {
			t.Errorf("config lacks section %s", section)
		}
	}
}

// TestRunPlayground runs xaa run against the built-in playground: no
// config, no browser.
func TestRunPlayground(t *testing.T) {
	cases := []struct {
		args        []string
		code        int
		failStep    flow.StepID
		explanation string
	}{
		{[]string{"run", "--playground", "--json"}, exitOK, -1, ""},
		{[]string{"run", "--playground", "--json", "--user", "carol"}, exitFailed, flow.StepLogin, "login.user_not_assigned"},
		{[]string{"run", "--playground", "--json", "--fault", "idjag-expired"}, exitFailed, flow.StepJWTBearer, "jwt_bearer.expired"},
		{[]string{"run", "--playground", "--json", "--profile", "okta", "--fault", "okta-no-connection"}, exitFailed, flow.StepTokenExchange, "token_exchange.audience_not_connected"},
		// No step fails, but the token exchange cannot run without a refresh token.
		{[]string{"run", "--playground", "--json", "--profile", "okta", "--fault", "okta-refresh-not-enabled", "--set", "idp.subject=refresh_token"}, exitIncomplete, -1, ""},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args[2:], " "), func(t *testing.T) {
			r := runXAA(t, "", nil, c.args...)
			j := decodeRun(t, r.stdout)
			if r.code != c.code {
				t.Fatalf("xaa %s = %d, want %d\n%s", strings.Join(c.args, " "), r.code, c.code, r.stderr)
			}
			if c.code == exitIncomplete && !strings.Contains(j.Verdict, "token_exchange did not run") {
				t.Errorf("verdict %q does not name the step that could not run", j.Verdict)
			}
			if c.failStep < 0 {
				return
			}
			s := stepOf(j, c.failStep)
			if s.Status != inspect.StatusFail || s.Error == nil || s.Error.ExplanationID != c.explanation {
				t.Errorf("%s = %s %+v, want fail explained as %s", c.failStep, s.Status, s.Error, c.explanation)
			}
		})
	}
}

// TestRunPlaygroundKeptKeys: xaa run --playground keeps the playground's
// keys in $XDG_STATE_HOME/xaa/playground and reuses them on the next run;
// --rotate-keys replaces the signing keys; an unusable key file is
// replaced with a warning, not an error.
func TestRunPlaygroundKeptKeys(t *testing.T) {
	state := t.TempDir()
	env := map[string]string{"XDG_STATE_HOME": state}
	keyFile := filepath.Join(state, "xaa", "playground", "idp-rs256.pem")
	runOK := func(args ...string) result {
		t.Helper()
		r := runXAA(t, "", env, append([]string{"run", "--playground", "--json"}, args...)...)
		if r.code != exitOK {
			t.Fatalf("xaa run --playground %s = %d, want 0\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
		return r
	}
	read := func() string {
		t.Helper()
		b, err := os.ReadFile(keyFile)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	runOK()
	first := read()
	runOK()
	if read() != first {
		t.Errorf("the second run did not reuse the kept IdP key")
	}
	runOK("--rotate-keys")
	rotated := read()
	if rotated == first {
		t.Errorf("--rotate-keys kept the IdP key")
	}
	if err := os.WriteFile(keyFile, []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runOK()
	if !strings.Contains(r.stderr, "playground warning: key file "+keyFile+" is unusable") {
		t.Errorf("stderr lacks the warning about the broken key file:\n%s", r.stderr)
	}
	if got := read(); got == rotated || !strings.Contains(got, "BEGIN PRIVATE KEY") {
		t.Errorf("the broken key file was not replaced by a new key")
	}
}

// TestExportsArePrivateFiles: --report and --har replace an existing file
// (0644) or a symlink with a 0600 file, and never write through the link.
func TestExportsArePrivateFiles(t *testing.T) {
	e := startRunPlayground(t, "alice")
	dir := t.TempDir()
	report, har := filepath.Join(dir, "run.md"), filepath.Join(dir, "run.har")
	target := filepath.Join(dir, "precious.txt")
	if err := os.WriteFile(target, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, report); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(har, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runXAA(t, "", nil, "run", "--config", e.config, "--report", report, "--har", har); r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(target); string(b) != "precious" {
		t.Errorf("the report was written through the symlink: the target holds %q", b)
	}
	for _, p := range []string{report, har} {
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&os.ModeSymlink != 0 || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, mode %v; want a regular 0600 file", filepath.Base(p), err, fi.Mode())
		}
	}
}

// TestRunFromTokenExchangeNeedsNoRedirectURI: a run that starts after the
// login listens for no callback, so its config needs no idp.redirect_uri.
func TestRunFromTokenExchangeNeedsNoRedirectURI(t *testing.T) {
	e := startRunPlayground(t, "alice")
	full := runXAA(t, "", nil, "run", "--config", e.config, "--json", "--reveal")
	idToken := ""
	for _, tok := range stepOf(decodeRun(t, full.stdout), flow.StepLogin).Tokens {
		if tok.Kind == "id_token" {
			idToken = tok.Token
		}
	}
	if idToken == "" {
		t.Fatalf("no ID token from the login:\n%s", full.stderr)
	}
	noRedirect := writeFile(t, "xaa.yaml", regexp.MustCompile(`(?m)^\s*redirect_uri:.*\n`).ReplaceAllString(readFile(t, e.config), ""))
	r := runXAA(t, idToken, nil, "run", "--config", noRedirect, "--from", "token_exchange", "--token", "-", "--json")
	if r.code != exitOK {
		t.Errorf("run --from token_exchange without idp.redirect_uri = %d, want 0:\n%s", r.code, r.stderr)
	}
	if r := runXAA(t, "", nil, "run", "--config", noRedirect); r.code != exitUsage || !strings.Contains(r.stderr, "idp.redirect_uri") {
		t.Errorf("a run with a login and no idp.redirect_uri = %d, want a usage error naming the key:\n%s", r.code, r.stderr)
	}
}

// TestLaxASFaultSaysWhereItShows: a resource AS fault that a good run
// cannot reveal comes with the commands that do.
func TestLaxASFaultSaysWhereItShows(t *testing.T) {
	r := runXAA(t, "", nil, "run", "--playground", "--fault", "as-skip-aud")
	if r.code != exitOK || !strings.Contains(r.stderr, "xaa conform sends the broken ones") || !strings.Contains(r.stderr, "--fault as-skip-aud --write-config as.yaml") {
		t.Errorf("xaa run --playground --fault as-skip-aud = %d, stderr:\n%s", r.code, r.stderr)
	}
}
