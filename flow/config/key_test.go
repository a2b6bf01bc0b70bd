package config_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/xaatools/xaa/flow/config"

	jose "github.com/go-jose/go-jose/v4"
)

func pemOf(t *testing.T, typ string, der []byte) []byte {
	t.Helper()
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func TestParsePrivateKey(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ec384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	pkcs8 := func(k any) []byte { b, _ := x509.MarshalPKCS8PrivateKey(k); return b }
	ecDER, _ := x509.MarshalECPrivateKey(ec)
	pubDER, _ := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	jwk, _ := json.Marshal(jose.JSONWebKey{Key: ec, KeyID: "jwk-kid"})
	pubJWK, _ := json.Marshal(jose.JSONWebKey{Key: &ec.PublicKey, KeyID: "pub"})

	cases := []struct {
		name, kid string
		data      []byte
		alg, want string
		err       string
	}{
		{"PKCS #8 EC", "", pemOf(t, "PRIVATE KEY", pkcs8(ec)), "ES256", "", ""},
		{"PKCS #8 P-384", "", pemOf(t, "PRIVATE KEY", pkcs8(ec384)), "ES384", "", ""},
		{"PKCS #8 RSA", "", pemOf(t, "PRIVATE KEY", pkcs8(rsaKey)), "RS256", "", ""},
		{"PKCS #1 RSA", "k1", pemOf(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey)), "RS256", "k1", ""},
		{"SEC 1 EC", "", pemOf(t, "EC PRIVATE KEY", ecDER), "ES256", "", ""},
		{"Ed25519", "", pemOf(t, "PRIVATE KEY", pkcs8(ed)), "EdDSA", "", ""},
		{"private JWK", "", jwk, "ES256", "jwk-kid", ""},
		{"private JWK, kid from the config", "cfg", jwk, "ES256", "cfg", ""},
		{"public JWK", "", pubJWK, "", "", "the JWK is a public key"},
		{"public PEM", "", pemOf(t, "PUBLIC KEY", pubDER), "", "", "the PEM holds a public key"},
		{"small RSA", "", pemOf(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(small)), "", "", "1024 bits"},
		{"damaged PEM", "", []byte("-----BEGIN PRIVATE KEY-----\nnot base64\n"), "", "", "damaged"},
		{"neither", "", []byte("ssh-ed25519 AAAA"), "", "", "neither PEM"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k, err := config.ParsePrivateKey(c.data, c.kid)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Errorf("ParsePrivateKey error = %v, want %q", err, c.err)
				}
				if err != nil && strings.Contains(err.Error(), string(c.data)) {
					t.Errorf("the error echoes the key")
				}
				return
			}
			if err != nil {
				t.Fatalf("ParsePrivateKey: %v", err)
			}
			if k.Algorithm != c.alg || k.KeyID != c.want {
				t.Errorf("key = %s kid %q, want %s kid %q", k.Algorithm, k.KeyID, c.alg, c.want)
			}
		})
	}
}
