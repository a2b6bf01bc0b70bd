package playground_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/playground"
	"github.com/xaatools/xaa/inspect"
)

func newECKey(t *testing.T) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestKeysAndRotation: the IdP publishes RS256 and ES256 keys with kids;
// after a rotation the previous keys still verify, and tokens from two
// rotations back fail with an unknown kid.
func TestKeysAndRotation(t *testing.T) {
	e := start(t, playground.Options{KeyDir: t.TempDir()})
	jwks := func() *inspect.KeySet {
		ks, err := inspect.ParseJWKS([]byte(e.get(e.cfg.IdP.Issuer+"/jwks", "").raw))
		if err != nil {
			t.Fatal(err)
		}
		return ks
	}
	ks := jwks()
	var kinds []string
	for _, k := range ks.Keys {
		if k.KID == "" || k.Use != "sig" {
			t.Errorf("key %+v: want a kid and use sig", k)
		}
		kinds = append(kinds, k.KTY)
	}
	if got := strings.Join(kinds, ","); got != "RSA,EC" {
		t.Errorf("key types %s, want RSA,EC", got)
	}
	old := e.idJAG()
	if err := e.p.RotateKeys(); err != nil {
		t.Fatal(err)
	}
	if n := len(jwks().Keys); n != 4 {
		t.Errorf("after one rotation the JWKS has %d keys, want 4 (new and previous)", n)
	}
	if r := e.bearer(old, nil); r.status != http.StatusOK {
		t.Errorf("ID-JAG signed before the rotation: HTTP %d %s", r.status, r.raw)
	}
	older := e.idJAG()
	if err := e.p.RotateKeys(); err != nil {
		t.Fatal(err)
	}
	if err := e.p.RotateKeys(); err != nil {
		t.Fatal(err)
	}
	wantError(t, e.bearer(older, nil), 400, "invalid_grant", "is not in the JWKS")
}

// TestKeyDir: with a key directory, keys and client secrets survive a
// restart, so a written config stays valid.
func TestKeyDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	first := start(t, playground.Options{KeyDir: dir})
	firstJWKS := first.get(first.cfg.IdP.Issuer+"/jwks", "").raw
	first.p.Close()
	second := start(t, playground.Options{KeyDir: dir})
	if got := second.get(second.cfg.IdP.Issuer+"/jwks", "").raw; got != firstJWKS {
		t.Errorf("the JWKS changed across starts with the same --key-dir")
	}
	if first.cfg.IdP.ClientSecret != second.cfg.IdP.ClientSecret || first.cfg.ResourceAS.ClientSecret != second.cfg.ResourceAS.ClientSecret {
		t.Errorf("client secrets changed across starts with the same --key-dir")
	}
	entries, _ := os.ReadDir(dir)
	for _, en := range entries {
		info, _ := en.Info()
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", en.Name(), info.Mode().Perm())
		}
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("key directory: %v, %v; want mode 0700", info.Mode().Perm(), err)
	}
}

// copyKeys returns a new key directory holding the shared test keys, so a
// test can change files without generating RSA keys.
func copyKeys(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "keys")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(keyDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range entries {
		b, err := os.ReadFile(filepath.Join(keyDir, en.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, en.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// jwksOf returns the JWKS documents of the IdP and the resource AS.
func jwksOf(t *testing.T, p *playground.Playground) (idp, as string) {
	t.Helper()
	get := func(u string) string {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	return get(p.IdPURL() + "/jwks"), get(p.ASURL() + "/jwks")
}

// startIn starts a playground keeping its keys in dir and closes it at the
// end of the test.
func startIn(t *testing.T, o playground.Options) *playground.Playground {
	t.Helper()
	p, err := playground.Start(t.Context(), o)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// TestRotateKeysOption: RotateKeys gives the IdP and the resource AS new
// keys and keeps them, so the next start reuses the rotated keys; the demo
// client's secrets stay.
func TestRotateKeysOption(t *testing.T) {
	dir := copyKeys(t)
	before := startIn(t, playground.Options{KeyDir: dir})
	idp0, as0 := jwksOf(t, before)
	rotated := startIn(t, playground.Options{KeyDir: dir, RotateKeys: true})
	idp1, as1 := jwksOf(t, rotated)
	if idp1 == idp0 || as1 == as0 {
		t.Errorf("RotateKeys kept a key: IdP changed %v, AS changed %v; want both new", idp1 != idp0, as1 != as0)
	}
	if got, want := rotated.Config().IdP.ClientSecret, before.Config().IdP.ClientSecret; got != want {
		t.Errorf("RotateKeys changed the client secret")
	}
	after := startIn(t, playground.Options{KeyDir: dir})
	if idp2, as2 := jwksOf(t, after); idp2 != idp1 || as2 != as1 {
		t.Errorf("the start after a rotation did not reuse the rotated keys")
	}
	if w := rotated.Warnings(); len(w) > 0 {
		t.Errorf("warnings %q, want none", w)
	}
}

// TestUnusableKeyFiles: a corrupt or unreadable key or secrets file is
// replaced by a new one, with a warning naming the file; the playground
// starts and the next start uses the replacement quietly.
func TestUnusableKeyFiles(t *testing.T) {
	cases := []struct {
		name, file string
		spoil      func(path string) error
		wantSaved  bool // the replacement could be kept
	}{
		{"not PEM", "as-es256.pem", func(p string) error { return os.WriteFile(p, []byte("not a key"), 0o600) }, true},
		{"truncated", "idp-rs256.pem", func(p string) error {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(p, b[:len(b)/2], 0o600)
		}, true},
		{"wrong key type", "idp-rs256.pem", func(p string) error {
			b, err := os.ReadFile(filepath.Join(filepath.Dir(p), "as-es256.pem"))
			if err != nil {
				return err
			}
			return os.WriteFile(p, b, 0o600)
		}, true},
		{"empty", "client-es256.pem", func(p string) error { return os.WriteFile(p, nil, 0o600) }, true},
		{"secrets not JSON", "client-secrets.json", func(p string) error { return os.WriteFile(p, []byte("{"), 0o600) }, true},
		{"unreadable: a directory", "idp-es256.pem", func(p string) error {
			if err := os.Remove(p); err != nil {
				return err
			}
			return os.Mkdir(p, 0o700)
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := copyKeys(t)
			path := filepath.Join(dir, c.file)
			if err := c.spoil(path); err != nil {
				t.Fatal(err)
			}
			p := startIn(t, playground.Options{KeyDir: dir})
			w := strings.Join(p.Warnings(), "\n")
			if !strings.Contains(w, path) {
				t.Errorf("warnings %q, want one naming %s", w, path)
			}
			if !c.wantSaved {
				if !strings.Contains(w, "could not keep") {
					t.Errorf("warnings %q, want one saying the new key was not kept", w)
				}
				return
			}
			idp1, as1 := jwksOf(t, p)
			again := startIn(t, playground.Options{KeyDir: dir})
			if w := again.Warnings(); len(w) > 0 {
				t.Errorf("second start: warnings %q, want none (the replacement was kept)", w)
			}
			if idp2, as2 := jwksOf(t, again); idp2 != idp1 || as2 != as1 {
				t.Errorf("second start: the replacement key was not reused")
			}
			if got, want := again.Config().IdP.ClientSecret, p.Config().IdP.ClientSecret; got != want {
				t.Errorf("second start: the client secrets were not reused")
			}
			info, err := os.Stat(path)
			if err != nil || info.Mode().Perm() != 0o600 {
				t.Errorf("replacement %s: %v, %v; want mode 0600", c.file, info.Mode().Perm(), err)
			}
		})
	}
}

// TestDefaultKeyDir: XDG_STATE_HOME, else ~/.local/state; relative paths
// are ignored, as the XDG Base Directory spec says.
func TestDefaultKeyDir(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_STATE_HOME": "/st", "HOME": "/h"}, "/st/xaa/playground"},
		{map[string]string{"HOME": "/h"}, "/h/.local/state/xaa/playground"},
		{map[string]string{"XDG_STATE_HOME": "rel", "HOME": "/h"}, "/h/.local/state/xaa/playground"},
		{map[string]string{}, ""},
	}
	for _, c := range cases {
		if got := playground.DefaultKeyDir(func(k string) string { return c.env[k] }); got != c.want {
			t.Errorf("DefaultKeyDir(%v) = %q, want %q", c.env, got, c.want)
		}
	}
}

// TestWriteConfigFilesArePrivate: WriteConfig over files that exist with
// mode 0644 (a key file from an earlier run) leaves every file 0600.
func TestWriteConfigFilesArePrivate(t *testing.T) {
	p, err := playground.Start(context.Background(), playground.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	path := filepath.Join(t.TempDir(), "xaa.yaml")
	files := playground.ConfigFilesFor(path)
	for _, f := range []string{files.Config, files.PrivateKeyJWTConfig, files.ClientKey} {
		if err := os.WriteFile(f, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.WriteConfig(path); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{files.Config, files.PrivateKeyJWTConfig, files.ClientKey} {
		if fi, err := os.Stat(f); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v (%v), want 0600", filepath.Base(f), fi.Mode().Perm(), err)
		}
	}
}
