package config_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/xaatools/xaa/flow/config"
)

// TestWriteLoadRoundTrip writes a config with secrets and reads it back:
// the same values, the secrets in the file (and only there), mode 0600.
func TestWriteLoadRoundTrip(t *testing.T) {
	want, err := config.Parse([]byte(goodConfig), "xaa.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sub", "xaa.yaml")
	if err := config.Write(path, want, config.WriteOptions{Comment: []string{"first line", "second line"}}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"# first line\n# second line\n", "idp-secret-value", "as-secret-value"} {
		if !strings.Contains(string(data), s) {
			t.Errorf("the file lacks %q:\n%s", s, data)
		}
	}
	if strings.Contains(string(data), config.Redacted) {
		t.Errorf("the file holds %s instead of a secret:\n%s", config.Redacted, data)
	}
	got, err := config.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	opts := cmpopts.IgnoreFields(config.Config{}, "Source", "Dir")
	if diff := cmp.Diff(want, got, opts, cmpopts.IgnoreUnexported(config.Config{}, config.ClientConfig{})); diff != "" {
		t.Errorf("read back (-written +read):\n%s", diff)
	}
	assertMode(t, path, 0o600)
}

// TestWritePrivateFile: a file that existed with looser permissions and a
// symlink at the path are both replaced by a 0600 file, and the symlink's
// target is left alone.
func TestWritePrivateFile(t *testing.T) {
	dir := t.TempDir()
	loose := filepath.Join(dir, "loose.yaml")
	if err := os.WriteFile(loose, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := config.WritePrivateFile(loose, []byte("new")); err != nil {
		t.Fatal(err)
	}
	assertMode(t, loose, 0o600)

	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.md")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := config.WritePrivateFile(link, []byte("report")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(target); string(b) != "precious" {
		t.Errorf("the symlink's target now holds %q: the write went through the link", b)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink != 0 {
		t.Errorf("the path is still a symlink (%v)", err)
	}
	assertMode(t, link, 0o600)
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("the directory holds %d entries, want 3 (no temporary file left)", len(entries))
	}
}

func TestWriteNoClobber(t *testing.T) {
	path := filepath.Join(t.TempDir(), "xaa.yaml")
	if err := os.WriteFile(path, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := config.Write(path, &config.Config{}, config.WriteOptions{NoClobber: true})
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("Write over an existing file = %v, want an 'already exists' error", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "mine" {
		t.Errorf("the file was changed to %q", b)
	}
}

// TestLoadKeys: a private_key path relative to the config file is read
// and parsed once; a missing or broken key is a Validate problem that
// names the key and never echoes it.
func TestLoadKeys(t *testing.T) {
	dir := t.TempDir()
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(ec)
	if err := os.WriteFile(filepath.Join(dir, "client.pem"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	broken := "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ5dGVz\n-----END PRIVATE KEY-----\n"
	if err := os.WriteFile(filepath.Join(dir, "broken.pem"), []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, key, problem string
	}{
		{"relative path", "client.pem", ""},
		{"missing file", "nope.pem", "no such file"},
		{"broken key", "broken.pem", "does not parse"},
	} {
		t.Run(c.name, func(t *testing.T) {
			yaml := strings.Replace(goodConfig, "  auth_method: client_secret_post\n", "  auth_method: private_key_jwt\n  private_key: "+c.key+"\n  key_id: k1\n", 1)
			path := filepath.Join(dir, "xaa.yaml")
			if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Load(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			err = cfg.Validate()
			if c.problem == "" {
				if err != nil || cfg.IdP.Key == nil || cfg.IdP.Key.Algorithm != "ES256" || cfg.IdP.Key.KeyID != "k1" {
					t.Errorf("Validate = %v, key %v; want a loaded ES256 key with kid k1", err, cfg.IdP.Key)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "idp.private_key") || !strings.Contains(err.Error(), c.problem) {
				t.Errorf("Validate = %v, want an idp.private_key problem saying %q", err, c.problem)
			}
			if err != nil && strings.Contains(err.Error(), "c2VjcmV0") {
				t.Errorf("the problem echoes the key: %v", err)
			}
		})
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s has mode %o, want %o", filepath.Base(path), got, want)
	}
}

// TestWritePrivateFileReplacesWhole: the file is replaced whole with mode 0600 (even
// over a file that had another mode), the directory is made with mode
// 0700, and no temporary file is left behind, also when writing fails.
func TestWritePrivateFileReplacesWhole(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "keys")
	path := filepath.Join(dir, "k.pem")
	if err := config.WritePrivateFile(path, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("directory: %v, %v; want mode 0700", info.Mode().Perm(), err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(path)
	if err := config.WritePrivateFile(path, []byte("two")); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "two" {
		t.Errorf("content %q, want %q", b, "two")
	}
	if after.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", after.Mode().Perm())
	}
	if os.SameFile(before, after) {
		t.Errorf("the file was written in place; want a new file renamed over it")
	}
	// A path whose "directory" is a file: the write fails, nothing is left.
	if err := config.WritePrivateFile(filepath.Join(path, "x.pem"), []byte("three")); err == nil {
		t.Errorf("writing under a file: no error")
	}
	if err := os.Mkdir(filepath.Join(dir, "busy.pem"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := config.WritePrivateFile(filepath.Join(dir, "busy.pem"), []byte("four")); err == nil {
		t.Errorf("renaming over a directory: no error")
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, en := range entries {
		names = append(names, en.Name())
	}
	if got := strings.Join(names, " "); got != "busy.pem k.pem" {
		t.Errorf("directory holds %q, want only %q (no temporary files)", got, "busy.pem k.pem")
	}
}
