package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"
)

// WriteOptions say how Write writes a config file.
type WriteOptions struct {
	// Comment is written at the top of the file, each line prefixed with "# ".
	Comment []string
	// NoClobber refuses to replace an existing file.
	NoClobber bool
}

// Write writes c to path as YAML, client secrets included (a config file
// is the one place they belong), with mode 0600 and atomically (see
// WritePrivateFile).
func Write(path string, c *Config, o WriteOptions) error {
	body, err := c.yaml()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	for _, line := range o.Comment {
		buf.WriteString("# " + line + "\n")
	}
	buf.Write(body)
	if o.NoClobber {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("%s already exists: edit it, or move it away and try again", path)
		}
	}
	return WritePrivateFile(path, buf.Bytes())
}

// yaml encodes the config with its secrets: Secret encodes as Redacted
// everywhere else, so the secret values are put back here.
func (c *Config) yaml() ([]byte, error) {
	var doc yaml.Node
	if err := doc.Encode(c); err != nil {
		return nil, fmt.Errorf("encoding the config: %w", err)
	}
	reveal := map[string]Secret{"idp.client_secret": c.IdP.ClientSecret, "resource_as.client_secret": c.ResourceAS.ClientSecret,
		"conform.other_client_secret": c.Conform.OtherClientSecret, "conform.expired_id_token": c.Conform.ExpiredIDToken,
		"okta.token": c.Okta.Token, "okta.private_key": c.Okta.PrivateKey}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		section, body := doc.Content[i], doc.Content[i+1]
		for j := 0; j+1 < len(body.Content); j += 2 {
			if v, ok := reveal[section.Value+"."+body.Content[j].Value]; ok {
				body.Content[j+1].Value = v.Reveal()
			}
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("encoding the config: %w", err)
	}
	return buf.Bytes(), nil
}

// WritePrivateFile writes a file that may hold secrets (a config, a key, a
// report): mode 0600 whatever the file had before, the directory created
// 0700 when missing, and atomically — a temporary file renamed over the
// path, so a reader never sees half a file and a symlink at path is
// replaced, not written through.
func WritePrivateFile(path string, data []byte) error {
	if path == "" {
		return errors.New("no file name given")
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp") // created 0600
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
