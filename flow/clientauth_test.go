package flow_test

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
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/xaatools/xaa/flow"
	"github.com/xaatools/xaa/inspect"
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
			k, err := flow.ParsePrivateKey(c.data, c.kid)
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

// TestClientAssertion checks the claims of RFC 7523 §3 and that the
// signature verifies with the public key.
func TestClientAssertion(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(ec)
	k, err := flow.ParsePrivateKey(pemOf(t, "PRIVATE KEY", der), "kid-1")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	a, err := k.ClientAssertion(flow.Env{Now: func() time.Time { return now }}, "agent", "https://idp.example.com/oauth2/v1/token")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := inspect.Decode(a)
	if err != nil {
		t.Fatal(err)
	}
	for claim, want := range map[string]string{"iss": "agent", "sub": "agent", "aud": "https://idp.example.com/oauth2/v1/token"} {
		if got, _ := tok.Claims.String(claim); got != want {
			t.Errorf("%s = %q, want %q", claim, got, want)
		}
	}
	exp, _ := tok.Claims.Time("exp")
	if got := exp.Sub(now); got != 5*time.Minute {
		t.Errorf("exp - now = %s, want 5m (Okta allows at most 1h)", got)
	}
	if jti, _ := tok.Claims.String("jti"); len(jti) < 16 {
		t.Errorf("jti = %q, want a random value", jti)
	}
	if tok.KID() != "kid-1" || tok.Alg() != "ES256" {
		t.Errorf("header kid %q alg %q", tok.KID(), tok.Alg())
	}
	pub, _ := json.Marshal(map[string]any{"keys": []any{jose.JSONWebKey{Key: &ec.PublicKey, KeyID: "kid-1"}}})
	keys, err := inspect.ParseJWKS(pub)
	if err != nil {
		t.Fatal(err)
	}
	if sig := inspect.Verify(tok, keys, inspect.VerifyOptions{}); !sig.Verified() {
		t.Errorf("assertion signature: %s", sig.Verdict())
	}
}
