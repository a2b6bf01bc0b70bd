package wire_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/url"
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

// TestNoSecretsOverPlainHTTP: an https issuer whose token endpoint is
// plain http on another host gets nothing sent to it.
func TestNoSecretsOverPlainHTTP(t *testing.T) {
	c := wire.NewClient(wire.Options{})
	cc := config.ClientConfig{ClientID: "agent", ClientSecret: "s3cret-value"}
	_, err := c.PostToken(context.Background(), wire.PartyIdP, "token exchange", "http://idp.example.com/token", url.Values{"grant_type": {"x"}},
		wire.ClientAuth{Client: cc, Issuer: "https://idp.example.com", TokenEndpoint: "http://idp.example.com/token"})
	if !errors.Is(err, wire.ErrInsecureEndpoint) {
		t.Fatalf("PostToken = %v, want ErrInsecureEndpoint", err)
	}
	if xs := c.Exchanges(); len(xs) != 0 {
		t.Errorf("%d requests were sent", len(xs))
	}
	// Loopback stays allowed (a local test server).
	if err := wire.CheckEndpoint("https://idp.example.com", "http://127.0.0.1:8080/token"); err != nil {
		t.Errorf("loopback refused: %v", err)
	}
}
