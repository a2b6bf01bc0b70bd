package playground

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/xaatools/xaa/flow/config"
)

// Config returns the client configuration for the demo requesting app,
// authenticating with client_secret_basic at both parties: the same
// Config an xaa config file holds.
func (p *Playground) Config() *config.Config {
	return &config.Config{
		Source: "the built-in playground",
		IdP: config.IdPConfig{
			ClientConfig: config.ClientConfig{
				Issuer: p.idpURL, ClientID: IdPClientID, ClientSecret: config.Secret(p.credentials.IdPClientSecret),
				AuthMethod: config.AuthClientSecretBasic,
				Scopes:     config.Scopes{"openid", "profile", "email", "offline_access"},
			},
			RedirectURI: p.redirectURIs[0],
		},
		ResourceAS: config.ClientConfig{
			Issuer: p.asURL, ClientID: ASClientID, ClientSecret: config.Secret(p.credentials.ASClientSecret),
			AuthMethod: config.AuthClientSecretBasic, Scopes: config.Scopes{ScopeTodosRead, ScopeTodosWrite},
		},
		Resource: config.ResourceConfig{APIURL: p.rsURL + "/todos", MCPURL: p.rsURL + mcpPath},
		Conform: config.ConformConfig{OtherClientID: OtherIdPClientID, OtherClientSecret: config.Secret(p.credentials.OtherIdPClientSecret),
			UnassignedUser: UnassignedUser},
	}
}

// Users returns the demo users: who can log in, and what happens to each.
func (p *Playground) Users() []User {
	users := make([]User, len(p.users.users))
	for i, u := range p.users.users {
		users[i] = *u
	}
	return users
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
	c.Okta = p.OktaAdmin() // the admin API of the Okta profile's simulated org, for xaa doctor
	if err := config.Write(files.Config, c, config.WriteOptions{Comment: p.configComment("client secrets (client_secret_basic)")}); err != nil {
		return err
	}
	c.IdP.AuthMethod, c.IdP.ClientSecret, c.IdP.PrivateKey = config.AuthPrivateKeyJWT, "", keyPath
	c.Okta = config.OktaConfig{} // the simulated org registers the app with client_secret_basic
	return config.Write(files.PrivateKeyJWTConfig, c, config.WriteOptions{Comment: p.configComment("private_key_jwt at the IdP (key " + filepath.Base(keyPath) + ")")})
}

// configComment heads a written config: what it is for, and the demo users
// (whose passwords are on the login page).
func (p *Playground) configComment(auth string) []string {
	lines := []string{
		"xaa config for the xaa playground, authenticating with " + auth + ".",
		"It holds client secrets: keep it private. Demo users (passwords on the login page):",
	}
	for _, u := range p.users.users {
		lines = append(lines, "  "+u.describe())
	}
	return lines
}
