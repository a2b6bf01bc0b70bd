// Package config is xaa's client configuration: the three parties of a
// Cross App Access flow (the IdP, the resource authorization server, the
// resource), the two client registrations, and where the secrets come from.
// It parses the YAML file (every problem at once, naming the key), applies
// the environment and --set, validates, warns about what is allowed but
// probably wrong, and writes the file back, revealing secrets only there.
//
// The package is a leaf of xaa's flow: it knows nothing of HTTP or of the
// steps. A private key is parsed once, when the config is loaded, and kept
// parsed.
package config

import (
	"cmp"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Config is what xaa needs to know about the three parties, in the YAML
// shape documented in the README. Two client identities are kept apart on
// purpose (draft §5): the client at the IdP (login and token exchange) and
// the client at the resource AS (jwt-bearer).
type Config struct {
	IdP        IdPConfig      `yaml:"idp"`
	ResourceAS ClientConfig   `yaml:"resource_as"`
	Resource   ResourceConfig `yaml:"resource"`
	// Conform holds what only `xaa conform --idp` uses: a second client
	// and a second user, the inputs of the cases that need them.
	Conform ConformConfig `yaml:"conform,omitempty"`
	// Okta is read access to the org's admin API, for the doctor.
	Okta OktaConfig `yaml:"okta,omitempty"`

	// Source names where the config came from (a file path), for messages.
	Source string `yaml:"-"`
	// Dir is the directory relative private_key paths are read from; ""
	// means the working directory.
	Dir string `yaml:"-"`
	// loadWarnings are problems found while loading (a file others can
	// read); unknownKeys are keys the schema does not have, which
	// Validate reports with the nearest known key.
	loadWarnings []Problem
	unknownKeys  []Problem
	// oktaProblems are what loading the okta section and Okta's SDK
	// variables found wrong, for OktaProblems.
	oktaProblems []Problem
}

// ClientConfig is one client registration at one authorization server.
type ClientConfig struct {
	// Issuer is the server's issuer identifier, compared byte for byte.
	Issuer   string `yaml:"issuer"`
	ClientID string `yaml:"client_id"`
	// ClientSecret is never printed; env XAA_IDP_CLIENT_SECRET /
	// XAA_AS_CLIENT_SECRET override it.
	ClientSecret Secret `yaml:"client_secret,omitempty"`
	// AuthMethod is client_secret_basic (the default), client_secret_post,
	// private_key_jwt or none.
	AuthMethod string `yaml:"auth_method,omitempty"`
	// PrivateKey is the path of the PEM or JWK file for private_key_jwt;
	// LoadKeys parses it into Key.
	PrivateKey string `yaml:"private_key,omitempty"`
	// Key is the parsed private key; never printed or written.
	Key *PrivateKey `yaml:"-"`
	// keyProblem says why PrivateKey could not be loaded, for Validate.
	keyProblem string
	// KeyID is the kid put into client assertions (private_key_jwt).
	KeyID string `yaml:"key_id,omitempty"`
	// AssertionAudience is the aud of a client assertion: token_endpoint
	// (the default; Okta requires it) or issuer (RFC 7523bis).
	AssertionAudience string `yaml:"assertion_audience,omitempty"`
	Scopes            Scopes `yaml:"scopes,omitempty"`
	// TokenEndpoint and JWKSURI, when set, are used instead of what the
	// server's metadata says (or when it publishes none): a step runs
	// whenever its inputs are known, wherever they come from.
	TokenEndpoint string `yaml:"token_endpoint,omitempty"`
	JWKSURI       string `yaml:"jwks_uri,omitempty"`
}

// IdPConfig is the client at the IdP.
type IdPConfig struct {
	ClientConfig `yaml:",inline"`
	// RedirectURI is the loopback URI the login callback listens on; it must
	// be registered at the IdP byte for byte.
	RedirectURI string `yaml:"redirect_uri"`
	// AuthorizationEndpoint, when set, is used instead of the metadata's.
	AuthorizationEndpoint string `yaml:"authorization_endpoint,omitempty"`
	// Subject is what the token exchange sends as its subject: id_token
	// (the default) or refresh_token — the IdP refresh token of a login
	// with offline_access, kept between runs (draft §4.3).
	Subject string `yaml:"subject,omitempty"`
}

// Token exchange subjects (idp.subject).
const (
	SubjectIDToken      = "id_token"
	SubjectRefreshToken = "refresh_token"
)

// UsesRefreshToken reports whether the token exchange's subject is the
// IdP refresh token.
func (c IdPConfig) UsesRefreshToken() bool { return c.Subject == SubjectRefreshToken }

// ResourceConfig is the API or MCP server the access token is for.
type ResourceConfig struct {
	// ID is one RFC 8707 resource indicator for every resource. Unset,
	// each server's own (its protected resource metadata's) is used, and
	// the API and the MCP server each get their own tokens.
	ID string `yaml:"id,omitempty"`
	// APIURL is a REST URL to GET with the token.
	APIURL string `yaml:"api_url,omitempty"`
	// MCPURL is an MCP server's Streamable HTTP endpoint.
	MCPURL string `yaml:"mcp_url,omitempty"`
}

// IsOkta reports whether the server is an Okta authorization server, by
// its issuer's host: Okta's own rules (an ID-JAG of at most five minutes)
// are then the judge.
func (cc ClientConfig) IsOkta() bool {
	u, err := url.Parse(cc.Issuer)
	return err == nil && OktaHost(u.Host)
}

// Client authentication methods (RFC 8414 §2, OIDC Core §9).
const (
	AuthClientSecretBasic = "client_secret_basic"
	AuthClientSecretPost  = "client_secret_post"
	AuthPrivateKeyJWT     = "private_key_jwt"
	AuthNone              = "none"
)

// Assertion audiences for private_key_jwt.
const (
	AssertionAudienceTokenEndpoint = "token_endpoint"
	AssertionAudienceIssuer        = "issuer"
)

// Environment variables that carry secrets.
const (
	EnvIdPClientSecret = "XAA_IDP_CLIENT_SECRET"
	EnvASClientSecret  = "XAA_AS_CLIENT_SECRET"
	EnvConfig          = "XAA_CONFIG"
)

// Redacted replaces every secret xaa shows, records or writes where the
// secret itself is not wanted.
const Redacted = "[REDACTED]"

// Secret is a string that never prints: fmt, JSON, YAML and text encoders
// all see Redacted. Use Reveal to get the value for the wire.
type Secret string

// Reveal returns the secret's value.
func (s Secret) Reveal() string { return string(s) }

// String returns Redacted, or "" for an empty secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return Redacted
}

// GoString keeps %#v from printing the secret.
func (s Secret) GoString() string { return `"` + s.String() + `"` }

// MarshalText keeps encoders from writing the secret.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a secret.
func (s *Secret) UnmarshalText(b []byte) error { *s = Secret(b); return nil }

// Scopes is a scope list; YAML may give it as a sequence or as one
// space-separated string.
type Scopes []string

// UnmarshalYAML accepts [a, b] and "a b".
func (s *Scopes) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*s = strings.Fields(n.Value)
		return nil
	case yaml.SequenceNode:
		var list []string
		if err := n.Decode(&list); err != nil {
			return err
		}
		*s = list
		return nil
	}
	return fmt.Errorf("line %d: scopes must be a list ([openid, email]) or a space-separated string", n.Line)
}

// String joins the scopes with spaces, as the scope parameter wants them.
func (s Scopes) String() string { return strings.Join(s, " ") }

// Problem is one problem with the configuration: the key and why it
// matters.
type Problem struct {
	Key     string
	Message string
}

// String returns "key: message".
func (p Problem) String() string { return p.Key + ": " + p.Message }

// Error lists every problem found at once.
type Error struct {
	Source   string
	Problems []Problem
}

// Error lists every problem, one per line when there are several.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Source != "" {
		b.WriteString(e.Source + ": ")
	}
	if len(e.Problems) == 1 {
		b.WriteString(e.Problems[0].String())
		return b.String()
	}
	fmt.Fprintf(&b, "%d problems:", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  - " + p.String())
	}
	return b.String()
}

// DefaultIdPScopes are requested at login when idp.scopes is empty: openid
// for an ID token, email because Okta copies it into the ID-JAG only when
// it was requested at login.
var DefaultIdPScopes = Scopes{"openid", "profile", "email"}

// Parse reads the YAML configuration. Unknown keys are not errors
// (the playground writes extra ones) but come back from Warnings, with a
// suggestion when they look like a typo.
func Parse(data []byte, source string) (*Config, error) {
	if len(data) > 1<<20 {
		return nil, &Error{Source: source, Problems: []Problem{{Key: "(file)", Message: "larger than 1 MiB: this is not an xaa config"}}}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &Error{Source: source, Problems: []Problem{{Key: "(yaml)", Message: withoutSecrets(yamlMessage(err), data)}}}
	}
	c := &Config{Source: source}
	if len(root.Content) == 0 {
		return c, nil
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return nil, &Error{Source: source, Problems: []Problem{{Key: "(yaml)", Message: fmt.Sprintf("line %d: the file must be a mapping with idp, resource_as and resource sections", doc.Line)}}}
	}
	c.unknownKeys = unknownKeys(doc)
	if err := doc.Decode(c); err != nil {
		return nil, &Error{Source: source, Problems: []Problem{{Key: "(yaml)", Message: withoutSecrets(yamlMessage(err), data)}}}
	}
	return c, nil
}

// secretLine finds the value of a client_secret key in a file YAML could
// not parse, however it is written; compiled only when a file is broken.
var secretLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^\s*client_secret\s*:[ \t]*(.*)$`) })

// quotedName is a name the parser quotes in its message ("unknown anchor
// 'S3CRET' referenced").
var quotedName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`'([^']{3,})'`) })

// withoutSecrets keeps the client secrets of a broken file out of the
// parser's message: the value itself, and any name the parser quotes that
// is a piece of it (an alias "*S3CRET:x" is reported as 'S3CRET').
func withoutSecrets(msg string, data []byte) string {
	var values []string
	for _, m := range secretLine().FindAllSubmatch(data, -1) {
		if v := strings.Trim(string(m[1]), " \t'\"&*!"); len(v) >= 3 {
			values = append(values, v)
			msg = strings.ReplaceAll(msg, v, Redacted)
		}
	}
	return quotedName().ReplaceAllStringFunc(msg, func(q string) string {
		for _, v := range values {
			if strings.Contains(v, q[1:len(q)-1]) {
				return "'" + Redacted + "'"
			}
		}
		return q
	})
}

func yamlMessage(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return strings.Join(te.Errors, "; ")
	}
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

// Keys returns every config key, "section.key", in the order of the file.
func Keys() []string {
	var all []string
	for _, s := range []string{"idp", "resource_as", "resource", "conform", "okta"} {
		for _, k := range knownKeys[s] {
			all = append(all, s+"."+k)
		}
	}
	return all
}

// knownKeys are the keys of each section.
var knownKeys = map[string][]string{
	"idp":         {"issuer", "client_id", "client_secret", "auth_method", "private_key", "key_id", "assertion_audience", "redirect_uri", "scopes", "authorization_endpoint", "token_endpoint", "jwks_uri", "subject"},
	"resource_as": {"issuer", "client_id", "client_secret", "auth_method", "private_key", "key_id", "assertion_audience", "scopes", "token_endpoint", "jwks_uri"},
	"resource":    {"id", "api_url", "mcp_url"},
	"conform":     {"other_client_id", "other_client_secret", "unassigned_user", "expired_id_token"},
	"okta":        {"org_url", "token", "client_id", "scopes", "private_key", "private_key_id", "ai_agent_id"},
}

// unknownKeys lists keys xaa does not know, with the nearest known key.
func unknownKeys(doc *yaml.Node) []Problem {
	var out []Problem
	sections := []string{"idp", "resource_as", "resource", "conform", "okta"}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		keys, known := knownKeys[k.Value]
		if !known {
			msg := fmt.Sprintf("line %d: unknown section; the sections are idp, resource_as, resource, conform and okta", k.Line)
			if near := Nearest(k.Value, sections); near != "" {
				msg = fmt.Sprintf("line %d: unknown section — did you mean %s?", k.Line, near)
			}
			out = append(out, Problem{Key: k.Value, Message: msg})
			continue
		}
		if v.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(v.Content); j += 2 {
			kk := v.Content[j]
			if !slices.Contains(keys, kk.Value) {
				msg := fmt.Sprintf("line %d: unknown key", kk.Line)
				if near := Nearest(kk.Value, keys); near != "" {
					msg += " — did you mean " + k.Value + "." + near + "?"
				} else {
					msg += "; the keys of " + k.Value + " are " + strings.Join(keys, ", ")
				}
				out = append(out, Problem{Key: k.Value + "." + kk.Value, Message: msg})
			}
		}
	}
	return out
}

// Nearest returns the candidate within two edits of s (ignoring case, '-'
// and '_'), or "": the "did you mean" of every name the user types.
func Nearest(s string, candidates []string) string {
	norm := func(x string) string {
		return strings.ReplaceAll(strings.ReplaceAll(strings.ToLower(x), "-", ""), "_", "")
	}
	best, bestD := "", 3
	for _, c := range candidates {
		if d := editDistance(norm(s), norm(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// ApplyEnv fills secrets from the environment (XAA_IDP_CLIENT_SECRET,
// XAA_AS_CLIENT_SECRET) and the admin API access from Okta's SDK
// variables (OKTA_CLIENT_*); a set variable wins over the file.
func (c *Config) ApplyEnv(getenv func(string) string) {
	c.applyOktaEnv(getenv)
	if v := getenv(EnvIdPClientSecret); v != "" {
		c.IdP.ClientSecret = Secret(v)
	}
	if v := getenv(EnvASClientSecret); v != "" {
		c.ResourceAS.ClientSecret = Secret(v)
	}
}

// Set overrides one key ("resource_as.issuer", "idp.scopes") from the
// command line. Secrets are refused: they belong in the file or the
// environment, not in shell history.
func (c *Config) Set(key, value string) error {
	section, name, _ := strings.Cut(key, ".")
	keys, ok := knownKeys[section]
	if !ok || !slices.Contains(keys, name) {
		msg := fmt.Sprintf("unknown config key %q", key)
		if near := Nearest(key, Keys()); near != "" {
			msg += "; did you mean " + near + "?"
		}
		return errors.New(msg)
	}
	if section == "conform" && (name == "other_client_secret" || name == "expired_id_token") {
		return fmt.Errorf("%s is a secret: set it in the config file, not on the command line", key)
	}
	if section == "okta" && (name == "token" || name == "private_key") {
		return fmt.Errorf("%s is a secret: set it in the config file, in %s, or with --okta-token, not with --set", key, map[string]string{"token": EnvOktaToken, "private_key": EnvOktaPrivateKey}[name])
	}
	if name == "client_secret" {
		env := EnvIdPClientSecret
		if section == "resource_as" {
			env = EnvASClientSecret
		}
		return fmt.Errorf("%s is a secret: set it in the config file or in %s, not on the command line", key, env)
	}
	if name == "scopes" {
		value = strings.ReplaceAll(value, ",", " ")
	}
	// Decode the one key the way the file would give it, so --set and the
	// file share one schema.
	doc := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Value: section},
		{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: name}, {Kind: yaml.ScalarNode, Value: value, Tag: "!!str"}}},
	}}
	if err := doc.Decode(c); err != nil {
		return fmt.Errorf("%s: %s", key, yamlMessage(err))
	}
	if name == "private_key" {
		if section == "idp" {
			c.loadKey(&c.IdP.ClientConfig)
		} else {
			c.loadKey(&c.ResourceAS)
		}
	}
	return nil
}

// Secrets returns every secret value in the config, for the recorder to
// scrub wherever one appears.
//
// Each client secret comes with the credentials of its Basic header
// (RFC 6749 §2.3.1: client_id:client_secret, form-encoded or not, in
// base64), so a server that echoes the header back is scrubbed whole
// whatever the length of the client id.
func (c *Config) Secrets() []string {
	var out []string
	for _, cc := range []ClientConfig{c.IdP.ClientConfig, c.ResourceAS, c.Conform.OtherClient(c.IdP.ClientConfig)} {
		if cc.ClientSecret == "" {
			continue
		}
		secret := cc.ClientSecret.Reveal()
		out = append(out, secret,
			base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(cc.ClientID)+":"+url.QueryEscape(secret))),
			base64.StdEncoding.EncodeToString([]byte(cc.ClientID+":"+secret)))
	}
	if t := c.Conform.ExpiredIDToken; t != "" {
		out = append(out, t.Reveal())
	}
	return append(out, c.Okta.oktaSecrets()...)
}

// Method returns the configured authentication method or the RFC 8414 §2
// default, client_secret_basic.
func (cc ClientConfig) Method() string {
	if cc.AuthMethod == "" {
		return AuthClientSecretBasic
	}
	return cc.AuthMethod
}

// LoginScopes are the scopes the login asks for: idp.scopes, else
// DefaultIdPScopes — with offline_access when idp.subject is refresh_token,
// since the IdP issues a refresh token only when it is asked for.
func (c *Config) LoginScopes() Scopes {
	if len(c.IdP.Scopes) > 0 {
		return c.IdP.Scopes
	}
	if c.IdP.UsesRefreshToken() {
		return append(slices.Clone(DefaultIdPScopes), "offline_access")
	}
	return DefaultIdPScopes
}

// Parties names who takes part in a flow, without secrets, for reports.
type Parties struct {
	IdPIssuer     string `json:"idp_issuer"`
	IdPClientID   string `json:"idp_client_id"`
	IdPAuthMethod string `json:"idp_auth_method"`
	ASIssuer      string `json:"as_issuer"`
	ASClientID    string `json:"as_client_id"`
	ASAuthMethod  string `json:"as_auth_method"`
	ResourceID    string `json:"resource_id,omitempty"`
	APIURL        string `json:"api_url,omitempty"`
	MCPURL        string `json:"mcp_url,omitempty"`
	// LoginScopes are asked for at login, Scopes at the token exchange and
	// the jwt-bearer grant; Subject is what the token exchange sends.
	LoginScopes string `json:"login_scopes,omitempty"`
	Scopes      string `json:"scopes,omitempty"`
	Subject     string `json:"subject,omitempty"`
}

// Parties returns the config's parties, without secrets.
func (c *Config) Parties() Parties {
	return Parties{
		IdPIssuer: c.IdP.Issuer, IdPClientID: c.IdP.ClientID, IdPAuthMethod: c.IdP.Method(),
		ASIssuer: c.ResourceAS.Issuer, ASClientID: c.ResourceAS.ClientID, ASAuthMethod: c.ResourceAS.Method(),
		ResourceID: c.Resource.ID, APIURL: c.Resource.APIURL, MCPURL: c.Resource.MCPURL,
		LoginScopes: c.LoginScopes().String(), Scopes: c.ResourceAS.Scopes.String(), Subject: cmp.Or(c.IdP.Subject, SubjectIDToken),
	}
}
