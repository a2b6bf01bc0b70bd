package wire_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"testing"
	"time"

	"github.com/xaatools/xaa/flow/wire"

	"github.com/xaatools/xaa/flow/config"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/xaatools/xaa/inspect"
)

// TestClientAssertion checks the claims of RFC 7523 §3 and that the
// signature verifies with the public key.
func TestClientAssertion(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(ec)
	k, err := config.ParsePrivateKey(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), "kid-1")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	a, err := wire.NewClient(wire.Options{Now: func() time.Time { return now }}).ClientAssertion(k, "agent", "https://idp.example.com/oauth2/v1/token")
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
