package playground

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/xaatools/xaa/flow/config"
)

// credentials are the demo requesting app's client credentials: a secret at
// the IdP, another at the resource AS, and a key pair for private_key_jwt
// whose public half both parties have registered.
type credentials struct {
	IdPClientSecret string `json:"idp_client_secret"`
	ASClientSecret  string `json:"as_client_secret"`
	// OtherIdPClientSecret is the second demo client's secret at the IdP
	// (OtherIdPClientID); a file from before it existed gets one added.
	OtherIdPClientSecret string `json:"other_idp_client_secret,omitempty"`
	clientKey            *keyring
}

// credentialsFile is where a key directory keeps the secrets, so a written
// config stays valid across starts.
const credentialsFile = "client-secrets.json"

// loadCredentials reads the secrets from the store or makes new ones
// (keeping them there), and loads or makes the client key. A secrets file
// that cannot be read is replaced, with a warning.
func loadCredentials(store *keyStore) (credentials, error) {
	var c credentials
	var err error
	if c.clientKey, err = newKeyring(store, "client", false, "ES256"); err != nil {
		return c, err
	}
	if store.dir == "" {
		c.IdPClientSecret, c.ASClientSecret, c.OtherIdPClientSecret = randomID(32), randomID(32), randomID(32)
		return c, nil
	}
	path := filepath.Join(store.dir, credentialsFile)
	data, err := os.ReadFile(path)
	if err == nil {
		if err = json.Unmarshal(data, &c); err == nil && (c.IdPClientSecret == "" || c.ASClientSecret == "") {
			err = errors.New("a secret is missing")
		}
		if err == nil && c.OtherIdPClientSecret != "" {
			return c, nil
		}
		if err == nil {
			c.OtherIdPClientSecret = randomID(32)
			keepCredentials(store, path, c)
			return c, nil
		}
	}
	if !errors.Is(err, fs.ErrNotExist) {
		store.warn(fmt.Sprintf("%s is not a client secrets file written by xaa playground (%v); made new secrets: write the config again", path, err))
	}
	c.IdPClientSecret, c.ASClientSecret, c.OtherIdPClientSecret = randomID(32), randomID(32), randomID(32)
	keepCredentials(store, path, c)
	return c, nil
}

// keepCredentials writes the secrets to path, or warns.
func keepCredentials(store *keyStore, path string, c credentials) {
	data, _ := json.Marshal(c)
	if err := config.WritePrivateFile(path, data); err != nil {
		store.warn(fmt.Sprintf("could not keep the client secrets in %s (%v); they last until the playground stops", store.dir, err))
	}
}
