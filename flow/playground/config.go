package playground

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Config is everything a client needs to run the flow against the
// playground, in the shape of the xaa config file (CONTRACT.md), plus the
// demo users (which the file leaves out).
type Config struct {
	IdP        IdPConfig        `yaml:"idp"`
	ResourceAS ResourceASConfig `yaml:"resource_as"`
	Resource   ResourceConfig   `yaml:"resource"`
	Users      []User           `yaml:"-"`
}

// IdPConfig is the requesting app's client at the IdP.
type IdPConfig struct {
	Issuer       string `yaml:"issuer"`
	ClientID     string `yaml:"client_id"`
	ClientSecret string `yaml:"client_secret,omitempty" json:"-"`
	AuthMethod   string `yaml:"auth_method"`
	// PrivateKey is the path of the PEM key for private_key_jwt.
	PrivateKey  string   `yaml:"private_key,omitempty"`
	RedirectURI string   `yaml:"redirect_uri"`
	Scopes      []string `yaml:"scopes"`
}

// ResourceASConfig is the requesting app's client at the resource AS.
type ResourceASConfig struct {
	Issuer       string   `yaml:"issuer"`
	ClientID     string   `yaml:"client_id"`
	ClientSecret string   `yaml:"client_secret,omitempty" json:"-"`
	AuthMethod   string   `yaml:"auth_method"`
	Scopes       []string `yaml:"scopes"`
}

// ResourceConfig names the resource: its RFC 8707 identifier and URLs.
type ResourceConfig struct {
	ID     string `yaml:"id"`
	APIURL string `yaml:"api_url"`
	MCPURL string `yaml:"mcp_url"`
}

// Config returns the client configuration for the demo requesting app,
// authenticating with client_secret_basic at both parties.
func (p *Playground) Config() Config {
	users := make([]User, len(p.users.users))
	for i, u := range p.users.users {
		users[i] = *u
	}
	return Config{
		IdP: IdPConfig{
			Issuer: p.idpURL, ClientID: IdPClientID, ClientSecret: p.credentials.IdPClientSecret,
			AuthMethod: authSecretBasic, RedirectURI: p.redirectURIs[0],
			Scopes: []string{"openid", "profile", "email", "offline_access"},
		},
		ResourceAS: ResourceASConfig{
			Issuer: p.asURL, ClientID: ASClientID, ClientSecret: p.credentials.ASClientSecret,
			AuthMethod: authSecretBasic, Scopes: []string{ScopeTodosRead, ScopeTodosWrite},
		},
		Resource: ResourceConfig{ID: p.rsURL, APIURL: p.rsURL + "/todos", MCPURL: p.rsURL + mcpPath},
		Users:    users,
	}
}

// ConfigFiles names the files WriteConfig writes for a config path.
type ConfigFiles struct {
	// Config authenticates with client secrets (client_secret_basic).
	Config string
	// PrivateKeyJWTConfig authenticates at the IdP with private_key_jwt,
	// signing with ClientKey.
	PrivateKeyJWTConfig string
	// ClientKey is the demo requesting app's private key (PEM, PKCS #8).
	ClientKey string
}

// ConfigFilesFor returns the files WriteConfig(path) writes: path, and
// beside it <name>.private-key-jwt.yaml and <name>.client-key.pem.
func ConfigFilesFor(path string) ConfigFiles {
	stem := strings.TrimSuffix(path, filepath.Ext(path))
	return ConfigFiles{Config: path, PrivateKeyJWTConfig: stem + ".private-key-jwt.yaml", ClientKey: stem + ".client-key.pem"}
}

// WriteConfig writes Config as YAML to path (mode 0600: it holds client
// secrets), and beside it the private_key_jwt variant and its key (see
// ConfigFilesFor).
func (p *Playground) WriteConfig(path string) error {
	files := ConfigFilesFor(path)
	keyPath, err := filepath.Abs(files.ClientKey)
	if err != nil {
		return fmt.Errorf("config path: %w", err)
	}
	if err := writeKeyPEM(keyPath, p.credentials.clientKey.signer("ES256").priv); err != nil {
		return err
	}
	c := p.Config()
	if err := p.writeYAML(files.Config, c, "client secrets (client_secret_basic)"); err != nil {
		return err
	}
	c.IdP.AuthMethod, c.IdP.ClientSecret, c.IdP.PrivateKey = authPrivateKey, "", keyPath
	return p.writeYAML(files.PrivateKeyJWTConfig, c, "private_key_jwt at the IdP (key "+filepath.Base(keyPath)+")")
}

func (p *Playground) writeYAML(path string, c Config, auth string) error {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# xaa config for the xaa playground (CONTRACT.md format), authenticating with %s.\n", auth)
	fmt.Fprintf(&buf, "# It holds client secrets: keep it private. Demo users (passwords on the login page):\n")
	for _, u := range p.users.users {
		fmt.Fprintf(&buf, "#   %s\n", u.describe())
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return fmt.Errorf("encoding config: %w", err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("writing config: %w", err)
	}
	return os.Chmod(path, 0o600) // WriteFile keeps the mode of an existing file
}
