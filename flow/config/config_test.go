package config_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xaatools/xaa/flow/config"
)

const goodConfig = `
idp:
  issuer: https://dev-123.okta.com
  client_id: 0oa1requesting00000
  client_secret: idp-secret-value
  auth_method: client_secret_post
  redirect_uri: http://127.0.0.1:8080/callback
  scopes: [openid, profile, email]
resource_as:
  issuer: https://auth.example.com
  client_id: agent-at-todo
  client_secret: as-secret-value
  scopes: todos.read todos.write
resource:
  id: https://api.example.com
  api_url: https://api.example.com/todos
  mcp_url: https://api.example.com/mcp
`

func TestParseConfig(t *testing.T) {
	c, err := config.Parse([]byte(goodConfig), "xaa.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if got := c.ResourceAS.Scopes; !cmp.Equal(got, config.Scopes{"todos.read", "todos.write"}) {
		t.Errorf("scopes as a string = %v, want two scopes", got)
	}
	if got := c.IdP.ClientSecret.Reveal(); got != "idp-secret-value" {
		t.Errorf("client secret = %q", got)
	}
	if w := c.Warnings(); len(w) != 0 {
		t.Errorf("Warnings() = %v, want none", w)
	}
}

// TestSecretsNeverPrint prints the config every way Go can and looks for
// the secrets.
func TestSecretsNeverPrint(t *testing.T) {
	c, err := config.Parse([]byte(goodConfig), "xaa.yaml")
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(c)
	for _, out := range []string{fmt.Sprint(c), fmt.Sprintf("%v %+v %#v", *c, *c, *c), string(j), fmt.Sprint(c.IdP.ClientSecret)} {
		if strings.Contains(out, "secret-value") {
			t.Errorf("a secret printed: %s", out)
		}
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	bad := `
idp:
  issuer: http://idp.example.com
  auth_method: client_secret_jwt
  redirect_uri: https://app.example.com/callback
  scopes: [profile]
resource_as:
  issuer: https://auth.example.com?x=1
  auth_method: private_key_jwt
  assertion_audience: everyone
resource:
  api_url: not a url
`
	c, err := config.Parse([]byte(bad), "bad.yaml")
	if err != nil {
		t.Fatal(err)
	}
	err = c.Validate()
	var ce *config.Error
	if !errors.As(err, &ce) {
		t.Fatalf("Validate() = %v, want a *ConfigError", err)
	}
	var keys []string
	for _, p := range ce.Problems {
		keys = append(keys, p.Key)
	}
	want := []string{"idp.auth_method", "idp.client_id", "idp.issuer", "idp.redirect_uri", "idp.scopes",
		"resource.api_url", "resource_as.assertion_audience", "resource_as.client_id", "resource_as.issuer", "resource_as.private_key"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("problem keys (-want +got):\n%s\n%v", diff, err)
	}
	for _, want := range []string{
		"bad.yaml: 10 problems",
		"idp.issuer: \"http://idp.example.com\" must use https",
		"resource_as.issuer: \"https://auth.example.com?x=1\" must not have a query or fragment (RFC 8414 §2); it is the audience the IdP writes into the ID-JAG and must equal the AS metadata issuer exactly",
		"idp.redirect_uri: \"https://app.example.com/callback\" must be http://",
		"idp.scopes: must include openid",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() message lacks %q:\n%v", want, err)
		}
	}
}

func TestValidateRequiredKeys(t *testing.T) {
	c, err := config.Parse(nil, "empty.yaml")
	if err != nil {
		t.Fatal(err)
	}
	err = c.Validate()
	for _, want := range []string{
		"resource_as.issuer: required: it is the audience the IdP writes into the ID-JAG; it must equal the AS metadata issuer exactly",
		"idp.client_secret: required for client_secret_basic: set it in the file or in XAA_IDP_CLIENT_SECRET",
		"idp.redirect_uri: required",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to say %q", err, want)
		}
	}
}

func TestRedirectURIRules(t *testing.T) {
	cases := map[string]string{
		"http://127.0.0.1:8976/callback": "",
		"http://localhost:8976/cb":       "",
		"http://[::1]:8976/callback":     "",
		"http://127.0.0.1/callback":      "explicit port",
		"http://127.0.0.1:8976":          "needs a path",
		"http://10.0.0.5:8976/callback":  "must be 127.0.0.1, localhost or [::1]",
		"https://127.0.0.1:8976/cb":      "must be http://",
	}
	for uri, want := range cases {
		t.Run(uri, func(t *testing.T) {
			c, _ := config.Parse([]byte(goodConfig), "x")
			c.IdP.RedirectURI = uri
			err := c.Validate()
			switch {
			case want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
				t.Errorf("Validate() = %v, want %q", err, want)
			}
		})
	}
}

func TestConfigWarnings(t *testing.T) {
	cases := []struct {
		name   string
		change func(*config.Config)
		want   string
	}{
		{"swapped client ids", func(c *config.Config) { c.IdP.ClientID, c.ResourceAS.ClientID = c.ResourceAS.ClientID, c.IdP.ClientID },
			"looks like a client at a resource AS"},
		{"same id and secret", func(c *config.Config) {
			c.ResourceAS.ClientID, c.ResourceAS.ClientSecret = c.IdP.ClientID, c.IdP.ClientSecret
		}, "the IdP client and the resource-AS client have the same id and secret"},
		{"Okta id at the resource AS only", func(c *config.Config) {
			c.IdP.ClientID, c.ResourceAS.ClientID = "agent", "0oa1requesting000000"
		}, "looks like an Okta client id"},
		{"public client", func(c *config.Config) { c.IdP.AuthMethod = config.AuthNone }, "SHOULD only be offered to confidential clients"},
		{"Okta custom authorization server", func(c *config.Config) { c.IdP.Issuer = "https://dev-123.okta.com/oauth2/default" }, "only the org authorization server"},
		{"Okta Admin Console URL", func(c *config.Config) { c.IdP.Issuer = "https://dev-123-admin.okta.com" }, "Admin Console's address, not the org's issuer: use https://dev-123.okta.com"},
		{"Okta issuer with a trailing slash", func(c *config.Config) { c.IdP.Issuer = "https://dev-123.okta.com/" }, "no trailing slash"},
		{"nothing to call", func(c *config.Config) { c.Resource.APIURL, c.Resource.MCPURL = "", "" }, "the run stops after the access token"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, _ := config.Parse([]byte(goodConfig), "x")
			c.change(cfg)
			var all []string
			for _, w := range cfg.Warnings() {
				all = append(all, w.String())
			}
			if !strings.Contains(strings.Join(all, "\n"), c.want) {
				t.Errorf("Warnings() = %q, want one saying %q", all, c.want)
			}
		})
	}
}

// TestUnknownKeysAreErrors: a key or section the schema lacks is a
// problem of Validate, naming the nearest known one (or every one).
func TestUnknownKeysAreErrors(t *testing.T) {
	c, err := config.Parse([]byte(goodConfig+"  clientid: oops\n  colour: red\nplayground:\n  users: 4\nresourse:\n  id: x\n"), "x")
	if err != nil {
		t.Fatal(err)
	}
	var ce *config.Error
	if !errors.As(c.Validate(), &ce) {
		t.Fatalf("Validate() = %v, want the unknown keys", c.Validate())
	}
	var got []string
	for _, p := range ce.Problems {
		got = append(got, p.String())
	}
	want := []string{
		"playground: line 20: unknown section; the sections are idp, resource_as, resource, conform and okta",
		"resource.clientid: line 18: unknown key; the keys of resource are id, api_url, mcp_url",
		"resource.colour: line 19: unknown key; the keys of resource are id, api_url, mcp_url",
		"resourse: line 22: unknown section — did you mean resource?",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Validate() problems (-want +got):\n%s", diff)
	}
	idp, _ := config.Parse([]byte(strings.Replace(goodConfig, "  client_id:", "  clientid:", 1)), "x")
	if err := idp.Validate(); err == nil || !strings.Contains(err.Error(), "did you mean idp.client_id?") {
		t.Errorf("clientid under idp: %v, want did you mean idp.client_id?", err)
	}
}

func TestParseConfigErrors(t *testing.T) {
	cases := map[string]string{
		"idp: [1, 2":                 "(yaml)",
		"- a\n- b":                   "must be a mapping",
		"idp:\n  scopes: {a: b}":     "scopes must be a list",
		"idp:\n  client_id: [a, b]":  "cannot unmarshal",
		strings.Repeat("#", 2<<20):   "larger than 1 MiB",
		"resource_as:\n  issuer: 42": "",
	}
	for in, want := range cases {
		t.Run(want, func(t *testing.T) {
			_, err := config.Parse([]byte(in), "x.yaml")
			if want == "" {
				if err != nil {
					t.Errorf("ParseConfig = %v, want nil", err)
				}
				return
			}
			var ce *config.Error
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), want) {
				t.Errorf("ParseConfig = %v, want a *ConfigError saying %q", err, want)
			}
		})
	}
}

func TestApplyEnvAndSet(t *testing.T) {
	c, _ := config.Parse([]byte(goodConfig), "x")
	c.ApplyEnv(func(k string) string {
		return map[string]string{config.EnvIdPClientSecret: "from-env-idp", config.EnvASClientSecret: "from-env-as"}[k]
	})
	if c.IdP.ClientSecret.Reveal() != "from-env-idp" || c.ResourceAS.ClientSecret.Reveal() != "from-env-as" {
		t.Errorf("ApplyEnv did not take the secrets from the environment")
	}
	for _, kv := range [][2]string{{"resource_as.issuer", "https://other.example.com"}, {"idp.scopes", "openid,email offline_access"}, {"resource.id", "https://r"}} {
		if err := c.Set(kv[0], kv[1]); err != nil {
			t.Errorf("Set(%s) = %v", kv[0], err)
		}
	}
	if c.ResourceAS.Issuer != "https://other.example.com" || !cmp.Equal(c.IdP.Scopes, config.Scopes{"openid", "email", "offline_access"}) || c.Resource.ID != "https://r" {
		t.Errorf("Set did not change the config: %+v", c)
	}
	for key, want := range map[string]string{
		"resource_as.client_secret": config.EnvASClientSecret,
		"idp.clientid":              "did you mean idp.client_id?",
		"nope":                      "unknown config key",
	} {
		if err := c.Set(key, "x"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Set(%s) = %v, want %q", key, err, want)
		}
	}
}

func TestConfigCandidates(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	paths := func(cs []config.Candidate) []string {
		var out []string
		for _, c := range cs {
			out = append(out, fmt.Sprintf("%s %s %t", c.Origin, c.Path, c.Required))
		}
		return out
	}
	cases := []struct {
		name string
		flag string
		env  map[string]string
		want []string
	}{
		{"flag wins", "my.yaml", map[string]string{"XAA_CONFIG": "env.yaml"}, []string{"--config my.yaml true"}},
		{"XAA_CONFIG", "", map[string]string{"XAA_CONFIG": "env.yaml"}, []string{"XAA_CONFIG env.yaml true"}},
		{"XDG", "", map[string]string{"XDG_CONFIG_HOME": "/x", "HOME": "/h"}, []string{"./xaa.yaml xaa.yaml false", "$XDG_CONFIG_HOME /x/xaa/config.yaml false"}},
		{"HOME", "", map[string]string{"HOME": "/h"}, []string{"./xaa.yaml xaa.yaml false", "~/.config /h/.config/xaa/config.yaml false"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, paths(config.Candidates(c.flag, env(c.env)))); diff != "" {
				t.Errorf("ConfigCandidates (-want +got):\n%s", diff)
			}
		})
	}
}

// TestYAMLErrorsNeverEchoSecrets: a secret written as an alias is an
// "unknown anchor" to the YAML parser, which quotes it; the message keeps
// the problem and drops the secret.
func TestYAMLErrorsNeverEchoSecrets(t *testing.T) {
	for _, doc := range []string{
		"idp:\n  client_secret: *S3CRETvalue\n",
		"resource_as:\n  client_secret: \"S3CRETvalue\n  issuer: [\n",
		"idp:\n  client_secret: &S3CRETvalue x\n  issuer: *nope\n",
	} {
		_, err := config.Parse([]byte(doc), "xaa.yaml")
		if err == nil {
			t.Fatalf("Parse(%q): no error", doc)
		}
		if strings.Contains(err.Error(), "S3CRET") {
			t.Errorf("Parse(%q) = %v: the error echoes the secret", doc, err)
		}
	}
}

// TestLoadWarnsAboutReadableSecrets: a config with a secret that others
// can read is loaded, with a warning naming the fix.
func TestLoadWarnsAboutReadableSecrets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "xaa.yaml")
	if err := os.WriteFile(path, []byte(goodConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o644)
	cfg, err := config.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if w := fmt.Sprint(cfg.Warnings()); !strings.Contains(w, "chmod 600 "+path) {
		t.Errorf("warnings %s, want chmod 600", w)
	}
	os.Chmod(path, 0o600)
	cfg, _ = config.Load(path, nil)
	if w := fmt.Sprint(cfg.Warnings()); strings.Contains(w, "chmod") {
		t.Errorf("a 0600 file still warns: %s", w)
	}
}
