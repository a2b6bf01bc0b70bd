package playground_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
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
	os.WriteFile(filepath.Join(dir, "as-es256.pem"), []byte("not a key"), 0o600)
	if _, err := playground.Start(t.Context(), playground.Options{KeyDir: dir}); err == nil || !strings.Contains(err.Error(), "delete it to get a new key") {
		t.Errorf("a broken key file: got %v, want an error saying how to fix it", err)
	}
}
