package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/doctor"

	"github.com/xaatools/xaa/flow/config"

	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/flow/playground"
)

// doctorEnv is an Okta-profile playground on the real clock (the doctor
// compares the org's clock with this machine's), its config file, and an ID
// token of its demo user when the fault lets her log in.
type doctorEnv struct {
	config  string
	token   string
	secrets []string
}

func startDoctorPlayground(t *testing.T, signIn bool, faults ...string) *doctorEnv {
	t.Helper()
	redirect, err := playground.FreeRedirectURI()
	if err != nil {
		t.Fatal(err)
	}
	p, err := playground.Start(context.Background(), playground.Options{Profile: playground.ProfileOkta, Faults: faults, RedirectURIs: []string{redirect}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	e := &doctorEnv{config: filepath.Join(t.TempDir(), "xaa.yaml")}
	if err := p.WriteConfig(e.config); err != nil {
		t.Fatal(err)
	}
	c := p.Config()
	e.secrets = c.Secrets()
	if !signIn {
		return e
	}
	data, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(data, e.config)
	if err != nil {
		t.Fatal(err)
	}
	runner := &flow.Runner{Config: cfg, Env: flow.Env{OpenBrowser: p.LoginBrowser("alice")}}
	d := runner.RunStep(context.Background(), flow.StepDiscovery, flow.State{}, nil)
	login := runner.RunStep(context.Background(), flow.StepLogin, d.Out, nil)
	if login.Out.IDToken == "" {
		t.Fatalf("login: %v", login.Err)
	}
	e.token = login.Out.IDToken
	return e
}

// runDoctorCommand runs `xaa doctor` in-process on the real clock.
func runDoctorCommand(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"doctor"}, args...), stdio{
		in: strings.NewReader(stdin), out: &out, err: &errOut,
		getenv: func(string) string { return "" }, now: time.Now,
	})
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// doctorJSON is the JSON of xaa doctor --json as a script reads it.
type doctorJSON struct {
	OK       bool           `json:"ok"`
	SignedIn bool           `json:"signed_in"`
	Summary  doctor.Summary `json:"summary"`
	Checks   []struct {
		ID       string `json:"id"`
		Party    string `json:"party"`
		Status   string `json:"status"`
		Hint     string `json:"hint"`
		Console  string `json:"console"`
		Email    *struct{ To, Subject, Body string }
		Evidence []json.RawMessage `json:"evidence"`
	} `json:"checks"`
}

func TestDoctorCommand(t *testing.T) {
	t.Parallel()
	t.Run("healthy, token from a file", func(t *testing.T) {
		t.Parallel()
		e := startDoctorPlayground(t, true)
		tokenFile := writeFile(t, "id-token.txt", e.token+"\n")
		r := runDoctorCommand(t, "", "--config", e.config, "--token", "@"+tokenFile)
		if r.code != exitOK {
			t.Fatalf("exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
		}
		for _, want := range []string{"xaa doctor  ✓ no check failed", "Okta org\n", "Requesting app\n", "Resource app\n", "Resource authorization server\n", "Resource (API / MCP server)\n", "✓ The resource AS redeems the signed-in user's ID-JAG"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("report lacks %q:\n%s", want, r.stdout)
			}
		}
		// The one unknown left is the MCP server's settings to check by
		// hand (no API field shows them), with what to look for.
		if strings.Count(r.stdout, "  ? ") != 1 || !strings.Contains(r.stdout, "(check by hand)") || !strings.Contains(r.stdout, "look for  Subject format") || strings.Contains(r.stdout, "✗") {
			t.Errorf("a healthy org with a signed-in user shows an unknown (but the checklist item) or a failed check:\n%s", r.stdout)
		}
		assertNoSecrets(t, e, r)
	})
	t.Run("no connection, token on standard input", func(t *testing.T) {
		t.Parallel()
		e := startDoctorPlayground(t, true, playground.FaultOktaNoConnection)
		r := runDoctorCommand(t, e.token, "--config", e.config, "--token", "-")
		if r.code != exitFailed {
			t.Fatalf("exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
		}
		// Outside (the refused exchange) and inside (the admin API read of
		// the playground's org) both find the missing connection.
		for _, want := range []string{"✗ 2 failed", "✗ A managed connection links the requesting app to the resource app",
			"✗ An ACTIVE Cross App Access connection leads from the requesting app to a resource app (read from the org)",
			"console   Okta Admin Console › Directory › AI agents › (agent) › Resource connections",
			"Token Exchange requests must include a valid audience of the authorization server.", "curl"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("report lacks %q:\n%s", want, r.stdout)
			}
		}
		assertNoSecrets(t, e, r)
	})
	t.Run("Todo0 audience, JSON", func(t *testing.T) {
		t.Parallel()
		e := startDoctorPlayground(t, true, playground.FaultOktaTodo0Audience)
		r := runDoctorCommand(t, "", "--config", e.config, "--token", e.token, "--json")
		if r.code != exitFailed {
			t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
		}
		var j doctorJSON
		if err := json.Unmarshal([]byte(r.stdout), &j); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, r.stdout)
		}
		if j.OK || !j.SignedIn || j.Summary.Fail != 1 {
			t.Errorf("ok %v, signed_in %v, summary %+v; want not ok, signed in, one fail", j.OK, j.SignedIn, j.Summary)
		}
		for _, c := range j.Checks {
			if c.ID == "resource_app.audience" && (c.Status != "fail" || c.Email == nil || c.Email.To != "xaa@okta.com" || c.Party != "resource_app" || len(c.Evidence) == 0) {
				t.Errorf("resource_app.audience = %+v, want a fail in party resource_app with the email and evidence", c)
			}
		}
		assertNoSecrets(t, e, r)
	})
	t.Run("Todo0 audience, the email in the report", func(t *testing.T) {
		t.Parallel()
		e := startDoctorPlayground(t, true, playground.FaultOktaTodo0Audience)
		r := runDoctorCommand(t, "", "--config", e.config, "--token", e.token)
		for _, want := range []string{"email     To: xaa@okta.com", "Subject: Cross App Access: point Todo0", "Hello Okta XAA team,"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("report lacks %q:\n%s", want, r.stdout)
			}
		}
	})
	t.Run("not signed in", func(t *testing.T) {
		t.Parallel()
		e := startDoctorPlayground(t, false, playground.FaultOktaWrongSecret)
		r := runDoctorCommand(t, "", "--config", e.config, "-v")
		if r.code != exitFailed || !strings.Contains(r.stdout, "✗ The requesting app's client credentials are accepted") {
			t.Errorf("exit %d, want 1 with the credentials failed:\n%s", r.code, r.stdout)
		}
		if !strings.Contains(r.stdout, "not signed in") {
			t.Errorf("the report does not say the user checks need a signed-in user:\n%s", r.stdout)
		}
		assertNoSecrets(t, e, r)
	})
}

// assertNoSecrets fails when a client secret, or the whole ID token, is in
// the output.
func assertNoSecrets(t *testing.T, e *doctorEnv, r result) {
	t.Helper()
	for _, s := range e.secrets {
		if s != "" && (strings.Contains(r.stdout, s) || strings.Contains(r.stderr, s)) {
			t.Errorf("the output holds a client secret")
		}
	}
	if e.token != "" && strings.Contains(r.stdout, e.token) {
		t.Errorf("the output holds the whole ID token without --reveal")
	}
}

func TestDoctorCommandUsage(t *testing.T) {
	t.Parallel()
	cfg := writeFile(t, "xaa.yaml", "idp: [")
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"help", []string{"-h"}, exitOK, "Usage: xaa doctor"},
		{"unknown flag", []string{"--nope"}, exitUsage, "flag provided but not defined: -nope"},
		{"an argument", []string{"extra"}, exitUsage, `doctor takes no arguments, got "extra"`},
		{"missing config", []string{"--config", filepath.Join(t.TempDir(), "none.yaml")}, exitUsage, "no such file"},
		{"broken config", []string{"--config", cfg}, exitUsage, "xaa.yaml"},
		{"missing token file", []string{"--config", writeFile(t, "ok.yaml", "idp: {issuer: https://dev-1.okta.com}\n"), "--token", "@" + filepath.Join(t.TempDir(), "none.txt")}, exitUsage, "--token"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runDoctorCommand(t, "", c.args...)
			if r.code != c.code || !strings.Contains(r.stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, c.code, c.want)
			}
		})
	}
}

// TestDoctorShowsAnErrorPagesText: the evidence of a refused redirect URI
// is what the IdP's page says, not its markup.
func TestDoctorShowsAnErrorPagesText(t *testing.T) {
	e := startDoctorPlayground(t, false, playground.FaultOktaRedirectNotRegistered)
	r := runDoctorCommand(t, "", "--config", e.config)
	if !strings.Contains(r.stdout, "page  ") || !strings.Contains(r.stdout, "must be a Login redirect URI") {
		t.Errorf("the evidence does not give the page's text:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "<style>") || strings.Contains(r.stdout, "<!doctype") {
		t.Errorf("the evidence dumps the page's markup:\n%s", r.stdout)
	}
}
