package config_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/config"
)

const oktaConfig = `
idp:
  issuer: https://dev-1.okta.com
  client_id: req
  client_secret: secret-value
  redirect_uri: http://127.0.0.1:8976/callback
resource_as:
  issuer: https://dev-1.okta.com/oauth2/aus1
  client_id: res
  client_secret: other-secret
okta:
  token: 00ssws-token-value
`

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func ecPEM(t *testing.T) string {
	t.Helper()
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	return string(pemOf(t, "PRIVATE KEY", der))
}

// TestOktaAccessPrecedence: flags over environment over file, as Okta's
// SDKs configure themselves.
func TestOktaAccessPrecedence(t *testing.T) {
	pemText := ecPEM(t)
	load := func(t *testing.T, env map[string]string) *config.Config {
		t.Helper()
		dir := t.TempDir()
		path := filepath.Join(dir, "xaa.yaml")
		if err := os.WriteFile(path, []byte(oktaConfig), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := config.Load(path, envOf(env))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	c := load(t, nil)
	if c.Okta.Mode() != config.OktaModeSSWS || c.Okta.Token.Reveal() != "00ssws-token-value" {
		t.Fatalf("file: mode %q token %q", c.Okta.Mode(), c.Okta.Token)
	}
	if got := c.Okta.OrgOrigin(c.IdP.Issuer); got != "https://dev-1.okta.com" {
		t.Errorf("org URL defaults to the issuer's origin: got %q", got)
	}

	c = load(t, map[string]string{config.EnvOktaToken: "env-token", config.EnvOktaOrgURL: "https://login.example.com"})
	if c.Okta.Token.Reveal() != "env-token" || c.Okta.OrgOrigin(c.IdP.Issuer) != "https://login.example.com" {
		t.Errorf("env over file: token %q org %q", c.Okta.Token.Reveal(), c.Okta.OrgURL)
	}

	c = load(t, map[string]string{config.EnvOktaMode: "PrivateKey", config.EnvOktaClientID: "0oaservice",
		config.EnvOktaScopes: "okta.apps.read,okta.authorizationServers.read", config.EnvOktaPrivateKey: pemText, config.EnvOktaPrivateKeyID: "kid-1"})
	if c.Okta.Mode() != config.OktaModePrivateKey || c.Okta.Token != "" || c.Okta.Key == nil || c.Okta.Key.KeyID != "kid-1" {
		t.Fatalf("PrivateKey mode from env: mode %q token set %t key %v", c.Okta.Mode(), c.Okta.Token != "", c.Okta.Key)
	}
	if got := c.Okta.RequestScopes().String(); got != "okta.apps.read okta.authorizationServers.read" {
		t.Errorf("scopes: %q", got)
	}
	if ps := c.OktaProblems(); len(ps) != 0 {
		t.Errorf("complete private-key access has problems: %v", ps)
	}
	c.SetOktaToken("flag-token")
	if c.Okta.Mode() != config.OktaModeSSWS || c.Okta.Token.Reveal() != "flag-token" || c.Okta.Key != nil {
		t.Errorf("--okta-token over env: mode %q", c.Okta.Mode())
	}
}

func TestOktaProblemsAllAtOnce(t *testing.T) {
	c, err := config.Parse([]byte(oktaConfig+`  client_id: 0oa1
  scopes: [okta.apps.manage]
  org_url: http://dev-1.okta.com/admin
`), "xaa.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c.ApplyEnv(envOf(map[string]string{config.EnvOktaMode: "JWT\x1b[31m"}))
	c.LoadKeys()
	got := fmt.Sprint(c.OktaProblems())
	for _, want := range []string{"okta.org_url: must use https", "okta.token: set either", "OKTA_CLIENT_AUTHORIZATIONMODE: \"JWT[31m\" is not a mode"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "\x1b") {
		t.Errorf("a control character from the environment is echoed: %q", got)
	}
	// Scopes are judged in private-key mode.
	c2, _ := config.Parse([]byte(strings.Replace(oktaConfig, "token: 00ssws-token-value", "client_id: 0oa1\n  private_key: /nonexistent.pem\n  scopes: okta.apps.manage", 1)), "x")
	c2.LoadKeys()
	got = fmt.Sprint(c2.OktaProblems())
	for _, want := range []string{"okta.scopes: \"okta.apps.manage\" is not an okta.*.read scope", "okta.private_key: /nonexistent.pem: no such file"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
	// A broken okta section never stops a run: Validate leaves it to the doctor.
	if err := c.Validate(); err != nil && strings.Contains(err.Error(), "okta") {
		t.Errorf("Validate reports the okta section: %v", err)
	}
}

// TestOktaSecretsNeverPrint: the API token and the service app's key are
// secrets like client secrets — never printed, scrubbed from records,
// refused on --set, written only into the config file.
func TestOktaSecretsNeverPrint(t *testing.T) {
	pemText := ecPEM(t)
	c, err := config.Parse([]byte(oktaConfig), "xaa.yaml")
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(c)
	for _, out := range []string{fmt.Sprint(c), fmt.Sprintf("%v %+v %#v", *c, *c, *c), string(j), fmt.Sprint(c.Okta)} {
		if strings.Contains(out, "00ssws-token-value") {
			t.Errorf("the API token printed: %s", out)
		}
	}
	if !strings.Contains(strings.Join(c.Secrets(), "\n"), "00ssws-token-value") {
		t.Error("Secrets() lacks the API token: records would not scrub it")
	}
	for _, key := range []string{"okta.token", "okta.private_key"} {
		if err := c.Set(key, "x"); err == nil || !strings.Contains(err.Error(), "secret") {
			t.Errorf("Set(%s) = %v, want a refusal", key, err)
		}
	}
	c.Okta = config.OktaConfig{ClientID: "0oa1", PrivateKey: config.Secret(pemText)}
	c.LoadKeys()
	if c.Okta.Key == nil {
		t.Fatalf("inline PEM not loaded: %v", c.OktaProblems())
	}
	if out := fmt.Sprintf("%v %+v", *c, c.Okta); strings.Contains(out, "PRIVATE KEY") {
		t.Errorf("the key printed: %s", out)
	}
	if !strings.Contains(strings.Join(c.Secrets(), "\n"), strings.TrimSpace(pemText)) {
		t.Error("Secrets() lacks an inline key")
	}
	path := filepath.Join(t.TempDir(), "out.yaml")
	if err := config.Write(path, c, config.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	back, err := config.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if back.Okta.Key == nil || back.Okta.ClientID != "0oa1" {
		t.Errorf("the written file does not hold the key: %+v %v", back.Okta, back.OktaProblems())
	}
}
