package main

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/conform"
	"github.com/xaatools/xaa/flow/playground"
)

// idpUnderTest is a playground IdP on the real clock, its written config,
// and its secrets: the client secrets and the demo users' passwords.
type idpUnderTest struct {
	p       *playground.Playground
	config  string
	secrets []string
}

// startIdPUnderTest starts a playground with faults and swaps xaa's
// browser opener for its scripted browser, which logs in the user the
// login asks for (login_hint, as a person would), else alice.
func startIdPUnderTest(t *testing.T, faults ...string) idpUnderTest {
	t.Helper()
	p, err := playground.Start(context.Background(), playground.Options{Faults: faults, RedirectURIs: []string{freeRedirectURI(t)}, Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	path := filepath.Join(t.TempDir(), "xaa.yaml")
	if err := p.WriteConfig(path); err != nil {
		t.Fatal(err)
	}
	saved := newBrowserOpener
	newBrowserOpener = func(stdio) func(string) error {
		return func(authURL string) error {
			user := "alice"
			if u, err := url.Parse(authURL); err == nil && u.Query().Get("login_hint") != "" {
				user = u.Query().Get("login_hint")
			}
			return p.LoginBrowser(user)(authURL)
		}
	}
	t.Cleanup(func() { newBrowserOpener = saved })
	c := p.Config()
	e := idpUnderTest{p: p, config: path, secrets: []string{c.IdP.ClientSecret.Reveal(), c.ResourceAS.ClientSecret.Reveal(), c.Conform.OtherClientSecret.Reveal()}}
	for _, u := range p.Users() {
		e.secrets = append(e.secrets, u.Password)
	}
	return e
}

// noSecrets fails when a secret or a full token is in out.
func (e idpUnderTest) noSecrets(t *testing.T, what, out string) {
	t.Helper()
	for _, s := range e.secrets {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("a secret is in the %s: %q", what, s)
		}
	}
	if m := fullJWT.FindString(out); m != "" {
		t.Errorf("a full token is in the %s: %.40s…", what, m)
	}
}

// TestConformIdPCommand: xaa conform --idp against the playground with its
// written config logs in with the browser and passes (exit 0), the cases
// the config cannot feed skipped with the key that would; with one
// idp-skip-* fault exactly that case fails (exit 1), in text and in JSON;
// --evidence writes an IdP section beside the resource AS's; no secret or
// full token is printed or written.
func TestConformIdPCommand(t *testing.T) {
	t.Run("playground passes", func(t *testing.T) {
		e := startIdPUnderTest(t)
		r := runConformCmd(t, context.Background(), nil, "--idp", "--config", e.config)
		if r.code != exitOK {
			t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
		for _, want := range []string{
			"IdP under test", "issuer          " + e.p.IdPURL(), "logged in: an ID token and a refresh token",
			"✓ no bad token exchange accepted, no check of the good answer wrong · 3 skipped (not judged)",
			"✓ user_not_assigned", "✓ audience_unknown", "✓ jti_unique",
			"· subject_expired", "conform.expired_id_token", "idp.auth_method private_key_jwt",
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
			}
		}
		e.noSecrets(t, "output", r.stdout+r.stderr)
	})
	t.Run("one fault, JSON", func(t *testing.T) {
		e := startIdPUnderTest(t, playground.FaultIdPSkipAudience)
		r := runConformCmd(t, context.Background(), nil, "--idp", "--config", e.config, "--json")
		if r.code != exitFailed {
			t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
		var out struct {
			OK    bool `json:"ok"`
			Score struct {
				Verdict    string `json:"verdict"`
				Party      string `json:"party"`
				Vulnerable int    `json:"vulnerable"`
				Skipped    int    `json:"skipped"`
			} `json:"score"`
			Cases []struct {
				ID      string `json:"id"`
				Verdict string `json:"verdict"`
			} `json:"cases"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
		}
		var bad []string
		for _, c := range out.Cases {
			if c.Verdict != "accepted" && c.Verdict != "rejected" && c.Verdict != "skipped" {
				bad = append(bad, c.ID+" "+c.Verdict)
			}
		}
		if strings.Join(bad, ",") != "audience_unknown vulnerable" || out.OK || out.Score.Verdict != "vulnerable" || out.Score.Party != "idp" || out.Score.Vulnerable != 1 {
			t.Errorf("with %s: not as required %v, ok %v, score %+v; want audience_unknown vulnerable alone", playground.FaultIdPSkipAudience, bad, out.OK, out.Score)
		}
		if len(out.Cases) != len(conform.IdPCases()) || out.Score.Skipped != 3 {
			t.Errorf("%d cases, %d skipped; want %d and the 3 the config cannot feed", len(out.Cases), out.Score.Skipped, len(conform.IdPCases()))
		}
		e.noSecrets(t, "JSON", r.stdout+r.stderr)
	})
	t.Run("one fault, text, evidence", func(t *testing.T) {
		e := startIdPUnderTest(t, playground.FaultIdPSkipJTIUnique)
		path := filepath.Join(t.TempDir(), "evidence.md")
		as := startASUnderTest(t)
		if c := runConformCmd(t, context.Background(), nil, "--config", as.config, "--listen", as.listen, "--key-dir", t.TempDir(), "--evidence", path); c.code != exitOK {
			t.Fatalf("xaa conform --evidence = %d:\n%s", c.code, c.stderr)
		}
		r := runConformCmd(t, context.Background(), nil, "--idp", "--config", e.config, "--evidence", path, "--reveal")
		if r.code != exitFailed {
			t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
		for _, want := range []string{"✗ 1 check of the good answer failed", "✗ jti_unique", "Needs attention"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
			}
		}
		if !strings.Contains(r.stderr, "wrote the conform-idp evidence to "+path) {
			t.Errorf("stderr does not say where the evidence went:\n%s", r.stderr)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		doc := string(data)
		as1 := strings.Index(doc, "# Resource authorization server conformance — pass")
		idp := strings.Index(doc, "# Identity provider conformance (ID-JAG issuance) — wrong")
		if as1 < 0 || idp < as1 {
			t.Fatalf("the document lacks the resource AS's section and then the IdP's:\n%s", doc)
		}
		section := doc[idp:]
		for _, want := range []string{"| IdP | " + e.p.IdPURL() + " |", "| client | xaa-agent (client_secret_basic) |", "| `jti_unique` | answer |", "| wrong |", "1 of 10 checks of the good answer wrong", "| `audience_unknown` | strict |"} {
			if !strings.Contains(section, want) {
				t.Errorf("the IdP section lacks %q:\n%s", want, section)
			}
		}
		for _, wrong := range []string{"| resource AS |", "trusted IdP (xaa's)", "what the ID-JAG gets wrong"} {
			if strings.Contains(section, wrong) {
				t.Errorf("the IdP section speaks of the resource AS scorecard (%q):\n%s", wrong, section)
			}
		}
		e.noSecrets(t, "evidence", doc)
		e.noSecrets(t, "output", r.stderr) // --reveal shows tokens on stdout, never secrets
		for _, s := range e.secrets {
			if s != "" && strings.Contains(r.stdout, s) {
				t.Errorf("a secret is on stdout, even with --reveal: %q", s)
			}
		}
	})
}
