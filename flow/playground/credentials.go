package playground

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// credentials are the demo requesting app's client credentials: a secret at
// the IdP, another at the resource AS, and a key pair for private_key_jwt
// whose public half both parties have registered.
type credentials struct {
	IdPClientSecret string `json:"idp_client_secret"`
	ASClientSecret  string `json:"as_client_secret"`
	clientKey       *keyring
}

// credentialsFile is where --key-dir keeps the secrets, so a written config
// stays valid across starts.
const credentialsFile = "client-secrets.json"

// loadCredentials reads the secrets from dir or makes new ones (saving them
// when dir is set), and loads or makes the client key.
func loadCredentials(dir string) (credentials, error) {
	var c credentials
	var err error
	if c.clientKey, err = newKeyring(dir, "client", "ES256"); err != nil {
		return c, err
	}
	if dir != "" {
		path := filepath.Join(dir, credentialsFile)
		data, err := os.ReadFile(path)
		switch {
		case err == nil:
			if err := json.Unmarshal(data, &c); err != nil || c.IdPClientSecret == "" || c.ASClientSecret == "" {
				return c, fmt.Errorf("%s is not a client secrets file written by xaa playground; delete it to get new secrets", path)
			}
			return c, nil
		case !errors.Is(err, fs.ErrNotExist):
			return c, fmt.Errorf("reading client secrets: %w", err)
		}
	}
	c.IdPClientSecret, c.ASClientSecret = randomID(32), randomID(32)
	if dir == "" {
		return c, nil
	}
	data, _ := json.Marshal(c)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return c, fmt.Errorf("creating key directory: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, credentialsFile), data, 0o600); err != nil {
		return c, fmt.Errorf("writing client secrets: %w", err)
	}
	return c, nil
}
