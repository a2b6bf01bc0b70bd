package config

import (
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xaatools/xaa/inspect"
)

// OktaConfig is read access to the Okta org's admin (management) API, for
// `xaa doctor` to read the org's settings: the okta section of the file,
// configured the way Okta's own SDKs are. Either an SSWS API token, or an
// API Services app that signs a client assertion (private_key_jwt) and
// asks only for okta.*.read scopes. Unset, the doctor reads nothing.
type OktaConfig struct {
	// OrgURL is https://{yourOktaDomain}; "" means the IdP issuer's origin.
	OrgURL string `yaml:"org_url,omitempty"`
	// Token is an SSWS API token; never printed (OKTA_CLIENT_TOKEN).
	Token Secret `yaml:"token,omitempty"`
	// ClientID is the API Services app's client id (private-key mode).
	ClientID string `yaml:"client_id,omitempty"`
	// Scopes are the okta.*.read scopes to ask for; DefaultOktaScopes
	// when empty.
	Scopes Scopes `yaml:"scopes,omitempty"`
	// PrivateKey is the service app's private key: a PEM (or JWK) text, or
	// the path of a file holding one. Never printed.
	PrivateKey Secret `yaml:"private_key,omitempty"`
	// PrivateKeyID is the key's kid (needed when the app has several).
	PrivateKeyID string `yaml:"private_key_id,omitempty"`
	// AIAgentID is the id (wlp…) of the AI agent that is the requesting
	// app, for the doctor's AI agent checks; "" means the agent whose
	// client registration is idp.client_id, if any.
	AIAgentID string `yaml:"ai_agent_id,omitempty"`

	// Key is the parsed private key.
	Key *PrivateKey `yaml:"-"`
}

// Okta admin API authorization modes, named as Okta's SDKs name them
// (OKTA_CLIENT_AUTHORIZATIONMODE).
const (
	OktaModeSSWS       = "SSWS"
	OktaModePrivateKey = "PrivateKey"
)

// Environment variables of Okta's SDKs that configure the admin API access.
const (
	EnvOktaOrgURL       = "OKTA_CLIENT_ORGURL"
	EnvOktaToken        = "OKTA_CLIENT_TOKEN"
	EnvOktaMode         = "OKTA_CLIENT_AUTHORIZATIONMODE"
	EnvOktaClientID     = "OKTA_CLIENT_CLIENTID"
	EnvOktaScopes       = "OKTA_CLIENT_SCOPES"
	EnvOktaPrivateKey   = "OKTA_CLIENT_PRIVATEKEY"
	EnvOktaPrivateKeyID = "OKTA_CLIENT_PRIVATEKEYID"
)

// DefaultOktaScopes are the fewest read scopes the doctor's reads need: the
// apps with their Cross App Access connections and keys, and the custom
// authorization servers with their policies, rules and scopes.
var DefaultOktaScopes = Scopes{"okta.apps.read", "okta.authorizationServers.read"}

// Enabled reports whether the admin API is configured at all.
func (o OktaConfig) Enabled() bool {
	return o.Token != "" || o.ClientID != "" || o.PrivateKey != ""
}

// Mode is OktaModeSSWS with a token, OktaModePrivateKey with a client id
// (and key), "" when the admin API is not configured.
func (o OktaConfig) Mode() string {
	switch {
	case o.Token != "":
		return OktaModeSSWS
	case o.ClientID != "" || o.PrivateKey != "":
		return OktaModePrivateKey
	}
	return ""
}

// RequestScopes are the scopes asked for in private-key mode.
func (o OktaConfig) RequestScopes() Scopes {
	if len(o.Scopes) > 0 {
		return o.Scopes
	}
	return DefaultOktaScopes
}

// OrgOrigin returns okta.org_url, else the origin of issuer (the IdP
// issuer: an Okta org's org authorization server is at its root), without
// a trailing slash; "" when neither is a URL.
func (o OktaConfig) OrgOrigin(issuer string) string {
	raw := o.OrgURL
	if raw == "" {
		raw = issuer
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// SetOktaToken sets an SSWS token given on the command line
// (--okta-token), which wins over the environment and the file,
// private-key mode included.
func (c *Config) SetOktaToken(token string) {
	o := &c.Okta
	o.Token, o.ClientID, o.PrivateKey, o.PrivateKeyID, o.Key = Secret(token), "", "", "", nil
	c.oktaProblems = slices.DeleteFunc(c.oktaProblems, func(p Problem) bool { return p.Key == "okta.private_key" || p.Key == EnvOktaMode })
}

// applyOktaEnv applies Okta's SDK variables: the environment over the file.
// OKTA_CLIENT_AUTHORIZATIONMODE=PrivateKey takes the service app's
// settings from the environment and drops a token of the file; SSWS (the
// default) with OKTA_CLIENT_TOKEN drops the file's private-key settings.
func (c *Config) applyOktaEnv(getenv func(string) string) {
	o := &c.Okta
	if v := getenv(EnvOktaOrgURL); v != "" {
		o.OrgURL = v
	}
	switch mode := getenv(EnvOktaMode); mode {
	case "", OktaModeSSWS:
		if v := getenv(EnvOktaToken); v != "" {
			o.Token, o.ClientID, o.PrivateKey, o.PrivateKeyID = Secret(v), "", "", ""
		}
	case OktaModePrivateKey:
		o.Token = ""
		if v := getenv(EnvOktaClientID); v != "" {
			o.ClientID = v
		}
		if v := getenv(EnvOktaScopes); v != "" {
			o.Scopes = strings.Fields(strings.ReplaceAll(v, ",", " "))
		}
		if v := getenv(EnvOktaPrivateKey); v != "" {
			o.PrivateKey = Secret(v)
		}
		if v := getenv(EnvOktaPrivateKeyID); v != "" {
			o.PrivateKeyID = v
		}
	default:
		c.oktaProblems = append(c.oktaProblems, Problem{Key: EnvOktaMode, Message: fmt.Sprintf("%q is not a mode xaa supports: use SSWS (with %s) or PrivateKey (with %s, %s and %s)",
			sanitizeValue(mode), EnvOktaToken, EnvOktaClientID, EnvOktaPrivateKey, EnvOktaPrivateKeyID)})
	}
}

// sanitizeValue keeps a value from the environment printable and short.
func sanitizeValue(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}

// loadOktaKey parses okta.private_key: PEM or JWK text, or a file path
// (relative to the config's directory).
func (c *Config) loadOktaKey() {
	o := &c.Okta
	o.Key = nil
	c.oktaProblems = slices.DeleteFunc(c.oktaProblems, func(p Problem) bool { return p.Key == "okta.private_key" })
	if o.PrivateKey == "" {
		return
	}
	text := strings.TrimSpace(o.PrivateKey.Reveal())
	data := []byte(text)
	if !strings.HasPrefix(text, "-----BEGIN") && !strings.HasPrefix(text, "{") {
		path := text
		if !filepath.IsAbs(path) && c.Dir != "" {
			path = filepath.Join(c.Dir, path)
		}
		var err error
		if data, err = ReadFile(path, MaxKeyFileBytes); err != nil {
			c.oktaProblems = append(c.oktaProblems, Problem{Key: "okta.private_key", Message: err.Error()})
			return
		}
	}
	k, err := ParsePrivateKey(data, o.PrivateKeyID)
	if err != nil {
		c.oktaProblems = append(c.oktaProblems, Problem{Key: "okta.private_key", Message: err.Error()})
		return
	}
	o.Key = k
}

// OktaProblems reports, all at once, what is wrong with the okta section
// (and Okta's SDK variables); nil when it is unset or complete. They are
// kept out of Validate: the admin API is only the doctor's, and a broken
// okta section must not stop a run.
func (c *Config) OktaProblems() []Problem {
	o := c.Okta
	ps := slices.Clone(c.oktaProblems)
	add := func(key, format string, args ...any) {
		ps = append(ps, Problem{Key: key, Message: fmt.Sprintf(format, args...)})
	}
	if !o.Enabled() && o.OrgURL == "" {
		return ps
	}
	if o.OrgURL != "" {
		u, err := url.Parse(o.OrgURL)
		switch {
		case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
			add("okta.org_url", "%q is not an absolute https URL (https://{yourOktaDomain})", sanitizeValue(o.OrgURL))
		case u.Scheme == "http" && !inspect.IsLoopbackURL(o.OrgURL):
			add("okta.org_url", "must use https (http only on loopback): the admin token is sent to it")
		case u.Path != "" && u.Path != "/":
			add("okta.org_url", "must be the org's origin, https://{yourOktaDomain}, without a path")
		}
	}
	if o.Token != "" && (o.ClientID != "" || o.PrivateKey != "") {
		add("okta.token", "set either okta.token (an SSWS API token) or okta.client_id with okta.private_key (an API Services app), not both")
	}
	if o.Mode() == OktaModePrivateKey {
		if o.ClientID == "" {
			add("okta.client_id", "required with okta.private_key: the API Services app's client id")
		}
		if o.PrivateKey == "" {
			add("okta.private_key", "required with okta.client_id: the API Services app's private key (PEM, or the path of a PEM file)")
		}
		for _, s := range o.Scopes {
			if !strings.HasPrefix(s, "okta.") || !strings.HasSuffix(s, ".read") {
				add("okta.scopes", "%q is not an okta.*.read scope: the doctor only reads the org", sanitizeValue(s))
			}
		}
	}
	return ps
}

// oktaSecrets are the okta section's secret values, for the recorder.
func (o OktaConfig) oktaSecrets() []string {
	var out []string
	if o.Token != "" {
		out = append(out, o.Token.Reveal())
	}
	if k := strings.TrimSpace(o.PrivateKey.Reveal()); strings.HasPrefix(k, "-----BEGIN") || strings.HasPrefix(k, "{") {
		out = append(out, k)
	}
	return out
}
