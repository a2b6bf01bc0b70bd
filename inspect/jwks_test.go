package inspect_test

import (
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/xaatools/xaa/inspect"
)

func TestParseJWKS(t *testing.T) {
	rs := key(t, "rs")
	pub := rs.Public()
	tp, _ := pub.Thumbprint(crypto.SHA256)
	wantTP := base64.RawURLEncoding.EncodeToString(tp)

	ks := mustJWKS(t, jwks(t, "rs", "es", "eddsa"))
	if got := ks.Summary(); got != "rsa-1 (RSA 2048), ec-1 (P-256), ed-1 (Ed25519)" {
		t.Errorf("Summary = %q", got)
	}
	if ks.Keys[0].Thumbprint != wantTP {
		t.Errorf("Thumbprint = %q, want RFC 7638 %q", ks.Keys[0].Thumbprint, wantTP)
	}

	single, _ := json.Marshal(rs.Public())
	if ks := mustJWKS(t, single); len(ks.Keys) != 1 || !ks.Keys[0].Usable() {
		t.Errorf("single JWK: %+v", ks.Keys)
	}

	der, _ := x509.MarshalPKIXPublicKey(rs.Private.Public())
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: selfSigned(t, key(t, "es")).Raw})
	ks = mustJWKS(t, append(pubPEM, cert...))
	if len(ks.Keys) != 2 || ks.Keys[0].Thumbprint != wantTP || ks.Keys[1].Size != "P-256" {
		t.Errorf("PEM keys = %+v", ks.Keys)
	}
}

func TestParseJWKSKeepsBadKeys(t *testing.T) {
	good, _ := json.Marshal(key(t, "es").Public())
	doc := fmt.Sprintf(`{"keys":[{"kty":"RSA","kid":"broken","n":"!!"},%s,{"kty":"oct","kid":"hmac","k":"c2VjcmV0"}]}`, good)
	ks := mustJWKS(t, []byte(doc))
	if len(ks.Keys) != 3 {
		t.Fatalf("keys = %d, want 3 (bad keys kept)", len(ks.Keys))
	}
	if ks.Keys[0].Usable() || ks.Keys[0].KID != "broken" || ks.Keys[0].Problem == "" {
		t.Errorf("broken key = %+v, want kept with a problem", ks.Keys[0])
	}
	if !ks.Keys[1].Usable() {
		t.Errorf("good key unusable: %s", ks.Keys[1].Problem)
	}
	if !strings.Contains(ks.Keys[2].Problem, "symmetric") || !ks.PrivateKeys {
		t.Errorf("oct key = %+v, PrivateKeys=%v", ks.Keys[2], ks.PrivateKeys)
	}
}

func TestParseJWKSFlagsPrivateKeys(t *testing.T) {
	priv := jose.JSONWebKey{Key: key(t, "es").Private, KeyID: "leaked"}
	b, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{priv}})
	ks := mustJWKS(t, b)
	if !ks.PrivateKeys || !ks.Keys[0].Usable() {
		t.Errorf("PrivateKeys = %v, usable = %v; want flagged and usable as public", ks.PrivateKeys, ks.Keys[0].Usable())
	}
}

func TestParseJWKSRefusals(t *testing.T) {
	many := `{"keys":[` + strings.Repeat(`{"kty":"EC"},`, 100) + `{"kty":"EC"}]}`
	tests := []struct{ name, in, want string }{
		{"empty", "", "empty"},
		{"html", "<html><body>Not Found</body></html>", "HTML"},
		{"metadata", `{"issuer":"https://idp","jwks_uri":"https://idp/keys"}`, "fetch its jwks_uri"},
		{"no keys", `{"foo":1}`, `no "keys" member`},
		{"keys not array", `{"keys":{}}`, "not an array"},
		{"not json", `{"keys":[`, "not valid JSON"},
		{"too many", many, "at most 100"},
		{"private pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "PRIVATE key"},
		{"text", "hello", "starts with"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := inspect.ParseJWKS([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseJWKS error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}
